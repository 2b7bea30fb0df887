"""Safe YAML reading with a position for every value, and limits against hostile input.

Only plain YAML is accepted: no object tags, a bounded number of aliases, a
bounded nesting depth and file size.  The result is plain Python data plus a
:class:`SourceMap` from each value's path (``("edges", 3, "sign")``) to its
1-based line and column, so every later error can point at the exact spot.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Diagnostic, LoadError

__all__ = ["Limits", "SourceMap", "load_yaml_file", "parse_yaml", "read_text"]

_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "map", "seq", "omap", "timestamp")
}


@dataclass(frozen=True)
class Limits:
    """Bounds that keep a malicious file from exhausting time or memory."""

    max_bytes: int = 2_000_000
    max_depth: int = 40
    max_aliases: int = 50
    max_values: int = 200_000


DEFAULT_LIMITS = Limits()

#: The parser :func:`parse_yaml` uses when none is named: ``"fast"`` (libyaml) or ``"roundtrip"`` (ruamel).
DEFAULT_PARSER = "fast"


@dataclass
class SourceMap:
    """Where each value of a YAML document stands in its file."""

    path: str
    positions: dict[tuple[Any, ...], tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[tuple[Any, ...], tuple[int, int]] = field(default_factory=dict)

    def at(self, loc: tuple[Any, ...] | list[Any] = (), *, key: bool = False) -> tuple[int, int]:
        """Line and column of ``loc`` (of its key with ``key=True``), or of its nearest located ancestor."""
        loc = tuple(loc)
        if key and loc in self.key_positions:
            return self.key_positions[loc]
        while loc:
            if loc in self.positions:
                return self.positions[loc]
            loc = loc[:-1]
        return self.positions.get((), (1, 1))

    def diagnostic(self, loc: tuple[Any, ...] | list[Any], code: str, message: str, hint: str = "",
                   *, key: bool = False, **kw: Any) -> Diagnostic:
        line, col = self.at(loc, key=key)
        return Diagnostic(self.path, line, col, code, message, hint, **kw)


def read_text(path: Path, display: str, limits: Limits = DEFAULT_LIMITS) -> str:
    """Read a file as UTF-8 text, refusing huge, binary or badly encoded files with a located error."""
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise LoadError(
                "file too large",
                [Diagnostic(display, 0, 0, "E002", f"file is {size:,} bytes, over the {limits.max_bytes:,}-byte limit",
                            "a hypothesis file should be a few kilobytes; split it or check that this is the right file")],
            )
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError("cannot read", [Diagnostic(display, 0, 0, "E001", f"cannot read file: {exc.strerror or exc}",
                                                    "check the path and its permissions")]) from exc
    return decode_text(data, display)


def decode_text(data: bytes, display: str) -> str:
    """Decode UTF-8 (a BOM is allowed); NUL bytes and invalid sequences are located errors."""
    if b"\x00" in data:
        offset = data.index(b"\x00")
        line, col = _line_col(data, offset)
        raise LoadError("binary file", [Diagnostic(display, line, col, "E003", "file contains NUL bytes: this is not a text file",
                                                    "hypothesis files are UTF-8 YAML text")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _line_col(data, exc.start)
        raise LoadError("bad encoding", [Diagnostic(display, line, col, "E003",
                                                     f"invalid UTF-8 byte 0x{data[exc.start]:02x}",
                                                     "save the file as UTF-8")]) from None


def _line_col(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    col = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, col


def _mark(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt", pure=True)
    yaml.allow_duplicate_keys = False
    return yaml


def _prescan(text: str, display: str, limits: Limits) -> None:
    """Walk the event stream once: refuse tags, too many aliases, too deep nesting, too many values or complex keys."""
    from ruamel.yaml.error import MarkedYAMLError
    from ruamel.yaml.events import (
        AliasEvent,
        CollectionEndEvent,
        CollectionStartEvent,
        MappingStartEvent,
        NodeEvent,
        ScalarEvent,
    )
    from ruamel.yaml.reader import ReaderError

    depth = aliases = values = 0
    expecting_key: list[bool | None] = []  # per open collection: a mapping waiting for a key, a value, or a sequence
    try:
        for event in _yaml().parse(text):
            if isinstance(event, (NodeEvent, AliasEvent)) and expecting_key and expecting_key[-1] is not None:
                if expecting_key[-1] and not isinstance(event, ScalarEvent):
                    raise complex_key_error(display, _mark(event.start_mark))
                expecting_key[-1] = not expecting_key[-1]
            if isinstance(event, CollectionStartEvent):
                expecting_key.append(True if isinstance(event, MappingStartEvent) else None)
            elif isinstance(event, CollectionEndEvent):
                expecting_key.pop()
            if isinstance(event, AliasEvent):
                aliases += 1
                if aliases > limits.max_aliases:
                    raise aliases_error(display, _mark(event.start_mark), limits)
            if isinstance(event, NodeEvent):
                values += 1
                tag = getattr(event, "tag", None)
                tag = getattr(tag, "value", tag)
                if tag and not (isinstance(tag, str) and (tag in _STANDARD_TAGS or tag in {"!", "?"})):
                    raise tag_error(display, _mark(event.start_mark), tag)
                if values > limits.max_values:
                    raise values_error(display, _mark(event.start_mark))
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > limits.max_depth:
                    raise depth_error(display, _mark(event.start_mark), limits)
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
    except MarkedYAMLError as exc:
        raise _syntax_error(exc, display) from None
    except ReaderError as exc:
        raise _reader_error(exc, text, display) from None
    except RecursionError:
        raise LoadError("depth", [Diagnostic(display, 0, 0, "E004", "nesting too deep", "simplify the file")]) from None


def _reader_error(exc: Any, text: str, display: str) -> LoadError:
    """A character YAML does not allow (control characters such as DEL), located by its offset."""
    char = getattr(exc, "character", "")
    if isinstance(char, str) and len(char) == 1:
        char = ord(char)
    code = f"U+{char:04X}" if isinstance(char, int) else repr(char)
    return character_error(text, getattr(exc, "position", 0) or 0, display, code)


# The refusals both read paths give (this module's round-trip path and :mod:`hypoplan.yamlfast`), worded once so
# the two cannot drift apart.  ``kind`` is the exception's own message; the diagnostic is what users see.

def character_error(text: str, offset: int, display: str, code: str) -> LoadError:
    """A character YAML does not allow, located by its offset in ``text`` (``code`` as ``U+007F``)."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return LoadError("bad character", [Diagnostic(display, line, col, "E003",
                                                  f"character {code} is not allowed in YAML",
                                                  "remove the control character or write it as an escape in a quoted string")])


