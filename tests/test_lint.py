"""Each lint rule with a passing and a failing case, plus configuration (pyproject and per file)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from hypoplan.cli import app
from hypoplan.errors import Severity, UsageError
from hypoplan.loader import load_text
from hypoplan.review.lint import RULES, LintConfig, file_directives, lint_hypothesis

CLEAN = """\
id: h
title: Clean
peco: {population: adults, exposure: x, comparator: no x, outcome: y, species: human}
focus: {exposure: x, outcome: y}
rivals: []
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
        species: human
        design: cohort
        finding: x goes with y
        effect_size: {measure: d, value: 0.5, n: 40}
"""


_DEFAULT_CONFIG = LintConfig()


def codes(text: str, *, others: dict[str, str] | None = None, config: LintConfig = _DEFAULT_CONFIG) -> list[str]:
    hfile = load_text(textwrap.dedent(text), "h.yaml")
    loaded = {k: load_text(textwrap.dedent(v), f"{k}.yaml").hypothesis for k, v in (others or {}).items()}
    return [d.code for d in lint_hypothesis(hfile, find=loaded.get, config=config)]


def edit(old: str, new: str, text: str = CLEAN) -> str:
    assert old in text
    return text.replace(old, new)


def test_clean_file_has_no_findings():
    assert codes(CLEAN) == []


def test_every_rule_is_documented_and_has_a_stable_code():
    assert {f"L{i:03d}" for i in range(1, 11)} | {"L011", "L012"} <= set(RULES)
    assert all(len(code) == 4 and code[0] == "L" and code[1:].isdigit() for code in RULES)
    for r in RULES.values():
        assert len(r.doc) > 40 and r.name and r.severity in Severity


def test_L001_speculative_edge_without_provenance():
    bare = edit("    confidence: suggestive\n    evidence:\n      - citation: doi:10.1000/one\n        species: human\n"
                "        design: cohort\n        finding: x goes with y\n        effect_size: {measure: d, value: 0.5, n: 40}\n",
                "    confidence: speculative\n")
    assert codes(bare) == ["L001"]
    assert codes(bare.replace("confidence: speculative\n", "confidence: speculative\n    notes: 'forum post: x drives y'\n")) == []
    assert codes(bare.replace("confidence: speculative", "confidence: suggestive")) == []  # check's E050 covers it


def test_L002_evidence_without_citation():
    assert codes(edit("      - citation: doi:10.1000/one\n        species", "      - reference: Smith 2020\n        species")) == ["L002"]


def test_L003_citation_not_persistent():
    assert codes(edit("doi:10.1000/one", "https://example.org/study")) == ["L003"]
    assert codes(edit("doi:10.1000/one", "pmid:12345")) == []


def test_L003_suggests_the_pmid_form_of_a_pubmed_url():
    assert codes(edit("doi:10.1000/one", "https://doi.org/10.1000/one")) == []  # a DOI link is a DOI
    hfile = load_text(edit("doi:10.1000/one", "https://pubmed.ncbi.nlm.nih.gov/12345/"), "h.yaml")
    [d] = lint_hypothesis(hfile)
    assert d.code == "L003" and d.hint == "write 'pmid:12345'"
    assert (d.line, d.col) == (15, 19)


def test_L004_animal_evidence_for_human_claim():
    mouse = edit("species: human\n        design", "species: mouse\n        design")
    assert codes(mouse) == ["L004"]  # suggestive but no note
    noted = mouse.replace("    confidence: suggestive\n", "    confidence: suggestive\n    notes: shown in mice only\n")
    assert codes(noted) == []
    assert codes(noted.replace("confidence: suggestive", "confidence: supported")) == ["L004"]  # too strong even with a note
    assert codes(mouse.replace("species: human}", "species: mouse}")) == []  # a mouse hypothesis


def test_L005_contradiction_not_reflected():
    against = edit("        finding: x goes with y\n", "        direction: contradicts\n        finding: no link\n")
    assert codes(against) == ["L005"]
    assert codes(against.replace("confidence: suggestive", "confidence: contested")) == []


LATENT = CLEAN.replace("  - id: x\n  - id: y\n", "  - id: x\n  - id: m\n    observed: false\n  - id: y\n").replace(
    "edges:\n", "edges:\n  - {source: x, target: m, notes: idea}\n  - {source: m, target: y, notes: idea}\n")


def test_L006_latent_focal_node_without_proxy():
    assert codes(LATENT) == ["L006"]
    with_proxy = LATENT.replace("  - id: y\n", "  - id: y\n  - id: m_marker\n    kind: measurement\n").replace(
        "edges:\n", "edges:\n  - {source: m, target: m_marker, notes: readout}\n")
    assert codes(with_proxy) == []
    assert codes(LATENT.replace("    observed: false\n", "    observed: false\n    measure: some-method\n")) == []


def test_L007_rival_not_reciprocal():
    mine = CLEAN.replace("rivals: []", "rivals: [r]")
    rival = "id: r\ntitle: Rival\nrivals: [{}]\n"
    assert codes(mine, others={"r": rival.format("someone-else")}) == ["L007"]
    assert codes(mine, others={"r": rival.format("h")}) == []


def test_L008_orphan_node():
    assert codes(CLEAN.replace("  - id: y\n", "  - id: y\n  - id: lonely\n")) == ["L008"]


def test_L009_effect_size_without_n():
    assert codes(edit("value: 0.5, n: 40", "value: 0.5")) == ["L009"]
    assert codes(edit("value: 0.5, n: 40}", "value: 0.5}\n        n: 40")) == []


def test_L010_established_on_one_study():
    strong = edit("confidence: suggestive", "confidence: established")
    assert codes(strong) == ["L010"]
    two = strong.replace("        effect_size: {measure: d, value: 0.5, n: 40}\n",
                         "        effect_size: {measure: d, value: 0.5, n: 40}\n"
                         "      - {citation: 'pmid:1', design: rct, finding: replicated, species: human}\n")
    assert codes(two) == []


def test_file_directive_disables_rules():
    text = "# hypoplan: disable=L008, L001\n" + CLEAN.replace("  - id: y\n", "  - id: y\n  - id: lonely\n")
    assert file_directives(text) == {"L008", "L001"}
    assert codes(text) == []


def test_config_disable_and_severity():
    text = CLEAN.replace("  - id: y\n", "  - id: y\n  - id: lonely\n")
    assert codes(text, config=LintConfig.from_mapping({"disable": ["L008"]})) == []
    hfile = load_text(text, "h.yaml")
    [d] = lint_hypothesis(hfile, config=LintConfig.from_mapping({"severity": {"L008": "error"}}))
    assert d.severity is Severity.ERROR


@pytest.mark.parametrize("table, message", [
    ({"disable": ["L999"]}, "unknown lint rule 'L999'"),
    ({"severity": {"L001": "fatal"}}, "severity of L001 must be error, warning or note"),
    ({"ignore": []}, "unknown key(s) ignore"),
])
def test_bad_config_is_a_usage_error(table, message):
    with pytest.raises(UsageError, match=message.replace("(", r"\(").replace(")", r"\)")):
        LintConfig.from_mapping(table)


def test_cli_reads_pyproject_walking_up(tmp_path: Path, runner, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "pyproject.toml").write_text('[tool.hypoplan]\nlint.severity = { L008 = "error" }\n', encoding="utf-8")
    sub = tmp_path / "hypotheses"
    sub.mkdir()
    (sub / "h.yaml").write_text(CLEAN.replace("  - id: y\n", "  - id: y\n  - id: lonely\n"), encoding="utf-8")
    monkeypatch.chdir(sub)
    result = runner.invoke(app, ["lint", ".", "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [(d["code"], d["severity"], d["line"]) for d in data["diagnostics"]] == [("L008", "error", 9)]
    (tmp_path / "pyproject.toml").write_text('[tool.hypoplan.lint]\ndisable = ["L008"]\n', encoding="utf-8")
    assert runner.invoke(app, ["lint", "."]).exit_code == 0


@pytest.mark.parametrize("toml", ["[tool.hypoplan]\nlint = 5\n", "[tool]\nhypoplan = \"x\"\n", "tool = 3\n",
                                  "[tool.hypoplan]\nlint = [\"L004\"]\n"])
def test_cli_misshapen_pyproject_table_is_a_usage_error(tmp_path: Path, runner, monkeypatch: pytest.MonkeyPatch, toml):
    (tmp_path / "pyproject.toml").write_text(toml, encoding="utf-8")
    (tmp_path / "h.yaml").write_text(CLEAN, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["lint", "h.yaml"])
    assert result.exception is None or isinstance(result.exception, SystemExit)  # no traceback
    if toml.startswith("tool = 3"):
        assert result.exit_code == 0  # no [tool.hypoplan] table at all: defaults
    else:
        assert result.exit_code == 2 and "must be a table" in result.stderr


def test_cli_github_format_escapes_and_caps(tmp_path: Path, runner, monkeypatch: pytest.MonkeyPatch):
    nodes = "".join(f"  - id: lonely{i}\n    label: \"x\\n::error file=a::forged, @team\"\n" for i in range(12))
    (tmp_path / "h.yaml").write_text(CLEAN.replace("  - id: y\n", "  - id: y\n" + nodes), encoding="utf-8")
    summary = tmp_path / "summary.md"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = runner.invoke(app, ["lint", "h.yaml", "--format", "github", "--fail-on", "note"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 10 and all(line.startswith("::notice file=h.yaml,line=") for line in lines)
    assert "2 more finding(s)" in result.stderr
    assert summary.read_text(encoding="utf-8").count("| note | L008 |") == 12


def test_cli_list_rules(runner):
    result = runner.invoke(app, ["lint", "--list-rules"])
    assert result.exit_code == 0
    for code, r in RULES.items():
        assert f"{code}  {r.severity.value:<7}  {r.name}" in result.stdout


def test_L012_focus_claims_no_effect():
    """X and Y joined only through a common cause: the graph claims X has no effect on Y (a note, not an error)."""
    assert "L012" not in codes(CLEAN)
    null = edit("""edges:
  - source: x
    target: y""", """edges:
  - source: y
    target: x""")
    assert "L012" in codes(null)
    assert RULES["L012"].severity is Severity.NOTE
