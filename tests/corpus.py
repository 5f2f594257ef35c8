"""Where the shared peer corpus lives, for tests that read it in place.

The corpus (real data from other tools' repositories, described in its SOURCES.md) sits
next to the repository, never inside it: `<repo>/../shared/corpus`. Tests that need it
call `require_corpus()`, which skips them with a visible reason when it is absent.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

#: `<repo>/../shared/corpus`: this file is `<repo>/tests/corpus.py`.
CORPUS_DIR = Path(__file__).resolve().parents[2] / "shared" / "corpus"

#: File name endings of the data files a loader is expected to read.
DATA_SUFFIXES = (".yaml", ".yml", ".json")


def corpus_available() -> bool:
    return (CORPUS_DIR / "SOURCES.md").is_file()


def require_corpus() -> Path:
    """The corpus folder; skips the calling test (or module, at import) when absent."""
    if not corpus_available():
        pytest.skip(
            f"shared peer corpus not found at {CORPUS_DIR} (expected next to the repository)",
            allow_module_level=True,
        )
    return CORPUS_DIR


def corpus_path(relative: str) -> Path:
    """A path inside the corpus, given relative to its root (`owner__repo/...`)."""
    return require_corpus() / relative


def relative(path: Path) -> str:
    """`path` relative to the corpus root, with forward slashes (for test ids)."""
    return path.relative_to(CORPUS_DIR).as_posix()


def source_folders() -> list[Path]:
    """The top-level `owner__repo` folders, sorted."""
    return sorted(p for p in require_corpus().iterdir() if p.is_dir())


def data_files(folder: Path) -> Iterator[Path]:
    """Every YAML/JSON file under `folder`, in a stable order."""
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name.lower().endswith(DATA_SUFFIXES):
            yield path
