"""The code base stays ruff- and mypy-clean, with the pinned versions, and CI runs both before the tests."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _pinned(name: str) -> str:
    """The exact version of ``name`` pinned in the test extra."""
    for req in PYPROJECT["project"]["optional-dependencies"]["test"]:
        m = re.fullmatch(rf"{name}==([\w.]+)", req)
        if m:
            return m.group(1)
    raise AssertionError(f"{name} is not pinned (name==version) in the test extra")


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, check=False)


@pytest.mark.parametrize("tool", ["ruff", "mypy"])
def test_linters_are_pinned_and_installed(tool: str) -> None:
    proc = _run(tool, "--version")
    assert proc.returncode == 0, f"{tool} is not installed: pip install -e '.[test]'\n{proc.stderr}"
    assert _pinned(tool) in proc.stdout, f"installed {proc.stdout.strip()}, pinned {_pinned(tool)}: pip install -e '.[test]'"


def test_ruff_is_clean() -> None:
    proc = _run("ruff", "check", "--no-cache", "src", "tests", "bench", "scripts")
    assert proc.returncode == 0, "ruff found problems (fix them, don't silence them):\n" + proc.stdout + proc.stderr


def test_mypy_is_clean() -> None:
    proc = _run("mypy")  # files and options come from [tool.mypy] in pyproject.toml
    assert proc.returncode == 0, "mypy found problems:\n" + proc.stdout + proc.stderr


def test_ci_runs_the_linters_before_the_tests() -> None:
    ci = [line.strip() for line in (ROOT / ".ci/run").read_text(encoding="utf-8").splitlines()]
    assert "set -euo pipefail" in ci  # a failing linter stops the run
    assert ci.index("make lint") < ci.index("make test")
    lint = re.search(r"^lint:.*\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text(encoding="utf-8"), re.MULTILINE)
    assert lint is not None
    assert "ruff check src tests bench scripts" in lint.group(1) and "mypy" in lint.group(1)


def test_pre_commit_runs_ruff_and_mypy() -> None:
    text = (ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    hooks = re.findall(r"^\s*- id: (\S+)\n\s*name: .*\n\s*entry: (.*)$", text, re.MULTILINE)
    entries = dict(hooks)
    assert entries.get("ruff", "").startswith("ruff check")
    assert entries.get("mypy", "").startswith("mypy")
