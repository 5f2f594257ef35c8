"""The `gitops-diff` command, run as a subprocess: exit codes, formats, errors, stdin,
color, and secrets."""

from __future__ import annotations

import base64
import errno
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import RunCli, cli_env, write
from reference_hash import object_hash

HEX32 = re.compile(r"[0-9a-f]{32}")
ESCAPE = "\x1b["

# --- exit codes ------------------------------------------------------------------------


def test_exit_code_is_0_when_desired_is_diffed_with_itself(
    run_cli: RunCli, example_desired: Path
) -> None:
    result = run_cli("diff", example_desired, example_desired)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.startswith("In sync: 40 objects match.")


def test_exit_code_is_1_on_drift(
    run_cli: RunCli, example_desired: Path, example_live: Path
) -> None:
    result = run_cli("diff", example_desired, example_live)
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    assert "Drift: 4 modified (5 changes), 1 missing, 1 extra; 35 in sync." in result.stdout


def test_text_report_names_each_drifted_object_and_where_it_is_defined(
    run_cli: RunCli, example_desired: Path, example_live: Path
) -> None:
    out = run_cli("diff", example_desired, example_live).stdout
    for line in [
        "~ apps/Deployment shop/frontend",
        "~ apps/Deployment payments/payments-api",
        "~ ConfigMap shop/shop-config",
        "~ Service shop/cart",
        "+ networking.k8s.io/NetworkPolicy shop/redis-allow-cart",
        "- apps/Deployment shop/old-worker",
    ]:
        assert any(row.startswith(line + "  ") for row in out.splitlines()), line
    assert "apps/shop/frontend.yaml:2" in out
    assert "spec.template.spec.containers[name=frontend].image" in out


def test_exit_code_is_2_for_a_missing_file(
    run_cli: RunCli, example_live: Path, tmp_path: Path
) -> None:
    missing = tmp_path / "nowhere.yaml"
    result = run_cli("diff", missing, example_live)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("gitops-diff: error: ")
    assert str(missing) in result.stderr


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("a: b: c\n", 1, 5),
        ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  k: @foo\n", 6, 6),
        ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\ndata: {}\n", 4, 5),
    ],
)
def test_exit_code_is_2_for_malformed_yaml_and_stderr_names_file_line_column(
    run_cli: RunCli, example_live: Path, tmp_path: Path, text: str, line: int, column: int
) -> None:
    bad = write(tmp_path / "broken.yaml", text)
    result = run_cli("diff", bad, example_live)
    assert result.returncode == 2
    assert result.stdout == ""
    assert f"{bad}:{line}:{column}: " in result.stderr


