"""The public Python API: load, from_objects, diff, Report, hash_object, errors."""

from __future__ import annotations

import copy
import io
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import write

import gitops_diff
from gitops_diff import _core, exceptions

# --- small inputs ------------------------------------------------------------------------

CONFIGMAP_YAML = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: shop
data:
  LOG_LEVEL: info
  FEATURE_X: "on"
"""

DEPLOYMENT_YAML = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
"""


def configmap(
    name: str = "settings", namespace: str | None = "shop", **data: str
) -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": name}
    if namespace is not None:
        metadata["namespace"] = namespace
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata, "data": dict(data)}


def live_copy(obj: dict[str, Any], **server: Any) -> dict[str, Any]:
    """`obj` as the API server returns it: server-owned metadata and status added."""
    out = copy.deepcopy(obj)
    out["metadata"].update(
        {
            "uid": "8d7f3a52-7c1e-4f1a-9d36-0c2b9f1e0a11",
            "resourceVersion": "12345",
            "creationTimestamp": "2025-01-01T00:00:00Z",
            "managedFields": [{"manager": "kubectl", "operation": "Update"}],
        }
    )
    out.update(server)
    return out


def changes_of(report: gitops_diff.Report) -> list[tuple[str, str, str, str]]:
    """(identity, status, op, pointer) for every change, plus one row per object."""
    rows = []
    for obj in report.objects:
        rows.append((obj.identity, obj.status, "", ""))
        rows.extend((obj.identity, obj.status, c.op, c.pointer) for c in obj.changes)
    return rows


# --- load --------------------------------------------------------------------------------


def test_load_of_a_folder_reads_every_manifest_recursively(example_desired: Path) -> None:
    objects = gitops_diff.load(example_desired)
    assert len(objects) == 40
    assert len(objects.to_list()) == 40
    assert all(isinstance(o, dict) and "kind" in o for o in objects.to_list())


def test_load_accepts_str_and_pathlike_alike(example_desired: Path) -> None:
    assert len(gitops_diff.load(str(example_desired))) == len(gitops_diff.load(example_desired))


def test_load_of_a_multi_document_file_yields_each_document(tmp_path: Path) -> None:
    path = write(
        tmp_path / "two.yaml", CONFIGMAP_YAML + "---\n# a comment only\n---\n" + DEPLOYMENT_YAML
    )
    objects = gitops_diff.load(path)
    assert [o["kind"] for o in objects.to_list()] == ["ConfigMap", "Deployment"]
    assert objects.sources() == [f"{path}:1", f"{path}:12"]


def test_load_of_a_list_of_paths_concatenates_them(tmp_path: Path) -> None:
    a = write(tmp_path / "a.yaml", CONFIGMAP_YAML)
    b = write(tmp_path / "sub" / "b.yml", DEPLOYMENT_YAML)
    objects = gitops_diff.load([a, b])
    assert [o["kind"] for o in objects.to_list()] == ["ConfigMap", "Deployment"]
    assert len(gitops_diff.load([tmp_path])) == 2


def test_load_of_yaml_bytes_and_json_bytes_gives_the_same_objects() -> None:
    from_yaml = gitops_diff.load(CONFIGMAP_YAML.encode())
    as_json = json.dumps(from_yaml.to_list()[0]).encode()
    assert gitops_diff.load(as_json).to_list() == from_yaml.to_list()
    assert gitops_diff.load(as_json, format="json").to_list() == from_yaml.to_list()


def test_load_unwraps_kind_list() -> None:
    listing = {"apiVersion": "v1", "kind": "List", "items": [configmap("a"), configmap("b")]}
    objects = gitops_diff.load(json.dumps(listing).encode())
    assert [o["metadata"]["name"] for o in objects.to_list()] == ["a", "b"]


def test_load_of_dash_reads_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(CONFIGMAP_YAML.encode()), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    objects = gitops_diff.load("-")
    assert objects.to_list()[0]["metadata"]["name"] == "settings"
    assert objects.sources() == ["<stdin>:1"]


def test_load_refuses_stdin_mixed_with_paths(tmp_path: Path) -> None:
    with pytest.raises(gitops_diff.InvalidOptionError):
        gitops_diff.load(["-", write(tmp_path / "a.yaml", CONFIGMAP_YAML)])


