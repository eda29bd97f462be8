"""How concentrated crime is: the share in the top cells, and how stable the top cells are."""

from __future__ import annotations

import math

import numpy as np
from scipy.stats import spearmanr

from crimetrends.forecast.metrics import top_cells

SHARES = (0.01, 0.05, 0.10)


def share_in_top(counts: np.ndarray, share: float) -> float:
    """Fraction of all crime in the ceil(share·n) cells with the most crime."""
    c = np.sort(np.asarray(counts, dtype=float))[::-1]
    total = c.sum()
    if total == 0:
        return float("nan")
    return float(c[: max(1, math.ceil(share * len(c)))].sum() / total)


def lorenz(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cumulative share of cells (busiest first) vs cumulative share of crime."""
    c = np.sort(np.asarray(counts, dtype=float))[::-1]
    cells = np.arange(1, len(c) + 1) / len(c)
    crime = np.cumsum(c) / c.sum() if c.sum() else np.zeros(len(c))
    return np.concatenate([[0.0], cells]), np.concatenate([[0.0], crime])


def top_overlap(
    earlier: np.ndarray, later: np.ndarray, share: float, rng: np.random.Generator
) -> float:
    """Share of one year's top cells that are top cells again the next year."""
    a = set(top_cells(np.asarray(earlier, float), share, rng).tolist())
    b = set(top_cells(np.asarray(later, float), share, rng).tolist())
    return len(a & b) / len(a)


def stability(earlier: np.ndarray, later: np.ndarray, seed: int = 1) -> dict[str, float]:
    rng = np.random.default_rng(seed)
    out = {f"top{int(s * 100)}pct_overlap": top_overlap(earlier, later, s, rng) for s in SHARES}
    out["spearman"] = float(spearmanr(earlier, later).statistic)
    return out
