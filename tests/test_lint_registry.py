"""Lint rule L011: a link another file in the folder draws with the opposite sign (nodes matched by construct)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from registry_helpers import edge, hyp, node, write_registry

from hypoplan.cli import app


def _folder(tmp_path: Path, sign_b: str) -> Path:
    return write_registry(
        tmp_path / "reg",
        hyp("a", [node("x", "depression"), node("y", "cognitive_function")], [edge("x", "y", "+", notes="idea")]),
        hyp("b", [node("p", "depression"), node("q", "cognitive_function")], [edge("p", "q", sign_b, notes="idea")]),
        # same ids as a, no constructs: never matched by id alone, so no finding for c
        hyp("c", [node("x"), node("y")], [edge("x", "y", "-", notes="idea")]),
    )


def _l011(runner, *args: str) -> list[tuple[str, int, str]]:
    res = runner.invoke(app, ["lint", *args, "--format", "json", "--fail-on", "never"])
    assert res.exit_code == 0, res.output
    return [(Path(d["path"]).name, d["line"], d["message"]) for d in json.loads(res.stdout)["diagnostics"]
            if d["code"] == "L011"]


def test_l011_flags_both_edges_of_an_opposite_sign_pair(runner, tmp_path):
    found = _l011(runner, str(_folder(tmp_path, "-")))
    assert [(f, m) for f, _, m in found] == [
        ("a.yaml", "edge x -> y (positive) is drawn with the opposite sign in b"),
        ("b.yaml", "edge p -> q (negative) is drawn with the opposite sign in a"),
    ]
    assert all(line > 0 for _, line, _ in found)


def test_l011_silent_when_the_signs_agree(runner, tmp_path):
    assert _l011(runner, str(_folder(tmp_path, "+"))) == []


def test_l011_looks_at_the_folder_when_one_file_is_linted(runner, tmp_path):
    folder = _folder(tmp_path, "-")
    assert [f for f, _, _ in _l011(runner, str(folder / "a.yaml"))] == ["a.yaml"]


@pytest.mark.parametrize("how", ["pyproject", "directive"])
def test_l011_is_configurable_like_the_other_rules(runner, tmp_path, monkeypatch, how):
    folder = _folder(tmp_path, "-")
    if how == "pyproject":
        (tmp_path / "pyproject.toml").write_text('[tool.hypoplan]\nlint.disable = ["L011"]\n', encoding="utf-8")
        monkeypatch.chdir(tmp_path)
        assert _l011(runner, str(folder)) == []
    else:
        a = folder / "a.yaml"
        a.write_text("# hypoplan: disable=L011\n" + a.read_text(encoding="utf-8"), encoding="utf-8")
        assert [f for f, _, _ in _l011(runner, str(folder))] == ["b.yaml"]
