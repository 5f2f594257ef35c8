"""Invariants of the diff and the hash on generated, Kubernetes-shaped objects."""

from __future__ import annotations

import copy
import random
from collections.abc import Iterator
from typing import Any, Union

from hypothesis import given
from hypothesis import strategies as st

import gitops_diff
from gitops_diff import _core

MODES = ("three-way", "strict")

# --- strategies --------------------------------------------------------------------------

dns_names = st.from_regex(r"[a-z]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)
env_names = st.from_regex(r"[A-Z][A-Z0-9_]{0,12}", fullmatch=True)
namespaces = st.sampled_from(["default", "shop", "payments", "monitoring"])
label_keys = st.one_of(
    st.sampled_from(
        ["app.kubernetes.io/name", "app.kubernetes.io/part-of", "tier", "team", "example.com/owner"]
    ),
    dns_names,
)
label_maps = st.dictionaries(label_keys, dns_names, min_size=1, max_size=4)
annotation_maps = st.dictionaries(
    st.sampled_from(["example.com/notes", "prometheus.io/scrape", "team.example.com/on-call"]),
    st.text(st.characters(codec="utf-8"), max_size=20),
    max_size=2,
)
quantities_cpu = st.sampled_from(["100m", "250m", "500m", "1", "2"])
quantities_memory = st.sampled_from(["64Mi", "128Mi", "256Mi", "1Gi"])
resources = st.fixed_dictionaries(
    {},
    optional={
        "requests": st.fixed_dictionaries({"cpu": quantities_cpu, "memory": quantities_memory}),
        "limits": st.fixed_dictionaries({"cpu": quantities_cpu, "memory": quantities_memory}),
    },
)
env_vars = st.lists(
    st.fixed_dictionaries({"name": env_names, "value": st.text(max_size=12)}),
    unique_by=lambda e: e["name"],
    max_size=5,
)
container_ports = st.lists(
    st.fixed_dictionaries(
        {"containerPort": st.integers(min_value=1, max_value=65535)},
        optional={"name": dns_names, "protocol": st.sampled_from(["TCP", "UDP"])},
    ),
    unique_by=lambda p: (p["containerPort"], p.get("protocol", "TCP")),
    max_size=4,
)
volume_mounts = st.lists(
    st.fixed_dictionaries(
        {
            "name": dns_names,
            "mountPath": st.from_regex(r"/[a-z]{1,8}(/[a-z]{1,8}){0,2}", fullmatch=True),
        },
        optional={"readOnly": st.booleans()},
    ),
    unique_by=lambda m: m["mountPath"],
    max_size=3,
)
containers = st.lists(
    st.fixed_dictionaries(
        {
            "name": dns_names,
            "image": st.builds(
                lambda repo, tag: f"registry.example.com/{repo}:{tag}",
                dns_names,
                st.from_regex(r"[0-9]\.[0-9]{1,2}\.[0-9]{1,2}", fullmatch=True),
            ),
        },
        optional={
            "imagePullPolicy": st.sampled_from(["IfNotPresent", "Always"]),
            "args": st.lists(
                st.from_regex(r"--[a-z-]{1,10}(=[a-z0-9]{1,5})?", fullmatch=True), max_size=3
            ),
            "env": env_vars,
            "ports": container_ports,
            "resources": resources,
            "volumeMounts": volume_mounts,
            "readinessProbe": st.fixed_dictionaries(
                {
                    "httpGet": st.fixed_dictionaries(
                        {
                            "path": st.sampled_from(["/healthz", "/ready"]),
                            "port": st.integers(1, 65535),
                        }
                    ),
                    "periodSeconds": st.integers(min_value=1, max_value=60),
                }
            ),
        },
    ),
    unique_by=lambda c: str(c["name"]),
    min_size=1,
    max_size=3,
)
volumes = st.lists(
    st.one_of(
        st.fixed_dictionaries(
            {"name": dns_names, "configMap": st.fixed_dictionaries({"name": dns_names})}
        ),
        st.fixed_dictionaries(
            {"name": dns_names, "secret": st.fixed_dictionaries({"secretName": dns_names})}
        ),
    ),
    unique_by=lambda v: str(v["name"]),
    max_size=3,
)


@st.composite
def deployments(draw: st.DrawFn) -> dict[str, Any]:
    pod_labels = draw(label_maps)
    pod_spec: dict[str, Any] = {"containers": draw(containers)}
    pod_spec.update(
        draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "volumes": volumes,
                    "serviceAccountName": dns_names,
                    "terminationGracePeriodSeconds": st.integers(min_value=0, max_value=600),
                    "automountServiceAccountToken": st.booleans(),
                },
            )
        )
    )
    metadata: dict[str, Any] = {"name": draw(dns_names), "namespace": draw(namespaces)}
    metadata.update(
        draw(
            st.fixed_dictionaries(
                {}, optional={"labels": label_maps, "annotations": annotation_maps}
            )
        )
    )
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": metadata,
        "spec": {
            "replicas": draw(st.integers(min_value=0, max_value=50)),
            "selector": {"matchLabels": dict(pod_labels)},
            "template": {"metadata": {"labels": dict(pod_labels)}, "spec": pod_spec},
        },
    }


