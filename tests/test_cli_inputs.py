"""Every command that takes a hypothesis takes a YAML file, a .dagitty file, or - for stdin, the same way."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hypoplan.cli import app

DAGITTY = 'dag {\nX [exposure]\nY [outcome]\nC\nM\nC -> X\nC -> Y\nX -> M -> Y\n}\n'

COMMANDS = [
    ["analyze", "--format", "json"],
    ["plan", "--format", "json"],
    ["render", "--format", "dot"],
    ["render", "--format", "mermaid"],
    ["aims"],
    ["export", "--to", "json"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
def test_dagitty_file_and_stdin_give_the_same_output(runner, tmp_path: Path, command, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "model.dagitty").write_text(DAGITTY, encoding="utf-8")
    from_file = runner.invoke(app, [command[0], "model.dagitty", *command[1:]])
    assert from_file.exit_code == 0, from_file.output
    from_stdin = runner.invoke(app, [command[0], "-", *command[1:]], input=DAGITTY)
    assert from_stdin.exit_code == 0, from_stdin.output

    def normalise(s: str) -> str:
        return (s.replace("&lt;stdin&gt;", "<stdin>").replace("<stdin>", "model.dagitty").replace('"imported"', '"model"')
                .replace("imported", "model"))

    assert normalise(from_stdin.stdout) == normalise(from_file.stdout)


@pytest.mark.parametrize("command", [c[0] for c in COMMANDS] + ["report"])
def test_missing_file_and_folder_are_usage_errors(runner, tmp_path: Path, command):
    extra = ["--to", "json"] if command == "export" else []
    if command == "report":
        extra = ["-o", str(tmp_path / "r.html")]
    missing = runner.invoke(app, [command, str(tmp_path / "nope.yaml"), *extra])
    assert missing.exit_code == 2 and "no such file" in missing.output and "Traceback" not in missing.output
    folder = runner.invoke(app, [command, str(tmp_path), *extra])
    assert folder.exit_code == 2 and "Traceback" not in folder.output


def test_stdin_extends_resolve_against_hypotheses_folder(runner, tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "hypotheses").mkdir()
    (tmp_path / "hypotheses" / "base.yaml").write_text(
        "id: base\ntitle: b\nnodes: [{id: X}, {id: Y}]\nedges: [{source: X, target: Y}]\n"
        "focus: {exposure: X, outcome: Y}\n", encoding="utf-8")
    child = "id: child\ntitle: c\nextends: [base]\nnodes: [{id: C}]\nedges: [{source: C, target: X}, {source: C, target: Y}]\n"
    res = runner.invoke(app, ["analyze", "-", "--format", "json"], input=child)
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["adjustment"]["minimal"] == [["C"]]


@pytest.mark.parametrize("command", [c[0] for c in COMMANDS] + ["report"])
def test_stdin_is_checked_like_a_file(runner, tmp_path: Path, command):
    extra = ["--to", "json"] if command == "export" else ["-o", str(tmp_path / "r.html")] if command == "report" else []
    latin1 = runner.invoke(app, [command, "-", *extra], input=b"id: x\ntitle: caf\xe9\n")
    assert latin1.exit_code == 1, latin1.output
    assert "<stdin>:2:11" in latin1.output and "invalid UTF-8 byte 0xe9" in latin1.output
    huge = runner.invoke(app, [command, "-", *extra], input=b"id: x\ntitle: t\nnotes: " + b"a" * 3_000_000)
    assert huge.exit_code == 1 and "E002" in huge.output and "limit" in huge.output


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("command", [["analyze", "hypotheses/mecfs-ne-vasomotion.yaml"], ["schema"]])
def test_a_full_disk_on_stdout_is_a_one_line_error(command):
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "hypoplan", *command], cwd=root, stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=120, check=False)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and "No space left on device" in proc.stderr


@pytest.mark.parametrize("args", [["analyze", "--exposure", ","], ["analyze", "--outcome", " , "],
                                  ["render", "--highlight-adjustment", ",,,"]])
def test_an_option_naming_no_node_is_a_usage_error(runner, tmp_path: Path, args):
    (tmp_path / "model.dagitty").write_text(DAGITTY, encoding="utf-8")
    result = runner.invoke(app, [args[0], str(tmp_path / "model.dagitty"), *args[1:]])
    assert result.exit_code == 2, result.output
    assert "names no node" in result.output and "Traceback" not in result.output
