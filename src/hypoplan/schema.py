"""Pydantic models of a hypothesis file: the only place the file format is defined.

A hypothesis file holds one causal claim: metadata (title, status, PECO,
provenance), the nodes of its causal graph, the edges between them with the
evidence behind each edge, the focus (exposure, outcome, adjusted and selected
nodes, as DAGitty names these roles) and its relations to other hypotheses
(``extends`` and ``rivals``).  Validation of single values happens here;
checks that need the whole repository (references, cycles, ``extends``) live in
:mod:`hypoplan.loader` and :mod:`hypoplan.check`.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

__all__ = [
    "ID_PATTERN",
    "Confidence",
    "Design",
    "Direction",
    "Edge",
    "EdgeType",
    "EffectSize",
    "Evidence",
    "Focus",
    "Hypothesis",
    "Level",
    "Node",
    "NodeKind",
    "Peco",
    "Position",
    "PredictionDirection",
    "Provenance",
    "Scale",
    "Sign",
    "Source",
    "Species",
    "StatedPrediction",
    "Status",
    "citation_kind",
    "normalise_sign",
    "source_from_text",
]

#: Hypothesis and node ids: a letter, then letters, digits, ``_``, ``-`` or ``.``.
ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_.\-]*$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


class Status(str, Enum):
    """Where a hypothesis stands."""

    IDEA = "idea"
    PROPOSED = "proposed"
    SUPPORTED = "supported"
    CONTESTED = "contested"
    REFUTED = "refuted"


class NodeKind(str, Enum):
    """What a node stands for in the causal story."""

    CONDITION = "condition"
    EXPOSURE = "exposure"
    MECHANISM = "mechanism"
    OUTCOME = "outcome"
    CONFOUNDER = "confounder"
    INTERVENTION = "intervention"
    DRUG = "drug"
    MODIFIER = "modifier"
    MEASUREMENT = "measurement"
    OTHER = "other"


class Scale(str, Enum):
    """How a node's measurement is scaled: it picks the test a comparison on it is sized by (a binary
    endpoint by two proportions or logistic regression) and the link the data layer simulates it with."""

    CONTINUOUS = "continuous"
    BINARY = "binary"
    ORDINAL = "ordinal"
    COUNT = "count"


class Level(str, Enum):
    """Biological level, ordered from molecule to clinic (used to group diagrams)."""

    MOLECULAR = "molecular"
    CELLULAR = "cellular"
    CIRCUIT = "circuit"
    PHYSIOLOGICAL = "physiological"
    BEHAVIOURAL = "behavioural"
    CLINICAL = "clinical"
    DEMOGRAPHIC = "demographic"


class EdgeType(str, Enum):
    """``causes`` is a directed edge; ``confounded`` is DAGitty's ``<->`` (a shared unmeasured cause)."""

    CAUSES = "causes"
    CONFOUNDED = "confounded"


class Sign(str, Enum):
    """Direction of an effect. Files may also write ``+``, ``-``, ``−``, ``±`` or ``?``."""

    POSITIVE = "positive"
    NEGATIVE = "negative"
    MIXED = "mixed"
    UNKNOWN = "unknown"

    @property
    def symbol(self) -> str:
        return {"positive": "+", "negative": "−", "mixed": "±", "unknown": "?"}[self.value]


_SIGN_ALIASES = {
    "+": "positive",
    "increases": "positive",
    "-": "negative",
    "−": "negative",
    "decreases": "negative",
    "±": "mixed",
    "+/-": "mixed",
    "?": "unknown",
}


def normalise_sign(value: Any) -> Any:
    """Map the symbolic spellings of a sign to its canonical word."""
    if isinstance(value, str):
        return _SIGN_ALIASES.get(value.strip(), value.strip())
    return value


class Confidence(str, Enum):
    """How well an edge is established, strongest first."""

    ESTABLISHED = "established"
    SUPPORTED = "supported"
    SUGGESTIVE = "suggestive"
    SPECULATIVE = "speculative"
    CONTESTED = "contested"


class Species(str, Enum):
    HUMAN = "human"
    MOUSE = "mouse"
    RAT = "rat"
    PRIMATE = "primate"
    OTHER_ANIMAL = "other-animal"
    IN_VITRO = "in-vitro"
    IN_SILICO = "in-silico"

    @property
    def is_animal(self) -> bool:
        return self in (Species.MOUSE, Species.RAT, Species.PRIMATE, Species.OTHER_ANIMAL)


class Design(str, Enum):
    RCT = "rct"
    CROSSOVER = "crossover"
    OBSERVATIONAL = "observational"
    CASE_CONTROL = "case-control"
    COHORT = "cohort"
    KNOCKOUT = "knockout"
    LESION = "lesion"
    OPTOGENETIC = "optogenetic"
    CHEMOGENETIC = "chemogenetic"
    PHARMACOLOGICAL = "pharmacological"
    IMAGING = "imaging"
    META_ANALYSIS = "meta-analysis"
    REVIEW = "review"
    CASE_REPORT = "case-report"
    SPECULATION = "speculation"


class Direction(str, Enum):
    SUPPORTS = "supports"
    CONTRADICTS = "contradicts"
    NULL = "null"


