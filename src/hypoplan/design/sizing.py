"""Sample size of each primary comparison, from recorded effect sizes or an openly stated assumption.

The comparisons follow from the design: patients vs healthy controls on the
exposure and on focal nodes with recorded effects (two-sample t), patients vs a
disease control vs healthy controls (one-way ANOVA), a drug vs placebo
crossover (paired t), and the exposure–outcome association (correlation).
An effect size is taken from the evidence on the relevant edge (human evidence
first, the smallest when several, to stay conservative); otherwise Cohen's
(1988) conventional medium effect is assumed and the plan says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import networkx as nx

from ..schema import Evidence, Species
from .evidence import cite, label

__all__ = ["ASSUMED", "SampleSize", "effect_from_edges", "primary_comparisons", "size_comparison"]

#: Cohen's (1988) conventional "medium" effects, used only when nothing is recorded.
ASSUMED = {"two-sample": ("d", 0.5), "paired": ("dz", 0.5), "anova": ("f", 0.25), "correlation": ("r", 0.3)}
COHEN_1988 = "Cohen 1988, Statistical Power Analysis for the Behavioral Sciences (conventional medium effect)"


@dataclass(frozen=True)
class SampleSize:
    comparison: str
    design: str
    measure: str
    value: float
    source: str  # evidence | assumption
    citation: str | None
    alpha: float
    power: float
    n_per_group: int | None
    n_total: int
    note: str

    def to_json(self) -> dict[str, object]:
        return {"comparison": self.comparison, "design": self.design,
                "effect_size": {"measure": self.measure, "value": self.value, "source": self.source,
                                "citation": self.citation},
                "alpha": self.alpha, "power": self.power, "n_per_group": self.n_per_group,
                "n_total": self.n_total, "note": self.note}


def effect_from_edges(g: nx.DiGraph, edges: Iterable[tuple[str, str]], design: str
                      ) -> tuple[float, Evidence, tuple[str, str]] | None:
    """The recorded effect size for ``design`` on these edges: human evidence first, then the smallest value."""
    from .power import effect_size_from_evidence

    found: list[tuple[bool, float, Evidence, tuple[str, str]]] = []
    for u, v in edges:
        if not g.has_edge(u, v):
            continue
        for ev in g.edges[u, v].get("evidence", ()):
            if ev.effect_size is None:
                continue
            mapped = effect_size_from_evidence(ev.effect_size)
            if mapped is None or mapped[0] != design:
                continue
            found.append((ev.species is not Species.HUMAN, mapped[1], ev, (u, v)))
    if not found:
        return None
    found.sort(key=lambda f: (f[0], f[1]))
    _, value, ev, edge = found[0]
    return value, ev, edge


def size_comparison(g: nx.DiGraph, comparison: str, design: str, edges: Sequence[tuple[str, str]], *,
                    groups: int = 2, alpha: float = 0.05, power: float = 0.8, why_assumed: str | None = None
                    ) -> SampleSize:
    """Sample size of one comparison: the recorded effect on ``edges`` if there is one, else the stated assumption."""
    from .power import sample_size

    recorded = effect_from_edges(g, edges, design)
    if recorded is not None:
        value, ev, (u, v) = recorded
        measure = ASSUMED[design][0]
        source, citation = "evidence", cite(ev)
        note = (f"{measure} = {value:g} as recorded on {label(g, u)} → {label(g, v)} ({cite(ev)})")
        if ev.effect_size is not None and ev.effect_size.note:
            note += f": {ev.effect_size.note.rstrip('.')}"
        if ev.species is not None and ev.species is not Species.HUMAN:
            note += f"; from {ev.species.value} evidence, so the human effect may differ"
    else:
        measure, value = ASSUMED[design]
        source, citation = "assumption", COHEN_1988
        size = "medium"
        present = [(u, v) for u, v in edges if g.has_edge(u, v)]  # never cite an edge that does not exist
        where = why_assumed or ("no effect size recorded on " + ", ".join(f"{label(g, u)} → {label(g, v)}"
                                                                          for u, v in present) if present
                                else "no effect size recorded between " + " and ".join(
                                    (label(g, edges[0][0]), label(g, edges[0][1]))) + " (no edge joins them)"
                                if edges else "no edge carries a recorded effect size")
        note = f"assumed {measure} = {value:g} ({size}; {where})"
    result = sample_size(design, value, alpha=alpha, power=power, groups=groups)
    note += ". " + result.sentence()
    return SampleSize(comparison, design, measure, value, source, citation, alpha, power, result.n_per_group,
                      result.n_total, note)


def primary_comparisons(g: nx.DiGraph, *, exposure: Sequence[str], outcome: Sequence[str],
                        condition_nodes: Sequence[str], focal: Sequence[str], crossover_edges: Sequence[tuple[str, str]],
                        disease_groups: int, population: str) -> list[SampleSize]:
    """The primary comparisons of the proposed design, each sized."""
    out: list[SampleSize] = []
    exposure = [x for x in exposure if x in g]
    outcome = [y for y in outcome if y in g]
    if condition_nodes:
        group = population
        targets = list(exposure) + [n for n in focal if n not in exposure]
        for t in targets:
            edges = [(c, t) for c in condition_nodes if g.has_edge(c, t)]
            if t not in exposure and effect_from_edges(g, edges, "two-sample") is None:
                continue
            out.append(size_comparison(g, f"{group} vs healthy controls on {label(g, t)}", "two-sample", edges))
        if disease_groups and exposure:
            k = 3
            edges = [(c, x) for c in condition_nodes for x in exposure if g.has_edge(c, x)]
            out.append(size_comparison(
                g, f"{group} vs one disease-control group vs healthy controls on {label(g, exposure[0])}", "anova",
                edges, groups=k, why_assumed="no f recorded for a three-group comparison"))
    for d, t in crossover_edges:
        out.append(size_comparison(g, f"{label(g, d)} vs placebo crossover on {label(g, t)}", "paired", [(d, t)]))
    for x in exposure:
        for y in outcome:
            why = None
            if not nx.has_path(g, x, y):  # never cite an edge that does not exist
                why = (f"the graph claims {label(g, x)} has no effect on {label(g, y)}: no directed path leads from "
                       "one to the other, so no effect size can be recorded for it; the study must detect this size "
                       "to refute the claim")
            elif effect_from_edges(g, [(x, y)], "correlation") is None:
                on = (nx.descendants(g, x) | {x}) & (nx.ancestors(g, y) | {y})
                link = effect_from_edges(g, [(u, v) for u, v in g.edges if u in on and v in on], "correlation")
                if link is not None:
                    value, ev, (u, v) = link
                    why = (f"no r recorded between {label(g, x)} and {label(g, y)}; r = {value:g} is recorded on one "
                           f"link of the chain ({label(g, u)} → {label(g, v)}, {cite(ev)}) and is not used for the "
                           "whole chain")
            out.append(size_comparison(g, f"association of {label(g, x)} with {label(g, y)}", "correlation",
                                       [(x, y)], why_assumed=why))
    if not out and not exposure:
        return []
    return out
