"""The JSON Schema for editors: draft-07, committed up to date, and agreeing with the loader."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from hypoplan.cli import app
from hypoplan.errors import LoadError
from hypoplan.jsonschema import DRAFT_07, SIGN_ALIASES, hypothesis_schema, schema_text
from hypoplan.loader import is_catalog_path, load_text
from hypoplan.schema import Sign, normalise_sign
from hypoplan.writer import DEFAULT_SCHEMA_PATH
from hypoplan.yamlio import parse_yaml

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "schema" / "hypothesis.schema.json"
SHIPPED = sorted(p for p in (ROOT / "hypotheses").glob("*.y*ml") if not is_catalog_path(p))


@pytest.fixture(scope="module")
def validator() -> Draft7Validator:
    schema = hypothesis_schema()
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema)


def test_schema_is_draft_07_without_newer_keywords() -> None:
    schema = hypothesis_schema()
    assert schema["$schema"] == DRAFT_07
    text = json.dumps(schema)
    for newer in ("$defs", "prefixItems", "unevaluatedProperties", "$dynamicRef", "dependentRequired"):
        assert newer not in text
    refs = {v for v in _walk(schema, "$ref")}
    assert refs and all(r.startswith("#/definitions/") and r.split("/")[-1] in schema["definitions"] for r in refs)


def _walk(node, key):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == key:
                yield v
            yield from _walk(v, key)
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v, key)


def test_committed_schema_is_up_to_date() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == schema_text(), "run: hypoplan schema -o schema/hypothesis.schema.json --force"


def test_modeline_path_points_at_the_committed_schema() -> None:
    assert (ROOT / "hypotheses" / DEFAULT_SCHEMA_PATH).resolve() == COMMITTED.resolve()


def test_every_sign_alias_is_in_the_schema_and_means_a_sign() -> None:
    enum = hypothesis_schema()["definitions"]["Sign"]["enum"]
    for alias in SIGN_ALIASES:
        assert alias in enum
        assert Sign(normalise_sign(alias))
    assert {s.value for s in Sign} <= set(enum)


_VALID = """\
id: demo
title: Demo
extends: other
focus: {exposure: a, outcome: [b]}
nodes:
  - {id: a, pos: {x: 1, y: 2}}
  - {id: b, observed: false}
edges:
  - {source: a, target: b, sign: "−", confidence: supported,
     evidence: [{citation: "pmid:1", design: rct, finding: f, effect_size: {measure: d, value: 0.5}}]}
"""


@pytest.mark.parametrize(("change", "ok"), [
    ("", True),
    ("status: refuted\n", True),
    ("status: maybe\n", False),
    ("colour: red\n", False),
    ("rivals: [a, b]\n", True),
    ("tags: 3\n", False),
    ("peco: {population: p, exposure: e, comparator: c, outcome: o, species: mouse}\n", True),
    ("peco: {population: p}\n", False),
])
def test_schema_and_loader_agree(validator: Draft7Validator, change: str, ok: bool) -> None:
    text = _VALID + change
    data, _ = parse_yaml(text, "demo.yaml")
    schema_ok = not list(validator.iter_errors(data))
    try:
        load_text(text, "demo.yaml")
        loader_ok = True
    except LoadError:
        loader_ok = False
    assert (schema_ok, loader_ok) == (ok, ok)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_hypotheses_validate_and_name_the_schema(validator: Draft7Validator, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == f"# yaml-language-server: $schema={DEFAULT_SCHEMA_PATH}"
    data, _source = parse_yaml(text, str(path))
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]
    assert not errors, errors


def test_schema_command_prints_and_writes(runner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == hypothesis_schema()
    out = tmp_path / "s.json"
    assert runner.invoke(app, ["schema", "-o", str(out)]).exit_code == 0
    assert out.read_text(encoding="utf-8") == schema_text()
    again = runner.invoke(app, ["schema", "-o", str(out)])
    assert again.exit_code == 2 and "--force" in again.stderr
    assert runner.invoke(app, ["schema", "-o", str(out), "--force"]).exit_code == 0
