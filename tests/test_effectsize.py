"""Effect-size conversions against published worked examples (the test vectors of methods.md §3).

Sources of the expected values:
- OR→d: Chinn 2000, Stat Med 19:3127 (d = ln OR·√3/π); values as R effectsize ``oddsratio_to_d``.
- d↔r: Borenstein et al. 2009, Introduction to Meta-Analysis p. 48; R DMAR ``convert_d_r``.
- η²↔f: Cohen 1988 (R effectsize ``eta2_to_f``).
- Cohen's h: R pwr ``ES.h(0.5, 0.4)`` = 0.2013579.
- CI of d: Hedges & Olkin 1985 (R smd): d .5 with 50/50 → [0.1019, 0.8981]; d .8 with 30/40 → SE 0.2508.
- Paired dz: Morris & DeShon 2002, eq. 8.
- Attrition: Simon 2006 (pmean.com): 128 at 20% → 160; 64 at 15% → 76.
- Spearman–Brown: Spearman 1910, Brown 1910 (R statpsych/psychmeta).
- Attenuation: Bobko 2001 (R ufs).
"""

from __future__ import annotations

import math

import pytest

from hypoplan.design import effectsize as es
from hypoplan.errors import UsageError


@pytest.mark.parametrize(("odds", "d"), [(2, 0.3822), (1.5, 0.2235), (0.5, -0.3822)])
def test_or_to_d_chinn_2000(odds, d):
    assert es.or_to_d(odds) == pytest.approx(d, abs=5e-5)
    assert es.d_to_or(es.or_to_d(odds)) == pytest.approx(odds)


def test_d_to_r_borenstein():
    assert es.d_to_r(0.5) == pytest.approx(0.2425, abs=5e-5)
    assert es.d_to_r(0.5, 30, 70) == pytest.approx(0.2233, abs=5e-5)  # a = 4.7619


@pytest.mark.parametrize(("r", "d"), [(0.3, 0.6290), (0.5, 1.1547)])
def test_r_to_d_borenstein_round_trip(r, d):
    assert es.r_to_d(r) == pytest.approx(d, abs=5e-5)
    assert es.d_to_r(es.r_to_d(r)) == pytest.approx(r)


@pytest.mark.parametrize(("eta2", "f"), [(0.01, 0.1005), (0.06, 0.2526), (0.14, 0.4035)])
def test_eta2_to_f_cohen(eta2, f):
    assert es.eta2_to_f(eta2) == pytest.approx(f, abs=5e-5)


def test_f_to_eta2_cohen():
    assert es.f_to_eta2(0.25) == pytest.approx(0.0588, abs=5e-5)


def test_cohens_h_pwr():
    assert es.cohens_h(0.5, 0.4) == pytest.approx(0.2013579, abs=1e-6)
    assert es.cohens_h(0.65, 0.45) == pytest.approx(0.4049, abs=5e-5)


def test_ci_of_d_hedges_olkin():
    assert es.d_se(0.5, 50, 50) ** 2 == pytest.approx(0.04125)
    lo, hi = es.d_ci(0.5, 50, 50)
    assert (lo, hi) == (pytest.approx(0.1019, abs=1e-4), pytest.approx(0.8981, abs=1e-4))
    assert es.d_se(0.8, 30, 40) == pytest.approx(0.2508, abs=1e-4)
    lo, hi = es.d_ci(0.8, 30, 40)
    assert (lo, hi) == (pytest.approx(0.3084, abs=1e-4), pytest.approx(1.2916, abs=1e-4))


def test_ci_of_thapaliya_d_matches_the_issue():
    # issue 10: d = 0.72 with n = 58 (29/29) has a 95% CI of about 0.19 to 1.25
    lo, hi = es.d_ci(0.72, 29, 29)
    assert lo == pytest.approx(0.19, abs=0.01) and hi == pytest.approx(1.25, abs=0.01)


@pytest.mark.parametrize(("rho", "dz"), [(0.6, 0.5590), (0.5, 0.5), (0.2, 0.3953)])
def test_paired_dz_morris_deshon(rho, dz):
    assert es.paired_dz(0.5, rho) == pytest.approx(dz, abs=5e-5)


def test_attrition_simon():
    assert es.attrition_inflate(128, 0.20) == 160
    assert es.attrition_inflate(64, 0.15) == 76  # 75.29 rounded up
    assert es.attrition_inflate(100, 0.2) == 125  # no floating-point overshoot to 126
    assert es.attrition_inflate(64, 0.0) == 64


@pytest.mark.parametrize(("rho", "k", "out"), [(0.6, 2, 0.75), (0.5, 4, 0.80)])
def test_spearman_brown(rho, k, out):
    assert es.spearman_brown(rho, k) == pytest.approx(out)


@pytest.mark.parametrize(("rel", "out"), [(0.8, 0.4472), (0.75, 0.4330)])
def test_attenuation_bobko(rel, out):
    assert es.attenuate(0.5, rel) == pytest.approx(out, abs=5e-5)


def test_convert_routes_name_their_formula():
    d, how = es.convert("OR", 2, "d")
    assert d == pytest.approx(0.3822, abs=5e-5) and "Chinn" in how
    r, how = es.convert("OR", 2, "r")
    assert r == pytest.approx(es.d_to_r(es.or_to_d(2))) and "Chinn" in how and "Borenstein" in how
    assert es.convert("r", 0.3, "d")[0] == pytest.approx(0.6290, abs=5e-5)
    assert es.convert("eta2", 0.06, "f")[0] == pytest.approx(0.2526, abs=5e-5)
    assert es.convert("d", 0.5, "f")[0] == pytest.approx(0.25)
    assert es.convert("g", 0.4, "d") == (0.4, "as recorded")


@pytest.mark.parametrize(
    ("call"),
    [
        lambda: es.or_to_d(0),
        lambda: es.or_to_d(math.nan),
        lambda: es.r_to_d(1.0),
        lambda: es.eta2_to_f(1.0),
        lambda: es.cohens_h(1.2, 0.5),
        lambda: es.paired_dz(0.5, 1.0),
        lambda: es.attrition_inflate(10, 1.0),
        lambda: es.spearman_brown(0.0, 2),
        lambda: es.d_ci(0.5, 1, 10),
        lambda: es.convert("RR", 2.0, "d"),
    ],
)
def test_out_of_domain_is_a_usage_error(call):
    with pytest.raises(UsageError):
        call()
