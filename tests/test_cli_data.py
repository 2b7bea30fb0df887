"""The data commands end to end: simulate → test-data → estimate → diagnose, their JSON contracts (README),
and one-line errors with exit 2 for unusable data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import HYPOTHESES

import hypoplan
from hypoplan.cli import app
from hypoplan.graph import build_graph

MECFS = str(HYPOTHESES / "mecfs-ne-vasomotion.yaml")
FAIR_HYPOTHESIS = str(Path(__file__).parent / "data" / "fair-affairs.yaml")


def fair_csv() -> Path:
    from statsmodels.datasets import fair

    return Path(fair.__file__).parent / "fair.csv"


@pytest.fixture(scope="module")
def simulated(tmp_path_factory) -> Path:
    from typer.testing import CliRunner

    path = tmp_path_factory.mktemp("sim") / "data.csv"
    res = CliRunner().invoke(app, ["simulate", MECFS, "-n", "600", "--seed", "4", "-o", str(path)])
    assert res.exit_code == 0, res.output
    return path


def test_simulate_same_seed_same_file_and_latent_columns(runner, tmp_path, simulated):
    again = tmp_path / "again.csv"
    assert runner.invoke(app, ["simulate", MECFS, "-n", "600", "--seed", "4", "-o", str(again)]).exit_code == 0
    assert again.read_bytes() == simulated.read_bytes()
    header = simulated.read_text().splitlines()[0].split(",")
    assert "ne_oscillation" in header and not any(h.startswith("U(") for h in header)
    kept = tmp_path / "kept.csv"
    res = runner.invoke(app, ["simulate", MECFS, "-n", "5", "--keep-latent", "-o", str(kept), "--format", "json"])
    assert res.exit_code == 0
    report = json.loads(res.stdout)
    assert {"columns", "coefficients", "dropped_latent", "binary", "seed", "rows"} <= set(report)
    assert report["dropped_latent"] == []
    assert any(c.startswith(('"U(', "U(")) for c in kept.read_text().splitlines()[0].split(","))
    assert {"source", "target", "beta", "basis", "note"} == set(report["coefficients"][0])


def test_simulate_refuses_to_overwrite_and_json_needs_a_file(runner, simulated):
    res = runner.invoke(app, ["simulate", MECFS, "-n", "5", "-o", str(simulated)])
    assert res.exit_code == 2 and "already exists" in res.output
    res = runner.invoke(app, ["simulate", MECFS, "-n", "5", "--format", "json"])
    assert res.exit_code == 2 and "-o" in res.output


def test_test_data_json_contract_on_simulated_data(runner, simulated):
    res = runner.invoke(app, ["test-data", MECFS, str(simulated), "--format", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert {"tests", "total", "rejected", "skipped", "dropped_rows"} <= set(out)
    assert {"x", "y", "given", "test", "statistic", "p_value", "p_adjusted", "rejected", "n"} <= set(out["tests"][0])
    assert {"x", "y", "given", "reason"} <= set(out["skipped"][0])  # the implicit latent confounders
    assert out["total"] == len(out["tests"]) > 50 and out["rejected"] == 0
    assert {t["test"] for t in out["tests"]} == {"fisher-z", "lr-logit"}


def test_estimate_and_diagnose_json_contracts(runner, simulated):
    res = runner.invoke(app, ["estimate", MECFS, str(simulated), "--format", "json", "--observational"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert {"strategy", "estimate", "se", "ci", "n", "adjustment", "formula"} <= set(out)
    assert out["strategy"] == "adjustment" and out["n"] == 600 and out["ci"][0] < out["estimate"] < out["ci"][1]
    assert out["formula"].startswith("unrefreshing_sleep ~ ne_oscillation + ")
    res = runner.invoke(app, ["estimate", MECFS, str(simulated), "--format", "json"])  # the plan randomises
    out = json.loads(res.stdout)
    randomised = hypoplan.load(MECFS).plan().strategy.randomised_node  # what the plan chose to randomise
    assert (out["strategy"], out["exposure"], out["formula"]) == ("randomised", randomised,
                                                                  f"unrefreshing_sleep ~ {randomised}")
    assert "valid only for data from the randomised study" in out["model"]
    res = runner.invoke(app, ["diagnose", MECFS, "--n", "40,80", "--sims", "20", "--rival", "--format", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert {"strategy", "true_effect", "rows", "rival"} <= set(out)
    assert [r["n"] for r in out["rows"]] == [40, 80]
    assert {"n", "bias", "rmse", "power", "coverage", "mean_estimate"} <= set(out["rows"][0])
    assert out["rival"]["id"] == "mecfs-waste-compensatory-ne"
    assert {"n", "favours_this", "favours_rival", "undecided"} <= set(out["rival"]["rows"][0])


def test_estimate_with_a_hand_given_set(runner, simulated):
    res = runner.invoke(app, ["estimate", MECFS, str(simulated), "--adjust", "mecfs,age"])
    assert res.exit_code == 0, res.output
    assert "unrefreshing_sleep ~ ne_oscillation + mecfs + age" in res.stdout
    res = runner.invoke(app, ["estimate", MECFS, str(simulated), "--adjust", "nosuch"])
    assert res.exit_code == 2 and "nosuch" in res.output


def test_test_data_on_statsmodels_fair_data(runner):
    """The README example: a small hand-written hypothesis against a public dataset statsmodels ships."""
    res = runner.invoke(app, ["test-data", FAIR_HYPOTHESIS, str(fair_csv())])
    assert res.exit_code == 1  # the toy graph is too simple for these data: some implications fail
    assert "20 implication(s) tested on 6366 row(s)" in res.stdout
    assert "REJECTED age ⫫ religious" in res.stdout
    assert "age -> religious or religious -> age or age <-> religious" in res.stdout
    res = runner.invoke(app, ["estimate", FAIR_HYPOTHESIS, str(fair_csv()), "--format", "json"])
    assert json.loads(res.stdout)["adjustment"] == ["yrs_married"]


GOOD = "ne_oscillation,unrefreshing_sleep,mecfs\n" + "".join(f"{i % 7},{(i * 3) % 5},{i % 2}\n" for i in range(30))


@pytest.mark.parametrize(("text", "command", "message"), [
    ("\x00\x01binary", "test-data", "not a CSV file (it holds binary data)"),
    ("just one line of prose\n", "test-data", "not a CSV file (the first line has no separator)"),
    ("", "test-data", "the file is empty"),
    ("a,b\n1,2,3\n", "test-data", "data.csv:2: 3 cells where the header has 2"),
    ("ne_oscillation,mecfs\n" + "1,0\n" * 10, "estimate", "no column for unrefreshing_sleep"),
    (GOOD + "3,abc,1\n", "estimate", "column 'unrefreshing_sleep' holds the non-numeric value 'abc'"),
    ("ne_oscillation,unrefreshing_sleep\n" + "1,\n2,NA\n3,\n" * 5, "estimate", "has no values"),
    ("ne_oscillation,unrefreshing_sleep\n" + "1,4\n2,4\n" * 5, "estimate", "is constant"),
    ("age,bmi,depression\n1,2,3\n", "test-data", "the smallest test needs at least"),
])
def test_bad_data_is_a_one_line_error_with_exit_2(runner, tmp_path, text, command, message):
    data = tmp_path / "data.csv"
    data.write_bytes(text.encode("latin-1"))
    args = [command, MECFS, str(data)] + (["--adjust", ""] if command == "estimate" else [])
    res = runner.invoke(app, args)
    assert res.exit_code == 2, res.output
    assert message in res.output
    assert "Traceback" not in res.output
    assert res.exception is None or isinstance(res.exception, SystemExit)


def test_map_file_errors_and_success(runner, tmp_path, simulated):
    mapping = tmp_path / "map.yaml"
    mapping.write_text("ne_oscillation: no_such_column\n")
    res = runner.invoke(app, ["test-data", MECFS, str(simulated), "--map", str(mapping)])
    assert res.exit_code == 2 and "column 'no_such_column' (for ne_oscillation) is not in" in res.output
    renamed = tmp_path / "renamed.csv"
    renamed.write_text(simulated.read_text().replace("ne_oscillation", "sigma_power", 1))
    mapping.write_text("columns:\n  ne_oscillation: sigma_power\n")
    res = runner.invoke(app, ["estimate", MECFS, str(renamed), "--map", str(mapping), "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["n"] == 600


def test_unmeasured_focus_nodes_make_estimate_fail_but_test_data_skip(runner, tmp_path, simulated):
    lines = simulated.read_text().splitlines()
    keep = [i for i, c in enumerate(lines[0].split(",")) if c != "vasomotion"]
    cut = tmp_path / "cut.csv"
    cut.write_text("\n".join(",".join(row.split(",")[i] for i in keep) for row in lines) + "\n")
    res = runner.invoke(app, ["test-data", MECFS, str(cut), "--format", "json"])
    out = json.loads(res.stdout)
    assert "vasomotion" in out["unmeasured"]
    assert any("vasomotion has no column in the data" in s["reason"] for s in out["skipped"])


def test_diagnose_rejects_impossible_sizes(runner):
    res = runner.invoke(app, ["diagnose", MECFS, "--n", "5", "--sims", "10"])
    assert res.exit_code == 2 and "too small" in res.output
    res = runner.invoke(app, ["diagnose", MECFS, "--n", "a,b"])
    assert res.exit_code == 2 and "not a list of sample sizes" in res.output


def test_parquet_round_trip(runner, tmp_path):
    pytest.importorskip("pyarrow")
    out = tmp_path / "d.parquet"
    res = runner.invoke(app, ["simulate", MECFS, "-n", "300", "--seed", "2", "-o", str(out)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["estimate", MECFS, str(out), "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["n"] == 300


@pytest.mark.parametrize("name", ["mecfs-ne-vasomotion", "mecfs-waste-compensatory-ne"])
def test_the_data_commands_use_the_plans_strategy(name):
    """The strategy estimate and diagnose apply is the one `hypoplan plan` writes (issue 9's design.strategy)."""
    from hypoplan.api import load
    from hypoplan.data.strategy import plan_strategy
    from hypoplan.plan import build_plan

    loaded = load(HYPOTHESES / f"{name}.yaml")
    plan = build_plan(loaded.hypothesis, repository=loaded.repository)
    mine = plan_strategy(loaded.hypothesis, build_graph(loaded.hypothesis), loaded.repository)
    assert plan.strategy is not None
    assert mine.name == plan.strategy.name
    if mine.name == "adjustment":
        assert mine.adjustment == plan.adjustment_set
    if mine.name == "randomised":
        assert (mine.exposure, mine.arm) == (plan.strategy.randomised_node, plan.strategy.arm)


def _randomised_and_truth() -> tuple[str, float]:
    """The node the ME/CFS plan randomises, and its true effect on the outcome in the simulation model."""
    from hypoplan.data.scm import build_scm

    node = hypoplan.load(MECFS).plan().strategy.randomised_node
    g = build_graph(hypoplan.load(MECFS).hypothesis)
    return node, build_scm(g).total_effect(node, "unrefreshing_sleep")


def test_data_from_the_randomised_study_recover_the_effect(runner, tmp_path):
    node, truth = _randomised_and_truth()
    trial = tmp_path / "trial.csv"
    res = runner.invoke(app, ["simulate", MECFS, "-n", "3000", "--seed", "5", "--randomise", node, "-o", str(trial)])
    assert res.exit_code == 0, res.output
    out = json.loads(runner.invoke(app, ["estimate", MECFS, str(trial), "--format", "json"]).stdout)
    assert out["exposure"] == node
    assert abs(out["estimate"] - truth) <= 4 * out["se"]  # one dataset: within 4 SE (fails with p < 1e-4)


def test_front_door_graph_without_catalog_entries(runner, tmp_path):
    """Nodes no catalog method measures still count as measured when the data (or the simulation) hold them."""
    dag = tmp_path / "fd.dagitty"
    dag.write_text("dag {\nX [exposure]\nY [outcome]\nU [latent]\nX -> M -> Y\nU -> X\nU -> Y\n}\n")
    data = tmp_path / "fd.csv"
    assert runner.invoke(app, ["simulate", str(dag), "-n", "1500", "--seed", "1", "-o", str(data)]).exit_code == 0
    out = json.loads(runner.invoke(app, ["estimate", str(dag), str(data), "--format", "json"]).stdout)
    assert (out["strategy"], out["mediators"]) == ("frontdoor", ["M"])
    assert out["ci"][0] <= 0.09 <= out["ci"][1]  # 0.3 x 0.3, the assumed coefficients
    res = runner.invoke(app, ["diagnose", str(dag), "--n", "200", "--sims", "40", "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["strategy"] == "frontdoor"
    res = runner.invoke(app, ["test-data", str(dag), str(data), "--format", "json"])
    skipped = json.loads(res.stdout)["skipped"]
    assert {"x": "M", "y": "U", "given": ["X"], "reason": "U is latent (observed: false)"} in skipped


def test_logit_for_a_binary_outcome_matches_statsmodels(runner, tmp_path):
    import numpy as np
    import statsmodels.api as sm

    rng = np.random.default_rng(3)
    c = rng.normal(size=400)
    x = 0.5 * c + rng.normal(size=400)
    y = (rng.logistic(size=400) < 0.7 * x + 0.5 * c).astype(int)
    data = tmp_path / "b.csv"
    data.write_text("X,Y,C\n" + "".join(f"{a:.17g},{b},{d:.17g}\n" for a, b, d in zip(x, y, c)))
    dag = tmp_path / "b.dagitty"
    dag.write_text("dag {\nX [exposure]\nY [outcome]\nC -> X\nC -> Y\nX -> Y\n}\n")
    out = json.loads(runner.invoke(app, ["estimate", str(dag), str(data), "--logit", "--format", "json"]).stdout)
    ref = sm.Logit(y, sm.add_constant(np.column_stack([x, c]))).fit(disp=0)
    assert (out["estimate"], out["se"]) == pytest.approx((ref.params[1], ref.bse[1]), rel=1e-5)
    assert "log odds ratio" in out["model"]
    res = runner.invoke(app, ["estimate", str(dag), str(data), "--logit", "--adjust", "", "-x", "C", "-y", "X"])
    assert res.exit_code == 2 and "--logit needs a 0/1 outcome" in res.output


def test_crossover_data_and_the_paired_analysis(runner, tmp_path):
    node, truth = _randomised_and_truth()
    data = tmp_path / "co.csv"
    res = runner.invoke(app, ["simulate", MECFS, "-n", "1500", "--seed", "8", "--randomise", node,
                              "--crossover", "-o", str(data)])
    assert res.exit_code == 0, res.output
    lines = data.read_text().splitlines()
    assert lines[0].startswith("participant,period,") and len(lines) == 1 + 2 * 1500
    out = json.loads(runner.invoke(app, ["estimate", MECFS, str(data), "--pair-by", "participant",
                                         "--format", "json"]).stdout)
    assert out["n"] == 1500 and out["model"].startswith("paired t")
    assert abs(out["estimate"] - truth) <= 4 * out["se"]  # one dataset: within 4 SE (fails with p < 1e-4)
    res = runner.invoke(app, ["estimate", MECFS, str(data), "--pair-by", "participant", "--observational"])
    assert res.exit_code == 2 and "--pair-by applies to a randomised crossover" in res.output
    res = runner.invoke(app, ["simulate", MECFS, "-n", "5", "--crossover"])
    assert res.exit_code == 2 and "--crossover needs --randomise" in res.output


def test_split_body_data_has_no_period_and_gets_the_paired_analysis(runner, tmp_path):
    node, truth = _randomised_and_truth()
    data = tmp_path / "sb.csv"
    res = runner.invoke(app, ["simulate", MECFS, "-n", "1500", "--seed", "8", "--randomise", node,
                              "--split-body", "-o", str(data)])
    assert res.exit_code == 0, res.output
    lines = data.read_text().splitlines()
    assert lines[0].startswith("participant,") and "period" not in lines[0].split(",")
    assert len(lines) == 1 + 2 * 1500
    out = json.loads(runner.invoke(app, ["estimate", MECFS, str(data), "--pair-by", "participant",
                                         "--format", "json"]).stdout)
    assert out["n"] == 1500 and out["model"].startswith("paired t")
    assert abs(out["estimate"] - truth) <= 4 * out["se"]  # one dataset: within 4 SE (fails with p < 1e-4)
    res = runner.invoke(app, ["simulate", MECFS, "-n", "5", "--randomise", node, "--split-body", "--crossover"])
    assert res.exit_code == 2 and "two different designs" in res.output
