"""Monte Carlo mediation power (Schoemann, Boulton & Short 2017; methods.md §7), for one mediator and for a
chain, checked against the methods.md simulation vector and against an independent statsmodels OLS brute force."""

from __future__ import annotations

import numpy as np
import pytest

from hypoplan.design.catalog import default_catalog
from hypoplan.design.power import mediation_power_monte_carlo, mediation_sample_size_monte_carlo
from hypoplan.design.sizing import SizingOptions
from hypoplan.errors import UsageError
from hypoplan.plan import build_plan
from hypoplan.schema import Hypothesis


def test_single_mediator_matches_the_methods_simulation_vector():
    """methods.md §7: a = b = .26, unit errors, n = 160 gives power ≈ .805 by the joint test; the Monte Carlo
    CI test has about the same power (Schoemann et al. 2017)."""
    assert abs(mediation_power_monte_carlo([0.26, 0.26], 160) - 0.8) < 0.07
    n = mediation_sample_size_monte_carlo([0.26, 0.26])
    assert 135 <= n <= 190
    assert mediation_sample_size_monte_carlo([0.26, 0.26]) == n  # seeded: the same answer every time


def brute_force_chain_power(paths: list[float], n: int, reps: int, seed: int) -> float:
    """The Monte Carlo CI test written out with statsmodels OLS, one dataset at a time."""
    import statsmodels.api as sm

    rng = np.random.default_rng(seed)
    hits = 0
    for _ in range(reps):
        nodes = [rng.standard_normal(n)]
        for p in paths:
            nodes.append(p * nodes[-1] + rng.standard_normal(n))
        est, se = [], []
        for j in range(1, len(nodes)):
            fit = sm.OLS(nodes[j], sm.add_constant(np.column_stack(nodes[:j]))).fit()
            est.append(fit.params[j])
            se.append(fit.bse[j])
        draws = np.prod(rng.normal(est, se, size=(1000, len(paths))), axis=1)
        lo, hi = np.quantile(draws, [0.025, 0.975])
        hits += lo > 0 or hi < 0
    return hits / reps


def test_chain_power_agrees_with_an_independent_brute_force():
    paths, n = [0.35, 0.35, 0.35], 90
    ours = mediation_power_monte_carlo(paths, n, reps=400)
    theirs = brute_force_chain_power(paths, n, reps=250, seed=7)
    assert abs(ours - theirs) < 0.1, (ours, theirs)
    assert mediation_power_monte_carlo(paths, 3 * n) > ours  # more participants, more power


def hyp(edges: list[dict[str, str]], extra: list[str]) -> Hypothesis:
    nodes = [{"id": "x", "constructs": ["central_ne_turnover"]}, {"id": "y", "kind": "outcome"}]
    nodes += [{"id": m} for m in extra]
    return Hypothesis.model_validate({"id": "m", "title": "t", "nodes": nodes, "edges": edges,
                                      "focus": {"exposure": ["x"], "outcome": ["y"]}})


def test_a_chain_of_mediators_is_sized_by_monte_carlo_and_says_so():
    h = hyp([{"source": "x", "target": "m1"}, {"source": "m1", "target": "m2"}, {"source": "m2", "target": "y"}],
            ["m1", "m2"])
    (med,) = build_plan(h, catalog=default_catalog()).to_json()["sizing"]["mediation"]
    assert med["mediators"] == ["m1", "m2"] and med["paths"] == [0.3, 0.3, 0.3]
    assert "Monte Carlo" in med["method"] and "Schoemann" in med["method"] and "numpy" in med["method"]
    assert med["n_total"] == mediation_sample_size_monte_carlo([0.3, 0.3, 0.3], alpha=0.05)
    assert med["note"].startswith("secondary:")


def test_a_single_mediator_can_use_monte_carlo_instead_of_the_joint_test():
    h = hyp([{"source": "x", "target": "m"}, {"source": "m", "target": "y"}], ["m"])
    joint = build_plan(h, catalog=default_catalog()).to_json()["sizing"]["mediation"][0]
    mc = build_plan(h, catalog=default_catalog(),
                    sizing_options=SizingOptions(mediation="monte-carlo")).to_json()["sizing"]["mediation"][0]
    assert "joint-significance" in joint["method"] and "Monte Carlo" in mc["method"]
    assert mc["n_total"] == mediation_sample_size_monte_carlo([0.3, 0.3])
    with pytest.raises(UsageError):
        build_plan(h, catalog=default_catalog(), sizing_options=SizingOptions(mediation="bootstrap"))
