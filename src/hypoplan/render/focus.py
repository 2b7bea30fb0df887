"""The focused diagram: the few nodes a reader of the study needs, readable at page width.

Kept, in this order, up to :data:`MAX_NODES`: the exposure and the outcome, the mediators on the directed
paths between them (in causal order), adjustment nodes that the rival also draws differently, the first
:data:`RIVAL_SLOTS` nodes whose causes or effects the rival draws differently, the rest of the chosen
adjustment set, then the rest of the rival's differing nodes.  Edges among kept nodes are drawn as they are; where a directed path runs
only through nodes left out, a dotted "via N" edge stands for it (N = the fewest nodes left out on such a
path), so the focused view never suggests that two kept nodes are unconnected when the full graph joins them.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["MAX_NODES", "focus_graph", "focus_nodes", "rival_differences"]

#: Nodes in a focused diagram: about what a 1280 px page shows legibly in one row or two.
MAX_NODES = 10
#: Places kept for the rival's differing nodes before the rest of the adjustment set.
RIVAL_SLOTS = 2


def _drawn(g: nx.DiGraph) -> list[str]:
    return [n for n in g if not g.nodes[n].get("implicit")]


def _on_paths(g: nx.DiGraph, exposure: Sequence[str], outcome: Sequence[str]) -> list[str]:
    """Nodes on directed exposure → outcome paths, in topological order (exposure and outcome excluded)."""
    import networkx as nx

    down = set().union(*(nx.descendants(g, x) for x in exposure if x in g)) if exposure else set()
    up = set().union(*(nx.ancestors(g, y) for y in outcome if y in g)) if outcome else set()
    members = (down & up) - set(exposure) - set(outcome)
    members = {n for n in members if not g.nodes[n].get("implicit")}
    index = {n: i for i, n in enumerate(g)}  # ties broken by file order: the same drawing on every run
    try:
        return list(nx.lexicographical_topological_sort(g.subgraph(members), key=index.__getitem__))
    except nx.NetworkXUnfeasible:
        return sorted(members, key=index.__getitem__)


def _edges_of(g: nx.DiGraph, n: str) -> tuple[frozenset[tuple[str, str]], frozenset[tuple[str, str]]]:
    ins = frozenset((u, str(d.get("sign", "unknown"))) for u, _, d in g.in_edges(n, data=True) if not d.get("implicit"))
    outs = frozenset((v, str(d.get("sign", "unknown"))) for _, v, d in g.out_edges(n, data=True) if not d.get("implicit"))
    return ins, outs


def rival_differences(g: nx.DiGraph, rival: nx.DiGraph) -> list[str]:
    """Nodes of ``g`` that the rival also has but joins differently (other causes, effects or signs), sorted."""
    return sorted(n for n in _drawn(g) if n in rival and not rival.nodes[n].get("implicit")
                  and _edges_of(g, n) != _edges_of(rival, n))


def focus_nodes(g: nx.DiGraph, *, adjustment: Iterable[str] = (), rival_nodes: Iterable[str] = (),
                limit: int = MAX_NODES) -> tuple[list[str], int]:
    """The kept nodes in priority order, and how many drawable nodes were left out."""
    exposure = [x for x in g.graph.get("exposure", ()) if x in g]
    outcome = [y for y in g.graph.get("outcome", ()) if y in g]
    adjustment, rival_nodes = sorted(adjustment), list(rival_nodes)
    both = [n for n in adjustment if n in rival_nodes]
    ranked = [*exposure, *outcome, *_on_paths(g, exposure, outcome), *both, *rival_nodes[:RIVAL_SLOTS],
              *adjustment, *rival_nodes]
    kept: list[str] = []
    for n in ranked:
        if n in g and not g.nodes[n].get("implicit") and n not in kept and len(kept) < limit:
            kept.append(n)
    return kept, len(_drawn(g)) - len(kept)


def focus_graph(g: nx.DiGraph, nodes: Sequence[str], *, left_out: int = 0,
                rival_nodes: Iterable[str] = ()) -> nx.DiGraph:
    """The subgraph on ``nodes`` (with latent confounders between kept pairs), plus "via N" edges for directed
    paths that run only through nodes left out.  The kept ``rival_nodes`` (see :func:`rival_differences`) are
    recorded as the graph's ``rival`` attribute, which the renderers draw as their own role."""
    import networkx as nx

    keep = set(nodes)
    h = nx.DiGraph()
    h.graph.update(g.graph)
    name = str(g.graph.get("id") or "hypothesis")
    h.graph["title"] = f"{name}: focused view, {len(keep)} nodes" + (
        f" ({left_out} more in the full diagram)" if left_out else "")
    for key in ("exposure", "outcome", "adjusted", "selected"):
        h.graph[key] = tuple(n for n in g.graph.get(key, ()) if n in keep)
    h.graph["rival"] = tuple(n for n in nodes if n in set(rival_nodes))
    h.add_nodes_from((n, g.nodes[n]) for n in nodes)
    for u, v, d in g.edges(data=True):
        if u in keep and v in keep:
            h.add_edge(u, v, **d)
    for n, d in g.nodes(data=True):  # a latent confounder U(a, b) drawn as a <-> b when both are kept
        if d.get("implicit") and set(d.get("confounds", ())) <= keep:
            h.add_node(n, **d)
            for _, v, ed in g.out_edges(n, data=True):
                h.add_edge(n, v, **ed)
    for u in nodes:
        for v, hidden in _via(g, u, keep).items():
            if not h.has_edge(u, v):
                h.add_edge(u, v, via=hidden, sign="unknown", confidence="speculative")
    return h


def _via(g: nx.DiGraph, source: str, keep: set[str]) -> dict[str, int]:
    """Kept nodes reachable from ``source`` along directed paths whose inner nodes are all left out, with the
    fewest inner nodes on such a path (breadth-first over the left-out nodes)."""
    found: dict[str, int] = {}
    seen = {source}
    queue: deque[tuple[str, int]] = deque([(source, 0)])
    while queue:
        node, depth = queue.popleft()
        for _, nxt, d in g.out_edges(node, data=True):
            if d.get("implicit") or g.nodes[nxt].get("implicit") or nxt in seen:
                continue
            seen.add(nxt)
            if nxt in keep:
                if depth > 0:
                    found.setdefault(nxt, depth)
                continue
            queue.append((nxt, depth + 1))
    return found
