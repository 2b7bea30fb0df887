"""Sample size for the primary comparison of a study, with effect sizes as G*Power names them.

Designs and their effect-size measures (Cohen 1988; Faul et al. 2007, *Behav Res Methods* 39:175):

=============  =====  =========================================================
design         ES     test
=============  =====  =========================================================
two-sample     d      independent-samples t test, equal groups (statsmodels ``TTestIndPower``)
paired         dz     paired / one-sample t test (statsmodels ``TTestPower``)
anova          f      one-way ANOVA, equal groups (statsmodels ``FTestAnovaPower``)
correlation    r      exact test of rho = 0 in the bivariate normal model (as G*Power), or Fisher z
proportions    h      two independent proportions, Cohen's arcsine h (statsmodels ``NormalIndPower``)
chisquare      w      chi-square goodness-of-fit / contingency test with ``df`` (``GofChisquarePower``)
=============  =====  =========================================================

statsmodels and scipy are imported inside the functions, so importing this module is cheap.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import UsageError

if TYPE_CHECKING:
    from ..schema import EffectSize

__all__ = [
    "CORRELATION_METHODS",
    "DESIGNS",
    "EFFECT_MEASURES",
    "PowerResult",
    "cohens_d_from_means",
    "cohens_h",
    "correlation_density",
    "correlation_power",
    "effect_size_from_evidence",
    "logistic_sample_size",
    "sample_size",
]

#: The effect-size measure of each design, as G*Power names it.
EFFECT_MEASURES: dict[str, str] = {
    "two-sample": "d",
    "paired": "dz",
    "anova": "f",
    "correlation": "r",
    "proportions": "h",
    "chisquare": "w",
}
DESIGNS: tuple[str, ...] = tuple(EFFECT_MEASURES)
CORRELATION_METHODS: tuple[str, ...] = ("exact", "fisher-z")

#: Designs whose test is an omnibus upper-tail test (F, chi-square): "sides" does not apply.
_OMNIBUS = frozenset({"anova", "chisquare"})

_DESIGN_NAMES = {
    "two-sample": "Two-sample t test",
    "paired": "Paired t test",
    "anova": "One-way ANOVA",
    "correlation": "Correlation test (H0: rho = 0)",
    "proportions": "Two independent proportions",
    "chisquare": "Chi-square test",
}


@dataclass(frozen=True)
class PowerResult:
    """The sample size that reaches ``power`` for ``effect_size`` at level ``alpha``.

    ``n_total`` is what to recruit; ``n_per_group`` is set for designs with independent groups
    (two-sample, anova, proportions) and ``None`` otherwise.  ``raw`` is the unrounded solution
    (per group for two-sample and proportions, total for the others).  ``sides`` is ``None`` for
    omnibus F and chi-square tests.
    """

    design: str
    effect_size: float
    effect_measure: str
    alpha: float
    power: float
    sides: int | None
    n_per_group: int | None
    n_total: int
    raw: float
    method: str
    groups: int | None = None
    df: int | None = None
    assumptions: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {
            "design": self.design,
            "n_total": self.n_total,
            "n_per_group": self.n_per_group,
            "effect_size": self.effect_size,
            "effect_measure": self.effect_measure,
            "alpha": self.alpha,
            "power": self.power,
            "sides": self.sides,
            "raw": self.raw,
            "method": self.method,
            "groups": self.groups,
            "df": self.df,
            "assumptions": list(self.assumptions),
        }

    def sentence(self) -> str:
        """One sentence a plan or a terminal can show."""
        tail = "" if self.sides is None else (", two-sided" if self.sides == 2 else ", one-sided")
        what = f"{self.effect_measure} = {self.effect_size:.3g} at alpha = {self.alpha:.4g}{tail}"
        pct = f"{self.power * 100:g}%"
        if self.n_per_group is not None:
            k = self.groups or 2
            n = f"{self.n_per_group} per group ({k} groups, {self.n_total} in total)"
        elif self.design == "paired":
            n = f"{self.n_total} pairs (participants measured twice)"
        elif self.design == "correlation":
            n = f"{self.n_total} participants (pairs of observations)"
        else:
            n = f"{self.n_total} participants in total"
        return f"{_DESIGN_NAMES[self.design]}: {n} give {pct} power to detect {what}."


# ---------------------------------------------------------------------------
# Effect sizes
# ---------------------------------------------------------------------------


def cohens_h(p1: float, p2: float) -> float:
    """Cohen's h = 2·asin(√p1) − 2·asin(√p2) (Cohen 1988, ch. 6); signed, so take ``abs`` for a two-sided test."""
    for name, p in (("p1", p1), ("p2", p2)):
        if not (isinstance(p, (int, float)) and math.isfinite(p) and 0.0 <= p <= 1.0):
            raise UsageError(f"{name} must be a proportion between 0 and 1, got {p!r}")
    return 2.0 * math.asin(math.sqrt(p1)) - 2.0 * math.asin(math.sqrt(p2))


