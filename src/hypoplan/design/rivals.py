"""Discriminating predictions: measurements where a hypothesis and its rival predict different things.

Two causal graphs are compared on the nodes they share (same id, or the same
constructs): opposite signs of the total effect between two shared nodes,
opposite causal direction, an independence implied by one graph and not the
other (d-separation, Pearl 2009 §1.2.3), and edges or nodes only one graph
has.  Opposite signs and directions come first; within that, and among the rest,
predictions are ranked by how feasible it is to measure both nodes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

import networkx as nx

from ..errors import LoadError
from ..loader import Repository, resolve
from ..schema import Hypothesis
from .catalog import Catalog
from .evidence import arrow_path, label, path_references
from .measures import NodeMeasure, measure_node

__all__ = ["Prediction", "discriminating_predictions", "load_rivals", "shared_nodes", "total_sign"]

_KIND_ORDER = {"opposite sign": 0, "opposite direction": 1, "independence": 2, "edge": 3, "node": 4}


@dataclass(frozen=True)
class Prediction:
    rival: str
    measurement: str
    this_predicts: str
    rival_predicts: str
    feasibility: str
    basis: str
    kind: str = "independence"
    cost: float = 0.0

    def to_json(self) -> dict[str, object]:
        return {"rival": self.rival, "measurement": self.measurement, "this_predicts": self.this_predicts,
                "rival_predicts": self.rival_predicts, "feasibility": self.feasibility, "basis": self.basis}


def load_rivals(hypothesis: Hypothesis, repository: Repository | None) -> tuple[list[Hypothesis], list[str]]:
    """The resolved rival hypotheses, and a message for each rival that could not be loaded."""
    found, missing = [], []
    for rid in hypothesis.rivals:
        hfile = repository.find(rid) if repository is not None else None
        if hfile is None:
            missing.append(f"rival '{rid}' was not found" + ("" if repository else " (no repository given)"))
            continue
        try:
            found.append(resolve(hfile, repository))  # type: ignore[arg-type]
        except LoadError as exc:
            missing.append(f"rival '{rid}' could not be resolved: {exc.message}")
    return found, missing


_FLIP = {"positive": "negative", "negative": "positive", "unknown": "unknown"}


def _edge_signs(sign: str) -> set[str]:
    return {"positive": {"positive"}, "negative": {"negative"}, "mixed": {"positive", "negative"}}.get(
        sign, {"unknown"})


def _reachable_signs(g: nx.DiGraph, source: str, passable: set[str]) -> dict[str, set[str]]:
    """For every node reachable from ``source`` through ``passable`` intermediates: the set of signs of
    the directed paths reaching it (a DAG dynamic programme over a topological order, linear in the edges)."""
    signs: dict[str, set[str]] = {source: {"positive"}}
    for u in nx.topological_sort(g):
        if u not in signs or (u != source and u not in passable):
            continue
        for v in g.successors(u):
            step = _edge_signs(g.edges[u, v].get("sign", "unknown"))
            out = signs.setdefault(v, set())
            for s in signs[u]:
                for e in step:
                    out.add("unknown" if "unknown" in (s, e) else (s if e == "positive" else _FLIP[s]))
    signs.pop(source)
    return signs


def _summarise(signs: set[str]) -> str:
    if "unknown" in signs:
        return "unknown"
    return "mixed" if len(signs) > 1 else next(iter(signs))


class _Signs:
    """Signs of total effects in one graph, computed once per source node."""

    def __init__(self, g: nx.DiGraph):
        self.g = g
        self.acyclic = nx.is_directed_acyclic_graph(g)
        self.non_confounders = {n for n in g.nodes if g.nodes[n].get("kind") != "confounder"}
        self._cache: dict[tuple[str, bool], dict[str, set[str]]] = {}
        self._ancestors: dict[str, set[str]] = {}

    def table(self, a: str, claimed: bool) -> dict[str, set[str]]:
        key = (a, claimed)
        if key not in self._cache:
            self._cache[key] = _reachable_signs(self.g, a, self.non_confounders if claimed else set(self.g.nodes))
        return self._cache[key]

    def total(self, a: str, b: str) -> str | None:
        """Sign of the total effect of ``a`` on ``b`` over claimed paths (else all paths); ``None`` without a path."""
        g = self.g
        if a not in g or b not in g or a == b:
            return None
        if not self.acyclic:
            return "unknown" if nx.has_path(g, a, b) else None
        for claimed in (True, False):
            signs = self.table(a, claimed)
            if b in signs:
                return _summarise(signs[b])
        return None

    def example_path(self, a: str, b: str) -> list[str]:
        """A shortest directed path from ``a`` to ``b``, through non-confounders when there is one."""
        for nodes in (self.non_confounders | {a, b}, set(self.g.nodes)):
            sub = self.g.subgraph(nodes)
            if nx.has_path(sub, a, b):
                return nx.shortest_path(sub, a, b)
        return []

    def marginally_independent(self, a: str, b: str) -> bool:
        """a ⫫ b given nothing iff no trek joins them: they share no ancestor (each node its own ancestor)
        (Spirtes, Glymour & Scheines 2000, trek rule; equivalent to d-separation by the empty set)."""
        for n in (a, b):
            if n not in self._ancestors:
                self._ancestors[n] = nx.ancestors(self.g, n) | {n}
        return not (self._ancestors[a] & self._ancestors[b])


def total_sign(g: nx.DiGraph, a: str, b: str) -> tuple[str | None, list[str] | None]:
    """Sign of the claimed effect of ``a`` on ``b``: over the directed paths that do not pass through a
    ``kind: confounder`` node (nuisance routes), or over all paths when there is no such path; ``None``
    without a directed path.  Returns one example path with it."""
    signs = _Signs(g)
    sign = signs.total(a, b)
    return sign, (signs.example_path(a, b) if sign is not None else None)


def _focal(g: nx.DiGraph) -> set[str]:
    x = {n for n in g.graph.get("exposure", ()) if n in g}
    y = {n for n in g.graph.get("outcome", ()) if n in g}
    if not x or not y:
        return x | y
    return x | y | (set().union(*(nx.descendants(g, n) for n in x)) & set().union(*(nx.ancestors(g, n) for n in y)))


def shared_nodes(g: nx.DiGraph, h: nx.DiGraph) -> dict[str, str]:
    """Map node ids of ``g`` to the rival's: same id, else the single rival node with the same constructs."""
    def explicit(graph: nx.DiGraph) -> list[str]:
        return [n for n in graph.nodes if not graph.nodes[n].get("implicit")]

    out = {n: n for n in explicit(g) if n in h and not h.nodes[n].get("implicit")}
    taken = set(out.values())
    for n in explicit(g):
        if n in out:
            continue
        cons = set(g.nodes[n].get("constructs", ()))
        if not cons:
            continue
        same = [m for m in explicit(h) if m not in taken and set(h.nodes[m].get("constructs", ())) == cons]
        if len(same) == 1:
            out[n] = same[0]
            taken.add(same[0])
    return out


