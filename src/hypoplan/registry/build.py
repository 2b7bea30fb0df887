"""The whole map of a registry in one frozen object, and its JSON (``hypoplan map --format json``).

JSON keys (pinned by ``tests/test_registry.py``): ``files`` (hypothesis id → file),
``summary`` (counts), ``nodes``, ``shared_links``, ``conflicts``, ``citations``,
``experiments``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .citations import CitationEntry, EvidenceSummary, citation_index, evidence_summary
from .conflicts import Conflict, find_conflicts
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

    def contested_links(self, hypothesis_id: str) -> int:
        """How many of a file's own edges are in a conflict."""
        return len({i for c in self.conflicts for h, i in c.places if h == hypothesis_id})

    def to_json(self) -> dict[str, object]:
        shared_nodes = [n for n in self.graph.nodes.values() if len(n.declared_in) >= 2]
        return {
            "files": {e.id: e.display for e in self.entries},
            "summary": {"hypotheses": len(self.entries), "nodes": len(self.graph.nodes),
                        "shared_nodes": len(shared_nodes), "links": len(self.graph.links),
                        "shared_links": len(self.shared_links), "conflicts": len(self.conflicts),
                        "rival_pairs": len(self.rival_pairs), "citations": len(self.citations),
                        **{f"evidence_{k}": v for k, v in self.evidence.to_json().items() if k != "links"}},
            "nodes": [n.to_json() for n in self.graph.nodes.values()],
            "shared_links": [link.to_json() for link in self.shared_links],
            "conflicts": [c.to_json() for c in self.conflicts],
            "citations": [c.to_json() for c in self.citations],
            "experiments": [{"rank": i + 1, **x.to_json()} for i, x in enumerate(self.experiments)],
        }


def build_map(entries: Sequence[Entry], catalog: Catalog, *, experiments: int | None = 50) -> RegistryMap:
    """Merge, compare and rank a registry (pure: the entries are already loaded)."""
    graph = merge_entries(entries)
    return RegistryMap(
        tuple(entries), graph, tuple(graph.shared_links), tuple(find_conflicts(graph)),
        tuple(citation_index(graph)), evidence_summary(graph),
        tuple(rank_experiments(entries, catalog, limit=experiments)), tuple(rival_pairs(entries)))
