"""Everything the site renders, read once and grouped by city.

The public tables (`publish.public.public_tables`, privacy applied) are the source of every
figure. Two things they do not carry are derived here, each under the rules that bind the
public tables: the series of every offense and the annual tables (`series.py`; city-level
counts), and the district of each published grid cell (`districts.py`; the privacy policy's
own filters). Saved model results are read from the results folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from crimetrends.publish.privacy import PrivacyPolicy


@dataclass
class SiteData:
    tables: dict[str, pd.DataFrame]
    prov: dict[str, Any]
    policy: PrivacyPolicy
    series: pd.DataFrame
    districts: pd.DataFrame
    results: dict[str, dict[str, Any]]
    trends_by_slug: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    samples: dict[tuple, list[dict[str, Any]]] = field(default_factory=dict)
    by_slug: dict[str, dict[str, pd.DataFrame]] = field(default_factory=dict)
    trend_rows: list[dict[str, Any]] = field(default_factory=list)
    folder: Path | None = None  # the public tables' cache folder (its files are copied)

    def city(self, table: str, slug: str) -> pd.DataFrame:
        """One city's rows of a table (grouped once for the tables every page reads)."""
        full = self.series if table == "series" else self.tables[table]
        if table not in self.by_slug:
            return full[full["slug"] == slug] if len(full) else full
        frame = self.by_slug[table].get(slug)
        return frame if frame is not None else full.iloc[0:0]

    @property
    def hotspots(self) -> list[dict[str, Any]]:
        return [body for name, body in self.results.items() if name.startswith("hotspots-")]


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts of plain Python values, None for every missing one (through Arrow:
    a third of the time of pandas' object conversion on the trends table)."""
    import pyarrow as pa

    return pa.Table.from_pandas(frame, preserve_index=False).to_pylist()


def load(policy: PrivacyPolicy) -> SiteData:
    """The public tables, the series and districts derived beside them (cached with them:
    both are rebuilt only when the store, the code or the policy changes), saved results."""
    from crimetrends.publish.public import cached_frame, public_folder, public_tables
    from crimetrends.publish.site.series import build_series
    from crimetrends.store.catalog import sample_sources
    from crimetrends.store.connect import connect

    con = connect(batch=True)  # one handle: the series the tables read serve the charts too
    tables, prov = public_tables(policy=policy, con=con, series=True)
    folder = public_folder(policy=policy)
    series = cached_frame(
        folder, "site-series", lambda: build_series(con, tables["monthly"], sample_sources())
    )
    districts = cached_frame(folder, "site-districts", lambda: _districts(con, tables, policy))
    data = SiteData(tables, prov, policy, series, districts, _results())
    data.folder = folder
    rows = records(tables["trends"])
    for i, r in enumerate(rows):
        r["_i"] = i  # the row's place in the trends table (the page's CSV takes it from there)
        if r.get("sample"):
            data.samples.setdefault((r["agency"], r["offense"], r["start"], r["end"]), []).append(r)
        else:
            data.trends_by_slug.setdefault(r["slug"], []).append(r)
    data.trend_rows = rows
    for name in ("areas", "arrests"):  # read by every page (the rest: see prepare.py)
        data.by_slug[name] = {k: g for k, g in tables[name].groupby("slug", sort=False)}
    return data


def _districts(con: Any, tables: dict[str, pd.DataFrame], policy: PrivacyPolicy) -> pd.DataFrame:
    from crimetrends.publish.site.districts import cell_districts

    areas = tables["areas"]
    grid = areas[(areas["area_type"] == "grid") & areas["count"].notna()] if len(areas) else areas
    frames = [cell_districts(con, g, policy) for _, g in grid.groupby(["source", "group"])]
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=["source", "group", "area_id", "ix", "iy", "district"])
    return pd.concat(frames, ignore_index=True)


def _results() -> dict[str, dict[str, Any]]:
    from crimetrends.store import results

    out = {}
    for name in results.names():
        body = results.load(name)
        if body:
            out[name] = body
    return out
