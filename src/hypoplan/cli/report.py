"""``hypoplan report``: one self-contained HTML page with the diagram, analysis, plan and aims scaffold."""

from __future__ import annotations

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
    from .. import __version__
    from ..graph import build_graph
    from ..render.aims import build_aims
    from ..render.diagram import DiagramOptions
    from ..render.dot import to_dot
    from ..render.graphviz import GraphvizMissing, render, svg_for_html
    from ..render.html import prefix_ids, report_html
    from .render import focused_graph, load_hypothesis, try_analysis, try_plan

    check_output(output, force=force)
    hypothesis, repo = load_hypothesis(file)
    g = build_graph(hypothesis)
    analysis = try_analysis(g)
    dot = to_dot(g, analysis, DiagramOptions())
    notes: list[str] = []
    plan = try_plan(hypothesis, repo)
    if plan is None:
        notes.append("The study planner could not build a plan for this hypothesis.")
    focus_dot = None
    focus_rival = False
    if g.graph.get("exposure") and g.graph.get("outcome"):
        small, adjustment = focused_graph(hypothesis, repo, g, analysis, plan)
        focus_rival = bool(small.graph.get("rival"))
        focus_dot = to_dot(small, None, DiagramOptions(rankdir="TB", highlight=adjustment or None, legend=False,
                                                        compact=True))
    try:
        svg: str | None = svg_for_html(render(dot, "svg"))
        focus_svg = prefix_ids(svg_for_html(render(focus_dot, "svg")), "focus-") if focus_dot else None
    except GraphvizMissing:
        err("note: Graphviz (`dot`) is not installed; the report shows the diagram as DOT text")
        svg = focus_svg = None
    page = report_html(hypothesis, dot=dot, svg=svg, aims=build_aims(hypothesis, plan), plan=plan,
                       analysis_markdown=analysis_markdown(g, analysis), notes=tuple(notes), version=__version__,
                       focus_dot=focus_dot, focus_svg=focus_svg, focus_rival=focus_rival)
    write_output(output, page, force=force)
