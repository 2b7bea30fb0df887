"""The estimand (ICH E9(R1) attributes) and the outcome hierarchy of a plan.

ICH E9(R1) (Step 4, 2019; Kahan et al. 2024 BMJ doi:10.1136/bmj-2023-076316) asks for five attributes:
the population, the treatment (or exposure) contrast, the endpoint, the intercurrent events with a strategy
each, and the population-level summary.  Intercurrent events are taken from the catalog's population rules
for the population's condition; none are invented.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import networkx as nx

from .evidence import comparator, label

if TYPE_CHECKING:
    from ..schema import Peco
    from .catalog import Catalog
    from .measures import NodeMeasure
    from .strategy import Strategy

__all__ = ["ICH_E9_R1", "Estimand", "OutcomeItem", "Outcomes", "build_estimand", "build_outcomes", "is_event"]

ICH_E9_R1 = "ICH E9(R1) Step 4, 2019 (EMA/CHMP/ICH/436221/2017)"


@dataclass(frozen=True)
class OutcomeItem:
    node: str
    label: str
    method: str | None  # the catalog method's name, or None when no catalogued method measures it

    def to_json(self) -> dict[str, Any]:
        return {"node": self.node, "label": self.label, "method": self.method}


@dataclass(frozen=True)
class Outcomes:
    """Primary (the first focus outcome), secondary (other outcomes downstream of the exposure) and
    mechanistic outcomes (the mediators on the causal path)."""

    primary: OutcomeItem | None
    secondary: tuple[OutcomeItem, ...] = ()
    mechanistic: tuple[OutcomeItem, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"primary": self.primary.to_json() if self.primary else None,
                "secondary": [o.to_json() for o in self.secondary],
                "mechanistic": [o.to_json() for o in self.mechanistic]}


@dataclass(frozen=True)
class Estimand:
    population: str
    treatment: str
    endpoint: str
    intercurrent_events: tuple[tuple[str, str, str], ...]  # (event, strategy, why)
    summary: str
    references: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"population": self.population, "treatment": self.treatment, "endpoint": self.endpoint,
                "intercurrent_events": [{"event": e, "strategy": s, "why": w}
                                        for e, s, w in self.intercurrent_events],
                "summary": self.summary, "references": list(self.references)}


def _item(g: nx.DiGraph, node: str, measures: Mapping[str, NodeMeasure]) -> OutcomeItem:
    m = measures.get(node)
    return OutcomeItem(node, label(g, node), m.method.name if m is not None and m.method is not None else None)


def build_outcomes(g: nx.DiGraph, exposure: Sequence[str], outcome: Sequence[str], mediators: Iterable[str],
                   measures: Mapping[str, NodeMeasure]) -> Outcomes:
    """The first focus outcome is primary; the other focus outcomes, and ``kind: outcome`` nodes the exposure
    reaches, are secondary; mediators between exposure and outcome are mechanistic."""
    if not outcome:
        return Outcomes(None)
    reach = set().union(*(nx.descendants(g, x) for x in exposure if x in g)) if exposure else set()
    secondary = list(outcome[1:])
    secondary += sorted(n for n in reach if g.nodes[n].get("kind") == "outcome" and n not in outcome)
    mech = [m for m in mediators if m not in outcome and m not in exposure]
    return Outcomes(_item(g, outcome[0], measures), tuple(_item(g, n, measures) for n in secondary),
                    tuple(_item(g, n, measures) for n in mech))


def is_event(g: nx.DiGraph, catalog: Catalog, node: str) -> bool:
    """A node whose construct the catalog files as an ``event`` (e.g. a stroke, a death): it happens once and is
    summarised as a risk or a hazard over follow-up, not as a mean, and a crossover cannot read it out."""
    return node in g and any((c := catalog.construct(x)) is not None and c.category == "event"
                             for x in g.nodes[node].get("constructs", ()))


def _intercurrent(catalog: Catalog, conditions: Sequence[str]) -> tuple[list[tuple[str, str, str]], list[str]]:
    events: list[tuple[str, str, str]] = []
    refs: list[str] = []
    for rule in catalog.population_rules:
        if not set(rule.applies_to) & set(conditions) or not rule.intercurrent_events:
            continue
        for e in rule.intercurrent_events:
            if (e.event, e.strategy, e.why) not in events:
                events.append((e.event, e.strategy, e.why))
        refs.extend(r for r in rule.references if r not in refs)
    return events, refs


def build_estimand(g: nx.DiGraph, strategy: Strategy, exposure: Sequence[str], outcomes: Outcomes,
                   peco: Peco | None, catalog: Catalog, conditions: Sequence[str]) -> Estimand:
    """The five ICH E9(R1) attributes for the plan's primary comparison."""
    names = [c.label for c in (catalog.construct(x) for x in conditions) if c is not None]
    if peco is not None:
        population = peco.population
    elif names:
        population = f"people with {' and '.join(names)}"
    else:
        population = "not stated: add peco.population to the hypothesis"
    x = ", ".join(label(g, n) for n in exposure) or "the exposure"
    if strategy.name == "randomised" and strategy.randomised_node is not None:
        node = label(g, strategy.randomised_node)
        treatment = f"{node} vs {comparator(g, strategy.randomised_node)}, randomised"
        if strategy.arm == "crossover":
            treatment += " (within-person crossover)"
        elif strategy.arm == "split_body":
            treatment += " (split-body: both conditions at one visit, side randomised)"
    elif peco is not None:
        treatment = f"{peco.exposure} vs {peco.comparator}"
    else:
        treatment = f"higher vs lower {x}"
    if outcomes.primary is None:
        endpoint = "not stated: set focus.outcome"
    else:
        p = outcomes.primary
        endpoint = p.label + (f", measured by {p.method}" if p.method else ", with no catalogued method yet")
    events, refs = _intercurrent(catalog, conditions)
    summary = {
        "randomised": "difference in mean endpoint between the randomised conditions"
                      + {"crossover": " (within-person difference, adjusted for period)",
                         "split_body": " (mean within-person difference between the two sites, paired analysis; "
                                       "a local effect, assuming no spread between sites)"}.get(strategy.arm or "", ""),
        "adjustment": "mean difference in the endpoint per contrast of the exposure, standardised over the "
                      "adjustment set (the adjustment formula)",
        "frontdoor": "mean difference in the endpoint per contrast of the exposure, from the front-door formula",
        "instrument": "the instrumental-variable (Wald) ratio: the endpoint's difference per unit of exposure "
                      "moved by the instrument",
        "id": "mean difference in the endpoint per contrast of the exposure, from the ID-algorithm formula",
    }.get(strategy.name, "none: the effect is not identifiable from what can be measured")
    if outcomes.primary is not None and is_event(g, catalog, outcomes.primary.node) and strategy.name != \
            "not_identifiable":
        summary = ("risk difference (or hazard ratio) of " + outcomes.primary.label + " over follow-up"
                   + {"randomised": " between the randomised conditions",
                      "adjustment": ", standardised over the adjustment set (the adjustment formula)",
                      "frontdoor": ", from the front-door formula", "instrument": " per unit of exposure moved by "
                      "the instrument (under its extra assumptions)", "id": ", from the ID-algorithm formula"
                      }.get(strategy.name, ""))
    return Estimand(population, treatment, endpoint, tuple(events), summary, (ICH_E9_R1, *refs))
