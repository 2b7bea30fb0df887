"""Plan sizing (issue 10): every recorded effect size reaches the plan or is named, CIs and sensitivity rows,
multiplicity, attrition from the catalog, crossover rho, mediation, reliability and the total-N budget.

Expected sample sizes are checked against statsmodels directly (an independent call, not the planner's code),
and conversions against the worked examples of methods.md §3."""

from __future__ import annotations

import json
import math
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from hypoplan.cli import app
from hypoplan.design.catalog import default_catalog, load_catalog_text
from hypoplan.design.effectsize import d_ci, or_to_d, paired_dz
from hypoplan.design.power import mediation_power, mediation_sample_size
from hypoplan.design.sizing import SizingOptions, size_comparison
from hypoplan.graph import build_graph
from hypoplan.plan import build_plan
from hypoplan.schema import Hypothesis

ROOT = Path(__file__).resolve().parents[1]
HYP = ROOT / "hypotheses"


def n_two_sample(d: float, alpha: float = 0.05) -> int:
    from statsmodels.stats.power import TTestIndPower

    return math.ceil(TTestIndPower().solve_power(effect_size=d, alpha=alpha, power=0.8))


def hyp(edges: list[dict[str, Any]], *, extra_nodes: list[dict[str, Any]] = (), exposure: str = "x",
        outcome: str = "y", hid: str = "h") -> Hypothesis:
    nodes = [{"id": "dx", "kind": "condition", "constructs": ["mecfs_diagnosis"]},
             {"id": "x", "constructs": ["central_ne_turnover"]},
             {"id": "y", "kind": "outcome", "constructs": ["unrefreshing_sleep"]}, *extra_nodes]
    return Hypothesis.model_validate({
        "id": hid, "title": "t", "nodes": nodes, "edges": edges,
        "focus": {"exposure": [exposure], "outcome": [outcome]},
        "peco": {"population": "adults with ME/CFS", "exposure": "x", "comparator": "healthy", "outcome": "y"}})


def ev(measure: str, value: float, n: int | None = None, direction: str = "supports", ref: str = "Study A"):
    es: dict[str, Any] = {"measure": measure, "value": value}
    if n is not None:
        es["n"] = n
    return {"reference": ref, "species": "human", "design": "case-control", "direction": direction,
            "finding": "f", "effect_size": es}


def plan_json(h: Hypothesis, **kw: Any) -> dict[str, Any]:
    return build_plan(h, catalog=kw.pop("catalog", default_catalog()), **kw).to_json()


def comparison(plan: dict[str, Any], fragment: str) -> dict[str, Any]:
    found = [s for s in plan["sample_size"] if fragment in s["comparison"]]
    assert found, [s["comparison"] for s in plan["sample_size"]]
    return found[0]


# --------------------------------------------------------------------------- recorded effects reach the plan


@pytest.mark.parametrize(("measure", "value", "expected_d"), [
    ("OR", 1.03, or_to_d(1.03)),  # the example: an OR of 1.03 was dropped
    ("OR", 2.0, 0.3822),          # Chinn 2000 worked value
    ("d", 0.1, 0.1),              # a small d was dropped
    ("d", -0.98, 0.98),
    ("r", 0.3, 0.6290),           # Borenstein 2009 worked value, r as point-biserial
])
def test_recorded_group_difference_reaches_the_plan(measure, value, expected_d):
    h = hyp([{"source": "dx", "target": "x", "evidence": [ev(measure, value)]}, {"source": "x", "target": "y"}])
    s = comparison(plan_json(h), "on x")
    es = s["effect_size"]
    assert es["source"] == "evidence" and es["point"] == pytest.approx(expected_d, abs=5e-5)
    assert s["n_per_group"] == n_two_sample(es["point"], alpha=s["alpha"])
    assert measure in s["note"]


