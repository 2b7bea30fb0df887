"""Repository-level validation: what ``hypoplan check`` reports.

Schema errors come from :mod:`hypoplan.loader`; this module adds the checks
that need a whole hypothesis or the whole repository: node references,
duplicate ids, file stem vs id, causal cycles, ``extends``/``rivals``
resolution, paths escaping the repository, focus nodes, evidence and
citations.  Every function returns diagnostics; none raises for a finding.

Error codes (stable; documented in the README):

====  =================================================================
E001  file cannot be read            E021  unknown node reference
E002  file too large                 E022  duplicate edge
E003  binary file or bad encoding    E023  file name (stem) differs from id
E004  hostile YAML (tags, aliases,   E024  same id in two files
      depth)                         E030  cycle among causal edges
E005  YAML syntax                    E031  extends/rivals does not resolve
E010  schema violation               E032  extends loops
E011  top level is not a mapping     E033  path escapes the repository
E020  duplicate node id              E040  focus exposure/outcome missing
E050  causal edge without evidence   E041  exposure and outcome not connected
E051  malformed citation             E060  DAGitty syntax
                                     E042  (note) no directed path from
                                           exposure to outcome: the graph
                                           claims no effect
====  =================================================================
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from .errors import Diagnostic, LoadError, Severity
from .graph import build_graph, find_causal_cycle
from .loader import HypothesisFile, Repository, is_catalog_path, iter_hypothesis_paths, load_file, resolve
from .schema import Confidence, EdgeType, Hypothesis, citation_kind

__all__ = ["CheckReport", "check_file", "check_hypothesis", "check_loaded", "check_paths", "no_effect_message"]


@dataclass
class CheckReport:
    """What ``check`` found over a set of files."""

    files: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    loaded: list[HypothesisFile] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity.value == "error"]


def check_hypothesis(h: Hypothesis, hfile: HypothesisFile, resolved: Hypothesis | None = None) -> list[Diagnostic]:
    """Checks on one hypothesis's own content (and on its resolved graph for cycles and focus)."""
    src = hfile.source
    out: list[Diagnostic] = []
    full = resolved or h
    known = {n.id for n in full.nodes}

    seen: dict[str, int] = {}
    for i, node in enumerate(h.nodes):
        if node.id in seen:
            out.append(src.diagnostic(("nodes", i, "id"), "E020", f"duplicate node id '{node.id}'",
                                      f"it is already defined as nodes[{seen[node.id]}]; rename one of them"))
        else:
            seen[node.id] = i

    edge_seen: dict[tuple[str, str, str], int] = {}
    for i, edge in enumerate(h.edges):
        for end in ("source", "target"):
            ref = getattr(edge, end)
            if ref not in known:
                out.append(src.diagnostic(("edges", i, end), "E021", f"edge {end} '{ref}' is not a node",
                                          _suggest(ref, known)))
        if edge.key in edge_seen:
            out.append(src.diagnostic(("edges", i), "E022", f"duplicate edge {edge.source} -> {edge.target}",
                                      f"merge it with edges[{edge_seen[edge.key]}]"))
        else:
            edge_seen[edge.key] = i
        if edge.type is EdgeType.CAUSES and not edge.evidence and edge.confidence is not Confidence.SPECULATIVE:
            out.append(src.diagnostic(("edges", i), "E050",
                                      f"causal edge {edge.source} -> {edge.target} is '{edge.confidence.value}' but cites no evidence",
                                      "add an evidence item, or mark the edge 'confidence: speculative'"))
        for j, ev in enumerate(edge.evidence):
            if ev.citation is not None and citation_kind(ev.citation) is None:
                out.append(src.diagnostic(("edges", i, "evidence", j, "citation"), "E051",
                                          f"malformed citation '{ev.citation}'",
                                          "write doi:10.xxxx/..., pmid:12345678, PMC1234567 or an https:// URL"))

    for role in ("exposure", "outcome", "adjusted", "selected"):
        for j, ref in enumerate(getattr(h.focus, role)):
            if ref not in known:
                out.append(src.diagnostic(("focus", role, j), "E021", f"focus {role} '{ref}' is not a node",
                                          _suggest(ref, known)))

    g = build_graph(full)
    cycle = find_causal_cycle(g)
    if cycle:
        loc = _edge_loc(h, cycle[0], cycle[1])
        out.append(src.diagnostic(loc, "E030", "causal edges form a cycle: " + " -> ".join(cycle),
                                  "a causal graph must be acyclic; remove or reverse one of these edges, "
                                  "or model feedback as separate time points"))
    focus = full.focus
    if not focus.exposure or not focus.outcome:
        missing = " and ".join(r for r in ("exposure", "outcome") if not getattr(focus, r))
        out.append(src.diagnostic(("focus",), "E040", f"the focus names no {missing}",
                                  "add 'focus: {exposure: [...], outcome: [...]}' naming the effect this hypothesis is about"))
    else:
        skeleton = g.to_undirected(as_view=True)
        for x in focus.exposure:
            for y in focus.outcome:
                if x in g and y in g and x != y and not nx.has_path(skeleton, x, y):
                    out.append(src.diagnostic(("focus",), "E041",
                                              f"exposure '{x}' and outcome '{y}' are not connected by any path",
                                              "add the edges that link them, or fix the focus"))
                elif x in g and y in g and x != y and not cycle and not nx.has_path(g, x, y):
                    out.append(src.diagnostic(
                        ("focus",), "E042",
                        no_effect_message(x, y), "if that is the hypothesis, keep it (a study can test a null "
                        "effect); otherwise add the causal edges from the exposure towards the outcome",
                        severity=Severity.NOTE))
                if x == y:
                    out.append(src.diagnostic(("focus",), "E041", f"'{x}' is both exposure and outcome",
                                              "the exposure and the outcome must differ"))
    return out


