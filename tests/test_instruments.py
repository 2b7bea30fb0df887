"""Conditional instruments (van der Zander, Textor & Liśkiewicz 2015) against a brute force over all (Z, W) pairs."""

from __future__ import annotations

from itertools import chain, combinations

import networkx as nx
from dag_strategies import random_dag
from hypothesis import given, settings
from hypothesis import strategies as st

from hypoplan.analysis.instruments import conditional_instruments, is_conditional_instrument, reachable
from hypoplan.graph import build_graph
from hypoplan.schema import Hypothesis

# ---------------------------------------------------------------- brute force (independent of the module)

def _path_blocked(g: nx.DiGraph, path: list[str], z: set[str]) -> bool:
    """Pearl's blocking rule on one path, with descendants computed by networkx."""
    for i in range(1, len(path) - 1):
        a, b, c = path[i - 1], path[i], path[i + 1]
        collider = g.has_edge(a, b) and g.has_edge(c, b)
        if collider:
            if b not in z and not (nx.descendants(g, b) & z):
                return True
        elif b in z:
            return True
    return False


def bf_dsep(g: nx.DiGraph, a: str, b: str, z: set[str]) -> bool:
    """d-separation by enumerating every simple path of the skeleton."""
    skel = g.to_undirected(as_view=True)
    return all(_path_blocked(g, p, z) for p in nx.all_simple_paths(skel, a, b))


def bf_instrument(g: nx.DiGraph, x: str, y: str, zn: str, w: set[str], sel: set[str] = frozenset()) -> bool:
    """The definition, spelled out with networkx primitives and path enumeration (``sel`` always conditioned)."""
    observed = {n for n, d in g.nodes(data=True) if d.get("observed", True)}
    # nodes on proper causal paths: on a directed path X -> ... -> Y that meets X only at its start
    cn = set()
    for p in nx.all_simple_paths(g, x, y):
        cn.update(p[1:])
    forb = {x} | set().union(*[nx.descendants(g, c) | {c} for c in cn | {y}])
    if zn not in observed or zn in forb or not w <= observed - forb - {zn}:
        return False
    gp = g.copy()
    gp.remove_edges_from([(x, c) for c in list(g.successors(x)) if c in cn])
    return zn not in sel and (not bf_dsep(g, zn, x, w | sel)) and bf_dsep(gp, zn, y, w | sel)


def powerset(items):
    items = sorted(items)
    return chain.from_iterable(combinations(items, k) for k in range(len(items) + 1))


@st.composite
def graphs(draw, max_nodes: int = 7):
    g, names = random_dag(draw, 3, max_nodes)
    for k in range(draw(st.integers(0, 2))):
        a, b = draw(st.lists(st.sampled_from(names), min_size=2, max_size=2, unique=True))
        g.add_node(f"U{k}", observed=False)
        g.add_edge(f"U{k}", a)
        g.add_edge(f"U{k}", b)
    x, y = draw(st.lists(st.sampled_from(names), min_size=2, max_size=2, unique=True))
    for h in draw(st.lists(st.sampled_from(names), max_size=2, unique=True)):
        if h not in (x, y):
            g.nodes[h]["observed"] = False
    return g, x, y


# ---------------------------------------------------------------- published and hand-built examples

def _hyp(edges: list[dict]) -> nx.DiGraph:
    nodes = sorted({e["source"] for e in edges} | {e["target"] for e in edges})
    return build_graph(Hypothesis.model_validate({
        "id": "t", "title": "t", "status": "idea",
        "nodes": [{"id": n} for n in nodes], "edges": edges,
        "focus": {"exposure": ["X"], "outcome": ["Y"]}}))


def test_dagitty_example_instrument_needs_its_conditioning_set():
    # W -> I -> X -> Y, W -> Y, X <-> Y: I is an instrument given {W}, not unconditionally.
    g = _hyp([{"source": "W", "target": "I"}, {"source": "I", "target": "X"}, {"source": "X", "target": "Y"},
              {"source": "W", "target": "Y"}, {"source": "X", "target": "Y", "type": "confounded"}])
    found, truncated = conditional_instruments(g, "X", "Y")
    assert [i.to_json() for i in found] == [{"instrument": "I", "given": ["W"]}]
    assert not truncated
    assert not is_conditional_instrument(g, "X", "Y", "I", set())
    assert is_conditional_instrument(g, "X", "Y", "I", {"W"})


