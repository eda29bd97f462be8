"""Which areas border which: drawn from the records themselves (no boundary files needed).

Each 250 m grid cell takes the area (district, beat, …) most of its located records carry;
two areas border each other when two touching cells (queen contiguity) belong to them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from crimetrends.errors import ConfigError
from crimetrends.sources.registry import all_sources
from crimetrends.spatial.grid import ProjectedGrid

CELL_M = 250.0


def area_cells(con: Any, source: str, area_type: str) -> tuple[ProjectedGrid, np.ndarray]:
    """ny × nx array of area ids ('' where no records)."""
    spec = all_sources().get(source)
    if spec is None or spec.extent is None:
        raise ConfigError(f"{source!r} has no extent in its registry entry")
    grid = ProjectedGrid.for_extent(spec.extent, CELL_M)
    t = con.table("incidents")
    t = t.filter((t.source == source) & t.latitude.notnull() & t[area_type].notnull())
    frame = t.select(area=t[area_type], lat=t.latitude, lon=t.longitude).to_pandas()
    iy, ix = grid.cells(frame["lon"].to_numpy(), frame["lat"].to_numpy())
    frame = frame.assign(iy=iy, ix=ix)
    frame = frame[frame["ix"] >= 0]
    top = (
        frame.groupby(["iy", "ix", "area"])
        .size()
        .rename("n")
        .reset_index()
        .sort_values(["iy", "ix", "n", "area"], ascending=[True, True, False, True])
        .drop_duplicates(["iy", "ix"])
    )
    cells = np.full((grid.ny, grid.nx), "", dtype=object)
    cells[top["iy"].to_numpy(), top["ix"].to_numpy()] = top["area"].astype(str).to_numpy()
    return grid, cells


def bordering(cells: np.ndarray, areas: tuple[str, ...]) -> tuple[str, ...]:
    """Areas that touch any of `areas` (excluding them), in natural order."""
    inside = np.isin(cells, list(areas))
    found: set[str] = set()
    ny, nx = cells.shape
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            if dy == dx == 0:
                continue
            shifted = np.full_like(cells, "")
            ys = slice(max(dy, 0), ny + min(dy, 0))
            yd = slice(max(-dy, 0), ny + min(-dy, 0))
            xs = slice(max(dx, 0), nx + min(dx, 0))
            xd = slice(max(-dx, 0), nx + min(-dx, 0))
            shifted[yd, xd] = cells[ys, xs]
            found |= set(pd.unique(shifted[inside]))
    found -= {"", *areas}
    return tuple(sorted(found, key=lambda a: (len(a), a)))
