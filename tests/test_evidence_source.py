"""Evidence ``source`` (primary, secondary, lay, press): the field, its keyword fallback, and every place that
counts support (aims rationale, lint L010/L013, the registry's secondary-only count, the plan's feasibility)."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest
from registry_helpers import edge, ev, hyp, load_map, node, write_registry
from render_fixtures import small_hypothesis

from hypoplan.design import feasibility as fea
from hypoplan.graph import build_graph
from hypoplan.loader import load_file, load_text
from hypoplan.render.aims import aims_markdown, build_aims
from hypoplan.review.lint import RULES, LintConfig, lint_hypothesis
from hypoplan.schema import Evidence, Source, source_from_text
from hypoplan.writer import dump_hypothesis

ROOT = Path(__file__).resolve().parents[1]


def _item(**extra) -> Evidence:
    return Evidence.model_validate({"design": "observational", "finding": "f", **extra})


@pytest.mark.parametrize(("text", "expected"), [
    ("Hauglund 2025, Cell", Source.PRIMARY),
    ("Sun et al. 2026, SLEEP [S]", Source.SECONDARY),
    ("a secondary source", Source.SECONDARY),
    ("NIAMS lay summary", Source.LAY),
    ("Patient forum thread", Source.LAY),
    ("quoted in a Danish news article posted to the forum", Source.PRESS),  # press outranks lay
    ("University press release", Source.PRESS),
    ("Pressure pain thresholds", Source.PRIMARY),  # whole words only
])
def test_keyword_fallback(text, expected):
    assert source_from_text(text) is expected
    assert _item(reference=text).source_type is expected


def test_explicit_source_wins_over_the_words():
    assert _item(reference="Sun 2026 [S]", source="primary").source_type is Source.PRIMARY
    assert _item(reference="Plain 2020", source="press").source_type is Source.PRESS
    assert _item(reference="Plain 2020").source is None  # unset stays unset (the fallback is not written back)
    with pytest.raises(ValueError, match="source"):
        _item(source="rumour")


def test_schema_documents_the_field_and_fmt_round_trips():
    schema = json.loads((ROOT / "schema" / "hypothesis.schema.json").read_text())
    text = json.dumps(schema)
    assert '"primary"' in text and '"press"' in text and "Only primary items count as support" in text
    h = small_hypothesis(edges=[{"source": "x", "target": "m", "evidence": [
        {"reference": "R", "source": "lay", "design": "cohort", "finding": "f"},
        {"reference": "Q", "design": "cohort", "finding": "g"}]}])
    yaml = dump_hypothesis(h)
    assert re.search(r"reference: R\n\s+source: lay\n", yaml)
    assert yaml.count("source: lay") == 1 and "source: primary" not in yaml  # unset is not written
    again = load_text(yaml, "h.yaml").hypothesis
    assert again == h and dump_hypothesis(again) == yaml


def test_aims_rationale_uses_the_field_not_the_words():
    edges = [{"source": "x", "target": "m", "sign": "+", "confidence": "supported", "evidence": [
        {"reference": "Plain Press 2024", "source": "press", "species": "human", "design": "cohort", "finding": "f"},
        {"reference": "Read 2023 [S]", "source": "primary", "species": "human", "design": "cohort", "finding": "g"}]},
        {"source": "m", "target": "y", "sign": "+"}]
    s = build_aims(small_hypothesis(edges=edges), None)
    assert list(s.references) == ["Read 2023 [S]"]  # the explicit field decides both ways
    assert "Plain Press 2024" not in aims_markdown(s)


def test_aims_do_not_quote_a_press_figure_attached_to_a_primary_finding():
    effect = {"measure": "d", "value": 0.77, "n": 20}
    edges = [{"source": "x", "target": "y", "sign": "+", "confidence": "supported", "evidence": [
        {"reference": "A 2020", "source": "primary", "species": "human", "design": "rct", "finding": "f",
         "effect_size": {**effect, "note": "figure from press coverage [S]"}}]}]
    md = aims_markdown(build_aims(small_hypothesis(edges=edges), None))
    assert "0.77" not in md and "A 2020" in md
    edges[0]["evidence"][0]["effect_size"] = effect
    assert "d = 0.77" in aims_markdown(build_aims(small_hypothesis(edges=edges), None))


LINT = """\
id: h
title: Secondhand
peco: {population: adults, exposure: x, comparator: no x, outcome: y, species: human}
focus: {exposure: x, outcome: y}
nodes:
  - id: x
  - id: y
edges:
  - source: x
    target: y
    sign: "+"
    confidence: suggestive
    evidence:
      - citation: doi:10.1000/one
        source: press
        species: human
        design: cohort
        finding: x goes with y
        n: 40
