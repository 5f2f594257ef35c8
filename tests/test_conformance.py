"""Conformance with real peer data from the shared corpus (read in place).

1. Argo CD's diff engine (gitops-engine) test pairs: config = desired, live = live,
   with the verdict upstream asserts (SOURCES.md: "Modified=false" means no drift).
2. Real live dumps that carry `kubectl.kubernetes.io/last-applied-configuration`: the
   annotation, taken as the desired state, is in sync with its own live object.
3. Loading: every YAML/JSON file of the corpus loads or fails with a GitopsDiffError
   subclass; the known parse traps listed in SOURCES.md are checked one by one.

Verdicts that need an engine feature planned for later are strict xfails naming it
("issue 3: ..."), so that they turn into failures (to be unmarked) once it lands.
Known engine bugs are strict xfails too, with the reason starting "engine bug:".
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from corpus import corpus_path, data_files, relative, require_corpus, source_folders

import gitops_diff

CORPUS = require_corpus()

ENGINE_DIFF = "argoproj__gitops-engine/pkg/diff/testdata"
ARGO_CD_DIFF = "argoproj__argo-cd/gitops-engine/pkg/diff/testdata"
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"

WRAPPED_QUOTED_SCALAR_BUG = (
    "known deviation (docs/semantics.md): the YAML parser follows the specification and "
    "refuses a quoted scalar continued on a line indented like its key, which go-yaml "
    "(kubectl, Argo CD) accepts"
)


# --------------------------------------------------------------------------- helpers


def explain(report: gitops_diff.Report) -> str:
    """A failure message: the summary, then every object and change."""
    lines = [f"summary: {report.summary}"]
    for obj in report.objects:
        lines.append(f"{obj.status}: {obj.identity}")
        lines.extend(
            f"    {change.op} {change.pointer}  desired={change.desired!r}  live={change.live!r}"
            for change in obj.changes
        )
    return "\n".join(lines)


def changes_of(report: gitops_diff.Report) -> list[gitops_diff.Change]:
    return [change for obj in report.objects for change in obj.changes]


def load_objects(path: Path) -> list[dict[str, Any]]:
    return gitops_diff.load(path).to_list()


def namespace_of(obj: Mapping[str, Any]) -> str | None:
    metadata = obj.get("metadata")
    namespace = metadata.get("namespace") if isinstance(metadata, Mapping) else None
    return namespace if isinstance(namespace, str) else None


def destination_namespace(live: Path) -> str:
    """Argo CD puts namespace-less config objects in the Application's destination
    namespace before diffing a pair; the live object's namespace stands for it here."""
    return namespace_of(load_objects(live)[0]) or "default"


def assert_pair_verdict(report: gitops_diff.Report, modified: bool) -> None:
    """The pair must match up as one object (never missing + extra) with the verdict."""
    summary = report.summary
    assert (summary["missing"], summary["extra"]) == (0, 0), explain(report)
    assert report.has_drift is modified, explain(report)
    assert (summary["modified"], summary["in_sync"]) == (int(modified), int(not modified)), explain(
        report
    )


# ------------------------------------------------- 1. gitops-engine desired/live pairs

#: `<stem>-config.json` / `<stem>-live.json`: Modified as upstream asserts it without
#: any option (SOURCES.md, argoproj__gitops-engine).
JSON_VERDICTS: dict[str, bool] = {
    # Modified=false with aggregated roles ignored, our default (the aggregation
    # controller owns the rules); the preset switched off gives Modified=true below.
    "aggr-clusterrole": False,
    "deployment": False,
    "elasticsearch": False,
    "endpoints": False,
    "grafana-clusterrole": False,
    "mutatingwebhookconfig": False,
    "sealedsecret": False,
    "spinnaker-sa": False,
    "wordpress": False,
}


def json_pair_stems() -> list[str]:
    folder = corpus_path(ENGINE_DIFF)
    return sorted(p.name[: -len("-config.json")] for p in folder.glob("*-config.json"))


def json_pair(stem: str) -> tuple[Path, Path]:
    folder = corpus_path(ENGINE_DIFF)
    return folder / f"{stem}-config.json", folder / f"{stem}-live.json"


def test_every_json_pair_has_an_expected_verdict() -> None:
    stems = json_pair_stems()
    assert stems == sorted(JSON_VERDICTS)
    for stem in stems:
        assert all(path.is_file() for path in json_pair(stem)), stem


