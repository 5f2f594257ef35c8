#!/usr/bin/env python3
"""Generate the merge-key table of built-in Kubernetes kinds.

Reads the Kubernetes OpenAPI v3 schemas (every ``*.json`` below the schema folder, by
default ``../shared/corpus/kubernetes__kubectl/testdata/openapi/v3`` next to the
repository), walks each kind from its root schema, and writes
``rust/gitops-diff-core/src/diff/merge_keys_table.rs`` with:

* ``LIST_MAP_KEYS``: lists compared item by item by key (``x-kubernetes-list-type: map``
  with ``x-kubernetes-list-map-keys``, or the older ``x-kubernetes-patch-merge-key``);
* ``LIST_SETS``: lists of scalars whose order does not matter
  (``x-kubernetes-list-type: set``);
* ``KEY_DEFAULTS``: key fields that the API server fills in when left out.

Groups whose schemas are not in the corpus come from the supplement below: their kinds
are mapped onto the core types the corpus has, plus a few hand-written lists of their
own types. The object's top-level ``status`` is never compared and is skipped.

Usage::

    python3 tools/gen_merge_keys.py [--schemas DIR] [--check] [--verbose]

``--check`` writes nothing and exits 1 when the committed file differs from what this
script would write.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SCHEMAS = (
    REPO_ROOT.parent / "shared" / "corpus" / "kubernetes__kubectl" / "testdata" / "openapi" / "v3"
)
OUTPUT = REPO_ROOT / "rust" / "gitops-diff-core" / "src" / "diff" / "merge_keys_table.rs"

REF_PREFIX = "#/components/schemas/"
# Deepest field nesting walked below a root; the deepest real list is far shallower.
MAX_DEPTH = 64

INDENT = "    "

Json = Any

META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
POD_TEMPLATE = "io.k8s.api.core.v1.PodTemplateSpec"
PV_SPEC = "io.k8s.api.core.v1.PersistentVolumeSpec"

ADMISSION = "admissionregistration.k8s.io"
STORAGE = "storage.k8s.io"


@dataclass(frozen=True)
class Root:
    """A kind whose schema is not in the corpus, as core schemas mounted at paths."""

    group: str
    kind: str
    # (dotted path of the field, name of the corpus schema that describes it)
    mounts: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class HandList:
    """A list of a type the corpus does not describe; no keys means a set of scalars."""

    group: str
    kind: str
    path: str
    keys: tuple[str, ...]


def _metadata_only(group: str, kinds: Iterable[str]) -> tuple[Root, ...]:
    return tuple(Root(group, kind, (("metadata", META),)) for kind in kinds)


# Built-in kinds of groups missing from the corpus. Every kind has an ObjectMeta; the
# fields listed besides it are the ones whose type is a core type of the corpus.
SUPPLEMENT_ROOTS: tuple[Root, ...] = (
    # batch/v1 JobSpec.template is a core/v1 PodTemplateSpec.
    Root("batch", "Job", (("metadata", META), ("spec.template", POD_TEMPLATE))),
    # batch/v1 CronJobSpec.jobTemplate is a JobTemplateSpec (ObjectMeta and JobSpec).
    Root(
        "batch",
        "CronJob",
        (
            ("metadata", META),
            ("spec.jobTemplate.metadata", META),
            ("spec.jobTemplate.spec.template", POD_TEMPLATE),
        ),
    ),
    # storage.k8s.io/v1 VolumeAttachmentSource.inlineVolumeSpec is a PersistentVolumeSpec.
    Root(
        STORAGE,
        "VolumeAttachment",
        (("metadata", META), ("spec.source.inlineVolumeSpec", PV_SPEC)),
    ),
    *_metadata_only(
        ADMISSION,
        (
            "MutatingWebhookConfiguration",
            "ValidatingAdmissionPolicy",
            "ValidatingAdmissionPolicyBinding",
            "ValidatingWebhookConfiguration",
        ),
    ),
    *_metadata_only("apiextensions.k8s.io", ("CustomResourceDefinition",)),
    *_metadata_only("apiregistration.k8s.io", ("APIService",)),
    *_metadata_only("certificates.k8s.io", ("CertificateSigningRequest",)),
    *_metadata_only("coordination.k8s.io", ("Lease",)),
    # EndpointSlice.endpoints and .ports are listType=atomic.
    *_metadata_only("discovery.k8s.io", ("EndpointSlice",)),
    # NetworkPolicySpec.ingress/.egress/.policyTypes, IngressSpec.rules/.tls and every
    # list below them are listType=atomic.
    *_metadata_only("networking.k8s.io", ("Ingress", "IngressClass", "NetworkPolicy")),
    # RuntimeClass scheduling.tolerations is listType=atomic.
    *_metadata_only("node.k8s.io", ("RuntimeClass",)),
    *_metadata_only("policy", ("PodDisruptionBudget",)),
    # Role/ClusterRole .rules (and the lists of PolicyRule), RoleBinding/ClusterRoleBinding
    # .subjects and aggregationRule.clusterRoleSelectors are listType=atomic.
    *_metadata_only(
        "rbac.authorization.k8s.io", ("ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding")
    ),
    *_metadata_only("scheduling.k8s.io", ("PriorityClass",)),
    # StorageClass.mountOptions/.allowedTopologies and CSIDriverSpec.tokenRequests are
    # listType=atomic.
    *_metadata_only(STORAGE, ("CSIDriver", "CSINode", "StorageClass")),
)

# Lists of the supplement groups' own types (every other list of theirs is atomic).
SUPPLEMENT_LISTS: tuple[HandList, ...] = (
    # admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration.webhooks and
    # MutatingWebhookConfiguration.webhooks: listType=map, listMapKey=name.
    HandList(ADMISSION, "MutatingWebhookConfiguration", "webhooks", ("name",)),
    HandList(ADMISSION, "ValidatingWebhookConfiguration", "webhooks", ("name",)),
    # admissionregistration.k8s.io/v1 MutatingWebhook.matchConditions and
    # ValidatingWebhook.matchConditions: listType=map, listMapKey=name.
    HandList(ADMISSION, "MutatingWebhookConfiguration", "webhooks.matchConditions", ("name",)),
    HandList(ADMISSION, "ValidatingWebhookConfiguration", "webhooks.matchConditions", ("name",)),
    # admissionregistration.k8s.io/v1 ValidatingAdmissionPolicySpec.matchConditions and
    # .variables: listType=map, listMapKey=name.
    HandList(ADMISSION, "ValidatingAdmissionPolicy", "spec.matchConditions", ("name",)),
    HandList(ADMISSION, "ValidatingAdmissionPolicy", "spec.variables", ("name",)),
    # admissionregistration.k8s.io/v1 ValidatingAdmissionPolicyBindingSpec.validationActions:
    # listType=set.
    HandList(ADMISSION, "ValidatingAdmissionPolicyBinding", "spec.validationActions", ()),
    # batch/v1 PodFailurePolicyOnExitCodesRequirement.values: listType=set (the rules list
    # around it is atomic).
    HandList("batch", "Job", "spec.podFailurePolicy.rules.onExitCodes.values", ()),
    HandList(
        "batch", "CronJob", "spec.jobTemplate.spec.podFailurePolicy.rules.onExitCodes.values", ()
    ),
    # discovery.k8s.io/v1 Endpoint.addresses: listType=set (EndpointSlice.endpoints is atomic).
    HandList("discovery.k8s.io", "EndpointSlice", "endpoints.addresses", ()),
    # storage.k8s.io/v1 CSIDriverSpec.volumeLifecycleModes: listType=set.
    HandList(STORAGE, "CSIDriver", "spec.volumeLifecycleModes", ()),
    # storage.k8s.io/v1 CSINodeSpec.drivers: listType=map, listMapKey=name.
    HandList(STORAGE, "CSINode", "spec.drivers", ("name",)),
)

SUPPLEMENT_SOURCE = "supplement"


@dataclass(frozen=True)
class ListShape:
    """How one version of a schema declares one list.

    ``kind`` is ``"map"`` (``keys`` set), ``"set"`` or ``"plain"`` (atomic or undeclared).
    """

    kind: str
    keys: tuple[str, ...] = ()


PLAIN = ListShape("plain")
SET = ListShape("set")


@dataclass
class KeyFieldInfo:
    """What the item schema of a keyed list says about one of its key fields."""

    required: bool
    default: Json


@dataclass
class Observation:
    shape: ListShape
    source: str
    key_fields: dict[str, KeyFieldInfo] = field(default_factory=dict)


Identity = tuple[str, str, str]


class Warnings:
    def __init__(self) -> None:
        self.seen: set[str] = set()

    def __call__(self, message: str) -> None:
        if message not in self.seen:
            self.seen.add(message)
            print(f"warning: {message}", file=sys.stderr)


class SchemaWalker:
    """Finds every list below a schema, following ``$ref`` and ``allOf``."""

    def __init__(self, schemas: dict[str, Json], source: str, warn: Warnings) -> None:
        self.schemas = schemas
        self.source = source
        self.warn = warn

    def lists(self, root: Json, prefix: tuple[str, ...]) -> dict[tuple[str, ...], Observation]:
        found: dict[tuple[str, ...], Observation] = {}
        self._walk(root, prefix, frozenset(), 0, found)
        return found

    def _parts(
        self, node: Json, on_path: frozenset[str], entered: set[str], parts: list[dict[str, Json]]
    ) -> None:
        """The node and the schemas it includes, in order; ``entered`` gets their names."""
        if not isinstance(node, dict):
            return
        parts.append(node)
        ref = node.get("$ref")
        if isinstance(ref, str):
            if not ref.startswith(REF_PREFIX):
                self.warn(f"{self.source}: unsupported $ref {ref!r}")
            else:
                name = ref[len(REF_PREFIX) :]
                if name not in on_path and name not in entered:
                    target = self.schemas.get(name)
                    if target is None:
                        self.warn(f"{self.source}: unresolved $ref {ref!r}")
                    else:
                        entered.add(name)
                        self._parts(target, on_path, entered, parts)
        all_of = node.get("allOf")
        if isinstance(all_of, list):
            for member in all_of:
                self._parts(member, on_path, entered, parts)

    def _walk(
        self,
        node: Json,
        path: tuple[str, ...],
        on_path: frozenset[str],
        depth: int,
        found: dict[tuple[str, ...], Observation],
    ) -> None:
        if depth > MAX_DEPTH:
            self.warn(f"{self.source}: {'.'.join(path)} is deeper than {MAX_DEPTH}; cut off")
            return
        parts: list[dict[str, Json]] = []
        entered: set[str] = set()
        self._parts(node, on_path, entered, parts)
        inner = on_path | entered

        items = next((p["items"] for p in parts if "items" in p), None)
        if items is not None or any(p.get("type") == "array" for p in parts):
            shape = self._list_shape(parts, path)
            observation = Observation(shape, self.source)
            if shape.kind == "map" and items is not None:
                observation.key_fields = self._key_fields(items, inner, shape.keys)
            found.setdefault(path, observation)
            if items is not None:
                self._walk(items, path, inner, depth + 1, found)
            return

        seen_fields: set[str] = set()
        for part in parts:
            properties = part.get("properties")
            if not isinstance(properties, dict):
                continue
            for name, sub in properties.items():
                if name in seen_fields or (not path and name == "status"):
                    continue
                seen_fields.add(name)
                self._walk(sub, (*path, name), inner, depth + 1, found)

    def _list_shape(self, parts: list[dict[str, Json]], path: tuple[str, ...]) -> ListShape:
        def extension(name: str) -> Json:
            return next((p[name] for p in parts if name in p), None)

        where = f"{self.source}: {'.'.join(path)}"
        list_type = extension("x-kubernetes-list-type")
        map_keys = extension("x-kubernetes-list-map-keys")
        merge_key = extension("x-kubernetes-patch-merge-key")
        if merge_key is not None and not isinstance(merge_key, str):
            self.warn(f"{where}: ignoring non-string patch merge key {merge_key!r}")
            merge_key = None
        if list_type == "map":
            if (
                isinstance(map_keys, list)
                and map_keys
                and all(isinstance(k, str) for k in map_keys)
            ):
                if merge_key is not None and merge_key not in map_keys:
                    self.warn(
                        f"{where}: patch merge key {merge_key!r} is not among the list-map "
                        f"keys {map_keys}; using the list-map keys"
                    )
                return ListShape("map", tuple(map_keys))
            if merge_key is not None:
                self.warn(f"{where}: map list without list-map keys; using {merge_key!r}")
                return ListShape("map", (merge_key,))
            self.warn(f"{where}: map list without any key; treated as ordered")
            return PLAIN
        if list_type == "set":
            return SET
        if list_type == "atomic":
            if merge_key is not None:
                self.warn(f"{where}: atomic list with patch merge key {merge_key!r}; atomic wins")
            return PLAIN
        if list_type is not None:
            self.warn(f"{where}: unknown list type {list_type!r}")
        if merge_key is not None:
            return ListShape("map", (merge_key,))
        return PLAIN

    def _key_fields(
        self, items: Json, on_path: frozenset[str], keys: tuple[str, ...]
    ) -> dict[str, KeyFieldInfo]:
        parts: list[dict[str, Json]] = []
        self._parts(items, on_path, set(), parts)
        required: set[str] = set()
        properties: dict[str, Json] = {}
        for part in parts:
            if isinstance(part.get("required"), list):
                required.update(r for r in part["required"] if isinstance(r, str))
            if isinstance(part.get("properties"), dict):
                for name, sub in part["properties"].items():
                    properties.setdefault(name, sub)
        info: dict[str, KeyFieldInfo] = {}
        for key in keys:
            sub_parts: list[dict[str, Json]] = []
            self._parts(properties.get(key), on_path, set(), sub_parts)
            default = next((p["default"] for p in sub_parts if "default" in p), None)
            info[key] = KeyFieldInfo(key in required, default)
        return info


def is_list_kind(kind: str, schema: Json) -> bool:
    """``FooList`` wrappers hold whole objects under ``items``; they are never diffed."""
    properties = schema.get("properties") if isinstance(schema, dict) else None
    return kind.endswith("List") and isinstance(properties, dict) and "items" in properties


def schema_files(folder: Path) -> list[Path]:
    files = sorted(p for p in folder.rglob("*.json") if p.is_file())
    if not files:
        raise SystemExit(f"error: no OpenAPI v3 schemas (*.json) under {folder}")
    return files


def load_schemas(path: Path) -> dict[str, Json]:
    with path.open(encoding="utf-8") as f:
        document = json.load(f)
    schemas = document.get("components", {}).get("schemas") if isinstance(document, dict) else None
    if not isinstance(schemas, dict):
        raise SystemExit(f"error: {path} has no components.schemas")
    return schemas


def gvks(schema: Json) -> Iterator[tuple[str, str, str]]:
    entries = schema.get("x-kubernetes-group-version-kind") if isinstance(schema, dict) else None
    if not isinstance(entries, list):
        return
    for entry in entries:
        if isinstance(entry, dict):
            group, kind, version = entry.get("group"), entry.get("kind"), entry.get("version")
            if isinstance(group, str) and isinstance(kind, str) and isinstance(version, str):
                yield group, kind, version


@dataclass
class Collected:
    observations: dict[Identity, list[Observation]] = field(default_factory=dict)
    kinds: set[tuple[str, str]] = field(default_factory=set)

    def add(self, group: str, kind: str, lists: dict[tuple[str, ...], Observation]) -> None:
        self.kinds.add((group, kind))
        for path, observation in lists.items():
            identity = (group, kind, ".".join(path))
            self.observations.setdefault(identity, []).append(observation)


def collect(folder: Path, warn: Warnings) -> Collected:
    collected = Collected()
    corpus: list[tuple[str, dict[str, Json]]] = []
    for path in schema_files(folder):
        relative = path.relative_to(folder).as_posix()
        schemas = load_schemas(path)
        corpus.append((relative, schemas))
        for name in sorted(schemas):
            schema = schemas[name]
            kinds = [gvk for gvk in gvks(schema) if not is_list_kind(gvk[1], schema)]
            if not kinds:
                continue
            walked: dict[str, dict[tuple[str, ...], Observation]] = {}
            for group, kind, version in kinds:
                source = f"{group or 'core'}/{version} {kind} in {relative}"
                if source not in walked:
                    walker = SchemaWalker(schemas, source, warn)
                    walked[source] = walker.lists(schema, ())
                collected.add(group, kind, walked[source])

    for root in SUPPLEMENT_ROOTS:
        if (root.group, root.kind) in collected.kinds:
            warn(f"supplement root {root.group}/{root.kind} is also in the schemas; check it")
        collected.kinds.add((root.group, root.kind))
        for mount, schema_name in root.mounts:
            prefix = tuple(mount.split("."))
            holders = [(rel, schemas) for rel, schemas in corpus if schema_name in schemas]
            if not holders:
                raise SystemExit(f"error: no schema file defines {schema_name}")
            for relative, schemas in holders:
                source = f"{SUPPLEMENT_SOURCE} {root.group}/{root.kind} {schema_name} in {relative}"
                walker = SchemaWalker(schemas, source, warn)
                lists = walker.lists({"$ref": REF_PREFIX + schema_name}, prefix)
                collected.add(root.group, root.kind, lists)

    for hand in SUPPLEMENT_LISTS:
        identity = (hand.group, hand.kind, hand.path)
        if identity in collected.observations:
            warn(f"hand-written list {identity} is also found in the schemas")
        shape = ListShape("map", hand.keys) if hand.keys else SET
        collected.observations.setdefault(identity, []).append(
            Observation(shape, f"{SUPPLEMENT_SOURCE} (hand-written)")
        )
    return collected


@dataclass
class Table:
    map_keys: list[tuple[str, str, str, tuple[str, ...]]]
    sets: list[Identity]
    key_defaults: list[tuple[str, str]]
    notes: list[str]


def ordered_union(key_lists: Iterable[tuple[str, ...]]) -> tuple[str, ...]:
    union: list[str] = []
    for keys in key_lists:
        union.extend(k for k in keys if k not in union)
    return tuple(union)


def describe(shape: ListShape) -> str:
    return f"map{list(shape.keys)}" if shape.kind == "map" else shape.kind


def resolve(collected: Collected, warn: Warnings) -> Table:
    map_keys: list[tuple[str, str, str, tuple[str, ...]]] = []
    sets: list[Identity] = []
    defaults: dict[str, tuple[str, Identity]] = {}
    notes: list[str] = []
    for identity in sorted(collected.observations):
        observations = collected.observations[identity]
        shapes = {o.shape for o in observations}
        if len(shapes) > 1:
            versions = "; ".join(f"{o.source}: {describe(o.shape)}" for o in observations)
            warn(f"versions disagree on {identity}: {versions}; keeping the union")
        maps = [o for o in observations if o.shape.kind == "map"]
        if maps:
            keys = ordered_union(o.shape.keys for o in maps)
            map_keys.append((*identity, keys))
            for observation in maps:
                for name, info in observation.key_fields.items():
                    default = info.default
                    if not info.required and isinstance(default, str) and default:
                        previous = defaults.get(name)
                        if previous is not None and previous[0] != default:
                            raise SystemExit(
                                f"error: key field {name!r} defaults to {previous[0]!r} at "
                                f"{previous[1]} but to {default!r} at {identity}"
                            )
                        defaults.setdefault(name, (default, identity))
                    elif not info.required and default is None:
                        notes.append(f"optional key field without default: {identity} {name}")
        elif any(o.shape.kind == "set" for o in observations):
            sets.append(identity)
    return Table(
        map_keys=map_keys,
        sets=sets,
        key_defaults=sorted((name, value) for name, (value, _) in defaults.items()),
        notes=sorted(set(notes)),
    )


def rust_str(value: str) -> str:
    if any(ord(c) < 0x20 or c == "\x7f" for c in value):
        raise SystemExit(f"error: control character in {value!r}")
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass(frozen=True)
class Layout:
    """The rustfmt widths that decide how the tables are laid out."""

    max_width: int = 100
    # A tuple literal stays on one line while its items take at most this many columns.
    fn_call_width: int = 60
    # An array literal stays on one line while its items take at most this many columns.
    array_width: int = 60

    @classmethod
    def for_file(cls, output: Path) -> Layout:
        """The layout rustfmt uses for ``output``: the nearest rustfmt.toml wins."""
        config: dict[str, str] = {}
        for folder in output.resolve().parents:
            found = [folder / n for n in ("rustfmt.toml", ".rustfmt.toml")]
            path = next((p for p in found if p.is_file()), None)
            if path is not None:
                config = read_toml_scalars(path)
                break
            if folder == REPO_ROOT:
                break
        max_width = int(config.get("max_width", "100"))
        heuristics = config.get("use_small_heuristics", "Default").lower()
        # "Default" scales the widths to max_width; "Max" and "Off" leave max_width alone.
        scaled = max_width * 60 // 100 if heuristics == "default" else max_width
        return cls(
            max_width=max_width,
            fn_call_width=int(config.get("fn_call_width", str(scaled))),
            array_width=int(config.get("array_width", str(scaled))),
        )


def read_toml_scalars(path: Path) -> dict[str, str]:
    """The top-level ``key = value`` pairs of a flat TOML file, quotes removed."""
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("["):
            break
        key, sep, value = line.partition("=")
        if sep:
            values[key.strip()] = value.strip().strip("\"'")
    return values


def rust_str_array(values: Iterable[str], layout: Layout) -> str:
    text = "&[" + ", ".join(rust_str(v) for v in values) + "]"
    if len(text) - 3 > layout.array_width:
        raise SystemExit(f"error: key list {text} is too wide for the one-line layout")
    return text


def format_tuple(items: list[str], indent: str, layout: Layout) -> list[str]:
    """One tuple literal as rustfmt lays it out, followed by a comma."""
    one_line = "(" + ", ".join(items) + ")"
    width = len(indent) + len(one_line) + 1
    if len(one_line) - 2 <= layout.fn_call_width and width <= layout.max_width:
        return [f"{indent}{one_line},"]
    inner = indent + INDENT
    # An item too wide for any line (a long path) stays on its own line: rustfmt then
    # leaves the whole array as it is.
    return [f"{indent}(", *(f"{inner}{item}," for item in items), f"{indent}),"]


def format_static(doc: str, declaration: str, rows: list[list[str]], layout: Layout) -> list[str]:
    """``/// doc`` and ``declaration = &[rows];`` as rustfmt lays them out."""
    lines = [f"/// {doc}"]
    tuples = ["(" + ", ".join(row) + ")" for row in rows]
    one_line = "[" + ", ".join(tuples) + "]"
    if len(rows) == 1:
        # A lone item may take the whole line; only the tuple's own width limit applies.
        fits = len(tuples[0]) - 2 <= layout.fn_call_width
    else:
        fits = len(one_line) - 2 <= layout.array_width
    if fits:
        if len(f"{declaration} = &{one_line};") <= layout.max_width:
            return [*lines, f"{declaration} = &{one_line};"]
        if len(f"{INDENT}&{one_line};") <= layout.max_width:
            return [*lines, f"{declaration} =", f"{INDENT}&{one_line};"]
    if len(rows) == 1:
        # A lone tuple too wide for one line opens on the declaration's line.
        return [
            *lines,
            f"{declaration} = &[(",
            *(f"{INDENT}{item}," for item in rows[0]),
            ")];",
        ]
    lines.append(f"{declaration} = &[")
    for row in rows:
        lines.extend(format_tuple(row, INDENT, layout))
    lines.append("];")
    return lines


