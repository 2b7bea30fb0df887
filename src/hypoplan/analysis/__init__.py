"""Causal analysis of a hypothesis graph: pure functions, each citing its paper.

:func:`analyze` answers, for an exposure/outcome question, what researchers open
DAGitty for: paths, adjustment sets (minimal, canonical, optimal, minimum-cost,
direct effect), identification (adjustment, front-door, ID algorithm), conditional
instruments, testable implications, negative controls and mediators.  Every listing
that can grow exponentially is capped by ``max_results`` and named in ``truncated``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import networkx as nx

from ..errors import AnalysisError
from .result import Adjustment, AnalysisResult, Identification

__all__ = ["adjustment_estimand", "analyze", "validate_request"]


def _as_tuple(nodes: Iterable[str] | str | None) -> tuple[str, ...]:
    if nodes is None:
        return ()
    if isinstance(nodes, str):
        nodes = [nodes]
    out: list[str] = []
    for n in nodes:
        if n not in out:
            out.append(n)
    return tuple(out)


def validate_request(g: nx.DiGraph, exposure: tuple[str, ...], outcome: tuple[str, ...],
                     adjusted: tuple[str, ...], given: tuple[str, ...] | None = None) -> None:
    """Raise :class:`AnalysisError` (with a hint) for a request that makes no sense on ``g``."""
    if not exposure:
        raise AnalysisError("no exposure given", hint="set focus.exposure in the hypothesis or pass --exposure X")
    if not outcome:
        raise AnalysisError("no outcome given", hint="set focus.outcome in the hypothesis or pass --outcome Y")
    known = sorted(g)
    for role, nodes in (("exposure", exposure), ("outcome", outcome), ("adjusted", adjusted),
                        ("given set", given or ())):
        for n in nodes:
            if n not in g:
                import difflib

                close = difflib.get_close_matches(n, known, n=3)
                hint = f"did you mean {', '.join(close)}?" if close else "use a node id from the hypothesis"
                raise AnalysisError(f"{role} node {n!r} is not in the graph", hint=hint)
    both = sorted(set(exposure) & set(outcome))
    if both:
        what = "X = Y" if set(exposure) == set(outcome) else "exposure and outcome overlap"
        raise AnalysisError(f"{', '.join(both)} is both exposure and outcome ({what})",
                            hint="choose different nodes for --exposure and --outcome")
    for role, nodes in (("exposure", exposure), ("outcome", outcome), ("adjusted", adjusted)):
        latent = sorted(n for n in nodes if not g.nodes[n].get("observed", True))
        if latent:
            raise AnalysisError(f"{role} node {', '.join(latent)} is latent (observed: false)",
                                hint=f"an {role} node must be observed; mark it observed or choose another node")
    overlap = sorted(set(adjusted) & (set(exposure) | set(outcome)))
    if overlap:
        raise AnalysisError(f"{', '.join(overlap)} is adjusted for and also an exposure or outcome",
                            hint="remove it from the adjusted nodes")
    if not nx.is_directed_acyclic_graph(g):
        from ..graph import find_causal_cycle

        cycle = find_causal_cycle(g) or []
        raise AnalysisError("the graph has a directed cycle: " + " -> ".join(cycle),
                            hint="causal analysis needs an acyclic graph; run `hypoplan check` and break the cycle")


def adjustment_estimand(exposure: Iterable[str], outcome: Iterable[str], z: Iterable[str]) -> str:
    """``P(Y|do(X)) = Σ_{Z} P(Y|X,Z) P(Z)`` (the adjustment formula, Pearl 2009 Thm 3.3.2)."""
    x, y, z = ",".join(sorted(exposure)), ",".join(sorted(outcome)), ",".join(sorted(z))
    lhs = f"P({y}|do({x}))"
    if not z:
        return f"{lhs} = P({y}|{x})"
    return f"{lhs} = Σ_{{{z}}} P({y}|{x},{z}) P({z})"


def _identify(g: nx.DiGraph, x: tuple[str, ...], y: tuple[str, ...], chosen: frozenset[str] | None,
              notes: list[str]) -> Identification:
    """Adjustment first, then the front-door criterion, then the ID algorithm (Shpitser & Pearl 2006)."""
    if chosen is not None:
        return Identification(True, "adjustment", adjustment_estimand(x, y, chosen))
    from .identification import find_frontdoor_set, frontdoor_estimand, identify_id

    m = find_frontdoor_set(g, set(x), set(y))
    if m is not None:
        return Identification(True, "frontdoor", frontdoor_estimand(g, x, y, m),
                              f"no valid adjustment set; front-door set {{{', '.join(sorted(m))}}}")
    result = identify_id(g, set(x), set(y))
    if result.identifiable:
        return result
    reason = result.reason or "not identifiable"
    return Identification(False, None, None, "no valid adjustment set and no front-door set; " + reason,
                          result.hedge)


def analyze(g: nx.DiGraph, *, exposure: Iterable[str] | str | None = None, outcome: Iterable[str] | str | None = None,
            adjusted: Iterable[str] | None = None, given_set: Iterable[str] | None = None,
            costs: Mapping[str, float] | None = None, max_results: int = 100, direct: bool = False,
            all_implications: bool = False) -> AnalysisResult:
    """The full causal analysis of one exposure/outcome question (defaults: the graph's focus roles).

    ``adjusted`` nodes are forced into every adjustment set and condition the path colouring;
    ``given_set`` (default: ``adjusted`` when non-empty) is checked for validity with reasons.
    Raises :class:`AnalysisError` for bad requests (unknown node, X = Y, latent exposure, cyclic graph).
    """
    from . import adjustment as adj
    from .implications import all_minimal_implications, basis_implications
    from .paths import enumerate_paths

    x = _as_tuple(exposure) or tuple(g.graph.get("exposure", ()))
    y = _as_tuple(outcome) or tuple(g.graph.get("outcome", ()))
    i = _as_tuple(adjusted) if adjusted is not None else tuple(g.graph.get("adjusted", ()))
    given = _as_tuple(given_set) if given_set is not None else None
    if max_results < 1:
        raise AnalysisError(f"max_results must be at least 1, not {max_results}", hint="pass --max-results 100")
    validate_request(g, x, y, i, given)
    if given is None and i:
        given = i
    truncated: list[str] = []
    notes: list[str] = []

    minimal, cut = adj.minimal_adjustment_sets(g, x, y, i, max_results=max_results)
    if cut:
        truncated.append("adjustment.minimal")
    canonical = adj.canonical_adjustment_set(g, x, y, i)
    optimal = adj.optimal_adjustment_set(g, x, y)
    if optimal is not None and not set(i) <= optimal:
        notes.append("the optimal set O does not contain every adjusted node")
    min_cost = adj.min_cost_adjustment_set(g, x, y, i, costs)
    validity = adj.check_adjustment_set(g, x, y, given) if given is not None else None
    direct_sets = None
    if direct:
        if len(x) == 1 and len(y) == 1:
            found = adj.direct_effect_sets(g, x[0], y[0], max_results=max_results)
            if found is None:
                notes.append(f"no edge {x[0]} -> {y[0]}: the hypothesis implies no direct effect")
            else:
                direct_sets = tuple(found[0])
                if found[1]:
                    truncated.append("adjustment.direct")
                if not found[0]:
                    notes.append("the direct effect is not identifiable by the single-door criterion")
        else:
            notes.append("the direct effect (single-door criterion) needs one exposure and one outcome")
    adjustment = Adjustment(tuple(minimal), canonical, optimal, min_cost, validity, direct_sets)

    chosen = None
    if adjustment.exists:
        chosen = optimal if optimal is not None and set(i) <= optimal else (minimal[0] if minimal else canonical)
    elif i:
        # the adjusted nodes spoil adjustment; the effect may still be identified by adjusting for other nodes
        free, _ = adj.minimal_adjustment_sets(g, x, y, max_results=1)
        if free:
            chosen = optimal if optimal is not None else free[0]
            notes.append(f"no valid adjustment set contains the adjusted nodes {', '.join(i)}; "
                         "the estimand uses a set without them")
    identification = _identify(g, x, y, chosen, notes)

    paths, cut = enumerate_paths(g, x, y, i, max_results=max_results)
    if cut:
        truncated.append("paths")

    if all_implications:
        implications, cut = all_minimal_implications(g, max_results=max_results)
    else:
        implications, cut = basis_implications(g, max_results=max_results)
    if cut:
        truncated.append("implications")

    from .controls import negative_controls
    from .instruments import conditional_instruments
    from .mediators import find_mediators

    instruments: list = []
    if len(x) == 1 and len(y) == 1:
        instruments, cut = conditional_instruments(g, x[0], y[0], max_results=max_results)
        if cut:
            truncated.append("instruments")
    else:
        notes.append("instruments are listed for one exposure and one outcome only")
    negatives = negative_controls(g, set(x), set(y))
    mediators, cut = find_mediators(g, set(x), set(y), max_paths=max_results)
    if cut:
        truncated.append("mediators")

    return AnalysisResult(
        exposure=x, outcome=y, adjusted=i, adjustment=adjustment, identification=identification,
        instruments=tuple(instruments), implications=tuple(implications), paths=tuple(paths),
        negative_controls=negatives, mediators=tuple(mediators), truncated=tuple(truncated), notes=tuple(notes),
    )
