"""Identification of P(y | do(x)) when adjustment fails: front door, latent projection, the ID algorithm.

* :func:`find_frontdoor_set` — Pearl's front-door criterion (Pearl 1995, "Causal
  diagrams for empirical research", *Biometrika* 82:669-688; the maximal set as in
  Jeong, Tian & Bareinboim 2022, "Finding and listing front-door adjustment sets",
  *NeurIPS*).
* :func:`latent_projection` — the ADMG over the observed nodes (Verma & Pearl 1990;
  Tian & Pearl 2002).
* :func:`identify_id` — the ID algorithm of Shpitser & Pearl (2006), "Identification
  of joint interventional distributions in recursive semi-Markovian causal models",
  *AAAI*, 1219-1226 (lines 1-7 of Fig. 3), sound and complete: it returns the
  identifying functional or the hedge that makes the effect non-identifiable.

Notation of the estimand string
-------------------------------
A node id stands for the value of its variable.  ``P(A,B|C)`` is a conditional of
the observed joint distribution, ``Σ_{A,B} …`` sums over the values of A and B
and extends to the end of its term, ``[…]`` groups a factor, and ``(…) / (…)`` is a
ratio.  Inside a sum a variable that is also fixed outside it (such as the
intervention value X) is renamed with a prime: ``X'``.  Example, the front door::

    P(Y|do(X)) = Σ_{M} P(M|X) Σ_{X'} P(X') P(Y|M,X')

Conditionals of the observed distribution are reduced to each variable's Markov
blanket in its ancestral set (Tian & Pearl 2002, Lemma 2), so the g-formula of a
graph without latent variables reads ``Σ_{C} P(C) P(Y|C,X)``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations

import networkx as nx

from ..errors import AnalysisError
from .instruments import reachable
from .result import Identification

__all__ = [
    "ONE",
    "Hedge",
    "Prob",
    "Product",
    "Ratio",
    "Sum",
    "c_components",
    "find_frontdoor_set",
    "free_variables",
    "frontdoor_estimand",
    "frontdoor_expression",
    "frontdoor_valid",
    "id_expression",
    "identify_id",
    "latent_projection",
    "render",
]


# ----------------------------------------------------------------------------- expressions

@dataclass(frozen=True)
class Prob:
    """``P(head | given)`` of the observed joint distribution."""

    head: frozenset[str]
    given: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Product:
    """A product of factors; the empty product is 1."""

    factors: tuple[Expr, ...]


@dataclass(frozen=True)
class Sum:
    """``Σ_{over} body``: the variables ``over`` are bound in ``body``."""

    over: frozenset[str]
    body: Expr


@dataclass(frozen=True)
class Ratio:
    """``num / den``, a conditional distribution normalised over ``head`` (it sums to 1 over them)."""

    num: Expr
    den: Expr
    head: frozenset[str] = frozenset()


Expr = Prob | Product | Sum | Ratio
ONE = Product(())


@lru_cache(maxsize=4096)
def free_variables(e: Expr) -> frozenset[str]:
    """The variables an expression depends on."""
    if isinstance(e, Prob):
        return e.head | e.given
    if isinstance(e, Product):
        return frozenset().union(*(free_variables(f) for f in e.factors))
    if isinstance(e, Sum):
        return free_variables(e.body) - e.over
    return free_variables(e.num) | free_variables(e.den)


def _product(factors: Iterable[Expr]) -> Expr:
    flat: list[Expr] = []
    for f in factors:
        if isinstance(f, Product):
            flat.extend(f.factors)
        else:
            flat.append(f)
    return flat[0] if len(flat) == 1 else Product(tuple(flat))


def _ratio(num: Expr, den: Expr, head: frozenset[str]) -> Expr:
    if den == ONE:
        return num
    if num == den:
        return ONE
    return Ratio(num, den, head)


def _sum_out_single(v: str, f: Expr) -> Expr | None:
    """``Σ_v f`` when f is normalised over v: drop v from its head (None if not applicable)."""
    if isinstance(f, Prob) and v in f.head and v not in f.given:
        head = f.head - {v}
        return Prob(head, f.given) if head else ONE
    if isinstance(f, Ratio) and v in f.head and v not in free_variables(f.den):
        head = f.head - {v}
        return _ratio(_sum(frozenset({v}), f.num), f.den, head) if head else ONE
    return None


def _sum(over: frozenset[str], body: Expr) -> Expr:
    """``Σ_over body``, simplified: sums of normalised factors vanish and sums move inwards."""
    over = over & free_variables(body)
    if not over:
        return body
    if isinstance(body, Sum):
        return _sum(over | body.over, body.body)
    factors: list[Expr] = list(body.factors) if isinstance(body, Product) else [body]
    changed = True
    while changed and over:
        changed = False
        for v in sorted(over):
            holders = [i for i, f in enumerate(factors) if v in free_variables(f)]
            if len(holders) == 1:
                i = holders[0]
                reduced = _sum_out_single(v, factors[i])
                if reduced is None and len(factors) > 1:
                    reduced = _sum(frozenset({v}), factors[i])  # push the sum into its only factor
                if reduced is not None:
                    factors[i] = reduced
                    over = over - {v}
                    changed = True
            elif not holders:
                over = over - {v}
    factors = [f for f in factors if f != ONE]
    if not over:
        return _product(factors)
    outside = [f for f in factors if not free_variables(f) & over]
    inside = [f for f in factors if free_variables(f) & over]
    return _product(outside + [Sum(over, _product(inside))])


# ----------------------------------------------------------------------------- the ADMG

@dataclass(frozen=True)
class _ADMG:
    nodes: frozenset[str]
    parents: dict[str, frozenset[str]] = field(hash=False, compare=False)
    siblings: dict[str, frozenset[str]] = field(hash=False, compare=False)

    def sub(self, keep: frozenset[str]) -> _ADMG:
        return _ADMG(keep, {v: self.parents[v] & keep for v in keep}, {v: self.siblings[v] & keep for v in keep})

    def ancestors(self, targets: Iterable[str], cut: frozenset[str] = frozenset()) -> frozenset[str]:
        """Ancestors of ``targets`` (inclusive) in the graph without the edges into ``cut``."""
        seen = set(targets)
        stack = list(seen)
        while stack:
            v = stack.pop()
            if v in cut:
                continue
            for p in self.parents[v]:
                if p not in seen:
                    seen.add(p)
                    stack.append(p)
        return frozenset(seen)

    def districts(self) -> list[frozenset[str]]:
        return c_components(self.nodes, self.siblings)


def c_components(nodes: Iterable[str], siblings: dict[str, frozenset[str]] | dict[str, set[str]]) -> list[frozenset[str]]:
    """The C-components (districts): connected components of the bidirected part (Tian & Pearl 2002)."""
    nodes = set(nodes)
    out = []
    seen: set[str] = set()
    for start in sorted(nodes):
        if start in seen:
            continue
        comp = {start}
        stack = [start]
        while stack:
            v = stack.pop()
            for s in siblings[v]:
                if s in nodes and s not in comp:
                    comp.add(s)
                    stack.append(s)
        seen |= comp
        out.append(frozenset(comp))
    return out


def latent_projection(g: nx.DiGraph) -> tuple[nx.DiGraph, set[frozenset[str]]]:
    """The latent projection of ``g`` onto its observed nodes (Verma & Pearl 1990; Tian & Pearl 2002, §2).

    ``a → b`` when a directed path from a to b has only latent nodes inside it; ``a <-> b`` when
    some latent node reaches both a and b by directed paths with only latent nodes inside.
    Returns the directed part (observed nodes with their attributes) and the bidirected pairs.
    """
    observed = [n for n, d in g.nodes(data=True) if d.get("observed", True)]
    obs = set(observed)
    directed = nx.DiGraph()
    directed.add_nodes_from((n, g.nodes[n]) for n in observed)

    def observed_reach(starts: Iterable[str]) -> set[str]:
        hit: set[str] = set()
        seen: set[str] = set()
        stack = list(starts)
        while stack:
            v = stack.pop()
            if v in obs:
                hit.add(v)
                continue
            if v in seen:
                continue
            seen.add(v)
            stack.extend(g._succ[v])
        return hit

    for a in observed:
        for b in observed_reach(g._succ[a]):
            directed.add_edge(a, b)
    bidirected: set[frozenset[str]] = set()
    for u in g:
        if u in obs:
            continue
        hit = sorted(observed_reach(g._succ[u]))
        for i, a in enumerate(hit):
            for b in hit[i + 1:]:
                bidirected.add(frozenset((a, b)))
    return directed, bidirected


def _admg(g: nx.DiGraph) -> tuple[_ADMG, dict[str, int]]:
    directed, bidirected = latent_projection(g)
    sib: dict[str, set[str]] = {v: set() for v in directed}
    for pair in bidirected:
        a, b = sorted(pair)
        sib[a].add(b)
        sib[b].add(a)
    order = {v: i for i, v in enumerate(nx.lexicographical_topological_sort(directed))}
    admg = _ADMG(frozenset(directed), {v: frozenset(directed._pred[v]) for v in directed},
                 {v: frozenset(s) for v, s in sib.items()})
    return admg, order


# ----------------------------------------------------------------------------- the ID algorithm

@dataclass(frozen=True)
class Hedge:
    """The C-forests F ⊋ F' returned by line 5 of ID: P(y | do(x)) is not identifiable (Shpitser & Pearl 2006, Thm. 4)."""

    forest: frozenset[str]
    subforest: frozenset[str]


