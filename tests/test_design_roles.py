"""Issue 9 follow-ups: how a randomised node is assigned, species-restricted manipulations, coherent roles,
the strategy's machine-readable fields, and sentences that stay conditional on the graph."""

from __future__ import annotations

from pathlib import Path

import pytest

from hypoplan.design.catalog import load_catalog_for
from hypoplan.loader import Repository, load_file, resolve
from hypoplan.plan import build_plan
from hypoplan.render.escape import markdown_text
from hypoplan.render.plan_markdown import render_plan_markdown
from hypoplan.schema import Hypothesis

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted((ROOT / "hypotheses").glob("*.yaml"))


def _hyp(nodes: list[dict], edges: list[tuple[str, str]], *, species: str = "human", condition: bool = True,
         x: str = "X", y: str = "Y") -> Hypothesis:
    peco = {"population": "Adults with fibromyalgia" if condition else "Adults", "exposure": "x",
            "comparator": "c", "outcome": "y", "species": species}
    names = {n["id"] for n in nodes}
    nodes = nodes + [{"id": n} for n in sorted({v for e in edges for v in e} - names)]
    nodes = [{"cost": 1.0} | n for n in nodes]
    return Hypothesis.model_validate({
        "id": "synthetic", "title": "A synthetic hypothesis", "peco": peco, "nodes": nodes,
        "edges": [{"source": a, "target": b, "sign": "+"} for a, b in edges],
        "focus": {"exposure": x, "outcome": y}})


def _plan(h: Hypothesis) -> tuple[dict, str]:
    plan = build_plan(h).to_json()
    return plan, render_plan_markdown(plan)


def _shipped(path: Path) -> dict:
    hfile = load_file(path)
    repo = Repository(path.parent, [hfile])
    return build_plan(resolve(hfile, repo), repository=repo, catalog=load_catalog_for(path.parent)).to_json()


# ---------------------------------------------------------------- 1. assignment: parallel | crossover | split_body


def test_split_body_assignment_has_no_washout_or_period_and_a_paired_analysis():
    h = _hyp([{"id": "D", "kind": "intervention", "assignment": "split_body"}], [("D", "X"), ("X", "Y")])
    plan, md = _plan(h)
    d = plan["design"]
    assert d["strategy"] == "randomised" and d["arm"] == "split_body" and d["randomised_node"] == "D"
    text = " ".join([d["type"], d["summary"], d["strategy_reason"], plan["estimand"]["treatment"],
                     plan["estimand"]["summary"]]).lower()
    assert "split-body" in text and "paired" in text and "side" in text
    assert "crossover" not in text and "carry-over" not in text and "ab/ba" not in text
    assert "washout between" not in text and "adjusted for period" not in text
    assert "systemic" in d["strategy_reason"]  # the local-vs-systemic caveat
    assert "read at each site separately" in d["strategy_reason"]
    assert markdown_text(d["strategy_reason"]) in md and markdown_text(d["summary"]) in md


@pytest.mark.parametrize(("assignment", "arm"), [(None, "crossover"), ("parallel", "parallel"),
                                                 ("crossover", "crossover")])
def test_assignment_default_and_explicit(assignment, arm):
    node = {"id": "D", "kind": "drug"} | ({"assignment": assignment} if assignment else {})
    plan, _ = _plan(_hyp([node], [("D", "X"), ("X", "Y")]))
    assert plan["design"]["arm"] == arm
    assert ("washout" in plan["design"]["strategy_reason"]) == (arm == "crossover")


def test_shipped_fm_challenge_is_split_body():
    fm = ROOT / "hypotheses" / "fm-sympathetic-pain.yaml"
    plan = _shipped(fm)
    assert plan["design"]["randomised_node"] == "ne_challenge" and plan["design"]["arm"] == "split_body"
    assert "with a washout" not in plan["design"]["summary"] and "crossover" not in plan["design"]["type"]


# ---------------------------------------------------------------- 2. manipulable only in some species


def _species_hyp(species: str, drug: bool = True) -> Hypothesis:
    nodes = [{"id": "Opto", "kind": "intervention", "manipulable_in": ["mouse"]}]
    edges = [("Opto", "L"), ("L", "X"), ("X", "Y")]
    if drug:
        nodes.append({"id": "D", "kind": "drug"})
        edges.append(("D", "X"))
    return _hyp(nodes, edges, species=species, condition=False)


def test_species_restricted_manipulation_is_used_only_in_that_species():
    mouse, _ = _plan(_species_hyp("mouse", drug=False))
    assert mouse["design"]["randomised_node"] == "Opto"
    assert "Opto → L → X" in mouse["design"]["strategy_reason"]  # an ancestor, named with its path
    human, md = _plan(_species_hyp("human"))
    assert human["design"]["randomised_node"] == "D"
    why = [c["why_not"] for c in human["design"]["considered"] if c["strategy"] == "randomised"]
    assert any("Opto is not available in humans" in w for w in why)
    assert markdown_text(why[0]) in md
    alone, _ = _plan(_species_hyp("human", drug=False))
    assert alone["design"]["strategy"] != "randomised"
    assert any("Opto is not available in humans" in c["why_not"] for c in alone["design"]["considered"])


