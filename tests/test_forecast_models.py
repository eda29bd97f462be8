"""Monthly forecasters and their scoring, checked against hand computations and simulation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crimetrends.forecast import metrics
from crimetrends.forecast.backtest import backtest_series, run_backtest, score_series, summarize
from crimetrends.forecast.models import (
    HISTORICAL_AVERAGE,
    NAIVE,
    SEASONAL_NAIVE,
    CountRegression,
    Forecast,
    PoissonAutoregression,
)
from crimetrends.forecast.series import MonthlyCounts


def _series(values, start="2019-01-01", area="A") -> MonthlyCounts:
    periods = pd.date_range(start, periods=len(values), freq="MS")
    return MonthlyCounts(
        "test", "Town", "violent", "city", area, periods, np.asarray(values, float)
    )


class Oracle:
    """Knows the future: a perfect forecast with zero-width intervals."""

    name = "oracle"
    min_history = 1
    description = "perfect"

    def __init__(self, full: np.ndarray):
        self.full = full

    def predict(self, y, first_month, horizon, rng):
        v = self.full[len(y) : len(y) + horizon].astype(float)
        return Forecast(self.name, v, {0.8: v, 0.95: v}, {0.8: v, 0.95: v})


def test_naive_and_perfect_forecasts_are_scored_by_hand():
    y = np.array([10, 12, 9, 15, 11], float)
    s = _series(y)
    forecasts = pd.DataFrame(backtest_series(s, [NAIVE, Oracle(y)], origins=4, horizon=1, seed=1))
    naive = forecasts[forecasts.model == "naive"]
    assert naive["mean"].tolist() == [10, 12, 9, 15]
    assert naive["actual"].tolist() == [12, 9, 15, 11]
    scores = score_series(forecasts).set_index("model")
    # errors 2, 3, 6, 4 → MAE 3.75, RMSE √(65/4)
    assert scores.loc["naive", "mae"] == pytest.approx(3.75)
    assert scores.loc["naive", "rmse"] == pytest.approx(np.sqrt(65 / 4))
    assert scores.loc["oracle", "mae"] == 0
    assert scores.loc["oracle", "rmse"] == 0
    assert scores.loc["oracle", "coverage95"] == 1.0
    assert scores.loc["oracle", "relative_mae_vs_naive"] == 0
    assert np.isnan(scores.loc["naive", "coverage95"])  # too few past errors for an interval


def test_metrics_by_hand():
    a = np.array([1.0, 5.0, 9.0])
    assert metrics.coverage(a, np.array([0, 6, 8]), np.array([2, 7, 10])) == pytest.approx(2 / 3)
    scores = np.array([0.9, 0.1, 0.5, 0.0, 0.3, 0.2, 0.8, 0.05, 0.4, 0.6])
    actual = np.array([3, 0, 1, 6, 0, 0, 2, 0, 0, 0], float)  # 12 crimes
    rng = np.random.default_rng(0)
    hit = metrics.hit_rate(scores, actual, 0.2, rng)  # top 2 cells: 0 (3) and 6 (2)
    assert hit == pytest.approx(5 / 12)
    assert metrics.pai(hit, 0.2) == pytest.approx(5 / 12 / 0.2)
    best = metrics.best_hit_rate(actual, 0.2)  # cells 3 (6) and 0 (3)
    assert best == pytest.approx(9 / 12)
    assert metrics.pei(hit, best) == pytest.approx(5 / 9)


def test_sign_verdict():
    assert metrics.sign_verdict(20, 2) == "beats naive"
    assert metrics.sign_verdict(2, 20) == "worse than naive"
    assert metrics.sign_verdict(7, 5).startswith("no clear difference")
    assert metrics.sign_verdict(3, 1).startswith("too few")


def test_baseline_points_and_past_errors():
    y = np.arange(1, 37, dtype=float)  # 36 months: 1..36
    assert NAIVE.point(y, 1) == 36
    assert SEASONAL_NAIVE.point(y, 1) == 25  # same month a year before the target
    assert SEASONAL_NAIVE.point(y, 12) == 36
    assert SEASONAL_NAIVE.point(y, 13) == 25
    assert HISTORICAL_AVERAGE.point(y, 1) == pytest.approx(np.mean(np.arange(25, 37)))
    # a linear series: seasonal-naive errors are all exactly 12
    errors = SEASONAL_NAIVE.past_errors(y, 1)
    assert len(errors) == 24 and set(errors) == {12.0}
    f = SEASONAL_NAIVE.predict(y, 1, 1, np.random.default_rng(0))
    assert f.lower[0.95][0] == pytest.approx(25 + 12) and f.upper[0.95][0] == pytest.approx(37)


def _simulated(rng, n=72, base=120.0, trend=0.0):
    m = np.arange(n)
    mu = base * np.exp(0.25 * np.sin(2 * np.pi * m / 12) + trend * m / 12)
    return rng.poisson(mu).astype(float), mu


@pytest.mark.slow
@pytest.mark.parametrize("model", [CountRegression(), PoissonAutoregression()])
def test_count_models_cover_near_nominal_on_poisson_data(model):
    """One-step intervals on 300 simulated Poisson series: coverage near nominal, no bias."""
    rng = np.random.default_rng(7)
    hits80 = hits95 = 0
    errors = []
    for _ in range(300):
        y, mu = _simulated(rng)
        f = model.predict(y[:-1], 1, 1, rng)
        hits80 += f.lower[0.8][0] <= y[-1] <= f.upper[0.8][0]
        hits95 += f.lower[0.95][0] <= y[-1] <= f.upper[0.95][0]
        errors.append(f.mean[0] - mu[-1])
    assert 0.91 <= hits95 / 300 <= 0.99
    assert 0.73 <= hits80 / 300 <= 0.87
    assert abs(np.mean(errors)) < 1.5  # a mean near 120; the error's sd over 300 is ≈ 0.7


def test_count_regression_recovers_trend_and_season():
    """With a known seasonal mean and no noise beyond Poisson, the point forecast is close."""
    rng = np.random.default_rng(3)
    y, mu = _simulated(rng, n=61, base=400.0, trend=0.1)
    f = CountRegression().predict(y[:-1], 1, 1, rng)
    assert f.mean[0] == pytest.approx(mu[-1], rel=0.05)


def test_multi_step_intervals_widen_and_repeat_with_the_seed():
    y, _ = _simulated(np.random.default_rng(1))
    model = PoissonAutoregression()
    a = model.predict(y, 1, 6, np.random.default_rng(11))
    b = model.predict(y, 1, 6, np.random.default_rng(11))
    c = model.predict(y, 1, 6, np.random.default_rng(12))
    np.testing.assert_array_equal(a.upper[0.95], b.upper[0.95])
    assert not np.array_equal(a.upper[0.95], c.upper[0.95])
    width = a.upper[0.95] - a.lower[0.95]
    assert width[-1] > width[0]


def test_all_zero_history_is_reported_not_crashed():
    f = CountRegression().predict(np.zeros(40), 1, 2, np.random.default_rng(0))
    assert np.isnan(f.mean).all() and f.note == "all-zero history"


@pytest.mark.slow
def test_backtest_is_reproducible_and_summarized():
    rng = np.random.default_rng(5)
    series = [_series(_simulated(rng)[0], area=f"A{i}") for i in range(8)]
    models = [NAIVE, SEASONAL_NAIVE, CountRegression()]
    a = run_backtest(series, models, origins=12, seed=9).forecasts
    b = run_backtest(series, models, origins=12, seed=9).forecasts
    pd.testing.assert_frame_equal(a, b)
    summary = summarize(a, score_series(a)).set_index("model")
    assert summary.loc["naive", "relative_mae_vs_naive"] == 1.0
    assert summary.loc["naive", "verdict"] == "baseline"
    assert (summary["forecasts"] == 8 * 12).all()
    # strongly seasonal data: the seasonal regression beats last month's value
    assert summary.loc["count_glm", "relative_mae_vs_naive"] < 1


def test_short_series_are_skipped_with_a_reason():
    bt = run_backtest([_series(np.ones(20))], [NAIVE, CountRegression()], origins=12, seed=1)
    assert bt.forecasts.empty
    assert "20 usable months; 36 needed" in bt.skipped.loc[0, "reason"]