@pytest.mark.parametrize("stem", sorted(JSON_VERDICTS))
def test_gitops_engine_json_pair_verdict(stem: str) -> None:
    config, live = json_pair(stem)
    report = gitops_diff.diff(config, live, default_namespace=destination_namespace(live))
    assert_pair_verdict(report, JSON_VERDICTS[stem])


def test_aggregated_cluster_role_rules_are_drift_when_the_preset_is_off() -> None:
    config, live = json_pair("aggr-clusterrole")
    report = gitops_diff.diff(config, live, presets={"aggregated-roles": False})
    assert_pair_verdict(report, True)
    assert {c.path for o in report.objects for c in o.changes} == {"rules"}


def test_aggregated_cluster_role_rules_are_counted_as_ignored_by_default() -> None:
    config, live = json_pair("aggr-clusterrole")
    report = gitops_diff.diff(config, live)
    assert_pair_verdict(report, False)
    assert report.summary["ignored"] >= 1


def test_elasticsearch_label_edits_show_exactly_those_three_changes() -> None:
    config_path, live_path = json_pair("elasticsearch")
    config = json.loads(config_path.read_text())
    labels = config["metadata"]["labels"]
    labels["foo"] = "bar"
    labels["chart"] = "elasticsearch-1.7.1"
    del labels["release"]  # in the last-applied state, so removed from Git
    live = json.loads(live_path.read_text())

    report = gitops_diff.diff([config], [live], default_namespace=namespace_of(live) or "default")

    assert_pair_verdict(report, True)
    found = {(c.op, c.pointer, c.desired, c.live) for c in changes_of(report)}
    assert found == {
        ("add", "/metadata/labels/foo", "bar", None),
        ("replace", "/metadata/labels/chart", "elasticsearch-1.7.1", "elasticsearch-1.7.0"),
        ("remove", "/metadata/labels/release", None, "elasticsearch4"),
    }, explain(report)


def test_wordpress_secret_redacted_to_different_lengths_is_drift() -> None:
    config_path, live_path = json_pair("wordpress")
    config = json.loads(config_path.read_text())
    live = json.loads(live_path.read_text())
    config["data"] = {key: "+" * 8 for key in config["data"]}
    live["data"] = {key: "+" * 12 for key in live["data"]}

    report = gitops_diff.diff([config], [live], default_namespace=namespace_of(live) or "default")

    assert_pair_verdict(report, True)
    assert {c.pointer for c in changes_of(report)} == {
        "/data/smtp-password",
        "/data/wordpress-password",
    }, explain(report)


class YamlPair(NamedTuple):
    folder: str
    config: str
    live: str
    modified: bool

    def paths(self) -> tuple[Path, Path]:
        folder = corpus_path(self.folder)
        return folder / self.config, folder / self.live


#: Structured-merge (smd-*) and server-side (ssd-*) pairs whose upstream verdict is a
#: plain Modified. The *-predicted-live.json files are server dry-run outputs, not inputs.
YAML_PAIRS: dict[str, YamlPair] = {
    "smd-service": YamlPair(ENGINE_DIFF, "smd-service-config.yaml", "smd-service-live.yaml", True),
    "smd-service-2-ports": YamlPair(
        ENGINE_DIFF, "smd-service-config-2-ports.yaml", "smd-service-live.yaml", True
    ),
    "smd-service-live-with-type": YamlPair(
        ENGINE_DIFF, "smd-service-config.yaml", "smd-service-live-with-type.yaml", True
    ),
    "smd-service-ports": YamlPair(
        ENGINE_DIFF, "smd-service-config-ports.yaml", "smd-service-live.yaml", True
    ),
    "smd-deploy": YamlPair(ENGINE_DIFF, "smd-deploy-config.yaml", "smd-deploy-live.yaml", False),
    "smd-deploy2": YamlPair(ENGINE_DIFF, "smd-deploy2-config.yaml", "smd-deploy2-live.yaml", True),
    "ssd-service": YamlPair(ENGINE_DIFF, "ssd-service-config.yaml", "ssd-service-live.yaml", True),
    "ssd-deploy-nested": YamlPair(
        ENGINE_DIFF, "ssd-deploy-nested-config.yaml", "ssd-deploy-nested-live.yaml", True
    ),
    "ssd-deploy-with-manual-apply": YamlPair(
        ENGINE_DIFF,
        "ssd-deploy-with-manual-apply-config.yaml",
        "ssd-deploy-with-manual-apply-live.yaml",
        True,
    ),
    # Upstream: label `delete-me` is present live and absent from the predicted live.
    "ssd-svc-no-label": YamlPair(
        ENGINE_DIFF, "ssd-svc-no-label-config.yaml", "ssd-svc-label-live.yaml", True
    ),
    "ssd-configmap": YamlPair(
        ARGO_CD_DIFF, "ssd-configmap-config.yaml", "ssd-configmap-live.yaml", True
    ),
    # The newer copy (argo-cd vendors gitops-engine); SOURCES.md says to use this one.
    "ssd-deploy-composite-key": YamlPair(
        ARGO_CD_DIFF,
        "ssd-deploy-composite-key-config.yaml",
        "ssd-deploy-composite-key-live.yaml",
        True,
    ),
}

