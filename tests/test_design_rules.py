"""Each design rule on small synthetic hypotheses (no shipped hypothesis involved)."""

from __future__ import annotations

import math
from typing import Any

import pytest

from hypoplan.analysis.result import Adjustment, AnalysisResult, Identification, NegativeControl, NegativeControls
from hypoplan.design import controls as ctl
from hypoplan.design import exclusions as exc
from hypoplan.design import feasibility as fea
from hypoplan.design.catalog import default_catalog, load_catalog_text
from hypoplan.design.measures import UNMEASURABLE_IN_HUMANS, measure_node, measure_nodes, node_cost
from hypoplan.design.rivals import discriminating_predictions, total_sign
from hypoplan.design.sizing import primary_comparisons, size_comparison
from hypoplan.graph import build_graph
from hypoplan.schema import Hypothesis

CAT = default_catalog()


def hyp(nodes: list[dict[str, Any]], edges: list[dict[str, Any]], *, exposure: str, outcome: str,
        peco: dict[str, Any] | None = None, hid: str = "h") -> Hypothesis:
    data: dict[str, Any] = {"id": hid, "title": "t", "nodes": nodes, "edges": edges,
                            "focus": {"exposure": [exposure], "outcome": [outcome]}}
    if peco is not None:
        data["peco"] = peco
    return Hypothesis.model_validate(data)


def n(i: str, *constructs: str, kind: str = "mechanism", **kw: Any) -> dict[str, Any]:
    return {"id": i, "kind": kind, "constructs": list(constructs), **kw}


# --------------------------------------------------------------------------- measures

def test_proxy_only_focal_node_is_flagged_with_closest_proxies():
    g = build_graph(hyp([n("osc", "ne_infraslow_oscillation"), n("y", "unrefreshing_sleep", kind="outcome")],
                        [{"source": "osc", "target": "y"}], exposure="osc", outcome="y"))
    m = measure_node(g, "osc", CAT, role="exposure", focal=True)
    assert not m.human_measurable and m.proxy
    assert m.method is not None and m.method.id == "eeg-sigma-iso"  # resolves 0.02 Hz, highest validity, non-invasive
    assert m.note is not None and UNMEASURABLE_IN_HUMANS in m.note and "closest proxies:" in m.note
    assert any("no causal validation in humans" in c for c in m.method.caveats)
    # not on the focal path: no flag, only the proxy caveat
    assert UNMEASURABLE_IN_HUMANS not in (measure_node(g, "osc", CAT).note or "")


def test_direct_noninvasive_beats_proxy_and_invasive():
    g = build_graph(hyp([n("clear", "glymphatic_clearance"), n("ct", "central_ne_turnover")],
                        [{"source": "ct", "target": "clear"}], exposure="ct", outcome="clear"))
    clear = measure_node(g, "clear", CAT, role="outcome", focal=True)
    assert clear.human_measurable  # intrathecal gadobutrol measures it directly, though invasively
    assert clear.method.id == "dti-alps" and clear.proxy and "highly invasive" in clear.note
    assert "intrathecal-gadobutrol-mri" in [a.id for a in clear.alternatives]


def test_explicit_measure_wins_and_species_filters():
    g = build_graph(hyp([n("osc", "ne_infraslow_oscillation", measure="hr-ppg-iso"), n("y", "unrefreshing_sleep")],
                        [{"source": "osc", "target": "y"}], exposure="osc", outcome="y"))
    assert measure_node(g, "osc", CAT).method.id == "hr-ppg-iso"
    g2 = build_graph(hyp([n("osc", "ne_infraslow_oscillation"), n("y", "glymphatic_clearance")],
                         [{"source": "osc", "target": "y"}], exposure="osc", outcome="y"))
    assert measure_node(g2, "osc", CAT, species="mouse").method.id == "grab-ne-photometry"
    assert measure_node(g2, "y", CAT, species="mouse").method.id == "cisterna-magna-tracer"


