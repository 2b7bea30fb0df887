"""Diagrams: golden DOT and Mermaid text, the drawing rules, escaping of hostile labels, and `hypoplan render`."""

from __future__ import annotations

import itertools
import re
import shutil
from pathlib import Path

import graphviz
import pytest
from render_fixtures import HOSTILE, assert_golden, checkable, hostile_hypothesis, small_analysis, small_hypothesis

from hypoplan.cli import app
from hypoplan.graph import build_graph
from hypoplan.render.diagram import DiagramOptions, build_diagram, is_animal_only
from hypoplan.render.dot import ALLOWED_ATTRIBUTES, to_dot
from hypoplan.render.escape import dot_escape, markdown_text, mermaid_label
from hypoplan.render.mermaid import to_mermaid
from hypoplan.schema import Evidence

HAS_DOT = shutil.which("dot") is not None


CASES = {
    "small_plain": (False, DiagramOptions()),
    "small_analysis_grouped": (True, DiagramOptions(rankdir="TB", group_by_level=True, highlight=frozenset({"c"}))),
}


@pytest.mark.parametrize("case", CASES)
def test_dot_golden(case):
    with_analysis, options = CASES[case]
    g = build_graph(small_hypothesis())
    assert_golden(f"{case}.dot", to_dot(g, small_analysis() if with_analysis else None, options))


@pytest.mark.parametrize("case", CASES)
def test_mermaid_golden(case):
    with_analysis, options = CASES[case]
    g = build_graph(small_hypothesis())
    assert_golden(f"{case}.mmd", to_mermaid(g, small_analysis() if with_analysis else None, options))


# --- drawing rules --------------------------------------------------------------------------------------------


def _edge_line(dot: str, src: str, dst: str) -> str:
    return next(line for line in dot.splitlines() if line.strip().startswith(f"{src} -> {dst} "))


def test_roles_latent_and_adjusted_are_marked():
    d = build_diagram(build_graph(small_hypothesis()))
    by_key = {n.key: n for n in d.nodes}
    assert "exposure" in by_key["x"].roles and "outcome" in by_key["y"].roles
    assert "latent" in by_key["u"].roles and "adjusted" in by_key["c"].roles
    dot = to_dot(build_graph(small_hypothesis()))
    assert re.search(r'n3 \[label="age", shape="box"', dot)
    assert re.search(r'n4 \[[^\]]*style="rounded,dashed"', dot)


def test_generated_ids_never_user_ids():
    h = small_hypothesis()
    data = h.model_dump(mode="json")
    rename = {"x": "end", "m": "IL-6.TNF", "y": "o", "c": "graph", "u": "click"}
    for node in data["nodes"]:
        node["id"] = rename[node["id"]]
    for edge in data["edges"]:
        edge["source"], edge["target"] = rename[edge["source"]], rename[edge["target"]]
    data["focus"] = {"exposure": ["end"], "outcome": ["o"], "adjusted": ["graph"]}
    g = build_graph(type(h).model_validate(data))
    dot, mmd = to_dot(g), to_mermaid(g)
    ids = set(re.findall(r"^\s*([\w.-]+) (?:\[|->)", dot, re.MULTILINE)) - {"graph", "node", "edge"}
    ids |= set(re.findall(r"^\s*([\w.-]+)[(\[]", mmd, re.MULTILINE))
    for a, b in re.findall(r"^\s*(\S+) (?:==>|-->|-\.->|<-\.->)(?:\|\"[^\"]*\"\|)? (\S+)$", mmd, re.MULTILINE):
        ids |= {a, b}
    ids |= {c for line in re.findall(r"^  class ([\w,]+) ", mmd, re.MULTILINE) for c in line.split(",")}
    assert len(ids) > 10 and all(re.fullmatch(r"n\d+|legend\w*", i) for i in ids), ids


