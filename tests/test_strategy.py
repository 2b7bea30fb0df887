"""The plan's identification strategy follows the causal analysis, strongest first (issue 9).

Each strategy is shown on a small synthetic hypothesis, checking the plan JSON and that the
Markdown says the same thing; a property test checks the plan's adjustment set against an
independent brute force (valid, and of minimum cost among the measurable valid sets).
"""

from __future__ import annotations

import math

import pytest
from bruteforce import Dag, is_adjustment_set, valid_adjustment_sets
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hypoplan.analysis import analyze
from hypoplan.design.strategy import STRATEGIES
from hypoplan.graph import build_graph
from hypoplan.plan import build_plan
from hypoplan.render.escape import markdown_text
from hypoplan.render.plan_markdown import render_plan_markdown
from hypoplan.schema import Hypothesis


def _hyp(edges: list[tuple[str, str]], *, latent_pairs: tuple[tuple[str, str], ...] = (),
         costs: dict[str, float | None] | None = None, kinds: dict[str, str] | None = None,
         manipulable: tuple[str, ...] = (), x: str = "X", y: str = "Y") -> Hypothesis:
    costs, kinds = costs or {}, kinds or {}
    names = sorted({n for e in edges for n in e} | {n for e in latent_pairs for n in e})
    nodes = []
    for n in names:
        node: dict = {"id": n, "kind": kinds.get(n, "mechanism")}
        c = costs.get(n, 1.0)
        if c is not None:
            node["cost"] = c
        if n in manipulable:
            node["manipulable"] = True
        nodes.append(node)
    es = [{"source": a, "target": b} for a, b in edges]
    es += [{"source": a, "target": b, "type": "confounded"} for a, b in latent_pairs]
    return Hypothesis.model_validate({"id": "synthetic", "title": "A synthetic hypothesis", "nodes": nodes,
                                      "edges": es, "focus": {"exposure": x, "outcome": y}})


def _plan(h: Hypothesis) -> tuple[dict, str]:
    plan = build_plan(h).to_json()
    return plan, render_plan_markdown(plan)


def _says_same(plan: dict, md: str) -> None:
    d = plan["design"]
    assert d["strategy"] in STRATEGIES
    assert f"(`{d['strategy']}`)" in md
    assert markdown_text(d["strategy_reason"]) in md
    for c in d["considered"]:
        assert markdown_text(c["why_not"]) in md
    if d["estimand_formula"]:
        assert f"`{d['estimand_formula']}`" in md
    assert markdown_text(d["type"]) in md and markdown_text(d["summary"]) in md


def test_randomised_when_a_drug_acts_on_the_exposure():
    h = _hyp([("D", "X"), ("X", "Y")], latent_pairs=(("X", "Y"),), kinds={"D": "drug"})
    plan, md = _plan(h)
    d = plan["design"]
    assert d["strategy"] == "randomised" and d["considered"] == []
    assert "D can be set by the investigator" in d["strategy_reason"]
    assert d["estimand_formula"] == "P(Y|do(D)) = P(Y|D) (randomised)"
    assert plan["design"]["type"] == "randomised parallel-group trial"  # no condition: parallel groups
    assert plan["estimand"]["treatment"] == "D vs placebo, randomised"
    assert "randomised conditions" in plan["estimand"]["summary"]
    _says_same(plan, md)


def test_randomised_when_the_exposure_itself_is_marked_manipulable():
    h = _hyp([("C", "X"), ("C", "Y"), ("X", "Y")], manipulable=("X",))
    plan, md = _plan(h)
    assert plan["design"]["strategy"] == "randomised"
    assert "X is the exposure and can be set" in plan["design"]["strategy_reason"]
    _says_same(plan, md)


def test_adjustment_with_the_minimum_cost_set():
    # two valid sets: {A} (cost 5) and {B, C} (cost 1 + 1): the plan takes the cheaper pair
    h = _hyp([("A", "X"), ("A", "B"), ("A", "C"), ("B", "Y"), ("C", "Y"), ("X", "Y")],
             costs={"A": 5.0, "B": 1.0, "C": 1.0})
    plan, md = _plan(h)
    d = plan["design"]
    assert d["strategy"] == "adjustment"
    assert [c["strategy"] for c in d["considered"]] == ["randomised"]
    assert plan["adjustment"]["set"] == ["B", "C"] and plan["adjustment"]["cost"] == 2.0
    assert plan["adjustment"]["node_costs"] == {"A": 5.0, "B": 1.0, "C": 1.0}
    assert d["estimand_formula"] == "P(Y|do(X)) = Σ_{B,C} P(Y|X,B,C) P(B,C)"
    assert "adjusting for B, C" in plan["design"]["summary"]
    _says_same(plan, md)


