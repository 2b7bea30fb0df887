"""``hypoplan fmt``: one canonical layout for hypothesis YAML that keeps every comment.

The layout: keys in the order of the schema (``id, title, status, …, focus,
nodes, edges``; inside nodes, edges, evidence the same), two-space
indentation with list dashes indented under their key, lists of plain values
in flow style (``constructs: [a, b]``), symbolic signs double-quoted
(``sign: "+"``), multi-line text as literal blocks or double-quoted
escapes, no wrapping of long lines, and one blank line before each top-level
block (``focus:``, ``nodes:``, ``edges:``, …).

Comments are kept where they belong: a comment line stays above the key or
list item that followed it, an end-of-line comment stays on the line of its
value, and the comments at the top of the file (an editor modeline, a
``# hypoplan: disable=…`` directive, and any block separated from the first
key by a blank line) stay at the top, followed by one blank line.  The data is emitted
without comments by ruamel.yaml, and the comments are put back by line, using
the positions of each value in the input and the output.

:func:`format_text` never loses content: it checks that the result loads to
the same hypothesis and holds the same comments, and raises
:class:`FormatError` instead of returning anything else.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import Diagnostic, HypoplanError
from ..loader import load_text
from ..schema import EffectSize, Evidence, Hypothesis, Node, Edge, Focus, Peco, Position, Provenance

__all__ = ["FormatError", "format_text", "dump_commented", "comments_of", "Comment", "CANONICAL_ORDER"]


class FormatError(HypoplanError):
    """The formatter could not produce an equivalent file; nothing was written."""


#: Key order of each kind of mapping, from the schema's field order.
CANONICAL_ORDER: dict[str, tuple[str, ...]] = {
    "hypothesis": tuple(Hypothesis.model_fields),
    "node": tuple(Node.model_fields),
    "edge": tuple(Edge.model_fields),
    "evidence": tuple(Evidence.model_fields),
    "effect_size": tuple(EffectSize.model_fields),
    "focus": tuple(Focus.model_fields),
    "peco": tuple(Peco.model_fields),
    "provenance": tuple(Provenance.model_fields),
    "pos": tuple(Position.model_fields),
}

_CHILD_KIND = {
    ("hypothesis", "nodes"): "node", ("hypothesis", "edges"): "edge", ("hypothesis", "focus"): "focus",
    ("hypothesis", "peco"): "peco", ("hypothesis", "provenance"): "provenance", ("node", "pos"): "pos",
    ("edge", "evidence"): "evidence", ("evidence", "effect_size"): "effect_size",
}

_SIGN_SYMBOLS = {"+", "-", "−", "±", "+/-", "?"}


@dataclass(frozen=True)
class Comment:
    """One comment in a file: its text (from ``#``), its 0-based line, and whether it ends a line of content."""

    text: str
    line: int
    eol: bool


# --- reading comments and positions ------------------------------------------------------------------------------

_BLOCK_HEADER_COMMENT = re.compile(r"^\s*[|>][-+0-9]*\s+(#.*)$")
#: Comments that always stay at the top of the file: an editor modeline and hypoplan directives.
_DIRECTIVE = re.compile(r"^#\s*(yaml-language-server:|hypoplan:)")


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt", pure=True)
    yaml.width = 1_000_000_000
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def comments_of(text: str) -> list[Comment]:
    """Every comment of a YAML text, found from the scanner's token positions (so ``#`` inside strings and
    block scalars is not a comment)."""
    lines = text.splitlines()
    covered: set[int] = set()
    last_end: dict[int, int] = {}
    for token in _yaml().scan(text):
        start, end = token.start_mark, token.end_mark
        if (start.line, start.column) == (end.line, end.column):
            continue
        last_line = end.line if end.column > 0 else end.line - 1
        covered.update(range(start.line, last_line + 1))
        if end.column > 0:
            last_end[end.line] = max(last_end.get(end.line, 0), end.column)
    out = []
    for i, line in enumerate(lines):
        if i not in covered:
            if line.strip().startswith("#"):
                out.append(Comment(line.strip(), i, False))
            continue
        if i in last_end:
            rest = line[last_end[i]:]
            if rest.strip().startswith("#"):
                out.append(Comment(rest.strip(), i, True))
            else:
                m = _BLOCK_HEADER_COMMENT.match(rest)
                if m:
                    out.append(Comment(m.group(1).strip(), i, True))
    return out


def _positions(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], int]]:
    """``(path, 0-based line)`` of every key and list item, in document order."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(data, CommentedMap):
        for key in data:
            try:
                line = data.lc.key(key)[0]
            except (KeyError, TypeError, AttributeError):
                line = None
            if line is not None:
                yield path + (key,), line
            yield from _positions(data[key], path + (key,))
    elif isinstance(data, CommentedSeq):
        for i, item in enumerate(data):
            try:
                line = data.lc.item(i)[0]
            except (KeyError, TypeError, AttributeError, IndexError):
                line = None
            if line is not None:
                yield path + (i,), line
            yield from _positions(item, path + (i,))


# --- canonical data ------------------------------------------------------------------------------------------------


def _canonical(value: Any, kind: str | None, key: Any = None) -> Any:
    """A comment-free copy of ``value`` with keys in canonical order and canonical collection styles."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, FoldedScalarString, LiteralScalarString

    if isinstance(value, dict):
        order = CANONICAL_ORDER.get(kind or "", ())
        keys = [k for k in order if k in value] + [k for k in value if k not in order]
        out = CommentedMap()
        for k in keys:
            out[k] = _canonical(value[k], _CHILD_KIND.get((kind or "", k)), k)
        if not value:
            out.fa.set_flow_style()
        return out
    if isinstance(value, list):
        seq = CommentedSeq(_canonical(v, kind, key) for v in value)
        if all(not isinstance(v, (dict, list)) for v in value):
            seq.fa.set_flow_style()
        return seq
    if isinstance(value, str):
        if key == "sign" and value.strip() in _SIGN_SYMBOLS:
            return DoubleQuotedScalarString(value)
        if isinstance(value, LiteralScalarString):
            return LiteralScalarString(str(value))  # a fresh copy: the loaded one carries its header comment
        if isinstance(value, FoldedScalarString):
            return FoldedScalarString(str(value))
        if "\n" in value or "\r" in value:
            return DoubleQuotedScalarString(value)
    return value


