"""``hypoplan analyze``: paths, adjustment sets, identification, instruments and testable implications."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from . import app
from .common import (
    check_catalog_option,
    display_path,
    dumps_json,
    err,
    handle_errors,
    load_argument,
    split_ids,
    write_output,
)

if TYPE_CHECKING:
    from ..analysis.result import AnalysisResult, StructureResult


class CostSource(str, Enum):
    node = "node"
    catalog = "catalog"


class AnalyzeFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


@app.command()
@handle_errors
def analyze(
    file: str = typer.Argument(..., help="A hypothesis YAML file, a .dagitty file, or - for stdin."),
    format: AnalyzeFormat = typer.Option(AnalyzeFormat.text, "--format", "-f", help="Output format."),
    exposure: str = typer.Option(None, "--exposure", "-x", help="Exposure node id(s), comma-separated "
                                 "(default: the hypothesis focus)."),
    outcome: str = typer.Option(None, "--outcome", "-y", help="Outcome node id(s), comma-separated "
                                "(default: the hypothesis focus)."),
    adjust: str = typer.Option(None, "--adjust", "-a", help="Adjusted node ids, comma-separated: forced into "
                               "every adjustment set and checked for validity (default: focus.adjusted)."),
    max_results: int = typer.Option(100, "--max-results", min=1, help="Cap on every listing that can grow "
                                    "exponentially (paths, sets, instruments, implications)."),
    direct: bool = typer.Option(False, "--direct", help="Also find sets for the direct effect (single-door "
                                "criterion; one exposure and one outcome); with --adjust, check that set too."),
    all_implications: bool = typer.Option(False, "--all-implications",
                                          help="List all minimal implications (capped), not one per pair."),
    costs: CostSource = typer.Option(CostSource.node, "--costs", help="Costs for the minimum-cost set: 'node' "
                                     "(each node's cost, else 1) or 'catalog' (the measurement catalog's cost bands, "
                                     "as `hypoplan plan` uses them: both then give the same set)."),
    catalog: Path = typer.Option(None, "--catalog", help="With --costs catalog: a catalog that extends the packaged "
                                 "one (default: catalog.yaml beside the hypothesis, if any)."),
    output: Path = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
    force: bool = typer.Option(False, "--force", help="Overwrite the output file if it exists."),
) -> None:
    """Causal analysis of a hypothesis: what you would open DAGitty for.

    Paths (causal/biasing, open/blocked), all minimal adjustment sets (generalized
    adjustment criterion), canonical, optimal and minimum-cost sets, identification
    (adjustment, front-door, ID algorithm), conditional instruments, testable
    implications, negative controls and mediators. The answer always says whether
    no valid adjustment set exists or the empty set suffices, and when the graph
    has no directed path from exposure to outcome it says the graph claims no effect.

    Selected nodes (DAGitty's [selected]; `selected: true` on a node or
    `focus.selected` in YAML: e.g. recruitment through a clinic) are conditioned
    on in every set, path, instrument and implication, as DAGitty does; when
    selection leaves no valid set, the answer says so.

    Without an exposure or an outcome, only the testable implications are listed.
    Exit 0 on success, 1 for an analysis error (unknown node, X = Y, cycle),
    2 for usage errors.

    Examples:

        hypoplan analyze hypotheses/mecfs-ne-vasomotion.yaml

        hypoplan analyze model.dagitty --format json

        hypoplan analyze h.yaml --exposure A --outcome B --adjust C,D --direct

        hypoplan analyze hypotheses/mecfs-ne-vasomotion.yaml --costs catalog

        cat model.dagitty | hypoplan analyze - --format markdown -o analysis.md
    """
    from ..analysis import analyze as run_analysis
    from ..analysis import analyze_structure
    from ..errors import AnalysisError
    from ..graph import build_graph

    check_catalog_option(catalog)
    loaded = load_argument(file, checked=False)  # --exposure/--outcome may supply what the file's focus lacks
    hypothesis = loaded.hypothesis
    g = build_graph(hypothesis)
    cost_map = None
    if costs is CostSource.catalog:
        from ..design.catalog import load_catalog_for
        from ..design.measures import measurement_costs

        cat = load_catalog_for(loaded.repository.root, catalog, display=display_path)
        species = hypothesis.peco.species.value if hypothesis.peco else "human"
        cost_map = measurement_costs(g, cat, species)
    err(f"analysing {hypothesis.id} …")
    xs = tuple(split_ids(exposure, "--exposure", graph=g) or g.graph.get("exposure", ()))
    ys = tuple(split_ids(outcome, "--outcome", graph=g) or g.graph.get("outcome", ()))
    result: AnalysisResult | StructureResult
    try:
        if not xs or not ys:
            if direct or adjust:
                what = "--direct" if direct else "--adjust"
                raise AnalysisError(f"{what} needs an exposure and an outcome",
                                    hint="set focus.exposure and focus.outcome, or pass --exposure and --outcome")
            missing = "no exposure and no outcome" if not xs and not ys else ("no outcome" if xs else "no exposure")
            result = analyze_structure(g, max_results=max_results, all_implications=all_implications,
                                       missing=missing)
        else:
            result = run_analysis(g, exposure=xs, outcome=ys,
                                  adjusted=split_ids(adjust, "--adjust", allow_empty=True, graph=g),
                                  costs=cost_map, max_results=max_results, direct=direct,
                                  all_implications=all_implications)
    except AnalysisError as exc:  # name the file, as every other error does
        raise AnalysisError(f"{loaded.file.display}: {exc.message}", hint=exc.hint) from None
    if format is AnalyzeFormat.json:
        out = dumps_json(result.to_json()) + "\n"
    elif format is AnalyzeFormat.markdown:
        from ..render.analysis_markdown import render_analysis_markdown

        out = render_analysis_markdown(result, g, title=True)
    else:
        from ..render.analysis_markdown import render_analysis_text

        out = render_analysis_text(result, g)
    if result.truncated:
        err("cut at --max-results: " + ", ".join(result.truncated))
    write_output(output, out, force=force)
