"""``hypoplan new``: statements and texts become drafts that ``check`` accepts, every drafted edge marked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hypoplan.check import check_paths
from hypoplan.cli import app
from hypoplan.loader import load_file, load_text
from hypoplan.review.new import TODO, draft, draft_yaml, extract_claims, parse_statement

SEEDS = Path("/work/shared/seeds")


def _one(text: str):
    [c] = extract_claims(text)
    return (c.subject, c.object, c.sign, c.confidence)


@pytest.mark.parametrize("text, expected", [
    ("Noradrenaline drives vasomotion.", ("Noradrenaline", "vasomotion", "positive", "suggestive")),
    ("The sleep aid zolpidem suppresses NE oscillations.", ("sleep aid zolpidem", "NE oscillations", "negative", "suggestive")),
    ("Chronic stress may impair NE function.", ("Chronic stress", "NE function", "negative", "speculative")),
    ("Low NE could possibly increase pain.", ("Low NE", "pain", "positive", "speculative")),
    ("Fibromyalgia is linked to low noradrenaline.", ("Fibromyalgia", "low noradrenaline", "unknown", "speculative")),
    ("Brain fog is associated with NE dysfunction.", ("Brain fog", "NE dysfunction", "unknown", "speculative")),
    ("Glymphatic clearance is driven by vasomotion.", ("vasomotion", "Glymphatic clearance", "positive", "suggestive")),
    ("Norepinephrine may be responsible for the body pain.", ("Norepinephrine", "body pain", "positive", "speculative")),
    ("Poor sleep causes fatigue in ME/CFS patients.", ("Poor sleep", "fatigue", "positive", "suggestive")),
])
def test_causal_sentences_become_graded_signed_edges(text, expected):
    assert _one(text) == expected


def test_and_in_the_object_gives_two_edges_quoting_the_same_sentence():
    claims = extract_claims("Zolpidem suppresses NE oscillations and glymphatic flow.")
    assert [(c.subject, c.object, c.sign) for c in claims] == [
        ("Zolpidem", "NE oscillations", "negative"), ("Zolpidem", "glymphatic flow", "negative")]
    assert {c.sentence for c in claims} == {"Zolpidem suppresses NE oscillations and glymphatic flow."}


@pytest.mark.parametrize("text", [
    "It causes pain.",                      # a pronoun is not a node
    "The weather was nice yesterday.",      # no causal verb
    "The mice had lower pain thresholds.",  # a clause, not a noun phrase
])
def test_sentences_without_a_clear_relation_give_nothing(text):
    assert extract_claims(text) == []


def test_parse_statement():
    x, y, pop, claim = parse_statement("impaired NE pumping causes unrefreshing sleep in ME/CFS")
    assert (x, y, pop) == ("impaired NE pumping", "unrefreshing sleep", "ME/CFS")
    assert claim is not None and claim.sign == "positive"
    assert parse_statement("the weather is nice")[:2] == (None, None)


def test_draft_skips_an_edge_that_would_close_a_cycle():
    d = draft(hypothesis_id="cyc", title="Cycle", claims=extract_claims("Alpha drives beta. Beta drives alpha. Beta drives gamma."))
    assert [(e["source"], e["target"]) for e in d.data["edges"]] == [("alpha", "beta"), ("beta", "gamma")]
    assert len(d.skipped) == 1 and "cycle" in d.skipped[0]


def test_draft_is_a_valid_hypothesis_with_todo_on_every_drafted_edge(tmp_path: Path):
    text = "Stress impairs NE function. NE function may drive alertness. Alertness is linked to memory."
    d = draft(hypothesis_id="fog", title="Fog", claims=extract_claims(text), source="post.txt")
    yaml_text = draft_yaml(d)
    path = tmp_path / "fog.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    report = check_paths([path])
    assert report.errors == []
    h = load_file(path).hypothesis
    assert h.status.value == "idea"
    assert [(e.source, e.target, e.sign.value, e.confidence.value) for e in h.edges] == [
        ("stress", "ne_function", "negative", "suggestive"),
        ("ne_function", "alertness", "positive", "speculative"),
        ("alertness", "memory", "unknown", "speculative")]
    assert yaml_text.count(TODO) == 3
    for edge in h.edges:
        assert re.search(r"“[^”]+”", edge.notes)  # quotes its sentence
        assert edge.evidence == () or edge.evidence[0].design.value == "speculation"


def test_cli_statement_writes_a_checked_file_and_refuses_overwrite(tmp_path: Path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    args = ["new", "-s", "impaired NE pumping causes unrefreshing sleep in ME/CFS", "--id", "ne-pumping"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    path = tmp_path / "hypotheses" / "ne-pumping.yaml"
    h = load_file(path).hypothesis
    assert (h.focus.exposure, h.focus.outcome) == (("impaired_ne_pumping",), ("unrefreshing_sleep",))
    assert h.peco is not None and h.peco.population == "ME/CFS"
    assert check_paths([path.parent]).errors == []
    again = runner.invoke(app, args)
    assert again.exit_code == 2 and "already exists" in again.stderr
    assert runner.invoke(app, args + ["--force"]).exit_code == 0


def test_cli_flags_without_a_statement(tmp_path: Path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["new", "--id", "ne-pain", "--exposure", "NE deficit", "--outcome", "pain threshold",
                                 "-o", "-"])
    assert result.exit_code == 0
    h = load_text(result.stdout, "ne-pain.yaml").hypothesis
    assert [(e.source, e.target) for e in h.edges] == [("ne_deficit", "pain_threshold")]


def test_cli_without_input_is_a_usage_error(runner):
    result = runner.invoke(app, ["new"])
    assert result.exit_code == 2 and "give --statement" in result.stderr


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed texts are not available")
@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else [], ids=lambda p: p.name)
def test_cli_from_text_on_the_seed_texts(seed: Path, tmp_path: Path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["new", "--from-text", str(seed), "--id", "draft"])
    assert result.exit_code == 0, result.output
    path = tmp_path / "hypotheses" / "draft.yaml"
    assert check_paths([path.parent]).errors == []
    text = path.read_text(encoding="utf-8")
    h = load_file(path).hypothesis
    assert len(h.edges) >= 5 and text.count(TODO) >= len(h.edges) - 1
    source = " ".join(seed.read_text(encoding="utf-8").split())
    for edge in h.edges:
        for quote in re.findall(r"“([^”]+)”", edge.notes or ""):
            assert quote in source  # every quote is verbatim from the text


def test_interactive_prompts_when_stdin_is_a_terminal(tmp_path: Path, runner, monkeypatch):
    import hypoplan.cli.new as cli_new

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cli_new, "stdin_is_terminal", lambda: True)
    answers = "chronic stress impairs NE function in fibromyalgia\n\nbrain fog\nadults with fibromyalgia\n"
    result = runner.invoke(app, ["new", "--id", "fog"], input=answers)
    assert result.exit_code == 0, result.output
    h = load_file(tmp_path / "hypotheses" / "fog.yaml").hypothesis
    # the parsed exposure was accepted with Enter; the outcome and population were typed
    assert [n.label for n in h.nodes] == ["chronic stress", "NE function", "brain fog"]
    assert (h.focus.exposure, h.focus.outcome) == (("chronic_stress",), ("brain_fog",))
    assert h.peco is not None and h.peco.population == "adults with fibromyalgia"


def test_new_file_points_editors_at_the_schema(tmp_path, monkeypatch):
    """A drafted file starts with the yaml-language-server modeline, relative to the repository's schema/."""
    from typer.testing import CliRunner

    from hypoplan.cli import app

    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "hypothesis.schema.json").write_text("{}", encoding="utf-8")
    (tmp_path / "hypotheses").mkdir()
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["new", "-s", "poor sleep causes fatigue", "--id", "sleep-fatigue"])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "hypotheses" / "sleep-fatigue.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../schema/hypothesis.schema.json"


