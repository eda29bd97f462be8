"""A square grid in projected metres (UTM), and located incidents binned onto it.

Distances must be metres, not degrees, so points are projected with pyproj to the UTM zone of
the city's extent. The study area is every cell that ever held a located record of the source
(any offense, any year): a footprint of the city drawn from its own records.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
from pyproj import Transformer

from crimetrends.errors import ConfigError, NoDataError
from crimetrends.publish.privacy import SENSITIVE_OFFENSES
from crimetrends.sources.registry import all_sources
from crimetrends.taxonomy.offenses import resolve_offense


def utm_epsg(lon: float, lat: float) -> int:
    zone = int((lon + 180) // 6) + 1
    return (32600 if lat >= 0 else 32700) + zone


@dataclass(frozen=True)
class ProjectedGrid:
    """Cells of `cell_m` metres, origin (x0, y0) in EPSG `epsg`, ny rows × nx columns."""

    epsg: int
    x0: float
    y0: float
    cell_m: float
    nx: int
    ny: int

    @classmethod
    def for_extent(cls, extent: tuple[float, float, float, float], cell_m: float) -> ProjectedGrid:
        west, south, east, north = extent
        epsg = utm_epsg((west + east) / 2, (south + north) / 2)
        fwd = Transformer.from_crs(4326, epsg, always_xy=True)
        xs, ys = fwd.transform([west, east, west, east], [south, south, north, north])
        x0 = math.floor(min(xs) / cell_m) * cell_m
        y0 = math.floor(min(ys) / cell_m) * cell_m
        nx = math.ceil((max(xs) - x0) / cell_m)
        ny = math.ceil((max(ys) - y0) / cell_m)
        return cls(epsg, x0, y0, cell_m, nx, ny)

    @cached_property
    def _forward(self) -> Transformer:
        return Transformer.from_crs(4326, self.epsg, always_xy=True)

    @cached_property
    def _inverse(self) -> Transformer:
        return Transformer.from_crs(self.epsg, 4326, always_xy=True)

    def cells(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(iy, ix) per point; −1 where the point falls outside the grid."""
        x, y = self._forward.transform(np.asarray(lon), np.asarray(lat))
        ix = np.floor((np.asarray(x) - self.x0) / self.cell_m).astype(np.int64)
        iy = np.floor((np.asarray(y) - self.y0) / self.cell_m).astype(np.int64)
        out = (ix < 0) | (ix >= self.nx) | (iy < 0) | (iy >= self.ny)
        ix[out], iy[out] = -1, -1
        return iy, ix

    def centres_xy(self, iy: np.ndarray, ix: np.ndarray) -> np.ndarray:
        return np.column_stack(
            [self.x0 + (ix + 0.5) * self.cell_m, self.y0 + (iy + 0.5) * self.cell_m]
        )

    def centres_lonlat(self, iy: np.ndarray, ix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        xy = self.centres_xy(iy, ix)
        lon, lat = self._inverse.transform(xy[:, 0], xy[:, 1])
        return np.round(np.asarray(lon), 6), np.round(np.asarray(lat), 6)


@dataclass(frozen=True)
class Located:
    """Located incidents on a grid, with an account of the records that could not be placed."""

    grid: ProjectedGrid
    frame: pd.DataFrame  # occurred_at, offense, iy, ix
    no_coordinates: int
    outside_extent: int

    def accounting(self) -> dict[str, int]:
        return {
            "located": len(self.frame),
            "no_coordinates": self.no_coordinates,
            "outside_city_extent": self.outside_extent,
        }


def mappable(offense: str) -> tuple[str, tuple[str, ...]]:
    """(label, members) for a map: victim-sensitive offenses are dropped from groups, and
    refused when asked for on their own."""
    name, members = resolve_offense(offense)
    kept = tuple(m for m in members if m not in SENSITIVE_OFFENSES)
    if not kept:
        raise ConfigError(
            f"{name} is never mapped (victim privacy)",
            hint="choose violent, property or a non-sensitive offense",
        )
    dropped = sorted(set(members) - set(kept))
    label = f"{name} (excl. {', '.join(dropped)})" if dropped else name
    return label, kept


def locate(
    con: Any,
    source: str,
    members: tuple[str, ...] | None,
    cell_m: float,
    exclude_domestic: bool = True,
) -> Located:
    """Located incidents of `members` (None = every offense) binned to a grid of the city."""
    spec = all_sources().get(source)
    if spec is None or spec.kind != "incidents":
        raise ConfigError(f"{source!r} is not a registered incident source")
    if spec.extent is None:
        raise ConfigError(f"{source!r} has no extent in its registry entry; add one to map it")
    grid = ProjectedGrid.for_extent(spec.extent, cell_m)
    t = con.table("incidents")
    t = t.filter(t.source == source)
    if members is not None:
        t = t.filter(t.offense.isin(list(members)))
    if exclude_domestic:
        t = t.filter(t.domestic.isnull() | ~t.domestic)
    frame = t.select("occurred_at", "offense", "latitude", "longitude").to_pandas()
    if frame.empty:
        raise NoDataError(f"no {source} incidents in the store for these offenses")
    has = frame["latitude"].notna() & frame["longitude"].notna()
    west, south, east, north = spec.extent
    inside = has & frame["longitude"].between(west, east) & frame["latitude"].between(south, north)
    kept = frame[inside]
    iy, ix = grid.cells(kept["longitude"].to_numpy(), kept["latitude"].to_numpy())
    kept = pd.DataFrame(
        {
            "occurred_at": pd.to_datetime(kept["occurred_at"]).to_numpy(),
            "offense": kept["offense"].to_numpy(),
            "iy": iy,
            "ix": ix,
        }
    )
    return Located(grid, kept, int((~has).sum()), int((has & ~inside).sum()))


def study_mask(con: Any, source: str, grid: ProjectedGrid) -> np.ndarray:
    """ny × nx booleans: cells holding at least one located record of any offense, any year."""
    located = locate(con, source, None, grid.cell_m, exclude_domestic=False)
    mask = np.zeros((grid.ny, grid.nx), dtype=bool)
    mask[located.frame["iy"].to_numpy(), located.frame["ix"].to_numpy()] = True
    return mask


def count_array(frame: pd.DataFrame, grid: ProjectedGrid) -> np.ndarray:
    """ny × nx counts of the rows in `frame`."""
    out = np.zeros((grid.ny, grid.nx))
    np.add.at(out, (frame["iy"].to_numpy(), frame["ix"].to_numpy()), 1.0)
    return out