def test_recorded_d_and_or_on_x_to_y_reach_the_association():
    h = hyp([{"source": "x", "target": "y", "evidence": [ev("OR", 2.0)]}])
    s = comparison(plan_json(h), "association")
    assert s["effect_size"]["source"] == "evidence"
    assert s["effect_size"]["point"] == pytest.approx(0.3822 / math.sqrt(0.3822**2 + 4), abs=1e-4)
    assert "Chinn" in s["effect_size"]["conversion"] and "Borenstein" in s["effect_size"]["conversion"]
    h = hyp([{"source": "x", "target": "y", "evidence": [ev("r", -0.4)]}])
    assert comparison(plan_json(h), "association")["effect_size"]["point"] == pytest.approx(0.4)


def test_unconvertible_measure_is_named_in_the_plan():
    h = hyp([{"source": "dx", "target": "x", "evidence": [ev("percent-change", -50)]},
             {"source": "x", "target": "y"}])
    plan = plan_json(h)
    s = comparison(plan, "on x")
    assert s["effect_size"]["source"] == "assumption"
    (entry,) = plan["sizing"]["effect_sizes"]
    assert entry["used_in"] == [] and "percent-change" in entry["note"] and "no conversion" in entry["note"]
    assert any("percent-change" in m and "no conversion" in m for m in plan["missing"])
    text = __import__("hypoplan.render.plan_markdown", fromlist=["x"]).render_plan_markdown(plan)
    assert "percent-change = -50 on dx → x" in text


def test_every_recorded_effect_is_accounted_for():
    h = hyp([{"source": "dx", "target": "x", "evidence": [ev("d", 0.6, n=50)]},
             {"source": "x", "target": "y", "evidence": [ev("RR", 1.4, ref="Study R")]}])
    entries = plan_json(h)["sizing"]["effect_sizes"]
    assert len(entries) == 2
    used = {e["measure"]: e for e in entries}
    assert used["d"]["used_in"] and not used["RR"]["used_in"] and "RR" in used["RR"]["note"]


# --------------------------------------------------------------------------- CI and sensitivity


def test_ci_and_sensitivity_rows_match_statsmodels():
    h = hyp([{"source": "dx", "target": "x", "evidence": [ev("d", 0.72, n=58)]}, {"source": "x", "target": "y"}])
    g = build_graph(h)
    s = size_comparison(g, "c", "two-sample", [("dx", "x")])
    lo, hi = d_ci(0.72, 29, 29)
    assert s.ci == (pytest.approx(lo), pytest.approx(hi))
    rows = {r.row: r for r in s.sensitivity}
    assert rows["point"].n_per_group == n_two_sample(0.72) == 32
    assert rows["lower"].value == pytest.approx(lo) and rows["lower"].n_per_group == n_two_sample(lo)
    assert rows["lower"].n_per_group > 400  # the issue: "over 400 per group" at the lower bound
    assert rows["half"].n_per_group == n_two_sample(0.36)
    assert s.plan_on == "lower" and s.n_per_group == rows["lower"].n_per_group  # the conservative default
    for row in ("point", "half"):
        assert size_comparison(g, "c", "two-sample", [("dx", "x")], plan_on=row).n_per_group == rows[row].n_per_group


def test_ci_crossing_zero_is_said_and_falls_back():
    h = hyp([{"source": "dx", "target": "x", "evidence": [ev("d", 0.3, n=20)]}, {"source": "x", "target": "y"}])
    s = size_comparison(build_graph(h), "c", "two-sample", [("dx", "x")])
    lower = next(r for r in s.sensitivity if r.row == "lower")
    assert lower.n_total is None and "includes zero" in lower.note
    assert s.plan_on == "point" and "includes zero" in s.note


def test_contradicting_evidence_is_said_next_to_the_number():
    h = hyp([{"source": "dx", "target": "x", "sign": "-",
              "evidence": [{"reference": "Sun-like 2026", "species": "human", "design": "observational",
                            "direction": "contradicts", "finding": "higher"},
                           {"reference": "A forum post", "design": "speculation", "finding": "lower"}]},
             {"source": "x", "target": "y"}])
    s = comparison(plan_json(h), "on x")
    assert "only empirical evidence" in s["warning"] and "Sun-like 2026" in s["warning"]
    assert "⚠" in s["note"]


# --------------------------------------------------------------------------- the chosen designs


