"""Published examples (DAGitty's documentation, Henckel et al. 2022), the wired analyze() result,
request validation and the pinned JSON contract."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import networkx as nx
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import bruteforce as bf

from hypoplan.analysis import analyze
from hypoplan.analysis.adjustment import check_adjustment_set, min_cost_adjustment_set
from hypoplan.analysis.separation import (
    d_separated,
    forbidden_nodes,
    moral_ancestral_graph,
    proper_backdoor_graph,
    proper_causal_nodes,
)
from hypoplan.errors import AnalysisError
from hypoplan.graph import build_graph
from hypoplan.loader import load_text


def dag(edges, latent=(), x="X", y="Y", adjusted=()):
    g = nx.DiGraph()
    g.add_edges_from(edges)
    for n in g:
        g.nodes[n]["observed"] = n not in latent
    g.graph.update(exposure=(x,), outcome=(y,), adjusted=tuple(adjusted))
    return g


def from_dagitty(text: str) -> nx.DiGraph:
    return build_graph(load_text(text, "example.dagitty", dagitty=True).hypothesis)


M_BIAS = [("A", "X"), ("A", "M"), ("B", "M"), ("B", "Y"), ("X", "Y")]


def test_m_bias_empty_set_suffices_and_adjusting_the_collider_is_invalid():
    r = analyze(dag(M_BIAS))
    assert r.to_json()["adjustment"]["minimal"] == [[]]
    assert r.adjustment.empty_suffices
    assert r.identification.strategy == "adjustment"
    # the estimand uses the optimal set O = {B} (smaller variance than the empty set)
    assert r.adjustment.optimal == {"B"}
    assert r.identification.estimand == "P(Y|do(X)) = Σ_{B} P(Y|X,B) P(B)"
    r = analyze(dag([("X", "Y"), ("A", "X")]))
    assert r.adjustment.minimal == (frozenset(),) and r.identification.estimand == "P(Y|do(X)) = P(Y|X)"
    bad = check_adjustment_set(dag(M_BIAS), {"X"}, {"Y"}, {"M"})
    assert not bad.valid
    assert bad.open_paths == (("X", "A", "M", "B", "Y"),)
    # adjusting for M forces A or B in too
    r = analyze(dag(M_BIAS), adjusted=["M"])
    assert sorted(sorted(s) for s in r.adjustment.minimal) == [["A", "M"], ["B", "M"]]
    assert not r.adjustment.given.valid
    biasing = [p for p in r.paths if not p.causal]
    assert [p.open for p in biasing] == [True]


def test_confounding_triangle_needs_c():
    r = analyze(dag([("C", "X"), ("C", "Y"), ("X", "Y")]))
    assert r.to_json()["adjustment"]["minimal"] == [["C"]]
    assert r.adjustment.canonical == {"C"} and r.adjustment.optimal == {"C"}
    assert r.identification.estimand == "P(Y|do(X)) = Σ_{C} P(Y|X,C) P(C)"


def test_latent_confounding_no_adjustment_set_but_instrument_given_w():
    g = from_dagitty("dag {\nX [exposure]\nY [outcome]\nW -> I -> X -> Y\nW -> Y\nX <-> Y\n}\n")
    r = analyze(g)
    data = r.to_json()
    assert data["adjustment"]["minimal"] == []
    assert data["adjustment"]["canonical"] is None and data["adjustment"]["min_cost"] is None
    assert not r.adjustment.exists and not r.adjustment.empty_suffices
    assert {"instrument": "I", "given": ["W"]} in data["instruments"]
    assert data["identification"]["identifiable"] is False
    assert data["identification"]["reason"]


def test_front_door_used_when_adjustment_fails():
    g = dag([("U", "X"), ("U", "Y"), ("X", "M"), ("M", "Y")], latent=("U",))
    r = analyze(g)
    assert r.adjustment.minimal == ()
    assert r.identification.identifiable and r.identification.strategy == "frontdoor"
    assert "M" in r.identification.estimand


def test_optimal_set_of_henckel_fixture():
    # Henckel, Perković & Maathuis (2022) fixture from the caugi docs: O = {K}
    g = dag([("C", "X"), ("A", "X"), ("X", "F"), ("X", "D"), ("A", "K"), ("K", "Y"), ("D", "Y"), ("D", "G"),
             ("Y", "H")])
    r = analyze(g)
    assert r.adjustment.optimal == {"K"}
    assert sorted(sorted(s) for s in r.adjustment.minimal) == [["A"], ["K"]]
    assert proper_causal_nodes(g, {"X"}, {"Y"}) == {"D", "Y"}
    assert forbidden_nodes(g, {"X"}, {"Y"}) == {"D", "G", "Y", "H"}
    verdict = check_adjustment_set(g, {"X"}, {"Y"}, {"G", "A"})
    assert not verdict.valid and verdict.forbidden == ("G",)
    assert "descendant of D" in verdict.reasons[0]


def test_min_cost_uses_node_costs_and_treats_latent_as_unmeasurable():
    g = dag([("A", "X"), ("A", "B"), ("B", "Y"), ("X", "Y")])
    g.nodes["A"]["cost"] = 10.0
    g.nodes["B"]["cost"] = 2.0
    best = min_cost_adjustment_set(g, {"X"}, {"Y"})
    assert best.nodes == {"B"} and best.cost == 2.0
    assert min_cost_adjustment_set(g, {"X"}, {"Y"}, costs={"B": 50.0}).nodes == {"A"}
    g.nodes["B"]["observed"] = False
    assert min_cost_adjustment_set(g, {"X"}, {"Y"}).nodes == {"A"}


def test_direct_effect_single_door():
    g = dag([("X", "M"), ("M", "Y"), ("X", "Y"), ("C", "X"), ("C", "Y")])
    r = analyze(g, direct=True)
    assert sorted(sorted(s) for s in r.adjustment.direct) == [["C", "M"]]
    assert r.to_json()["adjustment"]["direct"] == [["C", "M"]]
    r = analyze(dag([("X", "M"), ("M", "Y")]), direct=True)
    assert r.adjustment.direct is None
    assert any("no edge X -> Y" in n for n in r.notes)


def test_separation_helpers_against_brute_force():
    g = dag(M_BIAS, latent=("A",))
    b = bf.Dag(g.nodes, g.edges, {"A"})
    assert d_separated(g, {"X"}, {"Y"}, set()) == bf.d_separated(b, {"X"}, {"Y"}, set())
    with pytest.raises(ValueError, match="latent"):
        d_separated(g, {"X"}, {"Y"}, {"A"})
    pbd = proper_backdoor_graph(g, {"X"}, {"Y"})
    assert not pbd.has_edge("X", "Y") and g.has_edge("X", "Y")
    moral = moral_ancestral_graph(g, {"M"})
    assert moral["A"] == {"B", "M"}  # A and B married as parents of M


def test_mediators_and_negative_controls_are_wired():
    g = dag([("X", "M"), ("M", "Y"), ("U", "X"), ("U", "Y"), ("U", "N")], latent=("U",))
    r = analyze(g)
    assert [m.node for m in r.mediators] == ["M"]
    assert "N" in {c.node for c in r.negative_controls.outcomes}


@pytest.mark.parametrize("kwargs, message", [
    ({"exposure": ["nope"]}, "exposure node 'nope' is not in the graph"),
    ({"exposure": ["Y"]}, "both exposure and outcome"),
    ({"exposure": ["X", "Y"], "outcome": ["Y"]}, "both exposure and outcome"),
    ({"exposure": ["A"], "outcome": ["Y"]}, "latent"),
    ({"adjusted": ["X"]}, "adjusted for and also an exposure"),
    ({"exposure": []}, None),
])
def test_bad_requests_raise_analysis_error(kwargs, message):
    g = dag(M_BIAS, latent=("A",))
    if message is None:  # empty override falls back to the focus: still valid
        assert analyze(g, **kwargs).exposure == ("X",)
        return
    with pytest.raises(AnalysisError, match=message) as info:
        analyze(g, **kwargs)
    assert info.value.hint


def test_cyclic_graph_and_missing_roles_raise():
    g = dag([("X", "Y"), ("Y", "X")])
    with pytest.raises(AnalysisError, match="directed cycle"):
        analyze(g)
    g = dag(M_BIAS)
    g.graph["exposure"] = ()
    with pytest.raises(AnalysisError, match="no exposure"):
        analyze(g)


def test_truncation_is_reported():
    g = dag([(f"C{i}", "X") for i in range(6)] + [(f"C{i}", f"D{i}") for i in range(6)]
            + [(f"D{i}", "Y") for i in range(6)] + [("X", "Y")])
    full = analyze(g, max_results=1000)
    assert len(full.adjustment.minimal) == 2 ** 6 and full.truncated == ()
    cut = analyze(g, max_results=10)
    assert len(cut.adjustment.minimal) == 10
    assert len(cut.paths) == 7 and "paths" not in cut.truncated
    assert "adjustment.minimal" in cut.truncated and "implications" in cut.truncated
    assert set(cut.adjustment.minimal) <= set(full.adjustment.minimal)


JSON_KEYS = ["exposure", "outcome", "adjusted", "selected", "adjustment", "identification", "instruments", "implications",
             "paths", "negative_controls", "mediators", "truncated", "notes"]


def test_json_contract_is_pinned():
    g = dag([("C", "X"), ("C", "Y"), ("X", "M"), ("M", "Y"), ("Z", "X")])
    data = json.loads(json.dumps(analyze(g, adjusted=["C"]).to_json()))
    assert list(data) == JSON_KEYS
    assert data["exposure"] == ["X"] and data["outcome"] == ["Y"] and data["adjusted"] == ["C"]
    assert data["selected"] == []
    assert list(data["adjustment"]) == ["minimal", "canonical", "optimal", "min_cost", "given"]
    assert data["adjustment"]["minimal"] == [["C"]]
    assert data["adjustment"]["min_cost"] == {"set": ["C"], "cost": 1.0}
    assert data["adjustment"]["given"] == {"set": ["C"], "valid": True, "reasons": [], "open_paths": [],
                                           "forbidden": []}
    assert list(data["identification"]) == ["identifiable", "strategy", "estimand", "reason"]
    assert data["identification"]["strategy"] == "adjustment"
    assert {"instrument": "Z", "given": []} in data["instruments"]
    assert all(list(i) == ["x", "y", "given"] for i in data["implications"])
    assert {"x": "C", "y": "M", "given": ["X"]} in data["implications"]
    # Causal paths come first, then biasing ones (each by length, then ids).
    assert data["paths"] == [{"nodes": ["X", "M", "Y"], "causal": True, "open": True},
                             {"nodes": ["X", "C", "Y"], "causal": False, "open": False}]
    assert list(data["negative_controls"]) == ["exposures", "outcomes"]
    assert data["truncated"] == []


def test_adjusting_a_mediator_leaves_no_set_but_the_effect_identified_without_it():
    g = dag([("C", "X"), ("C", "Y"), ("X", "M"), ("M", "Y")])
    r = analyze(g, adjusted=["M"])
    assert r.adjustment.minimal == () and not r.adjustment.exists
    assert not r.adjustment.given.valid and r.adjustment.given.forbidden == ("M",)
    assert r.identification.strategy == "adjustment" and "Σ_{C}" in r.identification.estimand
    assert any("adjusted nodes M" in n for n in r.notes)


def test_capped_path_listing_still_shows_the_causal_path():
    """Many short biasing paths must not push the (longer) causal path out of a capped listing."""
    import networkx as nx

    from hypoplan.analysis.paths import enumerate_paths

    g = nx.DiGraph()
    g.add_edges_from([("X", "M1"), ("M1", "M2"), ("M2", "M3"), ("M3", "Y")])
    for i in range(20):
        g.add_edges_from([(f"C{i}", "X"), (f"C{i}", "Y")])
    for v in g:
        g.nodes[v]["observed"] = True
    paths, truncated = enumerate_paths(g, {"X"}, {"Y"}, max_results=5)
    assert truncated and len(paths) == 5
    assert paths[0].nodes == ("X", "M1", "M2", "M3", "Y") and paths[0].causal
    assert all(not p.causal and len(p.nodes) == 3 for p in paths[1:])
