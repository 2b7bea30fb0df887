"""Discriminating predictions: measurements where a hypothesis and its rival predict different things.

Nodes of the two graphs are matched by what they stand for, never by id alone: a shared catalog
construct, an explicit ``same_as``, or the very same node inherited from a common ``extends`` parent.
Matched nodes form *construct groups* (connected components of the match relation), so the comparison
is the same whichever graph is "this" one.  For every ordered pair of groups each graph implies one
of ``+``, ``-`` (the sign of the total effect, over claimed paths first), ``?`` (an effect of unknown
sign), ``0`` (no directed path: intervening on the first leaves the second unchanged) or ``none``
(the graph has no node of the group: it makes no prediction).  A prediction discriminates only when
both graphs predict something and differ:

- **opposite sign** (``+`` against ``-``) and **opposite direction** (an effect of A on B in one graph,
  of B on A in the other) — decisive: either result contradicts one graph;
- **effect against none** (``+``/``-`` against ``0``) — decisive when tested by intervention;
- an unsigned effect against none, or a **dependence against an independence** (d-separation given
  nothing, Pearl 2009 §1.2.3) — discriminating but not decisive: an association can have causes
  neither graph draws.

Stated ``predictions:`` of either hypothesis (node, direction, condition) are compared the same way.
Each prediction carries the evidence on the paths behind it, marked for or against each hypothesis,
and the list is ranked by decisiveness, then by the cost of measuring it (invasiveness, cost, burden).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations, pairwise
from typing import Any

import networkx as nx

from ..errors import LoadError
from ..loader import Repository, resolve
from ..schema import Hypothesis
from .catalog import Catalog
from .evidence import arrow_path, label
from .measures import NodeMeasure, measure_node

__all__ = [
    "KIND_ORDER",
    "Prediction",
    "compare_hypotheses",
    "construct_groups",
    "discriminating_predictions",
    "load_rivals",
    "total_sign",
]

#: How strong each kind of prediction is, strongest first (the registry ranks experiments by it too).
KIND_ORDER = {"opposite sign": 0, "opposite direction": 1, "effect vs none": 2, "stated": 3,
               "unsigned effect vs none": 4, "independence": 5}
_SYMBOL = {"positive": "+", "negative": "-", "mixed": "?", "unknown": "?"}


@dataclass(frozen=True)
class Prediction:
    """One discriminating prediction, oriented to the hypothesis being planned ("this")."""

    rival: str
    measurement: str
    this_predicts: str
    rival_predicts: str
    feasibility: str
    basis: str
    kind: str = "independence"
    cost: float = 0.0
    decisive: bool = False
    direction_this: str = "none"
    direction_rival: str = "none"
    evidence: tuple[dict[str, str], ...] = ()
    key: tuple[str, ...] = ()  # the construct groups (and condition) it is about, the same from either side

    def to_json(self) -> dict[str, object]:
        return {"rival": self.rival, "measurement": self.measurement, "this_predicts": self.this_predicts,
                "rival_predicts": self.rival_predicts, "feasibility": self.feasibility, "basis": self.basis,
                "kind": self.kind, "decisive": self.decisive, "direction_this": self.direction_this,
                "direction_rival": self.direction_rival, "evidence": [dict(e) for e in self.evidence]}


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


# --------------------------------------------------------------------------- matching by construct


def _explicit(g: nx.DiGraph) -> list[str]:
    return [n for n in g.nodes if not g.nodes[n].get("implicit")]


def _same_node(g: nx.DiGraph, h: nx.DiGraph, a: str, b: str) -> bool:
    """The same node inherited by both (same id, label, kind and constructs): not a match "by id alone"."""
    keys = ("label", "kind", "constructs", "observed")
    return a == b and all(g.nodes[a].get(k) == h.nodes[b].get(k) for k in keys)


def ambiguous_constructs(g: nx.DiGraph) -> frozenset[str]:
    """Constructs carried by both ends of one edge of ``g``: the graph says one causes the other, so they are
    the same quantity at two times or stages (e.g. brain waste before sleep → brain waste after sleep), and
    the construct alone cannot say which of them a node of another graph stands for."""
    out: set[str] = set()
    for u, v in g.edges:
        if not g.nodes[u].get("implicit") and not g.nodes[v].get("implicit"):
            out |= set(g.nodes[u].get("constructs", ())) & set(g.nodes[v].get("constructs", ()))
    return frozenset(out)


def nodes_match(g: nx.DiGraph, h: nx.DiGraph, a: str, b: str, *, ambiguous: frozenset[str] | None = None) -> bool:
    """Do node ``a`` of ``g`` and ``b`` of ``h`` stand for the same variable?  A shared construct (unless it is
    ``ambiguous``: :func:`ambiguous_constructs` of either graph), a ``same_as`` naming the other, or the
    identical inherited node; an equal id alone is not enough."""
    ga, hb = g.nodes[a], h.nodes[b]
    if ambiguous is None:
        ambiguous = ambiguous_constructs(g) | ambiguous_constructs(h)
    if (set(ga.get("constructs", ())) & set(hb.get("constructs", ()))) - ambiguous:
        return True
    if b in ga.get("same_as", ()) or a in hb.get("same_as", ()):
        return True
    return _same_node(g, h, a, b)


def construct_groups(g: nx.DiGraph, h: nx.DiGraph) -> list[tuple[frozenset[str], frozenset[str]]]:
    """Groups of matched nodes: (nodes of ``g``, nodes of ``h``), the connected components of the match
    relation; a node that matches nothing forms a group with an empty other side.  Swapping ``g`` and ``h``
    swaps the sides and nothing else."""
    u = nx.Graph()
    for a in _explicit(g):
        u.add_node(("g", a))
    for b in _explicit(h):
        u.add_node(("h", b))
    ambiguous = ambiguous_constructs(g) | ambiguous_constructs(h)
    for a in _explicit(g):
        for b in _explicit(h):
            if nodes_match(g, h, a, b, ambiguous=ambiguous):
                u.add_edge(("g", a), ("h", b))
    out = []
    for comp in nx.connected_components(u):
        out.append((frozenset(n for side, n in comp if side == "g"), frozenset(n for side, n in comp if side == "h")))
    return sorted(out, key=lambda gr: (sorted(gr[0]), sorted(gr[1])))


# --------------------------------------------------------------------------- what one graph implies


def _group_effect(signs: _Signs, src: frozenset[str], dst: frozenset[str]) -> tuple[str, tuple[str, str] | None]:
    """The effect of intervening on group ``src`` on group ``dst`` in one graph: ``+``, ``-``, ``?``, ``0``,
    or ``none`` when the graph has no node of either group; with the node pair behind it."""
    if not src or not dst:
        return "none", None
    found: dict[str, tuple[str, str]] = {}
    for a in sorted(src):
        for b in sorted(dst):
            sign = signs.total(a, b)
            if sign is not None:
                found.setdefault(_SYMBOL.get(sign, "?"), (a, b))
    if not found:
        return "0", (min(src), min(dst))
    if set(found) == {"+"} or set(found) == {"-"}:
        return next(iter(found)), next(iter(found.values()))
    return "?", found.get("?") or next(iter(found.values()))


def _group_dependent(signs: _Signs, src: frozenset[str], dst: frozenset[str]) -> bool | None:
    if not src or not dst:
        return None
    return any(not signs.marginally_independent(a, b) for a in src for b in dst)


@dataclass(frozen=True)
class _Raw:
    """A discriminating prediction in a fixed orientation (side "g" and side "h")."""

    kind: str
    key: tuple[str, ...]
    groups: tuple[tuple[frozenset[str], frozenset[str]], ...]
    dir_g: str
    dir_h: str
    pair_g: tuple[str, str] | None
    pair_h: tuple[str, str] | None
    condition: str | None = None
    decisive: bool = False


def _group_key(group: tuple[frozenset[str], frozenset[str]]) -> str:
    return "|".join(sorted(group[0])) + "~" + "|".join(sorted(group[1]))


def _sym_key(*groups: tuple[frozenset[str], frozenset[str]]) -> tuple[str, ...]:
    """A key that is the same from either side: each group's node ids of both sides, sorted."""
    return tuple("|".join(sorted(set(a) | set(b))) for a, b in groups)