@pytest.mark.parametrize("rho", [0.3, 0.5, 0.8])
def test_crossover_uses_rho_and_matches_statsmodels(rho):
    from statsmodels.stats.power import TTestPower

    h = hyp([{"source": "drug", "target": "x", "evidence": [ev("d", 0.6)]}, {"source": "x", "target": "y"}],
            extra_nodes=[{"id": "drug", "kind": "drug"}])
    plan = plan_json(h, sizing_options=SizingOptions(rho=rho))
    s = comparison(plan, "crossover on x")
    dz = paired_dz(0.6, rho)
    assert s["effect_size"]["point"] == pytest.approx(dz)
    assert s["n_total"] == math.ceil(TTestPower().solve_power(effect_size=dz, alpha=s["alpha"], power=0.8))
    assert f"ρ = {rho:g}" in s["note"] and "given" in plan["sizing"]["rho_note"]


def test_anova_converts_d_when_one_group_differs():
    from statsmodels.stats.power import FTestAnovaPower

    h = hyp([{"source": "dx", "target": "x", "evidence": [ev("d", 0.6)]}, {"source": "x", "target": "y"}])
    s = comparison(plan_json(h), "disease-control")
    f = 0.6 * math.sqrt(2) / 3
    # brute force: SD of the means (0.6, 0, 0) over the within-group SD 1
    means = [0.6, 0.0, 0.0]
    mu = sum(means) / 3
    assert f == pytest.approx(math.sqrt(sum((m - mu) ** 2 for m in means) / 3))
    assert s["effect_size"]["point"] == pytest.approx(f)
    raw = FTestAnovaPower().solve_power(effect_size=f, alpha=s["alpha"], power=0.8, k_groups=3)
    assert s["n_per_group"] == math.ceil(raw / 3)


def test_one_primary_needs_no_adjustment_and_secondaries_stay_at_the_family_alpha():
    """Issue 10 follow-up: a mediator's and the exposure's patient-vs-control differences are secondary, so the
    one primary comparison (the exposure–outcome test on the primary outcome) is not Holm-adjusted."""
    h = hyp([{"source": "dx", "target": "x"}, {"source": "x", "target": "m"}, {"source": "m", "target": "y"},
             {"source": "dx", "target": "m", "evidence": [ev("d", 0.5)]}],
            extra_nodes=[{"id": "m", "constructs": ["glymphatic_clearance"]}])
    plan = plan_json(h)
    (primary,) = [s for s in plan["sample_size"] if s["primary"]]
    assert primary["alpha"] == 0.05 and primary["design"] == "correlation"
    assert primary["comparison"].startswith("association of x with y") and "(the test of the claim)" in primary["comparison"]
    secondary = [s for s in plan["sample_size"] if not s["primary"]]
    assert secondary and all(s["alpha"] == 0.05 and s["note"].startswith("Secondary:") for s in secondary)
    assert "no adjustment is needed" in plan["sizing"]["alpha_note"]


def test_holm_over_the_primary_comparisons_only():
    h = Hypothesis.model_validate({
        "id": "h2", "title": "t",
        "nodes": [{"id": "dx", "kind": "condition", "constructs": ["mecfs_diagnosis"]},
                  {"id": "x", "constructs": ["central_ne_turnover"]}, {"id": "x2", "constructs": ["age"]},
                  {"id": "y", "kind": "outcome", "constructs": ["unrefreshing_sleep"]}],
        "edges": [{"source": "dx", "target": "x", "evidence": [ev("d", 0.5)]}, {"source": "x", "target": "y"},
                  {"source": "x2", "target": "y"}],
        "focus": {"exposure": ["x", "x2"], "outcome": ["y"]}})
    plan = plan_json(h)
    primary = [s for s in plan["sample_size"] if s["primary"]]
    secondary = [s for s in plan["sample_size"] if not s["primary"]]
    assert len(primary) == 2 and all(s["alpha"] == pytest.approx(0.025) for s in primary)
    assert secondary and all(s["alpha"] == 0.05 for s in secondary)
    assert "over 2 primary" in plan["sizing"]["alpha_note"]
    bonf = plan_json(h, sizing_options=SizingOptions(alpha_adjust="bonferroni"))
    assert "Bonferroni" in bonf["sizing"]["alpha_note"]


