"""Issue 13, items 1-6: selection nodes, direct effects, well-formed estimands, null effects, no focus.

The selection examples are DAGitty's own (``test/test/selection-nodes.js`` and
``test/test/adjustment-dags.js`` of jtextor/dagitty), with DAGitty's answers.
"""

from __future__ import annotations

import json
import re

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hypoplan.analysis import adjustment as adj
from hypoplan.analysis import analyze, analyze_structure
from hypoplan.analysis.identification import find_frontdoor_set, frontdoor_estimand
from hypoplan.cli import app
from hypoplan.dagitty import dump_dagitty, parse_dagitty
from hypoplan.errors import AnalysisError
from hypoplan.graph import build_graph
from hypoplan.loader import load_text
from hypoplan.render.dot import to_dot
from hypoplan.render.mermaid import to_mermaid


def dagitty(text: str, selected: tuple[str, ...] | None = None) -> nx.DiGraph:
    h, _ = parse_dagitty(text, "t.dagitty")
    g = build_graph(h)
    if selected is not None:
        g.graph["selected"] = selected
    return g


# --- 1. selection nodes: DAGitty's documented examples ------------------------------------------------------------

CHAIN = "dag { X [exposure] Y [outcome] S1 -> X -> Y <- S2 }"


@pytest.mark.parametrize(("selected", "z", "valid"), [
    ((), [], True),
    (("S1",), [], True),          # selection on a cause of X only: harmless
    (("S2",), [], False),         # selection on a cause of Y: biased
    (("S1",), ["S2"], True),
    (("S2",), ["S1"], False),
])
def test_dagitty_selection_nodes_is_adjustment_set(selected, z, valid):
    """selection-nodes.js: isAdjustmentSet(g, Z, S) on S1 -> X -> Y <- S2."""
    assert adj.is_valid_adjustment(dagitty(CHAIN, selected), ["X"], ["Y"], z) is valid
    assert adj.check_adjustment_set(dagitty(CHAIN, selected), ["X"], ["Y"], z).valid is valid


@pytest.mark.parametrize(("text", "given", "valid"), [
    ("{S1 [selected]} -> {X[exposure]} -> {Y[outcome]} <- {S2 [adjusted]}", None, True),
    ("{S1 [s]} -> {X[e]} -> {Y[o]} <- {S2 [a]}", None, True),
    ("{S1 [a]} -> {X[e]} -> {Y[o]} <- {S2 [s]}", None, False),
    ("{S1 [s]} -> {X[e]} <- {Z[a]} -> {Y[o]} <- {S2 [a]}", [], False),
    ("{S1 [s]} -> {X[e]} <- {Z[a]} -> {Y[o]} <- {S2 [a]}", None, True),
    ("{S1 [s]} <- {X[e]} <- {Z[a]} -> {Y[o]} <- {S2 [a]}", [], False),   # selection on a child of X
    ("{S1 [s]} <- {X[e]} <- {Z[a]} -> {Y[o]} <- {S2 [a]}", None, False),
    ("Z -> {{a[e]} -> { b -> {c[o]} }} c -> {s [selected]}", ["Z"], False),  # selection on a child of Y
])
def test_dagitty_selection_flags_in_the_graph(text, given, valid):
    """selection-nodes.js and adjustment-dags.js: the flags in the text, the adjusted nodes as the set."""
    g = dagitty(text)
    x, y = g.graph["exposure"], g.graph["outcome"]
    z = g.graph["adjusted"] if given is None else given
    assert adj.is_valid_adjustment(g, x, y, z) is valid


def test_dagitty_selection_list_msas():
    """selection-nodes.js: listMsasTotalEffect gives {Z}, and nothing with selection on a child of X."""
    g = dagitty("{S1 [s]} -> {X[e]} <- Z -> {Y[o]} <- S2")
    assert adj.minimal_adjustment_sets(g, ["X"], ["Y"]) == ([frozenset({"Z"})], False)
    g = dagitty("{S1 [s]} <- {X[e]} <- Z -> {Y[o]} <- S2")
    assert adj.minimal_adjustment_sets(g, ["X"], ["Y"]) == ([], False)
    assert adj.canonical_adjustment_set(g, ["X"], ["Y"]) is None


