"""What the benchmark gives every contender alike: the corpus parsed by the fastest
parsers Python has (PyYAML's C loader, orjson), desired and live objects paired by
identity, and the Python peers called on those pairs.

Identity is the engine's: API group (from apiVersion), kind, namespace, name; a
namespaced object without a namespace is in "default". The peers compare the parsed
dicts as they are (no normalization): that is their speed, and their precision shows
what it costs.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

Obj = dict[str, Any]
Identity = tuple[str, str, Optional[str], str]
Differ = Callable[[Obj, Obj], object]

# Cluster-scoped kinds of the built-in API groups (the ones a corpus may hold).
CLUSTER_SCOPED = frozenset(
    {
        ("", "Namespace"),
        ("", "Node"),
        ("", "PersistentVolume"),
        ("", "ComponentStatus"),
        ("rbac.authorization.k8s.io", "ClusterRole"),
        ("rbac.authorization.k8s.io", "ClusterRoleBinding"),
        ("apiextensions.k8s.io", "CustomResourceDefinition"),
        ("admissionregistration.k8s.io", "MutatingWebhookConfiguration"),
        ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"),
        ("apiregistration.k8s.io", "APIService"),
        ("networking.k8s.io", "IngressClass"),
        ("node.k8s.io", "RuntimeClass"),
        ("scheduling.k8s.io", "PriorityClass"),
        ("storage.k8s.io", "StorageClass"),
        ("storage.k8s.io", "CSIDriver"),
        ("storage.k8s.io", "VolumeAttachment"),
    }
)

PEER_NAMES = ("deepdiff", "dictdiffer", "jsondiff", "jsonpatch")
PEER_CALLS = {
    "deepdiff": "deepdiff.DeepDiff(live, desired)",
    "dictdiffer": "list(dictdiffer.diff(live, desired))",
    "jsondiff": "jsondiff.diff(live, desired)",
    "jsonpatch": "jsonpatch.make_patch(live, desired)",
}


def desired_files(folder: Path) -> list[Path]:
    """The YAML files of a desired tree, as the engine reads a folder (hidden entries skipped)."""
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(
            Path(root, f)
            for f in sorted(files)
            if not f.startswith(".") and f.endswith((".yaml", ".yml"))
        )
    return found


def parse_desired(files: list[Path]) -> list[Obj]:
    """Every document of every file, with PyYAML's C loader."""
    import yaml

    objects: list[Obj] = []
    for path in files:
        with path.open("rb") as f:
            objects.extend(
                d for d in yaml.load_all(f, Loader=yaml.CSafeLoader) if isinstance(d, dict)
            )
    return objects


def parse_live(path: Path) -> list[Obj]:
    """The items of a `kubectl get -A -o json` dump, with orjson."""
    import orjson

    items: list[Obj] = orjson.loads(path.read_bytes())["items"]
    return items


def identity(obj: Obj) -> Identity:
    api_version: str = obj.get("apiVersion", "")
    group = api_version.rsplit("/", 1)[0] if "/" in api_version else ""
    kind: str = obj.get("kind", "")
    meta: Obj = obj.get("metadata") or {}
    namespace: str | None = None
    if (group, kind) not in CLUSTER_SCOPED:
        namespace = meta.get("namespace") or "default"
    return (group, kind, namespace, meta.get("name", ""))


@dataclass
class Pairing:
    #: (identity, desired, live) for objects on both sides, sorted by identity.
    pairs: list[tuple[Identity, Obj, Obj]]
    #: Desired only: "missing" for every contender alike.
    desired_only: list[Identity]
    #: Live only (managed or not).
    live_only: list[Identity]


def _sort_key(i: Identity) -> tuple[str, str, str, str]:
    return (i[0], i[1], i[2] or "", i[3])


def pair(desired: list[Obj], live: list[Obj]) -> Pairing:
    live_by_id = {identity(obj): obj for obj in live}
    pairs: list[tuple[Identity, Obj, Obj]] = []
    desired_only: list[Identity] = []
    seen: set[Identity] = set()
    for obj in desired:
        ident = identity(obj)
        seen.add(ident)
        other = live_by_id.get(ident)
        if other is None:
            desired_only.append(ident)
        else:
            pairs.append((ident, obj, other))
    pairs.sort(key=lambda p: _sort_key(p[0]))
    live_only = sorted((i for i in live_by_id if i not in seen), key=_sort_key)
    return Pairing(pairs, sorted(desired_only, key=_sort_key), live_only)


def sample(items: list[Any], limit: int | None) -> list[Any]:
    """At most `limit` items spread evenly over the list (every k-th), in order."""
    if limit is None or len(items) <= limit:
        return items
    step = len(items) / limit
    return [items[int(i * step)] for i in range(limit)]


def differ(name: str) -> Differ:
    """The peer's call, from live to desired; the result is empty when equal."""
    if name == "deepdiff":
        from deepdiff import DeepDiff

        return lambda live, desired: DeepDiff(live, desired)
    if name == "dictdiffer":
        import dictdiffer

        return lambda live, desired: list(dictdiffer.diff(live, desired))
    if name == "jsondiff":
        import jsondiff

        return lambda live, desired: jsondiff.diff(live, desired)
    if name == "jsonpatch":
        import jsonpatch

        return lambda live, desired: jsonpatch.make_patch(live, desired).patch
    raise ValueError(f"unknown peer {name!r}; known: {', '.join(PEER_NAMES)}")


def differing(call: Differ, pairs: list[tuple[Identity, Obj, Obj]]) -> Iterator[Identity]:
    """Identities of the pairs the differ finds a difference in."""
    for ident, desired, live in pairs:
        if call(live, desired):
            yield ident


def version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version(dist)
    except PackageNotFoundError:
        return "not installed"