# Pairs applied server-side by Argo CD: no last-applied annotation; the previous state
# is what the applying manager owns in managedFields.
ARGO_MANAGER = "argocd-controller"
MANAGED_FIELDS_PAIRS = {"smd-deploy2", "ssd-svc-no-label", "ssd-configmap"}

YAML_PAIR_MARKS: dict[str, pytest.MarkDecorator] = {
    # Upstream drift is the label a mutating webhook adds in the server dry run; config
    # and live themselves agree, and no input here carries the webhook's effect.
    "ssd-service": pytest.mark.skip(
        reason="verdict comes from a mutating webhook seen only in the server dry run "
        "(ssd-service-predicted-live.json), not from config vs live"
    ),
}


@pytest.mark.parametrize(
    "name",
    [pytest.param(name, marks=YAML_PAIR_MARKS.get(name, ())) for name in YAML_PAIRS],
)
def test_gitops_engine_yaml_pair_verdict(name: str) -> None:
    config, live = YAML_PAIRS[name].paths()
    managers = [ARGO_MANAGER] if name in MANAGED_FIELDS_PAIRS else []
    report = gitops_diff.diff(
        config, live, default_namespace=destination_namespace(live), removal_managers=managers
    )
    assert_pair_verdict(report, YAML_PAIRS[name].modified)


@pytest.mark.parametrize("name", sorted(MANAGED_FIELDS_PAIRS))
def test_server_side_applied_pairs_need_the_removal_manager(name: str) -> None:
    config, live = YAML_PAIRS[name].paths()
    report = gitops_diff.diff(config, live, default_namespace=destination_namespace(live))
    removals = [c for c in changes_of(report) if c.op == "remove"]
    assert removals == [], "without the manager, nothing marks a live-only field as applied"


def yaml_pair_changes(name: str) -> tuple[gitops_diff.Report, list[gitops_diff.Change]]:
    config, live = YAML_PAIRS[name].paths()
    report = gitops_diff.diff(config, live, default_namespace=destination_namespace(live))
    return report, changes_of(report)


def items(values: Iterable[Any], *fields: str) -> set[tuple[Any, ...]]:
    """The given fields of each dict among `values` that has them all."""
    return {
        tuple(v[f] for f in fields)
        for v in values
        if isinstance(v, Mapping) and all(f in v for f in fields)
    }


def test_smd_service_target_port_edit_is_the_drift() -> None:
    report, changes = yaml_pair_changes("smd-service")
    assert [(c.op, c.desired, c.live) for c in changes] == [("replace", 1936, 1935)], explain(
        report
    )
    assert changes[0].pointer.endswith("/targetPort")


def test_smd_service_port_removed_from_git_is_drift() -> None:
    # The https port is in the last-applied state and no longer in config.
    report, changes = yaml_pair_changes("smd-service-2-ports")
    removed = items((c.live for c in changes if c.op == "remove"), "port", "protocol")
    assert removed == {(443, "TCP")}, explain(report)
    assert len(changes) == 1, explain(report)


def test_smd_service_new_ports_are_drift() -> None:
    report, changes = yaml_pair_changes("smd-service-ports")
    added = items((c.desired for c in changes if c.op == "add"), "port", "protocol")
    assert added == {(1935, "UDP"), (443, "UDP")}, explain(report)
    assert len(changes) == 2, explain(report)