def test_costs_infinite_when_unmeasurable_or_latent():
    g = build_graph(hyp([n("a", "age"), n("u", "lc_activity", observed=False), n("z", "no_such_construct"),
                         n("c", "central_ne_turnover", cost=3)],
                        [{"source": "a", "target": "c"}, {"source": "u", "target": "c"}, {"source": "z", "target": "c"}],
                        exposure="a", outcome="c"))
    assert node_cost(g, "a", CAT) == 1.0
    assert math.isinf(node_cost(g, "u", CAT)) and math.isinf(node_cost(g, "z", CAT))
    assert node_cost(g, "c", CAT) == 3.0
    m = measure_node(g, "z", CAT)
    assert m.method is None and "no_such_construct" in m.note


# --------------------------------------------------------------------------- controls

def _mecfs_like() -> Any:
    return build_graph(hyp(
        [n("dx", "mecfs_diagnosis", kind="condition"), n("x", "ne_infraslow_oscillation"),
         n("y", "unrefreshing_sleep", kind="outcome"), n("age", "age", kind="confounder"),
         n("osa", "sleep_apnea", kind="condition"), n("zol", "hypnotic_use", kind="drug", label="Zolpidem"),
         n("m", "glymphatic_clearance")],
        [{"source": "dx", "target": "x", "sign": "-"}, {"source": "x", "target": "m", "sign": "+"},
         {"source": "m", "target": "y", "sign": "-"}, {"source": "age", "target": "x"},
         {"source": "age", "target": "y"}, {"source": "osa", "target": "y", "sign": "+"},
         {"source": "zol", "target": "x", "sign": "-",
          "evidence": [{"reference": "Mouse study 2025", "species": "mouse", "design": "pharmacological",
                        "finding": "suppressed"}]}],
        exposure="x", outcome="y"))


def test_population_and_healthy_controls_matched_on_graph_confounders():
    g = _mecfs_like()
    conditions = ctl.population_conditions(g, CAT, None, ["x"])
    assert conditions == ("mecfs_diagnosis",)
    conf = ctl.confounders_to_match(g, CAT, ["x"], ["y"], conditions)
    assert conf == ["age"]
    [healthy] = ctl.healthy_controls(g, CAT, conditions, conf)
    assert healthy.kind == "healthy" and healthy.matched_on == ("age", "Sex")  # sex always considered (SABV)
    assert any("Saar" in r for r in healthy.references)
    assert ctl.healthy_controls(g, CAT, (), conf) == []


def test_disease_controls_from_graph_path_and_catalog():
    g = _mecfs_like()
    left: list = []
    groups = ctl.disease_controls(g, CAT, ("mecfs_diagnosis",), ["x"], ["y"], ["m"], left)
    names = [c.name for c in groups]
    # at most two, ranked by shared alternative paths/constructs: FM and insomnia share unrefreshing sleep and
    # glymphatic clearance (2 each); the graph's own osa path and MS share less
    assert names == ["Fibromyalgia", "Primary (chronic) insomnia"]
    assert {x.candidate for x in left} >= {"People with osa", "Multiple sclerosis"}
    assert all(x.kind == "disease" and "ranked below" in x.why for x in left)
    assert "Obstructive sleep apnea" not in names + [x.candidate for x in left]  # in the graph: not twice
    fm = groups[0]
    assert "phenotype both" in fm.rationale and fm.references and "established" in fm.rationale
    insomnia = groups[1]
    assert "established" not in insomnia.rationale  # one verified reference does not make it established
    assert "ME/CFS" not in names  # never a control for itself


def test_within_subject_crossover_from_a_drug_on_the_focal_path():
    g = _mecfs_like()
    [cross] = ctl.within_subject_controls(g, ["x"], ["y"])
    assert cross.kind == "within-subject" and "Zolpidem vs placebo" in cross.name
    assert "lowers it" in cross.rationale and "raises it" in cross.rationale  # − then (+, −) → +
    assert cross.references == ("Mouse study 2025 (mouse)",)
    # a drug acting off the focal path gives no crossover
    g.remove_edge("zol", "x")
    g.add_edge("zol", "age", sign="negative", evidence=())
    assert ctl.within_subject_controls(g, ["x"], ["y"]) == []


