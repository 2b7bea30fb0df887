"""Crashes and exit codes (issue 13): internal errors exit 3 with one line, ids never crash or get cut."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

import hypoplan.api
from hypoplan.cli import app
from hypoplan.cli.common import EXIT_INTERNAL, max_id_length
from hypoplan.loader import load_file
from hypoplan.schema import Hypothesis

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = str(ROOT / "hypotheses" / "mecfs-ne-vasomotion.yaml")
DAGITTY = "dag {\nA [exposure]\nB [outcome]\nA -> B\n}\n"


@pytest.fixture
def crash(monkeypatch):
    """Make loading a hypothesis raise an unexpected exception, as a bug would."""

    def boom(*args, **kwargs):
        raise ValueError("math domain error\nsecond line")

    monkeypatch.setattr(hypoplan.api, "load", boom)
    monkeypatch.delenv("HYPOPLAN_DEBUG", raising=False)


def test_an_unexpected_exception_is_an_internal_error_not_a_finding(runner, crash):
    result = runner.invoke(app, ["analyze", SHIPPED])
    assert result.exit_code == EXIT_INTERNAL == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith("internal error: 'hypoplan analyze' failed with ValueError: math domain error second line")
    assert "bug in hypoplan" in line and "report it" in line and "--debug" in line
    assert "Traceback" not in result.output


@pytest.mark.parametrize("how", ["flag", "env"])
def test_debug_shows_the_traceback(runner, crash, how, monkeypatch):
    if how == "env":
        monkeypatch.setenv("HYPOPLAN_DEBUG", "1")
        args = ["analyze", SHIPPED]
    else:
        args = ["--debug", "analyze", SHIPPED]
    result = runner.invoke(app, args)
    os.environ.pop("HYPOPLAN_DEBUG", None)  # --debug sets it for the rest of the process
    assert result.exit_code == 3
    assert "Traceback (most recent call last)" in result.stderr and "ValueError: math domain error" in result.stderr
    assert "internal error: 'hypoplan analyze' failed" in result.stderr


def test_exit_codes_are_documented_with_the_internal_error(runner):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "3 internal error" in readme and "HYPOPLAN_DEBUG=1" in readme
    assert "3 internal error" in runner.invoke(app, ["--help"]).output


def test_schema_id_limit_is_what_the_cli_checks():
    limit = max_id_length()
    Hypothesis(id="a" * limit, title="t")
    with pytest.raises(ValueError):
        Hypothesis(id="a" * (limit + 1), title="t")


def test_new_with_a_long_id_is_a_usage_error_not_a_crash(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    long_id = "a" * (max_id_length() + 1)
    by_flag = runner.invoke(app, ["new", "--id", long_id, "--exposure", "x", "--outcome", "y", "-o", "-"])
    assert by_flag.exit_code == 2, by_flag.output
    assert "81 characters" in by_flag.stderr and "at most 80" in by_flag.stderr
    by_name = runner.invoke(app, ["new", "--exposure", "x", "--outcome", "y", "-o", f"{long_id}.yaml"])
    assert by_name.exit_code == 2, by_name.output
    assert "file name" in by_name.stderr and "81 characters" in by_name.stderr
    assert not list(tmp_path.iterdir())
    ok = runner.invoke(app, ["new", "--exposure", "x", "--outcome", "y", "-o", f"{'a' * 80}.yaml"])
    assert ok.exit_code == 0, ok.output
    assert load_file(tmp_path / f"{'a' * 80}.yaml").hypothesis.id == "a" * 80


def test_import_never_cuts_an_id_and_what_it_writes_passes_check(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.dagitty").write_text(DAGITTY, encoding="utf-8")
    long_id = "b" * 81
    by_name = runner.invoke(app, ["import", "m.dagitty", "-o", f"{long_id}.yaml"])
    assert by_name.exit_code == 2 and "81 characters" in by_name.stderr
    assert not (tmp_path / f"{long_id}.yaml").exists()
    by_flag = runner.invoke(app, ["import", "m.dagitty", "--id", long_id])
    assert by_flag.exit_code == 2 and "81 characters" in by_flag.stderr
    ok = runner.invoke(app, ["import", "m.dagitty", "-o", f"{'b' * 80}.yaml"])
    assert ok.exit_code == 0, ok.output
    assert runner.invoke(app, ["check", f"{'b' * 80}.yaml"]).exit_code == 0


def test_a_file_name_that_is_not_an_id_is_written_with_a_warning_about_check(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.dagitty").write_text(DAGITTY, encoding="utf-8")
    result = runner.invoke(app, ["import", "m.dagitty", "-o", "9 lives.yaml"])
    assert result.exit_code == 0
    hid = load_file(tmp_path / "9 lives.yaml").hypothesis.id
    assert f"warning: the id '{hid}' differs from the file name 9 lives.yaml" in result.stderr
    assert "E023" in result.stderr and f"{hid}.yaml" in result.stderr


# --- small things a user hit (issue 13, item 11) ---------------------------------------------------------------


def test_readme_example_is_in_fmt_canonical_form_and_valid():
    from hypoplan.loader import load_text
    from hypoplan.review.fmt import format_text

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = re.search(r"### Example\n\n```yaml\n(.*?)```", readme, re.DOTALL)
    assert example is not None
    assert format_text(example.group(1), "example.yaml") == example.group(1)
    assert load_text(example.group(1), "example.yaml").hypothesis.id == "example"


def test_flags_show_no_bool_metavar_and_choices_no_pydantic_prefix(runner):
    helps = [runner.invoke(app, [*cmd, "--help"], terminal_width=200).output
             for cmd in ([], ["check"], ["analyze"], ["render"], ["new"], ["review"])]
    assert all("<bool>" not in h for h in helps)
    assert "--force" in helps[4] and "--quiet" in helps[1]
    bad = runner.invoke(app, ["check", "--format", "xml"], terminal_width=200)
    assert bad.exit_code == 2
    assert "'xml' is not one of" in bad.output and "Value error" not in bad.output


def test_yaml_tab_error_says_to_use_spaces_and_empty_file_says_empty(runner, tmp_path):
    (tmp_path / "tab.yaml").write_text("id: tab\n\ttitle: t\n", encoding="utf-8")
    (tmp_path / "empty.yaml").write_text("", encoding="utf-8")
    (tmp_path / "comments.yaml").write_text("# nothing yet\n\n", encoding="utf-8")
    (tmp_path / "list.yaml").write_text("- a\n", encoding="utf-8")
    out = runner.invoke(app, ["check", str(tmp_path)]).stdout
    tab = [line for line in out.splitlines() if "tab.yaml" in line]
    assert tab and "E005" in tab[0]
    assert "hint: YAML indents with spaces, never tabs" in out
    assert out.count("empty file") == 2
    assert "list.yaml:1:1: error[E011]: a hypothesis file must be a YAML mapping" in out


def test_node_ids_sort_naturally_in_analysis_output(runner, tmp_path):
    from hypoplan.naming import natural_sorted

    assert natural_sorted(["n14", "n3", "N2", "a10", "a9", "b", "n03"]) == ["N2", "a9", "a10", "b", "n03", "n3", "n14"]
    assert natural_sorted(["Age", "X", "ne_x", "Y"]) == sorted(["Age", "X", "ne_x", "Y"])
    (tmp_path / "g.dagitty").write_text(
        "dag {\nn1 [exposure]\nn2 [outcome]\nn3 -> n1\nn14 -> n1\nn3 -> n2\nn14 -> n2\nn1 -> n2\n}\n", encoding="utf-8")
    text = runner.invoke(app, ["analyze", str(tmp_path / "g.dagitty")]).stdout
    assert "{n3, n14}" in text and "n14, n3" not in text
    data = json.loads(runner.invoke(app, ["analyze", str(tmp_path / "g.dagitty"), "--format", "json"]).stdout)
    assert data["adjustment"]["minimal"] == [["n3", "n14"]]


def test_capped_minimal_sets_do_not_claim_each_one_is_listed():
    from hypoplan.analysis import analyze
    from hypoplan.graph import build_graph
    from hypoplan.loader import load_text
    from hypoplan.render.analysis_markdown import adjustment_sentence

    # X <- Ci -> Y for 6 independent confounders, each with two proxies: 2**6 minimal sets
    lines = ["dag {", "X [exposure]", "Y [outcome]", "X -> Y"]
    for i in range(6):
        lines += [f"C{i} [latent]", f"C{i} -> A{i}", f"A{i} -> X", f"C{i} -> B{i}", f"B{i} -> Y"]
    g = build_graph(load_text("\n".join([*lines, "}"]) + "\n", "m.dagitty").hypothesis)
    full = analyze(g)
    assert "adjustment.minimal" not in full.truncated and len(full.adjustment.minimal) == 64
    assert adjustment_sentence(full).endswith("each minimal one is listed below.")
    capped = analyze(g, max_results=10)
    assert "adjustment.minimal" in capped.truncated
    sentence = adjustment_sentence(capped)
    assert "each minimal one is listed" not in sentence
    assert f"more minimal ones than the {len(capped.adjustment.minimal)} listed below" in sentence


def test_report_font_stack_has_a_font_with_the_independence_sign():
    template = (ROOT / "src/hypoplan/render/templates/report.html.j2").read_text(encoding="utf-8")
    body = re.search(r"body \{[^}]*font:([^;]*);", template, re.DOTALL)
    assert body is not None
    # each of these fonts has U+2AEB (⫫); browsers fall back glyph by glyph along the stack
    assert sum(f in body.group(1) for f in ('"STIX Two Math"', '"Cambria Math"', '"Noto Sans Math"')) == 3


# --- item 7: commands refuse what check rejects; unknown nodes in options are usage errors -----------------------

CYCLIC = """\
id: cyc
title: A cycle
focus: {exposure: [a], outcome: [b]}
nodes:
  - {id: a}
  - {id: b}
  - {id: c}
