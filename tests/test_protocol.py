"""Protocol and preregistration skeletons: filled only from the inputs, placeholders exactly where needed."""

from __future__ import annotations

import json
import re
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from render_fixtures import HOSTILE, hostile_hypothesis

from hypoplan.cli import app
from hypoplan.render.protocol import TEMPLATES, build_protocol, protocol_docx, protocol_json, protocol_markdown
from hypoplan.schema import Hypothesis

ROOT = Path(__file__).resolve().parents[1]
DOI = re.compile(r"10\.\d{4,9}/[^\s;,)\]\\]+")
NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?")


def full_hypothesis() -> Hypothesis:
    """Every field a protocol can draw on: PECO, authors, background, focus, evidence with effect sizes."""
    return Hypothesis.model_validate({
        "id": "full", "title": "Night light lowers melatonin and delays sleep", "status": "proposed",
        "authors": ["A. Author", "B. Author"],
        "summary": "Evening light suppresses melatonin, which delays sleep onset.",
        "background": "Evening light suppresses melatonin (Doe 2020, doi:10.1000/light).",
        "program_goal": "Understand light and sleep, so that bedrooms can be made darker.",
        "peco": {"population": "Adults aged 18-40 without sleep disorders", "exposure": "Bright evening light",
                 "comparator": "Dim evening light", "outcome": "Sleep-onset latency", "species": "human"},
        "focus": {"exposure": "light", "outcome": "latency"},
        "nodes": [{"id": "light", "label": "Evening light"}, {"id": "melatonin", "label": "Melatonin"},
                  {"id": "latency", "label": "Sleep-onset latency"}, {"id": "age", "label": "Age"}],
        "edges": [{"source": "light", "target": "melatonin", "sign": "-", "confidence": "supported",
                   "evidence": [{"reference": "Doe 2020", "citation": "doi:10.1000/light", "species": "human",
                                 "design": "rct", "finding": "light lowered melatonin",
                                 "effect_size": {"measure": "d", "value": 0.8, "n": 40}}]},
                  {"source": "melatonin", "target": "latency", "sign": "-", "confidence": "supported",
                   "evidence": [{"reference": "Roe 2021", "species": "human", "design": "cohort",
                                 "finding": "lower melatonin went with longer latency"}]},
                  {"source": "age", "target": "light"}, {"source": "age", "target": "latency"}],
    })


FULL_PLAN = {
    "hypothesis": {"id": "full", "title": "t", "status": "proposed", "summary": None},
    "peco": None,
    "design": {"type": "cohort", "summary": "Cohort of adults with home light and sleep recordings.",
               "strategy": "adjustment", "strategy_reason": "a valid adjustment set exists",
               "considered": [{"strategy": "randomised", "why_not": "light is not assigned"}],
               "estimand_formula": "P(latency|do(light)) = sum_age P(latency|light,age) P(age)"},
    "estimand": {"population": "Adults aged 18-40 without sleep disorders", "treatment": "bright vs dim light",
                 "endpoint": "sleep-onset latency in minutes", "summary": "difference in mean latency",
                 "intercurrent_events": [{"event": "hypnotic use", "strategy": "hypothetical"}]},
    "outcomes": {"primary": ["latency"], "secondary": [], "mechanistic": ["melatonin"]},
    "measures": [
        {"node": "light", "label": "Evening light", "role": "exposure", "method": {
            "id": "lux", "name": "Wrist light sensor", "setting": "home", "burden": "low: a wrist device",
            "captures": "light exposure"}, "alternatives": [], "human_measurable": True, "note": None},
        {"node": "latency", "label": "Sleep-onset latency", "role": "outcome", "method": {
            "id": "diary", "name": "Sleep diary", "setting": "home", "burden": "low: a diary",
            "captures": "latency"}, "alternatives": [], "human_measurable": True, "note": None},
        {"node": "melatonin", "label": "Melatonin", "role": "mediator", "method": {
            "id": "saliva", "name": "Salivary melatonin", "setting": "home", "burden": "low: saliva samples",
            "captures": "melatonin"}, "alternatives": [], "human_measurable": True, "note": None},
        {"node": "age", "label": "Age", "role": "adjustment", "method": {
            "id": "demo", "name": "Demographic record", "setting": "home", "burden": "low: a question",
            "captures": "age"}, "alternatives": [], "human_measurable": True, "note": None}],
    "adjustment": {"set": ["age"], "cost": 1, "note": "minimum-cost valid adjustment set"},
    "controls": [{"kind": "healthy", "name": "Dim-light evenings", "rationale": "r", "matched_on": [], "references": []},
                 {"kind": "negative-control-outcome", "name": "Age as a negative control", "rationale": "r",
                  "references": []}],
    "exclusions": [{"kind": "exclude", "criterion": "Shift work", "reason": "r", "references": [], "drug": None}],
    "feasibility": [{"topic": "visit schedule", "rule": "visit-schedule", "severity": "info", "references": [],
                     "note": "Per participant: no visits: every chosen measure can be taken at home.",
                     "data": {"visits": [], "home": [{"method": "Sleep diary"}]}}],
    "sample_size": [{"comparison": "light vs latency", "design": "correlation",
                     "effect_size": {"measure": "d", "value": 0.8, "source": "evidence", "citation": "Doe 2020"},
                     "alpha": 0.05, "power": 0.8, "n_per_group": None, "n_total": 52, "note": ""}],
    "discriminating_predictions": [],
    "missing": [],
}

