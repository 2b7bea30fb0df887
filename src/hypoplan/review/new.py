"""``hypoplan new``: a draft hypothesis from a one-line statement or from the causal sentences of a text.

:func:`extract_claims` finds sentences that state a causal or associative
relation ("X drives Y", "X suppresses Y", "X is linked to Y", "X may be
responsible for Y", "Y is driven by X") and turns each into a candidate
signed edge that quotes its sentence.  The language grades the claim:

* a hedge (may, might, could, possibly, perhaps, probably, likely, suggest,
  hypothesise, potentially) → ``speculative``;
* an association ("is linked to", "associated with", "predicts", "controls",
  "plays a role in") → sign ``unknown``, ``speculative``;
* a plain causal verb → ``suggestive``, with the quote as an evidence item of
  design ``speculation`` (the author replaces it with the study).

:func:`draft` assembles the candidates into a hypothesis with status
``idea``; :func:`draft_yaml` writes it with a ``# TODO confirm`` comment on
every drafted edge.  A draft is never a claim: the author confirms each edge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from ..schema import ID_PATTERN, Hypothesis

__all__ = [
    "TODO",
    "Claim",
    "Draft",
    "draft",
    "draft_yaml",
    "extract_claims",
    "node_id",
    "parse_statement",
    "slug",
    "split_sentences",
]

TODO = "# TODO confirm: a drafted edge; check the claim, its sign and confidence"

_HEDGES = re.compile(r"\b(may|might|could|possibly|perhaps|probably|likely|suggests?|suggesting|suggested|"
                     r"hypothesi[sz]e[sd]?|potentially|presumably|speculat\w*|perhaps|theori[sz]ed|not sure)\b",
                     re.IGNORECASE)

# (pattern, sign, association?, passive?) — longer phrases first so "is linked to" wins over "linked".
_VERBS: list[tuple[str, str, bool, bool]] = [
    (r"(?:is|are|was|were)\s+(?:largely\s+|mainly\s+|partly\s+)?driven by", "positive", False, True),
    (r"(?:is|are|was|were)\s+(?:largely\s+|mainly\s+|partly\s+)?caused by", "positive", False, True),
    (r"(?:is|are|was|were)\s+(?:largely\s+|mainly\s+|partly\s+)?(?:induced|triggered) by", "positive", False, True),
    (r"(?:is|are|was|were)\s+(?:suppressed|reduced|inhibited|impaired|blocked) by", "negative", False, True),
    (r"(?:is|are|was|were)\s+(?:largely\s+|mainly\s+)?(?:controlled|regulated|modulated) by", "unknown", True, True),
    (r"(?:may\s+|might\s+|could\s+)?be responsible for", "positive", False, False),
    (r"(?:is|are)\s+responsible for", "positive", False, False),
    (r"(?:is|are|was|were)\s+(?:\w+\s+)?linked (?:to|with)", "unknown", True, False),
    (r"(?:is|are|was|were)\s+(?:\w+\s+)?associated with", "unknown", True, False),
    (r"(?:is|are)\s+(?:a\s+)?(?:key\s+)?determinants? (?:of|for)", "unknown", True, False),
    (r"(?:is|are)\s+(?:known\s+)?causes? of", "positive", False, False),
    (r"plays? an? (?:\w+\s+)?role in", "unknown", True, False),
    (r"correlates? with", "unknown", True, False),
    (r"leads? to|led to|results? in|contributes? to|gives? rise to", "positive", False, False),
    (r"causing|driving|inducing|increasing|triggering", "positive", False, False),
    (r"suppressing|reducing|impairing|inhibiting|lowering|disrupting", "negative", False, False),
    ((r"drives|drive|drove|causes|cause|caused|increases|increase|increased|induces|induce|induced|enhances|enhance|"
     r"enhanced|promotes|promote|triggers|trigger|raises|boosts|stimulates|activates|worsens|improves|improve"),
     "positive", False, False),
    ((r"suppresses|suppress|suppressed|reduces|reduce|reduced|decreases|decrease|decreased|impairs|impair|impaired|"
     r"inhibits|inhibit|inhibited|blocks|lowers|lower|diminishes|prevents|prevent|attenuates|disrupts|disrupt"),
     "negative", False, False),
    (r"predicts|predict|controls|control|regulates|modulates|affects|affect|influences|influence|determines",
     "unknown", True, False),
]
_VERB_RE = re.compile(r"\b(?P<verb>" + "|".join(f"(?:{p})" for p, *_ in _VERBS) + r")\b", re.IGNORECASE)
_VERB_PARTS = [(re.compile(rf"^(?:{p})$", re.IGNORECASE), sign, assoc, passive) for p, sign, assoc, passive in _VERBS]

_LEADING = re.compile(r"^(?:(?:and|but|so|thus|furthermore|moreover|however|also|on the contrary|in rats|in mice|"
                      r"as|the|a|an|this|these|that|those|its|their|both|which|who|either|or|perhaps|"
                      r"experts believe|it is thought that)"
                      r"\b[\s,]*)+", re.IGNORECASE)
_TRAILING = re.compile(r"(?:\s+\b(?:may|might|could|can|would|will|also|probably|possibly|likely|not|is|are|was|were|"
                       r"to|be|that|which|still|further|strongly|directly|indirectly|thereby|itself|does|do)\b)+$",
                       re.IGNORECASE)
_PRONOUNS = {"it", "it’s", "it's", "this", "that", "they", "these", "those", "he", "she", "we", "which", "what", "there", "who", "i",
             "you", "one", "nothing", "something", "others", "s", "its", "study", "the study", "this study"}
_OBJECT_STOP = re.compile(r"[,;:()\[\]]|\s(?:which|that|while|but|because|so|when|whereas|although|if|than|"
                          r"during|in|among|for|from|by|at|with|as|via|through|after|before|to try|"
                          r"associated|linked|caused|driven|mediated|induced|is|are|was|were)\s", re.IGNORECASE)
#: Words that show a "subject" is really a clause ("the mice had lower thresholds").
_FINITE = re.compile(r"\b(?:is|are|was|were|has|have|had|makes|make|made|set|get|gets|do|does|did|feel|feels)\b",
                     re.IGNORECASE)
_SUBJECT_STOP = re.compile(r".*(?:[,;:()\[\]]|\b(?:that|which|and so|because|when|if|whereas|although|whether)\b)\s*",
                           re.IGNORECASE)
_POPULATION = re.compile(r"\s(?:in|among)\s+(?:people\s+with\s+|patients\s+with\s+|those\s+with\s+)?(?P<pop>[^,;.]+?)\s*[.!]?$",
                         re.IGNORECASE)


@dataclass(frozen=True)
class Claim:
    """A candidate edge read from one sentence."""

    subject: str
    object: str
    sign: str  # positive | negative | unknown
    confidence: str  # suggestive | speculative
    verb: str
    sentence: str
    hedged: bool
    association: bool
    context: str = ""


def split_sentences(text: str) -> list[str]:
    """Sentences of a text: split at line breaks and at ``.``, ``!`` or ``?`` followed by a space."""
    out = []
    for block in re.split(r"\n\s*", text):
        for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(])", block):
            sentence = " ".join(sentence.split())
            if len(sentence) > 3:
                out.append(sentence)
    return out


def _clean_subject(text: str) -> str:
    text = _SUBJECT_STOP.sub("", text).strip()
    text = _TRAILING.sub("", text).strip()
    text = re.sub(r"(?:\s+\w+ly)+$", "", text).strip()  # trailing adverbs: "vasoconstriction obviously"
    if _FINITE.search(text):
        text = re.split(r"\s+(?:and|but)\s+", text)[-1]  # "X makes Y feel good and Z" -> "Z"
    if _FINITE.search(text):
        return ""
    text = _LEADING.sub("", text).strip()
    return text.strip(" -–—\"'“”‘’")


def _clean_object(text: str) -> tuple[str, str]:
    padded = " " + text + " "
    m = _OBJECT_STOP.search(padded)
    head = padded[: m.start()] if m else text
    rest = padded[m.start():].strip() if m else ""
    head = _LEADING.sub("", head.strip()).strip()
    head = re.sub(r"[.!?\"”’]+$", "", head).strip(" -–—\"'“”‘’")
    return head, rest


def _verb_info(verb: str) -> tuple[str, bool, bool]:
    for pattern, sign, assoc, passive in _VERB_PARTS:
        if pattern.match(" ".join(verb.split())):
            return sign, assoc, passive
    return "unknown", True, False


def _acceptable(phrase: str, max_words: int = 8) -> bool:
    words = phrase.split()
    return (0 < len(words) <= max_words and phrase.lower() not in _PRONOUNS
            and any(c.isalpha() for c in phrase) and not phrase.lower().startswith(("it ", "this ", "there ")))


def _split_objects(obj: str) -> list[str]:
    """``A and B`` as two objects when both are short noun phrases."""
    parts = [p.strip() for p in re.split(r"\s+and\s+|\s*&\s*", obj) if p.strip()]
    if len(parts) > 1 and all(len(p.split()) <= 4 for p in parts):
        return parts
    return [obj]


def extract_claims(text: str) -> list[Claim]:
    """Candidate signed edges from the causal and associative sentences of a text, each quoting its sentence."""
    claims: list[Claim] = []
    for sentence in split_sentences(text):
        for m in _VERB_RE.finditer(sentence):
            verb = m.group("verb")
            sign, association, passive = _verb_info(verb)
            before, after = sentence[: m.start()], sentence[m.end():]
            subject = _clean_subject(before)
            obj, rest = _clean_object(after)
            if passive:
                subject, obj = obj, subject
            hedged = bool(_HEDGES.search(sentence))
            found = [Claim(subject, target, sign, "speculative" if hedged or association else "suggestive",
                           " ".join(verb.split()).lower(), sentence, hedged, association, rest)
                     for target in _split_objects(obj)
                     if _acceptable(subject) and _acceptable(target) and subject.lower() != target.lower()]
            if found:
                claims.extend(found)
                break  # one relation per sentence: the first verb that joins two phrases
    return claims


def parse_statement(statement: str) -> tuple[str | None, str | None, str | None, Claim | None]:
    """Exposure, outcome and population of a one-line statement ("impaired NE pumping causes unrefreshing sleep in ME/CFS")."""
    population = None
    m = _POPULATION.search(" " + statement.strip())
    claims = extract_claims(statement)
    if not claims:
        return None, None, population, None
    claim = claims[0]
    if m and m.group("pop").strip() and m.group("pop").strip().lower() not in claim.object.lower():
        population = m.group("pop").strip()
    return claim.subject, claim.object, population, claim


def slug(text: str, sep: str = "-", max_length: int = 60) -> str:
    """A lowercase id from free text: letters and digits joined by ``sep``, starting with a letter."""
    words = re.findall(r"[a-z0-9]+", text.lower().replace("/", " "))
    out = ""
    for w in words:
        candidate = f"{out}{sep}{w}" if out else w
        if len(candidate) > max_length:
            break
        out = candidate
    if not out or not out[0].isalpha():
        out = f"h{sep}{out}" if out else "hypothesis"
    assert re.match(ID_PATTERN, out)
    return out


def node_id(label: str, taken: set[str]) -> str:
    base = slug(label, "_", 40)
    nid, k = base, 2
    while nid in taken:
        nid, k = f"{base}_{k}", k + 1
    return nid


def _key(label: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", label.lower()))


@dataclass
class Draft:
    """A drafted hypothesis as plain data, the paths of its drafted edges, and what was left out."""

    data: dict[str, Any]
    drafted_edges: list[int] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    source: str | None = None

    def hypothesis(self) -> Hypothesis:
        return Hypothesis.model_validate(self.data)


def draft(*, hypothesis_id: str, title: str, claims: list[Claim], exposure: str | None = None,
          outcome: str | None = None, population: str | None = None, source: str | None = None,
          statement: str | None = None) -> Draft:
    """Assemble candidate claims (and/or a named exposure and outcome) into a hypothesis that ``check`` accepts."""
    labels: dict[str, str] = {}
    nodes: list[dict[str, Any]] = []

    def ensure(label: str) -> str:
        key = _key(label)
        if key not in labels:
            labels[key] = node_id(label, {n["id"] for n in nodes})
            nodes.append({"id": labels[key], "label": label[:200]})
        return labels[key]

    g = nx.DiGraph()
    edges: list[dict[str, Any]] = []
    index: dict[tuple[str, str], int] = {}
    out = Draft({}, source=source)
    for c in claims:
        s, t = ensure(c.subject), ensure(c.object)
        quote = f"\u201c{c.sentence}\u201d" + (f" ({source})" if source else "")
        if (s, t) in index:
            seen = edges[index[(s, t)]]
            seen["notes"] = (seen.get("notes", "") + "\nAlso: " + quote).strip()
            continue
        g.add_edge(s, t)
        if not nx.is_directed_acyclic_graph(g):
            g.remove_edge(s, t)
            out.skipped.append(f"{c.subject} -> {c.object}: would close a causal cycle ({quote})")
            continue
        edge: dict[str, Any] = {"source": s, "target": t, "sign": c.sign, "confidence": c.confidence}
        grade = "hedged" if c.hedged else "associative" if c.association else "assertive"
        if c.confidence == "suggestive":
            edge["evidence"] = [{"reference": source or "drafted text", "design": "speculation",
                                 "finding": c.sentence}]
        if statement is not None and c.sentence == statement:
            edge["notes"] = f"The hypothesis as stated: {quote}"
        else:
            edge["notes"] = f"Drafted from the text ({grade} language: '{c.verb}'): {quote}"
        index[(s, t)] = len(edges)
        out.drafted_edges.append(len(edges))
        edges.append(edge)
    x = ensure(exposure) if exposure else (edges[0]["source"] if edges else None)
    y = ensure(outcome) if outcome else (edges[0]["target"] if edges else None)
    connected = bool(x and y and x in g and y in g and nx.has_path(g.to_undirected(), x, y))
    if x and y and x != y and not connected:
        g.add_edge(x, y)
        if nx.is_directed_acyclic_graph(g):
            edges.append({"source": x, "target": y, "sign": "unknown", "confidence": "speculative",
                          "notes": "The relation this hypothesis is about" + (f": {statement}" if statement else ".")})
        else:
            g.remove_edge(x, y)
    data: dict[str, Any] = {"id": hypothesis_id, "title": title[:300], "status": "idea"}
    if statement:
        data["summary"] = statement
    if population and exposure and outcome:
        data["peco"] = {"population": population, "exposure": exposure, "comparator": f"no {exposure}",
                        "outcome": outcome, "species": "human"}
    if source:
        data["provenance"] = [{"kind": "text", "source": source}]
    data["focus"] = {"exposure": [x] if x else [], "outcome": [y] if y else []}
    data["nodes"] = nodes
    data["edges"] = edges
    out.data = data
    return out


def draft_yaml(d: Draft, *, schema_path: str | None = None) -> str:
    """The draft as canonical YAML, with a header and a ``# TODO confirm`` comment on every drafted edge.

    ``schema_path`` adds the yaml-language-server modeline pointing at the JSON Schema.
    """
    from ..writer import modeline
    from .fmt import dump_commented

    d.hypothesis()  # validate before writing anything
    header = ([modeline(schema_path)] if schema_path else []) + ["# Draft written by 'hypoplan new'" + (f" from {d.source}" if d.source else "") + ".",
              "# Every edge is a candidate: confirm or delete it, then set its sign, confidence and evidence."]
    eol: dict[tuple[Any, ...], str] = {("edges", i, "source"): TODO for i in d.drafted_edges}
    if "peco" in d.data:
        eol[("peco", "comparator")] = "# TODO confirm the comparator"
    return dump_commented(d.data, header=header, eol=eol)
