"""The graph builder: attributes, roles and explicit confounding."""

from __future__ import annotations

from hypoplan.graph import bidirected_pairs, build_graph, confounder_id, find_causal_cycle, latent_nodes, roles
from hypoplan.loader import load_text


def graph_of(text: str):
    return build_graph(load_text(text, "t.yaml").hypothesis)


TEXT = """
id: g
title: Graph
nodes:
  - {id: X, label: Exposure X, kind: exposure, level: physiological, constructs: [c1]}
  - {id: Y, kind: outcome, cost: 2.5}
  - {id: L, observed: false}
edges:
  - source: X
    target: Y
    sign: "-"
    confidence: supported
    evidence: [{citation: "pmid:123", species: mouse, design: knockout, finding: f}]
  - {source: L, target: Y}
  - {source: X, target: Y, type: confounded, notes: shared genetics}
focus: {exposure: X, outcome: Y, adjusted: [L]}
"""


def test_nodes_edges_and_attributes():
    g = graph_of(TEXT)
    u = confounder_id("Y", "X")
    assert u == "U(X,Y)"
    assert set(g.nodes) == {"X", "Y", "L", u}
    assert set(g.edges) == {("X", "Y"), ("L", "Y"), (u, "X"), (u, "Y")}
    assert g.nodes["X"]["label"] == "Exposure X" and g.nodes["X"]["constructs"] == ("c1",)
    assert g.nodes["Y"]["cost"] == 2.5 and g.nodes["Y"]["label"] == "Y"
    assert g.edges["X", "Y"]["sign"] == "negative"
    assert g.edges["X", "Y"]["evidence"][0].species.value == "mouse"
    assert g.nodes[u]["observed"] is False and g.nodes[u]["implicit"] is True and g.nodes[u]["notes"] == "shared genetics"
    assert sorted(latent_nodes(g)) == ["L", u]
    assert bidirected_pairs(g) == [("X", "Y")]
    assert roles(g) == {"exposure": ("X",), "outcome": ("Y",), "adjusted": ("L",), "selected": ()}
    assert find_causal_cycle(g) is None


def test_cycle_found():
    g = graph_of("id: c\ntitle: c\nnodes: [{id: A}, {id: B}]\nedges: [{source: A, target: B}, {source: B, target: A}]\n")
    cycle = find_causal_cycle(g)
    assert cycle is not None and cycle[0] == cycle[-1] and set(cycle) == {"A", "B"}
