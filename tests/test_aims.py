"""The Specific Aims scaffold: structure, no invented citations or numbers, placeholders, budget, escaping, CLI."""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from render_fixtures import HOSTILE, assert_golden, checkable, hostile_hypothesis, small_hypothesis

from hypoplan.cli import app
from hypoplan.graph import build_graph
from hypoplan.render.aims import (
    SECTION_BUDGET,
    WORD_BUDGET,
    Placeholder,
    aims_docx,
    aims_markdown,
    build_aims,
    focal_nodes,
    untested_links,
    word_count,
)

DOI = re.compile(r"10\.\d{4,9}/[^\s;,)\]\\]+")
PMID = re.compile(r"pmid:\s*\d+", re.IGNORECASE)
NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?")

PLAN = {
    "hypothesis": {"id": "small", "title": "t", "status": "proposed", "summary": None},
    "peco": None,
    "design": {"type": "case-control", "summary": "Case-control study of adults with ME/CFS and healthy controls."},
    "measures": [
        {"node": "x", "label": "NE oscillation", "role": "exposure", "method": {"id": "eeg", "name": "EEG sigma ISO"},
         "alternatives": [], "human_measurable": True, "note": None},
        {"node": "y", "label": "unrefreshing sleep", "role": "outcome", "method": {"id": "dsq", "name": "DSQ items"},
         "alternatives": [], "human_measurable": True, "note": None},
        {"node": "m", "label": "vasomotion", "role": "mediator", "method": {"id": "nirs", "name": "NIRS overnight"},
         "alternatives": [], "human_measurable": True, "note": None},
    ],
    "adjustment": {"set": ["c"], "cost": None, "note": ""},
    "controls": [{"kind": "healthy", "name": "Healthy controls matched on age", "rationale": "r", "matched_on": ["c"],
                  "references": []}],
    "exclusions": [], "feasibility": [],
    "sample_size": [{"comparison": "ME/CFS vs controls", "design": "two-sample",
                     "effect_size": {"measure": "d", "value": 0.5, "source": "assumption", "citation": None},
                     "alpha": 0.05, "power": 0.8, "n_per_group": 64, "n_total": 128, "note": ""}],
    "discriminating_predictions": [{"rival": "rival-h", "measurement": "CSF DHPG", "this_predicts": "lower",
                                    "rival_predicts": "higher", "feasibility": "lumbar puncture", "basis": "b"}],
    "missing": [],
}


def test_focal_nodes_and_untested_links_by_brute_force():
    g = build_graph(small_hypothesis())
    # x -> m -> y is the only directed path; c and u are not on it; x <-> y is not directed
    assert focal_nodes(g, ["x"], ["y"]) == ["x", "m", "y"]
    links = {(u, v): why for u, v, why in untested_links(g, ["x", "m", "y"])}
    assert links == {("x", "m"): "mouse evidence only",
                     ("m", "y"): "no evidence recorded in this file; rated speculative"}


def test_structure_and_content_from_inputs():
    s = build_aims(small_hypothesis(), PLAN)
    md = aims_markdown(s)
    for block in ("**Gap.**", "**Long-term goal.**", "**Objective.**", "**Central hypothesis.**", "**Rationale**",
                  "**Aim 1.**", "**Aim 2.**", "**Aim 3.**", "**Impact.**", "*Expected:*", "null result"):
        assert block in md
    assert "NOT-OD-25-132" in md.split("-->")[0]  # the policy note is the HTML comment at the top
    assert "Determine whether NE oscillation affects unrefreshing sleep in adults with ME/CFS" in md
    assert "Higher NE oscillation decreases unrefreshing sleep through vasomotion" in md  # + then − along x→m→y
    assert "(n = 128)" in md and "NIRS overnight" in md and "CSF DHPG" in md
    assert "**\\[AUTHOR: justify the assumed effect size" in md
    # each aim: a hypothesis, one sentence of approach, one expected outcome
    assert all(len(a.approach) == 1 and len(a.expected) == 1 for a in s.aims)
    assert "\\[AUTHOR: state the long-term goal" in md  # no program_goal in the fixture
    assert [a.kind for a in s.aims] == ["focal", "mechanism", "rival"]


