"""Unified diff per object, as `kubectl diff` prints it: the live object against the
object as it would be after applying Git (`merged`), both as YAML.

`live/` is the live object normalized as the diff sees it; `merged/` is that object with
the object's remediation patch applied, so server defaults and fields Git does not set
stay as they are and only the drift shows. A missing object is diffed against nothing,
an extra one against nothing on the other side. Files are named as kubectl names them
(`apps.v1.Deployment.shop.frontend`). Secret values are masked on both sides with the
report's salt.
"""

from __future__ import annotations

import difflib
from typing import IO, Any

from gitops_diff import _core
from gitops_diff._core import ObjectDiff, Report
from gitops_diff.exceptions import GitopsDiffError
from gitops_diff.render import Context, Inputs, yamltext
from gitops_diff.render.text import Painter


def kubectl_name(obj: ObjectDiff) -> str:
    """`group.version.kind.namespace.name` (no group for the core API, an empty
    namespace for cluster-scoped objects), the file name `kubectl diff` uses."""
    version = obj.api_version.rpartition("/")[2]
    group = f"{obj.group}." if obj.group else ""
    return f"{group}{version}.{obj.kind}.{obj.namespace or ''}.{obj.name}"


def _sides(obj: ObjectDiff, inputs: Inputs) -> tuple[str, str, str | None]:
    """(live YAML, merged YAML, a note when the merged side could not be built)."""
    live = inputs.get("live", obj.identity) if obj.live_source else None
    if obj.status == "missing":
        desired = inputs.get("desired", obj.identity)
        if desired is None:
            return "", "", "the desired object was not found among the inputs"
        return "", yamltext.dump(desired), None
    if live is None:
        return "", "", "the live object was not found among the inputs"
    live_text = yamltext.dump(live)
    if obj.status == "extra":
        return live_text, "", None
    try:
        merged: Any = _core.apply_patch(live, obj.patch() or [])
    except GitopsDiffError as error:
        return (
            live_text,
            live_text,
            f"the patch does not apply to the normalized live object: {error}",
        )
    return live_text, yamltext.dump(merged), None


def object_diff(obj: ObjectDiff, inputs: Inputs, context: int) -> list[str]:
    """The diff lines of one object (each without its line ending)."""
    name = kubectl_name(obj)
    live, merged, note = _sides(obj, inputs)
    lines = [f"diff -u -N live/{name} merged/{name}"]
    if note is not None:
        lines.append(f"# {obj.identity}: {note}")
    body = difflib.unified_diff(
        live.splitlines(),
        merged.splitlines(),
        fromfile=f"live/{name}",
        tofile=f"merged/{name}",
        n=context,
        lineterm="",
    )
    lines.extend(body)
    return lines


def render(report: Report, out: IO[str], ctx: Context) -> None:
    if ctx.inputs is None:
        raise _core.InvalidOptionError("the unified format needs the inputs (Context.inputs)")
    paint = Painter(ctx.color)
    for obj in report.objects:
        for line in object_diff(obj, ctx.inputs, ctx.context_lines):
            style = None
            if line.startswith(("diff ", "--- ", "+++ ")):
                style = "bold"
            elif line.startswith("@@"):
                style = "hunk"
            elif line.startswith("-"):
                style = "old"
            elif line.startswith("+"):
                style = "new"
            elif line.startswith("#"):
                style = "dim"
            out.write((paint(style, line) if style else line) + "\n")
