"""kubectl-neat's fixtures: raw live dumps and the "neat" objects a user would keep in
Git. Our normalization removes the server-owned data neat removes; server defaults,
which neat also strips, we keep and let the three-way comparison absorb (see
docs/semantics.md, "Deliberate differences")."""

from __future__ import annotations

from pathlib import Path

import pytest

import gitops_diff
from gitops_diff import _core
from tests.corpus import corpus_path, require_corpus

require_corpus()

FIXTURES = "itaysk__kubectl-neat/test/fixtures/"
STEMS = ["list1", "pod1", "pv1", "role", "secret1", "service1"]
SERVER_METADATA = {
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "managedFields",
    "selfLink",
}


def raw_and_neat(stem: str, suffix: str) -> tuple[Path, Path]:
    return corpus_path(f"{FIXTURES}{stem}-raw.{suffix}"), corpus_path(f"{FIXTURES}{stem}-neat.json")


@pytest.mark.parametrize("suffix", ["json", "yaml"])
@pytest.mark.parametrize("stem", STEMS)
def test_neat_object_in_git_is_in_sync_with_its_raw_live_dump(stem: str, suffix: str) -> None:
    raw, neat = raw_and_neat(stem, suffix)
    report = gitops_diff.diff(neat, raw)
    assert not report.has_drift, [(c.op, c.path) for o in report.objects for c in o.changes]
    assert report.summary["in_sync"] == report.summary["desired"] >= 1


@pytest.mark.parametrize("stem", STEMS)
def test_normalize_removes_the_server_owned_data_neat_removes(stem: str) -> None:
    raw, _ = raw_and_neat(stem, "json")
    rows, _ = _core.normalize_set(gitops_diff.load(raw), show_secrets=True)
    for _, _, _, obj in rows:
        assert "status" not in obj
        assert not SERVER_METADATA & set(obj["metadata"])
        annotations = obj["metadata"].get("annotations", {})
        assert "kubectl.kubernetes.io/last-applied-configuration" not in annotations


@pytest.mark.parametrize("stem", STEMS)
def test_normalize_keeps_every_field_neat_keeps_with_the_same_value(stem: str) -> None:
    raw, neat = raw_and_neat(stem, "json")
    rows, _ = _core.normalize_set(gitops_diff.load(raw), show_secrets=True)
    ours = gitops_diff.from_objects([obj for *_, obj in rows])
    # Strict: anything neat has that we lost or changed would be an add or replace.
    report = gitops_diff.diff(neat, ours, mode="strict")
    ops = {c.op for o in report.objects for c in o.changes}
    assert ops <= {"remove"}, [(c.op, c.path) for o in report.objects for c in o.changes]
