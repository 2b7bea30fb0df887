"""Small helpers over the evidence and signs stored on graph edges, shared by the design rules."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import pairwise

import networkx as nx

from ..graph import node_label
from ..schema import Direction, Evidence

__all__ = ["arrow_path", "cite", "combine_signs", "edge_evidence", "label", "path_references", "path_sign"]


def cite(ev: Evidence) -> str:
    """A short citation for a piece of evidence: reference, citation and species."""
    parts = [p for p in (ev.reference, ev.citation) if p]
    text = " ".join(parts) if parts else f"uncited {ev.design.value} finding"
    if ev.species is not None:
        text += f" ({ev.species.value})"
    return text


def edge_evidence(g: nx.DiGraph, u: str, v: str) -> tuple[Evidence, ...]:
    return tuple(g.edges[u, v].get("evidence", ())) if g.has_edge(u, v) else ()


def path_references(g: nx.DiGraph, path: Sequence[str], *, direction: Direction | None = None) -> list[str]:
    """Citations of the evidence along a path (optionally only evidence with one direction), without repeats."""
    out: list[str] = []
    for u, v in pairwise(path):
        for ev in edge_evidence(g, u, v):
            if direction is None or ev.direction is direction:
                text = cite(ev)
                if text not in out:
                    out.append(text)
    return out


def combine_signs(signs: Iterable[str]) -> str:
    """Sign of a chain of effects: the product of the signs; any unknown link makes it unknown,
    otherwise any mixed link makes it mixed."""
    signs = list(signs)
    if "unknown" in signs:
        return "unknown"
    if "mixed" in signs:
        return "mixed"
    return "negative" if signs.count("negative") % 2 else "positive"


def path_sign(g: nx.DiGraph, path: Sequence[str]) -> str:
    """Sign of a directed path from the signs on its edges."""
    return combine_signs(g.edges[u, v].get("sign", "unknown") for u, v in pairwise(path))


def label(g: nx.DiGraph, node: str) -> str:
    """The node's label (:func:`hypoplan.graph.node_label`)."""
    return node_label(g, node)


def arrow_path(g: nx.DiGraph, path: Sequence[str]) -> str:
    return " → ".join(label(g, n) for n in path)


def comparator(g: nx.DiGraph, node: str) -> str:
    """What a manipulation is compared with: placebo for a drug; for any other intervention a control
    condition (a sham where one exists), since a diet or a procedure often has no placebo."""
    return "placebo" if g.nodes[node].get("kind") == "drug" else "a sham or control condition"


def blinding(g: nx.DiGraph, node: str, species: str = "human") -> str:
    """Who can be blinded: participants and assessors for a drug against placebo; for any other intervention
    at least the outcome assessors, participants only where a sham exists."""
    if species != "human":
        return "experimenters and outcome assessors blinded to allocation"
    if g.nodes[node].get("kind") == "drug":
        return "double-blind"
    return "outcome assessors blinded, participants too where a sham exists"
