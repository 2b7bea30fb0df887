"""The answer strategy: how the focal effect is estimated from data, following the plan.

The plan chooses the identification strategy (:func:`hypoplan.design.strategy.choose_strategy`,
issue 9: randomised > adjustment > front-door > instrument > ID > not identifiable).  This
module turns that choice into an estimator's inputs:

- ``randomised`` — the randomised node R (the exposure, or a drug or intervention acting on
  it) against the outcome: the intention-to-treat effect of R, by a difference in means
  (parallel groups) or a paired analysis (AB/BA crossover, Senn 2002).
- ``adjustment`` — regression of the outcome on the exposure and the plan's minimum-cost set.
- ``frontdoor`` — the front-door product through the plan's mediators (Pearl 1995).
- ``instrument`` — two-stage least squares with the plan's instrument and its conditioning set.
- ``id`` and ``not_identifiable`` — no estimator here.

``--adjust`` replaces the plan's choice by a regression on a set given by hand, valid or not
(that is how a diagnosis shows what an invalid set costs).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import networkx as nx

from ..errors import UsageError

if TYPE_CHECKING:
    from ..design.strategy import Strategy as DesignStrategy
    from ..loader import Repository
    from ..schema import Hypothesis

__all__ = ["ESTIMABLE", "STRATEGIES", "Strategy", "choose_strategy", "focal_pair", "from_design", "plan_strategy"]

STRATEGIES = ("randomised", "adjustment", "frontdoor", "instrument", "id", "not_identifiable")
#: Strategies with an estimator in :mod:`.estimators`.
ESTIMABLE = ("randomised", "adjustment", "frontdoor", "instrument")


#: Randomised designs compared within person: an AB/BA crossover (two periods, Senn 2002) and a split-body
#: comparison (both conditions at one visit, one site each: no period).  Both get the paired analysis.
PAIRED_ARMS = ("crossover", "split_body")


def is_paired(arm: str | None) -> bool:
    """A randomised design whose analysis pairs each participant's two conditions."""
    return arm in PAIRED_ARMS


@dataclass(frozen=True)
class Strategy:
    """The estimator's inputs: ``exposure`` is what is compared (the randomised node for ``randomised``);
    ``adjustment`` the covariates (the adjustment set, or the instrument's conditioning set);
    ``arm`` ``parallel``, ``crossover`` or ``split_body`` for a randomised design (see :data:`PAIRED_ARMS`)."""

    name: str
    exposure: str
    outcome: str
    adjustment: tuple[str, ...] = ()
    instrument: str | None = None
    mediators: tuple[str, ...] = ()
    reason: str = ""
    arm: str | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        """Every variable the estimator reads."""
        extra = (self.instrument,) if self.instrument else ()
        return tuple(dict.fromkeys((self.exposure, self.outcome, *self.adjustment, *extra, *self.mediators)))


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


def from_design(s: DesignStrategy, exposure: str, outcome: str) -> Strategy:
    """The estimator for the plan's strategy ``s`` (``plan.strategy``) of the effect of exposure on outcome."""
    if s.name == "randomised":
        node = s.randomised_node or exposure
        return Strategy("randomised", node, outcome, reason=s.reason, arm=s.arm or "parallel")
    if s.name == "adjustment":
        return Strategy("adjustment", exposure, outcome, tuple(s.adjustment_set), reason=s.reason)
    if s.name == "frontdoor":
        return Strategy("frontdoor", exposure, outcome, mediators=tuple(s.mediators), reason=s.reason)
    if s.name == "instrument":
        return Strategy("instrument", exposure, outcome, tuple(s.instrument_given), instrument=s.instrument,
                        reason=s.reason)
    return Strategy(s.name, exposure, outcome, reason=s.reason)


def choose_strategy(g: nx.DiGraph, exposure: str | None = None, outcome: str | None = None,
                    adjust: Iterable[str] | None = None, *, costs: Mapping[str, float] | None = None,
                    species: str = "human", has_condition: bool = False) -> Strategy:
    """The plan's strategy for the focal effect, from the graph alone (``costs`` default: every node measurable).

    ``adjust`` (``--adjust``) forces a regression on that set, valid or not.  The CLI passes the plan's own
    strategy through :func:`from_design` instead, so catalog costs and the population apply there.
    """
    from ..analysis import analyze
    from ..design.strategy import choose_strategy as plan_strategy

    x, y = focal_pair(g, exposure, outcome)
    if adjust is not None:
        z = tuple(adjust)
        for n in z:
            if n not in g:
                raise UsageError(f"--adjust: {n!r} is not a node of the hypothesis", hint="use node ids from the file")
            if n in (x, y):
                raise UsageError(f"--adjust: {n} is the exposure or the outcome", hint="remove it from --adjust")
        return Strategy("adjustment", x, y, z, reason="the adjustment set given with --adjust")
    costs = dict(costs or {})
    result = analyze(g, exposure=[x], outcome=[y], adjusted=[], costs=costs or None, max_results=20)
    return from_design(plan_strategy(g, result, costs, species=species, has_condition=has_condition), x, y)


def _without_manipulation(g: nx.DiGraph) -> nx.DiGraph:
    """A copy of g in which no node can be set by the investigator (for observational data)."""
    h = g.copy()
    for _, d in h.nodes(data=True):
        d["manipulable"] = False
        if d.get("kind") in ("drug", "intervention"):
            d["kind"] = "other"
    return h


def plan_strategy(hypothesis: Hypothesis, g: nx.DiGraph, repository: Repository | None = None,
                  exposure: str | None = None, outcome: str | None = None, *,
                  observational: bool = False, available: Iterable[str] | None = None) -> Strategy:
    """The plan's own strategy, with the same catalog costs, population and function as ``hypoplan plan``.

    ``observational``: the data were not collected under the plan's randomisation, so the strongest
    strategy without one is used (adjustment, front door, instrument).  ``available``: the nodes a dataset
    has columns for; they count as measured (cost 1 when the catalog has no method) and every other node
    as unmeasured, so the strategy is one the data can carry out.
    """
    from ..analysis import analyze
    from ..design import controls as ctl
    from ..design.catalog import default_catalog, load_catalog_for
    from ..design.measures import measurement_costs
    from ..design.strategy import choose_strategy as plan_choose

    x, y = focal_pair(g, exposure, outcome)
    catalog = load_catalog_for(repository.root) if repository is not None else default_catalog()
    species = hypothesis.peco.species.value if hypothesis.peco else "human"
    population = hypothesis.peco.population if hypothesis.peco else None
    costs = measurement_costs(g, catalog, species)
    if available is not None:
        have = set(available)
        costs = {n: (c if math.isfinite(c) else 1.0) if n in have else math.inf for n, c in costs.items()}
    view = _without_manipulation(g) if observational else g
    result = analyze(view, exposure=[x], outcome=[y], costs=costs)
    conditions = ctl.population_conditions(g, catalog, population, (x,))
    chosen = from_design(plan_choose(view, result, costs, species=species, has_condition=bool(conditions)), x, y)
    if observational:
        return Strategy(chosen.name, chosen.exposure, chosen.outcome, chosen.adjustment, chosen.instrument,
                        chosen.mediators, "observational data (--observational): " + chosen.reason, chosen.arm)
    return chosen
