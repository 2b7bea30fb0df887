"""Sample size: G*Power's published values, statsmodels to the integer, and the exact correlation test
checked against Monte Carlo simulation of bivariate-normal samples."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest

from hypoplan.cli import app
from hypoplan.design.power import (
    cohens_d_from_means,
    cohens_h,
    correlation_density,
    correlation_power,
    effect_size_from_evidence,
    sample_size,
)
from hypoplan.errors import UsageError
from hypoplan.schema import EffectSize

# ---------------------------------------------------------------------------
# Published G*Power values (Faul et al. 2007; /work/shared/ecosystem.md §3), alpha .05 two-sided, power .80
# ---------------------------------------------------------------------------

H_65_50 = 2 * math.asin(math.sqrt(0.65)) - 2 * math.asin(math.sqrt(0.50))


@pytest.mark.parametrize(
    ("design", "es", "kwargs", "per_group", "total"),
    [
        ("two-sample", 0.5, {}, 64, 128),
        ("two-sample", 0.2, {}, 394, 788),
        ("two-sample", 0.8, {}, 26, 52),
        ("two-sample", 0.5, {"power": 0.9}, 86, 172),
        ("two-sample", 0.5, {"sides": 1}, 51, 102),
        ("paired", 0.5, {}, None, 34),
        ("anova", 0.25, {"groups": 3}, 53, 159),
        ("anova", 0.25, {"groups": 4}, 45, 180),
        ("chisquare", 0.3, {"df": 1}, None, 88),
        ("chisquare", 0.3, {"df": 3}, None, 122),
        ("correlation", 0.3, {}, None, 84),
        ("correlation", 0.5, {}, None, 29),
        ("proportions", H_65_50, {}, 170, 340),
    ],
)
def test_gpower_published_values(design, es, kwargs, per_group, total):
    result = sample_size(design, es, **kwargs)
    assert (result.n_per_group, result.n_total) == (per_group, total)
    assert result.method


def test_raw_values_and_rounding():
    assert sample_size("two-sample", 0.5).raw == pytest.approx(63.77, abs=0.01)
    anova = sample_size("anova", 0.25, groups=3)
    assert anova.raw == pytest.approx(157.19, abs=0.01)  # statsmodels' total N, before equal groups
    assert math.ceil(anova.raw) == 158 and anova.n_total == 159
    assert sample_size("chisquare", 0.3, df=3).raw == pytest.approx(121.14, abs=0.01)


def test_fisher_z_alternative_and_reported_method():
    exact = sample_size("correlation", 0.3)
    fisher = sample_size("correlation", 0.3, method="fisher-z")
    assert (exact.n_total, fisher.n_total) == (84, 85)
    assert sample_size("correlation", 0.5, method="fisher-z").n_total == 30
    assert "exact" in exact.method and "Fisher z" in fisher.method
    # closed form of the Fisher-z sample size (one tail ignored): ((z_a/2 + z_b) / atanh r)^2 + 3
    assert fisher.raw == pytest.approx(((1.959964 + 0.841621) / math.atanh(0.3)) ** 2 + 3, abs=0.01)


# ---------------------------------------------------------------------------
# Agreement with statsmodels' own solver on a grid
# ---------------------------------------------------------------------------

ALPHAS, POWERS = (0.05, 0.01), (0.8, 0.9)


@pytest.mark.parametrize("alpha", ALPHAS)
@pytest.mark.parametrize("power", POWERS)
@pytest.mark.parametrize("sides", (1, 2))
@pytest.mark.parametrize("es", (0.15, 0.3, 0.5, 0.8, 1.2))
def test_t_and_proportions_match_statsmodels(es, sides, power, alpha):
    from statsmodels.stats.power import NormalIndPower, TTestIndPower, TTestPower

    alternative = "two-sided" if sides == 2 else "larger"
    ind = TTestIndPower().solve_power(effect_size=es, alpha=alpha, power=power, alternative=alternative)
    assert sample_size("two-sample", es, alpha=alpha, power=power, sides=sides).n_per_group == math.ceil(ind)
    one = TTestPower().solve_power(effect_size=es, alpha=alpha, power=power, alternative=alternative)
    assert sample_size("paired", es, alpha=alpha, power=power, sides=sides).n_total == math.ceil(one)
    norm = NormalIndPower().solve_power(effect_size=es, alpha=alpha, power=power, alternative=alternative)
    assert sample_size("proportions", es, alpha=alpha, power=power, sides=sides).n_per_group == math.ceil(norm)


@pytest.mark.parametrize("alpha", ALPHAS)
@pytest.mark.parametrize("power", POWERS)
@pytest.mark.parametrize("k", (2, 3, 4, 6))
@pytest.mark.parametrize("es", (0.1, 0.25, 0.4))
def test_anova_and_chisquare_match_statsmodels(es, k, power, alpha):
    from statsmodels.stats.power import FTestAnovaPower, GofChisquarePower

    total = FTestAnovaPower().solve_power(effect_size=es, alpha=alpha, power=power, k_groups=k)
    result = sample_size("anova", es, alpha=alpha, power=power, groups=k)
    assert result.n_per_group == math.ceil(total / k) and result.n_total == k * result.n_per_group
    df = k - 1
    chi = GofChisquarePower().solve_power(effect_size=es, alpha=alpha, power=power, n_bins=df + 1)
    assert sample_size("chisquare", es, alpha=alpha, power=power, df=df).n_total == math.ceil(chi)


@pytest.mark.parametrize(("design", "es", "kwargs"), [
    ("two-sample", 4.0, {}), ("paired", 4.0, {}), ("chisquare", 2.0, {}), ("anova", 3.0, {"groups": 3}),
])
def test_huge_effects_still_solved_where_statsmodels_gives_up(design, es, kwargs):
    """statsmodels' solver returns nan for some tiny samples; the fallback root-finds its power formula."""
    from statsmodels.stats import power as smp

    result = sample_size(design, es, **kwargs)
    engine, name, extra = {
        "two-sample": (smp.TTestIndPower(), "nobs1", {}),
        "paired": (smp.TTestPower(), "nobs", {}),
        "chisquare": (smp.GofChisquarePower(), "nobs", {"n_bins": 2}),
        "anova": (smp.FTestAnovaPower(), "nobs", {"k_groups": 3}),
    }[design]
    n = result.n_per_group if design == "two-sample" else result.n_total
    assert engine.power(effect_size=es, alpha=0.05, **{name: n}, **extra) >= 0.8
    assert result.raw <= n < result.raw + 1 + kwargs.get("groups", 1)


