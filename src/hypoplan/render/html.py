"""One self-contained HTML page per hypothesis: diagram, analysis, plan and Specific Aims scaffold.

Pure: the caller passes the SVG already laid out by
:mod:`hypoplan.render.graphviz` (or ``None``, and the DOT text is shown
instead).  The page loads nothing: styles are inline, the diagram is inline
SVG, and a Content-Security-Policy forbids scripts and every external load.
All user text is HTML-escaped (Jinja2 autoescape); the Markdown of the
analysis and plan renderers is converted with raw HTML disabled, images off
and unsafe link schemes refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..schema import Hypothesis
    from .aims import AimsScaffold

__all__ = ["CSP", "markdown_to_html", "report_html"]

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


def report_html(hypothesis: Hypothesis, *, dot: str, svg: str | None, aims: AimsScaffold,
                plan: dict[str, Any] | None = None, analysis_markdown: str | None = None,
                notes: tuple[str, ...] = (), version: str = "") -> str:
    """The report page.  ``svg`` must come from :func:`hypoplan.render.graphviz.svg_for_html`;
    ``analysis_markdown`` from :func:`hypoplan.render.analysis_markdown.render_analysis_markdown` (level 3),
    the plan section from :func:`hypoplan.render.plan_markdown.render_plan_markdown`.
    """
    import jinja2
    from markupsafe import Markup

    from .aims import aims_html

    plan_html = None
    if plan is not None:
        from .plan_markdown import render_plan_markdown

        plan_md = render_plan_markdown(plan)
        if plan_md.startswith("# "):  # the page already carries the title
            plan_md = plan_md.split("\n", 1)[1] if "\n" in plan_md else ""
        plan_html = Markup(markdown_to_html(plan_md, heading_offset=1))
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined)
    return env.get_template("report.html.j2").render(
        h=hypothesis,
        csp=CSP,
        svg=Markup(svg) if svg else None,
        dot=dot,
        analysis_html=Markup(markdown_to_html(analysis_markdown, heading_offset=0)) if analysis_markdown else None,
        plan_html=plan_html,
        aims_html=Markup(aims_html(aims)),
        notes=notes,
        version=version,
    )
