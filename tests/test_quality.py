"""Outage and anomaly flags: tails against SciPy, false-flag rates on simulated series."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import nbinom, poisson

from crimetrends.analysis.quality import (
    ANOMALY_P,
    expected_counts,
    month_flags,
    tail_p,
    trailing_mean,
)


def frame(counts: np.ndarray, start: str = "2015-01-01") -> pd.DataFrame:
    periods = pd.date_range(start, periods=len(counts), freq="MS")
    return pd.DataFrame({"period": periods, "count": counts.astype(float), "complete": True})


def seasonal_mean(n: int, level: float) -> np.ndarray:
    return level * (1 + 0.25 * np.sin(2 * np.pi * np.arange(n) / 12))


def test_tails_are_poisson_without_overdispersion_and_nb_with_it():
    k, mu = np.array([130.0, 70.0]), np.array([100.0, 100.0])
    upper, lower = tail_p(k, mu, np.array([1.0, 1.0]))
    assert upper[0] == pytest.approx(poisson.sf(129, 100))
    assert lower[1] == pytest.approx(poisson.cdf(70, 100))
    upper, lower = tail_p(k, mu, np.array([3.0, 3.0]))
    # NB with mean 100 and variance 300: n = 50, p = 1/3
    assert nbinom.mean(50, 1 / 3) == pytest.approx(100)
    assert nbinom.var(50, 1 / 3) == pytest.approx(300)
    assert upper[0] == pytest.approx(nbinom.sf(129, 50, 1 / 3))
    assert lower[1] == pytest.approx(nbinom.cdf(70, 50, 1 / 3))


def test_trailing_mean_is_pandas_rolling_over_the_months_before():
    # pandas' own rolling mean (an independent implementation) with gaps of every length
    rng = np.random.default_rng(7)
    x = rng.poisson(40, 120).astype(float)
    x[[3, 4, 5, 30, 61, 62, 63, 64, 65, 66, 67, 90]] = np.nan
    for window, least in ((12, 6), (24, 6), (3, 3)):
        want = pd.Series(x).shift(1).rolling(window, min_periods=least).mean().to_numpy()
        got = trailing_mean(x, window, least)
        assert np.array_equal(np.isnan(got), np.isnan(want))
        assert np.allclose(got[~np.isnan(want)], want[~np.isnan(want)], rtol=1e-12)
    assert np.isnan(trailing_mean(x, 12, 6)[:6]).all()  # fewer than six months known


def test_expected_count_carries_the_seasonal_factor_by_hand():
    # two years: flat 100 except every July at 150; the second July's expectation is the
    # trailing mean (12 months ending June, one July among them) × 150 / first July's level
    k = np.full(25, 100.0)
    k[[6, 18]] = 150.0
    months = (np.arange(25) % 12) + 1
    mu, seasonal = expected_counts(k, np.ones(25, bool), months)
    first_level = np.mean(k[0:6])  # July of year 1: trailing mean over 6 months
    second_level = np.mean(k[6:18])
    assert seasonal[18] and not seasonal[6]
    assert mu[18] == pytest.approx(second_level * 150.0 / first_level)


@pytest.mark.slow
def test_simulated_poisson_series_are_rarely_flagged_and_outages_always():
    rng = np.random.default_rng(20261125)
    judged = flagged = 0
    for _ in range(200):
        counts = rng.poisson(seasonal_mean(96, 300))
        flags = month_flags(frame(counts))
        judged += 96 - 12
        flagged += int(flags.iloc[12:].str.contains("unusually|near zero").sum())
    # at p < 0.001 per tail the expected rate is ≈ 0.2%; estimation noise adds some
    assert flagged / judged < 0.01
    counts = rng.poisson(seasonal_mean(60, 300))
    counts[40] = 12  # a feed that delivered a fraction of the month
    counts[50] = 900  # a batch of old records dumped into one month
    flags = month_flags(frame(counts))
    assert "near zero" in flags.iloc[40] and "possible outage" in flags.iloc[40]
    assert "unusually high" in flags.iloc[50]


@pytest.mark.slow
def test_overdispersed_series_are_judged_by_their_own_variability():
    """Counts with variance 4× the mean: a plain Poisson tail flags a large share of ordinary
    months; the dispersion-aware tail stays near the nominal rate."""
    rng = np.random.default_rng(7)
    ours = plain = judged = 0
    for _ in range(100):
        mu = seasonal_mean(96, 500)
        counts = rng.negative_binomial(mu / 3.0, 0.25)  # mean mu, variance 4 mu
        flags = month_flags(frame(counts))
        mu_hat, seasonal = expected_counts(
            counts.astype(float), np.ones(96, bool), (np.arange(96) % 12) + 1
        )
        ok = seasonal & np.isfinite(mu_hat)
        plain += int(
            np.sum(
                ok
                & (
                    (poisson.sf(counts - 1, np.where(ok, mu_hat, 1)) < ANOMALY_P)
                    | (poisson.cdf(counts, np.where(ok, mu_hat, 1)) < ANOMALY_P)
                )
            )
        )
        ours += int(flags[ok].str.contains("unusually").sum())
        judged += int(ok.sum())
    assert plain / judged > 0.05
    assert ours / judged < 0.01


def test_small_counts_at_zero_are_not_outages():
    counts = np.array([2, 1, 3, 2, 0, 2, 1, 4, 2, 0, 3, 2, 1, 0, 2, 3, 0, 1, 2, 2, 0, 3, 1, 2])
    flags = month_flags(frame(counts))
    assert not flags.str.contains("near zero|unusually").any()


@pytest.mark.slow
def test_real_rtci_violent_series_flag_few_months(store):
    """Every RTCI agency's violent series: the share of judged months flagged high or low
    (0.6% when measured; a plain Poisson tail on the trailing mean flagged 8.2%)."""
    from crimetrends.analysis.aggregate import all_series
    from crimetrends.store.connect import connect
    from crimetrends.taxonomy.offenses import resolve_offense

    offense, members = resolve_offense("violent")
    series = [s for s in all_series(connect(), members, offense, None) if s.source == "rtci"]
    assert len(series) > 250
    flags = pd.concat([month_flags(s.frame) for s in series])
    complete = int(sum(s.frame["complete"].sum() for s in series))
    share = flags.str.contains("unusually").sum() / complete
    assert 0.001 < share < 0.015


def test_tails_match_scipy_stats_over_a_grid_including_zero_counts():
    rng = np.random.default_rng(20261201)
    k = np.concatenate([[0.0, 0.0, 1.0], rng.integers(0, 400, 500).astype(float)])
    mu = np.concatenate([[0.5, 7.0, 3.0], rng.uniform(0.2, 300, 500)])
    phi = np.concatenate([[1.0, 2.5, 1.0], np.where(rng.random(500) < 0.5, 1.0, 3.0)])
    upper, lower = tail_p(k, mu, phi)
    over = phi > 1.0
    n = np.where(over, mu / np.where(over, phi - 1, 1), 1.0)
    p = np.where(over, 1 / phi, 0.5)
    want_up = np.where(over, nbinom.sf(k - 1, n, p), poisson.sf(k - 1, mu))
    want_lo = np.where(over, nbinom.cdf(k, n, p), poisson.cdf(k, mu))
    np.testing.assert_allclose(upper, want_up, rtol=1e-9, atol=1e-300)
    np.testing.assert_allclose(lower, want_lo, rtol=1e-9, atol=1e-300)