def cohens_d_from_means(m1: float, sd1: float, m2: float, sd2: float) -> float:
    """Cohen's d = (m1 − m2) / √((sd1² + sd2²) / 2), the pooled SD of two equal-sized groups (Cohen 1988, eq. 2.3.2)."""
    for name, v in (("m1", m1), ("sd1", sd1), ("m2", m2), ("sd2", sd2)):
        if not (isinstance(v, (int, float)) and math.isfinite(v)):
            raise UsageError(f"{name} must be a finite number, got {v!r}")
    if sd1 <= 0 or sd2 <= 0:
        raise UsageError("standard deviations must be > 0", hint="give the SD of each group, not the variance or SE")
    return (m1 - m2) / math.sqrt((sd1 * sd1 + sd2 * sd2) / 2.0)


#: Reported effect measures (lower case, spaces and punctuation removed) → design.
_MEASURE_TO_DESIGN = {
    "d": "two-sample", "cohensd": "two-sample", "g": "two-sample", "hedgesg": "two-sample",
    "dz": "paired", "d_z": "paired", "cohensdz": "paired",
    "r": "correlation", "pearsonr": "correlation",
    "f": "anova", "cohensf": "anova",
    "h": "proportions", "cohensh": "proportions",
    "w": "chisquare", "cohensw": "chisquare",
}


def effect_size_from_evidence(effect: EffectSize) -> tuple[str, float] | None:
    """Map a reported effect size to ``(design, |value|)``, or ``None`` when no design here uses it.

    Hedges' g is treated as d (they differ by the small-sample factor 1 − 3/(4N − 9)).  OR, RR,
    percent changes and other measures return ``None``: the plan must then state an assumption.
    """
    key = "".join(ch for ch in effect.measure.lower() if ch.isalnum() or ch == "_")
    design = _MEASURE_TO_DESIGN.get(key) or _MEASURE_TO_DESIGN.get(key.replace("_", ""))
    value = abs(float(effect.value))
    if design is None or not math.isfinite(value) or value == 0.0:
        return None
    if design == "correlation" and value >= 1.0:
        return None
    if design == "proportions" and value > math.pi:
        return None
    return design, value


# ---------------------------------------------------------------------------
# Exact distribution of the sample correlation coefficient
# ---------------------------------------------------------------------------


def correlation_density(x: float, rho: float, n: float) -> float:
    """Exact density of the sample correlation r of n bivariate-normal pairs with correlation rho.

    Hotelling (1953, *JRSS-B* 15:193, eq. 29), the form of Fisher (1915) with the Gauss
    hypergeometric function::

        f(r) = (n−2) Γ(n−1) (1−ρ²)^((n−1)/2) (1−r²)^((n−4)/2)
               / (√(2π) Γ(n−½) (1−ρr)^(n−3/2)) · ₂F₁(½, ½; n−½; (1+ρr)/2)
    """
    from scipy import special

    if not -1.0 < x < 1.0:
        return 0.0
    log_f = (
        math.log(n - 2.0)
        + special.gammaln(n - 1.0)
        - special.gammaln(n - 0.5)
        - 0.5 * math.log(2.0 * math.pi)
        + 0.5 * (n - 1.0) * math.log1p(-rho * rho)
        + 0.5 * (n - 4.0) * math.log1p(-x * x)
        - (n - 1.5) * math.log1p(-rho * x)
    )
    return math.exp(log_f) * float(special.hyp2f1(0.5, 0.5, n - 0.5, 0.5 * (1.0 + rho * x)))


