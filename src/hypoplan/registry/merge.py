"""Merge every hypothesis into one graph: nodes by construct or ``same_as:``, never by id alone.

Two node declarations are the same merged node when

1. they stand for the same set of catalog constructs (``constructs:``, non-empty and equal) and neither
   hypothesis has another node with that set, or
2. one names the other in ``same_as:`` (``other-hypothesis:node``, or a node id of a hypothesis it
   ``extends`` or ``rivals``), or
3. they are one node of an ``extends`` family (a child re-declaring its parent's node: ``extends`` merges by id).

Ids alone never merge: ``sleep`` in two unrelated files stays two nodes.  Links
are the ``causes`` and ``confounded`` edges between merged nodes, each with the
claim of every file that draws it (its own edges only; inherited edges are the
parent's claim).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from ..schema import Edge, EdgeType, Node
from .model import Entry

__all__ = ["Claim", "Instance", "Link", "MergedGraph", "MergedNode", "merge_entries", "same_as_of"]

#: A node as declared: (id of the declaring hypothesis, node id).
Instance = tuple[str, str]


@dataclass(frozen=True)
class MergedNode:
    id: str
    label: str
    kind: str
    constructs: tuple[str, ...]
    sources: tuple[Instance, ...]  # every (hypothesis, node id) merged here, sorted
    files: tuple[str, ...]          # hypotheses that use it (declared, inherited or drawn in an edge)

    @cached_property
    def declared_in(self) -> tuple[str, ...]:
        """The hypotheses that declare it themselves (not only inherit it); computed once per node."""
        return tuple(sorted({h for h, _ in self.sources}))

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "label": self.label, "kind": self.kind, "constructs": list(self.constructs),
                "sources": [{"hypothesis": h, "node": n} for h, n in self.sources], "hypotheses": list(self.files)}


@dataclass(frozen=True)
class Claim:
    """One file's edge on a merged link."""

    hypothesis: str
    file: str
    index: int          # position in the file's ``edges``
    edge: Edge

    @property
    def sign(self) -> str:
        return self.edge.sign.value


@dataclass(frozen=True)
class Link:
    source: str
    target: str
    type: str
    claims: tuple[Claim, ...]

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.source, self.target, self.type)

    @property
    def hypotheses(self) -> tuple[str, ...]:
        return tuple(sorted({c.hypothesis for c in self.claims}))

    def to_json(self) -> dict[str, object]:
        return {"source": self.source, "target": self.target, "type": self.type,
                "claims": [{"hypothesis": c.hypothesis, "file": c.file, "edge": [c.edge.source, c.edge.target],
                            "sign": c.sign, "confidence": c.edge.confidence.value,
                            "evidence": len(c.edge.evidence)} for c in self.claims]}


@dataclass(frozen=True)
class MergedGraph:
    nodes: dict[str, MergedNode]
    links: dict[tuple[str, str, str], Link]
    node_of: dict[Instance, str]          # declared node → merged node id
    entries: tuple[Entry, ...]

    @cached_property
    def entries_by_id(self) -> dict[str, Entry]:
        """The entries by hypothesis id (built once: the site looks ids up per conflict and per page)."""
        return {e.id: e for e in self.entries}

    def merged(self, entry: Entry, node_id: str) -> str:
        """The merged node a node id of ``entry`` (own or inherited) belongs to."""
        return self.node_of[(entry.owners.get(node_id, entry.id), node_id)]

    @property
    def shared_links(self) -> list[Link]:
        """Links drawn by two or more hypothesis files."""
        return [link for link in self.links.values() if len(link.hypotheses) >= 2]


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[Instance, Instance] = {}

    def add(self, x: Instance) -> None:
        self.parent.setdefault(x, x)

    def find(self, x: Instance) -> Instance:
        self.add(x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: Instance, b: Instance) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


_SAME_AS_SPLIT = re.compile(r"^([A-Za-z][A-Za-z0-9_.\-]*)\s*[:#/]\s*([A-Za-z][A-Za-z0-9_.\-]*)$")


def same_as_of(node: Node) -> tuple[str, ...]:
    """The node's ``same_as:`` entries."""
    return tuple(node.same_as)


def _declared(entries: Sequence[Entry]) -> dict[Instance, Node]:
    """Every node declaration of every file, by (declaring hypothesis, node id)."""
    out: dict[Instance, Node] = {}
    for e in entries:
        for node in e.hypothesis.nodes:
            out[(e.id, node.id)] = node
    return out


