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
from .result import Adjustment, AnalysisResult, Identification, SetValidity, StructureResult

__all__ = [
    "adjustment_estimand",
    "analyze",
    "analyze_structure",
    "has_causal_path",
    "no_effect_estimand",
    "no_effect_sentence",
    "validate_request",
]


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
    from .separation import selected_set

    chosen_sel = sorted(selected_set(g) & (set(exposure) | set(outcome)))
    if chosen_sel:
        raise AnalysisError(f"{', '.join(chosen_sel)} is selected on (selected) and also an exposure or outcome",
                            hint="a selected node is conditioned on by design; choose another exposure or outcome, "
                                 "or remove selected from it")
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


def no_effect_estimand(exposure: Iterable[str], outcome: Iterable[str]) -> str:
    """``P(Y|do(X)) = P(Y)`` when no exposure is an ancestor of an outcome (do-calculus rule 3, Pearl 2009 §3.4)."""
    x, y = ",".join(sorted(exposure)), ",".join(sorted(outcome))
    return f"P({y}|do({x})) = P({y})"


def has_causal_path(g: nx.DiGraph, exposure: Iterable[str], outcome: Iterable[str]) -> bool:
    """Whether some exposure is an ancestor of some outcome (a directed path X → … → Y)."""
    from .separation import descendants

    return bool(descendants(g, set(exposure)) & set(outcome))


def no_effect_sentence(g: nx.DiGraph | None, exposure: Iterable[str], outcome: Iterable[str]) -> str:
    """The claim a graph without a directed path from X to Y makes, in words (labels as given; ids without ``g``)."""
    def names(nodes: Iterable[str]) -> str:
        from ..graph import node_label

        return ", ".join(node_label(g, n) if g is not None else n for n in nodes)

    return (f"this graph claims {names(exposure)} has no effect on {names(outcome)}: no directed path leads from "
            "the exposure to the outcome")


def _identify(g: nx.DiGraph, x: tuple[str, ...], y: tuple[str, ...], chosen: frozenset[str] | None,
              notes: list[str], selection: tuple[str, ...] | None) -> Identification:
    """No effect first, then adjustment, then the front-door criterion, then the ID algorithm (Shpitser & Pearl 2006).

    ``selection`` is the path joining Y to a selected node (``()`` unlisted) when selection biases the effect.
    With selected nodes, the front door and the ID algorithm (which assume no selection) are not tried.
    """
    from .adjustment import selection_reason
    from .separation import selected_set

    sel = selected_set(g) - set(x) - set(y)
    if selection is not None:
        return Identification(False, None, None, selection_reason(g, sel, selection))
    if not has_causal_path(g, x, y):
        why = (no_effect_sentence(g, x, y) + ", so intervening on the exposure leaves the outcome's distribution "
               "unchanged (do-calculus rule 3)")
        return Identification(True, "adjustment" if chosen is not None else "id", no_effect_estimand(x, y), why)
    if chosen is not None:
        return Identification(True, "adjustment", adjustment_estimand(x, y, chosen))
    if sel:
        return Identification(False, None, None,
                              f"no valid adjustment set given the selection on {', '.join(sorted(sel))}; the "
                              "front-door criterion and the ID algorithm assume no selection, so they were not tried")
    from .identification import find_frontdoor_set, frontdoor_estimand, identify_id

    m = find_frontdoor_set(g, set(x), set(y))
    if m:
        return Identification(True, "frontdoor", frontdoor_estimand(g, x, y, m),
                              f"no valid adjustment set; front-door set {{{', '.join(sorted(m))}}}")
    result = identify_id(g, set(x), set(y))
    if result.identifiable:
        return result
    reason = result.reason or "not identifiable"
    return Identification(False, None, None, "no valid adjustment set and no front-door set; " + reason,
                          result.hedge)