@st.composite
def configmaps(draw: st.DrawFn) -> dict[str, Any]:
    keys = st.from_regex(r"[A-Za-z0-9_.-]{1,16}", fullmatch=True)
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": draw(dns_names), "namespace": draw(namespaces)},
        "data": draw(st.dictionaries(keys, st.text(max_size=30), min_size=1, max_size=6)),
    }


kube_objects = st.one_of(deployments(), configmaps())


# --- helpers -----------------------------------------------------------------------------


def diff_one(desired: dict[str, Any], live: dict[str, Any], mode: str) -> gitops_diff.Report:
    return gitops_diff.diff([desired], [live], mode=mode)  # type: ignore[arg-type]


def shuffle_keys(value: Any, rng: random.Random) -> Any:
    """The same value with every map's keys in a random insertion order."""
    if isinstance(value, dict):
        keys = list(value)
        rng.shuffle(keys)
        return {k: shuffle_keys(value[k], rng) for k in keys}
    if isinstance(value, list):
        return [shuffle_keys(v, rng) for v in value]
    return value


# Lists merged by key, as field name -> key fields (all Deployment `ports` are container ports).
KEYED_LISTS = {
    "containers": ("name",),
    "env": ("name",),
    "ports": ("containerPort", "protocol"),
    "volumes": ("name",),
    "volumeMounts": ("mountPath",),
}


