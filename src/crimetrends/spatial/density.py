"""Kernel density surfaces on the grid (binned Gaussian KDE).

Binning then smoothing with a Gaussian filter (scipy.ndimage) is the standard fast
approximation of a Gaussian KDE on a lattice; the result is in incidents per km² and keeps
the total (except what the kernel spreads past the grid's edge).
"""

from __future__ import annotations

import numpy as np
from scipy.ndimage import gaussian_filter


def smooth(counts: np.ndarray, bandwidth_m: float, cell_m: float) -> np.ndarray:
    """Counts spread by a Gaussian kernel of sd `bandwidth_m` (same units: incidents per cell)."""
    return gaussian_filter(
        np.asarray(counts, dtype=float), sigma=bandwidth_m / cell_m, mode="constant", truncate=4
    )


def density_per_km2(counts: np.ndarray, bandwidth_m: float, cell_m: float) -> np.ndarray:
    return smooth(counts, bandwidth_m, cell_m) / (cell_m / 1000.0) ** 2