def test_confounded_pair_is_a_dashed_bidirected_arc_not_a_node():
    g = build_graph(small_hypothesis())
    assert "U(x,y)" in g  # the graph has the latent node …
    dot = to_dot(g)
    assert "U(x,y)" not in dot and "unmeasured common cause" not in dot  # … the drawing does not
    line = _edge_line(dot, "n0", "n2")
    assert 'dir="both"' in line and 'style="dashed"' in line
    assert "n0 <-.-> n2" in to_mermaid(g)


def test_confidence_sign_and_badges_on_edges():
    dot = to_dot(build_graph(small_hypothesis()))
    assert 'style="solid"' in _edge_line(dot, "n0", "n1") and 'penwidth="2.2"' in _edge_line(dot, "n0", "n1")
    assert 'label="+ [animal]"' in _edge_line(dot, "n0", "n1")
    assert 'style="dotted"' in _edge_line(dot, "n1", "n2") and 'label="−"' in _edge_line(dot, "n1", "n2")
    assert 'style="dashed"' in _edge_line(dot, "n4", "n1")  # suggestive
    assert "[contested]" in _edge_line(dot, "n3", "n2")


def test_analysis_colours_causal_green_and_biasing_red():
    g = build_graph(small_hypothesis())
    dot = to_dot(g, small_analysis())
    assert 'color="#1e7b34"' in _edge_line(dot, "n0", "n1") and 'color="#1e7b34"' in _edge_line(dot, "n1", "n2")
    assert 'color="#c0392b"' in _edge_line(dot, "n0", "n2")  # the open x <-> y path
    assert "#c0392b" not in _edge_line(dot, "n3", "n2")  # x <- c -> y is blocked (c adjusted)
    plain = to_dot(g)
    assert "#1e7b34\", penwidth=\"3.5\"" not in plain and "#c0392b" not in plain


def test_group_by_level_clusters_in_molecular_to_clinical_order():
    dot = to_dot(build_graph(small_hypothesis()), options=DiagramOptions(group_by_level=True))
    labels = re.findall(r'subgraph cluster_level\d+ \{\n\s+label="(\w+)"', dot)
    assert labels == ["circuit", "physiological", "clinical", "demographic"]


def test_highlighted_set_is_double_boxed():
    dot = to_dot(build_graph(small_hypothesis()), options=DiagramOptions(highlight=frozenset({"c"})))
    assert re.search(r'n3 \[[^\]]*shape="box", peripheries="2"', dot)


def test_animal_only_needs_all_supporting_evidence_from_animals():
    mouse = Evidence(species="mouse", design="knockout", finding="f")
    human = Evidence(species="human", design="cohort", finding="f")
    against = Evidence(species="human", design="cohort", finding="f", direction="contradicts")
    assert is_animal_only([mouse]) and is_animal_only([mouse, against])
    assert not is_animal_only([mouse, human]) and not is_animal_only([])


def test_only_allow_listed_attributes():
    for hostile in HOSTILE:
        dot = to_dot(build_graph(hostile_hypothesis(hostile)), small_analysis())
        used = set(re.findall(r'(\w+)="', re.sub(r'"(?:[^"\\]|\\.)*"', '""', dot)))
        assert used <= ALLOWED_ATTRIBUTES, used - ALLOWED_ATTRIBUTES
        assert "URL" not in used and "href" not in used


# --- escaping -------------------------------------------------------------------------------------------------


def test_dot_escape_has_graphviz_escape_semantics():
    for text in HOSTILE:
        flat = " ".join(text.split())
        expected = str(graphviz.escape(flat.replace("&", "&amp;"))).replace('"', '\\"')
        assert dot_escape(text) == expected


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_in_dot_is_one_quoted_string(text):
    dot = to_dot(build_graph(hostile_hypothesis(text)))
    for line in dot.splitlines():
        # every line is a complete statement: quotes balance outside escapes, no raw newline got through
        unescaped_quotes = len(re.findall(r'(?<!\\)(?:\\\\)*"', line))
        assert unescaped_quotes % 2 == 0, line
    assert "<" not in re.sub(r'"(?:[^"\\]|\\.)*"', '""', dot)  # no HTML-like label anywhere