def test_unmeasurable_node_has_null_cost_and_is_avoided():
    # A cannot be measured (no cost, no construct): the plan must use {B} even though {A} is smaller
    h = _hyp([("A", "X"), ("A", "B"), ("B", "Y"), ("X", "Y")], costs={"A": None, "B": 3.0})
    plan, _ = _plan(h)
    assert plan["adjustment"]["node_costs"] == {"A": None, "B": 3.0}
    assert plan["adjustment"]["set"] == ["B"] and plan["adjustment"]["cost"] == 3.0


def test_frontdoor_through_a_measured_mediator():
    h = _hyp([("X", "M"), ("M", "Y")], latent_pairs=(("X", "Y"),))
    plan, md = _plan(h)
    d = plan["design"]
    assert d["strategy"] == "frontdoor"
    assert [c["strategy"] for c in d["considered"]] == ["randomised", "adjustment"]
    assert d["estimand_formula"].startswith("P(Y|do(X)) = Σ_{M} P(M|X)")
    assert "front door" in plan["design"]["summary"]
    assert plan["outcomes"]["mechanistic"] == [{"node": "M", "label": "M", "method": None}]
    _says_same(plan, md)


def test_frontdoor_needs_the_mediator_to_be_measurable():
    h = _hyp([("X", "M"), ("M", "Y")], latent_pairs=(("X", "Y"),), costs={"M": None})
    plan, _ = _plan(h)
    assert plan["design"]["strategy"] == "not_identifiable"


def test_instrument():
    h = _hyp([("Z", "X"), ("X", "Y")], latent_pairs=(("X", "Y"),))
    plan, md = _plan(h)
    d = plan["design"]
    assert d["strategy"] == "instrument"
    assert [c["strategy"] for c in d["considered"]] == ["randomised", "adjustment", "frontdoor"]
    assert d["estimand_formula"] == "β(X→Y) = Cov(Y,Z) / Cov(X,Z) (Wald/IV estimand)"
    assert "monotonicity" in d["strategy_reason"]
    _says_same(plan, md)


def test_id_algorithm():
    # a conditional front door: V1 confounds X and the mediator V0; X <-> Y; no instrument
    h = _hyp([("X", "V0"), ("V0", "Y"), ("V1", "V0"), ("V1", "X")], latent_pairs=(("X", "Y"),))
    plan, md = _plan(h)
    d = plan["design"]
    assert d["strategy"] == "id"
    assert [c["strategy"] for c in d["considered"]] == ["randomised", "adjustment", "frontdoor", "instrument"]
    assert d["estimand_formula"].startswith("P(Y|do(X)) = Σ_{V1,V0}")
    _says_same(plan, md)


def test_not_identifiable_names_the_latent_node_to_measure():
    h = _hyp([("L", "X"), ("L", "Y"), ("X", "Y")], costs={"L": None})
    plan, md = _plan(h)
    d = plan["design"]
    assert d["strategy"] == "not_identifiable" and d["estimand_formula"] is None
    assert [c["strategy"] for c in d["considered"]] == ["randomised", "adjustment", "frontdoor", "instrument",
                                                        "id"]
    assert ("measuring L (observed, but no catalogued method measures it) would make a valid adjustment set exist"
            in d["strategy_reason"])
    assert any("not identifiable" in m for m in plan["missing"])
    assert plan["estimand"]["summary"].startswith("none")
    _says_same(plan, md)


def test_not_identifiable_names_the_unmeasured_common_cause():
    plan, _ = _plan(_hyp([("X", "Y")], latent_pairs=(("X", "Y"),)))
    assert plan["design"]["strategy"] == "not_identifiable"
    assert "measuring unmeasured common cause of X and Y would" in plan["design"]["strategy_reason"]


def test_not_identifiable_names_a_set_when_no_single_node_suffices():
    h = _hyp([("Z", "X"), ("Z", "Y"), ("X", "Y")], latent_pairs=(("X", "Y"),), costs={"Z": None})
    reason = _plan(h)[0]["design"]["strategy_reason"]
    assert "no single node suffices" in reason and "unmeasured common cause of X and Y and Z" in reason


