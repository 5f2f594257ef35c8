"""Hostile input: each case is refused with a clear error naming the file, the line and
what is wrong (exit 2 from the CLI), or accepted where that is the documented behavior;
never a hang, a crash or unbounded memory. Secret values never appear in any message.

The Rust unit tests in rust/gitops-diff-core/src/load/ cover the loader rules one by
one; these tests check what a user sees through the API and the command.
"""

from __future__ import annotations

import base64
import io
import json
import logging
import os
import re
import subprocess
import sys
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import cli_env

import gitops_diff

# A CLI run that takes longer than this is a hang (the slowest case, the 100 MB
# scalar, takes seconds even in a debug build).
TIMEOUT_SECONDS = 120


def run_cli(*args: str | os.PathLike[str]) -> subprocess.CompletedProcess[str]:
    """`python -m gitops_diff ARGS` in an empty folder, bounded in time."""
    with tempfile.TemporaryDirectory() as empty:
        return subprocess.run(
            [sys.executable, "-m", "gitops_diff", *map(os.fspath, args)],
            input="",
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=cli_env(),
            cwd=empty,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )


def alias_bomb() -> bytes:
    """The billion laughs: ten levels of ten aliases each, 10^10 nodes if expanded."""
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for previous, name in zip("abcdefghi", "bcdefghij"):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
    return ("\n".join(lines) + "\n").encode()


def string_alias_bomb() -> bytes:
    """One 1 MiB string aliased 100 times: few nodes, 100 MiB if copied."""
    return b"a: &a " + b"x" * (1 << 20) + b"\nb: [" + b", ".join([b"*a"] * 100) + b"]\n"


@dataclass(frozen=True)
class Refused:
    """A file the loader must refuse: `error` is raised and `message` (a regex) matches
    the error text, which starts with `FILE:LINE`."""

    name: str
    content: bytes
    error: type[gitops_diff.GitopsDiffError]
    message: str


REFUSED = [
    Refused(
        "bomb.yaml", alias_bomb(), gitops_diff.LimitExceededError, r"^{}:\d+:\d+: .*alias bomb"
    ),
    Refused(
        "string-bomb.yaml",
        string_alias_bomb(),
        gitops_diff.LimitExceededError,
        r"^{}:2:\d+: anchors and aliases copy more than \d+ bytes",
    ),
    Refused(
        "deep-flow.yaml",
        b"a: " + b"[" * 100_000 + b"]" * 100_000 + b"\n",
        gitops_diff.LimitExceededError,
        r"^{}:1:\d+: nesting deeper than",
    ),
    Refused(
        "deep-block.yaml",
        b"- " * 100_000 + b"x\n",
        gitops_diff.LimitExceededError,
        r"^{}:1:\d+: nesting deeper than 128 levels",
    ),
    Refused(
        "deep.json",
        b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        gitops_diff.LimitExceededError,
        r"^{}:1:\d+: nesting deeper than 128 levels",
    ),
    Refused(
        "dup.yaml",
        b"apiVersion: v1\nkind: ConfigMap\nkind: Secret\n",
        gitops_diff.ParseError,
        r'^{}:3:1: duplicate key "kind" in the mapping that starts at line 1$',
    ),
    Refused(
        "dup.json",
        b'{\n"kind": "A",\n"kind": "B"\n}\n',
        gitops_diff.ParseError,
        r'^{}:4:\d+: duplicate key "kind"',
    ),
    Refused(
        "latin1.yaml",
        b"kind: ConfigMap\ndata:\n  city: M\xfcnchen\n",
        gitops_diff.ParseError,
        r"^{}:3:10: the file is not valid UTF-8 text",
    ),
    Refused(
        "tabs.yaml",
        b"kind: ConfigMap\ndata:\n\tkey: value\n",
        gitops_diff.ParseError,
        r"^{}:3:\d+: tabs disallowed",
    ),
    Refused(
        "huge-float.yaml",
        b"kind: A\nx: 1e999\n",
        gitops_diff.ParseError,
        r"^{}:2:4: a number out of the range of a 64-bit float$",
    ),
    Refused(
        "huge-float.json",
        b'{"kind": "A",\n "x": 1e999}',
        gitops_diff.ParseError,
        r"^{}:2:\d+: number out of range",
    ),
    Refused(
        "nan.yaml",
        b"kind: A\nx: .nan\n",
        gitops_diff.ParseError,
        r"^{}:2:4: a non-finite number \(NaN or infinity\)",
    ),
    Refused(
        "inf.yaml",
        b"kind: A\nx: -.inf\n",
        gitops_diff.ParseError,
        r"^{}:2:4: a non-finite number",
    ),
    Refused("nan.json", b'{"x": NaN}', gitops_diff.ParseError, r"^{}:1:\d+: "),
    Refused(
        "complex-key.yaml",
        b"kind: A\n? [a, b]\n: c\n",
        gitops_diff.ParseError,
        r"^{}:2:\d+: a mapping key must be a scalar",
    ),
    Refused("int-key.json", b"{1: 2}", gitops_diff.ParseError, r"^{}:1:2: key must be a string"),
    Refused(
        "python.yaml",
        b"kind: A\nx: !!python/object/apply:os.system [touch /tmp/gitops-diff-pwned]\n",
        gitops_diff.ParseError,
        r"^{}:2:4: unsupported tag !!python/object/apply:os.system$",
    ),
    Refused(
        "python-scalar.yaml",
        b"kind: A\nx: !!python/name:os.system ''\n",
        gitops_diff.ParseError,
        r"^{}:2:4: unsupported tag !!python/name:os.system$",
    ),
    Refused(
        "scalar.yaml",
        b"just some text\n",
        gitops_diff.InvalidObjectError,
        r"^{}:1: a document must be an object .*found a string$",
    ),
    Refused(
        "list.yaml",
        b"- kind: A\n- kind: B\n",
        gitops_diff.InvalidObjectError,
        r"^{}:1: a document must be an object .*found a list$",
    ),
    Refused(
        "list-item.json",
        b'{"kind": "List", "items": [{"kind": "A"},\n 42]}',
        gitops_diff.InvalidObjectError,
        r"^{}:2: a list item must be an object .*found a number$",
    ),
]


