"""Identification: front door, latent projection and the ID algorithm (Shpitser & Pearl 2006).

Checked three independent ways: published examples; the hedge criterion (Shpitser & Pearl 2006,
Thm. 4) by brute force over node sets; and numerically — every estimand is evaluated on random
discrete causal models with latent variables and compared with the true interventional
distribution computed from the full model by the truncated factorisation.
"""

from __future__ import annotations

from itertools import chain, combinations, product

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hypoplan.analysis.identification import (
    Hedge,
    Prob,
    Product,
    Ratio,
    Sum,
    find_frontdoor_set,
    free_variables,
    frontdoor_estimand,
    frontdoor_expression,
    frontdoor_valid,
    id_expression,
    identify_id,
    latent_projection,
)
from hypoplan.errors import AnalysisError
from hypoplan.graph import build_graph
from hypoplan.schema import Hypothesis


def G(edges, bidirected=(), latent=()) -> nx.DiGraph:
    g = nx.DiGraph()
    g.add_edges_from(edges)
    for k, (a, b) in enumerate(bidirected):
        g.add_node(f"U{k}", observed=False)
        g.add_edges_from([(f"U{k}", a), (f"U{k}", b)])
    for n in g:
        g.nodes[n].setdefault("observed", n not in latent)
    return g


# ----------------------------------------------------------------------------- independent helpers

def powerset(items):
    items = sorted(items)
    return chain.from_iterable(combinations(items, k) for k in range(len(items) + 1))


def _blocked(g: nx.DiGraph, path: list[str], z: set[str]) -> bool:
    for i in range(1, len(path) - 1):
        a, b, c = path[i - 1], path[i], path[i + 1]
        if g.has_edge(a, b) and g.has_edge(c, b):
            if b not in z and not (nx.descendants(g, b) & z):
                return True
        elif b in z:
            return True
    return False


def bf_dsep(g: nx.DiGraph, xs: set[str], ys: set[str], z: set[str]) -> bool:
    skel = g.to_undirected(as_view=True)
    return all(_blocked(g, p, z) for a in xs for b in ys for p in nx.all_simple_paths(skel, a, b))


def bf_backdoor_exists(g: nx.DiGraph, x: str, y: str) -> bool:
    """Pearl's back-door criterion over every observed subset of non-descendants of X."""
    observed = {n for n, d in g.nodes(data=True) if d["observed"]}
    h = g.copy()
    h.remove_edges_from(list(g.out_edges(x)))
    allowed = observed - nx.descendants(g, x) - {x, y}
    return any(bf_dsep(h, {x}, {y}, set(z)) for z in powerset(allowed))


def bf_frontdoor(g: nx.DiGraph, x: str, y: str, m: set[str]) -> bool:
    """Pearl's three front-door conditions with path enumeration."""
    for p in nx.all_simple_paths(g, x, y):
        if not set(p) & m:
            return False
    gx = g.copy()
    gx.remove_edges_from(list(g.out_edges(x)))
    if not bf_dsep(gx, {x}, m, set()):
        return False
    gm = g.copy()
    gm.remove_edges_from([e for v in m for e in g.out_edges(v)])
    return bf_dsep(gm, m, {y}, {x})


def projection(g: nx.DiGraph):
    """Directed and bidirected edges over the observed nodes, from reachability through latent nodes."""
    observed = sorted(n for n, d in g.nodes(data=True) if d["observed"])
    latents = [n for n, d in g.nodes(data=True) if not d["observed"]]
    directed = {(a, b) for a in observed for b in observed if a != b
                and nx.has_path(g.subgraph(latents + [a, b]), a, b)}
    bidirected = set()
    for u in latents:
        for a, b in combinations(observed, 2):
            if nx.has_path(g.subgraph(latents + [a]), u, a) and nx.has_path(g.subgraph(latents + [b]), u, b):
                bidirected.add(frozenset((a, b)))
    return observed, directed, bidirected


def bf_hedge_exists(g: nx.DiGraph, x: str, y: str) -> bool:
    """The hedge criterion: F ⊋ F' R-rooted C-forests, F ∩ X ≠ ∅, F' ∩ X = ∅, R ⊆ An(Y) in G with X's parents cut.

    Reaching R is monotone in R, so R = F' ∩ An(Y) is the only root set to try.
    """
    observed, directed, bidirected = projection(g)
    d = nx.DiGraph()
    d.add_nodes_from(observed)
    d.add_edges_from(directed)
    cut = d.copy()
    cut.remove_edges_from(list(d.in_edges(x)))
    an_y = nx.ancestors(cut, y) | {y}

    def c_forest(nodes: set[str], roots: set[str]) -> bool:
        b = nx.Graph()
        b.add_nodes_from(nodes)
        b.add_edges_from(tuple(p) for p in bidirected if p <= nodes)
        if not nx.is_connected(b):
            return False
        sub = d.subgraph(nodes)
        return all(v in roots or any(nx.has_path(sub, v, r) for r in roots) for v in nodes)

    for f in powerset(observed):
        f = set(f)
        if x not in f:
            continue
        for f2 in powerset(f - {x}):
            f2 = set(f2)
            roots = f2 & an_y
            if roots and c_forest(f, roots) and c_forest(f2, roots):
                return True
    return False