def _correlation_mass(lo: float, hi: float, rho: float, n: float) -> float:
    """P(lo < r < hi) by adaptive quadrature of the exact density, split at the mode region."""
    from scipy import integrate

    points = [rho] if lo < rho < hi else None
    value, _ = integrate.quad(correlation_density, lo, hi, args=(rho, n), points=points,
                              limit=400, epsabs=1e-13, epsrel=1e-10)
    return min(max(value, 0.0), 1.0)


def correlation_power(r: float, n: float, *, alpha: float = 0.05, sides: int = 2, method: str = "exact") -> float:
    """Power of the test of H0: rho = 0 against rho = r > 0 with n pairs.

    ``exact``: the test rejects when r exceeds the critical value of the null distribution
    (equivalently t = r√(n−2)/√(1−r²) against t(n−2)); power integrates the exact density of r
    under rho = r (:func:`correlation_density`) over the rejection region — G*Power's
    "Correlation: bivariate normal model" exact test (Faul et al. 2009, *BRM* 41:1149).
    ``fisher-z``: atanh(r)·√(n−3) is approximately normal (Fisher 1921).
    """
    from scipy import stats

    if method == "fisher-z":
        shift = math.atanh(r) * math.sqrt(n - 3.0)
        z = stats.norm.isf(alpha / sides)
        p = stats.norm.sf(z - shift)
        if sides == 2:
            p += stats.norm.cdf(-z - shift)
        return float(p)
    t = float(stats.t.isf(alpha / sides, n - 2.0))
    r_crit = t / math.sqrt(n - 2.0 + t * t)
    p = _correlation_mass(r_crit, 1.0, r, n)
    if sides == 2:
        p += _correlation_mass(-1.0, -r_crit, r, n)
    return min(p, 1.0)


# ---------------------------------------------------------------------------
# Solving for n
# ---------------------------------------------------------------------------


#: Above this many participants a "sample size" is no longer a study; the effect is too small to pursue.
MAX_N = 1e9


def _too_small() -> UsageError:
    return UsageError("the effect size is too small: more than a billion participants would be needed")


def _solve_increasing(power_at: Callable[[float], float], target: float, n_min: float, start: float) -> float:
    """Smallest real n ≥ n_min with power_at(n) = target, for a power increasing in n (Brent's method)."""
    from scipy import optimize

    if power_at(n_min) >= target:
        return n_min
    hi = max(start, n_min * 2.0, n_min + 1.0)
    while power_at(hi) < target:
        hi *= 2.0
        if hi > MAX_N:
            raise _too_small()
    return float(optimize.brentq(lambda n: power_at(n) - target, n_min, hi, xtol=1e-9, rtol=1e-12))


def _finite_power(engine: Any, kwargs: dict[str, Any]) -> float:
    """``engine.power(**kwargs)``, with the two tails of a two-sided test taken separately when scipy returns
    NaN for the far tail (its noncentral t ``cdf`` does at small alpha and large n: issue 13).

    The far tail P(T < −c | δ) equals the near tail of −δ, P(T > c | −δ), which is what is asked of
    statsmodels then; a far tail that is still NaN is below machine precision and counts as 0.
    """
    value = float(engine.power(**kwargs))
    if math.isfinite(value):
        return value
    if kwargs.get("alternative", "two-sided") != "two-sided":
        raise _not_computable(kwargs.get("effect_size"))
    half = dict(kwargs, alpha=kwargs["alpha"] / 2.0, alternative="larger")
    near = float(engine.power(**half))
    far = float(engine.power(**dict(half, effect_size=-half["effect_size"])))
    if not math.isfinite(near):
        raise _not_computable(kwargs.get("effect_size"))
    return min(1.0, near + (far if math.isfinite(far) else 0.0))


def _not_computable(effect_size: Any) -> UsageError:
    return UsageError(f"the power of this test cannot be computed for effect size {effect_size!r}: the value is "
                      "outside the numerical range of the noncentral distributions",
                      hint="give a realistic effect size (standardised effects above about 5 do not occur in practice)")