@pytest.mark.parametrize("case", REFUSED, ids=[c.name for c in REFUSED])
def test_hostile_file_is_refused_with_file_line_and_reason(tmp_path: Path, case: Refused) -> None:
    path = tmp_path / case.name
    path.write_bytes(case.content)
    with pytest.raises(case.error) as caught:
        gitops_diff.load(path)
    assert re.search(case.message.format(re.escape(str(path))), str(caught.value)), caught.value


@pytest.mark.parametrize("case", REFUSED, ids=[c.name for c in REFUSED])
def test_hostile_file_makes_the_cli_exit_2_with_one_clear_line(
    tmp_path: Path, case: Refused
) -> None:
    path = tmp_path / case.name
    path.write_bytes(case.content)
    result = run_cli("diff", path, path)
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    message = case.message.format(re.escape(str(path))).lstrip("^")
    assert re.search("^gitops-diff: error: " + message, result.stderr), result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr


def test_python_tags_are_never_instantiated(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.yaml"
    path.write_text(f"kind: A\nx: !!python/object/apply:os.system ['touch {marker}']\n")
    with pytest.raises(gitops_diff.ParseError):
        gitops_diff.load(path)
    assert not marker.exists()


# --- accepted on purpose --------------------------------------------------------------


CONFIG_MAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: b\n"


def test_a_utf8_bom_is_accepted(tmp_path: Path) -> None:
    bom = tmp_path / "bom.yaml"
    bom.write_bytes(b"\xef\xbb\xbf" + CONFIG_MAP.encode())
    plain = tmp_path / "plain.yaml"
    plain.write_text(CONFIG_MAP)
    assert gitops_diff.load(bom).to_list() == gitops_diff.load(plain).to_list()
    assert run_cli("diff", bom, plain).returncode == 0


def test_an_empty_file_is_an_empty_set_of_objects(tmp_path: Path) -> None:
    # As a folder with no manifests: nothing desired. A diff against live then lists
    # the managed live objects as extra, which is what an emptied Git folder means.
    for name, text in [
        ("empty.yaml", ""),
        ("comments.yaml", "# nothing yet\n---\n"),
        ("e.json", ""),
    ]:
        path = tmp_path / name
        path.write_text(text)
        assert len(gitops_diff.load(path)) == 0
        assert run_cli("diff", path, path).returncode == 0


def test_scalar_keys_become_strings_as_kubernetes_reads_them(tmp_path: Path) -> None:
    # sigs.k8s.io/yaml reads a plain key like a value, then writes it as JSON text.
    path = tmp_path / "keys.yaml"
    path.write_text("kind: A\nlabels:\n  1: one\n  on: yes\n  0x1F: hex\n")
    (obj,) = gitops_diff.load(path).to_list()
    assert obj["labels"] == {"1": "one", "true": True, "31": "hex"}
    path.write_text("kind: A\nlabels:\n  ~: nothing\n")
    with pytest.raises(gitops_diff.ParseError, match=re.escape(f"{path}:3:3: a mapping key")):
        gitops_diff.load(path)


# --- folders: binary files, links, special files, unreadable files ---------------------


def test_a_binary_file_in_a_folder_is_skipped_unless_named_like_a_manifest(
    tmp_path: Path,
) -> None:
    (tmp_path / "cm.yaml").write_text(CONFIG_MAP)
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe")
    assert len(gitops_diff.load(tmp_path)) == 1
    blob = tmp_path / "blob.yaml"
    blob.write_bytes(b"\x7fELF\x02\x01\x01\x00\xff\xfe\x00\x00")
    with pytest.raises(
        gitops_diff.ParseError, match=re.escape(f"{blob}:1:9: the file is not valid UTF-8")
    ):
        gitops_diff.load(tmp_path)
    result = run_cli("diff", tmp_path, tmp_path)
    assert result.returncode == 2
    assert f"{blob}:1:9: the file is not valid UTF-8" in result.stderr


def test_a_folder_link_loop_is_read_once(tmp_path: Path) -> None:
    (tmp_path / "apps").mkdir()
    (tmp_path / "apps" / "cm.yaml").write_text(CONFIG_MAP)
    (tmp_path / "apps" / "again").symlink_to(tmp_path)
    (tmp_path / "self").symlink_to(tmp_path / "self")
    assert len(gitops_diff.load(tmp_path)) == 1
    assert run_cli("diff", tmp_path, tmp_path).returncode == 0


def test_a_manifest_link_loop_is_an_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "cm.yaml").write_text(CONFIG_MAP)
    (tmp_path / "x.yaml").symlink_to(tmp_path / "y.yaml")
    (tmp_path / "y.yaml").symlink_to(tmp_path / "x.yaml")
    with pytest.raises(gitops_diff.SourceReadError, match=re.escape(f"{tmp_path / 'x.yaml'}: ")):
        gitops_diff.load(tmp_path)
    result = run_cli("diff", tmp_path, tmp_path)
    assert result.returncode == 2
    assert re.search(r"x\.yaml: .*symbolic links", result.stderr), result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_in_a_folder_is_skipped_not_waited_on(tmp_path: Path) -> None:
    (tmp_path / "cm.yaml").write_text(CONFIG_MAP)
    os.mkfifo(tmp_path / "pipe.yaml")
    result = run_cli("diff", tmp_path, tmp_path)
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_an_endless_file_is_read_only_up_to_the_size_limit(tmp_path: Path) -> None:
    with pytest.raises(
        gitops_diff.LimitExceededError, match="more than the limit of 1048576 bytes"
    ):
        gitops_diff.load("/dev/zero", limits={"max_source_bytes": 1 << 20})
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    assert len(gitops_diff.load(tmp_path)) == 0


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="no /proc/self/mem here")
def test_an_unreadable_file_is_an_error_naming_it(tmp_path: Path) -> None:
    # Permission bits do not stop root (these tests run as root in CI), but no one can
    # read a process's memory file from its start: a file that exists and cannot be read.
    (tmp_path / "cm.yaml").write_text(CONFIG_MAP)
    (tmp_path / "mem.yaml").symlink_to("/proc/self/mem")
    with pytest.raises(gitops_diff.SourceReadError, match=re.escape(f"{tmp_path / 'mem.yaml'}: ")):
        gitops_diff.load(tmp_path)
    result = run_cli("diff", tmp_path, tmp_path)
    assert result.returncode == 2
    assert f"{tmp_path / 'mem.yaml'}: " in result.stderr


