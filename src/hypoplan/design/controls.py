"""Control groups, derived from the graph, the population and the catalog.

- Healthy controls matched on the confounders the graph names.
- Disease controls that reach the outcome through another path (specificity).
- Within-subject manipulations where the graph has a drug or intervention
  acting on the focal path (a positive control of the mechanism).
- Negative-control exposures and outcomes from the analysis (Lipsitch 2010).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import networkx as nx

from .catalog import Catalog
from .evidence import arrow_path, combine_signs, label, path_references, path_sign

__all__ = [
    "LIPSITCH_2010",
    "ControlGroup",
    "confounders_to_match",
    "defining_text",
    "disease_controls",
    "healthy_controls",
    "negative_control_groups",
    "population_conditions",
    "within_subject_controls",
]

LIPSITCH_2010 = "Lipsitch 2010 Epidemiology 21:383 doi:10.1097/EDE.0b013e3181d61eeb"

_MANIPULABLE = ("drug", "intervention")


@dataclass(frozen=True)
class ControlGroup:
    kind: str  # healthy | disease | within-subject | negative-control-exposure | negative-control-outcome
    name: str
    rationale: str
    matched_on: tuple[str, ...] = ()
    references: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {"kind": self.kind, "name": self.name, "rationale": self.rationale,
                "matched_on": list(self.matched_on), "references": list(self.references)}


def population_conditions(g: nx.DiGraph, catalog: Catalog, population: str | None,
                          exposure: Iterable[str] = ()) -> tuple[str, ...]:
    """Condition constructs that define the population.

    Carried by a ``kind: condition`` node that is the exposure or one of its
    ancestors; else named in the PECO population text (by label or synonym).
    """
    def is_condition(c: str) -> bool:
        con = catalog.construct(c)
        return con is not None and con.category == "condition"

    found: list[str] = []
    exposure = set(exposure) & set(g)
    upstream = set(exposure).union(*(nx.ancestors(g, x) for x in exposure)) if exposure else set()
    for n in sorted(upstream):
        if g.nodes[n].get("kind") == "condition":
            found.extend(c for c in g.nodes[n].get("constructs", ()) if is_condition(c) and c not in found)
    if not found and population:
        found = [c for c in catalog.constructs_in_text(defining_text(population)) if is_condition(c)]
    return tuple(found)


_NOT_DEFINING = re.compile(r"[,;(]?\s*\b(phenotyped|screened|assessed|excluding|except|without|not taking|"
                           r"matched|compared with|versus|vs\.?)\b", re.IGNORECASE)


def defining_text(population: str) -> str:
    """The part of a PECO population that defines who is studied: a condition named after "phenotyped for",
    "excluding", "without", "matched", "vs" … is measured or excluded, not the population's condition."""
    m = _NOT_DEFINING.search(population)
    return population[:m.start()] if m else population


def _condition_nodes(g: nx.DiGraph, conditions: Sequence[str]) -> set[str]:
    return {n for n, d in g.nodes(data=True) if set(d.get("constructs", ())) & set(conditions)}


def confounders_to_match(g: nx.DiGraph, catalog: Catalog, exposure: Iterable[str], outcome: Iterable[str],
                         conditions: Sequence[str] = ()) -> list[str]:
    """Observed nodes the graph names as confounders (``kind: confounder``, or a demographic construct);
    drugs, mechanisms and the population's condition are left out."""
    skip = set(exposure) | set(outcome) | _condition_nodes(g, conditions)

    def named(n: str) -> bool:
        d = g.nodes[n]
        demographic = any((c := catalog.construct(x)) is not None and c.category == "demographic"
                          for x in d.get("constructs", ()))
        return d.get("kind") == "confounder" or demographic

    return sorted(n for n in g.nodes if named(n) and g.nodes[n].get("observed", True)
                  and not g.nodes[n].get("implicit") and n not in skip)


