"""``hypoplan fmt``: canonical layout, comments kept, idempotent, meaning preserved (also on generated files)."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from hypoplan.cli import app
from hypoplan.loader import load_text
from hypoplan.review.fmt import FormatError, comments_of, format_text

MESSY = '''\
# yaml-language-server: $schema=../schema/hypothesis.schema.json
# hypoplan: disable=L004
title: "Messy"   # the title
id: messy
nodes:   # all nodes
    # the exposure
    - label: Exposure
      id: x
      constructs:
      - a   # first construct
      - b
    - {id: y, label: "Outcome: #1"}
edges:
- target: y
  source: x
  sign: −
  notes: |  # block header comment
    first line
    # not a comment, part of the notes
  confidence: speculative
focus: {outcome: y, exposure: x}
# the end
'''

EXPECTED = '''\
# yaml-language-server: $schema=../schema/hypothesis.schema.json
# hypoplan: disable=L004

id: messy
title: Messy  # the title
status: idea

focus:
  exposure: [x]
  outcome: [y]

nodes:  # all nodes
  # the exposure
  - id: x
    label: Exposure
    constructs: [a, b]  # first construct
  - id: y
    label: 'Outcome: #1'

edges:
  - source: x
    target: y
    sign: "-"
    confidence: speculative
    notes: |  # block header comment
      first line
      # not a comment, part of the notes
# the end
'''


def test_canonical_layout_is_the_writers_and_keeps_comments():
    assert format_text(MESSY) == EXPECTED
    assert format_text(EXPECTED) == EXPECTED
    assert load_text(EXPECTED, "a").hypothesis == load_text(MESSY, "b").hypothesis


def test_comments_inside_strings_are_not_comments():
    texts = [c.text for c in comments_of(MESSY)]
    assert "# not a comment, part of the notes" not in texts
    assert "#1\"}" not in " ".join(texts)
    assert texts == ["# yaml-language-server: $schema=../schema/hypothesis.schema.json", "# hypoplan: disable=L004",
                     "# the title", "# all nodes", "# the exposure", "# first construct", "# block header comment",
                     "# the end"]


def test_invalid_file_is_refused():
    from hypoplan.errors import LoadError

    with pytest.raises(LoadError):
        format_text("id: x\ntitle: t\nstatus: nonsense\n")


def test_cli_check_reports_and_writes_nothing(tmp_path: Path, runner):
    path = tmp_path / "messy.yaml"
    path.write_text(MESSY, encoding="utf-8")
    result = runner.invoke(app, ["fmt", "--check", str(path)])
    assert result.exit_code == 1
    assert "would reformat" in result.stderr and "run 'hypoplan fmt' to fix" in result.stderr
    assert path.read_text(encoding="utf-8") == MESSY
    result = runner.invoke(app, ["fmt", "--diff", str(path)])
    assert result.exit_code == 1 and "+title: Messy  # the title" in result.stdout
    result = runner.invoke(app, ["fmt", str(path)])
    assert result.exit_code == 0 and path.read_text(encoding="utf-8") == EXPECTED
    assert not list(tmp_path.glob(".*.tmp"))  # the atomic write left no temporary file
    assert runner.invoke(app, ["fmt", "--check", str(path)]).exit_code == 0


def test_cli_leaves_unloadable_files_alone(tmp_path: Path, runner):
    path = tmp_path / "bad.yaml"
    path.write_text("id: bad\ntitle: [unclosed\n", encoding="utf-8")
    result = runner.invoke(app, ["fmt", str(path)])
    assert result.exit_code == 1 and "E005" in result.stderr
    assert path.read_text(encoding="utf-8") == "id: bad\ntitle: [unclosed\n"


def test_cli_says_why_a_named_dagitty_file_is_not_formatted(tmp_path: Path, runner):
    path = tmp_path / "model.dagitty"
    path.write_text("dag {\nX -> Y\n}\n", encoding="utf-8")
    result = runner.invoke(app, ["fmt", str(path)])
    assert result.exit_code == 0 and "skipped" in result.stderr and "not DAGitty" in result.stderr
    assert path.read_text(encoding="utf-8") == "dag {\nX -> Y\n}\n"
    folder = runner.invoke(app, ["fmt", str(tmp_path)])  # inside a folder, .dagitty files are skipped quietly
    assert folder.exit_code == 0 and "skipped" not in folder.stderr


# --- property-based tests ----------------------------------------------------------------------------------------

ids = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)
# Printable text plus line breaks and tabs (raw control characters are not allowed in YAML at all).
any_text = st.text(st.one_of(st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn", "Zl", "Zp"),
                                           blacklist_characters="\ufeff"),
                             st.sampled_from("\n\t#:'\"{}[]|>-?*&!%@`")),
                   min_size=1, max_size=30).filter(lambda s: s.strip() != "")
comment_text = st.text(st.sampled_from(string.ascii_letters + string.digits + " :#'\"-[]{}|>@!&*"), max_size=20)


def test_comment_on_a_default_value_moves_to_the_enclosing_item():
    text = "id: d\ntitle: t\nnodes:\n  - id: x\n    observed: true  # said explicitly\n"
    out = format_text(text)
    assert "observed" not in out  # the canonical form leaves defaults out
    assert "  - id: x  # said explicitly\n" in out


# Generated files use no default values: the canonical form leaves those out (see the test above).
class Doc:
    """A generated YAML document: lines in a random layout, and the comments we put in, with what they describe."""

    def __init__(self, draw, indent: int, dash: int):
        self.draw, self.indent, self.dash = draw, indent, dash
        self.comments: list[tuple[str, str, str]] = []  # (comment, "before"|"eol", key it belongs to)
        self.n = 0

    def comment(self) -> str | None:
        if not self.draw(st.booleans()):
            return None
        self.n += 1
        return f"# c{self.n}x {self.draw(comment_text)}".rstrip()

    def scalar(self, value) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str) and re.fullmatch(r"[A-Za-z][A-Za-z0-9 _.]*[A-Za-z0-9_.]", value) \
                and value.lower() not in {"yes", "no", "on", "off", "true", "false", "null", "y", "n"} \
                and self.draw(st.booleans()):
            return value
        ascii_ok = not isinstance(value, str) or all(ord(c) < 0x10000 for c in value)  # YAML has no surrogate pairs
        return json.dumps(value, ensure_ascii=ascii_ok and self.draw(st.booleans()))

    def mapping(self, data: dict, indent: int, item: bool = False) -> list[str]:
        """Lines of a block mapping whose keys start at column ``indent``, keys in a random order."""
        out: list[str] = []
        pad = " " * indent
        for i, key in enumerate(self.draw(st.permutations(list(data)))):
            before = self.comment()
            if before:
                out.append(pad + before)
                # a comment above a list item's first key describes the item
                self.comments.append((before, "before-item" if item and i == 0 else "before", key))
            value = data[key]
            if isinstance(value, dict):
                out.append(f"{pad}{key}:")
                out += self.mapping(value, indent + self.indent)
            elif isinstance(value, list) and value and isinstance(value[0], dict):
                out.append(f"{pad}{key}:")
                inner = indent + self.dash + 2
                for element in value:
                    lines = self.mapping(element, inner, item=True)
                    first = next(i for i, line in enumerate(lines) if not line.lstrip().startswith("#"))
                    lines[first] = " " * (indent + self.dash) + "- " + lines[first][inner:]
                    out += lines
            elif isinstance(value, list):
                out.append(f"{pad}{key}: [{', '.join(self.scalar(v) for v in value)}]")
            else:
                eol = self.comment()
                line = f"{pad}{key}: {self.scalar(value)}"
                if eol:
                    line += "  " + eol
                    self.comments.append((eol, "eol", key))
                out.append(line)
        return out


@st.composite
def hypothesis_files(draw):
    node_ids = draw(st.lists(ids, min_size=2, max_size=5, unique=True))
    nodes = []
    for nid in node_ids:
        node = {"id": nid}
        if draw(st.booleans()):
            node["label"] = draw(any_text)
        if draw(st.booleans()):
            node["kind"] = draw(st.sampled_from(["outcome", "measurement", "drug"]))
        if draw(st.booleans()):
            node["observed"] = False
        if draw(st.booleans()):
            node["constructs"] = draw(st.lists(ids, min_size=1, max_size=3))
        nodes.append(node)
    pairs = draw(st.lists(st.tuples(st.sampled_from(node_ids), st.sampled_from(node_ids)).filter(lambda p: p[0] < p[1]),
                          max_size=4, unique=True))
    edges = []
    for s, t in pairs:
        edge = {"source": s, "target": t,
                "sign": draw(st.sampled_from(["+", "−", "±", "positive", "negative", "mixed"])),
                "confidence": "speculative"}
        if draw(st.booleans()):
            edge["notes"] = draw(any_text)
        if draw(st.booleans()):
            edge["evidence"] = [{"design": draw(st.sampled_from(["rct", "cohort", "knockout"])),
                                 "finding": draw(any_text),
                                 **({"citation": f"pmid:{draw(st.integers(1, 10**8))}"} if draw(st.booleans()) else {}),
                                 **({"effect_size": {"measure": "d", "value": draw(st.floats(-5, 5, allow_nan=False)),
                                                     "n": draw(st.integers(1, 500))}} if draw(st.booleans()) else {})}
                                for _ in range(draw(st.integers(1, 2)))]
        edges.append(edge)
    data = {"id": draw(ids), "title": draw(any_text), "status": draw(st.sampled_from(["idea", "proposed"])),
            "nodes": nodes}
    if edges:
        data["edges"] = edges
    if draw(st.booleans()):
        data["focus"] = {"exposure": [node_ids[0]], "outcome": [node_ids[1]]}
    if draw(st.booleans()):
        data["tags"] = draw(st.lists(ids, min_size=1, max_size=3))
    doc = Doc(draw, draw(st.sampled_from([2, 4])), draw(st.sampled_from([0, 2])))
    header = draw(st.sampled_from(["", "# hypoplan: disable=L001\n"]))
    lines = doc.mapping(data, 0)
    trailer = draw(st.sampled_from(["", "# trailing note\n"]))
    return header + "\n".join(lines) + "\n" + trailer, doc.comments


PROPERTY = settings(derandomize=True, max_examples=60, deadline=None, phases=(Phase.explicit, Phase.generate),
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@PROPERTY
@given(hypothesis_files())
def test_fmt_keeps_meaning_and_is_idempotent(case):
    text, _ = case
    original = load_text(text, "gen.yaml").hypothesis
    once = format_text(text, "gen.yaml")
    assert load_text(once, "gen.yaml").hypothesis == original
    assert format_text(once, "gen.yaml") == once


@PROPERTY
@given(hypothesis_files())
def test_fmt_keeps_every_comment_beside_its_key(case):
    text, comments = case
    out = format_text(text, "gen.yaml").splitlines()
    for comment, where, key in comments:
        [i] = [i for i, line in enumerate(out) if comment in line]
        if where == "eol":
            assert out[i].lstrip(" -").startswith(f"{key}:"), (comment, out[i])
        else:
            j = i + 1
            while out[j].lstrip().startswith("#"):
                j += 1
            if where == "before-item":
                assert out[j].lstrip().startswith("- "), (comment, out[j])
            else:
                assert out[j].lstrip(" -").startswith(f"{key}:"), (comment, out[j])
    if "# trailing note" in text:
        assert out[-1] == "# trailing note"
    if text.startswith("# hypoplan"):
        assert out[0] == "# hypoplan: disable=L001"


def test_a_change_of_meaning_is_refused(monkeypatch: pytest.MonkeyPatch):
    from hypoplan.review import fmt

    monkeypatch.setattr(fmt, "_canonical_body", lambda h: "id: other\ntitle: changed\n")
    with pytest.raises(FormatError, match="F002"):
        fmt.format_text("id: x\ntitle: t\n")