def test_negative_controls_come_from_the_analysis():
    g = _mecfs_like()
    nc = NegativeControls(exposures=(NegativeControl("age", "age shares U", ("dx",)),),
                          outcomes=(NegativeControl("osa", "osa is not caused by x"),))
    groups = ctl.negative_control_groups(g, nc)
    assert [c.kind for c in groups] == ["negative-control-exposure", "negative-control-outcome"]
    assert all("Lipsitch 2010" in c.references[0] for c in groups)


# --------------------------------------------------------------------------- exclusions

def test_drug_acting_on_measured_node_is_excluded_with_reason_and_reference():
    g = build_graph(hyp([n("ct", "central_ne_turnover"), n("y", "unrefreshing_sleep")],
                        [{"source": "ct", "target": "y"}], exposure="ct", outcome="y"))
    measures = measure_nodes(g, CAT, {"ct": "exposure", "y": "outcome"})
    rules = exc.drug_exclusions(g, CAT, measures)
    net = next(r for r in rules if r.drug == "net-inhibitors")
    assert net.kind == "exclusion" and "51%" in net.reason and "CSF NE" in net.reason
    assert any("Kielbasa 2015" in r for r in net.references)
    beta = next(r for r in rules if r.drug == "beta-blockers")
    assert beta.kind == "washout" and exc.DEFAULT_WASHOUT in beta.criterion
    # nothing measured → nothing excluded
    assert exc.drug_exclusions(g, CAT, measure_nodes(g, CAT, {})) == []


def test_graph_drug_and_crossover_drug_are_washed_out():
    g = _mecfs_like()
    measures = measure_nodes(g, CAT, {"x": "exposure", "y": "outcome", "m": "mediator"})
    rules = exc.drug_exclusions(g, CAT, measures, manipulated={"zolpidem"})
    zol = next(r for r in rules if r.drug == "zolpidem")
    assert zol.kind == "washout" and "study drug of the crossover" in zol.reason
    other = load_catalog_text("constructs: []\n", "empty.yaml")  # a catalog that knows no drugs
    [from_graph] = exc.graph_drug_exclusions(g, other, measures)
    assert "Zolpidem" in from_graph.criterion and from_graph.references == ("Mouse study 2025 (mouse)",)


# --------------------------------------------------------------------------- feasibility

def test_population_rules_apply_only_to_their_population():
    g = build_graph(hyp([n("dx", "mecfs_diagnosis", kind="condition"), n("p", "post_exertional_malaise"),
                         n("c", "cognitive_function", kind="outcome")],
                        [{"source": "dx", "target": "p"}, {"source": "p", "target": "c"}], exposure="p", outcome="c"))
    measures = measure_nodes(g, CAT, {"p": "exposure", "c": "outcome"})
    notes = fea.population_notes(CAT, ("mecfs_diagnosis",), measures)
    topics = {x.topic for x in notes}
    assert {"post-exertional malaise", "severe and housebound patients"} <= topics
    severe = next(x for x in notes if x.topic == "severe and housebound patients")
    assert "25%" in severe.note and any("Baxter 2022" in r for r in severe.references)
    assert any("can provoke Post-exertional malaise" in x.note for x in notes)  # cognitive testing triggers PEM
    assert fea.population_notes(CAT, ("fm_diagnosis",), measures) != notes
    assert not any(x.topic == "post-exertional malaise" for x in fea.population_notes(CAT, (), measures))


