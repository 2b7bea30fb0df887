"""A review as text: a Markdown PR comment, JSON, or GitHub workflow annotations.

Every piece of user text (labels, ids, citations, findings, paths, revision
names) goes through :mod:`hypoplan.render.escape`: ``markdown_text`` for the
comment, ``mermaid_label`` inside the diagram (whose node ids are generated),
and ``github_message`` / ``github_property`` for workflow commands, so YAML
content can neither break the comment nor forge an ``::error`` line.

GitHub shows at most 10 annotations of each type per step; :func:`to_github`
prints the most important ones and says how many more the job summary holds.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..render.escape import github_message, github_property, markdown_text, mermaid_label
from .diff import SEVERITY_ORDER
from .pipeline import FileDiff, ReviewReport, _severity

__all__ = [
    "ANNOTATIONS_PER_TYPE",
    "MARKER",
    "Annotation",
    "annotation_line",
    "diagnostics_markdown",
    "limit_annotations",
    "review_annotations",
    "to_github",
    "to_json",
    "to_markdown",
]

#: GitHub keeps this many annotations of each type per step and drops the rest silently.
ANNOTATIONS_PER_TYPE = 10

#: First line of the comment, so a bot can find and update its previous comment.
MARKER = "<!-- hypoplan-review -->"

_ICON = {"error": "❌", "warning": "⚠️", "notice": "•"}

#: Within one severity, the kinds a reviewer should see first.
_KIND_PRIORITY = ["sign-flipped", "confidence-raised", "evidence-removed-confidence-kept", "evidence-removed",
                  "edge-removed", "node-removed", "focus-changed", "consequence", "sign-changed", "confidence-lowered",
                  "evidence-added", "evidence-changed", "edge-added", "node-added", "node-observed-changed"]


@dataclass(frozen=True)
class Annotation:
    """One workflow command: ``::level file=…,line=…,title=…::message``."""

    level: str  # error | warning | notice
    message: str
    file: str | None = None
    line: int = 0
    col: int = 0
    title: str = ""
    priority: int = 0


def annotation_line(a: Annotation) -> str:
    """The workflow command for ``a``, with properties and message escaped as ``@actions/core`` does."""
    props = []
    if a.file:
        props.append(f"file={github_property(a.file)}")
    if a.line:
        props.append(f"line={int(a.line)}")
        if a.col:
            props.append(f"col={int(a.col)}")
    if a.title:
        props.append(f"title={github_property(a.title)}")
    head = f"::{a.level}" + (" " + ",".join(props) if props else "")
    return f"{head}::{github_message(a.message)}"


def limit_annotations(items: Iterable[Annotation], per_type: int = ANNOTATIONS_PER_TYPE) -> tuple[list[Annotation], int]:
    """The ``per_type`` most important annotations of each level (in a stable order) and how many were left out."""
    ordered = sorted(items, key=lambda a: (SEVERITY_ORDER.index(a.level), a.priority))
    shown: list[Annotation] = []
    counts: dict[str, int] = {}
    dropped = 0
    for a in ordered:
        counts[a.level] = counts.get(a.level, 0) + 1
        if counts[a.level] <= per_type:
            shown.append(a)
        else:
            dropped += 1
    return shown, dropped


def _priority(kind: str) -> int:
    return _KIND_PRIORITY.index(kind) if kind in _KIND_PRIORITY else len(_KIND_PRIORITY)


def review_annotations(report: ReviewReport) -> list[Annotation]:
    """Every finding of a review as an annotation (unlimited; see :func:`limit_annotations`)."""
    out: list[Annotation] = []
    for f in report.files:
        for d in f.problems:
            out.append(Annotation(_severity(d), d.message + (f"\n{d.hint}" if d.hint else ""), d.path, d.line, d.col,
                                  f"hypoplan {d.code}", -1))
        for c in f.changes:
            out.append(Annotation(c.severity, c.message, f.path if f.new_path else f.old_path, c.line, 0,
                                  f"hypoplan: {c.kind}", _priority(c.kind)))
        for cc in f.consequence_changes:
            out.append(Annotation(cc.severity, f"{cc.topic}: {cc.before} → {cc.after}", f.path, 0, 0,
                                  f"hypoplan: {cc.topic} changed", _priority("consequence")))
    return out


def to_github(report: ReviewReport, per_type: int = ANNOTATIONS_PER_TYPE) -> tuple[str, int]:
    """Workflow commands for the most important findings, and the number left out (see the job summary)."""
    shown, dropped = limit_annotations(review_annotations(report), per_type)
    lines = [annotation_line(a) for a in shown]
    return "\n".join(lines) + ("\n" if lines else ""), dropped


def to_json(report: ReviewReport) -> str:
    return json.dumps(report.to_json(), indent=2, ensure_ascii=False)


# --- Markdown -----------------------------------------------------------------------------------------------------


def _md(text: Any) -> str:
    return markdown_text(str(text))


def to_markdown(report: ReviewReport, *, diagram: bool = True, max_diagram_nodes: int = 40) -> str:
    """The PR comment: per file, the problems, the semantic changes, the consequences before → after and a diagram."""
    lines = [MARKER, "## hypoplan review", ""]
    n_err, n_warn = report.count("error"), report.count("warning")
    n_changes = sum(len(f.changes) for f in report.files)
    if not report.files:
        lines.append(f"No hypothesis file changed since {_md(report.base)}.")
        return "\n".join(lines) + "\n"
    lines.append(f"Compared {_md(report.base)} with {_md(report.head)}: {len(report.files)} file(s), "
                 f"{n_changes} change(s), {n_err} error(s), {n_warn} warning(s).")
    for f in report.files:
        lines.extend(_file_markdown(f, diagram, max_diagram_nodes))
    lines.append("")
    lines.append("<sub>Generated by hypoplan review. Consequences are computed from the causal graph "
                 "(adjustment, identification, implications) and the study planner when available.</sub>")
    return "\n".join(lines) + "\n"


def _file_markdown(f: FileDiff, diagram: bool, max_nodes: int) -> list[str]:
    lines = [""]
    if f.status == "renamed":
        where = f"{_md(f.old_path)} → {_md(f.new_path)}"
    else:
        where = _md(f.path)
    lines.append(f"### {_md(f.title)} ({f.status})")
    lines.append("")
    lines.append(f"File: {where}")
    if f.problems:
        lines += ["", "**Problems**", ""]
        for d in f.problems:
            sev = _severity(d)
            at = f" (line {d.line})" if d.line else ""
            hint = f" — {_md(d.hint)}" if d.hint else ""
            lines.append(f"- {_ICON[sev]} {sev} {_md(d.code)}{at}: {_md(d.message)}{hint}")
    if f.changes:
        lines += ["", "**Changes**", ""]
        for c in sorted(f.changes, key=lambda c: (SEVERITY_ORDER.index(c.severity), _priority(c.kind))):
            icon = _ICON[c.severity] + " " if c.severity != "notice" else ""
            lines.append(f"- {icon}{_md(c.message)}")
    elif f.status == "modified" and not f.problems:
        lines += ["", "No semantic change (layout or comments only)."]
    lines.extend(_consequences_markdown(f))
    if diagram and f.changes:
        chart = mermaid_diagram(f, max_nodes)
        if chart:
            lines += ["", "<details><summary>Diagram of the changed part</summary>", "", "```mermaid", *chart, "```",
                      "", "</details>"]
    return lines


def _consequences_markdown(f: FileDiff) -> list[str]:
    b, a = f.before, f.after
    if not b.analysed and not a.analysed:
        reason = a.reason if f.new_path else b.reason
        return ["", f"Consequences: not computed ({_md(reason or 'no analysis')})."]
    if a.analysed and b.analysed and not f.consequence_changes:
        summary = (f"{_question(a)}; adjustment: {_sets(a)}; identification: {_ident(a)}; "
                   f"{len(a.implications)} testable implications")
        return ["", f"**Consequences**: unchanged ({summary})."]
    rows = [("Question", _question(b), _question(a)),
            ("Minimal adjustment sets", _sets(b), _sets(a)),
            ("Identification", _ident(b), _ident(a)),
            ("Testable implications", str(len(b.implications)) if b.analysed else "n/a",
             str(len(a.implications)) if a.analysed else "n/a")]
    if b.planned or a.planned:
        rows.append(("Controls", _list(b.controls) if b.planned else "n/a", _list(a.controls) if a.planned else "n/a"))
        rows.append(("Sample size", _list(b.sample_size) if b.planned else "n/a",
                     _list(a.sample_size) if a.planned else "n/a"))
    changed = {cc.topic.lower() for cc in f.consequence_changes}
    out = ["", "**Consequences** (before → after)", "", "| | Before | After |", "|---|---|---|"]
    for name, before, after in rows:
        mark = " ✱" if _topic(name) in changed else ""
        out.append(f"| {name}{mark} | {before} | {after} |")
    for cc in f.consequence_changes:
        if cc.added or cc.removed:
            out += ["", f"<details><summary>{_md(cc.topic)}: {len(cc.added)} added, {len(cc.removed)} removed</summary>", ""]
            out += [f"- added: {_md(x)}" for x in cc.added]
            out += [f"- removed: {_md(x)}" for x in cc.removed]
            out += ["", "</details>"]
    notes = [r for r in (b.plan_reason if b.analysed else None, a.plan_reason if a.analysed else None) if r]
    if notes and not (b.planned or a.planned) and notes[-1] != "not requested":
        out += ["", f"Plan consequences not shown: {_md(notes[-1])}."]
    return out


def _topic(name: str) -> str:
    return {"Question": "question", "Minimal adjustment sets": "minimal adjustment sets",
            "Identification": "identification", "Testable implications": "testable implications",
            "Controls": "controls", "Sample size": "sample size"}[name]


def _question(c: Any) -> str:
    if not c.analysed:
        return _md(c.reason or "n/a")
    return f"{_md(', '.join(c.exposure))} → {_md(', '.join(c.outcome))}"


def _sets(c: Any) -> str:
    if not c.analysed:
        return "n/a"
    if not c.adjustment_sets:
        return "none valid"
    return "; ".join("∅" if not s else _md("{" + ", ".join(s) + "}") for s in c.adjustment_sets[:6]) + (
        f"; … ({len(c.adjustment_sets)} in all)" if len(c.adjustment_sets) > 6 else "")


def _ident(c: Any) -> str:
    if not c.analysed or c.identifiable is None:
        return "n/a"
    return f"yes ({_md(c.strategy or '?')})" if c.identifiable else "**no**"


def _list(items: tuple[str, ...]) -> str:
    if not items:
        return "none"
    return "<br>".join(_md(x) for x in items[:8]) + (f"<br>… ({len(items)} in all)" if len(items) > 8 else "")


# --- Mermaid --------------------------------------------------------------------------------------------------------


def mermaid_diagram(f: FileDiff, max_nodes: int = 40) -> list[str]:
    """Lines of a Mermaid flowchart of the nodes and edges a change touches (generated ids, escaped labels)."""
    rank = {"context": 0, "changed": 1, "added": 2, "removed": 2}
    touched: dict[str, str] = {}
    for c in f.changes:
        if c.kind == "node-added":
            state = "added"
        elif c.kind == "node-removed":
            state = "removed"
        elif c.kind.startswith("node-"):
            state = "changed"
        else:
            state = "context"
        for n in c.nodes:
            if n not in touched or rank[state] > rank[touched[n]]:
                touched[n] = state
    if not touched:
        return []
    if len(touched) > max_nodes:
        return []
    labels = {**f.labels, **_labels(f)}
    ids = {n: f"n{i}" for i, n in enumerate(sorted(touched))}
    lines = ["flowchart LR"]
    for n in sorted(touched):
        lines.append(f'  {ids[n]}["{mermaid_label(labels.get(n, n))}"]')
    edges = _diagram_edges(f, set(touched))
    for (s, t, kind), (style, label) in sorted(edges.items()):
        arrow = {"added": "==>", "removed": "-.->", "changed": "-->", "context": "-->"}[style]
        if kind == "confounded":  # a shared unmeasured cause: a two-headed arrow
            arrow = "<" + arrow
        lines.append(f'  {ids[s]} {arrow}|"{mermaid_label(label)}"| {ids[t]}')
    lines += ["  classDef added fill:#dafbe1,stroke:#1a7f37", "  classDef removed fill:#ffebe9,stroke:#cf222e,stroke-dasharray:4",
              "  classDef changed fill:#fff8c5,stroke:#9a6700"]
    for state in ("added", "removed", "changed"):
        members = [ids[n] for n in sorted(touched) if touched[n] == state]
        if members:
            lines.append(f"  class {','.join(members)} {state}")
    return lines


def _labels(f: FileDiff) -> dict[str, str]:
    out: dict[str, str] = {}
    for c in f.changes:
        if c.kind in ("node-added", "node-label-changed") and isinstance(c.after, str) and c.nodes:
            out[c.nodes[0]] = c.after
        elif c.kind == "node-removed" and isinstance(c.before, str) and c.nodes:
            out.setdefault(c.nodes[0], c.before)
    return out


def _diagram_edges(f: FileDiff, nodes: set[str]) -> dict[tuple[str, str, str], tuple[str, str]]:
    out: dict[tuple[str, str, str], tuple[str, str]] = {}
    for c in f.changes:
        if c.edge is None:
            continue
        key = c.edge
        if key[0] not in nodes or key[1] not in nodes:
            continue
        if c.kind == "edge-added":
            out[key] = ("added", f"added {_sign(c.after)}")
        elif c.kind == "edge-removed":
            out[key] = ("removed", f"removed {_sign(c.before)}")
        elif c.kind in ("sign-flipped", "sign-changed"):
            out[key] = ("changed", f"sign {_symbol(c.before)} → {_symbol(c.after)}")
        elif key not in out:
            short = {"confidence-raised": "confidence ↑", "confidence-lowered": "confidence ↓",
                     "evidence-added": "evidence +", "evidence-removed": "evidence −"}.get(c.kind, "changed")
            out[key] = ("changed", short)
    return out


def _symbol(sign: Any) -> str:
    return {"positive": "+", "negative": "−", "mixed": "±", "unknown": "?"}.get(str(sign), "?")


def _sign(info: Any) -> str:
    return _symbol(info.get("sign")) if isinstance(info, dict) else ""


def diagnostics_markdown(title: str, diagnostics: Iterable[Any]) -> str:
    """A Markdown table of diagnostics (for the job summary), every cell escaped."""
    diagnostics = list(diagnostics)
    lines = [f"## {_md(title)}", ""]
    if not diagnostics:
        return "\n".join(lines + ["No findings.", ""]) + "\n"
    lines += ["| Severity | Code | Where | Message |", "|---|---|---|---|"]
    for d in diagnostics:
        where = f"{d.path}:{d.line}" if d.line else d.path
        hint = f" — {d.hint}" if d.hint else ""
        lines.append(f"| {d.severity.value} | {_md(d.code)} | {_md(where)} | {_md(d.message + hint)} |")
    return "\n".join(lines) + "\n\n"
