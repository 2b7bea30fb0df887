"""Feasibility notes: invasiveness, cost, burden, population rules, evidence gaps and validity caveats.

Each note carries the references it rests on.  Population-specific rules
(e.g. ME/CFS post-exertional malaise) are catalog data, applied here when the
population's condition matches.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

from ..schema import Direction, Source, Species
from .catalog import Catalog, CostBand, Drug, Invasiveness, Method, PopulationRule
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
    "visit_schedule",
]

COST_BANDS = "cost bands are unsourced estimates (low < $200, medium $200-2000, high > $2000)"


@dataclass(frozen=True)
class FeasibilityNote:
    """One note per rule: ``rule`` names the rule that wrote it, and no rule writes two notes."""

    topic: str
    note: str
    severity: str = "info"  # info | warning
    references: tuple[str, ...] = ()
    rule: str = ""
    data: dict[str, Any] | None = None

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"topic": self.topic, "note": self.note, "severity": self.severity,
                                  "references": list(self.references), "rule": self.rule}
        if self.data is not None:
            out["data"] = self.data
        return out


def _measured(measures: Iterable[NodeMeasure]) -> list[NodeMeasure]:
    return [m for m in measures if m.measured and m.method is not None]


def _by_method(measures: Iterable[NodeMeasure]) -> dict[str, tuple[Method, list[str]]]:
    """Chosen methods in first-use order, each with the labels of every node it measures."""
    out: dict[str, tuple[Method, list[str]]] = {}
    for m in measures:
        if m.method is None:
            continue
        out.setdefault(m.method.id, (m.method, []))[1].append(m.label)
    return out


def _for(method: Method, labels: Sequence[str]) -> str:
    return f"{method.name} (for {'; '.join(dict.fromkeys(labels))})"


def _refs(*groups: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(r for g in groups for r in g))


def invasiveness_notes(measures: Sequence[NodeMeasure]) -> list[FeasibilityNote]:
    """Moderate or high invasiveness (lumbar puncture, contrast, intrathecal tracer) needs ethics review and
    medical cover; name the less invasive alternative when the catalog has one.  One note for all methods."""
    items, refs, high = [], [], False
    alternatives = {m.method.id: m.alternatives for m in _measured(measures) if m.method}
    for method, labels in _by_method(_measured(measures)).values():
        if method.invasiveness.rank < Invasiveness.MODERATE.rank:
            continue
        high = high or method.invasiveness is Invasiveness.HIGH
        gentler = [a for a in alternatives[method.id] if a.invasiveness.rank < method.invasiveness.rank]
        item = f"{_for(method, labels)}: {method.invasiveness.value} ({method.burden_text})"
        if gentler:
            item += f", less invasive alternative {gentler[0].name} ({gentler[0].invasiveness.value})"
        items.append(item)
        refs.append(method.references)
    if not items:
        return []
    text = ("Invasive procedures need ethics approval, medical cover and informed consent on their risks: "
            + "; ".join(items) + ".")
    return [FeasibilityNote("invasiveness and ethics", text, "warning" if high else "info", _refs(*refs),
                            "invasiveness")]


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
    return [FeasibilityNote("cost", text, "warning" if high else "info", (COST_BANDS,), "cost")]


def burden_notes(measures: Sequence[NodeMeasure]) -> list[FeasibilityNote]:
    """Measures with a high participant burden, each named with what makes it heavy, in one note."""
    heavy = [(method, labels) for method, labels in _by_method(_measured(measures)).values()
             if method.burden is CostBand.HIGH]
    if not heavy:
        return []
    text = "High participant burden: " + "; ".join(f"{_for(x, labels)}: {x.burden_text}" for x, labels in heavy) + "."
    return [FeasibilityNote("participant burden", text, "warning", _refs(*(x.references for x, _ in heavy)),
                            "burden")]


def _applies(rule: PopulationRule, conditions: Sequence[str]) -> bool:
    return bool(set(rule.applies_to) & set(conditions))


def population_notes(catalog: Catalog, conditions: Sequence[str], measures: Sequence[NodeMeasure]) -> list[FeasibilityNote]:
    """Population rules from the catalog (e.g. ME/CFS: PEM, ~25% severe or very severe, Baxter 2022), and
    their consequences for the chosen methods, in one note per rule: methods that provoke the sensitive
    symptom (a 2-day CPET provokes PEM by design, Keller 2014) and methods that need a visit outside the
    preferred settings."""
    out = []
    methods = _by_method(_measured(measures))
    for rule in catalog.population_rules:
        if not _applies(rule, conditions):
            continue
        text, severity, refs = rule.note, rule.severity, [rule.references]
        provoking = []
        for method, labels in methods.values():
            provoked = [c for c in method.provokes if c in rule.sensitive_to]
            if provoked:
                names = ", ".join(x.label if (x := catalog.construct(c)) else c for c in provoked)
                caveats = " ".join(c if c.endswith(".") else c + "." for c in method.caveats)
                provoking.append(f"{_for(method, labels)} can provoke {names}" + (f" ({caveats.rstrip('.')})"
                                                                                  if caveats else ""))
                refs.append(method.references)
        if provoking:
            text += " " + "; ".join(provoking) + "."
            severity = "warning"
        if rule.prefer_settings:
            away = [method.name for method, _ in methods.values() if not set(method.setting) & set(rule.prefer_settings)]
            if away:
                text += (f" {len(away)} chosen measure(s) cannot be taken at {'/'.join(rule.prefer_settings)} and need "
                         "a visit (see the visit schedule): space these visits and monitor symptoms afterwards.")
                severity = "warning"
        out.append(FeasibilityNote(rule.topic, text, severity, _refs(*refs), f"population:{rule.id}"))
    return out


def _home_or_first(method: Method, prefer: Sequence[str]) -> str:
    """Where the method is done: a preferred setting it allows, else home when it allows home, else its first."""
    for s in (*prefer, "home"):
        if s in method.setting:
            return s
    return method.setting[0] if method.setting else "unspecified"


def visit_schedule(catalog: Catalog, conditions: Sequence[str], measures: Sequence[NodeMeasure]) -> list[FeasibilityNote]:
    """The per-participant schedule the chosen methods imply: one visit per setting away from home (methods in
    the same setting may share it), the invasive procedures among them, and the recovery windows that the
    population rules ask for (a rule with preferred settings asks to space visits and monitor symptoms)."""
    rules = [r for r in catalog.population_rules if _applies(r, conditions)]
    prefer = tuple(dict.fromkeys(s for r in rules for s in r.prefer_settings))
    settings: dict[str, list[dict[str, Any]]] = {}
    invasive: list[str] = []
    for method, labels in _by_method(_measured(measures)).values():
        where = _home_or_first(method, prefer)
        settings.setdefault(where, []).append({
            "method": method.name, "for": list(dict.fromkeys(labels)), "invasiveness": method.invasiveness.value,
            "burden": method.burden_text})
        if method.invasiveness.rank >= Invasiveness.MODERATE.rank:
            invasive.append(f"{method.name} ({method.burden_text})")
    if not settings:
        return []
    visits = [{"setting": s, "measures": ms} for s, ms in settings.items() if s != "home"]
    home = settings.get("home", [])
    recovery = [r.topic for r in rules if r.prefer_settings]
    parts = []
    if visits:
        parts.append(f"{len(visits)} visit setting(s) away from home, so at least {len(visits)} visit(s) if measures "
                     "in one setting share a visit: "
                     + "; ".join(f"{s}: {', '.join(x['method'] for x in ms)}" for s, ms in settings.items() if s != "home"))
    else:
        parts.append("no visits: every chosen measure can be taken at home")
    if home:
        parts.append(f"{len(home)} measure(s) at home")
    parts.append(f"invasive procedures: {len(invasive)}" + (f" ({'; '.join(invasive)})" if invasive else ""))
    if recovery:
        parts.append("recovery window after each visit, as the population rule(s) ask: " + ", ".join(recovery))
    text = "Per participant: " + ". ".join(p[0].upper() + p[1:] for p in parts) + "."
    data = {"visits": visits, "home": home, "invasive_procedures": invasive, "recovery_rules": recovery}
    return [FeasibilityNote("visit schedule", text, "warning" if invasive or (visits and recovery) else "info",
                            (), "visit-schedule", data)]


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
    can rest on it; an edge supported only by secondary, lay or press accounts (``Evidence.source``) rests on
    nobody's reading of the study; an edge with no evidence at all is an assumption to test.  One note for each."""
    animal_items: list[str] = []
    animal_refs: list[str] = []
    bare: list[str] = []
    secondhand: list[str] = []
    secondhand_refs: list[str] = []
    for u, v in edges:
        evidence = g.edges[u, v].get("evidence", ())
        where = f"{label(g, u)} → {label(g, v)}"
        if not evidence:
            bare.append(where)
            continue
        supporting = [e for e in evidence if e.direction is Direction.SUPPORTS]
        if supporting and all(e.source_type is not Source.PRIMARY for e in supporting):
            kinds = ", ".join(sorted({e.source_type.value for e in supporting}))
            secondhand.append(f"{where} ({kinds})")
            secondhand_refs.extend(cite(e) for e in supporting)
            continue
        supporting = [e for e in supporting if e.source_type is Source.PRIMARY]
        if species != "human" or not supporting:
            continue
        animal = [e for e in supporting if e.species is not None and e.species.is_animal]
        human = [e for e in supporting if e.species is Species.HUMAN]
        if animal and not human:
            animal_items.append(f"{where} ({', '.join(sorted({e.species.value for e in animal if e.species}))})")
            animal_refs.extend(cite(e) for e in animal)
    out = []
    if animal_items:
        out.append(FeasibilityNote("species gap", "Supported only by animal evidence: " + "; ".join(animal_items)
                                   + ". Establish " + ("it" if len(animal_items) == 1 else "them")
                                   + " in humans first, or make that the first aim.", "warning",
                                   tuple(dict.fromkeys(animal_refs)), "species-gap"))
    if secondhand:
        out.append(FeasibilityNote("second-hand support", "Supported only by secondary, lay or press accounts: "
                                   + "; ".join(secondhand) + ". Read and cite the studies themselves, or treat "
                                   + ("it" if len(secondhand) == 1 else "them") + " as untested.", "warning",
                                   tuple(dict.fromkeys(secondhand_refs)), "secondhand-support"))
    if bare:
        out.append(FeasibilityNote("evidence gap", "No evidence recorded in this file on: " + "; ".join(bare)
                                   + ". " + ("It is an assumption" if len(bare) == 1 else "They are assumptions")
                                   + " the study must test, not premises.", "info", (), "evidence-gap"))
    return out


