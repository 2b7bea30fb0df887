"""The identification strategy of a study, chosen from the causal analysis, strongest first.

The order follows what each design can rule out:

1. **randomised** — a manipulable node (``kind: intervention`` or ``drug``, or ``manipulable: true``) is the
   exposure or acts on it: randomisation breaks every back-door path into what is randomised (Fisher 1935;
   Pearl 2009 §3.2).  A crossover (AB/BA with washout, period and carry-over terms, Senn 1994) when the
   population has a stable condition and the manipulation is reversible; otherwise parallel groups.
2. **adjustment** — the minimum-cost valid adjustment set, with the same costs and the same function as
   ``hypoplan analyze --costs catalog`` (van der Zander, Liśkiewicz & Textor 2019, §5.2).
3. **frontdoor** — through measured mediators (Pearl 2009, Thm 3.3.4).
4. **instrument** — a conditional instrument (van der Zander, Textor & Liśkiewicz 2015); it identifies the
   effect only under extra assumptions (linear effects, or monotonicity for a local average effect).
5. **id** — the ID-algorithm estimand (Shpitser & Pearl 2006).
6. **not_identifiable** — and which latent node, if it were measured, would make the effect identifiable.

"Measured" means measurable: a node without a feasible catalogued method (infinite cost) is treated as
latent for every strategy, exactly as the minimum-cost search treats it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING, Any

import networkx as nx

from ..naming import natural_sorted
from .evidence import label

if TYPE_CHECKING:
    from ..analysis.result import AnalysisResult

__all__ = [
    "STRATEGIES",
    "Strategy",
    "assignment_of",
    "bypasses",
    "candidate_costs",
    "choose_strategy",
    "is_manipulable",
    "manipulation_path",
    "manipulators",
    "measurable_view",
    "not_available",
    "selected_below",
]

#: Strategies strongest first; the plan JSON's ``design.strategy`` is one of these.
STRATEGIES = ("randomised", "adjustment", "frontdoor", "instrument", "id", "not_identifiable")

_MANIPULABLE_KINDS = ("drug", "intervention")


@dataclass(frozen=True)
class Strategy:
    """The chosen strategy and why; the small interface sizing and rivals read (``plan.strategy``).

    ``arm``: for ``randomised``, ``"crossover"`` or ``"parallel"``; ``randomised_node``: what is randomised;
    ``adjustment_set``: the set adjusted for (``adjustment``); ``mediators``: the front-door set;
    ``instrument``/``instrument_given``: the instrument and its conditioning set; ``latent_to_measure``: the
    latent nodes whose measurement would identify the effect (``not_identifiable``).
    """

    name: str
    reason: str
    considered: tuple[tuple[str, str], ...] = ()
    estimand_formula: str | None = None
    arm: str | None = None
    randomised_node: str | None = None
    adjustment_set: tuple[str, ...] = ()
    mediators: tuple[str, ...] = ()
    instrument: str | None = None
    instrument_given: tuple[str, ...] = ()
    latent_to_measure: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {"strategy": self.name, "strategy_reason": self.reason,
                "considered": [{"strategy": s, "why_not": w} for s, w in self.considered],
                "estimand_formula": self.estimand_formula,
                "randomised_node": self.randomised_node, "arm": self.arm, "instrument": self.instrument,
                "instrument_given": list(self.instrument_given), "frontdoor": list(self.mediators),
                "latent_to_measure": list(self.latent_to_measure)}


def is_manipulable(g: nx.DiGraph, node: str, species: str | None = None) -> bool:
    """A node the investigator can set: an intervention or a drug, or one the file marks ``manipulable``; with
    ``species``, only where the file's ``manipulable_in`` allows that species (empty: any species)."""
    d = g.nodes[node]
    if not (bool(d.get("manipulable")) or d.get("kind") in _MANIPULABLE_KINDS):
        return False
    allowed = tuple(d.get("manipulable_in", ()))
    return species is None or not allowed or species in allowed


