"""`gitops-diff external LIVE_DIR MERGED_DIR`, as `KUBECTL_EXTERNAL_DIFF` runs it: kubectl
writes one YAML file per object into each of two temporary folders, named
`group.version.kind.namespace.name` without extension, and an empty file for an object
that one side lacks (created, or pruned with --prune)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import RunCli, write


def _server_fields(obj: dict[str, Any], generation: int) -> dict[str, Any]:
    """What the API server adds to an object (both sides of kubectl diff have it)."""
    out = json.loads(json.dumps(obj))
    meta = out["metadata"]
    meta.update(
        {
            "uid": "0b7c5a9e-0000-4000-8000-000000000001",
            "resourceVersion": str(1000 + generation),
            "generation": generation,
            "creationTimestamp": "2026-01-05T10:00:00Z",
            "managedFields": [{"manager": "kubectl-client-side-apply", "operation": "Update"}],
        }
    )
    return out


def _deployment(replicas: int, generation: int) -> dict[str, Any]:
    return _server_fields(
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "frontend", "namespace": "shop", "labels": {"app": "frontend"}},
            "spec": {
                "replicas": replicas,
                "revisionHistoryLimit": 10,
                "selector": {"matchLabels": {"app": "frontend"}},
                "template": {
                    "metadata": {"labels": {"app": "frontend"}},
                    "spec": {
                        "containers": [
                            {
                                "name": "frontend",
                                "image": "registry.example.com/shop/frontend:1.14.2",
                                "imagePullPolicy": "IfNotPresent",
                                "terminationMessagePath": "/dev/termination-log",
                            }
                        ],
                        "dnsPolicy": "ClusterFirst",
                    },
                },
            },
            "status": {"replicas": 4, "readyReplicas": 4},
        },
        generation,
    )


_SERVICE = _server_fields(
    {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "frontend", "namespace": "shop"},
        "spec": {
            "clusterIP": "10.0.0.12",
            "ports": [{"port": 80, "protocol": "TCP", "targetPort": 8080}],
        },
    },
    1,
)
_CONFIGMAP = _server_fields(
    {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "shop-config", "namespace": "shop"},
        "data": {"LOG_LEVEL": "info"},
    },
    0,
)
_NAMESPACE = _server_fields(
    {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": "legacy"},
        "spec": {"finalizers": ["kubernetes"]},
    },
    0,
)


def _lay_out(folder: Path, objects: dict[str, dict[str, Any] | None]) -> Path:
    """One file per object, as kubectl writes it (YAML; empty for an absent object)."""
    folder.mkdir()
    for name, obj in objects.items():
        write(folder / name, "" if obj is None else yaml.safe_dump(obj, sort_keys=True))
    return folder


@pytest.fixture
def kubectl_folders(tmp_path: Path) -> tuple[Path, Path]:
    live = _lay_out(
        tmp_path / "LIVE-2718281828",
        {
            "apps.v1.Deployment.shop.frontend": _deployment(replicas=4, generation=3),
            "v1.Service.shop.frontend": _SERVICE,
            "v1.ConfigMap.shop.shop-config": None,
            "v1.Namespace..legacy": _NAMESPACE,
        },
    )
    merged = _lay_out(
        tmp_path / "MERGED-3141592653",
        {
            # The server's dry run: a new generation and resourceVersion, same defaults.
            "apps.v1.Deployment.shop.frontend": _deployment(replicas=2, generation=4),
            "v1.Service.shop.frontend": {
                **_SERVICE,
                "metadata": {**_SERVICE["metadata"], "resourceVersion": "2001"},
            },
            "v1.ConfigMap.shop.shop-config": _CONFIGMAP,
            # Pruned by `kubectl diff --prune`.
            "v1.Namespace..legacy": None,
        },
    )
    return live, merged


def test_external_reports_what_kubectl_would_change(
    run_cli: RunCli, kubectl_folders: tuple[Path, Path]
) -> None:
    live, merged = kubectl_folders
    result = run_cli("external", live, merged)
    assert result.returncode == 1, result.stderr
    out = result.stdout
    assert "~ apps/Deployment shop/frontend  (differs from Git, 1 change)" in out
    assert "    ~ spec.replicas: 4 -> 2" in out
    assert "+ ConfigMap shop/shop-config" in out
    assert "- Namespace legacy" in out
    # Server fields on both sides and the equal Service are not drift.
    assert "Service" not in out
    assert "resourceVersion" not in out and "generation" not in out
    assert "Drift: 1 modified (1 changes), 1 missing, 1 extra; 1 in sync." in out


def test_external_with_equal_folders_exits_0(run_cli: RunCli, tmp_path: Path) -> None:
    objects = {
        "apps.v1.Deployment.shop.frontend": _deployment(2, 1),
        "v1.Service.shop.frontend": _SERVICE,
    }
    live = _lay_out(tmp_path / "LIVE-1", objects)
    merged = _lay_out(tmp_path / "MERGED-1", objects)
    result = run_cli("external", live, merged)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("In sync: 2 objects match.")


def test_external_compares_strictly_a_field_only_the_live_side_has(
    run_cli: RunCli, tmp_path: Path
) -> None:
    dropped = _deployment(2, 1)
    del dropped["spec"]["revisionHistoryLimit"]
    live = _lay_out(tmp_path / "LIVE-1", {"apps.v1.Deployment.shop.frontend": _deployment(2, 1)})
    merged = _lay_out(tmp_path / "MERGED-1", {"apps.v1.Deployment.shop.frontend": dropped})
    result = run_cli("external", live, merged)
    assert result.returncode == 1
    assert "- spec.revisionHistoryLimit: 10 -> (absent)" in result.stdout


def test_external_formats_reports_and_exit_codes(
    run_cli: RunCli, kubectl_folders: tuple[Path, Path], tmp_path: Path
) -> None:
    live, merged = kubectl_folders
    report = tmp_path / "drift.json"
    result = run_cli(
        "external",
        live,
        merged,
        "--format",
        "unified",
        "--report",
        f"json={report}",
        "--detailed-exitcode",
    )
    assert result.returncode == 2, result.stderr
    assert (
        "diff -u -N live/apps.v1.Deployment.shop.frontend merged/apps.v1.Deployment.shop.frontend"
        in result.stdout
    )
    assert "-  replicas: 4\n+  replicas: 2\n" in result.stdout
    document = json.loads(report.read_text())
    assert document["mode"] == "strict"
    summary = document["summary"]
    assert (summary["modified"], summary["missing"], summary["extra"]) == (1, 1, 1)


def test_external_skips_hidden_entries_and_subfolders(
    run_cli: RunCli, kubectl_folders: tuple[Path, Path]
) -> None:
    live, merged = kubectl_folders
    write(live / ".swap", "not: yaml: at all")
    (merged / "nested").mkdir()
    assert run_cli("external", live, merged).returncode == 1


def test_external_needs_two_folders(run_cli: RunCli, kubectl_folders: tuple[Path, Path]) -> None:
    live, merged = kubectl_folders
    result = run_cli("external", live / "apps.v1.Deployment.shop.frontend", merged)
    assert result.returncode == 2
    assert "not a folder" in result.stderr
