"""``hypoplan check``: repository-level findings, exit codes and output formats."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from hypoplan.check import check_paths
from hypoplan.cli import app

EVIDENCE = '[{citation: "doi:10.1038/s41467-024-45107-3", species: human, design: case-control, finding: "lower"}]'


def good(hid: str = "good", extra: str = "") -> str:
    return f"""
id: {hid}
title: Good
nodes:
  - {{id: X}}
  - {{id: M}}
  - {{id: Y}}
edges:
  - {{source: X, target: M, sign: "+"}}
  - {{source: M, target: Y, sign: "-", confidence: supported, evidence: {EVIDENCE}}}
focus: {{exposure: X, outcome: Y}}
{extra}"""


def findings(tmp_path: Path) -> list[tuple[str, str, int]]:
    report = check_paths([tmp_path])
    return [(Path(d.path).name, d.code, d.line) for d in report.diagnostics]


def test_clean_file_has_no_findings(write, tmp_path):
    write("good.yaml", good())
    assert findings(tmp_path) == []


def test_unknown_references_duplicates_and_stem(write, tmp_path):
    write("named-wrong.yaml", """
        id: other
        title: t
        nodes:
          - {id: X}
          - {id: Y}
          - {id: X}
        edges:
          - {source: X, target: Yy}
          - {source: X, target: Y}
          - {source: X, target: Y}
        focus: {exposure: X, outcome: Z}
        """)
    got = findings(tmp_path)
    assert ("named-wrong.yaml", "E023", 1) in got
    assert ("named-wrong.yaml", "E020", 6) in got
    assert ("named-wrong.yaml", "E021", 8) in got
    assert ("named-wrong.yaml", "E022", 10) in got
    assert ("named-wrong.yaml", "E021", 11) in got
    report = check_paths([tmp_path])
    unknown = next(d for d in report.diagnostics if d.code == "E021" and d.line == 8)
    assert unknown.hint == "did you mean 'Y'?"


def test_cycle_is_printed(write, tmp_path):
    write("cyc.yaml", """
        id: cyc
        title: t
        nodes: [{id: A}, {id: B}, {id: C}]
        edges:
          - {source: A, target: B}
          - {source: B, target: C}
          - {source: C, target: A}
        focus: {exposure: A, outcome: C}
        """)
    (diag,) = [d for d in check_paths([tmp_path]).diagnostics if d.code == "E030"]
    assert "A -> B -> C -> A" in diag.message


def test_confounded_edges_do_not_make_cycles(write, tmp_path):
    write("conf.yaml", """
        id: conf
        title: t
        nodes: [{id: A}, {id: B}]
        edges:
          - {source: A, target: B}
          - {source: B, target: A, type: confounded}
        focus: {exposure: A, outcome: B}
        """)
    assert findings(tmp_path) == []


def test_extends_and_rivals_resolution(write, tmp_path):
    write("base.yaml", good("base"))
    write("kid.yaml", """
        id: kid
        title: kid
        extends: [base, ghost]
        rivals: [../outside, kid]
        """)
    got = findings(tmp_path)
    assert ("kid.yaml", "E031", 3) in got
    assert ("kid.yaml", "E033", 4) in got
    assert ("kid.yaml", "E032", 4) in got


def test_extends_inherits_focus_and_nodes(write, tmp_path):
    write("base.yaml", good("base"))
    write("kid.yaml", """
        id: kid
        title: kid
        extends: [base]
        nodes: [{id: Z}]
        edges: [{source: Z, target: Y}]
        """)
    assert findings(tmp_path) == []


def test_focus_missing_and_disconnected(write, tmp_path):
    write("nofocus.yaml", "id: nofocus\ntitle: t\nnodes: [{id: A}]\n")
    write("apart.yaml", """
        id: apart
        title: t
        nodes: [{id: A}, {id: B}, {id: C}]
        edges: [{source: A, target: C}]
        focus: {exposure: A, outcome: B}
        """)
    codes = {(f, c) for f, c, _ in findings(tmp_path)}
    assert ("nofocus.yaml", "E040") in codes and ("apart.yaml", "E041") in codes


def test_evidence_required_unless_speculative_and_citations_checked(write, tmp_path):
    write("ev.yaml", """
        id: ev
        title: t
        nodes: [{id: A}, {id: B}, {id: C}]
        edges:
          - {source: A, target: B, confidence: established}
          - source: B
            target: C
            confidence: supported
            evidence:
              - {citation: "doi 10.1016/x", design: rct, finding: f}
              - {citation: "pmid:12a", design: rct, finding: f}
              - {citation: "doi:10.1016/j.cell.2024.11.027", design: rct, finding: f}
              - {citation: "PMC8064806", design: rct, finding: f}
              - {citation: "https://example.org/paper", design: rct, finding: f}
        focus: {exposure: A, outcome: C}
        """)
    got = findings(tmp_path)
    assert ("ev.yaml", "E050", 5) in got
    assert [c for c in got if c[1] == "E051"] == [("ev.yaml", "E051", 10), ("ev.yaml", "E051", 11)]


def test_duplicate_ids_across_files(write, tmp_path):
    write("a/dup.yaml", good("dup"))
    write("b/dup.yaml", good("dup"))
    assert [c for _, c, _ in findings(tmp_path)] == ["E024"]


def test_catalog_and_hidden_files_are_skipped(write, tmp_path):
    write("catalog.yaml", "methods: []\n")
    write(".hidden/x.yaml", "not: a hypothesis\n")
    write("good.yaml", good())
    report = check_paths([tmp_path])
    assert report.diagnostics == [] and [Path(f).name for f in report.files] == ["good.yaml"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlink_escaping_the_repository(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(good("link"), encoding="utf-8")
    (repo / "link.yaml").symlink_to(outside)
    report = check_paths([repo])
    assert [d.code for d in report.diagnostics] == ["E033"]


# --- CLI -------------------------------------------------------------------

def test_cli_exit_codes_and_text(runner, write, tmp_path):
    write("good.yaml", good())
    ok = runner.invoke(app, ["check", str(tmp_path)])
    assert ok.exit_code == 0, ok.output
    bad = write("bad.yaml", "id: bad\ntitle: [\n")
    res = runner.invoke(app, ["check", str(bad)])
    assert res.exit_code == 1
    assert f"{bad}:3:1: error[E005]" in res.output or f"{bad}:2:" in res.output
    assert "Traceback" not in res.output
    missing = runner.invoke(app, ["check", str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 2 and "no such file" in missing.output
    usage = runner.invoke(app, ["check", "--format", "xml"])
    assert usage.exit_code == 2


def test_cli_json(runner, write, tmp_path):
    write("cyc.yaml", "id: cyc\ntitle: t\nnodes: [{id: A}, {id: B}]\nedges: [{source: A, target: B}, {source: B, target: A}]\n"
                      "focus: {exposure: A, outcome: B}\n")
    res = runner.invoke(app, ["check", str(tmp_path), "--format", "json"])
    assert res.exit_code == 1
    payload = json.loads(res.stdout)
    assert payload["ok"] is False and payload["errors"] == 1
    assert payload["diagnostics"][0]["code"] == "E030" and payload["diagnostics"][0]["line"] == 4


def test_cli_github_annotations_are_escaped(runner, write, tmp_path):
    # A YAML double-quoted "\n" is a real newline: it must not start a forged workflow command.
    hostile = r"x%0A\n::error file=evil::forged,:"
    path = write("gh.yaml", f'id: gh\ntitle: t\nnodes: [{{id: A}}, {{id: B}}]\nedges: [{{source: A, target: "{hostile}"}}]\n'
                            "focus: {exposure: A, outcome: B}\n")
    res = runner.invoke(app, ["check", str(path), "--format", "github"])
    assert res.exit_code == 1
    lines = res.stdout.strip().splitlines()
    assert len(lines) == 2  # E021 (unknown target) and E041 (A and B not connected)
    assert all(line.startswith((f"::error file={path}".replace(":", "%3A", 1), "::error file=/"))
               for line in lines)
    assert "%250A%0A::error file=evil" in lines[0]  # literal %0A escaped, newline encoded


def test_python_dash_m_and_version(tmp_path):
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "hypoplan", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("hypoplan ")


def test_schema_errors_and_reference_errors_reported_together(write, tmp_path):
    write("mixed.yaml", """
        id: mixed
        title: t
        nodes:
          - {id: A, kind: mechanizm}
          - {id: B}
        edges:
          - {source: A, target: B, sign: sideways}
          - {source: B, target: Ghost}
        focus: {exposure: A, outcome: B}
        """)
    got = findings(tmp_path)
    assert ("mixed.yaml", "E010", 4) in got and ("mixed.yaml", "E010", 7) in got
    assert ("mixed.yaml", "E021", 8) in got  # still found although the file has schema errors
    assert not any(code == "E021" and line == 4 for _, code, line in got)  # A kept its id: no false alarm


def test_cli_github_annotations_are_capped_and_the_rest_go_to_the_job_summary(runner, tmp_path, monkeypatch):
    # GitHub shows 10 annotations per level and silently drops the rest: say so, and put all in the summary
    for i in range(12):
        (tmp_path / f"bad{i}.yaml").write_text(f"id: bad{i}\ntitle: t\nnodes: [{{id: A}}]\nedges: [{{source: A, target: Z}}]\n",
                                             encoding="utf-8")
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    res = runner.invoke(app, ["check", str(tmp_path), "--format", "github"])
    assert res.exit_code == 1
    lines = res.stdout.strip().splitlines()
    assert len(lines) == 10 and all(line.startswith("::error ") and "title=hypoplan E0" in line for line in lines)
    assert "more finding(s) than GitHub shows" in res.stderr
    table = summary.read_text(encoding="utf-8")
    assert table.startswith("## hypoplan check") and table.count("| error | E021 |") == 12


@pytest.mark.parametrize("command", ["check", "lint"])
def test_cli_a_folder_without_hypotheses_is_flagged(runner, tmp_path, command):
    (tmp_path / "notes.txt").write_text("not a hypothesis", encoding="utf-8")
    res = runner.invoke(app, [command, str(tmp_path), "--format", "json"])
    assert res.exit_code == 0 and json.loads(res.stdout)["files"] == []  # stdout stays pure JSON
    assert "warning: no hypothesis files" in res.stderr and str(tmp_path) in res.stderr
