"""The merged registry graph → Graphviz DOT, edges coloured by agreement and conflict.  Pure.

- a link drawn by one file: grey;
- a link drawn by two or more files with no conflict (agreement): green, thicker;
- a link in a conflict (opposite signs, support against contradiction, one citation read both ways): red.

A registry too large to read as one drawing is drawn clustered by file family
(the root of each ``extends`` chain); past a second limit the whole drawing is
omitted with a note (a 1,000-file registry can have thousands of nodes, which
no layout makes legible) and focused views of the conflicting links and their
neighbours are drawn instead, in the same single Graphviz call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .dot import wrap
from .escape import dot_escape

if TYPE_CHECKING:
    from ..registry.build import RegistryMap

__all__ = ["CLUSTER_LIMIT", "DENSITY_LIMIT", "FOCUS_VIEWS", "FULL_LIMIT", "LINK_COLOURS", "LINK_LIMIT",
           "focused_dot", "link_status", "registry_dot"]

#: Link colours of the map (also used by the site's legend and tables).
LINK_COLOURS = {"conflict": "#c0392b", "agreement": "#1e7b34", "single": "#8a8f98"}
#: Beyond this many links, and more links per node than this, edges hide one another whatever the layout.
LINK_LIMIT = 250
DENSITY_LIMIT = 3

_WIDTH = {"conflict": "2.4", "agreement": "2.2", "single": "1.1"}
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
                 link_limit: int = LINK_LIMIT) -> tuple[str | None, str]:
    """DOT text of the merged graph and a note for the reader; ``None`` when it is too large to draw."""
    drawn = sorted({k[0] for k in m.graph.links} | {k[1] for k in m.graph.links})
    n = len(drawn)
    if n > cluster_limit or len(m.graph.links) > max(link_limit, DENSITY_LIMIT * n):
        return focused_dot(m, n, len(m.graph.links))
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
        width = _WIDTH[s]
        style = "dashed" if link.type == "confounded" else "solid"
        both = ', dir="both"' if link.type == "confounded" else ""
        out.append(f'  {ids[key[0]]} -> {ids[key[1]]} [color="{LINK_COLOURS[s]}", penwidth="{width}", '
                   f'style="{style}"{both}];')
    out.append("}")
    return "\n".join(out) + "\n", note


#: How many focused views (one per conflict) a registry too large to draw in full gets.
FOCUS_VIEWS = 12


def focused_dot(m: RegistryMap, n: int, links: int = 0, *, views: int = FOCUS_VIEWS, neighbours: int = 6) -> tuple[str | None, str]:
    """Focused views for a registry too large to draw: one small drawing per conflict on a link (its two ends
    and up to ``neighbours`` linked nodes), all in one DOT graph so Graphviz still runs once for the page."""
    status = link_status(m)
    conflicts = [c for c in m.conflicts if c.link is not None and c.link in m.graph.links]
    seen: set[tuple[str, str, str]] = set()
    picked = []
    for c in conflicts:
        if c.link not in seen:
            seen.add(c.link)  # type: ignore[arg-type]
            picked.append(c)
        if len(picked) == views:
            break
    if not picked:
        return None, (f"The merged graph has {n} linked nodes and {links} links: too many to draw legibly, and "
                      "no link is in a "
                      "conflict to focus on. The tables below and each hypothesis page show its parts.")
    adjacent: dict[str, list[tuple[str, str, str]]] = {}
    for key in m.graph.links:
        adjacent.setdefault(key[0], []).append(key)
        adjacent.setdefault(key[1], []).append(key)
    out = ["digraph registry {",
           '  graph [rankdir="LR", nodesep="0.3", ranksep="0.5", fontname="Helvetica", charset="UTF-8"];',
           ('  node [shape="box", style="rounded,filled", fillcolor="#f7f8fa", color="#5f6368", fontname="Helvetica", '
            'fontsize="11", margin="0.12,0.06"];'),
           '  edge [fontname="Helvetica", arrowhead="normal"];']
    # Graphviz stacks unconnected clusters last-first in a left-to-right layout: emit them in reverse so the
    # page shows view 1 at the top
    for v, c in reversed(list(enumerate(picked))):
        a, b, _ = c.link  # type: ignore[misc]
        members = [a, b]
        for key in sorted(adjacent.get(a, []) + adjacent.get(b, []), key=lambda k: (status[k] != "conflict", k)):
            for end in key[:2]:
                if end not in members and len(members) < 2 + neighbours:
                    members.append(end)
        ids = {node: f"v{v}_{i}" for i, node in enumerate(members)}
        out.append(f"  subgraph cluster_v{v} {{")
        out.append(f'    label="{dot_escape(f"{v + 1}. {c.kind}: {m.graph.nodes[a].label} / {m.graph.nodes[b].label}")}"; '
                   'style="rounded,dashed"; color="#bbbbbb"; fontcolor="#555555"; fontsize="12";')
        out += [f'    {ids[node]} [label="{_label(m.graph.nodes[node].label)}"];' for node in members]
        for key, link in m.graph.links.items():
            if key[0] in ids and key[1] in ids:
                s_ = status[key]
                both = ', dir="both", style="dashed"' if link.type == "confounded" else ""
                out.append(f'    {ids[key[0]]} -> {ids[key[1]]} [color="{LINK_COLOURS[s_]}", '
                           f'penwidth="{_WIDTH[s_]}"{both}];')
        out.append("  }")
    out.append("}")
    contested = len({c.link for c in conflicts})
    more = f" (the first {len(picked)} of {contested})" if contested > len(picked) else ""
    note = (f"The merged graph has {n} linked nodes and {links} links: too many to draw legibly. Shown instead: focused views of "
            f"{len(picked)} conflicting link(s){more} and their neighbours. The tables below list everything.")
    return "\n".join(out) + "\n", note
