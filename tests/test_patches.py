"""Remediation patches: the RFC 6902 test suite through our apply path, patches of the
bundled example, and the invariant that applying an object's patch (RFC 6902 or 7386)
to its normalized live state yields the desired state on every compared field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from corpus import corpus_path
from hypothesis import given
from hypothesis import strategies as st

import gitops_diff
from gitops_diff import _core

# --- the RFC 6902 suite (json-patch/json-patch-tests), read in place ----------------------


def _suite() -> list[Any]:
    cases = []
    for name in ("spec_tests.json", "tests.json"):
        try:
            path = corpus_path(f"json-patch__json-patch-tests/{name}")
        except pytest.skip.Exception as skipped:
            return [pytest.param(None, marks=pytest.mark.skip(reason=str(skipped)), id="corpus")]
        for index, record in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            if "doc" not in record or "patch" not in record:
                continue  # a comment-only record
            marks = (
                [pytest.mark.skip(reason="disabled in the suite")] if record.get("disabled") else []
            )
            test_id = f"{name}#{index}:{record.get('comment', '')[:50]}"
            cases.append(pytest.param(record, marks=marks, id=test_id))
    return cases


@pytest.mark.parametrize("record", _suite())
def test_rfc6902_suite_passes_through_apply_patch(record: dict[str, Any]) -> None:
    doc, patch = record["doc"], record["patch"]
    if "error" in record:
        with pytest.raises(gitops_diff.GitopsDiffError):
            gitops_diff.apply_patch(doc, patch)
        return
    result = gitops_diff.apply_patch(doc, patch)
    if "expected" in record:
        assert result == record["expected"]


def test_apply_patch_leaves_the_document_unchanged_when_an_operation_fails() -> None:
    doc = {"a": [1, 2], "b": "x"}
    patch = [{"op": "remove", "path": "/a/0"}, {"op": "remove", "path": "/missing"}]
    with pytest.raises(gitops_diff.InvalidObjectError, match="missing"):
        gitops_diff.apply_patch(doc, patch)
    assert doc == {"a": [1, 2], "b": "x"}


def test_apply_merge_patch_follows_rfc7386() -> None:
    doc = {"a": "b", "c": {"d": "e", "f": "g"}, "l": [1, 2]}
    merged = gitops_diff.apply_merge_patch(doc, {"a": "z", "c": {"f": None}, "l": [3]})
    assert merged == {"a": "z", "c": {"d": "e"}, "l": [3]}


# --- the bundled example ------------------------------------------------------------------


@pytest.fixture(scope="module")
def example(example_desired: Path, example_live: Path) -> tuple[Any, Any, Any]:
    desired, live = gitops_diff.load(example_desired), gitops_diff.load(example_live)
    return gitops_diff.diff(desired, live, mask_salt=1), desired, live


def _normalized(objects: Any) -> dict[str, dict[str, Any]]:
    rows, _ = _core.normalize_set(objects, show_secrets=True)
    return {source: obj for _, source, _, obj in rows}


def test_example_patches_are_ordered_and_use_live_indices(example: tuple[Any, Any, Any]) -> None:
    report, _, _ = example
    patches = {o.identity: o.patch() for o in report.objects}
    assert patches["ConfigMap shop/shop-config"] == [
        {"op": "replace", "path": "/data/LOG_LEVEL", "value": "info"},
        {"op": "remove", "path": "/data/LEGACY_MODE"},
    ]
    assert patches["apps/Deployment shop/frontend"] == [
        {
            "op": "replace",
            "path": "/spec/template/spec/containers/0/image",
            "value": "registry.example.com/shop/frontend:1.14.2",
        }
    ]
    assert patches["Service shop/cart"] == [
        {
            "op": "add",
            "path": "/spec/ports/-",
            "value": {"name": "http", "port": 8080, "targetPort": 8080},
        }
    ]
    # A patch cannot create or delete an object.
    assert patches["apps/Deployment shop/old-worker"] is None
    assert patches["networking.k8s.io/NetworkPolicy shop/redis-allow-cart"] is None


def test_example_merge_patches_carry_whole_lists_as_patched(example: tuple[Any, Any, Any]) -> None:
    report, _, _ = example
    merge = {o.identity: o.merge_patch() for o in report.objects}
    assert merge["ConfigMap shop/shop-config"] == {
        "data": {"LEGACY_MODE": None, "LOG_LEVEL": "info"}
    }
    assert merge["apps/Deployment payments/payments-api"] == {"spec": {"replicas": 2}}
    [container] = merge["apps/Deployment shop/frontend"]["spec"]["template"]["spec"]["containers"]
    assert container["image"] == "registry.example.com/shop/frontend:1.14.2"
    # Live fields that are not drift stay (server defaults inside the container).
    assert container["terminationMessagePath"] == "/dev/termination-log"
    assert merge["apps/Deployment shop/old-worker"] is None


def test_example_patches_bring_each_live_object_in_sync(example: tuple[Any, Any, Any]) -> None:
    report, desired, live = example
    live_objects, desired_objects = _normalized(live), _normalized(desired)
    for obj in report.objects:
        if obj.status != "modified":
            continue
        target = desired_objects[obj.desired_source]
        before = live_objects[obj.live_source]
        for patched in (
            gitops_diff.apply_patch(before, obj.patch()),
            gitops_diff.apply_merge_patch(before, obj.merge_patch()),
        ):
            again = gitops_diff.diff([target], [patched], mode=report.mode)
            assert not again.has_drift, (
                obj.identity,
                [c.path for o in again.objects for c in o.changes],
            )


# --- the invariant, on generated objects --------------------------------------------------

_NAMES = ["app", "sidecar", "init"]
_ENV = ["A", "B", "C", "D"]
_WORDS = st.sampled_from(["x", "y", "true", "1", "a b", "line 1\nline 2\n"])
_SCALARS = st.one_of(st.integers(-2, 3), st.booleans(), _WORDS, st.none())


def _env() -> st.SearchStrategy[list[dict[str, Any]]]:
    item = st.builds(lambda value: {"value": value}, _WORDS)
    return st.lists(
        st.tuples(st.sampled_from(_ENV), item), unique_by=lambda t: t[0], max_size=3
    ).map(lambda pairs: [{"name": name, **body} for name, body in pairs])


def _ports() -> st.SearchStrategy[list[dict[str, Any]]]:
    keys = [(80, None), (81, "TCP"), (81, "UDP"), (82, None)]
    return st.lists(st.sampled_from(keys), unique=True, max_size=3).map(
        lambda chosen: [
            {"containerPort": port, **({"protocol": proto} if proto else {})}
            for port, proto in chosen
        ]
    )


def _container() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"image": _WORDS},
        optional={
            "args": st.lists(_WORDS, max_size=3),
            "env": _env(),
            "ports": _ports(),
            "imagePullPolicy": st.sampled_from(["Always", "IfNotPresent"]),
            "resources": st.fixed_dictionaries(
                {},
                optional={"limits": st.fixed_dictionaries({"cpu": st.sampled_from(["1", "500m"])})},
            ),
        },
    )


def _deployment() -> st.SearchStrategy[dict[str, Any]]:
    containers = st.lists(
        st.tuples(st.sampled_from(_NAMES), _container()), unique_by=lambda t: t[0], max_size=3
    ).map(lambda pairs: [{"name": name, **body} for name, body in pairs])
    labels = st.dictionaries(st.sampled_from(["app", "tier", "team"]), st.sampled_from(["a", "b"]))
    spec = st.fixed_dictionaries(
        {
            "template": st.fixed_dictionaries(
                {"spec": st.fixed_dictionaries({"containers": containers})}
            )
        },
        optional={
            "replicas": st.integers(0, 3),
            "paused": st.booleans(),
            "strategy": st.fixed_dictionaries({}, optional={"type": st.sampled_from(["Recreate"])}),
            "extra": st.dictionaries(st.sampled_from(["p", "q"]), _SCALARS, max_size=2),
        },
    )
    return st.builds(
        lambda labels, spec: {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "shop", "labels": labels},
            "spec": spec,
        },
        labels,
        spec,
    )


_KEYED = {"containers": ("name",), "env": ("name",), "ports": ("containerPort", "protocol")}


def _key(field: str, item: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(item.get(k, "TCP" if k == "protocol" else None) for k in _KEYED[field])


def _empty(value: Any) -> bool:
    return value is None or value in ("", {}, [])


def _covers(desired: Any, patched: Any, field: str = "") -> bool:
    """Three-way: every field desired sets has its value in `patched`."""
    if isinstance(desired, dict):
        if not isinstance(patched, dict):
            return False
        user_data = field in ("labels", "annotations")
        return all(
            (_empty(v) and not user_data) or (k in patched and _covers(v, patched[k], k))
            for k, v in desired.items()
        )
    if isinstance(desired, list) and field in _KEYED and isinstance(patched, list):
        by_key = {_key(field, item): item for item in patched}
        return all(_covers(item, by_key.get(_key(field, item)), "") for item in desired)
    if isinstance(desired, list):
        return (
            isinstance(patched, list)
            and len(desired) == len(patched)
            and all(_covers(d, p) for d, p in zip(desired, patched))
        )
    return bool(desired == patched and type(desired) is type(patched))


def _canonical(value: Any, field: str = "") -> Any:
    """Strict: the value with empties dropped and keyed lists in key order."""
    if isinstance(value, dict):
        out = {k: _canonical(v, k) for k, v in value.items()}
        if "containerPort" in out:
            out.setdefault("protocol", "TCP")
        return {k: v for k, v in out.items() if not _empty(v)}
    if isinstance(value, list):
        items = [_canonical(v) for v in value]
        if field in _KEYED:
            items.sort(key=lambda item: json.dumps(_key(field, item), default=str))
        return items
    return value


def _one(objects: list[dict[str, Any]]) -> dict[str, Any]:
    [(_, _, _, obj)] = _core.normalize_set(gitops_diff.from_objects(objects), show_secrets=True)[0]
    return obj


@given(
    desired=_deployment(),
    live=_deployment(),
    previous=st.none() | _deployment(),
    strict=st.booleans(),
)
def test_applying_an_objects_patch_to_its_normalized_live_state_yields_the_desired_state(
    desired: dict[str, Any], live: dict[str, Any], previous: dict[str, Any] | None, strict: bool
) -> None:
    mode = "strict" if strict else "three-way"
    prev = None if previous is None else [previous]
    report = gitops_diff.diff([desired], [live], mode=mode, previous=prev)
    target, before = _one([desired]), _one([live])
    if not report.objects:
        patched_states = [before]
    else:
        [obj] = report.objects
        patched_states = [
            gitops_diff.apply_patch(before, obj.patch()),
            gitops_diff.apply_merge_patch(before, obj.merge_patch()),
        ]
    for patched in patched_states:
        again = gitops_diff.diff([target], [patched], mode=mode, previous=prev)
        assert not again.has_drift, [(c.op, c.path) for o in again.objects for c in o.changes]
        if strict:
            assert _canonical(patched) == _canonical(target)
        else:
            assert _covers(target, patched)