def test_fm_plan_sizes_one_primary_the_randomised_test_on_the_primary_outcome():
    """The FM plan once sized six 'primary' comparisons at alpha/6; its one primary is the randomised NE vs
    placebo crossover on the primary outcome, and the crossover on the criterion outcome is secondary."""
    out = CliRunner().invoke(app, ["plan", str(HYP / "fm-sympathetic-pain.yaml"), "--format", "json"])
    plan = json.loads(out.stdout[out.stdout.index("{"):])
    primary_outcome = plan["outcomes"]["primary"]["label"]
    (primary,) = [s for s in plan["sample_size"] if s["primary"]]
    assert primary_outcome in primary["comparison"] and "randomised test of the claim" in primary["comparison"]
    assert primary["design"] == "paired" and primary["alpha"] == 0.05
    crit = [s for s in plan["sample_size"] if "Fibromyalgia pain" in s["comparison"] and s["design"] == "paired"]
    assert crit and not crit[0]["primary"] and "defining criterion" in crit[0]["note"]
    budget = plan["sizing"]["budget"]
    assert budget["n_total"] == primary["n_total"]
    assert {b["comparison"] for b in budget["secondary"]} == {s["comparison"] for s in plan["sample_size"]
                                                               if not s["primary"]}
    hc = next(b for b in budget["secondary"] if "healthy controls on NE-evoked" in b["comparison"])
    assert not hc["within_budget"] and "healthy controls" in hc["note"]


def test_a_criterion_outcome_is_never_compared_between_groups():
    h = hyp([{"source": "dx", "target": "x"}, {"source": "x", "target": "y"},
             {"source": "dx", "target": "y", "evidence": [ev("d", 0.8)]}])
    data = h.model_dump(mode="json", exclude_none=True)
    data["nodes"][2]["constructs"] = ["glymphatic_clearance"]  # not a criterion of ME/CFS in the catalog
    plan = plan_json(Hypothesis.model_validate(data))
    assert any("healthy controls on y" in s["comparison"] for s in plan["sample_size"])
    data["nodes"][2]["criterion_of"] = ["mecfs_diagnosis"]
    plan = plan_json(Hypothesis.model_validate(data))
    assert not any("healthy controls on y" in s["comparison"] for s in plan["sample_size"])


def test_plan_numbers_read_as_a_statistician_writes_them():
    md = CliRunner().invoke(app, ["plan", str(HYP / "fm-sympathetic-pain.yaml")]).stdout
    section = md[md.index("## Sample size"):md.index("### Recorded effect sizes")]
    assert "d = 0.518 |" in section and "0.517583" not in section
    assert not re.search(r"\d\.\d{5,}", section), re.findall(r"\S*\d\.\d{5,}\S*", section)
    protocol = CliRunner().invoke(app, ["protocol", str(HYP / "fm-sympathetic-pain.yaml")]).stdout
    sizes = protocol[protocol.index("Sample size."):protocol.index("Sample size.") + 4000]
    assert "d = 0.518 at alpha = 0.05" in sizes and "0.517583" not in sizes


def test_attrition_comes_from_the_catalog_rule_or_is_said_absent():
    h = hyp([{"source": "dx", "target": "x", "evidence": [ev("d", 0.5)]}, {"source": "x", "target": "y"}])
    plan = plan_json(h)
    assert "no attrition rate in the catalog" in plan["sizing"]["attrition_note"]
    assert all(s["n_enrol_total"] is None for s in plan["sample_size"])
    cat = load_catalog_text(textwrap.dedent("""\
        population_rules:
          - id: test-dropout
            applies_to: [mecfs_diagnosis]
            topic: drop-out
            note: A cited drop-out rate.
            attrition: 0.2
            references: ["Test cohort 2020"]
        """), "c.yaml", base=default_catalog())
    plan = plan_json(h, catalog=cat)
    assert "20% attrition" in plan["sizing"]["attrition_note"] and "Test cohort 2020" in plan["sizing"]["attrition_note"]
    s = comparison(plan, "healthy controls on x")
    assert s["n_enrol_per_group"] == math.ceil(s["n_per_group"] / 0.8 - 1e-9)
    over = plan_json(h, catalog=cat, sizing_options=SizingOptions(attrition=0.1))
    assert "10% attrition (given)" in over["sizing"]["attrition_note"]


