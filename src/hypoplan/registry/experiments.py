"""Experiments ranked by what they settle: how many rival pairs a study measuring some constructs would discriminate.

For every rival pair the rival engine (:mod:`hypoplan.design.rivals`) lists the
measurements on which the two graphs predict different things.  Each such
measurement needs a catalog method for each of its nodes; the set of methods is
an *experiment*.  An experiment settles a pair when one of the pair's
discriminating predictions needs only methods in it (a study measuring more
settles everything a smaller one does).  Ranked by the number of pairs settled,
then by the pairs settled decisively (opposite signs or causal order, not only
an implied (in)dependence), then by the least invasiveness, cost and burden
(catalog bands; Hauglund 2025 and the domain brief give them per method).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING

from ..design.evidence import label
from ..graph import build_graph
from .model import Entry

if TYPE_CHECKING:
    import networkx as nx

    from ..design.catalog import Catalog, Method

__all__ = [
    "DECISIVE",
    "DISCRIMINATING",
    "Experiment",
    "PairPrediction",
    "pair_predictions",
    "rank_experiments",
    "rival_pairs",
]

#: Prediction kinds that discriminate two graphs (opposite signs or order, or a (de)pendence in one only).
DISCRIMINATING = ("opposite sign", "opposite direction", "independence")
#: The kinds that settle a pair outright.
DECISIVE = ("opposite sign", "opposite direction")


@dataclass(frozen=True)
class PairPrediction:
    """One discriminating prediction of a rival pair, on nodes of ``graph_of`` (a hypothesis id)."""

    pair: tuple[str, str]
    graph_of: str
    nodes: tuple[str, ...]
    kind: str
    this_predicts: str
    rival_predicts: str


def rival_pairs(entries: Sequence[Entry]) -> list[tuple[str, str]]:
    """Unordered pairs of hypotheses in the registry where at least one names the other in ``rivals``."""
    ids = {e.id for e in entries}
    pairs = {tuple(sorted((e.id, r))) for e in entries for r in e.hypothesis.rivals if r in ids and r != e.id}
    return sorted(pairs)  # type: ignore[arg-type]


def pair_predictions(g: nx.DiGraph, rival: nx.DiGraph, rival_id: str, catalog: Catalog, species: str,
                     ) -> list[tuple[tuple[str, ...], str, str, str]]:
    """The rival engine's discriminating predictions as (nodes of ``g``, kind, this predicts, rival predicts).

    The one place the registry calls the rival engine (swap it here when the engine changes): the current
    engine names the measurement by labels, so the nodes are found back from them.
    """
    from ..design.rivals import discriminating_predictions

    found = discriminating_predictions(g, rival, rival_id, catalog, species=species, limit=10**6)
    names: dict[str, tuple[str, ...]] = {}
    for a, b in combinations(sorted(g.nodes), 2):
        names.setdefault(f"{label(g, a)} and {label(g, b)}", (a, b))
        names.setdefault(f"{label(g, b)} and {label(g, a)}", (b, a))
    out = []
    for p in found:
        if p.kind in DISCRIMINATING and p.measurement in names:
            out.append((names[p.measurement], p.kind, p.this_predicts, p.rival_predicts))
    return out


@dataclass(frozen=True)
class Experiment:
    methods: tuple[Method, ...]
    measures: tuple[str, ...]                 # what is measured (node labels)
    settles: tuple[PairPrediction, ...]       # one prediction per pair settled, decisive first

    @property
    def pairs(self) -> tuple[tuple[str, str], ...]:
        return tuple(p.pair for p in self.settles)

    @property
    def decisive(self) -> int:
        return sum(1 for p in self.settles if p.kind in DECISIVE)

    def sort_key(self) -> tuple[object, ...]:
        inv = max(m.invasiveness.rank for m in self.methods)
        return (-len(self.settles), -self.decisive, inv, sum(m.cost_band.rank for m in self.methods),
                sum(m.burden.rank for m in self.methods), len(self.methods), tuple(m.id for m in self.methods))

    def to_json(self) -> dict[str, object]:
        return {
            "methods": [{"id": m.id, "name": m.name, "constructs": list(m.constructs),
                         "invasiveness": m.invasiveness.value, "cost": m.cost_band.value, "burden": m.burden.value}
                        for m in self.methods],
            "measures": list(self.measures),
            "discriminates": len(self.settles),
            "decisive": self.decisive,
            "pairs": [{"hypotheses": list(p.pair), "kind": p.kind, "prediction": p.this_predicts,
                       "rival_prediction": p.rival_predicts, "as_seen_from": p.graph_of} for p in self.settles],
        }


def _species(entry: Entry) -> str:
    peco = entry.resolved.peco
    return peco.species.value if peco is not None else "human"


def rank_experiments(entries: Sequence[Entry], catalog: Catalog, *, limit: int | None = None) -> list[Experiment]:
    """Experiments (sets of catalog methods) ranked by the rival pairs they settle (see the module docstring)."""
    from ..design.measures import measure_node

    by_id = {e.id: e for e in entries}
    graphs: dict[str, nx.DiGraph] = {}

    def graph(hid: str) -> nx.DiGraph:
        if hid not in graphs:
            graphs[hid] = build_graph(by_id[hid].resolved)
        return graphs[hid]

    method_cache: dict[tuple[str, str], Method | None] = {}

    def method(hid: str, node: str) -> Method | None:
        if (hid, node) not in method_cache:
            g = graph(hid)
            method_cache[(hid, node)] = measure_node(g, node, catalog, species=_species(by_id[hid])).method
        return method_cache[(hid, node)]

    candidates: dict[frozenset[str], tuple[tuple[Method, ...], tuple[str, ...]]] = {}
    per_pair: dict[tuple[str, str], list[tuple[frozenset[str], PairPrediction]]] = {}
    for pair in rival_pairs(entries):
        for this, other in (pair, pair[::-1]):
            g = graph(this)
            for nodes, kind, said, rival_said in pair_predictions(g, graph(other), other, catalog, _species(by_id[this])):
                methods = [method(this, n) for n in nodes]
                if any(m is None for m in methods):
                    continue  # a measurement the catalog cannot make is no experiment
                ms = tuple(sorted({m.id: m for m in methods if m is not None}.values(), key=lambda m: m.id))
                key = frozenset(m.id for m in ms)
                labels = tuple(sorted({label(g, n) for n in nodes}))
                old = candidates.get(key)
                candidates[key] = (ms, tuple(sorted(set(labels) | set(old[1] if old else ()))))
                per_pair.setdefault(pair, []).append((key, PairPrediction(pair, this, nodes, kind, said, rival_said)))
    experiments = []
    for key, (ms, measures) in candidates.items():
        settles = []
        for _pair, preds in sorted(per_pair.items()):
            usable = [p for k, p in preds if k <= key]
            if usable:
                settles.append(min(usable, key=lambda p: (DISCRIMINATING.index(p.kind), p.graph_of)))
        experiments.append(Experiment(ms, measures, tuple(settles)))
    experiments.sort(key=Experiment.sort_key)
    return experiments[:limit] if limit is not None else experiments
