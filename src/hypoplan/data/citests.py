"""Testing a graph against data: every implied conditional independence, with a multiplicity correction.

As dagitty's ``localTests`` (Textor et al. 2016; Ankan, Wortel & Textor 2021, *Curr Protoc* 1:e45):

- both variables continuous → **Fisher z** on the partial correlation (``fisher-z``):
  r = −P₁₂/√(P₁₁P₂₂) from the inverse covariance P of (x, y, Z); z = atanh(r);
  df = n − |Z| − 3; statistic z·√df ~ N(0, 1) (Fisher 1924).  The confidence interval, where
  reported, is back-transformed with tanh (dagitty's source uses atan; see methods.md §5).
- either variable binary → a **likelihood-ratio test** of nested logistic GLMs
  (``lr-logit``): the binary variable regressed on Z with and without the other one,
  2·ΔlogL ~ χ²(1) (Wilks 1938).  Z enters linearly in both tests.

Implications come from :mod:`hypoplan.analysis.implications` on the graph in which every
node without a data column is latent, so a latent or unmeasured node removes the
implications that need it; :func:`skipped_implications` says which and why.  p-values are
adjusted by Holm's (1979) step-down method, or Benjamini & Hochberg's (1995) false
discovery rate.  A rejected implication names the edges whose absence it tests.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import networkx as nx

from ..analysis.result import Implication
from .table import DataError, Table

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "CITest",
    "DataTestResult",
    "Skipped",
    "absent_edges",
    "benjamini_hochberg",
    "fisher_z",
    "holm",
    "lr_logit",
    "partial_correlation",
    "skipped_implications",
    "test_graph",
]

#: Cap on the number of implications tested (all minimal implications can be exponential).
MAX_IMPLICATIONS = 10_000


@dataclass(frozen=True)
class CITest:
    """One tested implication ``x ⫫ y | given`` (node ids) and its result."""

    x: str
    y: str
    given: tuple[str, ...]
    test: str
    statistic: float
    p_value: float
    p_adjusted: float
    rejected: bool
    n: int
    dropped: int
    absent_edges: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"x": self.x, "y": self.y, "given": list(self.given), "test": self.test,
                "statistic": _num(self.statistic), "p_value": _num(self.p_value), "p_adjusted": _num(self.p_adjusted),
                "rejected": self.rejected, "n": self.n, "dropped": self.dropped,
                "absent_edges": list(self.absent_edges) if self.rejected else []}


@dataclass(frozen=True)
class Skipped:
    x: str
    y: str
    given: tuple[str, ...]
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"x": self.x, "y": self.y, "given": list(self.given), "reason": self.reason}


@dataclass(frozen=True)
class DataTestResult:
    """What ``hypoplan test-data`` reports (its JSON form is the contract in the README)."""

    tests: tuple[CITest, ...]
    skipped: tuple[Skipped, ...]
    dropped_rows: int
    alpha: float
    method: str  # holm | fdr-bh
    unmeasured: tuple[str, ...]
    rows: int

    @property
    def rejected(self) -> int:
        return sum(t.rejected for t in self.tests)

    @property
    def share_rejected(self) -> float | None:
        return self.rejected / len(self.tests) if self.tests else None

    def to_json(self) -> dict[str, Any]:
        return {"tests": [t.to_json() for t in self.tests], "total": len(self.tests), "rejected": self.rejected,
                "skipped": [s.to_json() for s in self.skipped], "dropped_rows": self.dropped_rows,
                "share_rejected": self.share_rejected, "alpha": self.alpha, "adjustment": self.method,
                "unmeasured": list(self.unmeasured), "rows": self.rows}


def _num(value: float) -> float | None:
    return None if value is None or not math.isfinite(value) else round(float(value), 10)


def partial_correlation(data: np.ndarray) -> float:
    """Partial correlation of columns 0 and 1 given the others, from the inverse covariance matrix."""
    import numpy as np

    cov = np.cov(data, rowvar=False)
    prec = np.linalg.inv(cov)
    return float(-prec[0, 1] / math.sqrt(prec[0, 0] * prec[1, 1]))


def fisher_z(r: float, n: int, k: int) -> tuple[float, float]:
    """(statistic, two-sided p) for a partial correlation r from n rows given k variables: atanh(r)·√(n−k−3)."""
    r = max(min(r, 1 - 1e-15), -1 + 1e-15)
    stat = math.atanh(r) * math.sqrt(n - k - 3)
    return stat, math.erfc(abs(stat) / math.sqrt(2.0))


def lr_logit(response: np.ndarray, other: np.ndarray, given: np.ndarray) -> tuple[float, float]:
    """(2·ΔlogL, p from χ²(1)) for adding ``other`` to a logistic GLM of the 0/1 ``response`` on ``given``.

    Raises :class:`ArithmeticError` when a fit fails or does not converge (e.g. perfect separation).
    """
    import numpy as np
    import statsmodels.api as sm
    from scipy import stats

    small = np.column_stack([np.ones(len(response)), given]) if given.size else np.ones((len(response), 1))
    big = np.column_stack([small, other])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            ll = [sm.GLM(response, d, family=sm.families.Binomial()).fit().llf for d in (small, big)]
        except Exception as exc:  # noqa: BLE001 -- separation, singular matrix, non-convergence: all as warnings or errors
            raise ArithmeticError(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None
    stat = max(2.0 * (ll[1] - ll[0]), 0.0)
    return stat, float(stats.chi2.sf(stat, 1))


def holm(p: Sequence[float]) -> list[float]:
    """Holm's (1979) step-down adjusted p-values."""
    m = len(p)
    order = sorted(range(m), key=lambda i: p[i])
    out = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[i]))
        out[i] = running
    return out


