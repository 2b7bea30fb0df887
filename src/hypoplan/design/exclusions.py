"""Exclusion criteria and washouts: drugs that act on what the study measures.

A drug becomes an exclusion or a washout when the catalog says it acts on a
construct of a measured node or disturbs a chosen method (NET inhibitors lower
CSF DHPG by ~51% and plasma DHPG by ~38%, Kielbasa 2015; hypnotics raise
sigma power, Zhang 2020; some beta-blockers interfere with catecholamine
assays, LHSC guide), or when the graph itself has a drug node acting on a
measured node.  Washout durations are never invented.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import networkx as nx

from .catalog import Catalog, Drug
from .evidence import label, path_references
from .measures import NodeMeasure

__all__ = [
    "DEFAULT_WASHOUT",
    "Exclusion",
    "drug_exclusions",
    "drugs_to_record",
    "graph_drug_exclusions",
    "matching_catalog_drug",
]

#: Said whenever the sources give no washout duration.
DEFAULT_WASHOUT = "washout duration to be set by the study physician"



@dataclass(frozen=True)
class Exclusion:
    criterion: str
    kind: str  # exclusion | washout
    reason: str
    references: tuple[str, ...] = ()
    drug: str | None = None  # the catalog drug id behind it, if any

    def to_json(self) -> dict[str, object]:
        return {"criterion": self.criterion, "kind": self.kind, "reason": self.reason,
                "references": list(self.references)}


def _measured(measures: Iterable[NodeMeasure]) -> list[NodeMeasure]:
    return [m for m in measures if m.measured and (m.method is not None or m.explicit)]


def _hits(drug: Drug, g: nx.DiGraph, catalog: Catalog, measured: Sequence[NodeMeasure]) -> list[str]:
    """Why a drug matters: the measured nodes whose constructs it acts on, or whose method it disturbs."""
    hits = []
    for m in measured:
        constructs = [c for c in g.nodes[m.node].get("constructs", ())
                      if (con := catalog.construct(c)) is None or con.category != "drug"]
        on = [c for c in constructs if c in drug.acts_on]
        by_method = m.method is not None and m.method.id in drug.methods
        if on or by_method:
            what = f"{m.label}"
            if m.method is not None:
                what += f" (measured by {m.method.name})"
            hits.append(what)
    return hits


def _drug_name(drug: Drug) -> str:
    extra = [e for e in drug.examples if e.lower() not in drug.name.lower()]
    return drug.name + (f" ({', '.join(extra)})" if extra else "")


def drug_exclusions(g: nx.DiGraph, catalog: Catalog, measures: Sequence[NodeMeasure],
                    manipulated: Iterable[str] = ()) -> list[Exclusion]:
    """Catalog drugs acting on a measured node or on its method become exclusions or washouts.

    ``manipulated``: catalog drug ids given as a study drug in a crossover; their
    habitual use is washed out rather than excluded.
    """
    measured = _measured(measures)
    manipulated = set(manipulated)
    out = []
    for drug in catalog.drugs:
        if drug.action == "record":
            continue
        hits = _hits(drug, g, catalog, measured)
        if not hits:
            continue
        kind = "washout" if drug.action == "washout" or drug.id in manipulated else "exclusion"
        reason = f"{drug.effect} It acts on {'; '.join(hits)}."
        if drug.id in manipulated:
            reason += " It is also the study drug of the crossover: only protocol doses are allowed."
        if kind == "washout":
            criterion = f"{_drug_name(drug)}: stop before measurement ({drug.washout or DEFAULT_WASHOUT})"
        else:
            criterion = f"Current use of {_drug_name(drug)}"
        out.append(Exclusion(criterion, kind, reason, drug.references, drug.id))
    return out


def matching_catalog_drug(g: nx.DiGraph, node: str, catalog: Catalog) -> Drug | None:
    """The catalog drug a graph node names, by id, name or example (whole words)."""
    text = f"{node} {g.nodes[node].get('label') or ''}".replace("_", " ").replace("-", " ").lower()
    for drug in catalog.drugs:
        for name in (drug.id, drug.name, *drug.examples):
            word = name.replace("_", " ").replace("-", " ").lower()
            if re.search(r"(?<![a-z0-9])" + re.escape(word) + r"(?![a-z0-9])", text):
                return drug
    return None


def graph_drug_exclusions(g: nx.DiGraph, catalog: Catalog, measures: Sequence[NodeMeasure],
                          already: Iterable[str] = ()) -> list[Exclusion]:
    """A drug node of the graph with an edge into a measured node: wash out habitual use, unless the catalog
    says to record that drug instead (``action: record``).

    The reason is the graph's own edge, with its evidence; drugs the catalog
    already covered (``already``, catalog drug ids) are skipped.
    """
    measured = {m.node: m for m in _measured(measures)}
    already = set(already)
    out = []
    for d in sorted(n for n, data in g.nodes(data=True) if data.get("kind") == "drug"):
        known = matching_catalog_drug(g, d, catalog)
        if known is not None and (known.id in already or known.action == "record"):
            continue  # the catalog says to record it (e.g. a standard treatment that cannot safely be stopped)
        targets = [t for t in g.successors(d) if t in measured]
        if not targets:
            continue
        refs: list[str] = []
        for t in targets:
            refs.extend(r for r in path_references(g, [d, t]) if r not in refs)
        if known is not None:
            refs.extend(r for r in known.references if r not in refs)
        effect = "; ".join(f"{label(g, d)} → {label(g, t)} ({g.edges[d, t].get('sign', 'unknown')})" for t in targets)
        washout = known.washout if known is not None and known.washout else DEFAULT_WASHOUT
        out.append(Exclusion(f"Habitual use of {label(g, d)}: stop before measurement ({washout})", "washout",
                             f"The hypothesis has {effect}, a measured node; use outside the protocol would "
                             "confound it.", tuple(refs), known.id if known is not None else None))
    return out


def drugs_to_record(catalog: Catalog, g: nx.DiGraph, measures: Sequence[NodeMeasure]) -> list[Drug]:
    """Catalog drugs whose effect on measured nodes is unverified: record their use rather than exclude."""
    measured = _measured(measures)
    return [d for d in catalog.drugs if d.action == "record" and _hits(d, g, catalog, measured)]
