"""Every output format: snapshots of the bundled example (byte for byte), the JSON
report against docs/report-schema.json, JUnit well-formedness, the field rules GitLab's
parsers apply, markdown truncation, text and unified details, and the YAML emitter.

Snapshots live in tests/snapshots/; `GITOPS_DIFF_UPDATE_SNAPSHOTS=1 pytest
tests/test_formats.py` rewrites them and the examples in docs/formats.md (review the
diff before committing).
"""

from __future__ import annotations

import json
import math
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO_ROOT, run_cli, write
from hypothesis import given
from hypothesis import strategies as st

import gitops_diff
from gitops_diff.render import FORMATS, Context, Inputs, render_to_string, yamltext

SNAPSHOTS = Path(__file__).with_name("snapshots")
UPDATE = os.environ.get("GITOPS_DIFF_UPDATE_SNAPSHOTS") == "1"
EXTENSION = {
    "text": "txt",
    "unified": "diff",
    "json": "json",
    "patch": "json",
    "merge-patch": "json",
    "markdown": "md",
    "junit": "xml",
    "gitlab-terraform": "json",
    "codequality": "json",
}
SALT = "20260101"
#: The example, with paths relative to the repository (as the snapshots show them).
EXAMPLE_ARGS = ("diff", "examples/gitops-repo", "examples/live/cluster.json", "--no-rules")


def snapshot_path(fmt: str) -> Path:
    return SNAPSHOTS / f"example.{fmt}.{EXTENSION[fmt]}"


