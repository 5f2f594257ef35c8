"""No Secret value reaches any output: known strings are planted in Secrets (data,
stringData, the last-applied annotation; changed, unchanged, removed, added, in a
missing and in an extra Secret) and the bytes of every format, on stdout and in report
files, are scanned for them, their base64 and their unsalted hashes."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest
from conftest import RunCli, write

from gitops_diff.render import FORMATS

CHANGED_DESIRED = "plant-desired-Vq81xR"
CHANGED_LIVE = "plant-live-Ka27mD"
UNCHANGED = "plant-unchanged-Tz64wE"
REMOVED = "plant-removed-Np39sJ"
ADDED = "plant-added-Hc52uB"
APPLIED_BEFORE = "plant-applied-Gd18oL"
ONLY_DESIRED = "plant-new-secret-Wm73aF"
ONLY_LIVE = "plant-old-secret-Ry46cK"
PLANTED = [
    CHANGED_DESIRED,
    CHANGED_LIVE,
    UNCHANGED,
    REMOVED,
    ADDED,
    APPLIED_BEFORE,
    ONLY_DESIRED,
    ONLY_LIVE,
]


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def forms(value: str) -> list[str]:
    """The value, its base64 (as Secret data holds it), and unsalted hashes of both."""
    out = [value, _b64(value)]
    for text in (value, _b64(value)):
        for algorithm in ("md5", "sha1", "sha256"):
            out.append(hashlib.new(algorithm, text.encode()).hexdigest())
    return out


def _secret(name: str, **fields: object) -> dict[str, object]:
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": name, "namespace": "app"},
        **fields,
    }


@pytest.fixture
def planted(tmp_path: Path) -> tuple[Path, Path]:
    desired = [
        _secret(
            "db",
            metadata={"name": "db", "namespace": "app", "annotations": {"team": "payments"}},
            type="Opaque",
            stringData={"password": CHANGED_DESIRED, "unchanged": UNCHANGED, "added": ADDED},
        ),
        _secret("new", type="Opaque", data={"key": _b64(ONLY_DESIRED)}),
    ]
    applied = _secret(
        "db",
        type="Opaque",
        stringData={"password": APPLIED_BEFORE, "unchanged": UNCHANGED, "token": REMOVED},
    )
    live = [
        _secret(
            "db",
            metadata={
                "name": "db",
                "namespace": "app",
                "uid": "1d2c",
                "annotations": {
                    "kubectl.kubernetes.io/last-applied-configuration": json.dumps(applied) + "\n"
                },
            },
            type="Opaque",
            data={
                "password": _b64(CHANGED_LIVE),
                "unchanged": _b64(UNCHANGED),
                "token": _b64(REMOVED),
            },
        ),
        _secret(
            "old",
            metadata={
                "name": "old",
                "namespace": "app",
                "annotations": {
                    "kubectl.kubernetes.io/last-applied-configuration": json.dumps(
                        _secret("old", stringData={"key": ONLY_LIVE})
                    )
                },
            },
            data={"key": _b64(ONLY_LIVE)},
        ),
    ]
    desired_path = write(
        tmp_path / "desired.json",
        json.dumps({"kind": "List", "apiVersion": "v1", "items": desired}),
    )
    live_path = write(
        tmp_path / "live.json", json.dumps({"kind": "List", "apiVersion": "v1", "items": live})
    )
    return desired_path, live_path


def _assert_clean(where: str, data: bytes) -> None:
    for value in PLANTED:
        for form in forms(value):
            assert form.encode() not in data, f"{where}: {form!r} (from {value}) leaked"


MODES = [
    ("three-way",),
    ("strict",),
    # The last-applied annotation is then compared too, as a plain annotation.
    ("strict", "--no-normalize", "server-fields"),
    ("three-way", "--no-normalize", "secret-string-data"),
]


@pytest.mark.parametrize("mode", MODES, ids=lambda m: "-".join(m))
def test_no_format_prints_a_secret_value(
    run_cli: RunCli, planted: tuple[Path, Path], tmp_path: Path, mode: tuple[str, ...]
) -> None:
    desired, live = planted
    reports = tmp_path / "reports"
    reports.mkdir()
    args = [a for fmt in FORMATS for a in ("--report", f"{fmt}={reports / fmt}")]
    for fmt in FORMATS:
        result = run_cli(
            "diff",
            desired,
            live,
            "--mode",
            mode[0],
            *mode[1:],
            "--format",
            fmt,
            "--color",
            "--extra",
            "all",
            *args,
        )
        assert result.returncode == 1, result.stderr
        _assert_clean(f"{fmt} on stdout", result.stdout.encode())
        _assert_clean(f"{fmt} on stderr", result.stderr.encode())
    for fmt in FORMATS:
        data = (reports / fmt).read_bytes()
        _assert_clean(f"{fmt} report file", data)
    # The changes are still there, masked.
    assert b"<masked:" in (reports / "text").read_bytes()
    assert b"<masked:" in (reports / "unified").read_bytes()
    assert b"password" in (reports / "patch").read_bytes()


def test_masks_agree_across_formats_and_differ_between_values(
    run_cli: RunCli, planted: tuple[Path, Path]
) -> None:
    desired, live = planted
    env = {"GITOPS_DIFF_MASK_SALT": "7"}
    report = json.loads(run_cli("diff", desired, live, "--format", "json", env=env).stdout)
    [db] = [o for o in report["objects"] if o["name"] == "db"]
    [password] = [c for c in db["changes"] if c["path"] == "data.password"]
    assert password["desired"] != password["live"]
    patch = json.loads(run_cli("diff", desired, live, "--format", "patch", env=env).stdout)
    [db_patch] = [o["patch"] for o in patch["objects"] if o["name"] == "db"]
    assert {"op": "replace", "path": "/data/password", "value": password["desired"]} in db_patch
    unified = run_cli("diff", desired, live, "--format", "unified", env=env).stdout
    assert f"-  password: {password['live']}" in unified.replace('"', "")
    assert f"+  password: {password['desired']}" in unified.replace('"', "")
    # An unchanged value has one mask on both sides.
    assert unified.count("unchanged: ") == 1


def test_show_secrets_shows_values_and_says_it_is_for_local_use(
    run_cli: RunCli, planted: tuple[Path, Path]
) -> None:
    desired, live = planted
    result = run_cli("diff", desired, live, "--format", "patch", "--show-secrets")
    assert _b64(CHANGED_DESIRED) in result.stdout
    for command in ("diff", "external"):
        help_text = " ".join(run_cli(command, "--help").stdout.split())
        assert "--show-secrets" in help_text
        assert "for local use only" in help_text
