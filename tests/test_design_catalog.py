"""The measurement catalog: packaged data, located validation errors, repository overrides."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from hypoplan.design.catalog import (
    Invasiveness,
    default_catalog,
    find_repository_catalog,
    load_catalog_file,
    load_catalog_for,
    load_catalog_text,
)
from hypoplan.errors import LoadError

OTHER = Path(__file__).parent / "data" / "other_field"

CONTRACT_CONSTRUCTS = ["lc_activity", "ne_infraslow_oscillation", "central_ne_turnover", "sympathetic_activity", "cerebral_vasomotion", "cerebral_blood_volume", "csf_inflow", "glymphatic_clearance", "brain_waste_accumulation", "nrem_sleep_architecture", "sleep_instability", "unrefreshing_sleep", "mecfs_diagnosis", "post_exertional_malaise", "fm_diagnosis", "pain_threshold", "ne_evoked_pain", "cognitive_function", "alertness_arousal", "anxiety", "depression", "chronic_stress", "age", "sex", "bmi", "sleep_apnea", "physical_activity", "orthostatic_intolerance", "hypnotic_use", "net_inhibitor_use"]


def test_default_catalog_has_the_contract_vocabulary_and_brief_methods():
    cat = default_catalog()
    ids = {c.id for c in cat.constructs}
    assert set(CONTRACT_CONSTRUCTS) <= ids
    methods = {m.id for m in cat.methods}
    # one method per row of the brief's section 1 (human and animal)
    for mid in ("grab-ne-photometry", "lc-gcamp-optogenetics", "eeg-sigma-iso", "hr-ppg-iso", "sleep-pupillometry",
                "csf-catecholamines", "plasma-catecholamines", "fmri-bold-mreg", "nirs", "doppler-cbf",
                "animal-vessel-imaging", "fast-fmri-csf-inflow", "cisterna-magna-tracer", "intrathecal-gadobutrol-mri",
                "dti-alps", "overnight-csf-abeta", "plasma-abeta-tau", "amyloid-pet", "psg-lab", "home-eeg-psg",
                "actigraphy", "unrefreshing-sleep-ratings", "psqi", "mecfs-criteria", "dsq-pem", "cpet-2day",
                "fm-acr-2016", "pressure-algometry", "dfns-qst", "ne-evoked-pain-test", "holter-hrv",
                "tilt-lean-test", "msna-microneurography", "cognitive-battery", "gad7-stai", "phq9"):
        assert mid in methods, mid


def test_every_factual_entry_carries_a_reference():
    cat = default_catalog()
    for m in cat.methods:
        if m.id not in ("demographics",):
            assert m.references, m.id
    for d in cat.drugs:
        assert d.references
    for dc in cat.disease_controls:
        assert dc.references
    for r in cat.population_rules:
        assert r.references


def test_drug_facts_from_the_brief_and_no_invented_washout():
    cat = default_catalog()
    net = next(d for d in cat.drugs if d.id == "net-inhibitors")
    assert "51%" in net.effect and "38%" in net.effect and "225" in net.effect
    assert any("Kielbasa 2015" in r for r in net.references)
    for d in cat.drugs:
        if d.washout:  # only where the brief supports one, and never a number of days
            assert not re.search(r"\d+\s*(day|week|hour)", d.washout)


def test_reference_keys_resolve_to_citations():
    m = default_catalog().method("plasma-catecholamines")
    assert m is not None and any("Eldrup 2004" in r for r in m.references)
    assert m.invasiveness is Invasiveness.MINIMAL
    assert any("local muscle sympathetic" in c for c in m.caveats)


def test_unknown_construct_is_located(tmp_path):
    bad = tmp_path / "catalog.yaml"
    bad.write_text(textwrap.dedent("""\
        methods:
          - id: my-eeg
            name: My EEG
            constructs: [nrem_sleep_architectur]
            captures: EEG
            species: [human]
            invasiveness: none
            setting: [home]
            cost_band: low
            burden: {level: low}
            references: ["Someone 2020 J Sleep"]
        """), encoding="utf-8")
    with pytest.raises(LoadError) as info:
        load_catalog_file(bad, display="catalog.yaml")
    text = str(info.value)
    assert "catalog.yaml:4:" in text
    assert "unknown construct 'nrem_sleep_architectur'" in text
    assert "did you mean 'nrem_sleep_architecture'" in text


def test_bad_enum_and_unknown_field_are_located(tmp_path):
    bad = tmp_path / "c.yaml"
    bad.write_text(textwrap.dedent("""\
        methods:
          - id: x
            name: X
            constructs: [age]
            captures: x
            species: [human]
            invasiveness: tiny
            setting: [home]
            cost_band: low
            burden: {level: low}
            colour: red
        """), encoding="utf-8")
    with pytest.raises(LoadError) as info:
        load_catalog_file(bad, display="c.yaml")
    lines = [d.format() for d in info.value.diagnostics]
    assert any(line.startswith("c.yaml:7:") and "invasiveness" in line for line in lines)
    assert any(line.startswith("c.yaml:11:") and "colour" in line for line in lines)


def test_unknown_reference_key_and_duplicate_id(tmp_path):
    text = textwrap.dedent("""\
        drugs:
          - id: d1
            name: D
            class: c
            effect: e
            action: exclusion
            references: [nosuchkey]
          - id: d1
            name: D again
            class: c
            effect: e
            action: washout
            references: ["A full citation 2020"]
        """)
    with pytest.raises(LoadError) as info:
        load_catalog_text(text, "c.yaml", base=default_catalog())
    out = str(info.value)
    assert "c.yaml:7:" in out and "unknown reference key 'nosuchkey'" in out
    assert "duplicate id 'd1'" in out


def test_repository_catalog_overrides_by_id_and_adds(tmp_path):
    (tmp_path / "catalog.yaml").write_text(textwrap.dedent("""\
        methods:
          - id: nirs
            name: Lab NIRS, our own
            constructs: [cerebral_vasomotion]
            captures: our device
            species: [human]
            invasiveness: none
            setting: [home]
            cost_band: high
            burden: {level: low}
            references: ["Our lab 2024"]
        """), encoding="utf-8")
    assert find_repository_catalog(tmp_path) == tmp_path / "catalog.yaml"
    cat = load_catalog_for(tmp_path)
    nirs = cat.method("nirs")
    assert nirs is not None and nirs.name == "Lab NIRS, our own" and nirs.cost_band.value == "high"
    assert cat.method("dti-alps") is not None  # the rest of the default stays
    assert len([m for m in cat.methods if m.id == "nirs"]) == 1


def test_other_field_catalog_loads_over_the_default():
    cat = load_catalog_file(OTHER / "catalog.yaml")
    assert cat.method("personal-pm-monitor") is not None
    assert cat.construct("asthma") is not None and cat.construct("asthma").category == "condition"
    assert cat.constructs_in_text("Children with asthma near roads")[:1] == ("asthma",)
