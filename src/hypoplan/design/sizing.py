"""Sample size of each comparison the design proposes, from every recorded effect size or a stated assumption.

Rules (each a small function below):

- Every effect size recorded on an edge is accounted for: it sizes a comparison (converted to the
  test's measure with a cited formula, :mod:`hypoplan.design.effectsize`), or the plan says by name
  why it is not used (a measure with no conversion to the test, or an edge no comparison uses).
- A recorded effect with its study's n gets a 95% CI, and every comparison a sensitivity table: n at
  the point estimate, at the CI bound nearer zero, and at half the effect.  The plan sizes on one row
  (``plan_on``; by default the CI bound nearer zero, else half the effect, the conservative choice).
- Evidence that contradicts the claimed direction of an edge is said next to the number.
- Primary comparisons (on the exposure and outcome, the crossover, the exposure–outcome association)
  share the family alpha (Holm or Bonferroni); other comparisons are secondary and unadjusted.
- Attrition inflates enrolment only with a stated rate (the catalog's population rule or the user's).
- A total-N budget gives each group the largest n any comparison asks of it.

Without a recorded effect, Cohen's (1988) conventional medium effect is assumed, and the plan says so.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import networkx as nx

from ..errors import UsageError
from ..schema import Design, Direction, Evidence, Species
from .evidence import cite, label

__all__ = [
    "ASSUMED",
    "PLAN_ON",
    "Recorded",
    "SampleSize",
    "SensitivityRow",
    "Sizing",
    "SizingOptions",
    "binary_design",
    "effect_from_edges",
    "is_binary",
    "normalise_measure",
    "primary_comparisons",
    "recorded_effects",
    "size_binary",
    "size_comparison",
    "size_plan",
]

#: Cohen's (1988) conventional "medium" effects, used only when nothing is recorded.
ASSUMED = {"two-sample": ("d", 0.5), "paired": ("dz", 0.5), "anova": ("f", 0.25), "correlation": ("r", 0.3)}
COHEN_1988 = "Cohen 1988, Statistical Power Analysis for the Behavioral Sciences (conventional medium effect)"
PLAN_ON = ("point", "lower", "half")
MEDIATION_METHODS = ("joint", "monte-carlo")

#: Reported measure spellings → a canonical key.
_MEASURES = {
    "d": "d", "cohensd": "d", "g": "d", "hedgesg": "d", "smd": "d",
    "dz": "dz", "cohensdz": "dz",
    "r": "r", "pearsonr": "r", "rpb": "r",
    "or": "or", "oddsratio": "or",
    "f": "f", "cohensf": "f",
    "eta2": "eta2", "etasquared": "eta2", "η2": "eta2", "η²": "eta2",
    "h": "h", "cohensh": "h",
    "w": "w", "cohensw": "w",
}

#: Designs whose evidence is not an empirical finding, for the contradiction warning.
_NOT_EMPIRICAL = {Design.SPECULATION, Design.REVIEW}


def normalise_measure(measure: str) -> str | None:
    """The canonical key of a reported measure (d, dz, r, or, f, eta2, h, w), or ``None`` when unknown."""
    key = "".join(ch for ch in measure.lower() if ch.isalnum() or ch in "η²")
    return _MEASURES.get(key)


@dataclass(frozen=True)
class Recorded:
    """One effect size recorded on an edge."""

    edge: tuple[str, str]
    evidence: Evidence
    measure: str  # as written
    key: str | None  # canonical, None when not convertible
    value: float
    n: int | None

    def describe(self, g: nx.DiGraph) -> str:
        u, v = self.edge
        return f"{self.measure} = {self.value:g} on {label(g, u)} → {label(g, v)} ({cite(self.evidence)})"


def recorded_effects(g: nx.DiGraph) -> list[Recorded]:
    """Every effect size recorded on an edge of the graph, in edge order."""
    out: list[Recorded] = []
    for u, v, data in g.edges(data=True):
        for ev in data.get("evidence", ()):
            es = ev.effect_size
            if es is None or not math.isfinite(es.value):
                continue
            out.append(Recorded((u, v), ev, es.measure, normalise_measure(es.measure), float(es.value),
                                es.n or ev.n))
    return out


# --------------------------------------------------------------------------- conversion to a test's measure


@dataclass(frozen=True)
class Converted:
    value: float  # absolute, in the test's measure
    formula: str  # "" when recorded in the test's measure
    ci: tuple[float, float] | None  # absolute bounds in the test's measure, lower-nearer-zero first
    ci_note: str
    crosses_zero: bool = False


def _ci_recorded(rec: Recorded) -> tuple[tuple[float, float] | None, str]:
    """95% CI of the recorded effect on its own scale (signed), with the formula; ``None`` when n is missing."""
    from .effectsize import Z_975, d_ci

    if rec.n is None:
        return None, "no CI: the study's n is not recorded"
    if rec.key == "d":
        if rec.n < 4:
            return None, f"no CI: n = {rec.n} is too small"
        half = rec.n / 2.0
        lo, hi = d_ci(rec.value, half, half)
        return (lo, hi), f"95% CI of d by Hedges & Olkin 1985 with n = {rec.n} taken as two equal groups"
    if rec.key == "r":
        if rec.n < 5 or abs(rec.value) >= 1:
            return None, f"no CI: n = {rec.n} is too small"
        z, se = math.atanh(rec.value), 1.0 / math.sqrt(rec.n - 3.0)
        return ((math.tanh(z - Z_975 * se), math.tanh(z + Z_975 * se)),
                f"95% CI of r by Fisher's z (Fisher 1921) with n = {rec.n}")
    return None, f"no CI: a CI of {rec.measure} needs more than n (e.g. the cell counts or the SE)"


def convert_for(rec: Recorded, design: str, *, groups: int = 3, rho: float = 0.5) -> Converted | str:
    """The recorded effect in ``design``'s measure (absolute value, CI converted with it), or the reason it
    cannot be converted.  Conversions: OR→d (Chinn 2000); r↔d (Borenstein et al. 2009, equal groups;
    an r as a point-biserial correlation); d→dz with the within-person correlation rho (Morris & DeShon
    2002); η²→f (Cohen 1988); d→f when one of k groups differs by d and the others are equal, f = d√(k−1)/k
    (f = SD of the group means / within-group SD, Cohen 1988 eq. 8.2.1)."""
    from . import effectsize as es

    target = {"two-sample": "d", "paired": "dz", "anova": "f", "correlation": "r"}.get(design)
    key = rec.key
    if key is None or target is None or (key in ("h", "w") and key != target):
        need = {"d": "d (or an OR, r)", "dz": "dz or d", "f": "f, η² or d", "r": "r (or d, OR)"}.get(target or "", design)
        return f"no conversion from {rec.measure} to {need}"
    if value_invalid := _invalid(key, rec.value):
        return value_invalid

    def to_target(x: float) -> tuple[float, str]:
        if key == target:
            return x, ""
        if target == "d":
            if key == "or":
                return es.or_to_d(x), "d = ln(OR)·√3/π (Chinn 2000)"
            if key == "r":
                return es.r_to_d(x), "d = 2r/√(1 − r²) (Borenstein et al. 2009; r as a point-biserial correlation)"
            if key == "dz":
                raise UsageError("dz")
            raise UsageError(key)
        d, how = x, ""
        if key == "or":
            d, how = es.or_to_d(x), "d = ln(OR)·√3/π (Chinn 2000)"
        elif key == "r" and target != "r":
            d, how = es.r_to_d(x), "d = 2r/√(1 − r²) (Borenstein et al. 2009)"
        elif key in ("f", "eta2"):
            if target != "f":
                raise UsageError(key)
            return (x, "") if key == "f" else (es.eta2_to_f(x), "f = √(η²/(1 − η²)) (Cohen 1988)")
        elif key != "d":
            raise UsageError(key)
        sep = "; " if how else ""
        if target == "r":
            return es.d_to_r(d), how + sep + "r = d/√(d² + 4) (Borenstein et al. 2009, equal groups)"
        if target == "dz":
            return (es.paired_dz(d, rho), how + sep + f"dz = d/√(2(1 − ρ)) with ρ = {rho:g} (Morris & DeShon 2002)")
        # f
        return (abs(d) * math.sqrt(groups - 1.0) / groups,
                how + sep + f"f = d·√(k − 1)/k with k = {groups}: one group differs by d, the others equal "
                "(from f = SD of means / SD, Cohen 1988)")

    try:
        value, formula = to_target(rec.value)
    except UsageError:
        return f"no conversion from {rec.measure} to {target}"
    ci, ci_note = _ci_recorded(rec)
    conv_ci, crosses = None, False
    if ci is not None:
        if ci[0] < 0 < ci[1]:
            crosses = True
        else:
            lo, hi = (abs(to_target(b)[0]) for b in ci)
            conv_ci = (min(lo, hi), max(lo, hi))
    return Converted(abs(value), formula, conv_ci, ci_note, crosses)


def _invalid(key: str, value: float) -> str | None:
    if value == 0:
        return "a recorded effect of 0 cannot size a study"
    if key == "or" and value <= 0:
        return "an odds ratio must be > 0"
    if key == "r" and abs(value) >= 1:
        return "a correlation must lie between -1 and 1"
    if key == "eta2" and not 0 < value < 1:
        return "eta squared must lie between 0 and 1"
    return None


# --------------------------------------------------------------------------- one comparison


@dataclass(frozen=True)
class SensitivityRow:
    row: str  # point | lower | half
    value: float | None
    n_per_group: int | None
    n_total: int | None
    note: str = ""

    def to_json(self) -> dict[str, object]:
        return {"row": self.row, "value": self.value, "n_per_group": self.n_per_group, "n_total": self.n_total,
                "note": self.note}


@dataclass(frozen=True)
class SampleSize:
    comparison: str
    design: str
    measure: str
    value: float
    source: str  # evidence | assumption
    citation: str | None
    alpha: float
    power: float
    n_per_group: int | None
    n_total: int
    note: str
    primary: bool = True
    point: float | None = None
    ci: tuple[float, float] | None = None
    conversion: str | None = None
    plan_on: str = "point"
    sensitivity: tuple[SensitivityRow, ...] = ()
    warning: str | None = None
    groups: tuple[str, ...] = ()
    n_enrol_per_group: int | None = None
    n_enrol_total: int | None = None
    reliability: str | None = None

    def to_json(self) -> dict[str, object]:
        return {"comparison": self.comparison, "design": self.design,
                "effect_size": {"measure": self.measure, "value": self.value, "source": self.source,
                                "citation": self.citation, "point": self.point,
                                "ci": list(self.ci) if self.ci else None, "conversion": self.conversion},
                "alpha": self.alpha, "power": self.power, "n_per_group": self.n_per_group,
                "n_total": self.n_total, "note": self.note, "primary": self.primary, "plan_on": self.plan_on,
                "sensitivity": [r.to_json() for r in self.sensitivity], "warning": self.warning,
                "groups": list(self.groups), "n_enrol_per_group": self.n_enrol_per_group,
                "n_enrol_total": self.n_enrol_total, "reliability": self.reliability}


def effect_from_edges(g: nx.DiGraph, edges: Iterable[tuple[str, str]], design: str, *, groups: int = 3,
                      rho: float = 0.5) -> tuple[Recorded, Converted] | None:
    """The recorded effect for ``design`` on these edges: human evidence first, then the smallest value."""
    found: list[tuple[bool, float, Recorded, Converted]] = []
    wanted = set(edges)
    for rec in recorded_effects(g):
        if rec.edge not in wanted:
            continue
        conv = convert_for(rec, design, groups=groups, rho=rho)
        if isinstance(conv, str):
            continue
        found.append((rec.evidence.species not in (None, Species.HUMAN), conv.value, rec, conv))
    if not found:
        return None
    found.sort(key=lambda f: (f[0], f[1]))
    return found[0][2], found[0][3]


def contradiction_warning(g: nx.DiGraph, edges: Sequence[tuple[str, str]]) -> str | None:
    """A sentence when empirical evidence on these edges contradicts their claimed direction."""
    parts = []
    for u, v in edges:
        if not g.has_edge(u, v):
            continue
        evidence = [e for e in g.edges[u, v].get("evidence", ()) if e.design not in _NOT_EMPIRICAL]
        against = [cite(e) for e in evidence if e.direction is Direction.CONTRADICTS]
        if not against:
            continue
        where = f"{label(g, u)} → {label(g, v)}"
        if len(against) == len(evidence):
            parts.append(f"the only empirical evidence on {where} ({'; '.join(against)}) contradicts the claimed "
                         "direction")
        else:
            parts.append(f"evidence on {where} is divided: {'; '.join(against)} contradicts the claimed direction")
    return "; ".join(parts) if parts else None


def _n_at(design: str, value: float | None, alpha: float, power: float, groups: int) -> tuple[Any, str]:
    from .power import sample_size

    if value is None or value <= 0:
        return None, "no finite n"
    try:
        return sample_size(design, value, alpha=alpha, power=power, groups=groups if design == "anova" else 2), ""
    except UsageError as exc:
        return None, exc.message


def size_comparison(g: nx.DiGraph, comparison: str, design: str, edges: Sequence[tuple[str, str]], *,
                    groups: int = 2, alpha: float = 0.05, power: float = 0.8, why_assumed: str | None = None,
                    plan_on: str = "lower", rho: float = 0.5, rho_source: str = "", primary: bool = True,
                    group_names: tuple[str, ...] = (), attrition: float | None = None,
                    assumed: tuple[str, float] | None = None, caveat: str | None = None) -> SampleSize:
    """Size one comparison: the recorded effect on ``edges`` (converted) if there is one, else the stated
    assumption; with its sensitivity rows, and sized on the ``plan_on`` row."""
    from .effectsize import enrolment, paired_dz

    if plan_on not in PLAN_ON:
        raise UsageError(f"plan-on must be one of {', '.join(PLAN_ON)}, got {plan_on!r}")
    measure = ASSUMED[design][0]
    found = effect_from_edges(g, edges, design, groups=groups, rho=rho)
    warning = contradiction_warning(g, edges)
    conversion = None
    ci: tuple[float, float] | None = None
    crosses = False
    if found is not None:
        rec, conv = found
        point, source, citation = conv.value, "evidence", cite(rec.evidence)
        conversion = conv.formula or None
        ci = conv.ci
        crosses = conv.crosses_zero
        note = f"{rec.describe(g)}"
        if conv.formula:
            note += f", converted: {conv.formula}, {measure} = {point:.3g}"
        if rec.evidence.effect_size is not None and rec.evidence.effect_size.note:
            note += f" ({rec.evidence.effect_size.note.strip().rstrip('.')})"
        if rec.evidence.species is not None and rec.evidence.species is not Species.HUMAN:
            note += f"; from {rec.evidence.species.value} evidence, so the human effect may differ"
        note += f"; {conv.ci_note}"
        if ci is not None:
            note += f" [{ci[0]:.2f}, {ci[1]:.2f}]"
        elif crosses:
            note += " (it includes zero)"
    else:
        point = (assumed or ASSUMED[design])[1]
        source, citation = "assumption", COHEN_1988
        if design == "paired" and assumed is None:
            # Cohen's medium d between conditions, to dz with the stated rho
            point = paired_dz(ASSUMED["two-sample"][1], rho)
            conversion = f"dz = d/√(2(1 − ρ)) with d = 0.5 and ρ = {rho:g} (Morris & DeShon 2002)"
        present = [(u, v) for u, v in edges if g.has_edge(u, v)]  # never cite an edge that does not exist
        where = why_assumed or ("no effect size recorded on " + ", ".join(f"{label(g, u)} → {label(g, v)}"
                                                                          for u, v in present) if present
                                else "no effect size recorded between " + " and ".join(
                                    (label(g, edges[0][0]), label(g, edges[0][1]))) + " (no edge joins them)"
                                if edges else "no edge carries a recorded effect size")
        note = f"assumed {measure} = {point:.3g} (Cohen's medium effect; {where})"
        if conversion:
            note += f"; {conversion}"
    if design == "paired":
        note += f"; within-person correlation ρ = {rho:g} ({rho_source or 'assumed'})"

    rows: list[SensitivityRow] = []
    results: dict[str, Any] = {}
    values = {"point": point, "lower": (ci[0] if ci else None), "half": point / 2.0}
    for row in PLAN_ON:
        v = values[row]
        if row == "lower" and v is None:
            why = ("the CI includes zero" if crosses else "an assumed effect has no CI" if found is None
                   else "no CI (see the note)")
            rows.append(SensitivityRow(row, None, None, None, why))
            continue
        res, why = _n_at(design, v, alpha, power, groups)
        results[row] = res
        rows.append(SensitivityRow(row, v, res.n_per_group if res else None, res.n_total if res else None, why))
    chosen = plan_on
    fallback = ""
    if results.get(chosen) is None:
        # no CI (an assumption, or n not recorded): the point value, with the half row beside it
        order = [r for r in ("point", "half") if results.get(r) is not None]
        if not order:
            raise UsageError(rows[0].note or "no finite n")
        chosen = order[0]
        fallback = f" (the {plan_on} row has no finite n: {rows[PLAN_ON.index(plan_on)].note})"
    result = results[chosen]
    value = values[chosen]
    assert value is not None  # a row with a result has a value
    note += f". Planned on the {chosen} row{fallback}: {result.sentence()}"
    if warning:
        note += f" ⚠ {warning[0].upper()}{warning[1:]}."
    if caveat:
        note += f" ⚠ {caveat[0].upper()}{caveat[1:]}."
    if not primary:
        note = "Secondary: " + note
    enrol_per = enrol_total = None
    if attrition is not None:
        enrol_per, enrol_total = enrolment(result.n_per_group, result.n_total, attrition, result.groups)
    return SampleSize(comparison, design, measure, float(value), source, citation, alpha, power,
                      result.n_per_group, result.n_total, note, primary, point, ci, conversion, chosen, tuple(rows),
                      warning, group_names, enrol_per, enrol_total)


# --------------------------------------------------------------------------- binary endpoints

#: Node kinds that are binary (present/absent) unless the node gives another ``scale`` (as the data layer).
BINARY_KINDS = frozenset({"condition", "intervention", "drug"})
#: The baseline event rate assumed when none is given (``--baseline-p``): the rate at which a binary outcome's
#: variance p(1 − p) is largest, so a stated, overridable assumption rather than a finding.
ASSUMED_BASELINE_P = 0.5


def is_binary(g: nx.DiGraph, node: str) -> bool:
    """A node measured as present/absent: ``scale: binary``, or a condition, intervention or drug with no other
    scale given (the same rule as the data layer's logistic link, :func:`hypoplan.data.scm.binary_nodes`)."""
    d = g.nodes[node]
    return d.get("scale") == "binary" or (d.get("kind") in BINARY_KINDS and not d.get("scale"))


def binary_design(g: nx.DiGraph, design: str, edges: Sequence[tuple[str, str]]) -> str:
    """The test for a comparison whose outcome (the target of its edges) is binary: two proportions for two
    groups or a binary exposure, logistic regression for a continuous exposure; otherwise ``design``."""
    if not edges or not all(v in g for _, v in edges) or not is_binary(g, edges[0][1]):
        return design
    if design == "two-sample":
        return "proportions"
    if design == "correlation":
        return "proportions" if is_binary(g, edges[0][0]) else "logistic"
    return design


def _binary_caveat(g: nx.DiGraph, sp: _Spec) -> str | None:
    """A binary endpoint sized by a test for a continuous one (a crossover's paired t, a 3-group ANOVA)."""
    if not sp.edges or sp.edges[0][1] not in g or not is_binary(g, sp.edges[0][1]) or sp.design not in ("paired",
                                                                                                        "anova"):
        return None
    test = ("McNemar's test needs the discordant proportions" if sp.design == "paired"
            else "a chi-square test needs the proportions in every group")
    return (f"{label(g, sp.edges[0][1])} is binary: this size treats it as continuous, an approximation; {test}, "
            "which are not recorded")


def _p_from_or(p0: float, odds_ratio: float) -> float:
    """The event rate whose odds are ``odds_ratio`` times those of ``p0``."""
    return p0 * odds_ratio / (1.0 - p0 + p0 * odds_ratio)


def size_binary(g: nx.DiGraph, comparison: str, design: str, edges: Sequence[tuple[str, str]], *,
                alpha: float = 0.05, power: float = 0.8, baseline_p: float | None = None, plan_on: str = "lower",
                primary: bool = True, group_names: tuple[str, ...] = (), attrition: float | None = None,
                why_assumed: str | None = None) -> SampleSize:
    """Size a comparison on a binary outcome, on the log-odds scale.

    ``proportions``: two proportions, Cohen's h between the baseline rate and the rate at the effect's odds
    ratio, statsmodels ``NormalIndPower``.  ``logistic``: a continuous exposure, Hsieh, Bloch & Larsen 1998
    (:func:`hypoplan.design.power.logistic_sample_size`), with the log OR per SD of the exposure.
    A recorded OR is used as is; a recorded d (or r, converted to d) becomes a log OR by Chinn 2000 for two
    groups, and, for a continuous exposure, equals the log OR per within-group SD when the exposure is normal
    with equal SDs in both outcome groups (the logistic slope of that model is the mean difference / σ²); Hsieh's
    β* is per SD of the whole sample, which is a little larger, so this errs towards a larger n.
    Without a recorded effect, Cohen's (1988) medium h = 0.5 (two proportions) or d = 0.5 (logistic) is assumed.
    """
    from .power import cohens_h, logistic_sample_size, sample_size

    if plan_on not in PLAN_ON:
        raise UsageError(f"plan-on must be one of {', '.join(PLAN_ON)}, got {plan_on!r}")
    p0 = ASSUMED_BASELINE_P if baseline_p is None else baseline_p
    if not 0 < p0 < 1:
        raise UsageError(f"the baseline proportion must lie strictly between 0 and 1, got {p0:g}")
    p_note = (f"baseline event rate {p0:g} (given)" if baseline_p is not None else
              f"baseline event rate {p0:g} assumed: none recorded; give it with --baseline-p")
    wanted = set(edges)
    rec_or = next((r for r in recorded_effects(g) if r.edge in wanted and r.key == "or" and r.value > 0
                   and r.value != 1), None)
    rec_h = next((r for r in recorded_effects(g) if r.edge in wanted and r.key == "h" and r.value != 0
                  and design == "proportions"), None)
    found = None if rec_or is not None or rec_h is not None else effect_from_edges(g, edges, "two-sample")
    ci: tuple[float, float] | None = None
    source, citation, conversion = "assumption", COHEN_1988, None
    if rec_h is not None and rec_or is None:  # Cohen's h, as the odds ratio it implies at the baseline rate
        p1 = math.sin(min(math.asin(math.sqrt(p0)) + abs(rec_h.value) / 2.0, math.pi / 2 - 1e-9)) ** 2
        log_or = abs(math.log(p1 / (1 - p1)) - math.log(p0 / (1 - p0)))
        source, citation = "evidence", cite(rec_h.evidence)
        note = f"{rec_h.describe(g)}; no CI: a CI of h needs the cell counts"
    elif rec_or is not None:
        log_or, note = abs(math.log(rec_or.value)), rec_or.describe(g)
        source, citation = "evidence", cite(rec_or.evidence)
        note += "; no CI: a CI of an OR needs more than n (e.g. the cell counts or the SE)"
    elif found is not None:
        rec, conv = found
        source, citation = "evidence", cite(rec.evidence)
        scale = math.pi / math.sqrt(3.0) if design == "proportions" else 1.0
        conversion = ("ln(OR) = d·π/√3 (Chinn 2000)" if design == "proportions" else
                      "log OR per within-group SD = d (normal exposure, equal SDs in both outcome groups; "
                      "conservative for Hsieh's per-SD β*)")
        log_or = conv.value * scale
        ci = (conv.ci[0] * scale, conv.ci[1] * scale) if conv.ci else None
        note = f"{rec.describe(g)}, converted: {conv.formula + '; ' if conv.formula else ''}{conversion}"
        note += f"; {conv.ci_note}"
    elif design == "proportions":  # Cohen's medium h at the baseline rate, as an odds ratio
        p1 = math.sin(math.asin(math.sqrt(p0)) + 0.25) ** 2
        log_or = abs(math.log(p1 / (1 - p1)) - math.log(p0 / (1 - p0)))
        note = f"assumed h = 0.5 (Cohen's medium effect; {why_assumed or 'no effect size recorded'})"
    else:
        log_or = 0.5
        note = (f"assumed log OR per SD = 0.5 (Cohen's medium d = 0.5 as the log OR per SD of a normal exposure; "
                f"{why_assumed or 'no effect size recorded'})")
    note += f"; {p_note}"

    def n_at(lo: float | None) -> tuple[Any, float | None, str]:
        if lo is None or lo <= 0:
            return None, None, "no finite n"
        try:
            if design == "proportions":
                h = abs(cohens_h(_p_from_or(p0, math.exp(lo)), p0))
                res = sample_size("proportions", h, alpha=alpha, power=power)
                return (res.n_per_group, res.n_total, res.sentence()), h, ""
            _, n = logistic_sample_size(lo, p0, alpha=alpha, power=power)
            sentence = (f"Logistic regression (Hsieh, Bloch & Larsen 1998): {n} participants give {power:.0%} power "
                        f"to detect a log OR of {lo:.3g} per SD (OR {math.exp(lo):.3g}) at event rate {p0:g}, "
                        f"alpha = {alpha:.4g}, two-sided.")
            return (None, n, sentence), lo, ""
        except UsageError as exc:
            return None, None, exc.message

    values = {"point": log_or, "lower": ci[0] if ci else None, "half": log_or / 2.0}
    rows, results, shown = [], {}, {}
    for row in PLAN_ON:
        res, v, why = n_at(values[row])
        if row == "lower" and values[row] is None:
            why = "no CI (see the note)" if source == "evidence" else "an assumed effect has no CI"
        results[row], shown[row] = res, v
        rows.append(SensitivityRow(row, v, res[0] if res else None, res[1] if res else None, why))
    chosen = plan_on if results.get(plan_on) else next((r for r in ("point", "half") if results.get(r)), None)
    if chosen is None:
        raise UsageError(rows[0].note or "no finite n")
    per, total, sentence = results[chosen]
    value = shown[chosen]
    assert value is not None
    note += f". Planned on the {chosen} row: {sentence}"
    if not primary:
        note = "Secondary: " + note
    enrol_per = enrol_total = None
    if attrition is not None:
        from .effectsize import enrolment

        enrol_per, enrol_total = enrolment(per, total, attrition, 2)
    measure = "h" if design == "proportions" else "log OR per SD"
    return SampleSize(comparison, design, measure, float(value), source, citation, alpha, power, per, total, note,
                      primary, shown["point"], ci, conversion, chosen, tuple(rows), contradiction_warning(g, edges),
                      group_names, enrol_per, enrol_total)


# --------------------------------------------------------------------------- the whole plan


@dataclass(frozen=True)
class SizingOptions:
    """The user's choices for sizing (each overridable on the command line)."""

    plan_on: str = "lower"
    alpha: float = 0.05
    power: float = 0.8
    alpha_adjust: str = "holm"
    rho: float | None = None  # within-person correlation for paired/crossover comparisons
    attrition: float | None = None  # overrides the catalog's population rule
    baseline_p: float | None = None  # event rate of a binary endpoint in the reference group (else assumed)
    mediation: str = "joint"  # joint | monte-carlo: the test of a single mediator's indirect effect


@dataclass(frozen=True)
class Sizing:
    comparisons: tuple[SampleSize, ...]
    effect_sizes: tuple[dict[str, Any], ...]
    alpha_note: str
    attrition_note: str
    rho_note: str
    budget: dict[str, Any]
    mediation: tuple[dict[str, Any], ...] = ()
    reliability: tuple[dict[str, Any], ...] = ()
    options: SizingOptions = field(default_factory=SizingOptions)
    unsized: tuple[dict[str, Any], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"plan_on": self.options.plan_on, "alpha_family": self.options.alpha,
                "alpha_adjust": self.options.alpha_adjust, "alpha_note": self.alpha_note,
                "attrition": self.options.attrition, "attrition_note": self.attrition_note,
                "rho_note": self.rho_note, "budget": self.budget, "effect_sizes": list(self.effect_sizes),
                "mediation": list(self.mediation), "reliability": list(self.reliability),
                "unsized": list(self.unsized)}


@dataclass(frozen=True)
class _Spec:
    comparison: str
    design: str
    edges: tuple[tuple[str, str], ...]
    primary: bool
    groups: tuple[str, ...]
    k: int = 2
    why_assumed: str | None = None
    caveat: str | None = None
    skip: str | None = None  # why the comparison is not sized at all


def _strategy_how(g: nx.DiGraph, strategy: Any) -> str:
    """How the chosen strategy estimates the exposure's effect, for the primary comparison's label."""
    name = getattr(strategy, "name", None)

    def names(nodes: Iterable[str]) -> str:
        return ", ".join(label(g, n) for n in nodes if n in g)

    if name == "adjustment":
        adj = names(getattr(strategy, "adjustment_set", ()))
        return f"adjusted for {adj}" if adj else "with no adjustment needed"
    if name == "frontdoor":
        return f"by the front-door formula through {names(getattr(strategy, 'mediators', ()))}"
    if name == "instrument" and getattr(strategy, "instrument", None) in g:
        return f"instrumented by {label(g, strategy.instrument)}"
    if name == "id":
        return "by the plan's identification formula"
    if name == "not_identifiable":
        return "not identifiable from what can be measured, so an association only"
    return ""


def _strategy_specs(g: nx.DiGraph, strategy: Any, exposure: Sequence[str], outcome: Sequence[str],
                    primary_outcomes: Sequence[str], criterion: Sequence[str], population: str) -> list[_Spec]:
    """The comparisons that test the claim under the chosen identification strategy (issue 9's ``plan.strategy``).

    One primary comparison per primary outcome (ICH E9 2.2.2: the primary variable gives the most relevant
    evidence on the primary objective; others are secondary).  Randomised: the randomised node against
    placebo (a drug) or a control condition (anything else) on each outcome — a paired t for a within-person arm (a crossover, or a split-body assignment
    with no periods), a two-sample t for parallel groups — primary on a
    primary outcome, secondary on the others.  Any other strategy: the exposure–outcome effect under that
    strategy on each primary outcome, sized as a correlation (the partial correlation after adjustment)."""
    name = getattr(strategy, "name", None)
    out: list[_Spec] = []
    r = getattr(strategy, "randomised_node", None)
    if name == "randomised" and r and r in g:
        # a drug is compared with placebo; a diet, device or procedure with a sham or control condition
        control = "placebo" if g.nodes[r].get("kind") == "drug" else "control condition"
        for y in outcome:
            primary = y in primary_outcomes
            if not primary and not nx.has_path(g, r, y):
                # the graph says the randomised node cannot change this outcome: nothing to size
                out.append(_Spec(f"{label(g, r)} vs {control} on {label(g, y)} (secondary outcome)", "paired", (),
                                 False, (population,), skip=f"no directed path leads from {label(g, r)} to "
                                                            f"{label(g, y)}: the graph says randomising it cannot "
                                                            "change this outcome, so it is not sized"))
                continue
            why = f"no effect of {label(g, r)} on {label(g, y)} recorded"
            tag = "the randomised test of the claim" if primary else "secondary outcome"
            caveat = None
            within = strategy.arm != "parallel"  # a crossover, or a within-person arm with no periods (split-body)
            if not primary and y in criterion and within:
                caveat = (f"{label(g, y)} is a defining criterion of the condition, a trait that one within-person "
                          "comparison may not change: a secondary comparison only")
            if within:
                arm = "crossover" if strategy.arm in (None, "crossover") else f"within-person ({strategy.arm})"
                out.append(_Spec(f"{label(g, r)} vs {control} {arm} on {label(g, y)} ({tag})", "paired",
                                 ((r, y),), primary, (population,), why_assumed=why, caveat=caveat))
            else:
                out.append(_Spec(f"{label(g, r)} vs {control}, parallel groups, on {label(g, y)} ({tag})",
                                 "two-sample", ((r, y),), primary, (f"{population}: {label(g, r)} arm",
                                                                    f"{population}: {control} arm"), why_assumed=why))
        return out
    how = _strategy_how(g, strategy)
    for x in exposure:
        for y in primary_outcomes:
            if x in g and y in g:
                out.append(_Spec(f"association of {label(g, x)} with {label(g, y)}" + (f", {how}" if how else "")
                                 + " (the test of the claim)", "correlation", ((x, y),), True, (population,),
                                 why_assumed=_association_why(g, x, y)))
    return out


def _association_why(g: nx.DiGraph, x: str, y: str) -> str | None:
    """Why no recorded effect sizes the association of ``x`` with ``y`` (``None`` when one does or none is due)."""
    if not nx.has_path(g, x, y):  # never cite an edge that does not exist
        return (f"the graph claims {label(g, x)} has no effect on {label(g, y)}: no directed path leads from "
                "one to the other, so no effect size can be recorded for it; the study must detect this size "
                "to refute the claim")
    if effect_from_edges(g, [(x, y)], "correlation") is None:
        on = (nx.descendants(g, x) | {x}) & (nx.ancestors(g, y) | {y})
        link = effect_from_edges(g, [(u, v) for u, v in g.edges if u in on and v in on], "correlation")
        if link is not None:
            return (f"no effect recorded between {label(g, x)} and {label(g, y)}; {link[0].describe(g)} is one "
                    "link of the chain and is not used for the whole chain")
    return None


def _specs(g: nx.DiGraph, *, exposure: Sequence[str], outcome: Sequence[str], condition_nodes: Sequence[str],
           focal: Sequence[str], crossover_edges: Sequence[tuple[str, str]], disease_groups: int,
           population: str, strategy: Any = None, primary_outcomes: Sequence[str] | None = None,
           criterion: Sequence[str] = ()) -> list[_Spec]:
    """The comparisons of the proposed design, each with the edges whose recorded effects can size it.

    Only the strategy's test on a primary outcome is primary; case-vs-control differences, crossovers on
    mediators, other associations and secondary outcomes are secondary.  A between-group comparison on a
    defining criterion of the condition (``criterion``) is circular and never sized."""
    exposure = [x for x in exposure if x in g]
    outcome = [y for y in outcome if y in g]
    primary_outcomes = [y for y in (outcome[:1] if primary_outcomes is None else primary_outcomes) if y in g]
    specs: list[_Spec] = _strategy_specs(g, strategy, exposure, outcome, primary_outcomes, criterion, population)
    if condition_nodes:
        cases, controls = population, "healthy controls"
        # the exposure, the mediators, and every observed node with a recorded patients-vs-controls difference:
        # a d or OR on an edge from the condition, or from a case-control study
        case_control = [r.edge for r in recorded_effects(g) if r.key in ("d", "or")
                        and (r.edge[0] in condition_nodes or r.evidence.design is Design.CASE_CONTROL)]
        with_effect = [v for v in g.nodes if g.nodes[v].get("observed", True) and v not in condition_nodes
                       and g.nodes[v].get("kind") not in ("drug", "intervention")
                       and any(e[1] == v for e in case_control)]
        targets = [t for t in dict.fromkeys(list(exposure) + list(focal) + with_effect) if t not in criterion]
        for t in targets:
            edges = tuple((c, t) for c in condition_nodes if g.has_edge(c, t))
            if t not in exposure and t not in focal:
                edges = tuple(dict.fromkeys(e for e in case_control if e[1] == t))
            if t not in exposure and effect_from_edges(g, edges, "two-sample") is None:
                continue
            why = None if edges else (f"no edge joins the condition to {label(g, t)} in the graph, so no recorded "
                                      "effect applies to this comparison")
            specs.append(_Spec(f"{cases} vs {controls} on {label(g, t)}", "two-sample", edges, False,
                               (cases, controls), why_assumed=why))
        if disease_groups and exposure and exposure[0] not in criterion:
            edges = tuple((c, x) for c in condition_nodes for x in exposure if g.has_edge(c, x))
            why = None if edges else (f"no edge joins the condition to {label(g, exposure[0])} in the graph, so no "
                                      "recorded effect applies to this comparison")
            specs.append(_Spec(f"{cases} vs one disease-control group vs {controls} on {label(g, exposure[0])}",
                               "anova", edges, False, (cases, "disease controls", controls), k=3, why_assumed=why))
    for d, t in crossover_edges:
        if any(sp.design == "paired" and sp.edges == ((d, t),) for sp in specs):
            continue
        specs.append(_Spec(f"{label(g, d)} vs placebo crossover on {label(g, t)}", "paired", ((d, t),),
                           False, (population,)))
    tested = {sp.edges[0] for sp in specs if sp.primary and sp.design == "correlation"}
    has_primary = any(sp.primary for sp in specs)
    for x in exposure:
        for y in outcome:
            if (x, y) in tested:
                continue
            # the strategy's test on the primary outcome is primary; an association is primary only when the
            # strategy gives no test (no strategy chosen, or nothing to randomise) and it is on a primary outcome
            primary = not has_primary and y in primary_outcomes
            specs.append(_Spec(f"association of {label(g, x)} with {label(g, y)}", "correlation", ((x, y),),
                               primary, (population,), why_assumed=_association_why(g, x, y)))
    return specs


def _account(g: nx.DiGraph, sizes: Sequence[SampleSize], specs: Sequence[_Spec],
             unsized: Sequence[dict[str, Any]] = ()) -> list[dict[str, Any]]:
    """Every recorded effect size, with the comparisons it sizes or why it sizes none."""
    out = []
    for rec in recorded_effects(g):
        failed = "; ".join(f"'{u['comparison']}' could not be sized: {u['reason']}" for u in unsized
                           if list(rec.edge) in u["edges"])
        used = [s.comparison for s, sp in zip(sizes, specs)
                if s.source == "evidence" and rec.edge in sp.edges and s.citation == cite(rec.evidence)
                and s.point is not None and _same_effect(rec, s, sp)]
        if used:
            reason = ""
        else:
            designs = {sp.design for sp in specs if rec.edge in sp.edges}
            if not designs and failed:
                reason = failed
            elif not designs:
                reason = (f"no comparison of this design measures {label(g, rec.edge[1])} against "
                          f"{label(g, rec.edge[0])}")
            else:
                convs = [convert_for(rec, d) for d in designs]
                problems = [c for c in convs if isinstance(c, str)]
                reason = ("; ".join(dict.fromkeys(problems)) if problems and len(problems) == len(convs)
                          else "a smaller or human effect on the same comparison was used instead")
        out.append({"edge": list(rec.edge), "measure": rec.measure, "value": rec.value, "n": rec.n,
                    "citation": cite(rec.evidence), "used_in": used,
                    "note": (f"{rec.describe(g)}: used for " + "; ".join(used)) if used
                    else f"{rec.describe(g)} is not used: {reason}"})
    return out


def _same_effect(rec: Recorded, s: SampleSize, sp: _Spec) -> bool:
    conv = convert_for(rec, sp.design, groups=sp.k)
    return not isinstance(conv, str) and s.point is not None and (
        abs(conv.value - s.point) < 1e-9 or sp.design == "paired")


def _budget(sizes: Sequence[SampleSize]) -> dict[str, Any]:
    """The primary comparisons drive the budget: each group's n is the largest any primary comparison asks of
    it, the total their sum.  Each secondary comparison is reported with what it would need, and whether the
    primary budget already answers it (every group it uses is enrolled at least that large)."""
    primary = [s for s in sizes if s.primary] or list(sizes)
    need: dict[str, int] = {}
    enrol: dict[str, int] = {}
    for s in primary:
        per = s.n_per_group if s.n_per_group is not None and len(s.groups) > 1 else s.n_total
        per_enrol = s.n_enrol_per_group or s.n_enrol_total or per
        for grp in s.groups:
            need[grp] = max(need.get(grp, 0), per)
            enrol[grp] = max(enrol.get(grp, 0), per_enrol)
    rows = [{"group": grp, "n": n, "n_enrol": enrol[grp]} for grp, n in need.items()]
    secondary = []
    for s in sizes:
        if s in primary:
            continue
        per = s.n_per_group if s.n_per_group is not None and len(s.groups) > 1 else s.n_total
        missing = [grp for grp in s.groups if grp not in need]
        short = [grp for grp in s.groups if grp in need and need[grp] < per]
        each = f"{per} per group" if len(s.groups) > 1 else str(per)
        gaps = []
        if missing:
            gaps.append(f"{', '.join(missing)}, which the primary budget does not enrol")
        gaps += [f"{grp}, which the primary budget gives {need[grp]}" for grp in short]
        verdict = (f"needs {each}: " + "; ".join(gaps)) if gaps else f"answerable within the primary budget ({each})"
        secondary.append({"comparison": s.comparison, "n_needed": per, "groups": list(s.groups),
                          "within_budget": not missing and not short, "note": f"{s.comparison}: {verdict}"})
    return {"groups": rows, "n_total": sum(need.values()), "n_enrol_total": sum(enrol.values()),
            "secondary": secondary,
            "note": "driven by the primary comparison(s): each group's size is the largest that a primary comparison "
                    "needs from it (a comparison within one group, such as a crossover or an association, uses that "
                    "group); secondary comparisons are listed with what they would need"}


def size_plan(g: nx.DiGraph, *, exposure: Sequence[str], outcome: Sequence[str], condition_nodes: Sequence[str],
              focal: Sequence[str], crossover_edges: Sequence[tuple[str, str]], disease_groups: int,
              population: str, options: SizingOptions | None = None,
              attrition_rule: tuple[float, str] | None = None,
              reliability: dict[str, tuple[float, str]] | None = None, strategy: Any = None,
              primary_outcomes: Sequence[str] | None = None, criterion: Sequence[str] = ()) -> Sizing:
    """Size every comparison of the design: see the module docstring for the rules.

    ``attrition_rule`` is (rate, source) from the catalog's population rule, ``reliability`` maps a node to
    (test–retest reliability of one session, source) from its catalog method, and ``strategy`` is the plan's
    identification strategy (its test on each primary outcome is the primary comparison), ``primary_outcomes``
    the plan's primary outcomes (default: the first outcome) and ``criterion`` the outcomes that define the
    condition (never compared between groups).
    """
    from .effectsize import spearman_brown
    from .power import adjusted_alpha, mediation_sample_size, minimal_detectable_effect

    options = options or SizingOptions()
    if options.mediation not in MEDIATION_METHODS:
        raise UsageError(f"mediation must be one of {', '.join(MEDIATION_METHODS)}, got {options.mediation!r}")
    specs = _specs(g, exposure=exposure, outcome=outcome, condition_nodes=condition_nodes, focal=focal,
                   crossover_edges=crossover_edges, disease_groups=disease_groups, population=population,
                   strategy=strategy, primary_outcomes=primary_outcomes, criterion=criterion)
    k = sum(1 for s in specs if s.primary and not s.skip)
    alpha_primary, alpha_note = adjusted_alpha(options.alpha, max(k, 1), options.alpha_adjust)
    if k == 1:
        alpha_note = "one primary comparison (the test of the claim on the primary outcome): no adjustment is needed"
    if any(not sp.primary for sp in specs):
        alpha_note += ("; secondary comparisons (other outcomes, group differences, associations, mediators) are "
                       f"each tested at the family alpha ({options.alpha:.4g}), unadjusted, and labelled secondary")
    rho = options.rho if options.rho is not None else 0.5
    rho_source = ("given" if options.rho is not None
                  else "assumed: no within-person correlation recorded; at ρ = 0.5 dz equals d; override with --rho")
    rho_note = (f"paired/crossover comparisons use ρ = {rho:g} ({rho_source})"
                if any(sp.design == "paired" for sp in specs) else "")
    if options.attrition is not None:
        attrition: float | None = options.attrition
        attrition_note = f"enrolment inflated for {options.attrition:.0%} attrition (given)"
    elif attrition_rule is not None:
        attrition, src = attrition_rule
        attrition_note = f"enrolment inflated for {attrition:.0%} attrition ({src})"
    else:
        attrition = None
        attrition_note = ("no attrition rate in the catalog for this population: enrolment is not inflated; "
                          "give one with --attrition")
    sizes: list[SampleSize] = []
    sized_specs: list[_Spec] = []
    unsized: list[dict[str, Any]] = []
    for sp in specs:
        if sp.skip:
            unsized.append({"comparison": sp.comparison, "reason": sp.skip, "edges": [], "skipped": True})
            continue
        design = binary_design(g, sp.design, sp.edges)
        try:
            if design != sp.design:
                sizes.append(size_binary(
                    g, sp.comparison, design, sp.edges, alpha=alpha_primary if sp.primary else options.alpha,
                    power=options.power, baseline_p=options.baseline_p, plan_on=options.plan_on, primary=sp.primary,
                    group_names=sp.groups, attrition=attrition, why_assumed=sp.why_assumed))
                sized_specs.append(sp)
                continue
            sizes.append(size_comparison(
                g, sp.comparison, sp.design, sp.edges, groups=sp.k,
                alpha=alpha_primary if sp.primary else options.alpha, power=options.power,
                why_assumed=sp.why_assumed, plan_on=options.plan_on, rho=rho,
                rho_source="given" if options.rho is not None else "assumed, override with --rho",
                primary=sp.primary, group_names=sp.groups, attrition=attrition,
                caveat=sp.caveat or _binary_caveat(g, sp)))
            sized_specs.append(sp)
        except UsageError as exc:  # a recorded effect no sample size can detect (or absurdly large): say so
            unsized.append({"comparison": sp.comparison, "reason": exc.message,
                            "edges": [list(e) for e in sp.edges]})
    specs = sized_specs
    mediation = _mediation(g, exposure, outcome, focal, options.alpha, options.power, mediation_sample_size,
                           options.mediation)
    rel_rows: list[dict[str, Any]] = []
    for s, sp in zip(sizes, specs):
        node = sp.edges[0][1] if sp.edges else None
        if node is None or reliability is None or node not in reliability or sp.design == "correlation":
            continue
        rho1, src = reliability[node]
        n = s.n_per_group if s.n_per_group is not None else s.n_total
        mde = minimal_detectable_effect(sp.design, n, alpha=s.alpha, power=s.power, groups=sp.k)
        table = []
        for k_sessions in (1, 2, 3, 4, 7):
            rk = spearman_brown(rho1, k_sessions)
            table.append({"k": k_sessions, "reliability": rk, "detectable_true_effect": mde / math.sqrt(rk)})
        suggest = next((r["k"] for r in table if r["reliability"] >= 0.8), 7)
        text = (f"{label(g, node)}: one session has reliability {rho1:g} ({src}); averaging k sessions "
                f"(Spearman–Brown) lets n = {n} detect a true {s.measure} of "
                + ", ".join(f"{r['detectable_true_effect']:.2f} (k = {r['k']})" for r in table)
                + f"; suggest k = {suggest}")
        rel_rows.append({"comparison": s.comparison, "node": node, "reliability_one": rho1, "source": src,
                         "table": table, "suggest_k": suggest, "note": text})
    return Sizing(tuple(sizes), tuple(_account(g, sizes, specs, unsized)), alpha_note, attrition_note, rho_note,
                  _budget(sizes), tuple(mediation), tuple(rel_rows), options, tuple(unsized))


def _path_r(g: nx.DiGraph, edge: tuple[str, str]) -> tuple[float, str]:
    """A standardised path: the recorded effect on ``edge`` as r, else Cohen's medium r = 0.3 (stated)."""
    found = effect_from_edges(g, [edge], "correlation")
    if found is None:
        return ASSUMED["correlation"][1], f"{label(g, edge[0])} → {label(g, edge[1])}: assumed r = 0.3 (Cohen's medium effect)"
    return found[1].value, f"{label(g, edge[0])} → {label(g, edge[1])}: r = {found[1].value:.3g} from {found[0].describe(g)}"


def _mediation_chains(g: nx.DiGraph, x: str, y: str, mediators: Sequence[str]) -> list[list[str]]:
    """The directed paths from ``x`` to ``y`` whose inner nodes are all mediators (one or more)."""
    sub = g.subgraph([x, y, *[m for m in mediators if m in g and m not in (x, y)]])
    chains = [p for p in nx.all_simple_paths(sub, x, y, cutoff=6) if len(p) > 2]
    return sorted(chains, key=len)[:10]


def _mediation(g: nx.DiGraph, exposure: Sequence[str], outcome: Sequence[str], mediators: Sequence[str],
               alpha: float, power: float, solve: Any, method: str = "joint") -> list[dict[str, Any]]:
    """The indirect effect along each chain of mediators from an exposure to an outcome (a secondary question,
    at the family alpha): one mediator by the joint-significance test (MacKinnon et al. 2002) unless
    ``method`` is ``monte-carlo``; a chain of several, whose joint test has no closed form here, always by
    the Monte Carlo CI (Schoemann, Boulton & Short 2017), seeded."""
    from .power import MONTE_CARLO_METHOD, mediation_sample_size_monte_carlo

    out = []
    for x in exposure:
        for y in outcome:
            if x not in g or y not in g:
                continue
            for chain in _mediation_chains(g, x, y, mediators):
                paths = [_path_r(g, edge) for edge in pairwise(chain)]
                values = [v for v, _ in paths]
                where = " → ".join(label(g, n) for n in chain)
                sources = "; ".join(src for _, src in paths)
                try:
                    if len(chain) == 3 and method == "joint":
                        raw, n = solve(values[0], values[1], alpha=alpha, power=power)
                        how = ("joint-significance test (MacKinnon et al. 2002): power = product of the two path "
                               "tests' powers, statsmodels FTestPowerF2")
                    else:
                        n = mediation_sample_size_monte_carlo(values, alpha=alpha, power=power)
                        raw = float(n)
                        how = MONTE_CARLO_METHOD + " (400 replicates of 1000 draws, seed 0)"
                except UsageError as exc:
                    out.append({"exposure": x, "mediator": chain[1], "mediators": chain[1:-1], "outcome": y,
                                "n_total": None, "note": f"indirect effect {where} not sized: {exc.message}"})
                    continue
                entry: dict[str, Any] = {"exposure": x, "mediator": chain[1], "mediators": chain[1:-1], "outcome": y,
                                         "paths": values, "n_total": n, "raw": raw, "alpha": alpha, "power": power,
                                         "method": how,
                                         "note": f"secondary: indirect effect {where}: {sources}; {n} participants "
                                                 f"give {power:.0%} power at alpha = {alpha:.4g} by the {how}"}
                if len(chain) == 3:
                    entry["a"], entry["b"] = values
                out.append(entry)
    if exposure and outcome and mediators and not out:
        out.append({"note": "the indirect effect is not sized: no chain of mediators leads from the exposure to the "
                            "outcome", "n_total": None})
    return out


def primary_comparisons(g: nx.DiGraph, *, exposure: Sequence[str], outcome: Sequence[str],
                        condition_nodes: Sequence[str], focal: Sequence[str], crossover_edges: Sequence[tuple[str, str]],
                        disease_groups: int, population: str) -> list[SampleSize]:
    """The sized comparisons of the proposed design (the default options of :func:`size_plan`)."""
    if not exposure:
        return []
    return list(size_plan(g, exposure=exposure, outcome=outcome, condition_nodes=condition_nodes, focal=focal,
                          crossover_edges=crossover_edges, disease_groups=disease_groups,
                          population=population).comparisons)