#: Items whose content only the author can give, whatever the plan says (the rest must be filled).
AUTHOR_ONLY = {
    "spirit": {"2a", "2b", "3", "4", "5b", "5c", "5d", "9", "10", "11d", "12", "13", "15", "17a", "17b", "18b", "19",
               "20a", "20c", "21a", "21b", "22", "23", "24", "25", "26a", "26b", "27", "28", "29", "30", "31a",
               "31b", "31c", "32", "33"},
    "osf-prereg": {"Blinding", "Existing data", "Explanation of existing data", "Data collection procedures",
                   "Indices", "Statistical models", "Transformations", "Inference criteria", "Data exclusion",
                   "Missing data", "Stopping rule"},
    "aspredicted": {"1", "3", "5", "6"},
}


def _key(item) -> str:
    return item.id or item.name


@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_full_hypothesis_leaves_only_the_placeholders_the_plan_cannot_fill(template):
    protocol = build_protocol(full_hypothesis(), FULL_PLAN, template)
    open_items = {_key(i) for i in protocol.items if i.placeholders}
    assert open_items == AUTHOR_ONLY[template]
    for p in protocol.placeholders():  # each says what is needed, as an instruction
        assert re.match(r"^[a-z]", p.instruction) and len(p.instruction.split()) >= 3, p.instruction


def test_spirit_fills_design_estimand_outcomes_and_sample_size_from_the_plan():
    md = protocol_markdown(build_protocol(full_hypothesis(), FULL_PLAN, "spirit")).replace("\\", "")
    assert "**1 Title.** Cohort: Night light lowers melatonin and delays sleep" in md
    assert "**5a Roles and responsibilities: contributors.** A. Author; B. Author" in md
    assert "Identification strategy: adjustment (a valid adjustment set exists)" in md
    assert "Population-level summary: difference in mean latency." in md
    assert "hypnotic use (hypothetical strategy)" in md
    assert "n = 52, correlation, to detect d = 0.8 at alpha = 0.05 with power 0.8 (effect size from Doe 2020)" in md
    assert "**16a Sequence generation.** Not applicable: the cohort assigns no treatment." in md


