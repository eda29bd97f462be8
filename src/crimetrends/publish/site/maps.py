"""The city map people can read: count classes, district outlines and names, Gi* spots.

Everything drawn comes from the public areas table (cell centres with counts at or above the
policy's min_count; no other cell is listed), from `districts.py` (which district each of
those cells is in, derived under the same policy), and from a saved hotspots result (its
hot and cold cells only, at the public grid size or coarser; no count, z or density).

Colour classes are quintiles of every published cell count of the group, pooled over all the
years shown, so one colour means the same counts in every year the picker offers.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np
import pandas as pd

from crimetrends.publish.privacy import METERS_PER_DEGREE, PrivacyPolicy
from crimetrends.render import charts

KM = METERS_PER_DEGREE / 1000.0
CLASS_COUNT = 5


class Projection:
    """km east and north of (lat0, lon0), equirectangular at lat0: true shape at city size."""

    def __init__(self, lat0: float, lon0: float) -> None:
        self.lat0, self.lon0 = lat0, lon0
        self.kx = KM * math.cos(math.radians(lat0))

    def x(self, lon: Any) -> Any:
        return np.round((np.asarray(lon, dtype=float) - self.lon0) * self.kx, 3)

    def y(self, lat: Any) -> Any:
        return np.round((np.asarray(lat, dtype=float) - self.lat0) * KM, 3)


def count_classes(counts: pd.Series, floor: int) -> tuple[list[int], list[str]]:
    """Quintile breaks (whole counts, increasing) and the class labels they give.

    Labels read '5 to 11', …, '57 or more'; the lowest class starts at `floor` (the policy's
    min_count: no smaller count is ever listed).
    """
    values = counts.dropna().astype(float)
    if values.empty:
        return [], []
    qs = np.quantile(values, [i / CLASS_COUNT for i in range(1, CLASS_COUNT)])
    breaks = sorted({math.ceil(q) for q in qs if math.ceil(q) > floor})
    edges = [floor, *breaks]
    labels = [f"{lo:,} to {hi - 1:,}" for lo, hi in itertools.pairwise(edges)]
    labels.append(f"{edges[-1]:,} or more")
    return breaks, labels


def classify(n: float, breaks: list[int], labels: list[str]) -> str:
    return labels[int(np.searchsorted(breaks, n, side="right"))]


def district_name(code: Any) -> str:
    text = str(code)
    return text.lstrip("0") or text


def city_maps(
    areas: pd.DataFrame,
    districts: pd.DataFrame,
    hotspots: list[dict[str, Any]],
    policy: PrivacyPolicy,
    agency: str,
) -> list[dict[str, Any]]:
    """One map per offense group of the city's main incident source (empty without cells)."""
    grid = areas[(areas["area_type"] == "grid") & areas["count"].notna()]
    if grid.empty:
        return []
    source = grid["source"].value_counts().index[0]
    grid = grid[grid["source"] == source]
    proj = Projection(float(grid["lat"].min()), float(grid["lon"].min()))
    out = []
    for group in sorted(grid["group"].unique(), key=lambda g: (not g.startswith("violent"), g)):
        cells = grid[grid["group"] == group]
        mine = districts[(districts["source"] == source) & (districts["group"] == group)]
        spots = [h for h in hotspots if _spot_matches(h, source, group, policy)]
        out.append(_one_map(cells, mine, spots, policy, proj, agency, len(out)))
    return out


def _spot_matches(result: dict[str, Any], source: str, group: str, policy: PrivacyPolicy) -> bool:
    s = result.get("summary", {})
    same_group = s.get("offense") == group or str(s.get("offense", "")).split(" ")[0] == group
    return s.get("source") == source and same_group and float(s.get("cell_m", 0)) >= policy.cell_m


