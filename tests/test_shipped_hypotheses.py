"""The shipped hypotheses: they load, pass ``check``, are acyclic, compose as the
contract says, carry the contradicting evidence the domain brief records, and cite
only identifiers that appear in the brief."""

from __future__ import annotations

import math
import re
from pathlib import Path

import networkx as nx
import pytest

from hypoplan.check import check_paths
from hypoplan.graph import build_graph
from hypoplan.loader import Repository, is_catalog_path, load_file, resolve
from hypoplan.schema import Confidence, Direction, EdgeType, Hypothesis, Species

ROOT = Path(__file__).resolve().parents[1]
HYPOTHESES = ROOT / "hypotheses"
BRIEF = ROOT.parent / "shared" / "domain" / "brief.md"
MODELINE = "# yaml-language-server: $schema=../schema/hypothesis.schema.json"

CONTRACT_IDS = {
    "ne-vasomotion-glymphatic",
    "mecfs-ne-vasomotion",
    "mecfs-waste-compensatory-ne",
    "fm-sympathetic-pain",
    "ne-deficit-pain-threshold",
    "ne-dysfunction-brain-fog",
}

#: The construct vocabulary agreed with the measurement catalog (team contract).
CONSTRUCTS = {
    "lc_activity", "ne_infraslow_oscillation", "central_ne_turnover", "sympathetic_activity",
    "cerebral_vasomotion", "cerebral_blood_volume", "csf_inflow", "glymphatic_clearance",
    "brain_waste_accumulation", "nrem_sleep_architecture", "sleep_instability", "unrefreshing_sleep",
    "mecfs_diagnosis", "post_exertional_malaise", "fm_diagnosis", "pain_threshold", "ne_evoked_pain",
    "cognitive_function", "alertness_arousal", "anxiety", "depression", "chronic_stress", "age", "sex",
    "bmi", "sleep_apnea", "physical_activity", "orthostatic_intolerance", "hypnotic_use", "net_inhibitor_use",
    # issue 9: construct-exact thresholds (a heat threshold is not measured by pressure algometry)
    "thermal_pain_threshold", "mechanical_pain_threshold",
}

WALITT = "doi:10.1038/s41467-024-45107-3"
JASMIN_2002 = "PMC117425"
JASMIN_2003 = "pmid:12687695"

SHIPPED = sorted(p for p in HYPOTHESES.glob("*.yaml") if not is_catalog_path(p))


def _load(stem: str) -> Hypothesis:
    return load_file(HYPOTHESES / f"{stem}.yaml").hypothesis


def _resolved(stem: str) -> Hypothesis:
    return resolve(load_file(HYPOTHESES / f"{stem}.yaml"), Repository(HYPOTHESES))


def _evidence(h: Hypothesis):
    for edge in h.edges:
        for ev in edge.evidence:
            yield edge, ev


def test_the_contract_ids_are_shipped() -> None:
    assert CONTRACT_IDS <= {p.stem for p in SHIPPED}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_file_loads_with_modeline_and_matching_id(path: Path) -> None:
    hfile = load_file(path)
    assert hfile.hypothesis.id == path.stem
    assert path.read_text(encoding="utf-8").splitlines()[0] == MODELINE


def test_check_reports_no_errors() -> None:
    report = check_paths([HYPOTHESES])
    assert [d.format() for d in report.errors] == []
    assert {f.hypothesis.id for f in report.loaded} >= CONTRACT_IDS