class _Fail(Exception):
    def __init__(self, hedge: Hedge):
        super().__init__("hedge")
        self.hedge = hedge


@dataclass(frozen=True)
class _Dist:
    """The distribution ID is working on: the observed marginal over the graph's nodes ("base"),
    a product of conditionals built by line 7 ("chain"), or any expression ("expr")."""

    kind: str
    expr: Expr
    factors: tuple[tuple[str, Expr], ...] = ()


def _joint(p: _Dist) -> Expr:
    return p.expr


def _marginal(p: _Dist, keep: frozenset[str], nodes: frozenset[str]) -> _Dist:
    if p.kind == "base":
        return _Dist("base", Prob(keep))
    return _Dist("expr", _sum(nodes - keep, p.expr))


def _markov_blanket(v: str, before: frozenset[str], G: _ADMG) -> frozenset[str]:
    """Tian & Pearl (2002), Lemma 2: P(v | before) = P(v | (D ∪ pa(D)) \\ {v}), D the district of v in G[before ∪ {v}]."""
    area = before | {v}
    district = {v}
    stack = [v]
    while stack:
        u = stack.pop()
        for s in G.siblings[u]:
            if s in area and s not in district:
                district.add(s)
                stack.append(s)
    blanket = set(district)
    for u in district:
        blanket |= G.parents[u] & area
    return frozenset(blanket - {v})


