"""Short-term map forecasts: which cells will see crime next week (or month)?

Four forecasters rank the cells of the study area:
* naive: last period's counts;
* recent_kde: kernel density of the last few periods' events;
* long_term_kde: kernel density of the last year's events (the classic hotspot map);
* self_exciting: a discrete-time ETAS/Hawkes model (Mohler et al. 2011, binned): a background
  from the last year plus near-repeat triggering that decays geometrically in time and as a
  Gaussian in space. Its four parameters are fitted by Poisson maximum likelihood on periods
  *before* the first evaluated one, so the evaluation never sees its own targets.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import minimize

from crimetrends.spatial.density import smooth

LOOKBACK = {"week": {"recent": 8, "long": 52}, "month": {"recent": 2, "long": 12}}
BANDWIDTH_M = 250.0
BETAS = (0.5, 0.75, 0.9)  # near-repeat decay per period (slower decay would mimic background)
SIGMAS_M = (60.0, 125.0, 250.0, 500.0)  # near-repeat spread
BACKGROUND_BANDWIDTHS_M = (60.0, 125.0, 250.0, 500.0)


def period_starts(occurred: pd.Series, period: str) -> pd.Series:
    rule = {"week": "W-SUN", "month": "M"}[period]
    return occurred.dt.to_period(rule).dt.start_time


def period_cube(
    frame: pd.DataFrame, ny: int, nx: int, period: str, first: pd.Timestamp, last: pd.Timestamp
) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """Counts per complete period × cell (T × ny × nx) for records between first and last."""
    starts = period_starts(frame["occurred_at"], period)
    freq = {"week": "W-MON", "month": "MS"}[period]
    periods = pd.date_range(
        period_starts(pd.Series([first]), period)[0], last, freq=freq, inclusive="both"
    )
    # whole periods only: drop a first period that began before the data and a cut-off last one
    step = pd.offsets.Week(1) if period == "week" else pd.offsets.MonthBegin(1)
    end = last.normalize() + pd.Timedelta(days=1)  # records run through the last day
    periods = periods[(periods >= first.normalize()) & (periods + step <= end)]
    cube = np.zeros((len(periods), ny, nx))
    index = pd.Series(np.arange(len(periods)), index=periods)
    pos = index.reindex(starts.to_numpy()).to_numpy()
    ok = ~np.isnan(pos)
    np.add.at(
        cube,
        (pos[ok].astype(int), frame["iy"].to_numpy()[ok], frame["ix"].to_numpy()[ok]),
        1.0,
    )
    return pd.DatetimeIndex(periods), cube


@dataclass(frozen=True)
class Naive:
    name: str = "naive"
    description: str = "last period's counts"

    def score(self, history: np.ndarray) -> np.ndarray:
        return history[-1]


@dataclass(frozen=True)
class KDE:
    name: str
    description: str
    lookback: int
    bandwidth_m: float
    cell_m: float

    def score(self, history: np.ndarray) -> np.ndarray:
        return smooth(history[-self.lookback :].sum(axis=0), self.bandwidth_m, self.cell_m)


def _background(
    history: np.ndarray, long: int, cell_m: float, mask: np.ndarray, bandwidth_m: float
) -> np.ndarray:
    b = smooth(history[-long:].sum(axis=0), bandwidth_m, cell_m)
    b = np.where(mask, b, 0.0) + mask * 1e-9  # every study cell keeps a little background
    return b / b.sum()


def _triggering(cube: np.ndarray, beta: float, sigma_m: float, cell_m: float) -> np.ndarray:
    """E[t] = Σ_k (1−β) β^(k−1) G_σ * N[t−k]: the near-repeat excitation entering period t."""
    e = np.zeros_like(cube)
    for t in range(1, len(cube)):
        e[t] = (1 - beta) * smooth(cube[t - 1], sigma_m, cell_m) + beta * e[t - 1]
    return e


@dataclass(frozen=True)
class SelfExciting:
    """λ(cell, t) = μ·B_t(cell) + θ·E_t(cell); parameters from `fit`."""

    mu: float
    theta: float
    beta: float
    sigma_m: float
    background_m: float
    long: int
    cell_m: float
    mask: np.ndarray
    loglik: float
    name: str = "self_exciting"

    @property
    def description(self) -> str:
        return (
            f"ETAS-style: background μ={self.mu:.1f}/period from the last {self.long} periods "
            f"(σ = {self.background_m:.0f} m), "
            f"near-repeat θ={self.theta:.3f}, decay β={self.beta}, spread σ={self.sigma_m:.0f} m"
        )

    def score(self, history: np.ndarray) -> np.ndarray:
        depth = min(len(history), int(np.ceil(np.log(1e-4) / np.log(self.beta))) + 1)
        recent = history[-depth:]
        e = np.zeros(history.shape[1:])
        for frame in recent:
            e = (1 - self.beta) * smooth(frame, self.sigma_m, self.cell_m) + self.beta * e
        b = _background(history, self.long, self.cell_m, self.mask, self.background_m)
        return self.mu * b + self.theta * e


def fit_self_exciting(
    cube: np.ndarray, mask: np.ndarray, targets: range, long: int, cell_m: float
) -> SelfExciting:
    """Maximise the Poisson likelihood of the counts in `targets` over (μ, θ, β, σ, σ_b)."""
    if targets.start < long:
        raise ValueError("training periods need a full background year before them")
    idx = list(targets)
    n = cube[idx][:, mask]
    backgrounds = {
        bw: np.stack([_background(cube[:t], long, cell_m, mask, bw)[mask] for t in targets])
        for bw in BACKGROUND_BANDWIDTHS_M
    }
    excitation = {
        (beta, sigma): _triggering(cube[: targets.stop], beta, sigma, cell_m)[idx][:, mask]
        for beta, sigma in itertools.product(BETAS, SIGMAS_M)
    }
    best: SelfExciting | None = None
    for (bw, b), ((beta, sigma), e) in itertools.product(backgrounds.items(), excitation.items()):

        def nll(params: np.ndarray, b=b, e=e) -> tuple[float, np.ndarray]:
            mu, theta = params
            lam = mu * b + theta * e + 1e-12
            ratio = n / lam - 1.0
            grad = -np.array([(ratio * b).sum(), (ratio * e).sum()])
            return float(-(n * np.log(lam) - lam).sum()), grad

        start = np.array([n.sum(axis=1).mean(), 0.1])
        res = minimize(nll, start, jac=True, method="L-BFGS-B", bounds=[(1e-6, None), (0, None)])
        loglik = -float(res.fun)
        if best is None or loglik > best.loglik:
            best = SelfExciting(
                float(res.x[0]), float(res.x[1]), beta, sigma, bw, long, cell_m, mask, loglik
            )
    assert best is not None
    return best
