"""Quality flags per series month, as real-time crime trackers check them.

missing      no data for the month (or an incomplete total)
near zero    under 10% of the month's expected count, and improbable even as Poisson
             chance: a likely reporting outage
high / low   tail probability below 0.001 against the month's expected count
provisional  among the latest months the publisher still revises

The expected count is the trailing 12-month mean times the calendar month's seasonal factor
from earlier years. The tail is Poisson for a Poisson-like series and negative binomial with
the series' own overdispersion otherwise: city crime counts vary more than Poisson, and a
plain Poisson tail flagged 51 of 79 months of Chicago's RTCI violent series as unusual.
High and low are judged only once an earlier same calendar month gives the seasonal factor.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.special import betainc, gammainc, gammaincc

ANOMALY_P = 0.001
NEAR_ZERO_SHARE = 0.10
MIN_HISTORY = 6
DISPERSION_WINDOW = 24


def trailing_mean(x: np.ndarray, window: int, min_periods: int) -> np.ndarray:
    """Mean of the known values among the `window` before each position, NaN where fewer
    than `min_periods` are known (pandas' shift(1).rolling(window, min_periods).mean(), by
    running sums: the site computes it for ~700 series and a pandas frame each cost 4 ms)."""
    known = ~np.isnan(x)
    sums = np.concatenate(([0.0], np.cumsum(np.where(known, x, 0.0))))
    seen = np.concatenate(([0], np.cumsum(known)))
    i = np.arange(len(x))
    lo = np.maximum(i - window, 0)
    total, count = sums[i] - sums[lo], seen[i] - seen[lo]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(count >= min_periods, total / count, np.nan)


def expected_counts(
    k: np.ndarray, complete: np.ndarray, months: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Trailing 12-month mean × seasonal factor of the calendar month, from past months only,
    and whether an earlier same-month count gave the factor (else it is 1)."""
    level = trailing_mean(np.where(complete, k, np.nan), 12, MIN_HISTORY)
    # each earlier same-month count against its own trailing level: the mean of those
    # ratios (the positive ones) over the months before, as running sums per calendar month
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = k / level
    valid = complete & np.isfinite(level) & (level > 0) & (ratio > 0)
    ratio = np.where(valid, ratio, 0.0)
    before_sum = np.zeros(len(k))
    before_n = np.zeros(len(k), dtype=np.int64)
    for m in np.unique(months):
        at = months == m
        before_sum[at] = np.cumsum(ratio[at]) - ratio[at]
        before_n[at] = np.cumsum(valid[at]) - valid[at]
    seasonal = before_n > 0
    factor = np.where(seasonal, before_sum / np.where(seasonal, before_n, 1), 1.0)
    return level * factor, seasonal


def dispersion(k: np.ndarray, mu: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """Pearson dispersion (≥ 1) over the previous DISPERSION_WINDOW months with a baseline."""
    resid = np.where(ok, (k - mu) ** 2 / np.where(ok, mu, 1.0), np.nan)
    phi = trailing_mean(resid, DISPERSION_WINDOW, MIN_HISTORY)
    return np.where(np.isnan(phi), 1.0, np.maximum(phi, 1.0))


def tail_p(k: np.ndarray, mu: np.ndarray, phi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """P(X ≥ k) and P(X ≤ k): Poisson when phi = 1, else NB with variance phi × mu.

    Through the regularised incomplete gamma and beta functions (the distributions' own
    closed forms: Poisson P(X ≤ k) = Q(k + 1, mu), NB(n, p) P(X ≤ k) = I_p(n, k + 1)), which
    are the values scipy.stats gives without its per-call overhead and its import."""
    over = phi > 1.0 + 1e-9
    n = np.where(over, mu / np.where(over, phi - 1.0, 1.0), 1.0)
    prob = np.where(over, 1.0 / phi, 0.5)
    pos = k >= 1
    kk = np.where(pos, k, 1.0)  # P(X ≥ 0) = 1; the functions need a positive first argument
    upper_nb = betainc(kk, n, 1.0 - prob)  # I_{1-p}(k, n) = P(X ≥ k), accurate in the tail
    upper = np.where(pos, np.where(over, upper_nb, gammainc(kk, mu)), 1.0)
    lower = np.where(over, betainc(n, k + 1.0, prob), gammaincc(k + 1.0, mu))
    return upper, lower


def month_flags(frame: pd.DataFrame, provisional: set | None = None) -> pd.Series:
    """A flag text per row of a monthly series frame (period, count, complete)."""
    months = [pd.Timestamp(p).date() for p in frame["period"]]
    flags = flags_for(
        months,
        frame["count"].to_numpy(dtype=float),
        frame["complete"].to_numpy(dtype=bool),
        provisional,
    )
    return pd.Series(flags, index=frame.index)


def flags_for(
    months: list, counts: np.ndarray, complete: np.ndarray, provisional: set | None = None
) -> list[str]:
    """A flag text per month of a series (first days of months, counts with NaN missing)."""
    provisional = provisional or set()
    k = np.asarray(counts, dtype=float)
    complete = np.asarray(complete, dtype=bool) & ~np.isnan(k)
    calendar = np.array([m.month for m in months])
    mu, seasonal = expected_counts(k, complete, calendar)
    has_mu = complete & ~np.isnan(mu) & (mu > 0)
    safe_mu = np.where(has_mu, mu, 1.0)
    safe_k = np.where(complete, k, 0.0)
    # a small share of a small count is ordinary (0 murders in a month of 2 expected)
    near_zero = (
        has_mu & (safe_k < NEAR_ZERO_SHARE * safe_mu) & (gammaincc(safe_k + 1, safe_mu) < ANOMALY_P)
    )
    # outage months would inflate the dispersion that should judge the others
    phi = dispersion(safe_k, safe_mu, has_mu & ~near_zero)
    upper, lower = tail_p(safe_k, safe_mu, phi)
    # before a year of history a summer peak cannot be told from an anomaly: not judged
    judged = has_mu & ~near_zero & seasonal
    high = judged & (upper < ANOMALY_P)
    low = judged & ~high & (lower < ANOMALY_P)
    flags = []
    for i, month in enumerate(months):
        out = []
        if not complete[i]:
            out.append("missing or incomplete")
        elif near_zero[i]:
            out.append(f"near zero ({int(k[i])} vs expected {mu[i]:.0f}): possible outage")
        elif high[i]:
            out.append(f"unusually high ({int(k[i])} vs expected {mu[i]:.0f}, p < {ANOMALY_P})")
        elif low[i]:
            out.append(f"unusually low ({int(k[i])} vs expected {mu[i]:.0f}, p < {ANOMALY_P})")
        if month in provisional:
            out.append("provisional")
        flags.append("; ".join(out))
    return flags


def flagged_months(
    con: Any, agency: str, offense: str, source: str | None = None
) -> list[dict[str, Any]]:
    """Every flagged month of an agency's monthly series of `offense`, with the flag."""
    from crimetrends.analysis.aggregate import all_series
    from crimetrends.analysis.trends import provisional_months
    from crimetrends.taxonomy.offenses import resolve_offense

    name, members = resolve_offense(offense)
    rows = []
    for s in all_series(con, members, name, agency, source):
        if s.grain != "month":
            continue
        flags = month_flags(s.frame, provisional_months(s))
        for period, count, flag in zip(s.frame["period"], s.frame["count"], flags, strict=True):
            if flag:
                rows.append(
                    {
                        "source": s.source,
                        "agency": s.agency,
                        "offense": name,
                        "month": str(period)[:7],
                        "count": None if count != count else int(count),
                        "flag": flag,
                    }
                )
    return rows
