"""`hypoplan power` options of issue 10 (--from, --rho, --attrition, --alpha-adjust, --n) and the
fuzz crashes of issue 13, checked against statsmodels on a grid and against the README example."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hypoplan.cli import app
from hypoplan.design.effectsize import or_to_d, paired_dz
from hypoplan.design.power import adjusted_alpha, minimal_detectable_effect, power_at_n, sample_size
from hypoplan.errors import UsageError

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["power", *args])
    return result.exit_code, result.output


# --------------------------------------------------------------------------- issue 13 crashes


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--design", "chisquare", "-e", "1e160"], "outside the numerical range"),
        (["--design", "two-sample", "-e", "1e160"], "outside the numerical range"),
        (["--design", "anova", "-k", "3", "-e", "1e160"], "outside the numerical range"),
        (["--design", "correlation", "-e", "1e-160"], "too small"),
        (["--design", "chisquare", "-e", "1e-160"], "too small"),
    ],
)
def test_fuzz_overflows_are_usage_errors(args, message):
    code, out = run(*args)
    assert code == 2, out
    assert message in out and "Traceback" not in out


@pytest.mark.parametrize("design", ["paired", "two-sample"])
def test_nan_from_statsmodels_at_small_alpha_is_solved(design):
    """scipy's noncentral t cdf returns NaN for the far tail (issue 13); the two tails are taken separately."""
    from statsmodels.stats.power import TTestIndPower, TTestPower

    code, out = run("--design", design, "-e", "0.5", "--alpha", "0.0001", "--format", "json")
    assert code == 0, out
    res = json.loads(out)
    n = res["n_total"] if design == "paired" else res["n_per_group"]
    # independent check: the one-sided power at alpha/2 (finite in statsmodels) brackets the answer,
    # since the far tail is below 1e-10 here
    engine, key = (TTestPower(), "nobs") if design == "paired" else (TTestIndPower(), "nobs1")
    def upper(k: int) -> float:
        return engine.power(effect_size=0.5, alpha=0.00005, alternative="larger", **{key: k})
    assert upper(n) >= 0.8 > upper(n - 1)


def test_correlation_near_one_needs_the_minimum():
    code, out = run("--design", "correlation", "-e", "0.999999999", "--format", "json")
    assert code == 0, out
    assert json.loads(out)["n_total"] == 4


# --------------------------------------------------------------------------- new options


def test_from_or_uses_chinn_and_reaches_the_same_n_as_d():
    code, out = run("--design", "two-sample", "--from", "OR", "2", "--format", "json")
    assert code == 0, out
    res = json.loads(out)
    assert res["effect_size"] == pytest.approx(0.3822, abs=5e-5)
    assert res["n_per_group"] == sample_size("two-sample", or_to_d(2)).n_per_group
    assert "Chinn 2000" in res["conversions"][0]
    # the old keys are all still there
    for key in ("design", "n_total", "n_per_group", "effect_size", "effect_measure", "alpha", "power", "sides",
                "raw", "method", "groups", "df", "assumptions"):
        assert key in res


def test_from_d_to_correlation():
    code, out = run("--design", "correlation", "--from", "d", "0.5", "--format", "json")
    assert code == 0
    assert json.loads(out)["effect_size"] == pytest.approx(0.2425, abs=5e-5)


@pytest.mark.parametrize(("args", "fragment"), [
    (["--design", "chisquare", "--from", "OR", "2"], "cannot be converted"),
    (["--design", "two-sample", "--from", "RR", "2"], "unknown measure"),
    (["--design", "two-sample", "--from", "OR", "1"], "no effect"),
    (["--design", "two-sample", "--from", "OR", "2", "-e", "0.3"], "give one of"),
    (["--design", "two-sample", "-e", "0.5", "--rho", "0.5"], "--rho applies only"),
    (["--design", "two-sample", "-e", "0.5", "--alpha-adjust", "holm"], "go together"),
    (["--design", "two-sample", "-e", "0.5", "--attrition", "1.2"], "attrition"),
    (["--design", "two-sample", "-e", "0.5", "--n", "30"], "either an effect size"),
])
def test_bad_combinations_are_usage_errors(args, fragment):
    code, out = run(*args)
    assert code == 2 and fragment in out, out


@pytest.mark.parametrize("rho", [0.2, 0.5, 0.6, 0.8])
@pytest.mark.parametrize("d", [0.3, 0.5])
def test_paired_with_rho_matches_statsmodels(d, rho):
    from statsmodels.stats.power import TTestPower

    code, out = run("--design", "paired", "-e", str(d), "--rho", str(rho), "--format", "json")
    assert code == 0, out
    res = json.loads(out)
    dz = paired_dz(d, rho)
    assert res["effect_size"] == pytest.approx(dz)
    n = res["n_total"]
    def power(k: int) -> float:
        return TTestPower().power(effect_size=dz, nobs=k, alpha=0.05)
    assert power(n) >= 0.8 > power(n - 1)