def test_smd_service_leaving_out_a_defaulted_protocol_is_not_drift() -> None:
    # Last-applied wrote `protocol: TCP` on port 1935; config leaves it out; the server
    # defaults it to TCP again, so applying config changes nothing there.
    report, changes = yaml_pair_changes("smd-service-live-with-type")
    assert [c.pointer for c in changes if c.pointer.endswith("/protocol")] == [], explain(report)


def test_ssd_nested_lists_show_the_new_port_and_env_var() -> None:
    report, changes = yaml_pair_changes("ssd-deploy-nested")
    added = [c.desired for c in changes if c.op == "add"]
    assert items(added, "containerPort") == {(443,)}, explain(report)
    assert items(added, "name", "value") >= {("ENV_VAR2", "value2")}, explain(report)
    assert len(changes) == 2, explain(report)


def test_ssd_manual_apply_shows_the_new_port() -> None:
    report, changes = yaml_pair_changes("ssd-deploy-with-manual-apply")
    added = [c.desired for c in changes if c.op == "add"]
    assert items(added, "containerPort", "name") == {(40, "https")}, explain(report)
    assert len(changes) == 1, explain(report)


def test_ssd_composite_key_port_is_matched_by_port_and_protocol() -> None:
    # nginx ports 80 and 443 match live by (containerPort, protocol=TCP default); only
    # 8080 "metrics" is new.
    report, changes = yaml_pair_changes("ssd-deploy-composite-key")
    assert [(c.op, c.desired) for c in changes] == [
        ("add", {"containerPort": 8080, "name": "metrics"})
    ], explain(report)


# ------------------------------------------- 2. last-applied vs live on real live dumps

LAST_APPLIED_DUMPS = (
    "derailed__k9s/internal/render/testdata/*.json",
    "argoproj__argo-rollouts/pkg/kubectl-argo-rollouts/info/testdata/**/*.yaml",
)

#: Dumps whose live state really differs from what was applied: the pointer prefixes
#: where drift must be reported (and nowhere else).
REAL_DRIFT: dict[str, tuple[str, ...]] = {
    # Scaled out of band (generation 5, replicas 2 applied, 4 live).
    "derailed__k9s/internal/render/testdata/sts.json#0": ("/spec/replicas",),
    # The applied secret reference names namespace "default"; the live one has none.
    "derailed__k9s/internal/render/testdata/sa.json#0": ("/secrets",),
}

LAST_APPLIED_MARKS: dict[str, pytest.MarkDecorator] = {}


def last_applied_of(obj: Mapping[str, Any]) -> str | None:
    metadata = obj.get("metadata")
    annotations = metadata.get("annotations") if isinstance(metadata, Mapping) else None
    text = annotations.get(LAST_APPLIED) if isinstance(annotations, Mapping) else None
    return text if isinstance(text, str) else None


def last_applied_cases() -> list[str]:
    """`<file>#<index>` of every live object carrying the annotation."""
    cases: list[str] = []
    for pattern in LAST_APPLIED_DUMPS:
        for path in sorted(CORPUS.glob(pattern)):
            for index, obj in enumerate(load_objects(path)):
                if last_applied_of(obj) is not None:
                    cases.append(f"{relative(path)}#{index}")
    return cases


def test_last_applied_cases_are_found() -> None:
    cases = last_applied_cases()
    assert len(cases) >= 20
    assert set(REAL_DRIFT) | set(LAST_APPLIED_MARKS) <= set(cases)


@pytest.mark.parametrize(
    "case",
    [pytest.param(case, marks=LAST_APPLIED_MARKS.get(case, ())) for case in last_applied_cases()],
)
def test_last_applied_state_is_in_sync_with_its_live_object(case: str) -> None:
    file, index = case.rsplit("#", 1)
    live = load_objects(CORPUS / file)[int(index)]
    text = last_applied_of(live)
    assert text is not None
    applied = json.loads(text)

    report = gitops_diff.diff([applied], [live], default_namespace=namespace_of(live) or "default")

    expected = REAL_DRIFT.get(case)
    assert_pair_verdict(report, expected is not None)
    if expected is not None:
        pointers = [c.pointer for c in changes_of(report)]
        assert all(p.startswith(expected) for p in pointers), explain(report)
        assert all(any(p.startswith(e) for p in pointers) for e in expected), explain(report)


