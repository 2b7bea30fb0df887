"""The semantic diff of two hypothesis versions, change by change (pure function, no git)."""

from __future__ import annotations

from review_helpers import hypothesis_text

from hypoplan.loader import load_text
from hypoplan.review.diff import diff_hypotheses

OLD = hypothesis_text()


def changes(new_text: str, old_text: str = OLD):
    old = load_text(old_text, "old.yaml").hypothesis
    new = load_text(new_text, "new.yaml").hypothesis
    return [(c.kind, c.severity, c.before, c.after) for c in diff_hypotheses(old, new)]


def test_identical_versions_have_no_changes():
    assert changes(OLD) == []
    assert changes(OLD.replace('sign: "+"', "sign: positive")) == []  # same meaning, other spelling


def test_node_kind_observed_and_constructs():
    new = OLD.replace("  - id: c\n    label: Confounder\n",
                      "  - id: c\n    label: Confounder\n    kind: confounder\n    observed: false\n    constructs: [age]\n")
    assert changes(new) == [("node-kind-changed", "notice", "mechanism", "confounder"),
                            ("node-observed-changed", "notice", True, False),
                            ("node-changed", "notice", [], ["age"])]


def test_evidence_direction_change():
    new = OLD.replace("        finding: X raises M", "        direction: contradicts\n        finding: X raises M")
    assert changes(new) == [("evidence-changed", "notice", "supports", "contradicts")]


def test_confidence_lowered_is_a_notice_and_raised_with_new_evidence_too():
    assert changes(OLD.replace("confidence: suggestive", "confidence: contested")) == [
        ("confidence-lowered", "notice", "suggestive", "contested")]
    new = OLD.replace("confidence: suggestive", "confidence: supported").replace(
        "        finding: X raises M\n", "        finding: X raises M\n      - citation: pmid:42\n"
                                        "        design: cohort\n        finding: again\n")
    kinds = changes(new)
    assert ("confidence-raised", "notice", "suggestive", "supported") in kinds
    assert ("evidence-added", "notice", None, "pmid:42") in kinds


def test_sign_change_that_is_not_a_flip():
    new = OLD.replace('target: y\n    sign: "+"', 'target: y\n    sign: "±"')
    assert changes(new) == [("sign-changed", "notice", "positive", "mixed")]


def test_focus_extends_and_rivals():
    new = OLD.replace("focus:\n  exposure: x\n", "extends: [base]\nrivals: [other]\nfocus:\n  exposure: m\n")
    assert changes(new) == [("extends-added", "notice", None, "base"), ("rivals-added", "notice", None, "other"),
                            ("focus-changed", "notice", ["x"], ["m"])]


def test_edge_type_change_is_a_removal_and_an_addition():
    new = OLD.replace("  - source: c\n    target: y\n", "  - source: c\n    target: y\n    type: confounded\n")
    assert [k for k, *_ in changes(new)] == ["edge-added", "edge-removed"]


def test_confounded_edges_are_unordered():
    a = OLD.replace("edges:\n", "edges:\n  - {source: m, target: c, type: confounded}\n")
    b = OLD.replace("edges:\n", "edges:\n  - {source: c, target: m, type: confounded}\n")
    assert changes(b, a) == []


def test_added_and_deleted_files():
    h = load_text(OLD, "h.yaml").hypothesis
    added = diff_hypotheses(None, h)
    assert {c.kind for c in added} == {"node-added", "edge-added"} and len(added) == 8
    deleted = diff_hypotheses(h, None)
    assert {c.kind for c in deleted} == {"node-removed", "edge-removed"} and len(deleted) == 8
