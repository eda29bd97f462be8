"""Getis-Ord Gi* hotspots with permutation inference and false-discovery-rate control.

Gi* and its conditional-permutation p-values come from esda (PySAL); we add the two-sided
p-value, Benjamini–Hochberg q-values (statsmodels) and the hot/cold classification. Cells are
neighbours when they touch (queen contiguity on the lattice, self included: the 'star').
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from esda.getisord import G_Local
from libpysal.weights import DistanceBand
from statsmodels.stats.multitest import multipletests

PERMUTATIONS = 999


def lattice_weights(xy: np.ndarray, cell_m: float) -> DistanceBand:
    """Binary queen-contiguity weights for cell centres (diagonal neighbours at √2 cells)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # islands (cells with no neighbour) are allowed
        return DistanceBand(xy, threshold=cell_m * 1.5, binary=True, silence_warnings=True)


def bh_qvalues(p: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (q-values)."""
    p = np.asarray(p, dtype=float)
    return multipletests(p, method="fdr_bh")[1]


def gi_star(
    counts: np.ndarray,
    xy: np.ndarray,
    cell_m: float,
    permutations: int = PERMUTATIONS,
    seed: int = 1,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Gi* per cell: z, permutation p (two-sided), BH q, and 'hot'/'cold'/'' at FDR alpha."""
    y = np.asarray(counts, dtype=float)
    w = lattice_weights(xy, cell_m)
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore")
        g = G_Local(y, w, transform="B", permutations=permutations, star=True, seed=seed, n_jobs=1)
    # esda's p_sim is one-sided towards the observed side: double it for a two-sided test.
    p_two = np.minimum(1.0, 2.0 * np.asarray(g.p_sim, dtype=float))
    q = bh_qvalues(p_two)
    z = np.asarray(g.Zs, dtype=float)
    label = np.where(q <= alpha, np.where(z > 0, "hot", "cold"), "")
    return pd.DataFrame({"count": y, "z": z, "p_perm": p_two, "q": q, "class": label})
