"""The whole map of a registry in one frozen object, and its JSON (``hypoplan map --format json``).

JSON keys (pinned by ``tests/test_registry.py``): ``files`` (hypothesis id → file),
``summary`` (counts), ``nodes``, ``shared_links``, ``conflicts``, ``citations``,
``experiments``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Literal

from .citations import CitationEntry, EvidenceSummary, citation_index, evidence_summary
from .conflicts import Conflict, conflicts_by_hypothesis, find_conflicts
from .experiments import Experiment, rank_experiments, rival_pairs
from .merge import Link, MergedGraph, merge_entries
from .model import Entry

if TYPE_CHECKING:
    from ..design.catalog import Catalog

__all__ = ["JSON_KEYS", "RegistryMap", "build_map"]

JSON_KEYS = ("files", "summary", "nodes", "shared_links", "conflicts", "citations", "experiments")


@dataclass(frozen=True)
class RegistryMap:
    entries: tuple[Entry, ...]
    graph: MergedGraph
    shared_links: tuple[Link, ...]
    conflicts: tuple[Conflict, ...]
    citations: tuple[CitationEntry, ...]
    evidence: EvidenceSummary
    experiments: tuple[Experiment, ...]
    rival_pairs: tuple[tuple[str, str], ...]

    @cached_property
    def _by_hypothesis(self) -> dict[str, list[Conflict]]:
        return conflicts_by_hypothesis(self.conflicts)

    def conflicts_of(self, hypothesis_id: str) -> list[Conflict]:
        """The conflicts naming a hypothesis, in map order (indexed once, not searched per hypothesis)."""
        return self._by_hypothesis.get(hypothesis_id, [])

    @cached_property
    def _children(self) -> dict[str, list[str]]:
        return _named_by(self.entries, "extends")

    @cached_property
    def _named_as_rival(self) -> dict[str, list[str]]:
        return _named_by(self.entries, "rivals")

    def extended_by(self, hypothesis_id: str) -> list[str]:
        """The hypotheses that extend this one, in map order (indexed once for the whole map)."""
        return list(self._children.get(hypothesis_id, []))

    def rivalled_by(self, hypothesis_id: str) -> list[str]:
        """The hypotheses that name this one among their ``rivals``, in map order."""
        return list(self._named_as_rival.get(hypothesis_id, []))

    def conflicted_edges(self, hypothesis_id: str) -> set[int]:
        """The indices of a file's own edges that take part in a conflict."""
        return {i for c in self.conflicts_of(hypothesis_id) for h, i in c.places if h == hypothesis_id}

    def summary(self) -> dict[str, int]:
        """The counts (the JSON's ``summary``), without building the rest of the JSON."""
        shared_nodes = sum(1 for n in self.graph.nodes.values() if len(n.declared_in) >= 2)
        return {"hypotheses": len(self.entries), "nodes": len(self.graph.nodes),
                "shared_nodes": shared_nodes, "links": len(self.graph.links),
                "shared_links": len(self.shared_links), "conflicts": len(self.conflicts),
                "rival_pairs": len(self.rival_pairs), "citations": len(self.citations),
                **{f"evidence_{k}": v for k, v in self.evidence.to_json().items() if k != "links"}}

    def to_json(self) -> dict[str, object]:
        return {
            "files": {e.id: e.display for e in self.entries},
            "summary": self.summary(),
            "nodes": [n.to_json() for n in self.graph.nodes.values()],
            "shared_links": [link.to_json() for link in self.shared_links],
            "conflicts": [c.to_json() for c in self.conflicts],
            "citations": [c.to_json() for c in self.citations],
            "experiments": [{"rank": i + 1, **x.to_json()} for i, x in enumerate(self.experiments)],
        }


def _named_by(entries: Sequence[Entry], field: Literal["extends", "rivals"]) -> dict[str, list[str]]:
    """Hypothesis id → the entries whose ``field`` (``extends`` or ``rivals``) names it, in map order."""
    out: dict[str, list[str]] = {}
    for e in entries:
        for hid in dict.fromkeys(getattr(e.hypothesis, field)):
            out.setdefault(hid, []).append(e.id)
    return out


def build_map(entries: Sequence[Entry], catalog: Catalog, *, experiments: int | None = 50) -> RegistryMap:
    """Merge, compare and rank a registry (pure: the entries are already loaded)."""
    graph = merge_entries(entries)
    return RegistryMap(
        tuple(entries), graph, tuple(graph.shared_links), tuple(find_conflicts(graph)),
        tuple(citation_index(graph)), evidence_summary(graph),
        tuple(rank_experiments(entries, catalog, limit=experiments)), tuple(rival_pairs(entries)))
