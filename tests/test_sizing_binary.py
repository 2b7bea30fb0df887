"""Binary endpoints (issue 10 follow-up): two proportions (statsmodels ``NormalIndPower`` on Cohen's h) and a
logistic outcome of a continuous exposure (Hsieh, Bloch & Larsen 1998, checked against a simulation fitted
with statsmodels ``Logit``)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from hypoplan.cli import app
from hypoplan.data.scm import binary_nodes
from hypoplan.design.catalog import default_catalog
from hypoplan.design.power import logistic_sample_size
from hypoplan.design.sizing import SizingOptions, is_binary, size_binary
from hypoplan.graph import build_graph
from hypoplan.plan import build_plan
from hypoplan.schema import Hypothesis


def hyp(edges: list[dict[str, Any]], *, y_scale: str | None = "binary", x_scale: str | None = None) -> Hypothesis:
    y: dict[str, Any] = {"id": "y", "kind": "outcome", "constructs": ["glymphatic_clearance"]}
    x: dict[str, Any] = {"id": "x", "constructs": ["central_ne_turnover"]}
    if y_scale:
        y["scale"] = y_scale
    if x_scale:
        x["scale"] = x_scale
    return Hypothesis.model_validate({
        "id": "b", "title": "t", "nodes": [{"id": "dx", "kind": "condition", "constructs": ["mecfs_diagnosis"]}, x, y],
        "edges": edges, "focus": {"exposure": ["x"], "outcome": ["y"]},
        "peco": {"population": "adults with ME/CFS", "exposure": "x", "comparator": "healthy", "outcome": "y"}})


def ev(measure: str, value: float, design: str = "case-control") -> dict[str, Any]:
    return {"reference": "Study A", "species": "human", "design": design, "direction": "supports", "finding": "f",
            "effect_size": {"measure": measure, "value": value}}


def hsieh_n(log_or: float, p: float, alpha: float = 0.05, power: float = 0.8) -> int:
    """Hsieh et al. 1998, written out independently of the planner."""
    from scipy.stats import norm

    z = norm.ppf(1 - alpha / 2) + norm.ppf(power)
    return math.ceil(z * z / (p * (1 - p) * log_or ** 2))


@pytest.mark.parametrize("p0", [0.1, 0.3, 0.5])
@pytest.mark.parametrize("odds_ratio", [1.5, 2.0, 4.0])
def test_two_proportions_match_statsmodels_on_a_grid(p0, odds_ratio):
    from statsmodels.stats.power import NormalIndPower
    from statsmodels.stats.proportion import proportion_effectsize

    g = build_graph(hyp([{"source": "dx", "target": "y", "evidence": [ev("OR", odds_ratio)]},
                         {"source": "x", "target": "y"}]))
    s = size_binary(g, "dx vs hc on y", "proportions", [("dx", "y")], baseline_p=p0, plan_on="point")
    p1 = p0 * odds_ratio / (1 - p0 + p0 * odds_ratio)
    h = proportion_effectsize(p1, p0)
    expected = math.ceil(NormalIndPower().solve_power(effect_size=h, alpha=0.05, power=0.8, ratio=1.0))
    assert s.design == "proportions" and s.value == pytest.approx(abs(h))
    assert s.n_per_group == expected and s.n_total == 2 * expected
    half = next(r for r in s.sensitivity if r.row == "half")
    p_half = p0 * math.sqrt(odds_ratio) / (1 - p0 + p0 * math.sqrt(odds_ratio))
    assert half.n_per_group == math.ceil(NormalIndPower().solve_power(
        effect_size=proportion_effectsize(p_half, p0), alpha=0.05, power=0.8, ratio=1.0))
    assert "baseline event rate" in s.note and "(given)" in s.note


@pytest.mark.parametrize(("log_or", "p"), [(0.5, 0.3), (0.3, 0.5), (1.0, 0.1)])
def test_logistic_formula_is_hsiehs(log_or, p):
    assert logistic_sample_size(log_or, p)[1] == hsieh_n(log_or, p)
    assert logistic_sample_size(log_or, p, r2=0.5)[0] == pytest.approx(2 * logistic_sample_size(log_or, p)[0])


def test_logistic_sample_size_reaches_its_power_in_a_logit_simulation():
    """Simulate X ~ N(0, 1), logit P(Y = 1) = logit(P) + β·X at Hsieh's n; the Wald test of β by statsmodels Logit
    should reject in about 80% of datasets (400 seeded replicates: SE ≈ 0.02)."""
    import statsmodels.api as sm

    beta, p = 0.5, 0.3
    _, n = logistic_sample_size(beta, p)
    rng = np.random.default_rng(20261202)
    hits, reps = 0, 400
    for _ in range(reps):
        x = rng.standard_normal(n)
        eta = math.log(p / (1 - p)) + beta * x
        y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(float)
        fit = sm.Logit(y, sm.add_constant(x)).fit(disp=0)
        hits += fit.pvalues[1] < 0.05
    assert abs(hits / reps - 0.8) < 0.06, hits / reps


def test_a_binary_outcome_of_a_continuous_exposure_is_sized_by_logistic_regression_in_the_plan():
    h = hyp([{"source": "x", "target": "y", "evidence": [ev("OR", 1.8, design="cohort")]}])
    plan = build_plan(h, catalog=default_catalog(), sizing_options=SizingOptions(baseline_p=0.2)).to_json()
    s = next(s for s in plan["sample_size"] if s["primary"])
    assert s["design"] == "logistic" and s["effect_size"]["source"] == "evidence"
    assert s["n_total"] == hsieh_n(math.log(1.8), 0.2)
    assert "Hsieh" in s["note"]


def test_a_binary_group_difference_is_sized_by_two_proportions_in_the_plan():
    h = hyp([{"source": "dx", "target": "y", "evidence": [ev("OR", 2.0)]}, {"source": "x", "target": "y"}])
    plan = build_plan(h, catalog=default_catalog()).to_json()
    s = next(s for s in plan["sample_size"] if "healthy controls on y" in s["comparison"])
    assert s["design"] == "proportions"
    assert "assumed: none recorded; give it with --baseline-p" in s["note"]
    continuous = build_plan(hyp([{"source": "dx", "target": "y", "evidence": [ev("OR", 2.0)]},
                                 {"source": "x", "target": "y"}], y_scale=None), catalog=default_catalog()).to_json()
    assert next(s for s in continuous["sample_size"] if "healthy controls on y" in s["comparison"])["design"] \
        == "two-sample"


def test_binary_nodes_agree_with_the_data_layer():
    g = build_graph(Hypothesis.model_validate({
        "id": "b", "title": "t", "nodes": [
            {"id": "dx", "kind": "condition"}, {"id": "dz", "kind": "drug", "scale": "continuous"},
            {"id": "y", "scale": "binary"}, {"id": "c", "scale": "count"}, {"id": "m"}],
        "edges": [{"source": "dx", "target": "y"}, {"source": "dz", "target": "y"}, {"source": "m", "target": "c"}]}))
    assert binary_nodes(g) == {n for n in g if is_binary(g, n)} == {"dx", "y"}


def test_baseline_p_is_usage_checked():
    fm = Path(__file__).resolve().parents[1] / "hypotheses" / "fm-sympathetic-pain.yaml"
    out = CliRunner().invoke(app, ["plan", str(fm), "--baseline-p", "1.5"])
    assert out.exit_code == 2 and "baseline-p" in out.output


def test_a_recorded_h_sizes_two_proportions_directly():
    from statsmodels.stats.power import NormalIndPower

    g = build_graph(hyp([{"source": "dx", "target": "y", "evidence": [ev("h", 0.4)]}, {"source": "x", "target": "y"}]))
    s = size_binary(g, "dx vs hc on y", "proportions", [("dx", "y")], baseline_p=0.3, plan_on="point")
    assert s.source == "evidence" and s.value == pytest.approx(0.4)
    assert s.n_per_group == math.ceil(NormalIndPower().solve_power(effect_size=0.4, alpha=0.05, power=0.8, ratio=1.0))
