"""Which method measures each node, and what a study must measure.

Methods are matched to a node through its ``constructs`` (or chosen
explicitly with ``measure:``) and ranked for the population's species: a
direct measure before a proxy, a method that can follow a ~0.02 Hz oscillation
before one that cannot (when the construct is an infraslow oscillation), then
the least invasive, cheapest and least burdensome.  A node on the focal path
with no feasible direct human measure is flagged with its closest proxies.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

import networkx as nx

from .catalog import Catalog, CostBand, Drug, Invasiveness, Method

__all__ = [
    "ROLES",
    "NodeMeasure",
    "avoid_drug_disturbed",
    "closest_proxies",
    "human_measurable",
    "is_feasible_human",
    "measure_node",
    "measure_nodes",
    "measurement_costs",
    "method_summary",
    "node_cost",
    "rank_methods",
]

ROLES = ("exposure", "outcome", "adjustment", "mediator", "other")

#: The phrase the issue asks for, kept in one place.
UNMEASURABLE_IN_HUMANS = "this link cannot be measured in humans with current methods"


@dataclass(frozen=True)
class NodeMeasure:
    """The chosen measure of one node, the ranked alternatives, and why."""

    node: str
    label: str
    role: str
    method: Method | None
    alternatives: tuple[Method, ...] = ()
    human_measurable: bool = False
    proxy: bool = False
    note: str | None = None
    explicit: str | None = None
    measured: bool = False  # part of the study (a role, a matched confounder or a negative control)
    needs_infraslow: bool = False  # the node's construct is an infraslow oscillation (time resolution matters)


def _sort_key(method: Method, constructs: tuple[str, ...], species: str, needs_infraslow: bool,
              prefer_settings: frozenset[str] = frozenset()) -> tuple:
    direct = any(c in method.constructs for c in constructs)
    high = method.invasiveness is Invasiveness.HIGH
    tier = (2 if high else 0) + (0 if direct else 1)
    infraslow_miss = needs_infraslow and method.resolves_infraslow is not True
    away = bool(prefer_settings) and not set(method.setting) & prefer_settings
    return (not method.for_species(species), tier, infraslow_miss, -method.validity.rank, away,
            method.invasiveness.rank, method.cost_band.rank, method.burden.rank, method.id)


def rank_methods(methods: Iterable[Method], constructs: tuple[str, ...], species: str,
                 needs_infraslow: bool = False, prefer_settings: Iterable[str] = ()) -> list[Method]:
    """Order candidate methods for a node.

    Rule: the population's species first; then a direct measure short of high
    invasiveness, a proxy short of high invasiveness, a highly invasive direct
    measure, a highly invasive proxy; for an infraslow construct, methods that
    resolve ~0.02 Hz before those that cannot (Hauglund 2025: NE peaks about
    every 50 s); then validity (highest first); then a method in the settings
    the population's rules prefer (ME/CFS: home measures, because of
    post-exertional malaise); then invasiveness, cost band and burden (lowest
    first).
    """
    prefer = frozenset(prefer_settings)
    return sorted(methods, key=lambda m: _sort_key(m, constructs, species, needs_infraslow, prefer))


def is_feasible_human(method: Method, construct: str) -> bool:
    """A direct human measure of ``construct`` short of high invasiveness (intrathecal tracer, surgery)."""
    return (method.for_species("human") and construct in method.constructs
            and method.invasiveness is not Invasiveness.HIGH)


def human_measurable(constructs: Iterable[str], catalog: Catalog) -> bool:
    """True when some construct of the node has a direct human measure in the catalog (of any invasiveness)."""
    return any(m.for_species("human") and c in m.constructs for c in constructs for m in catalog.methods_for(c))


def closest_proxies(g: nx.DiGraph, node: str, catalog: Catalog) -> list[Method]:
    """Human methods the catalog lists for the node's own constructs (direct or proxy), best first; never
    methods of other constructs (a method is offered only for the construct the catalog says it measures)."""
    constructs = tuple(g.nodes[node].get("constructs", ()))
    own = [m for c in constructs for m in catalog.methods_for(c) if m.for_species("human")]
    return _unique(rank_methods(own, constructs, "human")) if own else []


def _unique(methods: Iterable[Method]) -> list[Method]:
    seen: dict[str, Method] = {}
    for m in methods:
        seen.setdefault(m.id, m)
    return list(seen.values())


def _needs_infraslow(constructs: tuple[str, ...], catalog: Catalog) -> bool:
    return any((c := catalog.construct(x)) is not None and c.needs_infraslow for x in constructs)


def measure_node(g: nx.DiGraph, node: str, catalog: Catalog, *, species: str = "human", role: str = "other",
                 focal: bool = False, prefer_settings: Iterable[str] = ()) -> NodeMeasure:
    """Choose the measure of one node: an explicit ``measure:`` wins, else the best-ranked catalog method."""
    data = g.nodes[node]
    label = data.get("label") or node
    constructs = tuple(data.get("constructs", ()))
    explicit = data.get("measure")
    measurable = human_measurable(constructs, catalog)
    if not data.get("observed", True):
        return NodeMeasure(node, label, role, None, (), False, False,
                           "declared unobserved in the hypothesis: not measured", explicit)
    candidates = _unique(m for c in constructs for m in catalog.methods_for(c))
    ranked = rank_methods(candidates, constructs, species, _needs_infraslow(constructs, catalog), prefer_settings)
    notes: list[str] = []
    chosen: Method | None = None
    if explicit:
        chosen = catalog.method(explicit)
        if chosen is None:
            notes.append(f"measured as the hypothesis states: {explicit} (not a catalog method)")
        else:
            notes.append("method chosen explicitly in the hypothesis")
    elif ranked and ranked[0].for_species(species):
        chosen = ranked[0]
    alternatives = tuple(m for m in ranked if m is not chosen and m.for_species(species))
    proxy = chosen is not None and not any(c in chosen.constructs for c in constructs)
    if not constructs and not explicit:
        notes.append(constructs_hint(node, label, catalog))
    elif constructs and not candidates and not explicit:
        unknown = [c for c in constructs if catalog.construct(c) is None]
        if unknown:
            notes.append("constructs not in the catalog: " + ", ".join(unknown) + "; declare each under "
                         "'constructs:' in catalog.yaml, e.g. " + "; ".join(construct_entry(c) for c in unknown))
        for c in constructs:
            con = catalog.construct(c)
            what = f"{con.label} ({c})" if con is not None else c
            notes.append(f"no catalogued method measures {what}; add one to catalog.yaml: {method_entry(c)}")
    elif candidates and chosen is None and not explicit:
        notes.append(f"no catalog method for {species}; methods exist for: "
                     + ", ".join(sorted({s for m in candidates for s in m.species})))
    known = [c for c in constructs if catalog.construct(c) is not None]
    if focal and species == "human" and known and not measurable and not (explicit and chosen is None):
        proxies = closest_proxies(g, node, catalog)
        text = UNMEASURABLE_IN_HUMANS
        text += "; closest proxies: " + ", ".join(m.name for m in proxies[:4]) if proxies else "; no human proxy in the catalog"
        notes.append(text)
    elif proxy and chosen is not None:
        notes.append(f"{chosen.name} is an indirect proxy: " + "; ".join(chosen.caveats[:1]))
        direct_high = [m for m in ranked if m.for_species(species) and m.invasiveness is Invasiveness.HIGH
                       and any(c in m.constructs for c in constructs)]
        if direct_high:
            notes.append(f"the direct measure ({direct_high[0].name}) is highly invasive")
    return NodeMeasure(node, label, role, chosen, alternatives, measurable, proxy, "; ".join(notes) or None, explicit,
                       needs_infraslow=_needs_infraslow(constructs, catalog))


def construct_entry(construct: str) -> str:
    """The catalog entry a user would add to declare a construct."""
    return f"{{id: {construct}, label: {construct.replace('_', ' ').capitalize()}, category: other}}"


def method_entry(construct: str) -> str:
    """The catalog entry a user would add for a method measuring ``construct`` (values to be filled in)."""
    return (f"methods: [{{id: {construct.replace('_', '-')}-method, name: NAME, constructs: [{construct}], "
            "captures: WHAT IT CAPTURES, species: [human], invasiveness: none|minimal|moderate|high, "
            "setting: [clinic], cost_band: low|medium|high, burden: {level: low}, references: [CITATION]}]")


def constructs_hint(node: str, label: str, catalog: Catalog, n: int = 3) -> str:
    """'add constructs:' with the closest existing constructs by id or label, so the hint names what exists."""
    import difflib

    ids = {c.id: c for c in catalog.constructs}
    names = {c.label.lower(): c.id for c in catalog.constructs}
    close: list[str] = []
    for text in (node.lower(), label.lower()):
        close += difflib.get_close_matches(text, list(ids), n=n, cutoff=0.75)
        close += [names[x] for x in difflib.get_close_matches(text, list(names), n=n, cutoff=0.75)]
    words = {w for w in re.split(r"[^a-z0-9]+", f"{node} {label}".lower()) if len(w) > 3}
    close += [c.id for c in catalog.constructs if words & set(re.split(r"[^a-z0-9]+", f"{c.id} {c.label}".lower()))]
    close = list(dict.fromkeys(close))[:n]
    hint = "no constructs given: add 'constructs:' to this node to match catalog methods"
    if close:
        hint += " (closest existing: " + ", ".join(close) + ")"
    return hint + "; `hypoplan catalog` lists every construct"


def node_cost(g: nx.DiGraph, node: str, catalog: Catalog, species: str = "human") -> float:
    """Cost of measuring a node for minimum-cost adjustment.

    The node's own ``cost`` wins; otherwise the cost band of the feasible method
    the plan would choose for it (the best-ranked one short of high invasiveness:
    low 1, medium 10, high 100, unsourced order-of-magnitude estimates), so the
    cost is that of the measure the plan proposes.  A latent node, or one with no
    feasible method, costs infinity.
    """
    data = g.nodes[node]
    if not data.get("observed", True):
        return math.inf
    if data.get("cost") is not None:
        return float(data["cost"])
    constructs = tuple(data.get("constructs", ()))
    explicit = catalog.method(data["measure"]) if data.get("measure") else None
    if explicit is not None:
        return explicit.cost_band.units
    feasible = [m for c in constructs for m in catalog.methods_for(c)
                if m.for_species(species) and m.invasiveness is not Invasiveness.HIGH]
    if not feasible:
        # a drug or intervention is recorded by the protocol (dose, timing), not measured
        return CostBand.LOW.units if data.get("kind") in ("drug", "intervention") else math.inf
    best = rank_methods(_unique(feasible), constructs, species, _needs_infraslow(constructs, catalog))[0]
    return best.cost_band.units


def measurement_costs(g: nx.DiGraph, catalog: Catalog, species: str = "human") -> dict[str, float]:
    """Costs of every node, for :func:`hypoplan.analysis.analyze` (``costs=``); a manipulation the file restricts
    to other species (``manipulable_in``) cannot happen, or be measured, in ``species``: infinite cost."""
    def restricted(n: str) -> bool:
        allowed = tuple(g.nodes[n].get("manipulable_in", ()))
        return bool(allowed) and species not in allowed

    return {n: math.inf if restricted(n) else node_cost(g, n, catalog, species) for n in g.nodes}


def measure_nodes(g: nx.DiGraph, catalog: Catalog, roles: Mapping[str, str], *, species: str = "human",
                  focal: Iterable[str] = (), also_measured: Iterable[str] = (),
                  prefer_settings: Iterable[str] = ()) -> tuple[NodeMeasure, ...]:
    """Measures of every explicit node, ordered by role (exposure, outcome, adjustment, mediator, other)."""
    focal, also_measured = set(focal), set(also_measured)
    nodes = [n for n in g.nodes if not g.nodes[n].get("implicit")]
    order = {r: i for i, r in enumerate(ROLES)}
    nodes.sort(key=lambda n: (order[roles.get(n, "other")], n))
    prefer = tuple(prefer_settings)
    return tuple(replace(measure_node(g, n, catalog, species=species, role=roles.get(n, "other"), focal=n in focal,
                                      prefer_settings=prefer),
                         measured=roles.get(n, "other") != "other" or n in also_measured) for n in nodes)


def method_summary(method: Method) -> str:
    """One line on what a method costs: invasiveness, setting, cost band and burden."""
    return (f"{method.invasiveness.value} invasiveness, {'/'.join(method.setting)}, cost {method.cost_band.value}, "
            f"burden {method.burden.value}")


def _join(*notes: str | None) -> str | None:
    return "; ".join(n for n in notes if n) or None


def avoid_drug_disturbed(m: NodeMeasure, drug: Drug, constructs: Iterable[str] = ()) -> NodeMeasure:
    """A read-out of a study drug's effect must not be a method the drug changes directly.

    When the catalog lists the chosen method under the drug's ``methods`` (e.g. NET inhibitors lower CSF
    DHPG by ~51% and plasma DHPG by ~38%, Kielbasa 2015; zolpidem raises EEG sigma power, Zhang 2020), take
    the best-ranked alternative the drug does not disturb, saying why; with none, keep it and flag it.
    """
    if m.method is None or m.method.id not in drug.methods:
        return m
    warn = f"{drug.name} changes the reading of {m.method.name} directly ({drug.effect.rstrip('.')})"
    clean = [a for a in m.alternatives if a.id not in drug.methods]
    if clean and not m.explicit:
        new = clean[0]
        rest = tuple(a for a in m.alternatives if a.id != new.id)
        proxy = not any(c in new.constructs for c in constructs)
        caveat = f"{new.name} is an indirect proxy: " + "; ".join(new.caveats[:1]) if proxy else None
        return replace(m, method=new, alternatives=(m.method, *rest), proxy=proxy,
                       note=_join(f"{new.name} rather than {m.method.name}: {warn}", caveat, m.note))
    return replace(m, note=_join(f"⚠ {warn}: under {drug.name} a change in this reading is not a change in "
                                 f"{m.label}; no undisturbed catalogued method", m.note))