def test_dagitty_example_didelez_case_control_selection_on_the_outcome():
    """DAGitty's shipped example "Didelez et al, 2010" (gui/js/example-dags.js): S is a child of the outcome
    TCI, so no adjustment set recovers the effect from the selected data; the adjusted {Age, Smo} is invalid."""
    g = dagitty("""dag {
Age [adjusted]
HRT [exposure]
S [selected]
Smo [adjusted]
TCI [outcome]
Age -> HRT  Age -> Occ  Age -> S  Age -> TCI  HRT -> TCI  Occ -> Smo  Occ -> Thist
Smo -> HRT  Smo -> TCI  TCI -> S  Thist -> TCI
}""")
    r = analyze(g)
    assert not r.adjustment.exists and not r.adjustment.given.valid
    assert "TCI -> S" in r.adjustment.selection_bias
    without = analyze(dagitty("dag { HRT [exposure] TCI [outcome] Age -> HRT  Age -> TCI  HRT -> TCI "
                              "Age -> Occ  Occ -> Smo  Occ -> Thist  Smo -> HRT  Smo -> TCI  Thist -> TCI }"),
                      adjusted=["Age", "Smo"])
    assert without.adjustment.given.valid  # the same set is valid without the selection


def test_selection_on_a_collider_opens_the_path_and_is_named():
    """X -> S <- Y: a collider selected on (e.g. hospital admission) biases the effect; the answer says why."""
    g = dagitty("dag { X [exposure] Y [outcome] S [selected] X -> S <- Y  X -> Y }")
    r = analyze(g)
    assert r.selected == ("S",)
    assert r.adjustment.minimal == () and not r.adjustment.exists
    assert r.adjustment.selection_bias is not None and "selection on S" in r.adjustment.selection_bias
    assert not r.identification.identifiable and "selection on S" in r.identification.reason
    data = r.to_json()
    assert data["selected"] == ["S"] and "selection on S" in data["adjustment"]["selection_bias"]


def test_selected_nodes_condition_paths_implications_and_instruments():
    """M-bias with the collider M selected on: the biasing path opens, and M is a child of B, a cause of Y,
    so selection leaves no valid set (DAGitty's rule); M is in no implication and is no instrument."""
    text = "dag { X [exposure] Y [outcome] M [selected] A -> X  A -> M  B -> M  B -> Y  X -> Y  I -> X }"
    r = analyze(dagitty(text))
    biasing = [p for p in r.paths if not p.causal]
    assert biasing and all(p.open for p in biasing)
    assert not r.adjustment.exists and "Y <- B -> M" in r.adjustment.selection_bias
    assert all("M" not in {i.x, i.y} | i.given for i in r.implications)
    assert not any({i.x, i.y} == {"A", "B"} for i in r.implications)  # A and B are dependent given M
    assert "M" not in {i.instrument for i in r.instruments}
    unselected = analyze(dagitty(text.replace("M [selected]", "")))
    assert unselected.adjustment.empty_suffices
    assert not any(p.open for p in unselected.paths if not p.causal)


def test_selected_exposure_is_refused():
    g = dagitty("dag { X [exposure, selected] Y [outcome] X -> Y }")
    with pytest.raises(AnalysisError, match="selected"):
        analyze(g)


YAML = """\
id: sel
title: Selection
status: idea
nodes:
  - {id: x}
  - {id: y}
  - {id: clinic, label: "Clinic <b>&\\"", selected: true}
edges:
  - {source: x, target: y}
  - {source: x, target: clinic}
  - {source: y, target: clinic}
focus: {exposure: x, outcome: y}
"""


def test_selected_true_on_a_node_equals_focus_selected_and_round_trips_to_dagitty():
    h = load_text(YAML, "sel.yaml").hypothesis
    g = build_graph(h)
    assert g.graph["selected"] == ("clinic",) and g.nodes["clinic"]["selected"]
    same = load_text(YAML.replace("selected: true", "kind: mechanism").replace(
        "focus: {exposure: x, outcome: y}", "focus: {exposure: x, outcome: y, selected: clinic}"), "s.yaml")
    assert build_graph(same.hypothesis).graph["selected"] == ("clinic",)
    text = dump_dagitty(h)
    assert re.search(r"clinic \[selected", text)
    back, _ = parse_dagitty(text, "back.dagitty")
    assert back.focus.selected == ("clinic",)
    assert not analyze(g).adjustment.exists