HEADER = """\
// generated by tools/gen_merge_keys.py; do not edit
//! Keyed lists and scalar sets of the built-in Kubernetes kinds, from the Kubernetes
//! OpenAPI v3 schemas plus a hand-curated supplement for groups they do not cover.
//! Paths are dotted object field names from the root, list positions left out; the
//! top-level `status` is left out.
"""

TESTS = """\
#[cfg(test)]
mod tests {
    use super::*;

    fn id<'a>(e: &(&'a str, &'a str, &'a str, &[&str])) -> [&'a str; 3] {
        [e.0, e.1, e.2]
    }

    #[test]
    fn tables_are_sorted_and_unique() {
        assert!(LIST_MAP_KEYS.windows(2).all(|w| id(&w[0]) < id(&w[1])));
        assert!(LIST_SETS.windows(2).all(|w| w[0] < w[1]));
        assert!(KEY_DEFAULTS.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(LIST_MAP_KEYS.iter().all(|e| !e.3.is_empty()));
    }
}
"""


def render(table: Table, layout: Layout) -> str:
    lines = HEADER.splitlines()
    lines.append("")
    lines.extend(
        format_static(
            '(group, kind, dotted field path, key fields) for keyed lists ("map" lists).',
            "pub(super) static LIST_MAP_KEYS: &[(&str, &str, &str, &[&str])]",
            [
                [rust_str(group), rust_str(kind), rust_str(path), rust_str_array(keys, layout)]
                for group, kind, path, keys in table.map_keys
            ],
            layout,
        )
    )
    lines.append("")
    lines.extend(
        format_static(
            "(group, kind, dotted field path) for lists that are sets of scalars.",
            "pub(super) static LIST_SETS: &[(&str, &str, &str)]",
            [[rust_str(group), rust_str(kind), rust_str(path)] for group, kind, path in table.sets],
            layout,
        )
    )
    lines.append("")
    lines.extend(
        format_static(
            "(key field, default) for key fields the API server fills in when they are left out.",
            "pub(super) static KEY_DEFAULTS: &[(&str, &str)]",
            [[rust_str(name), rust_str(value)] for name, value in table.key_defaults],
            layout,
        )
    )
    lines.append("")
    return "\n".join(lines) + "\n" + TESTS


