"""The review comment and annotations: content, limits, and hostile text that must stay inert."""

from __future__ import annotations

import re

from review_helpers import hypothesis_text

from hypoplan.review.pipeline import review_texts
from hypoplan.review.report import (
    ANNOTATIONS_PER_TYPE,
    Annotation,
    annotation_line,
    limit_annotations,
    mermaid_diagram,
    review_annotations,
    to_github,
    to_markdown,
)

HOSTILE = "Med </details> ``` \\n::error file=x::pwned @org/team #12 [link](javascript:alert(1)) <img src=x> | %0A"


def _hostile_report():
    old = hypothesis_text()
    new = old.replace("label: Mediator", f'label: "{HOSTILE}"')
    new = new.replace("citation: doi:10.1000/abc", 'citation: "https://evil.example/a,b:c\\n::error::forged"')
    new = new.replace("  - id: c\n", f'  - id: "q"\n    label: "{HOSTILE}"\n  - id: c\n')
    return review_texts(old, new, "hypotheses/h1.yaml", with_plan=False)


def test_sign_flip_report_in_markdown():
    old = hypothesis_text()
    new = old.replace('target: y\n    sign: "+"', 'target: y\n    sign: "-"')
    md = to_markdown(review_texts(old, new, with_plan=False))
    assert md.startswith("<!-- hypoplan-review -->\n## hypoplan review")
    assert "⚠️ m → y: sign flipped \\+ → − with no change in its evidence" in md
    assert '```mermaid\nflowchart LR\n  n0["Mediator"]\n  n1["Outcome"]\n  n0 -->|"sign + → −"| n1' in md


def test_hostile_text_cannot_break_the_markdown_comment():
    md = to_markdown(_hostile_report())
    lines = md.splitlines()
    # No line of the comment can be read as a workflow command when the file is printed in a CI log.
    assert not any(line.lstrip().startswith("::") for line in lines)
    # Our own fences and <details> blocks are the only ones.
    assert [line for line in lines if "```" in line] == ["```mermaid", "```"]
    assert md.count("<details>") == md.count("</details>")
    assert "&lt;/details&gt;" in md and "&lt;img src=x&gt;" in md
    outside_code = md.split("```mermaid")[0]
    assert "@org" not in outside_code and "@\u200dorg" in outside_code  # no team mention
    assert "\\[link\\](javascript" in outside_code  # escaped brackets: no link
    assert re.search(r"(?<!\\)\[link(?<!\\)\]\(", outside_code) is None


def test_hostile_labels_cannot_inject_mermaid_statements():
    chart = mermaid_diagram(_hostile_report().files[0])
    allowed = re.compile(r'^(flowchart LR|  n\d+\["[^"\n]*"\]|  n\d+ <?(-->|==>|-\.->)\|"[^"\n]*"\| n\d+'
                         r'|  classDef (added|removed|changed) [^\n]*|  class n\d+(,n\d+)* (added|removed|changed))$')
    assert chart and all(allowed.match(line) for line in chart), chart
    assert not any("%%" in line or "click" in line for line in chart)


def test_hostile_text_cannot_forge_annotations():
    text, dropped = to_github(_hostile_report())
    lines = text.splitlines()
    assert dropped == 0
    command = re.compile(r"^::(error|warning|notice) ([a-zA-Z]+=[^:,]*)(,[a-zA-Z]+=[^:,]*)*::[^\n]*$")
    assert lines and all(command.match(line) for line in lines), lines
    assert not any(line.startswith("::error") for line in lines)
    assert any("pwned" in line and "%0A" in line for line in lines)
    assert any("evil.example/a,b:c%0A::error::forged" in line for line in lines)


def test_annotation_properties_are_escaped():
    line = annotation_line(Annotation("warning", "50% done\r\nnext", "dir,with:odd/file.yaml", 3, 0, "T: a,b"))
    assert line == "::warning file=dir%2Cwith%3Aodd/file.yaml,line=3,title=T%3A a%2Cb::50%25 done%0D%0Anext"


