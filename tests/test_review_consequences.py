"""Consequences before → after: adjustment sets, identification, implications and the plan's numbers."""

from __future__ import annotations

import re

from review_helpers import hypothesis_text

from hypoplan.review.pipeline import review_texts
from hypoplan.review.report import to_markdown

OLD = hypothesis_text()
LATENT_C = OLD.replace("  - id: c\n    label: Confounder\n", "  - id: c\n    label: Confounder\n    observed: false\n")


def _topics(report):
    return {cc.topic: cc for cc in report.files[0].consequence_changes}


def test_unchanged_consequences_are_not_reported():
    report = review_texts(OLD, OLD.replace("title: Test hypothesis", "title: Renamed"), with_plan=False)
    f = report.files[0]
    assert f.before.analysed and f.after.analysed
    assert f.before.adjustment_sets == (("c",),) and f.before.identifiable
    assert f.consequence_changes == ()
    assert "**Consequences**: unchanged (x → y; adjustment: {c}; identification: yes (adjustment); 2 testable implications)." \
        in to_markdown(report)


def test_confounder_becoming_latent_loses_adjustment_but_keeps_the_front_door():
    report = review_texts(OLD, LATENT_C, with_plan=False)
    topics = _topics(report)
    sets = topics["minimal adjustment sets"]
    assert (sets.before, sets.after, sets.severity) == ("{c}", "none (no valid adjustment set)", "warning")
    ident = topics["identification"]
    assert (ident.before, ident.after, ident.severity) == ("identifiable (adjustment)", "identifiable (frontdoor)", "notice")


def test_losing_identifiability_is_a_warning():
    new = LATENT_C.replace("edges:\n", "edges:\n  - source: x\n    target: y\n")
    report = review_texts(OLD, new, with_plan=False)
    ident = _topics(report)["identification"]
    assert (ident.after, ident.severity) == ("not identifiable", "warning")
    assert report.fails("warning")
    assert "| Identification ✱ | yes (adjustment) | **no** |" in to_markdown(report)


def test_implications_added_and_removed_are_listed():
    new = OLD.replace("  - source: c\n    target: y\n", "")
    report = review_texts(OLD, new, with_plan=False)
    imp = _topics(report)["testable implications"]
    assert "c ⫫ y | x" in imp.added or "c ⫫ y | m" in imp.added
    assert (imp.before, imp.after) == ("2", str(len(report.files[0].after.implications)))


def test_plan_consequences_when_the_planner_is_available():
    report = review_texts(OLD, OLD.replace("label: Outcome", "label: Final outcome"))
    f = report.files[0]
    if not f.after.planned:  # the planner is optional; the review still works without it
        assert f.after.plan_reason
        return
    md = to_markdown(report)
    assert re.search(r"\| Sample size( ✱)? \|", md) and re.search(r"\| Controls( ✱)? \|", md)
    assert any("Final outcome" in s for s in f.after.sample_size) or f.after.sample_size == f.before.sample_size


def test_no_plan_leaves_plan_rows_out():
    md = to_markdown(review_texts(OLD, LATENT_C, with_plan=False))
    assert "| Sample size |" not in md and "| Minimal adjustment sets ✱ |" in md


def test_added_file_has_only_after_consequences():
    report = review_texts(None, OLD, with_plan=False)
    f = report.files[0]
    assert f.status == "added" and not f.before.analysed and f.after.analysed
    assert f.consequence_changes == ()
    assert "| Minimal adjustment sets | n/a | {c} |" in to_markdown(report)