def healthy_controls(g: nx.DiGraph, catalog: Catalog, conditions: Sequence[str],
                     confounders: Sequence[str]) -> list[ControlGroup]:
    """Healthy controls for a patient population, matched on the graph's confounders.

    Each matching factor carries the fact from the catalog that makes it matter
    (e.g. plasma NE rises with age, Saar 1979; deconditioning, Keller 2024).
    """
    if not conditions:
        return []
    names = [catalog.construct(c).label for c in conditions if catalog.construct(c)]  # type: ignore[union-attr]
    matched = [label(g, n) for n in confounders]
    reasons: list[str] = []
    refs: list[str] = []
    for n in confounders:
        for c in g.nodes[n].get("constructs", ()):
            con = catalog.construct(c)
            if con is not None and con.matching_note:
                reasons.append(con.matching_note)
                refs.extend(r for r in con.matching_references if r not in refs)
    if matched:
        rationale = (f"Compare people with {' and '.join(names)} with healthy people matched on the confounders "
                     f"the graph names ({', '.join(matched)}), so a difference is not due to them.")
    else:
        rationale = (f"Compare people with {' and '.join(names)} with healthy people; the graph names no "
                     "confounders to match on, so add the ones you expect (e.g. age and sex) to the hypothesis.")
    if reasons:
        rationale += " " + " ".join(reasons)
    return [ControlGroup("healthy", "Healthy controls" + (f" matched on {', '.join(matched)}" if matched else ""),
                         rationale, tuple(matched), tuple(refs))]


def _other_paths_to_outcome(g: nx.DiGraph, source: str, outcome: Iterable[str], exposure: set[str],
                            limit: int = 20) -> list[list[str]]:
    paths: list[list[str]] = []
    for y in outcome:
        if y not in g or source == y:
            continue
        for p in nx.all_simple_paths(g, source, y, cutoff=12):
            if not exposure & set(p):
                paths.append(p)
                if len(paths) >= limit:
                    return paths
    return paths


def disease_controls(g: nx.DiGraph, catalog: Catalog, conditions: Sequence[str], exposure: Iterable[str],
                     outcome: Iterable[str]) -> list[ControlGroup]:
    """Disease controls that share the outcome through another path, to test specificity.

    From the graph: a ``kind: condition`` node (not the population's) with a
    causal path to the outcome that avoids the exposure.  From the catalog:
    disease-control entries listed for the population's condition or sharing
    a construct of the outcome (MS, insomnia, sleep apnea, depression, FM vs
    ME/CFS, with their references).
    """
    exposure, outcome = set(exposure), [y for y in outcome if y in g]
    groups: list[ControlGroup] = []
    seen_conditions: set[str] = set(conditions)
    own = _condition_nodes(g, conditions)
    for n in sorted(g.nodes):
        d = g.nodes[n]
        if d.get("kind") != "condition" or n in own or n in exposure or n in outcome:
            continue
        paths = _other_paths_to_outcome(g, n, outcome, exposure)
        if not paths:
            continue
        seen_conditions.update(d.get("constructs", ()))
        groups.append(ControlGroup(
            "disease", f"People with {label(g, n)}",
            f"{label(g, n)} reaches the outcome through another path ({arrow_path(g, paths[0])}): "
            "a disease control tests whether the finding is specific to the proposed mechanism.",
            (), tuple(path_references(g, paths[0]))))
    outcome_constructs = {c for y in outcome for c in g.nodes[y].get("constructs", ())}
    for dc in catalog.disease_controls:
        if dc.condition is not None and dc.condition in seen_conditions:
            continue
        for_population = bool(set(dc.control_for) & set(conditions))
        shared = [c for c in dc.shares if c in outcome_constructs]
        if not (for_population or (shared and conditions)):
            continue
        why = []
        if shared:
            labels = [catalog.construct(c).label for c in shared if catalog.construct(c)]  # type: ignore[union-attr]
            why.append(f"shares the outcome ({', '.join(labels)}) through another path")
        if for_population:
            why.append("is an established comparison group for this population")
        text = f"{dc.name} {' and '.join(why)}. {dc.rationale}"
        if dc.overlap and "phenotype both" not in dc.rationale:
            text += " Because the two conditions overlap, phenotype both in every participant."
        groups.append(ControlGroup("disease", dc.name, text, (), dc.references))
    return groups


