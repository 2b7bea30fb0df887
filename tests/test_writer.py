"""The canonical YAML writer: whatever it writes, the loader reads back to an equal hypothesis."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hypoplan.loader import load_text
from hypoplan.schema import (
    Confidence,
    Design,
    Direction,
    Edge,
    EdgeType,
    EffectSize,
    Evidence,
    Focus,
    Hypothesis,
    Level,
    Node,
    NodeKind,
    Peco,
    Position,
    Provenance,
    Sign,
    Species,
    Status,
)
from hypoplan.writer import DEFAULT_SCHEMA_PATH, dump_hypothesis

PROPERTY = settings(derandomize=True, max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Any text YAML can hold: everything but surrogates (YAML streams are Unicode scalar values).
_ANY = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
# Text that looks like YAML syntax or other types, to check quoting.
_TRICKY = st.sampled_from(["-", "- x", "yes", "no", "null", "~", "1.0", "0x1F", "2020-01-01", "@x", "`x", "a: b",
                           "#c", "x #c", "'", '"', "[a]", "{a}", "*a", "&a", "!x", "|", ">", "%x", " lead", "trail ",
                           "line\n", "two\nlines", "\ttab", "a\r\nb", "\x85", "\u2028", "\ufeff", "é — ±", ""])
_TEXT = st.one_of(_ANY, _TRICKY)
_NONBLANK = _TEXT.filter(lambda s: bool(s.strip()))
_ID = st.from_regex(r"\A[A-Za-z][A-Za-z0-9_.\-]{0,12}\Z")
_FLOAT = st.floats(allow_nan=False, allow_infinity=False)


def _opt(strategy):
    return st.none() | strategy


_effect = st.builds(EffectSize, measure=_TEXT, value=_FLOAT, n=_opt(st.integers(1, 10**6)), note=_opt(_TEXT))
_evidence = st.builds(
    Evidence, citation=_opt(_TEXT), reference=_opt(_TEXT), species=_opt(st.sampled_from(Species)),
    design=st.sampled_from(Design), direction=st.sampled_from(Direction), finding=_TEXT.filter(bool),
    effect_size=_opt(_effect), n=_opt(st.integers(1, 10**6)),
)


@st.composite
def hypotheses(draw):
    ids = draw(st.lists(_ID, max_size=6, unique=True))
    nodes = tuple(
        Node(id=i, label=draw(_opt(_TEXT.filter(lambda s: len(s) <= 200))), kind=draw(st.sampled_from(NodeKind)),
             observed=draw(st.booleans()), level=draw(_opt(st.sampled_from(Level))),
             constructs=tuple(draw(st.lists(_TEXT, max_size=3))), measure=draw(_opt(_TEXT)),
             cost=draw(_opt(st.floats(min_value=0, allow_infinity=False))),
             pos=draw(_opt(st.builds(Position, x=_FLOAT, y=_FLOAT))), notes=draw(_opt(_TEXT)),
             attributes=draw(st.dictionaries(_TEXT, _TEXT, max_size=2)))
        for i in ids
    )
    names = ids or ["a", "b"]
    edges = tuple(
        Edge(source=s, target=t, type=draw(st.sampled_from(EdgeType)), sign=draw(st.sampled_from(Sign)),
             mechanism=draw(_opt(_TEXT)), confidence=draw(st.sampled_from(Confidence)),
             evidence=tuple(draw(st.lists(_evidence, max_size=2))), notes=draw(_opt(_TEXT)))
        for s, t in draw(st.lists(st.tuples(st.sampled_from(names), st.sampled_from(names)).filter(lambda p: p[0] != p[1]),
                                  max_size=5))
    )
    role = st.lists(st.sampled_from(names), max_size=2).map(tuple)
    return Hypothesis(
        id=draw(_ID), title=draw(_TEXT.filter(lambda s: 1 <= len(s) <= 300)), status=draw(st.sampled_from(Status)),
        summary=draw(_opt(_TEXT)), background=draw(_opt(_TEXT)), program_goal=draw(_opt(_TEXT)),
        peco=draw(_opt(st.builds(Peco, population=_TEXT, exposure=_TEXT, comparator=_TEXT, outcome=_TEXT,
                                 species=st.sampled_from(Species)))),
        tags=tuple(draw(st.lists(_NONBLANK, max_size=3))),
        provenance=tuple(draw(st.lists(st.builds(Provenance, kind=_TEXT, source=_TEXT, quote=_opt(_TEXT),
                                                 date=_opt(_TEXT)), max_size=2))),
        authors=tuple(draw(st.lists(_NONBLANK, max_size=2))),
        extends=tuple(draw(st.lists(_ID, max_size=2))), rivals=tuple(draw(st.lists(_ID, max_size=2))),
        focus=Focus(exposure=draw(role), outcome=draw(role), adjusted=draw(role), selected=draw(role)),
        nodes=nodes, edges=edges,
    )


@PROPERTY
@given(hypotheses())
def test_dump_then_load_gives_the_same_hypothesis(h: Hypothesis) -> None:
    text = dump_hypothesis(h)
    assert load_text(text, "h.yaml").hypothesis == h


@PROPERTY
@given(hypotheses())
def test_dump_is_canonical(h: Hypothesis) -> None:
    text = dump_hypothesis(h)
    assert dump_hypothesis(load_text(text, "h.yaml").hypothesis) == text


def _example() -> Hypothesis:
    return Hypothesis(
        id="ne-demo", title="NE demo", summary="First line.\nSecond line.\n",
        focus=Focus(exposure=("ne",), outcome=("sleep",)),
        nodes=(Node(id="ne", label="NE oscillation", pos=Position(x=1, y=2)), Node(id="sleep", observed=False)),
        edges=(Edge(source="ne", target="sleep", sign="-", confidence="supported",
                    evidence=(Evidence(citation="doi:10.1016/j.cell.2024.11.027", species="mouse",
                                       design="optogenetic", finding="NE oscillations drive vasomotion"),)),),
    )


def test_layout_is_readable_and_in_schema_order() -> None:
    assert dump_hypothesis(_example()) == f"""\