def _conditional(p: _Dist, v: str, before: frozenset[str], G: _ADMG) -> Expr:
    """``P(v | before)`` under the working distribution ``p`` (``before``: the nodes of G preceding v)."""
    if p.kind == "base":
        return Prob(frozenset({v}), _markov_blanket(v, before, G))
    if p.kind == "chain":
        return dict(p.factors)[v]
    num = _sum(G.nodes - before - {v}, p.expr)
    den = _sum(G.nodes - before, p.expr)
    return _ratio(num, den, frozenset({v}))


def _id(y: frozenset[str], x: frozenset[str], p: _Dist, G: _ADMG, order: dict[str, int]) -> Expr:
    V = G.nodes

    def before(v: str) -> frozenset[str]:
        return frozenset(u for u in V if order[u] < order[v])

    # line 1
    if not x:
        return _sum(V - y, _joint(p))
    # line 2
    an = G.ancestors(y)
    if an != V:
        return _id(y, x & an, _marginal(p, an, V), G.sub(an), order)
    # line 3
    w = (V - x) - G.ancestors(y, cut=x)
    if w:
        return _id(y, x | w, p, G, order)
    # line 4
    components = G.sub(V - x).districts()
    if len(components) > 1:
        return _sum(V - (y | x), _product(_id(s, V - s, p, G, order) for s in components))
    (s,) = components
    districts = G.districts()
    # line 5
    if len(districts) == 1:
        raise _Fail(Hedge(V, s))
    # line 6
    if s in districts:
        return _sum(s - y, _product(_conditional(p, v, before(v), G) for v in sorted(s, key=order.__getitem__)))
    # line 7
    (s_big,) = [d for d in districts if s < d]
    factors = tuple((v, _conditional(p, v, before(v), G)) for v in sorted(s_big, key=order.__getitem__))
    chain = _Dist("chain", _product(f for _, f in factors), factors)
    return _id(y, x & s_big, chain, G.sub(s_big), order)


def _check_request(g: nx.DiGraph, exposure: Iterable[str], outcome: Iterable[str]) -> tuple[frozenset[str], frozenset[str]]:
    x, y = frozenset(exposure), frozenset(outcome)
    if not x or not y:
        raise AnalysisError("identification needs at least one exposure and one outcome",
                            hint="mark them under focus: in the hypothesis or pass --exposure/--outcome")
    for n in sorted(x | y):
        if n not in g:
            raise AnalysisError(f"node {n!r} is not in the graph", hint="check the spelling of the node id")
        if not g.nodes[n].get("observed", True):
            raise AnalysisError(f"node {n!r} is latent (observed: false); an exposure or outcome must be observed")
    if x & y:
        raise AnalysisError(f"{', '.join(sorted(x & y))} is both exposure and outcome")
    if not nx.is_directed_acyclic_graph(g):
        raise AnalysisError("the graph has a directed cycle; identification needs an acyclic graph",
                            hint="run `hypoplan check` to see the cycle")
    return x, y


