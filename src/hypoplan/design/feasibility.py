"""Feasibility notes: invasiveness, cost, burden, population rules, evidence gaps and validity caveats.

Each note carries the references it rests on.  Population-specific rules
(e.g. ME/CFS post-exertional malaise) are catalog data, applied here when the
population's condition matches.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import networkx as nx

from ..schema import Direction, Species
from .catalog import Catalog, CostBand, Drug, Invasiveness
from .evidence import cite, label
from .measures import NodeMeasure

__all__ = [
    "FeasibilityNote",
    "burden_notes",
    "contradiction_notes",
    "cost_notes",
    "focal_edges",
    "invasiveness_notes",
    "population_notes",
    "record_drug_notes",
    "species_gap_notes",
    "validity_notes",
]

COST_BANDS = "cost bands are unsourced estimates (low < $200, medium $200-2000, high > $2000)"


@dataclass(frozen=True)
class FeasibilityNote:
    topic: str
    note: str
    severity: str = "info"  # info | warning
    references: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {"topic": self.topic, "note": self.note, "severity": self.severity,
                "references": list(self.references)}


def _measured(measures: Iterable[NodeMeasure]) -> list[NodeMeasure]:
    return [m for m in measures if m.measured and m.method is not None]


def invasiveness_notes(measures: Sequence[NodeMeasure]) -> list[FeasibilityNote]:
    """Moderate or high invasiveness (lumbar puncture, contrast, intrathecal tracer) needs ethics review and
    medical cover; name the less invasive alternative when the catalog has one."""
    out = []
    for m in _measured(measures):
        method = m.method
        assert method is not None
        if method.invasiveness.rank < Invasiveness.MODERATE.rank:
            continue
        gentler = [a for a in m.alternatives if a.invasiveness.rank < method.invasiveness.rank]
        text = (f"{method.name} (for {m.label}) is {method.invasiveness.value}ly invasive ({method.burden_text}): "
                "it needs ethics approval, medical cover and informed consent on its risks.")
        if gentler:
            text += f" A less invasive alternative: {gentler[0].name} ({gentler[0].invasiveness.value})."
        out.append(FeasibilityNote("invasiveness and ethics", text,
                                   "warning" if method.invasiveness is Invasiveness.HIGH else "info",
                                   method.references))
    return out


def cost_notes(measures: Sequence[NodeMeasure]) -> list[FeasibilityNote]:
    """The per-participant cost bands of the chosen methods (the bands themselves are unsourced estimates)."""
    measured = _measured(measures)
    if not measured:
        return []
    high = sorted({m.method.name for m in measured if m.method and m.method.cost_band is CostBand.HIGH})
    bands = sorted({m.method.cost_band for m in measured if m.method}, key=lambda b: b.rank)
    text = f"Highest cost band among the chosen measures: {bands[-1].value}."
    if high:
        text += " High-cost measures: " + "; ".join(high) + "."
    return [FeasibilityNote("cost", text, "warning" if high else "info", (COST_BANDS,))]


def burden_notes(measures: Sequence[NodeMeasure]) -> list[FeasibilityNote]:
    """Measures with a high participant burden, each named with what makes it heavy."""
    out = []
    for m in _measured(measures):
        method = m.method
        assert method is not None
        if method.burden is CostBand.HIGH:
            out.append(FeasibilityNote("participant burden",
                                       f"{method.name} (for {m.label}) is a high burden: {method.burden_text}.",
                                       "warning", method.references))
    return out


def population_notes(catalog: Catalog, conditions: Sequence[str], measures: Sequence[NodeMeasure]) -> list[FeasibilityNote]:
    """Population rules from the catalog (e.g. ME/CFS: PEM, ~25% severe or very severe, Baxter 2022), and
    their consequences for the chosen methods: methods that provoke the sensitive symptom (a 2-day CPET
    provokes PEM by design, Keller 2014) and methods that need a visit outside the preferred settings."""
    out = []
    measured = _measured(measures)
    for rule in catalog.population_rules:
        if not set(rule.applies_to) & set(conditions):
            continue
        out.append(FeasibilityNote(rule.topic, rule.note, rule.severity, rule.references))
        for m in measured:
            method = m.method
            assert method is not None
            provoked = [c for c in method.provokes if c in rule.sensitive_to]
            if provoked:
                names = ", ".join(catalog.construct(c).label if catalog.construct(c) else c  # type: ignore[union-attr]
                                  for c in provoked)
                out.append(FeasibilityNote(rule.topic, f"{method.name} (for {m.label}) can provoke {names}: "
                                           + "; ".join(method.caveats), "warning",
                                           method.references + rule.references))
            if rule.prefer_settings and not set(method.setting) & set(rule.prefer_settings):
                out.append(FeasibilityNote(rule.topic, f"{method.name} (for {m.label}) needs a visit "
                                           f"({'/'.join(method.setting)}), not a {'/'.join(rule.prefer_settings)} "
                                           "measure: space the visits and monitor symptoms afterwards.",
                                           "warning", rule.references))
    return out


def focal_edges(g: nx.DiGraph, exposure: Iterable[str], outcome: Iterable[str]) -> list[tuple[str, str]]:
    """Edges on causal paths from exposure to outcome."""
    exposure, outcome = set(exposure) & set(g), set(outcome) & set(g)
    if not exposure or not outcome:
        return []
    down = exposure.union(*(nx.descendants(g, x) for x in exposure))
    up = outcome.union(*(nx.ancestors(g, y) for y in outcome))
    on = down & up
    return sorted((u, v) for u, v in g.edges if u in on and v in on and not g.edges[u, v].get("implicit"))


def species_gap_notes(g: nx.DiGraph, edges: Iterable[tuple[str, str]], species: str = "human") -> list[FeasibilityNote]:
    """An edge supported only by animal evidence must first be established in humans before a human study
    can rest on it; an edge with no evidence at all is an untested assumption."""
    out = []
    for u, v in edges:
        evidence = g.edges[u, v].get("evidence", ())
        where = f"{label(g, u)} → {label(g, v)}"
        if not evidence:
            out.append(FeasibilityNote("evidence gap", f"{where} has no recorded evidence: it is an assumption "
                                       "the study must test, not a premise.", "info", ()))
            continue
        supporting = [e for e in evidence if e.direction is Direction.SUPPORTS]
        if species != "human" or not supporting:
            continue
        animal = [e for e in supporting if e.species is not None and e.species.is_animal]
        human = [e for e in supporting if e.species is Species.HUMAN]
        if animal and not human:
            out.append(FeasibilityNote("species gap", f"{where} is supported only by animal evidence "
                                       f"({', '.join(sorted({e.species.value for e in animal if e.species}))}): "
                                       "establish it in humans first, or make that the first aim.", "warning",
                                       tuple(dict.fromkeys(cite(e) for e in animal))))
    return out


def contradiction_notes(g: nx.DiGraph) -> list[FeasibilityNote]:
    """Evidence that contradicts an edge is reported with its finding, so the design can address it."""
    out = []
    for u, v, data in sorted(g.edges(data=True), key=lambda e: (e[0], e[1])):
        for ev in data.get("evidence", ()):
            if ev.direction is Direction.CONTRADICTS:
                out.append(FeasibilityNote("contradicting evidence",
                                           f"{label(g, u)} → {label(g, v)}: {ev.finding}", "warning", (cite(ev),)))
    return out


def validity_notes(measures: Sequence[NodeMeasure]) -> list[FeasibilityNote]:
    """What each chosen measure really captures, and its caveats (e.g. forearm plasma NE reflects local
    muscle sympathetic activity, not locus coeruleus oscillation: Eldrup 2004)."""
    out = []
    for m in _measured(measures):
        method = m.method
        assert method is not None
        if not method.caveats and not m.proxy:
            continue
        lead = "indirect proxy" if m.proxy else "caveats"
        text = f"{method.name} for {m.label} ({lead}): captures {method.captures.rstrip('.')}."
        if method.caveats:
            text += " " + " ".join(c if c.endswith(".") else c + "." for c in method.caveats)
        out.append(FeasibilityNote("measurement validity", text, "warning" if m.proxy else "info", method.references))
    return out


def record_drug_notes(drugs: Sequence[Drug]) -> list[FeasibilityNote]:
    """Drugs whose effect on measured nodes is unverified: record their use and doses."""
    return [FeasibilityNote("medication to record", f"Record use of {d.name}: {d.effect}", "info", d.references)
            for d in drugs]