def test_analysis_plan_states_the_chosen_estimator():
    md = protocol_markdown(build_protocol(full_hypothesis(), FULL_PLAN, "spirit")).replace("\\", "")
    analysis = md.split("**20a Statistical methods.**")[1].split("**20b")[0]
    assert "Model: latency ~ light + age," in analysis
    assert "Adjustment set: Age (minimum-cost valid adjustment set)" in analysis
    assert "Identification formula: P(latency|do(light))" in analysis
    assert "Repeated measures: none planned" in analysis and "night" not in analysis  # no field leak
    assert ("Multiplicity: one primary test (light vs latency) at alpha = 0.05; the plan has no other comparison, "
            "so no adjustment is needed.") in analysis
    # nights: a night-long outcome measure turns the model into a mixed model with a participant intercept
    plan = json.loads(json.dumps(FULL_PLAN))
    plan["measures"][1]["method"]["burden"] = "medium: one or more nights of EEG"
    plan["sample_size"].append(dict(plan["sample_size"][0], comparison="second"))
    analysis = protocol_markdown(build_protocol(full_hypothesis(), plan, "spirit")).replace("\\", "")
    assert "latency ~ light + age + (1 | participant)" in analysis and "Repeated nights: Sleep diary" in analysis
    # two comparisons and no procedure recorded in the plan: the method is the author's choice, never assumed
    assert "the plan sizes 1 other comparison(s) and records no multiplicity procedure" in analysis
    assert "[AUTHOR: choose the multiplicity procedure" in analysis and "Holm's step-down" not in analysis
    # a strategy other than adjustment: say so and ask for the estimator, never write an adjustment model
    plan = json.loads(json.dumps(FULL_PLAN))
    plan["design"].update(strategy="frontdoor", strategy_reason="the mediator is unconfounded")
    text = protocol_markdown(build_protocol(full_hypothesis(), plan, "spirit")).replace("\\", "")
    assert "Strategy: frontdoor (the mediator is unconfounded)" in text and "~" not in text.split("**20a")[1][:300]
    assert "[AUTHOR: name the estimator that implements this strategy" in text


def test_randomised_crossover_models_the_randomised_treatment_with_period_and_participant():
    plan = json.loads(json.dumps(FULL_PLAN))
    plan["design"].update(type="randomised crossover", strategy="randomised", strategy_reason="r",
                          estimand_formula="P(latency|do(lamp)) = P(latency|lamp) (randomised)")
    plan["measures"].append({"node": "lamp", "label": "Bedside lamp", "role": "other", "method": None})
    plan["sample_size"] = [dict(FULL_PLAN["sample_size"][0], comparison="healthy vs cases on Evening light"),
                           dict(FULL_PLAN["sample_size"][0], comparison="Bedside lamp vs off on Sleep-onset latency",
                                n_total=30)]
    text = protocol_markdown(build_protocol(full_hypothesis(), plan, "spirit")).replace("\\", "")
    analysis = text.split("**20a Statistical methods.**")[1].split("**20b")[0]
    assert "Model: latency ~ lamp + period + (1 | participant)" in analysis and "+ age" not in analysis
    assert "one primary test (Bedside lamp vs off on Sleep-onset latency)" in analysis  # the randomised contrast
    assert "**16a Sequence generation.** **[AUTHOR: describe the sequence generation]**" in text


def test_sparse_hypothesis_asks_for_what_is_missing():
    h = Hypothesis.model_validate({"id": "bare", "title": "Bare", "nodes": [{"id": "a"}], "edges": []})
    for template in TEMPLATES:
        protocol = build_protocol(h, None, template)
        assert protocol.placeholders()
    text = protocol_markdown(build_protocol(h, None, "spirit"))
    assert "state the objective: exposure, outcome and population" in text
    assert "give the sample size and how it was determined" in text


def _inputs_text(h: Hypothesis, plan: dict | None) -> str:
    return h.model_dump_json() + json.dumps(plan)


def _shipped(name: str):
    from hypoplan.loader import Repository, load_file, resolve
    from hypoplan.plan import build_plan

    path = ROOT / "hypotheses" / name
    hfile = load_file(path)
    repo = Repository(path.parent, [hfile])
    h = resolve(hfile, repo)
    return h, build_plan(h, repository=repo).to_json()


