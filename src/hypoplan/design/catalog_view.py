"""Listing and searching the measurement catalog (for ``hypoplan catalog``): pure functions over a Catalog."""

from __future__ import annotations

from typing import Any

from .catalog import Catalog

__all__ = ["SECTIONS", "catalog_json", "catalog_text", "search_catalog"]

SECTIONS = ("constructs", "methods", "drugs", "disease_controls", "population_rules")


def _haystack(entry: Any) -> str:
    parts: list[str] = []
    for name in ("id", "label", "name", "description", "captures", "drug_class", "topic", "note", "rationale",
                 "category"):
        value = getattr(entry, name, None)
        if isinstance(value, str):
            parts.append(value)
    for name in ("synonyms", "examples", "constructs", "proxy_for", "acts_on", "applies_to", "shares",
                 "control_for"):
        parts.extend(getattr(entry, name, ()) or ())
    return " ".join(parts).lower().replace("_", " ")


def search_catalog(catalog: Catalog, query: str, section: str | None = None) -> dict[str, list[Any]]:
    """Entries of each section whose text contains every word of ``query`` (everything when it is empty)."""
    words = [w.replace("_", " ") for w in query.lower().split()]
    out: dict[str, list[Any]] = {}
    for name in SECTIONS:
        if section is not None and name != section:
            out[name] = []
            continue
        out[name] = [e for e in getattr(catalog, name) if all(w in _haystack(e) for w in words)]
    return out


def _methods_of(catalog: Catalog, construct: str) -> tuple[list[str], list[str]]:
    direct = [m.id for m in catalog.methods if construct in m.constructs]
    proxy = [m.id for m in catalog.methods if construct in m.proxy_for and construct not in m.constructs]
    return direct, proxy


def catalog_json(catalog: Catalog, found: dict[str, list[Any]]) -> dict[str, Any]:
    """The found entries as JSON: constructs with the methods measuring them, methods with what they measure."""
    constructs = []
    for c in found["constructs"]:
        direct, proxy = _methods_of(catalog, c.id)
        constructs.append({"id": c.id, "label": c.label, "category": c.category, "description": c.description,
                           "synonyms": list(c.synonyms), "methods": direct, "proxy_methods": proxy})
    methods = [{"id": m.id, "name": m.name, "constructs": list(m.constructs), "proxy_for": list(m.proxy_for),
                "species": list(m.species), "invasiveness": m.invasiveness.value, "setting": list(m.setting),
                "cost_band": m.cost_band.value, "captures": m.captures, "references": list(m.references)}
               for m in found["methods"]]
    drugs = [{"id": d.id, "name": d.name, "class": d.drug_class, "examples": list(d.examples),
              "acts_on": list(d.acts_on), "disturbs_methods": list(d.methods), "action": d.action,
              "effect": d.effect, "references": list(d.references)} for d in found["drugs"]]
    disease = [{"id": d.id, "name": d.name, "condition": d.condition, "control_for": list(d.control_for),
                "shares": list(d.shares), "references": list(d.references)} for d in found["disease_controls"]]
    rules = [{"id": r.id, "applies_to": list(r.applies_to), "topic": r.topic, "note": r.note,
              "intercurrent_events": [{"event": e.event, "strategy": e.strategy} for e in r.intercurrent_events],
              "references": list(r.references)} for r in found["population_rules"]]
    return {"sources": list(catalog.sources), "constructs": constructs, "methods": methods, "drugs": drugs,
            "disease_controls": disease, "population_rules": rules}


def catalog_text(catalog: Catalog, found: dict[str, list[Any]]) -> str:
    """A plain listing, one entry per line, grouped by section."""
    lines: list[str] = []
    if found["constructs"]:
        lines.append("Constructs (id — label: methods that measure it; ~ = indirect proxy)")
        for c in found["constructs"]:
            direct, proxy = _methods_of(catalog, c.id)
            ms = ", ".join(direct + [f"~{p}" for p in proxy]) or "no catalogued method"
            lines.append(f"  {c.id} — {c.label} [{c.category}]: {ms}")
        lines.append("")
    if found["methods"]:
        lines.append("Methods (id — name: constructs; ~ = proxy for)")
        for m in found["methods"]:
            what = ", ".join(list(m.constructs) + [f"~{p}" for p in m.proxy_for])
            lines.append(f"  {m.id} — {m.name}: {what} ({'/'.join(m.species)}; invasiveness "
                         f"{m.invasiveness.value}; cost {m.cost_band.value})")
        lines.append("")
    if found["drugs"]:
        lines.append("Drugs (id — name: acts on; disturbs methods)")
        for d in found["drugs"]:
            lines.append(f"  {d.id} — {d.name}: {', '.join(d.acts_on) or '-'}; {', '.join(d.methods) or '-'} "
                         f"({d.action})")
        lines.append("")
    if found["disease_controls"]:
        lines.append("Disease controls (id — name: control for; shares)")
        for d in found["disease_controls"]:
            lines.append(f"  {d.id} — {d.name}: {', '.join(d.control_for) or '-'}; {', '.join(d.shares) or '-'}")
        lines.append("")
    if found["population_rules"]:
        lines.append("Population rules (id — applies to: topic)")
        for r in found["population_rules"]:
            lines.append(f"  {r.id} — {', '.join(r.applies_to)}: {r.topic}")
        lines.append("")
    lines.append("Sources: " + ", ".join(catalog.sources))
    return "\n".join(lines) + "\n"
