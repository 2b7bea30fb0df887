"""Hand-built hypotheses and analyses shared by the render, aims and report tests."""

from __future__ import annotations

import difflib
import os
from pathlib import Path
from typing import Any

import pytest

from hypoplan.analysis.result import Adjustment, AnalysisResult, Identification, PathInfo
from hypoplan.schema import Hypothesis

GOLDEN = Path(__file__).parent / "golden"


def assert_golden(name: str, actual: str) -> None:
    """Compare with tests/golden/<name>; HYPOPLAN_UPDATE_GOLDEN=1 rewrites the file instead."""
    path = GOLDEN / name
    if os.environ.get("HYPOPLAN_UPDATE_GOLDEN") == "1":
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"missing golden file {path}; run with HYPOPLAN_UPDATE_GOLDEN=1 to create it"
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                            f"golden/{name}", "actual"))
        pytest.fail(f"output differs from golden/{name} (HYPOPLAN_UPDATE_GOLDEN=1 to accept):\n{diff}")


#: Every kind of text an attacker could put in a label.
HOSTILE = [
    'say "hi" <b>bold</b>',
    "<IMG SRC=x onerror=alert(1)>",
    r"C:\Names\new \N \G",
    "javascript:alert(document.cookie)",
    "line one\nline two\r\nclick n0 \"javascript:alert(1)\"",
    "%%{init: {'securityLevel': 'loose'}}%%",
    "style n0 fill:#f00",
    "**bold** _em_ `code` [link](javascript:alert(1)) ![img](https://evil.example/x.png)",
    "@octocat see #123 | a | b |",
    "&lt;script&gt; &amp; end",
]


def small_hypothesis(**overrides: Any) -> Hypothesis:
    """A five-node hypothesis touching every drawing rule: roles, latent, levels, confidences, animal-only, <->."""
    data: dict[str, Any] = {
        "id": "small",
        "title": "NE oscillation drives clearance",
        "status": "proposed",
        "summary": "Weak NE oscillation in NREM sleep reduces clearance and makes sleep unrefreshing.",
        "focus": {"exposure": "x", "outcome": "y", "adjusted": ["c"]},
        "peco": {"population": "adults with ME/CFS", "exposure": "low NE oscillation power",
                 "comparator": "healthy controls", "outcome": "unrefreshing sleep"},
        "nodes": [
            {"id": "x", "label": "NE oscillation", "level": "circuit", "kind": "exposure"},
            {"id": "m", "label": "vasomotion", "level": "physiological"},
            {"id": "y", "label": "unrefreshing sleep", "level": "clinical", "kind": "outcome"},
            {"id": "c", "label": "age", "kind": "confounder", "level": "demographic"},
            {"id": "u", "label": "hidden stress", "observed": False},
        ],
        "edges": [
            {"source": "x", "target": "m", "sign": "+", "confidence": "established",
             "evidence": [{"species": "mouse", "design": "optogenetic", "finding": "LC stimulation drives vasomotion",
                           "citation": "doi:10.1016/j.cell.2024.11.027", "reference": "Hauglund 2025 Cell"}]},
            {"source": "m", "target": "y", "sign": "-", "confidence": "speculative"},
            {"source": "c", "target": "x", "confidence": "supported"},
            {"source": "c", "target": "y", "confidence": "contested"},
            {"source": "u", "target": "m", "confidence": "suggestive"},
            {"source": "x", "target": "y", "type": "confounded"},
        ],
    }
    data.update(overrides)
    return Hypothesis.model_validate(data)


def checkable(h: Hypothesis) -> Hypothesis:
    """``h`` with an evidence item on every causal edge above 'speculative' that cites none, so that 'check'
    accepts it (E050) and the commands that refuse what 'check' rejects (plan, render, aims, report) accept it."""
    data = h.model_dump(mode="json", exclude_none=True)
    for edge in data["edges"]:
        if edge.get("type", "causes") == "causes" and edge.get("confidence") != "speculative" and not edge.get("evidence"):
            edge["evidence"] = [{"species": "human", "design": "cohort", "reference": "Test fixture 2024",
                                 "finding": "a fixture's stand-in finding"}]
    return Hypothesis.model_validate(data)


def small_analysis() -> AnalysisResult:
    """What the analysis says about :func:`small_hypothesis` (written by hand: one causal path, one open backdoor)."""
    return AnalysisResult(
        exposure=("x",), outcome=("y",), adjusted=("c",),
        adjustment=Adjustment(minimal=(frozenset({"c"}),), canonical=frozenset({"c"}), optimal=frozenset({"c"}),
                              min_cost=None),
        identification=Identification(False, None, None, reason="x <-> y is confounded by a latent variable"),
        paths=(PathInfo(("x", "m", "y"), True, True), PathInfo(("x", "U(x,y)", "y"), False, True),
               PathInfo(("x", "c", "y"), False, False)),
    )


def hostile_hypothesis(text: str) -> Hypothesis:
    """The small hypothesis with ``text`` in every free-text field that reaches an output."""
    base = small_hypothesis().model_dump(mode="json")
    base["title"] = text[:300]
    base["summary"] = text
    base["background"] = text
    base["program_goal"] = text
    base["peco"] = {"population": text, "exposure": text, "comparator": text, "outcome": text}
    for node in base["nodes"]:
        node["label"] = text[:200]
        node["notes"] = text
    for edge in base["edges"]:
        edge["mechanism"] = text
        for ev in edge.get("evidence", []):
            ev["finding"] = text
            ev["reference"] = text
    return Hypothesis.model_validate(base)
