"""Causal graph (and analysis) → Graphviz DOT text.  Pure; no Graphviz needed.

Every user string goes through :func:`~hypoplan.render.escape.dot_escape`
(``graphviz.escape`` semantics inside a quoted string); node ids are
generated; attributes come from an allow-list, so no ``URL``, ``href`` or
HTML-like label can be built from user text.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .diagram import COLOURS, Diagram, DiagramEdge, DiagramNode, DiagramOptions, build_diagram
from .escape import dot_escape

if TYPE_CHECKING:
    import networkx as nx

    from ..analysis.result import AnalysisResult

__all__ = ["ALLOWED_ATTRIBUTES", "diagram_to_dot", "to_dot", "wrap"]

#: The only DOT attributes hypoplan ever writes (no URL, href, tooltip, image or HTML label).
ALLOWED_ATTRIBUTES = frozenset({
    "label", "shape", "style", "color", "fillcolor", "fontcolor", "fontname", "fontsize", "penwidth",
    "peripheries", "dir", "arrowhead", "arrowtail", "constraint", "rankdir", "labelloc", "labeljust",
    "width", "height", "margin", "nodesep", "ranksep", "compound", "newrank", "charset", "rank",
})

_SAFE_CONSTANT = re.compile(r"^[A-Za-z0-9#.,_ -]*$")

_CONFIDENCE_STYLE = {
    "established": ("solid", "2.2"),
    "supported": ("solid", "1.2"),
    "suggestive": ("dashed", "1.2"),
    "speculative": ("dotted", "1.2"),
    "contested": ("dashed", "1.6"),
}


class _Text(str):
    """A label made of user text parts, shown one per line."""

    @classmethod
    def lines(cls, *parts: str) -> _Text:
        return cls("\\n".join(dot_escape(p) for p in parts if p))


def wrap(text: str, width: int = 24) -> list[str]:
    """Break a long label into lines of about ``width`` characters at spaces."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [text]


def _attrs(attrs: dict[str, str]) -> str:
    """``[k="v", …]`` from allow-listed keys; constants must be plain words, user text must be :class:`_Text`."""
    items = []
    for key, value in attrs.items():
        if key not in ALLOWED_ATTRIBUTES:
            raise ValueError(f"DOT attribute {key!r} is not allowed")
        if not isinstance(value, _Text) and not _SAFE_CONSTANT.match(value):
            raise ValueError(f"DOT attribute {key}={value!r} is not a plain constant")
        items.append(f'{key}="{value}"')
    return "[" + ", ".join(items) + "]" if items else ""


def _node_attrs(node: DiagramNode) -> dict[str, str]:
    role_line = " · ".join(r for r in ("exposure", "outcome") if r in node.roles)
    attrs: dict[str, str] = {"label": _Text.lines(*wrap(node.label), f"({role_line})" if role_line else "")}
    styles = ["rounded"]
    if "adjusted" in node.roles or "highlight" in node.roles:
        attrs["shape"] = "box"
    if "exposure" in node.roles:
        styles.append("filled")
        attrs.update(fillcolor=COLOURS["exposure_fill"], color=COLOURS["exposure_line"], penwidth="2")
    elif "outcome" in node.roles:
        styles.append("filled")
        attrs.update(fillcolor=COLOURS["outcome_fill"], color=COLOURS["outcome_line"], penwidth="2")
    if "latent" in node.roles:
        styles.append("dashed")
        attrs.update(color=COLOURS["latent"], fontcolor=COLOURS["latent_text"])
    if "highlight" in node.roles:
        attrs.update(peripheries="2", color=COLOURS["highlight"], penwidth="2")
    if "selected" in node.roles:
        styles.append("bold")
    attrs["style"] = ",".join(styles)
    return attrs


def _edge_attrs(edge: DiagramEdge) -> dict[str, str]:
    style, width = _CONFIDENCE_STYLE.get(edge.confidence, ("dotted", "1.2"))
    colour = COLOURS["contested"] if edge.confidence == "contested" else COLOURS["edge"]
    attrs: dict[str, str] = {}
    if edge.bidirected:
        style, colour = "dashed", COLOURS["confounded"]
        attrs.update(dir="both", constraint="false")
    if edge.path:
        colour = COLOURS[edge.path]
        width = f"{float(width) + 1.3:.1f}"
    if edge.label:
        attrs["label"] = _Text.lines(edge.label)
    attrs.update(style=style, color=colour, penwidth=width)
    if edge.path or edge.confidence == "contested":
        attrs["fontcolor"] = colour
    return attrs


