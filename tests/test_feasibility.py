"""Feasibility notes in the shipped plans: one note per rule, nothing repeated from the methods section."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hypoplan.design.catalog import load_catalog_for
from hypoplan.loader import Repository, load_file, resolve
from hypoplan.plan import build_plan
from hypoplan.render.plan_markdown import render_plan_markdown

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted((ROOT / "hypotheses").glob("*.yaml")) + [ROOT / "tests" / "data" / "other_field" / "pm25-asthma.yaml"]


def _plan(path: Path) -> dict:
    hfile = load_file(path)
    repo = Repository(path.parent, [hfile])
    return build_plan(resolve(hfile, repo), repository=repo, catalog=load_catalog_for(path.parent)).to_json()


def _section(markdown: str, title: str) -> str:
    match = re.search(rf"^## {title}\n(.*?)(?=^## |\Z)", markdown, re.DOTALL | re.MULTILINE)
    return match.group(1) if match else ""


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_no_two_feasibility_notes_from_the_same_rule(path: Path) -> None:
    plan = _plan(path)
    rules = [f["rule"] for f in plan["feasibility"]]
    assert all(rules) and len(rules) == len(set(rules)), rules
    markdown = render_plan_markdown(plan)
    bullets = [line for line in _section(markdown, "Feasibility").splitlines() if line.startswith("- ")]
    assert len(bullets) == len(rules)
    # the methods section's captures and caveats are not repeated among the feasibility notes
    feasibility = _section(markdown, "Feasibility")
    for line in _section(markdown, "What to measure").splitlines():
        if line.strip().startswith("- caveat: "):
            caveat = line.strip()[len("- caveat: "):]
            assert len(caveat) < 25 or caveat not in feasibility, caveat
    # one PEM note at most, however many measures need a visit
    assert sum("**post-exertional malaise:**" in b for b in bullets) <= 1
