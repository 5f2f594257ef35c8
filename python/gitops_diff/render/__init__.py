"""Renderers: a report in each output format. Work is proportional to the drift.

Every format masks Secret values as the report does (the masks come from the engine);
`unified` also needs the whole objects, which `Inputs` normalizes (and masks) on
demand with the same salt as the report.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO, Any, Callable

from gitops_diff import _core
from gitops_diff._core import ObjectDiff, Report, ResourceSet

#: Every output format, in the order the help lists them.
FORMATS = (
    "text",
    "unified",
    "json",
    "patch",
    "merge-patch",
    "markdown",
    "junit",
    "gitlab-terraform",
    "codequality",
)
#: Code Quality severities, least to most severe.
SEVERITIES = ("info", "minor", "major", "critical", "blocker")


class Inputs:
    """The two sides of a diff, normalized as the diff sees them, looked up by identity
    (`ObjectDiff.identity`, unique on each side; sources are not: objects of a one-line
    JSON list share a line). Secret values are masked with the report's salt, so masks
    agree across formats."""

    def __init__(
        self,
        desired: ResourceSet,
        live: ResourceSet,
        *,
        default_namespace: str = "default",
        show_secrets: bool = False,
        mask_salt: int | None = None,
    ) -> None:
        self._sets = {"desired": desired, "live": live}
        self._options: dict[str, Any] = {
            "default_namespace": default_namespace,
            "show_secrets": show_secrets,
            "mask_salt": mask_salt,
        }
        self._by_identity: dict[str, dict[str, tuple[str, dict[str, Any]]]] = {}

    def objects(self, side: str) -> Mapping[str, tuple[str, dict[str, Any]]]:
        """`{identity: (source, normalized object)}` of one side ("desired" or "live")."""
        if side not in self._by_identity:
            rows, _ = _core.normalize_set(self._sets[side], **self._options)
            self._by_identity[side] = {identity: (source, obj) for identity, source, _, obj in rows}
        return self._by_identity[side]

    def get(self, side: str, identity: str) -> dict[str, Any] | None:
        found = self.objects(side).get(identity)
        return None if found is None else found[1]


@dataclass
class Context:
    """What a renderer may need besides the report."""

    color: bool = False
    #: Lines of context around each change in unified diffs.
    context_lines: int = 3
    #: Code Quality severity of every finding.
    severity: str = "major"
    #: Markdown: objects shown in detail; the rest are counted.
    max_objects: int = 50
    #: The inputs, for formats that show whole objects (unified, junit's passing cases).
    inputs: Inputs | None = None


Renderer = Callable[[Report, IO[str], Context], None]


def _renderers() -> dict[str, Renderer]:
    from gitops_diff.render import gitlab, junit, markdown, patches, text, unified

    def render_text(report: Report, out: IO[str], ctx: Context) -> None:
        text.render(report, out, color=ctx.color)

    def render_json(report: Report, out: IO[str], ctx: Context) -> None:
        out.write(report.to_json(pretty=True) + "\n")

    return {
        "text": render_text,
        "unified": unified.render,
        "json": render_json,
        "patch": patches.render_json_patch,
        "merge-patch": patches.render_merge_patch,
        "markdown": markdown.render,
        "junit": junit.render,
        "gitlab-terraform": gitlab.render_terraform,
        "codequality": gitlab.render_codequality,
    }


def render(report: Report, fmt: str, out: IO[str], ctx: Context | None = None) -> None:
    """Writes `report` to `out` in format `fmt` (one of FORMATS)."""
    renderers = _renderers()
    if fmt not in renderers:
        raise _core.InvalidOptionError(
            f"unknown format {fmt!r}: expected one of {', '.join(FORMATS)}"
        )
    renderers[fmt](report, out, ctx or Context())


def render_to_string(report: Report, fmt: str, ctx: Context | None = None) -> str:
    out = io.StringIO()
    render(report, fmt, out, ctx)
    return out.getvalue()


def identity_parts(obj: ObjectDiff) -> tuple[str, str]:
    """`("apps/Deployment", "shop/web")`: the kind part and the name part of an identity."""
    kind = f"{obj.group}/{obj.kind}" if obj.group else obj.kind
    name = f"{obj.namespace}/{obj.name}" if obj.namespace else obj.name
    return kind, name


def split_source(source: str | None) -> tuple[str, int]:
    """`"apps/web.yaml:12"` -> `("apps/web.yaml", 12)`; a source without a line (an item
    of a JSON list, `"live.json (object #3)"`) -> `("live.json", 1)`."""
    if not source:
        return "", 1
    if source.endswith(")") and " (object #" in source:
        return source[: source.rindex(" (object #")], 1
    path, sep, line = source.rpartition(":")
    if sep and line.isdigit():
        return path, max(int(line), 1)
    return source, 1
