"""``hypoplan render``: draw a hypothesis as DOT, Mermaid, SVG, PNG or PDF.

Also holds the small loading helpers that ``aims`` and ``report`` share.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from . import app
from .common import check_output, err, handle_errors, write_output

if TYPE_CHECKING:
    from ..analysis.result import AnalysisResult
    from ..loader import Repository
    from ..schema import Hypothesis


class RenderFormat(str, Enum):
    dot = "dot"
    mermaid = "mermaid"
    svg = "svg"
    png = "png"
    pdf = "pdf"


class Rankdir(str, Enum):
    LR = "LR"
    TB = "TB"
    RL = "RL"
    BT = "BT"


def stdout_is_terminal() -> bool:
    """True when stdout is an interactive terminal (binary output is then refused)."""
    return sys.stdout.isatty()


def load_hypothesis(path: str | Path) -> tuple[Hypothesis, Repository]:
    """The hypothesis a command was given (file or ``-``), with its ``extends`` resolved, and its repository."""
    from .common import load_argument

    loaded = load_argument(path)
    return loaded.hypothesis, loaded.repository


def try_analysis(g: Any, *, adjusted: frozenset[str] | None = None, quiet: bool = False) -> AnalysisResult | None:
    """The analysis of the graph's focus, or ``None`` (with a note on stderr) when it cannot be run."""
    if not g.graph.get("exposure") or not g.graph.get("outcome"):
        return None
    from ..analysis import analyze
    from ..errors import HypoplanError

    try:
        if adjusted is None:
            return analyze(g)
        return analyze(g, adjusted=sorted(set(g.graph.get("adjusted", ())) | adjusted))
    except HypoplanError as exc:
        if not quiet:
            err(f"note: no path colouring: {exc.message}")
        return None


def try_plan(hypothesis: Hypothesis, repo: Repository) -> dict[str, Any] | None:
    """The plan's JSON dict, or ``None`` (with a note on stderr) when the planner is unavailable or fails."""
    from ..errors import HypoplanError
    from ..plan import build_plan

    try:
        return build_plan(hypothesis, repository=repo).to_json()
    except HypoplanError as exc:
        err(f"note: no plan: {exc.message}")
        return None


def highlight_set(spec: str | None, analysis: AnalysisResult | None, g: Any) -> frozenset[str] | None:
    """Resolve ``--highlight-adjustment``: minimal | optimal | canonical | min-cost | a comma list of node ids."""
    from ..errors import UsageError

    if not spec:
        return None
    named = spec.strip().lower()
    if named in {"minimal", "optimal", "canonical", "min-cost"}:
        if analysis is None:
            raise UsageError(f"--highlight-adjustment {named} needs an analysable focus (exposure and outcome)")
        adj = analysis.adjustment
        chosen = {"minimal": adj.minimal[0] if adj.minimal else None, "optimal": adj.optimal,
                  "canonical": adj.canonical, "min-cost": adj.min_cost.nodes if adj.min_cost else None}[named]
        if chosen is None:
            raise UsageError(f"there is no {named} adjustment set for this exposure and outcome")
        return frozenset(chosen)
    from .common import split_ids

    nodes = frozenset(split_ids(spec, "--highlight-adjustment") or ())
    unknown = sorted(n for n in nodes if n not in g)
    if unknown:
        raise UsageError(f"--highlight-adjustment: unknown node(s) {', '.join(unknown)}",
                         hint="give node ids separated by commas, or minimal | optimal | canonical | min-cost")
    return nodes


def diagram_text(hypothesis: Hypothesis, fmt: str, *, rankdir: str = "LR", group_by_level: bool = False,
                 highlight: str | None = None, legend: bool = True) -> str:
    """DOT or Mermaid text of a hypothesis, coloured by its analysis when it can be run."""
    from ..graph import build_graph
    from ..render.diagram import DiagramOptions
    from ..render.dot import to_dot
    from ..render.mermaid import to_mermaid

    g = build_graph(hypothesis)
    analysis = try_analysis(g)
    chosen = highlight_set(highlight, analysis, g)
    if chosen is not None:
        # colour the paths as they are once the highlighted set is adjusted for
        analysis = try_analysis(g, adjusted=chosen) or analysis
    options = DiagramOptions(rankdir=rankdir, group_by_level=group_by_level, highlight=chosen, legend=legend)
    return (to_mermaid if fmt == "mermaid" else to_dot)(g, analysis, options)


@app.command()
@handle_errors
def render(
    file: str = typer.Argument(..., help="A hypothesis file (.yaml or .dagitty), or - for stdin."),
    format: RenderFormat = typer.Option(RenderFormat.dot, "--format", "-f", help="Output format."),
    output: Path = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing output file."),
    rankdir: Rankdir = typer.Option(Rankdir.LR, "--rankdir", help="Layout direction."),
    group_by_level: bool = typer.Option(False, "--group-by-level", help="Cluster nodes by biological level (molecular → clinical)."),
    highlight_adjustment: str = typer.Option(None, "--highlight-adjustment", metavar="SET",
                                             help="Highlight an adjustment set: minimal, optimal, canonical, min-cost, or node ids separated by commas."),
    legend: bool = typer.Option(True, "--legend/--no-legend", help="Draw a legend."),
) -> None:
    """Draw the causal diagram: exposure and outcome marked, latent nodes dashed, adjusted nodes boxed,
    causal paths green and biasing paths red, edge style by confidence, signs and animal-only badges.

    dot and mermaid need no binary; svg, png and pdf use the system Graphviz (exit 2 if it is missing).

    Examples:

        hypoplan render hypotheses/mecfs-ne-vasomotion.yaml              # DOT on stdout

        hypoplan render hypotheses/mecfs-ne-vasomotion.yaml -f mermaid --rankdir TB

        hypoplan render hypotheses/mecfs-ne-vasomotion.yaml -f svg -o out/mecfs.svg --group-by-level --highlight-adjustment minimal
    """
    from ..errors import UsageError

    hypothesis, _ = load_hypothesis(file)
    text_format = "mermaid" if format is RenderFormat.mermaid else "dot"
    text = diagram_text(hypothesis, text_format, rankdir=rankdir.value, group_by_level=group_by_level,
                        highlight=highlight_adjustment, legend=legend)
    if format in (RenderFormat.dot, RenderFormat.mermaid):
        write_output(output, text, force=force)
        return
    if format in (RenderFormat.png, RenderFormat.pdf) and (output is None or str(output) == "-") and stdout_is_terminal():
        raise UsageError(f"refusing to write {format.value.upper()} bytes to a terminal",
                         hint=f"pass -o FILE.{format.value}, or pipe the output into a file")
    check_output(output, force=force)
    from ..render.graphviz import render as run_graphviz

    data = run_graphviz(text, format.value)
    write_output(output, data if format is not RenderFormat.svg else data.decode("utf-8"), force=force)