class Source(str, Enum):
    """Where an evidence item was read: the study itself, or someone's account of it."""

    PRIMARY = "primary"  # the paper, its abstract or the authors' data
    SECONDARY = "secondary"  # a third party's account: a review's or bibliography's summary, the brief's [S] mark
    LAY = "lay"  # a lay summary or a patient forum
    PRESS = "press"  # a news article, press release or a quote in the press


#: Words by which files written before the ``source`` field marked second-hand items (the fallback of
#: :func:`evidence_source`; the first matching group wins: press, then lay, then secondary).
_SOURCE_KEYWORDS = (
    (Source.PRESS, re.compile(r"\bpress\b|\bnews\b|\bnewspaper\b|\bquoted\b", re.IGNORECASE)),
    (Source.LAY, re.compile(r"\blay summary\b|\bforum\b|\bblog\b", re.IGNORECASE)),
    (Source.SECONDARY, re.compile(r"\[S\]|\bsecondary\b", re.IGNORECASE)),
)


def source_from_text(*texts: str | None) -> Source:
    """The keyword fallback: the source type that words in an item's text imply (primary when none match)."""
    for source, pattern in _SOURCE_KEYWORDS:
        if any(pattern.search(t) for t in texts if t):
            return source
    return Source.PRIMARY


_DOI = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)
_PMID = re.compile(r"^pmid:\s*(\d{1,9})$", re.IGNORECASE)
_PMC = re.compile(r"^pmc\d{1,9}$", re.IGNORECASE)
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def citation_kind(citation: str) -> str | None:
    """Classify a citation as ``doi``, ``pmid``, ``pmc`` or ``url``; ``None`` when malformed."""
    text = citation.strip()
    if _DOI.match(text):
        return "doi"
    if _PMID.match(text):
        return "pmid"
    if _PMC.match(text):
        return "pmc"
    if _URL.match(text):
        return "url"
    return None


class EffectSize(_Model):
    """An effect size as reported (never invented): the measure, its value, and the sample it came from."""

    measure: str = Field(description="d, dz, r, f, h, w, OR, RR, percent-change, ...")
    value: float
    n: int | None = Field(default=None, ge=1, description="total sample size of the study")
    note: str | None = None


class Evidence(_Model):
    """One piece of evidence bearing on an edge."""

    citation: str | None = Field(default=None, description="doi:10..., pmid:123, PMC123 or an https URL")
    reference: str | None = Field(default=None, description="short human-readable reference, e.g. 'Hauglund 2025 Cell'")
    source: Source | None = Field(default=None, description=(
        "where the item was read: primary (the paper, its abstract or the authors' data), secondary (a third "
        "party's account of it), lay (a lay summary or patient forum) or press (news, press release). Only "
        "primary items count as support. Unset: inferred from words in the reference, citation, finding and "
        "effect-size note ('[S]', 'secondary', 'lay summary', 'forum', 'press', 'news', 'quoted'), a fallback "
        "for files written before this field"))
    species: Species | None = None
    design: Design
    direction: Direction = Direction.SUPPORTS
    finding: str = Field(min_length=1)
    effect_size: EffectSize | None = None
    n: int | None = Field(default=None, ge=1)

    @property
    def source_type(self) -> Source:
        """The stated ``source``, or (files without the field) the type the item's own words imply."""
        if self.source is not None:
            return self.source
        note = self.effect_size.note if self.effect_size is not None else None
        return source_from_text(self.reference, self.citation, self.finding, note)


class Position(_Model):
    x: float
    y: float


Assignment = Literal["auto", "parallel", "crossover", "split_body"]


class Node(_Model):
    """A variable of the causal graph."""

    id: str = Field(pattern=ID_PATTERN, max_length=80)
    label: str | None = Field(default=None, max_length=200)
    kind: NodeKind = NodeKind.MECHANISM
    observed: bool = True
    selected: bool = Field(default=False, description="the study conditions on this node by design (DAGitty's "
                           "[selected], e.g. recruitment through a clinic); the same as listing it under "
                           "focus.selected")
    level: Level | None = None
    constructs: tuple[str, ...] = Field(default=(), description="measurement-catalog constructs this node stands for")
    measure: str | None = Field(default=None, description="a catalog method chosen explicitly for this node")
    cost: float | None = Field(default=None, ge=0, description="cost of measuring it, for minimum-cost adjustment")
    manipulable: bool = Field(default=False, description="the investigator can set this node (randomise it), as "
                              "for kind intervention or drug")
    criterion_of: tuple[str, ...] = Field(default=(), description="condition constructs this node is a defining "
                                          "criterion of: a case-control comparison on it is circular")
    assignment: Assignment = Field(default="auto", description="how a manipulable node is assigned when the "
                                   "plan randomises it: parallel (separate groups), crossover (each participant "
                                   "receives both conditions in random order, with a washout between periods), "
                                   "split_body (both conditions at the same visit on two sites of the same body, "
                                   "e.g. the two forearms, with the side randomised), or auto (crossover for a "
                                   "human population with a stable condition, else parallel)")
    manipulable_in: tuple[Species, ...] = Field(default=(), description="the species in which the investigator "
                                                "can set this node (e.g. [mouse] for optogenetic stimulation); "
                                                "empty means any species")
    same_as: tuple[str, ...] = Field(default=(), description="node ids in rival hypotheses that stand for the same "
                                     "variable, when the constructs do not already say so")
    scale: Scale | None = Field(default=None, description="continuous, binary (present/absent), ordinal or count; "
                                "default: binary for a condition, intervention or drug, else continuous")
    pos: Position | None = None
    notes: str | None = None
    attributes: dict[str, str] = Field(default_factory=dict, description="other DAGitty attributes, kept verbatim")

    @property
    def display(self) -> str:
        return self.label or self.id


