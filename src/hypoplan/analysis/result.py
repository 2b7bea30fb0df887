"""Frozen result records of the causal analysis, and their stable JSON contract.

The JSON form (:meth:`AnalysisResult.to_json`) is documented in the README and
pinned by tests::

    {"exposure": ["X"], "outcome": ["Y"], "adjusted": [...], "selected": [...],
     "adjustment": {"minimal": [["A","B"], ...],   # [] = no valid set; [[]] = the empty set suffices
                    "canonical": [...] | null, "optimal": [...] | null,
                    "min_cost": {"set": [...], "cost": 3.0} | null,
                    "given": {...}, "direct": [[...]], "direct_given": {...},   # these three when asked
                    "selection_bias": "..."},   # only when selection leaves no valid set
     "identification": {"identifiable": bool, "strategy": "adjustment"|"frontdoor"|"id"|null,
                        "estimand": str|null, "reason": str|null},
     "instruments": [{"instrument": "Z", "given": ["W"]}],
     "implications": [{"x": "A", "y": "B", "given": ["C"]}],
     "paths": [{"nodes": ["X","M","Y"], "causal": true, "open": true}],
     "negative_controls": {"exposures": [...], "outcomes": [...]},
     "truncated": ["paths", ...]}

``truncated`` names the listings cut at ``max_results``: ``"adjustment.minimal"``,
``"adjustment.direct"``, ``"paths"``, ``"instruments"``, ``"implications"``, ``"mediators"``.
``selected`` lists the nodes selected on by design: every set, path and implication is conditioned on them
and no set lists them.  Without an exposure or outcome (:class:`StructureResult`) the same keys hold
with ``adjustment`` and ``identification`` null and only ``implications`` filled.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..naming import natural_key, natural_sorted

__all__ = [
    "Adjustment",
    "AnalysisResult",
    "Identification",
    "Implication",
    "Instrument",
    "Mediator",
    "MinCostSet",
    "NegativeControl",
    "NegativeControls",
    "PathInfo",
    "SetValidity",
    "StructureResult",
]


def _sorted(nodes: Any) -> list[str]:
    return natural_sorted(str(n) for n in nodes)


def _sets_sorted(sets: Any) -> list[list[str]]:
    return sorted((_sorted(s) for s in sets), key=lambda s: [natural_key(n) for n in s])


@dataclass(frozen=True)
class PathInfo:
    """A path between exposure and outcome: causal (all edges point away from X) or biasing; open or blocked."""

    nodes: tuple[str, ...]
    causal: bool
    open: bool

    def to_json(self) -> dict[str, Any]:
        return {"nodes": list(self.nodes), "causal": self.causal, "open": self.open}


@dataclass(frozen=True)
class SetValidity:
    """Whether a user-given set is a valid adjustment set, and if not, why."""

    nodes: frozenset[str]
    valid: bool
    reasons: tuple[str, ...] = ()
    open_paths: tuple[tuple[str, ...], ...] = ()
    forbidden: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"set": _sorted(self.nodes), "valid": self.valid, "reasons": list(self.reasons),
                "open_paths": [list(p) for p in self.open_paths], "forbidden": _sorted(self.forbidden)}


@dataclass(frozen=True)
class MinCostSet:
    nodes: frozenset[str]
    cost: float

    def to_json(self) -> dict[str, Any]:
        return {"set": _sorted(self.nodes), "cost": self.cost}


@dataclass(frozen=True)
class Adjustment:
    """Adjustment sets for the total effect (generalized adjustment criterion)."""

    minimal: tuple[frozenset[str], ...]
    canonical: frozenset[str] | None
    optimal: frozenset[str] | None
    min_cost: MinCostSet | None
    given: SetValidity | None = None
    direct: tuple[frozenset[str], ...] | None = None
    direct_given: SetValidity | None = None
    selection_bias: str | None = None  # why selection leaves no valid set, when it does

    @property
    def exists(self) -> bool:
        return bool(self.minimal) or self.canonical is not None

    @property
    def empty_suffices(self) -> bool:
        return any(not s for s in self.minimal)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "minimal": _sets_sorted(self.minimal),
            "canonical": None if self.canonical is None else _sorted(self.canonical),
            "optimal": None if self.optimal is None else _sorted(self.optimal),
            "min_cost": None if self.min_cost is None else self.min_cost.to_json(),
        }
        if self.given is not None:
            out["given"] = self.given.to_json()
        if self.direct is not None:
            out["direct"] = _sets_sorted(self.direct)
        if self.direct_given is not None:
            out["direct_given"] = self.direct_given.to_json()
        if self.selection_bias is not None:
            out["selection_bias"] = self.selection_bias
        return out


@dataclass(frozen=True)
class Identification:
    """Whether the causal effect is identifiable from the observed distribution, and how."""

    identifiable: bool
    strategy: str | None  # "adjustment" | "frontdoor" | "id" | None
    estimand: str | None
    reason: str | None = None
    hedge: tuple[frozenset[str], frozenset[str]] | None = None

    def to_json(self) -> dict[str, Any]:
        return {"identifiable": self.identifiable, "strategy": self.strategy,
                "estimand": self.estimand, "reason": self.reason}


@dataclass(frozen=True)
class Instrument:
    """A conditional instrument Z for X → Y given W (van der Zander, Textor & Liśkiewicz 2015)."""

    instrument: str
    given: frozenset[str] = frozenset()

    def to_json(self) -> dict[str, Any]:
        return {"instrument": self.instrument, "given": _sorted(self.given)}


@dataclass(frozen=True)
class Implication:
    """A testable conditional independence x ⫫ y | given implied by the graph."""

    x: str
    y: str
    given: frozenset[str] = frozenset()

    def to_json(self) -> dict[str, Any]:
        return {"x": self.x, "y": self.y, "given": _sorted(self.given)}


@dataclass(frozen=True)
class NegativeControl:
    """A negative-control exposure or outcome candidate (Lipsitch et al. 2010), with its reasoning."""

    node: str
    reasoning: str
    shares_confounding_with: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"node": self.node, "reasoning": self.reasoning,
                "shares_confounding_with": list(self.shares_confounding_with)}


@dataclass(frozen=True)
class NegativeControls:
    exposures: tuple[NegativeControl, ...] = ()
    outcomes: tuple[NegativeControl, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"exposures": [c.to_json() for c in self.exposures], "outcomes": [c.to_json() for c in self.outcomes]}


@dataclass(frozen=True)
class Mediator:
    """A node on a causal path from exposure to outcome, with the causal paths through it."""

    node: str
    paths: tuple[tuple[str, ...], ...]

    def to_json(self) -> dict[str, Any]:
        return {"node": self.node, "paths": [list(p) for p in self.paths]}


@dataclass(frozen=True)
class AnalysisResult:
    """Everything ``hypoplan analyze`` answers for one exposure/outcome question."""

    exposure: tuple[str, ...]
    outcome: tuple[str, ...]
    adjusted: tuple[str, ...]
    adjustment: Adjustment
    identification: Identification
    instruments: tuple[Instrument, ...] = ()
    implications: tuple[Implication, ...] = ()
    paths: tuple[PathInfo, ...] = ()
    negative_controls: NegativeControls = field(default_factory=NegativeControls)
    mediators: tuple[Mediator, ...] = ()
    truncated: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    selected: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The analysis as plain data: what ``hypoplan analyze --format json`` prints."""
        return self.to_json()

    def to_json(self) -> dict[str, Any]:
        return {
            "exposure": list(self.exposure),
            "outcome": list(self.outcome),
            "adjusted": list(self.adjusted),
            "selected": list(self.selected),
            "adjustment": self.adjustment.to_json(),
            "identification": self.identification.to_json(),
            "instruments": [i.to_json() for i in self.instruments],
            "implications": [i.to_json() for i in self.implications],
            "paths": [p.to_json() for p in self.paths],
            "negative_controls": self.negative_controls.to_json(),
            "mediators": [m.to_json() for m in self.mediators],
            "truncated": list(self.truncated),
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class StructureResult:
    """What ``hypoplan analyze`` answers for a graph without an exposure/outcome question: its implications."""

    implications: tuple[Implication, ...] = ()
    truncated: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    selected: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "exposure": [], "outcome": [], "adjusted": [], "selected": list(self.selected),
            "adjustment": None, "identification": None, "instruments": [],
            "implications": [i.to_json() for i in self.implications], "paths": [],
            "negative_controls": NegativeControls().to_json(), "mediators": [],
            "truncated": list(self.truncated), "notes": list(self.notes),
        }