def test_an_error_in_one_file_of_a_folder_prints_no_partial_report(
    run_cli: RunCli, example_desired: Path, tmp_path: Path
) -> None:
    write(tmp_path / "good.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
    bad = write(tmp_path / "z-bad.yaml", "a: b: c\n")
    for args in (("diff", tmp_path, example_desired), ("hash", tmp_path), ("normalize", tmp_path)):
        result = run_cli(*args)
        assert result.returncode == 2, args
        assert result.stdout == "", args
        assert f"{bad}:1:5: " in result.stderr, args


def test_when_both_sides_are_malformed_the_desired_side_is_reported(
    run_cli: RunCli, example_live: Path, tmp_path: Path
) -> None:
    # The two sides load at the same time; the error is still the one a reader of the
    # command line meets first.
    desired = write(tmp_path / "desired.yaml", "a: b: c\n")
    live = write(tmp_path / "live.json", '{"kind": ')
    result = run_cli("diff", desired, live)
    assert result.returncode == 2
    assert f"{desired}:1:5: " in result.stderr
    assert str(live) not in result.stderr
    good = run_cli("diff", example_live, live)
    assert good.returncode == 2
    assert f"{live}:1:" in good.stderr


def test_exit_code_is_2_for_an_object_without_kind(run_cli: RunCli, tmp_path: Path) -> None:
    bad = write(tmp_path / "kindless.yaml", "apiVersion: v1\nmetadata:\n  name: x\n")
    result = run_cli("hash", bad)
    assert result.returncode == 2
    assert result.stdout == ""
    assert f"{bad}:1: " in result.stderr


def test_exit_code_is_2_for_duplicate_objects(run_cli: RunCli, tmp_path: Path) -> None:
    doc = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"
    bad = write(tmp_path / "twice.yaml", doc + "---\n" + doc)
    result = run_cli("diff", bad, bad)
    assert result.returncode == 2
    assert result.stdout == ""
    assert f"{bad}:1" in result.stderr
    assert f"{bad}:5" in result.stderr


def test_usage_errors_exit_2(run_cli: RunCli, example_desired: Path) -> None:
    result = run_cli("diff", example_desired, example_desired, "--mode", "sideways")
    assert result.returncode == 2
    assert result.stdout == ""


# --- formats ------------------------------------------------------------------------------


def test_json_format_is_valid_json_with_schema_version(
    run_cli: RunCli, example_desired: Path, example_live: Path
) -> None:
    result = run_cli("diff", example_desired, example_live, "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["schema_version"] == 1
    assert report["mode"] == "three-way"
    assert report["summary"]["modified"] == 4
    assert report["summary"]["missing"] == 1
    assert report["summary"]["extra"] == 1
    assert HEX32.fullmatch(report["desired_digest"])
    assert HEX32.fullmatch(report["live_digest"])
    assert {o["status"] for o in report["objects"]} == {"modified", "missing", "extra"}


def test_json_format_in_sync_has_no_objects(run_cli: RunCli, example_desired: Path) -> None:
    result = run_cli(
        "diff", example_desired, example_desired, "--format", "json", "--mode", "strict"
    )
    assert result.returncode == 0
    report = json.loads(result.stdout)
    assert report["objects"] == []
    assert report["mode"] == "strict"
    assert report["desired_digest"] == report["live_digest"]


def test_strict_mode_reports_more_than_three_way(
    run_cli: RunCli, example_desired: Path, example_live: Path
) -> None:
    three_way = json.loads(
        run_cli("diff", example_desired, example_live, "--format", "json").stdout
    )
    strict = json.loads(
        run_cli(
            "diff", example_desired, example_live, "--format", "json", "--mode", "strict"
        ).stdout
    )
    assert strict["summary"]["changes"] > three_way["summary"]["changes"]


def test_hash_command_prints_one_hash_per_object_and_a_set_digest(
    run_cli: RunCli, example_desired: Path
) -> None:
    result = run_cli("hash", example_desired)
    assert result.returncode == 0, result.stderr
    *rows, last = result.stdout.splitlines()
    assert len(rows) == 40
    for row in rows:
        digest, identity, source = row.split("  ")
        assert HEX32.fullmatch(digest)
        assert identity
        assert re.search(r"\.ya?ml:\d+$", source)
    digest, _, tail = last.partition("  ")
    assert HEX32.fullmatch(digest)
    assert tail == "(set of 40 objects)"


def test_hash_command_is_deterministic_and_matches_the_report_digest(
    run_cli: RunCli, example_desired: Path, example_live: Path
) -> None:
    first = run_cli("hash", example_desired).stdout
    assert first == run_cli("hash", example_desired).stdout
    report = json.loads(run_cli("diff", example_desired, example_live, "--format", "json").stdout)
    assert first.splitlines()[-1].split("  ")[0] == report["desired_digest"]


def test_normalize_command_prints_a_json_list_of_normalized_objects(
    run_cli: RunCli, example_desired: Path
) -> None:
    result = run_cli("normalize", example_desired)
    assert result.returncode == 0, result.stderr
    listing = json.loads(result.stdout)
    assert (listing["apiVersion"], listing["kind"]) == ("v1", "List")
    assert len(listing["items"]) == 40
    settings = [i for i in listing["items"] if i["metadata"]["name"] == "platform-settings"]
    assert settings[0]["metadata"]["namespace"] == "default"  # filled in from identity
    assert all("stringData" not in i for i in listing["items"])


def test_normalize_drops_server_fields(run_cli: RunCli, example_live: Path) -> None:
    listing = json.loads(run_cli("normalize", example_live).stdout)
    for item in listing["items"]:
        assert "status" not in item
        assert "uid" not in item["metadata"]
        assert "managedFields" not in item["metadata"]
        assert "resourceVersion" not in item["metadata"]


# --- stdin ------------------------------------------------------------------------------


def _desired_stream(example_desired: Path) -> str:
    files = sorted(p for p in example_desired.rglob("*.yaml"))
    return "\n---\n".join(p.read_text(encoding="utf-8") for p in files)


def test_dash_reads_desired_from_stdin(
    run_cli: RunCli, example_desired: Path, example_live: Path
) -> None:
    from_files = json.loads(
        run_cli("diff", example_desired, example_live, "--format", "json").stdout
    )
    piped = run_cli(
        "diff", "-", example_live, "--format", "json", stdin=_desired_stream(example_desired)
    )
    assert piped.returncode == 1, piped.stderr
    from_stdin = json.loads(piped.stdout)
    assert from_stdin["summary"] == from_files["summary"]
    assert from_stdin["desired_digest"] == from_files["desired_digest"]
    sources = [o["desired_source"] for o in from_stdin["objects"] if o["desired_source"]]
    assert sources and all(s.startswith("<stdin>:") for s in sources)


def test_dash_reads_live_json_from_stdin(
    run_cli: RunCli, example_desired: Path, example_live: Path
) -> None:
    piped = run_cli("diff", example_desired, "-", stdin=example_live.read_text(encoding="utf-8"))
    assert piped.returncode == 1, piped.stderr
    assert "Drift: 4 modified (5 changes), 1 missing, 1 extra" in piped.stdout


def test_hash_of_stdin_equals_hash_of_the_files(run_cli: RunCli, example_desired: Path) -> None:
    piped = run_cli("hash", "-", stdin=_desired_stream(example_desired))
    assert piped.returncode == 0, piped.stderr
    last = run_cli("hash", example_desired).stdout.splitlines()[-1]
    assert piped.stdout.splitlines()[-1] == last


def test_both_sides_from_stdin_is_an_error(run_cli: RunCli) -> None:
    result = run_cli("diff", "-", "-", stdin="")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "stdin" in result.stderr


# --- color --------------------------------------------------------------------------------


def test_no_escape_codes_when_stdout_is_not_a_terminal(
    run_cli: RunCli, example_desired: Path, example_live: Path
) -> None:
    result = run_cli("diff", example_desired, example_live)
    assert result.returncode == 1
    assert ESCAPE not in result.stdout
    assert ESCAPE not in result.stderr


def test_color_flag_forces_escape_codes(
    run_cli: RunCli, example_desired: Path, example_live: Path
) -> None:
    result = run_cli("diff", example_desired, example_live, "--color")
    assert ESCAPE in result.stdout


def test_no_color_flag_wins_over_a_terminal(example_desired: Path, example_live: Path) -> None:
    out, code = _run_on_terminal(["diff", str(example_desired), str(example_live), "--no-color"])
    assert code == 1
    assert ESCAPE not in out


def _run_on_terminal(args: list[str], env: dict[str, str | None] | None = None) -> tuple[str, int]:
    """Runs the CLI with stdout on a pseudo-terminal; returns (stdout, exit code)."""
    pty = pytest.importorskip("pty")
    main, child = pty.openpty()
    with tempfile.TemporaryDirectory() as empty:
        process = subprocess.Popen(
            [sys.executable, "-m", "gitops_diff", *args],
            stdin=subprocess.DEVNULL,
            stdout=child,
            stderr=subprocess.DEVNULL,
            env=cli_env(env),
            cwd=empty,
        )
        os.close(child)
        chunks = []
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError as error:  # EIO: the child closed the terminal
                if error.errno != errno.EIO:
                    raise
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(main)
        code = process.wait()
    return b"".join(chunks).decode("utf-8"), code


def test_terminal_output_is_colored(example_desired: Path, example_live: Path) -> None:
    out, code = _run_on_terminal(["diff", str(example_desired), str(example_live)])
    assert code == 1
    assert ESCAPE in out


def test_no_color_environment_variable_disables_color_on_a_terminal(
    example_desired: Path, example_live: Path
) -> None:
    out, code = _run_on_terminal(
        ["diff", str(example_desired), str(example_live)], env={"NO_COLOR": "1"}
    )
    assert code == 1
    assert "Drift:" in out
    assert ESCAPE not in out


# --- secrets ------------------------------------------------------------------------------

PLANTED_DESIRED = "planted-desired-Xk29fQ"
PLANTED_LIVE = "planted-live-Pq83mZ"
PLANTED_REMOVED = "planted-removed-Lw71tB"
PLANTED_ADDED = "planted-added-Hs55vN"


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _forms(*values: str) -> list[str]:
    """Each value as written and base64-encoded (as Secret data holds it)."""
    return [form for v in values for form in (v, _b64(v))]


@pytest.fixture
def secret_drift(tmp_path: Path) -> tuple[Path, Path]:
    """A Secret that differs in three ways: a changed value, a value removed from Git
    (still in last-applied and live), and a value live lacks."""
    desired = write(
        tmp_path / "secret.yaml",
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: app\n"
        f"type: Opaque\nstringData:\n  password: {PLANTED_DESIRED}\n  added: {PLANTED_ADDED}\n",
    )
    applied = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "db", "namespace": "app"},
        "type": "Opaque",
        "stringData": {"password": "older", "token": PLANTED_REMOVED},
    }
    live_secret = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {
            "name": "db",
            "namespace": "app",
            "uid": "5b0c",
            "annotations": {
                "kubectl.kubernetes.io/last-applied-configuration": json.dumps(applied) + "\n"
            },
        },
        "type": "Opaque",
        "data": {"password": _b64(PLANTED_LIVE), "token": _b64(PLANTED_REMOVED)},
    }
    live = write(
        tmp_path / "live.json",
        json.dumps({"apiVersion": "v1", "kind": "List", "items": [live_secret]}),
    )
    return desired, live