def test_selected_nodes_are_drawn_in_dot_and_mermaid_with_escaped_labels():
    g = build_graph(load_text(YAML, "sel.yaml").hypothesis)
    dot = to_dot(g)
    line = next(raw for raw in dot.splitlines() if "Clinic" in raw and "legend" not in raw)
    assert "bold" in line and '\\"' in line and "&amp;" in line  # DOT-escaped quote and ampersand
    mmd = to_mermaid(g)
    assert "classDef selected" in mmd and re.search(r"class \S+ selected", mmd)
    assert "(selected)" in mmd and "<b>" not in mmd


def test_cli_analyze_says_when_selection_leaves_no_valid_set(runner):
    result = runner.invoke(app, ["analyze", "-"], input="dag { X [exposure] Y [outcome] S [selected] X -> Y -> S }")
    assert result.exit_code == 0, result.output
    assert "No valid adjustment set exists because of selection" in result.stdout
    assert "Selected on" in result.stdout


def test_plan_offers_no_strategy_that_ignores_selection(runner, tmp_path):
    """Selection on a collider of x and y: the plan must not fall back on the ID algorithm (which assumes no
    selection) and claim P(y|do(x)) = P(y|x)."""
    path = tmp_path / "selfx.yaml"
    path.write_text(YAML.replace("id: sel\n", "id: selfx\n"))
    out = runner.invoke(app, ["plan", str(path), "--format", "json"])
    assert out.exit_code == 0, out.output
    design = json.loads(out.stdout)["design"]
    assert design["strategy"] == "not_identifiable" and design["estimand_formula"] is None
    assert "selects on" in design["strategy_reason"]
    assert any("selection on clinic" in c["why_not"] for c in design["considered"])


# --- 3. direct effects ------------------------------------------------------------------------------------------

def test_direct_effect_honours_adjusted_nodes_and_checks_the_given_set():
    g = dagitty("dag { X [exposure] Y [outcome] A -> X  A -> M  B -> M  B -> Y  X -> Y }")
    r = analyze(g, adjusted=["M"], direct=True)
    assert set(r.adjustment.direct) == {frozenset({"A", "M"}), frozenset({"B", "M"})}
    assert not r.adjustment.direct_given.valid
    assert any("X <- A -> M <- B -> Y" in reason for reason in r.adjustment.direct_given.reasons)
    ok = analyze(g, adjusted=["M", "A"], direct=True)
    assert ok.adjustment.direct_given.valid


def test_direct_effect_given_set_with_a_descendant_of_y_says_so():
    g = dagitty("dag { X [exposure] Y [outcome] X -> Y -> D }")
    r = analyze(g, adjusted=["D"], direct=True)
    assert not r.adjustment.direct_given.valid
    assert any("descendant of the outcome Y" in reason for reason in r.adjustment.direct_given.reasons)


def test_direct_effect_with_several_exposures_is_refused_clearly():
    g = dagitty("dag { X1 [exposure] X2 [exposure] Y [outcome] X1 -> Y  X2 -> Y }")
    with pytest.raises(AnalysisError, match="one exposure and one outcome"):
        analyze(g, direct=True)


# --- 4. well-formed estimands ------------------------------------------------------------------------------------

MALFORMED = re.compile(r"Σ_\{\}|P\(\||P\(\)|\|\)")


def test_frontdoor_with_an_empty_set_is_p_of_y():
    g = dagitty("dag { X [exposure] Y [outcome] U [latent] U -> X  U -> Y }")
    assert find_frontdoor_set(g, {"X"}, {"Y"}) == frozenset()
    assert frontdoor_estimand(g, ["X"], ["Y"], []) == "P(Y|do(X)) = P(Y)"
    r = analyze(g)
    assert r.identification.identifiable and r.identification.estimand == "P(Y|do(X)) = P(Y)"


