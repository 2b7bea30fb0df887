"""Shared piece of the property tests' graph strategies: a random DAG over V0..Vn-1."""

from __future__ import annotations

import networkx as nx
from hypothesis import strategies as st


def random_dag(draw, min_nodes: int, max_nodes: int) -> tuple[nx.DiGraph, list[str]]:
    """Inside an ``@st.composite``: a DAG whose edges only go from a lower to a higher index (so acyclic),
    every node observed; returns the graph and its node names in order."""
    n = draw(st.integers(min_nodes, max_nodes))
    names = [f"V{i}" for i in range(n)]
    g = nx.DiGraph()
    g.add_nodes_from(names, observed=True)
    for i in range(n):
        for j in range(i + 1, n):
            if draw(st.booleans()):
                g.add_edge(names[i], names[j])
    return g, names
