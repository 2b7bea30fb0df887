"""Estimating the focal effect from one dataset with the plan's answer strategy.

``adjustment`` and ``randomised`` fit an ordinary least-squares regression with statsmodels
(for a 0/1 outcome this is the linear probability model: the effect is a risk difference);
``instrument`` fits two-stage least squares and ``frontdoor`` the front-door product, both
from :mod:`.estimators` (checked against statsmodels in the tests).  Rows with a missing
value in any variable the estimator reads are dropped, and the count is reported.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .strategy import ESTIMABLE, Strategy, is_paired
from .table import DataError, Table

__all__ = ["Estimate", "estimate_effect", "fit", "formula"]


@dataclass(frozen=True)
class Estimate:
    """What ``hypoplan estimate`` reports (its JSON form is the contract in the README)."""

    strategy: Strategy
    estimate: float
    se: float
    lo: float
    hi: float
    p_value: float
    n: int
    dropped: int
    formula: str
    model: str

    def to_json(self) -> dict[str, Any]:
        s = self.strategy
        return {"strategy": s.name, "estimate": self.estimate, "se": self.se, "ci": [self.lo, self.hi],
                "n": self.n, "adjustment": list(s.adjustment), "formula": self.formula,
                "exposure": s.exposure, "outcome": s.outcome, "instrument": s.instrument,
                "mediators": list(s.mediators), "p_value": self.p_value, "dropped_rows": self.dropped,
                "model": self.model, "reason": s.reason}


def _term(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) else f'Q("{name}")'


def formula(s: Strategy) -> str:
    """The model(s) in the patsy/statsmodels formula notation."""
    x, y = _term(s.exposure), _term(s.outcome)
    covs = "".join(f" + {_term(c)}" for c in s.adjustment)
    if s.name == "instrument":
        first = f"{x} ~ {_term(s.instrument or '')}{covs}"
        return f"{y} ~ {x}{covs}, with {x} instrumented by {_term(s.instrument or '')} (first stage: {first})"
    if s.name == "frontdoor":
        ms = [_term(m) for m in s.mediators]
        firsts = "; ".join(f"{m} ~ {x}" for m in ms)
        return f"{firsts}; {y} ~ {' + '.join(ms)} + {x}; effect = Σ a·b"
    return f"{y} ~ {x}{covs}"


def fit(s: Strategy, data: Mapping[str, Any], *, alpha: float = 0.05) -> Any:
    """Apply the strategy's estimator to arrays of shape ``(S, n)`` (see :mod:`.estimators`)."""
    from . import estimators

    y, x = data[s.outcome], data[s.exposure]
    covs = [data[c] for c in s.adjustment]
    if s.name in ("adjustment", "randomised"):
        return estimators.ols(y, x, covs, alpha=alpha)
    if s.name == "instrument" and s.instrument is not None:
        return estimators.tsls(y, x, data[s.instrument], covs, alpha=alpha)
    if s.name == "frontdoor":
        return estimators.frontdoor(y, x, [data[m] for m in s.mediators], alpha=alpha)
    raise ValueError(f"no estimator for the strategy {s.name!r}")


def estimate_effect(s: Strategy, table: Table, *, columns: Mapping[str, str] | None = None,
                    alpha: float = 0.05, logit: bool = False, pair_by: str | None = None) -> Estimate:
    """Estimate the effect of ``s.exposure`` on ``s.outcome`` from the table.

    ``logit``: for a 0/1 outcome under a regression strategy, a binomial GLM with a logit link
    (statsmodels), so the effect is a log odds ratio instead of a risk difference.  ``pair_by``: the column
    naming each participant of a randomised crossover or split-body comparison: a paired analysis of within-person differences.

    Raises :class:`DataError` for a strategy with no estimator, a missing or unusable column, or too few rows.
    """
    import numpy as np

    if s.name not in ESTIMABLE:
        raise DataError(f"the effect cannot be estimated here: the strategy is {s.name} ({s.reason})",
                        hint="estimate supports randomised, adjustment, front-door and instrument strategies; "
                             "give an adjustment set with --adjust to fit a regression anyway")
    if pair_by is not None:
        return _paired(s, table, columns or {}, pair_by, alpha)
    names = list(dict.fromkeys(s.columns))
    col = {n: (columns or {}).get(n, n) for n in names}
    missing = [n for n in names if not table.has(col[n])]
    if missing:
        raise DataError(f"{table.display}: no column for {', '.join(missing)}",
                        hint="the estimator reads " + ", ".join(names) + "; name the columns by node id or use --map")
    block = np.column_stack([table.usable(col[n]) for n in names])
    keep = ~np.isnan(block).any(axis=1)
    block = block[keep]
    k = len(names) + 1
    if len(block) < k + 2:
        raise DataError(f"{table.display}: {len(block)} complete row(s); this model needs at least {k + 2}",
                        hint="collect more rows or adjust for fewer variables")
    data = {n: block[None, :, i] for i, n in enumerate(names)}
    model = "two-stage least squares" if s.name == "instrument" else (
        "front-door product of OLS fits (delta-method SE)" if s.name == "frontdoor" else "OLS")
    binary_outcome = len(np.unique(block[:, 1])) == 2
    if logit and (s.name not in ("adjustment", "randomised") or not binary_outcome):
        raise DataError(f"--logit needs a 0/1 outcome and a regression strategy (here: {s.name}, "
                        f"{'a 0/1' if binary_outcome else 'a continuous'} outcome)", hint="drop --logit")
    if logit:
        return _logit(s, block, keep, alpha, table.display)
    if s.name in ("adjustment", "randomised"):
        import statsmodels.api as sm

        design = sm.add_constant(block[:, [0] + list(range(2, 2 + len(s.adjustment)))], has_constant="add")
        res = sm.OLS(block[:, 1], design).fit()
        lo, hi = res.conf_int(alpha)[1]
        est, se, p = float(res.params[1]), float(res.bse[1]), float(res.pvalues[1])
        if binary_outcome:
            model = "OLS (linear probability model: the effect is a risk difference; --logit for a log odds ratio)"
        if s.name == "randomised":
            model += "; a difference between the randomised arms: valid only for data from the randomised study"
            if is_paired(s.arm):
                design = "split-body comparison" if s.arm == "split_body" else "crossover"
                model += f" (this ignores the {design}'s pairing: pass --pair-by with the participant column)"
    else:
        f = fit(s, data, alpha=alpha)
        est, se, lo, hi, p = (float(v[0]) for v in (f.estimate, f.se, f.lo, f.hi, f.p))
    if not np.isfinite(se):
        raise DataError(f"{table.display}: the model could not be fitted (collinear variables)",
                        hint="check for duplicated or constant columns, or adjust for fewer variables")
    return Estimate(s, est, se, float(lo), float(hi), p, int(keep.sum()), int((~keep).sum()), formula(s), model)


