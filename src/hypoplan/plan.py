"""The one pipeline from a hypothesis to a study design: hypothesis → graph → analysis → design → Plan.

:func:`build_plan` returns a frozen :class:`Plan`; :meth:`Plan.to_json` is the
contract that renderers and the reviewer consume (keys: hypothesis, peco,
design, estimand, outcomes, measures, adjustment, controls, exclusions,
feasibility, sample_size, discriminating_predictions, missing).

The design is derived from the causal analysis: :func:`hypoplan.design.strategy.choose_strategy`
picks randomised > adjustment > front-door > instrument > ID > not identifiable, and
``Plan.strategy`` is the interface the sizing and rival rules read.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from .errors import AnalysisError
from .naming import natural_sorted
from .schema import Hypothesis, NodeKind

if TYPE_CHECKING:
    import networkx as nx

    from .analysis.result import AnalysisResult
    from .design.catalog import Catalog
    from .design.controls import ControlGroup, LeftOut
    from .design.estimand import Estimand, Outcomes
    from .design.exclusions import Exclusion
    from .design.feasibility import FeasibilityNote
    from .design.measures import NodeMeasure
    from .design.rivals import Prediction
    from .design.sizing import SampleSize, Sizing, SizingOptions
    from .design.strategy import Strategy
    from .loader import Repository

__all__ = ["Plan", "build_plan", "measure_json"]


@dataclass(frozen=True)
class Plan:
    """A proposed study for one hypothesis; every factual statement carries its references."""

    hypothesis: Hypothesis
    species: str
    design_type: str
    design_summary: str
    measures: tuple[NodeMeasure, ...] = ()
    adjustment_set: tuple[str, ...] = ()
    adjustment_cost: float | None = None
    adjustment_note: str = ""
    node_costs: tuple[tuple[str, float | None], ...] = ()
    strategy: Strategy | None = None
    estimand: Estimand | None = None
    outcomes: Outcomes | None = None
    controls: tuple[ControlGroup, ...] = ()
    controls_left_out: tuple[LeftOut, ...] = ()
    criterion_outcomes: tuple[str, ...] = ()
    exclusions: tuple[Exclusion, ...] = ()
    feasibility: tuple[FeasibilityNote, ...] = ()
    sample_size: tuple[SampleSize, ...] = ()
    predictions: tuple[Prediction, ...] = ()
    missing: tuple[str, ...] = ()
    catalog_sources: tuple[str, ...] = field(default=())
    conditions: tuple[str, ...] = ()  # condition constructs that define the population
    sizing: Sizing | None = None

    def to_dict(self) -> dict[str, Any]:
        """The plan as plain data: what ``hypoplan plan --format json`` prints."""
        return self.to_json()

    def to_json(self) -> dict[str, Any]:
        h = self.hypothesis
        peco = None
        if h.peco is not None:
            peco = {"population": h.peco.population, "exposure": h.peco.exposure, "comparator": h.peco.comparator,
                    "outcome": h.peco.outcome, "species": h.peco.species.value}
        return {
            "hypothesis": {"id": h.id, "title": h.title, "status": h.status.value, "summary": h.summary},
            "peco": peco,
            "design": {"type": self.design_type, "summary": self.design_summary, **self._strategy_json()},
            "estimand": self.estimand.to_json() if self.estimand is not None else None,
            "outcomes": (self.outcomes.to_json() if self.outcomes is not None
                         else {"primary": None, "secondary": [], "mechanistic": []}),
            "measures": [measure_json(m, self.conditions) for m in self.measures],
            "adjustment": {"set": list(self.adjustment_set), "cost": self.adjustment_cost,
                           "node_costs": dict(self.node_costs), "note": self.adjustment_note},
            "controls": [c.to_json() for c in self.controls],
            "controls_left_out": [c.to_json() for c in self.controls_left_out],
            "exclusions": [e.to_json() for e in self.exclusions],
            "feasibility": [f.to_json() for f in self.feasibility],
            "sample_size": [s.to_json() for s in self.sample_size],
            "sizing": self.sizing.to_json() if self.sizing is not None else None,
            "discriminating_predictions": [p.to_json() for p in self.predictions],
            "missing": list(self.missing),
        }


    def _strategy_json(self) -> dict[str, Any]:
        if self.strategy is None:
            return {"strategy": "not_identifiable", "strategy_reason": "no causal analysis: "
                    + (self.adjustment_note.removeprefix("no causal analysis: ") or "exposure and outcome not set"),
                    "considered": [], "estimand_formula": None, "randomised_node": None, "arm": None,
                    "instrument": None, "instrument_given": [], "frontdoor": [], "latent_to_measure": []}
        return self.strategy.to_json()


def measure_json(m: NodeMeasure, conditions: tuple[str, ...] = ()) -> dict[str, Any]:
    """A measure as JSON; caveats the catalog gives for a population appear only for that population, and the
    ~0.02 Hz resolution only for a node whose construct is an infraslow oscillation."""
    method = None
    if m.method is not None:
        x = m.method
        method = {"id": x.id, "name": x.name, "invasiveness": x.invasiveness.value, "setting": "/".join(x.setting),
                  "cost_band": x.cost_band.value, "burden": f"{x.burden.value}: {x.burden_text}".rstrip(": "),
                  "time_resolution": x.time_resolution_for(m.needs_infraslow), "captures": x.captures,
                  "caveats": list(x.caveats_for(conditions)),
                  "references": list(x.references)}
    return {"node": m.node, "label": m.label, "role": m.role, "method": method,
            "alternatives": [a.id for a in m.alternatives], "human_measurable": m.human_measurable, "note": m.note}


def _analyze(g: nx.DiGraph, costs: dict[str, float], max_results: int) -> AnalysisResult:
    from .analysis import analyze

    return analyze(g, costs=costs, max_results=max_results)


def _adjustment(result: AnalysisResult | None, g: nx.DiGraph, costs: dict[str, float],
                failure: str | None = None
                ) -> tuple[tuple[str, ...], float | None, str, tuple[tuple[str, float | None], ...]]:
    """The minimum-cost valid adjustment set under the catalog's costs (unmeasurable nodes cost infinity).

    The same set as ``hypoplan analyze --costs catalog``: both call :func:`hypoplan.analysis.analyze` with
    :func:`hypoplan.design.measures.measurement_costs`.  ``failure`` says why there is no ``result``.
    """
    from .design.strategy import candidate_costs

    if result is None:
        return (), None, f"no causal analysis: {failure or 'exposure and outcome must be set in focus'}", ()
    node_costs = tuple(candidate_costs(g, result.exposure, result.outcome, costs).items())
    adj = result.adjustment
    if adj.min_cost is not None and math.isfinite(adj.min_cost.cost):
        nodes = tuple(natural_sorted(adj.min_cost.nodes))
        note = ("minimum-cost valid adjustment set, as `hypoplan analyze --costs catalog` finds it (relative cost "
                "units from the catalog's cost bands: low 1, medium 10, high 100; unsourced estimates)")
        if not nodes:
            note = "no adjustment needed under this graph: the empty set blocks every biasing path it draws"
        return nodes, adj.min_cost.cost, note, node_costs
    if not adj.exists:
        return (), None, ("no valid adjustment set exists: the effect cannot be estimated by adjustment"
                          + (f" ({result.identification.reason})" if result.identification.reason else "")), node_costs
    lacking = natural_sorted({n for s in (adj.minimal or ((adj.canonical,) if adj.canonical is not None else ()))
                      for n in s if math.isinf(costs.get(n, math.inf))})
    return (), None, ("no adjustment set can be measured: every valid set contains a node no catalogued method "
                      "measures feasibly" + (f" (e.g. {', '.join(lacking)})" if lacking else "")
                      + "; add a method for one of them to the catalog, or give the node a cost"), node_costs


def build_plan(hypothesis: Hypothesis, *, repository: Repository | None = None, catalog: Catalog | None = None,
               max_results: int = 100, sizing_options: SizingOptions | None = None) -> Plan:
    """Propose a study for a resolved hypothesis (``extends`` merged).

    Without an explicit ``catalog``, the packaged catalog is used, merged with
    the repository's own ``catalog.yaml`` when a ``repository`` is given.
    """
    from .design import controls as ctl
    from .design import exclusions as exc
    from .design import feasibility as fea
    from .design.catalog import default_catalog, load_catalog_for
    from .design.controls import LeftOut
    from .design.estimand import build_estimand, build_outcomes
    from .design.evidence import label
    from .design.measures import avoid_drug_disturbed, measure_nodes, measurement_costs
    from .design.rivals import discriminating_predictions, load_rivals
    from .design.sizing import size_plan
    from .design.strategy import choose_strategy, is_manipulable, not_available
    from .graph import build_graph

    if catalog is None:
        catalog = load_catalog_for(repository.root) if repository is not None else default_catalog()
    g = build_graph(hypothesis)
    species = hypothesis.peco.species.value if hypothesis.peco else "human"
    population = hypothesis.peco.population if hypothesis.peco else None
    exposure = tuple(x for x in g.graph.get("exposure", ()) if x in g)
    outcome = tuple(y for y in g.graph.get("outcome", ()) if y in g)
    missing: list[str] = []
    if hypothesis.peco is None:
        missing.append("no PECO: add peco (population, exposure, comparator, outcome, species) to the hypothesis")
    if not exposure or not outcome:
        missing.append("no exposure and outcome in focus: the plan cannot name what to compare")

    costs = measurement_costs(g, catalog, species)  # infinite for a manipulation restricted to other species
    unavailable = dict(not_available(g, list(g.nodes), species))
    result = None
    failure = None
    if exposure and outcome:
        try:
            result = _analyze(g, costs, max_results)
        except AnalysisError as error:
            failure = error.message
            missing.append(f"causal analysis failed: {error.message}")
    adj_set, adj_cost, adj_note, node_costs = _adjustment(result, g, costs, failure)
    mediators = tuple(m.node for m in result.mediators) if result is not None else ()
    conditions = ctl.population_conditions(g, catalog, population, exposure)
    strategy = None
    if result is not None:
        strategy = choose_strategy(g, result, costs, species=species, has_condition=bool(conditions))

    roles: dict[str, str] = {}
    for n in mediators:
        roles[n] = "mediator"
    for n in adj_set:
        roles[n] = "adjustment"
    for n in outcome:
        roles[n] = "outcome"
    for n in exposure:
        roles[n] = "exposure"
    focal = set(exposure) | set(outcome) | set(mediators)
    condition_nodes = [n for n, d in g.nodes(data=True) if set(d.get("constructs", ())) & set(conditions)]
    confounders = ctl.confounders_to_match(g, catalog, exposure, outcome, conditions)
    negatives = set()
    if result is not None:
        negatives = {c.node for c in result.negative_controls.exposures + result.negative_controls.outcomes}
    prefer = {s for r in catalog.population_rules if set(r.applies_to) & set(conditions) for s in r.prefer_settings}
    measures = measure_nodes(g, catalog, roles, species=species, focal=focal,
                             also_measured=set(confounders) | negatives | set(condition_nodes), prefer_settings=prefer)
    measures = tuple(replace(m, note=unavailable[m.node] + ": not part of this study") if m.node in unavailable else m
                     for m in measures)
    if strategy is not None and strategy.randomised_node is not None:
        study_drug = exc.matching_catalog_drug(g, strategy.randomised_node, catalog)
        if study_drug is not None:
            readouts = set(exposure) | set(outcome) | set(mediators)
            measures = tuple(avoid_drug_disturbed(m, study_drug, g.nodes[m.node].get("constructs", ()))
                             if m.node in readouts else m for m in measures)
    left_out: list[LeftOut] = []
    overmatched = ctl.overmatching_candidates(g, catalog, exposure, outcome, conditions)
    left_out.extend(LeftOut(label(g, n), "matching", why) for n, why in overmatched)
    measured = {c for m in measures if m.method is not None for c in g.nodes[m.node].get("constructs", ())}
    healthy = ctl.healthy_controls(g, catalog, conditions, confounders, overmatched, measured)
    if healthy and strategy is not None and strategy.name == "randomised" and not condition_nodes:
        # the condition only defines who is randomised: the graph says nothing about people without it
        names = " and ".join(c.label for c in (catalog.construct(x) for x in conditions) if c)
        left_out.append(LeftOut("Healthy controls", "healthy", f"no node of the graph stands for {names}: it only "
                                "defines who is randomised, and the hypothesis claims nothing about how people "
                                "without it differ"))
        healthy = []
    circular = ctl.criterion_outcomes(g, catalog, outcome, conditions)
    within_person = [ctl.within_person_design(g, catalog, y, cond, exposure, measures) for y, cond in circular]
    disease = ctl.disease_controls(g, catalog, conditions, exposure, outcome, mediators, left_out)
    skip = {strategy.randomised_node} if strategy is not None and strategy.randomised_node else set()
    within = ctl.within_subject_controls(g, exposure, outcome, catalog=catalog, measures=measures,
                                         skip=skip | set(unavailable), left_out=left_out, species=species)
    excluded = {n: f"{why}, so it cannot serve as a negative control" for n, why in unavailable.items()}
    excluded |= {c.node: ("given as a within-person crossover in this plan, where it is expected to move "
                          f"{label(g, c.node)}'s targets: a negative control must have no such expected effect")
                 for c in within if c.node is not None}
    if strategy is not None and strategy.randomised_node:
        excluded[strategy.randomised_node] = ("randomised in this plan, so its effect is the one under study: a "
                                              "negative control must be one with no expected effect")
    negative = (ctl.negative_control_groups(g, result.negative_controls, measures, left_out, excluded=excluded,
                                            adjusted=adj_set) if result is not None else [])
    controls = tuple(healthy + within_person + disease + within + negative)

    manipulated_nodes = [n for n, d in g.nodes(data=True) if d.get("kind") in (NodeKind.DRUG.value,
                                                                                 NodeKind.INTERVENTION.value)
                         and is_manipulable(g, n, species)
                         and any(t in focal - set(outcome) for t in g.successors(n))]
    manipulated = {d.id for n in manipulated_nodes if (d := exc.matching_catalog_drug(g, n, catalog)) is not None}
    drug_rules = exc.drug_exclusions(g, catalog, measures, manipulated)
    covered = {e.drug for e in drug_rules if e.drug is not None}
    exclusions = tuple(drug_rules + exc.graph_drug_exclusions(g, catalog, measures, covered))

    feasibility = tuple(
        fea.population_notes(catalog, conditions, measures)
        + fea.visit_schedule(catalog, conditions, measures)
        + fea.invasiveness_notes(measures)
        + fea.burden_notes(measures)
        + fea.cost_notes(measures)
        + fea.species_gap_notes(g, fea.focal_edges(g, exposure, outcome), species)
        + fea.contradiction_notes(g)
        + fea.validity_notes(measures)
        + fea.record_drug_notes(exc.drugs_to_record(catalog, g, measures))
    )

    # a within-person (paired) comparison only for manipulations given as crossovers: the plan's own randomised
    # node is paired only when its assignment is a crossover or split-body
    paired_arms = ("crossover", "split_body")
    crossover = [(d, t) for d in manipulated_nodes for t in g.successors(d) if t in focal - set(outcome)
                 and not (strategy is not None and d == strategy.randomised_node and strategy.arm not in paired_arms)]
    population_name = " and ".join(c.label for c in (catalog.construct(x) for x in conditions) if c) or "participants"
    sizes: tuple[SampleSize, ...] = ()
    sizing = None
    by_node = {m.node: m for m in measures}
    outcomes = build_outcomes(g, exposure, outcome, mediators, by_node)
    if exposure and outcome:
        rules = [r for r in catalog.population_rules if set(r.applies_to) & set(conditions) and r.attrition is not None]
        attrition_rule = None
        if rules:
            worst = max(rules, key=lambda r: r.attrition or 0.0)
            attrition_rule = (float(worst.attrition or 0.0),
                              f"catalog rule {worst.id}: " + "; ".join(worst.references))
        reliability = {m.node: (m.method.reliability, "; ".join(m.method.reliability_references))
                       for m in measures if m.method is not None and m.method.reliability is not None}
        sizing = size_plan(
            g, exposure=exposure, outcome=outcome, condition_nodes=condition_nodes,
            focal=sorted(n for n in mediators), crossover_edges=crossover,
            disease_groups=len(disease), population=f"people with {population_name}" if conditions else "participants",
            options=sizing_options, attrition_rule=attrition_rule, reliability=reliability, strategy=strategy,
            primary_outcomes=[outcomes.primary.node] if outcomes.primary else [],
            criterion=[y for y, _ in circular])
        sizes = sizing.comparisons
        missing.extend(e["note"] for e in sizing.effect_sizes if not e["used_in"] and "no conversion" in e["note"])
        missing.extend(f"'{u['comparison']}' could not be sized: {u['reason']}" for u in sizing.unsized
                       if not u.get("skipped"))
    for s in sizes:
        if s.source == "assumption":
            missing.append(f"no recorded effect size for '{s.comparison}': the sample size rests on an assumption")

    predictions: list[Prediction] = []
    if hypothesis.rivals:
        rivals, not_found = load_rivals(hypothesis, repository)
        missing.extend(not_found)
        for rival in rivals:
            predictions.extend(discriminating_predictions(g, build_graph(rival), rival.id, catalog, species=species,
                                                          this_id=hypothesis.id, stated_this=hypothesis.predictions,
                                                          stated_rival=rival.predictions))

    for m in measures:
        if m.method is None and not m.explicit and g.nodes[m.node].get("observed", True) \
                and g.nodes[m.node].get("kind") not in (NodeKind.DRUG.value, NodeKind.INTERVENTION.value):
            missing.append(f"{m.label}: {m.note or 'no measure'}")
        elif m.role != "other" and m.note and "cannot be measured in humans" in m.note:
            missing.append(f"{m.label}: {m.note}")
    if result is not None and not adj_set and not result.adjustment.exists:
        missing.append("no valid adjustment set: " + adj_note)

    estimand = None
    if strategy is not None:
        estimand = build_estimand(g, strategy, exposure, outcomes, hypothesis.peco, catalog, conditions)
        if strategy.name == "not_identifiable":
            missing.append("the effect is not identifiable from what can be measured: " + strategy.reason)
    unmeasured = frozenset(m.node for m in measures if m.method is None)
    design_type, summary = _design(g, species, conditions, healthy, disease, exposure, outcome, catalog, strategy,
                                   [y for y, _ in circular], unmeasured)
    return Plan(hypothesis, species, design_type, summary, measures, adj_set, adj_cost, adj_note, node_costs,
                strategy, estimand, outcomes, controls, tuple(left_out), tuple(y for y, _ in circular), exclusions,
                feasibility, sizes, tuple(predictions), tuple(dict.fromkeys(missing)), catalog.sources, conditions,
                sizing)


def _sabv(species: str) -> str:
    """NIH NOT-OD-15-102: sex is factored into design, analysis and reporting of vertebrate and human studies."""
    if species == "human":
        return " Record sex and age in every participant, recruit both sexes and report results by sex (NIH NOT-OD-15-102)."
    if species in ("mouse", "rat", "primate", "other-animal"):
        return " Use animals of both sexes and report results by sex (NIH NOT-OD-15-102)."
    return ""


def _design(g: nx.DiGraph, species: str, conditions: tuple[str, ...], healthy: list, disease: list,
            exposure: tuple[str, ...], outcome: tuple[str, ...], catalog: Catalog,
            strategy: Strategy | None, circular: list[str] | None = None,
            unmeasured: frozenset[str] = frozenset()) -> tuple[str, str]:
    """Name the design that the identification strategy, the controls and the population imply; a node with
    no catalogued method (``unmeasured``) is never proposed as something to measure or compare."""
    from .design.evidence import blinding, comparator, label

    circular = circular or []
    x = ", ".join(label(g, n) for n in exposure) or "the exposure"
    x_measured = ", ".join(label(g, n) for n in exposure if n not in unmeasured)
    y = ", ".join(label(g, n) for n in outcome) or "the outcome"
    between = [n for n in outcome if n not in circular]
    y_between = ", ".join(label(g, n) for n in between)
    y_circ = ", ".join(label(g, n) for n in circular)
    names = " and ".join(c.label for c in (catalog.construct(c) for c in conditions) if c)
    linkable = not (set(exposure) & unmeasured)
    refused = ""
    if circular:
        refused = (f" {y_circ} defines {names}, so cases are not compared with controls on it: "
                   + ("it is measured repeatedly within each person instead (see the within-person design)."
                      if linkable else f"a within-person design would need {x} measured on each occasion, which "
                      "no catalogued method does (see the within-person design)."))
    if strategy is not None and strategy.name == "randomised" and strategy.randomised_node is not None:
        rnode = strategy.randomised_node
        node = label(g, rnode)
        who = f"people with {names}" if names else "participants"
        if species != "human":
            kind = f"randomised {species} experiment"
            plural = {"mouse": "mice", "other-animal": "animals", "in-vitro": "samples", "in-silico": "runs"}
            text = (f"Randomise {plural.get(species, species + 's')} to {node} or control (blinded allocation) "
                    f"and measure {y}")
        elif strategy.arm == "split_body":
            kind = "randomised split-body comparison"
            text = (f"Randomised split-body comparison of {node} vs {comparator(g, rnode)} in {who}: both "
                    "conditions at "
                    f"the same visit on two sites of each participant's body, the side randomised and concealed, "
                    f"paired within person (no washout or periods), measuring {y}")
        elif strategy.arm == "crossover":
            kind = "randomised crossover"
            text = (f"Randomised AB/BA crossover of {node} vs {comparator(g, rnode)} in {who} "
                    f"({blinding(g, rnode)}), each their own control, "
                    f"with a washout between periods, measuring {y}")
        else:
            kind = "randomised parallel-group trial"
            text = (f"Randomise {who} to {node} or {comparator(g, rnode)} (allocation concealed; "
                    f"{blinding(g, rnode)}) and compare {y}")
        if strategy.randomised_node not in exposure:
            text += (f" and {x_measured}, through which {node} acts" if x_measured else
                     f" ({x}, through which {node} acts, has no catalogued method: it is set, not measured)")
        text += "."
        compared = " and ".join(v for v in (x_measured, y_between) if v)
        if conditions and healthy and compared:
            text += f" Healthy controls are a secondary, observational comparison of {compared}."
        return kind, text + refused + _sabv(species)
    if conditions and circular and not between:
        kind = "within-person repeated measures"
        if linkable:
            text = (f"Repeated-measures study within people with {names}: {y_circ} defines the condition, so it "
                    f"is related to {x} within each person over several occasions rather than compared with "
                    "controls.")
        else:
            text = (f"Repeated-measures study within people with {names}: {y_circ} defines the condition, so it "
                    f"is not compared with controls; relating it to {x} within each person needs a per-occasion "
                    f"measure of {x}, which no catalogued method provides (see the within-person design).")
        if healthy:
            text += f" Healthy controls are compared on {x} only."
    elif conditions:
        parts = [f"Case-control study of people with {names}"]
        if healthy:
            parts.append("against healthy controls")
        if disease:
            parts.append(f"and {len(disease)} disease-control group(s)")
        kind, text = "case-control", " ".join(parts) + f", measuring {x} and {y} and the mediators between them."
        text += refused
    else:
        kind, text = "observational", f"Observational study measuring {x} and {y}."
    text += _sabv(species)
    if strategy is None:
        return kind, text + " No identification strategy: the causal analysis could not run (see Missing)."
    if strategy.name == "adjustment":
        z = ", ".join(label(g, n) for n in strategy.adjustment_set)
        text += (f" The effect is estimated by adjusting for {z} (the minimum-cost set that is valid under this "
                 "graph)." if z
                 else " No adjustment is needed under this graph: it draws no biasing path between exposure "
                 "and outcome.")
    elif strategy.name == "frontdoor":
        m = ", ".join(label(g, n) for n in strategy.mediators)
        text += f" The effect is estimated through the front door: measure {m} and apply the front-door formula."
    elif strategy.name == "instrument":
        w = ", ".join(label(g, n) for n in strategy.instrument_given)
        text += (f" The effect is estimated with {label(g, strategy.instrument or '')} as an instrument"
                 + (f" given {w}" if w else "") + " (under linearity or monotonicity).")
    elif strategy.name == "id":
        text += " The effect is estimated with the ID-algorithm formula (no single adjustment set suffices)."
    else:
        lat = ", ".join(label(g, n) for n in strategy.latent_to_measure)
        text += (" The effect is not identifiable from these measurements: "
                 + (f"measure {lat} first, or " if lat else "") + "set the exposure experimentally.")
    return kind, text