def _emit(data: Any) -> str:
    stream = io.StringIO()
    _yaml().dump(data, stream)
    return stream.getvalue()


# --- formatting ----------------------------------------------------------------------------------------------------


def _anchor_comments(text: str, data: Any) -> tuple[list[str], dict[tuple[Any, ...], list[str]], dict[tuple[Any, ...], list[str]], list[str]]:
    """Assign each comment to the value it belongs to: header, before a path, at the end of a path's line, trailer."""
    positions = list(_positions(data))
    if not positions:
        return [c.text for c in comments_of(text)], {}, {}, []
    first_line = min(line for _, line in positions)
    by_line: dict[int, list[tuple[Any, ...]]] = {}
    for path, line in positions:
        by_line.setdefault(line, []).append(path)
    content_lines = sorted(by_line)
    header: list[str] = []
    before: dict[tuple[Any, ...], list[str]] = {}
    eol: dict[tuple[Any, ...], list[str]] = {}
    trailer: list[str] = []
    import bisect

    text_lines = text.splitlines()
    for c in comments_of(text):
        if c.eol:
            candidates = by_line.get(c.line)
            if not candidates:
                k = bisect.bisect_right(content_lines, c.line) - 1
                candidates = by_line[content_lines[max(k, 0)]]
            eol.setdefault(candidates[-1], []).append(c.text)
        elif c.line < first_line and (_DIRECTIVE.match(c.text) or
                                      any(not ln.strip() for ln in text_lines[c.line + 1:first_line])):
            header.append(c.text)
        else:
            k = bisect.bisect_right(content_lines, c.line)
            if k >= len(content_lines):
                trailer.append(c.text)
            else:
                anchor = min(by_line[content_lines[k]], key=len)
                before.setdefault(anchor, []).append(c.text)
    return header, before, eol, trailer


