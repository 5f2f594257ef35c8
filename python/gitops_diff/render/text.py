"""Human output: one block per drifted object (a header with identity, status and
source, then one `path: old -> new` line per change), then a summary line.

Strings that could be misread (`"true"`, `"8080"`, `""`) are quoted; short maps and
lists are shown inline as JSON, longer ones as an indented YAML block; multi-line
strings (ConfigMap files, scripts) as a line diff.
"""

from __future__ import annotations

import difflib
import json
import os
from typing import IO, Any

from gitops_diff._core import Change, ObjectDiff, Report
from gitops_diff.render import yamltext

MARK = {"modified": "~", "missing": "+", "extra": "-"}
OP_MARK = {"replace": "~", "add": "+", "remove": "-"}
EXPLAIN = {
    "modified": "differs from Git",
    "missing": "in Git, not live: would be created",
    "extra": "live only, managed: would be pruned",
}
_COLOR = {
    "modified": "33",
    "missing": "32",
    "extra": "31",
    "old": "31",
    "new": "32",
    "dim": "2",
    "hunk": "36",
    "bold": "1",
}
ABSENT = "(absent)"
#: Maps and lists whose inline JSON is longer than this are shown as a YAML block.
INLINE_MAX = 72
#: A change longer than this is shown on three lines (path, old, new).
LINE_MAX = 110
_INDENT = "    "


def use_color(stream: IO[str], requested: bool | None) -> bool:
    """Color on a terminal unless NO_COLOR is set (https://no-color.org)."""
    if requested is not None:
        return requested
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and not os.environ.get("NO_COLOR")


class Painter:
    """Wraps text in ANSI color codes when enabled."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, style: str, text: str) -> str:
        return f"\x1b[{_COLOR[style]}m{text}\x1b[0m" if self.enabled and text else text


def inline(value: Any) -> str:
    """A value on one line: scalars as YAML would print them, collections as JSON."""
    if isinstance(value, (dict, list)) and value:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, str) and "\n" in value:
        return json.dumps(value, ensure_ascii=False)
    return yamltext.scalar(value)


def _is_long(value: Any) -> bool:
    return isinstance(value, (dict, list)) and len(inline(value)) > INLINE_MAX


def _block(value: Any, indent: str, style: str, paint: Painter) -> list[str]:
    return [indent + paint(style, line) for line in yamltext.dump(value).splitlines()]


def _is_text(value: Any) -> bool:
    return isinstance(value, str) or value is None


def line_diff(old: str, new: str, context: int = 2) -> list[str]:
    """A unified diff of two multi-line strings, without the file header lines."""
    diff = difflib.unified_diff(old.splitlines(), new.splitlines(), n=context, lineterm="")
    return list(diff)[2:]


def change_lines(change: Change, paint: Painter, indent: str = _INDENT) -> list[str]:
    """One change as `~ path: old -> new` (plus a block or a line diff where needed)."""
    path = change.path or "(whole object)"
    mark = OP_MARK.get(change.op, "~")
    style = {"+": "new", "-": "old"}.get(mark, "modified")
    live, desired = change.live, change.desired
    has_old, has_new = change.op != "add", change.op != "remove"
    head = f"{indent}{paint(style, mark)} {paint('bold', path)}:"
    multiline = any(isinstance(v, str) and "\n" in v for v in (live, desired))
    if multiline and _is_text(live) and _is_text(desired):
        lines = [head]
        for row in line_diff(live or "", desired or ""):
            row_style = {"-": "old", "+": "new", "@": "hunk"}.get(row[:1], "dim")
            lines.append(f"{indent}    {paint(row_style, row)}")
        return lines
    old_text = inline(live) if has_old else ABSENT
    new_text = inline(desired) if has_new else ABSENT
    old = paint("old" if has_old else "dim", old_text)
    new = paint("new" if has_new else "dim", new_text)
    if not ((has_old and _is_long(live)) or (has_new and _is_long(desired))):
        width = len(indent) + len(mark) + len(path) + len(old_text) + len(new_text) + 7
        if width <= LINE_MAX:
            return [f"{head} {old} -> {new}"]
        # Too long for one line: old and new under each other, easy to compare.
        return [head, f"{indent}       {old}", f"{indent}    -> {new}"]
    lines = [head]
    for label, present, value, value_style in (
        ("live", has_old, live, "old"),
        ("desired", has_new, desired, "new"),
    ):
        if not present:
            lines.append(f"{indent}    {label}: {paint('dim', ABSENT)}")
        elif _is_long(value):
            lines.append(f"{indent}    {label}:")
            lines.extend(_block(value, indent + "      ", value_style, paint))
        else:
            lines.append(f"{indent}    {label}: {paint(value_style, inline(value))}")
    return lines


def header(obj: ObjectDiff, paint: Painter) -> str:
    """`~ apps/Deployment shop/web  (differs from Git, 2 changes)  apps/web.yaml:3`."""
    title = f"{MARK[obj.status]} {obj.identity}"
    where = obj.desired_source or obj.live_source or ""
    detail = EXPLAIN[obj.status]
    if obj.status == "modified":
        count = len(obj.changes)
        detail = f"{detail}, {count} change{'s' if count != 1 else ''}"
    if obj.ignored:
        detail = f"{detail}, {obj.ignored} ignored"
    return f"{paint(obj.status, title)}  ({detail})  {paint('dim', where)}".rstrip()


def object_lines(obj: ObjectDiff, paint: Painter) -> list[str]:
    lines = [header(obj, paint)]
    for change in obj.changes:
        lines.extend(change_lines(change, paint))
    return lines


def summary_line(report: Report) -> str:
    s = report.summary
    if not report.has_drift:
        head = f"In sync: {s['in_sync']} objects match."
    else:
        head = (
            f"Drift: {s['modified']} modified ({s['changes']} changes), "
            f"{s['missing']} missing, {s['extra']} extra; {s['in_sync']} in sync."
        )
    tail = f" Compared {s['desired']} desired with {s['live']} live objects"
    if s["unmanaged"]:
        tail += f"; {s['unmanaged']} unmanaged live-only objects not counted"
    if s.get("ignored"):
        tail += f"; {s['ignored']} differences ignored by rules"
    return head + tail + "."


def render(report: Report, stream: IO[str], *, color: bool | None = None) -> None:
    paint = Painter(use_color(stream, color))
    for obj in report.objects:
        stream.write("\n".join(object_lines(obj, paint)) + "\n\n")
    stream.write(summary_line(report) + "\n")