@pytest.fixture(scope="module")
def example_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Every format of the example, written by one run through --report."""
    folder = tmp_path_factory.mktemp("reports")
    args = [arg for fmt in FORMATS for arg in ("--report", f"{fmt}={folder / fmt}")]
    result = run_cli(*EXAMPLE_ARGS, *args, cwd=REPO_ROOT, env={"GITOPS_DIFF_MASK_SALT": SALT})
    assert result.returncode == 1, result.stderr
    return {fmt: (folder / fmt).read_bytes() for fmt in FORMATS}


@pytest.mark.parametrize("fmt", FORMATS)
def test_snapshot_of_every_format_on_the_example(fmt: str) -> None:
    result = run_cli(
        *EXAMPLE_ARGS,
        "--format",
        fmt,
        "--no-color",
        cwd=REPO_ROOT,
        env={"GITOPS_DIFF_MASK_SALT": SALT},
    )
    assert result.returncode == 1, result.stderr
    actual = result.stdout.encode("utf-8")
    path = snapshot_path(fmt)
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(actual)
    assert path.is_file(), f"no snapshot {path.name}: run with GITOPS_DIFF_UPDATE_SNAPSHOTS=1"
    assert actual == path.read_bytes(), f"{fmt} output differs from {path.name}"


@pytest.mark.parametrize("fmt", FORMATS)
def test_report_files_equal_the_stdout_format(fmt: str, example_reports: dict[str, bytes]) -> None:
    assert example_reports[fmt] == snapshot_path(fmt).read_bytes()


def _with_example(docs: str, fmt: str, example: str) -> str:
    """docs/formats.md with the code block after `<!-- example output: FORMAT -->`
    replaced by `example`."""
    marker = f"<!-- example output: {fmt} -->\n"
    opening = re.compile(r"(`{3,})[a-z]*\n").match(docs, docs.index(marker) + len(marker))
    assert opening is not None, f"no code block after {marker!r}"
    closing = docs.index(f"{opening.group(1)}\n", opening.end())
    return docs[: opening.end()] + example + docs[closing:]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_is_documented_with_the_example_output(fmt: str) -> None:
    path = REPO_ROOT / "docs" / "formats.md"
    docs = path.read_text(encoding="utf-8")
    assert f"\n## `{fmt}`\n" in docs and f"`--format {fmt}`" in docs
    assert f"<!-- example output: {fmt} -->" in docs
    example = snapshot_path(fmt).read_text(encoding="utf-8")
    if UPDATE:
        docs = _with_example(docs, fmt, example)
        path.write_text(docs, encoding="utf-8")
    assert example in docs, f"docs/formats.md does not show the current {fmt} example"


# --- json ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    jsonschema = pytest.importorskip("jsonschema")
    loaded: dict[str, Any] = json.loads((REPO_ROOT / "docs" / "report-schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(loaded)
    return loaded


def _validate(document: Any, schema: dict[str, Any]) -> None:
    import jsonschema

    jsonschema.Draft202012Validator(schema).validate(document)


def test_json_report_of_the_example_matches_the_schema(
    schema: dict[str, Any], example_reports: dict[str, bytes]
) -> None:
    _validate(json.loads(example_reports["json"]), schema)


@pytest.mark.parametrize("mode", ["three-way", "strict"])
def test_json_reports_of_varied_drift_match_the_schema(
    schema: dict[str, Any], tmp_path: Path, mode: str
) -> None:
    desired = write(
        tmp_path / "desired.yaml",
        "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: a}\nstringData: {k: v}\n"
        "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n"
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: a}\n"
        "data: {'a/b': '1', n: null}\n",
    )
    live = write(
        tmp_path / "live.yaml",
        "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: a}\n"
        "data: {k: eA==, j: eQ==}\n"
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: a}\n"
        "data: {'a/b': '2', x: y}\n"
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: gone, namespace: a}\n",
    )
    report = gitops_diff.diff(desired, live, mode=mode, extra="all")
    assert {o.status for o in report.objects} == {"modified", "missing", "extra"}
    _validate(json.loads(report.to_json()), schema)


def test_schema_rejects_a_report_without_its_version(
    schema: dict[str, Any], example_reports: dict[str, bytes]
) -> None:
    import jsonschema

    document = json.loads(example_reports["json"])
    del document["schema_version"]
    with pytest.raises(jsonschema.ValidationError):
        _validate(document, schema)


# --- junit --------------------------------------------------------------------------------


def test_junit_is_well_formed_with_one_testcase_per_object(
    example_reports: dict[str, bytes],
) -> None:
    root = ET.fromstring(example_reports["junit"])
    assert root.tag == "testsuites"
    [suite] = root.findall("testsuite")
    cases = suite.findall("testcase")
    # 40 desired objects plus the extra one; the six drifted ones fail.
    assert len(cases) == 41 == int(suite.get("tests", "0"))
    failed = [c for c in cases if c.find("failure") is not None]
    assert len(failed) == 6 == int(suite.get("failures", "0"))
    for case in cases:
        assert case.get("name") and case.get("classname") and case.get("time") is not None
    frontend = next(c for c in failed if c.get("name") == "shop/frontend")
    assert frontend.get("classname") == "apps/Deployment"
    assert frontend.get("file") == "examples/gitops-repo/apps/shop/frontend.yaml"
    failure = frontend.find("failure")
    assert failure is not None and "1.14.2" in (failure.text or "")


def test_junit_escapes_markup_and_drops_characters_xml_cannot_hold(tmp_path: Path) -> None:
    desired = write(
        tmp_path / "d.yaml",
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: "<b>&\\x01</b>"}\n',
    )
    live = write(tmp_path / "l.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    report = gitops_diff.diff(desired, live)
    root = ET.fromstring(render_to_string(report, "junit").encode("utf-8"))
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None and "<b>&" in (failure.text or "")


# --- gitlab -------------------------------------------------------------------------------


def test_gitlab_terraform_report_has_the_three_integer_counts(
    example_reports: dict[str, bytes],
) -> None:
    counts = json.loads(example_reports["gitlab-terraform"])
    assert counts == {"create": 1, "update": 4, "delete": 1}
    for key in ("create", "update", "delete"):
        assert isinstance(counts[key], int) and 0 <= counts[key] <= 999_999


def test_gitlab_terraform_counts_are_capped_at_what_gitlab_accepts() -> None:
    from gitops_diff.render.gitlab import MAX_COUNT, terraform_counts

    class Big:
        def __init__(self) -> None:
            self.summary = {"missing": 2_000_000, "modified": 999_999, "extra": 0}

    counts = terraform_counts(Big())  # type: ignore[arg-type]
    assert counts == {"create": MAX_COUNT, "update": 999_999, "delete": 0}


def _check_codequality(findings: Any) -> None:
    """The rules GitLab's Code Quality parser applies; it stops at the first bad entry."""
    assert isinstance(findings, list)
    for item in findings:
        assert isinstance(item["description"], str) and item["description"]
        assert isinstance(item["fingerprint"], str) and item["fingerprint"]
        assert item["severity"] in ("info", "minor", "major", "critical", "blocker")
        location = item["location"]
        assert isinstance(location["path"], str) and location["path"]
        assert isinstance(location["lines"]["begin"], int) and location["lines"]["begin"] >= 1
    fingerprints = [item["fingerprint"] for item in findings]
    assert len(set(fingerprints)) == len(fingerprints)


