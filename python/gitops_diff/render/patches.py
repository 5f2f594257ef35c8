"""Remediation patches per object: RFC 6902 JSON Patch (`patch`) and RFC 7386 JSON Merge
Patch (`merge-patch`), both against the normalized live object.

One JSON document: `{"schema_version", "format", "objects": [...]}`, an entry per object
that is not in sync, sorted by identity. Modified objects carry their patch; missing and
extra objects have `"patch": null` (a patch cannot create or delete an object: apply or
delete it). Secret values are masked as in the report.
"""

from __future__ import annotations

import json
from typing import IO, Any

from gitops_diff._core import ObjectDiff, Report
from gitops_diff.render import Context

#: Version of the patch documents' layout.
PATCH_SCHEMA_VERSION = 1


def _entry(obj: ObjectDiff, patch: Any) -> dict[str, Any]:
    return {
        "identity": obj.identity,
        "group": obj.group,
        "kind": obj.kind,
        "namespace": obj.namespace,
        "name": obj.name,
        "api_version": obj.api_version,
        "status": obj.status,
        "patch": patch,
    }


def document(report: Report, fmt: str) -> dict[str, Any]:
    """The patch document of a report; `fmt` is "json-patch" or "merge-patch"."""
    objects = []
    for obj in report.objects:
        patch = obj.patch() if fmt == "json-patch" else obj.merge_patch()
        objects.append(_entry(obj, patch))
    return {"schema_version": PATCH_SCHEMA_VERSION, "format": fmt, "objects": objects}


def _write(doc: dict[str, Any], out: IO[str]) -> None:
    out.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")


def render_json_patch(report: Report, out: IO[str], ctx: Context) -> None:
    _write(document(report, "json-patch"), out)


def render_merge_patch(report: Report, out: IO[str], ctx: Context) -> None:
    _write(document(report, "merge-patch"), out)