def test_budget_takes_each_groups_largest_need_over_the_primary_comparisons():
    h = hyp([{"source": "dx", "target": "x", "evidence": [ev("d", 0.5)]}, {"source": "x", "target": "y"}])
    plan = plan_json(h)
    budget = plan["sizing"]["budget"]
    need: dict[str, int] = {}
    for s in plan["sample_size"]:
        if s["primary"]:
            for grp in s["groups"]:
                need[grp] = max(need.get(grp, 0), s["n_per_group"] or s["n_total"])
    assert {g["group"]: g["n"] for g in budget["groups"]} == need
    assert budget["n_total"] == sum(need.values())
    secondary = {b["comparison"]: b for b in budget["secondary"]}
    for s in plan["sample_size"]:
        if not s["primary"]:
            b = secondary[s["comparison"]]
            assert b["n_needed"] == (s["n_per_group"] or s["n_total"])
            assert b["within_budget"] == all(need.get(grp, 0) >= b["n_needed"] for grp in s["groups"])


def test_reliability_suggests_k_sessions_by_spearman_brown():
    cat = load_catalog_text(textwrap.dedent("""\
        methods:
          - id: test-night
            name: One test night
            constructs: [central_ne_turnover]
            captures: a nightly index
            species: [human]
            invasiveness: none
            setting: [home]
            cost_band: low
            burden: {level: low}
            reliability: {icc: 0.5, references: ["Test retest 2020"]}
            references: ["Test retest 2020"]
        """), "c.yaml", base=default_catalog())
    assert cat.method("test-night").reliability == 0.5
    h = hyp([{"source": "dx", "target": "x", "evidence": [ev("d", 0.5)]}, {"source": "x", "target": "y"}],
            extra_nodes=[])
    h = h.model_copy(update={"nodes": tuple(n.model_copy(update={"measure": "test-night"}) if n.id == "x" else n
                                            for n in h.nodes)})
    plan = plan_json(h, catalog=cat)
    rows = plan["sizing"]["reliability"]
    assert rows, plan["measures"]
    table = {r["k"]: r for r in rows[0]["table"]}
    assert table[4]["reliability"] == pytest.approx(0.8)  # Spearman–Brown: rho .5, k 4 -> .80
    assert table[1]["detectable_true_effect"] / table[4]["detectable_true_effect"] == pytest.approx(
        math.sqrt(0.8 / 0.5))
    assert rows[0]["suggest_k"] == 4 and "Test retest 2020" in rows[0]["note"]


# --------------------------------------------------------------------------- mediation


def test_mediation_joint_significance_against_the_methods_simulation():
    # methods.md §7: a = b = .26, joint test, 40k simulations: power .787/.805/.837 at n = 155/160/170, n ≈ 160
    for n, simulated in ((155, 0.787), (160, 0.805), (170, 0.837)):
        assert mediation_power(0.26, 0.26, n) == pytest.approx(simulated, abs=0.02)
    assert abs(mediation_sample_size(0.26, 0.26)[1] - 160) <= 8


def test_mediation_power_against_an_independent_simulation():
    """Brute force: simulate X, M = aX + e, Y = bM + e and apply the joint-significance test."""
    import numpy as np
    from scipy import stats

    rng = np.random.default_rng(7)
    a = b = 0.39
    n, reps = 71, 4000
    x = rng.standard_normal((reps, n))
    m = a * x + rng.standard_normal((reps, n))
    y = b * m + rng.standard_normal((reps, n))

    def t_last(design: list[np.ndarray], out: np.ndarray) -> np.ndarray:
        ts = np.empty(reps)
        for i in range(reps):
            X = np.column_stack([np.ones(n)] + [d[i] for d in design])
            beta, res, *_ = np.linalg.lstsq(X, out[i], rcond=None)
            sigma2 = res[0] / (n - X.shape[1])
            ts[i] = beta[-1] / math.sqrt(sigma2 * np.linalg.inv(X.T @ X)[-1, -1])
        return ts

    crit_a, crit_b = stats.t.isf(0.025, n - 2), stats.t.isf(0.025, n - 3)
    joint = (np.abs(t_last([x], m)) > crit_a) & (np.abs(t_last([x, m], y)) > crit_b)
    assert mediation_power(a, b, n) == pytest.approx(joint.mean(), abs=0.03)