ALL_PLANTED = _forms(PLANTED_DESIRED, PLANTED_LIVE, PLANTED_REMOVED, PLANTED_ADDED)


@pytest.mark.parametrize("mode", ["three-way", "strict"])
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_secret_drift_never_prints_a_secret_value(
    run_cli: RunCli, secret_drift: tuple[Path, Path], fmt: str, mode: str
) -> None:
    desired, live = secret_drift
    result = run_cli("diff", desired, live, "--format", fmt, "--mode", mode, "--color")
    assert result.returncode == 1, result.stderr
    for form in ALL_PLANTED:
        assert form not in result.stdout
        assert form not in result.stderr
    assert "<masked:" in result.stdout
    assert "password" in result.stdout  # the change itself is still reported


def test_secret_drift_is_reported_as_changes_at_each_key(
    run_cli: RunCli, secret_drift: tuple[Path, Path]
) -> None:
    desired, live = secret_drift
    report = json.loads(run_cli("diff", desired, live, "--format", "json").stdout)
    [obj] = report["objects"]
    assert sorted((c["op"], c["pointer"]) for c in obj["changes"]) == [
        ("add", "/data/added"),
        ("remove", "/data/token"),
        ("replace", "/data/password"),
    ]
    masks = [c.get("desired") or c.get("live") for c in obj["changes"]]
    assert all(isinstance(m, str) and m.startswith("<masked:") for m in masks)