def test_cli_bad_id_is_a_usage_error_and_a_file_name_becomes_a_valid_id(tmp_path: Path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    bad = runner.invoke(app, ["new", "--id", "../../escape", "--exposure", "a", "--outcome", "b"])
    assert bad.exit_code == 2 and "not a valid id" in bad.output
    assert bad.exception is None or isinstance(bad.exception, SystemExit)
    assert not any(tmp_path.rglob("*.yaml"))
    odd = runner.invoke(app, ["new", "--exposure", "a", "--outcome", "b", "-o", "9 lives.yaml"])
    assert odd.exit_code == 0, odd.output
    assert load_file(tmp_path / "9 lives.yaml").hypothesis.id == "h-9-lives"
    kept = runner.invoke(app, ["new", "--exposure", "a", "--outcome", "b", "-o", "My.Hyp.yaml"])
    assert kept.exit_code == 0 and load_file(tmp_path / "My.Hyp.yaml").hypothesis.id == "My.Hyp"


@pytest.mark.parametrize("flags", [["--exposure", "Pain", "--outcome", "pain"], ["--exposure", "  ", "--outcome", " "],
                                   ["-s", "stress causes stress in adults"]])
def test_cli_refuses_a_draft_that_check_would_reject(tmp_path: Path, runner, monkeypatch, flags):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["new", *flags, "-o", "draft.yaml"])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not (tmp_path / "draft.yaml").exists()