def test_from_objects_round_trips_dicts() -> None:
    objects = [configmap("a", LOG_LEVEL="info"), configmap("b", namespace=None)]
    loaded = gitops_diff.from_objects(objects)
    assert len(loaded) == 2
    assert loaded.to_list() == objects
    assert loaded.sources() == ["<objects> (object #1)", "<objects> (object #2)"]


def test_from_objects_refuses_a_non_mapping_item() -> None:
    with pytest.raises(gitops_diff.InvalidObjectError, match=r"object #2"):
        gitops_diff.from_objects([configmap("a"), ["not", "an", "object"]])  # type: ignore[list-item]


# --- diff: every kind of source ------------------------------------------------------------


def test_diff_gives_the_same_answer_for_every_kind_of_source(tmp_path: Path) -> None:
    desired_text = CONFIGMAP_YAML
    live_obj = live_copy(configmap(LOG_LEVEL="debug", FEATURE_X="on"))
    desired_path = write(tmp_path / "desired.yaml", desired_text)
    live_path = write(
        tmp_path / "live.json",
        json.dumps({"kind": "List", "apiVersion": "v1", "items": [live_obj]}),
    )
    desired_dict = gitops_diff.load(desired_path).to_list()

    sources: list[tuple[Any, Any]] = [
        (gitops_diff.load(desired_path), gitops_diff.load(live_path)),
        (desired_path, live_path),
        (str(desired_path), str(live_path)),
        ([desired_path], [live_path]),
        (desired_text.encode(), live_path.read_bytes()),
        (desired_dict, [live_obj]),
    ]
    outcomes = [changes_of(gitops_diff.diff(want, have)) for want, have in sources]
    assert outcomes[0] == [
        ("ConfigMap shop/settings", "modified", "", ""),
        ("ConfigMap shop/settings", "modified", "replace", "/data/LOG_LEVEL"),
    ]
    assert all(o == outcomes[0] for o in outcomes)


def test_diff_of_a_set_with_itself_is_in_sync(example_desired: Path) -> None:
    objects = gitops_diff.load(example_desired)
    report = gitops_diff.diff(objects, objects)
    assert not report.has_drift
    assert len(report) == 0
    assert report.objects == []
    assert report.summary["in_sync"] == 40
    assert report.desired_digest == report.live_digest


def test_three_way_ignores_fields_only_live_sets_and_strict_reports_them() -> None:
    desired = configmap(a="1")
    live = live_copy(configmap(a="1", b="2"))
    three_way = gitops_diff.diff([desired], [live])
    assert three_way.mode == "three-way"
    assert not three_way.has_drift
    strict = gitops_diff.diff([desired], [live], mode="strict")
    assert strict.mode == "strict"
    [change] = strict.objects[0].changes
    assert (change.op, change.pointer, change.path, change.desired, change.live) == (
        "remove",
        "/data/b",
        "data.b",
        None,
        "2",
    )


def test_server_owned_fields_are_never_drift_even_in_strict_mode() -> None:
    desired = configmap(a="1")
    live = live_copy(desired, status={"phase": "Active"})
    assert not gitops_diff.diff([desired], [live], mode="strict").has_drift


def test_previous_state_turns_a_field_removed_from_git_into_drift() -> None:
    desired = configmap(a="1")
    live = live_copy(configmap(a="1", b="2"))
    previous = configmap(a="1", b="2")
    report = gitops_diff.diff([desired], [live], previous=[previous])
    [obj] = report.objects
    [change] = obj.changes
    assert (change.op, change.pointer, change.live, change.desired) == (
        "remove",
        "/data/b",
        "2",
        None,
    )


def test_last_applied_annotation_serves_as_previous_state() -> None:
    desired = configmap(a="1")
    live = live_copy(configmap(a="1", b="2"))
    applied = json.dumps(configmap(a="1", b="2")) + "\n"
    live["metadata"]["annotations"] = {"kubectl.kubernetes.io/last-applied-configuration": applied}
    [change] = gitops_diff.diff([desired], [live]).objects[0].changes
    assert (change.op, change.pointer) == ("remove", "/data/b")


def test_previous_state_given_by_caller_wins_over_last_applied_annotation() -> None:
    desired = configmap(a="1")
    live = live_copy(configmap(a="1", b="2"))
    applied = json.dumps(configmap(a="1", b="2")) + "\n"
    live["metadata"]["annotations"] = {"kubectl.kubernetes.io/last-applied-configuration": applied}
    report = gitops_diff.diff([desired], [live], previous=[configmap(a="1")])
    assert not report.has_drift


