"""Reported effect sizes as standardised path coefficients (the SCM's edge weights).

A *standardised path coefficient* β on ``A → B`` is the change in B, in standard
deviations of B, per standard deviation of A (Wright 1921; on the latent scale when B
is binary).  For a single cause it equals the correlation of A and B, so a reported
correlation is used as is and the other measures go through r:

- Cohen's d → r = d / √(d² + 4), for two groups of equal size (Borenstein et al. 2009,
  *Introduction to Meta-Analysis*, ch. 7 "Converting among effect sizes").
- odds ratio → d = ln(OR)·√3/π (Hasselblad & Hedges 1995; Chinn 2000,
  *Stat Med* 19:3127), then d → r.

Other measures (dz, f, percent changes, ...) are not converted: the edge then gets the
stated assumption |β| = 0.3 (Cohen's 1988 conventional medium correlation).

The conversions themselves are :mod:`hypoplan.design.effectsize`'s (``d_to_r``, ``or_to_d``);
this module decides which reported measures become a path coefficient, and how.
"""

from __future__ import annotations

import math

from ..schema import EffectSize

__all__ = ["ASSUMED_BETA", "beta_from_effect_size", "d_from_odds_ratio", "r_from_d"]

#: Cohen's (1988) conventional medium correlation, assumed for an edge with no usable effect size.
ASSUMED_BETA = 0.3


def r_from_d(d: float) -> float:
    """Point-biserial r from Cohen's d for two equal groups: d / √(d² + 4) (Borenstein et al. 2009, ch. 7)."""
    from ..design.effectsize import d_to_r

    return d_to_r(d)


def d_from_odds_ratio(odds_ratio: float) -> float:
    """Cohen's d from an odds ratio via the logistic distribution: ln(OR)·√3/π (Chinn 2000)."""
    from ..design.effectsize import or_to_d

    return or_to_d(odds_ratio)


def beta_from_effect_size(effect: EffectSize) -> float | None:
    """The standardised coefficient (with the reported sign) for a reported effect size, or ``None``."""
    key = "".join(ch for ch in effect.measure.lower() if ch.isalnum())
    value = float(effect.value)
    if not math.isfinite(value):
        return None
    if key in ("r", "pearsonr", "rho", "beta", "standardisedbeta", "standardizedbeta"):
        r = value
    elif key in ("d", "cohensd", "g", "hedgesg", "smd"):
        r = r_from_d(value)
    elif key in ("or", "oddsratio"):
        if value <= 0:
            return None
        r = r_from_d(d_from_odds_ratio(value))
    else:
        return None
    if not -1.0 < r < 1.0 or r == 0.0:
        return None
    return r
