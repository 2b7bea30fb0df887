"""``hypoplan lint``: rules about the quality of a hypothesis's claims, with stable codes.

``check`` reports what is *wrong* (the file cannot be analysed); ``lint``
reports what a careful reviewer would question: claims without provenance,
evidence without persistent citations, animal evidence behind a human claim,
contradictions not reflected in the confidence, unmeasurable focal nodes,
rivals that do not answer each other, and links another file draws with the
opposite sign (L011, from the registry map).

Each rule is a small function registered with :func:`rule`; its docstring is
its documentation (``hypoplan lint --list-rules`` prints it).  Codes never
change meaning.  Rules can be disabled or given another severity in
``pyproject.toml``::

    [tool.hypoplan]
    lint.disable = ["L004"]
    lint.severity = { L002 = "error" }

and per file with a comment line such as ``# hypoplan: disable=L004,L008``
(a comment, because the schema forbids unknown keys).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx

from ..check import no_effect_message
from ..errors import Diagnostic, Severity, UsageError
from ..graph import build_graph
from ..loader import HypothesisFile
from ..schema import Confidence, Direction, EdgeType, Hypothesis, NodeKind, Source, Species, citation_kind

if TYPE_CHECKING:
    from ..registry.conflicts import Conflict

__all__ = [
    "RULES",
    "Finding",
    "LintConfig",
    "LintContext",
    "Rule",
    "file_directives",
    "lint_hypothesis",
    "rule",
    "rules_text",
]


@dataclass(frozen=True)
class Finding:
    """What a rule found: where (a path into the file), what, and what to do."""

    loc: tuple[Any, ...]
    message: str
    hint: str = ""


@dataclass(frozen=True)
class LintContext:
    """What a rule may look at: the file as written, its resolved hypothesis and graph, and other hypotheses by id."""

    file: HypothesisFile
    resolved: Hypothesis
    graph: nx.DiGraph
    find: Callable[[str], Hypothesis | None] = lambda _id: None
    #: Registry conflicts (:class:`hypoplan.registry.conflicts.Conflict`) naming a hypothesis id, across the folder.
    conflicts: Callable[[str], Sequence[Conflict]] = lambda _id: ()

    @property
    def hypothesis(self) -> Hypothesis:
        return self.file.hypothesis


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    func: Callable[[LintContext], Iterable[Finding]]

    @property
    def doc(self) -> str:
        return " ".join((self.func.__doc__ or "").split())


#: Every rule, by code.
RULES: dict[str, Rule] = {}


def rule(code: str, name: str, severity: Severity) -> Callable[[Callable[[LintContext], Iterable[Finding]]], Callable[[LintContext], Iterable[Finding]]]:
    """Register a lint rule under a stable code."""

    def register(func: Callable[[LintContext], Iterable[Finding]]) -> Callable[[LintContext], Iterable[Finding]]:
        if code in RULES:
            raise ValueError(f"duplicate lint code {code}")
        RULES[code] = Rule(code, name, severity, func)
        return func

    return register


# --- rules -----------------------------------------------------------------------------------------------------


@rule("L001", "speculative-edge-without-provenance", Severity.WARNING)
def speculative_edge_without_provenance(ctx: LintContext) -> Iterator[Finding]:
    """A speculative causal edge with no evidence and no notes: nothing says where the idea came from.
    (``check`` already refuses a non-speculative edge without evidence, E050.) A speculative edge
    should still quote its source (a forum post, a conversation) in ``notes``."""
    for i, edge in enumerate(ctx.hypothesis.edges):
        if (edge.type is EdgeType.CAUSES and edge.confidence is Confidence.SPECULATIVE and not edge.evidence
                and not (edge.notes or "").strip()):
            yield Finding(("edges", i), f"edge {edge.source} -> {edge.target} has no evidence and no notes",
                          "say where the idea comes from in 'notes' (quote the source), or add evidence")


@rule("L002", "evidence-without-citation", Severity.WARNING)
def evidence_without_citation(ctx: LintContext) -> Iterator[Finding]:
    """An evidence item without a ``citation``: readers cannot find the study."""
    for i, edge in enumerate(ctx.hypothesis.edges):
        for j, ev in enumerate(edge.evidence):
            if not ev.citation:
                yield Finding(("edges", i, "evidence", j), f"evidence on {edge.source} -> {edge.target} cites nothing"
                              + (f" ({ev.reference})" if ev.reference else ""),
                              "add 'citation: doi:10....' or 'pmid:...'")


_PUBMED_URL = re.compile(r"^https?://(?:www\.)?(?:pubmed\.ncbi\.nlm\.nih\.gov|ncbi\.nlm\.nih\.gov/pubmed)/(\d+)/?$",
                         re.IGNORECASE)


@rule("L003", "citation-not-persistent", Severity.WARNING)
def citation_not_persistent(ctx: LintContext) -> Iterator[Finding]:
    """A citation that is not a DOI, PMID or PMC id (a web address, or something unrecognisable).
    Web pages move; persistent identifiers do not, and tools can resolve them."""
    for i, edge in enumerate(ctx.hypothesis.edges):
        for j, ev in enumerate(edge.evidence):
            if not ev.citation:
                continue
            kind = citation_kind(ev.citation)
            loc = ("edges", i, "evidence", j, "citation")
            if kind is None:
                yield Finding(loc, f"citation '{ev.citation}' is not a DOI, PMID, PMC id or URL",
                              "write doi:10.xxxx/..., pmid:12345678 or PMC1234567")
            elif kind == "url":
                pmid = _PUBMED_URL.match(ev.citation.strip())
                hint = f"write 'pmid:{pmid.group(1)}'" if pmid else "cite the DOI or PMID of the work if it has one"
                yield Finding(loc, f"citation '{ev.citation}' is a web address, not a persistent identifier", hint)


_SPECIES_WORDS = re.compile(r"\b(animal|mouse|mice|murine|rat|rats|rodent|primate|monkey|preclinical|in vitro)\b",
                            re.IGNORECASE)


@rule("L004", "animal-evidence-for-human-claim", Severity.WARNING)
def animal_evidence_for_human_claim(ctx: LintContext) -> Iterator[Finding]:
    """A hypothesis about humans (``peco.species: human``) whose edge rests only on animal evidence,
    and either claims more than ``suggestive`` confidence or has no note saying the evidence is
    from animals. Animal findings often fail to translate (e.g. Jasmin 2002 vs 2003)."""
    peco = ctx.hypothesis.peco
    if peco is None or peco.species is not Species.HUMAN:
        return
    strong = (Confidence.ESTABLISHED, Confidence.SUPPORTED)
    for i, edge in enumerate(ctx.hypothesis.edges):
        species = [ev.species for ev in edge.evidence if ev.species is not None]
        if not species or not all(s.is_animal for s in species):
            continue
        said = bool(_SPECIES_WORDS.search(edge.notes or ""))
        if edge.confidence in strong or not said:
            which = ", ".join(sorted({s.value for s in species}))
            why = (f"is '{edge.confidence.value}'" if edge.confidence in strong else "has no note saying so")
            yield Finding(("edges", i), f"edge {edge.source} -> {edge.target} rests only on {which} evidence and {why}",
                          "lower the confidence to 'suggestive' and say in 'notes' that the evidence is from animals")


@rule("L005", "contradiction-not-reflected", Severity.WARNING)
def contradiction_not_reflected(ctx: LintContext) -> Iterator[Finding]:
    """An edge with contradicting evidence whose confidence is neither ``contested`` nor ``speculative``."""
    for i, edge in enumerate(ctx.hypothesis.edges):
        against = [ev for ev in edge.evidence if ev.direction is Direction.CONTRADICTS]
        if against and edge.confidence not in (Confidence.CONTESTED, Confidence.SPECULATIVE):
            who = ", ".join(ev.reference or ev.citation or "uncited" for ev in against)
            yield Finding(("edges", i, "confidence"),
                          f"edge {edge.source} -> {edge.target} is '{edge.confidence.value}' despite contradicting evidence ({who})",
                          "set 'confidence: contested', or explain in 'notes' why the contradiction does not apply")


def _focal_nodes(g: nx.DiGraph) -> set[str]:
    """Nodes on a causal path from an exposure to an outcome (ends included)."""
    xs = [x for x in g.graph.get("exposure", ()) if x in g]
    ys = [y for y in g.graph.get("outcome", ()) if y in g]
    out: set[str] = set()
    for x in xs:
        down = nx.descendants(g, x) | {x}
        for y in ys:
            if y in down:
                out |= down & (nx.ancestors(g, y) | {y})
    return out


@rule("L006", "latent-focal-node-without-proxy", Severity.WARNING)
def latent_focal_node_without_proxy(ctx: LintContext) -> Iterator[Finding]:
    """A latent node (``observed: false``) on a causal path from exposure to outcome with no proxy:
    no chosen ``measure`` and no observed child of kind ``measurement``. The study cannot see it."""
    g = ctx.graph
    own = {n.id: i for i, n in enumerate(ctx.hypothesis.nodes)}
    for node in sorted(_focal_nodes(g)):
        data = g.nodes[node]
        if data.get("observed", True) or data.get("implicit") or data.get("measure"):
            continue
        proxies = [c for c in g.successors(node)
                   if g.nodes[c].get("observed", True) and g.nodes[c].get("kind") == NodeKind.MEASUREMENT.value]
        if not proxies:
            loc = ("nodes", own[node]) if node in own else ("focus",)
            yield Finding(loc, f"latent node '{node}' lies on the path from exposure to outcome but has no proxy",
                          "add an observed node of kind 'measurement' caused by it, or set a 'measure'")


@rule("L007", "rival-not-reciprocal", Severity.WARNING)
def rival_not_reciprocal(ctx: LintContext) -> Iterator[Finding]:
    """A rival hypothesis that does not name this one among its own ``rivals``: rivalry is mutual,
    and the planner looks for discriminating predictions from both sides."""
    h = ctx.hypothesis
    for i, rid in enumerate(h.rivals):
        other = ctx.find(rid)
        if other is not None and h.id not in other.rivals:
            yield Finding(("rivals", i), f"rival '{rid}' does not name '{h.id}' as its rival",
                          f"add '{h.id}' to 'rivals' in {rid}")


@rule("L012", "focus-claims-no-effect", Severity.NOTE)
def focus_claims_no_effect(ctx: LintContext) -> Iterator[Finding]:
    """An exposure with no directed path to an outcome of the focus: the graph claims it has no effect on
    that outcome (do-calculus rule 3), which a study designed to estimate the effect would contradict."""
    g = ctx.graph
    focus = ctx.resolved.focus
    if not nx.is_directed_acyclic_graph(g):
        return
    for x in focus.exposure:
        for y in focus.outcome:
            if x in g and y in g and x != y and not nx.has_path(g, x, y):
                yield Finding(("focus",), no_effect_message(x, y),
                              "keep it if a null effect is the hypothesis; otherwise add the causal edges from "
                              "the exposure towards the outcome")


@rule("L008", "orphan-node", Severity.NOTE)
def orphan_node(ctx: LintContext) -> Iterator[Finding]:
    """A node that no edge touches (after ``extends`` is merged): it plays no part in the causal story."""
    g = ctx.graph
    for i, node in enumerate(ctx.hypothesis.nodes):
        if node.id in g and g.degree(node.id) == 0:
            yield Finding(("nodes", i), f"node '{node.id}' is not joined to any other node",
                          "connect it with an edge or remove it")


@rule("L009", "effect-size-without-n", Severity.NOTE)
def effect_size_without_n(ctx: LintContext) -> Iterator[Finding]:
    """An effect size reported without the sample size it came from; its precision (and any power
    calculation built on it) cannot be judged."""
    for i, edge in enumerate(ctx.hypothesis.edges):
        for j, ev in enumerate(edge.evidence):
            if ev.effect_size is not None and ev.effect_size.n is None and ev.n is None:
                yield Finding(("edges", i, "evidence", j, "effect_size"),
                              f"effect size on {edge.source} -> {edge.target} has no sample size",
                              "add 'n:' (total sample size) to the evidence or its effect_size")


@rule("L010", "established-on-one-study", Severity.NOTE)
def established_on_one_study(ctx: LintContext) -> Iterator[Finding]:
    """An edge marked ``established`` with fewer than two supporting evidence items read in the studies
    themselves (``source: primary``); ``established`` means replicated, and a press or lay account of a study
    is not a replication."""
    for i, edge in enumerate(ctx.hypothesis.edges):
        support = [ev for ev in edge.evidence if ev.direction is Direction.SUPPORTS and ev.source_type is Source.PRIMARY]
        if edge.confidence is Confidence.ESTABLISHED and len(support) < 2:
            yield Finding(("edges", i, "confidence"),
                          f"edge {edge.source} -> {edge.target} is 'established' on {len(support)} supporting study",
                          "cite the replications, or use 'supported'")


@rule("L013", "support-only-secondhand", Severity.WARNING)
def support_only_secondhand(ctx: LintContext) -> Iterator[Finding]:
    """An edge whose only supporting evidence is secondary, lay or press (``source``, or for files without
    that field the words '[S]', 'secondary', 'lay summary', 'forum', 'press', 'news' or 'quoted' in the item)
    and rated above ``speculative``: nobody has read the study itself, so the aims and plan do not count it as
    support.  A ``speculative`` edge already says as much (a forum idea recorded as such)."""
    for i, edge in enumerate(ctx.hypothesis.edges):
        if edge.confidence is Confidence.SPECULATIVE:
            continue
        support = [ev for ev in edge.evidence if ev.direction is Direction.SUPPORTS]
        if support and all(ev.source_type is not Source.PRIMARY for ev in support):
            kinds = ", ".join(sorted({ev.source_type.value for ev in support}))
            yield Finding(("edges", i, "evidence"),
                          f"edge {edge.source} -> {edge.target} is supported only by {kinds} sources",
                          "cite the primary study (its paper, abstract or data) and set 'source: primary', "
                          "or lower the confidence")


@rule("L011", "opposite-sign-across-files", Severity.WARNING)
def opposite_sign_across_files(ctx: LintContext) -> Iterator[Finding]:
    """An edge that another hypothesis file in the folder draws with the opposite sign, nodes matched as
    ``hypoplan map`` matches them (the same ``constructs`` set, or ``same_as``; never the id alone). The
    registry contradicts itself: one of the two files is wrong, or the two mean different things by a node."""
    own = ctx.hypothesis
    for c in ctx.conflicts(own.id):
        if c.kind != "opposite-sign":
            continue
        others = sorted(h for h in c.hypotheses if h != own.id)
        for hid, i in c.places:
            if hid == own.id and i < len(own.edges):
                e = own.edges[i]
                yield Finding(("edges", i, "sign"),
                              f"edge {e.source} -> {e.target} ({e.sign.value}) is drawn with the opposite sign in "
                              + ", ".join(others),
                              "settle the sign with evidence in both files, or tell the nodes apart (different "
                              "constructs)")


# --- configuration and running -----------------------------------------------------------------------------------

_SEVERITY_NAMES = {"error": Severity.ERROR, "warning": Severity.WARNING, "note": Severity.NOTE, "notice": Severity.NOTE,
                   "info": Severity.NOTE}


@dataclass(frozen=True)
class LintConfig:
    """Which rules run and how severe they are."""

    disable: frozenset[str] = frozenset()
    severity: Mapping[str, Severity] = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, table: Mapping[str, Any] | None, where: str = "[tool.hypoplan.lint]") -> LintConfig:
        """Read the ``lint`` table of ``[tool.hypoplan]``; unknown codes or severities are usage errors."""
        if table is not None and not isinstance(table, Mapping):
            raise UsageError(f"{where} must be a table, not {type(table).__name__}",
                             hint='e.g. lint.disable = ["L004"]')
        table = dict(table or {})
        unknown_keys = sorted(set(table) - {"disable", "severity"})
        if unknown_keys:
            raise UsageError(f"{where}: unknown key(s) {', '.join(unknown_keys)}", hint="use 'disable' and 'severity'")
        disable = table.get("disable", [])
        if not isinstance(disable, list) or not all(isinstance(c, str) for c in disable):
            raise UsageError(f"{where}: 'disable' must be a list of rule codes", hint='e.g. disable = ["L004"]')
        severity = table.get("severity", {})
        if not isinstance(severity, dict):
            raise UsageError(f"{where}: 'severity' must be a table", hint='e.g. severity = { L002 = "error" }')
        _known(disable, where)
        _known(severity, where)
        levels = {}
        for code, name in severity.items():
            if str(name).lower() not in _SEVERITY_NAMES:
                raise UsageError(f"{where}: severity of {code} must be error, warning or note, not {name!r}")
            levels[code.upper()] = _SEVERITY_NAMES[str(name).lower()]
        return cls(frozenset(c.upper() for c in disable), levels)


def _known(codes: Iterable[str], where: str) -> None:
    for code in codes:
        if str(code).upper() not in RULES:
            raise UsageError(f"{where}: unknown lint rule {code!r}", hint="see 'hypoplan lint --list-rules'")


_DIRECTIVE = re.compile(r"^\s*#\s*hypoplan:\s*disable\s*=\s*([A-Za-z0-9_,\s]+?)\s*$")


def file_directives(text: str) -> frozenset[str]:
    """Rule codes disabled by comment lines such as ``# hypoplan: disable=L004,L008`` in a file."""
    out: set[str] = set()
    for line in text.splitlines():
        m = _DIRECTIVE.match(line)
        if m:
            out |= {c.strip().upper() for c in m.group(1).split(",") if c.strip()}
    return frozenset(out)


