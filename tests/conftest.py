"""Shared fixtures: where the bundled example lives, and a way to run the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Callable, Union

import pytest
from hypothesis import HealthCheck, settings

REPO_ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = REPO_ROOT / "examples"
EXAMPLE_DESIRED = EXAMPLES / "gitops-repo"
EXAMPLE_LIVE = EXAMPLES / "live" / "cluster.json"

# Property tests state invariants, never speed: no deadline, so a slow machine or a
# debug build of the extension cannot make them fail.
# `pytest --hypothesis-profile=thorough` runs ten times as many examples.
settings.register_profile(
    "gitops-diff",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("thorough", parent=settings.get_profile("gitops-diff"), max_examples=1000)
settings.load_profile("gitops-diff")

Arg = Union[str, "os.PathLike[str]"]
RunCli = Callable[..., "subprocess.CompletedProcess[str]"]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def example_desired() -> Path:
    """The bundled GitOps repository (desired state)."""
    return EXAMPLE_DESIRED


@pytest.fixture(scope="session")
def example_live() -> Path:
    """The bundled `kubectl get -A -o json` dump (live state)."""
    return EXAMPLE_LIVE


def cli_env(extra: Mapping[str, str | None] | None = None) -> dict[str, str]:
    """The environment for a CLI run: the current one without NO_COLOR (tests that
    care set it), plus `extra` (a value of None removes the variable)."""
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env["PYTHONIOENCODING"] = "utf-8"
    for key, value in (extra or {}).items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run_cli(
    *args: Arg,
    stdin: str | None = None,
    env: Mapping[str, str | None] | None = None,
    cwd: Arg | None = None,
) -> subprocess.CompletedProcess[str]:
    """Runs `python -m gitops_diff ARGS` and returns the finished process (text mode)."""
    command: Sequence[str] = [sys.executable, "-m", "gitops_diff", *(os.fspath(a) for a in args)]
    with tempfile.TemporaryDirectory() as empty:
        # An empty working folder by default: no rules file there changes the outcome.
        return subprocess.run(
            command,
            input=stdin if stdin is not None else "",
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=cli_env(env),
            cwd=os.fspath(cwd) if cwd is not None else empty,
            check=False,
        )


@pytest.fixture(name="run_cli")
def run_cli_fixture() -> RunCli:
    """`run_cli("diff", desired, live, "--format", "json")` -> CompletedProcess."""
    return run_cli


def write(path: Path, text: str) -> Path:
    """Writes `text` to `path` (parents created) and returns the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