@pytest.mark.skipif(os.name != "posix", reason="permission bits are POSIX")
def test_a_file_without_read_permission_is_an_error_naming_it(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("running as root: permission bits do not deny reads (see the /proc test)")
    path = tmp_path / "secret.yaml"
    path.write_text(CONFIG_MAP)
    path.chmod(0)
    with pytest.raises(gitops_diff.SourceReadError, match=re.escape(f"{path}: ")):
        gitops_diff.load(path)
    assert run_cli("diff", path, path).returncode == 2


# --- objects the diff cannot identify ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("apiVersion: v1\nmetadata:\n  name: x\n", "the object has no kind"),
        ("apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n", "the object has no metadata.name"),
        (
            "apiVersion: v1\nkind: [ConfigMap]\nmetadata: {name: x}\n",
            "kind must be a non-empty string, found a list",
        ),
        ("kind: ConfigMap\nmetadata: {name: x}\n", "the object has no apiVersion"),
    ],
)
def test_an_object_without_identity_is_an_error_at_its_line(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "objects.yaml"
    path.write_text(CONFIG_MAP + "---\n" + text)
    where = f"{path}:8: {message}"
    with pytest.raises(gitops_diff.InvalidObjectError, match=re.escape(where)):
        gitops_diff.diff(path, path)
    result = run_cli("diff", path, path)
    assert result.returncode == 2
    assert result.stderr == f"gitops-diff: error: {where}\n"
    for command in ("hash", "normalize"):
        assert run_cli(command, path).returncode == 2


# --- size: a 100 MB scalar ---------------------------------------------------------------------


def test_a_100_mb_scalar_loads_within_three_times_its_size(tmp_path: Path) -> None:
    """The whole command (load, normalize, hash) stays under 3x the input in peak
    memory beyond the interpreter's own, and finishes."""
    size = 100 * 1024 * 1024
    path = tmp_path / "big.yaml"
    with path.open("wb") as f:
        f.write(b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: ")
        f.write(b"x" * size)
        f.write(b"\n")
    probe = (
        "import resource, sys, gitops_diff\n"
        "base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "rows, digest = gitops_diff._core.normalize_set(gitops_diff.load(sys.argv[1]))\n"
        f"assert len(rows[0][3]['data']['blob']) == {size}\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(base * 1024, peak * 1024)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, os.fspath(path)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=True,
    )
    base, peak = map(int, result.stdout.split())
    assert peak - base < 3 * size, (
        f"peak {peak - base} bytes over the interpreter's for {size} bytes"
    )


def test_the_size_limit_refuses_a_large_buffer_cleanly() -> None:
    data = b"kind: A\nx: " + b"y" * (2 << 20) + b"\n"
    with pytest.raises(gitops_diff.LimitExceededError, match=r"^<bytes>:1:1: input is \d+ bytes"):
        gitops_diff.load(data, limits={"max_source_bytes": 1 << 20})


def test_stdin_is_read_no_further_than_the_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    class Endless(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            buffer[:] = b"a" * len(buffer)
            return len(buffer)

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(Endless())))
    with pytest.raises(
        gitops_diff.LimitExceededError, match=r"^<stdin>:1:1: input is 1048577 bytes"
    ):
        gitops_diff.load("-", limits={"max_source_bytes": 1 << 20})


def test_limits_are_named_and_checked() -> None:
    assert len(gitops_diff.load(b"kind: A\nx: [[1]]\n", limits={"max_depth": 3})) == 1
    with pytest.raises(gitops_diff.LimitExceededError, match="nesting deeper than 2 levels"):
        gitops_diff.load(b"kind: A\nx: [[1]]\n", limits={"max_depth": 2})
    with pytest.raises(gitops_diff.InvalidOptionError, match="unknown limit"):
        gitops_diff.load(b"kind: A\n", limits={"max_width": 1})
    with pytest.raises(gitops_diff.InvalidOptionError, match="ceiling"):
        gitops_diff.load(b"kind: A\n", limits={"max_depth": 1_000_000})


def test_the_total_of_a_folder_is_bounded(tmp_path: Path) -> None:
    for name in "abc":
        (tmp_path / f"{name}.yaml").write_text(CONFIG_MAP.replace("name: c", f"name: {name}"))
    assert len(gitops_diff.load(tmp_path)) == 3
    with pytest.raises(
        gitops_diff.LimitExceededError, match=r"c\.yaml:1:1: the files of this load"
    ):
        gitops_diff.load(tmp_path, limits={"max_total_bytes": 2 * len(CONFIG_MAP) + 10})


# --- secrets never reach a message ---------------------------------------------------------------

PLANTED = "pl4nted-S3CRET-value"
PLANTED_B64 = base64.b64encode(PLANTED.encode()).decode()
SECRET_HEAD = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: app\n"

MALFORMED_SECRETS = {
    "duplicate-key": SECRET_HEAD + f"data:\n  password: {PLANTED_B64}\n  password: {PLANTED}\n",
    "duplicate-key-stringdata": SECRET_HEAD
    + f"stringData:\n  password: {PLANTED}\n  password: x\n",
    "syntax-error-after-value": SECRET_HEAD
    + f"stringData:\n  password: {PLANTED}\n  other: [unclosed\n",
    "colon-in-value": SECRET_HEAD + f"stringData:\n  password: {PLANTED}: more\n",
    "unterminated-quote": SECRET_HEAD + f'stringData:\n  password: "{PLANTED}\n',
    "bad-escape": SECRET_HEAD + f'stringData:\n  password: "{PLANTED}\\q"\n',
    "tagged-int": SECRET_HEAD + f"stringData:\n  password: !!int {PLANTED}\n",
    "tagged-bool": SECRET_HEAD + f"stringData:\n  password: !!bool {PLANTED}\n",
    "tagged-float": SECRET_HEAD + f"stringData:\n  password: !!float {PLANTED}\n",
    "custom-tag": SECRET_HEAD + f"stringData:\n  password: !vault {PLANTED}\n",
    "complex-key": SECRET_HEAD + f"stringData:\n  ? [{PLANTED}]\n  : x\n",
    "tab-after-value": SECRET_HEAD + f"stringData:\n  password: {PLANTED}\n\tuser: x\n",
    "binary-after-value": SECRET_HEAD + f"stringData:\n  password: {PLANTED}\xff\n",
    "json-control-char": json.dumps({"kind": "Secret", "data": {"password": PLANTED}})[:-3]
    + '\x01"}}',
    "json-bad-escape": '{"kind": "Secret", "data": {"password": "' + PLANTED + '\\q"}}',
    "json-duplicate": '{"kind": "Secret", "data": {"password": "'
    + PLANTED
    + '", "password": "x"}}',
    "json-truncated": '{"kind": "Secret", "data": {"password": "' + PLANTED + '"',
}


def assert_no_secret(text: str) -> None:
    for fragment in (PLANTED, PLANTED_B64, PLANTED[:12], PLANTED[-12:]):
        assert fragment not in text, text


@pytest.mark.parametrize("case", sorted(MALFORMED_SECRETS))
def test_errors_about_a_malformed_secret_never_quote_its_value(
    tmp_path: Path, case: str, caplog: pytest.LogCaptureFixture
) -> None:
    text = MALFORMED_SECRETS[case]
    path = tmp_path / ("secret.json" if case.startswith("json") else "secret.yaml")
    path.write_bytes(text.encode("utf-8", "surrogateescape").replace(b"\xc3\xbf", b"\xff"))
    caplog.set_level(logging.DEBUG)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(gitops_diff.GitopsDiffError) as error:
            gitops_diff.load(path)
    assert_no_secret(str(error.value))
    assert_no_secret(repr(error.value))
    assert str(error.value).startswith(f"{path}:"), error.value
    assert_no_secret(" ".join(str(w.message) for w in caught))
    assert_no_secret(caplog.text)
    for args in (("diff", path, path), ("hash", path), ("normalize", path)):
        result = run_cli(*args)
        assert result.returncode == 2, result.stderr
        assert_no_secret(result.stdout + result.stderr)


def well_formed_but_odd_secrets() -> list[dict[str, object]]:
    """Secrets that load, with values where no value should be or in the wrong shape."""
    meta = {"name": "db", "namespace": "app"}
    return [
        {"apiVersion": "v1", "kind": "Secret", "metadata": meta, "data": {"password": [PLANTED]}},
        {"apiVersion": "v1", "kind": "Secret", "metadata": meta, "data": PLANTED},
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": meta,
            "data": {"password": "!!" + PLANTED},
        },
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": meta,
            "stringData": {"p": {"x": PLANTED}},
        },
        {"apiVersion": "v1", "kind": "Secret", "metadata": meta, "stringData": PLANTED},
        {"apiVersion": "v1", "kind": "Secret", "metadata": meta, "data": {"password": 12345678901}},
    ]


