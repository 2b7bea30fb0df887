"""An :class:`~hypoplan.analysis.result.AnalysisResult` as Markdown or plain text.

Both say explicitly whether *no valid adjustment set exists* or *the empty set
suffices* (DAGitty's users confuse the two), and name every listing cut by the cap.
All user text (node ids, labels, reasons) is escaped with :func:`markdown_text`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..naming import natural_key, natural_sorted
from .escape import markdown_text, one_line

if TYPE_CHECKING:
    import networkx as nx

    from ..analysis.result import AnalysisResult, StructureResult

__all__ = ["adjustment_sentence", "render_analysis_markdown", "render_analysis_text"]

_TRUNCATED_NAMES = {
    "adjustment.minimal": "minimal adjustment sets",
    "adjustment.direct": "direct-effect adjustment sets",
    "paths": "paths",
    "instruments": "instruments",
    "implications": "testable implications",
    "mediators": "causal paths through mediators",
}


def adjustment_sentence(result: AnalysisResult) -> str:
    """The one sentence that separates "no valid set" from "the empty set suffices"."""
    adj = result.adjustment
    forced = f" (containing the adjusted nodes {', '.join(result.adjusted)})" if result.adjusted else ""
    if adj.selection_bias is not None:
        reason = adj.selection_bias[:1].upper() + adj.selection_bias[1:]
        return f"No valid adjustment set exists because of selection. {reason}."
    if not adj.exists:
        if result.adjusted:
            return (f"No valid adjustment set exists{forced}; see Identification for whether other nodes "
                    "would do.")
        return "No valid adjustment set exists: the total effect cannot be estimated by covariate adjustment."
    if adj.empty_suffices:
        if result.adjusted:
            return f"The adjusted nodes alone ({', '.join(result.adjusted)}) suffice: no further adjustment is needed."
        return "The empty set suffices: no adjustment is needed for the total effect."
    if "adjustment.minimal" in result.truncated:
        return (f"Valid adjustment sets exist{forced}; there are more minimal ones than the {len(adj.minimal)} "
                "listed below.")
    return f"Valid adjustment sets exist{forced}; each minimal one is listed below."


def _set(nodes: Iterable[str]) -> str:
    items = natural_sorted(nodes)
    return "{" + ", ".join(items) + "}" if items else "{} (the empty set)"


def _path(g: nx.DiGraph | None, nodes: tuple[str, ...]) -> str:
    if g is None:
        return " - ".join(nodes)
    out = [nodes[0]]
    for a, b in itertools.pairwise(nodes):
        out.append(("-> " if g.has_edge(a, b) else "<- ") + b)
    return " ".join(out)


def _truncated(result: AnalysisResult) -> list[str]:
    return [_TRUNCATED_NAMES.get(t, t) for t in result.truncated]


def _sections(result: AnalysisResult, g: nx.DiGraph | None) -> list[tuple[str, list[str]]]:
    """(heading, lines) pairs in plain text; the caller escapes for its format."""
    adj = result.adjustment
    sections: list[tuple[str, list[str]]] = []
    question = [f"Exposure: {', '.join(result.exposure)}", f"Outcome: {', '.join(result.outcome)}"]
    if result.adjusted:
        question.append(f"Adjusted: {', '.join(result.adjusted)}")
    if result.selected:
        question.append(f"Selected on (conditioned on by design): {', '.join(result.selected)}")
    if not any(p.causal for p in result.paths) and "paths" not in result.truncated:
        question.append(_no_effect(result, g))
    sections.append(("Question", question))

    lines = [adjustment_sentence(result)]
    if adj.minimal:
        lines.append("Minimal sufficient adjustment sets:")
        lines += [f"  - {_set(s)}" for s in sorted(adj.minimal, key=lambda s: (len(s), [natural_key(n) for n in natural_sorted(s)]))]
    lines.append(f"Canonical set: {_set(adj.canonical) if adj.canonical is not None else 'none (no valid set)'}")
    lines.append("Optimal set O (Henckel et al. 2022): "
                 + (_set(adj.optimal) if adj.optimal is not None else _no_optimal(result)))
    if adj.min_cost is not None:
        lines.append(f"Minimum-cost set: {_set(adj.min_cost.nodes)} (cost {adj.min_cost.cost:g})")
    if adj.given is not None:
        verdict = "is a valid adjustment set" if adj.given.valid else "is NOT a valid adjustment set"
        lines.append(f"The given set {_set(adj.given.nodes)} {verdict}.")
        lines += [f"  - {r}" for r in adj.given.reasons]
    if adj.direct is not None:
        if adj.direct:
            lines.append("Direct effect (single-door criterion), minimal sets:")
            lines += [f"  - {_set(s)}" for s in adj.direct]
        else:
            lines.append("Direct effect: no set satisfies the single-door criterion.")
    if adj.direct_given is not None:
        verdict = ("satisfies" if adj.direct_given.valid else "does NOT satisfy")
        lines.append(f"For the direct effect, the given set {_set(adj.direct_given.nodes)} {verdict} the "
                     "single-door criterion.")
        lines += [f"  - {r}" for r in adj.direct_given.reasons]
    sections.append(("Adjustment (total effect)", lines))

    ident = result.identification
    lines = [("Identifiable" if ident.identifiable else "Not identifiable")
             + (f" by {ident.strategy}" if ident.strategy else "") + "."]
    if ident.estimand:
        lines.append(f"Estimand: {ident.estimand}")
    if ident.reason:
        lines.append(f"Reason: {ident.reason}")
    sections.append(("Identification", lines))

    lines = [f"  - {'causal' if p.causal else 'biasing'}, {'open' if p.open else 'blocked'}: {_path(g, p.nodes)}"
             for p in result.paths] or ["No path connects exposure and outcome."]
    sections.append(("Paths", lines))

    if result.instruments:
        lines = [f"  - {i.instrument}" + (f" given {_set(i.given)}" if i.given else " (unconditional)")
                 for i in result.instruments]
    else:
        lines = ["No conditional instrument."]
    sections.append(("Instrumental variables", lines))

    if result.mediators:
        lines = [f"  - {m.node}" + (f" on {len(m.paths)} causal path(s)" if m.paths else "") for m in result.mediators]
    else:
        lines = ["No mediator."]
    sections.append(("Mediators", lines))

    nc = result.negative_controls
    lines = [f"  - exposure {c.node}: {c.reasoning}" for c in nc.exposures]
    lines += [f"  - outcome {c.node}: {c.reasoning}" for c in nc.outcomes]
    sections.append(("Negative-control candidates", lines or ["No negative-control candidate."]))

    if result.implications:
        lines = [f"  - {i.x} ⫫ {i.y}" + (f" | {', '.join(natural_sorted(i.given))}" if i.given else "")
                 for i in result.implications]
    else:
        lines = ["The graph implies no testable conditional independence among observed nodes."]
    sections.append(("Testable implications", lines))

    tail = []
    cut = _truncated(result)
    if cut:
        tail.append(f"Listings cut at the --max-results cap: {', '.join(cut)}.")
    tail += list(result.notes)
    if tail:
        sections.append(("Notes", tail))
    return sections


def _no_optimal(result: AnalysisResult) -> str:
    """Why O is missing: a note says so, or no valid set exists at all."""
    if any("optimal set O" in n for n in result.notes):
        return "not available (see Notes)"
    return "not available (no valid adjustment set)" if not result.adjustment.exists else "not available"


def _no_effect(result: AnalysisResult, g: nx.DiGraph | None) -> str:
    """The analysis's own sentence for a claim of no effect, as a sentence of the report."""
    from ..analysis import no_effect_sentence

    text = no_effect_sentence(g, result.exposure, result.outcome)
    return text[0].upper() + text[1:] + "."


