"""The exact interval against independent values (DESIGN.md's check, SciPy, simulation)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import binomtest

from crimetrends.analysis.uncertainty import change_label, rate_change


def test_design_check_56_vs_62():
    c = rate_change(56, 62)
    assert c.pct_change == pytest.approx(-9.677, abs=0.01)
    assert c.ci_low == pytest.approx(-38, abs=1)
    assert c.ci_high == pytest.approx(32, abs=1)
    assert c.label == "no detectable change"


@pytest.mark.parametrize("a,b", [(56, 62), (1, 9), (300, 200), (0, 12), (12, 0), (5000, 5400)])
def test_matches_scipy_clopper_pearson(a, b):
    """Map SciPy's exact binomial CI for a/(a+b) to percent change, independently."""
    c = rate_change(a, b)
    ci = binomtest(a, a + b).proportion_ci(0.95, method="exact")

    def to_pct(p):
        return math.inf if p >= 1 else 100 * (p / (1 - p) - 1)

    assert c.ci_low == pytest.approx(to_pct(ci.low), abs=1e-6)
    if math.isinf(to_pct(ci.high)):
        assert math.isinf(c.ci_high)
    else:
        assert c.ci_high == pytest.approx(to_pct(ci.high), abs=1e-6)


def test_exposure_scales_ratio_and_interval():
    """Twice the exposure now: the same counts mean half the rate."""
    equal = rate_change(100, 100)
    doubled = rate_change(100, 100, exposure_ratio=2.0)
    assert doubled.rate_ratio == pytest.approx(0.5)
    assert doubled.pct_change == pytest.approx(-50.0)
    assert (doubled.ci_low + 100) == pytest.approx((equal.ci_low + 100) / 2)
    assert (doubled.ci_high + 100) == pytest.approx((equal.ci_high + 100) / 2)


def test_labels_follow_the_interval_not_the_point():
    assert rate_change(200, 100).label == "up"
    assert rate_change(100, 200).label == "down"
    assert rate_change(11, 10).label == "no detectable change"
    assert rate_change(0, 0).label == "no data in either period"
    assert rate_change(0, 0).pct_change is None
    assert change_label(rate_change(0, 30)) == "down"


def test_zero_previous_has_open_upper_bound():
    c = rate_change(7, 0)
    assert c.pct_change is None
    assert math.isinf(c.ci_high)
    assert c.ci_low > 0


def test_rejects_bad_input():
    with pytest.raises(ValueError):
        rate_change(-1, 3)
    with pytest.raises(ValueError):
        rate_change(1, 3, exposure_ratio=0)


def test_coverage_by_simulation_is_at_least_nominal():
    """Exact intervals are conservative: coverage of the true ratio ≥ 95% (seeded)."""
    rng = np.random.default_rng(20261125)
    true_ratio, mean_before = 0.8, 40.0
    hits = 0
    trials = 2000
    for _ in range(trials):
        a = int(rng.poisson(mean_before * true_ratio))
        b = int(rng.poisson(mean_before))
        c = rate_change(a, b)
        if c.ci_low is not None and c.ci_low <= 100 * (true_ratio - 1) <= c.ci_high:
            hits += 1
    coverage = hits / trials
    assert 0.95 <= coverage <= 0.995