def id_expression(g: nx.DiGraph, exposure: Iterable[str], outcome: Iterable[str]) -> Expr | Hedge:
    """The ID algorithm (Shpitser & Pearl 2006, Fig. 3) on the latent projection of ``g``.

    Returns the identifying expression of P(y | do(x)) in terms of the observed distribution,
    or the :class:`Hedge` found at line 5 when the effect is not identifiable.
    """
    x, y = _check_request(g, exposure, outcome)
    G, order = _admg(g)
    try:
        return _id(y, x, _Dist("base", Prob(G.nodes)), G, order)
    except _Fail as fail:
        return fail.hedge


def render(e: Expr, order: dict[str, int] | None = None) -> str:
    """The expression as text, in the notation of the module docstring."""
    rank = order or {}

    def names(vs: Iterable[str], scope: dict[str, str]) -> str:
        return ",".join(scope.get(v, v) for v in sorted(vs, key=lambda v: (rank.get(v, 0), v)))

    def go(e: Expr, scope: dict[str, str], used: frozenset[str]) -> str:
        if isinstance(e, Prob):
            if not e.head:
                return "1"  # a distribution over no variable: never print "P(|X)"
            head = names(e.head, scope)
            return f"P({head}|{names(e.given, scope)})" if e.given else f"P({head})"
        if isinstance(e, Product):
            if not e.factors:
                return "1"
            plain = sorted((f for f in e.factors if not isinstance(f, Sum)),
                           key=lambda f: min((rank.get(v, 0) for v in (f.head if isinstance(f, Prob) else
                                                                        free_variables(f))), default=0))
            sums = [f for f in e.factors if isinstance(f, Sum)]
            parts = [go(f, scope, used) for f in plain]
            parts += [f"[{go(f, scope, used)}]" for f in sums[:-1]] + [go(f, scope, used) for f in sums[-1:]]
            return " ".join(parts)
        if isinstance(e, Sum):
            if not e.over:
                return go(e.body, scope, used)  # never print "Σ_{}"
            inner = dict(scope)
            taken = set(used)
            for v in sorted(e.over, key=lambda v: (rank.get(v, 0), v)):
                name = v
                while name in taken:
                    name += "'"
                inner[v] = name
                taken.add(name)
            return f"Σ_{{{names(e.over, inner)}}} {go(e.body, inner, frozenset(taken))}"
        num, den = go(e.num, scope, used), go(e.den, scope, used)
        def wrap(s: str, x: Expr) -> str:
            return s if isinstance(x, Prob) else f"({s})"

        return f"{wrap(num, e.num)} / {wrap(den, e.den)}"

    free = free_variables(e)
    return go(e, {}, free)


def _hedge_reason(h: Hedge, x: frozenset[str], y: frozenset[str]) -> str:
    f = ", ".join(sorted(h.forest))
    f2 = ", ".join(sorted(h.subforest))
    return (f"not identifiable: hedge F = {{{f}}}, F' = {{{f2}}} (Shpitser & Pearl 2006): both are C-forests "
            f"(linked by unmeasured confounding) with the same roots among the ancestors of "
            f"{', '.join(sorted(y))}, F contains the exposure {', '.join(sorted(h.forest & x)) or ', '.join(sorted(x))} "
            f"and F' does not, so no functional of the observed distribution gives P({', '.join(sorted(y))}"
            f"|do({', '.join(sorted(x))}))")


def identify_id(g: nx.DiGraph, exposure: Iterable[str], outcome: Iterable[str]) -> Identification:
    """P(y | do(x)) by the ID algorithm: the estimand with strategy "id", or not identifiable with the hedge."""
    x, y = _check_request(g, exposure, outcome)
    result = id_expression(g, x, y)
    if isinstance(result, Hedge):
        return Identification(identifiable=False, strategy=None, estimand=None,
                              reason=_hedge_reason(result, x, y), hedge=(result.forest, result.subforest))
    _, order = _admg(g)
    return Identification(identifiable=True, strategy="id", estimand=f"{_lhs(x, y, order)} = {render(result, order)}")


def _lhs(x: frozenset[str], y: frozenset[str], order: dict[str, int]) -> str:
    return f"P({','.join(sorted(y, key=order.__getitem__))}|do({','.join(sorted(x, key=order.__getitem__))}))"