def test_without_plan_or_mediator_still_two_aims_with_placeholders():
    h = small_hypothesis(edges=[{"source": "x", "target": "y", "sign": "+", "confidence": "supported"}])
    s = build_aims(h, None)
    assert len(s.aims) == 2 and s.aims[1].kind == "author"
    assert isinstance(s.aims[1].title[0], Placeholder)


def test_hypothesis_id_in_a_code_span_is_shown_verbatim():
    # escapes are literal inside a code span: `ne\\_x` would show its backslash
    md = aims_markdown(build_aims(small_hypothesis(id="ne_small.v2"), None))
    assert "hypothesis file `ne_small.v2`" in md


def _inputs_text(h, plan) -> str:
    import json

    return h.model_dump_json() + json.dumps(plan)


def test_never_invents_citations_or_numbers():
    h = small_hypothesis(background="Known: see doi:10.1000/abc and pmid:12345.", program_goal="Cure ME/CFS.")
    s = build_aims(h, PLAN)
    md = aims_markdown(s)
    source = _inputs_text(h, PLAN)
    for doi in DOI.findall(md.replace("\\", "")):
        assert doi in source, doi
    for pmid in PMID.findall(md):
        assert pmid in source, pmid
    body = md.split("-->", 1)[1]
    # every number in the body comes from the inputs, except aim numbering, list numbering and the NIH notice id
    allowed = {"1", "2", "3", "25", "132"} | set(NUMBER.findall(source))
    assert set(NUMBER.findall(body.replace("\\", ""))) <= allowed


def test_effect_size_is_quoted_only_when_recorded():
    edges = [{"source": "x", "target": "y", "sign": "+", "confidence": "supported",
              "evidence": [{"species": "human", "design": "cohort", "finding": "f", "reference": "Doe 2020",
                            "citation": "pmid:999", "effect_size": {"measure": "d", "value": 0.42, "n": 38}}]}]
    md = aims_markdown(build_aims(small_hypothesis(edges=edges), None))
    assert "Reported effect: d = 0.42, n = 38 [1, human]" in md.replace("\\", "")
    assert "1. Doe 2020; pmid:999" in md
    md = aims_markdown(build_aims(small_hypothesis(), None))
    assert "Reported effect" not in md


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_inert_markdown(text):
    md = aims_markdown(build_aims(hostile_hypothesis(text), PLAN))
    _comment, body = md.split("-->", 1)
    assert "<" not in body.replace("&lt;", "")  # no raw HTML
    assert not re.search(r"(?<!\\)\[[^\]]*(?<!\\)\]\(", body)  # no live link
    assert not re.search(r"(?<!\\)!\[", body)
    assert not re.search(r"(?<![\\\u200d])@\w", body.replace("@\u200d", ""))
    assert not re.search(r"(?<!\\)`", body.replace("`small`", ""))
    assert "\n#" not in body.replace("\n# Specific Aims", "")
    assert "\r" not in md


def test_word_budget():
    s = build_aims(small_hypothesis(), PLAN)
    assert word_count(s.plain_text()) < WORD_BUDGET and s.budget_warning() is None
    assert sum(SECTION_BUDGET.values()) == WORD_BUDGET
    assert sum(s.section_words().values()) == word_count(s.plain_text())
    background = "This sentence is the author's own. " * 60
    long = build_aims(small_hypothesis(background=background), PLAN)
    warning = long.budget_warning()
    assert warning is not None and "cut the background (" in warning
    assert long.opening == (background.strip(),)  # kept whole: never cut mid-sentence
    assert word_count("Higher NE (d = 0.5) decreases sleep.") == 6


ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("path", sorted((ROOT / "hypotheses").glob("*.yaml")), ids=lambda p: p.stem)
def test_shipped_aims_fit_or_name_the_section_to_cut(path):
    from hypoplan.loader import Repository, load_file, resolve
    from hypoplan.plan import build_plan

    hfile = load_file(path)
    repo = Repository(path.parent, [hfile])
    h = resolve(hfile, repo)
    s = build_aims(h, build_plan(h, repository=repo).to_json())
    counts = s.section_words()
    # We wrote the shipped files, so they fit: the page within ~550 words and the author's own background within
    # its budget (test_word_budget checks that an over-budget page names the sections to cut).
    assert sum(counts.values()) <= WORD_BUDGET and s.budget_warning() is None, counts
    assert counts["background"] <= SECTION_BUDGET["background"], counts
    assert 2 <= len(s.aims) <= 3 and next(a.kind for a in s.aims) == "focal"
    md = aims_markdown(s)
    assert "not been tested" not in md and "untested" not in md.lower()
    # never invents, on real files too: every DOI and number of the page body is in the inputs
    source = _inputs_text(h, build_plan(h, repository=repo).to_json())
    body = md.split("-->", 1)[1].replace("\\", "")
    assert all(doi in source for doi in DOI.findall(body))
    numbering = {str(i) for i in range(1, max(3, len(s.references)) + 1)}  # aims and reference numbers
    assert set(NUMBER.findall(body)) <= numbering | {"25", "132"} | set(NUMBER.findall(source))


