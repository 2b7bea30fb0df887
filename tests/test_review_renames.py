"""Review (issue 13, item 9): renames are one change, dropping contradicting evidence is a warning, and nodes
inherited through ``extends`` are drawn with their labels."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from hypoplan.cli import app
from hypoplan.loader import load_text
from hypoplan.review.diff import diff_hypotheses, find_renames

OLD = """\
id: h
title: Renames
focus: {exposure: [ne_osc], outcome: [sleep]}
nodes:
  - {id: ne_osc, label: NE oscillation}
  - {id: vaso, label: Vasomotion}
  - {id: sleep, label: Unrefreshing sleep}
edges:
  - source: ne_osc
    target: vaso
    sign: "+"
    confidence: suggestive
    evidence:
      - {citation: "doi:10.1000/a", reference: Smith 2020, design: rct, finding: NE drives vasomotion}
      - {citation: "doi:10.1000/b", reference: Jones 2021, design: cohort, direction: contradicts, finding: no link}
  - {source: vaso, target: sleep, sign: "-", confidence: speculative}
"""


def _h(text: str):
    return load_text(text, "h.yaml").hypothesis


def _renamed(text: str, mapping: dict[str, str]) -> str:
    for a, b in mapping.items():
        text = re.sub(rf"\b{a}\b", b, text)
    return text


def test_a_renamed_node_is_one_rename_not_a_removal_and_an_addition():
    new = _renamed(OLD, {"ne_osc": "ne_oscillation"})
    changes = diff_hypotheses(_h(OLD), _h(new))
    assert [(c.kind, c.before, c.after) for c in changes] == [("node-renamed", "ne_osc", "ne_oscillation")]
    assert changes[0].severity == "notice" and "NE oscillation" in changes[0].message


def test_adjacent_renames_are_found_together_and_a_changed_node_is_not_a_rename():
    both = _renamed(OLD, {"ne_osc": "ne_x", "vaso": "vasomotion"})
    assert find_renames(_h(OLD), _h(both)) == {"ne_osc": "ne_x", "vaso": "vasomotion"}
    assert [c.kind for c in diff_hypotheses(_h(OLD), _h(both))] == ["node-renamed", "node-renamed"]
    # same label under a new id, but its edge lost its evidence: not the same node claim, so no rename
    changed = re.sub(r"    evidence:\n(      - .*\n)+", "", _renamed(OLD, {"ne_osc": "ne_x"}))
    changed = changed.replace("confidence: suggestive", "confidence: speculative")
    assert find_renames(_h(OLD), _h(changed)) == {}
    kinds = {c.kind for c in diff_hypotheses(_h(OLD), _h(changed))}
    assert {"node-removed", "node-added", "edge-removed", "edge-added"} <= kinds
    # two added nodes with the label of one removed node: ambiguous, so no rename
    two = _renamed(OLD, {"ne_osc": "ne_a"}).replace("  - {id: vaso,", "  - {id: ne_b, label: NE oscillation}\n  - {id: vaso,")
    assert find_renames(_h(OLD), _h(two)) == {}


def test_diff_cli_reports_one_rename_and_mermaid_draws_one_node(runner, tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    (tmp_path / "old" / "h.yaml").write_text(OLD, encoding="utf-8")
    (tmp_path / "new" / "h.yaml").write_text(_renamed(OLD, {"ne_osc": "ne_oscillation"}), encoding="utf-8")
    args = ["diff", str(tmp_path / "old" / "h.yaml"), str(tmp_path / "new" / "h.yaml"), "--no-plan"]
    data = json.loads(runner.invoke(app, [*args, "--format", "json"]).stdout)
    changes = [c for f in data["files"] for c in f["changes"]]
    assert [c["kind"] for c in changes] == ["node-renamed"]
    md = runner.invoke(app, args).stdout
    chart = md.split("```mermaid", 1)[1].split("```", 1)[0]
    nodes = re.findall(r'^  (n\d+)\["([^"]*)"\]$', chart, re.MULTILINE)
    assert nodes == [("n0", "NE oscillation")]


def test_deleting_contradicting_evidence_is_a_warning(runner, tmp_path):
    new = OLD.replace('      - {citation: "doi:10.1000/b", reference: Jones 2021, design: cohort, direction: contradicts, '
                      'finding: no link}\n', "")
    assert new != OLD
    changes = diff_hypotheses(_h(OLD), _h(new))
    removed = [c for c in changes if c.kind == "evidence-removed"]
    assert len(removed) == 1 and removed[0].severity == "warning" and "contradicting evidence removed" in removed[0].message
    supporting_dropped = OLD.replace('      - {citation: "doi:10.1000/a", reference: Smith 2020, design: rct, '
                                     'finding: NE drives vasomotion}\n', "")
    plain = [c for c in diff_hypotheses(_h(OLD), _h(supporting_dropped)) if c.kind == "evidence-removed"]
    assert len(plain) == 1 and "contradicting" not in plain[0].message
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "h.yaml").write_text(OLD, encoding="utf-8")
    (tmp_path / "b" / "h.yaml").write_text(new, encoding="utf-8")
    strict = runner.invoke(app, ["diff", str(tmp_path / "a" / "h.yaml"), str(tmp_path / "b" / "h.yaml"), "--no-plan",
                                 "--fail-on", "warning"])
    assert strict.exit_code == 1


BASE = """\
id: base
title: Base
focus: {exposure: [ne_oscillation], outcome: [sleep]}
nodes:
  - {id: ne_oscillation, label: NE oscillation}
  - {id: sleep, label: Unrefreshing sleep}
edges:
  - {source: ne_oscillation, target: sleep, sign: "-", confidence: speculative}
"""

CHILD = """\
id: child
title: Child
extends: [base]
nodes:
  - {id: pain, label: Pain threshold}
edges:
  - {source: sleep, target: pain, sign: "-", confidence: speculative}
"""


@pytest.mark.parametrize("side", ["old", "new"])
def test_nodes_inherited_through_extends_show_their_labels(runner, tmp_path: Path, side):
    for folder in ("old", "new"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "base.yaml").write_text(BASE, encoding="utf-8")
    extra = "  - {source: ne_oscillation, target: pain, sign: \"-\", confidence: speculative}\n"
    (tmp_path / "old" / "child.yaml").write_text(CHILD + (extra if side == "old" else ""), encoding="utf-8")
    (tmp_path / "new" / "child.yaml").write_text(CHILD + (extra if side == "new" else ""), encoding="utf-8")
    md = runner.invoke(app, ["diff", str(tmp_path / "old" / "child.yaml"), str(tmp_path / "new" / "child.yaml"),
                             "--no-plan"]).stdout
    chart = md.split("```mermaid", 1)[1].split("```", 1)[0]
    assert '["NE oscillation"]' in chart and '["Pain threshold"]' in chart
    assert "#95;" not in chart