def test_cli_check_exits_zero() -> None:
    from typer.testing import CliRunner

    from hypoplan.cli import app

    result = CliRunner().invoke(app, ["check", str(HYPOTHESES)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_graph_is_acyclic_and_exposure_reaches_outcome(path: Path) -> None:
    h = _resolved(path.stem)
    g = build_graph(h)
    assert nx.is_directed_acyclic_graph(g)
    assert h.focus.exposure and h.focus.outcome
    for x in h.focus.exposure:
        for y in h.focus.outcome:
            assert nx.has_path(g, x, y), f"{path.stem}: no directed causal path {x} -> ... -> {y}"


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_nodes_use_the_agreed_construct_vocabulary(path: Path) -> None:
    h = _load(path.stem)
    unknown = {(n.id, c) for n in h.nodes for c in n.constructs if c not in CONSTRUCTS}
    assert unknown == set()


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_unsourced_edges_are_speculative_and_contradicted_edges_are_not_claimed_firmly(path: Path) -> None:
    for edge in _load(path.stem).edges:
        if edge.type is not EdgeType.CAUSES:
            continue
        if not edge.evidence:
            assert edge.confidence is Confidence.SPECULATIVE, (edge.source, edge.target)
        if any(ev.direction is Direction.CONTRADICTS for ev in edge.evidence):
            assert edge.confidence in (Confidence.CONTESTED, Confidence.SPECULATIVE), (edge.source, edge.target)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_animal_only_edges_are_at_most_suggestive_for_human_claims(path: Path) -> None:
    h = _load(path.stem)
    if h.peco is None or h.peco.species is not Species.HUMAN:
        pytest.skip("not a claim about humans")
    for edge in h.edges:
        species = [ev.species for ev in edge.evidence if ev.species is not None]
        if species and all(s.is_animal for s in species):
            assert edge.confidence not in (Confidence.ESTABLISHED, Confidence.SUPPORTED), (edge.source, edge.target)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_provenance_quotes_are_short(path: Path) -> None:
    h = _load(path.stem)
    assert h.provenance
    for prov in h.provenance:
        assert prov.quote and len(prov.quote.split()) <= 30


def test_disease_hypotheses_have_peco() -> None:
    for stem in CONTRACT_IDS - {"ne-vasomotion-glymphatic"}:
        peco = _load(stem).peco
        assert peco is not None and peco.species is Species.HUMAN, stem


def test_mecfs_hypothesis_extends_the_mechanism() -> None:
    mechanism = _load("ne-vasomotion-glymphatic")
    own = _load("mecfs-ne-vasomotion")
    full = _resolved("mecfs-ne-vasomotion")
    assert own.extends == ("ne-vasomotion-glymphatic",)
    # the mechanism's nodes are not copied into the file, they come through `extends`
    assert not {n.id for n in mechanism.nodes} & {n.id for n in own.nodes}
    assert {n.id for n in mechanism.nodes} <= {n.id for n in full.nodes}
    assert {e.key for e in mechanism.edges} <= {e.key for e in full.edges}
    # the focus is the ME/CFS one: NE oscillation -> unrefreshing sleep
    assert full.focus.exposure == ("ne_oscillation",)
    assert full.focus.outcome == ("unrefreshing_sleep",)
    assert "ne_infraslow_oscillation" in full.node("ne_oscillation").constructs
    assert "unrefreshing_sleep" in full.node("unrefreshing_sleep").constructs


def test_rivals_name_each_other() -> None:
    by_id = {p.stem: _load(p.stem) for p in SHIPPED}
    assert "mecfs-waste-compensatory-ne" in by_id["mecfs-ne-vasomotion"].rivals
    for hid, h in by_id.items():
        for rival in h.rivals:
            assert hid in by_id[rival].rivals, f"{rival} does not name {hid} back"


def test_shared_node_ids_mean_the_same_thing_across_rivals() -> None:
    """The planner compares rivals node by node, so a shared id must carry the same constructs."""
    a, b = _resolved("mecfs-ne-vasomotion"), _resolved("mecfs-waste-compensatory-ne")
    shared = {n.id for n in a.nodes} & {n.id for n in b.nodes}
    assert {"mecfs", "lc_ne_release", "central_ne_turnover", "unrefreshing_sleep"} <= shared
    for node_id in shared:
        assert set(a.node(node_id).constructs) == set(b.node(node_id).constructs), node_id


def test_walitt_contradicts_the_compensatory_rise_in_ne() -> None:
    rival = _resolved("mecfs-waste-compensatory-ne")
    g = build_graph(rival)
    assert nx.has_path(g, "waste_load_presleep", "central_ne_turnover")
    contradicting = [(e, ev) for e, ev in _evidence(rival)
                     if ev.citation == WALITT and ev.direction is Direction.CONTRADICTS]
    assert contradicting
    edge, ev = contradicting[0]
    assert (edge.source, edge.target) == ("waste_load_presleep", "lc_ne_release")
    assert edge.sign.value == "positive" and edge.confidence is Confidence.CONTESTED
    assert ev.effect_size is not None and ev.effect_size.value < 0


def test_walitt_dhpg_is_consistent_with_the_ne_vasomotion_hypothesis() -> None:
    h = _resolved("mecfs-ne-vasomotion")
    supporting = [(e, ev) for e, ev in _evidence(h) if ev.citation == WALITT and ev.direction is Direction.SUPPORTS
                  and e.target == "lc_ne_release"]
    assert supporting and supporting[0][0].sign.value == "negative"


def test_dti_alps_is_evidence_on_the_clearance_side_in_mecfs() -> None:
    h = _resolved("mecfs-ne-vasomotion")
    alps = [(e, ev) for e, ev in _evidence(h) if ev.citation == "doi:10.3389/fnins.2026.1875420"]
    targets = {e.target for e, _ in alps}
    assert "glymphatic_clearance" in targets
    sized = [ev for _, ev in alps if ev.effect_size and ev.effect_size.measure == "d"]
    assert sized and sized[0].effect_size.n == 58


def test_jasmin_2003_contradicts_the_pain_threshold_claim() -> None:
    h = _load("ne-deficit-pain-threshold")
    thermal = next(e for e in h.edges if e.target == "thermal_pain_threshold" and e.source == "noradrenergic_signalling")
    mechanical = next(e for e in h.edges if e.target == "mechanical_pain_threshold"
                      and e.source == "noradrenergic_signalling")
    for edge in (thermal, mechanical):
        assert edge.confidence is Confidence.CONTESTED
        assert any(ev.citation == JASMIN_2003 and ev.direction is Direction.CONTRADICTS for ev in edge.evidence)
    # knockout mice: thermal hyperalgesia yes, mechanical no
    assert any(ev.citation == JASMIN_2002 and ev.direction is Direction.SUPPORTS for ev in thermal.evidence)
    assert any(ev.citation == JASMIN_2002 and ev.direction is Direction.NULL for ev in mechanical.evidence)
    # issue 9: the lay summary conflicts with the papers (brief, section 0), so it never counts as evidence;
    # it is named in the notes only
    for edge in (thermal, mechanical):
        assert not [ev for ev in edge.evidence if "lay summary" in (ev.reference or "")]
        assert edge.notes and "lay summary" in edge.notes and "not counted as evidence" in " ".join(edge.notes.split())


# --- identifiers must come from the brief -------------------------------------------------------

_DOI = re.compile(r"10\.\d{4,9}/[^\s\]|,;\"']+")


def _clean_doi(raw: str) -> str:
    doi = raw.rstrip(".:")
    while doi.endswith(")") and doi.count(")") > doi.count("("):
        doi = doi[:-1].rstrip(".:")
    return doi.lower()


def _identifiers(text: str) -> tuple[set[str], set[str], set[str]]:
    dois = {_clean_doi(m) for m in _DOI.findall(text)}
    pmids = set(re.findall(r"\bpmid\s*:?\s*(\d+)", text, re.IGNORECASE))
    pmcs = {m.upper() for m in re.findall(r"\bPMC\d+\b", text, re.IGNORECASE)}
    return dois, pmids, pmcs


def _unverified_dois(brief: str) -> set[str]:
    """DOIs the brief prints inside a verification mark that says U (unverified)."""
    out = set()
    for mark in re.findall(r"\[([^\[\]]*)\]", brief):
        if re.search(r"\bU\b", mark):
            out |= {_clean_doi(m) for m in _DOI.findall(mark)}
    return out


def test_identifier_extraction_handles_the_brief_formats() -> None:
    dois, pmids, pmcs = _identifiers("x doi:10.1016/0006-3223(92)90187-5 [V]; (doi:10.5334/ojb.28). PMID 39788123, PMC8064806")
    assert dois == {"10.1016/0006-3223(92)90187-5", "10.5334/ojb.28"}
    assert pmids == {"39788123"} and pmcs == {"PMC8064806"}
    assert _unverified_dois("[title V; DOI 10.1073/pnas.012598599 and PMID U] doi:10.1/x [V]") == {"10.1073/pnas.012598599"}


@pytest.mark.skipif(not BRIEF.is_file(), reason="the domain brief (../shared/domain/brief.md) is not next to the repository")
def test_every_identifier_is_in_the_brief_and_verified() -> None:
    brief = BRIEF.read_text(encoding="utf-8")
    known_dois, known_pmids, known_pmcs = _identifiers(brief)
    unverified = _unverified_dois(brief)
    assert unverified, "expected the brief to mark at least one DOI as unverified"
    for path in SHIPPED:
        dois, pmids, pmcs = _identifiers(path.read_text(encoding="utf-8"))
        assert dois <= known_dois, f"{path.name}: DOIs not in the brief: {sorted(dois - known_dois)}"
        assert pmids <= known_pmids, f"{path.name}: PMIDs not in the brief: {sorted(pmids - known_pmids)}"
        assert pmcs <= known_pmcs, f"{path.name}: PMC ids not in the brief: {sorted(pmcs - known_pmcs)}"
        assert not dois & unverified, f"{path.name}: cites DOIs the brief marks unverified: {sorted(dois & unverified)}"


@pytest.mark.skipif(not BRIEF.is_file(), reason="the domain brief (../shared/domain/brief.md) is not next to the repository")
def test_martinez_lavin_effect_size_is_recomputed_from_the_brief() -> None:
    brief = BRIEF.read_text(encoding="utf-8")
    m = re.search(r"ΔVAS ([\d.]+)±([\d.]+) vs ([\d.]+)±([\d.]+) vs ([\d.]+)±([\d.]+)", brief)
    assert m, "the brief's Martinez-Lavin result was not found"
    fm_mean, fm_sd, _, _, hc_mean, hc_sd = map(float, m.groups())
    expected = (fm_mean - hc_mean) / math.sqrt((fm_sd**2 + hc_sd**2) / 2)
    h = _load("fm-sympathetic-pain")
    sized = [ev.effect_size for _, ev in _evidence(h)
             if ev.citation == "doi:10.1186/1471-2474-3-2" and ev.effect_size is not None]
    assert sized and sized[0].value == pytest.approx(expected, abs=0.01)


def test_shipped_hypotheses_are_in_canonical_layout():
    """The pre-commit fmt hook must pass on a clean clone: `hypoplan fmt --check hypotheses/` changes nothing."""
    from hypoplan.review.fmt import format_text

    for path in sorted(HYPOTHESES.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert format_text(text, str(path)) == text, f"{path.name}: run `hypoplan fmt hypotheses/`"
