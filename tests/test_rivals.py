"""Rival discrimination by construct (issue 10): synthetic rival pairs, each discriminating or not as it should
be, and the same list whichever hypothesis is planned; the shipped ME/CFS pair with its evidence."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from hypoplan.api import load
from hypoplan.cli import app
from hypoplan.design.catalog import default_catalog
from hypoplan.design.rivals import compare_hypotheses, construct_groups
from hypoplan.graph import build_graph
from hypoplan.schema import Hypothesis

CAT = default_catalog()
HYP = Path(__file__).resolve().parents[1] / "hypotheses"


def hyp(hid: str, nodes: list[dict[str, Any]], edges: list[dict[str, Any]], **extra: Any) -> Hypothesis:
    return Hypothesis.model_validate({"id": hid, "title": hid, "nodes": nodes, "edges": edges,
                                      "focus": {"exposure": [nodes[0]["id"]], "outcome": [nodes[-1]["id"]]},
                                      **extra})


def node(i: str, *constructs: str, **kw: Any) -> dict[str, Any]:
    return {"id": i, "constructs": list(constructs), **kw}


def edge(s: str, t: str, sign: str = "+", **kw: Any) -> dict[str, Any]:
    return {"source": s, "target": t, "sign": sign, **kw}


def both_ways(a: Hypothesis, b: Hypothesis) -> tuple[list, list]:
    pa, pb = compare_hypotheses(a, b, CAT, limit=1000), compare_hypotheses(b, a, CAT, limit=1000)
    key_a = [(p.key, p.kind, p.decisive, p.direction_this, p.direction_rival) for p in pa]
    key_b = [(p.key, p.kind, p.decisive, p.direction_rival, p.direction_this) for p in pb]
    assert key_a == key_b, "the list must be the same whichever hypothesis is planned"
    return pa, pb


def test_opposite_signs_are_decisive_both_ways():
    a = hyp("a", [node("x", "age"), node("y", "sympathetic_activity")], [edge("x", "y", "+")])
    b = hyp("b", [node("x", "age"), node("y", "sympathetic_activity")], [edge("x", "y", "-")])
    pa, pb = both_ways(a, b)
    assert [(p.kind, p.decisive, p.direction_this, p.direction_rival) for p in pa] == [
        ("opposite sign", True, "+", "-")]
    assert pb[0].direction_this == "-" and pb[0].rival == "a" and pa[0].rival == "b"
    assert pa[0].this_predicts == "x raises y" and pa[0].rival_predicts == "x lowers y"


def test_a_node_absent_from_one_graph_is_no_prediction():
    a = hyp("a", [node("x", "age"), node("y", "sympathetic_activity")], [edge("x", "y")])
    b = hyp("b", [node("x", "age"), node("w", "brain_waste_accumulation"), node("y", "sympathetic_activity")],
            [edge("x", "w"), edge("w", "y")])
    pa, _ = both_ways(a, b)
    assert pa == []  # same total effect of x on y; the extra node w is not "predicts no effect"
    a_json = [p.to_json() for p in compare_hypotheses(a, b, CAT)]
    assert not any("plays no part" in json.dumps(p) for p in a_json)


def test_shared_construct_under_different_ids_is_matched():
    a = hyp("a", [node("ne", "lc_activity"), node("sleep", "nrem_sleep_architecture")], [edge("ne", "sleep", "-")])
    b = hyp("b", [node("lc_release", "lc_activity"), node("fragility", "sleep_instability",
                                                          "nrem_sleep_architecture")],
            [edge("lc_release", "fragility", "+")])
    groups = construct_groups(build_graph(a), build_graph(b))
    assert (frozenset({"ne"}), frozenset({"lc_release"})) in groups
    pa, _ = both_ways(a, b)
    assert [(p.kind, p.direction_this, p.direction_rival) for p in pa] == [("opposite sign", "-", "+")]
    # the case: no "the rival predicts NE and NREM sleep are independent"
    assert not any(p.kind == "independence" for p in pa)


def test_same_id_alone_does_not_match_but_same_as_does():
    a = hyp("a", [node("x", "age"), node("m"), node("y", "sympathetic_activity")],
            [edge("x", "m"), edge("m", "y")])
    b = hyp("b", [node("x", "age"), node("m", label="something else"), node("y", "sympathetic_activity")],
            [edge("x", "y"), edge("y", "m")])
    groups = construct_groups(build_graph(a), build_graph(b))
    assert (frozenset({"m"}), frozenset()) in groups and (frozenset(), frozenset({"m"})) in groups
    assert not any("m" in p.key[0].split("|") or "m" in p.key[1].split("|") for p in both_ways(a, b)[0])
    b2 = hyp("b", [node("x", "age"), node("k", same_as=["m"]), node("y", "sympathetic_activity")],
             [edge("x", "y"), edge("y", "k")])
    pa, _ = both_ways(a, b2)
    kinds = {(p.measurement, p.kind) for p in pa}
    assert ("m and y", "opposite direction") in kinds  # a: m drives y; b: y drives k (= m)


def test_dependence_against_independence_is_discriminating_but_not_decisive():
    a = hyp("a", [node("c", "anxiety", kind="confounder"), node("x", "age"), node("y", "sympathetic_activity")],
            [edge("c", "x"), edge("c", "y")])
    b = hyp("b", [node("c", "anxiety", kind="confounder"), node("x", "age"), node("y", "sympathetic_activity")],
            [edge("c", "x")])
    pa, _ = both_ways(a, b)
    indep = [p for p in pa if p.kind == "independence"]
    assert [p.measurement for p in indep] == ["age and sympathetic_activity"] or [p.measurement for p in indep] == [
        "x and y"]
    assert not indep[0].decisive and (indep[0].direction_this, indep[0].direction_rival) == ("?", "0")


def test_explicit_prediction_catches_what_the_graph_cannot():
    nodes = [node("x", "age"), node("y", "sympathetic_activity")]
    stated = {"node": "y", "direction": "+", "condition": "after a night of sleep deprivation"}
    a = hyp("a", nodes, [edge("x", "y")], predictions=[stated])
    b = hyp("b", nodes, [edge("x", "y")], predictions=[{**stated, "direction": "-"}])
    pa, _ = both_ways(a, b)
    assert [(p.kind, p.decisive, p.direction_this, p.direction_rival) for p in pa] == [("stated", True, "+", "-")]
    assert "sleep deprivation" in pa[0].measurement
    # the rival says nothing and names no cause: no prediction, so nothing discriminates
    silent = hyp("b", nodes, [edge("x", "y")])
    assert both_ways(a, silent)[0] == []
    # with a cause, the rival's graph answers: x raises y in both, so only a stated "0" discriminates
    a0 = hyp("a", nodes, [edge("x", "y")], predictions=[{"node": "y", "direction": "0", "condition": "raise x",
                                                         "cause": "x"}])
    pa, _ = both_ways(a0, silent)
    assert [(p.kind, p.direction_this, p.direction_rival) for p in pa] == [("stated", "0", "+")]


def test_evidence_is_attached_for_and_against():
    ev_for = {"reference": "Pro 2020", "design": "cohort", "species": "human", "finding": "up"}
    ev_against = {**ev_for, "reference": "Con 2021", "direction": "contradicts", "finding": "down"}
    a = hyp("a", [node("x", "age"), node("y", "sympathetic_activity")], [edge("x", "y", "+", evidence=[ev_for])])
    b = hyp("b", [node("x", "age"), node("y", "sympathetic_activity")], [edge("x", "y", "-", evidence=[ev_against])])
    (p,) = compare_hypotheses(a, b, CAT)
    assert {(e["citation"], e["hypothesis"], e["bears"]) for e in p.evidence} == {
        ("Pro 2020 (human)", "a", "for"), ("Con 2021 (human)", "b", "against")}


def test_shipped_mecfs_pair_lists_the_same_decisive_predictions_with_walitt_and_sun():
    a = load(HYP / "mecfs-ne-vasomotion.yaml").hypothesis
    b = load(HYP / "mecfs-waste-compensatory-ne.yaml").hypothesis
    pa, pb = both_ways(a, b)
    first = pa[0]
    assert first.decisive and first.kind == "opposite sign"
    assert (first.direction_this, first.direction_rival) == ("-", "+")
    assert "Locus coeruleus" in first.measurement
    cites = " ".join(e["citation"] for e in first.evidence)
    assert "Walitt et al. 2024" in cites and "Sun et al. 2026" in cites
    assert [p.key for p in pa if p.decisive] == [p.key for p in pb if p.decisive]
    # NE release and NREM sleep: the rival's mechanism (NE fragments NREM sleep) is matched by construct
    assert not any(p.kind == "independence" and "NREM" in p.measurement and "Locus" in p.measurement for p in pa)


@pytest.mark.parametrize("name", ["mecfs-ne-vasomotion", "mecfs-waste-compensatory-ne"])
def test_plan_json_keeps_its_keys_and_adds_the_new_ones(name):
    out = CliRunner().invoke(app, ["plan", str(HYP / f"{name}.yaml"), "--format", "json"])
    assert out.exit_code == 0, out.output
    plan = json.loads(out.stdout[out.stdout.index("{"):])
    preds = plan["discriminating_predictions"]
    assert preds
    for p in preds:
        assert {"rival", "measurement", "this_predicts", "rival_predicts", "feasibility", "basis", "decisive",
                "evidence", "direction_this", "direction_rival"} <= set(p)
        assert p["direction_this"] in ("+", "-", "0", "?", "none") and p["direction_rival"] in ("+", "-", "0", "?",
                                                                                                 "none")
    assert preds[0]["decisive"] is True


def test_an_effect_on_a_drug_node_is_prescribing_not_a_prediction():
    nodes = [node("c", "mecfs_diagnosis", kind="condition"), node("z", "hypnotic_use", kind="drug"),
             node("y", "sympathetic_activity")]
    a = hyp("a", nodes, [edge("c", "z"), edge("z", "y")])
    b = hyp("b", nodes, [edge("z", "y")])
    pa, _ = both_ways(a, b)
    assert not any("hypnotic" in p.rival_predicts or p.measurement.endswith(" and z") for p in pa)
    # the drug stays a cause: an effect of the drug on y in one graph only is a prediction
    b2 = hyp("b", nodes, [edge("c", "z")])
    pa, _ = both_ways(a, b2)
    assert {(p.measurement, p.kind) for p in pa} == {("z and y", "effect vs none"), ("c and y", "effect vs none")}


def test_each_side_is_said_in_its_own_labels():
    a = hyp("a", [node("ne", "lc_activity", label="NE here"), node("s", "nrem_sleep_architecture", label="NREM")],
            [edge("ne", "s", "-")])
    b = hyp("b", [node("lc", "lc_activity", label="LC there"), node("f", "nrem_sleep_architecture",
                                                                   label="fragility")],
            [edge("lc", "f", "+")])
    (p,) = compare_hypotheses(a, b, CAT)
    assert p.this_predicts == "NE here lowers NREM" and p.rival_predicts == "LC there raises fragility"


def test_a_construct_on_both_ends_of_an_edge_does_not_merge_two_variables():
    """Issue 10 follow-up: the rival's waste before sleep → waste after sleep both carry brain_waste_accumulation;
    the construct cannot say which of them this hypothesis's waste node stands for, so the node the rival adds
    upstream is no prediction (it used to give several 'effect vs none' predictions about waste)."""
    a = hyp("a", [node("ne", "central_ne_turnover"), node("w_post", "brain_waste_accumulation")],
            [edge("ne", "w_post", "-")])
    b = hyp("b", [node("w_pre", "brain_waste_accumulation"), node("ne", "central_ne_turnover"),
                  node("w_post", "brain_waste_accumulation")],
            [edge("w_pre", "ne", "+"), edge("w_pre", "w_post", "+"), edge("ne", "w_post", "-")])
    groups = construct_groups(build_graph(a), build_graph(b))
    assert (frozenset(), frozenset({"w_pre"})) in groups
    pa, _ = both_ways(a, b)
    assert not any("w_pre" in p.basis or "w_pre" in p.rival_predicts for p in pa), [p.rival_predicts for p in pa]
    # without the edge between them, the shared construct still matches (the rule is about that edge only)
    c = hyp("c", [node("w_pre", "brain_waste_accumulation"), node("ne", "central_ne_turnover")],
            [edge("w_pre", "ne", "+")])
    assert (frozenset({"w_post"}), frozenset({"w_pre"})) in construct_groups(build_graph(a), build_graph(c))


def test_shipped_mecfs_pair_has_no_merged_waste_predictions():
    out = CliRunner().invoke(app, ["plan", str(HYP / "mecfs-ne-vasomotion.yaml"), "--format", "json"])
    plan = json.loads(out.stdout[out.stdout.index("{"):])
    rival_says = " ".join(p["rival_predicts"] for p in plan["discriminating_predictions"])
    assert "Brain waste load before sleep" not in rival_says
    assert any(p["decisive"] for p in plan["discriminating_predictions"])


def test_a_manipulation_restricted_to_another_species_yields_no_prediction():
    # o can be set only in mice; the graphs disagree on its effect, but a human study cannot set it
    def pair(**kw: Any) -> tuple[Hypothesis, Hypothesis]:
        o = node("o", kind="intervention", **kw)
        y = node("y", "sympathetic_activity")
        return (hyp("a", [o, y], [edge("o", "y", "+")]), hyp("b", [o, y], [edge("o", "y", "-")]))

    a, b = pair()  # the contrast: with no species restriction the opposite signs discriminate
    assert [p.kind for p in both_ways(a, b)[0]] == ["opposite sign"]
    a, b = pair(manipulable_in=["mouse"])
    assert both_ways(a, b)[0] == []  # both_ways also checks the list is the same from either side
    assert [p.kind for p in compare_hypotheses(a, b, CAT, species="mouse")] == ["opposite sign"]


def test_shipped_human_mecfs_plans_predict_nothing_about_a_mouse_only_manipulation():
    a = load(HYP / "mecfs-ne-vasomotion.yaml").hypothesis
    b = load(HYP / "mecfs-waste-compensatory-ne.yaml").hypothesis
    pa, pb = both_ways(a, b)
    assert pa and not any("Optogenetic" in p.measurement for p in pa + pb)