@pytest.mark.parametrize("template", sorted(TEMPLATES))
@pytest.mark.parametrize("case", ["full", "mecfs-ne-vasomotion.yaml"])
def test_never_invents_citations_or_numbers(template, case):
    h, plan = (full_hypothesis(), FULL_PLAN) if case == "full" else _shipped(case)
    protocol = build_protocol(h, plan, template)
    source = _inputs_text(h, plan)
    body = "\n".join("".join(str(p) for p in item.text) for item in protocol.items)
    for doi in DOI.findall(body):
        assert doi in source, doi
    # every number comes from the inputs; "1" is the random intercept of (1 | participant)
    known = set(NUMBER.findall(source))
    rounded = {f"{float(x):.{d}g}" for x in known for d in (3, 4)}  # plan numbers to 3 or 4 significant digits
    assert set(NUMBER.findall(body)) <= {"1"} | known | rounded


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_inert_markdown(text):
    md = protocol_markdown(build_protocol(hostile_hypothesis(text), FULL_PLAN, "spirit"))
    body = md.split("-->", 1)[1]
    assert "<" not in body.replace("&lt;", "")
    assert not re.search(r"(?<!\\)\[[^\]]*(?<!\\)\]\(", body)
    assert "\n#" not in body.replace("\n# SPIRIT", "").replace("\n## ", "")


def test_docx_and_json():
    pytest.importorskip("docx")
    protocol = build_protocol(full_hypothesis(), FULL_PLAN, "osf-prereg")
    with zipfile.ZipFile(BytesIO(protocol_docx(protocol))) as z:
        xml = z.read("word/document.xml").decode()
    assert "Statistical models" in xml and "[AUTHOR:" in xml and "latency ~ light + age" in xml
    data = protocol_json(protocol)
    items = [i for s in data["sections"] for i in s["items"]]
    assert {i["name"] for i in items if i["author"]} == AUTHOR_ONLY["osf-prereg"]


