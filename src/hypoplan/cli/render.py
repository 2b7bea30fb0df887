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


def focused_graph(hypothesis: Hypothesis, repo: Repository | None, g: Any, analysis: AnalysisResult | None,
                  plan: dict[str, Any] | None) -> tuple[Any, frozenset[str]]:
    """The focused view of ``g`` (see :mod:`hypoplan.render.focus`) and the adjustment set to highlight in it:
    the plan's chosen set, else the analysis's optimal or first minimal set."""
    from ..design.rivals import load_rivals
    from ..graph import build_graph
    from ..render.focus import focus_graph, focus_nodes, rival_differences

    adjustment: frozenset[str] = frozenset()
    if plan is not None:
        adjustment = frozenset((plan.get("adjustment") or {}).get("set") or ())
    elif analysis is not None:
        adj = analysis.adjustment
        adjustment = frozenset(adj.optimal if adj.optimal is not None else (adj.minimal[0] if adj.minimal else ()))
    rival_nodes: list[str] = []
    if hypothesis.rivals:
        rivals, _ = load_rivals(hypothesis, repo)
        for rival in rivals:
            rival_nodes += [n for n in rival_differences(g, build_graph(rival)) if n not in rival_nodes]
    nodes, left_out = focus_nodes(g, adjustment=adjustment, rival_nodes=rival_nodes)
    return (focus_graph(g, nodes, left_out=left_out, rival_nodes=rival_nodes),
            frozenset(n for n in adjustment if n in nodes))


def diagram_text(hypothesis: Hypothesis, fmt: str, *, rankdir: str = "LR", group_by_level: bool = False,
                 highlight: str | None = None, legend: bool = True, focus: bool = False,
                 repository: Repository | None = None) -> str:
    """DOT or Mermaid text of a hypothesis, coloured by its analysis when it can be run; with ``focus``, the
    focused view (no path colouring: the paths of the full graph run through nodes it leaves out)."""
    from ..graph import build_graph
    from ..render.diagram import DiagramOptions
    from ..render.dot import to_dot
    from ..render.mermaid import to_mermaid

    g = build_graph(hypothesis)
    analysis = try_analysis(g)
    if focus:
        small, adjustment = focused_graph(hypothesis, repository, g, analysis, try_plan(hypothesis, repository)
                                          if repository is not None else None)
        options = DiagramOptions(rankdir=rankdir, group_by_level=group_by_level, highlight=adjustment or None,
                                 legend=legend, compact=True)
        return (to_mermaid if fmt == "mermaid" else to_dot)(small, None, options)
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
    rankdir: Rankdir = typer.Option(None, "--rankdir", help="Layout direction (default LR; TB with --focus)."),
    group_by_level: bool = typer.Option(False, "--group-by-level", help="Cluster nodes by biological level (molecular → clinical)."),
    highlight_adjustment: str = typer.Option(None, "--highlight-adjustment", metavar="SET",
                                             help="Highlight an adjustment set: minimal, optimal, canonical, min-cost, or node ids separated by commas."),
    legend: bool = typer.Option(True, "--legend/--no-legend", help="Draw a legend."),
    focus: bool = typer.Option(False, "--focus", help="Draw only exposure, outcome, mediators, the chosen adjustment set and the rival's differing nodes (at most 10)."),
) -> None:
    """Draw the causal diagram: exposure and outcome marked, latent nodes dashed, adjusted nodes boxed,
    causal paths green and biasing paths red, edge style by confidence, signs and animal-only badges.

    dot and mermaid need no binary; svg, png and pdf use the system Graphviz (exit 2 if it is missing).

    Examples:

        hypoplan render hypotheses/mecfs-ne-vasomotion.yaml              # DOT on stdout

        hypoplan render hypotheses/mecfs-ne-vasomotion.yaml -f mermaid --rankdir TB

        hypoplan render hypotheses/mecfs-ne-vasomotion.yaml -f svg -o out/mecfs.svg --group-by-level --highlight-adjustment minimal

        hypoplan render hypotheses/mecfs-ne-vasomotion.yaml --focus -f svg -o out/focus.svg
    """
    from ..errors import UsageError

    hypothesis, repo = load_hypothesis(file)
    if focus and highlight_adjustment:
        raise UsageError("--focus highlights the plan's chosen adjustment set; drop --highlight-adjustment")
    text_format = "mermaid" if format is RenderFormat.mermaid else "dot"
    direction = rankdir.value if rankdir is not None else ("TB" if focus else "LR")
    text = diagram_text(hypothesis, text_format, rankdir=direction, group_by_level=group_by_level,
                        highlight=highlight_adjustment, legend=legend, focus=focus, repository=repo)
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