def test_one_note_per_rule_naming_every_measure():
    """Three methods away from home give one PEM note, not three, and one visit schedule naming them all."""
    g = build_graph(hyp([n("dx", "mecfs_diagnosis", kind="condition"),
                         n("x", "central_ne_turnover", measure="csf-catecholamines"),
                         n("m", "orthostatic_intolerance"), n("y", "unrefreshing_sleep", measure="psg-lab")],
                        [{"source": "dx", "target": "x"}, {"source": "x", "target": "m"},
                         {"source": "m", "target": "y"}], exposure="x", outcome="y"))
    measures = measure_nodes(g, CAT, {"x": "exposure", "m": "mediator", "y": "outcome"})
    away = {m.method.name for m in measures if m.measured and m.method and "home" not in m.method.setting}
    assert len(away) >= 2
    notes = fea.population_notes(CAT, ("mecfs_diagnosis",), measures) + fea.visit_schedule(
        CAT, ("mecfs_diagnosis",), measures) + fea.invasiveness_notes(measures) + fea.validity_notes(measures)
    rules = [x.rule for x in notes]
    assert len(rules) == len(set(rules)) and all(rules)
    [pem] = [x for x in notes if x.rule == "population:mecfs-pem"]
    assert f"{len(away)} chosen measure(s) cannot be taken at home" in pem.note
    [schedule] = [x for x in notes if x.rule == "visit-schedule"]
    assert all(name in schedule.note for name in away) and schedule.data is not None
    assert {v["setting"] for v in schedule.data["visits"]} == {
        next(s for s in m.method.setting) for m in measures if m.method and m.method.name in away}
    assert "Invasive procedures: 1" in schedule.note and "lumbar puncture" in schedule.note
    assert schedule.data["recovery_rules"] == ["post-exertional malaise"]
    # no population rule: no recovery window, and the note says nothing of PEM
    [plain] = fea.visit_schedule(CAT, (), measures)
    assert "Recovery" not in plain.note and "malaise" not in plain.note


def test_cpet_provokes_pem_by_design():
    g = build_graph(hyp([n("dx", "mecfs_diagnosis", kind="condition"), n("p", "post_exertional_malaise",
                         measure="cpet-2day"), n("y", "unrefreshing_sleep")],
                        [{"source": "dx", "target": "p"}, {"source": "p", "target": "y"}], exposure="p", outcome="y"))
    notes = fea.population_notes(CAT, ("mecfs_diagnosis",), measure_nodes(g, CAT, {"p": "exposure", "y": "outcome"}))
    assert any("2-day CPET" in x.note and "Provokes PEM by design" in x.note for x in notes)


def test_species_gap_and_contradiction():
    g = _mecfs_like()
    gaps = fea.species_gap_notes(g, [("zol", "x"), ("x", "m")])
    assert gaps[0].topic == "species gap" and "Establish it in humans first" in gaps[0].note
    assert gaps[1].topic == "evidence gap" and "No evidence recorded in this file" in gaps[1].note
    assert fea.species_gap_notes(g, [("zol", "x")], species="mouse") == []
    g.edges["x", "m"]["evidence"] = (Hypothesis.model_validate({"id": "q", "title": "q", "edges": [{
        "source": "a", "target": "b", "evidence": [{"reference": "Null 2020", "design": "rct",
                                                    "direction": "contradicts", "finding": "no effect"}]}]}
    ).edges[0].evidence[0],)
    [contra] = fea.contradiction_notes(g)
    assert contra.severity == "warning" and "no effect" in contra.note and contra.references == ("Null 2020",)


def test_validity_caveat_for_plasma_ne():
    g = build_graph(hyp([n("s", "sympathetic_activity", measure="plasma-catecholamines"), n("y", "unrefreshing_sleep")],
                        [{"source": "s", "target": "y"}], exposure="s", outcome="y"))
    measures = measure_nodes(g, CAT, {"s": "exposure"})
    [method] = [m.method for m in measures if m.node == "s"]
    assert method is not None and any("local muscle sympathetic activity" in c for c in (method.captures,
                                                                                          *method.caveats))
    notes = fea.validity_notes(measures)
    # the caveat lives in the methods section; feasibility names the proxy without repeating it
    assert not any("local muscle sympathetic activity" in x.note for x in notes)
    assert not [x for x in notes if x.rule == "validity:proxy"]  # a direct measure of sympathetic activity
    g = build_graph(hyp([n("s", "central_ne_turnover", measure="plasma-catecholamines"), n("y", "unrefreshing_sleep")],
                        [{"source": "s", "target": "y"}], exposure="s", outcome="y"))
    measures = measure_nodes(g, CAT, {"s": "exposure"})
    assert [m.proxy for m in measures if m.node == "s"] == [True]
    [proxy] = [x for x in fea.validity_notes(measures) if x.rule == "validity:proxy"]
    assert "Plasma NE and DHPG for" in proxy.note and any("Eldrup" in r for r in proxy.references)
    assert "local muscle sympathetic activity" not in proxy.note


# --------------------------------------------------------------------------- sample size