def _say(sign: str | None) -> str:
    return {"positive": "raises", "negative": "lowers", "mixed": "has a mixed effect on",
            "unknown": "affects (direction unknown)"}.get(sign or "", "does not affect")


def _feasibility(g: nx.DiGraph, nodes: Sequence[str], catalog: Catalog, species: str,
                 cache: dict[str, NodeMeasure] | None = None) -> tuple[str, float]:
    parts, cost = [], 0.0
    cache = {} if cache is None else cache
    for n in nodes:
        if n not in cache:
            cache[n] = measure_node(g, n, catalog, species=species)
        m = cache[n]
        if m.method is None:
            parts.append(f"{label(g, n)}: no measure in the catalog")
            cost += 1000.0
        else:
            method = m.method
            parts.append(f"{label(g, n)}: {method.name} ({method.invasiveness.value} invasiveness, "
                         f"cost {method.cost_band.value}, burden {method.burden.value}"
                         + (", proxy" if m.proxy else "") + ")")
            cost += method.invasiveness.rank * 3 + method.cost_band.rank + method.burden.rank + (2 if m.proxy else 0)
    return "; ".join(parts), cost


def discriminating_predictions(g: nx.DiGraph, rival_graph: nx.DiGraph, rival_id: str, catalog: Catalog, *,
                               species: str = "human", limit: int = 15) -> list[Prediction]:
    """Measurements on which the two graphs disagree, most decisive and most feasible first."""
    mapping = shared_nodes(g, rival_graph)
    observed = [n for n in mapping if g.nodes[n].get("observed", True)
                and rival_graph.nodes[mapping[n]].get("observed", True)
                and g.nodes[n].get("kind") not in ("drug", "intervention")]
    focal = _focal(g) | {k for k, v in mapping.items() if v in _focal(rival_graph)}
    found: dict[frozenset[str], Prediction] = {}
    this_signs, rival_signs = _Signs(g), _Signs(rival_graph)

    cache: dict[str, NodeMeasure] = {}
    rival_cache: dict[str, NodeMeasure] = {}

    def add(pair: tuple[str, str], kind: str, this: str, rival: str, basis: str) -> None:
        key = frozenset(pair)
        old = found.get(key)
        if old is not None and _KIND_ORDER[kind] >= _KIND_ORDER[old.kind]:
            return
        feas, cost = _feasibility(g, pair, catalog, species, cache)
        found[key] = Prediction(rival_id, f"{label(g, pair[0])} and {label(g, pair[1])}", this, rival, feas, basis,
                                kind, cost)

    for a, b in combinations(sorted(observed), 2):
        ra, rb = mapping[a], mapping[b]
        for x, y, rx, ry in ((a, b, ra, rb), (b, a, rb, ra)):
            s_this = this_signs.total(x, y)
            s_rival = rival_signs.total(rx, ry)
            if s_this in ("positive", "negative") and s_rival in ("positive", "negative") and s_this != s_rival:
                p_this, p_rival = this_signs.example_path(x, y), rival_signs.example_path(rx, ry)
                basis = f"this: {arrow_path(g, p_this)}; rival: {arrow_path(rival_graph, p_rival)}"
                evidence = path_references(g, p_this) + [r for r in path_references(rival_graph, p_rival)
                                                         if r not in path_references(g, p_this)]
                if evidence:
                    basis += "; evidence on these paths: " + "; ".join(evidence)
                add((x, y), "opposite sign", f"{label(g, x)} {_say(s_this)} {label(g, y)}",
                    f"{label(g, x)} {_say(s_rival)} {label(g, y)}", basis)
        this_xy = this_signs.total(a, b)
        this_yx = this_signs.total(b, a)
        riv_xy = rival_signs.total(ra, rb)
        riv_yx = rival_signs.total(rb, ra)
        if this_xy and not this_yx and riv_yx and not riv_xy:
            add((a, b), "opposite direction", f"changes in {label(g, a)} come first and drive {label(g, b)}",
                f"changes in {label(g, b)} come first and drive {label(g, a)}",
                "opposite causal order: test by manipulating one node, or by which change comes first over time")
        elif this_yx and not this_xy and riv_xy and not riv_yx:
            add((a, b), "opposite direction", f"changes in {label(g, b)} come first and drive {label(g, a)}",
                f"changes in {label(g, a)} come first and drive {label(g, b)}",
                "opposite causal order: test by manipulating one node, or by which change comes first over time")
        if a not in focal and b not in focal:
            continue
        sep_this = this_signs.marginally_independent(a, b)
        sep_rival = rival_signs.marginally_independent(ra, rb)
        if sep_this != sep_rival:
            assoc, indep = "associated (a connecting path is open)", "independent (d-separated)"
            add((a, b), "independence", f"{label(g, a)} and {label(g, b)} are {indep if sep_this else assoc}",
                f"{label(g, a)} and {label(g, b)} are {indep if sep_rival else assoc}",
                "an implied (in)dependence that holds in one graph only (d-separation given nothing)")
    inverse = {v: k for k, v in mapping.items()}
    for u, v in rival_graph.edges:
        if rival_graph.edges[u, v].get("implicit"):
            continue
        if u in inverse and v in inverse and not g.has_edge(inverse[u], inverse[v]):
            if frozenset((inverse[u], inverse[v])) in found or not {inverse[u], inverse[v]} & focal:
                continue
            sign = rival_graph.edges[u, v].get("sign", "unknown")
            add((inverse[u], inverse[v]), "edge", f"no direct effect of {label(g, inverse[u])} on {label(g, inverse[v])}",
                f"{label(rival_graph, u)} directly {_say(sign)} {label(rival_graph, v)}", "an edge only the rival has")
        elif (u in inverse) != (v in inverse):
            own = inverse.get(u) or inverse.get(v)
            other = v if u in inverse else u
            if own is None or not rival_graph.nodes[other].get("observed", True) or other not in _focal(rival_graph):
                continue
            sign = rival_graph.edges[u, v].get("sign", "unknown")
            feas, cost = _feasibility(g, [own], catalog, species, cache)
            feas_other, cost_other = _feasibility(rival_graph, [other], catalog, species, rival_cache)
            pred = Prediction(rival_id, f"{label(rival_graph, other)} together with {label(g, own)}",
                              f"{label(rival_graph, other)} plays no part",
                              f"{label(rival_graph, u)} {_say(sign)} {label(rival_graph, v)}",
                              f"{feas}; {feas_other}", f"a node only the rival has ({label(rival_graph, other)})",
                              "node", cost + cost_other)
            found.setdefault(frozenset((own, other, "node")), pred)
    ranked = sorted(found.values(), key=lambda p: (_KIND_ORDER[p.kind] > 1, p.cost, _KIND_ORDER[p.kind], p.measurement))
    return ranked[:limit]