def format_text(text: str, display: str = "<text>") -> str:
    """The canonical layout of one hypothesis file's text, comments kept.

    Raises :class:`~hypoplan.errors.LoadError` when the text is not a valid hypothesis, and
    :class:`FormatError` when the result would not load to the same hypothesis or would lose a comment.
    """
    original = load_text(text, display).hypothesis
    if text.lstrip().startswith(("dag", "digraph", "graph", "pdag", "mag", "pag", "strict")):
        from ..loader import looks_like_dagitty

        if looks_like_dagitty(text):
            raise FormatError("not YAML", [Diagnostic(display, 0, 0, "F001", "fmt formats YAML hypothesis files only",
                                                      "convert DAGitty text with 'hypoplan import' first")])
    data = _yaml().load(text)
    header, before, eol, trailer = _anchor_comments(text, data)
    result = _assemble(_canonical(data, "hypothesis"), header, before, eol, trailer)
    _verify(text, result, original, display)
    return result


def _assemble(canonical: Any, header: list[str], before: dict[tuple[Any, ...], list[str]],
              eol: dict[tuple[Any, ...], list[str]], trailer: list[str]) -> str:
    """Emit canonical data and put the comments back: above their path, at the end of its line, top and bottom."""
    body = _emit(canonical)
    out_positions = dict(_positions(_yaml().load(body)))
    lines = body.splitlines()
    prefix: dict[int, list[str]] = {}
    suffix: dict[int, list[str]] = {}
    for path, texts in before.items():
        prefix.setdefault(out_positions[path], []).extend(texts)
    for path, texts in eol.items():
        line = out_positions[path]
        if line in suffix:
            prefix.setdefault(line, []).extend(texts)
        else:
            suffix[line] = texts[:1]
            prefix.setdefault(line, []).extend(texts[1:])
    blank_before = {line for path, line in out_positions.items()
                    if len(path) == 1 and _is_block(canonical[path[0]])}
    out: list[str] = list(header) + ([""] if header else [])
    for i, line in enumerate(lines):
        indent = line[: len(line) - len(line.lstrip())]
        if i in blank_before and out and out[-1] != "":
            out.append("")
        out.extend(indent + t for t in prefix.get(i, []))
        out.append(line + "".join(f"  {t}" for t in suffix.get(i, [])))
    out.extend(trailer)
    return "\n".join(out) + "\n"


def dump_commented(data: dict[str, Any], *, header: list[str] | None = None,
                   eol: dict[tuple[Any, ...], str] | None = None) -> str:
    """Plain hypothesis data in the canonical layout, with header comments and end-of-line comments at paths
    (e.g. ``{("edges", 0, "source"): "# TODO confirm"}``)."""
    return _assemble(_canonical(data, "hypothesis"), list(header or []), {},
                     {path: [text] for path, text in (eol or {}).items()}, [])


def _is_block(value: Any) -> bool:
    return isinstance(value, (dict, list)) and bool(value) and not getattr(value, "fa", None).flow_style()


def _verify(before: str, after: str, original: Hypothesis, display: str) -> None:
    """Refuse a result that loads differently or does not hold exactly the same comments."""
    from ..errors import LoadError

    try:
        again = load_text(after, display).hypothesis
    except LoadError:
        again = None
    if again != original:
        raise FormatError("formatting would change the meaning", [Diagnostic(
            display, 0, 0, "F002", "formatting would change what the file means; the file was left as it is",
            "please report this file to the hypoplan developers")])
    lost = Counter(c.text for c in comments_of(before)) - Counter(c.text for c in comments_of(after))
    if lost:
        first = next(iter(lost))
        raise FormatError("formatting would lose a comment", [Diagnostic(
            display, 0, 0, "F003", f"formatting would lose the comment {first!r}; the file was left as it is",
            "move the comment onto its own line above the value it describes")])