# numeric check ------------------------------------------------------------------------------

def random_model(g: nx.DiGraph, seed: int):
    """Binary variables with random conditional probability tables in [0.1, 0.9]; the full joint."""
    rng = np.random.default_rng(seed)
    nodes = list(nx.topological_sort(g))
    cpt = {v: rng.uniform(0.1, 0.9, size=2 ** len(list(g.predecessors(v)))) for v in nodes}

    def p_node(v, values, fixed=None):
        if fixed is not None and v in fixed:
            return 1.0 if values[v] == fixed[v] else 0.0
        parents = sorted(g.predecessors(v))
        idx = sum(values[p] << i for i, p in enumerate(parents))
        p1 = cpt[v][idx]
        return p1 if values[v] == 1 else 1 - p1

    def joint(fixed=None):
        out = {}
        for bits in product((0, 1), repeat=len(nodes)):
            values = dict(zip(nodes, bits))
            out[bits] = np.prod([p_node(v, values, fixed) for v in nodes])
        return out

    return nodes, joint


def evaluate(e, values: dict[str, int], marg) -> float:
    if isinstance(e, Prob):
        num = marg(e.head | e.given, values)
        den = marg(e.given, values) if e.given else 1.0
        return num / den
    if isinstance(e, Product):
        return float(np.prod([evaluate(f, values, marg) for f in e.factors])) if e.factors else 1.0
    if isinstance(e, Sum):
        over = sorted(e.over)
        total = 0.0
        for bits in product((0, 1), repeat=len(over)):
            total += evaluate(e.body, {**values, **dict(zip(over, bits))}, marg)
        return total
    assert isinstance(e, Ratio)
    return evaluate(e.num, values, marg) / evaluate(e.den, values, marg)


def check_numerically(g: nx.DiGraph, x, y, e, seed: int = 0) -> None:
    """Evaluate the estimand for every value of X and Y (single nodes or sets) against the truth."""
    xs, ys = sorted({x} if isinstance(x, str) else x), sorted({y} if isinstance(y, str) else y)
    nodes, joint = random_model(g, seed)
    pos = {v: i for i, v in enumerate(nodes)}
    observed_joint = joint()
    cache: dict = {}

    def marg(vars_, values):
        key = tuple(sorted((v, values[v]) for v in vars_))
        if key not in cache:
            cache[key] = sum(p for bits, p in observed_joint.items() if all(bits[pos[v]] == val for v, val in key))
        return cache[key]

    # the estimand may mention other observed variables: it must not depend on their values
    extra = sorted(free_variables(e) - set(xs) - set(ys))
    for xv in product((0, 1), repeat=len(xs)):
        interventional = joint(dict(zip(xs, xv)))
        for yv in product((0, 1), repeat=len(ys)):
            truth = sum(p for bits, p in interventional.items() if all(bits[pos[v]] == b for v, b in zip(ys, yv)))
            for bits in product((0, 1), repeat=len(extra)):
                got = evaluate(e, {**dict(zip(xs, xv)), **dict(zip(ys, yv)), **dict(zip(extra, bits))}, marg)
                assert got == pytest.approx(truth, abs=1e-9), (xv, yv, bits)


# ----------------------------------------------------------------------------- published examples

FRONTDOOR = G([("X", "M"), ("M", "Y")], [("X", "Y")])
BOW = G([("X", "Y")], [("X", "Y")])
NAPKIN = G([("W1", "W2"), ("W2", "X"), ("X", "Y")], [("W1", "X"), ("W1", "Y")])


def test_frontdoor_graph_gives_the_frontdoor_formula():
    r = identify_id(FRONTDOOR, {"X"}, {"Y"})
    assert r.identifiable and r.strategy == "id"
    assert r.estimand == "P(Y|do(X)) = Σ_{M} P(M|X) Σ_{X'} P(X') P(Y|X',M)"
    check_numerically(FRONTDOOR, "X", "Y", id_expression(FRONTDOOR, {"X"}, {"Y"}))
    assert find_frontdoor_set(FRONTDOOR, {"X"}, {"Y"}) == {"M"}
    assert frontdoor_estimand(FRONTDOOR, {"X"}, {"Y"}, {"M"}) == r.estimand


