"""Ignore rules and field-manager rules against Argo CD's own ignoreDifferences and
managedFields fixtures (expected results in the corpus's SOURCES.md)."""

from __future__ import annotations

from typing import Any

import gitops_diff
from tests.corpus import corpus_path, require_corpus

require_corpus()

UTIL = "argoproj__argo-cd/util/argo/testdata/"
CONTROLLER = "argoproj__argo-cd/controller/testdata/"


def paths(report: gitops_diff.Report) -> set[str]:
    return {c.path for o in report.objects for c in o.changes}


def managed_replica(**options: Any) -> gitops_diff.Report:
    return gitops_diff.diff(
        corpus_path(UTIL + "desired_deployment.yaml"),
        corpus_path(UTIL + "live_deployment_with_managed_replica.yaml"),
        **options,
    )


def test_replicas_owned_by_the_controller_manager_are_drift_without_rules() -> None:
    report = managed_replica()
    assert paths(report) == {"spec.replicas", "spec.revisionHistoryLimit"}
    replicas = next(c for o in report.objects for c in o.changes if c.path == "spec.replicas")
    assert (replicas.desired, replicas.live) == (3, 2)


def test_trusting_the_controller_manager_ignores_replicas() -> None:
    report = managed_replica(ignore_managers=["kube-controller-manager"])
    assert paths(report) == {"spec.revisionHistoryLimit"}
    assert report.summary["ignored"] == 1


def test_a_json_pointer_rule_ignores_replicas() -> None:
    report = managed_replica(ignore=["kind=Deployment:/spec/replicas"])
    assert paths(report) == {"spec.revisionHistoryLimit"}


def test_two_trusted_managers_remove_both_fields_from_the_comparison() -> None:
    report = managed_replica(
        ignore_managers=["kube-controller-manager", "revision-history-manager"]
    )
    assert not report.has_drift
    assert report.summary["ignored"] == 2


def webhook(**options: Any) -> gitops_diff.Report:
    return gitops_diff.diff(
        corpus_path(UTIL + "desired_validating_webhook.yaml"),
        corpus_path(UTIL + "live_validating_webhook.yaml"),
        **options,
    )


def test_injected_ca_bundle_is_ignored_by_the_preset() -> None:
    report = webhook()
    assert not report.has_drift
    assert report.summary["ignored"] == 1


def test_injected_ca_bundle_is_drift_with_the_preset_off() -> None:
    report = webhook(presets={"webhook-ca-bundle": False})
    assert paths(report) == {
        "webhooks[name=validate.externalsecret.external-secrets.io].clientConfig.caBundle"
    }


def test_ca_bundle_owned_by_a_trusted_manager_inside_a_list_is_ignored() -> None:
    report = webhook(presets={"webhook-ca-bundle": False}, ignore_managers=["external-secrets"])
    assert not report.has_drift


def controller_pair(target: str, live: str, **options: Any) -> gitops_diff.Report:
    return gitops_diff.diff(
        corpus_path(CONTROLLER + target), corpus_path(CONTROLLER + live), **options
    )


IGNORED = ["/metadata/annotations/iksm-version", "/spec/replicas"]


def test_ignored_annotation_and_replicas_leave_the_deployment_in_sync() -> None:
    report = controller_pair("target-deployment.yaml", "live-deployment.yaml", ignore=IGNORED)
    assert not report.has_drift
    assert report.summary["ignored"] == 2


def test_new_entries_in_git_stay_drift_while_ignored_fields_do_not() -> None:
    report = controller_pair(
        "target-deployment-new-entries.yaml", "live-deployment.yaml", ignore=IGNORED
    )
    assert "spec.template.spec.containers[name=new-container]" in paths(report)
    assert not any(p.startswith(("spec.replicas", "metadata.annotations")) for p in paths(report))


def test_ignoring_image_and_replicas_keeps_label_changes_visible() -> None:
    report = controller_pair(
        "minimal-image-replicas-deployment.yaml",
        "additional-image-replicas-deployment.yaml",
        ignore=["/spec/replicas", "/spec/template/spec/containers/*/image"],
    )
    assert not report.has_drift
    assert report.summary["ignored"] == 2


def test_ignoring_a_keyed_env_var_inside_a_container() -> None:
    ignore = [
        "/metadata/annotations/iksm-version",
        "/spec/replicas",
        "/spec/template/spec/containers/name=guestbook-ui/env/name=SOME_ENV_VAR/value",
    ]
    report = controller_pair(
        "target-deployment-env-vars.yaml", "live-deployment-env-vars.yaml", ignore=ignore
    )
    assert paths(report) == {
        "spec.template.spec.containers[name=guestbook-ui].env[name=SOME_OTHER_ENV_VAR]",
        "spec.template.spec.containers[name=guestbook-ui].env[name=YET_ANOTHER_ENV_VAR]",
    }


def test_nested_field_inside_arrays_of_a_custom_resource_can_be_ignored() -> None:
    report = controller_pair(
        "target-httpproxy.yaml",
        "live-httpproxy.yaml",
        ignore=["/spec/routes/*/rateLimitPolicy/global/descriptors"],
    )
    assert not report.has_drift