def test_codequality_findings_have_every_field_gitlab_requires(
    example_reports: dict[str, bytes],
) -> None:
    findings = json.loads(example_reports["codequality"])
    _check_codequality(findings)
    assert len(findings) == 6
    by_path = {f["location"]["path"]: f for f in findings}
    frontend = by_path["examples/gitops-repo/apps/shop/frontend.yaml"]
    assert frontend["location"]["lines"]["begin"] == 2
    assert "spec.template.spec.containers[name=frontend].image" in frontend["description"]
    # The extra object is located in the live dump.
    assert by_path["examples/live/cluster.json"]["check_name"] == "gitops-diff/extra"


def test_codequality_severity_is_configurable(example_desired: Path, example_live: Path) -> None:
    result = run_cli(
        "diff", example_desired, example_live, "--format", "codequality", "--severity", "critical"
    )
    findings = json.loads(result.stdout)
    assert {f["severity"] for f in findings} == {"critical"}
    bad = run_cli("diff", example_desired, example_live, "--severity", "urgent")
    assert bad.returncode == 2 and "urgent" in bad.stderr


def test_codequality_fingerprint_is_stable_and_depends_on_paths_not_values(tmp_path: Path) -> None:
    def findings(replicas: int, image: str) -> dict[str, str]:
        desired = write(
            tmp_path / "d.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w, namespace: a}\n"
            f"spec:\n  replicas: {replicas}\n"
            f"  template: {{spec: {{containers: [{{name: c, image: '{image}'}}]}}}}\n",
        )
        live = write(
            tmp_path / "l.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w, namespace: a}\n"
            "spec:\n  replicas: 1\n  template: {spec: {containers: [{name: c, image: x}]}}\n",
        )
        out = run_cli("diff", desired, live, "--format", "codequality").stdout
        return {f["description"].split(" (")[0]: f["fingerprint"] for f in json.loads(out)}

    first, same_paths_new_values = findings(2, "y"), findings(3, "z")
    assert first == same_paths_new_values
    only_replicas = findings(3, "x")
    assert only_replicas != first


# --- markdown -----------------------------------------------------------------------------


def test_markdown_has_a_summary_table_and_one_collapsible_section_per_object(
    example_reports: dict[str, bytes],
) -> None:
    text = example_reports["markdown"].decode("utf-8")
    assert "| Status | Objects |" in text
    assert "| ~ modified | 4 (5 changes) |" in text
    assert text.count("<details>") == text.count("</details>") == 6
    assert text.count("```diff") == 4


def test_markdown_is_truncated_past_the_limit_with_counts(
    example_desired: Path, example_live: Path
) -> None:
    result = run_cli(
        "diff", example_desired, example_live, "--format", "markdown", "--max-objects", "2"
    )
    assert result.stdout.count("<details>") == 2
    assert "4 more drifted objects (2 changes) not shown" in result.stdout