edges:
  - {source: a, target: b, confidence: speculative}
  - {source: b, target: c, confidence: speculative}
  - {source: c, target: a, confidence: speculative}
"""

MISSING_FOCUS = """\
id: miss
title: Focus on a node that does not exist
focus: {exposure: [a], outcome: [nosuch]}
nodes:
  - {id: a}
  - {id: b}
edges:
  - {source: a, target: b, confidence: speculative}
"""


@pytest.mark.parametrize("text, name, code", [(CYCLIC, "cyc", "E030"), (MISSING_FOCUS, "miss", "E021")])
@pytest.mark.parametrize("command", [["plan"], ["aims"], ["report"], ["render"], ["render", "--format", "mermaid"]])
def test_commands_refuse_a_file_that_check_rejects(runner, tmp_path, text, name, code, command):
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    checked = runner.invoke(app, ["check", str(path)])
    assert checked.exit_code == 1
    expected = [line for line in checked.stdout.splitlines() if line.strip()]
    assert any(f"error[{code}]" in line for line in expected)
    out = tmp_path / "out.txt"
    result = runner.invoke(app, [*command, str(path), "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert all(line in result.stderr for line in expected), (expected, result.stderr)
    assert not out.exists()
    from_stdin = runner.invoke(app, [*command, "-"], input=text)
    assert from_stdin.exit_code == 1 and f"error[{code}]" in from_stdin.stderr
    assert "E023" not in from_stdin.stderr  # text read from stdin has no file name to match


def test_python_load_raises_one_error_with_every_check_diagnostic(tmp_path):
    from hypoplan.errors import LoadError

    path = tmp_path / "wrong-name.yaml"
    path.write_text(CYCLIC, encoding="utf-8")
    from hypoplan.check import check_paths

    expected = check_paths([path]).errors
    assert {d.code for d in expected} == {"E023", "E030"}
    with pytest.raises(LoadError) as info:
        hypoplan.load(path)
    assert info.value.diagnostics == expected
    assert all(d.format() in str(info.value) for d in expected)
    assert hypoplan.api.load(path, check=False).id == "cyc"  # still loadable on purpose


def test_review_fails_on_a_change_that_check_rejects(runner, tmp_path, monkeypatch):
    from review_helpers import git, hypothesis_text, init_repo

    repo = init_repo(tmp_path / "repo")
    (repo / "hypotheses").mkdir()
    target = repo / "hypotheses" / "h1.yaml"
    target.write_text(hypothesis_text(), encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "base")
    target.write_text(hypothesis_text() + "  - source: y\n    target: x\n", encoding="utf-8")  # closes a cycle
    monkeypatch.chdir(repo)
    result = runner.invoke(app, ["review", "--format", "json", "--no-plan"])
    assert result.exit_code == 1, result.output
    assert "E030" in result.stdout


@pytest.mark.parametrize("given, suggestion", [
    ("NE_OSCILLATION", "did you mean 'x' (NE oscillation)?"),   # a label, whatever its case
    ("ne oscillation", "did you mean 'x' (NE oscillation)?"),
    ("X", "did you mean 'x' (NE oscillation)?"),                  # an id in the wrong case
    ("unrefreshing slep", "did you mean 'y' (unrefreshing sleep)?"),
])
@pytest.mark.parametrize("option", ["--exposure", "--outcome", "--adjust"])
def test_unknown_node_in_an_option_is_a_usage_error_with_did_you_mean(runner, tmp_path, given, suggestion, option):
    from render_fixtures import small_hypothesis

    from hypoplan.writer import dump_hypothesis

    path = tmp_path / "small.yaml"
    path.write_text(dump_hypothesis(small_hypothesis()), encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(path), option, given])
    assert result.exit_code == 2, result.output
    assert f"error: {option}: '{given}' is not a node of this hypothesis" in result.stderr
    assert f"hint: {suggestion}" in result.stderr


# --- item 10: the Python API a notebook user expects --------------------------------------------------------------


def test_api_methods_return_the_objects_the_cli_json_comes_from(runner):
    h = hypoplan.load(SHIPPED)
    result = h.analyze()
    assert type(result).__name__ == "AnalysisResult"
    cli = json.loads(runner.invoke(app, ["analyze", SHIPPED, "--format", "json"]).stdout)
    assert json.loads(json.dumps(result.to_dict())) == cli
    plan = h.plan()
    assert type(plan).__name__ == "Plan"
    cli_plan = json.loads(runner.invoke(app, ["plan", SHIPPED, "--format", "json"]).stdout)
    assert json.loads(json.dumps(plan.to_dict())) == cli_plan
    assert h.render("mermaid") == runner.invoke(app, ["render", SHIPPED, "--format", "mermaid"]).stdout
    assert h.render() == runner.invoke(app, ["render", SHIPPED]).stdout
    other = h.analyze(exposure="sympathetic_activity", outcome="unrefreshing_sleep")
    assert other.to_dict()["exposure"] == ["sympathetic_activity"]
    with pytest.raises(hypoplan.HypoplanError):
        h.render("gif")


def test_api_graph_attributes_are_json(tmp_path):
    import networkx as nx

    from hypoplan.analysis import analyze

    h = hypoplan.load(SHIPPED)
    g = h.graph()
    data = json.loads(json.dumps(nx.node_link_data(g)))
    edges_with_evidence = [e for e in data["edges"] if e.get("evidence")]
    assert edges_with_evidence and all(isinstance(ev, dict) and "finding" in ev
                                       for e in edges_with_evidence for ev in e["evidence"])
    assert analyze(g).to_dict() == h.analyze().to_dict()  # the plain graph still analyses the same


def test_dir_shows_only_the_public_api_and_help_explains_it():
    import pydoc

    public = dir(hypoplan)
    assert public == sorted(hypoplan.__all__)
    assert not {"Any", "TYPE_CHECKING", "annotations", "api", "loader"} & set(public)
    for name in public:
        assert getattr(hypoplan, name) is not None
    text = pydoc.render_doc(hypoplan.LoadedHypothesis, renderer=pydoc.plaintext)
    for method, words in [("analyze", "hypoplan analyze"), ("plan", "hypoplan plan"), ("render", "hypoplan render"),
                          ("graph", "json.dumps")]:
        assert f"{method}(self" in text and words in text
    assert "LoadError" in pydoc.render_doc(hypoplan.load, renderer=pydoc.plaintext)
    assert "h.analyze()" in pydoc.render_doc(hypoplan, renderer=pydoc.plaintext)


# --- item 8: DAGitty input ------------------------------------------------------------------------------------------

HEADERLESS = 'X [exposure]\nY [outcome]\n"a confounder" -> X\n"a confounder" -> Y\nX -> Y\n'


@pytest.mark.parametrize("command", [["analyze"], ["analyze", "--format", "json"], ["render", "--format", "mermaid"],
                                     ["export", "--to", "json"]])
def test_headerless_dagitty_reads_the_same_from_stdin_as_from_a_file(runner, tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "model.dagitty").write_text(HEADERLESS, encoding="utf-8")
    from_file = runner.invoke(app, [command[0], "model.dagitty", *command[1:]])
    from_stdin = runner.invoke(app, [command[0], "-", *command[1:]], input=HEADERLESS)
    assert from_file.exit_code == 0, from_file.output
    assert from_stdin.exit_code == 0, from_stdin.output

    def same(text: str) -> str:
        return text.replace("<stdin>", "model.dagitty").replace("&lt;stdin&gt;", "model.dagitty").replace(
            '"imported"', '"model"').replace("imported", "model")

    assert same(from_stdin.stdout) == same(from_file.stdout)


def test_yaml_on_stdin_is_not_mistaken_for_headerless_dagitty():
    from hypoplan.loader import looks_like_dagitty

    assert looks_like_dagitty(HEADERLESS) and looks_like_dagitty("a -> b\n") and looks_like_dagitty("dag { a -> b }")
    assert not looks_like_dagitty("id: h\ntitle: X -> Y\n")
    assert not looks_like_dagitty("id: h\nedges:\n  - {source: a, target: b}\nnotes: |\n  a -> b\n")
    assert not looks_like_dagitty("")


POSITIONED = """dag {
X [exposure,pos="0,0"]
Y [outcome,pos="2,0"]
Z [pos="1,-1"]
M [pos="1,1"]
X -> M -> Y
Z -> X
Z -> Y
}
"""


def _dot_positions(dot: str) -> dict[str, tuple[float, float]]:
    labels = dict(re.findall(r'^  (n\d+) \[label="([^"\\]+)', dot, re.MULTILINE))
    pos = {n: tuple(map(float, p.split(","))) for n, p in re.findall(r'^  (n\d+) \[.*pos="([^"]+)"', dot, re.MULTILINE)}
    return {labels[n]: p for n, p in pos.items()}  # type: ignore[misc]


def test_dagitty_positions_pin_the_layout_when_every_node_has_one(runner, tmp_path):
    path = tmp_path / "pos.dagitty"
    path.write_text(POSITIONED, encoding="utf-8")
    dot = runner.invoke(app, ["render", str(path)]).stdout
    assert 'layout="neato"' in dot
    pos = _dot_positions(dot)
    assert set(pos) == {"X", "Y", "Z", "M"} and all(f'pos="{x:.2f},{y:.2f}", pin="true"' in dot for x, y in pos.values())
    # DAGitty's y grows downwards, Graphviz's upwards: Z (y=-1) is drawn on top, M (y=1) at the bottom
    assert pos["X"][0] < pos["Z"][0] == pos["M"][0] < pos["Y"][0]
    assert pos["M"][1] < pos["X"][1] == pos["Y"][1] < pos["Z"][1]
    # one node without a position: Graphviz lays out the graph itself
    path.write_text(POSITIONED.replace(' [pos="1,1"]', ""), encoding="utf-8")
    unpinned = runner.invoke(app, ["render", str(path)]).stdout
    assert "layout=" not in unpinned and "pos=" not in unpinned and "pin=" not in unpinned


@pytest.mark.skipif(__import__("shutil").which("dot") is None, reason="system Graphviz missing")
def test_pinned_positions_survive_graphviz(runner, tmp_path):
    path = tmp_path / "pos.dagitty"
    path.write_text(POSITIONED, encoding="utf-8")
    svg = runner.invoke(app, ["render", str(path), "--format", "svg"]).stdout
    centre = {}
    for title, body in re.findall(r"<title>(n\d+)</title>(.*?)</g>", svg, re.DOTALL):
        m = re.search(r'<ellipse[^>]* cx="([-\d.]+)" cy="([-\d.]+)"', body)
        if m:
            centre[title] = (float(m.group(1)), float(m.group(2)))
    x, y, z, mid = centre["n0"], centre["n1"], centre["n2"], centre["n3"]
    assert x[0] < z[0] < y[0] and abs(z[0] - mid[0]) < 1
    assert z[1] < x[1] < mid[1]  # SVG y grows downwards, as DAGitty's does