"""


def _codes(text: str, config: LintConfig | None = None) -> list[str]:
    return [d.code for d in lint_hypothesis(load_text(textwrap.dedent(text), "h.yaml"), config=config or LintConfig())]


def test_L013_support_only_secondhand():
    assert RULES["L013"].name == "support-only-secondhand"
    assert _codes(LINT) == ["L013"]
    assert _codes(LINT.replace("source: press", "source: primary")) == []
    assert _codes(LINT.replace("        source: press\n", "")) == []  # unset, no words: primary
    assert _codes(LINT.replace("source: press", "source: lay").replace("x goes with y", "x goes with y [S]")) == [
        "L013"]
    both = LINT + ("      - {citation: 'pmid:2', source: secondary, species: human, design: cohort, finding: g,"
                   " n: 9}\n")
    assert _codes(both) == ["L013"]
    primary_too = LINT + "      - {citation: 'pmid:2', species: human, design: cohort, finding: g, n: 9}\n"
    assert _codes(primary_too) == []
    contra = LINT.replace("source: press", "source: primary") + (
        "      - {citation: 'pmid:2', source: press, direction: contradicts, species: human, design: cohort,"
        " finding: g, n: 9}\n")
    assert "L013" not in _codes(contra)  # only support is counted
    assert _codes(LINT, LintConfig(disable=frozenset({"L013"}))) == []
    assert _codes(LINT.replace("confidence: suggestive", "confidence: speculative")) == []  # says so already
    assert [d.severity.value for d in lint_hypothesis(load_text(LINT, "h.yaml"))] == ["warning"]


def test_L010_counts_only_primary_replications():
    strong = LINT.replace("source: press", "source: primary").replace("confidence: suggestive",
                                                                      "confidence: established")
    two = strong + "      - {citation: 'pmid:2', species: human, design: cohort, finding: g, n: 9}\n"
    assert "L010" not in _codes(two)
    assert "L010" in _codes(two.replace("finding: g,", "source: press, finding: g,"))


def test_registry_counts_secondhand_sources_as_secondary_only(tmp_path):
    lay = {**ev("pmid:6"), "source": "lay"}
    folder = write_registry(
        tmp_path / "reg",
        hyp("a", [node("x", "depression"), node("y", "cognitive_function"), node("z", "anxiety")],
            [edge("x", "y", "+", lay, {**ev("pmid:7"), "reference": "Somebody 2020 [S]"}),
             edge("x", "z", "+", lay, ev("pmid:8"))]),
    )
    assert load_map(folder).evidence.secondary_only == 1


def test_plan_feasibility_notes_secondhand_support():
    h = small_hypothesis(edges=[
        {"source": "x", "target": "m", "evidence": [
            {"reference": "News 2024", "source": "press", "species": "human", "design": "cohort", "finding": "f"}]},
        {"source": "m", "target": "y", "evidence": [
            {"reference": "Mouse 2020", "species": "mouse", "design": "knockout", "finding": "f"},
            {"reference": "Lay 2021", "source": "lay", "species": "human", "design": "cohort", "finding": "g"}]}])
    notes = fea.species_gap_notes(build_graph(h), [("x", "m"), ("m", "y")])
    by_rule = {n.rule: n for n in notes}
    assert by_rule["secondhand-support"].note.startswith(
        "Supported only by secondary, lay or press accounts: NE oscillation → vasomotion (press).")
    assert by_rule["species-gap"].note.startswith("Supported only by animal evidence: vasomotion → unrefreshing")


def test_shipped_hypotheses_state_every_source_from_the_brief():
    seen: dict[str, set[str]] = {}
    for path in sorted((ROOT / "hypotheses").glob("*.yaml")):
        for e in load_file(path).hypothesis.edges:
            for item in e.evidence:
                assert item.source is not None, f"{path.name}: {e.source} -> {e.target}: {item.reference}"
                seen.setdefault(item.source.value, set()).add(item.reference or "")
    assert any("forum" in r for r in seen["lay"])
    assert any("news" in r for r in seen["press"])
    assert {"Sun et al. 2026, SLEEP [S]", "Xie et al. 2013, Science [S]"} <= seen["secondary"]
    assert not any("[S]" in r for r in seen["primary"])


def test_aims_gap_marks_second_hand_contradiction():
    edges = [{"source": "x", "target": "m", "sign": "+", "confidence": "contested", "evidence": [
        {"reference": "Against 2026", "source": "secondary", "species": "human", "design": "cohort",
         "direction": "contradicts", "finding": "f"}]}, {"source": "m", "target": "y", "sign": "+"}]
    gap = ["".join(map(str, t)) for t in build_aims(small_hypothesis(edges=edges), None).gap]
    assert gap[0] == "NE oscillation → vasomotion: contradicted by [1, human, secondary]."


def test_diagram_animal_badge_ignores_second_hand_human_items():
    from hypoplan.render.diagram import is_animal_only

    mouse = _item(species="mouse", design="knockout")
    press = _item(species="human", source="press")
    human = _item(species="human")
    assert is_animal_only([mouse, press])  # a press account of a human study is no human data
    assert not is_animal_only([mouse, human])
    assert not is_animal_only([press])  # nothing primary: no claim either way