def test_markdown_fences_are_longer_than_any_backtick_run_in_values(tmp_path: Path) -> None:
    desired = write(
        tmp_path / "d.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: 'x ```` y'}\n",
    )
    live = write(tmp_path / "l.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    text = render_to_string(gitops_diff.diff(desired, live), "markdown")
    assert "`````diff" in text


# --- text and unified ---------------------------------------------------------------------

_MULTILINE = (
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c, namespace: a}}\n"
    "data:\n  app.conf: |\n    listen 80\n    workers {workers}\n    log info\n  flag: '{flag}'\n"
)


@pytest.fixture
def multiline(tmp_path: Path) -> tuple[Path, Path]:
    desired = write(tmp_path / "d.yaml", _MULTILINE.format(workers=4, flag="true"))
    live = write(tmp_path / "l.yaml", _MULTILINE.format(workers=2, flag="false"))
    return desired, live


def test_text_shows_old_to_new_with_readable_paths_and_multiline_strings_as_line_diffs(
    multiline: tuple[Path, Path],
) -> None:
    out = run_cli("diff", *multiline, "--mode", "strict").stdout
    assert "~ ConfigMap a/c  (differs from Git, 2 changes)" in out
    assert '    ~ data.flag: "false" -> "true"' in out
    assert '    ~ data["app.conf"]:\n' in out
    assert "        -workers 2\n        +workers 4\n" in out


def test_unified_diff_shows_whole_objects_with_the_chosen_context(
    multiline: tuple[Path, Path],
) -> None:
    out = run_cli("diff", *multiline, "--format", "unified", "--context", "0").stdout
    assert out.startswith("diff -u -N live/v1.ConfigMap.a.c merged/v1.ConfigMap.a.c\n")
    assert "--- live/v1.ConfigMap.a.c\n+++ merged/v1.ConfigMap.a.c\n" in out
    assert "-    workers 2\n+    workers 4\n" in out
    assert '-  flag: "false"\n+  flag: "true"\n' in out
    assert "listen 80" not in out  # no context lines
    wide = run_cli("diff", *multiline, "--format", "unified", "--context", "5").stdout
    assert "     listen 80\n" in wide


def test_colors_only_on_request_and_never_in_report_files(
    multiline: tuple[Path, Path], tmp_path: Path
) -> None:
    target = tmp_path / "out.diff"
    result = run_cli(
        "diff", *multiline, "--format", "unified", "--color", "--report", f"unified={target}"
    )
    assert "\x1b[" in result.stdout
    assert "\x1b[" not in target.read_text(encoding="utf-8")
    assert "\x1b[" not in run_cli("diff", *multiline, "--format", "unified").stdout


def test_unified_format_in_python_needs_the_inputs(multiline: tuple[Path, Path]) -> None:
    desired, live = (gitops_diff.load(p) for p in multiline)
    report = gitops_diff.diff(desired, live, mask_salt=3)
    with pytest.raises(gitops_diff.InvalidOptionError):
        render_to_string(report, "unified")
    ctx = Context(inputs=Inputs(desired, live, mask_salt=3))
    assert "+    workers 4" in render_to_string(report, "unified", ctx)


def test_unknown_format_is_refused_by_the_renderer(multiline: tuple[Path, Path]) -> None:
    report = gitops_diff.diff(*multiline)
    with pytest.raises(gitops_diff.InvalidOptionError, match="unknown format"):
        render_to_string(report, "yaml")


# --- the YAML emitter ---------------------------------------------------------------------

