"""Which police district each published grid cell lies in: the map's outlines and names.

The public areas table counts incidents per district and per grid cell, but does not say
which district a cell is in. It is derived here from the store under the same privacy
policy that built the cells: the same incidents (`policy.mappable`: no incident flagged
domestic, no domestic-violence code), the same offense groups (never sexual offenses), the
same grid (recovered from the published centres and checked against every one of them),
and only for the cells the table publishes. The outlines therefore run only between
published cells, and show nothing the cells themselves do not. A cell's district is the one
most of its incidents were recorded in (ties: the lowest district code).
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from crimetrends.publish.privacy import METERS_PER_DEGREE, Grid, PrivacyPolicy


def recover_grid(cells: pd.DataFrame, cell_m: float) -> Grid | None:
    """The grid the cells were counted on, or None when any centre does not fit it.

    `publish.tables.build_areas` anchors each grid on a multiple of 0.01° (south-west of the
    city), so one cell's centre and index give the anchor; every other centre must agree.
    """
    if cells.empty:
        return None
    first = cells.iloc[0]
    ix, iy = (int(v) for v in str(first["area_id"]).split("_"))
    lat0 = round(float(first["lat"]) - (iy + 0.5) * cell_m / METERS_PER_DEGREE, 2)
    dlon = cell_m / (METERS_PER_DEGREE * math.cos(math.radians(lat0)))
    lon0 = round(float(first["lon"]) - (ix + 0.5) * dlon, 2)
    grid = Grid(lat0, lon0, cell_m)
    for area_id, lat, lon in zip(cells["area_id"], cells["lat"], cells["lon"], strict=True):
        x, y = (int(v) for v in str(area_id).split("_"))
        if grid.centre(x, y) != (round(float(lat), 6), round(float(lon), 6)):
            return None
    return grid


def _mappable(policy: PrivacyPolicy, table: Any, spec: Any) -> Any:
    """The policy's own filter; the domestic-flag filter for a policy without one."""
    if hasattr(policy, "mappable"):
        return policy.mappable(table, spec)
    if policy.exclude_domestic:
        return table.filter(table.domestic.isnull() | ~table.domestic)
    return table


def cell_districts(con: Any, grid_cells: pd.DataFrame, policy: PrivacyPolicy) -> pd.DataFrame:
    """area_id → district for the published grid cells of one source and offense group.

    grid_cells: rows of the public areas table (area_type grid) for one source and group,
    any years. Returns columns source, group, area_id, ix, iy, district; empty when the
    source records no districts or the grid cannot be recovered.
    """
    from crimetrends.publish.tables import MAPPED_GROUPS
    from crimetrends.sources.registry import all_sources

    empty = pd.DataFrame(columns=["source", "group", "area_id", "ix", "iy", "district"])
    if grid_cells.empty:
        return empty
    source, group = grid_cells["source"].iloc[0], grid_cells["group"].iloc[0]
    grid = recover_grid(grid_cells.drop_duplicates("area_id"), policy.cell_m)
    members = MAPPED_GROUPS.get(group)
    if grid is None or not members:
        return empty
    t = con.table("incidents")
    t = _mappable(policy, t.filter(t.source == source), all_sources().get(source))
    years = sorted(int(y) for y in grid_cells["year"].unique())
    t = t.filter(
        t.offense.isin(list(members))
        & t.latitude.notnull()
        & t.longitude.notnull()
        & t.district.notnull()
        & t.occurred_at.year().isin(years)
    )
    iy = ((t.latitude - grid.lat0) / grid.dlat).floor().cast("int64")
    ix = ((t.longitude - grid.lon0) / grid.dlon).floor().cast("int64")
    t = t.mutate(ix=ix, iy=iy)
    counts = t.group_by(["ix", "iy", "district"]).aggregate(n=t.count()).to_pandas()
    if counts.empty:
        return empty
    counts = counts.sort_values(["ix", "iy", "n", "district"], ascending=[True, True, False, True])
    best = counts.drop_duplicates(["ix", "iy"])
    best = best.assign(area_id=best["ix"].astype(str) + "_" + best["iy"].astype(str))
    published = set(grid_cells["area_id"])
    best = best[best["area_id"].isin(published)]
    return best.assign(source=source, group=group)[list(empty.columns)].reset_index(drop=True)


def boundaries(cells: pd.DataFrame) -> list[tuple[float, float, float, float]]:
    """Edges between neighbouring cells of different districts, in grid units, merged.

    cells: ix, iy, district. An edge is (x, y, x2, y2) with cell (ix, iy) spanning
    [ix, ix + 1] × [iy, iy + 1]; collinear touching edges are joined into one line.
    """
    where = {
        (int(a), int(b)): d
        for a, b, d in zip(cells["ix"], cells["iy"], cells["district"], strict=True)
    }
    vertical: dict[int, list[int]] = {}
    horizontal: dict[int, list[int]] = {}
    for (x, y), d in where.items():
        right, above = where.get((x + 1, y)), where.get((x, y + 1))
        if right is not None and right != d:
            vertical.setdefault(x + 1, []).append(y)
        if above is not None and above != d:
            horizontal.setdefault(y + 1, []).append(x)
    out = []
    for x, ys in vertical.items():
        out += [(x, a, x, b) for a, b in _runs(ys)]
    for y, xs in horizontal.items():
        out += [(a, y, b, y) for a, b in _runs(xs)]
    return out


def _runs(starts: list[int]) -> list[tuple[int, int]]:
    """Unit intervals [s, s + 1] joined where they touch: [1, 2, 3, 7] → (1, 4), (7, 8)."""
    runs: list[tuple[int, int]] = []
    for s in sorted(set(starts)):
        if runs and runs[-1][1] == s:
            runs[-1] = (runs[-1][0], s + 1)
        else:
            runs.append((s, s + 1))
    return runs


def name_points(cells: pd.DataFrame) -> list[tuple[str, int, int]]:
    """One label per district: at its cell nearest the mean of its cells."""
    out = []
    for district, g in cells.groupby("district"):
        mx, my = g["ix"].mean(), g["iy"].mean()
        best = ((g["ix"] - mx) ** 2 + (g["iy"] - my) ** 2).idxmin()
        out.append((str(district), int(g.loc[best, "ix"]), int(g.loc[best, "iy"])))
    return out
