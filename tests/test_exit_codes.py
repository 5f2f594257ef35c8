"""Exit codes (kubectl diff's by default, terraform's with --detailed-exitcode,
--exit-zero), computed after ignore rules; and bad --report targets, refused before the
diff runs without leaving any file behind."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import RunCli, write

from gitops_diff.render import FORMATS

_DEPLOYMENT = (
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web, namespace: app}}\n"
    "spec:\n  replicas: {replicas}\n  template: {{spec: {{containers: [{{name: c, image: x}}]}}}}\n"
)


@pytest.fixture
def drift(tmp_path: Path) -> tuple[Path, Path]:
    desired = write(tmp_path / "desired.yaml", _DEPLOYMENT.format(replicas=2))
    live = write(tmp_path / "live.yaml", _DEPLOYMENT.format(replicas=5))
    return desired, live


@pytest.mark.parametrize(
    ("flags", "in_sync", "drifted", "failed"),
    [
        ((), 0, 1, 2),
        (("--detailed-exitcode",), 0, 2, 1),
        (("--exit-zero",), 0, 0, 2),
    ],
    ids=["kubectl", "detailed", "exit-zero"],
)
def test_exit_codes_for_in_sync_drift_and_error(
    run_cli: RunCli,
    drift: tuple[Path, Path],
    tmp_path: Path,
    flags: tuple[str, ...],
    in_sync: int,
    drifted: int,
    failed: int,
) -> None:
    desired, live = drift
    assert run_cli("diff", desired, desired, *flags).returncode == in_sync
    assert run_cli("diff", desired, live, *flags).returncode == drifted
    broken = write(tmp_path / "broken.yaml", "a: [\n")
    result = run_cli("diff", broken, live, *flags)
    assert result.returncode == failed
    assert "broken.yaml" in result.stderr


def test_usage_errors_follow_the_chosen_convention(
    run_cli: RunCli, drift: tuple[Path, Path]
) -> None:
    desired, live = drift
    assert run_cli("diff", desired, live, "--format", "yaml").returncode == 2
    assert run_cli("diff", desired, live, "--format", "yaml", "--detailed-exitcode").returncode == 1
    both = run_cli("diff", desired, live, "--detailed-exitcode", "--exit-zero")
    assert both.returncode == 1 and "not allowed with" in both.stderr


@pytest.mark.parametrize(
    ("flags", "code"), [((), 0), (("--detailed-exitcode",), 0), (("--exit-zero",), 0)]
)
def test_ignored_differences_never_count_as_drift(
    run_cli: RunCli, drift: tuple[Path, Path], flags: tuple[str, ...], code: int
) -> None:
    desired, live = drift
    result = run_cli("diff", desired, live, "--ignore", "/spec/replicas", *flags)
    assert result.returncode == code, result.stdout
    assert "In sync" in result.stdout
    assert "1 differences ignored by rules" in result.stdout


def test_exit_code_does_not_depend_on_the_formats(
    run_cli: RunCli, drift: tuple[Path, Path]
) -> None:
    desired, live = drift
    for fmt in FORMATS:
        assert run_cli("diff", desired, live, "--format", fmt).returncode == 1, fmt


# --- --report targets ---------------------------------------------------------------------


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("yaml={folder}/out.yaml", "unknown format 'yaml'"),
        ("junit", "expected FORMAT=PATH"),
        ("junit=", "expected FORMAT=PATH"),
        ("junit={folder}/missing/out.xml", "does not exist"),
        ("junit={folder}", "is a folder"),
    ],
)
def test_bad_report_targets_fail_with_exit_2_before_the_diff_runs(
    run_cli: RunCli, tmp_path: Path, spec: str, message: str
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    # LIVE does not exist: had the diff run, the error would name it instead.
    result = run_cli(
        "diff",
        "desired-not-read",
        "live-not-read",
        "--report",
        f"json={folder}/ok.json",
        "--report",
        spec.format(folder=folder),
    )
    assert result.returncode == 2
    assert message in result.stderr
    assert "not-read" not in result.stderr
    assert result.stdout == ""
    assert _leftovers(folder) == []


def test_unwritable_report_folder_fails_before_the_diff_runs(
    run_cli: RunCli, tmp_path: Path
) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            # Root writes anywhere: use a folder that refuses new files to everyone.
            if not Path("/proc/self").is_dir():
                pytest.skip("no folder here refuses files to this user")
            target = "/proc/drift.xml"
        else:
            target = f"{folder}/drift.xml"
        result = run_cli("diff", "x", "y", "--report", f"junit={target}")
    finally:
        folder.chmod(0o700)
    assert result.returncode == 2
    assert "cannot write" in result.stderr
    assert _leftovers(folder) == []


def test_unwritable_existing_report_file_fails_before_the_diff_runs(
    run_cli: RunCli, drift: tuple[Path, Path], tmp_path: Path
) -> None:
    target = write(tmp_path / "drift.xml", "old")
    target.chmod(0o444)
    try:
        if os.access(target, os.W_OK):
            pytest.skip("this user can write read-only files")
        result = run_cli("diff", *drift, "--report", f"junit={target}")
    finally:
        target.chmod(0o644)
    assert result.returncode == 2
    assert "not writable" in result.stderr
    assert target.read_text() == "old"


def test_the_same_report_path_twice_is_refused(
    run_cli: RunCli, drift: tuple[Path, Path], tmp_path: Path
) -> None:
    target = tmp_path / "r.json"
    result = run_cli("diff", *drift, "--report", f"json={target}", "--report", f"patch={target}")
    assert result.returncode == 2
    assert "already the target" in result.stderr
    assert _leftovers(tmp_path) == ["desired.yaml", "live.yaml"]


def test_a_failed_diff_leaves_no_report_file_and_keeps_an_old_one(
    run_cli: RunCli, drift: tuple[Path, Path], tmp_path: Path
) -> None:
    desired, _ = drift
    old = write(tmp_path / "out" / "drift.json", "previous run")
    broken = write(tmp_path / "broken.yaml", "a: [\n")
    result = run_cli(
        "diff",
        desired,
        broken,
        "--report",
        f"json={old}",
        "--report",
        f"junit={old.parent / 'drift.xml'}",
    )
    assert result.returncode == 2
    assert _leftovers(old.parent) == ["drift.json"]
    assert old.read_text() == "previous run"


def test_reports_are_written_whole_beside_stdout(
    run_cli: RunCli, drift: tuple[Path, Path], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    result = run_cli(
        "diff",
        *drift,
        "--format",
        "gitlab-terraform",
        "--report",
        f"junit={out / 'drift.xml'}",
        "--report",
        f"markdown={out / 'drift.md'}",
    )
    assert result.returncode == 1
    assert result.stdout == '{"create": 0, "update": 1, "delete": 0}\n'
    assert _leftovers(out) == ["drift.md", "drift.xml"]
    assert (out / "drift.md").read_text().startswith("### gitops-diff: drift detected")


# --- GITOPS_DIFF_MASK_SALT ----------------------------------------------------------------


def test_mask_salt_from_the_environment_makes_output_reproducible(
    run_cli: RunCli, tmp_path: Path
) -> None:
    secret = "apiVersion: v1\nkind: Secret\nmetadata: {{name: s, namespace: a}}\ndata: {{k: {v}}}\n"
    desired = write(tmp_path / "d.yaml", secret.format(v="eA=="))
    live = write(tmp_path / "l.yaml", secret.format(v="eQ=="))
    runs = [
        run_cli("diff", desired, live, env={"GITOPS_DIFF_MASK_SALT": "0x2a"}).stdout
        for _ in range(2)
    ]
    assert runs[0] == runs[1]
    assert "<masked:" in runs[0]
    other = run_cli("diff", desired, live, env={"GITOPS_DIFF_MASK_SALT": "43"}).stdout
    assert other != runs[0]
    random = [
        run_cli("diff", desired, live, env={"GITOPS_DIFF_MASK_SALT": None}).stdout for _ in range(2)
    ]
    assert random[0] != random[1]


@pytest.mark.parametrize("value", ["salt", "-1", str(2**64)])
def test_an_invalid_mask_salt_is_an_error(
    run_cli: RunCli, drift: tuple[Path, Path], value: str
) -> None:
    result = run_cli("diff", *drift, env={"GITOPS_DIFF_MASK_SALT": value})
    assert result.returncode == 2
    assert "GITOPS_DIFF_MASK_SALT" in result.stderr
