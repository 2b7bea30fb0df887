"""Covariate adjustment for the total (and direct) effect of X on Y.

Validity follows the generalized adjustment criterion (Shpitser, VanderWeele &
Robins 2010; Perković et al. 2015, 2018) in the constructive form of van der
Zander, Liśkiewicz & Textor (2019): ``Z`` is a valid adjustment set iff
``Z ∩ Dpcp(X, Y) = ∅`` and ``Z`` d-separates X and Y in the proper back-door
graph.  Adjusted nodes ``I`` are forced in, latent nodes are forced out.

Selected nodes ``S`` (the study conditions on them by design) are handled as
DAGitty does (``isAdjustmentSet`` and ``listMsasTotalEffect`` in its
``GraphAnalyzer.js``; Textor et al. 2016), a sufficient condition for recovering
P(y | do(x)) from the selected data alone (after Bareinboim, Tian & Pearl 2014,
"Recovering from selection bias in causal and statistical inference", *AAAI*):
``Z ∪ S`` must d-separate X and Y in the proper back-door graph, and Y must be
d-separated from S (given nothing) in that graph; otherwise no set is valid.
``S`` is conditioned on in every test and never listed in a set.

Result convention (shared with the JSON contract): a list of minimal sets that
is ``[]`` means *no valid adjustment set exists*; ``[frozenset()]`` means *the
empty set suffices*.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import pairwise

import networkx as nx

from .paths import enumerate_paths
from .result import MinCostSet, SetValidity
from .separation import (
    ancestors,
    descendants,
    latent_set,
    moral_graph,
    proper_backdoor_graph,
    proper_causal_nodes,
    selected_set,
)

__all__ = [
    "AdjustmentProblem",
    "adjustment_problem",
    "canonical_adjustment_set",
    "check_adjustment_set",
    "check_direct_set",
    "direct_effect_sets",
    "is_valid_adjustment",
    "min_cost_adjustment_set",
    "minimal_adjustment_sets",
    "minimal_separators",
    "node_cost",
    "optimal_adjustment_set",
    "selection_bias_path",
    "selection_reason",
]


@dataclass(frozen=True)
class AdjustmentProblem:
    """A separation problem ``X ⫫ Y | I ∪ C ∪ Z`` in ``graph`` with ``Z`` drawn from ``allowed``.

    ``conditioned`` (C, the selected nodes) is always conditioned on and never reported;
    ``selection_biased`` means S is d-connected to Y, so no set can be valid.
    """

    graph: nx.DiGraph
    exposure: frozenset[str]
    outcome: frozenset[str]
    included: frozenset[str]
    allowed: frozenset[str]
    forbidden: frozenset[str]
    conditioned: frozenset[str] = frozenset()
    selection_biased: bool = False


def adjustment_problem(g: nx.DiGraph, exposure: Iterable[str], outcome: Iterable[str],
                       included: Iterable[str] = ()) -> AdjustmentProblem:
    """The total-effect problem: the proper back-door graph, Dpcp forbidden, latent nodes excluded.

    van der Zander, Liśkiewicz & Textor (2019), Theorem 4.6 (constructive back-door criterion).
    """
    x, y = frozenset(exposure), frozenset(outcome)
    sel = selected_set(g) - x - y
    i = frozenset(included) - sel
    forbidden = frozenset(descendants(g, proper_causal_nodes(g, x, y)))
    allowed = frozenset(g) - latent_set(g) - forbidden - x - y - sel
    pbd = proper_backdoor_graph(g, x, y)
    biased = bool(sel) and not _d_separates(pbd, set(y), set(sel), set())
    return AdjustmentProblem(pbd, x, y, i, allowed, forbidden, sel, biased)


def selection_bias_path(g: nx.DiGraph, exposure: Iterable[str], outcome: Iterable[str]) -> tuple[str, ...] | None:
    """A path that d-connects the outcome to a selected node in the proper back-door graph, or ``None``.

    When one exists, selecting on S biases P(y | do(x)) and no adjustment set removes the bias
    (DAGitty's condition, see the module docstring).  ``()`` when connected but no path could be listed.
    """
    x, y = set(exposure), set(outcome)
    sel = set(selected_set(g)) - x - y
    if not sel:
        return None
    pbd = proper_backdoor_graph(g, x, y)
    if _d_separates(pbd, y, sel, set()):
        return None
    paths, _ = enumerate_paths(pbd, y, sel, (), max_results=200)
    open_paths = [p.nodes for p in paths if p.open]
    return open_paths[0] if open_paths else ()


def _separates(adj: Mapping[str, set[str]], x: Iterable[str], y: set[str], removed: set[str]) -> bool:
    """Undirected separation: no path from ``x`` to ``y`` avoiding ``removed``."""
    seen = set(x)
    stack = list(seen)
    while stack:
        v = stack.pop()
        for w in adj[v]:
            if w in y:
                return False
            if w not in seen and w not in removed:
                seen.add(w)
                stack.append(w)
    return True


def _d_separates(g: nx.DiGraph, x: set[str], y: set[str], z: set[str]) -> bool:
    """d-separation through the moral graph of ``An(X ∪ Y ∪ Z)`` (Lauritzen et al. 1990)."""
    if x & y:
        return False
    adj = moral_graph(g, ancestors(g, x | y | z))
    return _separates(adj, x - z, y, z)


def is_valid_adjustment(g: nx.DiGraph, exposure: Iterable[str], outcome: Iterable[str], z: Iterable[str]) -> bool:
    """Whether ``z`` satisfies the generalized adjustment criterion (latent members make it invalid).

    Selected nodes are conditioned on and must be d-separated from Y (module docstring).
    """
    p = adjustment_problem(g, exposure, outcome)
    z = set(z)
    if p.selection_biased or z & (p.forbidden | latent_set(g) | p.exposure | p.outcome):
        return False
    return _d_separates(p.graph, set(p.exposure), set(p.outcome), z | p.conditioned)


def _why_forbidden(g: nx.DiGraph, node: str, pcp: set[str]) -> str:
    on_path = sorted(c for c in pcp if node == c or node in nx.descendants(g, c))
    via = on_path[0] if on_path else "?"
    if via == node:
        return f"{node} lies on a proper causal path from the exposure to the outcome (a mediator or the outcome side)"
    return f"{node} is a descendant of {via}, which lies on a proper causal path from the exposure to the outcome"


def check_adjustment_set(g: nx.DiGraph, exposure: Iterable[str], outcome: Iterable[str], z: Iterable[str],
                         *, max_paths: int = 5) -> SetValidity:
    """Validity of a given set with reasons: forbidden descendants, latent members, open biasing paths.

    Generalized adjustment criterion (Perković et al. 2018, Def. 3.3), checked as in
    van der Zander et al. (2019), Theorem 4.6.
    """
    x, y, z = set(exposure), set(outcome), frozenset(z)
    sel = set(selected_set(g)) - x - y
    pcp = proper_causal_nodes(g, x, y)
    forbidden = descendants(g, pcp)
    reasons: list[str] = []
    bad_forb = sorted(z & forbidden)
    for n in bad_forb:
        reasons.append(_why_forbidden(g, n, pcp))
    for n in sorted(z & latent_set(g)):
        reasons.append(f"{n} is latent (unobserved) and cannot be adjusted for")
    for n in sorted(z & (x | y)):
        reasons.append(f"{n} is an exposure or outcome and cannot be in the adjustment set")
    biased = selection_bias_path(g, x, y)
    if biased is not None:
        reasons.append(selection_reason(g, sel, biased))
    pbd = proper_backdoor_graph(g, x, y)
    open_paths: list[tuple[str, ...]] = []
    if not _d_separates(pbd, x, y, set(z - x - y) | sel):
        paths, _ = enumerate_paths(g, x, y, z | sel, max_results=2000)
        open_paths = [p.nodes for p in paths if p.open and not p.causal][:max_paths]
        if open_paths:
            for p in open_paths:
                reasons.append("biasing path stays open: " + _path_text(g, p))
        else:
            reasons.append("exposure and outcome stay d-connected through a biasing path "
                           "(too many paths to list the open one)")
    return SetValidity(nodes=z, valid=not reasons, reasons=tuple(reasons), open_paths=tuple(open_paths),
                       forbidden=tuple(bad_forb))


def selection_reason(g: nx.DiGraph, selected: Iterable[str], path: tuple[str, ...]) -> str:
    """Why selection makes every adjustment set invalid, naming the path from the outcome to S."""
    names = ", ".join(sorted(selected))
    via = f" (path {_path_text(g, path)})" if path else ""
    return (f"selection on {names} biases the effect: the outcome is d-connected to the selected node(s) other "
            f"than through the exposure's effect{via}, so no adjustment set removes the selection bias "
            "without data from outside the selected sample")


def _path_text(g: nx.DiGraph, path: tuple[str, ...]) -> str:
    out = [path[0]]
    for a, b in pairwise(path):
        out.append(("-> " if b in g._succ[a] else "<- ") + b)
    return " ".join(out)


# --- minimal separators ------------------------------------------------------------------------------------------

def _reduced_separation_graph(p: AdjustmentProblem) -> tuple[dict[str, set[str]], str, str] | None:
    """The undirected graph whose minimal a-b separators are the minimal adjustment sets minus ``I``.

    Minimal separators relative to ``I`` lie in ``An(X ∪ Y ∪ I)`` (van der Zander et al. 2019, Lemma 3.4), where
    d-separation is separation in the moral graph.  ``I`` is removed (it is in every set), X and Y are contracted
    to the terminals ``a`` and ``b``, and nodes that may not be chosen are eliminated by joining their neighbours,
    which keeps separation by allowed nodes unchanged.  ``None`` when the terminals end up adjacent.
    """
    fixed = p.included | p.conditioned
    an = ancestors(p.graph, p.exposure | p.outcome | fixed)
    adj = moral_graph(p.graph, an)
    a, b = ("\x00a", "\x00b")
    h: dict[str, set[str]] = {a: set(), b: set()}
    rename = {v: a for v in p.exposure} | {v: b for v in p.outcome}
    for v, ws in adj.items():
        if v in fixed:
            continue
        rv = rename.get(v, v)
        row = h.setdefault(rv, set())
        for w in ws:
            if w in fixed:
                continue
            rw = rename.get(w, w)
            if rw != rv:
                row.add(rw)
    if b in h[a]:
        return None
    # eliminate nodes that cannot be in a separator (latent, forbidden), smallest degree first
    blocked = [v for v in h if v not in (a, b) and v not in p.allowed]
    for v in sorted(blocked, key=lambda v: (len(h[v]), v)):
        ws = h.pop(v)
        for w in ws:
            h[w].discard(v)
            h[w] |= ws - {w}
        if b in h[a]:
            return None
    return h, a, b


def _component(h: Mapping[str, set[str]], start: str, removed: set[str]) -> set[str]:
    seen = {start}
    queue = deque([start])
    while queue:
        v = queue.popleft()
        for w in h[v]:
            if w not in seen and w not in removed:
                seen.add(w)
                queue.append(w)
    return seen


def _neighbourhood(h: Mapping[str, set[str]], nodes: set[str]) -> set[str]:
    out: set[str] = set()
    for v in nodes:
        out |= h[v]
    return out - nodes


def minimal_separators(h: Mapping[str, set[str]], a: str, b: str, *, max_results: int = 100
                       ) -> tuple[list[frozenset[str]], bool]:
    """All minimal a-b vertex separators of an undirected graph, capped; ``(seps, truncated)``.

    Close-separator generation of Berry, Bordat & Cogis (2000), as used for adjustment sets by Takata (2010)
    and van der Zander et al. (2019): start from the separator closest to ``a``; from each separator ``S``
    with ``a``'s full component ``C``, and each ``x ∈ S`` not adjacent to ``b``, the separator closest to
    ``C ∪ {x}`` is ``N(C_b)`` where ``C_b`` is ``b``'s component after removing ``N[C ∪ {x}]``.
    Each separator costs O(n·m) work, so the delay between outputs is polynomial.
    """
    if b in h[a]:
        return [], False

    def close_to(side: set[str]) -> frozenset[str]:
        nb = _neighbourhood(h, side)
        comp_b = _component(h, b, nb | side)
        return frozenset(_neighbourhood(h, comp_b))

    first = close_to({a})
    seen = {first}
    queue = deque([first])
    out: list[frozenset[str]] = []
    nb_b = h[b]
    while queue:
        s = queue.popleft()
        out.append(s)
        if len(out) > max_results:
            return out[:max_results], True
        comp_a = _component(h, a, set(s))
        for x in sorted(s):
            if x in nb_b:
                continue
            t = close_to(comp_a | {x})
            if t not in seen:
                seen.add(t)
                queue.append(t)
    return out, False


def _enumerate_minimal(p: AdjustmentProblem, max_results: int) -> tuple[list[frozenset[str]], bool]:
    if p.selection_biased or p.included - p.allowed:
        return [], False
    reduced = _reduced_separation_graph(p)
    if reduced is None:
        return [], False
    h, a, b = reduced
    seps, truncated = minimal_separators(h, a, b, max_results=max_results)
    return sorted((frozenset(s | p.included) for s in seps), key=lambda s: (len(s), sorted(s))), truncated


def minimal_adjustment_sets(g: nx.DiGraph, exposure: Iterable[str], outcome: Iterable[str],
                            included: Iterable[str] = (), *, max_results: int = 100
                            ) -> tuple[list[frozenset[str]], bool]:
    """All minimal sufficient adjustment sets for the total effect, ``I`` forced in, latent nodes out.

    Minimal separators in the moral ancestral graph of the proper back-door graph (Takata 2010;
    van der Zander, Liśkiewicz & Textor 2019, Algorithm ListMinSep).  Returns ``(sets, truncated)``:
    ``[]`` means no valid set exists, ``[frozenset()]`` that the empty set suffices.
    """
    return _enumerate_minimal(adjustment_problem(g, exposure, outcome, included), max_results)


def canonical_adjustment_set(g: nx.DiGraph, exposure: Iterable[str], outcome: Iterable[str],
                             included: Iterable[str] = ()) -> frozenset[str] | None:
    """``An(X ∪ Y ∪ I) ∩ R \\ (X ∪ Y ∪ Dpcp)`` when it is valid, else ``None``.

    A valid adjustment set (containing ``I``, without latent nodes) exists iff this one is valid
    (van der Zander, Liśkiewicz & Textor 2019, Theorem 4.8).
    """
    p = adjustment_problem(g, exposure, outcome, included)
    if p.selection_biased or p.included - p.allowed:
        return None
    z = set(ancestors(g, p.exposure | p.outcome | p.included | p.conditioned) & p.allowed)
    if _d_separates(p.graph, set(p.exposure), set(p.outcome), z | p.conditioned):
        return frozenset(z)
    return None


def optimal_adjustment_set(g: nx.DiGraph, exposure: Iterable[str], outcome: Iterable[str]
                           ) -> frozenset[str] | None:
    """The optimal set ``O = pa(cn(X, Y)) \\ forb(X, Y)`` when it is valid and fully observed.

    ``None`` also when X has no causal path to Y (``cn`` is empty, the total effect is null), and
    when the graph has selected nodes (the optimality theory assumes no selection).

    Henckel, Perković & Maathuis (2022), JRSS-B 84:579, Def. 3.12: among valid sets it gives the
    smallest asymptotic variance of the adjusted estimator (linear models).
    """
    x, y = set(exposure), set(outcome)
    cn = proper_causal_nodes(g, x, y)
    if not cn or selected_set(g) - x - y:
        return None
    forb = descendants(g, cn) | x
    o = {p for c in cn for p in g._pred[c]} - forb
    if o & latent_set(g):
        return None
    return frozenset(o) if is_valid_adjustment(g, x, y, o) else None


def node_cost(g: nx.DiGraph, node: str, costs: Mapping[str, float] | None = None) -> float:
    """Cost of measuring a node: the ``costs`` mapping, else node attr ``cost``, else 1; latent = ∞."""
    if not g.nodes[node].get("observed", True):
        return math.inf
    if costs is not None and node in costs:
        return float(costs[node])
    c = g.nodes[node].get("cost")
    return 1.0 if c is None else float(c)


def min_cost_adjustment_set(g: nx.DiGraph, exposure: Iterable[str], outcome: Iterable[str],
                            included: Iterable[str] = (), costs: Mapping[str, float] | None = None
                            ) -> MinCostSet | None:
    """A valid adjustment set of minimum total cost (``I`` forced in), or ``None`` when none exists.

    Minimum vertex cut between X and Y in the moral graph of ``An(X ∪ Y ∪ I)`` of the proper back-door graph,
    each node split into an in/out arc of capacity = its cost (van der Zander et al. 2019, §5.2; Acid & de
    Campos 1996), solved with ``networkx.minimum_cut``.  Latent, forbidden and infinite-cost nodes cannot be cut.
    """
    p = adjustment_problem(g, exposure, outcome, included)
    if p.selection_biased or p.included - p.allowed:
        return None
    reduced = _reduced_separation_graph(p)
    if reduced is None:
        return None
    h, a, b = reduced
    base = sum(node_cost(g, v, costs) for v in p.included)
    if math.isinf(base):
        return None
    flow = nx.DiGraph()
    for v, ws in h.items():
        if v in (a, b):
            continue
        c = node_cost(g, v, costs)
        if math.isinf(c):
            flow.add_edge((v, 0), (v, 1))
        else:
            flow.add_edge((v, 0), (v, 1), capacity=c)
    for v, ws in h.items():
        for w in ws:
            tail = (v, 1) if v not in (a, b) else v
            head = (w, 0) if w not in (a, b) else w
            flow.add_edge(tail, head)
    if a not in flow or b not in flow:
        return MinCostSet(frozenset(p.included), base)
    try:
        value, (side_a, _) = nx.minimum_cut(flow, a, b)
    except nx.NetworkXUnbounded:
        return None
    chosen = frozenset(v for v, _ in (n for n in flow if isinstance(n, tuple))
                       if (v, 0) in side_a and (v, 1) not in side_a)
    return MinCostSet(chosen | p.included, float(value) + base)


def direct_effect_sets(g: nx.DiGraph, exposure: str, outcome: str, *, included: Iterable[str] = (),
                       max_results: int = 100) -> tuple[list[frozenset[str]], bool] | None:
    """Minimal sets identifying the direct effect of the edge X → Y by the single-door criterion.

    Pearl (2009), Theorem 5.3.1: ``Z`` contains no descendant of Y and d-separates X and Y in the graph
    without the edge X → Y.  ``included`` (the adjusted nodes) is forced into every set, as for the
    total effect; ``[]`` when no such set exists.  ``None`` when there is no edge X → Y.
    """
    if not g.has_edge(exposure, outcome):
        return None
    h = g.copy()
    h.remove_edge(exposure, outcome)
    forbidden = frozenset(descendants(g, {outcome}))
    allowed = frozenset(g) - latent_set(g) - forbidden - {exposure, outcome}
    p = AdjustmentProblem(h, frozenset({exposure}), frozenset({outcome}), frozenset(included), allowed, forbidden)
    return _enumerate_minimal(p, max_results)


def check_direct_set(g: nx.DiGraph, exposure: str, outcome: str, z: Iterable[str], *, max_paths: int = 5
                     ) -> SetValidity:
    """Whether ``z`` identifies the direct effect of X → Y by the single-door criterion, with reasons.

    Pearl (2009), Theorem 5.3.1 (see :func:`direct_effect_sets`): no member descends from Y, no member is
    latent, and ``z`` blocks every path between X and Y other than the edge X → Y.
    """
    z = frozenset(z)
    reasons: list[str] = []
    if not g.has_edge(exposure, outcome):
        reasons.append(f"there is no edge {exposure} -> {outcome}: the hypothesis implies no direct effect to "
                       "identify")
        return SetValidity(nodes=z, valid=False, reasons=tuple(reasons))
    de_y = descendants(g, {outcome})
    bad = sorted(z & de_y - {outcome})
    for n in bad:
        reasons.append(f"{n} is a descendant of the outcome {outcome} and cannot be adjusted for")
    for n in sorted(z & latent_set(g)):
        reasons.append(f"{n} is latent (unobserved) and cannot be adjusted for")
    for n in sorted(z & {exposure, outcome}):
        reasons.append(f"{n} is the exposure or outcome and cannot be in the adjustment set")
    h = g.copy()
    h.remove_edge(exposure, outcome)
    open_paths: list[tuple[str, ...]] = []
    rest = set(z) - {exposure, outcome}
    if not _d_separates(h, {exposure}, {outcome}, rest):
        paths, _ = enumerate_paths(h, {exposure}, {outcome}, rest, max_results=2000)
        open_paths = [p.nodes for p in paths if p.open][:max_paths]
        for p in open_paths:
            reasons.append("path stays open besides the direct edge: " + _path_text(h, p))
        if not open_paths:
            reasons.append("exposure and outcome stay d-connected besides the direct edge "
                           "(too many paths to list the open one)")
    return SetValidity(nodes=z, valid=not reasons, reasons=tuple(reasons), open_paths=tuple(open_paths),
                       forbidden=tuple(bad))
