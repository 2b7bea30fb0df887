"""``hypoplan report``: one self-contained HTML page with the diagram, analysis, plan and aims scaffold."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer

from . import app
from .common import check_output, err, handle_errors, write_output


def analysis_markdown(g: Any, analysis: Any) -> str | None:
    """The analysis as Markdown (the analysis renderer's), with section headings under the report's h2."""
    if analysis is None:
        return None
    from ..render.analysis_markdown import render_analysis_markdown

    return render_analysis_markdown(analysis, g, level=3)


@dataclass(frozen=True)
class ReportDraft:
    """A report page before its diagrams are laid out: ``dot`` and ``focus_dot`` go to Graphviz, the SVGs
    come back to :meth:`page`.  ``hypoplan report`` and ``hypoplan site`` both build pages this way."""

    hypothesis: Any
    g: Any
    analysis: Any
    plan: dict[str, Any] | None
    dot: str
    focus_dot: str | None
    notes: tuple[str, ...]
    focus_rival: bool = False

    def page(self, svg: str | None, focus_svg: str | None) -> str:
        """The HTML page (``svg``/``focus_svg`` ``None``: the diagrams are shown as DOT text)."""
        from .. import __version__
        from ..render.aims import build_aims
        from ..render.html import report_html

        return report_html(self.hypothesis, dot=self.dot, svg=svg, aims=build_aims(self.hypothesis, self.plan),
                           plan=self.plan, analysis_markdown=analysis_markdown(self.g, self.analysis),
                           notes=self.notes, version=__version__, focus_dot=self.focus_dot, focus_svg=focus_svg,
                           focus_rival=self.focus_rival)


def draft_report(hypothesis: Any, repo: Any, *, quiet: bool = False) -> ReportDraft:
    """Graph, analysis, full and focused DOT, plan and notes of a report; ``quiet``: no stderr note when the
    analysis cannot run (the plan's note is always given)."""
    from ..graph import build_graph
    from ..render.diagram import DiagramOptions
    from ..render.dot import to_dot
    from .render import focused_graph, try_analysis, try_plan

    g = build_graph(hypothesis)
    analysis = try_analysis(g, quiet=quiet)
    dot = to_dot(g, analysis, DiagramOptions())
    plan = try_plan(hypothesis, repo)
    notes = () if plan is not None else ("The study planner could not build a plan for this hypothesis.",)
    focus_dot = None
    focus_rival = False
    if g.graph.get("exposure") and g.graph.get("outcome"):
        small, adjustment = focused_graph(hypothesis, repo, g, analysis, plan)
        focus_rival = bool(small.graph.get("rival"))
        focus_dot = to_dot(small, None, DiagramOptions(rankdir="TB", highlight=adjustment or None, legend=False,
                                                        compact=True))
    return ReportDraft(hypothesis, g, analysis, plan, dot, focus_dot, notes, focus_rival)


@app.command()
@handle_errors
def report(
    file: str = typer.Argument(..., help="A hypothesis file (YAML or .dagitty), or - for stdin."),
    output: Path = typer.Option(None, "--output", "-o", help="The HTML file to write (stdout when omitted)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing output file."),
) -> None:
    """Write one self-contained HTML page that leads with the study: summary, a focused diagram (at most 10
    nodes), the Specific Aims scaffold, the design and feasibility; the full diagram and the full causal
    analysis follow, folded. No external assets or scripts; readable offline and printable.

    Without Graphviz the diagram is shown as DOT text.

    Examples:

        hypoplan report hypotheses/mecfs-ne-vasomotion.yaml -o out/report.html

        hypoplan report hypotheses/fm-sympathetic-pain.yaml -o report.html --force
    """
    from ..render.graphviz import GraphvizMissing, render, svg_for_html
    from ..render.html import prefix_ids
    from .render import load_hypothesis

    check_output(output, force=force)
    hypothesis, repo = load_hypothesis(file)
    draft = draft_report(hypothesis, repo)
    try:
        svg: str | None = svg_for_html(render(draft.dot, "svg"))
        focus_svg = prefix_ids(svg_for_html(render(draft.focus_dot, "svg")), "focus-") if draft.focus_dot else None
    except GraphvizMissing:
        err("note: Graphviz (`dot`) is not installed; the report shows the diagram as DOT text")
        svg = focus_svg = None
    write_output(output, draft.page(svg, focus_svg), force=force)