@st.composite
def random_questions(draw):
    n = draw(st.integers(2, 7))
    names = [f"v{i}" for i in range(n)]
    g = nx.DiGraph()
    g.add_nodes_from(names, observed=True)
    for i in range(n):
        for j in range(i + 1, n):
            if draw(st.booleans()):
                g.add_edge(names[i], names[j])
    for v in draw(st.sets(st.sampled_from(names), max_size=2)):
        g.nodes[v]["observed"] = False
    observed = [v for v in names if g.nodes[v]["observed"]]
    if len(observed) < 2:
        g.nodes[names[0]]["observed"] = g.nodes[names[1]]["observed"] = True
        observed = [v for v in names if g.nodes[v]["observed"]]
    x, y = draw(st.permutations(observed))[:2]
    return g, x, y


@settings(max_examples=300, deadline=None, derandomize=True)
@given(random_questions())
def test_estimands_are_well_formed_on_random_graphs(case):
    """Never an empty sum or an empty conditional; P(Y) when X is not an ancestor of Y."""
    g, x, y = case
    r = analyze(g, exposure=[x], outcome=[y], max_results=20)
    estimand = r.identification.estimand
    if estimand is not None:
        assert not MALFORMED.search(estimand), estimand
        assert estimand.startswith(f"P({y}|do({x})) = ")
        if not nx.has_path(g, x, y):
            assert estimand == f"P({y}|do({x})) = P({y})"
    m = find_frontdoor_set(g, {x}, {y})
    if m is not None:
        assert not MALFORMED.search(frontdoor_estimand(g, [x], [y], m))


# --- 5. a focus with no causal path is a claim of no effect ---------------------------------------------------------

def test_no_causal_path_is_a_claim_of_no_effect(runner):
    text = "dag { X [exposure] Y [outcome] C -> X  C -> Y }"
    r = analyze(dagitty(text))
    assert r.adjustment.optimal is None
    assert r.identification.estimand == "P(Y|do(X)) = P(Y)"
    assert "claims X has no effect on Y" in r.identification.reason
    assert any("optimal set O is not given" in n for n in r.notes)
    out = runner.invoke(app, ["analyze", "-"], input=text)
    assert out.exit_code == 0 and "This graph claims X has no effect on Y" in out.stdout


NULL_YAML = """\
id: nullfx
title: Null effect
status: idea
nodes: [{id: x}, {id: y}, {id: c}]
edges:
  - {source: c, target: x}
  - {source: c, target: y}
focus: {exposure: x, outcome: y}
"""


def test_check_notes_a_claim_of_no_effect_and_plan_cites_no_missing_edge(runner, tmp_path):
    path = tmp_path / "nullfx.yaml"
    path.write_text(NULL_YAML)
    check = runner.invoke(app, ["check", str(path)])
    assert check.exit_code == 0 and "note[E042]" in check.output and "claims x has no effect on y" in check.output
    plan = runner.invoke(app, ["plan", str(path)])
    assert plan.exit_code == 0, plan.output
    assert "recorded on x → y" not in plan.stdout
    assert "claims x has no effect on y" in plan.stdout


# --- 6. implications without a focus ------------------------------------------------------------------------------

def test_analyze_without_focus_lists_implications(runner):
    text = "dag { A -> B -> C  D -> C }"
    out = runner.invoke(app, ["analyze", "-"], input=text)
    assert out.exit_code == 0, out.output
    assert "A ⫫ D" in out.stdout and "B ⫫ D | A" in out.stdout and "no exposure and no outcome" in out.stdout
    data = json.loads(runner.invoke(app, ["analyze", "-", "-f", "json"], input=text).stdout)
    assert data["adjustment"] is None and data["identification"] is None and data["paths"] == []
    assert {"x": "A", "y": "D", "given": []} in data["implications"]
    md = runner.invoke(app, ["analyze", "-", "-f", "markdown"], input=text)
    assert md.exit_code == 0 and "## Testable implications" in md.stdout


def test_structure_analysis_conditions_on_selected_nodes():
    g = dagitty("dag { A -> S <- B  S [selected] }")
    r = analyze_structure(g)
    assert r.implications == ()  # A and B are dependent in the selected sample
    assert r.selected == ("S",)