def test_token_secret_added_to_a_service_account_is_not_drift() -> None:
    # Applied: secrets [zorg]; live: [zorg, zorg-token-rhhzn] (added by the controller).
    live = load_objects(corpus_path("derailed__k9s/internal/xray/testdata/sa.json"))[0]
    applied = json.loads(last_applied_of(live) or "{}")
    report = gitops_diff.diff([applied], [live], default_namespace="default")
    assert_pair_verdict(report, False)


# ------------------------------------------------------------------------- 3. loading

FLUX_NS = "{{ .fluxns }}"
FLUX_SSA_PLACEHOLDER = "%[1]s"
KUBECTL_EDIT = "kubernetes__kubectl/pkg/cmd/edit/testdata"
#: The kubectl edit steps that are invalid YAML on purpose (`spec` without a colon).
SYNTAX_ERRORS = tuple(
    f"{KUBECTL_EDIT}/{case}/{step}"
    for case in ("testcase-syntax-error", "testcase-apply-edit-last-applied-syntax-error")
    for step in ("1.edited", "2.original")
)
DATESTRING = "homeport__dyff/assets/issues/issue-217/datestring.yml"
EQUALS_KEY = (
    "prometheus-operator__kube-prometheus/manifests/setup/"
    "0alertmanagerConfigCustomResourceDefinition.yaml"
)
#: Real `kubectl get -o yaml` output whose long messages go-yaml's emitter wrapped, with
#: a fragment of the first condition's message as any YAML reader folds it.
GO_YAML_WRAPPED: dict[str, str] = {
    "argoproj__argo-cd/resource_customizations/work.karmada.io/ClusterResourceBinding/"
    "testdata/progressing.yaml": "3 cluster(s) didn't match the placement cluster affinity",
    "argoproj__argo-cd/resource_customizations/work.karmada.io/ResourceBinding/"
    "testdata/progressing.yaml": "3 cluster(s) didn't match the placement cluster affinity",
    "argoproj__argo-cd/resource_customizations/db.atlasgo.io/AtlasSchema/"
    "testdata/healthy.yaml": "CREATE TABLE `users` (\\n  `id` int NOT NULL AUTO_INCREMENT",
}


def flux_placeholder_files() -> list[str]:
    folder = corpus_path("fluxcd__flux2")
    return [relative(p) for p in data_files(folder) if FLUX_NS in p.read_text()]


def is_known_trap(path: Path) -> bool:
    """Files SOURCES.md lists as parse traps: tested one by one below instead."""
    rel = relative(path)
    return (
        (rel.startswith("fluxcd__flux2/") and FLUX_NS in path.read_text(errors="replace"))
        or (
            rel.startswith("fluxcd__pkg/ssa/testdata/") and FLUX_SSA_PLACEHOLDER in path.read_text()
        )
        or (rel.startswith(KUBECTL_EDIT) and "syntax-error" in rel)
        or rel in (DATESTRING, EQUALS_KEY)
    )


@pytest.mark.parametrize("folder", [p.name for p in source_folders()])
def test_every_corpus_file_loads_or_fails_with_a_gitops_diff_error(folder: str) -> None:
    offenders: list[str] = []
    checked = 0
    for path in data_files(CORPUS / folder):
        if is_known_trap(path):
            continue
        checked += 1
        try:
            gitops_diff.load(path)
        except gitops_diff.GitopsDiffError as exc:
            message = str(exc)
            if str(path) not in message:
                offenders.append(f"{relative(path)}: error does not name the file: {message}")
            elif isinstance(exc, gitops_diff.ParseError) and not re.search(r":\d+", message):
                offenders.append(f"{relative(path)}: parse error without a line: {message}")
        except BaseException as exc:  # a Rust panic surfaces as a BaseException
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            offenders.append(
                f"{relative(path)}: {type(exc).__module__}.{type(exc).__name__}: {exc}"
            )
    assert offenders == []
    assert checked > 0


@pytest.mark.parametrize("rel", SYNTAX_ERRORS)
def test_kubectl_syntax_error_is_a_parse_error_with_its_line(rel: str) -> None:
    path = corpus_path(rel)
    lines = path.read_text().splitlines()
    spec_line = lines.index("spec") + 1  # the line missing its colon, 1-based
    with pytest.raises(gitops_diff.ParseError) as info:
        gitops_diff.load(path)
    found = re.search(re.escape(str(path)) + r":(\d+)", str(info.value))
    assert found is not None, str(info.value)
    assert spec_line <= int(found.group(1)) <= spec_line + 1, str(info.value)