def test_sample_size_from_evidence_and_stated_assumption():
    g = build_graph(hyp([n("dx", "mecfs_diagnosis", kind="condition"), n("x", "central_ne_turnover"),
                         n("y", "unrefreshing_sleep")],
                        [{"source": "dx", "target": "x", "evidence": [
                            {"reference": "Study A", "species": "human", "design": "case-control", "finding": "lower",
                             "effect_size": {"measure": "d", "value": -0.98}},
                            {"reference": "Study B", "species": "human", "design": "case-control", "finding": "lower",
                             "effect_size": {"measure": "d", "value": 0.5}}]},
                         {"source": "x", "target": "y"}], exposure="x", outcome="y"))
    s = size_comparison(g, "dx vs hc", "two-sample", [("dx", "x")])
    assert s.source == "evidence" and s.value == 0.5 and s.n_per_group == 64  # the smaller, conservative effect
    assert "Study B" in s.citation
    a = size_comparison(g, "x ~ y", "correlation", [("x", "y")])
    assert a.source == "assumption" and a.value == 0.3 and a.n_total == 84
    assert a.note.startswith("assumed r = 0.3 (Cohen's medium effect; no effect size recorded on")
    sizes = primary_comparisons(g, exposure=["x"], outcome=["y"], condition_nodes=["dx"], focal=[],
                                crossover_edges=[], disease_groups=1, population="patients")
    # the exposure–outcome test is the one primary comparison; the group differences are secondary
    assert [(s.design, s.primary) for s in sizes] == [("correlation", True), ("two-sample", False),
                                                      ("anova", False)]
    # the recorded d = 0.5 sizes the three-group ANOVA too (f = d·√2/3 when one group differs), at the
    # family alpha (secondary, unadjusted); checked against statsmodels directly
    from statsmodels.stats.power import FTestAnovaPower

    f = 0.5 * math.sqrt(2) / 3
    raw = FTestAnovaPower().solve_power(effect_size=f, alpha=0.05, power=0.8, k_groups=3)
    assert sizes[2].source == "evidence" and sizes[2].value == pytest.approx(f)
    assert sizes[2].n_per_group == math.ceil(raw / 3) and sizes[2].n_total == 3 * math.ceil(raw / 3)


# --------------------------------------------------------------------------- rivals

def test_rival_predictions_opposite_sign_and_independence():
    this = build_graph(hyp([n("a", "age"), n("b", "sympathetic_activity"), n("c", "unrefreshing_sleep")],
                           [{"source": "a", "target": "b", "sign": "+"}, {"source": "b", "target": "c", "sign": "+"}],
                           exposure="a", outcome="c"))
    rival = build_graph(hyp([n("a", "age"), n("b", "sympathetic_activity"), n("c", "unrefreshing_sleep")],
                            [{"source": "a", "target": "b", "sign": "-"}], exposure="a", outcome="b", hid="r"))
    assert total_sign(this, "a", "c") == ("positive", ["a", "b", "c"])
    preds = discriminating_predictions(this, rival, "r", CAT)
    assert preds[0].this_predicts == "a raises b" and preds[0].rival_predicts == "a lowers b"
    # c is in both graphs but the rival draws no path into it: an effect against none (issue 10), decisive,
    # rather than a mere dependence against an independence
    none = [p for p in preds if p.kind == "effect vs none"]
    assert none and all("does not affect" in p.rival_predicts and p.decisive for p in none)
    assert {frozenset(p.measurement.split(" and ")) for p in none} == {frozenset({"a", "c"}), frozenset({"b", "c"})}


def test_no_rival_difference_means_no_prediction():
    g = _mecfs_like()
    assert discriminating_predictions(g, g.copy(), "same", CAT) == []


# --------------------------------------------------------------------------- adjustment choice (hand-built results)

def _result(adj: Adjustment, reason: str | None = None) -> AnalysisResult:
    return AnalysisResult(("x",), ("y",), (), adj, Identification(adj.exists, "adjustment" if adj.exists else None,
                                                                  None, reason))


