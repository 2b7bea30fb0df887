"""The one place a hypothesis becomes a networkx graph.

:func:`build_graph` turns a (resolved) :class:`~hypoplan.schema.Hypothesis`
into an ``nx.DiGraph`` over its nodes.  A ``confounded`` edge ``A <-> B`` is
represented explicitly as a latent node ``U(A,B)`` with edges into ``A`` and
``B``, so every algorithm downstream works on one kind of graph: a directed
graph whose unobserved nodes carry ``observed=False``.

Node attributes: ``label``, ``kind``, ``observed``, ``selected``, ``level``, ``constructs``,
``measure``, ``cost``, ``notes``, ``implicit`` (true for the latent node of a
confounded edge) and ``confounds`` (the pair it joins).  Edge attributes:
``sign``, ``confidence``, ``mechanism``, ``evidence`` (a tuple of
:class:`~hypoplan.schema.Evidence`) and ``implicit``.  Graph attributes:
``id``, ``title``, ``exposure``, ``outcome``, ``adjusted``, ``selected``
(tuples of node ids).
"""

from __future__ import annotations

import networkx as nx

from .schema import EdgeType, Hypothesis, NodeKind, Sign

__all__ = [
    "bidirected_pairs",
    "build_graph",
    "confounder_id",
    "find_causal_cycle",
    "is_implicit",
    "latent_nodes",
    "observed_nodes",
    "roles",
    "selected_ids",
]


def selected_ids(hypothesis: Hypothesis) -> tuple[str, ...]:
    """The selected nodes: ``focus.selected`` then every node marked ``selected: true`` (one representation)."""
    out = list(dict.fromkeys(hypothesis.focus.selected))
    out += [n.id for n in hypothesis.nodes if n.selected and n.id not in out]
    return tuple(out)


def confounder_id(a: str, b: str) -> str:
    """Id of the latent node standing for ``a <-> b`` (order-independent)."""
    x, y = sorted((a, b))
    return f"U({x},{y})"


def build_graph(hypothesis: Hypothesis) -> nx.DiGraph:
    """The causal graph of a hypothesis whose ``extends`` are already resolved.

    Edges naming unknown nodes are added with bare nodes (``check`` reports
    them); the result is not guaranteed to be acyclic (``check`` reports cycles).
    """
    g = nx.DiGraph()
    focus = hypothesis.focus
    g.graph.update(
        id=hypothesis.id,
        title=hypothesis.title,
        exposure=tuple(focus.exposure),
        outcome=tuple(focus.outcome),
        adjusted=tuple(focus.adjusted),
        selected=selected_ids(hypothesis),
    )
    for node in hypothesis.nodes:
        g.add_node(
            node.id,
            label=node.display,
            kind=node.kind.value,
            observed=node.observed,
            selected=node.id in g.graph["selected"],
            level=node.level.value if node.level else None,
            constructs=tuple(node.constructs),
            measure=node.measure,
            cost=node.cost,
            manipulable=node.manipulable,
            criterion_of=tuple(node.criterion_of),
            assignment=node.assignment,
            manipulable_in=tuple(s.value for s in node.manipulable_in),
            same_as=tuple(node.same_as),
            scale=node.scale.value if node.scale else None,
            notes=node.notes,
            pos=(node.pos.x, node.pos.y) if node.pos else None,
            implicit=False,
            confounds=None,
        )
    for edge in hypothesis.edges:
        for end in (edge.source, edge.target):
            if end not in g:
                g.add_node(end, label=end, kind=NodeKind.OTHER.value, observed=True, level=None, constructs=(),
                           measure=None, cost=None, notes=None, pos=None, implicit=False, confounds=None)
        attrs = {
            "sign": edge.sign.value,
            "confidence": edge.confidence.value,
            "mechanism": edge.mechanism,
            "evidence": tuple(edge.evidence),
            "notes": edge.notes,
        }
        if edge.type is EdgeType.CAUSES:
            g.add_edge(edge.source, edge.target, implicit=False, **attrs)
        else:
            u = confounder_id(edge.source, edge.target)
            a, b = sorted((edge.source, edge.target))
            g.add_node(u, label=f"unmeasured common cause of {a} and {b}", kind=NodeKind.CONFOUNDER.value,
                       observed=False, level=None, constructs=(), measure=None, cost=None, notes=edge.notes,
                       pos=None, implicit=True, confounds=(a, b), edge=attrs)
            g.add_edge(u, a, implicit=True, sign=Sign.UNKNOWN.value, confidence=edge.confidence.value,
                       mechanism=None, evidence=(), notes=None)
            g.add_edge(u, b, implicit=True, sign=Sign.UNKNOWN.value, confidence=edge.confidence.value,
                       mechanism=None, evidence=(), notes=None)
    return g


def node_label(g: nx.DiGraph, node: str) -> str:
    """The label a reader sees for ``node`` (its id when it has no label or is not in ``g``)."""
    return str(g.nodes[node].get("label") or node) if node in g else node


def is_implicit(g: nx.DiGraph, node: str) -> bool:
    """True for the latent node that stands for a ``confounded`` edge."""
    return bool(g.nodes[node].get("implicit"))


def observed_nodes(g: nx.DiGraph) -> list[str]:
    return [n for n, d in g.nodes(data=True) if d.get("observed", True)]


def latent_nodes(g: nx.DiGraph) -> list[str]:
    return [n for n, d in g.nodes(data=True) if not d.get("observed", True)]


def bidirected_pairs(g: nx.DiGraph) -> list[tuple[str, str]]:
    """The ``A <-> B`` pairs that the implicit latent nodes stand for."""
    return [d["confounds"] for _, d in g.nodes(data=True) if d.get("implicit")]


def roles(g: nx.DiGraph) -> dict[str, tuple[str, ...]]:
    """The focus roles stored on the graph."""
    return {k: tuple(g.graph.get(k, ())) for k in ("exposure", "outcome", "adjusted", "selected")}


def find_causal_cycle(g: nx.DiGraph) -> list[str] | None:
    """One directed cycle as a node list ``[a, b, …, a]``, or ``None`` when the graph is acyclic."""
    try:
        cycle = nx.find_cycle(g)
    except nx.NetworkXNoCycle:
        return None
    return [u for u, _ in cycle] + [cycle[0][0]]