def test_plan_sizes_a_single_mediator_and_says_how():
    h = hyp([{"source": "x", "target": "m", "evidence": [ev("r", 0.4)]}, {"source": "m", "target": "y"}],
            extra_nodes=[{"id": "m", "constructs": ["glymphatic_clearance"]}])
    (med,) = plan_json(h)["sizing"]["mediation"]
    assert med["a"] == pytest.approx(0.4) and med["b"] == 0.3
    assert "joint-significance" in med["method"] and "statsmodels" in med["method"]
    assert med["n_total"] == mediation_sample_size(0.4, 0.3, alpha=med["alpha"])[1]


# --------------------------------------------------------------------------- shipped hypotheses


def test_fm_plan_sizes_the_recorded_d_with_its_sensitivity_rows():
    runner = CliRunner()
    out = runner.invoke(app, ["plan", str(HYP / "fm-sympathetic-pain.yaml"), "--format", "json"])
    assert out.exit_code == 0, out.output
    plan = json.loads(out.stdout[out.stdout.index("{"):])
    s = comparison(plan, "healthy controls on NE-evoked pain")
    assert s["effect_size"]["source"] == "evidence" and s["effect_size"]["point"] == pytest.approx(1.19)
    rows = {r["row"]: r for r in s["sensitivity"]}
    lo, _ = d_ci(1.19, 20, 20)
    assert rows["point"]["n_per_group"] == n_two_sample(1.19, s["alpha"])
    assert rows["lower"]["value"] == pytest.approx(lo) and rows["lower"]["n_per_group"] == n_two_sample(lo, s["alpha"])
    assert rows["half"]["n_per_group"] == n_two_sample(0.595, s["alpha"])
    assert s["plan_on"] == "lower"
    assert not any("no edge carries a recorded effect size" in x["note"] for x in plan["sample_size"])
    text = runner.invoke(app, ["plan", str(HYP / "fm-sympathetic-pain.yaml"), "--plan-on", "point"]).stdout
    assert "d = 1.19 on Adrenergic sensitivity" in text and "| point (planned) | d = 1.19 |" in text


def test_mecfs_plan_sizes_thapaliya_at_the_lower_bound_and_warns_on_sun():
    runner = CliRunner()
    out = runner.invoke(app, ["plan", str(HYP / "mecfs-ne-vasomotion.yaml"), "--format", "json"])
    assert out.exit_code == 0, out.output
    plan = json.loads(out.stdout[out.stdout.index("{"):])
    s = comparison(plan, "Glymphatic clearance")
    assert s["effect_size"]["point"] == pytest.approx(0.72) and s["n_per_group"] > 400
    osc = comparison(plan, "healthy controls on Infraslow NE")
    assert "Sun et al. 2026" in (osc["warning"] or "")
    notes = " ".join(e["note"] for e in plan["sizing"]["effect_sizes"])
    assert "percent-change" in notes  # the mouse percent change is named, not silently dropped


def test_plan_on_and_rho_are_usage_checked():
    runner = CliRunner()
    out = runner.invoke(app, ["plan", str(HYP / "fm-sympathetic-pain.yaml"), "--rho", "1"])
    assert out.exit_code == 2 and "rho" in out.output
    out = runner.invoke(app, ["plan", str(HYP / "fm-sympathetic-pain.yaml"), "--plan-on", "upper"])
    assert out.exit_code == 2



