"""The measurement catalog: constructs, methods, drugs, disease controls and population rules.

The catalog is data (``design/data/catalog.yaml``), validated at the file
boundary by the pydantic models here and handed to the rest of ``design`` as
frozen dataclasses.  A repository extends or overrides the packaged default by
id with its own file (``hypotheses/catalog.yaml`` or ``--catalog PATH``); its
errors are located (``path:line:col``) like those of hypothesis files.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import Diagnostic, LoadError
from ..yamlio import SourceMap, load_yaml_file, parse_yaml

__all__ = [
    "CATALOG_NAMES",
    "ICE_STRATEGIES",
    "Catalog",
    "Construct",
    "CostBand",
    "DiseaseControl",
    "Drug",
    "IntercurrentEvent",
    "Invasiveness",
    "Method",
    "PopulationRule",
    "default_catalog",
    "find_repository_catalog",
    "load_catalog_file",
    "load_catalog_for",
    "load_catalog_text",
]

#: File names picked up automatically beside the hypotheses.
CATALOG_NAMES = ("catalog.yaml", "catalog.yml")

_ID = r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$"


class Invasiveness(str, Enum):
    """none < minimal (blood draw) < moderate (lumbar puncture, contrast) < high (intrathecal tracer, surgery)."""

    NONE = "none"
    MINIMAL = "minimal"
    MODERATE = "moderate"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return list(Invasiveness).index(self)


class CostBand(str, Enum):
    """Per-participant cost: low < $200, medium $200-2000, high > $2000 (unsourced estimates)."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return list(CostBand).index(self)

    @property
    def units(self) -> float:
        """Relative cost for minimum-cost adjustment: an order of magnitude per band."""
        return {"low": 1.0, "medium": 10.0, "high": 100.0}[self.value]


# --------------------------------------------------------------------------- file models


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Matching(_Model):
    text: str
    references: list[str] = Field(default_factory=list)
    relevant_to: list[str] = Field(default_factory=list)  # shown only when the hypothesis has one of these


class _ConstructModel(_Model):
    id: str = Field(pattern=_ID)
    label: str
    description: str = ""
    category: str = "other"
    synonyms: list[str] = Field(default_factory=list)
    needs_infraslow: bool = False
    matching: _Matching | list[_Matching] | None = None  # one fact, or several each with its own relevant_to
    criterion_of: list[str] = Field(default_factory=list)
    occasion: str | None = None


class _Burden(_Model):
    level: CostBand
    text: str = ""


class _TimeResolution(_Model):
    seconds: float | None = None
    resolves_infraslow: bool | None = None
    text: str | None = None


class _Reliability(_Model):
    """Test–retest reliability of one session (ICC), with its source: give it only from a cited study."""

    icc: float = Field(gt=0, le=1)
    references: list[str] = Field(min_length=1)
    note: str = ""


class _PopulationCaveat(_Model):
    applies_to: list[str] = Field(min_length=1)
    text: str


class _MethodModel(_Model):
    id: str = Field(pattern=_ID)
    name: str
    constructs: list[str] = Field(default_factory=list)
    proxy_for: list[str] = Field(default_factory=list)
    captures: str
    caveats: list[str] = Field(default_factory=list)
    population_caveats: list[_PopulationCaveat] = Field(default_factory=list)
    species: list[str] = Field(min_length=1)
    invasiveness: Invasiveness
    setting: list[str] = Field(min_length=1)
    cost_band: CostBand
    cost_note: str | None = None
    validity: CostBand = CostBand.MEDIUM
    burden: _Burden
    time_resolution: _TimeResolution = Field(default_factory=_TimeResolution)
    provokes: list[str] = Field(default_factory=list)
    references: list[str] = Field(default_factory=list)
    reliability: _Reliability | None = None