def _direct(g: nx.DiGraph, x: tuple[str, ...], y: tuple[str, ...], i: tuple[str, ...], given: tuple[str, ...] | None,
            max_results: int, notes: list[str], truncated: list[str]
            ) -> tuple[tuple[frozenset[str], ...] | None, SetValidity | None]:
    """Direct-effect sets (single-door criterion) with the adjusted nodes forced in, and the given set checked."""
    from . import adjustment as adj
    from .separation import selected_set

    if len(x) != 1 or len(y) != 1:
        raise AnalysisError("the direct effect (single-door criterion) is defined for one exposure and one outcome",
                            hint="pass --direct with one --exposure node and one --outcome node")
    sel = sorted(selected_set(g) - set(x) - set(y))
    if sel:
        notes.append(f"direct-effect sets are not computed with selected nodes ({', '.join(sel)}): the single-door "
                     "criterion assumes no selection (DAGitty refuses too)")
        return None, None
    found = adj.direct_effect_sets(g, x[0], y[0], included=i, max_results=max_results)
    checked = adj.check_direct_set(g, x[0], y[0], given) if given is not None else None
    if found is None:
        notes.append(f"no edge {x[0]} -> {y[0]}: the hypothesis implies no direct effect")
        return None, checked
    if found[1]:
        truncated.append("adjustment.direct")
    if not found[0]:
        forced = f" containing the adjusted nodes {', '.join(i)}" if i else ""
        notes.append(f"the direct effect is not identifiable by the single-door criterion{forced}")
    return tuple(found[0]), checked
#: Analyses already computed in this process, by graph content and question (see :func:`analyze`).
_MEMO: dict[str, AnalysisResult] = {}
_MEMO_SIZE = 32


def _memo_key(g: nx.DiGraph, *args: object) -> str:
    """The graph's full content (attributes, insertion order) and the question, as text: equal text, equal answer."""
    return repr((type(g).__name__, sorted(g.graph.items()), [(n, sorted(d.items())) for n, d in g.nodes(data=True)],
                 [(u, v, sorted(d.items())) for u, v, d in g.edges(data=True)], args))


def analyze(g: nx.DiGraph, *, exposure: Iterable[str] | str | None = None, outcome: Iterable[str] | str | None = None,
            adjusted: Iterable[str] | None = None, given_set: Iterable[str] | None = None,
            costs: Mapping[str, float] | None = None, max_results: int = 100, direct: bool = False,
            all_implications: bool = False) -> AnalysisResult:
    """The full causal analysis of one exposure/outcome question (defaults: the graph's focus roles).

    ``adjusted`` nodes are forced into every adjustment set and condition the path colouring;
    ``given_set`` (default: ``adjusted`` when non-empty) is checked for validity with reasons.
    Selected nodes (``selected`` node attribute or graph role) are conditioned on everywhere.
    Raises :class:`AnalysisError` for bad requests (unknown node, X = Y, latent exposure, cyclic graph).

    The result is computed once per process for the same graph content and question, so a
    command whose parts (plan, diagram, aims, report, review) each ask for it pays once; only
    the minimum-cost set is recomputed for other ``costs``.  Results are immutable.
    """
    key = _memo_key(g, _as_tuple(exposure), _as_tuple(outcome), None if adjusted is None else _as_tuple(adjusted),
                    None if given_set is None else _as_tuple(given_set), max_results, direct, all_implications)
    result = _MEMO.get(key)
    if result is None:
        result = _analyze(g, exposure=exposure, outcome=outcome, adjusted=adjusted, given_set=given_set,
                          costs=None, max_results=max_results, direct=direct, all_implications=all_implications)
        if len(_MEMO) >= _MEMO_SIZE:
            _MEMO.pop(next(iter(_MEMO)))
        _MEMO[key] = result
    if costs is None:
        return result
    from dataclasses import replace

    from .adjustment import min_cost_adjustment_set

    min_cost = min_cost_adjustment_set(g, result.exposure, result.outcome, result.adjusted, costs)
    return replace(result, adjustment=replace(result.adjustment, min_cost=min_cost))


