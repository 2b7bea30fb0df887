"""Paths between exposure and outcome: causal or biasing, open or blocked.

This is the data behind DAGitty's green (causal) and red (biasing) colouring.
A path is *open* given ``Z`` when every non-collider on it is outside ``Z`` and
every collider is in ``Z`` or has a descendant in ``Z`` (Pearl 2009, Def. 1.2.3).
A path is *causal* when every edge points away from the exposure toward the outcome.

Enumeration is a depth-first search over the skeleton, capped by ``max_results``
and by a budget of search steps, so a dense 100-node graph never hangs.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from .result import PathInfo
from .separation import ancestors

__all__ = ["STEP_BUDGET", "classify_path", "enumerate_paths"]

#: Maximum number of search steps before the listing is declared truncated.
STEP_BUDGET = 200_000


def classify_path(g: nx.DiGraph, path: tuple[str, ...], adjusted: Iterable[str],
                  an_adjusted: set[str] | None = None) -> PathInfo:
    """Classify one path as causal/biasing and open/blocked given ``adjusted`` (Pearl 2009, Def. 1.2.3).

    ``an_adjusted`` may pass the precomputed ``An(adjusted)``: a collider is open iff it is in that set.
    """
    z = set(adjusted)
    if an_adjusted is None:
        an_adjusted = ancestors(g, z)
    succ = g._succ
    causal = all(path[i + 1] in succ[path[i]] for i in range(len(path) - 1))
    is_open = True
    for i in range(1, len(path) - 1):
        v = path[i]
        collider = v in succ[path[i - 1]] and v in succ[path[i + 1]]
        if collider:
            if v not in an_adjusted:
                is_open = False
                break
        elif v in z:
            is_open = False
            break
    return PathInfo(nodes=tuple(path), causal=causal, open=is_open)


def enumerate_paths(g: nx.DiGraph, exposure: Iterable[str], outcome: Iterable[str], adjusted: Iterable[str] = (),
                    *, max_results: int = 100) -> tuple[list[PathInfo], bool]:
    """All simple skeleton paths from a node of X to a node of Y passing through no other X or Y node.

    Returns ``(paths, truncated)``: the causal paths first (a capped listing must
    still show what a reader looks for first), then the biasing ones, each group
    sorted by length, then by node ids.  ``truncated`` is true when the cap or
    the step budget stopped the search.
    """
    xs, ys = set(exposure), set(outcome)
    z = set(adjusted)
    an_z = ancestors(g, z)
    causal, causal_cut = _causal_paths(g, xs, ys, max_results + 1)
    listed = _all_paths(g, xs, ys, max_results + 1)
    found, cut = listed
    seen = set(causal)
    ordered = causal + sorted((p for p in found if p not in seen), key=lambda p: (len(p), p))
    truncated = causal_cut or cut or len(ordered) > max_results
    return [classify_path(g, p, z, an_z) for p in ordered[:max_results]], truncated


def _causal_paths(g: nx.DiGraph, xs: set[str], ys: set[str], cap: int) -> tuple[list[tuple[str, ...]], bool]:
    """Directed paths X → … → Y through no other X or Y node, shortest first; at most ``cap``.

    Only descendants of X that are ancestors of Y can lie on such a path, so the
    search never leaves that set (linear-time pruning).
    """
    ends = xs | ys
    relevant = set().union(*(nx.descendants(g, x) for x in xs)) if xs else set()
    relevant &= ancestors(g, ys) if ys else set()
    relevant -= ends
    found: list[tuple[str, ...]] = []
    budget = STEP_BUDGET
    for x in sorted(xs):
        stack: list[tuple[str, ...]] = [(x,)]
        while stack:
            budget -= 1
            if budget <= 0 or len(found) >= cap:
                return sorted(found, key=lambda p: (len(p), p)), True
            path = stack.pop()
            for w in sorted(g._succ[path[-1]], reverse=True):
                if w in ys:
                    found.append((*path, w))
                elif w in relevant and w not in path:
                    stack.append((*path, w))
    return sorted(found, key=lambda p: (len(p), p)), False


def _all_paths(g: nx.DiGraph, xs: set[str], ys: set[str], cap: int) -> tuple[list[tuple[str, ...]], bool]:
    """All skeleton paths by iterative deepening (shortest first), at most ``cap`` (then truncated)."""
    ends = xs | ys
    nbrs: dict[str, list[str]] = {v: sorted(set(g._succ[v]) | set(g._pred[v])) for v in g}
    # Inner nodes must reach Y without touching X ∪ Y; ``dist`` (edges to the nearest Y node) prunes the search.
    dist: dict[str, int] = {v: 0 for v in ys}
    frontier = sorted(ys)
    while frontier:
        nxt = []
        for v in frontier:
            for w in nbrs[v]:
                if w not in ends and w not in dist:
                    dist[w] = dist[v] + 1
                    nxt.append(w)
        frontier = nxt
    reach_y = {v for v in dist if v not in ys}
    found: list[tuple[str, ...]] = []
    budget = [STEP_BUDGET]
    # Iterative deepening on the number of edges: all paths of length L before any of length L + 1,
    # so a cut listing keeps the shortest paths.
    for length in range(1, len(reach_y) + 2):
        more, longer_exist = _paths_of_length(nbrs, sorted(xs), ys, dist, length, budget)
        found += more
        if len(found) >= cap or budget[0] <= 0:
            return found, True
        if not longer_exist:
            break
    return found, False


def _paths_of_length(nbrs: dict[str, list[str]], starts: list[str], ys: set[str], dist: dict[str, int],
                     length: int, budget: list[int]) -> tuple[list[tuple[str, ...]], bool]:
    """Paths with exactly ``length`` edges, and whether a longer one may exist.

    ``dist`` maps each usable inner node (and each Y node, at 0) to its skeleton distance from Y:
    a branch that cannot reach Y within the remaining edges is skipped (and flags longer paths).
    """
    out: list[tuple[str, ...]] = []
    longer = False
    for x in starts:
        path = [x]
        on_path = {x}
        iters = [iter(nbrs[x])]
        while iters:
            budget[0] -= 1
            if budget[0] <= 0:
                return out, True
            w = next(iters[-1], None)
            if w is None:
                iters.pop()
                on_path.discard(path.pop())
                continue
            if w in on_path:
                continue
            if w in ys:
                if len(path) == length:
                    out.append((*path, w))
                continue
            d = dist.get(w)
            if d is None:
                continue
            if d > length - len(path):
                longer = True
                continue
            path.append(w)
            on_path.add(w)
            iters.append(iter(nbrs[w]))
    return out, longer