def test_only_species_restricted_manipulation_falls_back_to_observational_in_humans():
    h = _hyp([{"id": "Opto", "kind": "intervention", "manipulable_in": ["mouse"]}], [("Opto", "X"), ("X", "Y")],
             condition=False)
    plan, _ = _plan(h)
    assert plan["design"]["strategy"] != "randomised"
    assert plan["design"]["randomised_node"] is None
    assert not any("Opto" in c["name"] for c in plan["controls"])


def test_species_restricted_node_is_unmeasurable_outside_its_species():
    human, _ = _plan(_species_hyp("human"))
    assert human["adjustment"]["node_costs"].get("Opto", "absent") in (None, "absent")
    opto = next(m for m in human["measures"] if m["node"] == "Opto")
    assert "not available in humans" in opto["note"] and "no constructs" not in opto["note"]


def test_shipped_mouse_plan_randomises_optogenetic_lc_stimulation_and_human_plans_do_not():
    plans = {p.stem: _shipped(p) for p in SHIPPED}
    assert plans["ne-vasomotion-glymphatic"]["design"]["randomised_node"] == "lc_optogenetic_stimulation"
    for name, plan in plans.items():
        if plan["peco"]["species"] == "human":
            assert plan["design"]["randomised_node"] != "lc_optogenetic_stimulation", name
            assert not any("Optogenetic" in c["name"] for c in plan["controls"]), name


# ---------------------------------------------------------------- 3. coherent roles


def test_randomised_node_is_never_a_negative_control():
    # C -> D -> X: without the rule D is a negative-control exposure of X -> Y, although the plan randomises it
    plan, md = _plan(_hyp([{"id": "D", "kind": "drug"}], [("C", "D"), ("C", "X"), ("D", "X"), ("X", "Y"),
                                                           ("C", "Y")], condition=False))
    assert plan["design"]["randomised_node"] == "D"
    assert not any(c["kind"].startswith("negative-control") and c["name"].startswith("D ") for c in plan["controls"])
    left = {c["candidate"]: c for c in plan["controls_left_out"]}
    assert left["D"]["kind"] == "negative-control" and "randomised in this plan" in left["D"]["why"]
    assert markdown_text(left["D"]["why"]) in md


def test_positive_control_drug_is_never_a_negative_control():
    # P acts on X (known sign) and is randomised nowhere else: it is a crossover positive control only
    plan, _ = _plan(_hyp([{"id": "D", "kind": "drug"}, {"id": "P", "kind": "drug"}],
                         [("D", "X"), ("C", "P"), ("C", "X"), ("P", "X"), ("X", "Y"), ("C", "Y")], condition=False))
    used = {c["name"] for c in plan["controls"] if c["kind"] == "within-subject"}
    negatives = {c["name"] for c in plan["controls"] if c["kind"].startswith("negative-control")}
    assert any(n.startswith("P vs placebo") for n in used)
    assert not any(n.startswith("P ") for n in negatives)


def test_adjusted_negative_control_says_how_the_two_uses_fit():
    # C -> N -> X, C -> Y: {N} (cost 1) is the cheapest valid set, and N is a negative-control exposure
    plan, _ = _plan(_hyp([{"id": "C", "cost": 5.0}], [("C", "N"), ("N", "X"), ("X", "Y"), ("C", "Y")],
                         condition=False))
    assert plan["adjustment"]["set"] == ["N"]
    nc = [c for c in plan["controls"] if c["name"] == "N as a negative-control exposure"]
    assert nc and "also in the adjustment set" in nc[0]["rationale"]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_plans_have_coherent_roles(path):
    plan = _shipped(path)
    used = {plan["design"]["randomised_node"]} | {c["name"].split(" vs ")[0] for c in plan["controls"]
                                                  if c["kind"] == "within-subject"}
    labels = {m["node"]: m["label"] for m in plan["measures"]}
    used_labels = {labels.get(n, n) for n in used if n}
    for c in plan["controls"]:
        if c["kind"].startswith("negative-control"):
            assert c["name"].split(" as a negative-control")[0] not in used_labels, c["name"]
            node = next((n for n, lab in labels.items() if c["name"].startswith(lab + " as")), None)
            if node in plan["adjustment"]["set"]:
                assert "also in the adjustment set" in c["rationale"], c["name"]


# ---------------------------------------------------------------- 4. strategy fields for machines


def test_design_json_carries_the_strategy_fields():
    plan, _ = _plan(_hyp([{"id": "D", "kind": "drug"}], [("D", "X"), ("X", "Y")]))
    d = plan["design"]
    assert {"randomised_node", "arm", "instrument", "instrument_given", "frontdoor", "latent_to_measure"} <= set(d)
    assert (d["randomised_node"], d["arm"], d["instrument"], d["instrument_given"], d["frontdoor"],
            d["latent_to_measure"]) == ("D", "crossover", None, [], [], [])