def lint_hypothesis(hfile: HypothesisFile, resolved: Hypothesis | None = None, *,
                    find: Callable[[str], Hypothesis | None] | None = None,
                    conflicts: Callable[[str], Sequence[Conflict]] | None = None,
                    config: LintConfig = LintConfig()) -> list[Diagnostic]:
    """Run every enabled rule on one loaded file; diagnostics are located in the file.  ``conflicts`` gives
    the registry conflicts of a hypothesis id (rule L011); without it, cross-file rules find nothing."""
    resolved = resolved or hfile.hypothesis
    ctx = LintContext(hfile, resolved, build_graph(resolved), find or (lambda _id: None),
                      conflicts or (lambda _id: ()))
    disabled = config.disable | file_directives(hfile.text)
    out: list[Diagnostic] = []
    for code, r in sorted(RULES.items()):
        if code in disabled:
            continue
        severity = config.severity.get(code, r.severity)
        for f in r.func(ctx):
            out.append(hfile.source.diagnostic(f.loc, code, f.message, f.hint, severity=severity))
    return sorted(out)


def rules_text() -> str:
    """The rule list as plain text: code, default severity, name and documentation."""
    lines = []
    for code, r in sorted(RULES.items()):
        lines.append(f"{code}  {r.severity.value:<7}  {r.name}")
        lines.append(f"      {r.doc}")
    return "\n".join(lines)
