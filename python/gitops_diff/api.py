"""The Python API: load objects from anywhere, diff them, hash them."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal, TypeVar, Union

from gitops_diff import _core
from gitops_diff._core import Report, ResourceSet, Rules

PathLike = Union[str, "os.PathLike[str]"]
#: Anything `diff` accepts as one side: a loaded set, a path (file, folder or "-" for
#: stdin), several paths, YAML/JSON bytes, or Python dicts.
Source = Union[ResourceSet, PathLike, bytes, Iterable[PathLike], Iterable[Mapping[str, Any]]]
Mode = Literal["three-way", "strict"]
Extra = Literal["managed", "all"]
Format = Literal["auto", "yaml", "json"]
T = TypeVar("T")
#: The engine's default bound on one source (docs/limits.md).
_DEFAULT_MAX_SOURCE_BYTES = 2 << 30


def load(
    source: PathLike | bytes | Iterable[PathLike],
    *,
    format: Format = "auto",
    limits: Mapping[str, int] | None = None,
) -> ResourceSet:
    """Load manifests from a file, a folder (recursively), several of them, "-" (stdin)
    or YAML/JSON bytes. Multi-document YAML and `kind: List` are split into objects.

    limits: input bounds to change from their defaults, by name: max_depth,
        max_alias_nodes, max_alias_bytes, max_source_bytes, max_total_bytes
        (docs/limits.md).
    """
    bounds = None if limits is None else dict(limits)
    if isinstance(source, (bytes, bytearray, memoryview)):
        return _core.load_bytes(bytes(source), format=format, limits=bounds)
    if isinstance(source, (str, os.PathLike)):
        if os.fspath(source) == "-":
            # Never more than one byte past the size limit: the engine then refuses it.
            cap = (bounds or {}).get("max_source_bytes", _DEFAULT_MAX_SOURCE_BYTES)
            data = sys.stdin.buffer.read(cap + 1)
            return _core.load_bytes(data, source="<stdin>", format=format, limits=bounds)
        return _core.load_paths([os.fspath(source)], limits=bounds)
    paths = [os.fspath(p) for p in source]
    if "-" in paths:
        raise _core.InvalidOptionError('"-" (stdin) cannot be combined with other paths')
    return _core.load_paths(paths, limits=bounds)


def from_objects(objects: Iterable[Mapping[str, Any]]) -> ResourceSet:
    """Wrap Python dicts (as json.load or yaml.safe_load return them), converted once."""
    return _core.from_objects(objects)


def _as_set(source: Source) -> ResourceSet:
    if isinstance(source, ResourceSet):
        return source
    if isinstance(source, (str, os.PathLike, bytes, bytearray, memoryview)):
        return load(source)
    items = list(source)
    if all(isinstance(item, Mapping) for item in items):
        return from_objects(items)  # type: ignore[arg-type]
    return load(items)  # type: ignore[arg-type]


def _loaded_by_engine(source: Source) -> bool:
    """Whether `_as_set` hands this source to the engine's loaders (GIL released)."""
    return isinstance(source, (str, os.PathLike, bytes, bytearray, memoryview))


def concurrently(first: Callable[[], T], second: Callable[[], T]) -> tuple[T, T]:
    """Runs two loads at once: the engine releases the GIL while it loads, so the serial
    steps of one (reading and splitting a large kubectl List) overlap the parallel
    parsing of the other. Errors surface in argument order, as they would from one
    load after the other."""
    outcome: list[T] = []
    failure: list[BaseException] = []

    def run_second() -> None:
        try:
            outcome.append(second())
        except BaseException as error:  # re-raised in the caller's thread below
            failure.append(error)

    # A bare thread: concurrent.futures would add 12 ms of imports to every command run.
    thread = threading.Thread(target=run_second, name="gitops-diff-load", daemon=True)
    thread.start()
    try:
        done = first()
    finally:
        thread.join()
    if failure:
        raise failure[0]
    return done, outcome[0]


def load_rules(path: PathLike) -> Rules:
    """Read and validate a rules file (docs/rules.md); errors name the file and line."""
    return _core.load_rules(os.fspath(path))


def diff(
    desired: Source,
    live: Source,
    *,
    mode: Mode = "three-way",
    previous: Source | None = None,
    default_namespace: str = "default",
    extra: Extra = "managed",
    rules: Rules | PathLike | None = None,
    ignore: Iterable[str] = (),
    ignore_managers: Iterable[str] = (),
    removal_managers: Iterable[str] = (),
    presets: Mapping[str, bool] | None = None,
    normalizers: Mapping[str, bool] | None = None,
    managed_selector: str | None = None,
    show_secrets: bool = False,
    mask_salt: int | None = None,
) -> Report:
    """Compare the desired state (Git) with the live state (the cluster).

    mode: "three-way" compares what desired sets (a live-only field is drift only if
        the previous desired state set it); "strict" compares everything.
    previous: an earlier desired state; without it, fields owned by
        `removal_managers` in managedFields, else each live object's
        last-applied-configuration annotation, serve.
    extra: which live-only objects are reported: "managed" (tracked by a GitOps tool,
        kubectl apply, or matching `managed_selector`) or "all".
    rules: a rules file (path or `load_rules` result); the other rule arguments add to it.
    ignore: paths to ignore, as "POINTER" or "SELECTOR:POINTER", e.g.
        "kind=Deployment,name=web-*:/spec/replicas" (docs/rules.md).
    ignore_managers: field managers whose fields are ignored (globs).
    removal_managers: field managers whose fields count as previously applied.
    presets / normalizers: switch built-in presets and normalizers by name.
    show_secrets: show Secret values unmasked (local use only; never in CI logs).
    mask_salt: fixed salt for secret masks, for reproducible output.
    """
    rule_set = rules if isinstance(rules, Rules) or rules is None else load_rules(rules)
    if _loaded_by_engine(desired) and _loaded_by_engine(live):
        desired_set, live_set = concurrently(lambda: _as_set(desired), lambda: _as_set(live))
    else:
        desired_set, live_set = _as_set(desired), _as_set(live)
    return _core.diff(
        desired_set,
        live_set,
        previous=None if previous is None else _as_set(previous),
        mode=mode,
        default_namespace=default_namespace,
        extra=extra,
        rules=rule_set,
        rule_args={
            "ignore": list(ignore),
            "ignore_managers": list(ignore_managers),
            "removal_managers": list(removal_managers),
            "presets": list((presets or {}).items()),
            "normalizers": list((normalizers or {}).items()),
            "managed_selector": managed_selector,
        },
        show_secrets=show_secrets,
        mask_salt=mask_salt,
    )
