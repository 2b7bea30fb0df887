"""The fast YAML read path: libyaml's event stream, composed and checked in one pass.

PyYAML's C parser (libyaml, through ``CSafeLoader``; the pure-Python
``SafeLoader`` when libyaml is missing) turns the text into events, each with
its line and column.  One loop over the events enforces every limit of
:class:`~hypoplan.yamlio.Limits` itself (aliases, depth, values, tags), so
safety does not rest on libyaml's own defaults, and builds a small node tree;
a second walk copies it into plain data and a :class:`~hypoplan.yamlio.SourceMap`
exactly as the round-trip path (:func:`hypoplan.yamlio._parse_roundtrip`) does.

Scalars are resolved with the YAML 1.2 core rules that ruamel uses.  Anything
rare, where the two parsers could disagree (a YAML syntax error, a ``%YAML``
or ``%TAG`` directive, an explicit standard tag, a merge key ``<<``, a
timestamp, a number written in hex, octal, binary, with ``_`` or as
``.inf``/``.nan``, a duplicate or non-scalar key, several documents), is handed
to the round-trip parser, which then decides: the two paths cannot disagree
on them, and the cost only falls on such files.
"""

from __future__ import annotations

import re
from typing import Any

from .errors import LoadError
from .yamlio import (
    _STANDARD_TAGS,
    Limits,
    SourceMap,
    _parse_roundtrip,
    aliases_error,
    character_error,
    complex_key_error,
    deep_aliases_error,
    depth_error,
    expansion_error,
    tag_error,
    values_error,
)

__all__ = ["parse"]

# YAML 1.2 implicit resolution as in ruamel.yaml's resolver (the core schema).
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_INT = re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+)$")
_FLOAT = re.compile(r"""^(?:
     [-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
    |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
    |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN))$""", re.VERBOSE)