# ----------------------------------------------------------------------------- the front door

def _intercepts(g: nx.DiGraph, x: set[str], y: set[str], m: set[str]) -> bool:
    """Whether every directed path from X to Y passes through M."""
    seen = set(x)
    stack = list(x)
    while stack:
        for c in g._succ[stack.pop()]:
            if c in m or c in seen:
                continue
            if c in y:
                return False
            seen.add(c)
            stack.append(c)
    return True


def _out_edges(g: nx.DiGraph, nodes: Iterable[str]) -> frozenset[tuple[str, str]]:
    return frozenset((a, c) for a in nodes for c in g._succ[a])


def frontdoor_valid(g: nx.DiGraph, exposure: Iterable[str], outcome: Iterable[str], m: Iterable[str]) -> bool:
    """Pearl's front-door criterion for the set M (Pearl 2009, Def. 3.3.3), for sets X and Y.

    (i) M intercepts every directed path from X to Y; (ii) no back-door path from X to M is open
    (M ⫫ X in G without the edges out of X); (iii) X blocks every back-door path from M to Y
    (M ⫫ Y | X in G without the edges out of M).  M must be observed and disjoint from X ∪ Y.
    """
    x, y, m = set(exposure), set(outcome), set(m)
    if m & (x | y) or any(not g.nodes[v].get("observed", True) for v in m):
        return False
    if not _intercepts(g, x, y, m):
        return False
    if reachable(g, x, (), _out_edges(g, x)) & m:
        return False
    return not (reachable(g, y, x, _out_edges(g, m)) & m)


#: Subsets of the maximal front-door set examined when looking for a smallest one.
MAX_FRONTDOOR_SUBSETS = 1024


def find_frontdoor_set(g: nx.DiGraph, exposure: Iterable[str], outcome: Iterable[str]) -> frozenset[str] | None:
    """A minimal front-door set for X → Y, or None when no set satisfies the criterion.

    Polynomial construction of the largest candidate (after Jeong, Tian & Bareinboim 2022):
    keep the observed nodes with no open back-door path from X (condition ii), then repeatedly
    drop every candidate with an open back-door path to Y given X in G without the candidates'
    out-edges.  A dropped node belongs to no valid set, because removing fewer out-edges only
    opens more paths; so a front-door set exists iff the fixpoint satisfies (i).  From it, the
    smallest valid subset is searched by size (at most ``MAX_FRONTDOOR_SUBSETS`` subsets), else
    nodes are dropped greedily while the set stays valid.  When X has no directed path to Y the
    empty set satisfies the criterion and the formula reduces to P(y).
    """
    x, y = set(exposure), set(outcome)
    observed = {n for n, d in g.nodes(data=True) if d.get("observed", True)}
    cand = observed - x - y - reachable(g, x, (), _out_edges(g, x))
    while True:
        bad = reachable(g, y, x, _out_edges(g, cand)) & cand
        if not bad:
            break
        cand -= bad
    if not _intercepts(g, x, y, cand):
        return None
    items = sorted(cand)
    budget = MAX_FRONTDOOR_SUBSETS
    for k in range(len(items) + 1):
        for subset in combinations(items, k):
            budget -= 1
            if budget < 0:
                break
            if frontdoor_valid(g, x, y, subset):
                return frozenset(subset)
        if budget < 0:
            break
    best = set(cand)
    for v in items:
        if frontdoor_valid(g, x, y, best - {v}):
            best.discard(v)
    return frozenset(best)


def frontdoor_expression(exposure: Iterable[str], outcome: Iterable[str], m: Iterable[str]) -> Expr:
    """The front-door formula (Pearl 2009, Thm. 3.3.4): Σ_m P(m|x) Σ_x' P(y|x',m) P(x').

    With an empty M (X has no directed path to Y) the formula reduces to P(y): never an empty sum.
    """
    x, y, m = frozenset(exposure), frozenset(outcome), frozenset(m)
    if not m:
        return Prob(y)
    inner = Sum(x, Product((Prob(x), Prob(y, x | m))))
    return Sum(m, Product((Prob(m, x), inner)))


def frontdoor_estimand(g: nx.DiGraph, exposure: Iterable[str], outcome: Iterable[str], m: Iterable[str]) -> str:
    """``P(Y|do(X)) = …`` for a front-door set M, in the notation of :func:`render`."""
    x, y = _check_request(g, exposure, outcome)
    _, order = _admg(g)
    return f"{_lhs(x, y, order)} = {render(frontdoor_expression(x, y, m), order)}"