def test_classic_instrument_is_unconditional():
    g = _hyp([{"source": "Z", "target": "X"}, {"source": "X", "target": "Y"}, {"source": "C", "target": "Y"},
              {"source": "X", "target": "Y", "type": "confounded"}])
    found, _ = conditional_instruments(g, "X", "Y")
    assert [(i.instrument, sorted(i.given)) for i in found] == [("Z", [])]


def test_no_instrument_when_the_candidate_affects_the_outcome_directly():
    g = _hyp([{"source": "Z", "target": "X"}, {"source": "Z", "target": "Y"}, {"source": "X", "target": "Y"}])
    assert conditional_instruments(g, "X", "Y")[0] == []


def test_cap_reports_truncation():
    edges = [{"source": f"Z{i}", "target": "X"} for i in range(5)] + [{"source": "X", "target": "Y"}]
    found, truncated = conditional_instruments(_hyp(edges), "X", "Y", max_results=3)
    assert len(found) == 3 and truncated


def test_reachable_matches_path_enumeration_on_a_collider():
    g = nx.DiGraph([("A", "C"), ("B", "C"), ("C", "D")])
    assert "B" not in reachable(g, ["A"])
    assert "B" in reachable(g, ["A"], ["D"])


# ---------------------------------------------------------------- property tests against the brute force

@settings(max_examples=300, deadline=None, derandomize=True)
@given(graphs())
def test_instruments_match_brute_force(case):
    g, x, y = case
    found, truncated = conditional_instruments(g, x, y, max_results=1000)
    assert not truncated
    got = {i.instrument: i.given for i in found}
    observed = sorted(n for n, d in g.nodes(data=True) if d.get("observed", True))
    for zn in observed:
        if zn in (x, y):
            continue
        area = set().union(*[nx.ancestors(g, v) | {v} for v in (x, y, zn)])
        exists = any(bf_instrument(g, x, y, zn, set(w)) for w in powerset(set(observed) & area - {zn, x, y}))
        assert (zn in got) == exists, (zn, sorted(g.edges), x, y)
        if zn in got:
            assert bf_instrument(g, x, y, zn, set(got[zn]))
            assert got[zn] <= area
            assert is_conditional_instrument(g, x, y, zn, got[zn])


@settings(max_examples=300, deadline=None, derandomize=True)
@given(graphs(max_nodes=6), st.data())
def test_reachable_matches_brute_force_dsep(case, data):
    g, x, y = case
    observed = sorted(n for n, d in g.nodes(data=True) if d.get("observed", True))
    z = set(data.draw(st.lists(st.sampled_from(observed), max_size=3, unique=True))) - {x, y}
    assert (y not in reachable(g, [x], z)) == bf_dsep(g, x, y, z)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(graphs(), st.data())
def test_is_conditional_instrument_matches_the_definition(case, data):
    g, x, y = case
    observed = sorted(n for n, d in g.nodes(data=True) if d.get("observed", True))
    zn = data.draw(st.sampled_from(observed))
    w = set(data.draw(st.lists(st.sampled_from(observed), max_size=3, unique=True))) - {zn}
    area = set().union(*[nx.ancestors(g, v) | {v} for v in (x, y, zn)])
    expected = zn not in (x, y) and w <= area and bf_instrument(g, x, y, zn, w)
    assert is_conditional_instrument(g, x, y, zn, w) == expected


# ---------------------------------------------------------------- selection: S is conditioned on, never an instrument

@settings(max_examples=300, deadline=None, derandomize=True)
@given(graphs(), st.data())
def test_instruments_with_selected_nodes_match_brute_force(case, data):
    g, x, y = case
    names = sorted(n for n in g if n not in (x, y) and not n.startswith("U"))
    if not names:
        return
    sel = set(data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=2, unique=True)))
    g.graph["selected"] = tuple(sorted(sel))
    found, truncated = conditional_instruments(g, x, y, max_results=1000)
    assert not truncated
    got = {i.instrument: i.given for i in found}
    observed = sorted(n for n, d in g.nodes(data=True) if d.get("observed", True))
    area = set().union(*[nx.ancestors(g, v) | {v} for v in (x, y, *sel)])
    for zn in observed:
        if zn in (x, y):
            continue
        zarea = area | nx.ancestors(g, zn) | {zn}
        pool = (set(observed) & zarea) - {zn, x, y} - sel
        exists = any(bf_instrument(g, x, y, zn, set(w), sel) for w in powerset(pool))
        assert (zn in got) == exists, (zn, sorted(g.edges), x, y, sel)
        if zn in got:
            assert not got[zn] & sel
            assert bf_instrument(g, x, y, zn, set(got[zn]), sel)
            assert is_conditional_instrument(g, x, y, zn, got[zn])
