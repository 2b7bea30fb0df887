"""``hypoplan analyze``: formats, .dagitty and stdin input, explicit adjustment sentences, clean errors."""

from __future__ import annotations

import json

import pytest

from hypoplan.cli import app

M_BIAS = "dag {\nX [exposure]\nY [outcome]\nA -> X\nA -> M\nB -> M\nB -> Y\nX -> Y\n}\n"
LATENT = "dag {\nX [exposure]\nY [outcome]\nW -> I -> X -> Y\nW -> Y\nX <-> Y\n}\n"

YAML = """\
id: coffee-test
title: Coffee and sleep
status: idea
summary: A toy hypothesis.
nodes:
  - id: coffee
  - id: sleep
  - id: stress
edges:
  - {source: stress, target: coffee, sign: +, confidence: suggestive}
  - {source: stress, target: sleep, sign: -, confidence: suggestive}
  - {source: coffee, target: sleep, sign: -, confidence: suggestive}
focus:
  exposure: [coffee]
  outcome: [sleep]
"""


def test_text_says_the_empty_set_suffices(runner, write):
    path = write("m.dagitty", M_BIAS)
    result = runner.invoke(app, ["analyze", str(path)])
    assert result.exit_code == 0, result.output
    assert "The empty set suffices" in result.stdout
    assert "No valid adjustment set exists" not in result.stdout


def test_markdown_says_no_valid_set_exists(runner, write):
    path = write("latent.dagitty", LATENT)
    result = runner.invoke(app, ["analyze", str(path), "--format", "markdown"])
    assert result.exit_code == 0, result.output
    assert "No valid adjustment set exists" in result.stdout
    assert "## Instrumental variables" in result.stdout
    assert "- I given {W}" in result.stdout


def test_json_from_stdin_and_options(runner):
    result = runner.invoke(app, ["analyze", "-", "--format", "json", "--adjust", "M", "--direct"], input=M_BIAS)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["adjusted"] == ["M"]
    assert sorted(data["adjustment"]["minimal"]) == [["A", "M"], ["B", "M"]]
    assert data["adjustment"]["given"]["valid"] is False
    # --direct honours the adjusted node M (a collider): the single-door sets must contain it and close A or B
    assert data["adjustment"]["direct"] == [["A", "M"], ["B", "M"]]
    assert data["adjustment"]["direct_given"]["valid"] is False
    assert any("M" in r for r in data["adjustment"]["direct_given"]["reasons"])


def test_yaml_hypothesis_with_overridden_roles(runner, write):
    path = write("coffee-test.yaml", YAML)
    result = runner.invoke(app, ["analyze", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["adjustment"]["minimal"] == [["stress"]]
    result = runner.invoke(app, ["analyze", str(path), "--format", "json", "--exposure", "stress",
                                 "--outcome", "sleep"])
    assert json.loads(result.stdout)["adjustment"]["minimal"] == [[]]


def test_max_results_cut_is_reported(runner, write):
    body = "\n".join([f"C{i} -> X\nC{i} -> D{i}\nD{i} -> Y" for i in range(5)])
    path = write("wide.dagitty", "dag {\nX [exposure]\nY [outcome]\nX -> Y\n" + body + "\n}\n")
    result = runner.invoke(app, ["analyze", str(path), "--format", "json", "--max-results", "3"])
    data = json.loads(result.stdout)
    assert len(data["adjustment"]["minimal"]) == 3 and len(data["paths"]) == 3
    assert {"adjustment.minimal", "paths"} <= set(data["truncated"])
    text = runner.invoke(app, ["analyze", str(path), "--max-results", "3"]).stdout
    assert "Listings cut at the --max-results cap" in text


def test_output_file_refuses_overwrite_without_force(runner, write, tmp_path):
    path = write("m.dagitty", M_BIAS)
    out = tmp_path / "a.md"
    assert runner.invoke(app, ["analyze", str(path), "-f", "markdown", "-o", str(out)]).exit_code == 0
    assert "empty set suffices" in out.read_text()
    again = runner.invoke(app, ["analyze", str(path), "-o", str(out)])
    assert again.exit_code == 2 and "--force" in again.output
    assert runner.invoke(app, ["analyze", str(path), "-o", str(out), "--force"]).exit_code == 0


@pytest.mark.parametrize("args, code, message", [
    (["--exposure", "Q"], 2, "--exposure: 'Q' is not a node of this hypothesis"),
    (["--exposure", "Y"], 1, "both exposure and outcome"),
    (["--adjust", "nosuch"], 2, "--adjust: 'nosuch' is not a node of this hypothesis"),
    (["--max-results", "0"], 2, ""),
])
def test_bad_requests_exit_cleanly(runner, write, args, code, message):
    path = write("m.dagitty", M_BIAS)
    result = runner.invoke(app, ["analyze", str(path), *args])
    assert result.exit_code == code
    assert message in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    if code == 1:
        assert f"{path}: " in result.stderr  # the message names the file


def test_cyclic_graph_and_missing_file(runner, write):
    path = write("cyc.dagitty", "dag {\nX [exposure]\nY [outcome]\nX -> Y\nY -> Z\nZ -> X\n}\n")
    result = runner.invoke(app, ["analyze", str(path)])
    assert result.exit_code == 1 and "directed cycle" in result.output and "Traceback" not in result.output
    assert f"{path}: the graph has a directed cycle" in result.stderr
    result = runner.invoke(app, ["analyze", "no/such/file.yaml"])
    assert result.exit_code == 2 and "no such file" in result.output


def test_markdown_escapes_user_text(runner, write):
    hostile = YAML.replace("title: Coffee and sleep", 'title: "<img src=x onerror=alert(1)> *bold* [l](javascript:x)"')
    path = write("coffee-test.yaml", hostile)
    result = runner.invoke(app, ["analyze", str(path), "--format", "markdown"])
    assert result.exit_code == 0, result.output
    heading = result.stdout.splitlines()[0]
    assert heading.startswith("# Causal analysis: ")
    assert "<img" not in result.stdout and "&lt;img" in heading
    assert "\\*bold\\*" in heading and "\\[l\\]" in heading  # no emphasis, no link