def _analyze(g: nx.DiGraph, *, exposure: Iterable[str] | str | None, outcome: Iterable[str] | str | None,
             adjusted: Iterable[str] | None, given_set: Iterable[str] | None,
             costs: Mapping[str, float] | None, max_results: int, direct: bool,
             all_implications: bool) -> AnalysisResult:
    from . import adjustment as adj
    from .implications import all_minimal_implications, basis_implications
    from .paths import enumerate_paths
    from .separation import selected_set

    x = _as_tuple(exposure) or tuple(g.graph.get("exposure", ()))
    y = _as_tuple(outcome) or tuple(g.graph.get("outcome", ()))
    i = _as_tuple(adjusted) if adjusted is not None else tuple(g.graph.get("adjusted", ()))
    given = _as_tuple(given_set) if given_set is not None else None
    if max_results < 1:
        raise AnalysisError(f"max_results must be at least 1, not {max_results}", hint="pass --max-results 100")
    validate_request(g, x, y, i, given)
    if given is None and i:
        given = i
    sel = tuple(sorted(selected_set(g)))
    truncated: list[str] = []
    notes: list[str] = []
    effect = has_causal_path(g, x, y)
    if not effect:
        notes.append("the optimal set O is not given: it is built from the nodes on causal paths from the exposure "
                     "to the outcome (Henckel et al. 2022), and this graph has none")
    if sel:
        notes.append(f"selected nodes {', '.join(sel)} are conditioned on in every set, path and implication "
                     "(the data come from the selected sample)")
    biased = adj.selection_bias_path(g, x, y)

    minimal, cut = adj.minimal_adjustment_sets(g, x, y, i, max_results=max_results)
    if cut:
        truncated.append("adjustment.minimal")
    canonical = adj.canonical_adjustment_set(g, x, y, i)
    optimal = adj.optimal_adjustment_set(g, x, y)
    if effect and sel:
        notes.append("the optimal set O is not given: its theory (Henckel et al. 2022) assumes no selection")
    elif effect and optimal is None and canonical is not None:
        notes.append("the optimal set O is not given: it would contain a latent node or is not a valid "
                     "adjustment set")
    if optimal is not None and not set(i) <= optimal:
        notes.append("the optimal set O does not contain every adjusted node")
    min_cost = adj.min_cost_adjustment_set(g, x, y, i, costs)
    validity = adj.check_adjustment_set(g, x, y, given) if given is not None else None
    direct_sets, direct_given = (_direct(g, x, y, i, given, max_results, notes, truncated) if direct
                                 else (None, None))
    bias_reason = None
    if biased is not None:
        bias_reason = adj.selection_reason(g, set(sel) - set(x) - set(y), biased)
    adjustment = Adjustment(tuple(minimal), canonical, optimal, min_cost, validity, direct_sets, direct_given,
                            bias_reason)

    chosen = None
    if adjustment.exists:
        chosen = optimal if optimal is not None and set(i) <= optimal else (minimal[0] if minimal else canonical)
    elif i and biased is None:
        # the adjusted nodes spoil adjustment; the effect may still be identified by adjusting for other nodes
        free, _ = adj.minimal_adjustment_sets(g, x, y, max_results=1)
        if free:
            chosen = optimal if optimal is not None else free[0]
            notes.append(f"no valid adjustment set contains the adjusted nodes {', '.join(i)}; "
                         "the estimand uses a set without them")
    identification = _identify(g, x, y, chosen, notes, biased)

    paths, cut = enumerate_paths(g, x, y, set(i) | set(sel), max_results=max_results)
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
        selected=sel,
    )


def analyze_structure(g: nx.DiGraph, *, max_results: int = 100, all_implications: bool = False,
                      missing: str = "no exposure and no outcome") -> StructureResult:
    """What a graph without an exposure/outcome question still says: its testable implications.

    Each implied independence is a d-separation among observed nodes (selected nodes conditioned on);
    ``missing`` names what the question lacks, for the note.
    """
    from .implications import all_minimal_implications, basis_implications
    from .separation import selected_set

    if max_results < 1:
        raise AnalysisError(f"max_results must be at least 1, not {max_results}", hint="pass --max-results 100")
    if not nx.is_directed_acyclic_graph(g):
        from ..graph import find_causal_cycle

        cycle = find_causal_cycle(g) or []
        raise AnalysisError("the graph has a directed cycle: " + " -> ".join(cycle),
                            hint="causal analysis needs an acyclic graph; run `hypoplan check` and break the cycle")
    if all_implications:
        implications, cut = all_minimal_implications(g, max_results=max_results)
    else:
        implications, cut = basis_implications(g, max_results=max_results)
    sel = tuple(sorted(selected_set(g)))
    notes = [(f"{missing} given: only the graph's testable implications are listed; adjustment sets, paths and "
              "identification need an exposure and an outcome (set focus.exposure and focus.outcome, or pass "
              "--exposure and --outcome)")]
    if sel:
        notes.append(f"selected nodes {', '.join(sel)} are conditioned on in every implication")
    return StructureResult(implications=tuple(implications), truncated=("implications",) if cut else (),
                           notes=tuple(notes), selected=sel)
