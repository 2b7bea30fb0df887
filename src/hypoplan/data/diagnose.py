"""A design diagnosis by simulation, as DeclareDesign's ``diagnose_design`` (Blair, Cooper, Coppock &
Humphreys 2019, *APSR* 113:838).

Model: the hypothesis's SCM (:mod:`.scm`).  Inquiry: the average effect of a unit change of
the exposure on the outcome (``SCM.total_effect``).  Data strategy: n rows drawn from the
model (the exposure randomised for a ``randomised`` strategy).  Answer strategy: the plan's
estimator (:mod:`.estimate`).  Diagnosands over the simulations, for each n:
bias = mean(est − θ); rmse = √mean((est − θ)²); power = share with p ≤ α;
coverage = share of intervals containing θ; mean and SD of the estimates; type-S rate = share
of significant estimates with the wrong sign (Gelman & Carlin 2014; undefined when θ = 0).

With a rival, the same design is applied to data drawn from the rival's model (``rows``; the
same verdicts on this hypothesis's own data are ``when_this_is_true``): a study
*favours this hypothesis* when its interval contains this hypothesis's θ but not the
rival's, *favours the rival* in the opposite case, and is *undecided* otherwise.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .scm import SCM
from .strategy import ESTIMABLE, Strategy, is_paired
from .table import DataError

__all__ = ["CHUNK", "Diagnosis", "DiagnosisRow", "RivalRow", "diagnose", "simulate_fits"]

#: Simulations drawn and fitted together (one numpy batch; also the unit of progress and of --jobs).
CHUNK = 100
#: Largest number of values (simulations × rows × nodes) one batch may hold: about 400 MB of float64.
MAX_BATCH_VALUES = 50_000_000


@dataclass(frozen=True)
class DiagnosisRow:
    n: int
    bias: float
    rmse: float
    power: float
    coverage: float
    mean_estimate: float
    sd_estimate: float
    type_s: float
    sims: int

    def to_json(self) -> dict[str, Any]:
        return {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in self.__dict__.items()}


@dataclass(frozen=True)
class RivalRow:
    n: int
    favours_this: float
    favours_rival: float
    undecided: float

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Diagnosis:
    """What ``hypoplan diagnose`` reports (its JSON form is the contract in the README)."""

    strategy: Strategy
    true_effect: float
    rows: tuple[DiagnosisRow, ...]
    sims: int
    alpha: float
    rival_id: str | None = None
    rival_effect: float | None = None
    rival_rows: tuple[RivalRow, ...] = ()
    this_rows: tuple[RivalRow, ...] = ()
    notes: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        rival = None
        if self.rival_id is not None:
            rival = {"id": self.rival_id, "true_effect": self.rival_effect,
                     "rows": [r.to_json() for r in self.rival_rows],
                     "when_this_is_true": [r.to_json() for r in self.this_rows]}
        s = self.strategy
        return {"strategy": s.name, "true_effect": self.true_effect, "rows": [r.to_json() for r in self.rows],
                "rival": rival, "exposure": s.exposure, "outcome": s.outcome, "adjustment": list(s.adjustment),
                "instrument": s.instrument, "mediators": list(s.mediators), "sims": self.sims, "alpha": self.alpha,
                "notes": list(self.notes)}


def simulate_fits(model: SCM, strategy: Strategy, n: int, sims: int, seed: Any, alpha: float) -> dict[str, Any]:
    """Draw ``sims`` datasets of n rows and fit the strategy to each: arrays of estimates, bounds, p-values."""
    import numpy as np

    from .estimate import fit


    rng = np.random.default_rng(seed)
    do = {}
    if strategy.name == "randomised" and is_paired(strategy.arm):
        return _crossover(model, strategy, n, sims, rng, alpha)
    if strategy.name == "randomised":
        x = strategy.exposure
        do[x] = (rng.integers(0, 2, size=(sims, n)).astype(float) if x in model.binary
                 else rng.standard_normal((sims, n)))
    data = model.sample(n, rng, sims=sims, do=do)
    for c in strategy.columns:  # a node the model lacks (a rival without it) is pure noise
        if c not in data:
            data[c] = rng.standard_normal((sims, n))
    with np.errstate(all="ignore"):
        f = fit(strategy, data, alpha=alpha)
    return {"estimate": f.estimate, "lo": f.lo, "hi": f.hi, "p": f.p}


def _crossover(model: SCM, strategy: Strategy, n: int, sims: int, rng: Any, alpha: float) -> dict[str, Any]:
    """An AB/BA crossover (or a split-body comparison) of n people: the exogenous (root) nodes are traits shared
    by both periods (sites), every other node is drawn afresh for each, the randomised node set to 0 and to 1;
    paired analysis."""
    from . import estimators

    control, treated = model.sample_crossover(n, rng, strategy.exposure, sims=sims)
    y = strategy.outcome
    f = estimators.paired(treated[y] - control[y], alpha=alpha)
    return {"estimate": f.estimate, "lo": f.lo, "hi": f.hi, "p": f.p}


def _task(args: tuple[Any, ...]) -> tuple[int, int, dict[str, Any]]:
    i, j, model, strategy, n, sims, seed, alpha = args
    return i, j, simulate_fits(model, strategy, n, sims, seed, alpha)


def _run(model: SCM, strategy: Strategy, ns: Sequence[int], sims: int, seed: int, alpha: float, jobs: int,
         progress: Callable[[int], None] | None, salt: int) -> list[dict[str, Any]]:
    """Fits for every n (concatenated over chunks), seeded per (n, chunk) so that --jobs never changes results."""
    import numpy as np

    def chunks_for(n: int) -> list[tuple[int, int]]:
        size = max(1, min(CHUNK, MAX_BATCH_VALUES // max(1, n * len(model.order))))
        return [(j, min(size, sims - j * size)) for j in range(math.ceil(sims / size))]

    chunking = [chunks_for(n) for n in ns]
    tasks = [(i, j, model, strategy, n, size, (seed, salt, i, j), alpha)
             for i, n in enumerate(ns) for j, size in chunking[i]]
    results: dict[tuple[int, int], dict[str, Any]] = {}
    if jobs > 1 and len(tasks) > 1:
        from concurrent.futures import ProcessPoolExecutor, as_completed

        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = [pool.submit(_task, t) for t in tasks]
            for fut in as_completed(futures):
                i, j, r = fut.result()
                results[(i, j)] = r
                if progress:
                    progress(chunking[i][j][1])
    else:
        for t in tasks:
            i, j, r = _task(t)
            results[(i, j)] = r
            if progress:
                progress(chunking[i][j][1])
    out = []
    for i in range(len(ns)):
        parts = [results[(i, j)] for j, _ in chunking[i]]
        out.append({k: np.concatenate([p[k] for p in parts]) for k in parts[0]})
    return out


def _row(n: int, r: dict[str, Any], theta: float, alpha: float) -> DiagnosisRow:
    import numpy as np

    ok = np.isfinite(r["estimate"]) & np.isfinite(r["lo"])
    est, lo, hi, p = (r[k][ok] for k in ("estimate", "lo", "hi", "p"))
    if not ok.any():
        nan = math.nan
        return DiagnosisRow(n, nan, nan, nan, nan, nan, nan, nan, 0)
    err = est - theta
    significant = p <= alpha
    wrong_sign = significant & (np.sign(est) != np.sign(theta)) if theta != 0 else np.zeros_like(significant)
    type_s = float(wrong_sign.sum() / significant.sum()) if significant.any() and theta != 0 else math.nan
    return DiagnosisRow(n, float(err.mean()), float(math.sqrt((err**2).mean())), float(significant.mean()),
                        float(((lo <= theta) & (theta <= hi)).mean()), float(est.mean()),
                        float(est.std(ddof=1)) if len(est) > 1 else math.nan, type_s, int(ok.sum()))


def _verdicts(n: int, r: dict[str, Any], this: float, rival: float) -> RivalRow:
    import numpy as np

    ok = np.isfinite(r["lo"]) & np.isfinite(r["hi"])
    lo, hi = r["lo"][ok], r["hi"][ok]
    if not ok.any():
        return RivalRow(n, math.nan, math.nan, math.nan)
    has_this = (lo <= this) & (this <= hi)
    has_rival = (lo <= rival) & (rival <= hi)
    fav_this = float((has_this & ~has_rival).mean())
    fav_rival = float((has_rival & ~has_this).mean())
    return RivalRow(n, fav_this, fav_rival, 1.0 - fav_this - fav_rival)


def diagnose(model: SCM, strategy: Strategy, ns: Sequence[int], *, sims: int = 500, seed: int = 0,
             alpha: float = 0.05, jobs: int = 1, rival: tuple[str, SCM] | None = None,
             progress: Callable[[int], None] | None = None) -> Diagnosis:
    """Diagnose the design for each n in ``ns``; with ``rival`` = (id, model), also on the rival's data."""
    if strategy.name not in ESTIMABLE:
        raise DataError(f"the design cannot be diagnosed: the strategy is {strategy.name} ({strategy.reason})",
                        hint="give an adjustment set with --adjust to diagnose a regression anyway")
    k = len(set(strategy.columns)) + 1
    small = [n for n in ns if n < k + 3]
    if small:
        raise DataError(f"n = {small[0]} is too small for this estimator ({k} parameters)",
                        hint=f"use sample sizes of at least {k + 3}")
    notes: list[str] = []
    assumed = sum(c.basis == "assumption" for c in model.coefficients)
    if assumed:
        notes.append(f"{assumed} of {len(model.coefficients)} coefficients are stated assumptions (no usable effect "
                     "size recorded); the true effect and the power follow from them: set them with --effect")
    theta = model.total_effect(strategy.exposure, strategy.outcome)
    fits = _run(model, strategy, ns, sims, seed, alpha, jobs, progress, 0)
    rows = tuple(_row(n, r, theta, alpha) for n, r in zip(ns, fits))
    if strategy.name == "randomised":
        if strategy.arm == "crossover":
            notes.append(f"crossover: each simulated person has {strategy.exposure} = 0 and = 1 in two periods "
                         "(traits shared, everything else redrawn; no period or carry-over effects); paired analysis")
        elif strategy.arm == "split_body":
            notes.append(f"split-body: each simulated person has {strategy.exposure} = 0 at one site and = 1 at the "
                         "other at the same visit (traits shared, everything else drawn per site; no spill-over "
                         "between sites, no period); paired analysis")
        else:
            notes.append(f"{strategy.exposure} is assigned at random in every simulated study (parallel groups)")
    if rival is None:
        return Diagnosis(strategy, theta, rows, sims, alpha, notes=tuple(notes))
    rival_id, rival_model = rival
    absent = [c for c in strategy.columns if c not in rival_model.order]
    if strategy.exposure in absent or strategy.outcome in absent:
        notes.append("the rival has no node for the exposure or the outcome: it implies no effect (0)")
    if absent:
        notes.append(f"the rival has no node {', '.join(absent)}: drawn as independent noise in its data")
    theta_r = rival_model.total_effect(strategy.exposure, strategy.outcome)
    if math.isclose(theta, theta_r, abs_tol=1e-9):
        notes.append("both hypotheses imply the same effect: this design cannot tell them apart")
    rfits = _run(rival_model, strategy, ns, sims, seed, alpha, jobs, progress, 1)
    rrows = tuple(_verdicts(n, r, theta, theta_r) for n, r in zip(ns, rfits))
    trows = tuple(_verdicts(n, r, theta, theta_r) for n, r in zip(ns, fits))
    return Diagnosis(strategy, theta, rows, sims, alpha, rival_id, theta_r, rrows, trows, tuple(notes))
