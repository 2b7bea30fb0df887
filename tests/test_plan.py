"""build_plan end to end: another field with its own catalog, a no-match hypothesis, the shipped ME/CFS plan."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hypoplan.design.catalog import load_catalog_for
from hypoplan.loader import Repository, load_file, resolve
from hypoplan.plan import build_plan
from hypoplan.render.plan_markdown import render_plan_markdown
from hypoplan.schema import Hypothesis

ROOT = Path(__file__).resolve().parents[1]
OTHER = Path(__file__).parent / "data" / "other_field"
KEYS = ["hypothesis", "peco", "design", "estimand", "outcomes", "measures", "adjustment", "controls", "controls_left_out", "exclusions", "feasibility",
        "sample_size", "sizing", "discriminating_predictions", "missing"]

DESIGN_KEYS = ["type", "summary", "strategy", "strategy_reason", "considered", "estimand_formula", "randomised_node",
               "arm", "instrument", "instrument_given", "frontdoor", "latent_to_measure"]


def _plan(path: Path) -> dict:
    hfile = load_file(path)
    repo = Repository(path.parent, [hfile])
    return build_plan(resolve(hfile, repo), repository=repo, catalog=load_catalog_for(path.parent)).to_json()


def test_other_field_plan_uses_its_own_catalog():
    plan = _plan(OTHER / "pm25-asthma.yaml")
    assert list(plan) == KEYS
    assert list(plan["design"]) == DESIGN_KEYS
    by_node = {m["node"]: m for m in plan["measures"]}
    assert by_node["pm25"]["role"] == "exposure" and by_node["pm25"]["method"]["id"] == "personal-pm-monitor"
    assert by_node["inflammation"]["method"]["id"] == "feno"  # the proxy before the bronchial biopsy
    kinds = {c["kind"]: c for c in plan["controls"]}
    assert kinds["healthy"]["matched_on"] == ["Household income", "Sex", "Age"]  # sex and age always (SABV)
    assert any(c["name"] == "COPD" for c in plan["controls"])
    assert any(c["kind"] == "within-subject" and "Budesonide" in c["name"] for c in plan["controls"])
    assert any("Inhaled corticosteroids" in e["criterion"] and e["references"] for e in plan["exclusions"])
    topics = {f["topic"] for f in plan["feasibility"]}
    assert {"exacerbation safety", "species gap", "contradicting evidence"} <= topics
    assert "post-exertional malaise" not in topics  # nothing of ME/CFS leaks into another field
    preds = plan["discriminating_predictions"]
    pairs = {(p["this_predicts"], p["rival_predicts"]) for p in preds[:2]}
    assert pairs == {("PM2.5 exposure raises Airway inflammation", "PM2.5 exposure lowers Airway inflammation"),
                     ("PM2.5 exposure raises Asthma exacerbation", "PM2.5 exposure lowers Asthma exacerbation")}
    assert "proxy" in preds[1]["feasibility"]  # the cheaper, direct measurement ranks first
    text = json.dumps(plan)
    assert "ME/CFS" not in text and "PEM" not in text
    # issue 9: nothing hard-wired to one field, in the JSON or the Markdown
    md = render_plan_markdown(plan).lower()
    for word in ("sleep", "oscillation", "0.02 hz", "infraslow", "night", "post-exertional", "fibromyalgia"):
        assert word not in text.lower() and word not in md, word
    assert plan["design"]["strategy"] == "adjustment" and plan["adjustment"]["set"] == ["income"]
    assert plan["estimand"]["intercurrent_events"] == []  # none in its catalog: never invented


def test_no_match_hypothesis_says_what_is_missing():
    h = Hypothesis.model_validate({
        "id": "mystery", "title": "Glorp causes blarg",
        "nodes": [{"id": "glorp"}, {"id": "blarg", "constructs": ["blarg_level"]}],
        "edges": [{"source": "glorp", "target": "blarg"}],
        "focus": {"exposure": "glorp", "outcome": "blarg"}, "rivals": ["elsewhere"]})
    plan = build_plan(h).to_json()
    missing = "\n".join(plan["missing"])
    assert "no PECO" in missing
    assert "glorp: no constructs given" in missing
    assert "blarg: constructs not in the catalog: blarg_level" in missing
    assert "rival 'elsewhere' was not found" in missing
    assert "no recorded effect size" in missing
    assert all(m["method"] is None for m in plan["measures"])
    assert plan["peco"] is None
    md = render_plan_markdown(plan)
    assert "## Missing" in md and "blarg\\_level" in md


@pytest.mark.parametrize(("edges", "focus", "reason"), [
    ([{"source": "a", "target": "b"}, {"source": "b", "target": "a"}], {"exposure": "a", "outcome": "b"},
     "directed cycle"),
    ([{"source": "a", "target": "b"}], {"exposure": "a", "outcome": "a"}, "both exposure and outcome"),
    ([{"source": "a", "target": "b"}], {}, "exposure and outcome must be set in focus"),
])
def test_adjustment_note_gives_the_real_reason_there_is_no_analysis(edges, focus, reason):
    h = Hypothesis.model_validate({"id": "h", "title": "t", "nodes": [{"id": "a"}, {"id": "b"}], "edges": edges,
                                   "focus": focus})
    note = build_plan(h).to_json()["adjustment"]["note"]
    assert note.startswith("no causal analysis: ") and reason in note


def test_rival_id_in_a_code_span_is_shown_verbatim():
    # Markdown escapes are literal inside a code span: ne\\_deficit would show its backslash
    plan = _plan(OTHER / "pm25-asthma.yaml")
    plan["discriminating_predictions"][0]["rival"] = "pm25_rival.v2"
    plan["hypothesis"]["id"] = "pm25_asthma"
    md = render_plan_markdown(plan)
    assert "(vs `pm25_rival.v2`)" in md and "Hypothesis `pm25_asthma`" in md


def test_markdown_escapes_user_text():
    h = Hypothesis.model_validate({
        "id": "x", "title": "A | B <script>alert(1)</script> `code` @team",
        "nodes": [{"id": "a", "label": "A|pipe <b>"}, {"id": "b"}],
        "edges": [{"source": "a", "target": "b"}], "focus": {"exposure": "a", "outcome": "b"}})
    md = render_plan_markdown(build_plan(h).to_json())
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert "A\\|pipe" in md and "@team" not in md and "\\`code\\`" in md


SHIPPED = ROOT / "hypotheses" / "mecfs-ne-vasomotion.yaml"


@pytest.mark.skipif(not SHIPPED.exists(), reason="shipped hypothesis not present")
def test_shipped_mecfs_plan_meets_the_issue():
    plan = _plan(SHIPPED)
    exposure = next(m for m in plan["measures"] if m["role"] == "exposure")
    method = exposure["method"]
    assert method["invasiveness"] == "none" and method["caveats"]  # a non-invasive human proxy with its caveat
    assert "cannot be measured in humans" in exposure["note"]
    kinds = [c["kind"] for c in plan["controls"]]
    assert "healthy" in kinds and kinds.count("disease") == 2 and "within-subject" in kinds
    healthy = next(c for c in plan["controls"] if c["kind"] == "healthy")
    assert {"Age", "Sex"} <= set(healthy["matched_on"]) and healthy["references"]
    # issue 9: never matched on consequences of ME/CFS; the circular outcome gets a within-person design
    assert not {"Anxiety and chronic stress", "Orthostatic intolerance (cerebral blood flow fall on tilt, POTS)"} \
        & set(healthy["matched_on"])
    assert any(c["kind"] == "within-person" and "several nights" in c["rationale"] for c in plan["controls"])
    assert plan["design"]["strategy"] == "randomised"
    zolpidem = next(c for c in plan["controls"] if c["kind"] == "within-subject" and "Zolpidem" in c["name"])
    assert "positive control" in zolpidem["name"] and "Read-out caveat" in zolpidem["rationale"]
    events = {e["event"] for e in plan["estimand"]["intercurrent_events"]}
    assert any("PEM" in e for e in events) and any("missed" in e for e in events)
    assert plan["exclusions"] and all(e["reason"] and e["references"] for e in plan["exclusions"])
    assert any("DHPG" in e["reason"] for e in plan["exclusions"])
    feas = {f["topic"]: f for f in plan["feasibility"]}
    assert "post-exertional malaise" in feas and "home" in feas["post-exertional malaise"]["note"]
    assert "25%" in feas["severe and housebound patients"]["note"]
    assert plan["sample_size"] and any(s["effect_size"]["source"] == "evidence" for s in plan["sample_size"])
    assert all(s["effect_size"]["citation"] for s in plan["sample_size"])
    adjustment = plan["adjustment"]
    assert adjustment["set"] and adjustment["cost"] is not None and "minimum-cost" in adjustment["note"]
    roles = {m["node"]: m["role"] for m in plan["measures"]}
    assert all(roles[n] == "adjustment" for n in adjustment["set"])
    assert "mediator" in roles.values()
    preds = plan["discriminating_predictions"]
    assert preds and preds[0]["rival"] == "mecfs-waste-compensatory-ne"
    assert "lowers" in preds[0]["this_predicts"] and "raises" in preds[0]["rival_predicts"]


def test_cli_plan_markdown_json_and_overwrite(runner, tmp_path):
    from hypoplan.cli import app

    src = OTHER / "pm25-asthma.yaml"
    out = tmp_path / "plan.md"
    r = runner.invoke(app, ["plan", str(src), "-o", str(out)])
    assert r.exit_code == 0, r.output
    md = out.read_text(encoding="utf-8")
    assert md.startswith("# Study plan: Traffic PM2.5")
    assert "Personal PM2.5 monitor" in md  # from the catalog.yaml beside the hypothesis, picked up automatically
    headings = [line for line in md.splitlines() if line.startswith("## ")]
    assert headings == ["## PECO", "## Design", "## Identification strategy", "## Estimand (ICH E9(R1))",
                        "## Outcomes", "## What to measure", "## Adjustment set", "## Control groups",
                        "## Exclusions and washouts", "## Feasibility", "## Sample size",
                        "## Discriminating predictions", "## Missing"]
    r = runner.invoke(app, ["plan", str(src), "-o", str(out)])
    assert r.exit_code == 2 and "already exists" in r.output
    r = runner.invoke(app, ["plan", str(src), "-o", str(out), "--force", "--format", "json"])
    assert r.exit_code == 0 and json.loads(out.read_text(encoding="utf-8"))["hypothesis"]["id"] == "pm25-asthma"


def test_cli_plan_errors(runner, tmp_path):
    from hypoplan.cli import app

    r = runner.invoke(app, ["plan", str(tmp_path / "nope.yaml")])
    assert r.exit_code == 2 and "no such file" in r.output
    bad = tmp_path / "bad-catalog.yaml"
    bad.write_text("methods:\n  - id: m\n    name: M\n", encoding="utf-8")
    r = runner.invoke(app, ["plan", str(OTHER / "pm25-asthma.yaml"), "--catalog", str(bad)])
    assert r.exit_code == 1 and "bad-catalog.yaml:2:" in r.output and "captures" in r.output


def test_cli_plan_reads_dagitty(runner, tmp_path):
    from hypoplan.cli import app

    src = tmp_path / "t.dagitty"
    src.write_text("dag {\n  X [exposure]\n  Y [outcome]\n  Z\n  X -> Y\n  Z -> X\n  Z -> Y\n}\n", encoding="utf-8")
    r = runner.invoke(app, ["plan", str(src), "--format", "json"])
    assert r.exit_code == 0, r.output
    plan = json.loads(r.stdout[r.stdout.index("{"):])
    assert plan["hypothesis"]["id"] == "t"
    assert any("X: no constructs given" in m for m in plan["missing"])


FM = ROOT / "hypotheses" / "fm-sympathetic-pain.yaml"


@pytest.mark.skipif(not FM.exists(), reason="shipped hypothesis not present")
def test_shipped_fm_plan_proposes_the_randomised_ne_challenge():
    plan = _plan(FM)
    d = plan["design"]
    assert d["strategy"] == "randomised" and "NE challenge" in d["strategy_reason"]
    assert plan["outcomes"]["primary"]["node"] == "ne_evoked_pain"
    # FM pain is the FM criteria: a case-vs-control comparison on it is refused
    assert any(c["kind"] == "within-person" and "Fibromyalgia pain" in c["name"] for c in plan["controls"])
    # the exposure's sympathetic driver is read by MSNA (direct), not by Holter HRV (cardiac, largely vagal)
    symp = next(m for m in plan["measures"] if m["node"] == "sympathetic_activity")
    assert symp["method"]["id"] == "msna-microneurography"
    # only the NE-vs-saline contrast is labelled randomised
    from hypoplan.loader import load_file

    h = load_file(FM).hypothesis
    rct = {(e.source, e.target) for e in h.edges for ev in e.evidence if ev.design.value == "rct"}
    assert rct == {("ne_challenge", "nociceptor_ne"), ("nociceptor_ne", "ne_evoked_pain")}
