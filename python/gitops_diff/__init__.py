"""gitops-diff: what differs between the desired state (Git) and the live state.

>>> import gitops_diff
>>> report = gitops_diff.diff("manifests/", "cluster.json")
>>> report.summary["modified"], [o.identity for o in report.objects]
"""

from gitops_diff._core import (
    Change,
    ObjectDiff,
    Report,
    ResourceSet,
    Rules,
    __version__,
    apply_merge_patch,
    apply_patch,
    hash_object,
    set_threads,
)
from gitops_diff.api import diff, from_objects, load, load_rules
from gitops_diff.exceptions import (
    DuplicateObjectError,
    GitopsDiffError,
    InternalError,
    InvalidObjectError,
    InvalidOptionError,
    InvalidRulesError,
    LimitExceededError,
    ParseError,
    SourceReadError,
)

__all__ = [
    "Change",
    "DuplicateObjectError",
    "GitopsDiffError",
    "InternalError",
    "InvalidObjectError",
    "InvalidOptionError",
    "InvalidRulesError",
    "LimitExceededError",
    "ObjectDiff",
    "ParseError",
    "Report",
    "ResourceSet",
    "Rules",
    "SourceReadError",
    "__version__",
    "apply_merge_patch",
    "apply_patch",
    "diff",
    "from_objects",
    "hash_object",
    "load",
    "load_rules",
    "set_threads",
]
