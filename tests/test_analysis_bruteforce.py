"""Every adjustment, path and implication answer checked against the independent brute force in bruteforce.py.

Random DAGs of at most 8 nodes, with and without latent nodes, single and multiple
exposures/outcomes, with and without forced-in adjusted nodes (hypothesis, derandomized).
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent))
import bruteforce as bf

from hypoplan.analysis import adjustment as adj
from hypoplan.analysis.implications import all_minimal_implications, basis_implications
from hypoplan.analysis.paths import enumerate_paths
from hypoplan.analysis.separation import minimal_d_separator

pytestmark = pytest.mark.slow  # about a minute: deselect with -m "not slow"

SETTINGS = settings(max_examples=1000, derandomize=True, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
FEW = settings(SETTINGS, max_examples=400)


@st.composite
def problems(draw, *, latent=True, multi=True, forced=True, selection=False):
    """A random DAG (random topological order), latent nodes, X, Y, forced-in nodes I and selected nodes S."""
    n = draw(st.integers(2, 8))
    names = draw(st.permutations([f"v{i}" for i in range(n)]))
    density = draw(st.sampled_from([0.2, 0.35, 0.5, 0.7]))
    edges = []
    for i in range(n):
        for j in range(i + 1, n):
            if draw(st.floats(0, 1)) < density:
                edges.append((names[i], names[j]))
    nodes = sorted(names)
    xs = draw(st.sets(st.sampled_from(nodes), min_size=1, max_size=min(2 if multi else 1, n - 1)))
    ys = draw(st.sets(st.sampled_from([v for v in nodes if v not in xs]), min_size=1, max_size=2 if multi else 1))
    rest = [v for v in nodes if v not in xs | ys]
    hidden = draw(st.sets(st.sampled_from(rest), max_size=2)) if latent and rest else set()
    observed_rest = [v for v in rest if v not in hidden]
    inc = draw(st.sets(st.sampled_from(observed_rest), max_size=1)) if forced and observed_rest else set()
    free = [v for v in rest if v not in inc]
    sel = draw(st.sets(st.sampled_from(free), min_size=1, max_size=2)) if selection and free else set()
    costs = {v: draw(st.sampled_from([1.0, 2.0, 5.0])) for v in nodes}
    g = nx.DiGraph()
    g.add_nodes_from(nodes)
    g.add_edges_from(edges)
    for v in nodes:
        g.nodes[v]["observed"] = v not in hidden
    g.graph["selected"] = tuple(sorted(sel))
    return g, bf.Dag(nodes, edges, hidden, sel), frozenset(xs), frozenset(ys), frozenset(inc), costs


@SETTINGS
@given(problems())
def test_minimal_sets_equal_brute_force(problem):
    g, dag, xs, ys, inc, _ = problem
    found, truncated = adj.minimal_adjustment_sets(g, xs, ys, inc, max_results=10_000)
    assert not truncated
    assert len(found) == len(set(found))
    assert set(found) == bf.minimal_adjustment_sets(dag, xs, ys, inc)


@SETTINGS
@given(problems())
def test_canonical_valid_iff_some_valid_set_exists(problem):
    g, dag, xs, ys, inc, _ = problem
    exists = bool(bf.valid_adjustment_sets(dag, xs, ys, inc))
    canonical = adj.canonical_adjustment_set(g, xs, ys, inc)
    assert (canonical is not None) == exists
    if canonical is not None:
        assert bf.is_adjustment_set(dag, xs, ys, canonical)
        assert inc <= canonical


@SETTINGS
@given(problems())
def test_validity_check_agrees_with_definition(problem):
    g, dag, xs, ys, _inc, _ = problem
    pool = sorted(set(g) - xs - ys)
    z = frozenset(pool[::2])  # may contain latent nodes: then invalid
    verdict = adj.check_adjustment_set(g, xs, ys, z)
    assert verdict.valid == bf.is_adjustment_set(dag, xs, ys, z)
    assert verdict.valid == (not verdict.reasons)
    assert set(verdict.forbidden) == set(z) & bf.forbidden(dag, xs, ys)
    for path in verdict.open_paths:
        assert not bf.is_causal(dag, path) and not bf.is_blocked(dag, path, z)


@SETTINGS
@given(problems(latent=True, multi=False, forced=False))
def test_optimal_is_valid_and_present_when_observed(problem):
    g, dag, xs, ys, _, _ = problem
    optimal = adj.optimal_adjustment_set(g, xs, ys)
    if optimal is not None:
        assert bf.is_adjustment_set(dag, xs, ys, optimal)
    if not dag.latent and bf.has_proper_causal_path(dag, xs, ys) and bf.valid_adjustment_sets(dag, xs, ys):
        assert optimal is not None
    if not bf.has_proper_causal_path(dag, xs, ys):
        assert optimal is None  # O = pa(cn) \ forb is defined through the causal nodes


@SETTINGS
@given(problems())
def test_min_cost_equals_brute_force_minimum(problem):
    g, dag, xs, ys, inc, costs = problem
    best = adj.min_cost_adjustment_set(g, xs, ys, inc, costs)
    valid = bf.valid_adjustment_sets(dag, xs, ys, inc)
    if not valid:
        assert best is None
        return
    cheapest = min(sum(costs[v] for v in s) for s in valid)
    assert best is not None
    assert bf.is_adjustment_set(dag, xs, ys, best.nodes)
    assert math.isclose(best.cost, cheapest)
    assert math.isclose(sum(costs[v] for v in best.nodes), cheapest)


@SETTINGS
@given(problems(latent=True, multi=True, forced=True))
def test_paths_classified_as_brute_force(problem):
    g, dag, xs, ys, inc, _ = problem
    zs = inc | frozenset(sorted(set(dag.observed) - xs - ys)[1::3])
    paths, truncated = enumerate_paths(g, xs, ys, zs, max_results=100_000)
    assert not truncated
    expected = [p for p in bf.all_paths(dag, xs, ys, avoid=xs | ys)]
    assert sorted(p.nodes for p in paths) == sorted(expected)
    for p in paths:
        assert p.causal == bf.is_causal(dag, p.nodes)
        assert p.open == (not bf.is_blocked(dag, p.nodes, zs))
    assert any(p.open for p in paths) == (not bf.d_separated(dag, xs, ys, zs))


@SETTINGS
@given(problems(latent=True, multi=False, forced=True))
def test_direct_effect_sets_equal_single_door_brute_force(problem):
    """Forced-in (adjusted) nodes are honoured by the direct effect as by the total effect."""
    g, dag, xs, ys, inc, _ = problem
    (x,), (y,) = xs, ys
    found = adj.direct_effect_sets(g, x, y, included=inc, max_results=10_000)
    if not g.has_edge(x, y):
        assert found is None
        return
    sets, truncated = found
    assert not truncated
    assert set(sets) == bf.single_door_sets(dag, x, y, inc)
    pool = sorted(set(g) - xs - ys)
    for z in (frozenset(pool[::2]), frozenset(pool[1::2]), inc):
        verdict = adj.check_direct_set(g, x, y, z)
        cut = dag.without_edge(x, y)
        expected = (not z & (dag.descendants(y) | dag.latent)) and bf.d_separated(cut, {x}, {y}, z)
        assert verdict.valid == expected
        assert verdict.valid == (not verdict.reasons)


@SETTINGS
@given(problems(latent=True, multi=False, forced=False))
def test_basis_implications_hold_and_cover_every_testable_pair(problem):
    g, dag, *_ = problem
    implications, truncated = basis_implications(g)
    assert not truncated
    covered = set()
    for imp in implications:
        assert not dag.adjacent(imp.x, imp.y)
        assert not (imp.given & dag.latent)
        assert bf.d_separated(dag, {imp.x}, {imp.y}, imp.given)
        covered.add(frozenset((imp.x, imp.y)))
    assert len(covered) == len(implications)
    for i, a in enumerate(dag.observed):
        for b in dag.observed[i + 1:]:
            if not dag.adjacent(a, b) and bf.observed_separators(dag, a, b):
                assert frozenset((a, b)) in covered


@FEW
@given(problems(latent=True, multi=False, forced=False))
def test_all_minimal_implications_equal_brute_force(problem):
    g, dag, *_ = problem
    found, truncated = all_minimal_implications(g, max_results=100_000)
    assert not truncated
    expected = set()
    for i, a in enumerate(dag.observed):
        for b in dag.observed[i + 1:]:
            if dag.adjacent(a, b):
                continue
            seps = bf.observed_separators(dag, a, b)
            expected |= {(a, b, s) for s in seps if not any(t < s for t in seps)}
    assert {(imp.x, imp.y, imp.given) for imp in found} == expected


@FEW
@given(problems())
def test_caps_are_respected_and_reported(problem):
    g, _dag, xs, ys, inc, _ = problem
    full, _ = adj.minimal_adjustment_sets(g, xs, ys, inc, max_results=10_000)
    capped, truncated = adj.minimal_adjustment_sets(g, xs, ys, inc, max_results=1)
    assert len(capped) <= 1
    assert truncated == (len(full) > 1)
    assert set(capped) <= set(full)
    paths_full, _ = enumerate_paths(g, xs, ys, inc, max_results=100_000)
    paths_cut, cut = enumerate_paths(g, xs, ys, inc, max_results=2)
    assert len(paths_cut) <= 2 and cut == (len(paths_full) > 2)


@FEW
@given(problems(latent=True, multi=True, forced=False))
def test_minimal_d_separator_wrapper_matches_brute_force(problem):
    g, dag, xs, ys, _, _ = problem
    z = minimal_d_separator(g, xs, ys)
    pool = set(dag.observed) - xs - ys
    separators = [s for s in bf.subsets(pool) if bf.d_separated(dag, xs, ys, s)]
    if not separators:
        assert z is None
        return
    assert z is not None and bf.d_separated(dag, xs, ys, z) and not (z & dag.latent)
    assert not any(s < z for s in separators)


# --- selection: random DAGs with selected nodes (conditioned on everywhere), against the same brute force ---

SELECTION = settings(SETTINGS, max_examples=300)


@SELECTION
@given(problems(selection=True))
def test_selection_minimal_and_canonical_sets_equal_brute_force(problem):
    g, dag, xs, ys, inc, _ = problem
    found, truncated = adj.minimal_adjustment_sets(g, xs, ys, inc, max_results=10_000)
    assert not truncated
    assert set(found) == bf.minimal_adjustment_sets(dag, xs, ys, inc)
    assert not any(s & dag.selected for s in found)
    exists = bool(bf.valid_adjustment_sets(dag, xs, ys, inc))
    canonical = adj.canonical_adjustment_set(g, xs, ys, inc)
    assert (canonical is not None) == exists
    if canonical is not None:
        assert bf.is_adjustment_set(dag, xs, ys, canonical)


@SELECTION
@given(problems(selection=True))
def test_selection_validity_and_min_cost_agree_with_brute_force(problem):
    g, dag, xs, ys, inc, costs = problem
    pool = sorted(set(g) - xs - ys - dag.selected)
    for z in (frozenset(pool[::2]), frozenset(pool[1::2]), frozenset()):
        verdict = adj.check_adjustment_set(g, xs, ys, z)
        assert verdict.valid == bf.is_adjustment_set(dag, xs, ys, z)
        assert adj.is_valid_adjustment(g, xs, ys, z) == verdict.valid
    valid = bf.valid_adjustment_sets(dag, xs, ys, inc)
    best = adj.min_cost_adjustment_set(g, xs, ys, inc, costs)
    if not valid:
        assert best is None
        return
    assert best is not None and bf.is_adjustment_set(dag, xs, ys, best.nodes)
    assert math.isclose(best.cost, min(sum(costs[v] for v in s) for s in valid))


@SELECTION
@given(problems(selection=True, multi=True, forced=True))
def test_selection_paths_are_classified_given_the_selected_nodes(problem):
    g, dag, xs, ys, inc, _ = problem
    from hypoplan.analysis import analyze

    result = analyze(g, exposure=xs, outcome=ys, adjusted=inc, max_results=100_000)
    for p in result.paths:
        assert p.open == (not bf.is_blocked(dag, p.nodes, inc | dag.selected))


@SELECTION
@given(problems(latent=True, multi=False, forced=False, selection=True))
def test_selection_implications_hold_given_the_selected_nodes(problem):
    g, dag, *_ = problem
    implications, truncated = basis_implications(g)
    assert not truncated
    covered = set()
    for imp in implications:
        assert not ({imp.x, imp.y} | imp.given) & dag.selected
        assert bf.d_separated(dag, {imp.x}, {imp.y}, imp.given | dag.selected)
        covered.add(frozenset((imp.x, imp.y)))
    free = [v for v in dag.observed if v not in dag.selected]
    for i, a in enumerate(free):
        for b in free[i + 1:]:
            if not dag.adjacent(a, b) and bf.observed_separators(dag, a, b):
                assert frozenset((a, b)) in covered
    found, _ = all_minimal_implications(g, max_results=100_000)
    expected = set()
    for i, a in enumerate(free):
        for b in free[i + 1:]:
            if not dag.adjacent(a, b):
                seps = bf.observed_separators(dag, a, b)
                expected |= {(a, b, s) for s in seps if not any(t < s for t in seps)}
    assert {(imp.x, imp.y, imp.given) for imp in found} == expected
