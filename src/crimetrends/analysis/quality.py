"""Quality flags per series month, as real-time crime trackers check them.

missing      no data for the month (or an incomplete total)
near zero    under 10% of the trailing 12-month mean: a likely reporting outage
high / low   Poisson tail probability below 0.001 against the trailing 12-month mean
provisional  among the latest months the publisher still revises
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import poisson

ANOMALY_P = 0.001
NEAR_ZERO_SHARE = 0.10
MIN_HISTORY = 6


def month_flags(frame: pd.DataFrame, provisional: set | None = None) -> pd.Series:
    """A flag text per row of a monthly series frame (period, count, complete)."""
    provisional = provisional or set()
    k = frame["count"].to_numpy(dtype=float)
    complete = frame["complete"].to_numpy(dtype=bool) & ~np.isnan(k)
    mu = (
        pd.Series(np.where(complete, k, np.nan))
        .shift(1)
        .rolling(12, min_periods=MIN_HISTORY)
        .mean()
        .to_numpy()
    )
    has_mu = complete & ~np.isnan(mu) & (mu > 0)
    safe_mu = np.where(has_mu, mu, 1.0)
    safe_k = np.where(complete, k, 0.0)
    near_zero = has_mu & (safe_k < NEAR_ZERO_SHARE * safe_mu)
    high = has_mu & ~near_zero & (poisson.sf(safe_k - 1, safe_mu) < ANOMALY_P)
    low = has_mu & ~near_zero & ~high & (poisson.cdf(safe_k, safe_mu) < ANOMALY_P)
    months = [pd.Timestamp(p).date() for p in frame["period"]]
    flags = []
    for i, month in enumerate(months):
        out = []
        if not complete[i]:
            out.append("missing or incomplete")
        elif near_zero[i]:
            out.append(f"near zero ({int(k[i])} vs usual {mu[i]:.0f}): possible outage")
        elif high[i]:
            out.append(f"unusually high ({int(k[i])} vs usual {mu[i]:.0f}, p < {ANOMALY_P})")
        elif low[i]:
            out.append(f"unusually low ({int(k[i])} vs usual {mu[i]:.0f}, p < {ANOMALY_P})")
        if month in provisional:
            out.append("provisional")
        flags.append("; ".join(out))
    return pd.Series(flags, index=frame.index)