def _one_map(
    cells: pd.DataFrame,
    districts: pd.DataFrame,
    spots: list[dict[str, Any]],
    policy: PrivacyPolicy,
    proj: Projection,
    agency: str,
    index: int,
) -> dict[str, Any]:
    group = cells["group"].iloc[0]
    breaks, labels = count_classes(cells["count"], policy.min_count)
    years = sorted(int(y) for y in cells["year"].unique())
    where = dict(zip(districts["area_id"], districts["district"], strict=True))
    values = [
        {
            "x": float(x),
            "y": float(y),
            "yr": int(r.year),
            "n": int(r.count),
            "cls": classify(float(r.count), breaks, labels),
            "d": district_name(where[r.area_id]) if r.area_id in where else "unknown",
        }
        for r, x, y in zip(
            cells.itertuples(), proj.x(cells["lon"]), proj.y(cells["lat"]), strict=True
        )
    ]
    layers = {
        **_district_layers(districts, cells, proj, policy.cell_m),
        "spots": _spot_layer(spots, proj),
    }
    spot_km = float(spots[0]["summary"]["cell_m"]) / 1000.0 if spots else policy.cell_m / 1000
    description = _describe(agency, group, years, labels, districts, spots, policy)
    spec = charts.area_map(
        values, layers, labels, description, years[-1], policy.cell_m / 1000.0, spot_km
    )
    caption = f"{group.capitalize()} incidents per {policy.cell_m:.0f} m cell, {agency}"
    return {
        "id": f"map-{index}",
        "spec": spec,
        "caption": caption,
        "group": group,
        "years": years,
        "has_districts": not districts.empty,
        "spots": [_spot_note(s) for s in spots],
    }


def _district_layers(
    districts: pd.DataFrame, cells: pd.DataFrame, proj: Projection, cell_m: float
) -> dict[str, list[dict[str, Any]]]:
    """Outline segments and name points in km (empty when districts are not known)."""
    from crimetrends.publish.site.districts import boundaries, name_points, recover_grid

    grid = recover_grid(cells.drop_duplicates("area_id"), cell_m)
    if districts.empty or grid is None:
        return {"outlines": [], "names": []}

    def lon(ix: float) -> float:
        return grid.lon0 + ix * grid.dlon

    def lat(iy: float) -> float:
        return grid.lat0 + iy * grid.dlat

    outlines = [
        {
            "x": float(proj.x(lon(x1))),
            "y": float(proj.y(lat(y1))),
            "x2": float(proj.x(lon(x2))),
            "y2": float(proj.y(lat(y2))),
        }
        for x1, y1, x2, y2 in boundaries(districts)
    ]
    names = [
        {
            "x": float(proj.x(lon(ix + 0.5))),
            "y": float(proj.y(lat(iy + 0.5))),
            "d": district_name(d),
        }
        for d, ix, iy in name_points(districts)
    ]
    return {"outlines": outlines, "names": names}


def _spot_layer(spots: list[dict[str, Any]], proj: Projection) -> list[dict[str, Any]]:
    """Hot and cold cells of the saved Gi* results: position and class, nothing else."""
    out = []
    names = {"hot": "hot spot (Gi*)", "cold": "cold spot (Gi*)"}
    for result in spots:
        year = int(result["summary"]["year"])
        for c in result.get("cells", []):
            if c.get("class") in names and c.get("lat") is not None:
                out.append(
                    {
                        "x": float(proj.x(c["lon"])),
                        "y": float(proj.y(c["lat"])),
                        "yr": year,
                        "spot": names[c["class"]],
                    }
                )
    return out


def _spot_note(result: dict[str, Any]) -> str:
    s = result["summary"]
    floor = s.get("privacy", {}).get("min_count", 5)
    return (
        f"Hot and cold spots for {s['year']}: Getis-Ord Gi* on {s['cell_m']:.0f} m cells, "
        f"{s['permutations']:,} permutations, false discovery rate {s['fdr_alpha']:.0%} "
        f"({s['hot_cells']:,} hot and {s['cold_cells']:,} cold cells). Outlined in red: hot; in "
        f"blue: cold (only cells with at least {floor} incidents are shown)."
    )


def _describe(
    agency: str,
    group: str,
    years: list[int],
    labels: list[str],
    districts: pd.DataFrame,
    spots: list[dict[str, Any]],
    policy: PrivacyPolicy,
) -> str:
    parts = [
        f"Map of {group} incidents in {agency} per {policy.cell_m:.0f} metre grid cell, "
        f"for the year chosen ({years[0]} to {years[-1]}).",
        f"Cells are coloured in {len(labels)} classes of counts: {', '.join(labels)}.",
        f"Cells with fewer than {policy.min_count} incidents are not shown.",
    ]
    if not districts.empty:
        parts.append(
            f"Lines mark the {districts['district'].nunique()} police districts, "
            "each named by its number."
        )
    if spots:
        parts.append(
            "Hot and cold spots of the Gi* statistic are outlined for "
            + ", ".join(str(s["summary"]["year"]) for s in spots)
            + "."
        )
    return " ".join(parts)