def _legend(diagram: Diagram, indent: str) -> list[str]:
    items = diagram.legend_items()
    if not items["nodes"] and not items["edges"]:
        return []
    lines = [f"{indent}subgraph cluster_legend {{",
             f'{indent}  label="Legend"; fontsize="11"; style="rounded"; color="#bbbbbb"; fontcolor="#444444"; margin="16";',
             f'{indent}  node [fontsize="10", height="0.3", margin="0.05,0.02"];',
             f'{indent}  edge [fontsize="10"];']
    names = {"exposure": "exposure", "outcome": "outcome", "adjusted": "adjusted for", "highlight": "adjustment set",
             "latent": "latent (unobserved)", "selected": "selected on"}
    edge_names = {"established": "established", "supported": "supported", "suggestive": "suggestive",
                  "speculative": "speculative", "contested": "contested", "confounded": "confounded (latent U)",
                  "causal": "open causal path",
                  "biasing": "open biasing path" + (" (listed paths only)" if diagram.paths_truncated else ""), "animal": "[animal] animal evidence only"}
    for i, kind in enumerate(items["edges"]):
        if kind in ("causal", "biasing"):
            sample = DiagramEdge("a", "b", False, "", "supported", path=kind)
        elif kind == "confounded":
            sample = DiagramEdge("a", "b", True, "", "speculative")
        elif kind == "animal":
            sample = DiagramEdge("a", "b", False, "", "supported")
        else:
            sample = DiagramEdge("a", "b", False, "", kind)
        attrs = _edge_attrs(sample)
        attrs.pop("constraint", None)
        attrs["label"] = _Text.lines(edge_names[kind])
        point = '[shape="point", width="0.05", color="#999999"]'
        lines.append(f"{indent}  legend_a{i} {point}; legend_b{i} {point};")
        lines.append(f"{indent}  legend_a{i} -> legend_b{i} {_attrs(attrs)};")
    for i, role in enumerate(items["nodes"]):
        attrs = _node_attrs(DiagramNode(f"lg{i}", role, names[role], frozenset({role})))
        attrs["label"] = _Text.lines(names[role])
        lines.append(f"{indent}  legend_node{i} {_attrs(attrs)};")
    if items["edges"]:
        lines.append(f"{indent}  {{ rank=\"same\"; {' '.join(f'legend_a{i};' for i in range(len(items['edges'])))} }}")
        lines.append(f"{indent}  {{ rank=\"same\"; {' '.join(f'legend_b{i};' for i in range(len(items['edges'])))} }}")
    lines.append(f"{indent}}}")
    return lines


def diagram_to_dot(diagram: Diagram) -> str:
    """The DOT text of a decided :class:`~hypoplan.render.diagram.Diagram`."""
    opts = diagram.options
    out = ["digraph hypothesis {",
           f'  graph {_attrs({"rankdir": opts.rankdir, "label": _Text.lines(diagram.title), "labelloc": "t", "fontsize": "16", "fontname": "Helvetica", "nodesep": "0.35", "ranksep": "0.5", "charset": "UTF-8"})};',
           *(['  graph [newrank="true"];'] if opts.group_by_level else []),
           '  node [shape="ellipse", fontname="Helvetica", fontsize="12"];',
           '  edge [fontname="Helvetica", fontsize="11", arrowhead="normal"];']
    grouped = {n.id for _, members in diagram.groups() for n in members}
    for i, (level, members) in enumerate(diagram.groups()):
        out.append(f"  subgraph cluster_level{i} {{")
        out.append(f'    {_attrs({"label": _Text.lines(level), "style": "rounded,dashed", "color": "#bbbbbb", "fontcolor": "#666666", "fontsize": "11"})[1:-1].replace(", ", "; ")};')
        out += [f"    {n.id} {_attrs(_node_attrs(n))};" for n in members]
        out.append("  }")
    out += [f"  {n.id} {_attrs(_node_attrs(n))};" for n in diagram.nodes if n.id not in grouped]
    out += [f"  {e.source} -> {e.target} {_attrs(_edge_attrs(e))};" for e in diagram.edges]
    if opts.legend:
        out += _legend(diagram, "  ")
    out.append("}")
    return "\n".join(out) + "\n"


def to_dot(g: nx.DiGraph, analysis: AnalysisResult | None = None, options: DiagramOptions | None = None) -> str:
    """DOT text of the causal graph ``g``, coloured by ``analysis`` when given."""
    return diagram_to_dot(build_diagram(g, analysis, options))
