"""Where the registry's files disagree with each other.

Four kinds, each a small function over the merged graph:

- ``opposite-sign``: one link (by construct) drawn ``positive`` in one file and ``negative`` in another;
- ``supported-and-contradicted``: a link one file supports with evidence while another file records
  contradicting evidence on it that the first file does not cite;
- ``citation-both-ways``: one citation recorded as supporting a link in one place and as contradicting
  the same link in another (a paper may support one link and contradict another; that is no conflict);
- ``one-sided-rival``: a hypothesis names a rival that does not name it back (rivalry is mutual), and
  ``rival-not-found`` when the rival is not in the registry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..schema import Direction, Evidence
from .merge import Claim, Link, MergedGraph
from .model import Entry, normalise_citation

__all__ = [
    "Conflict",
    "citation_conflicts",
    "conflicts_by_hypothesis",
    "evidence_conflicts",
    "find_conflicts",
    "rival_conflicts",
    "sign_conflicts",
]


@dataclass(frozen=True)
class Conflict:
    kind: str
    message: str
    hypotheses: tuple[str, ...]
    link: tuple[str, str, str] | None = None
    citation: str | None = None
    places: tuple[tuple[str, int], ...] = ()   # (hypothesis, edge index) of the edges involved

    def to_json(self) -> dict[str, object]:
        return {"kind": self.kind, "message": self.message, "hypotheses": list(self.hypotheses),
                "link": ({"source": self.link[0], "target": self.link[1], "type": self.link[2]}
                         if self.link else None),
                "citation": self.citation,
                "edges": [{"hypothesis": h, "index": i} for h, i in self.places]}


def _arrow(graph: MergedGraph, link: Link) -> str:
    a, b = graph.nodes[link.source].label, graph.nodes[link.target].label
    return f"{a} <-> {b}" if link.type == "confounded" else f"{a} -> {b}"


def _edge(c: Claim) -> str:
    return f"{c.hypothesis} ({c.edge.source} -> {c.edge.target})"


def sign_conflicts(graph: MergedGraph) -> list[Conflict]:
    """The same link claimed with opposite signs (``positive`` against ``negative``) in two files."""
    out = []
    for link in graph.links.values():
        pos = [c for c in link.claims if c.sign == "positive"]
        neg = [c for c in link.claims if c.sign == "negative"]
        if pos and neg and len({c.hypothesis for c in pos + neg}) >= 2:
            out.append(Conflict(
                "opposite-sign",
                f"{_arrow(graph, link)} raises it in {_names(pos)} but lowers it in {_names(neg)}",
                tuple(sorted({c.hypothesis for c in pos + neg})), link.key,
                places=tuple((c.hypothesis, c.index) for c in pos + neg)))
    return out


def _keys(ev: Evidence) -> set[str]:
    """What identifies a piece of evidence's source: its normalised citation and its reference, as given."""
    return ({normalise_citation(ev.citation)} if ev.citation else set()) | ({ev.reference.strip()} if ev.reference else set())


def _cited(claim: Claim) -> set[str]:
    return set().union(*(_keys(ev) for ev in claim.edge.evidence))


def _names(claims: Sequence[Claim], limit: int = 5) -> str:
    shown = ", ".join(_edge(c) for c in claims[:limit])
    return shown + (f" and {len(claims) - limit} more" if len(claims) > limit else "")


def evidence_conflicts(graph: MergedGraph) -> list[Conflict]:
    """A link supported by evidence in one file and contradicted by evidence recorded in another file
    that the supporting file does not cite: one conflict per contradicting claim, naming every such
    supporting file (so a link drawn by many files gives a linear, not quadratic, number of conflicts)."""
    out = []
    for link in graph.links.values():
        pros = [(c, _cited(c)) for c in link.claims if any(ev.direction is Direction.SUPPORTS for ev in c.edge.evidence)]
        if not pros:
            continue
        for con in link.claims:
            against = [ev for ev in con.edge.evidence if ev.direction is Direction.CONTRADICTS]
            if not against:
                continue
            keys = [_keys(ev) for ev in against]
            unaware = [pro for pro, known in pros
                       if pro.hypothesis != con.hypothesis and any(not (k & known) for k in keys)]
            if unaware:
                who = "; ".join(ev.reference or ev.citation or "uncited" for ev in against)
                out.append(Conflict(
                    "supported-and-contradicted",
                    f"{_arrow(graph, link)} is supported in {_names(unaware)} but {_edge(con)} records "
                    f"contradicting evidence not cited there: {who}",
                    tuple(sorted({c.hypothesis for c in (*unaware, con)})), link.key,
                    places=tuple((c.hypothesis, c.index) for c in (*unaware, con))))
    return out


def citation_conflicts(graph: MergedGraph) -> list[Conflict]:
    """One citation recorded as supporting a link in one place and as contradicting the same link in another."""
    out = []
    for link in graph.links.values():
        uses: dict[str, dict[str, list[Claim]]] = {}
        for c in link.claims:
            for ev in c.edge.evidence:
                if ev.citation and ev.direction in (Direction.SUPPORTS, Direction.CONTRADICTS):
                    uses.setdefault(normalise_citation(ev.citation), {}).setdefault(ev.direction.value, []).append(c)
        for citation, by_dir in sorted(uses.items()):
            if "supports" in by_dir and "contradicts" in by_dir:
                pro, con = by_dir["supports"], by_dir["contradicts"]
                out.append(Conflict(
                    "citation-both-ways",
                    f"{citation} supports {_arrow(graph, link)} in {_names(pro)} but contradicts it in {_names(con)}",
                    tuple(sorted({c.hypothesis for c in pro + con})), link.key, citation,
                    tuple(sorted({(c.hypothesis, c.index) for c in pro + con}))))
    return out


def rival_conflicts(entries: Sequence[Entry]) -> list[Conflict]:
    """Rivals that do not name each other back, and rivals missing from the registry."""
    by_id = {e.id: e for e in entries}
    out = []
    for e in entries:
        for rid in e.hypothesis.rivals:
            other = by_id.get(rid)
            if other is None:
                out.append(Conflict("rival-not-found", f"{e.id} names the rival '{rid}', which is not in the registry",
                                    (e.id,)))
            elif e.id not in other.hypothesis.rivals:
                out.append(Conflict("one-sided-rival", f"{e.id} names {rid} as its rival, but {rid} does not name "
                                    f"{e.id} back", (e.id, rid)))
    return out


def conflicts_by_hypothesis(conflicts: Sequence[Conflict]) -> dict[str, list[Conflict]]:
    """The conflicts naming each hypothesis id (for lint rules that look across files)."""
    out: dict[str, list[Conflict]] = {}
    for c in conflicts:
        for hid in c.hypotheses:
            out.setdefault(hid, []).append(c)
    return out


def find_conflicts(graph: MergedGraph) -> list[Conflict]:
    """Every conflict of the registry, by kind then message."""
    return (sign_conflicts(graph) + evidence_conflicts(graph) + citation_conflicts(graph)
            + rival_conflicts(graph.entries))