def merge_entries(entries: Sequence[Entry]) -> MergedGraph:
    """The merged graph of the registry (see the module docstring for the merge rules)."""
    declared = _declared(entries)
    by_id = {e.id: e for e in entries}
    uf = _UnionFind()
    for inst in declared:
        uf.add(inst)
    # edges may name undeclared nodes (``check`` reports them): they are nodes of their file
    for e in entries:
        for edge in e.hypothesis.edges:
            for end in (edge.source, edge.target):
                uf.add((e.owners.get(end, e.id), end))
    ambiguous = _ambiguous(entries, declared)
    by_constructs: dict[frozenset[str], Instance] = {}
    for inst, node in declared.items():
        if node.constructs and inst not in ambiguous:
            key = frozenset(node.constructs)
            if key in by_constructs:
                uf.union(by_constructs[key], inst)
            else:
                by_constructs[key] = inst
    for e in entries:  # a child re-declaring an inherited node id: the same node (extends merges by id)
        for node in e.hypothesis.nodes:
            for parent in _ancestors(e, by_id):
                if (parent, node.id) in declared:
                    uf.union((parent, node.id), (e.id, node.id))
                    break
    for (hid, nid), node in declared.items():
        entry = by_id.get(hid)
        for token in same_as_of(node):
            for other in _same_as_targets(token, entry, by_id):
                if other in uf.parent:
                    uf.union((hid, nid), other)
    groups: dict[Instance, list[Instance]] = {}
    for inst in uf.parent:
        groups.setdefault(uf.find(inst), []).append(inst)
    users: dict[Instance, set[str]] = {}
    for e in entries:
        for nid, owner in e.owners.items():
            users.setdefault(uf.find((owner, nid)), set()).add(e.id)
        for edge in e.hypothesis.edges:
            for end in (edge.source, edge.target):
                users.setdefault(uf.find((e.owners.get(end, e.id), end)), set()).add(e.id)
    nodes: dict[str, MergedNode] = {}
    node_of: dict[Instance, str] = {}
    taken: set[str] = set()
    for root in sorted(groups, key=lambda r: sorted(groups[r])):
        members = sorted(groups[root])
        ids = Counter(n for _, n in members)
        best = min(ids, key=lambda n: (-ids[n], n))
        merged_id = best if best not in taken else next(f"{best}~{k}" for k in range(2, 10**6) if f"{best}~{k}" not in taken)
        taken.add(merged_id)
        labels = Counter(declared[m].display for m in members if m in declared) or Counter([best])
        label = min(labels, key=lambda s: (-labels[s], s))
        constructs = sorted({c for m in members if m in declared for c in declared[m].constructs})
        kinds = Counter(declared[m].kind.value for m in members if m in declared) or Counter(["other"])
        kind = min(kinds, key=lambda k: (-kinds[k], k))
        nodes[merged_id] = MergedNode(merged_id, label, kind, tuple(constructs), tuple(members),
                                      tuple(sorted(users.get(root, {m[0] for m in members}))))
        for m in members:
            node_of[m] = merged_id
    links: dict[tuple[str, str, str], list[Claim]] = {}
    for e in entries:
        for i, edge in enumerate(e.hypothesis.edges):
            a = node_of[(e.owners.get(edge.source, e.id), edge.source)]
            b = node_of[(e.owners.get(edge.target, e.id), edge.target)]
            if a == b:
                continue  # both ends merged into one node: not a link between two constructs
            if edge.type is EdgeType.CONFOUNDED:
                a, b = sorted((a, b))
            links.setdefault((a, b, edge.type.value), []).append(Claim(e.id, e.display, i, edge))
    return MergedGraph(nodes, {k: Link(*k, tuple(v)) for k, v in sorted(links.items())}, node_of, tuple(entries))


def _ambiguous(entries: Sequence[Entry], declared: dict[Instance, Node]) -> set[Instance]:
    """Nodes that share their construct set with another node of the same (resolved) hypothesis.

    One file may draw two nodes for one construct on purpose (thermal and mechanical pain thresholds,
    both ``pain_threshold``); neither is then merged by construct, because which of them another file's
    node means is unknowable (``same_as:`` says it explicitly).
    """
    out: set[Instance] = set()
    for e in entries:
        seen: dict[frozenset[str], list[Instance]] = {}
        for node_id, owner in e.owners.items():
            node = declared.get((owner, node_id))
            if node is not None and node.constructs:
                seen.setdefault(frozenset(node.constructs), []).append((owner, node_id))
        for insts in seen.values():
            if len(set(insts)) > 1:
                out.update(insts)
    return out


def _ancestors(entry: Entry, by_id: dict[str, Entry]) -> list[str]:
    """Ancestors of a hypothesis, nearest first (breadth-first over ``extends``)."""
    out: list[str] = []
    queue = list(entry.hypothesis.extends)
    while queue:
        hid = queue.pop(0)
        if hid in out or hid == entry.id:
            continue
        out.append(hid)
        if hid in by_id:
            queue.extend(by_id[hid].hypothesis.extends)
    return out


def _same_as_targets(token: str, entry: Entry | None, by_id: dict[str, Entry]) -> list[Instance]:
    """What a ``same_as`` entry names: ``hypothesis:node`` exactly, or a node id in a hypothesis this one
    extends or rivals."""
    m = _SAME_AS_SPLIT.match(token.strip())
    if m and m.group(1) in by_id:
        other = by_id[m.group(1)]
        return [(other.owners.get(m.group(2), other.id), m.group(2))]
    if entry is None:
        return []
    out = []
    for hid in (*entry.hypothesis.extends, *entry.hypothesis.rivals):
        cand = by_id.get(hid)
        if cand is not None and token.strip() in cand.owners:
            out.append((cand.owners[token.strip()], token.strip()))
    return out
