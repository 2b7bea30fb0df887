"""Control groups, derived from the graph, the population and the catalog.

- Healthy controls matched on the graph's pre-exposure confounders, never on a consequence of the
  case-defining condition or of the exposure (overmatching, Mansournia 2018); sex and age are always
  considered (NIH sex-as-a-biological-variable policy, NOT-OD-15-102).
- An outcome that is a defining criterion of the condition gets a within-person repeated-measures design
  instead of a circular case-vs-control comparison.
- At most two disease controls, ranked by the alternative paths to the outcome they share and by the
  strength of their evidence (Lipsitch 2010 for the logic of specificity checks).
- Within-subject drug crossovers where a drug acts on the focal path: a positive control only when the
  drug's direction on its target is known, with a caveat when the drug changes the read-out itself.
- Negative-control exposures and outcomes from the analysis (Lipsitch 2010), never measured by the
  exposure's or the outcome's own method.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx

from .catalog import Catalog
from .estimand import is_event
from .evidence import arrow_path, blinding, combine_signs, comparator, label, path_references, path_sign
from .measures import NodeMeasure

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
MANSOURNIA_2018 = "Mansournia 2018 Eur J Epidemiol doi:10.1007/s10654-017-0325-0 (overmatching)"
NIH_SABV = "NIH NOT-OD-15-102 (9 Jun 2015): sex as a biological variable"

#: At most this many disease-control groups are proposed.
MAX_DISEASE_CONTROLS = 2

_MANIPULABLE = ("drug", "intervention")


@dataclass(frozen=True)
class ControlGroup:
    kind: str  # healthy | disease | within-subject | negative-control-exposure | negative-control-outcome
    name: str
    rationale: str
    matched_on: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    node: str | None = None  # the graph node the group manipulates or reads (not part of the JSON contract)

    def to_json(self) -> dict[str, object]:
        return {"kind": self.kind, "name": self.name, "rationale": self.rationale,
                "matched_on": list(self.matched_on), "references": list(self.references)}


@dataclass(frozen=True)
class LeftOut:
    """A control candidate the rules left out, and why."""

    candidate: str
    kind: str  # matching | disease | negative-control | positive-control
    why: str

    def to_json(self) -> dict[str, object]:
        return {"candidate": self.candidate, "kind": self.kind, "why": self.why}


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
    left = {n for n, _ in overmatching_candidates(g, catalog, exposure, outcome, conditions)}
    return [n for n in _named_confounders(g, catalog, exposure, outcome, conditions) if n not in left]


def _named_confounders(g: nx.DiGraph, catalog: Catalog, exposure: Iterable[str], outcome: Iterable[str],
                       conditions: Sequence[str]) -> list[str]:
    skip = set(exposure) | set(outcome) | _condition_nodes(g, conditions)

    def named(n: str) -> bool:
        d = g.nodes[n]
        demographic = any((c := catalog.construct(x)) is not None and c.category == "demographic"
                          for x in d.get("constructs", ()))
        return d.get("kind") == "confounder" or demographic

    return sorted(n for n in g.nodes if named(n) and g.nodes[n].get("observed", True)
                  and not g.nodes[n].get("implicit") and n not in skip)


def overmatching_candidates(g: nx.DiGraph, catalog: Catalog, exposure: Iterable[str], outcome: Iterable[str],
                            conditions: Sequence[str] = ()) -> list[tuple[str, str]]:
    """Named confounders that are consequences of the case-defining condition or of the exposure, with why.

    Matching on a consequence or intermediate of the exposure biases the comparison, typically hiding the
    effect (overmatching; Mansournia et al. 2018).
    """
    sources = sorted(_condition_nodes(g, conditions) | (set(exposure) & set(g)))
    out: list[tuple[str, str]] = []
    for n in _named_confounders(g, catalog, exposure, outcome, conditions):
        for src in sources:
            if n in nx.descendants(g, src):
                path = nx.shortest_path(g, src, n)
                out.append((n, (f"a consequence of {label(g, src)} in the graph ({arrow_path(g, path)}): matching "
                               "on it would remove part of the difference under study (overmatching)")))
                break
    return out


def _sex_and_age(g: nx.DiGraph, confounders: Sequence[str]) -> list[str]:
    """Sex and age are always considered (NIH NOT-OD-15-102): the graph's own node when it is a matching
    confounder, else the generic factor."""
    out = []
    for construct, name in (("sex", "Sex"), ("age", "Age")):
        if not any(construct in g.nodes[n].get("constructs", ()) or n.lower() == construct for n in confounders):
            out.append(name)
    return out


def healthy_controls(g: nx.DiGraph, catalog: Catalog, conditions: Sequence[str], confounders: Sequence[str],
                     left_out: Sequence[tuple[str, str]] = (), measured: Iterable[str] | None = None
                     ) -> list[ControlGroup]:
    """Healthy controls for a patient population, matched on the graph's pre-exposure confounders and on
    sex and age; each matching factor carries the catalog fact that makes it matter (e.g. plasma NE rises
    with age, Saar 1979); candidates left out for overmatching are named with the reason."""
    if not conditions:
        return []
    names = [c.label for c in (catalog.construct(x) for x in conditions) if c is not None]
    matched = [label(g, n) for n in confounders] + _sex_and_age(g, confounders)
    reasons: list[str] = []
    refs: list[str] = []
    # a matching fact is shown only when it concerns a construct the plan measures or the population's
    # condition (the catalog's relevant_to); without ``measured``, every construct of the graph counts
    if measured is None:
        measured = {c for _, d in g.nodes(data=True) for c in d.get("constructs", ())}
    relevant = set(measured) | set(conditions)
    factors = [c for n in confounders for c in g.nodes[n].get("constructs", ())]
    factors += [c for c in ("sex", "age") if c not in factors]
    for c in dict.fromkeys(factors):
        con = catalog.construct(c)
        if con is None:
            continue
        for text, fact_refs in con.matching_for(relevant):
            if text not in reasons:
                reasons.append(text)
                refs.extend(r for r in fact_refs if r not in refs)
    rationale = (f"Compare people with {' and '.join(names)} with healthy people matched on "
                 f"{', '.join(matched)}, so a difference is not due to them. Sex and age are always considered "
                 "(NIH sex-as-a-biological-variable policy): recruit both sexes and report results by sex.")
    refs.append(NIH_SABV)
    if reasons:
        rationale += " " + " ".join(reasons)
    if left_out:
        rationale += " Not matched on: " + "; ".join(f"{label(g, n)} — {why}" for n, why in left_out) + "."
        refs.append(MANSOURNIA_2018)
    return [ControlGroup("healthy", f"Healthy controls matched on {', '.join(matched)}", rationale, tuple(matched),
                         tuple(refs))]


def criterion_outcomes(g: nx.DiGraph, catalog: Catalog, outcome: Iterable[str],
                       conditions: Sequence[str]) -> list[tuple[str, str]]:
    """Outcome nodes that define the population's condition, with the condition's label: the node's own
    ``criterion_of``, a construct the catalog marks as a criterion of it, or the condition construct itself."""
    conds = set(conditions)
    out = []
    for y in outcome:
        if y not in g:
            continue
        d = g.nodes[y]
        hits = set(d.get("criterion_of", ())) & conds
        for c in d.get("constructs", ()):
            con = catalog.construct(c)
            if c in conds:
                hits.add(c)
            elif con is not None:
                hits |= set(con.criterion_of) & conds
        if hits:
            names = [con.label if (con := catalog.construct(c)) is not None else c for c in sorted(hits)]
            out.append((y, " and ".join(names)))
    return out


def _occasion(g: nx.DiGraph, catalog: Catalog, node: str) -> str | None:
    for c in g.nodes[node].get("constructs", ()):
        con = catalog.construct(c)
        if con is not None and con.occasion:
            return con.occasion
    return None


def _exposure_readout(g: nx.DiGraph, exposure: Sequence[str], measures: Sequence[NodeMeasure]) -> str | None:
    """What the within-person design must add when the exposure cannot be read on each occasion: ``None`` when
    every exposure node has a catalogued method; else the sentence naming the gap and any stand-in (a catalog
    proxy, or a measured direct cause of the exposure in the graph)."""
    by_node = {m.node: m for m in measures}
    gaps = [x for x in exposure if x in g and (by_node.get(x) is None or by_node[x].method is None)]
    if not gaps:
        return None
    out = []
    for x in gaps:
        stand_ins = [f"{label(g, p)} ({method.name})" for p in sorted(g.predecessors(x))
                     if p in by_node and (method := by_node[p].method) is not None
                     and g.nodes[p].get("kind") not in _MANIPULABLE]
        text = (f"linking each occasion to {label(g, x)} needs a measure of {label(g, x)} on each occasion, and "
                "no catalogued method (direct or proxy) measures it")
        if stand_ins:
            text += (f"; the graph's measured direct cause(s) {', '.join(stand_ins)} could be read on each "
                     "occasion instead, which tests that cause's link to the outcome rather than the exposure's own")
        else:
            text += "; add a method for it to the catalog before planning the repeated measures"
        out.append(text + ".")
    return " ".join(out)


def within_person_design(g: nx.DiGraph, catalog: Catalog, node: str, condition: str,
                         exposure: Sequence[str], measures: Sequence[NodeMeasure] = ()) -> ControlGroup:
    """The design that replaces a circular case-vs-control comparison on a defining criterion: repeated
    measures within each person, each outcome linked to the exposure of the same occasion.  The exposure must
    be measurable on each occasion; when no catalogued method reads it, the design says so and names any
    stand-in instead of proposing an unmeasurable link."""
    x = ", ".join(label(g, n) for n in exposure) or "the exposure"
    y = label(g, node)
    occasion = _occasion(g, catalog, node)
    if occasion == "night":
        schedule = (f"several nights per person, with each morning's rating of {y} linked to that night's {x}")
    elif occasion:
        schedule = f"several {occasion}s per person, with each {occasion}'s {y} linked to that {occasion}'s {x}"
    else:
        schedule = f"several occasions per person, with each occasion's {y} linked to the {x} of the same occasion"
    rationale = (f"{y} is a defining criterion of {condition}: every case has it by definition, so comparing cases "
                 f"with controls on it is circular and is not proposed.")
    gap = _exposure_readout(g, exposure, measures) if measures else None
    if gap:
        rationale += (f" A within-person design would measure it repeatedly within each person — {schedule} — but "
                      + gap + " Until then the within-person link is not proposed.")
    else:
        rationale += (f" Instead, measure it repeatedly within each person — {schedule} — and estimate how "
                      f"within-person changes in {x} go with changes in {y} (a multilevel model with a random "
                      "intercept per person).")
    return ControlGroup("within-person", f"Within-person repeated measures of {y}", rationale)


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


def _strength(refs: Sequence[str]) -> int:
    """Evidence strength of a comparison group: the references checked against their source ([V])."""
    return sum(1 for r in refs if "[V" in r)


def disease_controls(g: nx.DiGraph, catalog: Catalog, conditions: Sequence[str], exposure: Iterable[str],
                     outcome: Iterable[str], mediators: Iterable[str] = (),
                     left_out: list[LeftOut] | None = None) -> list[ControlGroup]:
    """At most two disease controls that share the outcome through another path, to test specificity.

    Candidates: a ``kind: condition`` node of the graph (not the population's) with causal paths to the
    outcome that avoid the exposure; catalog disease controls listed for the population's condition or
    sharing a construct of the outcome or a mediator.  Ranked by the alternative paths they share (graph
    paths, or shared outcome and mediator constructs), then by verified references; "established" only
    with two or more verified references.  The others go to ``left_out`` with the reason.
    """
    exposure, outcome = set(exposure), [y for y in outcome if y in g]
    ranked: list[tuple[int, int, ControlGroup]] = []
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
        refs = tuple(path_references(g, paths[0]))
        ranked.append((len(paths), _strength(refs), ControlGroup(
            "disease", f"People with {label(g, n)}",
            f"{label(g, n)} reaches the outcome through {len(paths)} path(s) that avoid the exposure (e.g. "
            f"{arrow_path(g, paths[0])}): a disease control tests whether the finding is specific to the proposed "
            "mechanism.", (), refs)))
    shared_with = {c for y in outcome for c in g.nodes[y].get("constructs", ())}
    shared_with |= {c for m in mediators if m in g for c in g.nodes[m].get("constructs", ())}
    for dc in catalog.disease_controls:
        if dc.condition is not None and dc.condition in seen_conditions:
            continue
        for_population = bool(set(dc.control_for) & set(conditions))
        shared = [c for c in dc.shares if c in shared_with]
        if not (for_population or (shared and conditions)):
            continue
        why = []
        if shared:
            labels = [con.label for c in shared if (con := catalog.construct(c)) is not None]
            why.append(f"shares {', '.join(labels)} with this hypothesis through another path")
        if for_population:
            strength = _strength(dc.references)
            why.append("is an established comparison group for this population" if strength >= 2
                       else "has been used as a comparison group for this population")
        text = f"{dc.name} {' and '.join(why)}. {dc.rationale}"
        if dc.overlap and "phenotype both" not in dc.rationale:
            text += " Because the two conditions overlap, phenotype both in every participant."
        ranked.append((len(shared), _strength(dc.references), ControlGroup("disease", dc.name, text, (),
                                                                           dc.references)))
    ranked.sort(key=lambda t: (-t[0], -t[1], t[2].name))
    kept = [c for _, _, c in ranked[:MAX_DISEASE_CONTROLS]]
    if left_out is not None:
        for n_shared, strength, c in ranked[MAX_DISEASE_CONTROLS:]:
            left_out.append(LeftOut(c.name, "disease", f"ranked below the {MAX_DISEASE_CONTROLS} kept (shares "
                                    f"{n_shared} alternative path(s) or construct(s); {strength} verified "
                                    "reference(s))"))
    return kept


def _focal_nodes(g: nx.DiGraph, exposure: Iterable[str], outcome: Iterable[str]) -> set[str]:
    exposure, outcome = set(exposure) & set(g), set(outcome) & set(g)
    down = set(exposure).union(*(nx.descendants(g, x) for x in exposure)) if exposure else set()
    up = set(outcome).union(*(nx.ancestors(g, y) for y in outcome)) if outcome else set()
    return (down & up) - outcome if exposure and outcome else set()


def within_subject_controls(g: nx.DiGraph, exposure: Iterable[str], outcome: Iterable[str], *,
                            catalog: Catalog | None = None, measures: Sequence[NodeMeasure] = (),
                            skip: Iterable[str] = (), left_out: list[LeftOut] | None = None,
                            species: str = "human") -> list[ControlGroup]:
    """A randomised, placebo-controlled crossover where a drug or intervention in the graph acts on the
    focal path (exposure or mediator), each person their own control.

    It is a *positive control* only when the drug's direction on its target is known (a known non-null
    effect the design must detect); with an unknown direction it is only exploratory.  When the catalog says
    the drug changes the method that reads out its target (zolpidem raises EEG sigma power, Zhang 2020),
    the rationale says so.  Nodes in ``skip`` (the plan's own randomised manipulation) are left out.
    """
    from .exclusions import matching_catalog_drug

    exposure, outcome = list(exposure), [y for y in outcome if y in g]
    focal = _focal_nodes(g, exposure, outcome)
    by_node = {m.node: m for m in measures}
    skip = set(skip)
    unit = "participant" if species == "human" else "animal" if species in ("mouse", "rat", "primate",
                                                                              "other-animal") else "unit"
    groups: list[ControlGroup] = []
    for d in sorted(n for n, data in g.nodes(data=True) if data.get("kind") in _MANIPULABLE or data.get("manipulable")):
        targets = sorted(t for t in g.successors(d) if t in focal)
        if not targets or d in skip:
            continue
        acts: list[str] = []
        effects: list[str] = []
        events: list[str] = []
        refs: list[str] = []
        known = all(g.edges[d, t].get("sign", "unknown") in ("positive", "negative") for t in targets)
        for target in targets:
            sign = g.edges[d, target].get("sign", "unknown")
            acts.append(f"{label(g, target)} ({_say_sign(sign)})")
            for y in outcome:
                if catalog is not None and is_event(g, catalog, y):
                    events.append(y)
                    continue
                paths = list(nx.all_simple_paths(g, target, y, cutoff=12)) if target != y else [[y]]
                if paths:
                    p = paths[0]
                    net = combine_signs([sign, path_sign(g, p)]) if len(p) > 1 else sign
                    effects.append(f"{label(g, y)} ({_say_sign(net)}, via {arrow_path(g, p)})")
            refs.extend(r for r in path_references(g, [d, target]) if r not in refs)
        short = "placebo" if g.nodes[d].get("kind") == "drug" else "control"
        rationale = (f"In the graph {label(g, d)} acts on {'; '.join(acts)}. A randomised ({blinding(g, d, species)}) "
                     f"{label(g, d)} vs {comparator(g, d)} crossover uses each {unit} as their own control: it should "
                     f"shift {', '.join(label(g, t) for t in targets)}"
                     + (" and, if the hypothesis holds, " + "; ".join(dict.fromkeys(effects)) if effects else "")
                     + ".")
        if events:
            rationale += (f" {', '.join(label(g, y) for y in dict.fromkeys(events))} is an event that happens once, "
                          "which a crossover cannot read out: the crossover tests only the shift in "
                          f"{', '.join(label(g, t) for t in targets)}.")
        if known:
            rationale += (" Its direction is known, so it is a positive control of the "
                          + ("links from there to the outcome." if effects else "manipulation's own target."))
            name = f"{label(g, d)} vs {short} crossover (positive control)"
        else:
            rationale += (" Its direction on the target is not known, so it cannot serve as a positive control; "
                          "it only tests whether the target moves at all.")
            name = f"{label(g, d)} vs {short} crossover (exploratory)"
            if left_out is not None:
                left_out.append(LeftOut(label(g, d), "positive-control",
                                        "its direction on " + ", ".join(label(g, t) for t in targets)
                                        + " is unknown: not a positive control"))
        drug = matching_catalog_drug(g, d, catalog) if catalog is not None else None
        if drug is not None:
            for t in targets:
                m = by_node.get(t)
                if m is not None and m.method is not None and m.method.id in drug.methods:
                    rationale += (f" Read-out caveat: {drug.name} changes {m.method.name} directly "
                                  f"({drug.effect.rstrip('.')}); read {label(g, t)} another way in this crossover, "
                                  "or the drug's direct effect on the method cannot be told from a change in "
                                  f"{label(g, t)}.")
                    refs.extend(r for r in drug.references if r not in refs)
        groups.append(ControlGroup("within-subject", name, rationale, (), tuple(refs), node=d))
    return groups


def _say_sign(sign: str) -> str:
    return {"positive": "raises it", "negative": "lowers it", "mixed": "mixed effect",
            "unknown": "direction unknown"}.get(sign, sign)


def negative_control_groups(g: nx.DiGraph, negative_controls: object, measures: Sequence[NodeMeasure] = (),
                            left_out: list[LeftOut] | None = None, *, excluded: Mapping[str, str] | None = None,
                            adjusted: Iterable[str] = ()) -> list[ControlGroup]:
    """Negative-control exposures and outcomes from the analysis: an association with them reveals
    confounding or bias (Lipsitch, Tchetgen Tchetgen & Cohen 2010).  A candidate measured by the same method
    as the exposure or the outcome is left out: a shared method shares its measurement error, so a null
    association would not be informative and a non-null one would not point to confounding.

    Roles stay coherent: a node in ``excluded`` (what the plan randomises or uses as a positive control, whose
    effect is expected, or a manipulation unavailable in the species) is never a negative control, and goes
    to ``left_out`` with the reason; a node of the adjustment set (``adjusted``) says how the two uses fit."""
    excluded = dict(excluded or {})
    adjusted = set(adjusted)
    by_node = {m.node: m for m in measures}
    focus = [m for m in measures if m.role in ("exposure", "outcome") and m.method is not None]
    groups: list[ControlGroup] = []
    for kind, items in (("negative-control-exposure", getattr(negative_controls, "exposures", ())),
                        ("negative-control-outcome", getattr(negative_controls, "outcomes", ()))):
        for nc in items:
            role = "exposure" if kind.endswith("exposure") else "outcome"
            if nc.node in excluded:
                if left_out is not None:
                    left_out.append(LeftOut(label(g, nc.node), "negative-control", excluded[nc.node]))
                continue
            mine = by_node.get(nc.node)
            mid = mine.method.id if mine is not None and mine.method is not None else None
            same = [(f.role, f.method.name) for f in focus
                    if f.method is not None and mid == f.method.id and f.node != nc.node]
            if same:
                if left_out is not None:
                    left_out.append(LeftOut(label(g, nc.node), "negative-control",
                                            f"measured by the same method as the {same[0][0]} "
                                            f"({same[0][1]}): it would share its measurement error"))
                continue
            text = nc.reasoning
            if nc.node in adjusted:
                text += (f" {label(g, nc.node)} is also in the adjustment set: it enters the primary model as a "
                         + ("covariate, and the negative-control check reads its own coefficient on the outcome "
                            "in that model (expected zero under this graph)." if role == "exposure" else
                            "covariate, and the negative-control check is a separate model with it as the "
                            "outcome and the exposure as the predictor (expected null under this graph)."))
            groups.append(ControlGroup(kind, f"{label(g, nc.node)} as a negative-control {role}",
                                       text, (), (LIPSITCH_2010,)))
    return groups
