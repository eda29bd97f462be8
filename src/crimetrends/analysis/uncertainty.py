"""Exact interval for the change between two Poisson counts (conditional binomial method).

Given n = a + b, a ~ Binomial(n, p) with p = r·e / (1 + r·e), where r is the rate ratio
(now vs before) and e = exposure_now / exposure_before. A Clopper–Pearson interval on p
maps monotonically to an interval on r and on the percent change 100·(r − 1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.stats import beta


@dataclass(frozen=True)
class Change:
    current: int
    previous: int
    rate_ratio: float | None
    pct_change: float | None
    ci_low: float | None  # percent
    ci_high: float | None  # percent; inf when previous == 0
    level: float

    @property
    def label(self) -> str:
        return change_label(self)


def _p_to_pct(p: float, exposure_ratio: float) -> float:
    if p >= 1.0:
        return math.inf
    return 100.0 * ((p / (1.0 - p)) / exposure_ratio - 1.0)


def rate_change(
    current: int, previous: int, exposure_ratio: float = 1.0, level: float = 0.95
) -> Change:
    """Percent change of `current` over `previous` with an exact `level` interval.

    exposure_ratio = exposure of the current period / exposure of the previous one
    (days covered, or population), 1.0 for equal periods.
    """
    if current < 0 or previous < 0:
        raise ValueError("counts must be non-negative")
    if exposure_ratio <= 0:
        raise ValueError("exposure_ratio must be positive")
    n = current + previous
    if n == 0:
        return Change(current, previous, None, None, None, None, level)
    alpha = 1.0 - level
    p_low = 0.0 if current == 0 else float(beta.ppf(alpha / 2, current, n - current + 1))
    p_high = 1.0 if current == n else float(beta.ppf(1 - alpha / 2, current + 1, n - current))
    ratio = None if previous == 0 else (current / previous) / exposure_ratio
    pct = None if ratio is None else 100.0 * (ratio - 1.0)
    return Change(
        current,
        previous,
        ratio,
        pct,
        _p_to_pct(p_low, exposure_ratio),
        _p_to_pct(p_high, exposure_ratio),
        level,
    )


def change_label(change: Change) -> str:
    """'up' / 'down' only when the whole interval is on one side of zero."""
    if change.ci_low is None or change.ci_high is None:
        return "no data in either period"
    if change.ci_low > 0:
        return "up"
    if change.ci_high < 0:
        return "down"
    return "no detectable change"


def poisson_interval(count: int, level: float = 0.95) -> tuple[float, float]:
    """Exact (Garwood) interval for the mean of a Poisson count: the band around a month."""
    low, high = poisson_intervals(np.array([count], dtype=float), level)
    return float(low[0]), float(high[0])


def poisson_intervals(counts: np.ndarray, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised Garwood intervals; NaN counts give NaN bounds."""
    from scipy.stats import chi2

    counts = np.asarray(counts, dtype=float)
    if np.any(counts[~np.isnan(counts)] < 0):
        raise ValueError("count must be non-negative")
    alpha = 1.0 - level
    with np.errstate(invalid="ignore"):
        low = np.where(counts == 0, 0.0, chi2.ppf(alpha / 2, 2 * counts) / 2)
        high = chi2.ppf(1 - alpha / 2, 2 * counts + 2) / 2
    return low, high
