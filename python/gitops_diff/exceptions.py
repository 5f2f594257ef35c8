"""The errors gitops-diff raises: one class per kind, all under GitopsDiffError.

They are defined by the native extension (so that it can raise them without a round
trip) and re-exported here, where users import them from.
"""

from gitops_diff._core import (
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
    "DuplicateObjectError",
    "GitopsDiffError",
    "InternalError",
    "InvalidObjectError",
    "InvalidOptionError",
    "InvalidRulesError",
    "LimitExceededError",
    "ParseError",
    "SourceReadError",
]
