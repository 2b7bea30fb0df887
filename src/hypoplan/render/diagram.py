"""What a causal diagram shows, independent of the drawing language.

:func:`build_diagram` reads the causal graph (and, when given, the analysis)
and decides every visual fact once — generated node ids, roles, edge style by
confidence, signs, animal-only badges, causal/biasing path colouring, level
groups — so that :mod:`hypoplan.render.dot` and :mod:`hypoplan.render.mermaid`
only translate.  The conventions are DAGitty's (Textor et al. 2016, *Int J
Epidemiol* 45:1887): exposure and outcome marked, latent variables dashed,
adjusted variables boxed, causal paths green and biasing paths red.

Node ids in every output are generated (``n0``, ``n1``, …): a user id never
becomes a DOT or Mermaid id.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..schema import Confidence, Direction, Level, Sign, Source

if TYPE_CHECKING:
    import networkx as nx

    from ..analysis.result import AnalysisResult

__all__ = [
    "COLOURS",
    "RANKDIRS",
    "Diagram",
    "DiagramEdge",
    "DiagramNode",
    "DiagramOptions",
    "build_diagram",
    "causal_edges",
    "is_animal_only",
    "level_order",
]

RANKDIRS = ("LR", "TB", "RL", "BT")

#: Colours shared by the DOT and Mermaid renderers (and the legend).
COLOURS = {
    "exposure_fill": "#d4edda",
    "exposure_line": "#1e7b34",
    "outcome_fill": "#cfe2ff",
    "outcome_line": "#1a4f8b",
    "latent": "#808080",
    "latent_text": "#555555",
    "highlight": "#6f42c1",
    "rival_fill": "#fff3cd",
    "rival_line": "#8a6d00",
    "contested": "#b35c00",
    "causal": "#1e7b34",
    "biasing": "#c0392b",
    "edge": "#333333",
    "confounded": "#7f7f7f",
}


@dataclass(frozen=True)
class DiagramOptions:
    """How to draw: layout direction, grouping by biological level, an adjustment set to highlight, a legend."""

    rankdir: str = "LR"
    group_by_level: bool = False
    highlight: frozenset[str] | None = None
    legend: bool = True
    compact: bool = False  # tighter rank and node spacing (the focused view)

    def __post_init__(self) -> None:
        if self.rankdir not in RANKDIRS:
            raise ValueError(f"rankdir must be one of {', '.join(RANKDIRS)}, not {self.rankdir!r}")


@dataclass(frozen=True)
class DiagramNode:
    """A node to draw: its generated id, the user's id and label, and its roles."""

    id: str
    key: str
    label: str
    roles: frozenset[str]  # exposure, outcome, adjusted, selected, latent, highlight, rival
    level: str | None = None
    pos: tuple[float, float] | None = None  # DAGitty coordinates (x right, y down), when the file gives them


@dataclass(frozen=True)
class DiagramEdge:
    """An edge to draw between generated ids; ``bidirected`` for a confounded pair ``A <-> B``."""

    source: str
    target: str
    bidirected: bool
    sign: str  # symbol: + − ± ?
    confidence: str
    animal_only: bool = False
    path: str | None = None  # "causal" | "biasing" | None
    via: int = 0  # focused view: a directed path through this many nodes left out

    @property
    def badges(self) -> tuple[str, ...]:
        out = []
        if self.confidence == Confidence.CONTESTED.value:
            out.append("contested")
        if self.animal_only:
            out.append("animal")
        return tuple(out)

    @property
    def label(self) -> str:
        """The edge text: the sign (directed edges only) and bracketed badges."""
        if self.via:
            return f"via {self.via}"
        parts = [] if self.bidirected else [self.sign]
        parts += [f"[{b}]" for b in self.badges]
        return " ".join(parts)


@dataclass(frozen=True)
class Diagram:
    """Everything a renderer needs, already decided."""

    title: str
    nodes: tuple[DiagramNode, ...]
    edges: tuple[DiagramEdge, ...]
    options: DiagramOptions = field(default_factory=DiagramOptions)
    paths_truncated: bool = False

    def groups(self) -> list[tuple[str, list[DiagramNode]]]:
        """Nodes grouped by level, molecular → clinical (ungrouped nodes are left out)."""
        out = []
        for level in level_order():
            members = [n for n in self.nodes if n.level == level]
            if members:
                out.append((level, members))
        return out

    def legend_items(self) -> dict[str, list[str]]:
        """The node roles and edge kinds that occur, in a fixed order, for the legend."""
        roles = set().union(*(n.roles for n in self.nodes)) if self.nodes else set()
        node_items: list[str] = [r for r in ("exposure", "outcome", "adjusted", "highlight", "rival", "latent",
                                             "selected") if r in roles]
        confidences = {e.confidence for e in self.edges if not e.bidirected and not e.via}
        edge_items: list[str] = [c.value for c in Confidence if c.value in confidences]
        if any(e.bidirected for e in self.edges):
            edge_items.append("confounded")
        for path in ("causal", "biasing"):
            if any(e.path == path for e in self.edges):
                edge_items.append(path)
        if any(e.animal_only for e in self.edges):
            edge_items.append("animal")
        if any(e.via for e in self.edges):
            edge_items.append("via")
        return {"nodes": node_items, "edges": edge_items}


def level_order() -> list[str]:
    """Biological levels from molecule to clinic."""
    return [lvl.value for lvl in Level]


