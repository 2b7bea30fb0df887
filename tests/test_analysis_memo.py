"""analyze() is computed once per process for the same graph content and question (issue 14)."""

from __future__ import annotations

import networkx as nx

from hypoplan import analysis
from hypoplan.analysis import _analyze, analyze


def graph() -> nx.DiGraph:
    g = nx.DiGraph()
    g.add_edges_from([("Z", "X"), ("Z", "Y"), ("X", "M"), ("M", "Y"), ("W", "Z")])
    for v in g:
        g.nodes[v]["observed"] = True
    g.graph.update(exposure=("X",), outcome=("Y",), adjusted=())
    return g


def fresh(g: nx.DiGraph, **kw) -> object:
    defaults = {"exposure": None, "outcome": None, "adjusted": None, "given_set": None, "costs": None, "max_results": 100,
                    "direct": False, "all_implications": False}
    return _analyze(g, **{**defaults, **kw})


def test_equal_graphs_share_one_analysis():
    analysis._MEMO.clear()
    first = analyze(graph())
    assert analyze(graph()) is first  # another graph object with the same content
    assert first == fresh(graph())


def test_a_changed_graph_or_question_is_analysed_again():
    analysis._MEMO.clear()
    g = graph()
    before = analyze(g)
    g.add_edge("W", "Y")
    after = analyze(g)
    assert after is not before and after == fresh(g)
    assert analyze(g, adjusted=["W"]) == fresh(g, adjusted=["W"])
    g.nodes["Z"]["observed"] = False
    assert analyze(g) == fresh(g) and analyze(g) != after


def test_costs_change_only_the_minimum_cost_set():
    analysis._MEMO.clear()
    g = graph()
    costs = {"Z": 5.0, "W": 1.0, "M": 1.0}
    plain = analyze(g)
    costed = analyze(g, costs=costs)
    assert costed == fresh(g, costs=costs)
    assert costed.adjustment.min_cost.nodes == {"Z"} and costed.adjustment.min_cost.cost == 5.0
    assert costed.implications is plain.implications  # the rest is shared, not recomputed