def test_secret_masks_differ_for_different_values(
    run_cli: RunCli, secret_drift: tuple[Path, Path]
) -> None:
    desired, live = secret_drift
    report = json.loads(run_cli("diff", desired, live, "--format", "json").stdout)
    [change] = [c for c in report["objects"][0]["changes"] if c["op"] == "replace"]
    assert change["desired"] != change["live"]


def test_whole_secret_data_missing_live_is_masked(run_cli: RunCli, tmp_path: Path) -> None:
    desired = write(
        tmp_path / "secret.yaml",
        "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: app}\n"
        f"stringData: {{password: {PLANTED_DESIRED}}}\n",
    )
    live = write(
        tmp_path / "live.yaml",
        "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: app}\ntype: Opaque\n",
    )
    for fmt in ("text", "json"):
        result = run_cli("diff", desired, live, "--format", fmt)
        assert result.returncode == 1, result.stderr
        assert "data" in result.stdout
        for form in _forms(PLANTED_DESIRED):
            assert form not in result.stdout


def test_show_secrets_prints_secret_values(
    run_cli: RunCli, secret_drift: tuple[Path, Path]
) -> None:
    desired, live = secret_drift
    for fmt in ("text", "json"):
        result = run_cli("diff", desired, live, "--format", fmt, "--show-secrets")
        assert result.returncode == 1
        assert _b64(PLANTED_DESIRED) in result.stdout
        assert _b64(PLANTED_LIVE) in result.stdout
        assert "<masked:" not in result.stdout


