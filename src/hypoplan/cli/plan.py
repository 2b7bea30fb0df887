"""``hypoplan plan``: propose a study design for a hypothesis."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from . import app
from .common import (
    check_catalog_option,
    display_path,
    dumps_json,
    err,
    handle_errors,
    load_argument,
    write_output,
)


class PlanFormat(str, Enum):
    markdown = "markdown"
    json = "json"


class PlanOn(str, Enum):
    point_ = "point"
    lower_ = "lower"
    half = "half"


class AlphaAdjust(str, Enum):
    holm = "holm"
    bonferroni = "bonferroni"


@app.command()
@handle_errors
def plan(
    file: str = typer.Argument(..., help="A hypothesis file (YAML or .dagitty), or - for stdin."),
    format: PlanFormat = typer.Option(PlanFormat.markdown, "--format", "-f", help="Output format."),
    catalog: Path = typer.Option(None, "--catalog", help="A measurement catalog that extends or overrides the "
                                 "packaged one (default: catalog.yaml beside the hypothesis, if any)."),
    output: Path = typer.Option(None, "--output", "-o", help="Write the plan here (default: stdout)."),
    force: bool = typer.Option(False, "--force", help="Overwrite the output file if it exists."),
    plan_on: PlanOn = typer.Option(PlanOn.lower_, "--plan-on", help="Sensitivity row the sample size uses: the "
                                   "recorded point estimate, the CI bound nearer zero (default; the point when "
                                   "there is no CI), or half the effect."),
    rho: float = typer.Option(None, "--rho", help="Within-person correlation for paired/crossover comparisons "
                              "(default: 0.5, stated as an assumption)."),
    attrition: float = typer.Option(None, "--attrition", help="Drop-out proportion to enrol for (default: the "
                                    "catalog's population rule, else none)."),
    alpha_adjust: AlphaAdjust = typer.Option(AlphaAdjust.holm, "--alpha-adjust", help="Multiplicity adjustment "
                                             "across the primary comparisons."),
    mediation: str = typer.Option("joint", "--mediation", help="Test of a single mediator's indirect effect: "
                                  "joint (joint significance, MacKinnon et al. 2002) or monte-carlo (Monte Carlo "
                                  "CI, Schoemann et al. 2017; chains always use it)."),
    baseline_p: float = typer.Option(None, "--baseline-p", help="Event rate of a binary endpoint in the reference "
                                     "group (default: 0.5, stated as an assumption)."),
) -> None:
    """Propose a study: measures, controls, exclusions, feasibility, sample size and rival predictions.

    Hypotheses named in `extends` and `rivals` are looked up beside FILE; a
    `catalog.yaml` there extends the packaged measurement catalog.

    Examples:

        hypoplan plan hypotheses/mecfs-ne-vasomotion.yaml

        hypoplan plan hypotheses/mecfs-ne-vasomotion.yaml --format json -o out/plan.json

        hypoplan plan my.yaml --catalog lab-catalog.yaml -o plan.md --force

        hypoplan plan hypotheses/fm-sympathetic-pain.yaml --plan-on point --rho 0.7 --attrition 0.15

        hypoplan plan my.yaml --baseline-p 0.3   # a binary endpoint with a 30% event rate under control
    """
    from ..design.catalog import load_catalog_for
    from ..design.effectsize import attrition_inflate, paired_dz
    from ..design.sizing import SizingOptions
    from ..errors import UsageError
    from ..plan import build_plan

    check_catalog_option(catalog)
    if rho is not None:
        paired_dz(0.5, rho)  # validates: -1 < rho < 1
    if attrition is not None:
        attrition_inflate(1, attrition)  # validates: 0 <= attrition < 1
    if mediation not in ("joint", "monte-carlo"):
        raise UsageError(f"--mediation must be joint or monte-carlo, got {mediation!r}")
    if baseline_p is not None and not 0 < baseline_p < 1:
        raise UsageError(f"--baseline-p must lie strictly between 0 and 1, got {baseline_p:g}")
    options = SizingOptions(plan_on=plan_on.value, rho=rho, attrition=attrition, alpha_adjust=alpha_adjust.value,
                            baseline_p=baseline_p, mediation=mediation)
    loaded = load_argument(file)
    hypothesis, repo = loaded.hypothesis, loaded.repository
    cat = load_catalog_for(repo.root, catalog, display=display_path)
    err(f"planning {hypothesis.id} …")
    result = build_plan(hypothesis, repository=repo, catalog=cat, sizing_options=options)
    data = result.to_json()
    if format is PlanFormat.json:
        text = dumps_json(data) + "\n"
    else:
        from ..render.plan_markdown import render_plan_markdown

        text = render_plan_markdown(data)
    write_output(output, text, force=force)