def test_randomised_crossover_sizes_the_claim_on_the_outcome():
    """With issue 9's strategy 'randomised' (crossover), the randomised node vs placebo on the outcome is the
    primary paired comparison, and the observational association becomes secondary."""
    from statsmodels.stats.power import TTestPower

    h = hyp([{"source": "drug", "target": "x"}, {"source": "x", "target": "y"}],
            extra_nodes=[{"id": "drug", "kind": "drug"}])
    plan = plan_json(h)
    if plan["design"]["strategy"] != "randomised":
        pytest.skip("the design engine did not choose randomisation for this graph")
    s = comparison(plan, "the randomised test of the claim")
    assert s["primary"] and s["design"] in ("paired", "two-sample")
    if s["design"] == "paired":
        dz = s["effect_size"]["value"]
        assert s["n_total"] == math.ceil(TTestPower().solve_power(effect_size=dz, alpha=s["alpha"], power=0.8))
    assert not comparison(plan, "association")["primary"]


@pytest.mark.parametrize("value", [1e300, 1e-300])
def test_a_recorded_effect_no_study_can_use_is_named_not_a_crash(value):
    h = hyp([{"source": "dx", "target": "x", "evidence": [ev("d", value, n=40)]}, {"source": "x", "target": "y"}])
    plan = plan_json(h)
    assert not any("healthy controls on x" in s["comparison"] and s["effect_size"]["source"] == "evidence"
                   for s in plan["sample_size"])
    (entry,) = plan["sizing"]["effect_sizes"]
    assert entry["used_in"] == [] and "could not be sized" in entry["note"]
    assert any("could not be sized" in m for m in plan["missing"])


def test_a_cohort_d_is_not_taken_for_a_patient_control_difference():
    cohort = {**ev("d", 0.5), "design": "cohort"}
    h = hyp([{"source": "dx", "target": "x"}, {"source": "x", "target": "y", "evidence": [cohort]}])
    plan = plan_json(h)
    assert not any("healthy controls on y" in s["comparison"] for s in plan["sample_size"])
    assert comparison(plan, "association")["effect_size"]["source"] == "evidence"


def test_a_within_person_arm_without_periods_is_sized_as_paired():
    """Issue 9's split-body assignment (within-person randomisation, no periods) is sized as paired, like a
    crossover; parallel groups by a two-sample t."""
    from hypoplan.design.sizing import size_plan
    from hypoplan.design.strategy import Strategy

    g = build_graph(hyp([{"source": "drug", "target": "x"}, {"source": "x", "target": "y"}],
                        extra_nodes=[{"id": "drug", "kind": "drug"}]))
    for arm, design in (("split-body", "paired"), ("crossover", "paired"), ("parallel", "two-sample")):
        sizing = size_plan(g, exposure=["x"], outcome=["y"], condition_nodes=[], focal=[], crossover_edges=[],
                           disease_groups=0, population="participants",
                           strategy=Strategy("randomised", "r", arm=arm, randomised_node="drug"))
        (primary,) = [s for s in sizing.comparisons if s.primary]
        assert primary.design == design and "the randomised test of the claim" in primary.comparison


def test_a_secondary_outcome_the_randomised_node_cannot_reach_is_not_sized():
    from hypoplan.design.sizing import size_plan
    from hypoplan.design.strategy import Strategy

    h = hyp([{"source": "drug", "target": "x"}, {"source": "x", "target": "y"}, {"source": "w", "target": "y2"},
             {"source": "x", "target": "w2"}],
            extra_nodes=[{"id": "drug", "kind": "drug"}, {"id": "w"}, {"id": "w2"}, {"id": "y2", "kind": "outcome"}])
    g = build_graph(h)
    sizing = size_plan(g, exposure=["x"], outcome=["y", "y2"], condition_nodes=[], focal=[], crossover_edges=[],
                       disease_groups=0, population="participants",
                       strategy=Strategy("randomised", "r", arm="crossover", randomised_node="drug"))
    assert not any("placebo" in s.comparison and "y2" in s.comparison for s in sizing.comparisons)
    (skipped,) = [u for u in sizing.unsized if "y2" in u["comparison"]]
    assert "no directed path leads from drug to y2" in skipped["reason"]
    assert [s.comparison for s in sizing.comparisons if s.primary] == [
        "drug vs placebo crossover on y (the randomised test of the claim)"]
