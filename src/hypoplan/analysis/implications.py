"""Testable implications: conditional independences among observed nodes that the graph implies.

Each is a falsification test a study can run on data.  The default *basis* gives one
independence per non-adjacent pair of observed nodes, from the local Markov property
(Pearl 2009, Thm 1.2.7: every node is independent of its non-descendants given its parents)
when the parents are all observed, otherwise from a minimal d-separator among observed
nodes (the separator closest to one end in the moral ancestral graph, as in :mod:`.adjustment`;
van der Zander, Liśkiewicz & Textor 2019).  Pairs joined
through latent nodes only may have no observed separator: they imply nothing testable.

Listing *all* minimal implications is exponential (Textor et al. 2016 report DAGitty taking
tens of seconds on 100 nodes); :func:`all_minimal_implications` is capped.

Selected nodes S are conditioned on in every implication (the data come from the selected
sample, where S is constant): pairs involving S are skipped and each listed ``given`` set is
understood together with S (DAGitty's ``[selected]``; Textor et al. 2016).
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from .adjustment import AdjustmentProblem, _enumerate_minimal
from .result import Implication
from .separation import descendants, latent_set, selected_set

__all__ = ["all_minimal_implications", "basis_implications", "observed_pairs"]


def observed_pairs(g: nx.DiGraph) -> list[tuple[str, str]]:
    """Non-adjacent pairs of observed, unselected nodes, each pair sorted, in sorted order."""
    latent = latent_set(g) | selected_set(g)
    nodes = sorted(n for n in g if n not in latent)
    out = []
    for i, a in enumerate(nodes):
        na = g._succ[a].keys() | g._pred[a].keys()
        for b in nodes[i + 1:]:
            if b not in na:
                out.append((a, b))
    return out


def basis_implications(g: nx.DiGraph, *, max_results: int | None = None,
                       nodes: Iterable[str] | None = None) -> tuple[list[Implication], bool]:
    """One implied independence per non-adjacent observed pair that has an observed separator.

    Returns ``(implications, truncated)``.  ``nodes`` restricts the pairs to those nodes.
    """
    latent = latent_set(g)
    sel = selected_set(g)
    keep = None if nodes is None else set(nodes)
    desc: dict[str, set[str]] = {}

    def de(v: str) -> set[str]:
        if v not in desc:
            desc[v] = descendants(g, {v})
        return desc[v]

    observed = frozenset(g) - latent - sel
    # parent sets built once per node, not once per pair (issue 14: the basis at 100 nodes in a few ms)
    parents = {u: frozenset(g._pred[u]) for u in g}
    # parents all observed; with selected nodes a parent set need not separate, so always search
    usable = set() if sel else {u for u, pa in parents.items() if not (pa & latent)}
    out: list[Implication] = []
    for a, b in observed_pairs(g):
        if keep is not None and (a not in keep or b not in keep):
            continue
        given: frozenset[str] | None = None
        if a in usable and b not in de(a):
            given = parents[a]
        elif b in usable and a not in de(b):
            given = parents[b]
        if given is None:
            p = AdjustmentProblem(g, frozenset({a}), frozenset({b}), frozenset(), observed - {a, b}, frozenset(),
                                  sel)
            seps, _ = _enumerate_minimal(p, 1)
            if not seps:
                continue
            given = seps[0]
        out.append(Implication(a, b, given))
        if max_results is not None and len(out) > max_results:
            return out[:max_results], True
    return out, False


def all_minimal_implications(g: nx.DiGraph, *, max_results: int = 100) -> tuple[list[Implication], bool]:
    """Every minimal conditional independence ``a ⫫ b | Z`` among observed nodes, capped at ``max_results``.

    Minimal d-separators per pair, enumerated as in :mod:`.adjustment` (van der Zander et al. 2019).
    """
    sel = selected_set(g)
    allowed_all = frozenset(g) - latent_set(g) - sel
    out: list[Implication] = []
    for a, b in observed_pairs(g):
        p = AdjustmentProblem(g, frozenset({a}), frozenset({b}), frozenset(), allowed_all - {a, b}, frozenset(), sel)
        seps, truncated = _enumerate_minimal(p, max_results - len(out) + 1)
        for z in seps:
            out.append(Implication(a, b, z))
            if len(out) > max_results:
                return out[:max_results], True
        if truncated:
            return out[:max_results], True
    return out, False