def test_missing_and_extra_objects() -> None:
    desired = [configmap("only-in-git")]
    tracked = live_copy(configmap("pruned"))
    tracked["metadata"]["labels"] = {"app.kubernetes.io/instance": "shop"}
    untracked = live_copy(configmap("someone-elses"))
    report = gitops_diff.diff(desired, [tracked, untracked])
    assert [(o.identity, o.status) for o in report.objects] == [
        ("ConfigMap shop/only-in-git", "missing"),
        ("ConfigMap shop/pruned", "extra"),
    ]
    assert report.summary["unmanaged"] == 1
    everything = gitops_diff.diff(desired, [tracked, untracked], extra="all")
    assert [o.status for o in everything.objects] == ["missing", "extra", "extra"]


def test_namespaced_object_without_namespace_is_the_one_in_default_namespace() -> None:
    desired = configmap(namespace=None, a="1")
    live = live_copy(configmap(namespace="default", a="1"))
    assert not gitops_diff.diff([desired], [live]).has_drift
    other = gitops_diff.diff(
        [desired], [live_copy(configmap(namespace="prod", a="1"))], default_namespace="prod"
    )
    assert not other.has_drift


# --- Report --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def example_report(example_desired: Path, example_live: Path) -> gitops_diff.Report:
    return gitops_diff.diff(example_desired, example_live)


SUMMARY_KEYS = {
    "desired",
    "live",
    "in_sync",
    "modified",
    "missing",
    "extra",
    "unmanaged",
    "changes",
    "ignored",
}


def test_summary_counts_add_up(example_report: gitops_diff.Report) -> None:
    s = example_report.summary
    assert set(s) >= SUMMARY_KEYS
    assert all(isinstance(v, int) and v >= 0 for v in s.values())
    assert s["desired"] == s["in_sync"] + s["modified"] + s["missing"]
    assert s["live"] == s["in_sync"] + s["modified"] + s["extra"] + s["unmanaged"]
    assert s["changes"] == sum(len(o.changes) for o in example_report.objects)
    assert len(example_report) == s["modified"] + s["missing"] + s["extra"]
    assert example_report.has_drift


def test_report_objects_are_sorted_by_identity(example_report: gitops_diff.Report) -> None:
    keys = [(o.group, o.kind, o.namespace or "", o.name) for o in example_report.objects]
    assert keys == sorted(keys)


def test_object_identity_is_built_from_its_parts(example_report: gitops_diff.Report) -> None:
    for obj in example_report.objects:
        kind = f"{obj.group}/{obj.kind}" if obj.group else obj.kind
        name = f"{obj.namespace}/{obj.name}" if obj.namespace else obj.name
        assert obj.identity == f"{kind} {name}"
        assert obj.api_version.startswith(f"{obj.group}/" if obj.group else "v")


def test_object_sources_and_hashes_follow_its_status(example_report: gitops_diff.Report) -> None:
    for obj in example_report.objects:
        in_git, in_cluster = obj.status != "extra", obj.status != "missing"
        assert (obj.desired_source is not None) == in_git
        assert (obj.desired_hash is not None) == in_git
        assert (obj.live_source is not None) == in_cluster
        assert (obj.live_hash is not None) == in_cluster
        if obj.status == "modified":
            assert obj.desired_hash != obj.live_hash
        else:
            assert obj.changes == []


def test_desired_source_names_file_and_line(example_report: gitops_diff.Report) -> None:
    sources = {o.identity: o.desired_source or "" for o in example_report.objects}
    assert sources["apps/Deployment shop/frontend"].endswith(
        "examples/gitops-repo/apps/shop/frontend.yaml:2"
    )
    assert sources["ConfigMap shop/shop-config"].endswith(
        "examples/gitops-repo/apps/shop/config.yaml:1"
    )


