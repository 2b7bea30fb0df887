"""Negative-control exposure and outcome candidates, read off the causal graph.

Lipsitch, Tchetgen Tchetgen & Cohen (2010), "Negative controls: a tool for
detecting confounding and bias in observational studies", *Epidemiology*
21(3):383-388; Shi, Miao & Tchetgen Tchetgen (2020), "A selective review of
negative control methods in epidemiology", *Curr. Epidemiol. Rep.* 7:190-202.
Selected nodes (conditioned on by the study design) join every conditioning set
below and are never candidates.

Let ``C`` be the confounders of X and Y: nodes outside X ∪ Y that cause some
exposure and cause some outcome along a directed path that avoids X (measured
or not; an explicit ``A <-> B`` edge is its latent node ``U(A,B)``).

* A **negative-control outcome** N is an observed node, not in X ∪ Y ∪ C, that
  X does not cause (no directed path X → … → N), that is caused by some node of
  C, and that is d-separated from X given C (Shi et al.: N ⫫ X | U).  Any X–N
  association then reflects the confounding that also biases X–Y.
* A **negative-control exposure** E is an observed node, not in X ∪ Y ∪ C, that
  X does not cause, that causes no outcome except through X, that is caused by
  some node of C, and that is d-separated from Y given X ∪ C (Shi et al.:
  E ⫫ Y | X, U).

A pure child of a confounder (``U → N`` and nothing else) qualifies as both;
the list keeps it in both places and the user picks its role.  Without
confounding structure (C empty) both lists are empty: nothing is invented.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from ..graph import node_label
from .instruments import reachable
from .result import NegativeControl, NegativeControls
from .separation import ancestors, descendants, directed_reach, selected_set

__all__ = ["confounders", "negative_controls"]


def _ancestors_avoiding(g: nx.DiGraph, targets: Iterable[str], avoid: set[str]) -> set[str]:
    """Nodes with a directed path into ``targets`` whose nodes (before the target) avoid ``avoid``."""
    return directed_reach(g._pred, targets, avoid=avoid)


def confounders(g: nx.DiGraph, exposure: Iterable[str], outcome: Iterable[str]) -> set[str]:
    """Common causes of X and Y: ``(An(X) ∩ An_{G−X}(Y)) \\ (X ∪ Y)`` (Pearl 2009, §3.3; VanderWeele & Shpitser 2013)."""
    x, y = set(exposure), set(outcome)
    return (ancestors(g, x) & _ancestors_avoiding(g, y, x)) - x - y


def _observed(g: nx.DiGraph, n: str) -> bool:
    return bool(g.nodes[n].get("observed", True))


def _names(g: nx.DiGraph, nodes: Iterable[str]) -> str:
    """The nodes' labels, each unmeasured one marked so."""
    parts = []
    for n in sorted(nodes):
        parts.append(f"{node_label(g, n)} (unmeasured)" if not _observed(g, n) else node_label(g, n))
    return ", ".join(parts)


def negative_controls(g: nx.DiGraph, exposure: Iterable[str], outcome: Iterable[str]) -> NegativeControls:
    """Negative-control exposure and outcome candidates for X → Y, each with its reasoning (see module doc)."""
    x, y = set(exposure), set(outcome)
    conf = confounders(g, x, y)
    if not conf:
        return NegativeControls()
    caused_by_x = descendants(g, x)
    causes_y_avoiding_x = _ancestors_avoiding(g, y, x)
    x_label, y_label = _names(g, x), _names(g, y)
    # d-separation is symmetric: one search from X and one from Y decide every candidate
    sel = set(selected_set(g)) - x - y  # selected nodes are conditioned on by design, and are never candidates
    linked_to_x = reachable(g, x, conf | sel)
    linked_to_y = reachable(g, y, conf | x | sel)
    nco: list[NegativeControl] = []
    nce: list[NegativeControl] = []
    for n in sorted(g):
        if n in x or n in y or n in conf or n in sel or not _observed(g, n) or n in caused_by_x:
            continue
        shared = tuple(sorted(conf & ancestors(g, [n]) - {n}))
        if not shared:
            continue
        name = node_label(g, n)
        if n not in linked_to_x:
            nco.append(NegativeControl(
                node=n,
                reasoning=(f"under this graph, {name} is not caused by {x_label} (no directed path from it) and "
                           f"shares the common cause(s) {_names(g, shared)} with {y_label}; given those causes "
                           f"the graph makes it independent of {x_label}, so an association between {x_label} "
                           f"and {name} signals confounding by them (or a path the graph does not draw)."),
                shares_confounding_with=shared,
            ))
        if n not in causes_y_avoiding_x and n not in linked_to_y:
            nce.append(NegativeControl(
                node=n,
                reasoning=(f"under this graph, {name} does not cause {y_label} except through {x_label} and is "
                           f"not caused by {x_label}; it shares the common cause(s) {_names(g, shared)} with "
                           f"{x_label}, so an association between {name} and {y_label} given {x_label} signals "
                           f"confounding by them (or a path the graph does not draw)."),
                shares_confounding_with=shared,
            ))
    return NegativeControls(exposures=tuple(nce), outcomes=tuple(nco))