@pytest.mark.parametrize(
    "case", ["testcase-syntax-error", "testcase-apply-edit-last-applied-syntax-error"]
)
def test_kubectl_syntax_error_fixed_on_re_edit_loads(case: str) -> None:
    objects = load_objects(corpus_path(f"{KUBECTL_EDIT}/{case}/2.edited"))
    assert [(o["kind"], o["spec"]["ports"][0]["port"] > 0) for o in objects] == [("Service", True)]


@pytest.mark.parametrize("rel", flux_placeholder_files())
def test_flux_namespace_placeholder_fails_raw_and_loads_substituted(rel: str) -> None:
    path = corpus_path(rel)
    with pytest.raises(gitops_diff.ParseError, match=re.escape(str(path)) + r":\d+"):
        gitops_diff.load(path)

    text = path.read_text().replace(FLUX_NS, "flux-system")
    objects = gitops_diff.load(text.encode()).to_list()
    assert objects
    dumped = json.dumps(objects)
    assert "flux-system" in dumped
    assert "{{" not in dumped


def test_flux_diff_artifact_same_deployment_in_sync_and_renamed_one_is_not() -> None:
    folder = corpus_path("fluxcd__flux2/cmd/flux/testdata/diff-artifact")
    same = (folder / "deployment.yaml").read_text().replace(FLUX_NS, "flux-system").encode()
    renamed = (folder / "deployment-diff.yaml").read_text().replace(FLUX_NS, "flux-system")
    assert not gitops_diff.diff(same, same).has_drift
    report = gitops_diff.diff(same, renamed.encode())
    assert report.has_drift, explain(report)
    assert (report.summary["missing"], report.summary["extra"]) == (1, 1), explain(report)


@pytest.mark.parametrize(
    "rel",
    [
        relative(p)
        for p in data_files(corpus_path("fluxcd__pkg/ssa/testdata"))
        if FLUX_SSA_PLACEHOLDER in p.read_text()
    ],
)
def test_flux_ssa_printf_placeholders_load_raw_and_substituted(rel: str) -> None:
    path = corpus_path(rel)
    raw = load_objects(path)  # the placeholders are quoted: plain strings
    text = path.read_text().replace(FLUX_SSA_PLACEHOLDER, "ssa-test")
    substituted = gitops_diff.load(text.encode()).to_list()
    assert len(substituted) == len(raw) > 0
    assert FLUX_SSA_PLACEHOLDER not in json.dumps(substituted)
    for before, after in zip(raw, substituted):
        if namespace_of(before) == FLUX_SSA_PLACEHOLDER:
            assert namespace_of(after) == "ssa-test"


def test_date_like_strings_stay_strings() -> None:
    # A YAML 1.1 loader with timestamp resolution fails on 2033-13-40 and the like.
    (doc,) = load_objects(corpus_path(DATESTRING))
    assert doc["Datestring"] == "2033-12-20"
    assert doc["ThirteenthMonth"] == "2033-13-20"
    assert doc["FortyDays"] == "2033-13-40"
    assert doc["ExtDatestring"] == "2021-01-01-04-05"
    assert doc["DatestringSlashes"] == "2022/01/01"
    assert doc["DatestringNonHyphenated"] == 99999999


def test_equals_sign_scalar_is_a_plain_string() -> None:
    # PyYAML reads a bare `=` as the YAML 1.1 `value` tag and fails.
    (crd,) = load_objects(corpus_path(EQUALS_KEY))
    assert crd["kind"] == "CustomResourceDefinition"
    enums: list[list[Any]] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if isinstance(value.get("enum"), list):
                enums.append(value["enum"])
            for child in value.values():
                walk(child)
        elif isinstance(value, list):
            for child in value:
                walk(child)

    walk(crd)
    assert ["!=", "=", "=~", "!~"] in enums


@pytest.mark.xfail(strict=True, reason=WRAPPED_QUOTED_SCALAR_BUG)
@pytest.mark.parametrize(
    "rel", [pytest.param(rel, id=rel.split("/")[-3]) for rel in sorted(GO_YAML_WRAPPED)]
)
def test_go_yaml_wrapped_quoted_scalar_loads(rel: str) -> None:
    (obj,) = load_objects(corpus_path(rel))
    assert GO_YAML_WRAPPED[rel] in obj["status"]["conditions"][0]["message"]