@pytest.mark.parametrize("index", range(len(well_formed_but_odd_secrets())))
def test_oddly_shaped_secret_values_are_masked_in_every_output(tmp_path: Path, index: int) -> None:
    desired = well_formed_but_odd_secrets()[index]
    live = {
        **desired,
        "data": {"password": base64.b64encode(b"live-" + PLANTED.encode()).decode()},
        "metadata": {
            **desired["metadata"],  # type: ignore[dict-item]
            "annotations": {
                "kubectl.kubernetes.io/last-applied-configuration": json.dumps(desired)[:-5],
            },
        },
    }
    live.pop("stringData", None)
    desired_path = tmp_path / "desired.json"
    desired_path.write_text(json.dumps(desired))
    live_path = tmp_path / "live.json"
    live_path.write_text(json.dumps(live))
    report = gitops_diff.diff(desired_path, live_path, mode="strict")
    assert report.has_drift
    assert_no_secret(report.to_json())
    for obj in report.objects:
        for change in obj.changes:
            assert_no_secret(repr((change.desired, change.live)))
    for fmt in ("text", "json"):
        result = run_cli("diff", desired_path, live_path, "--mode", "strict", "--format", fmt)
        assert result.returncode == 1, result.stderr
        assert_no_secret(result.stdout + result.stderr)
    for args in (("hash", desired_path), ("normalize", desired_path), ("normalize", live_path)):
        result = run_cli(*args)
        assert_no_secret(result.stdout + result.stderr)