class _DrugModel(_Model):
    id: str = Field(pattern=_ID)
    name: str
    class_: str = Field(alias="class")
    examples: list[str] = Field(default_factory=list)
    acts_on: list[str] = Field(default_factory=list)
    methods: list[str] = Field(default_factory=list)
    effect: str
    action: str = Field(pattern=r"^(exclusion|washout|record)$")
    washout: str | None = None
    references: list[str] = Field(min_length=1)


class _DiseaseControlModel(_Model):
    id: str = Field(pattern=_ID)
    name: str
    condition: str | None = None
    control_for: list[str] = Field(default_factory=list)
    shares: list[str] = Field(default_factory=list)
    overlap: bool = False
    rationale: str
    references: list[str] = Field(min_length=1)


#: ICH E9(R1) strategies for an intercurrent event.
ICE_STRATEGIES = ("treatment policy", "hypothetical", "composite", "while on treatment", "principal stratum")


class _IntercurrentEventModel(_Model):
    event: str
    strategy: str = Field(pattern=r"^(treatment policy|hypothetical|composite|while on treatment|principal stratum)$")
    why: str = ""


class _PopulationRuleModel(_Model):
    id: str = Field(pattern=_ID)
    applies_to: list[str] = Field(min_length=1)
    topic: str
    severity: str = Field(default="info", pattern=r"^(info|warning)$")
    note: str
    sensitive_to: list[str] = Field(default_factory=list)
    prefer_settings: list[str] = Field(default_factory=list)
    intercurrent_events: list[_IntercurrentEventModel] = Field(default_factory=list)
    references: list[str] = Field(min_length=1)
    attrition: float | None = Field(default=None, ge=0, lt=1,
                                    description="expected drop-out proportion in this population, from the references")


class _CatalogModel(_Model):
    version: int = 1
    references: dict[str, str] = Field(default_factory=dict)
    constructs: list[_ConstructModel] = Field(default_factory=list)
    methods: list[_MethodModel] = Field(default_factory=list)
    drugs: list[_DrugModel] = Field(default_factory=list)
    disease_controls: list[_DiseaseControlModel] = Field(default_factory=list)
    population_rules: list[_PopulationRuleModel] = Field(default_factory=list)


# --------------------------------------------------------------------------- frozen records


@dataclass(frozen=True)
class Construct:
    id: str
    label: str
    description: str = ""
    category: str = "other"
    synonyms: tuple[str, ...] = ()
    needs_infraslow: bool = False
    matching_note: str | None = None
    matching_references: tuple[str, ...] = ()
    criterion_of: tuple[str, ...] = ()  # conditions it is a defining criterion of (circular as a case-control outcome)
    occasion: str | None = None  # the unit of repeated measurement, e.g. "night" for a morning rating of sleep
    matching_relevant_to: tuple[str, ...] = ()  # constructs that make the matching note relevant (empty: always)
    #: every matching fact as (text, references, relevant_to); a fact is shown only when the plan measures one
    #: of its relevant_to constructs or studies that condition (empty relevant_to: always)
    matching_facts: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = ()

    def matching_for(self, relevant: Iterable[str]) -> list[tuple[str, tuple[str, ...]]]:
        """The matching facts that concern the ``relevant`` constructs, as (text, references)."""
        have = set(relevant)
        return [(t, refs) for t, refs, to in self.matching_facts if not to or have & set(to)]


