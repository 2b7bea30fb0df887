"""``hypoplan import`` / ``export`` and DAGitty files given to other commands, through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from hypoplan.cli import app
from hypoplan.dagitty import parse_dagitty
from hypoplan.loader import load_file, load_text

DIAGRAM = 'dag {\n"sleep loss" [exposure,pos="0,1"]\nfatigue [outcome]\nU [latent]\n"sleep loss" -> fatigue\nU <-> fatigue\n}\n'


def test_import_writes_a_hypothesis_that_loads_and_checks(runner, tmp_path: Path) -> None:
    src = tmp_path / "model.dagitty"
    src.write_text(DIAGRAM, encoding="utf-8")
    out = tmp_path / "hypotheses" / "sleep-fatigue.yaml"
    result = runner.invoke(app, ["import", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "imported 3 node(s) and 2 edge(s) as 'sleep-fatigue'" in result.stderr
    h = load_file(out).hypothesis
    assert h.id == "sleep-fatigue"  # the output name, so that 'check' finds stem == id
    assert h == parse_dagitty(DIAGRAM, "model.dagitty", "sleep-fatigue")[0]
    checked = runner.invoke(app, ["check", str(out)])
    assert checked.exit_code == 0, checked.output


def test_import_refuses_to_overwrite_without_force(runner, tmp_path: Path) -> None:
    src = tmp_path / "m.dagitty"
    src.write_text(DIAGRAM, encoding="utf-8")
    out = tmp_path / "m.yaml"
    out.write_text("keep me", encoding="utf-8")
    result = runner.invoke(app, ["import", str(src), "-o", str(out)])
    assert result.exit_code == 2
    assert "already exists" in result.stderr and "--force" in result.stderr
    assert out.read_text(encoding="utf-8") == "keep me"
    assert runner.invoke(app, ["import", str(src), "-o", str(out), "--force"]).exit_code == 0
    assert load_file(out).hypothesis.id == "m"


def test_import_from_stdin_to_stdout_with_an_id(runner) -> None:
    result = runner.invoke(app, ["import", "-", "--id", "from-stdin"], input=DIAGRAM)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# yaml-language-server: $schema=")
    h = load_text(result.stdout, "from-stdin.yaml").hypothesis
    assert h.id == "from-stdin"
    assert [n.label for n in h.nodes] == ["sleep loss", None, None]


def test_import_reports_dagitty_misreads_with_location(runner) -> None:
    result = runner.invoke(app, ["import", "-"], input="dag {\n  sleep-loss -> fatigue\n}\n")
    assert result.exit_code == 1
    assert "<stdin>:2:3: error[E060]: DAGitty reads 'sleep-loss' as two nodes" in result.stderr
    assert "Traceback" not in result.output


def test_import_usage_errors(runner, tmp_path: Path) -> None:
    missing = runner.invoke(app, ["import", str(tmp_path / "nope.dagitty")])
    assert missing.exit_code == 2 and "no such file" in missing.stderr
    yaml_file = tmp_path / "h.yaml"
    yaml_file.write_text("id: h\n", encoding="utf-8")
    wrong = runner.invoke(app, ["import", str(yaml_file)])
    assert wrong.exit_code == 2 and "--to dagitty" in wrong.stderr
    bad_id = runner.invoke(app, ["import", "-", "--id", "1bad"], input=DIAGRAM)
    assert bad_id.exit_code == 2 and "not a valid id" in bad_id.stderr


def test_import_binary_stdin_is_a_clear_error(runner) -> None:
    result = runner.invoke(app, ["import", "-"], input=b"\xff\xfe\x00garbage")
    assert result.exit_code == 1
    assert "E003" in result.stderr


def _write_pair(tmp_path: Path) -> Path:
    root = tmp_path / "hypotheses"
    root.mkdir()
    (root / "base.yaml").write_text(
        "id: base\ntitle: Base\nnodes: [{id: a}, {id: b}]\n"
        "edges: [{source: a, target: b, confidence: speculative}]\n", encoding="utf-8")
    child = root / "child.yaml"
    child.write_text(
        "id: child\ntitle: Child\nextends: [base]\nfocus: {exposure: [a], outcome: [c]}\n"
        "nodes: [{id: c, label: 'C \"quoted\"'}]\n"
        "edges: [{source: b, target: c, sign: '+', confidence: speculative}, {source: a, target: c, type: confounded}]\n",
        encoding="utf-8")
    return child


def test_export_dagitty_resolves_extends(runner, tmp_path: Path) -> None:
    child = _write_pair(tmp_path)
    result = runner.invoke(app, ["export", str(child), "--to", "dagitty"])
    assert result.exit_code == 0, result.output
    h = parse_dagitty(result.stdout, "x.dagitty", "child")[0]
    assert [n.id for n in h.nodes] == ["a", "b", "c"]
    assert [(e.source, e.target, e.type.value) for e in h.edges] == [
        ("a", "b", "causes"), ("b", "c", "causes"), ("a", "c", "confounded")]
    assert h.focus.exposure == ("a",) and h.focus.outcome == ("c",)
    assert h.node("c").label == 'C "quoted"'


def test_export_json_has_the_resolved_hypothesis_and_the_graph(runner, tmp_path: Path) -> None:
    child = _write_pair(tmp_path)
    result = runner.invoke(app, ["export", str(child), "--to", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["hypothesis"]["id"] == "child"
    assert [n["id"] for n in data["hypothesis"]["nodes"]] == ["a", "b", "c"]
    graph = data["graph"]
    ids = {n["id"] for n in graph["nodes"]}
    assert ids == {"a", "b", "c", "U(a,c)"}  # the confounded edge as an explicit latent node
    latent = next(n for n in graph["nodes"] if n["id"] == "U(a,c)")
    assert latent["observed"] is False and latent["confounds"] == ["a", "c"]
    assert {(e["source"], e["target"]) for e in graph["edges"]} == {("a", "b"), ("b", "c"), ("U(a,c)", "a"), ("U(a,c)", "c")}
    assert next(e for e in graph["edges"] if e["source"] == "b")["sign"] == "positive"


def test_export_graphml_reads_back_with_networkx(runner, tmp_path: Path) -> None:
    child = _write_pair(tmp_path)
    out = tmp_path / "out" / "child.graphml"
    result = runner.invoke(app, ["export", str(child), "--to", "graphml", "-o", str(out)])
    assert result.exit_code == 0, result.output
    g = nx.read_graphml(out)
    assert set(g.nodes) == {"a", "b", "c", "U(a,c)"}
    assert g.nodes["c"]["label"] == 'C "quoted"'
    assert json.loads(g.nodes["U(a,c)"]["confounds"]) == ["a", "c"]
    again = runner.invoke(app, ["export", str(child), "--to", "graphml", "-o", str(out)])
    assert again.exit_code == 2 and "--force" in again.stderr


def test_export_takes_a_dagitty_file_and_stdin(runner, tmp_path: Path) -> None:
    src = tmp_path / "m.dagitty"
    src.write_text(DIAGRAM, encoding="utf-8")
    from_file = runner.invoke(app, ["export", str(src), "--to", "dagitty"])
    from_stdin = runner.invoke(app, ["export", "-", "--to", "dagitty"], input=DIAGRAM)
    assert from_file.exit_code == from_stdin.exit_code == 0
    assert from_file.stdout == from_stdin.stdout == DIAGRAM


def test_export_usage_errors(runner, tmp_path: Path) -> None:
    assert runner.invoke(app, ["export", str(tmp_path / "nope.yaml"), "--to", "json"]).exit_code == 2
    src = tmp_path / "m.dagitty"
    src.write_text(DIAGRAM, encoding="utf-8")
    assert runner.invoke(app, ["export", str(src), "--to", "pdf"]).exit_code == 2


def test_check_accepts_dagitty_files(runner, tmp_path: Path) -> None:
    good = tmp_path / "good.dagitty"
    good.write_text(DIAGRAM, encoding="utf-8")
    assert runner.invoke(app, ["check", str(good)]).exit_code == 0
    bad = tmp_path / "bad.dagitty"
    bad.write_text("strict dag {\n a -> b\n}\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(bad)])
    assert result.exit_code == 1
    assert f"{bad.name}:1:1: error[E060]" in result.output or ":1:1: error[E060]" in result.output


def _shipped():
    from hypoplan.loader import Repository, is_catalog_path, resolve

    root = Path(__file__).resolve().parents[1] / "hypotheses"
    repo = Repository(root)
    return [resolve(load_file(p), repo) for p in sorted(root.glob("*.yaml")) if not is_catalog_path(p)]


def test_shipped_hypotheses_survive_dagitty_export_and_import() -> None:
    from hypoplan.dagitty import dump_dagitty

    shipped = _shipped()
    for h in shipped:
        back = parse_dagitty(dump_dagitty(h), "x.dagitty", h.id)[0]
        assert [(n.id, n.label, n.observed, n.pos) for n in back.nodes] == \
            [(n.id, n.label, n.observed, n.pos) for n in h.nodes], h.id
        assert [e.key for e in back.edges] == [e.key for e in h.edges], h.id
        for role in ("exposure", "outcome", "adjusted", "selected"):
            assert set(getattr(back.focus, role)) == set(getattr(h.focus, role)), h.id


def test_check_locates_graph_problems_in_dagitty_files(runner, tmp_path: Path) -> None:
    path = tmp_path / "cycle.dagitty"
    path.write_text("dag {\n x [exposure]\n y [outcome]\n x -> y\n y -> z\n z -> x\n}\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(path), "--format", "json"])
    assert result.exit_code == 1
    (diag,) = json.loads(result.stdout)["diagnostics"]
    assert (diag["code"], diag["line"], diag["col"]) == ("E030", 4, 4)
    assert "x -> y -> z -> x" in diag["message"]


def test_import_modeline_points_at_the_nearest_schema(runner, tmp_path: Path) -> None:
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "hypothesis.schema.json").write_text("{}", encoding="utf-8")
    out = tmp_path / "hypotheses" / "deep" / "x.yaml"
    assert runner.invoke(app, ["import", "-", "-o", str(out)], input=DIAGRAM).exit_code == 0
    first = out.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../schema/hypothesis.schema.json"