def aliases_error(display: str, where: tuple[int, int], limits: Limits, kind: str = "aliases") -> LoadError:
    """More aliases than the limit."""
    return LoadError(kind, [Diagnostic(display, where[0], where[1], "E004", f"more than {limits.max_aliases} YAML aliases",
                                       "write values out instead of using *aliases")])


def tag_error(display: str, where: tuple[int, int], tag: Any, kind: str = "tag") -> LoadError:
    """A YAML tag other than a standard one."""
    return LoadError(kind, [Diagnostic(display, where[0], where[1], "E004", f"YAML tag {tag} is not allowed",
                                       "remove the tag: hypothesis files hold plain data only")])


def values_error(display: str, where: tuple[int, int], kind: str = "values") -> LoadError:
    """More values (scalars, collections, aliases) than the limit."""
    return LoadError(kind, [Diagnostic(display, where[0], where[1], "E004", "too many values in one file",
                                       "split the hypothesis into several files")])


def depth_error(display: str, where: tuple[int, int], limits: Limits, kind: str = "depth") -> LoadError:
    """Collections nested deeper than the limit."""
    return LoadError(kind, [Diagnostic(display, where[0], where[1], "E004", f"nesting deeper than {limits.max_depth} levels",
                                       "hypothesis files are only a few levels deep")])


def _syntax_error(exc: Any, display: str) -> LoadError:
    mark = exc.problem_mark or exc.context_mark
    line, col = _mark(mark)
    problem = (exc.problem or exc.context or "invalid YAML").strip()
    hint = "check the indentation and quoting around this spot"
    if "'\\t'" in problem or "\t" in problem:
        hint = "YAML indents with spaces, never tabs: replace the tab with spaces"
    if "duplicate key" in str(exc).lower() or "found duplicate key" in problem:
        hint = "each key may appear once in a mapping; remove or rename the duplicate"
        problem = problem if "duplicate" in problem else "duplicate key"
    return LoadError("syntax", [Diagnostic(display, line, col, "E005", f"YAML syntax: {problem}", hint)])


def parse_yaml(text: str, display: str, limits: Limits = DEFAULT_LIMITS, *, parser: str | None = None) -> tuple[Any, SourceMap]:
    """Parse YAML text into plain Python data and a :class:`SourceMap`.

    ``parser`` is ``"fast"`` (libyaml events, the default for reading) or
    ``"roundtrip"`` (ruamel's comment-preserving parser, the reference); both
    give the same data, positions and errors.  ``None`` uses :data:`DEFAULT_PARSER`.
    """
    if len(text.encode("utf-8", "surrogatepass")) > limits.max_bytes:
        raise LoadError("too large", [Diagnostic(display, 0, 0, "E002", "text too large", "split the file")])
    if (parser or DEFAULT_PARSER) == "roundtrip":
        return _parse_roundtrip(text, display, limits)
    from . import yamlfast

    return yamlfast.parse(text, display, limits)