# yaml-language-server: $schema={DEFAULT_SCHEMA_PATH}
id: ne-demo
title: NE demo
status: idea
summary: |
  First line.
  Second line.

focus:
  exposure: [ne]
  outcome: [sleep]

nodes:
  - id: ne
    label: NE oscillation
    pos: {{x: 1.0, y: 2.0}}
  - id: sleep
    observed: false

edges:
  - source: ne
    target: sleep
    sign: "-"
    confidence: supported
    evidence:
      - citation: doi:10.1016/j.cell.2024.11.027
        species: mouse
        design: optogenetic
        direction: supports
        finding: NE oscillations drive vasomotion
"""


def test_modeline_can_be_changed_or_left_out() -> None:
    assert dump_hypothesis(_example(), schema_modeline="https://x/s.json").startswith(
        "# yaml-language-server: $schema=https://x/s.json\nid: ne-demo\n")
    assert dump_hypothesis(_example(), schema_modeline=None).startswith("id: ne-demo\n")


def test_every_sign_is_quoted_and_reads_back() -> None:
    for sign, symbol in [(Sign.POSITIVE, '"+"'), (Sign.NEGATIVE, '"-"'), (Sign.MIXED, '"±"')]:
        h = Hypothesis(id="s", title="t", edges=(Edge(source="a", target="b", sign=sign),))
        text = dump_hypothesis(h)
        assert f"sign: {symbol}\n" in text
        assert load_text(text, "s.yaml").hypothesis.edges[0].sign is sign


def test_shipped_hypotheses_dump_and_load_back_equal() -> None:
    from pathlib import Path

    from hypoplan.loader import is_catalog_path, load_file

    root = Path(__file__).resolve().parents[1] / "hypotheses"
    for path in sorted(root.glob("*.yaml")):
        if is_catalog_path(path):
            continue
        h = load_file(path).hypothesis
        assert load_text(dump_hypothesis(h), path.name).hypothesis == h, path.name


_WORDS = st.lists(st.one_of(st.sampled_from(["a", "word", "-", "#", ":", "'", '"', "é", "x:", "- y", "…"]),
                            st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)), max_size=60)
_SPACES = st.sampled_from([" ", " ", " ", "  ", "\t", " \n", "\n\n", "   "])


@PROPERTY
@given(st.lists(st.tuples(_WORDS, _SPACES), max_size=4))
def test_long_prose_folds_and_reads_back(chunks) -> None:
    text = "".join(sp.join(words) + sp for words, sp in chunks)
    h = Hypothesis(id="p", title="t", summary=text or None, nodes=(Node(id="a", notes=text + " end"),))
    dumped = dump_hypothesis(h)
    assert load_text(dumped, "p.yaml").hypothesis == h
    assert dump_hypothesis(load_text(dumped, "p.yaml").hypothesis) == dumped
