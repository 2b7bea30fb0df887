"""The answer strategy: how the plan would estimate the focal effect from data.

Until the plan records its chosen strategy (issue 9: ``design.strategy``), it is derived
here from the causal analysis, in the order a methodologist would try them:

1. ``randomised`` — the exposure is manipulable (a node attribute the plan sets): compare arms.
2. ``adjustment`` — a valid adjustment set exists (generalized adjustment criterion,
   Perković et al. 2018): regress the outcome on the exposure and the minimum-cost set.
3. ``frontdoor`` — the front-door criterion holds (Pearl 1995): the product of the
   exposure → mediator and mediator → outcome effects.
4. ``instrument`` — a conditional instrument exists (van der Zander et al. 2015): two-stage
   least squares.
5. ``id`` — identified only by the ID algorithm (Shpitser & Pearl 2006): no estimator here.
6. ``not_identifiable``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from ..errors import UsageError

__all__ = ["ESTIMABLE", "STRATEGIES", "Strategy", "choose_strategy", "focal_pair"]

STRATEGIES = ("randomised", "adjustment", "frontdoor", "instrument", "id", "not_identifiable")
#: Strategies with an estimator in :mod:`.estimators`.
ESTIMABLE = ("randomised", "adjustment", "frontdoor", "instrument")


@dataclass(frozen=True)
class Strategy:
    """The estimator for X → Y: covariates (the adjustment set, or W of an instrument), instrument, mediators."""

    name: str
    exposure: str
    outcome: str
    adjustment: tuple[str, ...] = ()
    instrument: str | None = None
    mediators: tuple[str, ...] = ()
    reason: str = ""

    @property
    def columns(self) -> tuple[str, ...]:
        """Every variable the estimator reads."""
        extra = (self.instrument,) if self.instrument else ()
        return (self.exposure, self.outcome, *self.adjustment, *extra, *self.mediators)


def focal_pair(g: nx.DiGraph, exposure: str | None = None, outcome: str | None = None) -> tuple[str, str]:
    """The one exposure and one outcome the data commands work on (default: the hypothesis focus)."""
    xs = (exposure,) if exposure else tuple(g.graph.get("exposure", ()))
    ys = (outcome,) if outcome else tuple(g.graph.get("outcome", ()))
    for role, nodes, opt in (("exposure", xs, "--exposure"), ("outcome", ys, "--outcome")):
        if len(nodes) != 1:
            what = "no" if not nodes else f"{len(nodes)}"
            raise UsageError(f"the hypothesis has {what} {role} node(s); estimation needs exactly one",
                             hint=f"set focus.{role} or pass {opt} NODE")
        if nodes[0] not in g:
            raise UsageError(f"{role} {nodes[0]!r} is not a node of the hypothesis", hint="use a node id from the file")
    if xs[0] == ys[0]:
        raise UsageError(f"{xs[0]} is both exposure and outcome", hint="choose different nodes")
    return xs[0], ys[0]


def choose_strategy(g: nx.DiGraph, exposure: str | None = None, outcome: str | None = None,
                    adjust: Iterable[str] | None = None) -> Strategy:
    """The strategy for the focal effect; ``adjust`` (``--adjust``) forces regression on that set, valid or not."""
    from ..analysis import analyze

    x, y = focal_pair(g, exposure, outcome)
    if adjust is not None:
        z = tuple(adjust)
        for n in z:
            if n not in g:
                raise UsageError(f"--adjust: {n!r} is not a node of the hypothesis", hint="use node ids from the file")
            if n in (x, y):
                raise UsageError(f"--adjust: {n} is the exposure or the outcome", hint="remove it from --adjust")
        return Strategy("adjustment", x, y, z, reason="the adjustment set given with --adjust")
    if g.nodes[x].get("manipulable"):
        return Strategy("randomised", x, y, reason=f"{x} is manipulable: randomise it and compare the arms")
    result = analyze(g, exposure=[x], outcome=[y], adjusted=[], max_results=20)
    ident = result.identification
    if ident.strategy == "adjustment":
        adj = result.adjustment
        chosen = adj.min_cost.nodes if adj.min_cost is not None else (
            adj.optimal if adj.optimal is not None else (adj.minimal[0] if adj.minimal else adj.canonical))
        z = tuple(sorted(chosen or ()))
        return Strategy("adjustment", x, y, z, reason="a valid adjustment set exists; the minimum-cost one is used")
    if ident.strategy == "frontdoor":
        from ..analysis.identification import find_frontdoor_set

        m = find_frontdoor_set(g, {x}, {y})
        if m is not None:
            return Strategy("frontdoor", x, y, mediators=tuple(sorted(m)),
                            reason="no valid adjustment set; the front-door criterion holds")
    if result.instruments:
        best = min(result.instruments, key=lambda i: (len(i.given), i.instrument))
        return Strategy("instrument", x, y, tuple(sorted(best.given)), instrument=best.instrument,
                        reason=f"no adjustment or front-door set; {best.instrument} is a conditional instrument")
    if ident.identifiable:
        return Strategy("id", x, y, reason="identified only by the ID algorithm; no estimator here")
    return Strategy("not_identifiable", x, y, reason=ident.reason or "not identifiable from the observed nodes")
