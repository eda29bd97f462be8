"""Privacy safeguards applied to every public output.

* Locations are generalised to a square grid (default 500 m) and published only as the
  cell centre; no raw point leaves the store.
* Victim-sensitive offenses (sexual offenses, trafficking) and domestic incidents are never
  mapped; they are counted only at city level.
* Small-area counts below `min_count` are suppressed (published as null, flagged).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

SENSITIVE_OFFENSES = frozenset({"rape", "other_sex_offense", "human_trafficking"})
METERS_PER_DEGREE = 111_320.0


@dataclass(frozen=True)
class PrivacyPolicy:
    min_count: int = 5
    cell_m: float = 500.0
    exclude_domestic: bool = True

    @classmethod
    def from_settings(cls, min_count: int | None = None, cell_m: float | None = None):
        """The policy from the settings, with any value the caller gives instead."""
        from crimetrends.settings import privacy_defaults

        default_count, default_cell = privacy_defaults()
        return cls(
            min_count=default_count if min_count is None else min_count,
            cell_m=default_cell if cell_m is None else cell_m,
        )

    def describe(self) -> dict[str, object]:
        return {
            "grid_cell_m": self.cell_m,
            "min_count": self.min_count,
            "never_mapped": sorted(SENSITIVE_OFFENSES)
            + (["any incident flagged domestic"] if self.exclude_domestic else []),
        }


@dataclass(frozen=True)
class Grid:
    """A square grid anchored at (lat0, lon0); cells are cell_m on a side."""

    lat0: float
    lon0: float
    cell_m: float

    @property
    def dlat(self) -> float:
        return self.cell_m / METERS_PER_DEGREE

    @property
    def dlon(self) -> float:
        return self.cell_m / (METERS_PER_DEGREE * math.cos(math.radians(self.lat0)))

    def centre(self, ix: int, iy: int) -> tuple[float, float]:
        return (
            round(self.lat0 + (iy + 0.5) * self.dlat, 6),
            round(self.lon0 + (ix + 0.5) * self.dlon, 6),
        )

    def is_centre(self, lat: float, lon: float) -> bool:
        """True when (lat, lon) is exactly a published cell centre of this grid."""
        iy = round((lat - self.lat0) / self.dlat - 0.5)
        ix = round((lon - self.lon0) / self.dlon - 0.5)
        return self.centre(ix, iy) == (round(lat, 6), round(lon, 6))


def suppress(frame: pd.DataFrame, min_count: int, column: str = "count") -> pd.DataFrame:
    """Null out small counts and say so."""
    small = frame[column].notna() & (frame[column] < min_count)
    out = frame.copy()
    out["suppressed"] = small
    out[column] = out[column].astype("Float64").mask(small)
    return out
