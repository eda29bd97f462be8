"""The one privacy policy every public output reads (site, API, saved model results).

* Locations are generalised to a square grid (default 500 m) and published only as the
  cell centre; no raw point leaves the store.
* Victim-sensitive offenses (sexual offenses, trafficking) are never mapped, nor are
  incidents flagged domestic, nor offense *codes* that mean domestic or family violence
  whatever the flag says (e.g. Chicago's aggravated domestic battery, LAPD's intimate-
  partner assault): they are counted only at city level.
* A cell or district with fewer than `min_count` incidents is not published at all (not
  listed, not even as "suppressed": a listed centre would say "1–4 incidents here").
* Nothing computed from cell counts is published per cell except the count itself and a
  coarse class (hot/cold spot): no smoothed density, z-score or q-value. Each of those is a
  fixed linear function of the neighbouring cells' counts, and with the published counts it
  can be solved back for the withheld ones (tests/test_privacy.py does exactly that to the
  private outputs, and fails to on the public ones).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from crimetrends.sources.registry import SourceSpec

SENSITIVE_OFFENSES = frozenset({"rape", "other_sex_offense", "human_trafficking"})
METERS_PER_DEGREE = 111_320.0
# crosswalk descriptions of codes that mean domestic or family violence by definition
DOMESTIC_CODE = re.compile(r"DOMESTIC|INTIMATE PARTNER|SPOUSAL|BY FAMILY MEMBER|FAM MEMBER", re.I)
# per-cell fields that are computed from neighbouring counts: never public
DERIVED_CELL_FIELDS = ("density_per_km2", "z", "q", "p_perm", "gi")


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
            "small_counts": f"cells and districts with fewer than {self.min_count} incidents "
            "are not published",
            "never_mapped": sorted(SENSITIVE_OFFENSES)
            + (["any incident flagged domestic"] if self.exclude_domestic else [])
            + ["offense codes that mean domestic or family violence"],
            "derived_statistics": "no per-cell density, z-score or q-value is published; "
            "hotspot cells carry their count and class only",
        }

    def domestic_codes(self, spec: SourceSpec) -> list[str]:
        """SQL LIKE patterns of the source codes that mean domestic violence (crosswalk)."""
        if not spec.crosswalk:
            return []
        from crimetrends.taxonomy.harmonize import load_crosswalk

        return [
            r.code.replace("*", "%")
            for r in load_crosswalk(spec.crosswalk).rows
            if DOMESTIC_CODE.search(r.description)
        ]

    def mappable(self, table: Any, spec: SourceSpec | None) -> Any:
        """An Ibis incidents table without what may never be mapped (offenses aside)."""
        t = table
        if self.exclude_domestic:
            t = t.filter(t.domestic.isnull() | ~t.domestic)
            for pattern in self.domestic_codes(spec) if spec else ():
                t = t.filter(~t.source_code.like(pattern))
        return t

    def publishable(
        self, frame: pd.DataFrame, column: str = "count", by: list[str] | None = None
    ) -> pd.DataFrame:
        """Only the rows whose count reaches min_count (the others are not listed).

        With `by` (the columns that make one table, e.g. agency × year × group × area type):
        where exactly one row of a table would be withheld, the smallest listed one is
        withheld too, so a published total minus the listed rows never gives one row's count.
        """
        ok = frame[column].notna() & (frame[column] >= self.min_count)
        if by:
            for _, table in frame.groupby(by, sort=False):
                idx = table.index
                small = ~ok.loc[idx]
                if int(small.sum()) == 1 and int((~small).sum()) > 0:
                    ok.loc[frame.loc[idx][ok.loc[idx]][column].idxmin()] = False
        return frame[ok].copy()

    def public_cells(self, cells: pd.DataFrame) -> pd.DataFrame:
        """Cells fit to publish: counts at or above min_count, no derived per-cell fields."""
        kept = self.publishable(cells)
        return kept.drop(columns=[c for c in DERIVED_CELL_FIELDS if c in kept.columns])


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