def contradiction_notes(g: nx.DiGraph) -> list[FeasibilityNote]:
    """Evidence that contradicts an edge is reported with its finding, so the design can address it (one note)."""
    items, refs = [], []
    for u, v, data in sorted(g.edges(data=True), key=lambda e: (e[0], e[1])):
        for ev in data.get("evidence", ()):
            if ev.direction is Direction.CONTRADICTS:
                items.append(f"{label(g, u)} → {label(g, v)}: {ev.finding.rstrip('.')}")
                refs.append(cite(ev))
    if not items:
        return []
    return [FeasibilityNote("contradicting evidence", "; ".join(items) + ".", "warning",
                            tuple(dict.fromkeys(refs)), "contradiction")]


def validity_notes(measures: Sequence[NodeMeasure]) -> list[FeasibilityNote]:
    """Which chosen measures are only indirect proxies (their captures and caveats are in the methods section,
    e.g. forearm plasma NE reflects local muscle sympathetic activity, not locus coeruleus oscillation:
    Eldrup 2004), and the caveats of the measures the methods section does not describe (role "other")."""
    out = []
    proxies = [m for m in _measured(measures) if m.proxy and m.method is not None]
    if proxies:
        names = "; ".join(f"{m.method.name} for {m.label}" for m in proxies if m.method)
        out.append(FeasibilityNote("measurement validity", f"Indirect proxies: {names}. A null result on a proxy "
                                   "does not refute the link it stands for; see the methods for what each captures.",
                                   "warning", _refs(*(m.method.references for m in proxies if m.method)),
                                   "validity:proxy"))
    described = {m.method.id for m in _measured(measures) if m.method and m.role != "other"}
    others = [(x, labels) for x, labels in _by_method(m for m in _measured(measures) if m.role == "other").values()
              if x.caveats and x.id not in described]
    if others:
        text = "Caveats of the other measures: " + " ".join(
            f"{_for(x, labels)}: " + " ".join(c if c.endswith(".") else c + "." for c in x.caveats)
            for x, labels in others)
        out.append(FeasibilityNote("measurement validity", text, "info", _refs(*(x.references for x, _ in others)),
                                   "validity:other"))
    return out


def record_drug_notes(drugs: Sequence[Drug]) -> list[FeasibilityNote]:
    """Drugs whose effect on measured nodes is unverified: record their use and doses (one note)."""
    if not drugs:
        return []
    text = "Record use and doses of: " + " ".join(f"{d.name} ({d.effect.rstrip('.')})." for d in drugs)
    return [FeasibilityNote("medication to record", text, "info", _refs(*(d.references for d in drugs)),
                            "record-drugs")]