@pytest.mark.skipif(not HAS_DOT, reason="system Graphviz missing (make test installs it)")
@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_in_svg_is_visible_text(text):
    from hypoplan.render.graphviz import render, svg_for_html

    svg = svg_for_html(render(to_dot(build_graph(hostile_hypothesis(text))), "svg"))
    tags = re.findall(r"<[^>]+>", svg)  # text content has its < escaped, so these are the real elements
    assert not [t for t in tags if re.match(r"</?(img|image|script|a|foreignObject)\b", t, re.IGNORECASE)]
    assert not [t for t in tags if re.search(r"\s(href|xlink:href|src|on\w+)\s*=", t, re.IGNORECASE)]
    assert "javascript:" not in " ".join(tags)
    import html as html_mod

    texts = " ".join(html_mod.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg))
    first_word = " ".join(text.split())[:12]
    assert first_word.split()[0] in texts


@pytest.mark.skipif(not HAS_DOT, reason="system Graphviz missing (make test installs it)")
def test_backslashes_and_entities_render_verbatim():
    from hypoplan.render.graphviz import render

    h = hostile_hypothesis(r"C:\Names\new &lt;x&gt;")
    svg = render(to_dot(build_graph(h)), "svg").decode()
    import html as html_mod

    texts = [html_mod.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    assert r"C:\Names\new &lt;x&gt;" in texts


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_in_mermaid_cannot_start_a_statement(text):
    mmd = to_mermaid(build_graph(hostile_hypothesis(text)), small_analysis())
    statement = re.compile(r"^(flowchart \w+|  (subgraph \w+\[\"[^\"]*\"\]|end|  direction TB|"
                           r"(    )?n\d+(\(\"[^\"]*\"\)|\[\"[^\"]*\"\]|\[\[\"[^\"]*\"\]\])|"
                           r"n\d+ (==>|-->|-\.->|<-\.->)(\|\"[^\"]*\"\|)? n\d+|linkStyle \d+ [\w:#,. -]+|"
                           r"classDef \w+ [\w:#,. -]+|class [\w,]+ \w+|  legend\w*(\(\"[^\"]*\"\)|\[\"[^\"]*\"\])))$")
    for line in mmd.splitlines():
        assert statement.match(line), line
    assert "%%" not in mmd and "<" not in mmd.replace("<-.->", "") and "`" not in mmd and "*" not in mmd


def test_mermaid_label_entities():
    assert mermaid_label('a "b" <c> & #d *e* `f`') == "a #quot;b#quot; #60;c#62; #38; #35;d #42;e#42; #96;f#96;"
    assert mermaid_label("x\n%%{init}%%\r\nclick") == "x %{init}% click"
    assert "%%" not in mermaid_label("%%%%%")


def test_markdown_text_is_inert():
    out = markdown_text("**b** [l](javascript:x) <img src=x> @octocat #12 a|b\n# head")
    assert "<" not in out and "\n" not in out
    assert "\\*\\*b\\*\\*" in out and "\\[l\\](javascript:x)" in out
    assert "@\u200docto" in out and "\\#\u200d12" in out and "a\\|b" in out


# --- CLI ------------------------------------------------------------------------------------------------------


@pytest.fixture
def small_file(tmp_path: Path) -> Path:
    from hypoplan.writer import dump_hypothesis

    path = tmp_path / "small.yaml"
    path.write_text(dump_hypothesis(checkable(small_hypothesis())), encoding="utf-8")
    return path


def test_cli_dot_and_mermaid_to_stdout(runner, small_file):
    res = runner.invoke(app, ["render", str(small_file)])
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("digraph hypothesis {")
    res = runner.invoke(app, ["render", str(small_file), "--format", "mermaid", "--rankdir", "TB"])
    assert res.exit_code == 0 and res.stdout.startswith("flowchart TB")


def test_cli_highlight_unknown_node_is_usage_error(runner, small_file):
    res = runner.invoke(app, ["render", str(small_file), "--highlight-adjustment", "nope"])
    assert res.exit_code == 2 and "unknown node(s) nope" in res.stderr


def test_cli_highlight_named_node(runner, small_file):
    res = runner.invoke(app, ["render", str(small_file), "--highlight-adjustment", "c"])
    assert res.exit_code == 0 and 'peripheries="2"' in res.stdout


def test_cli_refuses_overwrite_without_force(runner, small_file, tmp_path):
    out = tmp_path / "d.dot"
    out.write_text("keep")
    res = runner.invoke(app, ["render", str(small_file), "-o", str(out)])
    assert res.exit_code == 2 and out.read_text() == "keep"
    assert runner.invoke(app, ["render", str(small_file), "-o", str(out), "--force"]).exit_code == 0
    assert out.read_text().startswith("digraph")


@pytest.mark.skipif(not HAS_DOT, reason="system Graphviz missing (make test installs it)")
@pytest.mark.parametrize(("fmt", "magic"), [("svg", b"<svg"), ("png", b"\x89PNG"), ("pdf", b"%PDF")])
def test_cli_binary_formats(runner, small_file, tmp_path, fmt, magic):
    out = tmp_path / f"d.{fmt}"
    res = runner.invoke(app, ["render", str(small_file), "-f", fmt, "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert magic in out.read_bytes()[:400]


def test_cli_missing_graphviz_is_exit_2_with_install_hint(runner, small_file, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    res = runner.invoke(app, ["render", str(small_file), "-f", "svg", "-o", str(tmp_path / "d.svg")])
    assert res.exit_code == 2
    assert "Graphviz (`dot`) was not found" in res.stderr and "apt-get install graphviz" in res.stderr
    assert not (tmp_path / "d.svg").exists()


def test_cli_missing_file(runner, tmp_path):
    res = runner.invoke(app, ["render", str(tmp_path / "nope.yaml")])
    assert res.exit_code == 2 and "no such file" in res.stderr


# --- Jupyter --------------------------------------------------------------------------------------------------


def test_loaded_hypothesis_shows_its_diagram_in_jupyter(small_file, tmp_path, monkeypatch):
    from hypoplan.api import load

    loaded = load(small_file)
    if HAS_DOT:
        svg = loaded._repr_svg_()
        assert svg.startswith("<svg") and "NE oscillation" in svg
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert loaded._repr_svg_() is None  # no Graphviz: Jupyter falls back to the plain repr


@pytest.mark.skipif(not HAS_DOT, reason="system Graphviz missing (make test installs it)")
def test_cli_binary_to_terminal_is_refused_but_a_pipe_is_fine(runner, small_file, monkeypatch):
    import hypoplan.cli.render as cli_render

    res = runner.invoke(app, ["render", str(small_file), "-f", "png"])
    assert res.exit_code == 0 and res.stdout_bytes.startswith(b"\x89PNG")
    monkeypatch.setattr(cli_render, "stdout_is_terminal", lambda: True)
    res = runner.invoke(app, ["render", str(small_file), "-f", "png"])
    assert res.exit_code == 2 and "refusing to write PNG bytes to a terminal" in res.stderr


def test_cli_reads_dagitty_files(runner, tmp_path):
    path = tmp_path / "d.dagitty"
    path.write_text('dag { X [exposure,label="NE <b>"] Y [outcome] Z X -> Y Z -> X Z -> Y }', encoding="utf-8")
    res = runner.invoke(app, ["render", str(path), "-f", "mermaid"])
    assert res.exit_code == 0, res.output
    assert "n0(" in res.stdout and "<b>" not in res.stdout


def test_edge_on_causal_and_biasing_paths_stays_green():
    from hypoplan.analysis.result import PathInfo

    g = build_graph(small_hypothesis())
    base = small_analysis()
    both = type(base)(**{**base.__dict__, "paths": (PathInfo(("x", "m", "y"), True, True),
                                                    PathInfo(("x", "c", "u", "m", "y"), False, True))})
    dot = to_dot(g, both)
    assert 'color="#1e7b34"' in _edge_line(dot, "n1", "n2")  # m -> y: on both paths
    assert 'color="#c0392b"' in _edge_line(dot, "n4", "n1")  # u -> m: only on the biasing path


def test_real_analysis_colours_paths():
    from hypoplan.analysis import analyze

    g = build_graph(small_hypothesis())
    result = analyze(g)
    dot = to_dot(g, result)
    assert 'color="#1e7b34"' in _edge_line(dot, "n0", "n1")  # x -> m -> y is causal and open
    assert 'color="#c0392b"' in _edge_line(dot, "n0", "n2")  # x <-> y stays open whatever is adjusted


def test_cli_highlight_minimal_recolours_given_the_set(runner, tmp_path):
    from hypoplan.writer import dump_hypothesis

    h = small_hypothesis(focus={"exposure": "x", "outcome": "y"},
                         edges=[e for e in small_hypothesis().model_dump(mode="json")["edges"] if e["type"] != "confounded"])
    path = tmp_path / "small.yaml"
    path.write_text(dump_hypothesis(checkable(h)), encoding="utf-8")
    plain = runner.invoke(app, ["render", str(path)])
    assert 'color="#c0392b"' in _edge_line(plain.stdout, "n3", "n2")  # x <- c -> y open without adjustment
    res = runner.invoke(app, ["render", str(path), "--highlight-adjustment", "minimal"])
    assert res.exit_code == 0, res.output
    assert re.search(r'n3 \[[^\]]*shape="box", peripheries="2"', res.stdout)  # c is the minimal set
    assert "#c0392b" not in _edge_line(res.stdout, "n3", "n2")  # … and closes the back-door path


def test_causal_edges_match_brute_force_on_random_dags():
    import random

    import networkx as nx

    from hypoplan.render.diagram import causal_edges

    rng = random.Random(7)
    for _ in range(200):
        n = rng.randint(2, 8)
        g = nx.DiGraph()
        g.add_nodes_from(range(n))
        g.add_edges_from((i, j) for i in range(n) for j in range(i + 1, n) if rng.random() < 0.35)
        x, y = 0, n - 1
        adjusted = {v for v in range(1, n - 1) if rng.random() < 0.2}
        expected = set()
        for path in nx.all_simple_paths(g, x, y):
            if not adjusted & set(path[1:-1]):
                expected |= set(itertools.pairwise(path))
        assert causal_edges(g, [x], [y], adjusted) == expected


def test_dot_text_is_one_quoted_string():
    from hypoplan.render.escape import dot_text

    assert dot_text('say "hi"\nC:\\new & <b>') == '"say \\"hi\\" C:\\\\new &amp; <b>"'


@pytest.mark.parametrize("bad", [
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<svg><image href="file:///etc/passwd"/></svg>',
    '<svg onload="alert(1)"><g/></svg>',
    '<svg><script>alert(1)</script></svg>',
    '<svg><foreignObject><div>x</div></foreignObject></svg>',
])
def test_svg_for_html_refuses_active_content(bad):
    from hypoplan.errors import HypoplanError
    from hypoplan.render.graphviz import svg_for_html

    with pytest.raises(HypoplanError, match="refusing"):
        svg_for_html(bad)


def test_svg_for_html_keeps_plain_svg_and_drops_the_prolog():
    from hypoplan.render.graphviz import svg_for_html

    text = '<?xml version="1.0"?>\n<!DOCTYPE svg>\n<!-- n0 -->\n<svg><g><title>n0</title><text>a &lt;b&gt; onload=x</text></g></svg>'
    assert svg_for_html(text).startswith("<svg><g>")
