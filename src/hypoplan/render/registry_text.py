"""``hypoplan map`` as plain text or Markdown.  Pure; every user string is escaped for Markdown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .escape import markdown_text, one_line

if TYPE_CHECKING:
    from ..registry.build import RegistryMap
    from ..registry.experiments import Experiment
    from ..registry.merge import Link, MergedNode

#: Node kinds listed after the mechanisms: background variables rather than parts of a causal story.
_BACKGROUND = frozenset({"confounder", "drug", "modifier", "measurement", "intervention", "other"})

__all__ = ["and_list", "experiment_text", "link_text", "map_markdown", "map_text", "shared_nodes"]


def shared_nodes(m: RegistryMap) -> list[MergedNode]:
    """Merged nodes declared in two or more hypothesis files (not merely inherited), most shared first."""
    out = [n for n in m.graph.nodes.values() if len(n.declared_in) >= 2]
    return sorted(out, key=lambda n: (n.kind in _BACKGROUND, -len(n.declared_in), n.label.lower()))


def link_text(m: RegistryMap, link: Link) -> str:
    a, b = m.graph.nodes[link.source].label, m.graph.nodes[link.target].label
    arrow = "<->" if link.type == "confounded" else "->"
    signs = sorted({c.edge.sign.symbol for c in link.claims})
    return one_line(f"{a} {arrow} {b} ({'/'.join(signs)})")


def and_list(items: tuple[str, ...] | list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""


def experiment_text(x: Experiment) -> str:
    methods = "; ".join(f"{m.name} ({m.invasiveness.value} invasiveness, cost {m.cost_band.value}, "
                        f"burden {m.burden.value})" for m in x.methods)
    return one_line(methods)


def map_text(m: RegistryMap, *, top: int = 10) -> str:
    """The map for a terminal: summary, shared mechanisms, conflicts, evidence, top experiments."""
    s = m.summary()
    lines = [(f"Registry: {s['hypotheses']} hypotheses, {s['nodes']} merged nodes ({s['shared_nodes']} declared in 2+ "
             f"files), {s['links']} links ({s['shared_links']} drawn by 2+ files), {s['rival_pairs']} rival pair(s)"), ""]
    shared = shared_nodes(m)
    lines.append(f"Shared nodes (declared in 2+ files, merged by construct or same_as; mechanisms first): {len(shared)}")
    for n in shared[:top]:
        where = ", ".join(f"{h}:{i}" for h, i in n.sources)
        lines.append("  " + one_line(f"{n.label} [{', '.join(n.constructs) or 'no construct'}] <- {where}"))
    if len(shared) > top:
        lines.append(f"  ... and {len(shared) - top} more (--format json lists all)")
    lines += ["", f"Shared links (drawn by 2+ files): {len(m.shared_links)}"]
    for link in m.shared_links[:top]:
        lines.append(f"  {link_text(m, link)}: {', '.join(link.hypotheses)}")
    if len(m.shared_links) > top:
        lines.append(f"  ... and {len(m.shared_links) - top} more")
    lines += ["", f"Conflicts: {len(m.conflicts)}"]
    for c in m.conflicts:
        lines.append("  " + one_line(f"[{c.kind}] {c.message}"))
    e = m.evidence
    lines += ["", (f"Evidence: {len(m.citations)} cited works; {e.links_with_evidence} of {e.links} links have evidence, "
              f"{e.animal_only} rest on animal-only evidence, {e.secondary_only} on secondary sources only "
              f"(reviews, meta-analyses); {e.uncited_evidence} evidence item(s) cite nothing")]
    lines += ["", "Experiments ranked by the rival pairs they settle:"]
    if not m.rival_pairs:
        lines.append("  (no rival pairs: name competing hypotheses in 'rivals' to rank experiments)")
    elif not m.experiments:
        lines.append("  (no discriminating measurement with a catalog method was found)")
    for i, x in enumerate(m.experiments[:top], 1):
        lines.append(f"  {i}. settles {len(x.settles)} pair(s), {x.decisive} decisively: measure "
                     + one_line(and_list(x.measures)) + f" with {experiment_text(x)}")
        for p in x.settles:
            lines.append("       " + one_line(f"{p.pair[0]} vs {p.pair[1]} ({p.kind}): {p.this_predicts} "
                                  f"vs {p.rival_predicts}"))
    return "\n".join(lines) + "\n"


def map_markdown(m: RegistryMap, *, top: int = 20) -> str:
    """The map as GitHub Markdown, every user string escaped."""
    md = markdown_text
    s = m.summary()
    out = ["# Registry map", "",
           (f"{s['hypotheses']} hypotheses, {s['nodes']} merged nodes, {s['links']} links, "
           f"{s['rival_pairs']} rival pair(s)."), "", "## Shared nodes", "",
           "| Node | Constructs | Declared in |", "|---|---|---|"]
    for n in shared_nodes(m):
        out.append(f"| {md(n.label)} | {md(', '.join(n.constructs))} | "
                   f"{md(', '.join(f'{h}:{i}' for h, i in n.sources))} |")
    out += ["", "## Shared links", "", "| Link | Files |", "|---|---|"]
    for link in m.shared_links:
        out.append(f"| {md(link_text(m, link))} | {md(', '.join(link.hypotheses))} |")
    out += ["", "## Conflicts", ""]
    if m.conflicts:
        out += ["| Kind | Conflict |", "|---|---|"]
        out += [f"| {c.kind} | {md(c.message)} |" for c in m.conflicts]
    else:
        out.append("No conflicts between files.")
    e = m.evidence
    out += ["", "## Evidence", "",
            (f"{len(m.citations)} cited works; {e.links_with_evidence} of {e.links} links have evidence; "
            f"{e.animal_only} rest on animal-only evidence; {e.secondary_only} on secondary sources only."), "",
            "| Citation | Used by | Directions |", "|---|---|---|"]
    for c in m.citations[:top]:
        dirs = ", ".join(sorted({u.direction for u in c.uses}))
        out.append(f"| {md(c.citation)} | {md(', '.join(c.hypotheses))} | {dirs} |")
    out += ["", "## Experiments ranked by the rival pairs they settle", ""]
    if m.experiments:
        out += ["| # | Measure | Methods | Pairs settled | Decisive |", "|---|---|---|---|---|"]
        for i, x in enumerate(m.experiments[:top], 1):
            out.append(f"| {i} | {md(and_list(x.measures))} | {md(experiment_text(x))} | {len(x.settles)} | "
                       f"{x.decisive} |")
    else:
        out.append("No experiment discriminates a rival pair.")
    return "\n".join(out) + "\n"
