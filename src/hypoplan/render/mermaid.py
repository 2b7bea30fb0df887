"""Causal graph (and analysis) → Mermaid flowchart text.  Pure.

Follows the escaping rules for generated charts (ecosystem notes §4, after
the Mermaid flowchart syntax): generated node ids (``n0`` …, never ``end``,
``o`` or ``x``), every label quoted and passed through
:func:`~hypoplan.render.escape.mermaid_label`, so no user text can start a
``click``, ``style`` or ``%%{init}%%`` statement or become HTML/Markdown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .diagram import COLOURS, Diagram, DiagramEdge, DiagramNode, DiagramOptions, build_diagram
from .escape import mermaid_label

if TYPE_CHECKING:
    import networkx as nx

    from ..analysis.result import AnalysisResult

__all__ = ["diagram_to_mermaid", "to_mermaid"]

_ARROW = {
    "established": "==>",
    "supported": "-->",
    "suggestive": "-->",
    "speculative": "-.->",
    "contested": "-.->",
}

_CLASSES = {
    "exposure": f"fill:{COLOURS['exposure_fill']},stroke:{COLOURS['exposure_line']},stroke-width:2px",
    "outcome": f"fill:{COLOURS['outcome_fill']},stroke:{COLOURS['outcome_line']},stroke-width:2px",
    "latent": f"fill:#ffffff,stroke:{COLOURS['latent']},stroke-dasharray:5 4,color:{COLOURS['latent_text']}",
    "selected": "stroke:#333333,stroke-width:4px",
    "highlight": f"stroke:{COLOURS['highlight']},stroke-width:3px",
    "rival": f"fill:{COLOURS['rival_fill']},stroke:{COLOURS['rival_line']},stroke-width:2px",
    "legend": "fill:#ffffff,stroke:#bbbbbb,color:#444444",
}


_ROLE_TEXT = {"rival": "rival differs"}


def _node(node: DiagramNode, indent: str) -> str:
    roles = [_ROLE_TEXT.get(r, r) for r in ("exposure", "outcome", "rival", "selected") if r in node.roles]
    text = mermaid_label(node.label) + (f" ({' · '.join(roles)})" if roles else "")
    if "highlight" in node.roles:
        return f'{indent}{node.id}[["{text}"]]'
    if "adjusted" in node.roles:
        return f'{indent}{node.id}["{text}"]'
    return f'{indent}{node.id}("{text}")'


def _edge(edge: DiagramEdge) -> str:
    if edge.bidirected:
        arrow = "<-.->"
    else:
        arrow = _ARROW.get(edge.confidence, "-.->")
    label = f'|"{mermaid_label(edge.label)}"|' if edge.label else ""
    return f"  {edge.source} {arrow}{label} {edge.target}"


def _link_style(edge: DiagramEdge) -> str | None:
    props = []
    if edge.path:
        props += [f"stroke:{COLOURS[edge.path]}", "stroke-width:3px"]
    elif edge.bidirected:
        props.append(f"stroke:{COLOURS['confounded']}")
    elif edge.confidence == "contested":
        props.append(f"stroke:{COLOURS['contested']}")
    if edge.confidence == "suggestive" and not edge.bidirected:
        props.append("stroke-dasharray:6 4")
    return ",".join(props) or None


def _legend(diagram: Diagram) -> list[str]:
    items = diagram.legend_items()
    if not items["nodes"] and not items["edges"]:
        return []
    names = {"exposure": "exposure", "outcome": "outcome", "adjusted": "adjusted for (box)",
             "highlight": "adjustment set", "latent": "latent (dashed)", "selected": "selected on",
             "rival": "rival draws it differently"}
    edge_names = {"established": "thick: established", "supported": "solid: supported",
                  "suggestive": "dashed: suggestive", "speculative": "dotted: speculative",
                  "contested": "orange: contested", "confounded": "dotted, two heads: confounded",
                  "causal": "green: open causal path",
                  "biasing": "red: open biasing path" + (" (listed paths only)" if diagram.paths_truncated else ""),
                  "animal": "[animal]: animal evidence only", "via": "via N: path through N nodes not shown"}
    lines = ['  subgraph legend["Legend"]', "    direction TB"]
    for i, role in enumerate(items["nodes"]):
        lines.append(f'    legend{i}("{mermaid_label(names[role])}")')
    if items["edges"]:
        text = " · ".join(edge_names[k] for k in items["edges"])
        lines.append(f'    legend_edges["{mermaid_label(text)}"]')
    lines.append("  end")
    for i, role in enumerate(items["nodes"]):
        cls = role if role in _CLASSES else "legend"
        lines.append(f"  class legend{i} {cls}")
    if items["edges"]:
        lines.append("  class legend_edges legend")
    return lines


def diagram_to_mermaid(diagram: Diagram) -> str:
    """The Mermaid flowchart of a decided :class:`~hypoplan.render.diagram.Diagram`."""
    out = [f"flowchart {diagram.options.rankdir}"]
    grouped = {n.id for _, members in diagram.groups() for n in members}
    for i, (level, members) in enumerate(diagram.groups()):
        out.append(f'  subgraph level{i}["{mermaid_label(level)}"]')
        out += [_node(n, "    ") for n in members]
        out.append("  end")
    out += [_node(n, "  ") for n in diagram.nodes if n.id not in grouped]
    out += [_edge(e) for e in diagram.edges]
    for i, edge in enumerate(diagram.edges):
        style = _link_style(edge)
        if style:
            out.append(f"  linkStyle {i} {style}")
    rival = any("rival" in n.roles for n in diagram.nodes)
    for name, style in _CLASSES.items():
        if name != "rival" or rival:  # only the focused view with a rival has it: other outputs stay as they were
            out.append(f"  classDef {name} {style}")
    for role in ("rival", "exposure", "outcome", "latent", "selected", "highlight"):
        role_ids = [n.id for n in diagram.nodes if role in n.roles
                    and not (role == "rival" and {"exposure", "outcome"} & n.roles)]  # their fill wins
        if role_ids:
            out.append(f"  class {','.join(role_ids)} {role}")
    if diagram.options.legend:
        out += _legend(diagram)
    return "\n".join(out) + "\n"


def to_mermaid(g: nx.DiGraph, analysis: AnalysisResult | None = None, options: DiagramOptions | None = None) -> str:
    """Mermaid flowchart text of the causal graph ``g``, coloured by ``analysis`` when given."""
    return diagram_to_mermaid(build_diagram(g, analysis, options))
