"""Hypothesis files → validated models, with ``extends`` resolved.

Reads YAML (through :mod:`hypoplan.yamlio`) or DAGitty text (through
:mod:`hypoplan.dagitty`), validates it against :mod:`hypoplan.schema` and turns
every pydantic error into a located :class:`~hypoplan.errors.Diagnostic`.
A :class:`Repository` finds hypotheses by id so that ``extends`` and ``rivals``
can be resolved; :func:`resolve` merges a hypothesis with what it extends.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .errors import Diagnostic, LoadError
from .schema import Edge, Focus, Hypothesis, Node
from .yamlio import DEFAULT_LIMITS, Limits, SourceMap, parse_yaml, read_text

__all__ = [
    "HYPOTHESIS_SUFFIXES",
    "HypothesisFile",
    "Repository",
    "is_catalog_path",
    "iter_hypothesis_paths",
    "load_file",
    "load_text",
    "looks_like_dagitty",
    "parse_hypothesis",
    "resolve",
]

HYPOTHESIS_SUFFIXES = (".yaml", ".yml", ".dagitty")


@dataclass(frozen=True)
class HypothesisFile:
    """A hypothesis as written in one file, with where each value stands."""

    path: Path
    display: str
    hypothesis: Hypothesis
    source: SourceMap = field(compare=False)
    text: str = field(default="", compare=False, repr=False)


def is_catalog_path(path: Path) -> bool:
    """Measurement catalogs share the folder with hypotheses but are not hypotheses."""
    name = path.name.lower()
    return name in {"catalog.yaml", "catalog.yml"} or name.endswith((".catalog.yaml", ".catalog.yml"))


def iter_hypothesis_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Expand files and folders into hypothesis files, sorted, skipping catalogs and hidden files."""
    for path in paths:
        if path.is_dir():
            found = [
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in HYPOTHESIS_SUFFIXES and not is_catalog_path(p)
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            ]
            yield from sorted(found)
        else:
            yield path


def _pretty_loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _allowed_fields(loc: tuple[Any, ...]) -> list[str]:
    """The field names allowed at ``loc``'s parent, for 'did you mean' hints."""
    from .schema import EffectSize, Evidence, Peco, Position, Provenance

    model: Any = Hypothesis
    nested = {"nodes": Node, "edges": Edge, "focus": Focus, "peco": Peco, "provenance": Provenance,
              "evidence": Evidence, "effect_size": EffectSize, "pos": Position}
    for part in loc[:-1]:
        if isinstance(part, str) and part in nested:
            model = nested[part]
    return sorted(model.model_fields)


def _diagnostics_from_validation(exc: ValidationError, source: SourceMap) -> list[Diagnostic]:
    out = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        kind = err["type"]
        where = _pretty_loc(loc)
        message = f"{where}: {err['msg'].removeprefix('Value error, ')}"
        hint = ""
        at_key = kind == "extra_forbidden"
        if kind == "missing":
            hint = f"add the field '{loc[-1]}'"
        elif kind == "extra_forbidden":
            allowed = _allowed_fields(loc)
            close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
            message = f"{where}: unknown field '{loc[-1]}'"
            hint = f"did you mean '{close[0]}'?" if close else "allowed fields: " + ", ".join(allowed)
        elif kind == "enum":
            hint = "use one of the values listed"
        elif kind == "string_pattern_mismatch":
            hint = "ids start with a letter and use letters, digits, '_', '-' or '.'"
        out.append(source.diagnostic(loc, "E010", message, hint, key=at_key))
    return out


def parse_hypothesis(data: Any, source: SourceMap) -> Hypothesis:
    """Validate plain data as a :class:`Hypothesis`, reporting every problem at once."""
    if data is None:
        raise LoadError("empty file", [source.diagnostic((), "E011", "empty file: it holds no YAML content",
                                                         "start with 'id:', 'title:', 'nodes:' and 'edges:'")])
    if not isinstance(data, dict):
        raise LoadError("not a mapping", [source.diagnostic((), "E011", "a hypothesis file must be a YAML mapping",
                                                            "start with 'id:', 'title:', 'nodes:' and 'edges:'")])
    try:
        return Hypothesis.model_validate(data)
    except ValidationError as exc:
        error = LoadError("invalid hypothesis", _diagnostics_from_validation(exc, source))
        error.partial = _salvage(data, exc, source)  # type: ignore[attr-defined]
        raise error from None