def _structure_sections(result: StructureResult) -> list[tuple[str, list[str]]]:
    lines = [f"  - {i.x} ⫫ {i.y}" + (f" | {', '.join(sorted(i.given))}" if i.given else "")
             for i in result.implications]
    if not lines:
        lines = ["The graph implies no testable conditional independence among observed nodes."]
    sections: list[tuple[str, list[str]]] = []
    if result.selected:
        sections.append(("Question", [f"Selected on (conditioned on by design): {', '.join(result.selected)}"]))
    sections.append(("Testable implications", lines))
    tail = [f"Listings cut at the --max-results cap: {_TRUNCATED_NAMES['implications']}."] if result.truncated else []
    sections.append(("Notes", tail + list(result.notes)))
    return sections


def _any_sections(result: AnalysisResult | StructureResult, g: nx.DiGraph | None) -> list[tuple[str, list[str]]]:
    from ..analysis.result import StructureResult

    return _structure_sections(result) if isinstance(result, StructureResult) else _sections(result, g)


def render_analysis_text(result: AnalysisResult | StructureResult, g: nx.DiGraph | None = None) -> str:
    """Plain text for a terminal."""
    out: list[str] = []
    for heading, lines in _any_sections(result, g):
        out.append(heading)
        out += ["  " + one_line(line) for line in lines]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def render_analysis_markdown(result: AnalysisResult | StructureResult, g: nx.DiGraph | None = None, *, level: int = 2,
                             title: bool = False) -> str:
    """GitHub-flavoured Markdown (every user string escaped); ``level`` is the heading depth of the sections.

    ``title=True`` adds a heading one level up with the graph's title (for a standalone document).
    """
    hashes = "#" * level
    out: list[str] = [""]
    name = g.graph.get("title") if g is not None and title else None
    if name:
        out += [f"{'#' * max(1, level - 1)} Causal analysis: {markdown_text(str(name))}", ""]
    for heading, lines in _any_sections(result, g):
        out += [f"{hashes} {heading}", ""]
        for line in lines:
            if line.startswith("  - "):
                out.append("- " + markdown_text(line[4:]))
            else:
                if out[-1] != "":
                    out.append("")  # a paragraph after a list needs a blank line
                out += [markdown_text(line), ""]
        if out[-1] != "":
            out.append("")
    return "\n".join(out).strip() + "\n"


def to_json(result: AnalysisResult) -> dict[str, Any]:  # pragma: no cover - convenience alias
    return result.to_json()