_KEYS = st.text(min_size=0, max_size=8)
# Strings that YAML readers treat specially, or that need quoting or a literal block.
# fmt: off
_TRICKY = [
    "true", "No", "on", "~", "null", "", " x", "x ", "1.5", "0x1F", "0777", "1e3", "-",
    "- a", "a: b", "a #b", "#", "@x", "2024-01-01", ".inf", "=", "<<", "a\nb", "a\n",
    "a\n\n", "\n", " lead\nx", "x\n lead", "tab\there", "\x85", "key:", "'q'", '"d"',
    "--queue=orders", "25%", "256Mi", "2001-12-14t21:59:43.10-05:00", "-1", "+1", ".5",
    "1_000", "190:20:30", "0b101", "0o17", ":x", "?x", "-x", "a,b", "[a]", "{a}", "a{b}",
    "\ufffe", "Yes", "OFF", "NULL",
]
# fmt: on
_STRINGS = st.one_of(st.text(max_size=12), st.sampled_from(_TRICKY))
_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**63), 2**63 - 1),
        st.floats(allow_nan=False, allow_infinity=False),
        _STRINGS,
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(_STRINGS | _KEYS, inner, max_size=4)
    ),
    max_leaves=20,
)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


@given(_VALUES)
def test_yaml_emitter_output_reads_back_as_the_same_value_in_yaml_1_1(value: Any) -> None:
    text = yamltext.dump(value)
    assert _same(yaml.safe_load(text), value), text


@given(_VALUES)
def test_yaml_emitter_output_reads_back_as_the_same_value_in_the_engine(value: Any) -> None:
    if not isinstance(value, dict):
        value = {"v": value}
    text = yamltext.dump({"apiVersion": "v1", "kind": "ConfigMap", "data": value})
    [loaded] = gitops_diff.load(text.encode("utf-8")).to_list()
    assert loaded["data"] == value or _same(loaded["data"], value), text


def test_yaml_emitter_writes_kubectl_style_blocks() -> None:
    text = yamltext.dump(
        {"a": {"b": [1, {"c": "x", "d": [True, None]}], "e": {}}, "f": "l1\nl2\n", "g": "1.0"}
    )
    assert text == (
        "a:\n  b:\n  - 1\n  - c: x\n    d:\n    - true\n    - null\n  e: {}\n"
        'f: |\n  l1\n  l2\ng: "1.0"\n'
    )
    assert re.fullmatch(r"x: 1\.0e\+20\n", yamltext.dump({"x": 1e20}))


# --- the CI example -----------------------------------------------------------------------


def test_gitlab_ci_example_publishes_the_reports_its_command_writes() -> None:
    config = yaml.safe_load((REPO_ROOT / "examples" / "gitlab-ci.yml").read_text(encoding="utf-8"))
    job = config["gitops-diff"]
    command = next(line for line in job["script"] if "gitops-diff diff" in line)
    written = dict(re.findall(r"--report ([a-z-]+)=(\S+)", command))
    assert set(written) <= set(FORMATS)
    reports = job["artifacts"]["reports"]
    assert reports == {
        "terraform": written["gitlab-terraform"],
        "junit": written["junit"],
        "codequality": written["codequality"],
    }
    assert written["markdown"] in job["artifacts"]["paths"]
    assert job["artifacts"]["when"] == "always"
    # Drift (exit 2 with --detailed-exitcode) warns; errors (exit 1) fail the pipeline.
    assert "--detailed-exitcode" in command
    assert job["allow_failure"] == {"exit_codes": [2]}


def test_unified_pairs_objects_by_identity_when_a_one_line_list_shares_a_line(
    tmp_path: Path,
) -> None:
    def config_map(name: str, value: str) -> dict[str, Any]:
        return {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": name, "namespace": "app"},
            "data": {"k": value},
        }

    items = [config_map("first", "1"), config_map("second", "2")]
    live = write(tmp_path / "live.json", json.dumps({"kind": "List", "items": items}))
    desired = write(tmp_path / "desired.json", json.dumps(config_map("second", "3")))
    result = run_cli("diff", desired, live, "--format", "unified")
    assert result.returncode == 1, result.stderr
    assert "patch does not apply" not in result.stdout
    assert '-  k: "2"' in result.stdout and '+  k: "3"' in result.stdout
