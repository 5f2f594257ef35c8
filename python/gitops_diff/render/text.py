"""Human output: one block per drifted object, then a summary line."""

from __future__ import annotations

import json
import os
from typing import IO, Any

from gitops_diff._core import ObjectDiff, Report

_MARK = {"modified": "~", "missing": "+", "extra": "-"}
_COLOR = {"modified": "33", "missing": "32", "extra": "31", "old": "31", "new": "32", "dim": "2"}
_EXPLAIN = {
    "modified": "differs from Git",
    "missing": "in Git, not live: would be created",
    "extra": "live only, managed: would be pruned",
}


def use_color(stream: IO[str], requested: bool | None) -> bool:
    """Color on a terminal unless NO_COLOR is set (https://no-color.org)."""
    if requested is not None:
        return requested
    return stream.isatty() and not os.environ.get("NO_COLOR")


class _Painter:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, style: str, text: str) -> str:
        return f"\x1b[{_COLOR[style]}m{text}\x1b[0m" if self.enabled else text


def _value(value: Any) -> str:
    if isinstance(value, str) and "\n" not in value:
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _multiline(old: str, new: str, paint: _Painter) -> list[str]:
    import difflib

    diff = difflib.unified_diff(
        old.splitlines(), new.splitlines(), "live", "desired", n=2, lineterm=""
    )
    lines = []
    for line in list(diff)[2:]:
        style = {"-": "old", "+": "new"}.get(line[:1], "dim")
        lines.append("        " + paint(style, line))
    return lines


def _object(obj: ObjectDiff, paint: _Painter) -> list[str]:
    header = f"{_MARK[obj.status]} {obj.identity}"
    where = obj.desired_source or obj.live_source or ""
    count = len(obj.changes)
    detail = _EXPLAIN[obj.status]
    if obj.status == "modified":
        detail = f"{detail}, {count} change{'s' if count != 1 else ''}"
    lines = [f"{paint(obj.status, header)}  ({detail})  {paint('dim', where)}"]
    for change in obj.changes:
        lines.append(f"    {change.path or '(whole object)'}")
        live, desired = change.live, change.desired
        if isinstance(live, str) and isinstance(desired, str) and ("\n" in live or "\n" in desired):
            lines.extend(_multiline(live, desired, paint))
            continue
        if change.op in ("replace", "remove"):
            note = "live" if change.op == "replace" else "live, removed from Git"
            lines.append(f"      {paint('old', '- ' + _value(live))}   ({note})")
        if change.op in ("replace", "add"):
            note = "desired" if change.op == "replace" else "desired, not live"
            lines.append(f"      {paint('new', '+ ' + _value(desired))}   ({note})")
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
    return head + tail + "."


def render(report: Report, stream: IO[str], *, color: bool | None = None) -> None:
    paint = _Painter(use_color(stream, color))
    for obj in report.objects:
        stream.write("\n".join(_object(obj, paint)) + "\n\n")
    stream.write(summary_line(report) + "\n")
