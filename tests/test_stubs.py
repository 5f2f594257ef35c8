"""The typed stubs (python/gitops_diff/_core.pyi) match the compiled extension."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO_ROOT, cli_env

ALLOWLIST = Path(__file__).with_name("stubtest-allowlist.txt")


def test_stubs_match_the_extension(tmp_path: Path) -> None:
    pytest.importorskip("mypy.stubtest")
    command = [sys.executable, "-m", "mypy.stubtest", "gitops_diff._core"]
    if ALLOWLIST.exists():
        command += ["--allowlist", str(ALLOWLIST)]
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=cli_env({"MYPY_CACHE_DIR": str(tmp_path / "mypy-cache")}),
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_stubs_declare_every_public_name_of_the_extension() -> None:
    from gitops_diff import _core

    stub = (REPO_ROOT / "python" / "gitops_diff" / "_core.pyi").read_text(encoding="utf-8")
    public = [name for name in dir(_core) if not name.startswith("_")]
    missing = [
        name
        for name in public
        if f"class {name}" not in stub and f"def {name}(" not in stub and f"{name}:" not in stub
    ]
    assert missing == []