@dataclass(frozen=True)
class Method:
    """A way of measuring: what it captures, for whom, at what cost and with which caveats."""

    id: str
    name: str
    constructs: tuple[str, ...]
    proxy_for: tuple[str, ...]
    captures: str
    caveats: tuple[str, ...]
    species: tuple[str, ...]
    invasiveness: Invasiveness
    setting: tuple[str, ...]
    cost_band: CostBand
    cost_note: str | None
    validity: CostBand
    burden: CostBand
    burden_text: str
    seconds: float | None
    resolves_infraslow: bool | None
    time_text: str | None
    provokes: tuple[str, ...]
    references: tuple[str, ...]
    population_caveats: tuple[tuple[tuple[str, ...], str], ...] = ()
    reliability: float | None = None  # test–retest ICC of one session
    reliability_references: tuple[str, ...] = ()

    def caveats_for(self, conditions: Iterable[str] = ()) -> tuple[str, ...]:
        """The method's caveats, plus those the catalog gives for the population's conditions only."""
        conds = set(conditions)
        return self.caveats + tuple(text for applies, text in self.population_caveats if conds & set(applies))

    def time_resolution_for(self, infraslow: bool) -> str:
        """Time resolution; whether ~0.02 Hz oscillations are resolved only when the construct needs it."""
        parts = []
        if self.seconds is not None:
            parts.append(f"~{self.seconds:g} s")
        if self.time_text:
            parts.append(self.time_text)
        if infraslow:
            if self.resolves_infraslow is None:
                parts.append("infraslow resolution not reported")
            else:
                parts.append("resolves ~0.02 Hz oscillations" if self.resolves_infraslow
                             else "cannot resolve ~0.02 Hz oscillations")
        return "; ".join(parts) or "not reported"

    def measures(self, construct: str) -> bool:
        return construct in self.constructs or construct in self.proxy_for

    def is_proxy_for(self, construct: str) -> bool:
        return construct in self.proxy_for and construct not in self.constructs

    def for_species(self, species: str) -> bool:
        return species in self.species

    @property
    def time_resolution(self) -> str:
        """Human-readable time resolution, saying whether ~0.02 Hz oscillations are resolved."""
        parts = []
        if self.seconds is not None:
            parts.append(f"~{self.seconds:g} s")
        if self.time_text:
            parts.append(self.time_text)
        if self.resolves_infraslow is True:
            parts.append("resolves ~0.02 Hz oscillations")
        elif self.resolves_infraslow is False:
            parts.append("cannot resolve ~0.02 Hz oscillations")
        else:
            parts.append("infraslow resolution not reported")
        return "; ".join(parts)

    @property
    def cost_text(self) -> str:
        return self.cost_note or f"{self.cost_band.value} (cost bands are unsourced estimates)"


@dataclass(frozen=True)
class Drug:
    id: str
    name: str
    drug_class: str
    examples: tuple[str, ...]
    acts_on: tuple[str, ...]
    methods: tuple[str, ...]
    effect: str
    action: str
    washout: str | None
    references: tuple[str, ...]


@dataclass(frozen=True)
class DiseaseControl:
    id: str
    name: str
    condition: str | None
    control_for: tuple[str, ...]
    shares: tuple[str, ...]
    overlap: bool
    rationale: str
    references: tuple[str, ...]


@dataclass(frozen=True)
class IntercurrentEvent:
    """An event after the exposure that changes the endpoint's meaning, with its ICH E9(R1) strategy."""

    event: str
    strategy: str
    why: str = ""


@dataclass(frozen=True)
class PopulationRule:
    id: str
    applies_to: tuple[str, ...]
    topic: str
    severity: str
    note: str
    sensitive_to: tuple[str, ...]
    prefer_settings: tuple[str, ...]
    references: tuple[str, ...]
    intercurrent_events: tuple[IntercurrentEvent, ...] = ()
    attrition: float | None = None  # expected drop-out proportion, only with references that give it


@dataclass(frozen=True)
class Catalog:
    """The merged catalog, with lookups by id; ``sources`` lists the files it came from."""

    constructs: tuple[Construct, ...] = ()
    methods: tuple[Method, ...] = ()
    drugs: tuple[Drug, ...] = ()
    disease_controls: tuple[DiseaseControl, ...] = ()
    population_rules: tuple[PopulationRule, ...] = ()
    references: tuple[tuple[str, str], ...] = ()
    sources: tuple[str, ...] = ()
    _construct_index: dict[str, Construct] = field(default_factory=dict, compare=False, repr=False)
    _method_index: dict[str, Method] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._construct_index.update({c.id: c for c in self.constructs})
        self._method_index.update({m.id: m for m in self.methods})

    def construct(self, construct_id: str) -> Construct | None:
        return self._construct_index.get(construct_id)

    def method(self, method_id: str) -> Method | None:
        return self._method_index.get(method_id)

    def methods_for(self, construct_id: str) -> tuple[Method, ...]:
        return tuple(m for m in self.methods if m.measures(construct_id))

    def constructs_in_text(self, text: str) -> tuple[str, ...]:
        """Construct ids whose label or synonyms appear (as words) in free text such as a PECO population."""
        import re

        found = []
        for c in self.constructs:
            for name in (c.label, *c.synonyms):
                if name and re.search(r"(?<![A-Za-z0-9])" + re.escape(name) + r"(?![A-Za-z0-9])", text, re.IGNORECASE):
                    found.append(c.id)
                    break
        return tuple(found)


