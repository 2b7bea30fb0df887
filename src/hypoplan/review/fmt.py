"""``hypoplan fmt``: one canonical layout for hypothesis YAML that keeps every comment.

The layout is the project's canonical YAML, the one :func:`hypoplan.writer.dump_hypothesis`
writes (schema key order, two-space indentation, quoted sign symbols, flow
lists of names, literal blocks for multi-line prose, long lines folded at 100
columns, a blank line before ``focus``, ``nodes`` and ``edges``), so files
written by ``import``/``new`` and files formatted by ``fmt`` never disagree.

Comments are kept where they belong: a comment line stays above the key or
list item that followed it, an end-of-line comment stays on the line of its
value (or just above it when the value now spans several lines), and the
comments at the top of the file (an editor modeline, a ``# hypoplan:
disable=…`` directive, and any block separated from the first key by a blank
line) stay at the top, followed by one blank line.  A comment whose key the
canonical form leaves out (a field at its default value) moves to the nearest
enclosing value.  The comments are found from the scanner's token positions
and put back by line, using where each value stands in the input and the output.

:func:`format_text` never loses content: it checks that the result loads to
the same hypothesis and holds the same comments, and raises
:class:`FormatError` instead of returning anything else.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import Diagnostic, HypoplanError
from ..loader import load_text
from ..schema import Hypothesis

__all__ = ["Comment", "FormatError", "comments_of", "dump_commented", "format_text"]


class FormatError(HypoplanError):
    """The formatter could not produce an equivalent file; nothing was written."""


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
    from ..loader import looks_like_dagitty

    if looks_like_dagitty(text):
        raise FormatError("not YAML", [Diagnostic(display, 0, 0, "F001", "fmt formats YAML hypothesis files only",
                                                  "convert DAGitty text with 'hypoplan import' first")])
    original = load_text(text, display).hypothesis
    header, before, eol, trailer = _anchor_comments(text, _yaml().load(text))
    result = _assemble(_canonical_body(original), header, before, eol, trailer)
    _verify(text, result, original, display)
    return result


def _canonical_body(h: Hypothesis) -> str:
    from ..writer import dump_hypothesis

    return dump_hypothesis(h, schema_modeline=None)


def _nearest(path: tuple[Any, ...], positions: dict[tuple[Any, ...], int]) -> tuple[Any, ...] | None:
    """``path`` or its nearest ancestor that the output has."""
    while path and path not in positions:
        path = path[:-1]
    return path or None


def _multiline_flow_lines(body: str) -> set[int]:
    """Lines where a plain or quoted scalar starts and continues on the next line (no room for a comment)."""
    out = set()
    from ruamel.yaml.tokens import ScalarToken

    for token in _yaml().scan(body):
        if isinstance(token, ScalarToken) and token.end_mark.line > token.start_mark.line \
                and getattr(token, "style", None) not in ("|", ">"):
            out.add(token.start_mark.line)
    return out


def _assemble(body: str, header: list[str], before: dict[tuple[Any, ...], list[str]],
              eol: dict[tuple[Any, ...], list[str]], trailer: list[str]) -> str:
    """Put the comments into the canonical text: above their path, at the end of its line, top and bottom."""
    out_positions = dict(_positions(_yaml().load(body)))
    lines = body.splitlines()
    no_room = _multiline_flow_lines(body)
    prefix: dict[int, list[str]] = {}
    suffix: dict[int, list[str]] = {}
    for path, texts in before.items():
        anchor = _nearest(path, out_positions)
        if anchor is None:
            header = header + texts
            continue
        prefix.setdefault(out_positions[anchor], []).extend(texts)
    for path, texts in eol.items():
        anchor = _nearest(path, out_positions)
        if anchor is None:
            header = header + texts
            continue
        line = out_positions[anchor]
        if line in suffix or line in no_room:
            prefix.setdefault(line, []).extend(texts)
        else:
            suffix[line] = texts[:1]
            prefix.setdefault(line, []).extend(texts[1:])
    out: list[str] = list(header) + ([""] if header else [])
    for i, text in enumerate(lines):
        indent = text[: len(text) - len(text.lstrip())]
        out.extend(indent + t for t in prefix.get(i, []))
        out.append(text + "".join(f"  {t}" for t in suffix.get(i, [])))
    out.extend(trailer)
    return "\n".join(out) + "\n"


def dump_commented(data: dict[str, Any], *, header: list[str] | None = None,
                   eol: dict[tuple[Any, ...], str] | None = None) -> str:
    """Hypothesis data in the canonical layout, with header comments and end-of-line comments at paths
    (e.g. ``{("edges", 0, "source"): "# TODO confirm"}``)."""
    body = _canonical_body(Hypothesis.model_validate(data))
    return _assemble(body, list(header or []), {}, {path: [text] for path, text in (eol or {}).items()}, [])


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
