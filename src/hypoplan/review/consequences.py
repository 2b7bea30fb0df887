"""What a hypothesis implies, summarised for a before → after comparison.

:func:`consequences_of` runs the causal analysis (and, when it is available,
the study planner) on one resolved hypothesis and keeps what a reviewer
compares: the minimal adjustment sets, identifiability, the testable
implications, and the plan's controls and sample sizes.
:func:`compare_consequences` lists what differs between two versions.

Both parts are optional: when the focus is missing, the graph is cyclic, or
the planner is not installed, the record says why instead of failing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import HypoplanError
from ..schema import Hypothesis

_ABSENT = "file absent"

__all__ = ["ConsequenceChange", "Consequences", "compare_consequences", "consequences_of"]


@dataclass(frozen=True)
class Consequences:
    """The analysis (and plan) facts of one hypothesis version that a review compares."""

    analysed: bool
    reason: str | None = None
    exposure: tuple[str, ...] = ()
    outcome: tuple[str, ...] = ()
    adjustment_sets: tuple[tuple[str, ...], ...] = ()
    identifiable: bool | None = None
    strategy: str | None = None
    implications: tuple[str, ...] = ()
    planned: bool = False
    plan_reason: str | None = None
    controls: tuple[str, ...] = ()
    sample_size: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "analysed": self.analysed, "reason": self.reason,
            "exposure": list(self.exposure), "outcome": list(self.outcome),
            "adjustment_sets": [list(s) for s in self.adjustment_sets],
            "identifiable": self.identifiable, "strategy": self.strategy,
            "implications": list(self.implications),
            "planned": self.planned, "plan_reason": self.plan_reason,
            "controls": list(self.controls), "sample_size": list(self.sample_size),
        }


@dataclass(frozen=True)
class ConsequenceChange:
    """One consequence that differs: ``topic`` (adjustment, identification, implications, controls,
    sample size), the before and after text, and what was added or removed."""

    topic: str
    before: str
    after: str
    severity: str = "notice"
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"topic": self.topic, "before": self.before, "after": self.after, "severity": self.severity,
                "added": list(self.added), "removed": list(self.removed)}


def _implication_text(imp: Any) -> str:
    given = sorted(imp.given)
    return f"{imp.x} ⫫ {imp.y}" + (f" | {', '.join(given)}" if given else "")


def consequences_of(h: Hypothesis | None, repository: Any = None, *, with_plan: bool = True) -> Consequences:
    """Analyse one resolved hypothesis (``extends`` merged); ``None`` (no file) gives an empty record."""
    if h is None:
        return Consequences(False, _ABSENT)
    from ..analysis import analyze
    from ..graph import build_graph

    g = build_graph(h)
    if not g.graph.get("exposure") or not g.graph.get("outcome"):
        return Consequences(False, "the focus names no exposure or outcome")
    try:
        result = analyze(g)
    except HypoplanError as exc:
        return Consequences(False, f"analysis failed: {exc.message}")
    sets = tuple(sorted(tuple(sorted(s)) for s in result.adjustment.minimal))
    implications = tuple(sorted(_implication_text(i) for i in result.implications))
    base: dict[str, Any] = {
        "exposure": tuple(result.exposure), "outcome": tuple(result.outcome), "adjustment_sets": sets,
        "identifiable": result.identification.identifiable, "strategy": result.identification.strategy,
        "implications": implications,
    }
    planned: bool = False
    plan_reason: str | None = "not requested"
    controls: tuple[str, ...] = ()
    sizes: tuple[str, ...] = ()
    if with_plan:
        planned, plan_reason, controls, sizes = _plan_facts(h, repository)
    return Consequences(True, None, planned=planned, plan_reason=plan_reason, controls=controls,
                        sample_size=sizes, **base)


def _plan_facts(h: Hypothesis, repository: Any) -> tuple[bool, str | None, tuple[str, ...], tuple[str, ...]]:
    """Controls and sample sizes from the study planner; the planner is optional, so any failure is reported, not raised."""
    from ..plan import build_plan

    try:
        plan = build_plan(h, repository=repository).to_json()
    except Exception as exc:  # noqa: BLE001 - an optional consequence must never break the review
        return False, f"the planner failed: {type(exc).__name__}: {exc}", (), ()
    controls = tuple(sorted(f"{c.get('kind')}: {c.get('name')}" for c in plan.get("controls") or []))
    sizes = []
    for s in plan.get("sample_size") or []:
        es = s.get("effect_size") or {}
        sizes.append(f"{s.get('comparison')}: n = {s.get('n_total')} ({s.get('design')}, "
                     f"{es.get('measure')} = {es.get('value')})")
    return True, None, controls, tuple(sorted(sizes))


def _sets_text(sets: tuple[tuple[str, ...], ...], analysed: bool) -> str:
    if not analysed:
        return "n/a"
    if not sets:
        return "none (no valid adjustment set)"
    return "; ".join("{" + ", ".join(s) + "}" for s in sets)


def _ident_text(c: Consequences) -> str:
    if not c.analysed or c.identifiable is None:
        return "n/a"
    return f"identifiable ({c.strategy})" if c.identifiable else "not identifiable"


def compare_consequences(before: Consequences, after: Consequences) -> list[ConsequenceChange]:
    """What differs between two versions' consequences; losing identifiability is a warning."""
    out: list[ConsequenceChange] = []
    if not before.analysed and not after.analysed or _ABSENT in (before.reason, after.reason):
        return out  # nothing to compare: an added or deleted file shows its consequences on one side only
    if (before.exposure, before.outcome) != (after.exposure, after.outcome) and before.analysed and after.analysed:
        out.append(ConsequenceChange("question", f"{', '.join(before.exposure)} → {', '.join(before.outcome)}",
                                     f"{', '.join(after.exposure)} → {', '.join(after.outcome)}"))
    b_sets, a_sets = _sets_text(before.adjustment_sets, before.analysed), _sets_text(after.adjustment_sets, after.analysed)
    if b_sets != a_sets:
        lost = before.analysed and after.analysed and bool(before.adjustment_sets) and not after.adjustment_sets
        out.append(ConsequenceChange("minimal adjustment sets", b_sets, a_sets, "warning" if lost else "notice",
                                     added=tuple(_set_names(set(after.adjustment_sets) - set(before.adjustment_sets))),
                                     removed=tuple(_set_names(set(before.adjustment_sets) - set(after.adjustment_sets)))))
    b_id, a_id = _ident_text(before), _ident_text(after)
    if b_id != a_id:
        lost = before.identifiable is True and after.identifiable is False
        out.append(ConsequenceChange("identification", b_id, a_id, "warning" if lost else "notice"))
    if before.implications != after.implications:
        added = tuple(sorted(set(after.implications) - set(before.implications)))
        removed = tuple(sorted(set(before.implications) - set(after.implications)))
        out.append(ConsequenceChange("testable implications", str(len(before.implications)) if before.analysed else "n/a",
                                     str(len(after.implications)) if after.analysed else "n/a",
                                     added=added, removed=removed))
    if before.planned or after.planned:
        for topic, b, a in (("controls", before.controls, after.controls),
                            ("sample size", before.sample_size, after.sample_size)):
            if b != a:
                out.append(ConsequenceChange(topic, "; ".join(b) or "none", "; ".join(a) or "none",
                                             added=tuple(sorted(set(a) - set(b))), removed=tuple(sorted(set(b) - set(a)))))
    return out


def _set_names(sets: set[tuple[str, ...]]) -> list[str]:
    return sorted("{" + ", ".join(s) + "}" for s in sets)
