"""Estimators of the focal effect, batched over many datasets at once (numpy).

Every function takes arrays of shape ``(S, n)`` (S datasets of n rows; a single dataset is
``S = 1``) and returns a :class:`Fits` of shape ``(S,)``.  A dataset whose design matrix is
singular gets NaN.  They are checked against statsmodels (OLS, IV2SLS) in the tests.

- :func:`ols` — the coefficient of X in ``Y ~ 1 + X + Z`` (regression adjustment); t-based interval.
- :func:`tsls` — two-stage least squares with instrument I and covariates W (residuals from
  the structural equation, as in Wooldridge 2010, ch. 5); t-based interval.
- :func:`paired` — the mean within-person difference of a crossover (paired t; Senn 2002); t-based interval.
- :func:`frontdoor` — the front-door product (Pearl 1995) in a linear model: Σ_m a_m·b_m, with
  a from ``M ~ X`` and b from ``Y ~ M + X``; delta-method standard error (Sobel 1982),
  normal interval.  A product is skewed in small samples, so this interval covers less
  than its nominal level when a·b is small against its SE (MacKinnon et al. 2002,
  *Psychol Methods* 7:83); ``diagnose`` shows by how much.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

__all__ = ["Fits", "frontdoor", "ols", "paired", "tsls"]


@dataclass(frozen=True)
class Fits:
    """Estimates, standard errors, interval bounds and two-sided p-values, one per dataset."""

    estimate: np.ndarray
    se: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    p: np.ndarray


def _design(*columns: np.ndarray) -> np.ndarray:
    import numpy as np

    first = columns[0]
    return np.stack([np.ones_like(first), *columns], axis=-1)  # (S, n, k)


def _solve(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Solve a·x = b and invert a for each dataset; NaN where a is singular."""
    import numpy as np

    k = a.shape[-1]
    inv = np.full_like(a, np.nan)
    cond = np.linalg.cond(a)
    ok = np.isfinite(cond) & (cond < 1e12)
    if ok.any():
        inv[ok] = np.linalg.inv(a[ok])
    x = np.einsum("sij,sj->si", inv, b)
    return x, inv.reshape(-1, k, k)


def _t_fits(est: np.ndarray, se: np.ndarray, df: int, alpha: float) -> Fits:
    from scipy import stats

    q = stats.t.ppf(1 - alpha / 2, df)
    p = 2 * stats.t.sf(abs(est / se), df)
    return Fits(est, se, est - q * se, est + q * se, p)


def _z_fits(est: np.ndarray, se: np.ndarray, alpha: float) -> Fits:
    from scipy import stats

    q = stats.norm.ppf(1 - alpha / 2)
    p = 2 * stats.norm.sf(abs(est / se))
    return Fits(est, se, est - q * se, est + q * se, p)


def _regress(y: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """OLS of y (S, n) on d (S, n, k): coefficients (S, k), their covariance (S, k, k), residuals (S, n)."""
    import numpy as np

    n, k = d.shape[1], d.shape[2]
    beta, inv = _solve(np.einsum("sni,snj->sij", d, d), np.einsum("sni,sn->si", d, y))
    resid = y - np.einsum("snk,sk->sn", d, beta)
    s2 = (resid**2).sum(axis=1) / (n - k)
    return beta, inv * s2[:, None, None], resid


def ols(y: np.ndarray, x: np.ndarray, covariates: Sequence[np.ndarray] = (), *, alpha: float = 0.05) -> Fits:
    """The coefficient of x in the regression of y on 1, x and the covariates."""
    import numpy as np

    d = _design(x, *covariates)
    beta, cov, _ = _regress(y, d)
    with np.errstate(invalid="ignore"):
        return _t_fits(beta[:, 1], np.sqrt(cov[:, 1, 1]), y.shape[1] - d.shape[2], alpha)


def tsls(y: np.ndarray, x: np.ndarray, instrument: np.ndarray, covariates: Sequence[np.ndarray] = (), *,
         alpha: float = 0.05) -> Fits:
    """Two-stage least squares for the effect of x on y with one instrument, given the covariates."""
    import numpy as np

    dz = _design(instrument, *covariates)
    gamma, _, _ = _regress(x, dz)
    xhat = np.einsum("snk,sk->sn", dz, gamma)
    dhat = _design(xhat, *covariates)
    n, k = y.shape[1], dhat.shape[2]
    beta, inv = _solve(np.einsum("sni,snj->sij", dhat, dhat), np.einsum("sni,sn->si", dhat, y))
    resid = y - np.einsum("snk,sk->sn", _design(x, *covariates), beta)
    s2 = (resid**2).sum(axis=1) / (n - k)
    with np.errstate(invalid="ignore"):
        return _t_fits(beta[:, 1], np.sqrt(inv[:, 1, 1] * s2), n - k, alpha)


def frontdoor(y: np.ndarray, x: np.ndarray, mediators: Sequence[np.ndarray], *, alpha: float = 0.05) -> Fits:
    """Σ_m a_m·b_m: a from each M ~ 1 + X, b from Y ~ 1 + M + X; SE by the delta method."""
    import numpy as np

    n = y.shape[1]
    m = np.stack(list(mediators), axis=1)  # (S, k, n)
    xc = x - x.mean(axis=1, keepdims=True)
    sxx = (xc**2).sum(axis=1)  # (S,)
    mc = m - m.mean(axis=2, keepdims=True)
    a = np.einsum("skn,sn->sk", mc, xc) / sxx[:, None]
    res_m = mc - a[:, :, None] * xc[:, None, :]
    cov_a = np.einsum("skn,sjn->skj", res_m, res_m) / (n - 2) / sxx[:, None, None]
    d = _design(*list(mediators), x)
    beta, cov, _ = _regress(y, d)
    k = m.shape[1]
    b = beta[:, 1:1 + k]
    cov_b = cov[:, 1:1 + k, 1:1 + k]
    est = (a * b).sum(axis=1)
    var = np.einsum("sk,skj,sj->s", a, cov_b, a) + np.einsum("sk,skj,sj->s", b, cov_a, b)
    with np.errstate(invalid="ignore"):
        return _z_fits(est, np.sqrt(var), alpha)


def paired(difference: np.ndarray, *, alpha: float = 0.05) -> Fits:
    """The mean of within-person differences (treatment − control) with a paired t interval."""
    import numpy as np

    n = difference.shape[1]
    est = difference.mean(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return _t_fits(est, difference.std(axis=1, ddof=1) / np.sqrt(n), n - 1, alpha)
