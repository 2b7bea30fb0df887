"""Conditional instrumental variables, each with a conditioning set, in polynomial time.

van der Zander, Textor & Liśkiewicz (2015), "Efficiently finding conditional
instruments for causal inference", *IJCAI*, 3243-3249; for total effects with
the forbidden set of proper causal paths as in Henckel, Langer & Maathuis
(2024), "Graphical tools for selecting conditional instrumental sets",
*Biometrika* 111(3):771-788.

Definition (Z a single observed node, X → Y a single exposure and outcome).
Let ``cn`` be the nodes other than X on proper causal paths from X to Y,
``forb = De(cn ∪ {Y}) ∪ {X}`` and ``G'`` the graph without the edges ``X → c``,
``c ∈ cn`` (the first edges of the causal paths).  Z is a *conditional
instrument* given W (observed, ``W ∩ (forb ∪ {Z}) = ∅``, and ``W ⊆ An(X ∪ Y ∪ Z)``:
no conditioning on a pure descendant, such as a collider that would manufacture
the Z–X association) iff

1. ``Z ⫫̸ X | W`` in G (relevance) and
2. ``Z ⫫ Y | W`` in G' (exclusion and independence).

For each Z, the *nearest separator* of Y and Z in G' (closest to Y, built in
the moral graph of ``An_{G'}(Y, Z)``) separates Y from Z whenever any allowed W
does, and if any allowed separator d-connects Z to X, so does the nearest one
(van der Zander et al. 2015, Lemma 3.9 and Thm. 3.10).  So each Z is decided by
two linear-time graph searches: the search is complete, with no subset
enumeration.  The conditioning set reported is the empty set when it works,
otherwise the nearest separator shrunk greedily (nodes are dropped while both
conditions hold), within a budget of ``MAX_SHRINK_STEPS`` removal attempts per
call so that large graphs stay fast; past the budget the nearest separator is
reported as found (still valid, possibly larger than needed).
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from .result import Instrument
from .separation import ancestors, descendants, proper_causal_nodes, selected_set

__all__ = ["conditional_instruments", "is_conditional_instrument", "reachable"]

#: Removal attempts (two graph searches each) spent shrinking conditioning sets, per call, so large graphs stay fast.
MAX_SHRINK_STEPS = 32

Edge = tuple[str, str]


def reachable(g: nx.DiGraph, sources: Iterable[str], given: Iterable[str] = (),
              removed: frozenset[Edge] | set[Edge] = frozenset()) -> set[str]:
    """Nodes d-connected to ``sources`` given ``given`` (not in ``given``), ignoring the ``removed`` edges.

    The Bayes-ball search (Shachter 1998; Koller & Friedman 2009, Alg. 3.1): O(nodes + edges).
    """
    z = set(given)
    succ, pred = g._succ, g._pred
    anc = _ancestors_without(g, z, removed)  # colliders in An(Z) are open
    out: set[str] = set()
    seen: set[tuple[str, bool]] = set()
    todo = [(s, True) for s in sources]  # (node, arrived from a child ("up"))
    while todo:
        v, up = todo.pop()
        if (v, up) in seen:
            continue
        seen.add((v, up))
        if v not in z:
            out.add(v)
        if up:
            if v in z:
                continue
            todo.extend((p, True) for p in pred[v] if (p, v) not in removed)
            todo.extend((c, False) for c in succ[v] if (v, c) not in removed)
        else:
            if v not in z:
                todo.extend((c, False) for c in succ[v] if (v, c) not in removed)
            if v in anc:
                todo.extend((p, True) for p in pred[v] if (p, v) not in removed)
    return out


def _ancestors_without(g: nx.DiGraph, nodes: Iterable[str], removed: frozenset[Edge] | set[Edge]) -> set[str]:
    seen = set(nodes)
    stack = list(seen)
    pred = g._pred
    while stack:
        v = stack.pop()
        for p in pred[v]:
            if p not in seen and (p, v) not in removed:
                seen.add(p)
                stack.append(p)
    return seen


def _nearest_separator(g: nx.DiGraph, y: str, z: str, allowed: set[str], removed: frozenset[Edge],
                       anc_y: set[str], fixed: frozenset[str] = frozenset()) -> set[str] | None:
    """The separator of ``y`` and ``z`` in ``g`` minus ``removed`` that lies nearest to ``y``, or None.

    In the moral graph of ``A = An(y, z)`` take every allowed node of A as a wall, search from
    ``y`` without crossing walls, and keep the walls reached (van der Zander et al. 2015, Alg. 1).
    ``fixed`` nodes (the selected ones, already in ``anc_y``) are always conditioned on: walls never reported.
    """
    area = anc_y | _ancestors_without(g, (z,), removed)
    if z in fixed:
        return None
    walls = ((allowed & area) | fixed) - {y, z}
    succ, pred = g._succ, g._pred

    def parents(v: str) -> list[str]:
        return [p for p in pred[v] if (p, v) not in removed]

    seen = {y}
    stack = [y]
    while stack:
        v = stack.pop()
        if v in walls:
            continue
        nbrs = parents(v)
        for c in succ[v]:
            if c in area and (v, c) not in removed:
                nbrs.append(c)
                nbrs.extend(parents(c))  # married co-parents of a common child inside A
        for n in nbrs:
            if n not in seen:
                if n == z:
                    return None
                seen.add(n)
                stack.append(n)
    return (seen & walls) - fixed


def _setting(g: nx.DiGraph, x: str, y: str) -> tuple[set[str], frozenset[Edge]]:
    """The nodes a conditioning set may use, and the first edges of the proper causal paths.

    Selected nodes are never in a conditioning set nor instruments: they are conditioned on always.
    """
    cn = proper_causal_nodes(g, {x}, {y})
    forbidden = descendants(g, cn | {y}) | {x}
    allowed = {n for n, d in g.nodes(data=True) if d.get("observed", True)} - forbidden - selected_set(g)
    removed = frozenset((x, c) for c in g._succ[x] if c in cn)
    return allowed, removed


def is_conditional_instrument(g: nx.DiGraph, x: str, y: str, z: str, given: Iterable[str]) -> bool:
    """Whether ``z`` is a conditional instrument for ``x → y`` given ``given`` (the definition above).

    Selected nodes S are added to ``given`` (DAGitty's ``[selected]``): the conditions hold given W ∪ S.
    """
    allowed, removed = _setting(g, x, y)
    sel = selected_set(g) - {x, y}
    w = set(given)
    if z not in allowed or not w <= allowed or z in w or not w <= ancestors(g, (x, y, z, *sel)):
        return False
    return x in reachable(g, (z,), w | sel) and y not in reachable(g, (z,), w | sel, removed)


def conditional_instruments(g: nx.DiGraph, x: str, y: str, *,
                            max_results: int = 100) -> tuple[list[Instrument], bool]:
    """Every observed node that is a conditional instrument for ``x → y``, each with a conditioning set.

    Returns ``(instruments, truncated)`` in sorted node order, at most ``max_results`` of them.
    """
    allowed, removed = _setting(g, x, y)
    sel = frozenset(selected_set(g) - {x, y})
    anc_y = _ancestors_without(g, (y, *sel), removed)
    # d-connection given the selected nodes is symmetric: two searches decide the empty set for every Z
    near_x = reachable(g, (x,), sel)
    near_y = reachable(g, (y,), sel, removed)
    found: list[Instrument] = []
    budget = MAX_SHRINK_STEPS
    for z in sorted(allowed):
        if z == y:
            continue
        if z in near_x and z not in near_y:
            w: set[str] | None = set()
        else:
            w = _nearest_separator(g, y, z, allowed - {z}, removed, anc_y, sel)
            if w is None or x not in reachable(g, (z,), w | sel):
                continue
            for node in sorted(w):  # drop what is not needed, keeping both conditions
                if budget <= 0:
                    break
                budget -= 1
                smaller = w - {node}
                if y not in reachable(g, (z,), smaller | sel, removed) and x in reachable(g, (z,), smaller | sel):
                    w = smaller
        assert w is not None  # both branches above leave a set
        if len(found) >= max_results:
            return found, True
        found.append(Instrument(instrument=z, given=frozenset(w)))
    return found, False