def no_effect_message(exposure: str, outcome: str) -> str:
    """What a focus without a directed path from exposure to outcome claims (check E042 and lint L012 say it)."""
    return (f"no directed path leads from exposure '{exposure}' to outcome '{outcome}': this graph claims {exposure} "
            f"has no effect on {outcome}")


def _suggest(ref: str, known: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(ref, sorted(known), n=1)
    return f"did you mean '{close[0]}'?" if close else "define the node under 'nodes:' or fix the id"


def _edge_loc(h: Hypothesis, source: str, target: str) -> tuple[object, ...]:
    for i, edge in enumerate(h.edges):
        if edge.source == source and edge.target == target:
            return ("edges", i)
    return ("edges",)


def check_file(hfile: HypothesisFile, repo: Repository, root: Path | None) -> list[Diagnostic]:
    """All checks for one loaded file: stem, references to other hypotheses, content."""
    h = hfile.hypothesis
    src = hfile.source
    out: list[Diagnostic] = []
    if hfile.path.suffix.lower() != ".dagitty" and hfile.path.stem != h.id:
        out.append(src.diagnostic(("id",), "E023", f"id '{h.id}' differs from the file name '{hfile.path.name}'",
                                  f"rename the file to {h.id}{hfile.path.suffix} or set 'id: {hfile.path.stem}'"))
    for role in ("extends", "rivals"):
        for i, ref in enumerate(getattr(h, role)):
            if "/" in ref or "\\" in ref or ref.startswith("."):
                out.append(src.diagnostic((role, i), "E033", f"'{ref}' is a path, which may escape the repository",
                                          "name other hypotheses by id (their file stem), not by path"))
            elif ref == h.id:
                out.append(src.diagnostic((role, i), "E032", f"'{role}' names the hypothesis itself",
                                          f"remove '{ref}' from '{role}'"))
            elif repo.find(ref) is None:
                out.append(src.diagnostic((role, i), "E031", f"'{role}' names '{ref}', which is not found",
                                          f"add {ref}.yaml to the repository or fix the id"))
    if root is not None:
        try:
            hfile.path.resolve().relative_to(root.resolve())
        except ValueError:
            out.append(src.diagnostic((), "E033", f"{hfile.display} resolves outside the repository",
                                      "do not link hypothesis files to places outside the repository"))
    resolved: Hypothesis | None = None
    if not any(d.code in ("E031", "E032", "E033") for d in out):
        try:
            resolved = resolve(hfile, repo)
        except LoadError as exc:
            out.extend(exc.diagnostics)
    if resolved is not None or not h.extends:
        out.extend(check_hypothesis(h, hfile, resolved))
    return out


def check_loaded(hfile: HypothesisFile, repo: Repository, *, named_file: bool = True) -> list[Diagnostic]:
    """The errors ``check`` reports for one loaded file, for the commands that refuse such a file.

    E024 (an id used twice) needs the whole repository and is left to ``check``; E023 (file name vs id) applies
    only to a named file, not to text read from stdin.
    """
    return [d for d in check_file(hfile, repo, None)
            if d.severity is Severity.ERROR and (named_file or d.code != "E023")]


def check_paths(paths: Iterable[Path], root: Path | None = None,
                display: Callable[[Path], str] | None = None) -> CheckReport:
    """Load and check every hypothesis file under ``paths``; never raises for a finding."""
    paths = list(paths)
    root = root or _common_root(paths)
    report = CheckReport()
    files: list[HypothesisFile] = []
    for path in iter_hypothesis_paths(paths):
        shown = display(path) if display else str(path)
        report.files.append(shown)
        if is_catalog_path(path):
            continue
        try:
            files.append(load_file(path, display=shown))
        except LoadError as exc:
            report.diagnostics.extend(exc.diagnostics)
            report.diagnostics.extend(_checks_on_salvage(exc, path, shown))
    by_id: dict[str, HypothesisFile] = {}
    for hf in files:
        first = by_id.get(hf.hypothesis.id)
        if first is not None:
            report.diagnostics.append(hf.source.diagnostic(("id",), "E024",
                                                           f"id '{hf.hypothesis.id}' is also used by {first.display}",
                                                           "every hypothesis needs its own id"))
        else:
            by_id[hf.hypothesis.id] = hf
    repo = Repository(root if root.is_dir() else root.parent, files)
    for hf in files:
        report.diagnostics.extend(check_file(hf, repo, root))
    report.loaded = files
    report.diagnostics.sort()
    return report


def _checks_on_salvage(exc: LoadError, path: Path, shown: str) -> list[Diagnostic]:
    """Reference and structure checks on the valid part of a file with schema errors.

    Only findings that cannot be artefacts of the dropped parts are kept
    (unknown references and cycles among the valid edges).
    """
    partial: HypothesisFile | None = getattr(exc, "partial", None)
    if partial is None:
        return []
    return [d for d in check_hypothesis(partial.hypothesis, partial) if d.code in ("E021", "E030")]


def _common_root(paths: list[Path]) -> Path:
    dirs = [p if p.is_dir() else p.parent for p in paths] or [Path(".")]
    resolved = [d.resolve() for d in dirs]
    common = Path(*Path(resolved[0]).parts)
    for d in resolved[1:]:
        while common not in (d, *d.parents):
            common = common.parent
    return common
