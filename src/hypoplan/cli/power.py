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


class FromMeasure(str, Enum):
    OR = "OR"
    d = "d"
    r = "r"
    f = "f"
    h = "h"


class AlphaAdjust(str, Enum):
    holm = "holm"
    bonferroni = "bonferroni"


#: The measure ``--from`` converts into, per design (proportions and chisquare take only their own measure).
_TARGET = {"two-sample": "d", "paired": "d", "anova": "f", "correlation": "r", "proportions": "h", "chisquare": "w"}


@app.command()
@handle_errors
def power(
    design: PowerDesign = typer.Option(..., "--design", "-d", help="The test: two-sample (d), paired (dz), anova (f), "
                                       "correlation (r), proportions (h), chisquare (w)."),
    effect_size: float = typer.Option(None, "--effect-size", "-e", help="Effect size in the design's measure "
                                      "(d, dz, f, r, h or w, as G*Power names them)."),
    from_: tuple[str, float] = typer.Option(None, "--from", metavar="MEASURE VALUE",
                                                    help="Convert a reported effect (OR, d, r, f or h) to the "
                                                    "design's measure with a cited formula, e.g. --from OR 2."),
    rho: float = typer.Option(None, "--rho", help="paired only: within-person correlation; the effect size is then "
                              "a between-condition d, converted to dz = d/sqrt(2(1 - rho))."),
    attrition: float = typer.Option(None, "--attrition", help="Expected drop-out proportion (e.g. 0.2): enrol "
                                    "ceil(n / (1 - attrition))."),
    alpha_adjust: AlphaAdjust = typer.Option(None, "--alpha-adjust", help="Adjust alpha over several primary "
                                             "comparisons: holm or bonferroni (with --comparisons)."),
    comparisons: int = typer.Option(None, "--comparisons", help="Number of primary comparisons (with --alpha-adjust)."),
    n: float = typer.Option(None, "--n", help="Give n instead of an effect size to get the minimal detectable "
                            "effect (per group for two-sample, anova, proportions; pairs for paired, correlation)."),
    groups: int = typer.Option(None, "--groups", "-k", help="Number of groups (anova only; required there)."),
    df: int = typer.Option(None, "--df", help="Degrees of freedom (chisquare only; default 1)."),
    alpha: float = typer.Option(0.05, "--alpha", help="Significance level (the family level with --alpha-adjust)."),
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

        hypoplan power --design paired --from d 0.5 --rho 0.6  # dz = 0.559: 28 pairs

        hypoplan power --design two-sample --from OR 2         # d = 0.382 (Chinn 2000): 109 per group

        hypoplan power --design two-sample -e 0.5 --attrition 0.2 --alpha-adjust holm --comparisons 2

        hypoplan power --design two-sample --n 30              # minimal detectable d with 30 per group

        hypoplan power --design anova -e 0.25 --groups 3       # 53 x 3 = 159

        hypoplan power --design correlation -e 0.3             # 84 (exact)

        hypoplan power --design proportions --p1 .65 --p2 .5   # 170 per group

        hypoplan power --design chisquare -e 0.3 --df 3 --format json
    """
    from ..design.effectsize import attrition_inflate, convert, enrolment, paired_dz
    from ..design.power import (
        EFFECT_MEASURES,
        N_MEANS,
        adjusted_alpha,
        cohens_h,
        minimal_detectable_effect,
        sample_size,
    )
    from ..errors import UsageError

    name = design.value
    conversions: list[str] = []
    if from_:
        from_measure, from_value = from_
        measures = {m.value.lower(): m for m in FromMeasure}
        if from_measure.lower() not in measures:
            raise UsageError(f"--from: unknown measure {from_measure!r}",
                             hint="choose one of: " + ", ".join(m.value for m in FromMeasure))
        source = measures[from_measure.lower()].value
        if effect_size is not None or p1 is not None or n is not None:
            raise UsageError("give one of --effect-size, --from, --p1/--p2 or --n")
        target = _TARGET[name]
        if target in ("h", "w") and source.lower() != target:
            raise UsageError(f"{source} cannot be converted to Cohen's {target} for --design {name}",
                             hint="give the two proportions with --p1/--p2" if target == "h"
                             else "give Cohen's w with --effect-size")
        if source == "h" and target != "h":
            raise UsageError(f"Cohen's h cannot be converted to {target} for --design {name}",
                             hint="use --design proportions")
        if name == "anova" and (groups or 2) != 2 and source.lower() != "f":
            raise UsageError(f"a {source} converts to f only for two groups (f = d/2); give f with --effect-size "
                             f"for {groups} groups")
        value, how = convert("d" if source == "d" else source.lower(), from_value, target)
        effect_size = abs(value)
        if effect_size == 0:
            raise UsageError(f"{source} = {from_value:g} is no effect: there is nothing to detect")
        if how != "as recorded":
            conversions.append(f"{EFFECT_MEASURES[name] if name != 'paired' else 'd'} = {effect_size:.3g} from "
                               f"{source} = {from_value:g} ({how})")
    if rho is not None:
        if design is not PowerDesign.paired:
            raise UsageError(f"--rho applies only to --design paired, not {name}")
        if effect_size is None:
            raise UsageError("--rho converts a between-condition d to dz: give the d with -e or --from")
        d_between = effect_size
        effect_size = abs(paired_dz(d_between, rho))
        conversions.append(f"dz = d/sqrt(2(1 - rho)) = {d_between:.3g}/sqrt(2(1 - {rho:g})) = {effect_size:.3g} "
                           "(Morris & DeShon 2002, eq. 8; equal SDs in both conditions)")
    if p1 is not None or p2 is not None:
        if design is not PowerDesign.proportions:
            raise UsageError("--p1/--p2 apply only to --design proportions")
        if p1 is None or p2 is None:
            raise UsageError("give both --p1 and --p2", hint="e.g. --p1 0.65 --p2 0.50")
        if effect_size is not None or n is not None:
            raise UsageError("give either --effect-size or --p1/--p2, not both")
        effect_size = abs(cohens_h(p1, p2))
        if effect_size == 0:
            raise UsageError(f"--p1 and --p2 are equal ({p1}): there is no difference to detect")
    if n is not None and effect_size is not None:
        raise UsageError("give either an effect size (to get n) or --n (to get the minimal detectable effect)")
    if effect_size is None and n is None:
        hint = "or --p1/--p2 to compute Cohen's h" if design is PowerDesign.proportions else "or --n for the MDE"
        raise UsageError(f"--effect-size is required for --design {name}", hint=hint)
    if design is PowerDesign.anova and groups is None:
        raise UsageError("--design anova needs --groups K (the number of groups)", hint="e.g. --groups 3")
    if groups is not None and design is not PowerDesign.anova:
        raise UsageError(f"--groups applies only to --design anova, not {name}")
    if df is not None and design is not PowerDesign.chisquare:
        raise UsageError(f"--df applies only to --design chisquare, not {name}")
    if method is not None and design is not PowerDesign.correlation:
        raise UsageError(f"--method applies only to --design correlation, not {name}")
    if (alpha_adjust is None) != (comparisons is None):
        raise UsageError("--alpha-adjust and --comparisons go together", hint="e.g. --alpha-adjust holm --comparisons 3")
    family_alpha, adjust_note = alpha, None
    if alpha_adjust is not None and comparisons is not None:
        if not 0 < alpha < 1:
            raise UsageError(f"alpha must be between 0 and 1 (exclusive), got {alpha!r}")
        alpha, adjust_note = adjusted_alpha(alpha, comparisons, alpha_adjust.value)
    if attrition is not None and n is not None:
        raise UsageError("--attrition inflates a computed sample size; it does not apply with --n")
    if attrition is not None:
        attrition_inflate(1, attrition)  # validates before the slow part
    kwargs = {"alpha": alpha, "sides": sides, "groups": groups if groups is not None else 2,
                  "df": df if df is not None else 1, "method": method.value if method is not None else None}

    if n is not None:
        mde = minimal_detectable_effect(name, n, power=power_, **kwargs)
        measure = EFFECT_MEASURES[name]
        payload = {"design": name, "n": n, "n_means": N_MEANS[name], "minimal_detectable_effect": mde,
                   "effect_measure": measure, "alpha": alpha, "alpha_family": family_alpha,
                   "alpha_adjust": alpha_adjust.value if alpha_adjust else None, "comparisons": comparisons,
                   "power": power_, "sides": sides}
        if format is PowerFormat.json:
            typer.echo(dumps_json(payload))
            return
        lines = [f"Minimal detectable effect: {measure} = {mde:.3g} with n = {n:g} {N_MEANS[name]} at "
                 f"{power_ * 100:g}% power, alpha = {alpha:.4g}" + ("" if name in ("anova", "chisquare")
                                                                  else f", {sides}-sided") + "."]
        if adjust_note:
            lines.append(f"Alpha: {adjust_note} (family alpha {family_alpha:g}).")
        typer.echo("\n".join(lines))
        return

    assert effect_size is not None
    result = sample_size(name, effect_size, power=power_, **kwargs)
    enrol_total = enrol_per_group = None
    if attrition is not None:
        enrol_per_group, enrol_total = enrolment(result.n_per_group, result.n_total, attrition, result.groups)
    if format is PowerFormat.json:
        payload = result.to_json()
        if p1 is not None:
            payload.update(p1=p1, p2=p2)
        if conversions:
            payload["conversions"] = conversions
        if rho is not None:
            payload["rho"] = rho
        if alpha_adjust is not None:
            payload.update(alpha_family=family_alpha, alpha_adjust=alpha_adjust.value, comparisons=comparisons)
        if attrition is not None:
            payload.update(attrition=attrition, n_enrol_total=enrol_total, n_enrol_per_group=enrol_per_group)
        typer.echo(dumps_json(payload))
        return
    lines = [result.sentence()]
    lines.extend(f"Converted: {c}." for c in conversions)
    if p1 is not None:
        lines.append(f"Cohen's h = |2·asin(√{p1:g}) − 2·asin(√{p2:g})| = {effect_size:.4f}.")
    if adjust_note:
        lines.append(f"Alpha: {adjust_note} (family alpha {family_alpha:g}).")
    if attrition is not None:
        per = f" ({enrol_per_group} per group)" if enrol_per_group is not None else ""
        lines.append(f"Enrol {enrol_total}{per} to keep this n after {attrition * 100:g}% attrition: "
                     "ceil(n / (1 - attrition)).")
    unit = "per group" if result.design in ("two-sample", "proportions") else "in total"
    lines.append(f"Method: {result.method}; unrounded n = {result.raw:.2f} {unit}.")
    lines.append("Assumptions:")
    lines.extend(f"  - {a}" for a in result.assumptions)
    typer.echo("\n".join(lines))