# ---------------------------------------------------------------- 7. conditional on the graph


def test_no_adjustment_sentence_is_conditional_on_the_graph():
    plan, md = _plan(_hyp([], [("X", "Y")], condition=False))
    reason = plan["design"]["strategy_reason"]
    assert "under this graph" in reason and "estimates the causal effect" in reason
    assert "is causal" not in md


# ---------------------------------------------------------------- 5. relevant matching facts only


def _healthy(plan: dict) -> str:
    return next(c["rationale"] for c in plan["controls"] if c["kind"] == "healthy")


def test_fm_matching_rationale_cites_only_facts_about_what_it_measures():
    text = _healthy(_shipped(ROOT / "hypotheses" / "fm-sympathetic-pain.yaml"))
    assert "DTI-ALPS" not in text and "Walitt" not in text  # glymphatic proxy, ME/CFS omics: not this plan
    assert "plasma NA+A" in text and "pressure pain thresholds" in text  # sympathetic activity, pain threshold


def test_mecfs_matching_rationale_does_not_cite_a_fibromyalgia_prevalence():
    text = _healthy(_shipped(ROOT / "hypotheses" / "mecfs-ne-vasomotion.yaml"))
    assert "fibromyalgia patients had OSA" not in text and "OSA raises sympathetic activity" in text
    assert "Walitt" in text and "DTI-ALPS" in text  # ME/CFS population; glymphatic clearance is measured


def test_catalog_matching_facts_filter_by_relevance():
    from hypoplan.design.catalog import default_catalog

    age = default_catalog().construct("age")
    assert age is not None
    dti = "Match on age: the DTI-ALPS index falls with age."
    assert [t for t, _ in age.matching_for({"glymphatic_clearance"})] == [dti]
    assert age.matching_for({"asthma"}) == []


@pytest.mark.parametrize(("edges", "latent"), [([("C", "X"), ("C", "Y"), ("X", "Y")], ()),
                                               ([("X", "M"), ("M", "Y")], (("X", "Y"),)),
                                               ([("Z", "X"), ("X", "Y")], (("X", "Y"),))])
def test_identification_sentences_are_conditional_on_the_graph(edges, latent):
    es = [{"source": a, "target": b} for a, b in edges]
    es += [{"source": a, "target": b, "type": "confounded"} for a, b in latent]
    names = sorted({v for e in edges for v in e})
    h = Hypothesis.model_validate({"id": "s", "title": "S", "nodes": [{"id": n, "cost": 1.0} for n in names],
                                   "edges": es, "focus": {"exposure": "X", "outcome": "Y"}})
    reason = build_plan(h).to_json()["design"]["strategy_reason"]
    assert "this graph" in reason, reason


# ---------------------------------------------------------------- 8. a hypothesis from cardiovascular epidemiology

BP = Path(__file__).parent / "data" / "other_field_bp" / "sodium-bp-stroke.yaml"
_FOREIGN = ("sleep", "oscillation", "infraslow", "pem", "post-exertional", "night", "0.02 hz", "me/cfs",
            "fibromyalgia", "glymphatic", "norepinephrine")


def test_sodium_plan_randomises_the_diet_and_reads_true_for_its_field():
    plan = _shipped(BP)
    md = render_plan_markdown(plan).lower()
    for word in _FOREIGN:
        assert word not in md, word
    d = plan["design"]
    assert d["strategy"] == "randomised" and d["randomised_node"] == "low_sodium_diet" and d["arm"] == "parallel"
    assert "placebo" not in plan["estimand"]["treatment"]  # a diet has no placebo: a control condition
    assert plan["estimand"]["summary"].startswith("risk difference")  # stroke is an event, not a mean
    assert not any(c["kind"] == "healthy" for c in plan["controls"])  # hypertension only defines eligibility
    assert not any(e["kind"] == "washout" and "Antihypertensive" in e["criterion"] for e in plan["exclusions"])
    crossover = next(c for c in plan["controls"] if c["kind"] == "within-subject")
    assert "cannot read out" in crossover["rationale"] and "if the hypothesis holds" not in crossover["rationale"]
    assert not any("Low-sodium diet" in s["comparison"] and s["design"] == "paired" for s in plan["sample_size"])
    # a rule about measurements sensitive to treatment changes asks for no recovery window after visits
    schedule = next(f for f in plan["feasibility"] if f.get("rule") == "visit-schedule")
    assert schedule["data"]["recovery_rules"] == [] and "recovery window" not in schedule["note"].lower()


def test_sodium_protocol_has_no_field_leaks():
    from hypoplan.render.protocol import build_protocol, protocol_markdown

    hfile = load_file(BP)
    repo = Repository(BP.parent, [hfile])
    h = resolve(hfile, repo)
    text = protocol_markdown(build_protocol(h, _shipped(BP), "spirit")).lower()
    for word in ("sleep", "oscillation", "night", "pem", "post-exertional", "crossover periods", "drug and placebo"):
        assert word not in text, word
    assert "for the parallel groups" in text