def benjamini_hochberg(p: Sequence[float]) -> list[float]:
    """Benjamini & Hochberg's (1995) step-up adjusted p-values (false discovery rate)."""
    m = len(p)
    order = sorted(range(m), key=lambda i: p[i], reverse=True)
    out = [0.0] * m
    running = 1.0
    for back, i in enumerate(order):
        rank = m - back
        running = min(running, p[i] * m / rank)
        out[i] = running
    return out


def absent_edges(g: nx.DiGraph, x: str, y: str) -> tuple[str, ...]:
    """The edges the graph leaves out between x and y whose absence the implication tests.

    A direction that would close a directed cycle is not offered; a common cause (``<->``) always is.
    """
    out = []
    if not nx.has_path(g, y, x):
        out.append(f"{x} -> {y}")
    if not nx.has_path(g, x, y):
        out.append(f"{y} -> {x}")
    out.append(f"{x} <-> {y}")
    return tuple(out)


def _with_observed(g: nx.DiGraph, observed: set[str] | None) -> nx.DiGraph:
    """A copy of g in which exactly ``observed`` are observed (``None``: every node)."""
    h = g.copy()
    for n, d in h.nodes(data=True):
        d["observed"] = True if observed is None else n in observed
    return h


def skipped_implications(g: nx.DiGraph, measured: set[str], tested: Sequence[Implication]) -> list[Skipped]:
    """Implications the graph would have if every node were measured that cannot be tested here, and why."""
    from ..analysis.implications import basis_implications

    done = {frozenset((t.x, t.y)) for t in tested}
    full, _ = basis_implications(_with_observed(g, None), max_results=MAX_IMPLICATIONS)
    out = []
    for imp in full:
        if frozenset((imp.x, imp.y)) in done or g.nodes[imp.x].get("implicit") or g.nodes[imp.y].get("implicit"):
            continue
        missing = [n for n in (imp.x, imp.y) if n not in measured]
        if missing:
            latent = [n for n in missing if not g.nodes[n].get("observed", True)]
            reason = "; ".join(
                [f"{n} is latent (observed: false)" for n in latent]
                + [f"{n} has no column in the data" for n in missing if n not in latent])
        else:
            hidden = sorted(imp.given - measured)
            reason = ("no measured set separates them: the separating set needs the unmeasured "
                      + ", ".join(hidden))
        out.append(Skipped(imp.x, imp.y, tuple(sorted(imp.given)), reason))
    return out


def _is_binary(x: np.ndarray) -> bool:
    import numpy as np

    return len(np.unique(x[~np.isnan(x)])) == 2


