"""Mediators of the total effect and the causal paths they sit on.

A node M (other than X and Y) is a mediator of the effect of X on Y iff it lies
on a directed path X → … → M → … → Y, i.e. iff it is a descendant of X and an
ancestor of Y along paths that avoid the exposure and outcome sets (Pearl 2001,
"Direct and indirect effects"; VanderWeele 2015, *Explanation in Causal
Inference*, ch. 2).  Membership is decided in linear time with two graph
searches; the causal paths through each mediator are enumerated only up to a cap.
Latent nodes on causal paths are mediators too (node attribute ``observed`` says
whether one can be measured); the latent node of a ``confounded`` edge never is,
as nothing causes it.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from .result import Mediator
from .separation import directed_reach

__all__ = ["causal_paths", "find_mediators", "mediator_nodes"]


def mediator_nodes(g: nx.DiGraph, exposure: Iterable[str], outcome: Iterable[str]) -> set[str]:
    """Nodes strictly inside some directed path from X to Y that does not pass through X or Y again.

    ``De(X) ∩ An(Y)`` computed by a forward search from X that never re-enters X ∪ Y and a
    backward search from Y that never enters X ∪ Y: O(nodes + edges).
    """
    x, y = set(exposure), set(outcome)
    ends = x | y
    down = directed_reach(g._succ, x, avoid=ends)
    up = directed_reach(g._pred, y, avoid=ends)
    return down & up


def causal_paths(g: nx.DiGraph, exposure: Iterable[str], outcome: Iterable[str], *,
                 max_paths: int = 100) -> tuple[list[tuple[str, ...]], bool]:
    """Directed paths from a node of X to a node of Y with no other X or Y node on them, capped.

    Depth-first search that only steps onto mediator nodes (or a final Y node), so every
    branch explored ends in a path: the work is proportional to the paths listed.
    Returns ``(paths, truncated)``; paths are ordered by the sorted order of successors.
    """
    x, y = set(exposure), set(outcome)
    inner = mediator_nodes(g, x, y)
    paths: list[tuple[str, ...]] = []
    truncated = False
    for start in sorted(x):
        stack: list[tuple[str, ...]] = [(start,)]
        while stack:
            path = stack.pop()
            for nxt in sorted(g._succ[path[-1]], reverse=True):
                if nxt in y:
                    if len(paths) >= max_paths:
                        return paths, True
                    paths.append(path + (nxt,))
                elif nxt in inner and nxt not in path:
                    stack.append(path + (nxt,))
    return paths, truncated


def find_mediators(g: nx.DiGraph, exposure: Iterable[str], outcome: Iterable[str], *,
                   max_paths: int = 100) -> tuple[list[Mediator], bool]:
    """Every mediator of X → Y with the causal paths through it (at most ``max_paths`` paths in all).

    The list of mediators is always complete; only the paths attached to them are capped.
    ``truncated`` is True when more causal paths exist than were listed (then a mediator's
    ``paths`` may be incomplete or empty).
    """
    x, y = set(exposure), set(outcome)
    nodes = mediator_nodes(g, x, y)
    paths, truncated = causal_paths(g, x, y, max_paths=max_paths)
    order = {n: i for i, n in enumerate(nx.lexicographical_topological_sort(g))} if nx.is_directed_acyclic_graph(g) \
        else {n: 0 for n in g}
    out = []
    for m in sorted(nodes, key=lambda n: (order[n], n)):
        out.append(Mediator(node=m, paths=tuple(p for p in paths if m in p[1:-1])))
    return out, truncated