def not_available(g: nx.DiGraph, exposure: Iterable[str], species: str) -> list[tuple[str, str]]:
    """Manipulable nodes acting on the exposure that cannot be set in ``species`` (``manipulable_in``), with
    why, so the plan can say why it passed them over."""
    out: list[tuple[str, str]] = []
    x = [n for n in exposure if n in g]
    reach = set(x).union(*(nx.ancestors(g, n) for n in x)) if x else set()
    for n in sorted(reach):
        if is_manipulable(g, n) and not is_manipulable(g, n, species):
            allowed = ", ".join(g.nodes[n].get("manipulable_in", ()))
            out.append((n, (f"{label(g, n)} is not available in {_PLURAL.get(species, species)} (the file "
                            f"restricts it to: {allowed})")))
    return out


_PLURAL = {"human": "humans", "mouse": "mice", "rat": "rats", "primate": "primates", "other-animal": "other animals"}


def bypasses(g: nx.DiGraph, node: str, exposure: Iterable[str], outcome: Iterable[str]) -> list[str]:
    """Outcome nodes ``node`` reaches by a directed path that avoids the exposure (the exclusion restriction
    of a randomised instrument fails for them)."""
    h = g.subgraph(n for n in g if n not in set(exposure) or n == node)
    reach = nx.descendants(h, node) if node in h else set()
    return sorted(y for y in outcome if y in reach)


def manipulation_path(g: nx.DiGraph, node: str, target: str) -> list[str]:
    """The shortest directed path from a manipulable node to the exposure it acts on."""
    return [node] if node == target else list(nx.shortest_path(g, node, target))


def manipulators(g: nx.DiGraph, exposure: Iterable[str], outcome: Iterable[str] = (),
                 species: str | None = None) -> list[tuple[str, str]]:
    """``(manipulable node, exposure it acts on)``: the exposure itself when manipulable, else a manipulable
    observed ancestor of the exposure (settable in ``species``), preferring one that reaches the outcome only
    through the exposure, then one whose direction along its path is known, then a direct parent, then the one
    with more evidence on its path.  The exposure itself comes first."""
    from .evidence import path_sign

    out: list[tuple[str, str]] = []
    for x in exposure:
        if x in g and is_manipulable(g, x, species):
            out.append((x, x))
    upstream: list[tuple[str, str]] = []
    for x in exposure:
        if x not in g:
            continue
        for p in sorted(nx.ancestors(g, x)):
            if is_manipulable(g, p, species) and g.nodes[p].get("observed", True) and (p, x) not in out:
                upstream.append((p, x))

    exposure, outcome = list(exposure), list(outcome)

    def strength(pair: tuple[str, str]) -> tuple[bool, bool, int, int, str]:
        path = manipulation_path(g, *pair)
        sign = path_sign(g, path)
        evidence = sum(len(g.edges[a, b].get("evidence", ())) for a, b in pairwise(path))
        return (bool(bypasses(g, pair[0], exposure, outcome)), sign not in ("positive", "negative"),
                len(path), -evidence, pair[0])

    return out + sorted(upstream, key=strength)


def measurable_view(g: nx.DiGraph, costs: Mapping[str, float], keep: Iterable[str] = ()) -> nx.DiGraph:
    """A copy of ``g`` in which every node of infinite cost (no feasible measure) is latent, except ``keep``."""
    keep = set(keep)
    h = g.copy()
    for n in h.nodes:
        if n not in keep and math.isinf(costs.get(n, 0.0)):
            h.nodes[n]["observed"] = False
    return h


def candidate_costs(g: nx.DiGraph, exposure: Iterable[str], outcome: Iterable[str],
                    costs: Mapping[str, float]) -> dict[str, float | None]:
    """The cost of every node that could enter an adjustment set (not X, Y, a descendant of a node on a
    proper causal path, nor the stand-in for a ``<->`` edge); ``None`` for a node that cannot be measured."""
    from ..analysis.separation import forbidden_nodes

    x, y = set(exposure), set(outcome)
    forbidden = forbidden_nodes(g, x, y)
    out: dict[str, float | None] = {}
    for n in sorted(g.nodes):
        if n in x or n in y or n in forbidden or g.nodes[n].get("implicit"):
            continue
        c = costs.get(n, math.inf)
        observed = g.nodes[n].get("observed", True)
        out[n] = None if (not observed or math.isinf(c)) else float(c)
    return out


def _names(g: nx.DiGraph, nodes: Iterable[str]) -> str:
    return ", ".join(label(g, n) for n in nodes)


