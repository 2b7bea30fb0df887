"""Synthetic registries for the map and site tests: each a folder of small hypothesis files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def node(node_id: str, *constructs: str, label: str | None = None, **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"id": node_id, "constructs": list(constructs), **extra}
    if label:
        out["label"] = label
    return out


def edge(source: str, target: str, sign: str = "+", *evidence: dict[str, Any], **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"source": source, "target": target, "sign": sign, **extra}
    if evidence:
        out["evidence"] = list(evidence)
        out.setdefault("confidence", "suggestive")
    return out


def ev(citation: str | None, direction: str = "supports", species: str = "human", design: str = "observational",
       reference: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"design": design, "direction": direction, "species": species, "finding": "a finding"}
    if citation:
        out["citation"] = citation
    if reference:
        out["reference"] = reference
    return out


def hyp(hid: str, nodes: list[dict[str, Any]], edges: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"id": hid, "title": f"Hypothesis {hid}", "nodes": nodes, "edges": edges, **extra}


def write_registry(folder: Path, *hypotheses: dict[str, Any]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for h in hypotheses:
        (folder / f"{h['id']}.yaml").write_text(yaml.safe_dump(h, sort_keys=False, allow_unicode=True),
                                                encoding="utf-8")
    return folder


def load_map(folder: Path, *, experiments: int | None = None) -> Any:
    """Build the map of a folder the way ``hypoplan map`` does (packaged catalog)."""
    from hypoplan.design.catalog import default_catalog
    from hypoplan.loader import Repository, iter_hypothesis_paths, load_file
    from hypoplan.registry.build import build_map
    from hypoplan.registry.model import entries_from_files

    files = [load_file(p) for p in iter_hypothesis_paths([folder])]
    entries, problems = entries_from_files(files, Repository(folder, files))
    assert not problems, problems
    return build_map(entries, default_catalog(), experiments=experiments)