def _settable_elsewhere(g: nx.DiGraph, nodes: frozenset[str], species: str | None) -> bool:
    """A node of the group is a manipulation the file restricts to other species (``manipulable_in``): in a
    study of ``species`` it cannot be set, so no prediction about it can be tested there."""
    from .strategy import is_manipulable

    return species is not None and any(is_manipulable(g, n) and not is_manipulable(g, n, species) for n in nodes)


def compare_graphs(g: nx.DiGraph, h: nx.DiGraph, *, stated_g: Sequence[Any] = (),
                   stated_h: Sequence[Any] = (), species: str | None = None) -> list[_Raw]:
    """Every discriminating prediction between graphs ``g`` and ``h`` (pure; symmetric: swapping the
    arguments swaps ``dir_g``/``dir_h`` and the pairs, and nothing else).  With ``species``, a group holding a
    node that either graph lets be set only in other species is left out."""
    groups = sorted((gr for gr in construct_groups(g, h)
                     if all(g.nodes[n].get("observed", True) for n in gr[0])
                     and all(h.nodes[n].get("observed", True) for n in gr[1])
                     and not _settable_elsewhere(g, gr[0], species)
                     and not _settable_elsewhere(h, gr[1], species)), key=lambda gr: _sym_key(gr))
    sg, sh = _Signs(g), _Signs(h)
    out: list[_Raw] = []

    def set_by_hand(gr: tuple[frozenset[str], frozenset[str]]) -> bool:
        """A drug or intervention group: the investigator sets it, so an effect *on* it (or an association with
        it) is about prescribing, not about either mechanism; it stays a cause."""
        kinds = {g.nodes[n].get("kind") for n in gr[0]} | {h.nodes[n].get("kind") for n in gr[1]}
        return kinds <= {"drug", "intervention"}

    for g1, g2 in combinations(groups, 2):
        if not (g1[0] and g1[1] and g2[0] and g2[1]):
            continue  # a group one graph lacks: that graph makes no prediction about it
        fwd = (_group_effect(sg, g1[0], g2[0]), _group_effect(sh, g1[1], g2[1]))
        bwd = (_group_effect(sg, g2[0], g1[0]), _group_effect(sh, g2[1], g1[1]))
        key = _sym_key(g1, g2)
        cands: list[_Raw] = []
        for (eg, eh), (a, b) in ((fwd, (g1, g2)), (bwd, (g2, g1))):
            (dg, pg), (dh, ph) = eg, eh
            if dg == dh or set_by_hand(b):
                continue
            if {dg, dh} == {"+", "-"}:
                cands.append(_Raw("opposite sign", key, (a, b), dg, dh, pg, ph, decisive=True))
            elif "0" in (dg, dh) and {dg, dh} & {"+", "-"}:
                cands.append(_Raw("effect vs none", key, (a, b), dg, dh, pg, ph, decisive=True))
            elif "0" in (dg, dh):
                cands.append(_Raw("unsigned effect vs none", key, (a, b), dg, dh, pg, ph))
        (fg, _), (fh, _) = fwd
        (bg, _), (bh, _) = bwd
        if set_by_hand(g1) or set_by_hand(g2):
            pass  # no opposite-direction or independence claim about a node the investigator sets
        elif fg != "0" and bg == "0" and fh == "0" and bh != "0":
            # g: the first group drives the second; h: the second drives the first (directions of first on second)
            cands.insert(0, _Raw("opposite direction", key, (g1, g2), fg, "0", fwd[0][1], bwd[1][1], decisive=True))
        elif fg == "0" and bg != "0" and fh != "0" and bh == "0":
            cands.insert(0, _Raw("opposite direction", key, (g1, g2), "0", fh, bwd[0][1], fwd[1][1], decisive=True))
        if not cands and not (set_by_hand(g1) or set_by_hand(g2)):
            dep_g, dep_h = _group_dependent(sg, g1[0], g2[0]), _group_dependent(sh, g1[1], g2[1])
            if dep_g is not None and dep_h is not None and dep_g != dep_h:
                cands.append(_Raw("independence", key, (g1, g2), "dependent" if dep_g else "independent",
                                  "dependent" if dep_h else "independent", (min(g1[0]), min(g2[0])),
                                  (min(g1[1]), min(g2[1]))))
        if cands:
            out.append(min(cands, key=lambda r: KIND_ORDER[r.kind]))
    out.extend(_compare_stated(g, h, groups, sg, sh, stated_g, stated_h))
    return out


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _compare_stated(g: nx.DiGraph, h: nx.DiGraph, groups: list[tuple[frozenset[str], frozenset[str]]],
                    sg: _Signs, sh: _Signs, stated_g: Sequence[Any], stated_h: Sequence[Any]) -> list[_Raw]:
    """Stated predictions of either side against the other side's stated prediction on the same group and
    condition, else against its graph through ``cause``; ``none`` when the other side says nothing."""
    index = {}
    for gr in groups:
        for n in gr[0]:
            index[("g", n)] = gr
        for n in gr[1]:
            index[("h", n)] = gr
    by_key: dict[tuple[str, str], dict[str, Any]] = {}
    for side, stated in (("g", stated_g), ("h", stated_h)):
        for p in stated:
            own = index.get((side, p.node))
            if own is None:
                continue
            entry = by_key.setdefault((_group_key(own), _norm(p.condition)), {"group": own})
            entry[side] = p
    out = []
    for (_, cond), entry in sorted(by_key.items(), key=lambda kv: kv[0]):
        gr = entry["group"]
        dirs: dict[str, str] = {}
        for side, signs, other in (("g", sg, "h"), ("h", sh, "g")):
            p = entry.get(side)
            if p is not None:
                dirs[side] = p.direction.value
                continue
            q = entry.get(other)
            cause_group = index.get((other, q.cause)) if q is not None and q.cause else None
            nodes = gr[0] if side == "g" else gr[1]
            if cause_group is None:
                dirs[side] = "none"
            else:
                src = cause_group[0] if side == "g" else cause_group[1]
                dirs[side] = _group_effect(signs, src, nodes)[0]
        dg, dh = dirs["g"], dirs["h"]
        if "none" in (dg, dh) or dg == dh or "?" in (dg, dh):
            continue
        first = entry.get("g") or entry.get("h")
        assert first is not None
        condition = first.condition
        decisive = {dg, dh} == {"+", "-"} or ("0" in (dg, dh))
        out.append(_Raw("stated", ("stated", *_sym_key(gr), cond), (gr,), dg, dh, None, None, condition, decisive))
    return out


