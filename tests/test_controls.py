"""Negative-control candidates (Lipsitch et al. 2010; Shi et al. 2020) on hand-built graphs and random ones."""

from __future__ import annotations

import networkx as nx
from dag_strategies import random_dag
from hypothesis import given, settings
from hypothesis import strategies as st

from hypoplan.analysis.controls import confounders, negative_controls
from hypoplan.graph import build_graph
from hypoplan.schema import Hypothesis


def _hyp(edges: list[tuple[str, str, str]], latent: tuple[str, ...] = ()) -> nx.DiGraph:
    nodes = sorted({a for a, _, _ in edges} | {b for _, b, _ in edges})
    return build_graph(Hypothesis.model_validate({
        "id": "t", "title": "t",
        "nodes": [{"id": n, "observed": n not in latent} for n in nodes],
        "edges": [{"source": a, "target": b, "type": t} for a, b, t in edges],
        "focus": {"exposure": ["X"], "outcome": ["Y"]}}))


def test_child_of_an_unmeasured_confounder_is_both_kinds():
    # U -> X, U -> Y, U -> N, X -> Y, X -> D
    g = _hyp([("U", "X", "causes"), ("U", "Y", "causes"), ("U", "N", "causes"), ("X", "Y", "causes"),
              ("X", "D", "causes")], latent=("U",))
    nc = negative_controls(g, {"X"}, {"Y"})
    assert [c.node for c in nc.outcomes] == ["N"]
    assert [c.node for c in nc.exposures] == ["N"]
    assert nc.outcomes[0].shares_confounding_with == ("U",)
    assert "not caused by X" in nc.outcomes[0].reasoning and "U (unmeasured)" in nc.outcomes[0].reasoning


def test_classic_pair():
    # prior-season flu shot E shares frailty U with X (vaccination); hip fracture N shares U with Y (death)
    g = _hyp([("U", "X", "causes"), ("U", "Y", "causes"), ("U", "E", "causes"), ("E", "X", "causes"),
              ("U", "N", "causes"), ("N", "Y", "causes"), ("X", "Y", "causes")], latent=("U",))
    nc = negative_controls(g, {"X"}, {"Y"})
    # E causes X only: an exposure control; N causes Y and is caused by U, not by X: an outcome control
    assert [c.node for c in nc.exposures] == ["E"]
    assert [c.node for c in nc.outcomes] == ["N"]


def test_descendant_of_the_exposure_is_never_a_control():
    g = _hyp([("X", "Y", "confounded"), ("X", "Y", "causes"), ("X", "M", "causes")])
    nc = negative_controls(g, {"X"}, {"Y"})
    assert nc.exposures == () and nc.outcomes == ()
    assert confounders(g, {"X"}, {"Y"}) == {"U(X,Y)"}


def test_no_confounding_no_controls():
    g = _hyp([("A", "X", "causes"), ("X", "Y", "causes"), ("B", "Y", "causes"), ("A", "B2", "causes")])
    nc = negative_controls(g, {"X"}, {"Y"})
    assert nc.exposures == () and nc.outcomes == ()


@st.composite
def graphs(draw, max_nodes: int = 8):
    g, names = random_dag(draw, 3, max_nodes)
    for h in draw(st.lists(st.sampled_from(names), max_size=3, unique=True)):
        g.nodes[h]["observed"] = False
    observed = [v for v in names if g.nodes[v]["observed"]]
    if len(observed) < 2:
        g.nodes[names[0]]["observed"] = g.nodes[names[-1]]["observed"] = True
        observed = [v for v in names if g.nodes[v]["observed"]]
    x, y = draw(st.lists(st.sampled_from(observed), min_size=2, max_size=2, unique=True))
    return g, x, y


def _has_path_avoiding(g: nx.DiGraph, a: str, b: str, avoid: str) -> bool:
    h = g.copy()
    h.remove_node(avoid)
    return a in h and b in h and nx.has_path(h, a, b)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(graphs())
def test_controls_satisfy_their_definitions(case):
    g, x, y = case
    nc = negative_controls(g, {x}, {y})
    conf = {u for u in g if u not in (x, y) and nx.has_path(g, u, x) and _has_path_avoiding(g, u, y, x)}
    for c in nc.outcomes:
        n = c.node
        assert g.nodes[n]["observed"] and n not in (x, y)
        assert not nx.has_path(g, x, n)  # not caused by X
        assert c.shares_confounding_with and all(nx.has_path(g, u, n) and u in conf
                                                 for u in c.shares_confounding_with)
        assert nx.is_d_separator(g, {n}, {x}, conf)
    for c in nc.exposures:
        n = c.node
        assert g.nodes[n]["observed"] and n not in (x, y)
        assert not _has_path_avoiding(g, n, y, x)  # no effect on Y except through X
        assert not nx.has_path(g, x, n)
        assert c.shares_confounding_with and all(nx.has_path(g, u, n) and u in conf
                                                 for u in c.shares_confounding_with)
        assert nx.is_d_separator(g, {n}, {y}, conf | {x})
    # completeness: every node meeting the definition is listed
    for n in g:
        if n in (x, y) or n in conf or not g.nodes[n]["observed"] or nx.has_path(g, x, n):
            continue
        shares = any(nx.has_path(g, u, n) for u in conf)
        want_nco = shares and nx.is_d_separator(g, {n}, {x}, conf)
        want_nce = shares and not _has_path_avoiding(g, n, y, x) and nx.is_d_separator(g, {n}, {y}, conf | {x})
        assert want_nco == (n in {c.node for c in nc.outcomes})
        assert want_nce == (n in {c.node for c in nc.exposures})
    if not conf:
        assert nc.outcomes == () and nc.exposures == ()


def test_reasons_use_labels_and_say_the_independence_is_the_graphs():
    g = _hyp([("U", "X", "causes"), ("U", "Y", "causes"), ("U", "N", "causes"), ("X", "Y", "causes")], latent=("U",))
    for n, text in {"X": "Coffee intake", "Y": "Sleep latency", "U": "Shift work", "N": "Nail growth"}.items():
        g.nodes[n]["label"] = text
    nc = negative_controls(g, {"X"}, {"Y"})
    for c in nc.outcomes + nc.exposures:
        assert c.node == "N"  # the result keeps the id as its key
        assert c.reasoning.startswith("under this graph, Nail growth ")
        assert "Coffee intake" in c.reasoning and "Sleep latency" in c.reasoning
        assert "Shift work (unmeasured)" in c.reasoning
    assert "the graph makes it independent of Coffee intake" in nc.outcomes[0].reasoning