def assignment_of(g: nx.DiGraph, node: str, species: str, has_condition: bool) -> str:
    """How a randomised node is assigned: the file's ``assignment`` when given, else a crossover for a human
    population with a (stable) condition and parallel groups otherwise (Senn 1994)."""
    given = g.nodes[node].get("assignment", "auto") or "auto"
    if given != "auto":
        return str(given)
    return "crossover" if species == "human" and has_condition else "parallel"


#: Design text per assignment (Senn 1994 for crossover; split-body, e.g. one forearm each, Martinez-Lavin 2002).
_ASSIGNMENT_TEXT = {
    "crossover": (" Design: randomised AB/BA crossover (each participant their own control) with blinding, a "
                  "washout between periods long enough to return to baseline (duration to be set by the study "
                  "physician), and period and carry-over terms in the analysis; the condition must be stable and "
                  "the effect reversible, otherwise use parallel groups."),
    "split_body": (" Design: randomised split-body comparison — both conditions are given at the same visit to two "
                   "sites of the same body (e.g. one forearm each), the side receiving the active condition is "
                   "randomised and concealed, and the analysis is paired within person (no periods, washout or "
                   "period term). It assumes the two sites do not influence each other: an effect that spreads "
                   "systemically, or a response that is systemic rather than local, would reach the control site "
                   "too and bias the contrast towards zero. Each outcome must be read at each site separately: an "
                   "outcome defined only for the whole person (e.g. a symptom score) cannot tell the two sides "
                   "apart."),
    "parallel": " Design: randomised parallel groups with allocation concealed, blinded as far as the "
                "manipulation allows.",
}


def _randomised(g: nx.DiGraph, pairs: Sequence[tuple[str, str]], outcome: Sequence[str], species: str,
                has_condition: bool, considered: Sequence[tuple[str, str]] = ()) -> Strategy:
    from .evidence import arrow_path, path_sign

    node, target = pairs[0]
    y = ",".join(outcome)
    other = bypasses(g, node, [target], outcome) if node != target else []
    path = manipulation_path(g, node, target)
    sign = path_sign(g, path) if node != target else "positive"
    arm = assignment_of(g, node, species, has_condition)
    via = "" if len(path) <= 2 else f" (through {arrow_path(g, path)})"
    if node == target:
        reason = (f"{label(g, node)} is the exposure and can be set by the investigator: randomising it breaks "
                  "every back-door path into it, so no adjustment set is needed.")
        formula = f"P({y}|do({node})) = P({y}|{node}) (randomised)"
    else:
        reason = (f"{label(g, node)} can be set by the investigator and acts on the exposure "
                  f"{label(g, target)}{via}: randomising it identifies its effect (intention to treat) without "
                  f"adjustment; the effect of {label(g, target)} itself then rests on {label(g, node)} reaching "
                  f"the outcome only through {label(g, target)} (randomised instrument), as this graph assumes.")
        formula = f"P({y}|do({node})) = P({y}|{node}) (randomised)"
        if other:
            reason += (f" In the graph {label(g, node)} also reaches {_names(g, other)} by paths that avoid "
                       f"{label(g, target)}, so the randomised contrast is its total effect, not that of "
                       f"{label(g, target)} alone.")
        if sign not in ("positive", "negative"):
            reason += (f" Its direction on {label(g, target)} is not recorded: measure {label(g, target)} under "
                       "each condition to check that the manipulation moved it.")
    reason += _ASSIGNMENT_TEXT.get(arm, _ASSIGNMENT_TEXT["parallel"])
    return Strategy("randomised", reason, tuple(considered), formula, arm=arm, randomised_node=node)


#: Latent nodes tried one at a time when looking for the one whose measurement would identify the effect.
MAX_LATENT_TRIED = 60