def test_bow_arc_is_not_identifiable_and_names_the_hedge():
    r = identify_id(BOW, {"X"}, {"Y"})
    assert not r.identifiable and r.strategy is None and r.estimand is None
    assert r.hedge == (frozenset({"X", "Y"}), frozenset({"Y"}))
    assert "hedge F = {X, Y}, F' = {Y}" in r.reason
    assert r.to_json()["reason"] == r.reason


def test_napkin_is_identifiable_by_a_ratio():
    # Pearl & Mackenzie (2018): P(y|do(x)) = Σ_w1 P(x,y|w1,w2)P(w1) / Σ_w1 P(x|w1,w2)P(w1)
    e = id_expression(NAPKIN, {"X"}, {"Y"})
    assert isinstance(e, Ratio)
    assert identify_id(NAPKIN, {"X"}, {"Y"}).estimand == (
        "P(Y|do(X)) = (Σ_{W1} P(W1) P(X|W1,W2) P(Y|W1,W2,X)) / (Σ_{W1} P(W1) P(X|W1,W2))")
    check_numerically(NAPKIN, "X", "Y", e)
    assert find_frontdoor_set(NAPKIN, {"X"}, {"Y"}) is None


def test_confounding_triangle_gives_the_adjustment_formula():
    g = G([("C", "X"), ("C", "Y"), ("X", "Y")])
    assert identify_id(g, {"X"}, {"Y"}).estimand == "P(Y|do(X)) = Σ_{C} P(C) P(Y|C,X)"


def test_bow_on_a_mediator_is_not_identifiable():
    # Tian & Pearl (2002): X -> Z -> Y with X <-> Z: the hedge {X, Z}, {Z}
    g = G([("X", "Z"), ("Z", "Y")], [("X", "Z")])
    r = identify_id(g, {"X"}, {"Y"})
    assert not r.identifiable and r.hedge == (frozenset({"X", "Z"}), frozenset({"Z"}))


def test_instrument_graph_is_not_identifiable_nonparametrically():
    g = G([("Z", "X"), ("X", "Y")], [("X", "Y")])
    assert not identify_id(g, {"X"}, {"Y"}).identifiable


def test_confounded_mediator_outcome_pair_with_an_unconfounded_exposure():
    # X -> W1 -> Y with W1 <-> Y only: X has no back-door path, so P(y|do(x)) = P(y|x)
    g = G([("X", "W1"), ("W1", "Y")], [("W1", "Y")])
    e = id_expression(g, {"X"}, {"Y"})
    assert not isinstance(e, Hedge)
    check_numerically(g, "X", "Y", e)


def test_confounded_edges_from_a_hypothesis_file_are_latent():
    h = Hypothesis.model_validate({
        "id": "t", "title": "t",
        "nodes": [{"id": n} for n in ("X", "M", "Y")],
        "edges": [{"source": "X", "target": "M"}, {"source": "M", "target": "Y"},
                  {"source": "X", "target": "Y", "type": "confounded"}],
        "focus": {"exposure": ["X"], "outcome": ["Y"]}})
    g = build_graph(h)
    directed, bidirected = latent_projection(g)
    assert set(directed) == {"X", "M", "Y"} and set(directed.edges) == {("X", "M"), ("M", "Y")}
    assert bidirected == {frozenset({"X", "Y"})}
    assert identify_id(g, {"X"}, {"Y"}).identifiable


def test_latent_chain_projects_to_a_directed_edge_and_a_bidirected_edge():
    g = G([("A", "L1"), ("L1", "B"), ("L2", "L3"), ("L3", "B"), ("L3", "C")], latent=("L1", "L2", "L3"))
    directed, bidirected = latent_projection(g)
    assert set(directed.edges) == {("A", "B")}
    assert bidirected == {frozenset({"B", "C"})}


@pytest.mark.parametrize("x, y, message", [
    ({"Q"}, {"Y"}, "not in the graph"), ({"X"}, {"X"}, "both exposure and outcome"),
    ({"U0"}, {"Y"}, "latent"), (set(), {"Y"}, "at least one exposure")])
def test_bad_requests_raise_clear_errors(x, y, message):
    with pytest.raises(AnalysisError, match=message):
        identify_id(BOW, x, y)


def test_cyclic_graph_is_refused():
    with pytest.raises(AnalysisError, match="cycle"):
        identify_id(G([("X", "Y"), ("Y", "X")]), {"X"}, {"Y"})


def test_no_causal_path_gives_the_marginal():
    assert identify_id(G([], [("X", "Y")]), {"X"}, {"Y"}).estimand == "P(Y|do(X)) = P(Y)"


