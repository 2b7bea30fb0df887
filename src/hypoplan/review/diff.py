"""Semantic diff of two versions of a hypothesis: what changed in the claims, not which lines moved.

:func:`diff_hypotheses` compares two :class:`~hypoplan.schema.Hypothesis`
objects (either may be ``None`` for an added or deleted file) and returns
:class:`Change` records: nodes renamed (same label, edges and evidence under a
new id: one change, not a removal and an addition), nodes and edges added or
removed, label, kind and
observed changes, sign flips, confidence changes, evidence added or removed
(with citations), focus, ``extends`` and ``rivals`` changes, and metadata.

Each change has a severity for the review's exit policy:

* ``warning`` — a change a reviewer must look at: a confidence raised with no
  new evidence, a sign flipped with no new evidence, evidence removed while
  the confidence stayed or rose, contradicting evidence removed (how
  cherry-picking looks);
* ``notice`` — every other change.

Load or check errors of the new version are ``error`` (added by the caller).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..schema import Confidence, Direction, Edge, EdgeType, Evidence, Hypothesis, Node, Sign

__all__ = ["SEVERITY_ORDER", "Change", "diff_hypotheses", "edge_text", "evidence_key", "find_renames"]

#: Severities, most important first.
SEVERITY_ORDER = ("error", "warning", "notice")


@dataclass(frozen=True)
class Change:
    """One semantic change. ``loc`` points into the new file (or the old one when ``side == 'old'``)."""

    kind: str
    message: str
    severity: str = "notice"
    loc: tuple[Any, ...] = ()
    side: str = "new"
    nodes: tuple[str, ...] = ()
    edge: tuple[str, str, str] | None = None
    before: Any = None
    after: Any = None
    line: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "severity": self.severity, "message": self.message, "line": self.line,
                "nodes": list(self.nodes), "edge": list(self.edge) if self.edge else None,
                "before": _jsonable(self.before), "after": _jsonable(self.after)}


def _jsonable(value: Any) -> Any:
    if isinstance(value, (tuple, list, frozenset, set)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "value") and not isinstance(value, (str, int, float)):
        return value.value
    return value


def edge_text(edge: Edge) -> str:
    """``A → B``, or ``A ↔ B`` for a confounded pair."""
    arrow = "↔" if edge.type is EdgeType.CONFOUNDED else "→"
    return f"{edge.source} {arrow} {edge.target}"


def evidence_key(ev: Evidence) -> tuple[str, ...]:
    """Identity of an evidence item: its citation, or its reference and finding when it cites nothing."""
    if ev.citation:
        return ("citation", ev.citation.strip().lower())
    return ("text", (ev.reference or "").strip(), ev.finding.strip())


def evidence_text(ev: Evidence) -> str:
    who = ev.reference or ev.citation or "uncited"
    cite = f" [{ev.citation}]" if ev.citation and ev.reference else ""
    species = f", {ev.species.value}" if ev.species else ""
    return f"{who}{cite} ({ev.design.value}{species}, {ev.direction.value}): {ev.finding}"


def _rank(conf: Confidence) -> int:
    """Strength of a confidence: 4 established … 1 speculative, 0 contested."""
    return {Confidence.ESTABLISHED: 4, Confidence.SUPPORTED: 3, Confidence.SUGGESTIVE: 2,
            Confidence.SPECULATIVE: 1, Confidence.CONTESTED: 0}[conf]


@dataclass
class _Index:
    nodes: dict[str, tuple[int, Node]] = field(default_factory=dict)
    edges: dict[tuple[str, str, str], tuple[int, Edge]] = field(default_factory=dict)


def _index(h: Hypothesis | None) -> _Index:
    idx = _Index()
    if h is None:
        return idx
    for i, node in enumerate(h.nodes):
        idx.nodes.setdefault(node.id, (i, node))
    for i, edge in enumerate(h.edges):
        idx.edges.setdefault(edge.key, (i, edge))
    return idx


def diff_hypotheses(old: Hypothesis | None, new: Hypothesis | None) -> list[Change]:
    """Every semantic change from ``old`` to ``new`` (``None`` stands for a file that does not exist)."""
    out: list[Change] = []
    if old is None and new is None:
        return out
    out.extend(_diff_meta(old, new))
    if old is not None and new is not None:
        renames = find_renames(old, new)
        if renames:
            positions = {n.id: i for i, n in enumerate(new.nodes)}
            for before, after in sorted(renames.items()):
                label = next(n.display for n in new.nodes if n.id == after)
                out.append(Change("node-renamed", f"node {before} renamed to {after} ({label}): same label, edges "
                                  "and evidence", loc=("nodes", positions[after], "id"), nodes=(after,),
                                  before=before, after=after))
            old = _with_ids_renamed(old, renames)
    a, b = _index(old), _index(new)
    out.extend(_diff_nodes(a, b))
    out.extend(_diff_edges(a, b))
    out.extend(_diff_focus(old, new))
    return out


def find_renames(old: Hypothesis, new: Hypothesis) -> dict[str, str]:
    """Nodes that only changed their id: ``{old id: new id}``.

    A node that disappears and a node that appears form a rename when they have the same label, kind and
    observed status, the pairing is unambiguous both ways, and the edges touching them (type, other end, sign,
    confidence and evidence) are the same once every rename is applied, so that adjacent renames are found too.
    """
    a, b = _index(old), _index(new)
    gone = [nid for nid in a.nodes if nid not in b.nodes]
    came = [nid for nid in b.nodes if nid not in a.nodes]

    def ident(node: Node) -> tuple[Any, ...]:
        return (" ".join(node.display.split()).casefold(), node.kind, node.observed)

    candidates: dict[str, str] = {}
    for r in gone:
        matches = [n for n in came if ident(b.nodes[n][1]) == ident(a.nodes[r][1])]
        if len(matches) == 1 and sum(ident(a.nodes[o][1]) == ident(b.nodes[matches[0]][1]) for o in gone) == 1:
            candidates[r] = matches[0]
    while candidates:  # drop pairs whose edges differ, until the remaining renames explain each other
        kept = {r: n for r, n in candidates.items()
                if _incident(old, r, candidates) == _incident(new, n, {})}
        if kept == candidates:
            break
        candidates = kept
    return candidates


def _incident(h: Hypothesis, nid: str, rename: dict[str, str]) -> frozenset[tuple[Any, ...]]:
    """The edges touching ``nid``, with ids renamed, as comparable facts (evidence by identity)."""
    out = set()
    for e in h.edges:
        if nid in (e.source, e.target):
            s, t = rename.get(e.source, e.source), rename.get(e.target, e.target)
            if e.type is EdgeType.CONFOUNDED:
                s, t = sorted((s, t))
            out.add((e.type, s, t, e.sign, e.confidence, frozenset(evidence_key(ev) for ev in e.evidence)))
    return frozenset(out)


def _with_ids_renamed(h: Hypothesis, rename: dict[str, str]) -> Hypothesis:
    """``h`` with node ids replaced everywhere they occur (nodes, edges, focus)."""
    def ren(nid: str) -> str:
        return rename.get(nid, nid)

    nodes = tuple(n.model_copy(update={"id": ren(n.id)}) for n in h.nodes)
    edges = tuple(e.model_copy(update={"source": ren(e.source), "target": ren(e.target)}) for e in h.edges)
    focus = h.focus.model_copy(update={role: tuple(ren(n) for n in getattr(h.focus, role))
                                       for role in ("exposure", "outcome", "adjusted", "selected")})
    return h.model_copy(update={"nodes": nodes, "edges": edges, "focus": focus})


_META_FIELDS = ("id", "title", "status", "summary", "background", "program_goal", "peco", "tags", "authors")


def _value(v: Any) -> Any:
    if hasattr(v, "model_dump"):
        return v.model_dump(mode="json")
    if isinstance(v, tuple):
        return list(v)
    if hasattr(v, "value") and not isinstance(v, (str, int, float)):
        return v.value
    return v


def _diff_meta(old: Hypothesis | None, new: Hypothesis | None) -> list[Change]:
    out: list[Change] = []
    if old is None or new is None:
        return out
    for name in _META_FIELDS:
        before, after = _value(getattr(old, name)), _value(getattr(new, name))
        if before != after:
            if name in ("id", "title", "status"):
                msg = f"{name} changed: {before} → {after}"
            else:
                msg = f"{name} changed"
            out.append(Change(f"{name}-changed" if name in ("id", "title", "status") else "metadata-changed", msg,
                              loc=(name,), before=before, after=after))
    for role in ("extends", "rivals"):
        before, after = set(getattr(old, role)), set(getattr(new, role))
        for ref in sorted(after - before):
            out.append(Change(f"{role}-added", f"{role} now names {ref}", loc=(role,), after=ref))
        for ref in sorted(before - after):
            out.append(Change(f"{role}-removed", f"{role} no longer names {ref}", loc=(role,), before=ref))
    if _value(old.provenance) != _value(new.provenance):
        out.append(Change("metadata-changed", "provenance changed", loc=("provenance",)))
    return out


def _diff_nodes(a: _Index, b: _Index) -> list[Change]:
    out: list[Change] = []
    for nid in sorted(b.nodes.keys() - a.nodes.keys()):
        i, node = b.nodes[nid]
        latent = "" if node.observed else ", latent"
        out.append(Change("node-added", f"node {nid} added ({node.display}: {node.kind.value}{latent})",
                          loc=("nodes", i), nodes=(nid,), after=node.display))
    for nid in sorted(a.nodes.keys() - b.nodes.keys()):
        _, node = a.nodes[nid]
        out.append(Change("node-removed", f"node {nid} removed ({node.display})", loc=("nodes",), nodes=(nid,),
                          before=node.display))
    for nid in sorted(a.nodes.keys() & b.nodes.keys()):
        (_, old), (i, new) = a.nodes[nid], b.nodes[nid]
        if old.display != new.display:
            out.append(Change("node-label-changed", f"node {nid} renamed: {old.display} → {new.display}",
                              loc=("nodes", i, "label"), nodes=(nid,), before=old.display, after=new.display))
        if old.kind != new.kind:
            out.append(Change("node-kind-changed", f"node {nid} kind: {old.kind.value} → {new.kind.value}",
                              loc=("nodes", i, "kind"), nodes=(nid,), before=old.kind.value, after=new.kind.value))
        if old.observed != new.observed:
            word = {True: "observed", False: "latent"}
            out.append(Change("node-observed-changed", f"node {nid}: {word[old.observed]} → {word[new.observed]}",
                              loc=("nodes", i, "observed"), nodes=(nid,), before=old.observed, after=new.observed))
        for name in ("constructs", "measure", "level", "cost"):
            before, after = _value(getattr(old, name)), _value(getattr(new, name))
            if before != after:
                out.append(Change("node-changed", f"node {nid} {name}: {_short(before)} → {_short(after)}",
                                  loc=("nodes", i, name), nodes=(nid,), before=before, after=after))
    return out


def _short(value: Any) -> str:
    if value is None or value == []:
        return "none"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _diff_edges(a: _Index, b: _Index) -> list[Change]:
    out: list[Change] = []
    for key in sorted(b.edges.keys() - a.edges.keys()):
        i, edge = b.edges[key]
        n = len(edge.evidence)
        out.append(Change("edge-added",
                          f"edge {edge_text(edge)} added ({edge.sign.symbol}, {edge.confidence.value}, "
                          f"{n} evidence item{'s' if n != 1 else ''})",
                          loc=("edges", i), nodes=(edge.source, edge.target), edge=key,
                          after={"sign": edge.sign.value, "confidence": edge.confidence.value}))
    for key in sorted(a.edges.keys() - b.edges.keys()):
        _, edge = a.edges[key]
        out.append(Change("edge-removed", f"edge {edge_text(edge)} removed ({edge.sign.symbol}, {edge.confidence.value})",
                          loc=("edges",), nodes=(edge.source, edge.target), edge=key,
                          before={"sign": edge.sign.value, "confidence": edge.confidence.value}))
    for key in sorted(a.edges.keys() & b.edges.keys()):
        (_, old), (i, new) = a.edges[key], b.edges[key]
        out.extend(_diff_edge(old, new, i, key))
    return out


def _diff_edge(old: Edge, new: Edge, i: int, key: tuple[str, str, str]) -> list[Change]:
    out: list[Change] = []
    ends = (new.source, new.target)
    text = edge_text(new)
    old_ev = {evidence_key(e): e for e in old.evidence}
    new_ev = {evidence_key(e): (j, e) for j, e in enumerate(new.evidence)}
    added = [k for k in new_ev if k not in old_ev]
    removed = [k for k in old_ev if k not in new_ev]
    for k in added:
        j, ev = new_ev[k]
        out.append(Change("evidence-added", f"{text}: evidence added — {evidence_text(ev)}",
                          loc=("edges", i, "evidence", j), nodes=ends, edge=key, after=ev.citation))
    for k in removed:
        ev = old_ev[k]
        if ev.direction is Direction.CONTRADICTS:  # dropping the evidence against a claim is how cherry-picking looks
            out.append(Change("evidence-removed", f"{text}: contradicting evidence removed — {evidence_text(ev)}; "
                              "say why in the pull request, or keep it", severity="warning",
                              loc=("edges", i, "evidence"), nodes=ends, edge=key, before=ev.citation))
            continue
        out.append(Change("evidence-removed", f"{text}: evidence removed — {evidence_text(ev)}",
                          loc=("edges", i, "evidence"), nodes=ends, edge=key, before=ev.citation))
    for k in new_ev.keys() & old_ev.keys():
        j, ev = new_ev[k]
        if ev.direction != old_ev[k].direction:
            out.append(Change("evidence-changed",
                              f"{text}: evidence {ev.reference or ev.citation or ''} now "
                              f"{ev.direction.value} (was {old_ev[k].direction.value})",
                              loc=("edges", i, "evidence", j, "direction"), nodes=ends, edge=key,
                              before=old_ev[k].direction.value, after=ev.direction.value))
    if old.sign != new.sign:
        flipped = {old.sign, new.sign} == {Sign.POSITIVE, Sign.NEGATIVE}
        unexplained = flipped and not added and not removed
        out.append(Change("sign-flipped" if flipped else "sign-changed",
                          f"{text}: sign {'flipped' if flipped else 'changed'} {old.sign.symbol} → {new.sign.symbol}"
                          + (" with no change in its evidence" if unexplained else ""),
                          severity="warning" if unexplained else "notice",
                          loc=("edges", i, "sign"), nodes=ends, edge=key, before=old.sign.value, after=new.sign.value))
    if old.confidence != new.confidence:
        stronger = _rank(new.confidence) > _rank(old.confidence)
        severity, note = "notice", ""
        if stronger and not added:
            severity, note = "warning", " with no new evidence"
        out.append(Change("confidence-raised" if stronger else "confidence-lowered",
                          f"{text}: confidence {old.confidence.value} → {new.confidence.value}{note}",
                          severity=severity, loc=("edges", i, "confidence"), nodes=ends, edge=key,
                          before=old.confidence.value, after=new.confidence.value))
    if removed and not added and _rank(new.confidence) >= _rank(old.confidence) \
            and new.confidence is not Confidence.SPECULATIVE:
        out.append(Change("evidence-removed-confidence-kept",
                          f"{text}: evidence was removed but the confidence stayed '{new.confidence.value}'",
                          severity="warning", loc=("edges", i, "confidence"), nodes=ends, edge=key))
    if (old.mechanism or "") != (new.mechanism or ""):
        out.append(Change("edge-changed", f"{text}: mechanism changed", loc=("edges", i, "mechanism"), nodes=ends,
                          edge=key, before=old.mechanism, after=new.mechanism))
    if (old.notes or "") != (new.notes or ""):
        out.append(Change("edge-changed", f"{text}: notes changed", loc=("edges", i, "notes"), nodes=ends, edge=key))
    return out


def _diff_focus(old: Hypothesis | None, new: Hypothesis | None) -> list[Change]:
    out: list[Change] = []
    if old is None or new is None:
        return out
    for role in ("exposure", "outcome", "adjusted", "selected"):
        before, after = list(getattr(old.focus, role)), list(getattr(new.focus, role))
        if before != after:
            out.append(Change("focus-changed", f"focus {role}: {_short(before)} → {_short(after)}",
                              loc=("focus", role), nodes=tuple(dict.fromkeys(before + after)),
                              before=before, after=after))
    return out
