"""Monthly count forecasters, each with 80% and 95% prediction intervals.

Every model sees the same thing: a float array of consecutive complete months (oldest first)
and the calendar month (1–12) of its first value. Baselines get their intervals from the
empirical distribution of their own past errors at the same horizon; the count regressions
get theirs by simulating parameters and negative-binomial noise (Poisson when the data are
not overdispersed). Random steps use the Generator the caller passes, so results repeat.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import statsmodels.api as sm

LEVELS = (0.80, 0.95)
DRAWS = 2000
MIN_ERRORS = 12  # a baseline needs this many past errors to estimate its interval


@dataclass(frozen=True)
class Forecast:
    """Forecasts for horizons 1..h: mean plus interval bounds per level (NaN = unavailable)."""

    model: str
    mean: np.ndarray
    lower: dict[float, np.ndarray]
    upper: dict[float, np.ndarray]
    note: str = ""

    def at(self, step: int) -> dict[str, float]:
        """mean, lower80, upper80, lower95, upper95 of one horizon step (0-based; −1 = last)."""
        return {
            "mean": float(self.mean[step]),
            **{f"lower{int(a * 100)}": float(self.lower[a][step]) for a in LEVELS},
            **{f"upper{int(a * 100)}": float(self.upper[a][step]) for a in LEVELS},
        }


class Model(Protocol):
    name: str
    min_history: int
    description: str

    def predict(
        self, y: np.ndarray, first_month: int, horizon: int, rng: np.random.Generator
    ) -> Forecast: ...


def _failed(name: str, horizon: int, note: str) -> Forecast:
    nan = np.full(horizon, np.nan)
    return Forecast(name, nan, {a: nan for a in LEVELS}, {a: nan for a in LEVELS}, note)


def _from_draws(name: str, point: np.ndarray, draws: np.ndarray) -> Forecast:
    """Interval bounds as quantiles of simulated counts (draws: n_draws × horizon)."""
    lower = {a: np.quantile(draws, (1 - a) / 2, axis=0) for a in LEVELS}
    upper = {a: np.quantile(draws, 1 - (1 - a) / 2, axis=0) for a in LEVELS}
    return Forecast(name, point, lower, upper)


@dataclass(frozen=True)
class Baseline:
    """A rule that maps the history to a point forecast; intervals from its own past errors."""

    name: str
    description: str
    min_history: int
    lookback: int  # values the rule reads (1 for naive, 12 for seasonal naive / average)

    def point(self, y: np.ndarray, h: int) -> float:
        if self.name == "naive":
            return float(y[-1])
        if self.name == "seasonal_naive":
            k = math.ceil(h / 12)
            return float(y[len(y) - 12 * k + h - 1])
        if self.name == "historical_average":
            return float(np.mean(y[-12:]))
        raise ValueError(self.name)

    def past_errors(self, y: np.ndarray, h: int) -> np.ndarray:
        """y_t − forecast of y_t made h months earlier, for every t the history allows."""
        ends = range(self.lookback, len(y) - h + 1)
        return np.array([y[e + h - 1] - self.point(y[:e], h) for e in ends], dtype=float)

    def predict(
        self, y: np.ndarray, first_month: int, horizon: int, rng: np.random.Generator
    ) -> Forecast:
        mean = np.array([self.point(y, h) for h in range(1, horizon + 1)])
        lower: dict[float, np.ndarray] = {a: np.full(horizon, np.nan) for a in LEVELS}
        upper: dict[float, np.ndarray] = {a: np.full(horizon, np.nan) for a in LEVELS}
        for i, h in enumerate(range(1, horizon + 1)):
            errors = self.past_errors(y, h)
            if len(errors) < MIN_ERRORS:
                continue
            for a in LEVELS:
                lo, hi = np.quantile(errors, [(1 - a) / 2, 1 - (1 - a) / 2])
                lower[a][i] = max(mean[i] + lo, 0.0)
                upper[a][i] = max(mean[i] + hi, 0.0)
        return Forecast(self.name, mean, lower, upper)


def _month_dummies(months: np.ndarray) -> np.ndarray:
    """Eleven indicator columns (January is the reference)."""
    return (months[:, None] == np.arange(2, 13)[None, :]).astype(float)


def _calendar(first_month: int, start: int, n: int) -> np.ndarray:
    return (first_month - 1 + np.arange(start, start + n)) % 12 + 1


def _nb_draws(mu: np.ndarray, phi: float, rng: np.random.Generator) -> np.ndarray:
    """Counts with mean mu and variance phi·mu (Poisson when phi ≤ 1)."""
    if phi <= 1.0 + 1e-9:
        return rng.poisson(mu).astype(float)
    return rng.negative_binomial(mu / (phi - 1.0), 1.0 / phi).astype(float)


def _coefficient_draws(fit, rng: np.random.Generator) -> np.ndarray:
    """Coefficients drawn from their estimated sampling distribution (asymptotic normal)."""
    cov = np.asarray(fit.cov_params())
    cov = (cov + cov.T) / 2  # symmetric up to rounding
    return rng.multivariate_normal(fit.params, cov, size=DRAWS, check_valid="ignore")


def _mean_cap(y: np.ndarray) -> float:
    """No simulated month may exceed 50× the largest observed one (explosive draws)."""
    return float(np.log(50.0 * (np.max(y) + 1.0)))


def _fit_glm(y: np.ndarray, x: np.ndarray):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sm.GLM(y, x, family=sm.families.Poisson()).fit(scale="X2")


@dataclass(frozen=True)
class CountRegression:
    """Poisson GLM with a linear trend and month effects; overdispersion from Pearson χ²."""

    name: str = "count_glm"
    description: str = (
        "Poisson regression (log link) on a linear trend and 11 month effects, quasi-Poisson "
        "scale from Pearson χ²; intervals simulate the coefficients and negative-binomial noise"
    )
    min_history: int = 24

    def predict(
        self, y: np.ndarray, first_month: int, horizon: int, rng: np.random.Generator
    ) -> Forecast:
        n = len(y)
        if np.all(y == 0):
            return _failed(self.name, horizon, "all-zero history")

        def design(start: int, size: int) -> np.ndarray:
            t = np.arange(start, start + size, dtype=float) / 12.0
            months = _calendar(first_month, start, size)
            return np.column_stack([np.ones(size), t, _month_dummies(months)])

        try:
            fit = _fit_glm(y, design(0, n))
        except (ValueError, np.linalg.LinAlgError) as exc:
            return _failed(self.name, horizon, f"fit failed: {exc}")
        phi = max(float(fit.scale), 1.0)
        x_new = design(n, horizon)
        point = np.exp(x_new @ fit.params)
        betas = _coefficient_draws(fit, rng)
        mu = np.exp(np.clip(betas @ x_new.T, -50, _mean_cap(y)))
        return _from_draws(self.name, point, _nb_draws(mu, phi, rng))


@dataclass(frozen=True)
class PoissonAutoregression:
    """Log-linear Poisson autoregression with month effects (Fokianos & Tjøstheim 2011).

    log μ_t = month effects + γ·log(1 + mean of the previous `lags` months): the level follows
    recent months (so it adapts to shifts a fixed trend misses) while the season stays fixed.
    Multi-step intervals come from simulated paths that feed their own draws back in.
    """

    name: str = "poisson_ar"
    description: str = (
        "log-linear Poisson autoregression: 12 month effects plus log(1 + mean of the last 3 "
        "months); quasi-Poisson scale; intervals from simulated paths"
    )
    min_history: int = 27
    lags: int = 3

    def _design(self, months: np.ndarray, level: np.ndarray) -> np.ndarray:
        return np.column_stack([np.ones(len(months)), _month_dummies(months), np.log1p(level)])

    def predict(
        self, y: np.ndarray, first_month: int, horizon: int, rng: np.random.Generator
    ) -> Forecast:
        n, k = len(y), self.lags
        if np.all(y == 0):
            return _failed(self.name, horizon, "all-zero history")
        level = np.convolve(y, np.ones(k) / k, mode="valid")[:-1]  # mean of y[t-k..t-1]
        months = _calendar(first_month, k, n - k)
        try:
            fit = _fit_glm(y[k:], self._design(months, level))
        except (ValueError, np.linalg.LinAlgError) as exc:
            return _failed(self.name, horizon, f"fit failed: {exc}")
        phi = max(float(fit.scale), 1.0)
        new_months = _calendar(first_month, n, horizon)
        x1 = self._design(new_months[:1], np.array([y[-k:].mean()]))
        point = np.empty(horizon)
        point[0] = float(np.exp(x1 @ fit.params)[0])
        betas = _coefficient_draws(fit, rng)
        recent = np.tile(y[-k:], (DRAWS, 1))
        draws = np.empty((DRAWS, horizon))
        for i in range(horizon):
            x = self._design(np.repeat(new_months[i], DRAWS), recent.mean(axis=1))
            mu = np.exp(np.clip(np.einsum("ij,ij->i", x, betas), -50, _mean_cap(y)))
            draws[:, i] = _nb_draws(mu, phi, rng)
            recent = np.column_stack([recent[:, 1:], draws[:, i]])
        point[1:] = draws[:, 1:].mean(axis=0)
        return _from_draws(self.name, point, draws)


NAIVE = Baseline("naive", "next month = this month", min_history=13, lookback=1)
SEASONAL_NAIVE = Baseline(
    "seasonal_naive", "next month = the same month last year", min_history=24, lookback=12
)
HISTORICAL_AVERAGE = Baseline(
    "historical_average", "next month = mean of the last 12 months", min_history=24, lookback=12
)
MODELS: dict[str, Model] = {
    m.name: m
    for m in (NAIVE, SEASONAL_NAIVE, HISTORICAL_AVERAGE, CountRegression(), PoissonAutoregression())
}