class Edge(_Model):
    """A causal (``causes``) or confounding (``confounded``) relation between two nodes."""

    source: str
    target: str
    type: EdgeType = EdgeType.CAUSES
    sign: Annotated[Sign, BeforeValidator(normalise_sign)] = Sign.UNKNOWN
    mechanism: str | None = None
    confidence: Confidence = Confidence.SPECULATIVE
    evidence: tuple[Evidence, ...] = ()
    notes: str | None = None

    @model_validator(mode="after")
    def _no_self_loop(self) -> Edge:
        if self.source == self.target:
            raise ValueError(f"an edge cannot join {self.source!r} to itself")
        return self

    @property
    def key(self) -> tuple[str, str, str]:
        """Identity of the edge: confounded edges are unordered."""
        if self.type is EdgeType.CONFOUNDED:
            a, b = sorted((self.source, self.target))
            return (a, b, self.type.value)
        return (self.source, self.target, self.type.value)


def _as_list(value: Any) -> Any:
    if isinstance(value, str):
        return [value]
    return value


NodeList = Annotated[tuple[str, ...], BeforeValidator(_as_list)]


class Focus(_Model):
    """DAGitty's roles: the effect of interest and the nodes adjusted or selected on.

    ``selected`` lists the nodes the study conditions on by design; ``selected: true`` on a
    node says the same, and the graph takes the union of both.
    """

    exposure: NodeList = ()
    outcome: NodeList = ()
    adjusted: NodeList = ()
    selected: NodeList = ()


class Peco(_Model):
    """Population, Exposure, Comparator, Outcome (Morgan et al. 2018)."""

    population: str
    exposure: str
    comparator: str
    outcome: str
    species: Species = Species.HUMAN


class Provenance(_Model):
    """Where the idea came from."""

    kind: str = Field(description="forum, paper, preprint, conversation, ...")
    source: str = Field(description="URL, DOI or a description")
    quote: str | None = None
    date: str | None = None


class PredictionDirection(str, Enum):
    """What a stated prediction expects of a node: it rises, falls, or does not change."""

    UP = "+"
    DOWN = "-"
    NONE = "0"


_PREDICTION_ALIASES = {"increases": "+", "positive": "+", "up": "+", "decreases": "-", "negative": "-", "down": "-",
                       "−": "-", "no change": "0", "none": "0", "null": "0", "unchanged": "0"}


def _prediction_direction(value: Any) -> Any:
    if isinstance(value, str):
        return _PREDICTION_ALIASES.get(value.strip().lower(), value.strip())
    if isinstance(value, int) and not isinstance(value, bool) and value == 0:
        return "0"
    return value


class StatedPrediction(_Model):
    """A prediction the graph cannot express: ``node`` moves in ``direction`` under ``condition``.

    ``cause`` (optional) names the node whose increase or manipulation the condition is, so that a rival
    without its own stated prediction is compared through its graph.
    """

    node: str = Field(pattern=ID_PATTERN)
    direction: Annotated[PredictionDirection, BeforeValidator(_prediction_direction)]
    condition: str = Field(min_length=1, max_length=300)
    cause: str | None = Field(default=None, pattern=ID_PATTERN)
    note: str | None = None


class Hypothesis(_Model):
    """One hypothesis file."""

    id: str = Field(pattern=ID_PATTERN, max_length=80)
    title: str = Field(min_length=1, max_length=300)
    status: Status = Status.IDEA
    summary: str | None = None
    background: str | None = Field(default=None, description="what is known, for the aims page; cite within")
    program_goal: str | None = Field(default=None, description="long-term goal, for the aims page")
    peco: Peco | None = None
    tags: tuple[str, ...] = ()
    provenance: tuple[Provenance, ...] = ()
    authors: tuple[str, ...] = ()
    extends: NodeList = ()
    rivals: NodeList = ()
    focus: Focus = Field(default_factory=Focus)
    nodes: tuple[Node, ...] = ()
    edges: tuple[Edge, ...] = ()
    predictions: tuple[StatedPrediction, ...] = Field(default=(), description="explicit predictions (node, direction, "
                                                      "condition) for rival discrimination")

    @field_validator("tags", "authors")
    @classmethod
    def _no_blank(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        if any(not v.strip() for v in values):
            raise ValueError("entries must not be blank")
        return values

    def node(self, node_id: str) -> Node | None:
        for node in self.nodes:
            if node.id == node_id:
                return node
        return None