def shuffle_keyed_lists(value: Any, rng: random.Random, field: str = "") -> Any:
    """The same value with the items of every keyed list in a random order."""
    if isinstance(value, dict):
        return {k: shuffle_keyed_lists(v, rng, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [shuffle_keyed_lists(v, rng) for v in value]
        if field in KEYED_LISTS:
            rng.shuffle(items)
        return items
    return value


Token = Union[str, int]
Leaf = tuple[tuple[Token, ...], Any]


def leaves(
    value: Any, path: tuple[Token, ...] = (), field: str = "", item_of: str = ""
) -> Iterator[Leaf]:
    """Every scalar with its path, except identity fields and merge-key fields (changing
    those changes which object or list item it is, not a value)."""
    if isinstance(value, dict):
        for key, child in value.items():
            if key not in KEYED_LISTS.get(item_of, ()):
                yield from leaves(child, (*path, key), key)
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from leaves(child, (*path, i), field, item_of=field)
    elif path not in {("apiVersion",), ("kind",), ("metadata", "name"), ("metadata", "namespace")}:
        yield path, value


def pointer(path: tuple[Token, ...]) -> str:
    return "".join("/" + str(t).replace("~", "~0").replace("/", "~1") for t in path)


def changed(value: Any) -> Any:
    """A different, non-empty value of the same type."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    return f"{value}-changed"


def set_at(obj: Any, path: tuple[Token, ...], value: Any) -> None:
    *parents, last = path
    for token in parents:
        obj = obj[token]
    obj[last] = value


def get_at(obj: Any, path_pointer: str) -> Any:
    for raw in path_pointer.split("/")[1:]:
        token = raw.replace("~1", "/").replace("~0", "~")
        obj = obj[int(token)] if isinstance(obj, list) else obj[token]
    return obj


def normalized(obj: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """(hash, normalized object) as the engine sees one object."""
    [(_identity, _source, digest, value)], _ = _core.normalize_set(
        gitops_diff.from_objects([obj]), show_secrets=True
    )
    return digest, value


def same_value(a: Any, b: Any) -> bool:
    """JSON equality as the engine defines it: numbers by value, booleans apart from
    numbers, maps by keys, lists in order."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


# --- diff invariants ---------------------------------------------------------------------


@given(kube_objects)
def test_diff_of_object_with_itself_is_empty(obj: dict[str, Any]) -> None:
    for mode in MODES:
        report = diff_one(obj, copy.deepcopy(obj), mode)
        assert not report.has_drift
        assert report.objects == []
        assert report.summary["in_sync"] == 1


@given(kube_objects, st.randoms(use_true_random=False))
def test_shuffling_map_key_order_gives_no_drift(obj: dict[str, Any], rng: random.Random) -> None:
    shuffled = shuffle_keys(obj, rng)
    for mode in MODES:
        assert not diff_one(obj, shuffled, mode).has_drift
    assert gitops_diff.hash_object(obj) == gitops_diff.hash_object(shuffled)


@given(deployments(), st.randoms(use_true_random=False))
def test_reordering_keyed_lists_gives_no_drift(obj: dict[str, Any], rng: random.Random) -> None:
    reordered = shuffle_keyed_lists(obj, rng)
    for mode in MODES:
        report = diff_one(obj, reordered, mode)
        assert not report.has_drift, [(c.op, c.path) for o in report.objects for c in o.changes]


@given(deployments())
def test_reversing_a_keyed_list_gives_no_drift_but_changes_the_hash(obj: dict[str, Any]) -> None:
    containers = obj["spec"]["template"]["spec"]["containers"]
    reversed_obj = copy.deepcopy(obj)
    reversed_obj["spec"]["template"]["spec"]["containers"] = containers[::-1]
    for mode in MODES:
        assert not diff_one(obj, reversed_obj, mode).has_drift
    same_order = len(containers) == 1
    assert (gitops_diff.hash_object(obj) == gitops_diff.hash_object(reversed_obj)) == same_order


@given(kube_objects, st.data())
def test_single_changed_leaf_gives_exactly_one_change_at_its_path(
    obj: dict[str, Any], data: st.DataObject
) -> None:
    path, old = data.draw(st.sampled_from(sorted(leaves(obj), key=lambda leaf: repr(leaf[0]))))
    live = copy.deepcopy(obj)
    set_at(live, path, changed(old))
    _, norm_desired = normalized(obj)
    _, norm_live = normalized(live)
    for mode in MODES:
        report = diff_one(obj, live, mode)
        [object_diff] = report.objects
        assert object_diff.status == "modified"
        [change] = object_diff.changes
        assert change.op == "replace"
        assert change.pointer == pointer(path)
        assert same_value(change.desired, get_at(norm_desired, change.pointer))
        assert same_value(change.live, get_at(norm_live, change.pointer))
        assert not same_value(change.desired, change.live)


@given(deployments(), st.data())
def test_changed_leaf_inside_a_reordered_keyed_list_is_found_at_its_live_index(
    obj: dict[str, Any], data: st.DataObject
) -> None:
    containers = obj["spec"]["template"]["spec"]["containers"]
    index = data.draw(st.integers(min_value=0, max_value=len(containers) - 1))
    live = copy.deepcopy(obj)
    live_containers = live["spec"]["template"]["spec"]["containers"]
    live_containers.reverse()
    live_index = len(containers) - 1 - index
    live_containers[live_index]["image"] += "-hotfix"
    [change] = diff_one(obj, live, "strict").objects[0].changes
    assert change.pointer == f"/spec/template/spec/containers/{live_index}/image"
    assert change.path == f"spec.template.spec.containers[name={containers[index]['name']}].image"
    assert change.desired == containers[index]["image"]


def maps(value: Any, path: tuple[Token, ...] = ()) -> Iterator[tuple[Token, ...]]:
    """The path of every non-empty map in `value`, the root included (an empty map is
    the same as an absent one, so a key added to it adds the map)."""
    if isinstance(value, dict):
        if value:
            yield path
        for key, child in value.items():
            yield from maps(child, (*path, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from maps(child, (*path, i))


def get_path(value: Any, path: tuple[Token, ...]) -> Any:
    for token in path:
        value = value[token]
    return value


# A key no generator produces; `~` and `/` also exercise pointer escaping.
ADDED_KEY = "added~by/server"


@given(kube_objects, st.data())
def test_field_only_live_sets_is_drift_in_strict_mode_only(
    obj: dict[str, Any], data: st.DataObject
) -> None:
    where = data.draw(st.sampled_from(sorted(maps(obj), key=repr)))
    live = copy.deepcopy(obj)
    get_path(live, where)[ADDED_KEY] = "server-default"
    assert not diff_one(obj, live, "three-way").has_drift
    [change] = diff_one(obj, live, "strict").objects[0].changes
    assert change.op == "remove"
    assert change.pointer == pointer((*where, ADDED_KEY))
    assert change.live == "server-default"
    assert change.desired is None


@given(kube_objects, st.data())
def test_field_removed_from_git_but_previously_applied_is_drift_in_three_way_mode(
    obj: dict[str, Any], data: st.DataObject
) -> None:
    where = data.draw(st.sampled_from(sorted(maps(obj), key=repr)))
    applied = copy.deepcopy(obj)
    get_path(applied, where)[ADDED_KEY] = "was-in-git"
    report = gitops_diff.diff([obj], [copy.deepcopy(applied)], previous=[applied])
    [change] = report.objects[0].changes
    assert (change.op, change.pointer) == ("remove", pointer((*where, ADDED_KEY)))


@given(kube_objects, st.data())
def test_three_way_changes_are_a_subset_of_strict_changes(
    obj: dict[str, Any], data: st.DataObject
) -> None:
    live = copy.deepcopy(obj)
    for _ in range(data.draw(st.integers(min_value=0, max_value=3))):
        path, old = data.draw(st.sampled_from(sorted(leaves(live), key=lambda leaf: repr(leaf[0]))))
        set_at(live, path, changed(old))
    if data.draw(st.booleans()):
        where = data.draw(st.sampled_from(sorted(maps(live), key=repr)))
        get_path(live, where)[ADDED_KEY] = "server-default"

    def changes(mode: str) -> set[tuple[str, str]]:
        return {(c.op, c.pointer) for o in diff_one(obj, live, mode).objects for c in o.changes}

    assert changes("three-way") <= changes("strict")


@given(deployments(), st.data())
def test_equivalent_quantity_spellings_give_no_drift(
    obj: dict[str, Any], data: st.DataObject
) -> None:
    spellings = {"1": ["1000m", "1.0", "0.001k"], "500m": ["0.5", "500000u"], "1Gi": ["1024Mi"]}
    live = copy.deepcopy(obj)
    containers = live["spec"]["template"]["spec"]["containers"]
    for container in containers:
        for bucket in ("requests", "limits"):
            values = container.get("resources", {}).get(bucket, {})
            for name, value in values.items():
                if value in spellings:
                    values[name] = data.draw(st.sampled_from(spellings[value]))
    for mode in MODES:
        assert not diff_one(obj, live, mode).has_drift
    assert gitops_diff.hash_object(obj) == gitops_diff.hash_object(live)


# --- hash invariants ---------------------------------------------------------------------

SERVER_FIELDS = {
    "uid": "0d6f7a9e-5a43-4c0e-9f6b-3c1f0e0f7d11",
    "resourceVersion": "98765",
    "generation": 3,
    "creationTimestamp": "2025-01-01T00:00:00Z",
    "managedFields": [{"manager": "kubectl", "operation": "Update"}],
}


@st.composite
def variants(draw: st.DrawFn, obj: dict[str, Any]) -> dict[str, Any]:
    """A variant of `obj`: some equal after normalization, some not."""
    out = copy.deepcopy(obj)
    kind = draw(
        st.sampled_from(
            [
                "same",
                "shuffled",
                "server-fields",
                "null-fields",
                "implicit-default-namespace",
                "float-for-int",
                "changed-leaf",
                "extra-label",
                "empty-annotations",
                "reordered-keyed-list",
                "equivalent-quantity",
            ]
        )
    )
    if kind == "shuffled":
        out = shuffle_keys(out, draw(st.randoms(use_true_random=False)))
    elif kind == "server-fields":
        out["metadata"].update(SERVER_FIELDS)
        out["status"] = {"observedGeneration": 3}
    elif kind == "null-fields":
        out["metadata"]["deletionTimestamp"] = None
        out["spec" if "spec" in out else "data"]["unset"] = None
    elif kind == "implicit-default-namespace" and out["metadata"]["namespace"] == "default":
        del out["metadata"]["namespace"]
    elif kind == "float-for-int" and "spec" in out:
        out["spec"]["replicas"] = float(out["spec"]["replicas"])
    elif kind == "changed-leaf":
        path, old = draw(st.sampled_from(sorted(leaves(out), key=lambda leaf: repr(leaf[0]))))
        set_at(out, path, changed(old))
    elif kind == "extra-label":
        out["metadata"].setdefault("labels", {})["added-by-variant"] = "yes"
    elif kind == "empty-annotations":
        out["metadata"]["annotations"] = {}
    elif kind == "reordered-keyed-list":
        out = shuffle_keyed_lists(out, draw(st.randoms(use_true_random=False)))
    elif kind == "equivalent-quantity":
        for container in (
            out.get("spec", {}).get("template", {}).get("spec", {}).get("containers", [])
        ):
            for values in container.get("resources", {}).values():
                for name, value in values.items():
                    values[name] = {"1": "1000m", "1Gi": "1024Mi", "500m": "0.5"}.get(value, value)
    return out


@given(kube_objects.flatmap(lambda obj: st.tuples(st.just(obj), variants(obj))))
def test_equal_hashes_iff_equal_normalized_objects(
    pair: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    a, b = pair
    hash_a, norm_a = normalized(a)
    hash_b, norm_b = normalized(b)
    assert gitops_diff.hash_object(a) == hash_a
    assert gitops_diff.hash_object(b) == hash_b
    assert (hash_a == hash_b) == same_value(norm_a, norm_b)


@given(kube_objects)
def test_normalizing_is_idempotent_for_the_hash(obj: dict[str, Any]) -> None:
    digest, norm = normalized(obj)
    again, norm_again = normalized(norm)
    assert again == digest
    assert same_value(norm_again, norm)


@given(kube_objects)
def test_hash_without_normalization_of_a_normalized_object_equals_its_normalized_hash(
    obj: dict[str, Any],
) -> None:
    digest, norm = normalized(obj)
    assert gitops_diff.hash_object(norm, normalize=False) == digest
