"""A merge-request comment: a summary table, then one collapsible section per drifted
object with its changes as a diff block. Past `max_objects` objects (or a size budget
that keeps the comment well under GitLab's and GitHub's note limits), the remaining
objects are only counted.
"""

from __future__ import annotations

import html
import re
from typing import IO, Any

from gitops_diff._core import Change, ObjectDiff, Report
from gitops_diff.render import Context, yamltext
from gitops_diff.render.text import EXPLAIN, MARK, inline, line_diff

#: Characters of the comment after which objects are counted instead of shown.
BUDGET = 60_000
#: Changes shown per object; value lines shown per value.
MAX_CHANGES = 50
MAX_VALUE_LINES = 40


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _value_lines(value: Any) -> list[str]:
    if isinstance(value, (dict, list)) and value and len(inline(value)) > 72:
        lines = yamltext.dump(value).splitlines()
    else:
        lines = [inline(value)]
    if len(lines) > MAX_VALUE_LINES:
        hidden = len(lines) - MAX_VALUE_LINES
        lines = [*lines[:MAX_VALUE_LINES], f"... ({_plural(hidden, 'more line')})"]
    return lines


def _change_rows(change: Change) -> list[str]:
    rows = [f"@@ {change.path or '(whole object)'} @@"]
    live, desired = change.live, change.desired
    texts = all(isinstance(v, str) or v is None for v in (live, desired))
    if texts and any(isinstance(v, str) and "\n" in v for v in (live, desired)):
        return rows + [
            row for row in line_diff(live or "", desired or "") if not row.startswith("@@")
        ]
    if change.op != "add":
        rows += [f"- {line}" for line in _value_lines(live)]
    if change.op != "remove":
        rows += [f"+ {line}" for line in _value_lines(desired)]
    return rows


def _fence(rows: list[str], info: str) -> list[str]:
    longest = max((len(run) for row in rows for run in re.findall(r"`+", row)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}{info}", *rows, fence]


def _summary_text(obj: ObjectDiff) -> str:
    detail = EXPLAIN[obj.status]
    if obj.status == "modified":
        detail = f"{detail}, {_plural(len(obj.changes), 'change')}"
    return detail


def object_section(obj: ObjectDiff) -> list[str]:
    title = html.escape(f"{MARK[obj.status]} {obj.identity}")
    lines = [
        "<details>",
        f"<summary><code>{title}</code>: {html.escape(_summary_text(obj))}</summary>",
        "",
    ]
    sources = [
        f"{label} <code>{html.escape(source)}</code>"
        for label, source in (("Git:", obj.desired_source), ("live:", obj.live_source))
        if source
    ]
    if sources:
        lines += [" · ".join(sources), ""]
    if obj.changes:
        rows: list[str] = []
        for change in obj.changes[:MAX_CHANGES]:
            rows += _change_rows(change)
        hidden = len(obj.changes) - MAX_CHANGES
        if hidden > 0:
            rows.append(f"# ... {_plural(hidden, 'more change')} not shown")
        lines += [*_fence(rows, "diff"), ""]
    lines += ["</details>", ""]
    return lines


def summary_table(report: Report) -> list[str]:
    s = report.summary
    rows = [
        ("~ modified", f"{s['modified']} ({_plural(s['changes'], 'change')})"),
        ("+ missing (would be created)", str(s["missing"])),
        ("- extra (would be pruned)", str(s["extra"])),
        ("in sync", str(s["in_sync"])),
    ]
    if s.get("ignored"):
        rows.append(("ignored by rules", _plural(s["ignored"], "difference")))
    table = ["| Status | Objects |", "|---|---:|"]
    table += [f"| {label} | {count} |" for label, count in rows]
    return table


def render(report: Report, out: IO[str], ctx: Context) -> None:
    s = report.summary
    verdict = "drift detected" if report.has_drift else "in sync"
    lines = [f"### gitops-diff: {verdict}", "", *summary_table(report), ""]
    compared = (
        f"Compared {_plural(s['desired'], 'desired object')} with {s['live']} live ({report.mode})."
    )
    if s["unmanaged"]:
        compared = compared[:-1] + f"; {s['unmanaged']} unmanaged live-only objects not counted."
    lines += [compared, ""]
    size = sum(len(line) + 1 for line in lines)
    shown = 0
    objects = report.objects
    for obj in objects:
        section = object_section(obj)
        section_size = sum(len(line) + 1 for line in section)
        if shown >= ctx.max_objects or (shown and size + section_size > BUDGET):
            break
        lines += section
        size += section_size
        shown += 1
    rest = objects[shown:]
    if rest:
        changes = sum(len(o.changes) for o in rest)
        lines += [
            f"_... {_plural(len(rest), 'more drifted object')} ({_plural(changes, 'change')}) "
            "not shown: see the full report._",
            "",
        ]
    out.write("\n".join(lines).rstrip("\n") + "\n")