def test_to_json_is_valid_json_with_schema_version_1(example_report: gitops_diff.Report) -> None:
    data = json.loads(example_report.to_json())
    assert data["schema_version"] == 1 == example_report.schema_version
    assert data["mode"] == "three-way"
    assert data["summary"] == example_report.summary
    assert data["desired_digest"] == example_report.desired_digest
    assert data["live_digest"] == example_report.live_digest
    assert [o["name"] for o in data["objects"]] == [o.name for o in example_report.objects]
    for obj_json, obj in zip(data["objects"], example_report.objects):
        assert obj_json["status"] == obj.status
        assert [(c["op"], c["pointer"], c["path"]) for c in obj_json["changes"]] == [
            (c.op, c.pointer, c.path) for c in obj.changes
        ]
        for c_json, c in zip(obj_json["changes"], obj.changes):
            assert c_json.get("desired") == c.desired
            assert c_json.get("live") == c.live


def test_pretty_json_holds_the_same_data(example_report: gitops_diff.Report) -> None:
    pretty = example_report.to_json(pretty=True)
    assert "\n" in pretty
    assert json.loads(pretty) == json.loads(example_report.to_json())


# --- the bundled example: exactly the drifts examples/README.md plants --------------------

EXPECTED_STATUS = {
    "apps/Deployment shop/frontend": "modified",
    "apps/Deployment payments/payments-api": "modified",
    "ConfigMap shop/shop-config": "modified",
    "Service shop/cart": "modified",
    "networking.k8s.io/NetworkPolicy shop/redis-allow-cart": "missing",
    "apps/Deployment shop/old-worker": "extra",
}


def test_example_reports_exactly_the_planted_objects(example_report: gitops_diff.Report) -> None:
    assert {o.identity: o.status for o in example_report.objects} == EXPECTED_STATUS
    s = example_report.summary
    assert (s["desired"], s["modified"], s["missing"], s["extra"], s["in_sync"]) == (
        40,
        4,
        1,
        1,
        35,
    )


@pytest.mark.parametrize(
    ("identity", "pointers"),
    [
        ("apps/Deployment shop/frontend", ["/spec/template/spec/containers/0/image"]),
        ("apps/Deployment payments/payments-api", ["/spec/replicas"]),
        ("ConfigMap shop/shop-config", ["/data/LEGACY_MODE", "/data/LOG_LEVEL"]),
        # Service ports are keyed by port+protocol: Git's 8080 is an item live lacks;
        # the out-of-band 8081 was never applied, so three-way leaves it alone.
        ("Service shop/cart", ["/spec/ports/-"]),
    ],
)
def test_example_reports_the_planted_paths(
    example_report: gitops_diff.Report, identity: str, pointers: list[str]
) -> None:
    [obj] = [o for o in example_report.objects if o.identity == identity]
    assert sorted(c.pointer for c in obj.changes) == pointers


def test_example_changes_carry_the_planted_values(example_report: gitops_diff.Report) -> None:
    values = {
        (o.identity, c.pointer): (c.op, c.desired, c.live)
        for o in example_report.objects
        for c in o.changes
    }
    image = "registry.example.com/shop/frontend:"
    assert values["apps/Deployment shop/frontend", "/spec/template/spec/containers/0/image"] == (
        "replace",
        image + "1.14.2",
        image + "1.14.3-hotfix1",
    )
    assert values["apps/Deployment payments/payments-api", "/spec/replicas"] == ("replace", 2, 4)
    assert values["ConfigMap shop/shop-config", "/data/LOG_LEVEL"] == ("replace", "info", "debug")
    assert values["ConfigMap shop/shop-config", "/data/LEGACY_MODE"] == ("remove", None, "true")


def test_example_readable_paths_name_list_items_by_key(example_report: gitops_diff.Report) -> None:
    paths = {c.path for o in example_report.objects for c in o.changes}
    assert "spec.template.spec.containers[name=frontend].image" in paths
    assert "data.LOG_LEVEL" in paths


# --- hash_object ----------------------------------------------------------------------------


def test_hash_object_is_32_lowercase_hex_digits() -> None:
    digest = gitops_diff.hash_object(configmap(a="1"))
    assert re.fullmatch(r"[0-9a-f]{32}", digest)


def test_hash_object_normalizes_by_default() -> None:
    obj = configmap(a="1")
    served = live_copy(obj, status={"phase": "x"})
    assert gitops_diff.hash_object(obj) == gitops_diff.hash_object(served)
    assert gitops_diff.hash_object(obj, normalize=False) != gitops_diff.hash_object(
        served, normalize=False
    )


