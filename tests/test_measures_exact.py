"""Construct-exact measures (issue 9): a method only for the construct the catalog says it measures; the
catalog entry to add when none does; read-outs a study drug changes directly are avoided or flagged;
``hypoplan catalog`` lists and searches."""

from __future__ import annotations

import json

from hypoplan.design.catalog import default_catalog, load_catalog_text
from hypoplan.design.measures import measure_node
from hypoplan.graph import build_graph
from hypoplan.plan import build_plan
from hypoplan.schema import Hypothesis

CAT = load_catalog_text("""
constructs:
  - {id: heat_pt, label: Heat pain threshold}
  - {id: pressure_pt, label: Pressure pain threshold}
  - {id: turnover, label: NE turnover}
  - {id: snri_use, label: SNRI use, category: drug}
methods:
  - {id: algometer, name: Pressure algometry, constructs: [pressure_pt], captures: pressure, species: [human],
     invasiveness: none, setting: [clinic], cost_band: low, burden: {level: low}, references: ["R 2006"]}
  - {id: csf, name: CSF DHPG, constructs: [turnover], captures: DHPG, species: [human], invasiveness: moderate,
     setting: [clinic], cost_band: medium, burden: {level: medium}, references: ["D 1992"]}
  - {id: pet, name: NET PET, constructs: [turnover], captures: NET, species: [human], invasiveness: moderate,
     setting: [clinic], cost_band: high, burden: {level: medium}, references: ["P 2020"]}
drugs:
  - {id: snri, name: SNRIs, class: NET inhibitors, examples: [duloxetine], acts_on: [turnover], methods: [csf],
     effect: "NET inhibition lowers CSF DHPG.", action: exclusion, references: ["K 2015"]}
""", "c.yaml", base=None)


def _hyp(nodes: list[dict], edges: list[tuple[str, str]], x: str, y: str) -> Hypothesis:
    return Hypothesis.model_validate({"id": "h", "title": "t", "nodes": nodes,
                                      "edges": [{"source": a, "target": b} for a, b in edges],
                                      "focus": {"exposure": x, "outcome": y}})


def test_no_method_for_a_construct_the_catalog_does_not_measure():
    h = _hyp([{"id": "x", "constructs": ["turnover"]}, {"id": "heat", "constructs": ["heat_pt"]}], [("x", "heat")],
             "x", "heat")
    m = measure_node(build_graph(h), "heat", CAT)
    assert m.method is None  # pressure algometry measures pressure, not heat, pain thresholds
    assert "no catalogued method measures Heat pain threshold (heat_pt)" in m.note
    assert "constructs: [heat_pt]" in m.note and "methods: [{id: heat-pt-method" in m.note


def test_constructs_hint_names_existing_constructs():
    h = _hyp([{"id": "x", "label": "Pressure pain"}, {"id": "y"}], [("x", "y")], "x", "y")
    m = measure_node(build_graph(h), "x", CAT)
    assert "add 'constructs:'" in m.note and "pressure_pt" in m.note and "hypoplan catalog" in m.note


def test_crossover_read_out_avoids_a_method_the_drug_changes():
    nodes = [{"id": "snri", "label": "Duloxetine", "kind": "drug", "constructs": ["snri_use"]},
             {"id": "x", "constructs": ["turnover"]}, {"id": "y", "constructs": ["pressure_pt"]}]
    plan = build_plan(_hyp(nodes, [("snri", "x"), ("x", "y")], "x", "y"), catalog=CAT).to_json()
    assert plan["design"]["strategy"] == "randomised"
    x = next(m for m in plan["measures"] if m["node"] == "x")
    assert x["method"]["id"] == "pet"  # not CSF DHPG, which the SNRI lowers directly
    assert "SNRIs changes the reading of CSF DHPG directly" in x["note"]


def test_read_out_is_flagged_when_no_undisturbed_method_exists():
    cat = load_catalog_text("""
methods:
  - {id: pet, name: NET PET, constructs: [other_thing], captures: NET, species: [human], invasiveness: moderate,
     setting: [clinic], cost_band: high, burden: {level: medium}, references: ["P 2020"]}
constructs:
  - {id: other_thing, label: Other}
""", "d.yaml", base=CAT)
    nodes = [{"id": "snri", "label": "Duloxetine", "kind": "drug"}, {"id": "x", "constructs": ["turnover"]},
             {"id": "y", "constructs": ["pressure_pt"]}]
    plan = build_plan(_hyp(nodes, [("snri", "x"), ("x", "y")], "x", "y"), catalog=cat).to_json()
    x = next(m for m in plan["measures"] if m["node"] == "x")
    assert x["method"]["id"] == "csf" and x["note"].startswith("⚠ SNRIs changes the reading of CSF DHPG")


def test_shipped_catalog_measures_constructs_exactly():
    cat = default_catalog()
    algometry = cat.method("pressure-algometry")
    assert algometry is not None and "thermal_pain_threshold" not in algometry.constructs
    holter = cat.method("holter-hrv")
    assert holter is not None and holter.is_proxy_for("sympathetic_activity")
    h = _hyp([{"id": "s", "constructs": ["sympathetic_activity"]}, {"id": "p", "constructs": ["fm_diagnosis"]}],
             [("s", "p")], "s", "p")
    assert measure_node(build_graph(h), "s", cat).method.id == "msna-microneurography"


# --------------------------------------------------------------------------- hypoplan catalog

def test_catalog_lists_and_searches(runner):
    from hypoplan.cli import app

    r = runner.invoke(app, ["catalog"])
    assert r.exit_code == 0 and "Constructs" in r.stdout and "Methods" in r.stdout
    r = runner.invoke(app, ["catalog", "pain threshold", "--section", "constructs", "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    ids = {c["id"] for c in data["constructs"]}
    assert {"thermal_pain_threshold", "pressure_pain_threshold"} <= ids and data["methods"] == []
    thermal = next(c for c in data["constructs"] if c["id"] == "thermal_pain_threshold")
    assert "dfns-qst" in thermal["methods"] and "pressure-algometry" not in thermal["methods"]


def test_catalog_no_match_and_bad_file(runner, tmp_path):
    from hypoplan.cli import app

    r = runner.invoke(app, ["catalog", "no-such-thing-anywhere"])
    assert r.exit_code == 1 and "nothing in the catalog matches" in r.output
    r = runner.invoke(app, ["catalog", "--catalog", str(tmp_path / "missing.yaml")])
    assert r.exit_code == 2


def test_catalog_includes_a_repository_catalog(runner, tmp_path):
    from hypoplan.cli import app

    extra = tmp_path / "lab.yaml"
    extra.write_text("constructs:\n  - {id: grip_strength, label: Grip strength}\n", encoding="utf-8")
    r = runner.invoke(app, ["catalog", "grip", "--catalog", str(extra), "-f", "json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["constructs"][0]["methods"] == []