def test_graph(g: nx.DiGraph, table: Table, *, columns: Mapping[str, str] | None = None, alpha: float = 0.05,
               fdr: bool = False, all_implications: bool = False) -> DataTestResult:
    """Test the graph's implications against the table (``columns`` maps node ids to column names).

    Raises :class:`DataError` for unusable data: a needed column that is non-numeric, empty or constant,
    fewer measured nodes than a test needs, or fewer rows than any test needs.
    """
    import numpy as np

    from ..analysis.implications import all_minimal_implications, basis_implications

    col = {n: (columns or {}).get(n, n) for n in g}
    measured = {n for n in g if not g.nodes[n].get("implicit") and table.has(col[n])}
    unmeasured = tuple(sorted(n for n in g if n not in measured))
    if len(measured) < 2:
        raise DataError(f"{table.display}: fewer than two nodes of the hypothesis have a column "
                        f"({len(measured)} found)", hint="name columns by node id, or map them with --map")
    h = _with_observed(g, measured)
    if all_implications:
        implications, _ = all_minimal_implications(h, max_results=MAX_IMPLICATIONS)
    else:
        implications, _ = basis_implications(h, max_results=MAX_IMPLICATIONS)
    skipped = skipped_implications(g, measured, implications)
    if not implications:
        return DataTestResult((), tuple(skipped), 0, alpha, "fdr-bh" if fdr else "holm", unmeasured, table.n_rows)
    needed = min(len(i.given) + 4 for i in implications)
    if table.n_rows < needed:
        raise DataError(f"{table.display}: {table.n_rows} row(s); the smallest test needs at least {needed}",
                        hint="collect more rows")
    used = sorted({n for i in implications for n in (i.x, i.y, *i.given)})
    values = {n: table.usable(col[n]) for n in used}
    binary = {n for n in used if _is_binary(values[n])}
    for n in binary:  # code a two-valued column 0/1 whatever its labels
        v = values[n]
        values[n] = np.where(np.isnan(v), np.nan, (v == np.nanmax(v)).astype(float))
    any_missing = np.zeros(table.n_rows, dtype=bool)
    for n in used:
        any_missing |= np.isnan(values[n])

    raw: list[tuple[Implication, str, float, float, int, int]] = []
    for imp in implications:
        given = tuple(sorted(imp.given))
        names = (imp.x, imp.y, *given)
        block = np.column_stack([values[n] for n in names])
        keep = ~np.isnan(block).any(axis=1)
        block = block[keep]
        rows, k = len(block), len(given)
        dropped = int((~keep).sum())
        if rows < k + 4:
            skipped.append(Skipped(imp.x, imp.y, given, f"only {rows} complete row(s); this test needs {k + 4}"))
            continue
        if np.ptp(block[:, 0]) == 0 or np.ptp(block[:, 1]) == 0:
            skipped.append(Skipped(imp.x, imp.y, given, "a variable is constant in the complete rows"))
            continue
        try:
            if imp.x in binary or imp.y in binary:
                resp, other = (1, 0) if imp.y in binary else (0, 1)
                stat, p = lr_logit(block[:, resp], block[:, other], block[:, 2:])
                test = "lr-logit"
            else:
                with np.errstate(all="raise"):
                    r = partial_correlation(block)
                stat, p = fisher_z(r, rows, k)
                test = "fisher-z"
        except (ArithmeticError, np.linalg.LinAlgError, FloatingPointError) as exc:
            skipped.append(Skipped(imp.x, imp.y, given, f"the test could not be computed ({exc})"))
            continue
        raw.append((imp, test, stat, p, rows, dropped))
    pvals = [r[3] for r in raw]
    adjusted = benjamini_hochberg(pvals) if fdr else holm(pvals)
    tests = tuple(
        CITest(imp.x, imp.y, tuple(sorted(imp.given)), test, stat, p, adj, adj <= alpha, n, dropped,
               absent_edges(g, imp.x, imp.y))
        for (imp, test, stat, p, n, dropped), adj in zip(raw, adjusted))
    return DataTestResult(tests, tuple(skipped), int(any_missing.sum()), alpha, "fdr-bh" if fdr else "holm",
                          unmeasured, table.n_rows)