def _parse_roundtrip(text: str, display: str, limits: Limits) -> tuple[Any, SourceMap]:
    """The reference path: ruamel's round-trip parser, after a pre-scan of its events for the limits."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    _prescan(text, display, limits)
    try:
        with warnings.catch_warnings():  # a reused anchor is legal YAML (the later one wins), not a console warning
            warnings.simplefilter("ignore")
            document = _yaml().load(text)
    except MarkedYAMLError as exc:
        raise _syntax_error(exc, display) from None
    except YAMLError as exc:  # pragma: no cover - defensive
        raise LoadError("yaml", [Diagnostic(display, 0, 0, "E005", f"YAML error: {exc}", "")]) from None
    except (AttributeError, TypeError, KeyError, ValueError) as exc:
        # ruamel's constructor fails outright on some self-referencing documents, e.g. a `<<` merge key whose
        # alias names the mapping it sits in (`a: &n\n  <<: *n`): bad input, not an internal error
        raise LoadError("yaml", [Diagnostic(display, 1, 1, "E005",
                                            f"YAML the parser cannot build into data ({type(exc).__name__})",
                                            "remove self-referencing anchors, aliases and `<<` merge keys "
                                            "and write the values out")]) from None
    source = SourceMap(display)
    budget = [limits.max_values]
    try:
        data = _to_plain(document, (), source, budget, display, limits)
    except RecursionError:
        raise deep_aliases_error(display, (1, 1), limits) from None
    return data, source


def deep_aliases_error(display: str, where: tuple[int, int], limits: Limits) -> LoadError:
    """Aliases that expand to a structure deeper than the depth limit."""
    return LoadError("depth", [Diagnostic(display, where[0], where[1], "E004",
                                          f"aliases expand to more than {limits.max_depth} levels of nesting",
                                          "write values out instead of using *aliases")])


def complex_key_error(display: str, where: tuple[int, int]) -> LoadError:
    """A collection or an alias used as a mapping key: legal YAML, but no hypothesis field looks like that."""
    return LoadError("syntax", [Diagnostic(display, where[0], where[1], "E005",
                                           "YAML syntax: a mapping key must be a plain value, not a list, mapping or alias",
                                           "write the key as a plain word, e.g. 'label:'")])


def expansion_error(display: str, where: tuple[int, int]) -> LoadError:
    """Aliases that expand to more values than the limit."""
    return LoadError("expansion", [Diagnostic(display, where[0], where[1], "E004", "aliases expand to too many values",
                                              "write values out instead of using *aliases")])


def _to_plain(value: Any, loc: tuple[Any, ...], source: SourceMap, budget: list[int], display: str,
              limits: Limits) -> Any:
    """Copy ruamel's round-trip containers into dicts and lists, recording positions on the way."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    budget[0] -= 1
    if budget[0] < 0:
        raise expansion_error(display, source.at(loc))
    if len(loc) > limits.max_depth:
        raise deep_aliases_error(display, source.at(loc), limits)
    if not loc:
        lc = getattr(value, "lc", None)
        source.positions[()] = (lc.line + 1, lc.col + 1) if lc is not None and lc.line is not None else (1, 1)
    if isinstance(value, CommentedMap):
        out: dict[Any, Any] = {}
        for key in value:
            child = value[key]
            here = loc + (_plain_key(key),)
            try:
                kline, kcol = value.lc.key(key)
                source.key_positions[here] = (kline + 1, kcol + 1)
                if not isinstance(child, (CommentedMap, CommentedSeq)) and child is not None:
                    kline, kcol = value.lc.value(key)
                source.positions[here] = (kline + 1, kcol + 1)
            except (KeyError, TypeError, AttributeError):
                pass
            out[here[-1]] = _to_plain(child, here, source, budget, display, limits)
        return out
    if isinstance(value, CommentedSeq):
        items = []
        for i, child in enumerate(value):
            try:
                iline, icol = value.lc.item(i)
                source.positions[loc + (i,)] = (iline + 1, icol + 1)
            except (KeyError, TypeError, AttributeError):
                pass
            items.append(_to_plain(child, loc + (i,), source, budget, display, limits))
        return items
    return _plain_scalar(value)


def _plain_key(key: Any) -> Any:
    return _plain_scalar(key)


def _plain_scalar(value: Any) -> Any:
    """Strip ruamel's scalar subclasses so pydantic sees str, int, float, bool or None."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return str(value)


def load_yaml_file(path: Path, display: str | None = None, limits: Limits = DEFAULT_LIMITS) -> tuple[Any, SourceMap, str]:
    """Read and parse one YAML file: ``(data, source map, text)``."""
    display = display or str(path)
    text = read_text(path, display, limits)
    data, source = parse_yaml(text, display, limits)
    return data, source, text