def is_animal_only(evidence: Iterable[Any]) -> bool:
    """True when an edge has supporting evidence read in the studies themselves (``source`` primary) and all of
    it comes from animals: a press or lay account of a human study is no human data."""
    supporting = [e for e in evidence if e.direction is Direction.SUPPORTS and e.source_type is Source.PRIMARY]
    return bool(supporting) and all(e.species is not None and e.species.is_animal for e in supporting)


def _sign_symbol(value: str) -> str:
    try:
        return Sign(value).symbol
    except ValueError:
        return "?"


def causal_edges(g: nx.DiGraph, exposure: Iterable[str], outcome: Iterable[str],
                 adjusted: Iterable[str] = ()) -> set[tuple[str, str]]:
    """Edges on open causal (directed) paths from the exposure to the outcome.

    An edge u → v lies on a directed path X ⇝ u → v ⇝ Y exactly when u is X or a descendant of X and v is Y
    or an ancestor of Y; adjusting for a node on the path blocks it, so adjusted nodes are removed first.
    Linear time, so colouring never depends on how many paths the analysis listed.
    """
    import networkx as nx

    xs, ys = set(exposure), set(outcome)
    keep = [n for n in g if n not in set(adjusted) or n in xs or n in ys]
    h = g.subgraph(keep)
    down = set().union(*(nx.descendants(h, x) | {x} for x in xs if x in h)) if xs else set()
    up = set().union(*(nx.ancestors(h, y) | {y} for y in ys if y in h)) if ys else set()
    return {(u, v) for u, v in h.edges() if u in down and v in up and u not in ys and v not in xs}


def _path_edges(g: nx.DiGraph, analysis: AnalysisResult | None) -> dict[tuple[str, ...], str]:
    """Map each drawn edge key to "causal" or "biasing" from the analysis's open paths.

    An edge on an open causal path stays green even when a biasing path also runs through it (as in DAGitty),
    so the causal chain reads continuously; edges only on open biasing paths are red.
    """
    colour: dict[tuple[str, ...], str] = {}
    if analysis is None:
        return colour
    for key in causal_edges(g, analysis.exposure, analysis.outcome, analysis.adjusted):
        colour[key] = "causal"
    for path in analysis.paths:
        if not path.open:
            continue
        kind = "causal" if path.causal else "biasing"
        for a, b in zip(path.nodes, path.nodes[1:]):
            drawn = _drawn_key(g, a, b)
            if drawn is not None and colour.get(drawn) != "causal":
                colour[drawn] = kind
    return colour


def _drawn_key(g: nx.DiGraph, a: str, b: str) -> tuple[str, ...] | None:
    """The key of the drawn edge a consecutive path pair lies on: (u, v) directed, or a sorted confounded pair."""
    for u in (a, b):
        if u in g and g.nodes[u].get("implicit"):
            pair = g.nodes[u]["confounds"]
            return ("<->", *sorted(pair))
    if g.has_edge(a, b):
        return (a, b)
    if g.has_edge(b, a):
        return (b, a)
    return None


def build_diagram(g: nx.DiGraph, analysis: AnalysisResult | None = None,
                  options: DiagramOptions | None = None) -> Diagram:
    """Decide how to draw ``g``: the pure core of both the DOT and the Mermaid renderer."""
    options = options or DiagramOptions()
    exposure = set(analysis.exposure if analysis else g.graph.get("exposure", ()))
    outcome = set(analysis.outcome if analysis else g.graph.get("outcome", ()))
    adjusted = set(analysis.adjusted if analysis else g.graph.get("adjusted", ()))
    selected = set(g.graph.get("selected", ()))
    rival = set(g.graph.get("rival", ()))  # focused view: nodes the rival joins differently
    highlight = set(options.highlight or ())

    ids: dict[str, str] = {}
    nodes = []
    for key, data in g.nodes(data=True):
        if data.get("implicit"):
            continue
        gen = f"n{len(ids)}"
        ids[key] = gen
        roles = {name for name, members in (("exposure", exposure), ("outcome", outcome), ("adjusted", adjusted),
                                             ("selected", selected), ("highlight", highlight), ("rival", rival))
                 if key in members}
        if not data.get("observed", True):
            roles.add("latent")
        pos = data.get("pos")
        nodes.append(DiagramNode(gen, str(key), str(data.get("label") or key), frozenset(roles),
                                 data.get("level") if options.group_by_level else None,
                                 (float(pos[0]), float(pos[1])) if pos else None))

    colours = _path_edges(g, analysis)
    edges = []
    for u, v, data in g.edges(data=True):
        if data.get("implicit") or u not in ids or v not in ids:
            continue
        edges.append(DiagramEdge(ids[u], ids[v], False, _sign_symbol(data.get("sign", "unknown")),
                                 data.get("confidence", Confidence.SPECULATIVE.value),
                                 is_animal_only(data.get("evidence", ())), colours.get((u, v)),
                                 int(data.get("via", 0))))
    for key, data in g.nodes(data=True):
        if not data.get("implicit"):
            continue
        a, b = data["confounds"]
        if a not in ids or b not in ids:
            continue
        attrs = data.get("edge", {})
        edges.append(DiagramEdge(ids[a], ids[b], True, "?", attrs.get("confidence", Confidence.SPECULATIVE.value),
                                 is_animal_only(attrs.get("evidence", ())), colours.get(("<->", a, b))))
    return Diagram(str(g.graph.get("title") or g.graph.get("id") or "hypothesis"), tuple(nodes), tuple(edges), options,
                   paths_truncated=bool(analysis and "paths" in analysis.truncated))