def test_joint_effect_on_two_outcomes():
    g = G([("X", "M"), ("M", "Y1"), ("X", "Y2")], [("M", "Y2")])
    e = id_expression(g, {"X"}, {"Y1", "Y2"})
    assert not isinstance(e, Hedge)
    check_numerically(g, {"X"}, {"Y1", "Y2"}, e)


def test_joint_intervention_on_two_exposures():
    # X1 -> Z -> X2 -> Y with Z <-> Y: adjusting is impossible for X1 alone, but do(x1, x2) is identified
    g = G([("X1", "Z"), ("Z", "X2"), ("X2", "Y"), ("X1", "Y")], [("Z", "Y")])
    e = id_expression(g, {"X1", "X2"}, {"Y"})
    assert not isinstance(e, Hedge)
    check_numerically(g, {"X1", "X2"}, {"Y"}, e)


# ----------------------------------------------------------------------------- property tests

@st.composite
def admgs(draw, max_nodes: int = 5):
    n = draw(st.integers(2, max_nodes))
    names = [f"V{i}" for i in range(n)]
    edges = [(names[i], names[j]) for i in range(n) for j in range(i + 1, n) if draw(st.booleans())]
    pairs = draw(st.lists(st.sampled_from([(a, b) for a, b in combinations(names, 2)]), max_size=3, unique=True))
    g = G(edges, pairs)
    g.add_nodes_from((v for v in names if v not in g), observed=True)
    # sometimes hide an observed node entirely
    hide = draw(st.sampled_from([None] + names))
    x, y = draw(st.lists(st.sampled_from(names), min_size=2, max_size=2, unique=True))
    if hide not in (None, x, y):
        g.nodes[hide]["observed"] = False
    return g, x, y


@settings(max_examples=250, deadline=None, derandomize=True)
@given(admgs())
def test_id_agrees_with_the_hedge_criterion_and_the_numbers(case):
    g, x, y = case
    e = id_expression(g, {x}, {y})
    assert isinstance(e, Hedge) == bf_hedge_exists(g, x, y), (sorted(g.edges), x, y)
    if isinstance(e, Hedge):
        assert x in e.forest and x not in e.subforest and e.subforest < e.forest
    else:
        check_numerically(g, x, y, e, seed=len(g.edges))


@settings(max_examples=150, deadline=None, derandomize=True)
@given(admgs(), st.data())
def test_id_for_sets_is_numerically_right(case, data):
    g, x, y = case
    observed = sorted(n for n, d in g.nodes(data=True) if d["observed"] and n not in (x, y))
    more = data.draw(st.lists(st.sampled_from(observed), max_size=1)) if observed else []
    xs, ys = ({x, *more}, {y}) if data.draw(st.booleans()) else ({x}, {y, *more})
    e = id_expression(g, xs, ys)
    if not isinstance(e, Hedge):
        check_numerically(g, xs, ys, e, seed=len(g))


@settings(max_examples=250, deadline=None, derandomize=True)
@given(admgs(max_nodes=6))
def test_sufficient_conditions_imply_identifiable(case):
    g, x, y = case
    r = identify_id(g, {x}, {y})
    if bf_backdoor_exists(g, x, y):
        assert r.identifiable
    # Tian & Pearl (2002), Thm. 4: no bidirected path from X to a child of X inside An(Y)
    observed, directed, bidirected = projection(g)
    d = nx.DiGraph(list(directed))
    d.add_nodes_from(observed)
    an = nx.ancestors(d, y) | {y}
    b = nx.Graph()
    b.add_nodes_from(an)
    b.add_edges_from(tuple(p) for p in bidirected if p <= an)
    if x in an and not any(nx.has_path(b, x, c) for c in d.successors(x) if c in an):
        assert r.identifiable
    if x not in an:
        assert r.identifiable
    # a bidirected edge between X and one of its children that causes Y: the bow-arc hedge
    if any(frozenset((x, c)) in bidirected and c in an for c in d.successors(x)):
        assert not r.identifiable


@settings(max_examples=250, deadline=None, derandomize=True)
@given(admgs(max_nodes=6))
def test_frontdoor_matches_brute_force(case):
    g, x, y = case
    observed = sorted(n for n, d in g.nodes(data=True) if d["observed"] and n not in (x, y))
    valid = [set(m) for m in powerset(observed) if bf_frontdoor(g, x, y, set(m))]
    found = find_frontdoor_set(g, {x}, {y})
    assert (found is not None) == bool(valid)
    if found is not None:
        assert bf_frontdoor(g, x, y, set(found)) and frontdoor_valid(g, {x}, {y}, found)
        assert not any(m < found for m in valid)  # minimal
        assert identify_id(g, {x}, {y}).identifiable
        check_numerically(g, x, y, frontdoor_expression({x}, {y}, found), seed=len(g.edges))
