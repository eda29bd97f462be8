"""Exact interval for the change between two Poisson counts (conditional binomial method).

Given n = a + b, a ~ Binomial(n, p) with p = r·e / (1 + r·e), where r is the rate ratio
(now vs before) and e = exposure_now / exposure_before. A Clopper–Pearson interval on p
maps monotonically to an interval on r and on the percent change 100·(r − 1).

The beta and gamma quantiles come from `scipy.special` (betaincinv, gammaincinv): the same
values as `scipy.stats.beta.ppf` / `chi2.ppf`, without importing `scipy.stats` (a second
of start-up for every CLI call).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

METHOD = (
    "95% interval for the percent change from the exact conditional binomial method: given "
    "n = a + b counts, a ~ Binomial(n, r/(1+r)); the Clopper-Pearson interval for that "
    "proportion maps to the rate ratio r and to 100·(r − 1). A change is 'up' or 'down' only "
    "when the whole interval is on one side of zero."
)


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


def clopper_pearson(successes: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Exact binomial interval for a proportion (the beta quantiles of Clopper–Pearson)."""
    from scipy.special import betaincinv

    alpha = 1.0 - level
    low = 0.0 if successes == 0 else float(betaincinv(successes, n - successes + 1, alpha / 2))
    high = 1.0 if successes == n else float(betaincinv(successes + 1, n - successes, 1 - alpha / 2))
    return low, high


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
    p_low, p_high = clopper_pearson(current, n, level)
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


def poisson_intervals(counts: np.ndarray, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) intervals for Poisson means, vectorised; NaN counts give NaN bounds.

    chi2.ppf(q, 2k) / 2 equals the gamma quantile gammaincinv(k, q).
    """
    import numpy as np
    from scipy.special import gammaincinv

    counts = np.asarray(counts, dtype=float)
    if np.any(counts[~np.isnan(counts)] < 0):
        raise ValueError("count must be non-negative")
    alpha = 1.0 - level
    with np.errstate(invalid="ignore"):
        low = np.where(counts == 0, 0.0, gammaincinv(np.maximum(counts, 1e-300), alpha / 2))
        high = gammaincinv(counts + 1, 1 - alpha / 2)
    return low, high