# --------------------------------------------------------------------------- property: one adjustment answer

@st.composite
def _costed_dag(draw):
    n = draw(st.integers(3, 6))
    names = [f"V{i}" for i in range(n)]
    edges = [(names[i], names[j]) for i in range(n) for j in range(i + 1, n) if draw(st.booleans())]
    x, y = draw(st.sampled_from([(a, b) for i, a in enumerate(names) for b in names[i + 1:]]))
    costs = {v: draw(st.one_of(st.none(), st.sampled_from([1.0, 2.0, 3.0, 10.0]))) for v in names}
    return names, edges, x, y, costs


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(_costed_dag())
def test_plan_set_is_valid_and_of_minimum_cost(case):
    names, edges, x, y, costs = case
    costs[x] = costs[y] = 1.0
    nodes = [{"id": v, **({"cost": c} if c is not None else {})} for v, c in costs.items()]
    h = Hypothesis.model_validate({"id": "r", "title": "r", "nodes": nodes,
                                   "edges": [{"source": a, "target": b} for a, b in edges],
                                   "focus": {"exposure": x, "outcome": y}})
    plan = build_plan(h).to_json()
    adj = plan["adjustment"]
    dag = Dag(names, edges)
    measurable = [s for s in valid_adjustment_sets(dag, {x}, {y}) if all(costs[v] is not None for v in s)]
    if not measurable:
        assert adj["cost"] is None and adj["set"] == []
        return
    best = min(sum(costs[v] for v in s) for s in measurable)
    assert adj["cost"] == pytest.approx(best)
    assert is_adjustment_set(dag, {x}, {y}, adj["set"])
    assert math.isclose(sum(costs[v] for v in adj["set"]), best)
    # analyze --adjust agrees that the set is valid
    result = analyze(build_graph(h), adjusted=adj["set"]) if adj["set"] else None
    if result is not None:
        assert result.adjustment.given is not None and result.adjustment.given.valid
    if plan["design"]["strategy"] == "adjustment":
        assert plan["design"]["estimand_formula"].startswith(f"P({y}|do({x}))")


# --------------------------------------------------------------------------- analyze --costs catalog = plan

@pytest.mark.parametrize("name", ["fm-sympathetic-pain", "mecfs-ne-vasomotion"])
def test_analyze_with_catalog_costs_prints_the_plans_set(runner, name):
    import json
    from pathlib import Path

    from hypoplan.cli import app

    path = str(Path(__file__).resolve().parents[1] / "hypotheses" / f"{name}.yaml")
    a = runner.invoke(app, ["analyze", path, "--costs", "catalog", "--format", "json"])
    p = runner.invoke(app, ["plan", path, "--format", "json"])
    assert a.exit_code == 0 and p.exit_code == 0, a.output + p.output
    min_cost = json.loads(a.stdout)["adjustment"]["min_cost"]
    plan = json.loads(p.stdout)["adjustment"]
    assert plan["set"] == min_cost["set"] and plan["cost"] == min_cost["cost"]


def _select(h: Hypothesis, node: str) -> Hypothesis:
    d = h.model_dump(mode="json", exclude_none=True)
    for n in d["nodes"]:
        if n["id"] == node:
            n["selected"] = True
    return Hypothesis.model_validate(d)


def test_randomised_is_passed_over_when_selecting_on_a_consequence_of_the_outcome():
    # R -> X -> Y -> S, S selected: randomising R does not protect against selecting on S
    base = _hyp([("R", "X"), ("X", "Y"), ("Y", "S")], kinds={"R": "drug"})
    assert _plan(base)[0]["design"]["strategy"] == "randomised"  # the contrast: without selection it is chosen
    plan, md = _plan(_select(base, "S"))
    d = plan["design"]
    assert d["strategy"] != "randomised"
    why = [c["why_not"] for c in d["considered"] if c["strategy"] == "randomised"]
    assert len(why) == 1 and "selects on S" in why[0] and "randomising R" in why[0]
    _says_same(plan, md)


def test_randomised_is_kept_when_the_selected_node_is_not_downstream():
    # selecting on a cause of the exposure only (C -> X) leaves the randomised contrast of R intact
    h = _select(_hyp([("R", "X"), ("C", "X"), ("X", "Y")], kinds={"R": "drug"}), "C")
    assert _plan(h)[0]["design"]["strategy"] == "randomised"
