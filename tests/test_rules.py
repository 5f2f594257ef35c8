"""Rules files, command-line rules, presets, managed scope and removal managers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import gitops_diff


def deployment(replicas: int, image: str = "web:1", **metadata: Any) -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "shop", **metadata},
        "spec": {
            "replicas": replicas,
            "template": {"spec": {"containers": [{"name": "app", "image": image}]}},
        },
    }


def hpa() -> dict[str, Any]:
    return {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "web", "namespace": "shop"},
        "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}},
    }


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gitops_diff", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


def write(path: Path, objects: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps({"apiVersion": "v1", "kind": "List", "items": objects}))
    return path


def test_replicas_of_an_hpa_target_are_ignored_by_default() -> None:
    report = gitops_diff.diff([deployment(2), hpa()], [deployment(7), hpa()])
    assert not report.has_drift
    assert report.summary["ignored"] == 1


def test_hpa_preset_switched_off_reports_replicas() -> None:
    report = gitops_diff.diff(
        [deployment(2), hpa()], [deployment(7), hpa()], presets={"hpa-replicas": False}
    )
    assert [c.path for o in report.objects for c in o.changes] == ["spec.replicas"]


def test_selector_globs_limit_a_rule_to_matching_objects() -> None:
    rule = "kind=Deploy*,namespace=other:/spec/replicas"
    report = gitops_diff.diff([deployment(2)], [deployment(3)], ignore=[rule])
    assert report.has_drift, "the rule selects another namespace"
    report = gitops_diff.diff([deployment(2)], [deployment(3)], ignore=["name=w?b:/spec/replicas"])
    assert not report.has_drift


def test_keyed_item_paths_ignore_one_container_field() -> None:
    path = "/spec/template/spec/containers/name=app/image"
    report = gitops_diff.diff([deployment(2, "web:1")], [deployment(2, "web:2")], ignore=[path])
    assert not report.has_drift
    assert report.summary["ignored"] == 1


def test_unknown_preset_or_normalizer_names_are_errors() -> None:
    with pytest.raises(gitops_diff.InvalidOptionError, match="known: hpa-replicas"):
        gitops_diff.diff([deployment(1)], [deployment(1)], presets={"hpa": False})
    with pytest.raises(gitops_diff.InvalidOptionError, match="known: server-fields"):
        gitops_diff.diff([deployment(1)], [deployment(1)], normalizers={"quantity": False})


def test_malformed_ignore_pointer_is_an_error() -> None:
    with pytest.raises(gitops_diff.InvalidOptionError, match="must be POINTER"):
        gitops_diff.diff([deployment(1)], [deployment(1)], ignore=["spec/replicas"])


def test_managed_selector_makes_live_only_objects_extra() -> None:
    extra = deployment(1)
    extra["metadata"]["name"] = "old"
    extra["metadata"]["labels"] = {"team": "shop"}
    assert gitops_diff.diff([], [extra]).summary["unmanaged"] == 1
    report = gitops_diff.diff([], [extra], managed_selector="team=shop")
    assert [o.status for o in report.objects] == ["extra"]


def test_owned_objects_are_never_extra_even_when_selected() -> None:
    owned = deployment(1, labels={"team": "shop"})
    owned["metadata"]["ownerReferences"] = [{"kind": "X", "name": "x", "uid": "u"}]
    report = gitops_diff.diff([], [owned], managed_selector="team=shop")
    assert report.summary["extra"] == 0


def test_fields_owned_by_the_removal_manager_count_as_previously_applied() -> None:
    live = deployment(2, labels={"app": "web", "legacy": "yes"})
    live["metadata"]["managedFields"] = [
        {
            "manager": "argocd-controller",
            "operation": "Apply",
            "fieldsType": "FieldsV1",
            "fieldsV1": {"f:metadata": {"f:labels": {"f:app": {}, "f:legacy": {}}}},
        }
    ]
    desired = deployment(2, labels={"app": "web"})
    assert not gitops_diff.diff([desired], [live]).has_drift
    report = gitops_diff.diff([desired], [live], removal_managers=["argocd-*"])
    assert [(c.op, c.path) for o in report.objects for c in o.changes] == [
        ("remove", "metadata.labels.legacy")
    ]


RULES = """\
ignore:
  - kind: Deployment
    paths: [/spec/replicas]
presets:
  hpa-replicas: true
"""


def test_rules_file_is_applied_and_ignored_differences_keep_exit_zero(tmp_path: Path) -> None:
    desired = write(tmp_path / "desired.json", [deployment(2)])
    live = write(tmp_path / "live.json", [deployment(9)])
    (tmp_path / "rules.yaml").write_text(RULES)
    assert cli("diff", str(desired), str(live), cwd=tmp_path).returncode == 1
    result = cli("diff", str(desired), str(live), "--rules", "rules.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "In sync" in result.stdout


def test_rules_file_in_the_working_folder_is_found(tmp_path: Path) -> None:
    desired = write(tmp_path / "desired.json", [deployment(2)])
    live = write(tmp_path / "live.json", [deployment(9)])
    (tmp_path / ".gitops-diff.yaml").write_text(RULES)
    assert cli("diff", str(desired), str(live), cwd=tmp_path).returncode == 0
    assert cli("diff", str(desired), str(live), "--no-rules", cwd=tmp_path).returncode == 1


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("ignore:\n  - kind: Deployment\n    pathz: [/a]\n", 3, 'unknown key "pathz"'),
        ("ignore:\n  - name: 'web-[a'\n    paths: [/a]\n", 2, "unclosed '['"),
        ("ignore:\n  - paths:\n    - /ok\n    - spec/replicas\n", 4, "starting with '/'"),
        ("ignore:\n  - paths: ['/a~2b']\n", 2, "'~' not followed by 0 or 1"),
        ("presets:\n  hpa-replicas: sometimes\n", 2, "must be true or false"),
    ],
)
def test_bad_rules_files_exit_2_naming_file_and_line_before_reading_inputs(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    (tmp_path / "rules.yaml").write_text(text)
    # The inputs do not exist: the rules error must come first.
    result = cli("diff", "missing-desired", "missing-live", "--rules", "rules.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert f"rules.yaml:{line}:" in result.stderr
    assert message in result.stderr


def test_load_rules_raises_the_rules_error_class(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("colour: red\n")
    with pytest.raises(gitops_diff.InvalidRulesError, match=r"r\.yaml:1:1: unknown key"):
        gitops_diff.load_rules(path)
