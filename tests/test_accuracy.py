"""Accuracy of the diff on generated corpora with known drift (benches/generator).

Each corpus is a GitOps tree, a live dump with server defaults, controller noise and
injected drift, and the ground truth of that drift. The report must match the truth
exactly: precision and recall 1.0 per object (status) and per change (op + pointer).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import gitops_diff

# The generator lives in benches/ at the repository root, which plain `pytest` does not
# put on sys.path (only `python -m pytest` does, through the working directory).
_ROOT = str(Path(__file__).resolve().parents[1])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from benches.generator import DRIFTS, Options, generate, probe  # noqa: E402
from benches.generator.score import (  # noqa: E402
    Identity,
    Items,
    Score,
    expected_items,
    reported_items,
    score,
)

MAIN = (1000, 20240611)
SMALL = (300, 7)


def _respell_supported() -> bool:
    """Whether the engine equates quantity spellings (`1000m` == `1`); if not, corpora
    are generated with quantities written as the server stores them."""
    desired, live = probe.respelled_quantities()
    report = gitops_diff.diff(desired, live)
    if report.has_drift:
        first = report.objects[0]
        print(
            f"quantity spellings not equated yet (e.g. {first.identity}: "
            f"{[c.pointer for c in first.changes[:3]]}); corpora use --no-respell-quantities"
        )
        return False
    return True


@pytest.fixture(scope="module")
def respell() -> bool:
    return _respell_supported()


@dataclass(frozen=True)
class Run:
    truth: dict[str, Any]
    report: dict[str, Any]
    respell: bool

    def score(self) -> Score:
        return score(expected_items(self.truth), reported_items(self.report))


def _run(base: Path, objects: int, seed: int, respell: bool) -> Run:
    out = base / f"corpus-{objects}-{seed}"
    generate(out, Options(objects=objects, seed=seed, respell_quantities=respell))
    report = gitops_diff.diff(out / "desired", out / "live.json")
    truth = json.loads((out / "truth.json").read_text())
    return Run(truth, json.loads(report.to_json()), respell)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory, respell: bool) -> dict[tuple[int, int], Run]:
    base = tmp_path_factory.mktemp("accuracy")
    return {key: _run(base, *key, respell) for key in (MAIN, SMALL)}


@pytest.mark.parametrize("corpus", [MAIN, SMALL], ids=["1000-objects", "300-objects"])
def test_report_matches_ground_truth_exactly(
    runs: dict[tuple[int, int], Run], corpus: tuple[int, int], capsys: pytest.CaptureFixture[str]
) -> None:
    run = runs[corpus]
    result = run.score()
    mode = (
        "respelled in Git" if run.respell else "as the server stores them (--no-respell-quantities)"
    )
    line = f"{corpus[0]} objects, seed {corpus[1]}, quantities {mode}: {result.summary()}"
    with capsys.disabled():
        print(f"\n  {line}")
    assert run.truth["objects"], "the corpus has no drift to find"
    assert result.perfect, f"{line}\n{result.breakdown()}"


@pytest.mark.parametrize("corpus", [MAIN, SMALL], ids=["1000-objects", "300-objects"])
def test_summary_counts_match_ground_truth(
    runs: dict[tuple[int, int], Run], corpus: tuple[int, int]
) -> None:
    truth, summary = runs[corpus].truth["summary"], runs[corpus].report["summary"]
    for key in ("desired", "live", "in_sync", "modified", "missing", "extra", "unmanaged"):
        assert summary[key] == truth[key], f"{key}: report {summary[key]}, truth {truth[key]}"


def test_main_corpus_has_every_kind_of_drift(runs: dict[tuple[int, int], Run]) -> None:
    assert set(runs[MAIN].truth["drifts"]) == set(DRIFTS)


def test_generating_twice_gives_the_same_corpus(tmp_path: Path) -> None:
    def files(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    options = Options(objects=SMALL[0], seed=SMALL[1])
    generate(tmp_path / "a", options)
    generate(tmp_path / "b", options)
    assert files(tmp_path / "a") == files(tmp_path / "b")


def test_scoring_counts_mistakes_both_ways() -> None:
    ident: Identity = ("apps", "Deployment", "shop", "web")
    expected = Items(
        frozenset({(ident, "modified")}), frozenset({(ident, "replace", "/spec/replicas")})
    )
    reported = Items(
        frozenset({(ident, "modified")}), frozenset({(ident, "add", "/spec/replicas")})
    )
    result = score(expected, reported)
    assert result.objects.perfect
    assert (result.paths.precision, result.paths.recall) == (0.0, 0.0)
    assert "false negatives" in result.breakdown()
