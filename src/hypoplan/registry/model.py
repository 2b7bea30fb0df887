"""What the registry works on: each hypothesis file as written, with its ``extends`` resolved."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from ..errors import Diagnostic, LoadError
from ..loader import HypothesisFile, Repository, resolve
from ..schema import Hypothesis

__all__ = ["Entry", "entries_from_files", "family_of", "normalise_citation"]


@dataclass(frozen=True)
class Entry:
    """One hypothesis file of the registry.

    ``hypothesis`` is the file as written (its own claims); ``resolved`` has
    what it ``extends`` merged in (so inherited nodes can be looked up);
    ``owners`` maps each node id of ``resolved`` to the id of the hypothesis
    that declares it (itself, or the nearest ancestor).
    """

    display: str
    hypothesis: Hypothesis
    resolved: Hypothesis
    owners: Mapping[str, str] = field(default_factory=dict)
    text: str = field(default="", repr=False, compare=False)

    @property
    def id(self) -> str:
        return self.hypothesis.id


def _owners(h: Hypothesis, find: Mapping[str, Hypothesis], seen: tuple[str, ...] = ()) -> dict[str, str]:
    """Node id → the hypothesis declaring it: own nodes first, then each parent's (in ``extends`` order)."""
    out: dict[str, str] = {}
    for parent_id in h.extends:
        parent = find.get(parent_id)
        if parent is None or parent_id in seen:
            continue
        for node_id, owner in _owners(parent, find, (*seen, h.id)).items():
            out.setdefault(node_id, owner)
    for node in h.nodes:
        out[node.id] = h.id
    return out


def entries_from_files(files: Iterable[HypothesisFile], repo: Repository) -> tuple[list[Entry], list[Diagnostic]]:
    """Entries for loaded files (sorted by id); a file whose ``extends`` cannot be resolved is reported and
    kept as written.  Two files with one id: the second is reported and left out."""
    files = list(files)
    by_id: dict[str, Hypothesis] = {}
    problems: list[Diagnostic] = []
    kept: list[HypothesisFile] = []
    for f in files:
        if f.hypothesis.id in by_id:
            problems.append(f.source.diagnostic(("id",), "E020", f"hypothesis id '{f.hypothesis.id}' is used twice "
                                                "in the registry; this file is left out of the map",
                                                "give every hypothesis its own id"))
            continue
        by_id[f.hypothesis.id] = f.hypothesis
        kept.append(f)
    entries = []
    for f in kept:
        try:
            resolved = resolve(f, repo)
        except LoadError as exc:
            problems.extend(exc.diagnostics)
            resolved = f.hypothesis
        entries.append(Entry(f.display, f.hypothesis, resolved, _owners(f.hypothesis, by_id), f.text))
    return sorted(entries, key=lambda e: e.id), problems


@lru_cache(maxsize=65536)
def normalise_citation(citation: str) -> str:
    """One spelling per work: ``doi:10.x/abc`` (lower case), ``pmid:123``, ``PMC123``, or the URL as written."""
    text = citation.strip()
    low = text.lower()
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:"):
        if low.startswith(prefix):
            return "doi:" + low[len(prefix):].strip()
    if low.startswith("10.") and "/" in low:
        return "doi:" + low
    if low.startswith("pmid:"):
        return "pmid:" + low[5:].strip()
    if low.startswith("pmc") and low[3:].isdigit():
        return "PMC" + low[3:]
    return text


def family_of(entry_id: str, parents: Mapping[str, tuple[str, ...]]) -> str:
    """The root of a hypothesis's ``extends`` chain (first parent at each step): its file family."""
    seen = {entry_id}
    current = entry_id
    while parents.get(current):
        nxt = parents[current][0]
        if nxt in seen or nxt not in parents:
            break
        seen.add(nxt)
        current = nxt
    return current
