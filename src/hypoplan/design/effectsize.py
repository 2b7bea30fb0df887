"""Effect-size conversions, each a small function citing its source (test vectors: methods.md §3).

Pure arithmetic (``math`` only), so the plan and the CLI can convert without
loading scipy or statsmodels.  Every function raises
:class:`~hypoplan.errors.UsageError` on a value outside its domain.
"""

from __future__ import annotations

import math

from ..errors import UsageError

__all__ = [
    "CONVERTIBLE",
    "Z_975",
    "attenuate",
    "attrition_inflate",
    "cohens_h",
    "convert",
    "d_ci",
    "d_se",
    "d_to_or",
    "d_to_r",
    "enrolment",
    "eta2_to_f",
    "f_to_eta2",
    "or_to_d",
    "paired_dz",
    "r_to_d",
    "spearman_brown",
]

#: The 97.5% quantile of the standard normal, for 95% intervals (Φ⁻¹(0.975) to 10 digits).
Z_975 = 1.959963985


def _finite(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise UsageError(f"{name} must be a finite number, got {value!r}")
    return float(value)


def _a_term(n1: float | None, n2: float | None) -> float:
    """a = (n1 + n2)² / (n1·n2); 4 for equal groups (Borenstein et al. 2009, p. 48)."""
    if n1 is None and n2 is None:
        return 4.0
    if n1 is None or n2 is None or n1 <= 0 or n2 <= 0:
        raise UsageError("give both group sizes n1 and n2 (> 0), or neither for equal groups")
    return (n1 + n2) ** 2 / (n1 * n2)


def or_to_d(odds_ratio: float) -> float:
    """d = ln(OR)·√3/π (Chinn 2000, *Stat Med* 19:3127; the logistic distribution's SD is π/√3)."""
    odds_ratio = _finite("OR", odds_ratio)
    if odds_ratio <= 0:
        raise UsageError(f"an odds ratio must be > 0, got {odds_ratio!r}")
    return math.log(odds_ratio) * math.sqrt(3.0) / math.pi


def d_to_or(d: float) -> float:
    """OR = exp(d·π/√3), the inverse of :func:`or_to_d` (Chinn 2000)."""
    return math.exp(_finite("d", d) * math.pi / math.sqrt(3.0))


def d_to_r(d: float, n1: float | None = None, n2: float | None = None) -> float:
    """r = d / √(d² + a), a = (n1 + n2)²/(n1·n2) (Borenstein et al. 2009, *Introduction to Meta-Analysis*, p. 48)."""
    d = _finite("d", d)
    return d / math.sqrt(d * d + _a_term(n1, n2))


def r_to_d(r: float, n1: float | None = None, n2: float | None = None) -> float:
    """d = √a·r / √(1 − r²); 2r/√(1 − r²) for equal groups (Borenstein et al. 2009, p. 48)."""
    r = _finite("r", r)
    if not -1.0 < r < 1.0:
        raise UsageError(f"a correlation must lie strictly between -1 and 1, got {r!r}")
    return math.sqrt(_a_term(n1, n2)) * r / math.sqrt(1.0 - r * r)


def eta2_to_f(eta2: float) -> float:
    """Cohen's f = √(η² / (1 − η²)) (Cohen 1988, eq. 8.2.19)."""
    eta2 = _finite("eta squared", eta2)
    if not 0.0 <= eta2 < 1.0:
        raise UsageError(f"eta squared must be in [0, 1), got {eta2!r}")
    return math.sqrt(eta2 / (1.0 - eta2))


def f_to_eta2(f: float) -> float:
    """η² = f² / (1 + f²) (Cohen 1988, eq. 8.2.20)."""
    f = _finite("f", f)
    if f < 0:
        raise UsageError(f"Cohen's f must be >= 0, got {f!r}")
    return f * f / (1.0 + f * f)


def cohens_h(p1: float, p2: float) -> float:
    """h = 2·asin√p1 − 2·asin√p2 (Cohen 1988, ch. 6; R pwr ``ES.h``)."""
    for name, p in (("p1", p1), ("p2", p2)):
        if not 0.0 <= _finite(name, p) <= 1.0:
            raise UsageError(f"{name} must be a proportion between 0 and 1, got {p!r}")
    return 2.0 * math.asin(math.sqrt(p1)) - 2.0 * math.asin(math.sqrt(p2))


def d_se(d: float, n1: float, n2: float) -> float:
    """SE of d: √((n1 + n2)/(n1·n2) + d²/(2(n1 + n2))) (Hedges & Olkin 1985; R smd)."""
    d = _finite("d", d)
    if n1 < 2 or n2 < 2:
        raise UsageError(f"each group needs at least 2 participants for a CI of d, got {n1:g} and {n2:g}")
    return math.sqrt((n1 + n2) / (n1 * n2) + d * d / (2.0 * (n1 + n2)))


def d_ci(d: float, n1: float, n2: float, z: float = Z_975) -> tuple[float, float]:
    """Normal-approximation CI of d: d ± z·SE (Hedges & Olkin 1985); 95% by default."""
    se = d_se(d, n1, n2)
    return d - z * se, d + z * se


def paired_dz(d: float, rho: float) -> float:
    """dz = d / √(2(1 − ρ)) for equal SDs: the SD of a difference is σ√(2(1 − ρ)) (Morris & DeShon 2002, eq. 8)."""
    d, rho = _finite("d", d), _finite("rho", rho)
    if not -1.0 < rho < 1.0:
        raise UsageError(f"the within-person correlation rho must lie strictly between -1 and 1, got {rho!r}")
    return d / math.sqrt(2.0 * (1.0 - rho))


def attrition_inflate(n: int, attrition: float) -> int:
    """Participants to enrol so that n complete: ceil(n / (1 − a)) (Simon 2006, pmean.com)."""
    attrition = _finite("attrition", attrition)
    if not 0.0 <= attrition < 1.0:
        raise UsageError(f"attrition must be a proportion in [0, 1), got {attrition!r}", hint="e.g. 0.2 for 20%")
    # round before ceil so that 100/(1-0.2) = 125.00000000000001 stays 125
    return math.ceil(round(n / (1.0 - attrition), 9))


def enrolment(n_per_group: int | None, n_total: int, attrition: float, groups: int | None = None
              ) -> tuple[int | None, int]:
    """``(per group, total)`` to enrol for ``attrition``: each group inflated by :func:`attrition_inflate` (the
    total is then per group × groups, 2 when not given); without groups, the total inflated."""
    if n_per_group is not None:
        per = attrition_inflate(n_per_group, attrition)
        return per, per * (groups or 2)
    return None, attrition_inflate(n_total, attrition)


def spearman_brown(rho: float, k: float) -> float:
    """Reliability of the mean of k parallel measurements: kρ / (1 + (k − 1)ρ) (Spearman 1910; Brown 1910)."""
    rho, k = _finite("reliability", rho), _finite("k", k)
    if not 0.0 < rho <= 1.0:
        raise UsageError(f"a reliability must be in (0, 1], got {rho!r}")
    if k < 1:
        raise UsageError(f"k must be at least 1, got {k!r}")
    return k * rho / (1.0 + (k - 1.0) * rho)


def attenuate(d_true: float, reliability: float) -> float:
    """Observed effect under an unreliable outcome: d_obs = d_true·√ρyy (Bobko 2001; Spearman 1904)."""
    d_true, reliability = _finite("d", d_true), _finite("reliability", reliability)
    if not 0.0 < reliability <= 1.0:
        raise UsageError(f"a reliability must be in (0, 1], got {reliability!r}")
    return d_true * math.sqrt(reliability)


#: Measures that :func:`convert` turns into d (the scale of the two-sample t test).
CONVERTIBLE = ("d", "g", "or", "r", "f", "eta2")


def convert(measure: str, value: float, to: str) -> tuple[float, str]:
    """Convert ``value`` of ``measure`` to ``to`` (one of d, r, f); returns (value, the formula used).

    Supported: OR→d (Chinn 2000), r↔d (Borenstein 2009, equal groups), η²→f and f→η² (Cohen 1988),
    d→f for two groups (f = d/2, Cohen 1988 eq. 8.2.5 with k = 2), and identities.
    """
    m, to = measure.lower(), to.lower()
    if m == "g":
        m = "d"
    if m == to:
        return _finite(measure, value), "as recorded"
    if m == "or":
        d, how = or_to_d(value), "d = ln(OR)·√3/π (Chinn 2000)"
    elif m == "r":
        d, how = r_to_d(value), "d = 2r/√(1 − r²) (Borenstein et al. 2009, equal groups)"
    elif m == "d":
        d, how = _finite("d", value), ""
    elif m in ("f", "eta2"):
        f = value if m == "f" else eta2_to_f(value)
        if to == "f":
            return f, "f = √(η²/(1 − η²)) (Cohen 1988)"
        if to == "eta2":
            return f_to_eta2(f), "η² = f²/(1 + f²) (Cohen 1988)"
        d, how = 2.0 * f, "d = 2f for two equal groups (Cohen 1988, eq. 8.2.5)"
    else:
        raise UsageError(f"cannot convert {measure!r}", hint="convertible measures: " + ", ".join(CONVERTIBLE))
    sep = "; " if how else ""
    if to == "d":
        return d, how or "as recorded"
    if to == "r":
        return d_to_r(d), how + sep + "r = d/√(d² + 4) (Borenstein et al. 2009, equal groups)"
    if to == "f":
        return abs(d) / 2.0, how + sep + "f = |d|/2 for two equal groups (Cohen 1988, eq. 8.2.5)"
    raise UsageError(f"cannot convert to {to!r}", hint="targets: d, r, f")