# ---------------------------------------------------------------------------
# The exact correlation test, checked independently
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(("rho", "n"), [(0.0, 5), (0.3, 10), (0.3, 84), (0.7, 12), (0.1, 2000)])
def test_exact_density_is_a_density(rho, n):
    from scipy import integrate

    total, _ = integrate.quad(correlation_density, -1, 1, args=(rho, n), points=[rho], limit=400)
    assert total == pytest.approx(1.0, abs=1e-7)


@pytest.mark.parametrize("n", (5, 12, 40))
def test_exact_density_under_the_null_matches_students_t(n):
    """Under rho = 0, t = r·sqrt(n-2)/sqrt(1-r²) follows t(n-2): an independent route to P(r > c)."""
    from scipy import integrate, stats

    for c in (0.1, 0.3, 0.5):
        tail, _ = integrate.quad(correlation_density, c, 1, args=(0.0, n))
        assert tail == pytest.approx(stats.t.sf(c * math.sqrt(n - 2) / math.sqrt(1 - c * c), n - 2), abs=1e-9)


def _simulated_correlations(rho: float, n: int, draws: int, seed: int):
    import numpy as np

    rng = np.random.default_rng(seed)
    out = []
    for _ in range(draws // 5000):
        x = rng.standard_normal((5000, n))
        y = rho * x + math.sqrt(1 - rho * rho) * rng.standard_normal((5000, n))
        xc = x - x.mean(axis=1, keepdims=True)
        yc = y - y.mean(axis=1, keepdims=True)
        out.append((xc * yc).sum(axis=1) / np.sqrt((xc * xc).sum(axis=1) * (yc * yc).sum(axis=1)))
    return np.concatenate(out)


def _simulated_power(rho: float, n: int, draws: int, seed: int, alpha: float = 0.05) -> float:
    from scipy import stats

    r = _simulated_correlations(rho, n, draws, seed)
    t_crit = stats.t.isf(alpha / 2, n - 2)
    r_crit = t_crit / math.sqrt(n - 2 + t_crit * t_crit)
    return float((abs(r) > r_crit).mean())


def test_exact_power_at_84_matches_simulation():
    draws = 40_000
    simulated = _simulated_power(0.3, 84, draws, seed=20240301)
    exact = correlation_power(0.3, 84)
    se = math.sqrt(exact * (1 - exact) / draws)
    assert abs(simulated - 0.80) < 0.01
    assert abs(simulated - exact) < 4 * se
    assert correlation_power(0.3, 83) < 0.8 <= exact  # 84 is the smallest n reaching 80%


def test_exact_beats_fisher_z_at_small_n_by_simulation():
    """At n = 10, rho = .5 the exact and Fisher-z powers differ by ~0.02; simulation sides with the exact one."""
    draws = 40_000
    simulated = _simulated_power(0.5, 10, draws, seed=7)
    exact, fisher = correlation_power(0.5, 10), correlation_power(0.5, 10, method="fisher-z")
    se = math.sqrt(exact * (1 - exact) / draws)
    assert abs(simulated - exact) < 4 * se
    assert abs(simulated - fisher) > 4 * se


def test_exact_distribution_tails_match_simulation():
    from scipy import integrate

    r = _simulated_correlations(0.5, 10, 40_000, seed=11)
    for c in (-0.2, 0.2, 0.5, 0.8):
        tail, _ = integrate.quad(correlation_density, c, 1, args=(0.5, 10), points=[0.5] if c < 0.5 else None)
        se = math.sqrt(tail * (1 - tail) / r.size)
        assert abs(float((r > c).mean()) - tail) < 4 * se


@pytest.mark.parametrize("r", (0.1, 0.2, 0.3, 0.5, 0.7))
@pytest.mark.parametrize("sides", (1, 2))
def test_correlation_n_is_the_smallest_integer_reaching_power(r, sides):
    n = sample_size("correlation", r, sides=sides).n_total
    assert correlation_power(r, n, sides=sides) >= 0.8 > correlation_power(r, n - 1, sides=sides)


# ---------------------------------------------------------------------------
# Effect sizes and validation
# ---------------------------------------------------------------------------


def test_effect_size_helpers():
    assert cohens_h(0.65, 0.50) == pytest.approx(0.3047, abs=1e-4)
    assert cohens_h(0.50, 0.65) == pytest.approx(-cohens_h(0.65, 0.50))
    assert cohens_d_from_means(10, 2, 9, 2) == pytest.approx(0.5)
    assert cohens_d_from_means(10, 2, 8, 4) == pytest.approx(2 / math.sqrt(10))
    with pytest.raises(UsageError, match="between 0 and 1"):
        cohens_h(1.2, 0.5)
    with pytest.raises(UsageError, match="> 0"):
        cohens_d_from_means(1, 0, 2, 1)


@pytest.mark.parametrize(("measure", "value", "expected"), [
    ("d", -0.6, ("two-sample", 0.6)),
    ("Cohen's d", 0.4, ("two-sample", 0.4)),
    ("Hedges' g", 0.3, ("two-sample", 0.3)),
    ("dz", 0.5, ("paired", 0.5)),
    ("d_z", 0.5, ("paired", 0.5)),
    ("r", -0.3, ("correlation", 0.3)),
    ("f", 0.25, ("anova", 0.25)),
    ("h", 0.3, ("proportions", 0.3)),
    ("w", 0.3, ("chisquare", 0.3)),
    ("OR", 2.0, None),
    ("percent-change", 30.0, None),
    ("r", 1.0, None),
    ("d", 0.0, None),
])
def test_effect_size_from_evidence(measure, value, expected):
    assert effect_size_from_evidence(EffectSize(measure=measure, value=value)) == expected


@pytest.mark.parametrize(("args", "kwargs", "message"), [
    (("two-sample", 0.0), {}, "must be > 0"),
    (("two-sample", -0.5), {}, "must be > 0"),
    (("two-sample", math.nan), {}, "finite"),
    (("two-sample", math.inf), {}, "finite"),
    (("correlation", 1.0), {}, "below 1"),
    (("proportions", 3.5), {}, "at most pi"),
    (("two-sample", 0.5), {"alpha": 0.0}, "alpha must be between 0 and 1"),
    (("two-sample", 0.5), {"alpha": 1.0}, "alpha must be between 0 and 1"),
    (("two-sample", 0.5), {"power": 1.0}, "power must be between 0 and 1"),
    (("two-sample", 0.5), {"power": 0.04}, "must exceed alpha"),
    (("two-sample", 0.5), {"sides": 3}, "sides must be 1 or 2"),
    (("anova", 0.25), {"groups": 1}, "at least 2 groups"),
    (("anova", 0.25), {"groups": 3, "sides": 1}, "omnibus"),
    (("chisquare", 0.3), {"df": 0}, "df must be at least 1"),
    (("two-sample", 0.5), {"groups": 3}, "only to the anova"),
    (("paired", 0.5), {"df": 2}, "only to the chisquare"),
    (("t-test", 0.5), {}, "unknown design"),
    (("two-sample", 0.5), {"method": "fisher-z"}, "does not apply"),
    (("chisquare", 1e-8), {}, "more than a billion"),  # statsmodels converges there: the cap must still hold
    (("anova", 1e-6), {"groups": 3}, "more than a billion"),
])
def test_invalid_input_raises_usage_error(args, kwargs, message):
    with pytest.raises(UsageError, match=message) as info:
        sample_size(*args, **kwargs)
    assert info.value.exit_code == 2


def test_result_json_contract():
    payload = sample_size("anova", 0.25, groups=3).to_json()
    assert {"design", "n_total", "n_per_group", "effect_size", "effect_measure", "alpha", "power", "sides",
            "raw", "method"} <= payload.keys()
    assert (payload["n_total"], payload["n_per_group"], payload["effect_measure"]) == (159, 53, "f")
    json.dumps(payload)


# ---------------------------------------------------------------------------
# CLI
# ---------------------------------------------------------------------------


def test_cli_json(runner):
    res = runner.invoke(app, ["power", "--design", "two-sample", "--effect-size", "0.5", "--format", "json"])
    assert res.exit_code == 0, res.output
    payload = json.loads(res.stdout)
    assert {"design", "n_total", "n_per_group", "effect_size", "effect_measure", "alpha", "power", "sides",
            "raw", "method"} <= payload.keys()
    assert (payload["design"], payload["n_per_group"], payload["n_total"], payload["sides"]) == ("two-sample", 64, 128, 2)
    res = runner.invoke(app, ["power", "--design", "correlation", "-e", "0.3", "--format", "json"])
    payload = json.loads(res.stdout)
    assert (payload["n_total"], payload["n_per_group"], payload["effect_measure"]) == (84, None, "r")


def test_cli_text_and_proportions_from_p1_p2(runner):
    res = runner.invoke(app, ["power", "--design", "proportions", "--p1", "0.65", "--p2", "0.50"])
    assert res.exit_code == 0, res.output
    assert "170 per group" in res.stdout and "Assumptions:" in res.stdout and "h = 0.305" in res.stdout
    res = runner.invoke(app, ["power", "--design", "anova", "-e", "0.25", "--groups", "3"])
    assert "53 per group (3 groups, 159 in total)" in res.stdout
    res = runner.invoke(app, ["power", "--design", "paired", "-e", "0.5", "--sides", "1", "--power", "0.9"])
    from statsmodels.stats.power import TTestPower

    expected = math.ceil(TTestPower().solve_power(effect_size=0.5, power=0.9, alpha=0.05, alternative="larger"))
    assert f"{expected} pairs" in res.stdout and "one-sided" in res.stdout


@pytest.mark.parametrize(("argv", "message"), [
    (["--design", "two-sample"], "--effect-size is required"),
    (["--design", "two-sample", "-e", "-0.5"], "must be > 0"),
    (["--design", "two-sample", "-e", "0.5", "--alpha", "1.5"], "alpha must be between 0 and 1"),
    (["--design", "anova", "-e", "0.25"], "needs --groups"),
    (["--design", "two-sample", "-e", "0.5", "--groups", "3"], "--groups applies only"),
    (["--design", "paired", "-e", "0.5", "--df", "2"], "--df applies only"),
    (["--design", "two-sample", "--p1", "0.6", "--p2", "0.5"], "--p1/--p2 apply only"),
    (["--design", "proportions", "--p1", "0.6"], "give both --p1 and --p2"),
    (["--design", "proportions", "--p1", "0.5", "--p2", "0.5"], "no difference"),
    (["--design", "correlation", "-e", "1.5"], "below 1"),
    (["--design", "paired", "-e", "0.5", "--method", "exact"], "--method applies only"),
])
def test_cli_bad_input_exits_2_with_a_message(runner, argv, message):
    res = runner.invoke(app, ["power", *argv])
    assert res.exit_code == 2
    assert message in res.output
    assert "Traceback" not in res.output


def test_cli_help_has_examples(runner):
    res = runner.invoke(app, ["power", "--help"])
    assert res.exit_code == 0 and "hypoplan power --design" in res.output


# ---------------------------------------------------------------------------
# Startup stays light
# ---------------------------------------------------------------------------


def test_power_modules_import_nothing_heavy(tmp_path):
    """Importing the CLI and the power module, and running `hypoplan check`, must not load statsmodels or scipy."""
    code = (
        "import sys\n"
        "import hypoplan.cli, hypoplan.cli.power, hypoplan.design.power\n"
        "from hypoplan.cli import app\n"
        "try:\n"
        f"    app(['check', {str(tmp_path)!r}, '--quiet'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = [m for m in ('statsmodels', 'scipy', 'pandas', 'numpy') if m in sys.modules]\n"
        "print('HEAVY=' + ','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "HEAVY="


def test_anova_with_very_many_groups_is_solved_not_a_traceback():
    """statsmodels' own solver hands scipy an F quantile it refuses (TypeError) for 100,000 groups."""
    from statsmodels.stats.power import FTestAnovaPower

    result = sample_size("anova", 0.25, groups=100_000)
    assert result.n_per_group == 2 and result.n_total == 200_000  # the minimum: 2 per group already exceeds 80%
    assert FTestAnovaPower().power(effect_size=0.25, nobs=result.n_total, alpha=0.05, k_groups=100_000) >= 0.8
