"""d-separation and the graphs the adjustment algorithms work on.

All functions take the hypothesis graph (an ``nx.DiGraph`` whose latent nodes
carry ``observed=False``) and sets of node ids.  Latent nodes are never
conditioned on: :func:`d_separated` refuses a conditioning set containing one.

References: Pearl (2009) *Causality* §1.2.3 (d-separation); Lauritzen et al.
(1990) (the moral ancestral graph); van der Zander, Liśkiewicz & Textor (2019)
"Separators and adjustment sets in causal graphs", *Artif. Intell.* 270:1-40
(proper causal paths, the proper back-door graph).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import networkx as nx

__all__ = [
    "ancestors",
    "d_separated",
    "descendants",
    "directed_reach",
    "forbidden_nodes",
    "is_latent",
    "latent_set",
    "minimal_d_separator",
    "moral_ancestral_graph",
    "moral_graph",
    "proper_backdoor_graph",
    "proper_causal_nodes",
    "selected_set",
]


def is_latent(g: nx.DiGraph, node: str) -> bool:
    """True for an unobserved node (``observed=False``)."""
    return not g.nodes[node].get("observed", True)


def latent_set(g: nx.DiGraph) -> frozenset[str]:
    """All unobserved nodes of ``g``."""
    return frozenset(n for n, d in g.nodes(data=True) if not d.get("observed", True))


def selected_set(g: nx.DiGraph) -> frozenset[str]:
    """The selected nodes S: node attribute ``selected`` or the graph's ``selected`` role.

    A selected node is conditioned on by the study design (DAGitty's ``[selected]``, e.g.
    recruitment through a clinic): every analysis conditions on S, always.
    """
    listed = {n for n in g.graph.get("selected", ()) if n in g}
    return frozenset(listed | {n for n, d in g.nodes(data=True) if d.get("selected")})


def directed_reach(adjacency: Mapping[str, Iterable[str]], sources: Iterable[str], *,
                   avoid: Iterable[str] = ()) -> set[str]:
    """Nodes reached from ``sources`` in one or more steps along ``adjacency`` without entering ``avoid``.

    ``g._succ`` walks forward (descendants), ``g._pred`` backward (ancestors); a
    depth-first search, O(nodes + edges).  The sources themselves count only when
    reached again from another source.
    """
    blocked = set(avoid)
    seen: set[str] = set()
    stack = [w for v in sources for w in adjacency[v] if w not in blocked]
    while stack:
        v = stack.pop()
        if v not in seen:
            seen.add(v)
            stack.extend(w for w in adjacency[v] if w not in blocked and w not in seen)
    return seen


def ancestors(g: nx.DiGraph, nodes: Iterable[str]) -> set[str]:
    """The nodes themselves and every node with a directed path into one of them."""
    nodes = set(nodes)
    return nodes | directed_reach(g._pred, nodes)


def descendants(g: nx.DiGraph, nodes: Iterable[str]) -> set[str]:
    """The nodes themselves and every node reachable from them by a directed path."""
    nodes = set(nodes)
    return nodes | directed_reach(g._succ, nodes)


def d_separated(g: nx.DiGraph, x: Iterable[str], y: Iterable[str], z: Iterable[str] = ()) -> bool:
    """Whether ``z`` d-separates ``x`` from ``y`` (Pearl 2009, §1.2.3), via ``nx.is_d_separator``.

    Raises ``ValueError`` when ``z`` contains a latent node: it cannot be conditioned on.
    """
    z = set(z)
    hidden = sorted(n for n in z if is_latent(g, n))
    if hidden:
        raise ValueError(f"cannot condition on latent node(s): {', '.join(hidden)}")
    return nx.is_d_separator(g, set(x), set(y), z)


def minimal_d_separator(g: nx.DiGraph, x: Iterable[str], y: Iterable[str], *, included: Iterable[str] = (),
                        restricted: Iterable[str] | None = None) -> frozenset[str] | None:
    """One minimal d-separator of X and Y among observed nodes (⊇ ``included``), or ``None`` if none exists.

    van der Zander & Liśkiewicz (2020), via ``nx.find_minimal_d_separator``; latent nodes are never chosen.
    """
    x, y = set(x), set(y)
    allowed = set(g) - latent_set(g) - x - y if restricted is None else set(restricted) - latent_set(g)
    inc = set(included)
    z = nx.find_minimal_d_separator(g, x, y, included=inc, restricted=allowed | inc)
    return None if z is None else frozenset(z)


def moral_graph(g: nx.DiGraph, nodes: Iterable[str] | None = None) -> dict[str, set[str]]:
    """Adjacency sets of the moral graph of ``g`` (restricted to ``nodes``): skeleton plus married parents."""
    keep = set(g) if nodes is None else set(nodes)
    adj: dict[str, set[str]] = {n: set() for n in keep}
    pred = g._pred
    for v in keep:
        parents = [p for p in pred[v] if p in keep]
        for p in parents:
            adj[v].add(p)
            adj[p].add(v)
        for i, p in enumerate(parents):
            for q in parents[i + 1:]:
                adj[p].add(q)
                adj[q].add(p)
    return adj


def moral_ancestral_graph(g: nx.DiGraph, nodes: Iterable[str]) -> dict[str, set[str]]:
    """The moral graph of the subgraph induced by ``An(nodes)`` (Lauritzen et al. 1990).

    ``Z`` d-separates ``X`` and ``Y`` iff it separates them here, for ``nodes = X ∪ Y ∪ Z``.
    """
    return moral_graph(g, ancestors(g, nodes))


def proper_causal_nodes(g: nx.DiGraph, x: Iterable[str], y: Iterable[str]) -> set[str]:
    """PCP(X, Y): nodes other than X on proper causal paths from X to Y.

    ``(De_{G with edges into X removed}(X) \\ X) ∩ An_{G with edges out of X removed}(Y)``
    (van der Zander, Liśkiewicz & Textor 2019, Def. 4.1 and Lemma 4.2).
    """
    x = set(x)
    down = directed_reach(g._succ, x, avoid=x)  # descendants of X along paths that never re-enter X
    ends = set(y) - x
    up = ends | directed_reach(g._pred, ends, avoid=x)  # ancestors of Y along paths that avoid X
    return down & up


def forbidden_nodes(g: nx.DiGraph, x: Iterable[str], y: Iterable[str]) -> set[str]:
    """Dpcp(X, Y) = De(PCP(X, Y)): nodes no adjustment set may contain (Perković et al. 2018, forb)."""
    return descendants(g, proper_causal_nodes(g, x, y))


def proper_backdoor_graph(g: nx.DiGraph, x: Iterable[str], y: Iterable[str]) -> nx.DiGraph:
    """G^pbd_XY: ``g`` without the first edge of every proper causal path from X to Y.

    Removes every edge ``X → W`` with ``W ∈ PCP(X, Y)`` (van der Zander et al. 2019, Def. 4.4).
    """
    x = set(x)
    pcp = proper_causal_nodes(g, x, y)
    h = g.copy()
    h.remove_edges_from([(a, w) for a in x for w in g._succ[a] if w in pcp])
    return h