# --------------------------------------------------------------------------- loading

_SECTIONS = ("constructs", "methods", "drugs", "disease_controls", "population_rules")


def _pretty(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _validation_diagnostics(exc: ValidationError, source: SourceMap) -> list[Diagnostic]:
    out = []
    for e in exc.errors(include_url=False):
        loc = tuple(e["loc"])
        message = f"{_pretty(loc)}: {e['msg'].removeprefix('Value error, ')}"
        hint = ""
        key = e["type"] == "extra_forbidden"
        if e["type"] == "missing":
            hint = f"add the field '{loc[-1]}'"
        elif key:
            hint = "remove it, or check the spelling against the packaged catalog"
        elif e["type"] in ("enum", "string_pattern_mismatch", "literal_error"):
            hint = "use one of the values listed"
        out.append(source.diagnostic(loc, "E060", message, hint, key=key))
    return out


def _check_references(model: _CatalogModel, source: SourceMap, known: dict[str, str],
                      constructs: set[str], methods: set[str]) -> list[Diagnostic]:
    """Cross-references: constructs, method ids and reference keys must exist (here or in the base catalog)."""
    diags: list[Diagnostic] = []

    def unknown(loc: tuple[Any, ...], what: str, value: str, choices: Iterable[str], hint: str) -> None:
        close = difflib.get_close_matches(value, list(choices), n=1)
        diags.append(source.diagnostic(loc, "E061", f"{_pretty(loc)}: unknown {what} '{value}'",
                                       f"did you mean '{close[0]}'?" if close else hint))

    def refs(loc: tuple[Any, ...], values: list[str]) -> None:
        for i, ref in enumerate(values):
            if ref not in known and not any(ch.isspace() for ch in ref):
                unknown(loc + (i,), "reference key", ref, known,
                        "add it under 'references:' or write the citation out in full")

    def cons(loc: tuple[Any, ...], values: list[str]) -> None:
        for i, c in enumerate(values):
            if c not in constructs:
                unknown(loc + (i,), "construct", c, constructs, "declare it under 'constructs:'")

    for i, c in enumerate(model.constructs):
        facts = _facts(c.matching)
        for j, f in enumerate(facts):
            loc = ("constructs", i, "matching") + ((j,) if isinstance(c.matching, list) else ())
            refs(loc + ("references",), f.references)
            cons(loc + ("relevant_to",), f.relevant_to)
        cons(("constructs", i, "criterion_of"), c.criterion_of)
    for i, m in enumerate(model.methods):
        cons(("methods", i, "constructs"), m.constructs)
        cons(("methods", i, "proxy_for"), m.proxy_for)
        cons(("methods", i, "provokes"), m.provokes)
        for j, pc in enumerate(m.population_caveats):
            cons(("methods", i, "population_caveats", j, "applies_to"), pc.applies_to)
        refs(("methods", i, "references"), m.references)
        if not m.constructs and not m.proxy_for:
            diags.append(source.diagnostic(("methods", i), "E062", f"method '{m.id}' measures no construct",
                                           "list what it measures under 'constructs:' or 'proxy_for:'"))
    for i, d in enumerate(model.drugs):
        cons(("drugs", i, "acts_on"), d.acts_on)
        for j, mid in enumerate(d.methods):
            if mid not in methods:
                unknown(("drugs", i, "methods", j), "method", mid, methods, "use a method id from 'methods:'")
        refs(("drugs", i, "references"), d.references)
    for i, dc in enumerate(model.disease_controls):
        cons(("disease_controls", i, "control_for"), dc.control_for)
        cons(("disease_controls", i, "shares"), dc.shares)
        if dc.condition is not None and dc.condition not in constructs:
            unknown(("disease_controls", i, "condition"), "construct", dc.condition, constructs,
                    "declare it under 'constructs:'")
        refs(("disease_controls", i, "references"), dc.references)
    for i, r in enumerate(model.population_rules):
        cons(("population_rules", i, "applies_to"), r.applies_to)
        cons(("population_rules", i, "sensitive_to"), r.sensitive_to)
        refs(("population_rules", i, "references"), r.references)
    for section in _SECTIONS:
        seen: dict[str, int] = {}
        for i, entry in enumerate(getattr(model, section)):
            if entry.id in seen:
                diags.append(source.diagnostic((section, i, "id"), "E063",
                                               f"{section}[{i}]: duplicate id '{entry.id}'",
                                               f"it is already used at {section}[{seen[entry.id]}]"))
            seen[entry.id] = i
    return diags


def _facts(matching: _Matching | list[_Matching] | None) -> list[_Matching]:
    if matching is None:
        return []
    return list(matching) if isinstance(matching, list) else [matching]


def _records(model: _CatalogModel, refs: dict[str, str]) -> dict[str, list[Any]]:
    def r(values: Iterable[str]) -> tuple[str, ...]:
        return tuple(refs.get(v, v) for v in values)

    def construct(c: _ConstructModel) -> Construct:
        facts = _facts(c.matching)
        return Construct(c.id, c.label, c.description, c.category, tuple(c.synonyms), c.needs_infraslow,
                         " ".join(f.text for f in facts) or None,
                         tuple(dict.fromkeys(x for f in facts for x in r(f.references))), tuple(c.criterion_of),
                         c.occasion, tuple(dict.fromkeys(x for f in facts for x in f.relevant_to)),
                         tuple((f.text, r(f.references), tuple(f.relevant_to)) for f in facts))

    return {
        "constructs": [construct(c) for c in model.constructs],
        "methods": [Method(m.id, m.name, tuple(m.constructs), tuple(m.proxy_for), m.captures, tuple(m.caveats),
                           tuple(m.species), m.invasiveness, tuple(m.setting), m.cost_band, m.cost_note, m.validity,
                           m.burden.level, m.burden.text, m.time_resolution.seconds,
                           m.time_resolution.resolves_infraslow, m.time_resolution.text, tuple(m.provokes),
                           r(m.references), tuple((tuple(pc.applies_to), pc.text) for pc in m.population_caveats),
                           m.reliability.icc if m.reliability else None,
                           r(m.reliability.references) if m.reliability else ())
                    for m in model.methods],
        "drugs": [Drug(d.id, d.name, d.class_, tuple(d.examples), tuple(d.acts_on), tuple(d.methods), d.effect,
                       d.action, d.washout, r(d.references)) for d in model.drugs],
        "disease_controls": [DiseaseControl(d.id, d.name, d.condition, tuple(d.control_for), tuple(d.shares), d.overlap,
                                            d.rationale, r(d.references)) for d in model.disease_controls],
        "population_rules": [PopulationRule(p.id, tuple(p.applies_to), p.topic, p.severity, p.note,
                                            tuple(p.sensitive_to), tuple(p.prefer_settings), r(p.references),
                                            tuple(IntercurrentEvent(e.event, e.strategy, e.why)
                                                  for e in p.intercurrent_events),
                                            p.attrition)
                             for p in model.population_rules],
    }


def _merge(base: Catalog | None, records: dict[str, list[Any]], refs: dict[str, str], display: str) -> Catalog:
    """Entries of the new file replace base entries with the same id and add the others."""
    merged: dict[str, Any] = {}  # section name -> tuple of that section's entries
    for section in _SECTIONS:
        by_id = {e.id: e for e in (getattr(base, section) if base else ())}
        for entry in records[section]:
            by_id[entry.id] = entry
        merged[section] = tuple(by_id.values())
    return Catalog(**merged, references=tuple(sorted(refs.items())),
                   sources=(base.sources if base else ()) + (display,))


def load_catalog_text(text: str, display: str, *, base: Catalog | None = None) -> Catalog:
    """Validate catalog YAML text and merge it over ``base`` (raises a located :class:`LoadError`)."""
    data, source = parse_yaml(text, display)
    return _from_data(data, source, base)


def _from_data(data: Any, source: SourceMap, base: Catalog | None) -> Catalog:
    if not isinstance(data, dict):
        raise LoadError("not a mapping", [source.diagnostic((), "E060", "a catalog file must be a YAML mapping",
                                                            "start with 'constructs:' and 'methods:'")])
    try:
        model = _CatalogModel.model_validate(data)
    except ValidationError as exc:
        raise LoadError("invalid catalog", _validation_diagnostics(exc, source)) from None
    known_refs = dict(base.references) if base else {}
    known_refs.update(model.references)
    constructs = {c.id for c in (base.constructs if base else ())} | {c.id for c in model.constructs}
    methods = {m.id for m in (base.methods if base else ())} | {m.id for m in model.methods}
    diags = _check_references(model, source, known_refs, constructs, methods)
    if diags:
        raise LoadError("invalid catalog", diags)
    return _merge(base, _records(model, known_refs), known_refs, source.path)


def load_catalog_file(path: Path | str, *, display: str | None = None, base: Catalog | None = None) -> Catalog:
    """Load a repository catalog file and merge it over ``base`` (the packaged default when ``None``).

    Parsed once per process while the file is unchanged (same size and modification time).
    """
    path = Path(path)
    base = default_catalog() if base is None else base
    try:
        stat = path.stat()
        key: tuple[Any, ...] | None = (str(path.resolve()), stat.st_mtime_ns, stat.st_size, display, id(base))
    except OSError:
        key = None
    cached = _FILES.get(key) if key is not None else None
    if cached is not None and cached[0] is base:
        return cached[1]
    data, source, _ = load_yaml_file(path, display or str(path))
    catalog = _from_data(data, source, base)
    if key is not None:
        _FILES[key] = (base, catalog)
    return catalog


#: Repository catalogs already read: (file, its size and time, display, base) -> (base, merged catalog).
_FILES: dict[tuple[Any, ...], tuple[Catalog, Catalog]] = {}


_DEFAULT: list[Catalog] = []


def default_catalog() -> Catalog:
    """The packaged catalog (``hypoplan/design/data/catalog.yaml``), loaded once."""
    if not _DEFAULT:
        from importlib.resources import files

        text = files("hypoplan.design").joinpath("data/catalog.yaml").read_text(encoding="utf-8")
        _DEFAULT.append(_load_trusted(text, "<packaged catalog>"))
    return _DEFAULT[0]


def _load_trusted(text: str, display: str) -> Catalog:
    """The packaged file, read by the fast (libyaml) path like every other read, with positions for a located error."""
    return load_catalog_text(text, display)


def find_repository_catalog(folder: Path) -> Path | None:
    """``catalog.yaml`` (or ``.yml``) in the hypotheses folder, if there is one."""
    for name in CATALOG_NAMES:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


def load_catalog_for(folder: Path | None, explicit: Path | None = None, *, display: Any = str) -> Catalog:
    """The default catalog merged with the repository catalog beside the hypotheses, then with ``explicit``."""
    catalog = default_catalog()
    found = find_repository_catalog(folder) if folder is not None else None
    if found is not None and (explicit is None or found.resolve() != explicit.resolve()):
        catalog = load_catalog_file(found, display=display(found), base=catalog)
    if explicit is not None:
        catalog = load_catalog_file(explicit, display=display(explicit), base=catalog)
    return catalog
