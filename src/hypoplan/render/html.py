"""One self-contained HTML page per hypothesis that leads with the study: summary, focused diagram, Specific
Aims scaffold, design and feasibility, then the full diagram and analysis folded away.

Pure: the caller passes the SVG already laid out by
:mod:`hypoplan.render.graphviz` (or ``None``, and the DOT text is shown
instead).  The page loads nothing: styles are inline, the diagram is inline
SVG, and a Content-Security-Policy forbids scripts and every external load.
All user text is HTML-escaped (Jinja2 autoescape); the Markdown of the
analysis and plan renderers is converted with raw HTML disabled, images off
and unsafe link schemes refused.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..schema import Hypothesis
    from .aims import AimsScaffold

__all__ = ["CSP", "fold_long_lists", "markdown_to_html", "plan_sections", "prefix_ids", "report_html"]

#: No scripts, no network: styles inline, images only as data: URIs (none are used).
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


def markdown_to_html(markdown: str, *, heading_offset: int = 1) -> str:
    """Markdown (already escaped by its renderer) → HTML with raw HTML off, images off, headings shifted down."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"]).disable("image")
    tokens = md.parse(markdown)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + heading_offset)}"
    return md.renderer.render(tokens, md.options, {})


#: Plan sections shown under "Feasibility"; every other plan section goes under "Study design", in plan order
#: (PECO, design, identification strategy, estimand, outcomes, measures, adjustment, controls, sample size …).
FEASIBILITY_SECTIONS = ("Feasibility", "Missing")
#: Items shown before a long list folds into a <details> element.
LIST_KEEP = 10


def prefix_ids(svg: str, prefix: str) -> str:
    """Prefix every ``id`` of an inlined SVG, so two diagrams on one page never share an id."""
    return re.sub(r'(\sid=")', rf"\1{prefix}", svg)


def plan_sections(markdown: str) -> dict[str, str]:
    """The plan Markdown split at its ``## `` headings: {heading: body}."""
    out: dict[str, str] = {}
    current: str | None = None
    for line in markdown.splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            out[current] = ""
        elif current is not None:
            out[current] += line + "\n"
    return out


_LIST = re.compile(r"<ul>\n((?:<li>(?:(?!<ul>|</ul>).)*?</li>\n)+)</ul>", re.DOTALL)
_ITEM = re.compile(r"<li>.*?</li>\n", re.DOTALL)


def fold_long_lists(fragment: str, keep: int = LIST_KEEP) -> str:
    """Fold every flat ``<ul>`` longer than ``keep`` items: the rest go into ``<details>`` (no script)."""
    def fold(match: re.Match[str]) -> str:
        items = _ITEM.findall(match.group(1))
        if len(items) <= keep:
            return match.group(0)
        return ("<ul>\n" + "".join(items[:keep]) + "</ul>\n<details class=\"more\"><summary>"
                + f"{len(items) - keep} more</summary>\n<ul>\n" + "".join(items[keep:]) + "</ul>\n</details>")

    return _LIST.sub(fold, fragment)


def report_html(hypothesis: Hypothesis, *, dot: str, svg: str | None, aims: AimsScaffold,
                plan: dict[str, Any] | None = None, analysis_markdown: str | None = None,
                notes: tuple[str, ...] = (), version: str = "", focus_dot: str | None = None,
                focus_svg: str | None = None, focus_rival: bool = False) -> str:
    """The report page, leading with the study: summary, focused diagram, aims, design, feasibility; then the
    full diagram and the full analysis folded in ``<details>``.

    ``svg``/``focus_svg`` must come from :func:`hypoplan.render.graphviz.svg_for_html` (``None``: the DOT text is
    shown); ``analysis_markdown`` from :func:`hypoplan.render.analysis_markdown.render_analysis_markdown`
    (level 3); the plan sections from :func:`hypoplan.render.plan_markdown.render_plan_markdown`.
    ``focus_rival``: the focused diagram marks nodes the rival draws differently (its caption then explains them).
    """
    import jinja2
    from markupsafe import Markup

    from .aims import aims_html

    design_html = feasibility_html = None
    if plan is not None:
        from .plan_markdown import render_plan_markdown

        sections = plan_sections(render_plan_markdown(plan))

        def join(names: list[str]) -> Markup:
            md = "".join(f"### {name}\n\n" + sections[name].replace("\n### ", "\n#### ") + "\n" for name in names)
            return Markup(fold_long_lists(markdown_to_html(md, heading_offset=0)))

        design_html = join([n for n in sections if n not in FEASIBILITY_SECTIONS])
        feasibility_html = join([n for n in FEASIBILITY_SECTIONS if n in sections])
    analysis_html = None
    if analysis_markdown:
        analysis_html = Markup(fold_long_lists(markdown_to_html(analysis_markdown, heading_offset=0)))
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined)
    return env.get_template("report.html.j2").render(
        h=hypothesis,
        csp=CSP,
        svg=Markup(svg) if svg else None,
        dot=dot,
        focus_svg=Markup(focus_svg) if focus_svg else None,
        focus_dot=focus_dot,
        focus_rival=focus_rival,
        analysis_html=analysis_html,
        design_html=design_html,
        feasibility_html=feasibility_html,
        aims_html=Markup(aims_html(aims)),
        notes=notes,
        version=version,
    )