def summary(table: Table) -> list[str]:
    counts: dict[str, list[int]] = {}
    for group, _, _, _ in table.map_keys:
        counts.setdefault(group or "core", [0, 0])[0] += 1
    for group, _, _ in table.sets:
        counts.setdefault(group or "core", [0, 0])[1] += 1
    lines = [f"{g}: {m} keyed, {s} sets" for g, (m, s) in sorted(counts.items())]
    lines.append(f"total: {len(table.map_keys)} keyed, {len(table.sets)} sets")
    lines.append(f"key defaults: {table.key_defaults}")
    lines.extend(table.notes)
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--schemas",
        type=Path,
        default=DEFAULT_SCHEMAS,
        help="folder of Kubernetes OpenAPI v3 schemas (default: %(default)s)",
    )
    parser.add_argument("--output", type=Path, default=OUTPUT, help="default: %(default)s")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if the output file is not up to date"
    )
    parser.add_argument("--verbose", action="store_true", help="print counts and notes")
    args = parser.parse_args(argv)

    if not args.schemas.is_dir():
        print(f"error: schema folder {args.schemas} not found", file=sys.stderr)
        return 2
    warn = Warnings()
    table = resolve(collect(args.schemas, warn), warn)
    output: Path = args.output
    text = render(table, Layout.for_file(output))
    if args.verbose:
        for line in summary(table):
            print(line, file=sys.stderr)

    if args.check:
        current = output.read_text(encoding="utf-8") if output.is_file() else None
        if current != text:
            print(f"{output} is out of date: run tools/gen_merge_keys.py", file=sys.stderr)
            return 1
        return 0
    output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
