"""A static site for a hypothesis registry: index, one page per hypothesis, the map and the citations.  Pure.

Like the report, every page loads nothing: styles are inline, the map is
inline SVG from :func:`hypoplan.render.graphviz.svg_for_html`, a
Content-Security-Policy forbids scripts and external loads, and every user
string is HTML-escaped.  Links are relative, so the folder can be published
as it is (GitHub Pages) or opened from disk.  The index is sortable without
scripts: each sortable column header links to a copy of the index pre-sorted
by that column.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .escape import html_text as h
from .html import CSP
from .registry_dot import LINK_COLOURS, link_status

if TYPE_CHECKING:
    from ..registry.build import RegistryMap
    from ..registry.model import Entry

__all__ = [
    "SORTS",
    "Row",
    "citations_page",
    "hypothesis_page",
    "index_pages",
    "index_rows",
    "map_page",
    "page_name",
    "registry_section",
]


def page_name(hypothesis_id: str) -> str:
    """The site path of a hypothesis page (ids are letters, digits, ``_ . -``: safe as file names)."""
    return f"h/{hypothesis_id}.html"


@dataclass(frozen=True)
class Row:
    """One line of the index."""

    id: str
    title: str
    status: str
    focus: str
    evidence_edges: int
    edges: int
    contested: int
    changed: str | None


_STATUS_ORDER = {"supported": 0, "contested": 1, "proposed": 2, "idea": 3, "refuted": 4}

#: Sortable columns: (file name, header, key).
SORTS: tuple[tuple[str, str, Callable[[Row], tuple[Any, ...]]], ...] = (
    ("index.html", "Hypothesis", lambda r: (r.title.lower(), r.id)),
    ("by-status.html", "Status", lambda r: (_STATUS_ORDER.get(r.status, 9), r.title.lower())),
    ("by-evidence.html", "Edges with evidence", lambda r: (-r.evidence_edges, r.title.lower())),
    ("by-contested.html", "Contested edges", lambda r: (-r.contested, r.title.lower())),
    ("by-changed.html", "Last change", lambda r: (r.changed is None, "" if r.changed is None else
                                                  "".join(chr(0x10FFFF - ord(c)) for c in r.changed), r.title.lower())),
)


def _focus(e: Entry) -> str:
    res = e.resolved

    def names(ids: tuple[str, ...]) -> str:
        return ", ".join((n.display if (n := res.node(i)) else i) for i in ids)

    if not (res.focus.exposure or res.focus.outcome):
        return ""
    return f"{names(res.focus.exposure) or '?'} → {names(res.focus.outcome) or '?'}"


def index_rows(m: RegistryMap, changed: Mapping[str, str | None]) -> list[Row]:
    """The index rows: edges with evidence and contested edges count the resolved hypothesis's edges; an edge
    is contested when its confidence says so or when it takes part in a conflict with another file."""
    rows = []
    for e in m.entries:
        in_conflict = m.conflicted_edges(e.id)
        own = {(ed.source, ed.target) for i, ed in enumerate(e.hypothesis.edges) if i in in_conflict}
        contested = sum(1 for ed in e.resolved.edges
                        if ed.confidence.value == "contested" or (ed.source, ed.target) in own)
        rows.append(Row(e.id, e.hypothesis.title, e.hypothesis.status.value, _focus(e),
                        sum(1 for ed in e.resolved.edges if ed.evidence), len(e.resolved.edges), contested,
                        changed.get(e.id)))
    return rows


_CSS = """
  :root { --ink: #1d1d1f; --muted: #5f6368; --rule: #d9dce1; --accent: #1a4f8b; }
  * { box-sizing: border-box; }
  body { margin: 0; color: var(--ink); background: #fff;
         font: 15px/1.5 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
  main { max-width: 1200px; margin: 0 auto; padding: 1rem 1.5rem 4rem; }
  nav.site { display: flex; gap: 1.2rem; flex-wrap: wrap; border-bottom: 3px solid var(--accent);
             padding: .6rem 0; margin-bottom: 1rem; font-size: .95rem; }
  nav.site a { color: var(--accent); text-decoration: none; font-weight: 600; }
  nav.site a[aria-current] { color: var(--ink); }
  h1 { font-size: 1.5rem; margin: .3rem 0 .6rem; } h2 { font-size: 1.2rem; margin-top: 2rem;
       border-bottom: 1px solid var(--rule); padding-bottom: .2rem; }
  table { border-collapse: collapse; width: 100%; font-size: .85rem; margin: .5rem 0 1rem; }
  th, td { border: 1px solid var(--rule); padding: .3rem .45rem; text-align: left; vertical-align: top; }
  th { background: #f2f4f7; } th a { color: var(--accent); } th[aria-sort] { background: #e3e9f2; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; }
  .meta, .note { color: var(--muted); font-size: .9rem; }
  .badge { display: inline-block; padding: 0 .45rem; border-radius: .8rem; background: #eef2f7;
           border: 1px solid var(--rule); font-size: .8rem; }
  .diagram { border: 1px solid var(--rule); border-radius: 6px; padding: .5rem; overflow: auto; margin: .5rem 0; }
  .diagram svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
  .swatch { display: inline-block; width: 2.2em; height: .35em; vertical-align: middle; margin: 0 .3em 0 1em; }
  .conflict { background: #c0392b; } .agreement { background: #1e7b34; } .single { background: #8a8f98; }
  code { font-size: .85em; }
"""

_PAGES = (("index.html", "Hypotheses"), ("map.html", "Map"), ("citations.html", "Citations"))


def _page(title: str, body: str, *, current: str, depth: int = 0, version: str = "") -> str:
    up = "../" * depth
    nav = "".join(f'<a href="{up}{href}"' + (' aria-current="page"' if href == current else "") + f">{h(name)}</a>"
                  for href, name in _PAGES)
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{h(CSP)}">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta name="generator" content="hypoplan {h(version)}">\n'
            f"<title>{h(title)} · hypothesis registry</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
            f'<nav class="site" aria-label="Registry">{nav}</nav>\n{body}\n'
            f'<footer class="meta">Generated by hypoplan {h(version)} from the hypothesis files.</footer>\n'
            "</main>\n</body>\n</html>\n")


def _hlink(hid: str, text: str | None = None, depth: int = 0) -> str:
    return f'<a href="{"../" * depth}{h(page_name(hid))}">{h(text or hid)}</a>'


def index_pages(m: RegistryMap, rows: list[Row], *, version: str = "") -> dict[str, str]:
    """The index, once per sort order (file name → HTML)."""
    out = {}
    s = m.summary()
    for fname, _, key in SORTS:
        ordered = sorted(rows, key=key)
        heads = []
        for other, header, _k in SORTS:
            sort_attr = ' aria-sort="ascending"' if other == fname else ""
            heads.append(f'<th{sort_attr}><a href="{other}">{h(header)}</a></th>'
                         if other != fname else f"<th{sort_attr}>{h(header)} ▾</th>")
        heads.insert(2, "<th>Focus (exposure → outcome)</th>")
        body_rows = []
        for r in ordered:
            body_rows.append(
                f"<tr><td>{_hlink(r.id, r.title)}<br><code>{h(r.id)}</code></td>"
                f'<td><span class="badge">{h(r.status)}</span></td><td>{h(r.focus) or "–"}</td>'
                f'<td class="num">{r.evidence_edges} of {r.edges}</td><td class="num">{r.contested}</td>'
                f'<td>{h(r.changed) if r.changed else "–"}</td></tr>')
        body = (f"<h1>Hypothesis registry</h1>\n<p class=\"meta\">{len(rows)} hypotheses · {s['shared_nodes']} "
                f"shared nodes · {s['conflicts']} conflicts · {s['rival_pairs']} rival pairs. Click a column "
                "header to sort by it.</p>\n"
                f"<table>\n<thead><tr>{''.join(heads)}</tr></thead>\n<tbody>\n" + "\n".join(body_rows)
                + "\n</tbody>\n</table>")
        out[fname] = _page("Hypotheses", body, current="index.html", version=version)
    return out


def _link_cell(m: RegistryMap, key: tuple[str, str, str]) -> str:
    a, b = m.graph.nodes[key[0]].label, m.graph.nodes[key[1]].label
    return f"{h(a)} {'↔' if key[2] == 'confounded' else '→'} {h(b)}"


def map_page(m: RegistryMap, *, svg: str | None, dot: str | None, note: str, version: str = "") -> str:
    """The merged graph (SVG, or DOT text without Graphviz), conflicts, shared nodes and links, experiments."""
    from .registry_text import and_list, experiment_text, shared_nodes

    parts = ["<h1>Registry map</h1>",
             ('<p class="meta">Every hypothesis merged into one graph: nodes by construct (or <code>same_as</code>), '
              "never by id alone.</p>"), '<section id="graph"><h2>Merged graph</h2>',
             f'<p class="meta">{h(note)}</p>',
             ('<p class="meta">Links:<span class="swatch conflict"></span>in a conflict'
              '<span class="swatch agreement"></span>drawn by 2+ files, no conflict'
              '<span class="swatch single"></span>drawn by one file</p>')]
    if svg:
        parts.append(f'<figure class="diagram" role="img" aria-label="Merged graph of the registry">{svg}</figure>')
    elif dot:
        parts.append('<p class="note">Graphviz (<code>dot</code>) is not installed: the graph is shown as DOT text.'
                     f"</p><pre>{h(dot)}</pre>")
    parts.append("</section>")
    parts.append('<section id="conflicts"><h2>Conflicts</h2>')
    if m.conflicts:
        parts.append("<table><thead><tr><th>Kind</th><th>Link</th><th>Conflict</th><th>Hypotheses</th></tr></thead>"
                     "<tbody>")
        for c in m.conflicts:
            link = _link_cell(m, c.link) if c.link else "–"
            parts.append(f"<tr><td>{h(c.kind)}</td><td>{link}</td><td>{h(c.message)}</td>"
                         f"<td>{', '.join(_hlink(x) for x in c.hypotheses if x in m.graph.entries_by_id)}</td></tr>")
        parts.append("</tbody></table>")
    else:
        parts.append("<p>No conflicts between the files.</p>")
    parts.append("</section>")
    parts.append('<section id="experiments"><h2>Experiments ranked by the rival pairs they settle</h2>')
    if m.experiments:
        parts.append("<table><thead><tr><th>#</th><th>Measure</th><th>Methods (invasiveness, cost, burden)</th>"
                     "<th>Pairs settled</th><th>What each side predicts</th></tr></thead><tbody>")
        for i, x in enumerate(m.experiments, 1):
            preds = "<br>".join(f"{_hlink(p.pair[0])} vs {_hlink(p.pair[1])} ({h(p.kind)}): {h(p.this_predicts)}"
                                f" / {h(p.rival_predicts)}" for p in x.settles)
            parts.append(f'<tr><td class="num">{i}</td><td>{h(and_list(x.measures))}</td>'
                         f"<td>{h(experiment_text(x))}</td><td class=\"num\">{len(x.settles)} "
                         f"({x.decisive} decisively)</td><td>{preds}</td></tr>")
        parts.append("</tbody></table>")
    else:
        parts.append("<p>No rival pair has a discriminating measurement with a catalog method"
                     + ("" if m.rival_pairs else " (no hypothesis names a rival)") + ".</p>")
    parts.append("</section>")
    parts.append('<section id="shared"><h2>Shared nodes</h2><table><thead><tr><th>Node</th><th>Constructs</th>'
                 "<th>Declared in</th></tr></thead><tbody>")
    for n in shared_nodes(m):
        where = ", ".join(f"{_hlink(hid)} (<code>{h(nid)}</code>)" for hid, nid in n.sources)
        parts.append(f"<tr><td>{h(n.label)}</td><td>{h(', '.join(n.constructs))}</td><td>{where}</td></tr>")
    parts.append("</tbody></table>")
    status = link_status(m)
    parts.append("<h2>Shared links</h2><table><thead><tr><th>Link</th><th>Signs</th><th>Drawn by</th><th>Status</th>"
                 "</tr></thead><tbody>")
    for shared_link in m.shared_links:
        signs = ", ".join(f"{h(c.hypothesis)}: {h(c.edge.sign.symbol)}" for c in shared_link.claims)
        parts.append(f"<tr><td>{_link_cell(m, shared_link.key)}</td><td>{signs}</td>"
                     f"<td>{', '.join(_hlink(x) for x in shared_link.hypotheses)}</td>"
                     f"<td>{h(status[shared_link.key])}</td></tr>")
    parts.append("</tbody></table></section>")
    assert set(LINK_COLOURS) == {"conflict", "agreement", "single"}
    return _page("Map", "\n".join(parts), current="map.html", version=version)


def citations_page(m: RegistryMap, *, version: str = "") -> str:
    """Every cited work: where it is used, in which direction, species and design."""
    e = m.evidence
    parts = ["<h1>Citations</h1>",
             (f'<p class="meta">{len(m.citations)} cited works. {e.links_with_evidence} of {e.links} links have '
              f"evidence; {e.animal_only} rest on animal-only evidence; {e.secondary_only} rest on secondary sources "
              f"only (reviews, meta-analyses); {e.uncited_evidence} evidence items cite nothing.</p>"),
             ("<table><thead><tr><th>Citation</th><th>Reference</th><th>Hypothesis</th><th>Link</th>"
              "<th>Direction</th><th>Species</th><th>Design</th></tr></thead><tbody>")]
    for c in m.citations:
        for i, u in enumerate(c.uses):
            first = (f'<td rowspan="{len(c.uses)}"><code>{h(c.citation)}</code></td>'
                     f'<td rowspan="{len(c.uses)}">{h("; ".join(c.references))}</td>') if i == 0 else ""
            parts.append(f"<tr>{first}<td>{_hlink(u.hypothesis)}</td><td>{_link_cell(m, u.link)}</td>"
                         f"<td>{h(u.direction)}</td><td>{h(u.species or '–')}</td><td>{h(u.design)}</td></tr>")
    parts.append("</tbody></table>")
    return _page("Citations", "\n".join(parts), current="citations.html", version=version)


def registry_section(m: RegistryMap, entry: Entry) -> str:
    """The 'In the registry' section of a hypothesis page: extends, rivals, shared nodes, conflicts."""
    by_id = m.graph.entries_by_id

    def links(ids: list[str]) -> str:
        return ", ".join(_hlink(i, depth=1) if i in by_id else f"{h(i)} (not in the registry)" for i in ids) or "–"

    extended_by = m.extended_by(entry.id)
    rivalled_by = [hid for hid in m.rivalled_by(entry.id) if hid not in entry.hypothesis.rivals]
    rows = [("Extends", links(list(entry.hypothesis.extends))), ("Extended by", links(extended_by)),
            ("Rivals", links(list(entry.hypothesis.rivals))), ("Named as a rival by", links(rivalled_by))]
    parts = ['<section id="registry"><h2>In the registry</h2><table><tbody>']
    parts += [f"<tr><th>{h(k)}</th><td>{v}</td></tr>" for k, v in rows]
    parts.append("</tbody></table>")
    shared = []
    for node_id in sorted(entry.owners):
        merged = m.graph.nodes[m.graph.merged(entry, node_id)]
        others = [x for x in merged.declared_in if x != entry.id and x != entry.owners[node_id]]
        if others:
            shared.append(f"<tr><td>{h(merged.label)} (<code>{h(node_id)}</code>)</td>"
                          f"<td>{', '.join(_hlink(x, depth=1) for x in others)}</td></tr>")
    if shared:
        parts.append("<h3>Nodes shared with other hypotheses</h3><table><thead><tr><th>Node</th><th>Also in</th>"
                     "</tr></thead><tbody>" + "".join(shared) + "</tbody></table>")
    mine = m.conflicts_of(entry.id)
    if mine:
        parts.append("<h3>Conflicts in the registry involving this hypothesis</h3><ul>"
                     + "".join(f"<li>[{h(c.kind)}] {h(c.message)}</li>" for c in mine) + "</ul>")
    parts.append('<p class="meta"><a href="../map.html">The registry map</a> · '
                 '<a href="../index.html">All hypotheses</a></p></section>')
    return "\n".join(parts)


def hypothesis_page(report: str, m: RegistryMap, entry: Entry) -> str:
    """The hypothesis's report (:func:`hypoplan.render.html.report_html`) made a page of the site: the site's
    navigation at the top and an 'In the registry' section at the end."""
    nav = ('<nav class="site" aria-label="Registry"><a href="../index.html">Hypotheses</a>'
           '<a href="../map.html">Map</a><a href="../citations.html">Citations</a>'
           '<a href="#registry">This hypothesis in the registry</a></nav>')
    style = ("<style>nav.site { display: flex; gap: 1.2rem; padding: .4rem 0; font-size: .95rem; }"
             " nav.site a { color: #1a4f8b; font-weight: 600; text-decoration: none; }</style>")
    if "<main>" not in report or "</main>" not in report or "</head>" not in report:
        raise ValueError("the report page has no <main> or <head>")
    page = report.replace("</head>", style + "\n</head>", 1).replace("<main>", "<main>\n" + nav, 1)
    head, tail = page.rsplit("</main>", 1)
    return head + registry_section(m, entry) + "\n</main>" + tail