def test_plan_prefers_the_minimum_cost_adjustment_set():
    from hypoplan.analysis.result import MinCostSet
    from hypoplan.plan import _adjustment

    g = _mecfs_like()
    costs = {"age": 1.0, "dx": math.inf}
    cheap = Adjustment((frozenset({"age"}), frozenset({"dx"})), None, frozenset({"dx"}),
                       MinCostSet(frozenset({"age"}), 1.0))
    nodes, cost, note, _ = _adjustment(_result(cheap), g, costs)
    assert (nodes, cost) == (("age",), 1.0) and "minimum-cost" in note and "--costs catalog" in note
    # every valid set needs an unmeasurable node: no set is proposed (issue 9: one answer, never a set
    # that "needs a new measure"), and the note names the node that lacks a method
    unmeasurable = Adjustment((frozenset({"dx"}),), None, frozenset({"dx"}), None)
    nodes, cost, note, _ = _adjustment(_result(unmeasurable), g, costs)
    assert nodes == () and cost is None and "no adjustment set can be measured" in note and "dx" in note
    none = Adjustment((), None, None, None)
    nodes, cost, note, _ = _adjustment(_result(none, "a hedge"), g, costs)
    assert nodes == () and "no valid adjustment set" in note and "a hedge" in note


def test_population_preferred_setting_breaks_ties():
    cat = load_catalog_text("""
constructs:
  - {id: k, label: K}
methods:
  - {id: lab, name: Lab test, constructs: [k], captures: k, species: [human], invasiveness: none, setting: [clinic],
     cost_band: low, burden: {level: low}, references: ["A 2020"]}
  - {id: home, name: Home test, constructs: [k], captures: k, species: [human], invasiveness: minimal,
     setting: [home], cost_band: low, burden: {level: low}, references: ["B 2021"]}
""", "c.yaml")
    g = build_graph(hyp([n("x", "k"), n("y", "k")], [{"source": "x", "target": "y"}], exposure="x", outcome="y"))
    assert measure_node(g, "x", cat).method.id == "lab"  # less invasive wins by default
    assert measure_node(g, "x", cat, prefer_settings=["home"]).method.id == "home"


def _random_dag(seed: int, n_nodes: int = 8):
    import random

    import networkx as nx

    r = random.Random(seed)
    g = nx.DiGraph()
    for i in range(n_nodes):
        g.add_node(f"v{i}", kind=r.choice(["mechanism", "mechanism", "confounder"]), observed=True)
    for i in range(n_nodes):
        for j in range(i + 1, n_nodes):
            if r.random() < 0.35:
                g.add_edge(f"v{i}", f"v{j}", sign=r.choice(["positive", "negative", "mixed", "unknown"]))
    return g


@pytest.mark.parametrize("seed", range(25))
def test_total_sign_matches_path_enumeration(seed):
    """The dynamic programme agrees with enumerating every directed path (brute force)."""
    import networkx as nx

    from hypoplan.design.evidence import path_sign

    g = _random_dag(seed)
    for a in g:
        for b in g:
            if a == b:
                continue
            paths = list(nx.all_simple_paths(g, a, b))
            claimed = [p for p in paths if not any(g.nodes[v]["kind"] == "confounder" for v in p[1:-1])] or paths
            signs = set()
            for p in claimed:
                s = path_sign(g, p)
                signs |= {"positive", "negative"} if s == "mixed" else {s}
            expected = None if not paths else ("unknown" if "unknown" in signs
                                               else "mixed" if len(signs) > 1 else signs.pop())
            assert total_sign(g, a, b)[0] == expected, (a, b)


@pytest.mark.parametrize("seed", range(25))
def test_trek_rule_matches_d_separation(seed):
    import networkx as nx

    from hypoplan.design.rivals import _Signs

    g = _random_dag(seed, 9)
    signs = _Signs(g)
    for a in g:
        for b in g:
            if a < b:
                assert signs.marginally_independent(a, b) == nx.is_d_separator(g, {a}, {b}, set())


def test_drug_without_method_costs_a_record_not_infinity():
    g = build_graph(hyp([n("d", kind="drug"), n("y", "unrefreshing_sleep")], [{"source": "d", "target": "y"}],
                        exposure="d", outcome="y"))
    assert node_cost(g, "d", CAT, species="mouse") == 1.0
    assert math.isinf(node_cost(g, "y", CAT, species="mouse"))  # no mouse method for a self-report
