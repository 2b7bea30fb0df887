"""A hypothesis as canonical, readable YAML that :func:`hypoplan.loader.load_text` reads back unchanged.

Canonical means: keys in the order the schema declares them (id, title,
status, summary, …, focus, nodes, edges), fields at their default value and
empty lists left out (except ``status``, an edge's ``confidence`` and an
evidence item's ``direction``, which are claims worth stating), signs written
as quoted symbols (``"+"``, ``"-"``, ``"±"``, ``"?"``), short lists of names in
flow style, multi-line prose as literal blocks, long lines folded at 100
columns (never inside double quotes, where ruamel's folding would turn a tab
into a space), and a blank line before
``focus``, ``nodes`` and ``edges``.  The first line is the
``# yaml-language-server: $schema=…`` modeline that lets editors validate the
file against ``schema/hypothesis.schema.json``.
"""

from __future__ import annotations

import io
import re
from enum import Enum
from typing import Any

from pydantic import BaseModel

from .schema import Edge, Evidence, Hypothesis, Position, Sign

__all__ = ["DEFAULT_SCHEMA_PATH", "dump_hypothesis", "modeline"]

#: Where the schema sits relative to a file in ``hypotheses/``.
DEFAULT_SCHEMA_PATH = "../schema/hypothesis.schema.json"

#: Fields written even at their default value, because they state a claim.
_ALWAYS = {(Hypothesis, "status"), (Edge, "confidence"), (Evidence, "direction")}
_SIGN_SYMBOL = {Sign.POSITIVE: "+", Sign.NEGATIVE: "-", Sign.MIXED: "±", Sign.UNKNOWN: "?"}
_BLANK_BEFORE = ("focus:", "nodes:", "edges:")
#: Characters that plain or single-quoted YAML would alter (line breaks, BOM, non-printables): use double quotes.
_NEEDS_ESCAPES = re.compile("[^\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\ufeff\u2028\u2029]")
_UNSAFE_BLOCK = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]|[ \t]\n|\n[ \t]|^\s|[ \t]$")


def modeline(schema_path: str) -> str:
    """The first line that points yaml-language-server at the JSON Schema."""
    return f"# yaml-language-server: $schema={schema_path}"


def dump_hypothesis(h: Hypothesis, *, schema_modeline: str | None = DEFAULT_SCHEMA_PATH) -> str:
    """Canonical YAML text of ``h``; ``schema_modeline`` is the schema path for the modeline (``None``: no modeline)."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt", pure=True)
    yaml.Emitter = _emitter_class()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 100
    yaml.allow_unicode = True
    out = io.StringIO()
    yaml.dump(_model(h), out)
    lines = out.getvalue().splitlines()
    text: list[str] = []
    if schema_modeline is not None:
        text.append(modeline(schema_modeline))
    for line in lines:
        if line.startswith(_BLANK_BEFORE) and text and text[-1] != "":
            text.append("")
        # Trailing spaces only occur where a flow scalar is folded, and YAML drops them there anyway.
        text.append(line.rstrip(" "))
    return "\n".join(text) + "\n"


def _emitter_class() -> Any:
    """ruamel's emitter, except that double-quoted strings are never folded (its fold turns a tab into a space)."""
    from ruamel.yaml.emitter import Emitter

    class _Emitter(Emitter):
        def write_double_quoted(self, text: Any, split: Any = True) -> None:
            super().write_double_quoted(text, split=False)

    return _Emitter


def _model(model: BaseModel) -> Any:
    from ruamel.yaml.comments import CommentedMap

    out = CommentedMap()
    cls = type(model)
    for name, info in cls.model_fields.items():
        value = getattr(model, name)
        if (cls, name) not in _ALWAYS and value == info.get_default(call_default_factory=True):
            continue
        converted = _value(value)
        if converted is None or (isinstance(converted, (list, dict)) and not converted):
            continue
        out[name] = converted
    if isinstance(model, Position):
        out.fa.set_flow_style()
    return out


#: Long one-line prose is written as a folded block (``>-``) with lines of at most this many characters.
FOLD_WIDTH = 88


def _string(value: str, *, block: bool = True) -> Any:
    """Multi-line prose as a literal block, long prose folded, text with non-printables double-quoted, else as is."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

    if block and "\n" in value and not _UNSAFE_BLOCK.search(value):
        return LiteralScalarString(value)
    if _NEEDS_ESCAPES.search(value):
        return DoubleQuotedScalarString(value)
    if block and len(value) > FOLD_WIDTH:
        folded = _folded(value)
        if folded is not None:
            return folded
    return value


def _folded(value: str) -> Any:
    """``value`` as a folded block scalar broken at single spaces, or ``None`` when folding could change it.

    A folded line break reads back as one space, so only a space between two
    non-space characters may become a break.
    """
    from ruamel.yaml.scalarstring import FoldedScalarString

    if value != value.strip() or _UNSAFE_BLOCK.search(value) or "\t" in value:
        return None
    breaks: list[int] = []
    line_start, last_space = 0, None
    for i, ch in enumerate(value):
        if ch == " " and value[i - 1] != " " and i + 1 < len(value) and value[i + 1] != " ":
            if i - line_start > FOLD_WIDTH and last_space is not None and last_space > line_start:
                breaks.append(last_space)
                line_start = last_space + 1
            last_space = i
    if len(value) - line_start > FOLD_WIDTH and last_space is not None and last_space > line_start:
        breaks.append(last_space)
    if not breaks:
        return None
    folded = FoldedScalarString(value)
    folded.fold_pos = breaks
    return folded


def _value(value: Any) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    if isinstance(value, BaseModel):
        return _model(value)
    if isinstance(value, Sign):
        return DoubleQuotedScalarString(_SIGN_SYMBOL[value])
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, (tuple, list)):
        seq = CommentedSeq(_value(v) for v in value)
        if value and all(isinstance(v, str) and "\n" not in v for v in value) and sum(len(v) + 2 for v in value) < 70:
            seq.fa.set_flow_style()
        return seq
    if isinstance(value, dict):
        m = CommentedMap()
        for k, v in value.items():
            m[_string(k, block=False) if isinstance(k, str) else k] = _value(v)
        return m
    return value
