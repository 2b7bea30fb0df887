"""``hypoplan power``: sample size for one comparison, with G*Power's effect-size measures."""

from __future__ import annotations

from enum import Enum

import typer

from . import app
from .common import dumps_json, handle_errors


class PowerDesign(str, Enum):
    two_sample = "two-sample"
    paired = "paired"
    anova = "anova"
    correlation = "correlation"
    proportions = "proportions"
    chisquare = "chisquare"


class PowerFormat(str, Enum):
    text = "text"
    json = "json"


class CorrelationMethod(str, Enum):
    exact = "exact"
    fisher_z = "fisher-z"


@app.command()
@handle_errors
def power(
    design: PowerDesign = typer.Option(..., "--design", "-d", help="The test: two-sample (d), paired (dz), anova (f), "
                                       "correlation (r), proportions (h), chisquare (w)."),
    effect_size: float = typer.Option(None, "--effect-size", "-e", help="Effect size in the design's measure "
                                      "(d, dz, f, r, h or w, as G*Power names them)."),
    groups: int = typer.Option(None, "--groups", "-k", help="Number of groups (anova only; required there)."),
    df: int = typer.Option(None, "--df", help="Degrees of freedom (chisquare only; default 1)."),
    alpha: float = typer.Option(0.05, "--alpha", help="Significance level."),
    power_: float = typer.Option(0.8, "--power", help="Desired power (1 - beta)."),
    sides: int = typer.Option(2, "--sides", help="1 (one-sided, effect in the expected direction) or 2."),
    p1: float = typer.Option(None, "--p1", help="proportions: first proportion (computes Cohen's h with --p2)."),
    p2: float = typer.Option(None, "--p2", help="proportions: second proportion."),
    method: CorrelationMethod = typer.Option(None, "--method", help="correlation only: exact (default, as G*Power) "
                                             "or fisher-z."),
    format: PowerFormat = typer.Option(PowerFormat.text, "--format", "-f", help="Output format."),
) -> None:
    """Sample size needed to detect an effect with the given power (statsmodels; exact test for correlations).

    Exit 0 on success, 2 for impossible input.

    Examples:

        hypoplan power --design two-sample --effect-size 0.5   # 64 per group

        hypoplan power --design paired --effect-size 0.5       # 34 pairs

        hypoplan power --design anova -e 0.25 --groups 3       # 53 x 3 = 159

        hypoplan power --design correlation -e 0.3             # 84 (exact)

        hypoplan power --design proportions --p1 .65 --p2 .5   # 170 per group

        hypoplan power --design chisquare -e 0.3 --df 3 --format json
    """
    from ..design.power import cohens_h, sample_size
    from ..errors import UsageError

    name = design.value
    if p1 is not None or p2 is not None:
        if design is not PowerDesign.proportions:
            raise UsageError("--p1/--p2 apply only to --design proportions")
        if p1 is None or p2 is None:
            raise UsageError("give both --p1 and --p2", hint="e.g. --p1 0.65 --p2 0.50")
        if effect_size is not None:
            raise UsageError("give either --effect-size or --p1/--p2, not both")
        effect_size = abs(cohens_h(p1, p2))
        if effect_size == 0:
            raise UsageError(f"--p1 and --p2 are equal ({p1}): there is no difference to detect")
    if effect_size is None:
        hint = "or --p1/--p2 to compute Cohen's h" if design is PowerDesign.proportions else ""
        raise UsageError(f"--effect-size is required for --design {name}", hint=hint)
    if design is PowerDesign.anova and groups is None:
        raise UsageError("--design anova needs --groups K (the number of groups)", hint="e.g. --groups 3")
    if groups is not None and design is not PowerDesign.anova:
        raise UsageError(f"--groups applies only to --design anova, not {name}")
    if df is not None and design is not PowerDesign.chisquare:
        raise UsageError(f"--df applies only to --design chisquare, not {name}")
    if method is not None and design is not PowerDesign.correlation:
        raise UsageError(f"--method applies only to --design correlation, not {name}")

    result = sample_size(name, effect_size, alpha=alpha, power=power_, sides=sides,
                         groups=groups if groups is not None else 2, df=df if df is not None else 1,
                         method=method.value if method is not None else None)
    if format is PowerFormat.json:
        payload = result.to_json()
        if p1 is not None:
            payload.update(p1=p1, p2=p2)
        typer.echo(dumps_json(payload))
        return
    lines = [result.sentence()]
    if p1 is not None:
        lines.append(f"Cohen's h = |2·asin(√{p1:g}) − 2·asin(√{p2:g})| = {effect_size:.4f}.")
    unit = "per group" if result.design in ("two-sample", "proportions") else "in total"
    lines.append(f"Method: {result.method}; unrounded n = {result.raw:.2f} {unit}.")
    lines.append("Assumptions:")
    lines.extend(f"  - {a}" for a in result.assumptions)
    typer.echo("\n".join(lines))
