"""The fast (libyaml) and round-trip (ruamel) YAML paths give the same data, positions and errors.

The round-trip path is the reference: the property tests feed both the
shipped hypotheses, generated documents full of scalars whose type depends on
the YAML version (``yes``, ``0x1F``, ``1_000``, ``2020-01-01`` ...), and
random mutations of a real file, which are mostly errors, and require the same
outcome, error or not, down to the line and column.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hypoplan import yamlfast, yamlio
from hypoplan.errors import LoadError
from hypoplan.yamlio import Limits, parse_yaml

SHIPPED = sorted((Path(__file__).parent.parent / "hypotheses").glob("*.yaml"))


def outcome(text: str, parser: str, limits: Limits = yamlio.DEFAULT_LIMITS) -> Any:
    """Everything a caller can observe: data and positions, or the diagnostics."""
    try:
        data, source = parse_yaml(text, "f.yaml", limits, parser=parser)
    except LoadError as exc:
        return ("error", [(d.code, d.line, d.col, d.message, d.hint) for d in exc.diagnostics])
    return ("ok", repr(data), source.positions, source.key_positions)


def assert_same(text: str, limits: Limits = yamlio.DEFAULT_LIMITS) -> None:
    assert outcome(text, "fast", limits) == outcome(text, "roundtrip", limits), text


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_files_read_the_same_without_fallback(path, monkeypatch):
    text = path.read_text(encoding="utf-8")
    reference = outcome(text, "roundtrip")
    monkeypatch.setattr(yamlfast, "_parse_roundtrip", _no_fallback)
    assert outcome(text, "fast") == reference
    assert reference[0] == "ok"


def _no_fallback(*args: Any) -> Any:
    raise AssertionError("the fast path handed this text to the round-trip parser")


TOKENS = [
    "plain", "two words", "yes", "no", "on", "off", "y", "n", "true", "False", "TRUE", "null", "Null", "~", "",
    "0", "-0", "7", "-12", "+5", "017", "0o17", "0x1F", "0b101", "1_000", "1.5", "-2.", ".5", "1e3", "1.0e-3",
    "1E+2", ".inf", "-.Inf", ".nan", "1:20", "2020-01-01", "2020-1-1 10:00:00", "2001-12-14t21:59:43.10-05:00",
    "<<", "=", "a: b", "-", "- x", "#x", "a #c", "'q'", '"d"', "!!str 5", "!!int 3", "! x", "&a x", "*a",
    "[1, 2]", "{k: v}", "é", "\t", "a\tb", "%x", "@x", "`x", "?", "? x", "|", ">", "x:", ":x", "1.2.3",
]
KEYS = ["a", "b", "id", "1", "true", "null", "<<", "~", "x y", "a", "0x1", "2020-01-01", "'s'", '"d"', "? k"]

scalars = st.sampled_from(TOKENS)


@st.composite
def documents(draw: Any, depth: int = 0) -> str:
    """YAML text built line by line: block and flow collections, anchors, aliases and raw tokens."""
    lines: list[str] = []
    anchors: list[str] = []

    def block(indent: int, level: int) -> None:
        for _ in range(draw(st.integers(1, 4))):
            key = draw(st.sampled_from(KEYS))
            pad = " " * indent
            choice = draw(st.integers(0, 5 if level < 3 else 1))
            anchor = ""
            if draw(st.integers(0, 5)) == 0:
                anchors.append(f"n{len(anchors)}")
                anchor = f"&{anchors[-1]} "
            if choice <= 1:
                lines.append(f"{pad}{key}: {anchor}{draw(scalars)}")
            elif choice == 2 and anchors:
                lines.append(f"{pad}{key}: *{draw(st.sampled_from(anchors))}")
            elif choice == 3:
                items = ", ".join(draw(st.lists(scalars, max_size=4)))
                lines.append(f"{pad}{key}: {anchor}[{items}]")
            elif choice == 4:
                lines.append(f"{pad}{key}: {anchor}".rstrip())
                block(indent + 2, level + 1)
            else:
                lines.append(f"{pad}{key}:")
                for _ in range(draw(st.integers(1, 3))):
                    if draw(st.booleans()):
                        lines.append(f"{pad}  - {draw(scalars)}")
                    else:
                        lines.append(f"{pad}  - k: {draw(scalars)}")
                        lines.append(f"{pad}    v: {draw(scalars)}")

    if draw(st.booleans()):
        lines.append(draw(st.sampled_from(["---", "%YAML 1.2\n---", "%YAML 1.1\n---", "# comment", "--- !!map"])))
    block(0, 0)
    if draw(st.integers(0, 6)) == 0:
        lines.append(draw(st.sampled_from(["---\nb: 2", "...", "a: |\n  lit\n   more", "f: >-\n  fold\n\n  ed"])))
    return "\n".join(lines) + "\n"


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_generated_documents_read_the_same(text):
    assert_same(text)


SMALL = """# A small hypothesis
id: small
title: >-
  A folded title
  over two lines
