"""Node ids in the plan's sentences come in natural order (n2, n3, n14), as in the analysis (issue 13, item 11)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from hypoplan.cli import app

DAG = "dag {\nX [exposure]\nY [outcome]\nn14 -> X\nn3 -> X\nn14 -> Y\nn3 -> Y\nn2 -> Y\nn2 -> X\nX -> Y\n}\n"


def test_plan_names_nodes_in_natural_order():
    res = CliRunner().invoke(app, ["plan", "-", "--format", "json"], input=DAG)
    assert res.exit_code == 0, res.output
    plan = json.loads(res.stdout)
    reasons = " ".join(c["why_not"] for c in plan["design"]["considered"]) + plan["adjustment"]["note"]
    assert "n2, n3, n14" in reasons and "n14, n2" not in reasons
    md = CliRunner().invoke(app, ["plan", "-"], input=DAG).stdout
    costs = next(line for line in md.splitlines() if line.startswith("Candidate nodes and their costs"))
    assert costs.index("n2 ") < costs.index("n3 ") < costs.index("n14 ")