_TIMESTAMP = re.compile(r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
    |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?
    (?:[Tt]|[ \t]+)[0-9][0-9]?
    :[0-9][0-9] :[0-9][0-9] (?:\.[0-9]*)?
    (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""", re.VERBOSE)
_SIMPLE_INT = re.compile(r"^-?(?:0|[1-9][0-9]*)$")
_SIMPLE_FLOAT = re.compile(r"^-?[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?$|^-?\.[0-9]+$")
_SPECIAL_FIRST = frozenset("-+0123456789.~nNtTfF<=")
#: Characters YAML allows in a stream (YAML 1.2, 5.1); ruamel's reader refuses the others.  The very class
#: PyYAML's reader compiles: re's cache compiles it once a process (~5 ms), not twice.
_NOT_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
#: Tabs (ruamel refuses some that libyaml accepts) and NEL, LS, PS (line breaks to libyaml's YAML 1.1, not to
#: ruamel's YAML 1.2), and a BOM inside the text: a file holding one is read by the round-trip parser.
_ROUNDTRIP_ONLY = re.compile("[\t\x85\u2028\u2029\ufeff]")

_SCALAR, _MAP, _SEQ = 0, 1, 2


class _Fallback(Exception):
    """Something the fast path leaves to the round-trip parser."""


def parse(text: str, display: str, limits: Limits) -> tuple[Any, SourceMap]:
    """Parse YAML text into plain data and a source map (size already checked by the caller)."""
    bad = _NOT_PRINTABLE.search(text)
    if bad is not None:
        raise _character_error(text, bad.start(), display)
    try:
        if _ROUNDTRIP_ONLY.search(text):
            raise _Fallback
        root = _compose(text, display, limits)
        source = SourceMap(display)
        if root is None or root[0] == _SCALAR:
            source.positions[()] = (1, 1)
        else:
            source.positions[()] = (root[2], root[3])
        if root is None:
            return None, source
        try:
            return _plain(root, (), source, [limits.max_values], display, limits), source
        except RecursionError:
            raise deep_aliases_error(display, (1, 1), limits) from None
    except _Fallback:
        return _parse_roundtrip(text, display, limits)


def _character_error(text: str, offset: int, display: str) -> LoadError:
    """The same located error as the round-trip reader gives for a character YAML does not allow."""
    return character_error(text, offset, display, f"U+{ord(text[offset]):04X}")


def _loader() -> Any:
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _compose(text: str, display: str, limits: Limits) -> Any:
    """One pass over the events: limits enforced, a node tree of tuples built.

    Nodes are ``(_SCALAR, value, line, col)``, ``(_MAP, [(key, value), ...], line, col)``
    and ``(_SEQ, [item, ...], line, col)``; an alias is the anchored node itself.
    """
    import yaml
    from yaml import events as ev

    scalar_t, alias_t = ev.ScalarEvent, ev.AliasEvent
    map_t, seq_t = ev.MappingStartEvent, ev.SequenceStartEvent
    end_ts = (ev.MappingEndEvent, ev.SequenceEndEvent)
    doc_t = ev.DocumentStartEvent

    anchors: dict[str, Any] = {}
    stack: list[Any] = []  # open collections: [kind, items, line, col, anchor, pending key]
    root: Any = None
    documents = 0
    aliases = values = 0
    max_aliases, max_values, max_depth = limits.max_aliases, limits.max_values, limits.max_depth

    def add(node: Any) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        top = stack[-1]
        if top[0] == _SEQ:
            top[1].append(node)
        elif top[5] is None:
            top[5] = node
        else:
            top[1].append((top[5], node))
            top[5] = None

    def where(event: Any) -> tuple[int, int]:
        mark = event.start_mark
        return (mark.line + 1, mark.column + 1)

    def check_key(event: Any) -> None:
        if stack and stack[-1][0] == _MAP and stack[-1][5] is None:
            mark = event.start_mark
            raise complex_key_error(display, (mark.line + 1, mark.column + 1))

    def check_tag(event: Any) -> None:
        tag = event.tag
        if tag is None:
            return
        if tag in _STANDARD_TAGS or tag in ("!", "?"):
            raise _Fallback  # an explicit standard tag: rare, constructed by the reference parser
        raise tag_error(display, where(event), tag, "hostile")

    loader: Any = _loader()(text)
    get_event = loader.get_event  # straight from the parser: no generator, no check_event per event
    try:
        while True:
            event = get_event()
            if event is None:
                break
            kind = type(event)
            if kind is scalar_t:  # the hot path, inlined
                values += 1
                if values > max_values:
                    raise values_error(display, where(event), "hostile")
                if event.tag is not None:
                    check_tag(event)
                mark = event.start_mark
                node = (_SCALAR, _resolve_plain(event.value) if event.implicit[0] else event.value,
                        mark.line + 1, mark.column + 1)
                if event.anchor is not None:
                    if stack and stack[-1][0] == _MAP and stack[-1][5] is None:
                        raise _Fallback  # an anchored key
                    anchors[event.anchor] = node
                if stack:
                    top = stack[-1]
                    if top[0] == _SEQ:
                        top[1].append(node)
                    elif top[5] is None:
                        top[5] = node
                    else:
                        top[1].append((top[5], node))
                        top[5] = None
                else:
                    root = node
            elif kind is map_t or kind is seq_t:
                check_key(event)
                values += 1
                if values > max_values:
                    raise values_error(display, where(event), "hostile")
                check_tag(event)
                if len(stack) >= max_depth:
                    raise depth_error(display, where(event), limits, "hostile")
                mark = event.start_mark
                stack.append([_MAP if kind is map_t else _SEQ, [], mark.line + 1, mark.column + 1, event.anchor, None])
            elif kind in end_ts:
                kind_, items, line, col, anchor, _ = stack.pop()
                if kind_ == _MAP and len({key[1] for key, _ in items}) != len(items):
                    raise _Fallback  # a duplicate key: the round-trip parser reports it
                node = (kind_, items, line, col)
                if anchor is not None:
                    anchors[anchor] = node
                add(node)
            elif kind is alias_t:
                if stack and stack[-1][0] == _MAP and stack[-1][5] is None:
                    raise _Fallback  # an alias as a key: ruamel's scanner may not even accept it; it decides
                aliases += 1
                if aliases > max_aliases:
                    raise aliases_error(display, where(event), limits, "hostile")
                values += 1
                if values > max_values:
                    raise values_error(display, where(event), "hostile")
                target = anchors.get(event.anchor)
                if target is None:
                    raise _Fallback  # an undefined alias: the round-trip parser words the error
                add(target)
            elif kind is doc_t:
                documents += 1
                if documents > 1 or event.version is not None or event.tags:
                    raise _Fallback  # several documents, or %YAML / %TAG directives
    except yaml.YAMLError:
        raise _Fallback from None  # the round-trip parser words the syntax error (or accepts the text)
    except LoadError:
        # Refused. Reading on (events only, nothing kept) tells whether the text also has a syntax
        # error, which the reference parser's look-ahead may meet first: then it words the error.
        try:
            while get_event() is not None:
                pass
        except yaml.YAMLError:
            raise _Fallback from None
        raise
    except RecursionError:  # pragma: no cover - the depth limit stops nesting long before
        raise _Fallback from None
    return root


def _resolve_plain(value: str) -> Any:
    """A plain scalar's value under the YAML 1.2 core rules; rare forms go to the reference parser."""
    if not value:
        return None
    if value[0] not in _SPECIAL_FIRST:
        return value
    if _NULL.match(value):
        return None
    if _BOOL.match(value):
        return value[0] in "tT"
    if _INT.match(value):
        if _SIMPLE_INT.match(value):
            return int(value)
        raise _Fallback
    if _FLOAT.match(value):
        if _SIMPLE_FLOAT.match(value):
            return float(value)
        raise _Fallback
    if value == "<<" or value == "=" or _TIMESTAMP.match(value):
        raise _Fallback
    return value


def _plain(node: Any, loc: tuple[Any, ...], source: SourceMap, budget: list[int], display: str, limits: Limits) -> Any:
    """Plain data from the node tree, positions recorded as the round-trip path records them."""
    budget[0] -= 1
    if budget[0] < 0:
        raise expansion_error(display, source.at(loc))
    if len(loc) > limits.max_depth:
        raise deep_aliases_error(display, source.at(loc), limits)
    kind = node[0]
    if kind == _SCALAR:
        return node[1]
    positions = source.positions
    if kind == _MAP:
        out: dict[Any, Any] = {}
        keys = source.key_positions
        for key_node, child in node[1]:
            key = key_node[1]
            here = loc + (key,)
            keys[here] = (key_node[2], key_node[3])
            # a value's own place; for a collection or a null (often an empty value), its key's place
            positions[here] = (child[2], child[3]) if child[0] == _SCALAR and child[1] is not None else keys[here]
            out[key] = _plain(child, here, source, budget, display, limits)
        return out
    items = []
    for i, child in enumerate(node[1]):
        here = loc + (i,)
        positions[here] = (child[2], child[3])
        items.append(_plain(child, here, source, budget, display, limits))
    return items