def test_annotation_limit_keeps_the_most_important_per_type():
    items = [Annotation("notice", f"n{i}", priority=20 - i) for i in range(15)]
    items += [Annotation("warning", f"w{i}") for i in range(3)] + [Annotation("error", "e")]
    shown, dropped = limit_annotations(items)
    assert dropped == 5
    assert [a.level for a in shown] == ["error"] + ["warning"] * 3 + ["notice"] * ANNOTATIONS_PER_TYPE
    assert [a.message for a in shown if a.level == "notice"] == [f"n{i}" for i in range(14, 4, -1)]


def test_many_changes_are_capped_in_github_output_but_all_in_markdown():
    old = hypothesis_text()
    extra = "".join(f"  - id: extra{i}\n" for i in range(25))
    new = old.replace("edges:\n", extra + "edges:\n")
    report = review_texts(old, new, with_plan=False)
    text, dropped = to_github(report)
    notices = [a for a in review_annotations(report) if a.level == "notice"]
    assert len(notices) >= 25
    assert len(text.splitlines()) == ANNOTATIONS_PER_TYPE and dropped == len(notices) - ANNOTATIONS_PER_TYPE
    md = to_markdown(report)
    assert all(f"node extra{i} added" in md for i in range(25))


def test_layout_only_change_is_reported_as_such():
    old = hypothesis_text()
    new = "# a comment\n" + old.replace("status: idea\n", "status: idea  # still\n")
    md = to_markdown(review_texts(old, new, with_plan=False))
    assert "No semantic change (layout or comments only)." in md


def test_confounded_edges_are_drawn_two_headed():
    old = hypothesis_text()
    new = old.replace("edges:\n", "edges:\n  - source: m\n    target: c\n    type: confounded\n")
    chart = mermaid_diagram(review_texts(old, new, with_plan=False).files[0])
    assert '  n0 <==>|"added ?"| n1' in chart  # c <-> m, generated ids in sorted order


# --- property-based: any text stays inside its annotation and its place in the comment ----------------------------

import json  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_pieces = st.sampled_from(list("::%\r\n`<>/@#[]()|*_~&\"'\\=, -!{}$")
                          + ["::error ", "</details>", "```", "%0A", "%%{init}%%", "click ", "@org/team"])
hostile = st.lists(st.one_of(_pieces, st.characters(blacklist_categories=("Cs",))), min_size=1, max_size=12).map("".join)


def _unescape(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


@settings(derandomize=True, max_examples=200, deadline=None)
@given(message=hostile, file=hostile, title=hostile)
def test_annotation_text_cannot_escape_its_fields(message, file, title):
    line = annotation_line(Annotation("warning", message, file, 7, 0, title))
    assert "\n" not in line and "\r" not in line
    assert line.startswith("::warning ")
    props, sep, body = line[len("::warning "):].partition("::")
    assert sep and _unescape(body) == message
    fields = dict(p.split("=", 1) for p in props.split(","))
    assert fields.keys() == {"file", "line", "title"}
    assert (_unescape(fields["file"]), fields["line"], _unescape(fields["title"])) == (file, "7", title)


@settings(derandomize=True, max_examples=40, deadline=None)
@given(label=hostile.filter(lambda s: s.strip() and len(s) <= 200), citation=hostile)
def test_any_label_or_citation_stays_inert_in_the_comment(label, citation):
    old = hypothesis_text()
    new = old.replace("label: Mediator", f"label: {json.dumps(label)}").replace(
        "citation: doi:10.1000/abc", f"citation: {json.dumps(citation)}")
    report = review_texts(old, new, "hypotheses/h1.yaml", with_plan=False)
    md = to_markdown(report)
    lines = md.splitlines()
    assert not any(line.lstrip().startswith("::") for line in lines)
    assert [line for line in lines if "```" in line] == ["```mermaid", "```"] * md.count("```mermaid")
    assert md.count("<details>") == md.count("</details>") and md.count("<summary>") == md.count("</summary>")
    chart = mermaid_diagram(report.files[0])
    allowed = re.compile(r'^(flowchart LR|  n\d+\["[^"\n]*"\]|  n\d+ <?(-->|==>|-\.->)\|"[^"\n]*"\| n\d+'
                         r'|  classDef (added|removed|changed) [^\n]*|  class n\d+(,n\d+)* (added|removed|changed))$')
    assert all(allowed.match(line) for line in chart), chart
    github, _ = to_github(report)
    assert all(re.match(r"^::(error|warning|notice) [^\n]*$", line) for line in github.splitlines())