def _statsmodels_solve(engine: Any, target: float, n_min: float, nobs_name: str, **kwargs: Any) -> float:
    """``engine.solve_power`` for the sample size; when statsmodels does not converge (huge effects),
    root-find on ``engine.power`` instead.  Both use statsmodels' power formula."""
    # Imported first: on import it installs "always" filters that would defeat the "ignore" below.
    import statsmodels.tools.sm_exceptions  # noqa: F401

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            raw = float(engine.solve_power(**{nobs_name: None}, power=target, **kwargs))
        except (ValueError, TypeError, RuntimeError, ZeroDivisionError, FloatingPointError):
            raw = math.nan  # e.g. scipy's fdtri refuses statsmodels' bracket with very many ANOVA groups

        def power_at(n: float) -> float:
            return _finite_power(engine, {nobs_name: n, **kwargs})

        if math.isfinite(raw) and raw >= n_min and abs(power_at(raw) - target) < 1e-6:
            if raw > MAX_N:
                raise _too_small()
            return raw
        return _solve_increasing(power_at, target, n_min, start=max(n_min, raw if math.isfinite(raw) else 10.0))


def _check_number(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise UsageError(f"{name} must be a finite number, got {value!r}")
    return float(value)


def _validate(design: str, effect_size: float, alpha: float, power: float, sides: int, groups: int, df: int) -> None:
    if design not in EFFECT_MEASURES:
        raise UsageError(f"unknown design {design!r}", hint="choose one of: " + ", ".join(DESIGNS))
    es = _check_number("effect size", effect_size)
    measure = EFFECT_MEASURES[design]
    if es <= 0:
        raise UsageError(f"effect size {measure} must be > 0, got {effect_size!r}",
                         hint="give its absolute value; the direction does not change the sample size")
    if design == "correlation" and es >= 1:
        raise UsageError(f"correlation r must be below 1, got {effect_size!r}")
    if design == "proportions" and es > math.pi:
        raise UsageError(f"Cohen's h is at most pi (3.1416), got {effect_size!r}",
                         hint="compute h from two proportions with --p1/--p2")
    a = _check_number("alpha", alpha)
    if not 0 < a < 1:
        raise UsageError(f"alpha must be between 0 and 1 (exclusive), got {alpha!r}", hint="the usual value is 0.05")
    p = _check_number("power", power)
    if not 0 < p < 1:
        raise UsageError(f"power must be between 0 and 1 (exclusive), got {power!r}", hint="the usual value is 0.8 or 0.9")
    if p <= a:
        raise UsageError(f"power ({power}) must exceed alpha ({alpha})", hint="power is the chance of detecting a true effect")
    if isinstance(sides, bool) or sides not in (1, 2):
        raise UsageError(f"sides must be 1 or 2, got {sides!r}")
    if design in _OMNIBUS and sides != 2:
        raise UsageError(f"the {design} test is an omnibus upper-tail test: sides does not apply",
                         hint="leave sides at its default")
    if isinstance(groups, bool) or not isinstance(groups, int):
        raise UsageError(f"groups must be a whole number, got {groups!r}")
    if design == "anova" and groups < 2:
        raise UsageError(f"an ANOVA needs at least 2 groups, got {groups}")
    if design != "anova" and groups != 2:
        raise UsageError(f"groups applies only to the anova design (got groups={groups} for {design})")
    if isinstance(df, bool) or not isinstance(df, int):
        raise UsageError(f"df must be a whole number, got {df!r}")
    if df < 1:
        raise UsageError(f"df must be at least 1, got {df}", hint="df = (rows − 1)(columns − 1), or categories − 1")
    if design != "chisquare" and df != 1:
        raise UsageError(f"df applies only to the chisquare design (got df={df} for {design})")


_ALTERNATIVE = {1: "larger", 2: "two-sided"}


def sample_size(design: str, effect_size: float, *, alpha: float = 0.05, power: float = 0.8, sides: int = 2,
                groups: int = 2, df: int = 1, method: str | None = None) -> PowerResult:
    """Sample size reaching ``power`` for ``effect_size`` (G*Power's measure for ``design``) at ``alpha``.

    ``method`` matters only for correlation: ``"exact"`` (default, as G*Power) or ``"fisher-z"``.
    Raises :class:`~hypoplan.errors.UsageError` on impossible input.
    """
    _validate(design, effect_size, alpha, power, sides, groups, df)
    try:
        return _sample_size(design, float(effect_size), float(alpha), float(power), sides, groups, df, method)
    except (OverflowError, ZeroDivisionError):
        # issue 13: 1e160 or 1e-160 overflow inside scipy/statsmodels or the starting guess
        if float(effect_size) < 1.0:
            raise _too_small() from None
        raise _not_computable(effect_size) from None


def _sample_size(design: str, es: float, alpha: float, power: float, sides: int, groups: int, df: int,
                 method: str | None) -> PowerResult:
    if method is not None and (design != "correlation" or method not in CORRELATION_METHODS):
        raise UsageError(f"method {method!r} does not apply to {design}",
                         hint="only correlation has methods: " + ", ".join(CORRELATION_METHODS))
    common: dict[str, Any] = {"design": design, "effect_size": es, "effect_measure": EFFECT_MEASURES[design],
                                  "alpha": alpha, "power": power, "sides": None if design in _OMNIBUS else sides}
    alternative = _ALTERNATIVE[sides]

    if design == "two-sample":
        from statsmodels.stats.power import TTestIndPower

        raw = _statsmodels_solve(TTestIndPower(), power, 2.0, "nobs1", effect_size=es, alpha=alpha,
                                 ratio=1.0, alternative=alternative)
        n = math.ceil(raw)
        return PowerResult(**common, n_per_group=n, n_total=2 * n, raw=raw, groups=2,
                           method="statsmodels TTestIndPower (noncentral t)",
                           assumptions=("two independent groups of equal size",
                                        "normally distributed outcome with equal variances",
                                        "d = mean difference / pooled SD"))
    if design == "paired":
        from statsmodels.stats.power import TTestPower

        raw = _statsmodels_solve(TTestPower(), power, 2.0, "nobs", effect_size=es, alpha=alpha,
                                 alternative=alternative)
        return PowerResult(**common, n_per_group=None, n_total=math.ceil(raw), raw=raw,
                           method="statsmodels TTestPower (noncentral t)",
                           assumptions=("each participant measured under both conditions (or matched pairs)",
                                        "normally distributed within-pair differences",
                                        "dz = mean difference / SD of the differences"))
    if design == "anova":
        from statsmodels.stats.power import FTestAnovaPower

        raw = _statsmodels_solve(FTestAnovaPower(), power, 2.0 * groups, "nobs", effect_size=es, alpha=alpha,
                                 k_groups=groups)
        per_group = math.ceil(raw / groups)
        return PowerResult(**common, n_per_group=per_group, n_total=per_group * groups, raw=raw, groups=groups,
                           method="statsmodels FTestAnovaPower (noncentral F), rounded up to equal groups",
                           assumptions=(f"{groups} independent groups of equal size",
                                        "normally distributed outcome with equal variances",
                                        "f = SD of the group means / within-group SD"))
    if design == "proportions":
        from statsmodels.stats.power import NormalIndPower

        raw = _statsmodels_solve(NormalIndPower(), power, 1.0, "nobs1", effect_size=es, alpha=alpha,
                                 ratio=1.0, alternative=alternative)
        n = math.ceil(raw)
        return PowerResult(**common, n_per_group=n, n_total=2 * n, raw=raw, groups=2,
                           method="statsmodels NormalIndPower (normal approximation on the arcsine scale)",
                           assumptions=("two independent groups of equal size",
                                        "h = 2·asin(√p1) − 2·asin(√p2) (Cohen's h)"))
    if design == "chisquare":
        from statsmodels.stats.power import GofChisquarePower

        raw = _statsmodels_solve(GofChisquarePower(), power, 1.0, "nobs", effect_size=es, alpha=alpha,
                                 n_bins=df + 1)
        return PowerResult(**common, n_per_group=None, n_total=math.ceil(raw), raw=raw, df=df,
                           method=f"statsmodels GofChisquarePower (noncentral chi-square, df = {df})",
                           assumptions=(f"chi-square test with {df} degree(s) of freedom",
                                        "w = √(Σ (p1 − p0)² / p0) over the cells (Cohen's w)"))
    # correlation
    chosen = method or "exact"
    fisher_start = ((2.8 / math.atanh(es)) ** 2) + 3.0
    # The exact density piles up at r = 1 when rho -> 1 and quadrature loses it; power rises with rho, so a
    # rho above 0.9999 needs no more pairs than 0.9999 does (the minimum of 4 whenever that reaches the target).
    es_eval = min(es, 0.9999) if chosen == "exact" and correlation_power(
        min(es, 0.9999), 4.0, alpha=alpha, sides=sides) >= power else es
    raw = _solve_increasing(lambda n: correlation_power(es_eval, n, alpha=alpha, sides=sides, method=chosen),
                            power, 4.0, start=fisher_start)
    label = ("exact distribution of r under the bivariate normal model (Hotelling 1953), as G*Power"
             if chosen == "exact" else "Fisher z approximation (atanh r · √(n − 3) ~ normal)")
    return PowerResult(**common, n_per_group=None, n_total=math.ceil(raw), raw=raw, method=label,
                       assumptions=("pairs drawn from a bivariate normal distribution",
                                    "H0: rho = 0 against rho = r"))


# ---------------------------------------------------------------------------
# Power at a given n, and the minimal detectable effect
# ---------------------------------------------------------------------------

#: The largest effect searched for a minimal detectable effect, per measure.
_ES_MAX = {"d": 20.0, "dz": 20.0, "f": 10.0, "r": 0.99, "h": math.pi, "w": 10.0}

#: What ``n`` counts in :func:`power_at_n` and :func:`minimal_detectable_effect`.
N_MEANS = {"two-sample": "per group", "paired": "pairs", "anova": "per group", "correlation": "pairs",
           "proportions": "per group", "chisquare": "in total"}


def power_at_n(design: str, effect_size: float, n: float, *, alpha: float = 0.05, sides: int = 2,
               groups: int = 2, df: int = 1, method: str | None = None) -> float:
    """Power of ``design`` with ``n`` participants (per group for independent groups, see :data:`N_MEANS`)."""
    alternative = _ALTERNATIVE[sides]
    if design == "correlation":
        return correlation_power(effect_size, n, alpha=alpha, sides=sides, method=method or "exact")
    from statsmodels.stats import power as smp

    engines: dict[str, tuple[Any, dict[str, Any]]] = {
        "two-sample": (smp.TTestIndPower(), {"nobs1": n, "ratio": 1.0, "alternative": alternative}),
        "paired": (smp.TTestPower(), {"nobs": n, "alternative": alternative}),
        "anova": (smp.FTestAnovaPower(), {"nobs": n * groups, "k_groups": groups}),
        "proportions": (smp.NormalIndPower(), {"nobs1": n, "ratio": 1.0, "alternative": alternative}),
        "chisquare": (smp.GofChisquarePower(), {"nobs": n, "n_bins": df + 1}),
    }
    engine, kwargs = engines[design]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _finite_power(engine, {"effect_size": effect_size, "alpha": alpha, **kwargs})


def _n_min(design: str, groups: int) -> float:
    return {"two-sample": 2.0, "paired": 2.0, "anova": 2.0, "correlation": 4.0, "proportions": 1.0,
            "chisquare": 1.0}[design]


def minimal_detectable_effect(design: str, n: float, *, alpha: float = 0.05, power: float = 0.8, sides: int = 2,
                              groups: int = 2, df: int = 1, method: str | None = None) -> float:
    """The smallest effect (the design's measure) that ``n`` detects with ``power``: the root in the effect
    size of statsmodels' (or the exact correlation) power function, by Brent's method."""
    from scipy import optimize

    _validate(design, 0.5 if design != "correlation" else 0.3, alpha, power, sides, groups, df)
    n = _check_number("n", n)
    if n < _n_min(design, groups) or n > MAX_N:
        raise UsageError(f"n must be between {_n_min(design, groups):g} and 1e9 for {design} "
                         f"({N_MEANS[design]}), got {n:g}")

    def gap(es: float) -> float:
        return power_at_n(design, es, n, alpha=alpha, sides=sides, groups=groups, df=df, method=method) - power

    hi = _ES_MAX[EFFECT_MEASURES[design]]
    lo = 1e-6
    if gap(hi) < 0:
        raise UsageError(f"{n:g} {N_MEANS[design]} cannot reach {power:g} power at any plausible effect size",
                         hint="increase n or lower the power")
    if gap(lo) >= 0:
        return lo
    return float(optimize.brentq(gap, lo, hi, xtol=1e-10, rtol=1e-10))


# ---------------------------------------------------------------------------
# Several primary comparisons
# ---------------------------------------------------------------------------

ALPHA_ADJUSTMENTS = ("bonferroni", "holm")


def adjusted_alpha(alpha: float, comparisons: int, method: str) -> tuple[float, str]:
    """The per-comparison level to size each of ``comparisons`` primary tests at, and a sentence saying why.

    Bonferroni tests each at alpha/K (Dunn 1961).  Holm's step-down procedure (Holm 1979, *Scand J Stat*
    6:65) tests the smallest p-value at alpha/K and relaxes the later steps, so sizing every comparison at
    alpha/K guarantees the power for the first step and is conservative for the rest.
    """
    if method not in ALPHA_ADJUSTMENTS:
        raise UsageError(f"unknown alpha adjustment {method!r}", hint="choose holm or bonferroni")
    if isinstance(comparisons, bool) or not isinstance(comparisons, int) or comparisons < 1:
        raise UsageError(f"the number of comparisons must be a whole number >= 1, got {comparisons!r}")
    level = alpha / comparisons
    if comparisons == 1:
        return level, "one primary comparison: no adjustment"
    if method == "bonferroni":
        return level, f"Bonferroni: each of {comparisons} primary comparisons at alpha/{comparisons} (Dunn 1961)"
    return level, (f"Holm step-down over {comparisons} primary comparisons (Holm 1979): sized at its strictest "
                   f"step, alpha/{comparisons}, which is conservative for the later steps")


# ---------------------------------------------------------------------------
# Mediation: the joint-significance test of the indirect effect
# ---------------------------------------------------------------------------


def mediation_power(a: float, b: float, n: float, *, alpha: float = 0.05) -> float:
    """Power of the joint-significance test of a·b (MacKinnon et al. 2002, *Psychol Methods* 7:83): reject when
    both the X→M path ``a`` and the M→Y path ``b`` (given X) are significant.

    Model X ~ N(0, 1), M = aX + e, Y = bM + c′X + e with unit error variances, so each path test is the
    F test of one coefficient with f² = a² (df 1, n − 2) and f² = b² (df 1, n − 3), statsmodels
    ``FTestPowerF2``.  The two estimates are asymptotically independent, so the joint power is the product.
    """
    from statsmodels.stats.power import FTestPowerF2

    engine = FTestPowerF2()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p_a = float(engine.power(effect_size=a * a, df_num=1, df_denom=n - 2.0, alpha=alpha))
        p_b = float(engine.power(effect_size=b * b, df_num=1, df_denom=n - 3.0, alpha=alpha))
    return p_a * p_b


def mediation_sample_size(a: float, b: float, *, alpha: float = 0.05, power: float = 0.8) -> tuple[float, int]:
    """Smallest n whose joint-significance power (:func:`mediation_power`) reaches ``power``: (raw, ceil)."""
    for name, v in (("a", a), ("b", b)):
        v = _check_number(f"path {name}", v)
        if v == 0:
            raise UsageError(f"mediation path {name} must be non-zero")
    raw = _solve_increasing(lambda n: mediation_power(a, b, n, alpha=alpha), power, 4.0, start=50.0)
    return raw, math.ceil(raw)


# ---------------------------------------------------------------------------
# Logistic regression: a binary outcome of a continuous exposure
# ---------------------------------------------------------------------------


def logistic_sample_size(log_or: float, p: float, *, alpha: float = 0.05, power: float = 0.8, sides: int = 2,
                         r2: float = 0.0) -> tuple[float, int]:
    """Participants for the Wald test of one normally distributed covariate in a logistic regression:
    n = (z₁₋α/s + z₁₋β)² / (P(1 − P)·β*²), divided by (1 − R²) when the covariate is explained to R² by
    the others (Hsieh, Bloch & Larsen 1998, *Stat Med* 17:1623).

    ``log_or`` is β*, the log odds ratio per SD of the covariate; ``p`` the event rate at its mean.
    statsmodels has no class for it; the normal quantiles come from scipy.  Returns (raw, ceil).
    """
    from scipy import stats

    beta = _check_number("log odds ratio", log_or)
    p = _check_number("event rate", p)
    if beta == 0:
        raise UsageError("the log odds ratio must be non-zero: there is nothing to detect")
    if not 0 < p < 1:
        raise UsageError(f"the event rate must lie strictly between 0 and 1, got {p:g}")
    if not 0 < alpha < 1 or not 0 < power < 1 or sides not in (1, 2) or not 0 <= r2 < 1:
        raise UsageError("alpha and power must lie in (0, 1), sides be 1 or 2, and R² in [0, 1)")
    z = float(stats.norm.ppf(1 - alpha / sides) + stats.norm.ppf(power))
    raw = z * z / (p * (1 - p) * beta * beta) / (1 - r2)
    if not math.isfinite(raw) or raw > MAX_N:
        raise _too_small()
    return raw, math.ceil(raw)


# ---------------------------------------------------------------------------
# Mediation: Monte Carlo confidence interval of the indirect effect, by simulation
# ---------------------------------------------------------------------------

MONTE_CARLO_METHOD = ("Monte Carlo CI of the indirect effect (Schoemann, Boulton & Short 2017; Preacher & Selig "
                      "2012): simulated datasets, each path fitted by least squares (numpy), the product of paths "
                      "drawn from normals with the estimated SEs; power = share of 95% CIs excluding 0")


def mediation_power_monte_carlo(paths: Sequence[float], n: int, *, alpha: float = 0.05, reps: int = 400,
                                draws: int = 1000, seed: int = 0) -> float:
    """Power of the Monte Carlo CI test of an indirect effect along a chain X → M1 → … → Mk → Y.

    Model (as :func:`mediation_power`): X ~ N(0, 1), each node = path·(its predecessor) + e with unit error
    variance, no direct effects.  In each of ``reps`` datasets every node is regressed on all nodes before it,
    the coefficient of its predecessor and its SE kept; ``draws`` products of normals give the CI
    (Schoemann, Boulton & Short 2017).  Seeded, so the same arguments give the same power.
    """
    import numpy as np

    k = len(paths)
    if k < 2 or n < k + 3 or reps < 10 or draws < 100:
        raise UsageError("Monte Carlo mediation needs at least two paths, n > paths + 2, and enough replicates")
    rng = np.random.default_rng(seed)
    nodes = [rng.standard_normal((reps, n))]
    for p in paths:
        nodes.append(p * nodes[-1] + rng.standard_normal((reps, n)))
    est = np.empty((reps, k))
    se = np.empty((reps, k))
    for j in range(1, k + 1):
        design = np.stack([np.ones((reps, n))] + nodes[:j], axis=2)  # (reps, n, j + 1)
        # batched least squares with BLAS matrix products (einsum over three operands was the plan's hot spot)
        xtx_inv = np.linalg.inv(design.transpose(0, 2, 1) @ design)
        xty = design.transpose(0, 2, 1) @ nodes[j][:, :, None]  # (reps, j + 1, 1)
        beta = (xtx_inv @ xty)[:, :, 0]
        resid = nodes[j] - (design @ beta[:, :, None])[:, :, 0]
        sigma2 = (resid ** 2).sum(axis=1) / (n - j - 1)
        est[:, j - 1] = beta[:, j]
        se[:, j - 1] = np.sqrt(sigma2 * xtx_inv[:, j, j])
    product = np.prod(est[:, None, :] + se[:, None, :] * rng.standard_normal((reps, draws, k)), axis=2)
    lo, hi = np.quantile(product, [alpha / 2, 1 - alpha / 2], axis=1)
    return float(np.mean((lo > 0) | (hi < 0)))


def mediation_sample_size_monte_carlo(paths: Sequence[float], *, alpha: float = 0.05, power: float = 0.8,
                                      reps: int = 400, draws: int = 1000, seed: int = 0) -> int:
    """Smallest n whose Monte Carlo power (:func:`mediation_power_monte_carlo`, same seed at every n, so
    the search is monotone up to simulation noise) reaches ``power``, by bisection."""
    for i, v in enumerate(paths):
        if _check_number(f"path {i + 1}", v) == 0:
            raise UsageError(f"mediation path {i + 1} must be non-zero")

    def pw(n: int) -> float:
        return mediation_power_monte_carlo(paths, n, alpha=alpha, reps=reps, draws=draws, seed=seed)

    lo, hi = len(paths) + 3, 64
    while pw(hi) < power:
        lo, hi = hi, hi * 2
        if hi > 200_000:
            raise _too_small()
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if pw(mid) < power else (lo, mid)
    return hi
