"""Experiments ranked by what they settle: how many rival pairs a study measuring some constructs would discriminate.

For every rival pair the rival engine (:mod:`hypoplan.design.rivals`) lists the
measurements on which the two graphs predict different things.  Each such
measurement needs a catalog method for each of its nodes; the set of methods is
an *experiment*.  An experiment settles a pair when one of the pair's
discriminating predictions needs only methods in it (a study measuring more
settles everything a smaller one does).  Ranked by the number of pairs settled,
then by the pairs settled decisively (as the rival engine judges it: opposite
signs or causal order, or an effect against none, not only an implied
(in)dependence), then by the strength of the predictions (opposite signs, which
either result contradicts, before an effect against none, which only an
intervention settles), then by the least invasiveness, cost and burden (the
catalog's bands per method; its cost bands are unsourced estimates).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..design.evidence import label
from ..design.rivals import KIND_ORDER
from ..graph import build_graph
from .model import Entry

if TYPE_CHECKING:
    import networkx as nx

    from ..design.catalog import Catalog, Method

__all__ = [
    "Experiment",
    "PairPrediction",
    "pair_predictions",
    "rank_experiments",
    "rival_pairs",
]


@dataclass(frozen=True)
class PairPrediction:
    """One discriminating prediction of a rival pair, on nodes of ``graph_of`` (a hypothesis id)."""

    pair: tuple[str, str]
    graph_of: str
    nodes: tuple[str, ...]
    kind: str
    this_predicts: str
    rival_predicts: str
    decisive: bool = False


def rival_pairs(entries: Sequence[Entry]) -> list[tuple[str, str]]:
    """Unordered pairs of hypotheses in the registry where at least one names the other in ``rivals``."""
    ids = {e.id for e in entries}
    pairs = {tuple(sorted((e.id, r))) for e in entries for r in e.hypothesis.rivals if r in ids and r != e.id}
    return sorted(pairs)  # type: ignore[arg-type]


def pair_predictions(g: nx.DiGraph, rival: nx.DiGraph, rival_id: str, catalog: Catalog, species: str, *,
                     stated_this: Sequence[Any] = (), stated_rival: Sequence[Any] = (),
                     ) -> list[tuple[tuple[str, ...], str, str, str, bool]]:
    """The rival engine's discriminating predictions as (nodes of ``g`` to measure, kind, this predicts,
    rival predicts, decisive).

    The one place the registry calls the rival engine (:mod:`hypoplan.design.rivals`, the construct-group
    engine): each prediction names its groups of matched nodes and whether it is decisive.
    """
    from ..design.rivals import compare_graphs, discriminating_predictions

    preds = discriminating_predictions(g, rival, rival_id, catalog, species=species, limit=10**6,
                                       stated_this=stated_this, stated_rival=stated_rival)
    said = {p.key: (p.this_predicts, p.rival_predicts) for p in preds}
    out: list[tuple[tuple[str, ...], str, str, str, bool]] = []
    for raw in compare_graphs(g, rival, stated_g=stated_this, stated_h=stated_rival):
        nodes = tuple(raw.pair_g) if raw.pair_g else tuple(min(gr[0]) for gr in raw.groups if gr[0])
        if not nodes or raw.key not in said:
            continue  # nothing of this graph to measure (a stated prediction about the rival's node only)
        out.append((nodes, raw.kind, *said[raw.key], bool(raw.decisive)))
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
        return sum(1 for p in self.settles if p.decisive)

    def sort_key(self) -> tuple[object, ...]:
        inv = max(m.invasiveness.rank for m in self.methods)
        strength = tuple(sorted(KIND_ORDER.get(p.kind, 9) for p in self.settles))
        return (-len(self.settles), -self.decisive, strength, inv, sum(m.cost_band.rank for m in self.methods),
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
            found = pair_predictions(g, graph(other), other, catalog, _species(by_id[this]),
                                     stated_this=by_id[this].resolved.predictions,
                                     stated_rival=by_id[other].resolved.predictions)
            for nodes, kind, said, rival_said, decisive in found:
                methods = [method(this, n) for n in nodes]
                if any(m is None for m in methods):
                    continue  # a measurement the catalog cannot make is no experiment
                ms = tuple(sorted({m.id: m for m in methods if m is not None}.values(), key=lambda m: m.id))
                key = frozenset(m.id for m in ms)
                labels = tuple(sorted({label(g, n) for n in nodes}))
                old = candidates.get(key)
                candidates[key] = (ms, tuple(sorted(set(labels) | set(old[1] if old else ()))))
                per_pair.setdefault(pair, []).append(
                    (key, PairPrediction(pair, this, nodes, kind, said, rival_said, decisive)))
    experiments = []
    for key, (ms, measures) in candidates.items():
        settles = []
        for _pair, preds in sorted(per_pair.items()):
            usable = [p for k, p in preds if k <= key]
            if usable:
                settles.append(min(usable, key=lambda p: (not p.decisive, KIND_ORDER.get(p.kind, 9), p.graph_of)))
        experiments.append(Experiment(ms, measures, tuple(settles)))
    experiments.sort(key=Experiment.sort_key)
    return experiments[:limit] if limit is not None else experiments