def test_cli_protocol(runner, tmp_path):
    from hypoplan.writer import dump_hypothesis

    path = tmp_path / "full.yaml"
    path.write_text(dump_hypothesis(full_hypothesis()), encoding="utf-8")
    out = tmp_path / "protocol.md"
    res = runner.invoke(app, ["protocol", str(path), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "items need the author" in res.stderr and out.read_text().startswith("<!--")
    assert runner.invoke(app, ["protocol", str(path), "-o", str(out)]).exit_code == 2  # no --force
    res = runner.invoke(app, ["protocol", str(path), "-t", "aspredicted", "--to", "json"])
    assert res.exit_code == 0 and json.loads(res.stdout)["template"] == "aspredicted"
    assert runner.invoke(app, ["protocol", str(path), "-t", "nope"]).exit_code == 2


@pytest.mark.parametrize(("method", "name"), [("holm", "Holm's step-down procedure (Holm 1979)"),
                                              ("bonferroni", "the Bonferroni correction (Dunn 1961)")])
def test_multiplicity_follows_the_plan(method, name):
    """The protocol states the procedure the plan sized with (`plan --alpha-adjust`), quoting the plan's note."""
    plan = json.loads(json.dumps(FULL_PLAN))
    rows = [dict(plan["sample_size"][0], comparison=c, alpha=0.025, primary=True) for c in ("first", "second")]
    plan["sample_size"] = [*rows, dict(plan["sample_size"][0], comparison="mediator", primary=False)]
    plan["sizing"] = {"alpha_family": 0.05, "alpha_adjust": method, "alpha_note": f"NOTE FROM THE PLAN ({method})"}
    md = protocol_markdown(build_protocol(full_hypothesis(), plan, "spirit")).replace("\\", "")
    analysis = md.split("**20a Statistical methods.**")[1].split("**20b")[0]
    assert (f"Multiplicity: 2 primary tests (the plan's sample-size rows marked primary, sized at alpha = 0.025 "
            f"each), under {name} at family-wise alpha = 0.05. As the plan records it: NOTE FROM THE PLAN "
            f"({method}).") in analysis
    assert "AUTHOR: choose the multiplicity" not in md
    other = {"holm": "Bonferroni", "bonferroni": "Holm"}[method]
    assert other not in analysis
    for template in ("osf-prereg", "aspredicted"):
        text = protocol_markdown(build_protocol(full_hypothesis(), plan, template)).replace("\\", "")
        assert f"under {name}" in text and other not in text


def test_multiplicity_from_a_real_plan():
    """Against the real plan: `--alpha-adjust bonferroni` reaches the protocol through the plan's sizing JSON."""
    from hypoplan.design.sizing import SizingOptions
    from hypoplan.loader import Repository, load_file, resolve
    from hypoplan.plan import build_plan

    path = ROOT / "hypotheses" / "mecfs-ne-vasomotion.yaml"
    hfile = load_file(path)
    repo = Repository(path.parent, [hfile])
    h = resolve(hfile, repo)
    for method, word in (("holm", "Holm"), ("bonferroni", "Bonferroni")):
        plan = build_plan(h, repository=repo, sizing_options=SizingOptions(alpha_adjust=method)).to_json()
        assert plan["sizing"]["alpha_adjust"] == method
        md = protocol_markdown(build_protocol(h, plan, "spirit")).replace("\\", "")
        analysis = md.split("**20a Statistical methods.**")[1].split("**20b")[0]
        assert f"As the plan records it: {plan['sizing']['alpha_note']}" in analysis
        primaries = [s for s in plan["sample_size"] if s.get("primary")]
        assert (word in analysis) == (len(primaries) > 1)  # a procedure is named only when it adjusts something
        assert "[AUTHOR: choose the multiplicity" not in analysis


def test_interventions_lead_with_the_randomised_treatment():
    """A randomised plan's intervention item names the randomised treatment (the estimand's), not only the
    positive-control crossover the controls add."""
    plan = json.loads(json.dumps(FULL_PLAN))
    plan["design"].update(type="randomised crossover", strategy="randomised")
    plan["estimand"] = dict(plan.get("estimand") or {}, treatment="Lamp X vs placebo, randomised (crossover)")
    plan["controls"] = [*plan.get("controls", []), {"kind": "within-subject", "name": "Drug Y vs placebo (positive control)"}]
    md = protocol_markdown(build_protocol(full_hypothesis(), plan, "spirit")).replace("\\", "")
    item = md.split("**11a Interventions.**")[1].split("**11b")[0]
    assert item.strip().startswith("Randomised intervention: Lamp X vs placebo, randomised (crossover). Also "
                                   "within-subject: Drug Y vs placebo (positive control).")
    assert ("[AUTHOR: give each intervention's drug or procedure, dose, route, timing and comparator, and the washout "
            "between periods]") in item


def test_plan_numbers_are_written_as_a_reader_would():
    plan = json.loads(json.dumps(FULL_PLAN))
    plan["sample_size"][0]["alpha"] = 0.05 / 3
    md = protocol_markdown(build_protocol(full_hypothesis(), plan, "spirit")).replace("\\", "")
    assert "alpha = 0.01667" in md and "0.016666" not in md


def test_split_body_and_parallel_assignment_reach_the_protocol():
    """design.arm decides the allocation items and the model: split-body is paired with no period term."""
    plan = json.loads(json.dumps(FULL_PLAN))
    plan["design"].update(type="randomised split-body comparison", strategy="randomised", strategy_reason="r",
                          randomised_node="lamp", arm="split_body",
                          estimand_formula="P(latency|do(lamp)) = P(latency|lamp) (randomised)")
    plan["estimand"] = dict(plan.get("estimand") or {}, treatment="Bedside lamp vs a sham or control condition")
    text = protocol_markdown(build_protocol(full_hypothesis(), plan, "spirit")).replace("\\", "")
    analysis = text.split("**20a Statistical methods.**")[1].split("**20b")[0]
    assert "latency ~ lamp + (1 | participant)" in analysis and "+ period" not in analysis and "no period term" in analysis
    assert "side (site) that receives the active condition" in text.split("**16a")[1].split("**16b")[0]
    assert "Randomised intervention: Bedside lamp vs a sham or control condition" in text
    assert "drug and placebo" not in text.split("**17a")[1].split("**17b")[0]
    plan["design"]["arm"] = "parallel"
    text = protocol_markdown(build_protocol(full_hypothesis(), plan, "spirit")).replace("\\", "")
    assert "for the parallel groups" in text.split("**16a")[1].split("**16b")[0]
