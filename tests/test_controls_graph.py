"""Control groups obey the graph (issue 9): no overmatching, sex and age always, a within-person design for
a circular outcome, at most two ranked disease controls, positive controls only with a known direction,
negative controls not measured by the exposure's or outcome's own method."""

from __future__ import annotations

from hypoplan.design.catalog import load_catalog_text
from hypoplan.plan import build_plan
from hypoplan.render.escape import markdown_text
from hypoplan.render.plan_markdown import render_plan_markdown
from hypoplan.schema import Hypothesis

CAT = load_catalog_text("""
constructs:
  - {id: cond, label: Condition Q, category: condition}
  - {id: anx, label: Anxiety level, category: psychological}
  - {id: out, label: Outcome score}
  - {id: fatigue, label: Daily fatigue, criterion_of: [cond], occasion: day}
  - {id: expo, label: Exposure level}
  - {id: nc, label: Control marker}
methods:
  - {id: quest, name: Questionnaire, constructs: [anx, out, fatigue], captures: ratings, species: [human],
     invasiveness: none, setting: [home], cost_band: low, burden: {level: low}, references: ["Q 2001"]}
  - {id: sensor, name: Wearable sensor, constructs: [expo, nc], captures: signal, species: [human],
     invasiveness: none, setting: [home], cost_band: low, burden: {level: low}, references: ["S 2010"]}
  - {id: blood, name: Blood test, constructs: [nc], captures: marker, species: [human], invasiveness: minimal,
     setting: [clinic], cost_band: low, burden: {level: low}, references: ["B 2012"]}
""", "field.yaml", base=None)


def _plan(nodes: list[dict], edges: list[dict], x: str, y: str, population: str = "Adults with Condition Q"):
    h = Hypothesis.model_validate({
        "id": "h", "title": "Synthetic", "nodes": nodes, "edges": edges, "focus": {"exposure": x, "outcome": y},
        "peco": {"population": population, "exposure": "more exposure", "comparator": "less", "outcome": "score"}})
    plan = build_plan(h, catalog=CAT).to_json()
    return plan, render_plan_markdown(plan)


def _e(a: str, b: str, sign: str = "unknown") -> dict:
    return {"source": a, "target": b, "sign": sign}


def test_no_matching_on_a_consequence_of_the_condition_and_sex_and_age_always():
    nodes = [{"id": "q", "kind": "condition", "constructs": ["cond"]},
             {"id": "anxiety", "label": "Anxiety", "kind": "confounder", "constructs": ["anx"]},
             {"id": "x", "constructs": ["expo"]}, {"id": "y", "constructs": ["out"]}]
    plan, md = _plan(nodes, [_e("q", "x"), _e("q", "anxiety"), _e("anxiety", "y"), _e("x", "y")], "x", "y")
    healthy = next(c for c in plan["controls"] if c["kind"] == "healthy")
    assert "Anxiety" not in healthy["matched_on"]
    assert {"Sex", "Age"} <= set(healthy["matched_on"])
    assert "Not matched on: Anxiety" in healthy["rationale"] and "overmatching" in healthy["rationale"]
    left = {c["candidate"]: c for c in plan["controls_left_out"] if c["kind"] == "matching"}
    assert left["Anxiety"]["kind"] == "matching" and "q → Anxiety" in left["Anxiety"]["why"]
    assert any("Mansournia 2018" in r for r in healthy["references"])
    assert any("NOT-OD-15-102" in r for r in healthy["references"])
    assert markdown_text(left["Anxiety"]["why"]) in md and "NOT-OD-15-102" in plan["design"]["summary"]


def test_sex_and_age_even_without_any_confounder_node():
    nodes = [{"id": "q", "kind": "condition", "constructs": ["cond"]}, {"id": "x", "constructs": ["expo"]},
             {"id": "y", "constructs": ["out"]}]
    plan, _ = _plan(nodes, [_e("q", "x"), _e("x", "y")], "x", "y")
    healthy = next(c for c in plan["controls"] if c["kind"] == "healthy")
    assert healthy["matched_on"] == ["Sex", "Age"]


