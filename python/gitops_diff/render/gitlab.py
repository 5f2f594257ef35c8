"""GitLab merge-request reports.

`gitlab-terraform` is what the MR's Terraform widget reads (`artifacts:reports:terraform`):
three counts, objects Git would create (missing), update (modified) and delete (extra,
in the managed scope). GitLab accepts integers up to 999999; larger counts are capped.

`codequality` is a Code Climate issue list (`artifacts:reports:codequality`): one
finding per drifted object with a description, a severity, the file and line that
defines the object, and a fingerprint from the object's identity, status and changed
paths (not their values), so that the same drift is "existing" across pipelines and a
new drift on the same object is "new".
"""

from __future__ import annotations

import hashlib
import json
from typing import IO, Any

from gitops_diff._core import ObjectDiff, Report
from gitops_diff.render import Context, split_source
from gitops_diff.render.text import EXPLAIN

#: The largest count GitLab's Terraform report parser accepts.
MAX_COUNT = 999_999
#: Changed paths named in a finding's description.
DESCRIBED_PATHS = 3


def terraform_counts(report: Report) -> dict[str, int]:
    s = report.summary
    return {
        "create": min(s["missing"], MAX_COUNT),
        "update": min(s["modified"], MAX_COUNT),
        "delete": min(s["extra"], MAX_COUNT),
    }


def render_terraform(report: Report, out: IO[str], ctx: Context) -> None:
    out.write(json.dumps(terraform_counts(report)) + "\n")


def fingerprint(obj: ObjectDiff) -> str:
    """Stable across runs: identity, status and the sorted changed paths."""
    paths = sorted({f"{change.op} {change.path}" for change in obj.changes})
    text = "\n".join([obj.identity, obj.status, *paths])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _description(obj: ObjectDiff) -> str:
    text = f"{obj.identity}: {EXPLAIN[obj.status]}"
    paths = [change.path or "(whole object)" for change in obj.changes]
    if paths:
        named = ", ".join(paths[:DESCRIBED_PATHS])
        more = len(paths) - DESCRIBED_PATHS
        if more > 0:
            named += f" and {more} more"
        text += f" ({len(paths)} change{'' if len(paths) == 1 else 's'}: {named})"
    return text


def finding(obj: ObjectDiff, severity: str) -> dict[str, Any]:
    path, line = split_source(obj.desired_source or obj.live_source)
    return {
        "type": "issue",
        "check_name": f"gitops-diff/{obj.status}",
        "description": _description(obj),
        "categories": ["Bug Risk"],
        "severity": severity,
        "fingerprint": fingerprint(obj),
        "location": {"path": path, "lines": {"begin": line}},
    }


def render_codequality(report: Report, out: IO[str], ctx: Context) -> None:
    findings = [finding(obj, ctx.severity) for obj in report.objects]
    out.write(json.dumps(findings, indent=2, ensure_ascii=False) + "\n")
