"""A hypothesis as a linear structural causal model (SCM), and vectorised sampling from it.

Every node is standardised: ``V = Σ β·pa(V) + σ·ε`` with the coefficients β of
:mod:`.effects` and the noise scale σ chosen so that Var(V) = 1 (Wright's 1921 path
analysis).  A binary node follows a logistic link on a standardised latent scale:
``L = Σ β·pa + s·ε``, ε standard logistic, ``V = 1[L > 0]``; with every intercept at zero
the model is symmetric, so P(V = 1) = 1/2 and a binary parent enters its children as
``2V − 1`` (±1, unit variance).  Latent nodes, including the implicit ``U(a,b)`` of a
``confounded`` edge, are drawn like any other node; the caller drops them.

The variance bookkeeping is exact for Gaussian nodes; a binary node's covariances are
propagated as if it were linear (its correlations are in fact attenuated), so nodes
downstream of a binary node have variance close to, not exactly, 1.  When the parents of
a node would explain more than :data:`MAX_EXPLAINED` of its variance, their coefficients
are scaled down and the model says so in ``notes``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import networkx as nx

from ..errors import UsageError
from ..schema import Direction, Species
from .effects import ASSUMED_BETA, beta_from_effect_size

if TYPE_CHECKING:
    import numpy as np

__all__ = ["BINARY_KINDS", "MAX_EXPLAINED", "SCM", "Coefficient", "binary_nodes", "build_scm", "parse_effect"]

#: Node kinds simulated as binary (present/absent): a diagnosis, or a treatment given or not.
BINARY_KINDS = frozenset({"condition", "intervention", "drug"})
#: Largest share of a node's variance its parents may explain before their coefficients are scaled down.
MAX_EXPLAINED = 0.9
#: Rows drawn to compute an effect by simulation when it is not linear in the coefficients.
EFFECT_SIM_ROWS = 400_000


@dataclass(frozen=True)
class Coefficient:
    """One edge weight of the SCM and where it came from (``evidence``, ``assumption`` or ``override``)."""

    source: str
    target: str
    beta: float
    basis: str
    note: str

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "target": self.target, "beta": round(self.beta, 6), "basis": self.basis,
                "note": self.note}


@dataclass(frozen=True)
class SCM:
    """A standardised linear SCM over the nodes of a hypothesis graph (see the module docstring)."""

    order: tuple[str, ...]
    parents: Mapping[str, tuple[tuple[str, float], ...]]
    noise: Mapping[str, float]
    binary: frozenset[str]
    latent: frozenset[str]
    coefficients: tuple[Coefficient, ...]
    notes: tuple[str, ...] = ()

    @property
    def observed(self) -> tuple[str, ...]:
        return tuple(n for n in self.order if n not in self.latent)

    def beta(self, source: str, target: str) -> float:
        return dict(self.parents.get(target, ())).get(source, 0.0)

    def sample(self, n: int, rng: np.random.Generator, *, sims: int | None = None,
               do: Mapping[str, Any] | None = None, dtype: Any = None) -> dict[str, np.ndarray]:
        """Draw ``n`` rows (shape ``(n,)``, or ``(sims, n)`` for a batch of datasets); binary nodes as 0/1.

        ``do`` sets nodes by intervention (a number, or an array of the sample's shape; binary nodes take
        0/1): their incoming edges are cut, as in Pearl's do-operator.  Nodes are drawn one at a time in
        topological order, so the same generator state gives the same data.
        """
        import numpy as np

        dtype = dtype or np.float64
        shape = (n,) if sims is None else (sims, n)
        do = dict(do or {})
        values: dict[str, np.ndarray] = {}  # binary nodes stored as ±1 while drawing
        for v in self.order:
            if v in do:
                fixed = np.broadcast_to(np.asarray(do[v], dtype=dtype), shape)
                values[v] = 2.0 * fixed - 1.0 if v in self.binary else fixed.astype(dtype, copy=True)
                continue
            if v in self.binary:
                x = rng.logistic(0.0, self.noise[v], size=shape).astype(dtype, copy=False)
            else:
                x = rng.standard_normal(size=shape, dtype=dtype)
                x *= self.noise[v]
            for p, b in self.parents.get(v, ()):
                x += b * values[p]
            if v in self.binary:
                x = np.where(x > 0, 1.0, -1.0).astype(dtype)
            values[v] = x
        return {v: (values[v] + 1.0) / 2.0 if v in self.binary else values[v] for v in self.order}

    def sample_crossover(self, n: int, rng: np.random.Generator, node: str, *, sims: int | None = None,
                         dtype: Any = None) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
        """An AB/BA crossover of n people: ``(control, treated)`` periods with ``node`` set to 0 and to 1.

        The exogenous (root) nodes are traits shared by both periods; every other node is drawn afresh in
        each period (no period or carry-over effects).
        """
        roots = [v for v in self.order if not self.parents.get(v) and v != node]
        control = self.sample(n, rng, sims=sims, do={node: 0.0}, dtype=dtype)
        treated = self.sample(n, rng, sims=sims, do={**{v: control[v] for v in roots}, node: 1.0}, dtype=dtype)
        return control, treated

    def total_effect(self, x: str, y: str, *, seed: int = 20240601) -> float:
        """The average causal effect on Y of a unit change in X (0 → 1 for a binary X), in Y's units.

        Exact (the sum over directed paths of the products of coefficients; Wright 1921) when no binary
        node lies on a causal path from X to Y; otherwise computed by simulation with common random numbers
        (``EFFECT_SIM_ROWS`` rows, Monte-Carlo error about 0.002 on the standardised scale).
        """
        import numpy as np

        if x not in self.order or y not in self.order:
            return 0.0
        downstream = {v for v in self.order if _reaches(self, x, v)}
        on_paths = {v for v in downstream if _reaches(self, v, y)} - {x}
        if not on_paths & self.binary:
            effect = {x: 1.0}
            for v in self.order:
                if v in downstream and v != x:
                    effect[v] = sum(b * effect.get(p, 0.0) for p, b in self.parents.get(v, ()))
            return (2.0 if x in self.binary else 1.0) * effect.get(y, 0.0)
        lo, hi = (0.0, 1.0) if x in self.binary else (-0.5, 0.5)
        ys = []
        for value in (lo, hi):
            rng = np.random.default_rng(seed)
            ys.append(float(self.sample(EFFECT_SIM_ROWS, rng, do={x: value})[y].mean()))
        return (ys[1] - ys[0]) / (hi - lo)


def _reaches(scm: SCM, a: str, b: str) -> bool:
    if a == b:
        return True
    children: dict[str, list[str]] = {}
    for v, ps in scm.parents.items():
        for p, _ in ps:
            children.setdefault(p, []).append(v)
    seen, todo = {a}, [a]
    while todo:
        u = todo.pop()
        for c in children.get(u, ()):
            if c == b:
                return True
            if c not in seen:
                seen.add(c)
                todo.append(c)
    return False


_EFFECT = re.compile(r"^\s*(?P<a>[^\s=]+?)\s*->\s*(?P<b>[^\s=]+?)\s*=\s*(?P<beta>[-+]?[0-9.eE+-]+)\s*$")


def parse_effect(text: str) -> tuple[str, str, float]:
    """``"A->B=0.3"`` → ``("A", "B", 0.3)``; a usage error for anything else or |β| ≥ 1."""
    m = _EFFECT.match(text)
    beta = None
    if m:
        try:
            beta = float(m.group("beta"))
        except ValueError:
            beta = None
    if m is None or beta is None or not math.isfinite(beta):
        raise UsageError(f"--effect {text!r} is not of the form A->B=0.3",
                         hint="name an edge and a standardised coefficient, e.g. --effect 'ne_oscillation->vasomotion=0.4'")
    if not -1.0 < beta < 1.0:
        raise UsageError(f"--effect {text!r}: a standardised coefficient must lie strictly between -1 and 1")
    return m.group("a"), m.group("b"), beta


def binary_nodes(g: nx.DiGraph, extra: Iterable[str] = (), continuous: Iterable[str] = ()) -> frozenset[str]:
    """Nodes simulated as binary: ``scale: binary``, or kinds in :data:`BINARY_KINDS` with no other scale
    given, plus ``extra``, minus ``continuous``."""
    found = {n for n, d in g.nodes(data=True) if not d.get("implicit")
             and (d.get("scale") == "binary" or (d.get("kind") in BINARY_KINDS and d.get("scale") in (None, "")))}
    return frozenset((found | set(extra)) - set(continuous))


def _edge_coefficient(g: nx.DiGraph, u: str, v: str) -> Coefficient:
    """β for one edge: the reported effect size (human evidence first, then the smallest), signed by the edge."""
    data = g.edges[u, v]
    sign = data.get("sign", "unknown")
    found = []
    for ev in data.get("evidence", ()):
        if ev.direction is not Direction.SUPPORTS or ev.effect_size is None:
            continue
        beta = beta_from_effect_size(ev.effect_size)
        if beta is not None:
            found.append((ev.species is not Species.HUMAN, abs(beta), beta, ev))
    if found:
        found.sort(key=lambda f: (f[0], f[1]))
        _, size, beta, ev = found[0]
        es = ev.effect_size
        signed = size if sign == "positive" else -size if sign == "negative" else beta
        ref = ev.reference or ev.citation or "uncited evidence"
        note = f"{es.measure} = {es.value:g} ({ref}) as a standardised coefficient"
        return Coefficient(u, v, signed, "evidence", note)
    signed = -ASSUMED_BETA if sign == "negative" else ASSUMED_BETA
    if data.get("implicit"):
        note = f"assumed |β| = {ASSUMED_BETA} for each arm of an unmeasured common cause"
    elif sign in ("positive", "negative"):
        note = f"no usable effect size recorded: assumed |β| = {ASSUMED_BETA} (Cohen's medium r), sign from the edge"
    else:
        note = (f"no usable effect size and sign {sign}: assumed β = +{ASSUMED_BETA} (Cohen's medium r); "
                "override with --effect")
    return Coefficient(u, v, signed, "assumption", note)


def build_scm(g: nx.DiGraph, *, overrides: Iterable[tuple[str, str, float]] = (),
              binary: Iterable[str] | None = None) -> SCM:
    """The standardised SCM of a hypothesis graph; ``overrides`` are ``(source, target, β)`` from ``--effect``.

    Raises :class:`UsageError` for a cyclic graph or an override naming no edge of the graph.
    """
    if not nx.is_directed_acyclic_graph(g):
        raise UsageError("the graph has a directed cycle, so it defines no structural causal model",
                         hint="run `hypoplan check` and break the cycle")
    given = {(a, b): beta for a, b, beta in overrides}
    for a, b in given:
        if not g.has_edge(a, b):
            raise UsageError(f"--effect {a}->{b}: the hypothesis has no edge {a} -> {b}",
                             hint="name an edge of the graph (see `hypoplan analyze`)")
    bin_nodes = binary_nodes(g) if binary is None else frozenset(binary)
    order = tuple(nx.lexicographical_topological_sort(g))
    index = {v: i for i, v in enumerate(order)}
    cov: dict[str, dict[str, float]] = {}
    parents: dict[str, tuple[tuple[str, float], ...]] = {}
    noise: dict[str, float] = {}
    coefficients: list[Coefficient] = []
    notes: list[str] = []
    for v in order:
        coefs = []
        for u in sorted(g.predecessors(v), key=index.__getitem__):
            if (u, v) in given:
                c = Coefficient(u, v, given[(u, v)], "override", "given with --effect")
            else:
                c = _edge_coefficient(g, u, v)
            coefs.append(c)
        explained = sum(a.beta * b.beta * cov[a.source].get(b.source, 0.0) for a in coefs for b in coefs)
        if explained > MAX_EXPLAINED:
            f = math.sqrt(MAX_EXPLAINED / explained)
            notes.append(f"the coefficients into {v} were scaled by {f:.3f} so that its parents explain "
                         f"{MAX_EXPLAINED:.0%} of its variance (they would explain {explained:.0%})")
            coefs = [Coefficient(c.source, c.target, c.beta * f, c.basis, c.note + f"; scaled by {f:.3f}")
                     for c in coefs]
            explained = MAX_EXPLAINED
        residual = max(1.0 - explained, 1.0 - MAX_EXPLAINED)
        noise[v] = math.sqrt(3.0 * residual) / math.pi if v in bin_nodes else math.sqrt(residual)
        parents[v] = tuple((c.source, c.beta) for c in coefs)
        row = {k: sum(c.beta * cov[c.source].get(k, 0.0) for c in coefs) for k in cov}
        row[v] = 1.0
        for k, value in row.items():
            cov.setdefault(k, {})[v] = value
        cov[v] = row
        coefficients.extend(coefs)
    latent = frozenset(n for n, d in g.nodes(data=True) if not d.get("observed", True))
    return SCM(order, parents, noise, bin_nodes & frozenset(order), latent, tuple(coefficients), tuple(notes))
