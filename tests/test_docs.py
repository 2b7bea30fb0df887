"""The README documents every command, and every command has help with examples."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main

from hypoplan.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(cmd.name for cmd in typer.main.get_command(app).commands.values())  # type: ignore[attr-defined]


def test_all_command_modules_registered():
    assert len(COMMANDS) >= 23  # 15 before catalog, protocol, simulate, test-data, estimate, diagnose, map, site


@pytest.mark.parametrize("name", COMMANDS)
def test_command_is_in_the_readme(name: str):
    assert re.search(rf"hypoplan {re.escape(name)}\b", README), f"README never shows `hypoplan {name}`"


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help_with_examples(runner, name: str):
    result = runner.invoke(app, [name, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output, f"`hypoplan {name} --help` shows no example"


def test_quick_start_has_exactly_the_two_commands():
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```console\n(.*?)```", quick, re.DOTALL)
    assert block is not None
    commands = [line.split("#")[0].strip() for line in block.group(1).splitlines() if line.strip()]
    assert commands == ["make demo", "make test"]


def test_check_codes_in_readme_match_the_check_module():
    from hypoplan import check

    documented = set(re.findall(r"^\| (E\d{3}) \|", README, re.MULTILINE))
    in_module = set(re.findall(r"\b(E\d{3})\b", check.__doc__ or ""))
    assert documented == in_module