def _latent_that_would_identify(g: nx.DiGraph, view: nx.DiGraph, x: Sequence[str], y: Sequence[str]
                                ) -> list[str]:
    """Latent nodes (in the measurable view) each of which, if measured, makes a valid adjustment set exist
    (only latent ancestors of X or Y can confound; at most ``MAX_LATENT_TRIED`` of them are tried)."""
    from ..analysis.adjustment import canonical_adjustment_set

    relevant = set(x) | set(y)
    for v in list(relevant):
        relevant |= nx.ancestors(view, v)
    latent = [n for n in natural_sorted(relevant) if not view.nodes[n].get("observed", True) and n not in x and n not in y]
    def identified_with(nodes: Iterable[str]) -> bool:
        h = view.copy()
        for v in nodes:
            h.nodes[v]["observed"] = True
        return canonical_adjustment_set(h, x, y) is not None

    tried = latent[:MAX_LATENT_TRIED]
    found = [n for n in tried if identified_with([n])]
    if found or not tried or not identified_with(tried):
        return found
    # no single node suffices but all together do: drop nodes while the rest still suffice (a minimal set)
    needed = list(tried)
    for n in tried:
        if identified_with([v for v in needed if v != n]):
            needed.remove(n)
    return needed


def _alone(view: nx.DiGraph, x: Sequence[str], y: Sequence[str], node: str) -> bool:
    from ..analysis.adjustment import canonical_adjustment_set

    h = view.copy()
    h.nodes[node]["observed"] = True
    return canonical_adjustment_set(h, x, y) is not None


def selected_below(g: nx.DiGraph, node: str, outcome: Iterable[str], selected: Iterable[str]) -> list[str]:
    """Selected nodes that are descendants of the randomised ``node`` or are (descendants of) an outcome:
    conditioning on such a node opens a path between the randomised groups and the outcome in the selected
    sample, which randomisation cannot prevent (Hernán, Hernández-Díaz & Robins 2004, selection bias as
    conditioning on a common effect)."""
    below = nx.descendants(g, node) if node in g else set()
    for y in outcome:
        if y in g:
            below |= {y} | nx.descendants(g, y)
    return natural_sorted(n for n in selected if n in below and n != node)