def _salvage(data: dict[str, Any], exc: ValidationError, source: SourceMap) -> HypothesisFile | None:
    """The valid part of an invalid file, so further checks (references, cycles) can still run.

    Invalid nodes keep only their id (when it is valid), invalid edges and other
    invalid fields are dropped; the source map is re-indexed to match.  ``None``
    when even that does not validate.
    """
    bad: dict[str, set[int]] = {"nodes": set(), "edges": set()}
    bad_fields: set[str] = set()
    for err in exc.errors(include_url=False):
        loc = err["loc"]
        if len(loc) >= 2 and loc[0] in bad and isinstance(loc[1], int):
            bad[str(loc[0])].add(loc[1])
        elif loc:
            bad_fields.add(str(loc[0]))
    salvaged = {k: v for k, v in data.items() if k not in bad_fields or k in ("id", "title")}
    salvaged.setdefault("title", "(untitled)")
    if "title" in bad_fields:
        salvaged["title"] = "(invalid title)"
    if "id" in bad_fields:
        salvaged["id"] = "invalid-id"
    nodes: list[Any] = data["nodes"] if isinstance(data.get("nodes"), list) else []
    kept_nodes = [i for i, n in enumerate(nodes)
                  if i not in bad["nodes"] or (isinstance(n, dict) and isinstance(n.get("id"), str))]
    salvaged["nodes"] = [nodes[i] if i not in bad["nodes"] else {"id": nodes[i]["id"]} for i in kept_nodes]
    edges: list[Any] = data["edges"] if isinstance(data.get("edges"), list) else []
    kept_edges = [i for i in range(len(edges)) if i not in bad["edges"]]
    salvaged["edges"] = [edges[i] for i in kept_edges]
    try:
        hypothesis = Hypothesis.model_validate(salvaged)
    except ValidationError:
        return None
    remapped = SourceMap(source.path, dict(source.positions), dict(source.key_positions))
    for table, original in ((remapped.positions, source.positions), (remapped.key_positions, source.key_positions)):
        for key in [k for k in table if k and k[0] in ("nodes", "edges") and len(k) > 1]:
            del table[key]
        for field_name, kept in (("nodes", kept_nodes), ("edges", kept_edges)):
            for new_i, old_i in enumerate(kept):
                for key, pos in original.items():
                    if len(key) > 1 and key[0] == field_name and key[1] == old_i:
                        table[(field_name, new_i, *key[2:])] = pos
    return HypothesisFile(Path(source.path), source.path, hypothesis, remapped)


def load_file(path: Path | str, display: str | None = None, limits: Limits = DEFAULT_LIMITS) -> HypothesisFile:
    """Load and validate one hypothesis file (YAML, or a ``.dagitty`` diagram)."""
    path = Path(path)
    display = display or str(path)
    text = read_text(path, display, limits)
    return load_text(text, display, path=path, dagitty=path.suffix.lower() == ".dagitty", limits=limits)


def load_text(text: str, display: str, *, path: Path | None = None, dagitty: bool = False,
              limits: Limits = DEFAULT_LIMITS) -> HypothesisFile:
    """Load a hypothesis from text; ``dagitty=True`` reads DAGitty syntax instead of YAML."""
    path = path or Path(display)
    if dagitty or looks_like_dagitty(text):
        from .dagitty import parse_dagitty

        stem = path.stem if path.suffix else "imported"
        hypothesis, source = parse_dagitty(text, display, default_id=stem)
        return HypothesisFile(path, display, hypothesis, source, text)
    data, source = parse_yaml(text, display, limits)
    return HypothesisFile(path, display, parse_hypothesis(data, source), source, text)


_DAGITTY_HEADER = re.compile(r"^\s*(?:strict\s+)?(?:dag|digraph|graph|pdag|mag|pag)\b[^:\n]*\{", re.IGNORECASE)


#: A line that starts with a DAGitty edge (``A -> B``, ``"a b" <-> c``), and a line that starts with a YAML key.
_DAGITTY_EDGE_LINE = re.compile(r'^\s*(?:"[^"\n]*"|[^\s\[\]{}":#,]+)\s*(?:<->|->|<-|--)', re.MULTILINE)
_YAML_KEY_LINE = re.compile(r"^\s*(?:-\s+)?[\w.-]+\s*:(?:\s|$)", re.MULTILINE)