def _edge(source, target, confidence, *evidence):
    return {"source": source, "target": target, "sign": "+", "confidence": confidence, "evidence": list(evidence)}


def _ev(ref, species="human", design="observational", direction="supports", **extra):
    return {"reference": ref, "species": species, "design": design, "direction": direction, "finding": "f", **extra}


def test_fidelity_animal_only_weaker_in_humans_with_species():
    h = small_hypothesis(edges=[_edge("x", "m", "established", _ev("Mouse 2020", "mouse", "optogenetic")),
                                _edge("m", "y", "supported", _ev("Human 2021"))])
    md = aims_markdown(build_aims(h, None))
    assert "NE oscillation → vasomotion (supported in humans; established in mouse only)" in md
    assert "vasomotion → unrefreshing sleep (supported):" in md
    mouse = small_hypothesis(edges=h.model_dump(mode="json")["edges"],
                             peco={"population": "mice", "exposure": "e", "comparator": "c", "outcome": "o",
                                   "species": "mouse"})
    assert "NE oscillation → vasomotion (established):" in aims_markdown(build_aims(mouse, None))


def test_fidelity_rationale_cites_only_primary_support_on_that_link():
    h = small_hypothesis(edges=[
        _edge("x", "m", "suggestive", _ev("Quote 2024, quoted in a newspaper"), _ev("Opinion 2023", design="speculation"),
              _ev("Review 2022", design="review"), _ev("Against 2020", direction="contradicts"),
              _ev("Blog 2021", citation="https://example.org/press-release"), _ev("Primary 2019", design="rct")),
        _edge("m", "y", "speculative", _ev("Lay 2020 [S]"))])
    s = build_aims(h, None)
    rationale = "\n".join("".join(map(str, t)) for t in s.rationale)
    cited = {s.references[int(n) - 1] for n in re.findall(r"\[(\d+)", rationale)}
    assert cited == {"Primary 2019"}
    assert "vasomotion → unrefreshing sleep" not in rationale  # its only item is secondary
    gap = ["".join(map(str, t)) for t in s.gap]
    assert gap[0].startswith("NE oscillation → vasomotion: contradicted by [")
    assert any("vasomotion → unrefreshing sleep: no primary supporting evidence recorded" in g for g in gap)


def test_fidelity_gap_lists_contested_first_and_says_no_evidence_recorded():
    h = small_hypothesis(edges=[_edge("x", "m", "speculative"),
                                _edge("m", "y", "supported", _ev("Pro 2020"), _ev("Con 2021", direction="contradicts")),
                                _edge("c", "x", "supported", _ev("Con 2022", direction="contradicts"))])
    gap = ["".join(map(str, t)) for t in build_aims(h, None).gap]
    assert gap[0].startswith("age → NE oscillation: contradicted by") and gap[1].startswith("vasomotion → unrefreshing")
    assert gap[2] == "NE oscillation → vasomotion: no evidence recorded in this file; rated speculative."


def test_impact_from_the_files_own_text_or_a_placeholder():
    goal = "Map overnight clearance, so that treatments can target the sleeping brain."
    impact = build_aims(small_hypothesis(program_goal=goal), None).impact
    assert "treatments can target the sleeping brain" in impact[0] and isinstance(impact[-1], Placeholder)
    impact = build_aims(small_hypothesis(), None).impact
    assert str(impact[0]).startswith("The aims test whether NE oscillation") and isinstance(impact[-1], Placeholder)