nodes:
  - {id: X, label: "Exposure", kind: exposure}
  - id: Y
    label: 'Outcome'
    observed: true
edges:
  - {source: X, target: Y, sign: "+", confidence: 0.5}
focus: {exposure: X, outcome: Y}
evidence:
  - &ref {citation: "doi:10.1/x", year: 2020}
  - *ref
"""
MUTATIONS = [":", "-", " ", "  ", "\t", '"', "'", "&a ", "*a", "!!str ", "!x ", "\x7f", "{", "}", "[", "]", "\n",
             "#", "<<: *ref\n", "|", ">", "? ", ",", "%", "@", "\\", "\ufeff", "\x85", "\u2028", "0x", "yes", "~"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(SMALL)), st.integers(0, 3), st.sampled_from(MUTATIONS)),
                min_size=1, max_size=3))
def test_mutated_files_give_the_same_data_or_the_same_located_error(edits):
    text = SMALL
    for at, cut, insert in edits:
        at = min(at, len(text))
        text = text[:at] + insert + text[at + cut:]
    assert_same(text)


@pytest.mark.parametrize("text", [
    "a: 1\na: 2\n", "a: 1\n? a\n: 2\n", "1: x\n1.0: y\n", "true: x\nTrue: y\n", "[a, b]: c\n", "&k a: 1\nb: *k\n",
    "a: *undefined\n", "a: 1\n---\nb: 2\n", "", "# only a comment\n", "plain\n", "- 1\n- 2\n", "a: b: c\n",
    "a: [1, 2\n", "a:\n\t- x\n", "a: 'unterminated\n", "a: \"\\q\"\n", "a: \"\\/\"\n", "{a: 1, a: 2}\n",
    "a: !!binary aGVsbG8=\n", "a: !!set {x}\n", "a: !!omap [x: 1]\n", "a: !custom 1\n", "a: !<tag:x> 1\n",
    "x: a\x7fb\n", "x: \x01\n", "x: \ud800\n", "x: \ufffe\n", "<<: {a: 1}\nb: 2\n", "a: &x [*x]\n",
])
def test_edge_cases_read_the_same(text):
    assert_same(text)


def _nested_aliases(levels: int, width: int) -> str:
    lines = ["a0: &a0 [x, y]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def _alias_depth(levels: int) -> str:
    lines = ["a0: &a0 [[[[[[[[[[x]]]]]]]]]]"]
    lines += [f"a{i}: &a{i} [[[[[[[[[[*a{i - 1}]]]]]]]]]]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


HOSTILE = {
    "too many aliases": _nested_aliases(9, 9),
    "alias expansion under the alias count": _nested_aliases(7, 7),
    "aliases that deepen the tree": _alias_depth(8),
    "deep flow": "a: " + "[" * 5000 + "]" * 5000 + "\n",
    "deep block": "".join("  " * i + f"k{i}:\n" for i in range(300)),
    "python tag": "id: !!python/object/apply:os.system ['echo pwned']\n",
    "local tag": "id: !shell rm\n",
    "DEL": "id: ok\ntitle: a\x7fb\n",
    "NUL escape": 'id: "\\0"\ntitle: "\x08"\n',
    "too many values": "a: [" + ", ".join(["1"] * 300) + "]\n",
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_input_is_refused_by_the_fast_path_itself(name, monkeypatch):
    limits = Limits(max_values=250) if name == "too many values" else yamlio.DEFAULT_LIMITS
    text = HOSTILE[name]
    reference = outcome(text, "roundtrip", limits)
    if name != "deep flow":  # libyaml's scanner stops at 1,000 flow levels first; our pre-scan then words it
        monkeypatch.setattr(yamlfast, "_parse_roundtrip", _no_fallback)
    fast = outcome(text, "fast", limits)
    assert fast == reference
    assert fast[0] == "error" and fast[1][0][0] in {"E003", "E004"}, fast


def test_safety_does_not_rest_on_libyaml_limits():
    """Our own limits are stricter than anything libyaml enforces, and configurable."""
    with pytest.raises(LoadError) as info:
        parse_yaml("a: &a [x]\nb: *a\nc: *a\n", "f", Limits(max_aliases=1), parser="fast")
    assert info.value.diagnostics[0].code == "E004" and (info.value.diagnostics[0].line, info.value.diagnostics[0].col) == (3, 4)
    with pytest.raises(LoadError):
        parse_yaml("a: [[x]]\n", "f", Limits(max_depth=1), parser="fast")
