"""The merged registry graph → Graphviz DOT, edges coloured by agreement and conflict.  Pure.

- a link drawn by one file: grey;
- a link drawn by two or more files with no conflict (agreement): green, thicker;
- a link in a conflict (opposite signs, support against contradiction, one citation read both ways): red.

A registry too large to read as one drawing is drawn clustered by file family
(the root of each ``extends`` chain), and past a second limit omitted with a
note: a 1,000-file registry has thousands of nodes, which no layout makes legible.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .dot import wrap
from .escape import dot_escape

if TYPE_CHECKING:
    from ..registry.build import RegistryMap

__all__ = ["CLUSTER_LIMIT", "FULL_LIMIT", "LINK_COLOURS", "link_status", "registry_dot"]

#: Link colours of the map (also used by the site's legend and tables).
LINK_COLOURS = {"conflict": "#c0392b", "agreement": "#1e7b34", "single": "#8a8f98"}
#: Up to this many nodes the merged graph is drawn as it is.
FULL_LIMIT = 120
#: Up to this many nodes it is drawn clustered by file family; beyond, it is omitted with a note.
CLUSTER_LIMIT = 400


def link_status(m: RegistryMap) -> dict[tuple[str, str, str], str]:
    """Each link's status: ``conflict``, ``agreement`` (2+ files, no conflict) or ``single``."""
    conflicted = {c.link for c in m.conflicts if c.link is not None}
    return {key: "conflict" if key in conflicted else "agreement" if len(link.hypotheses) >= 2 else "single"
            for key, link in m.graph.links.items()}


def _label(text: str) -> str:
    return "\\n".join(dot_escape(p) for p in wrap(text, 22))


def registry_dot(m: RegistryMap, *, full_limit: int = FULL_LIMIT, cluster_limit: int = CLUSTER_LIMIT,
                 ) -> tuple[str | None, str]:
    """DOT text of the merged graph and a note for the reader; ``None`` when it is too large to draw."""
    drawn = sorted({k[0] for k in m.graph.links} | {k[1] for k in m.graph.links})
    n = len(drawn)
    if n > cluster_limit:
        return None, (f"The merged graph has {n} linked nodes: too many to draw legibly. The tables below and each "
                      "hypothesis page show its parts.")
    ids = {node: f"n{i}" for i, node in enumerate(drawn)}
    status = link_status(m)
    out = ["digraph registry {",
           '  graph [rankdir="LR", nodesep="0.3", ranksep="0.6", fontname="Helvetica", charset="UTF-8"];',
           ('  node [shape="box", style="rounded,filled", fillcolor="#f7f8fa", color="#5f6368", fontname="Helvetica", '
            'fontsize="11", margin="0.12,0.06"];'),
           '  edge [fontname="Helvetica", arrowhead="normal"];']
    shared = {node for node in drawn if len(m.graph.nodes[node].declared_in) >= 2}
    clustered = n > full_limit
    note = (f"{n} linked nodes, drawn in full. Nodes declared in two or more files have a bold border."
            if not clustered else
            f"{n} linked nodes: drawn clustered by file family (the root of each extends chain); a node shared "
            "between families sits in the first family that declares it.")

    def node_line(node: str) -> str:
        extra = ', penwidth="2.2", color="#1a4f8b"' if node in shared else ""
        return f'{ids[node]} [label="{_label(m.graph.nodes[node].label)}"{extra}];'

    if clustered:
        from ..registry.model import family_of

        parents = {e.id: tuple(e.hypothesis.extends) for e in m.entries}
        families: dict[str, list[str]] = {}
        for node in drawn:
            first = min(h for h, _ in m.graph.nodes[node].sources) if m.graph.nodes[node].sources else ""
            families.setdefault(family_of(first, parents), []).append(node)
        for i, (family, members) in enumerate(sorted(families.items())):
            out.append(f"  subgraph cluster_f{i} {{")
            out.append(f'    label="{dot_escape(family)}"; style="rounded,dashed"; color="#bbbbbb"; '
                       'fontcolor="#555555"; fontsize="12";')
            out += [f"    {node_line(node)}" for node in members]
            out.append("  }")
    else:
        out += [f"  {node_line(node)}" for node in drawn]
    for key, link in m.graph.links.items():
        s = status[key]
        width = {"conflict": "2.4", "agreement": "2.2", "single": "1.1"}[s]
        style = "dashed" if link.type == "confounded" else "solid"
        both = ', dir="both"' if link.type == "confounded" else ""
        out.append(f'  {ids[key[0]]} -> {ids[key[1]]} [color="{LINK_COLOURS[s]}", penwidth="{width}", '
                   f'style="{style}"{both}];')
    out.append("}")
    return "\n".join(out) + "\n", note
