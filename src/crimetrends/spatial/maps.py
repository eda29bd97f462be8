"""One year's hotspot map of a city: Gi* classes, density and concentration per grid cell."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from crimetrends.errors import NoDataError
from crimetrends.spatial import concentration
from crimetrends.spatial.density import density_per_km2
from crimetrends.spatial.grid import count_array, locate, mappable, study_mask
from crimetrends.spatial.hotspots import PERMUTATIONS, gi_star


@dataclass(frozen=True)
class HotspotMap:
    cells: pd.DataFrame  # one row per study-area cell
    summary: dict[str, Any]


# long: counts, Gi*, concentration and stability, then the summary record, top to bottom
def hotspot_map(
    con: Any,
    source: str,
    offense: str,
    year: int | None = None,
    cell_m: float = 250.0,
    permutations: int = PERMUTATIONS,
    seed: int = 1,
    alpha: float = 0.05,
    bandwidth_m: float = 250.0,
) -> HotspotMap:
    label, members = mappable(offense)
    located = locate(con, source, members, cell_m)
    grid = located.grid
    frame = located.frame
    years = frame["occurred_at"].dt.year
    year = int(year or years.max())
    this = frame[years == year]
    if this.empty:
        raise NoDataError(f"no located {label} incidents of {source} in {year}")
    mask = study_mask(con, source, grid)
    counts = count_array(this, grid)
    iy, ix = np.nonzero(mask)
    xy = grid.centres_xy(iy, ix)
    gi = gi_star(counts[mask], xy, cell_m, permutations, seed, alpha)
    lon, lat = grid.centres_lonlat(iy, ix)
    cells = pd.DataFrame({"cell": [f"{a}_{b}" for a, b in zip(ix, iy, strict=True)]})
    cells["lon"], cells["lat"] = lon, lat
    cells["x_km"] = (xy[:, 0] - grid.x0) / 1000.0  # cell centre, km east of the grid origin
    cells["y_km"] = (xy[:, 1] - grid.y0) / 1000.0
    cells = pd.concat([cells, gi], axis=1)
    cells["density_per_km2"] = density_per_km2(counts, bandwidth_m, cell_m)[mask]
    shares = {
        f"share_in_top{int(s * 100)}pct_cells": concentration.share_in_top(counts[mask], s)
        for s in concentration.SHARES
    }
    previous = frame[years == year - 1]
    stable = (
        concentration.stability(count_array(previous, grid)[mask], counts[mask], seed)
        if not previous.empty
        else None
    )
    summary = {
        "source": source,
        "offense": label,
        "year": year,
        "cell_m": cell_m,
        "crs": f"EPSG:{grid.epsg}",
        "study_cells": int(mask.sum()),
        "incidents": int(counts[mask].sum()),
        "permutations": permutations,
        "seed": seed,
        "fdr_alpha": alpha,
        "hot_cells": int((gi["class"] == "hot").sum()),
        "cold_cells": int((gi["class"] == "cold").sum()),
        "hot_cells_before_fdr": int(((gi["p_perm"] <= alpha) & (gi["z"] > 0)).sum()),
        "share_of_incidents_in_hot_cells": float(gi.loc[gi["class"] == "hot", "count"].sum())
        / max(1.0, float(counts[mask].sum())),
        **shares,
        "stability_vs_previous_year": stable,
        **located.accounting(),
    }
    return HotspotMap(cells.sort_values("z", ascending=False, ignore_index=True), summary)


def save_public(result: HotspotMap, policy: Any = None) -> Any:
    """Save the public part of a hotspot result where the site and API read it.

    Only cells at the policy's grid size or coarser are published, each with its count and
    class (no density, z or q: those are linear in the neighbours' counts and could be
    solved back for the withheld ones), and only cells with at least min_count incidents.
    Returns the saved path, or None when the cells are finer than the public grid.
    """
    from crimetrends.publish.privacy import PrivacyPolicy
    from crimetrends.render.caveats import MODEL_CAVEATS
    from crimetrends.render.records import frame_records
    from crimetrends.store import results

    policy = policy or PrivacyPolicy.from_settings()
    s = result.summary
    if s["cell_m"] < policy.cell_m:
        return None
    cells = policy.public_cells(result.cells.drop(columns=["x_km", "y_km"]))
    summary = {
        **s,
        "public_cells": len(cells),
        "cells_withheld": int(len(result.cells) - len(cells)),
        "privacy": policy.describe(),
    }
    name = f"hotspots-{s['source']}-{s['offense'].split(' ')[0]}-{s['year']}"
    return results.save(
        name, {"summary": summary, "cells": frame_records(cells), "caveats": list(MODEL_CAVEATS)}
    )
