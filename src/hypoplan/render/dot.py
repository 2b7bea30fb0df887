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
    "layout", "pos", "pin", "splines",
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


#: The role line under a node's label (words as well as colour, so the roles survive greyscale printing).
_ROLE_TEXT = {"exposure": "exposure", "outcome": "outcome", "rival": "rival differs"}


def _node_attrs(node: DiagramNode) -> dict[str, str]:
    role_line = " · ".join(_ROLE_TEXT[r] for r in ("exposure", "outcome", "rival") if r in node.roles)
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
    elif "rival" in node.roles:
        styles.append("filled")
        attrs.update(fillcolor=COLOURS["rival_fill"], color=COLOURS["rival_line"], penwidth="2")
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
    if edge.via:
        style, colour = "dotted", COLOURS["latent"]
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
             "latent": "latent (unobserved)", "selected": "selected on", "rival": "rival draws it differently"}
    edge_names = {"established": "established", "supported": "supported", "suggestive": "suggestive",
                  "speculative": "speculative", "contested": "contested", "confounded": "confounded (latent U)",
                  "causal": "open causal path",
                  "biasing": "open biasing path" + (" (listed paths only)" if diagram.paths_truncated else ""), "animal": "[animal] animal evidence only",
                  "via": "via N: path through N nodes not shown"}
    for i, kind in enumerate(items["edges"]):
        if kind in ("causal", "biasing"):
            sample = DiagramEdge("a", "b", False, "", "supported", path=kind)
        elif kind == "confounded":
            sample = DiagramEdge("a", "b", True, "", "speculative")
        elif kind == "animal":
            sample = DiagramEdge("a", "b", False, "", "supported")
        elif kind == "via":
            sample = DiagramEdge("a", "b", False, "", "speculative", via=1)
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


def pinned_positions(diagram: Diagram) -> dict[str, tuple[float, float]] | None:
    """Graphviz positions (inches, as neato reads ``pos``; y up) of every node when each has DAGitty coordinates.

    DAGitty's ``pos`` is the user's own layout (x right, y down, any unit): it is kept, flipped to Graphviz's
    y-up and scaled so that the drawing's longer side spans 2.4 inches per square root of the node count (at
    least 2). Grouping by level asks for a ranked layout instead, so it ignores the positions (``None``).
    """
    if not diagram.nodes or diagram.options.group_by_level or any(n.pos is None for n in diagram.nodes):
        return None
    xs = [n.pos[0] for n in diagram.nodes if n.pos]
    ys = [n.pos[1] for n in diagram.nodes if n.pos]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    scale = max(2.0, 2.4 * len(diagram.nodes) ** 0.5) / span
    return {n.id: ((n.pos[0] - min(xs)) * scale, (max(ys) - n.pos[1]) * scale) for n in diagram.nodes if n.pos}


def diagram_to_dot(diagram: Diagram) -> str:
    """The DOT text of a decided :class:`~hypoplan.render.diagram.Diagram`.

    When every node has DAGitty coordinates they are kept: neato with pinned positions (``layout=neato``,
    ``pos``, ``pin``), the legend pinned below the drawing.
    """
    opts = diagram.options
    pinned = pinned_positions(diagram)
    graph_attrs = {"rankdir": opts.rankdir, "label": _Text.lines(diagram.title), "labelloc": "t", "fontsize": "16",
                   "fontname": "Helvetica", "nodesep": "0.25" if opts.compact else "0.35",
                   "ranksep": "0.25" if opts.compact else "0.5", "charset": "UTF-8"}
    if pinned is not None:
        graph_attrs.update({"layout": "neato", "splines": "true"})
    out = ["digraph hypothesis {",
           f"  graph {_attrs(graph_attrs)};",
           *(['  graph [newrank="true"];'] if opts.group_by_level else []),
           '  node [shape="ellipse", fontname="Helvetica", fontsize="12"];',
           '  edge [fontname="Helvetica", fontsize="11", arrowhead="normal"];']
    grouped = {n.id for _, members in diagram.groups() for n in members}
    for i, (level, members) in enumerate(diagram.groups()):
        out.append(f"  subgraph cluster_level{i} {{")
        out.append(f'    {_attrs({"label": _Text.lines(level), "style": "rounded,dashed", "color": "#bbbbbb", "fontcolor": "#666666", "fontsize": "11"})[1:-1].replace(", ", "; ")};')
        out += [f"    {n.id} {_attrs(_node_attrs(n))};" for n in members]
        out.append("  }")
    out += [f"  {n.id} {_attrs(_node_attrs(n) | _pin(pinned, n.id))};" for n in diagram.nodes if n.id not in grouped]
    out += [f"  {e.source} -> {e.target} {_attrs(_edge_attrs(e))};" for e in diagram.edges]
    if opts.legend:
        legend = _legend(diagram, "  ")
        out += _pin_legend(legend, pinned) if pinned is not None else legend
    out.append("}")
    return "\n".join(out) + "\n"


def _pin(pinned: dict[str, tuple[float, float]] | None, node: str) -> dict[str, str]:
    if pinned is None:
        return {}
    x, y = pinned[node]
    return {"pos": f"{x:.2f},{y:.2f}", "pin": "true"}


def _pin_legend(lines: list[str], pinned: dict[str, tuple[float, float]]) -> list[str]:
    """Pin the legend's sample nodes in rows below the drawing (neato would otherwise scatter them)."""
    left, bottom = min(x for x, _ in pinned.values()), min(y for _, y in pinned.values())

    def pin(m: re.Match[str]) -> str:
        start, kind, i = m.group(1), m.group(2), int(m.group(3))
        x = left + {"legend_a": 0.0, "legend_b": 1.4, "legend_node": 4.0}[kind]
        return f'{start}{kind}{i} [pos="{x:.2f},{bottom - 0.9 - 0.45 * i:.2f}", pin="true", '

    # node statements only (a line's start or after "; "), never the "legend_a0 -> legend_b0 [" edge
    return [re.sub(r"(^\s*|;\s+)(legend_a|legend_b|legend_node)(\d+) \[", pin, line) for line in lines]


def to_dot(g: nx.DiGraph, analysis: AnalysisResult | None = None, options: DiagramOptions | None = None) -> str:
    """DOT text of the causal graph ``g``, coloured by ``analysis`` when given."""
    return diagram_to_dot(build_diagram(g, analysis, options))