# --------------------------------------------------------------------------- orienting, evidence, ranking


def _say_dir(d: str) -> str:
    return {"+": "raises", "-": "lowers", "?": "affects (direction unknown)", "0": "does not affect"}.get(d, d)


def _labels(g: nx.DiGraph, nodes: frozenset[str]) -> str:
    return " / ".join(label(g, n) for n in sorted(nodes))


def _path_evidence(g: nx.DiGraph, path: Sequence[str], whose: str) -> list[dict[str, str]]:
    """Evidence on a path's edges: it bears for ``whose`` hypothesis when it supports the edge, against when
    it contradicts it, and is neutral for a null finding."""
    from .evidence import cite, edge_evidence

    out = []
    for u, v in pairwise(path):
        for ev in edge_evidence(g, u, v):
            bearing = {"supports": "for", "contradicts": "against", "null": "null"}[ev.direction.value]
            out.append({"citation": cite(ev), "finding": ev.finding, "edge": f"{label(g, u)} → {label(g, v)}",
                        "hypothesis": whose, "bears": bearing})
    return out


def _orient(raw: _Raw, g: nx.DiGraph, h: nx.DiGraph, this_id: str, rival_id: str, catalog: Catalog, species: str,
            cache_g: dict[str, NodeMeasure], cache_h: dict[str, NodeMeasure]) -> Prediction:
    """The raw prediction as the planned hypothesis ``g`` reads it."""
    sg, sh = _Signs(g), _Signs(h)
    if raw.kind == "stated":
        (gr,) = raw.groups
        what = _labels(g, gr[0]) if gr[0] else _labels(h, gr[1])
        measurement = f"{what} ({raw.condition})"
        this = f"{what} {'rises' if raw.dir_g == '+' else 'falls' if raw.dir_g == '-' else 'does not change'}"
        rival = f"{what} {'rises' if raw.dir_h == '+' else 'falls' if raw.dir_h == '-' else 'does not change'}"
        basis = f"stated predictions under '{raw.condition}'"
        nodes_g, nodes_h = sorted(gr[0])[:1], sorted(gr[1])[:1]
        evidence: list[dict[str, str]] = []
    else:
        a, b = raw.groups
        la, lb = _labels(g, a[0]), _labels(g, b[0])
        measurement = f"{la} and {lb}"
        if raw.kind == "independence":
            assoc, indep = "associated (a connecting path is open)", "independent (d-separated)"
            this = f"{la} and {lb} are {assoc if raw.dir_g == 'dependent' else indep}"
            rival = f"{la} and {lb} are {assoc if raw.dir_h == 'dependent' else indep}"
            basis = "an implied (in)dependence that holds in one graph only (d-separation given nothing)"
        elif raw.kind == "opposite direction":
            first, second = (la, lb) if raw.dir_g != "0" else (lb, la)
            this = f"changes in {first} come first and drive {second}"
            rival = f"changes in {second} come first and drive {first}"
            basis = "opposite causal order: test by manipulating one node, or by which change comes first over time"
        else:
            # each side in its own graph's words: matched nodes may be labelled differently (e.g. NREM sleep
            # architecture here, NREM sleep fragility in the rival)
            ra, rb = ((label(h, raw.pair_h[0]), label(h, raw.pair_h[1])) if raw.pair_h
                      else (_labels(h, a[1]), _labels(h, b[1])))
            ta, tb = (label(g, raw.pair_g[0]), label(g, raw.pair_g[1])) if raw.pair_g else (la, lb)
            this, rival = f"{ta} {_say_dir(raw.dir_g)} {tb}", f"{ra} {_say_dir(raw.dir_h)} {rb}"
            basis = ""
        p_g = sg.example_path(*raw.pair_g) if raw.pair_g and sg.total(*raw.pair_g) else []
        p_h = sh.example_path(*raw.pair_h) if raw.pair_h and sh.total(*raw.pair_h) else []
        parts = []
        if p_g:
            parts.append(f"this: {arrow_path(g, p_g)}")
        if p_h:
            parts.append(f"rival: {arrow_path(h, p_h)}")
        if raw.kind in ("effect vs none", "unsigned effect vs none"):
            parts.append(f"{'the rival' if raw.dir_h == '0' else 'this hypothesis'} has no directed path")
        if parts:
            basis = "; ".join(([basis] if basis else []) + parts)
        evidence = _path_evidence(g, p_g, this_id) + _path_evidence(h, p_h, rival_id)
        nodes_g = [n for n in (raw.pair_g or ())]
        nodes_h = [n for n in (raw.pair_h or ())]
    if evidence:
        basis += "; evidence on these paths: " + "; ".join(dict.fromkeys(e["citation"] for e in evidence))
    feas_g, cost_g = _feasibility(g, nodes_g, catalog, species, cache_g) if nodes_g else ("", 1e9)
    feas_h, cost_h = _feasibility(h, nodes_h, catalog, species, cache_h) if nodes_h else ("", 1e9)
    feasibility = feas_g if cost_g <= cost_h or not feas_h else feas_h
    return Prediction(rival_id, measurement, this, rival, feasibility, basis, raw.kind, min(cost_g, cost_h),
                      raw.decisive, _dir_symbol(raw.dir_g), _dir_symbol(raw.dir_h), tuple(evidence), raw.key)


