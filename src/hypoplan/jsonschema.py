"""The JSON Schema of a hypothesis file, in the draft-07 dialect editors understand.

yaml-language-server (the YAML support of VS Code, Neovim, Helix, …) officially
supports only JSON Schema draft-07 (redhat-developer/yaml-language-server#856),
while pydantic v2 emits draft 2020-12.  :func:`hypothesis_schema` converts:
``$defs`` → ``definitions`` (with every ``$ref`` rewritten), a ``$ref`` with
sibling keywords wrapped in ``allOf`` (draft-07 ignores siblings of ``$ref``),
``prefixItems`` → ``items`` as a list, and ``"$schema"`` set to draft-07.  It
also adds what pydantic's validators accept but its schema does not say: the
symbolic spellings of a sign (``+``, ``-``, ``−``, ``±``, ``?``, …) and a single
id where a list of ids is expected (``extends: other-id``).
"""

from __future__ import annotations

import json
from typing import Any

from .schema import _SIGN_ALIASES, Hypothesis

__all__ = ["DRAFT_07", "SIGN_ALIASES", "hypothesis_schema", "schema_text"]

DRAFT_07 = "http://json-schema.org/draft-07/schema#"

#: Every spelling of a sign that :func:`hypoplan.schema.normalise_sign` maps to a :class:`Sign`.
SIGN_ALIASES = tuple(_SIGN_ALIASES)

#: Fields that accept one id as well as a list of ids (``NodeList`` in the schema module).
_ID_OR_LIST = {"Hypothesis": ("extends", "rivals"), "Focus": ("exposure", "outcome", "adjusted", "selected")}


def hypothesis_schema() -> dict[str, Any]:
    """The draft-07 JSON Schema of a hypothesis file."""
    raw = Hypothesis.model_json_schema()
    definitions = raw.pop("$defs", {})
    root = _convert(raw)
    defs = {name: _convert(d) for name, d in definitions.items()}
    for model, fields in _ID_OR_LIST.items():
        props = (root if model == "Hypothesis" else defs[model])["properties"]
        for name in fields:
            props[name] = _id_or_list(props[name])
    sign = defs["Sign"]
    sign["enum"] = list(sign["enum"]) + [a for a in SIGN_ALIASES if a not in sign["enum"]]
    sign["description"] = "Direction of an effect: positive, negative, mixed or unknown (or + - − ± ?)."
    out: dict[str, Any] = {
        "$schema": DRAFT_07,
        "title": "hypoplan hypothesis",
        "description": "One causal hypothesis: metadata, nodes, edges with evidence, focus, extends and rivals.",
    }
    out.update({k: v for k, v in root.items() if k not in ("title", "description")})
    out["definitions"] = dict(sorted(defs.items()))
    return out


def schema_text() -> str:
    """The schema as it is committed in ``schema/hypothesis.schema.json``."""
    return json.dumps(hypothesis_schema(), indent=2, ensure_ascii=False) + "\n"


def _id_or_list(prop: dict[str, Any]) -> dict[str, Any]:
    array = {k: v for k, v in prop.items() if k not in ("title", "description", "default")}
    out: dict[str, Any] = {k: prop[k] for k in ("title", "description", "default") if k in prop}
    out["anyOf"] = [{"type": "string"}, array]
    return out


def _convert(node: Any) -> Any:
    if isinstance(node, list):
        return [_convert(x) for x in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "$ref" and isinstance(value, str):
            out[key] = value.replace("#/$defs/", "#/definitions/")
        elif key == "prefixItems":
            out["items"] = _convert(value)
            if "items" in node and node["items"] is not False:
                out["additionalItems"] = _convert(node["items"])
        elif key == "items" and "prefixItems" in node:
            continue
        else:
            out[key] = _convert(value)
    if "$ref" in out and len(out) > 1:
        ref = out.pop("$ref")
        out = {"allOf": [{"$ref": ref}], **out}
    return out