def looks_like_dagitty(text: str) -> bool:
    """True for DAGitty text as read from stdin: a ``dag {`` header, or the headerless statements a ``.dagitty``
    file may hold (an edge such as ``A -> B``, and no line that starts with a YAML ``key:``)."""
    if _DAGITTY_HEADER.match(text):
        return True
    return bool(_DAGITTY_EDGE_LINE.search(text)) and not _YAML_KEY_LINE.search(text)


class Repository:
    """Hypotheses found by id under a root folder, loaded on demand and cached."""

    def __init__(self, root: Path, files: Iterable[HypothesisFile] = ()):
        self.root = root.resolve()
        self._by_id: dict[str, HypothesisFile] = {f.hypothesis.id: f for f in files}
        self._index: dict[str, list[Path]] | None = None
        #: resolved hypotheses by file object (kept alive with it), so a parent is resolved once per repository
        self._resolved: dict[int, tuple[HypothesisFile, Hypothesis]] = {}

    def _paths(self) -> dict[str, list[Path]]:
        if self._index is None:
            self._index = {}
            if self.root.is_dir():
                for p in iter_hypothesis_paths([self.root]):
                    self._index.setdefault(p.stem, []).append(p)
        return self._index

    def add(self, hfile: HypothesisFile) -> None:
        """A file already loaded, so that :meth:`find` does not read it again (when its stem is its id)."""
        if hfile.path.stem == hfile.hypothesis.id:
            self._by_id.setdefault(hfile.hypothesis.id, hfile)

    def find(self, hypothesis_id: str) -> HypothesisFile | None:
        """The hypothesis with this id (file stem = id), or ``None``."""
        if hypothesis_id in self._by_id:
            return self._by_id[hypothesis_id]
        for p in self._paths().get(hypothesis_id, []):
            try:
                loaded = load_file(p, display=_display(p))
            except LoadError:
                continue
            if loaded.hypothesis.id == hypothesis_id:
                self._by_id[hypothesis_id] = loaded
                return loaded
        return None


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def resolve(hfile: HypothesisFile, repo: Repository) -> Hypothesis:
    """The hypothesis with everything it ``extends`` merged in (its own nodes and edges win).

    Raises :class:`LoadError` when a parent is missing or ``extends`` loops.
    """
    return _resolve(hfile, repo, ())


def _resolve(hfile: HypothesisFile, repo: Repository, chain: tuple[str, ...]) -> Hypothesis:
    done = repo._resolved.get(id(hfile))
    if done is not None and done[0] is hfile:
        return done[1]
    resolved = _resolve_once(hfile, repo, chain)
    repo._resolved[id(hfile)] = (hfile, resolved)
    return resolved


def _resolve_once(hfile: HypothesisFile, repo: Repository, chain: tuple[str, ...]) -> Hypothesis:
    h = hfile.hypothesis
    if h.id in chain:
        loop = " -> ".join(chain + (h.id,))
        raise LoadError("extends loop", [hfile.source.diagnostic(("extends",), "E032", f"'extends' loops: {loop}",
                                                                 "a hypothesis cannot extend itself, directly or indirectly")])
    if not h.extends:
        return h
    nodes: dict[str, Node] = {}
    edges: dict[tuple[str, str, str], Edge] = {}
    inherited_focus: Focus | None = None
    for i, parent_id in enumerate(h.extends):
        parent_file = repo.find(parent_id)
        if parent_file is None:
            raise LoadError("extends", [hfile.source.diagnostic(("extends", i), "E031",
                                                                f"'extends' names '{parent_id}', which is not found",
                                                                f"add {parent_id}.yaml beside this file or fix the id")])
        parent = _resolve(parent_file, repo, chain + (h.id,))
        for node in parent.nodes:
            nodes[node.id] = node
        for edge in parent.edges:
            edges[edge.key] = edge
        if inherited_focus is None and (parent.focus.exposure or parent.focus.outcome):
            inherited_focus = parent.focus
    for node in h.nodes:
        nodes[node.id] = node
    for edge in h.edges:
        edges[edge.key] = edge
    focus = h.focus
    if not (focus.exposure or focus.outcome) and inherited_focus is not None:
        focus = inherited_focus
    return h.model_copy(update={"nodes": tuple(nodes.values()), "edges": tuple(edges.values()), "focus": focus})