def _dir_symbol(d: str) -> str:
    """Directions as the plan JSON names them: ``+``, ``-``, ``0``, ``none`` (and ``?`` for an unsigned effect);
    a dependence is ``?`` (associated, sign unknown) and an independence ``0``."""
    return {"dependent": "?", "independent": "0"}.get(d, d)


def discriminating_predictions(g: nx.DiGraph, rival_graph: nx.DiGraph, rival_id: str, catalog: Catalog, *,
                               species: str = "human", limit: int = 15, this_id: str = "this",
                               stated_this: Sequence[Any] = (), stated_rival: Sequence[Any] = ()) -> list[Prediction]:
    """Measurements on which the two graphs (or their stated predictions) disagree: decisive first, then the
    cheapest to measure.  The same predictions, in the same order, come out whichever graph is ``g``."""
    raws = compare_graphs(g, rival_graph, stated_g=stated_this, stated_h=stated_rival, species=species)
    cache_g: dict[str, NodeMeasure] = {}
    cache_h: dict[str, NodeMeasure] = {}
    preds = [_orient(r, g, rival_graph, this_id, rival_id, catalog, species, cache_g, cache_h) for r in raws]
    # decisive first; among those, opposite signs before an effect against none; then the cheapest to measure
    preds.sort(key=lambda p: (not p.decisive, KIND_ORDER[p.kind], p.cost, p.key))
    return preds[:limit]


def compare_hypotheses(a: Hypothesis, b: Hypothesis, catalog: Catalog, *, species: str = "human",
                       limit: int = 15) -> list[Prediction]:
    """The predictions discriminating hypothesis ``a`` from ``b`` (both resolved), oriented to ``a``.

    A pure function for callers outside the plan (the registry map): ``compare_hypotheses(b, a)`` lists the
    same predictions with the two sides swapped.
    """
    from ..graph import build_graph

    return discriminating_predictions(build_graph(a), build_graph(b), b.id, catalog, species=species, limit=limit,
                                      this_id=a.id, stated_this=a.predictions, stated_rival=b.predictions)
