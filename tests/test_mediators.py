"""Mediators and causal paths, against brute-force enumeration of every directed path."""

from __future__ import annotations

import networkx as nx
from dag_strategies import random_dag
from hypothesis import given, settings
from hypothesis import strategies as st

from hypoplan.analysis.mediators import causal_paths, find_mediators


@st.composite
def dags(draw, max_nodes: int = 8):
    g, names = random_dag(draw, 2, max_nodes)
    x = set(draw(st.lists(st.sampled_from(names), min_size=1, max_size=2, unique=True)))
    y = set(draw(st.lists(st.sampled_from([v for v in names if v not in x] or names), min_size=1, max_size=2,
                          unique=True))) - x
    return g, x, y


def bf_paths(g: nx.DiGraph, x: set[str], y: set[str]) -> set[tuple[str, ...]]:
    """Every directed path from X to Y that meets X ∪ Y only at its ends."""
    out = set()
    for a in x:
        for b in y:
            for p in nx.all_simple_paths(g, a, b):
                if not (set(p[1:-1]) & (x | y)):
                    out.add(tuple(p))
    return out


def test_chain_and_shortcut():
    g = nx.DiGraph([("X", "M1"), ("M1", "M2"), ("M2", "Y"), ("X", "Y"), ("C", "X"), ("C", "Y"), ("Y", "D")])
    meds, truncated = find_mediators(g, {"X"}, {"Y"})
    assert not truncated
    assert [(m.node, m.paths) for m in meds] == [("M1", (("X", "M1", "M2", "Y"),)), ("M2", (("X", "M1", "M2", "Y"),))]


def test_no_mediators_without_a_causal_path():
    g = nx.DiGraph([("C", "X"), ("C", "Y"), ("X", "D")])
    assert find_mediators(g, {"X"}, {"Y"}) == ([], False)


def test_cap_keeps_every_mediator_but_cuts_paths():
    # a ladder with 2^5 causal paths
    g = nx.DiGraph()
    prev = ["X"]
    for k in range(5):
        layer = [f"A{k}", f"B{k}"]
        g.add_edges_from((p, q) for p in prev for q in layer)
        prev = layer
    g.add_edges_from((p, "Y") for p in prev)
    meds, truncated = find_mediators(g, {"X"}, {"Y"}, max_paths=7)
    assert truncated
    assert len(meds) == 10
    assert len({p for m in meds for p in m.paths}) <= 7


@settings(max_examples=400, deadline=None, derandomize=True)
@given(dags())
def test_mediators_match_brute_force(case):
    g, x, y = case
    expected = bf_paths(g, x, y)
    paths, truncated = causal_paths(g, x, y, max_paths=10_000)
    assert not truncated and set(paths) == expected and len(paths) == len(expected)
    meds, truncated = find_mediators(g, x, y, max_paths=10_000)
    assert not truncated
    assert {m.node for m in meds} == {v for p in expected for v in p[1:-1]}
    for m in meds:
        assert set(m.paths) == {p for p in expected if m.node in p[1:-1]}


@settings(max_examples=200, deadline=None, derandomize=True)
@given(dags(), st.integers(0, 5))
def test_capped_paths_are_real_and_flagged(case, cap):
    g, x, y = case
    expected = bf_paths(g, x, y)
    paths, truncated = causal_paths(g, x, y, max_paths=cap)
    assert set(paths) <= expected and len(paths) == min(cap, len(expected))
    assert truncated == (len(expected) > cap)