def test_normalize_masks_secret_values_unless_shown(
    run_cli: RunCli, secret_drift: tuple[Path, Path]
) -> None:
    desired, live = secret_drift
    for path in (desired, live):
        masked = run_cli("normalize", path)
        assert masked.returncode == 0, masked.stderr
        for form in ALL_PLANTED:
            assert form not in masked.stdout
    shown = run_cli("normalize", desired, "--show-secrets")
    assert _b64(PLANTED_DESIRED) in json.loads(shown.stdout)["items"][0]["data"]["password"]


def test_hash_command_prints_no_secret_value(
    run_cli: RunCli, secret_drift: tuple[Path, Path]
) -> None:
    for path in secret_drift:
        result = run_cli("hash", path)
        assert result.returncode == 0, result.stderr
        for form in ALL_PLANTED:
            assert form not in result.stdout


def test_json_report_does_not_let_anyone_confirm_a_guessed_secret(
    run_cli: RunCli, tmp_path: Path
) -> None:
    desired = write(
        tmp_path / "secret.yaml",
        "apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: app}\ntype: Opaque\n"
        "stringData: {password: hunter2}\n",
    )
    live = write(
        tmp_path / "live.yaml",
        "apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: app}\ntype: Opaque\n"
        f"data: {{password: {_b64('rotated-by-hand')}}}\n",
    )
    report = json.loads(run_cli("diff", desired, live, "--format", "json").stdout)
    [obj] = report["objects"]
    keys = [c["path"].removeprefix("data.") for c in obj["changes"]]

    def guess(value: str) -> str:
        return object_hash(
            {
                "apiVersion": obj["api_version"],
                "kind": obj["kind"],
                "metadata": {"name": obj["name"], "namespace": obj["namespace"]},
                "type": "Opaque",
                "data": {key: _b64(value) for key in keys},
            }
        )

    confirmed = [w for w in ("password", "letmein", "hunter2") if guess(w) == obj["desired_hash"]]
    assert confirmed == []


def test_version_flag_prints_the_version(run_cli: RunCli) -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert re.fullmatch(r"gitops-diff \d+\.\d+\.\d+\S*\n", result.stdout)


def test_limit_option_changes_an_input_bound(run_cli: RunCli, tmp_path: Path) -> None:
    deep = write(
        tmp_path / "deep.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\nx: "
        + "[" * 200
        + "]" * 200
        + "\n",
    )
    refused = run_cli("hash", deep)
    assert refused.returncode == 2
    assert "nesting deeper than 128 levels" in refused.stderr
    accepted = run_cli("hash", deep, "--limit", "max_depth=256")
    assert accepted.returncode == 0, accepted.stderr
    small = run_cli("hash", deep, "--limit", "max_source_bytes=100")
    assert small.returncode == 2 and "more than the limit of 100 bytes" in small.stderr


def test_malformed_limit_is_a_usage_error(run_cli: RunCli) -> None:
    result = run_cli("hash", "x.yaml", "--limit", "max_depth")
    assert result.returncode == 2
    assert "is not NAME=VALUE" in result.stderr