def test_outcome_that_defines_the_condition_gets_a_within_person_design():
    nodes = [{"id": "q", "kind": "condition", "constructs": ["cond"]}, {"id": "x", "constructs": ["expo"]},
             {"id": "f", "label": "Fatigue", "kind": "outcome", "constructs": ["fatigue"]}]
    plan, md = _plan(nodes, [_e("q", "x"), _e("x", "f")], "x", "f")
    assert plan["design"]["type"] == "within-person repeated measures"
    wp = next(c for c in plan["controls"] if c["kind"] == "within-person")
    assert "defining criterion of Condition Q" in wp["rationale"] and "circular" in wp["rationale"]
    assert "several days per person" in wp["rationale"]
    assert "night" not in wp["rationale"]  # the occasion comes from the catalog, not from one field
    assert markdown_text(wp["rationale"]) in md


def test_criterion_of_from_the_hypothesis_file():
    nodes = [{"id": "q", "kind": "condition", "constructs": ["cond"]}, {"id": "x", "constructs": ["expo"]},
             {"id": "y", "constructs": ["out"], "criterion_of": ["cond"]}]
    plan, _ = _plan(nodes, [_e("q", "x"), _e("x", "y")], "x", "y")
    wp = next(c for c in plan["controls"] if c["kind"] == "within-person")
    assert "several occasions per person" in wp["rationale"]


def test_positive_control_only_with_a_known_direction():
    nodes = [{"id": "x", "constructs": ["expo"]}, {"id": "m", "constructs": ["anx"]},
             {"id": "y", "constructs": ["out"]}, {"id": "known", "kind": "drug"}, {"id": "unknown", "kind": "drug"}]
    edges = [_e("x", "m", "+"), _e("m", "y", "+"), _e("known", "m", "-"), _e("unknown", "m")]
    plan, _ = _plan(nodes, edges, "x", "y", population="Adults")
    names = {c["name"] for c in plan["controls"] if c["kind"] == "within-subject"}
    assert "known vs placebo crossover (positive control)" in names
    assert "unknown vs placebo crossover (exploratory)" in names
    assert any(c["kind"] == "positive-control" and c["candidate"] == "unknown" for c in plan["controls_left_out"])


def test_negative_control_sharing_the_exposures_method_is_left_out():
    # c causes x and y; n shares c with y, is not caused by x: a negative-control outcome (Lipsitch 2010)
    nodes = [{"id": "c", "constructs": ["anx"]}, {"id": "x", "constructs": ["expo"]},
             {"id": "y", "constructs": ["out"]}, {"id": "n", "constructs": ["nc"], "measure": "sensor"},
             {"id": "n2", "constructs": ["nc"], "measure": "blood"}]
    edges = [_e("c", "x"), _e("c", "y"), _e("x", "y"), _e("c", "n"), _e("c", "n2")]
    plan, _ = _plan(nodes, edges, "x", "y", population="Adults")
    ncs = [c["name"] for c in plan["controls"] if c["kind"].startswith("negative-control")]
    assert any(n.startswith("n2 ") for n in ncs) and not any(n.startswith("n ") for n in ncs)
    left = next(c for c in plan["controls_left_out"] if c["candidate"] == "n")
    assert left["kind"] == "negative-control" and "Wearable sensor" in left["why"]


def test_within_person_design_needs_a_per_occasion_measure_of_the_exposure():
    # x has no construct, so no method: the design must not propose linking each day's fatigue to it
    nodes = [{"id": "q", "kind": "condition", "constructs": ["cond"]}, {"id": "x", "label": "Hidden X"},
             {"id": "a", "label": "Anxiety", "constructs": ["anx"]},
             {"id": "f", "label": "Fatigue", "kind": "outcome", "constructs": ["fatigue"]}]
    plan, md = _plan(nodes, [_e("q", "x"), _e("a", "x"), _e("x", "f")], "x", "f")
    wp = next(c for c in plan["controls"] if c["kind"] == "within-person")
    assert "needs a measure of Hidden X on each occasion" in wp["rationale"]
    assert "estimate how within-person changes" not in wp["rationale"]
    assert "Anxiety (Questionnaire) could be read on each occasion instead" in wp["rationale"]  # the stand-in
    assert "needs a per-occasion measure of Hidden X" in plan["design"]["summary"]
    assert markdown_text(wp["rationale"]) in md