def test_docx_output():
    pytest.importorskip("docx")
    data = aims_docx(build_aims(hostile_hypothesis("<b>x</b> & @me"), PLAN))
    with zipfile.ZipFile(BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode()
    assert "&lt;b&gt;x&lt;/b&gt; &amp; @me" in xml and "NOT-OD-25-132" in xml and "[AUTHOR:" in xml


def test_docx_without_python_docx_is_usage_error(monkeypatch):
    import sys

    from hypoplan.errors import UsageError

    monkeypatch.setitem(sys.modules, "docx", None)
    with pytest.raises(UsageError, match="python-docx"):
        aims_docx(build_aims(small_hypothesis(), None))


@pytest.fixture
def small_file(tmp_path: Path) -> Path:
    from hypoplan.writer import dump_hypothesis

    path = tmp_path / "small.yaml"
    path.write_text(dump_hypothesis(checkable(small_hypothesis(background=" ".join(["word"] * 600)))), encoding="utf-8")
    return path


def test_cli_markdown_warns_over_budget(runner, small_file, tmp_path):
    out = tmp_path / "aims.md"
    res = runner.invoke(app, ["aims", str(small_file), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "over the one-page budget" in res.stderr
    assert out.read_text().startswith("<!--")
    assert runner.invoke(app, ["aims", str(small_file), "-o", str(out)]).exit_code == 2  # no --force


def test_cli_docx_missing_library_exit_2(runner, small_file, tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "docx", None)
    res = runner.invoke(app, ["aims", str(small_file), "-f", "docx", "-o", str(tmp_path / "a.docx")])
    assert res.exit_code == 2 and "pip install 'hypoplan[docx]'" in res.stderr


def test_markdown_golden():
    h = small_hypothesis(program_goal="Find out whether overnight clearance fails in ME/CFS.")
    assert_golden("small_aims.md", aims_markdown(build_aims(h, PLAN)))


def test_rival_aim_says_when_recorded_evidence_already_bears_on_the_prediction():
    plan = dict(PLAN, discriminating_predictions=[dict(PLAN["discriminating_predictions"][0],
                                                       evidence=[{"citation": "Doe 2020", "bears": "for"}])])
    rival = next(a for a in build_aims(small_hypothesis(), plan).aims if a.kind == "rival")
    text = "".join(str(t) for part in rival.approach for t in part)
    assert "Recorded evidence already bears on it (see the plan)." in text and "say what this adds" in text
    bare = next(a for a in build_aims(small_hypothesis(), PLAN).aims if a.kind == "rival")
    assert "already bears" not in "".join(str(t) for part in bare.approach for t in part)


def test_weakest_animal_only_link_names_its_species_once_and_design_nouns():
    h = small_hypothesis(edges=[_edge("x", "m", "speculative", _ev("Mouse 2020", "mouse", "optogenetic")),
                                _edge("m", "y", "supported", _ev("Human 2021"))])
    md = aims_markdown(build_aims(h, None))
    assert "NE oscillation → vasomotion (speculative; mouse evidence only)" in md
    plan = dict(PLAN, measures=[*PLAN["measures"], dict(PLAN["measures"][1], method={"id": "psg", "name": "PSG"})])
    md = aims_markdown(build_aims(small_hypothesis(), plan))
    assert "A case-control study (n = 128) measures the exposure by EEG sigma ISO and the outcome by DSQ items and PSG" in md
    crossover = dict(plan, design={"type": "randomised crossover", "summary": "s"})
    assert "A randomised crossover (n = 128)" in aims_markdown(build_aims(small_hypothesis(), crossover))


def test_two_outcomes_read_as_plural():
    h = small_hypothesis(focus={"exposure": "x", "outcome": ["y", "m"]})
    s = build_aims(h, None)
    focal = next(a for a in s.aims if a.kind == "focal")
    assert "".join(map(str, focal.expected[0])).startswith("Unrefreshing sleep and vasomotion change as predicted")


def test_mediator_approach_says_animals_for_an_animal_hypothesis():
    mouse = small_hypothesis(peco={"population": "adult mice", "exposure": "e", "comparator": "c", "outcome": "o",
                                   "species": "mouse"})
    mechanism = next(a for a in build_aims(mouse, PLAN).aims if a.kind == "mechanism")
    assert "".join(map(str, mechanism.approach[0])).startswith("In the same animals, measure the mediator by")
    human = next(a for a in build_aims(small_hypothesis(), PLAN).aims if a.kind == "mechanism")
    assert "".join(map(str, human.approach[0])).startswith("In the same participants")