def test_hash_object_without_normalization_accepts_any_mapping() -> None:
    assert re.fullmatch(r"[0-9a-f]{32}", gitops_diff.hash_object({"x": [1, 2]}, normalize=False))
    with pytest.raises(gitops_diff.InvalidObjectError, match="no apiVersion"):
        gitops_diff.hash_object({"x": [1, 2]})


def test_hash_object_fills_in_the_default_namespace() -> None:
    bare = configmap(namespace=None, a="1")
    assert gitops_diff.hash_object(bare) == gitops_diff.hash_object(
        configmap(namespace="default", a="1")
    )
    assert gitops_diff.hash_object(bare, default_namespace="prod") == gitops_diff.hash_object(
        configmap(namespace="prod", a="1")
    )
    assert gitops_diff.hash_object(bare, normalize=False) != gitops_diff.hash_object(
        configmap(namespace="default", a="1"), normalize=False
    )


def test_hash_object_folds_secret_string_data_into_base64_data() -> None:
    plain = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "s"},
        "stringData": {"k": "v"},
    }
    encoded = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "s"},
        "data": {"k": "dg=="},
    }
    assert gitops_diff.hash_object(plain) == gitops_diff.hash_object(encoded)


# --- errors --------------------------------------------------------------------------------

ERROR_CLASSES = [
    gitops_diff.ParseError,
    gitops_diff.LimitExceededError,
    gitops_diff.InvalidObjectError,
    gitops_diff.DuplicateObjectError,
    gitops_diff.SourceReadError,
    gitops_diff.InvalidOptionError,
    gitops_diff.InternalError,
]


@pytest.mark.parametrize("cls", ERROR_CLASSES, ids=lambda c: c.__name__)
def test_every_error_class_subclasses_gitops_diff_error(cls: type[Exception]) -> None:
    assert issubclass(cls, gitops_diff.GitopsDiffError)
    assert issubclass(gitops_diff.GitopsDiffError, Exception)
    assert getattr(exceptions, cls.__name__) is cls


def test_error_classes_are_distinct() -> None:
    assert len(set(ERROR_CLASSES)) == len(ERROR_CLASSES)
    for a in ERROR_CLASSES:
        for b in ERROR_CLASSES:
            assert a is b or not issubclass(a, b)


def _raise_parse(tmp: Path) -> None:
    gitops_diff.load(write(tmp / "bad.yaml", "a: b: c\n"))


def _raise_limit(tmp: Path) -> None:
    gitops_diff.load(b"a: " + b"[" * 500 + b"]" * 500)


def _raise_invalid_object(tmp: Path) -> None:
    gitops_diff.diff([{"apiVersion": "v1", "metadata": {"name": "x"}}], [])


def _raise_duplicate(tmp: Path) -> None:
    gitops_diff.diff([configmap("x"), configmap("x")], [])


def _raise_source_read(tmp: Path) -> None:
    gitops_diff.load(tmp / "no-such-file.yaml")


