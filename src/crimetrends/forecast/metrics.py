"""Forecast scores: point errors, interval coverage, and the hit rate / PAI / PEI of maps."""

from __future__ import annotations

import math

import numpy as np
from scipy.stats import binomtest


def mae(actual: np.ndarray, predicted: np.ndarray) -> float:
    return float(np.mean(np.abs(np.asarray(actual) - np.asarray(predicted))))


def rmse(actual: np.ndarray, predicted: np.ndarray) -> float:
    return float(np.sqrt(np.mean((np.asarray(actual) - np.asarray(predicted)) ** 2)))


def coverage(actual: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> float:
    """Share of actual values inside [lower, upper]; NaN bounds are not counted."""
    a, lo, hi = (np.asarray(v, dtype=float) for v in (actual, lower, upper))
    ok = ~(np.isnan(lo) | np.isnan(hi))
    if not ok.any():
        return float("nan")
    return float(np.mean((a[ok] >= lo[ok]) & (a[ok] <= hi[ok])))


def top_cells(scores: np.ndarray, share: float, rng: np.random.Generator) -> np.ndarray:
    """Indices of the ceil(share·n) highest-scoring cells; ties broken in a seeded random order."""
    n = len(scores)
    k = max(1, math.ceil(share * n))
    order = rng.permutation(n)
    ranked = order[np.argsort(-scores[order], kind="stable")]
    return ranked[:k]


def hit_rate(
    scores: np.ndarray, actual: np.ndarray, share: float, rng: np.random.Generator
) -> float:
    """Share of the period's crimes that fell in the flagged cells (NaN when none occurred)."""
    total = float(np.sum(actual))
    if total == 0:
        return float("nan")
    return float(np.sum(actual[top_cells(scores, share, rng)]) / total)


def pai(hit: float, share: float) -> float:
    """Predictive accuracy index: hit rate divided by the share of area flagged."""
    return hit / share


def best_hit_rate(actual: np.ndarray, share: float) -> float:
    """The hit rate of a perfect map flagging the same number of cells."""
    total = float(np.sum(actual))
    if total == 0:
        return float("nan")
    k = max(1, math.ceil(share * len(actual)))
    return float(np.sum(np.sort(actual)[::-1][:k])) / total


def pei(hit: float, best: float) -> float:
    """Predictive efficiency index: hit rate over the best hit rate possible with as many cells."""
    return hit / best if best > 0 else float("nan")


def sign_verdict(better: int, worse: int, alpha: float = 0.05, unit: str = "series") -> str:
    """Beats / worse than / no clear difference from naive, by a two-sided sign test."""
    n = better + worse
    if n == 0:
        return f"no {unit} to judge"
    if n < 6:
        return f"too few {unit} to judge ({better} of {n} better than naive)"
    p = binomtest(better, n, 0.5).pvalue
    if p >= alpha:
        return f"no clear difference from naive (sign test p = {p:.2g})"
    return "beats naive" if better > worse else "worse than naive"