@pytest.mark.parametrize(("k", "method"), [(2, "holm"), (3, "bonferroni"), (5, "holm")])
def test_alpha_adjust_sizes_at_alpha_over_k(k, method):
    from statsmodels.stats.power import TTestIndPower

    code, out = run("--design", "two-sample", "-e", "0.5", "--alpha-adjust", method, "--comparisons", str(k),
                    "--format", "json")
    assert code == 0, out
    res = json.loads(out)
    assert res["alpha"] == pytest.approx(0.05 / k) and res["alpha_family"] == 0.05
    n = res["n_per_group"]
    def power(m: int) -> float:
        return TTestIndPower().power(effect_size=0.5, nobs1=m, alpha=0.05 / k)
    assert power(n) >= 0.8 > power(n - 1)


def test_attrition_inflates_each_group():
    code, out = run("--design", "two-sample", "-e", "0.5", "--attrition", "0.2", "--format", "json")
    assert code == 0
    res = json.loads(out)
    assert (res["n_per_group"], res["n_enrol_per_group"], res["n_enrol_total"]) == (64, 80, 160)


@pytest.mark.parametrize(("design", "n", "kwargs"), [
    ("two-sample", 20, {}), ("two-sample", 64, {}), ("two-sample", 200, {"sides": 1}),
    ("paired", 34, {}), ("paired", 12, {"alpha": 0.01}),
    ("anova", 53, {"groups": 3}), ("anova", 20, {"groups": 5}),
    ("proportions", 170, {}), ("chisquare", 88, {"df": 1}), ("chisquare", 50, {"df": 3}),
    ("correlation", 84, {}), ("correlation", 30, {}),
])
def test_minimal_detectable_effect_inverts_statsmodels_power(design, n, kwargs):
    """At the MDE, statsmodels' power (or the exact correlation power) is exactly the target."""
    from statsmodels.stats import power as smp

    mde = minimal_detectable_effect(design, n, **kwargs)
    alpha = kwargs.get("alpha", 0.05)
    alt = "larger" if kwargs.get("sides") == 1 else "two-sided"
    independent = {
        "two-sample": lambda e: smp.TTestIndPower().power(effect_size=e, nobs1=n, alpha=alpha, alternative=alt),
        "paired": lambda e: smp.TTestPower().power(effect_size=e, nobs=n, alpha=alpha),
        "anova": lambda e: smp.FTestAnovaPower().power(effect_size=e, nobs=n * kwargs.get("groups", 2), alpha=alpha,
                                                      k_groups=kwargs.get("groups", 2)),
        "proportions": lambda e: smp.NormalIndPower().power(effect_size=e, nobs1=n, alpha=alpha),
        "chisquare": lambda e: smp.GofChisquarePower().power(effect_size=e, nobs=n, alpha=alpha,
                                                            n_bins=kwargs.get("df", 1) + 1),
        "correlation": lambda e: power_at_n("correlation", e, n),
    }[design]
    assert independent(mde) == pytest.approx(0.8, abs=1e-6)


def test_mde_published_values():
    # the inverse of G*Power's published n (ecosystem.md §3): 64 per group ~ d .5, 84 pairs ~ r .3
    assert minimal_detectable_effect("two-sample", 64) == pytest.approx(0.5, abs=0.002)
    assert minimal_detectable_effect("correlation", 84) == pytest.approx(0.3, abs=0.002)


def test_adjusted_alpha_rejects_nonsense():
    with pytest.raises(UsageError):
        adjusted_alpha(0.05, 0, "holm")
    with pytest.raises(UsageError):
        adjusted_alpha(0.05, 2, "sidak")
    assert adjusted_alpha(0.05, 1, "holm")[0] == 0.05


# --------------------------------------------------------------------------- README example


def _readme_examples() -> list[tuple[str, list[str]]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Power: conversions", 1)[1]
    block = re.search(r"```console\n(.*?)```", section, re.DOTALL)
    assert block is not None
    out: list[tuple[str, list[str]]] = []
    for line in block.group(1).splitlines():
        if line.startswith("$ hypoplan "):
            out.append((line[len("$ hypoplan "):], []))
        else:
            out[-1][1].append(line)
    return out


def test_readme_power_examples_are_the_real_output():
    examples = _readme_examples()
    assert len(examples) >= 3
    for command, expected in examples:
        result = runner.invoke(app, shlex.split(command))
        assert result.exit_code == 0, result.output
        assert result.output.rstrip("\n").splitlines() == expected, command

