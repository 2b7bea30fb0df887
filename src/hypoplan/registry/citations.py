"""The evidence index: for every citation, which files and links use it, in which direction, species and design.

Also counts the links whose evidence is all from animals (species mouse, rat,
primate or other-animal) and those resting only on secondary sources (designs
``review`` and ``meta-analysis``: research about research, not a new observation;
or items whose ``source`` is secondary, lay or press: an account of a study, not the study).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..schema import Design, Evidence, Source
from .merge import MergedGraph
from .model import normalise_citation

__all__ = ["SECONDARY", "CitationEntry", "CitationUse", "EvidenceSummary", "citation_index", "evidence_summary"]

#: Designs that report on other studies rather than observing anything new.
SECONDARY = frozenset({Design.REVIEW, Design.META_ANALYSIS})


@dataclass(frozen=True)
class CitationUse:
    hypothesis: str
    file: str
    link: tuple[str, str, str]
    edge: tuple[str, str]
    direction: str
    species: str | None
    design: str

    def to_json(self) -> dict[str, object]:
        return {"hypothesis": self.hypothesis, "file": self.file,
                "link": {"source": self.link[0], "target": self.link[1], "type": self.link[2]},
                "edge": list(self.edge), "direction": self.direction, "species": self.species, "design": self.design}


@dataclass(frozen=True)
class CitationEntry:
    citation: str
    references: tuple[str, ...]
    uses: tuple[CitationUse, ...]

    @property
    def hypotheses(self) -> tuple[str, ...]:
        return tuple(sorted({u.hypothesis for u in self.uses}))

    def to_json(self) -> dict[str, object]:
        return {"citation": self.citation, "references": list(self.references), "hypotheses": list(self.hypotheses),
                "uses": [u.to_json() for u in self.uses]}


@dataclass(frozen=True)
class EvidenceSummary:
    links: int
    links_with_evidence: int
    animal_only: int
    secondary_only: int
    uncited_evidence: int

    def to_json(self) -> dict[str, int]:
        return {"links": self.links, "links_with_evidence": self.links_with_evidence,
                "animal_only": self.animal_only, "secondary_only": self.secondary_only,
                "uncited_evidence": self.uncited_evidence}


def is_secondhand(ev: Evidence) -> bool:
    """Research about research (a review, a meta-analysis) or an account of a study (secondary, lay, press)."""
    return ev.design in SECONDARY or ev.source_type is not Source.PRIMARY


def citation_index(graph: MergedGraph) -> list[CitationEntry]:
    """Every cited work (one spelling per work, see :func:`normalise_citation`), most used first."""
    uses: dict[str, list[CitationUse]] = {}
    refs: dict[str, set[str]] = {}
    for link in graph.links.values():
        for c in link.claims:
            for ev in c.edge.evidence:
                if not ev.citation:
                    continue
                key = normalise_citation(ev.citation)
                uses.setdefault(key, []).append(CitationUse(
                    c.hypothesis, c.file, link.key, (c.edge.source, c.edge.target), ev.direction.value,
                    ev.species.value if ev.species else None, ev.design.value))
                if ev.reference:
                    refs.setdefault(key, set()).add(ev.reference.strip())
    entries = [CitationEntry(k, tuple(sorted(refs.get(k, ()))), tuple(v)) for k, v in uses.items()]
    return sorted(entries, key=lambda e: (-len(e.hypotheses), -len(e.uses), e.citation))


def evidence_summary(graph: MergedGraph) -> EvidenceSummary:
    """How many merged links have evidence, and how many rest on animal-only or secondary-only evidence."""
    with_ev = animal = secondary = uncited = 0
    for link in graph.links.values():
        evidence = [ev for c in link.claims for ev in c.edge.evidence]
        uncited += sum(1 for ev in evidence if not ev.citation)
        if not evidence:
            continue
        with_ev += 1
        species = [ev.species for ev in evidence if ev.species is not None]
        if species and len(species) == len(evidence) and all(s.is_animal for s in species):
            animal += 1
        if all(is_secondhand(ev) for ev in evidence):
            secondary += 1
    return EvidenceSummary(len(graph.links), with_ev, animal, secondary, uncited)
