"""DAGitty's graph language, read the way DAGitty reads it, and written back.

The grammar follows DAGitty's own parser (Textor et al. 2016, *Int J Epidemiol*
45:1887; ``jslib/parser/GraphDotParser.pegjs`` and ``jslib/graph/GraphParser.js``
of dagitty.net), checked statement by statement:

* header ``dag|digraph [name] { … }`` (case-insensitive); text without a header is
  read as the body of a ``dag``, as DAGitty does.  The headers ``graph``, ``pdag``,
  ``mag`` and ``pag`` are refused with a located error: their edges mean something
  else than a DAG's (in a MAG, X -> Y may hide confounding), and reading them as a
  ``dag`` would change the answers;
* ids are bare words ``-?[0-9A-Za-z_.]+`` or quoted strings (``\\"`` is a quote,
  a backslash before a line break continues the string, ``"a" + "b"`` joins);
* ``;``, spaces, tabs and line breaks all separate statements;
* statements: ``key = value`` (graph option; ``bb`` is checked, others are
  ignored), ``node [attr, key=value, …]``, chains ``a -> b <- c`` whose
  members may be groups ``{b c}`` (nested, and holding statements of their own);
* edges ``->``, ``<-``, ``<->`` (bidirected) and ``--`` (undirected);
* node flags ``exposure``/``e``/``source``, ``outcome``/``o``/``target``,
  ``adjusted``/``a``, ``latent``/``l``/``unobserved``/``u``, ``selected``/``s``,
  ``pos="x,y"``, ``label="…"``; other attributes are kept verbatim.

Where DAGitty would *silently* build a different graph than the author meant,
this reader stops with a located error (code E060) instead: ``a-b -> c``
(DAGitty makes two nodes ``a`` and ``-b``), ``strict dag {…}`` and anything
after the closing ``}`` (DAGitty wraps the text and turns the words into
nodes), a graph name DAGitty cannot read, ``name { … }`` on one line (DAGitty
has no named subgraphs: ``name`` becomes a node), Graphviz's ``edge [...]``
defaults (a node named ``edge`` in DAGitty), and invalid ``pos``/``bb``.

Mapping to a :class:`~hypoplan.schema.Hypothesis`:

* a DAGitty id that is not a valid hypoplan id (:data:`~hypoplan.schema.ID_PATTERN`)
  gets a derived id; the original is kept as the node's ``label`` (unless it has
  one) and in ``attributes["dagitty_id"]``, which :func:`dump_dagitty` writes back;
* ``latent`` → ``observed: false``; roles → ``focus``; ``<->`` → an edge of type
  ``confounded``;
* **undirected edges are refused.**  ``--`` (and the PAG marks ``@->``, ``@-@``
  …) say that the direction is unknown; a hypothesis is a causal claim and has
  no such edge, so the reader asks the author to choose ``->``/``<-`` or ``<->``;
* every edge is ``confidence: speculative`` with no evidence: a diagram makes no
  evidence claims;
* edge attributes (DAGitty's curve ``pos``, edge ``label``) and graph options
  other than the name are dropped; the graph type is not kept (export writes
  ``dag``).

Writing (:func:`dump_dagitty`) keeps node order, roles, latency, positions,
labels and attributes.  Two things DAGitty cannot hold are changed: control
characters in text become spaces (and a trailing backslash gets a space), and
a node named ``graph`` or ``node`` (names DAGitty refuses) is written as
``graph_``/``node_`` with its name as the label.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from pydantic import ValidationError

from .errors import Diagnostic, LoadError
from .schema import ID_PATTERN, Edge, EdgeType, Focus, Hypothesis, Node, Position
from .yamlio import SourceMap

__all__ = ["DAGITTY_ID", "GRAPH_TYPES", "LATENT_FLAGS", "ROLE_FLAGS", "dump_dagitty", "parse_dagitty"]

#: Attribute under which the original DAGitty id of a renamed node is kept.
DAGITTY_ID = "dagitty_id"
GRAPH_TYPES = ("dag", "digraph", "graph", "pdag", "mag", "pag")
#: Graph types DAGitty knows whose edges mean something else than a DAG's, refused with the reason.
_OTHER_TYPES = {
    "mag": "in a maximal ancestral graph X -> Y only says X is an ancestor of Y, and may hide confounding and "
           "selection that a DAG would show",
    "pag": "a partial ancestral graph stands for a class of MAGs whose edge marks (o, -, >) may be undecided",
    "pdag": "a partially directed graph stands for an equivalence class of DAGs: its undirected edges have no "
            "known direction",
    "graph": "an undirected graph has no causal directions",
}
#: DAGitty's node flags for the four roles (GraphParser.js).
ROLE_FLAGS = {
    "exposure": ("exposure", "e", "source"),
    "outcome": ("outcome", "o", "target"),
    "adjusted": ("adjusted", "a"),
    "selected": ("selected", "s"),
}
LATENT_FLAGS = ("latent", "l", "unobserved", "u")
_FLAG_ROLE = {flag: role for role, flags in ROLE_FLAGS.items() for flag in flags}
#: Ids DAGitty refuses ("variables cannot be named 'graph' or 'node'").
_FORBIDDEN = ("graph", "node")
_RESERVED = set(_FLAG_ROLE) | set(LATENT_FLAGS) | {"pos", "label", DAGITTY_ID}

MAX_BYTES = 2_000_000
MAX_TOKENS = 100_000
MAX_DEPTH = 64
MAX_NODES = 5_000
MAX_EDGES = 20_000

_CODE = "E060"
_LEX = re.compile(
    r"(?P<ws>[ \t\r\n;]+)"
    r'|(?P<str>"(?:[^"\\\x00-\x1f\x7f]|\\"|\\[\r\n]+|\\)*+")'
    r"|(?P<edge>@->|<-@|->|--@|--|<->|<-|@-@|@--)"
    r"|(?P<word>-?[0-9A-Za-z_.]+)"
    r"|(?P<punct>[{}\[\]=,+])"
    r"|(?P<bad>.)",
    re.DOTALL,
)
_UNESCAPE = re.compile(r'\\(?:"|[\r\n]+)?')
_NUMBER = r"(-?(?:[0-9]+\.?[0-9]*|\.[0-9]+))"
_POS = re.compile(rf"\s*{_NUMBER}\s*,\s*{_NUMBER}\s*")
_BB = re.compile(rf"\s*{_NUMBER}\s*,\s*{_NUMBER}\s*,\s*{_NUMBER}\s*,\s*{_NUMBER}\s*")
_GRAPH_NAME = re.compile(r"[A-Za-z0-9_]+")
_BAREWORD = re.compile(r"[0-9A-Za-z_.]+")
_ID_RE = re.compile(ID_PATTERN)


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str  # "id", "edge", "{", "}", "[", "]", "=", ",", "+", "eof"
    text: str  # raw text (for ids: the decoded value)
    offset: int
    separated: bool  # the gap before it holds a line break or ';'
    quoted: bool = False


@dataclass
class _NodeInfo:
    offset: int
    roles: dict[str, int] = field(default_factory=dict)  # role -> offset of its flag
    latent: bool = False
    label: str | None = None
    pos: tuple[float, float] | None = None
    attributes: dict[str, str] = field(default_factory=dict)


class _Source:
    """Offsets → 1-based line and column."""

    def __init__(self, text: str, display: str):
        self.text = text
        self.display = display
        self._lines = [m.start() for m in re.finditer("\n", text)]

    def at(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_left(self._lines, offset)
        start = self._lines[line - 1] + 1 if line else 0
        return line + 1, offset - start + 1

    def error(self, offset: int, message: str, hint: str = "", code: str = _CODE) -> LoadError:
        line, col = self.at(offset)
        return LoadError(message, [Diagnostic(self.display, line, col, code, message, hint)])


def _decode_string(raw: str) -> str:
    body = raw[1:-1]

    def repl(m: re.Match[str]) -> str:
        s = m.group(0)
        if s == '\\"':
            return '"'
        return "" if len(s) > 1 else "\\"

    return _UNESCAPE.sub(repl, body)


def _tokenize(src: _Source) -> list[_Tok]:
    text = src.text
    toks: list[_Tok] = []
    separated = True
    gap = True  # whitespace (or start of text) before the next token
    for m in _LEX.finditer(text):
        kind = m.lastgroup
        value = m.group()
        start = m.start()
        if kind == "ws":
            separated = separated or ("\n" in value or ";" in value)
            gap = True
            continue
        if kind == "bad":
            raise _bad_char(src, start, value)
        if kind == "word" and value.startswith("-") and not gap and toks and toks[-1].kind == "id":
            prev = toks[-1]
            whole = text[prev.offset:m.end()]
            raise src.error(prev.offset, f"DAGitty reads '{whole}' as two nodes, '{prev.text}' and '{value}'",
                            f'quote the name to keep it whole: "{whole}", or write an arrow: {prev.text} -> {value[1:]}')
        if kind == "str":
            tok = _Tok("id", _decode_string(value), start, separated, quoted=True)
        elif kind == "word":
            tok = _Tok("id", value, start, separated)
        elif kind == "edge":
            tok = _Tok("edge", value, start, separated)
        else:
            tok = _Tok(value, value, start, separated)
        toks.append(tok)
        if len(toks) > MAX_TOKENS:
            raise src.error(start, f"DAGitty text too large: more than {MAX_TOKENS:,} tokens",
                            "a causal diagram has tens of nodes; check that this is the right file", code="E004")
        separated = gap = False
    toks.append(_Tok("eof", "", len(text), True))
    return toks


def _bad_char(src: _Source, offset: int, ch: str) -> LoadError:
    if ch == '"':
        return src.error(offset, "quoted name is not closed",
                         'end it with " on the same line; write \\" for a quote inside it, and a backslash at the '
                         "end of a line to continue on the next; tabs and control characters are not allowed")
    if ch == "#" or ch == "/":
        return src.error(offset, f"unexpected '{ch}': DAGitty has no comments",
                         "remove the comment; keep notes in the hypothesis YAML instead")
    shown = ch if ch.isprintable() else f"U+{ord(ch):04X}"
    return src.error(offset, f"unexpected character '{shown}'",
                     "bare names use only A-Z, a-z, 0-9, '_' and '.'; put other names in double quotes")


class _Parser:
    def __init__(self, src: _Source):
        self.src = src
        self.toks = _tokenize(src)
        self.i = 0
        self.nodes: dict[str, _NodeInfo] = {}
        self.edges: dict[tuple[str, str, str], tuple[str, str, EdgeType, int]] = {}
        self.graph_type = "dag"
        self.name: str | None = None
        self.header_offset = 0

    # -- token helpers -------------------------------------------------
    def peek(self, k: int = 0) -> _Tok:
        return self.toks[min(self.i + k, len(self.toks) - 1)]

    def advance(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def error(self, tok: _Tok, message: str, hint: str = "") -> LoadError:
        return self.src.error(tok.offset, message, hint)

    def describe(self, tok: _Tok) -> str:
        if tok.kind == "eof":
            return "the end of the text"
        return f"'{tok.text}'" if len(tok.text) <= 40 else f"'{tok.text[:39]}…'"

    # -- document ------------------------------------------------------
    def parse(self) -> None:
        first = self.peek()
        if first.kind == "id" and not first.quoted and first.text.lower() == "strict":
            raise self.error(first, "'strict' is not part of DAGitty's language",
                             "remove 'strict': DAGitty would read it, and the graph type after it, as extra nodes")
        if self._has_header():
            self.parse_header()
            opener = self.advance()
            self.statements(0, opener)
            trailing = self.peek()
            if trailing.kind != "eof":
                raise self.error(trailing, f"text after the closing '}}': {self.describe(trailing)}",
                                 "DAGitty would turn it into extra nodes; remove it or move it inside the braces")
        else:
            self._refuse_late_header()
            self.statements(0, None)

    def _has_header(self) -> bool:
        first = self.peek()
        if first.kind != "id" or first.quoted or first.text.lower() not in GRAPH_TYPES:
            return False
        nxt = self.peek(1)
        return nxt.kind == "{" or (nxt.kind == "id" and self.peek(2).kind == "{")

    def parse_header(self) -> None:
        kind = self.advance()
        self.header_offset = kind.offset
        self.graph_type = kind.text.lower()
        if self.graph_type in _OTHER_TYPES:
            raise self.error(kind, f"a '{self.graph_type}' is not a DAG: {_OTHER_TYPES[self.graph_type]}",
                             "hypoplan reads only 'dag' (and 'digraph'); if every edge is a causal claim, change "
                             "the header to 'dag', and write hidden common causes as '<->' or latent nodes")
        if self.peek().kind == "id":
            name = self.advance()
            if name.quoted or not _GRAPH_NAME.fullmatch(name.text):
                raise self.error(name, f"DAGitty cannot read the graph name '{name.text}'",
                                 "graph names use only letters, digits and '_'; DAGitty would read this one as nodes")
            self.name = name.text

    def _refuse_late_header(self) -> None:
        for j, tok in enumerate(self.toks[:-1]):
            if (tok.kind == "id" and not tok.quoted and tok.text.lower() in GRAPH_TYPES
                    and self.toks[j + 1].kind == "{" and tok.separated):
                raise self.error(tok, f"'{tok.text} {{' must open the text",
                                 "move the graph header to the start, or remove the text before it")

    # -- statements ----------------------------------------------------
    def statements(self, depth: int, opener: _Tok | None) -> list[str]:
        """Statements up to the ``}`` closing ``opener`` (or the end); returns the nodes they mention."""
        mentioned: dict[str, None] = {}
        while True:
            tok = self.peek()
            if tok.kind == "}":
                if opener is None:
                    raise self.error(tok, "unexpected '}': no '{' is open here",
                                     "remove it, or add the graph header 'dag {' at the start")
                self.advance()
                return list(mentioned)
            if tok.kind == "eof":
                if opener is not None:
                    raise self.error(opener, "this '{' is never closed", "add the matching '}'")
                return list(mentioned)
            self.statement(depth, mentioned)

    def statement(self, depth: int, mentioned: dict[str, None]) -> None:
        tok = self.peek()
        if tok.kind == "{":
            members = self.group(depth, mentioned)
            if self.peek().kind == "edge":
                self.chain(members, depth, mentioned)
            return
        if tok.kind != "id":
            hint = "an arrow needs a node on each side" if tok.kind == "edge" else \
                "statements are 'a -> b', 'a [exposure]', '{a b} -> c' or 'bb=\"…\"'"
            raise self.error(tok, f"unexpected {self.describe(tok)}", hint)
        name, name_tok = self.read_id()
        nxt = self.peek()
        if nxt.kind == "=":
            self.advance()
            value, value_tok = self.expect_id("a value after '='")
            self.graph_option(name, value, value_tok)
            return
        self.refuse_named_group(name, name_tok)
        if nxt.kind == "[" and name == "edge" and not name_tok.quoted:
            raise self.error(name_tok, "DAGitty reads 'edge [...]' as a node named 'edge', not as edge defaults",
                             "remove the statement (DAGitty has no default attributes), or quote the name if "
                             "you really mean a variable called edge")
        self.vertex(name, name_tok, mentioned)
        if nxt.kind == "[":
            self.node_attributes(name, self.attr_list())
        elif nxt.kind == "edge":
            self.chain([name], depth, mentioned)

    def refuse_named_group(self, name: str, name_tok: _Tok) -> None:
        nxt = self.peek()
        if nxt.kind == "{" and not nxt.separated:
            raise self.error(name_tok, f"DAGitty reads '{name}' before '{{' as a node, not as a group name",
                             "DAGitty has no named subgraphs; remove the name, or put ';' or a line break between "
                             "the node and the group")

    def group(self, depth: int, mentioned: dict[str, None]) -> list[str]:
        opener = self.advance()
        if depth + 1 > MAX_DEPTH:
            raise self.error(opener, f"groups nested deeper than {MAX_DEPTH} levels",
                             "a causal diagram needs only a few levels of {…}")
        members = self.statements(depth + 1, opener)
        for m in members:
            mentioned.setdefault(m, None)
        return members

    def chain(self, first: list[str], depth: int, mentioned: dict[str, None]) -> None:
        left = first
        while self.peek().kind == "edge":
            op = self.advance()
            nxt = self.peek()
            if nxt.kind == "{":
                right = self.group(depth, mentioned)
            elif nxt.kind == "id":
                name, name_tok = self.read_id()
                self.refuse_named_group(name, name_tok)
                self.vertex(name, name_tok, mentioned)
                right = [name]
            else:
                raise self.error(nxt, f"'{op.text}' must be followed by a node or a {{group}}, not {self.describe(nxt)}",
                                 "finish the arrow, e.g. 'a -> b'")
            self.add_edges(left, op, right)
            left = right
        if self.peek().kind == "[":
            self.attr_list()  # edge attributes (curve position, edge label) have no hypoplan equivalent

    def add_edges(self, left: list[str], op: _Tok, right: list[str]) -> None:
        if op.text in ("--",) or "@" in op.text:
            raise self.error(op, f"'{op.text}' is an edge without a known direction, which a causal hypothesis cannot hold",
                             "choose a direction ('->' or '<-'), or write '<->' when a shared unmeasured cause joins "
                             "the two nodes")
        for a in left:
            for b in right:
                if op.text == "->":
                    src, tgt, etype = a, b, EdgeType.CAUSES
                elif op.text == "<-":
                    src, tgt, etype = b, a, EdgeType.CAUSES
                else:
                    src, tgt, etype = a, b, EdgeType.CONFOUNDED
                if src == tgt:
                    raise self.error(op, f"an edge cannot join '{src}' to itself",
                                     "remove the self-loop; model feedback as separate time points")
                lo, hi = sorted((src, tgt))
                key = (src, tgt, "causes") if etype is EdgeType.CAUSES else (lo, hi, "confounded")
                if key not in self.edges:
                    if len(self.edges) >= MAX_EDGES:
                        raise self.error(op, f"more than {MAX_EDGES:,} edges", "check that this is the right file")
                    self.edges[key] = (src, tgt, etype, op.offset)

    # -- ids and attributes -------------------------------------------
    def read_id(self) -> tuple[str, _Tok]:
        tok = self.advance()
        value = tok.text
        while tok.quoted and self.peek().kind == "+":
            plus = self.advance()
            part = self.advance()
            if not part.quoted:
                raise self.error(plus, "'+' must join two quoted strings", 'write "first part" + "second part"')
            value += part.text
        return value, tok

    def expect_id(self, what: str) -> tuple[str, _Tok]:
        if self.peek().kind != "id":
            raise self.error(self.peek(), f"expected {what}, found {self.describe(self.peek())}")
        return self.read_id()

    def vertex(self, name: str, tok: _Tok, mentioned: dict[str, None]) -> None:
        if name in _FORBIDDEN:
            raise self.error(tok, f"DAGitty does not allow a variable named '{name}'",
                             "use another id and give the display name as label=\"…\"")
        if name not in self.nodes:
            if len(self.nodes) >= MAX_NODES:
                raise self.error(tok, f"more than {MAX_NODES:,} nodes", "check that this is the right file")
            self.nodes[name] = _NodeInfo(tok.offset)
        mentioned.setdefault(name, None)

    def attr_list(self) -> list[tuple[str, str | None, _Tok]]:
        opener = self.advance()
        out: list[tuple[str, str | None, _Tok]] = []
        while True:
            tok = self.peek()
            if tok.kind == "]":
                self.advance()
                return out
            if tok.kind in ("eof", "{", "}", "[", "edge"):
                raise self.error(opener, f"this '[' is never closed (found {self.describe(tok)} first)",
                                 "add the matching ']'")
            if tok.kind != "id":
                raise self.error(tok, f"unexpected {self.describe(tok)} in an attribute list",
                                 'write attributes as [exposure, pos="1,2", label="…"]')
            key, key_tok = self.read_id()
            value: str | None = None
            if self.peek().kind == "=":
                self.advance()
                value, _ = self.expect_id(f"a value for '{key}'")
            out.append((key, value, key_tok))
            if self.peek().kind == ",":
                self.advance()

    def node_attributes(self, name: str, attrs: list[tuple[str, str | None, _Tok]]) -> None:
        info = self.nodes[name]
        for key, value, tok in attrs:
            if key in _FLAG_ROLE:
                info.roles.setdefault(_FLAG_ROLE[key], tok.offset)
            elif key in LATENT_FLAGS:
                info.latent = True
            elif key == "pos":
                info.pos = self.position(value, tok)
            elif key == "label":
                if value is None:
                    raise self.error(tok, "'label' needs a value", 'write label="…"')
                info.label = value
            elif key == DAGITTY_ID:
                raise self.error(tok, f"'{DAGITTY_ID}' is reserved for ids hypoplan had to rename",
                                 "rename this attribute")
            else:
                info.attributes[key] = value if value is not None else ""

    def position(self, value: str | None, tok: _Tok) -> tuple[float, float]:
        m = _POS.fullmatch(value or "")
        if not m:
            raise self.error(tok, f"pos must be two numbers \"x,y\", not {value!r}",
                             'write pos="1.5,-2" (DAGitty would misread or reject other forms)')
        return float(m.group(1)), float(m.group(2))

    def graph_option(self, key: str, value: str, tok: _Tok) -> None:
        if key == "bb" and not _BB.fullmatch(value):
            raise self.error(tok, f"bb must be four numbers \"x1,y1,x2,y2\", not {value!r}",
                             'write bb="0,0,1,1" or remove it')


# -- mapping to a Hypothesis ------------------------------------------

def _derive_id(original: str, prefix: str = "n") -> str:
    """A valid hypoplan id that resembles ``original``."""
    base = re.sub(r"[^A-Za-z0-9_.\-]+", "_", original).strip("_")
    if not base or not base[0].isalpha() or not base.isascii():
        base = f"{prefix}_{base}" if base else prefix
    return base[:80].rstrip("_") or prefix


def _hypoplan_ids(originals: list[str]) -> dict[str, str]:
    """Keep valid ids; derive unique valid ids for the others (deterministic, in order)."""
    valid = {o for o in originals if _ID_RE.match(o) and len(o) <= 80}
    used = set(valid)
    out: dict[str, str] = {}
    for o in originals:
        if o in valid:
            out[o] = o
            continue
        base = _derive_id(o)
        candidate, k = base, 2
        while candidate in used:
            suffix = f"_{k}"
            candidate = base[: 80 - len(suffix)] + suffix
            k += 1
        used.add(candidate)
        out[o] = candidate
    return out


def _hypothesis_id(default_id: str) -> str:
    if _ID_RE.match(default_id) and len(default_id) <= 80:
        return default_id
    return _derive_id(default_id, "imported")


def parse_dagitty(text: str, display: str, default_id: str = "imported") -> tuple[Hypothesis, SourceMap]:
    """Read DAGitty text into a hypothesis (id ``default_id``) and a :class:`SourceMap` of its nodes and edges.

    Raises :class:`~hypoplan.errors.LoadError` (code E060) with ``line:col`` for
    syntax errors and for the inputs DAGitty would silently misread.
    """
    if len(text) > MAX_BYTES:
        raise LoadError("too large", [Diagnostic(display, 0, 0, "E002", f"text is over the {MAX_BYTES:,}-character limit",
                                                 "a causal diagram should be a few kilobytes")])
    if "\x00" in text:
        raise LoadError("binary", [Diagnostic(display, 0, 0, "E003", "text contains NUL bytes: this is not a DAGitty file",
                                              "give a DAGitty text such as 'dag { a -> b }'")])
    text = text.removeprefix("\ufeff")
    src = _Source(text, display)
    parser = _Parser(src)
    try:
        parser.parse()
    except RecursionError:  # pragma: no cover - MAX_DEPTH keeps recursion far below the limit
        raise src.error(0, "groups nested too deeply", "simplify the diagram") from None
    return _to_hypothesis(parser, src, default_id)


def _to_hypothesis(p: _Parser, src: _Source, default_id: str) -> tuple[Hypothesis, SourceMap]:
    source = SourceMap(src.display)
    source.positions[()] = (1, 1)
    source.positions[("id",)] = src.at(p.header_offset)
    source.positions[("focus",)] = src.at(p.header_offset)
    ids = _hypoplan_ids(list(p.nodes))
    nodes: list[Node] = []
    roles: dict[str, list[str]] = {r: [] for r in ROLE_FLAGS}
    for i, (original, info) in enumerate(p.nodes.items()):
        nid = ids[original]
        attributes = dict(info.attributes)
        label = info.label
        if nid != original:
            attributes[DAGITTY_ID] = original
            if label is None:
                label = original if len(original) <= 200 else original[:199] + "…"
        try:
            nodes.append(Node(id=nid, label=label, observed=not info.latent,
                              pos=Position(x=info.pos[0], y=info.pos[1]) if info.pos else None,
                              attributes=attributes))
        except ValidationError as exc:
            first = exc.errors(include_url=False)[0]
            where = ".".join(str(x) for x in first["loc"])
            raise src.error(info.offset, f"node '{original}': {where}: {first['msg']}",
                            "shorten the label or fix the value") from None
        source.positions[("nodes", i)] = source.positions[("nodes", i, "id")] = src.at(info.offset)
        for role, offset in info.roles.items():
            source.positions[("focus", role, len(roles[role]))] = src.at(offset)
            roles[role].append(nid)
    edges = []
    for j, (a, b, etype, offset) in enumerate(p.edges.values()):
        edges.append(Edge(source=ids[a], target=ids[b], type=etype))
        source.positions[("edges", j)] = src.at(offset)
    title = p.name or f"Imported from DAGitty ({Path(src.display).name})"
    hypothesis = Hypothesis(id=_hypothesis_id(default_id), title=title[:300], focus=Focus(**{r: tuple(ids) for r, ids in roles.items()}),
                            nodes=tuple(nodes), edges=tuple(edges))
    return hypothesis, source


# -- writing -----------------------------------------------------------

def _quote(value: str) -> str:
    """A DAGitty id or value: bare when DAGitty's serializer would leave it bare, else quoted.

    DAGitty strings cannot hold control characters or end in a backslash; those
    become spaces (the only lossy case).
    """
    if _BAREWORD.fullmatch(value):
        return value
    value = re.sub(r"[\x00-\x1f\x7f]", " ", value)
    if value.endswith("\\"):
        value += " "
    return '"' + value.replace('"', '\\"') + '"'


def _number(x: float) -> str:
    """A float in the positional notation DAGitty's ``pos`` reader accepts (no exponent), exactly."""
    text = format(Decimal(repr(float(x))), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def dump_dagitty(h: Hypothesis) -> str:
    """The hypothesis as a DAGitty ``dag``: nodes (in order) with roles, latency, positions, labels and
    attributes, then its edges (``->`` and ``<->``).  Evidence and other hypoplan fields are not written.
    """
    names = _dagitty_names(h)
    roles = {role: set(getattr(h.focus, role)) for role in ROLE_FLAGS}
    roles["selected"] |= {n.id for n in h.nodes if n.selected}
    lines = ["dag {"]
    written: set[str] = set()
    for node in h.nodes:
        props = [role for role in ROLE_FLAGS if node.id in roles[role]]
        if not node.observed:
            props.insert(len([r for r in ("exposure", "outcome", "adjusted") if node.id in roles[r]]), "latent")
        if node.pos is not None and math.isfinite(node.pos.x) and math.isfinite(node.pos.y):
            props.append(f'pos="{_number(node.pos.x)},{_number(node.pos.y)}"')
        original = node.attributes.get(DAGITTY_ID)
        label = node.label if node.label is not None or node.id not in _FORBIDDEN else node.id
        if label is not None and not (original is not None and names[node.id] == original and label == original):
            props.append(f"label={_quote_always(label)}")
        for key, value in node.attributes.items():
            if key in _RESERVED:
                continue
            props.append(_quote(key) if value == "" else f"{_quote(key)}={_quote_always(value)}")
        stmt = _quote(names[node.id])
        lines.append(f"{stmt} [{','.join(props)}]" if props else stmt)
        written.add(node.id)
    for role in ROLE_FLAGS:
        for ref in getattr(h.focus, role):
            if ref not in written:
                flags = [r for r in ROLE_FLAGS if ref in roles[r]]
                lines.append(f"{_quote(names.get(ref, ref))} [{','.join(flags)}]")
                written.add(ref)
    for edge in h.edges:
        op = "->" if edge.type is EdgeType.CAUSES else "<->"
        lines.append(f"{_quote(names.get(edge.source, edge.source))} {op} {_quote(names.get(edge.target, edge.target))}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _quote_always(value: str) -> str:
    quoted = _quote(value)
    return quoted if quoted.startswith('"') else f'"{quoted}"'


def _dagitty_names(h: Hypothesis) -> dict[str, str]:
    """Hypoplan id → DAGitty id: the kept original when there is one and it clashes with nothing."""
    names = {n.id: n.id for n in h.nodes}
    taken = set(names)
    for node in h.nodes:
        original = node.attributes.get(DAGITTY_ID)
        if original is not None and original not in taken and original not in _FORBIDDEN:
            names[node.id] = original
            taken.add(original)
    for node_id in [i for i in names if names[i] in _FORBIDDEN]:
        candidate = node_id + "_"
        while candidate in taken:
            candidate += "_"
        names[node_id] = candidate
        taken.add(candidate)
    return names