def _raise_invalid_option(tmp: Path) -> None:
    gitops_diff.diff([], [], mode="two-way")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("trigger", "cls"),
    [
        (_raise_parse, gitops_diff.ParseError),
        (_raise_limit, gitops_diff.LimitExceededError),
        (_raise_invalid_object, gitops_diff.InvalidObjectError),
        (_raise_duplicate, gitops_diff.DuplicateObjectError),
        (_raise_source_read, gitops_diff.SourceReadError),
        (_raise_invalid_option, gitops_diff.InvalidOptionError),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_each_error_kind_raises_its_own_class(
    trigger: Any, cls: type[Exception], tmp_path: Path
) -> None:
    with pytest.raises(cls) as info:
        trigger(tmp_path)
    assert type(info.value) is cls
    assert isinstance(info.value, gitops_diff.GitopsDiffError)
    assert str(info.value)


def test_duplicate_identity_across_files_names_both_places(tmp_path: Path) -> None:
    a = write(tmp_path / "a.yaml", CONFIGMAP_YAML)
    b = write(tmp_path / "b.yaml", "# the same object again\n" + CONFIGMAP_YAML)
    with pytest.raises(gitops_diff.DuplicateObjectError) as info:
        gitops_diff.diff([a, b], [])
    message = str(info.value)
    assert f"{a}:1" in message
    assert f"{b}:2" in message
    assert "ConfigMap shop/settings" in message


def test_duplicate_identity_in_one_file_names_both_lines(tmp_path: Path) -> None:
    path = write(tmp_path / "twice.yaml", CONFIGMAP_YAML + "---\n" + CONFIGMAP_YAML)
    with pytest.raises(gitops_diff.DuplicateObjectError) as info:
        gitops_diff.diff(path, [])
    assert f"{path}:1" in str(info.value)
    assert f"{path}:10" in str(info.value)


def test_duplicate_identity_on_the_live_side_says_so() -> None:
    with pytest.raises(gitops_diff.DuplicateObjectError, match="live"):
        gitops_diff.diff(
            [], [configmap("x"), configmap("x", namespace=None)], default_namespace="shop"
        )


def test_object_without_kind_names_file_and_line(tmp_path: Path) -> None:
    text = CONFIGMAP_YAML + "---\napiVersion: v1\nmetadata:\n  name: kindless\n"
    path = write(tmp_path / "objects.yaml", text)
    with pytest.raises(gitops_diff.InvalidObjectError) as info:
        gitops_diff.diff(path, [])
    assert str(info.value).startswith(f"{path}:10: ")
    assert "kind" in str(info.value)


def test_syntax_error_names_file_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path / "broken.yaml", "apiVersion: v1\nkind: ConfigMap\ndata:\n  k: @oops\n")
    with pytest.raises(gitops_diff.ParseError) as info:
        gitops_diff.load(path)
    assert str(info.value).startswith(f"{path}:4:6: ")


def test_two_paths_load_together_and_the_desired_error_comes_first(tmp_path: Path) -> None:
    desired = write(tmp_path / "d.yaml", "a: b: c\n")
    live = write(tmp_path / "l.json", '{"kind": ')
    with pytest.raises(gitops_diff.ParseError, match=re.escape(f"{desired}:1:5: ")):
        gitops_diff.diff(desired, live)
    ok = write(tmp_path / "ok.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    with pytest.raises(gitops_diff.ParseError, match=re.escape(f"{live}:1:")):
        gitops_diff.diff(ok, live)
    assert gitops_diff.diff(ok, ok).summary["in_sync"] == 1


def test_syntax_error_in_bytes_is_located_in_bytes() -> None:
    with pytest.raises(gitops_diff.ParseError, match=r"^<bytes>:1:5: "):
        gitops_diff.load(b"a: b: c\n")


def test_duplicate_key_is_a_parse_error_at_the_second_key(tmp_path: Path) -> None:
    path = write(tmp_path / "dup.yaml", "apiVersion: v1\nkind: ConfigMap\napiVersion: v2\n")
    with pytest.raises(gitops_diff.ParseError, match=re.escape(f"{path}:3:")):
        gitops_diff.load(path)


def test_non_utf8_input_is_a_parse_error() -> None:
    with pytest.raises(gitops_diff.ParseError, match="UTF-8"):
        gitops_diff.load(b"kind: \xff\n")


def test_non_finite_number_in_python_objects_is_an_invalid_object() -> None:
    with pytest.raises(gitops_diff.InvalidObjectError):
        gitops_diff.from_objects([{"x": float("nan")}])


# --- digests in reports ----------------------------------------------------------------------


def test_report_digests_equal_set_digests_of_each_side(
    example_desired: Path, example_live: Path
) -> None:
    desired, live = gitops_diff.load(example_desired), gitops_diff.load(example_live)
    report = gitops_diff.diff(desired, live)
    assert report.desired_digest == _core.normalize_set(desired)[1]
    assert report.live_digest == _core.normalize_set(live)[1]


def test_report_live_digest_depends_on_the_live_set_alone() -> None:
    tracked = live_copy(configmap(a="1"))
    tracked["metadata"]["annotations"] = {
        "argocd.argoproj.io/tracking-id": "shop:/ConfigMap:shop/settings"
    }
    same_as_live = copy.deepcopy(tracked)
    without_annotation = configmap(a="1")
    one = gitops_diff.diff([same_as_live], [tracked])
    other = gitops_diff.diff([without_annotation], [tracked])
    assert not one.has_drift
    assert not other.has_drift
    assert one.live_digest == other.live_digest
    assert one.live_digest == _core.normalize_set(gitops_diff.from_objects([tracked]))[1]