def choose_strategy(g: nx.DiGraph, result: AnalysisResult, costs: Mapping[str, float], *, species: str = "human",
                    has_condition: bool = False) -> Strategy:
    """The strongest strategy the graph allows, with why each stronger one does not apply.

    ``result`` is :func:`hypoplan.analysis.analyze` run with ``costs`` (so its minimum-cost set is the plan's).
    """
    from ..analysis import adjustment_estimand
    from ..analysis.identification import find_frontdoor_set, frontdoor_estimand, identify_id
    from ..analysis.instruments import conditional_instruments

    x, y = tuple(result.exposure), tuple(result.outcome)
    considered: list[tuple[str, str]] = []
    pairs = manipulators(g, x, y, species)
    unavailable = not_available(g, x, species)
    considered.extend(("randomised", why) for _, why in unavailable)
    kept: list[tuple[str, str]] = []
    for node, target in pairs:
        hit = selected_below(g, node, y, result.selected)
        if hit:
            considered.append(("randomised", (
                f"randomising {label(g, node)} does not protect against selection: the study selects on "
                f"{_names(g, hit)}, which under this graph is the outcome or a consequence of {label(g, node)} or of "
                "the outcome, so the contrast between the randomised groups in the selected sample can be biased")))
        else:
            kept.append((node, target))
    if kept:
        return _randomised(g, kept, y, species, has_condition, considered)
    if not pairs:
        considered.append(("randomised", ("no intervention, drug or node marked manipulable that can be set in "
                                          f"{_PLURAL.get(species, species)} acts on {_names(g, x)}")))

    adj = result.adjustment
    view = measurable_view(g, costs, keep=x + y)
    if adj.min_cost is not None and math.isfinite(adj.min_cost.cost):
        z = tuple(natural_sorted(adj.min_cost.nodes))
        if z:
            reason = (f"adjusting for {_names(g, z)} (the minimum-cost valid adjustment set, cost "
                      f"{adj.min_cost.cost:g}) blocks every biasing path this graph draws between {_names(g, x)} and "
                      f"{_names(g, y)}; an unmodelled confounder would not be blocked.")
        else:
            reason = (f"under this graph no biasing path connects {_names(g, x)} and {_names(g, y)}, so the crude "
                      "association estimates the causal effect.")
        return Strategy("adjustment", reason, tuple(considered), adjustment_estimand(x, y, z), adjustment_set=z)
    if adj.exists:
        lacking = natural_sorted(n for s in (adj.minimal or ((adj.canonical,) if adj.canonical else ())) for n in s
                         if math.isinf(costs.get(n, math.inf)))
        considered.append(("adjustment", ("every valid adjustment set contains a node no catalogued method "
                           f"measures ({_names(g, dict.fromkeys(lacking))})")))
    elif adj.selection_bias is not None:
        considered.append(("adjustment", adj.selection_bias))
    else:
        considered.append(("adjustment", ("no valid adjustment set exists: a biasing path runs through "
                           "unmeasured nodes")))
    selected = [n for n in result.selected if n not in x + y]
    if selected:  # the front door, instruments and the ID algorithm below assume no selection
        unmet = ("every valid adjustment set contains a node no catalogued method measures" if adj.exists
                 else "no valid adjustment set recovers the effect from the selected sample")
        return Strategy("not_identifiable", (
            f"the study selects on {_names(g, selected)} and {unmet}; the front-door criterion, instruments and "
            "the ID algorithm assume no selection, so none is offered: recruit without selecting on it, or add "
            "data from outside the selected sample."), tuple(considered), None)

    m = find_frontdoor_set(view, x, y)
    if m:
        return Strategy("frontdoor", f"under this graph every causal path from {_names(g, x)} to {_names(g, y)} runs through "
                        f"{_names(g, natural_sorted(m))}, measured and shielded from the unmeasured confounding: the "
                        "front-door formula identifies the effect.", tuple(considered),
                        frontdoor_estimand(view, x, y, m), mediators=tuple(natural_sorted(m)))
    considered.append(("frontdoor", ("no set of measurable mediators intercepts every causal path and is "
                       "shielded from confounding (front-door criterion)")))

    if len(x) == 1 and len(y) == 1:
        found, _ = conditional_instruments(view, x[0], y[0], max_results=20)
        usable = [i for i in found if i.instrument in g and g.nodes[i.instrument].get("observed", True)]
        if usable:
            best = min(usable, key=lambda i: (len(i.given), i.instrument))
            w = tuple(natural_sorted(best.given))
            given = f" given {_names(g, w)}" if w else ""
            formula = (f"β({x[0]}→{y[0]}) = Cov({y[0]},{best.instrument}{'|' + ','.join(w) if w else ''}) / "
                       f"Cov({x[0]},{best.instrument}{'|' + ','.join(w) if w else ''}) (Wald/IV estimand)")
            return Strategy("instrument", f"{label(g, best.instrument)}{given} is an instrument: it moves "
                            f"{_names(g, x)} and, as this graph assumes, reaches {_names(g, y)} only through it. It identifies the effect "
                            "only under extra assumptions (linear effects, or monotonicity for a local average "
                            "effect).", tuple(considered), formula, instrument=best.instrument, instrument_given=w)
        considered.append(("instrument", ("no measurable node moves the exposure while reaching the outcome only "
                           "through it")))
    else:
        considered.append(("instrument", "instruments are sought for one exposure and one outcome only"))

    ident = identify_id(view, x, y)
    if ident.identifiable:
        return Strategy("id", "the ID algorithm (Shpitser & Pearl 2006) expresses the effect through the "
                        "measurable nodes, although neither adjustment nor the front door does.",
                        tuple(considered), ident.estimand)
    considered.append(("id", ident.reason or "the ID algorithm finds a hedge"))
    latent = _latent_that_would_identify(g, view, x, y)
    single = bool(latent) and all(_alone(view, x, y, n) for n in latent)

    def what(n: str) -> str:
        declared = not g.nodes[n].get("observed", True)
        return label(g, n) + ("" if declared else " (observed, but no catalogued method measures it)")

    if latent and single:
        names = "; or ".join(what(n) for n in latent)
        reason = (f"the effect is not identifiable from what can be measured; measuring {names} would make a "
                  "valid adjustment set exist.")
    elif latent:
        names = " and ".join(what(n) for n in latent)
        reason = (f"the effect is not identifiable from what can be measured; no single node suffices, but "
                  f"measuring {names} together would make a valid adjustment set exist.")
    else:
        reason = ("the effect is not identifiable from what can be measured, and measuring no single latent node "
                  "would make it identifiable; an experiment that sets the exposure is needed.")
    return Strategy("not_identifiable", reason, tuple(considered), None, latent_to_measure=tuple(latent))