def _focal_nodes(g: nx.DiGraph, exposure: Iterable[str], outcome: Iterable[str]) -> set[str]:
    exposure, outcome = set(exposure) & set(g), set(outcome) & set(g)
    down = set(exposure).union(*(nx.descendants(g, x) for x in exposure)) if exposure else set()
    up = set(outcome).union(*(nx.ancestors(g, y) for y in outcome)) if outcome else set()
    return (down & up) - outcome if exposure and outcome else set()


def within_subject_controls(g: nx.DiGraph, exposure: Iterable[str], outcome: Iterable[str]) -> list[ControlGroup]:
    """A randomised, placebo-controlled crossover where a drug or intervention in the graph acts on the
    focal path (exposure or mediator): a positive control of the mechanism, each person their own control
    (e.g. zolpidem suppresses the NE oscillation and glymphatic flow in mice, Hauglund 2025)."""
    exposure, outcome = list(exposure), [y for y in outcome if y in g]
    focal = _focal_nodes(g, exposure, outcome)
    groups: list[ControlGroup] = []
    for d in sorted(n for n, data in g.nodes(data=True) if data.get("kind") in _MANIPULABLE):
        targets = sorted(t for t in g.successors(d) if t in focal)
        if not targets:
            continue
        acts: list[str] = []
        effects: list[str] = []
        refs: list[str] = []
        for target in targets:
            sign = g.edges[d, target].get("sign", "unknown")
            acts.append(f"{label(g, target)} ({_say_sign(sign)})")
            for y in outcome:
                paths = list(nx.all_simple_paths(g, target, y, cutoff=12)) if target != y else [[y]]
                if paths:
                    p = paths[0]
                    net = combine_signs([sign, path_sign(g, p)]) if len(p) > 1 else sign
                    effects.append(f"{label(g, y)} ({_say_sign(net)}, via {arrow_path(g, p)})")
            refs.extend(r for r in path_references(g, [d, target]) if r not in refs)
        rationale = (f"In the graph {label(g, d)} acts on {'; '.join(acts)}. A randomised, double-blind "
                     f"{label(g, d)} vs placebo crossover uses each participant as their own control: it should "
                     f"shift {', '.join(label(g, t) for t in targets)}"
                     + (" and, if the hypothesis holds, " + "; ".join(dict.fromkeys(effects)) if effects else "")
                     + ". It is a positive control of the links from there to the outcome.")
        groups.append(ControlGroup("within-subject", f"{label(g, d)} vs placebo crossover (positive control)",
                                   rationale, (), tuple(refs)))
    return groups


def _say_sign(sign: str) -> str:
    return {"positive": "raises it", "negative": "lowers it", "mixed": "mixed effect",
            "unknown": "direction unknown"}.get(sign, sign)


def negative_control_groups(g: nx.DiGraph, negative_controls: object) -> list[ControlGroup]:
    """Negative-control exposures and outcomes from the analysis: an association with them reveals
    confounding or bias (Lipsitch, Tchetgen Tchetgen & Cohen 2010)."""
    groups: list[ControlGroup] = []
    for kind, items in (("negative-control-exposure", getattr(negative_controls, "exposures", ())),
                        ("negative-control-outcome", getattr(negative_controls, "outcomes", ()))):
        for nc in items:
            role = "exposure" if kind.endswith("exposure") else "outcome"
            groups.append(ControlGroup(kind, f"{label(g, nc.node)} as a negative-control {role}",
                                       nc.reasoning, (), (LIPSITCH_2010,)))
    return groups