def _logit(s: Strategy, block: Any, keep: Any, alpha: float, display: str) -> Estimate:
    """A binomial GLM with a logit link (statsmodels): the coefficient of the exposure, a log odds ratio."""
    import warnings

    import numpy as np
    import statsmodels.api as sm

    y = (block[:, 1] == block[:, 1].max()).astype(float)
    design = sm.add_constant(block[:, [0] + list(range(2, 2 + len(s.adjustment)))], has_constant="add")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            res = sm.GLM(y, design, family=sm.families.Binomial()).fit()
        except Exception as exc:  # noqa: BLE001 -- separation and non-convergence arrive as many types
            raise DataError(f"{display}: the logistic model could not be fitted ({str(exc).splitlines()[0]})",
                            hint="perfect separation? drop --logit to fit a linear probability model") from None
    lo, hi = res.conf_int(alpha)[1]
    est, se = float(res.params[1]), float(res.bse[1])
    if not np.isfinite(se):
        raise DataError(f"{display}: the logistic model could not be fitted (collinear variables)")
    return Estimate(s, est, se, float(lo), float(hi), float(res.pvalues[1]), int(keep.sum()), int((~keep).sum()),
                    formula(s) + " (binomial, logit link)", "GLM binomial (logit): the effect is a log odds ratio")


def _paired(s: Strategy, table: Table, columns: Mapping[str, str], pair_by: str, alpha: float) -> Estimate:
    """A crossover's or split-body comparison's paired analysis: per participant, the outcome with the randomised
    node at 1 minus at 0 (no period term in either)."""
    import numpy as np

    from .estimators import paired

    if s.name != "randomised":
        raise DataError(f"--pair-by applies to a randomised crossover or split-body design, not to the {s.name} "
                        "strategy",
                        hint="drop --pair-by")
    if not table.has(pair_by):
        raise DataError(f"{table.display}: no column {pair_by!r} for --pair-by", hint="name the participant column")
    r = table.usable(columns.get(s.exposure, s.exposure))
    y = table.usable(columns.get(s.outcome, s.outcome))
    levels = np.unique(r[~np.isnan(r)])
    if len(levels) != 2:
        raise DataError(f"{table.display}: the randomised column {s.exposure!r} must hold two values (0/1)",
                        hint="code the arms as 0 and 1")
    cells: dict[str, dict[float, list[float]]] = {}
    for pid, arm, out in zip(table.cells[pair_by], r, y):
        if pid.strip() and not np.isnan(arm) and not np.isnan(out):
            cells.setdefault(pid.strip(), {}).setdefault(float(arm == levels[1]), []).append(float(out))
    diffs = [v[1.0][0] - v[0.0][0] for v in cells.values() if len(v.get(1.0, ())) == 1 and len(v.get(0.0, ())) == 1]
    if len(diffs) < 3:
        raise DataError(f"{table.display}: {len(diffs)} participant(s) with one row in each arm; a paired "
                        "analysis needs at least 3", hint=f"check the {pair_by!r} and {s.exposure!r} columns")
    f = paired(np.asarray(diffs)[None, :], alpha=alpha)
    est, se, lo, hi, p = (float(v[0]) for v in (f.estimate, f.se, f.lo, f.hi, f.p))
    used = 2 * len(diffs)
    return Estimate(s, est, se, lo, hi, p, len(diffs), table.n_rows - used,
                    f"{_term(s.outcome)}[{_term(s.exposure)}=1] - {_term(s.outcome)}[{_term(s.exposure)}=0] "
                    f"within {pair_by} ~ 1", "paired t on within-person differences "
                    f"({'split-body' if s.arm == 'split_body' else 'crossover'}; n = participants)")
