"""Work done once over whole tables, so that each of the ~800 city pages is a lookup.

Filtering a full table per city, then formatting it row by row, cost most of a site build
(issue 21). Here every charted series row gets its chart point (compact JSON, one C-level
encoding of the whole table), every unusable series its reason, every city its population
note, flagged months and district rows; the download tables become Arrow tables once, and a
page's CSV is a `take` of its rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from crimetrends.publish.site import words
from crimetrends.publish.site.data import SiteData, records
from crimetrends.render import numbers as fmt

# keys of a chart point with no value: left out of the page (Vega reads absent as null)
_EMPTY_KEY = re.compile(r',"(?:lo|hi|r|rlo|rhi|p|f|c)":(?:null|"")')


@dataclass
class Prepared:
    series: pd.DataFrame
    col: dict[str, np.ndarray]  # the columns the pages read, as NumPy arrays
    rows_of: dict[str, np.ndarray]  # slug -> positions in `series`
    usable: np.ndarray  # the row's series has at least one count
    points: np.ndarray  # each row as a chart point (JSON text)
    reasons: dict[tuple[str, str], list[dict[str, Any]]]  # (slug, grain) -> unusable series
    populations: dict[str, str]
    rate_ok: dict[str, bool]
    quality: dict[str, list[dict[str, Any]]]
    district_rows: dict[str, list[dict[str, Any]]]
    arrow: dict[str, Any]  # download tables as Arrow: trends, series, areas
    areas_of: dict[str, np.ndarray]

    def rows(self, slug: str) -> np.ndarray:
        return self.rows_of.get(slug, np.zeros(0, dtype=np.int64))


def prepare(data: SiteData) -> Prepared:
    import pyarrow as pa

    s = data.series.reset_index(drop=True)
    usable = s.groupby(["slug", "source", "offense", "grain"])["count"].transform("count") > 0
    areas = _areas_with_districts(data)
    trends = data.tables["trends"].drop(columns=["slug"], errors="ignore")
    return Prepared(
        series=s,
        col={
            **{k: s[k].to_numpy(dtype=object) for k in ("grain", "offense", "source", "period")},
            **{k: s[k].to_numpy(dtype=float) for k in ("count", "ci_low", "ci_high")},
            "quality_flags": s["quality_flags"].fillna("").to_numpy(dtype=object),
        },
        rows_of={k: np.asarray(v) for k, v in s.groupby("slug", sort=False).indices.items()},
        usable=usable.to_numpy(),
        points=_points(s, usable.to_numpy()),
        reasons=_reasons(s[~usable]),
        populations=_population_notes(s),
        rate_ok=s.groupby("slug")["population"].agg(lambda p: bool(p.notna().any())).to_dict(),
        quality=_quality(data.tables["monthly"]),
        district_rows=_district_rows(data.tables["areas"]),
        arrow={  # one chunk each: `take` across many chunks costs milliseconds a call
            "trends": pa.Table.from_pandas(trends, preserve_index=False).combine_chunks(),
            "series": pa.Table.from_pandas(s, preserve_index=False).combine_chunks(),
            "areas": pa.Table.from_pandas(
                areas.drop(columns=["_slug"]), preserve_index=False
            ).combine_chunks(),
        },
        areas_of={k: np.asarray(v) for k, v in areas.groupby("_slug", sort=False).indices.items()},
    )


def _points(all_rows: pd.DataFrame, usable: np.ndarray) -> np.ndarray:
    """Chart points with short keys (see `charts.series_chart`), encoded once; only the
    rows of series that are charted (the others are '')."""
    s = all_rows[usable]
    frame = pd.DataFrame(
        {
            "s": s["source"],
            "o": s["offense"],
            "t": s["period"],
            "c": s["count"],
            "lo": s["ci_low"].round(1),
            "hi": s["ci_high"].round(1),
            "r": s["rolling12"],
            "rlo": s["rolling12_low"].round(1),
            "rhi": s["rolling12_high"].round(1),
            "p": s["population"],  # whole people: no multiplier with long decimals
            "pv": s["provisional"].astype(bool),
            "f": s["quality_flags"].fillna(""),
        }
    )
    text = _EMPTY_KEY.sub("", frame.to_json(orient="records", lines=True, double_precision=8))
    out = np.full(len(all_rows), "", dtype=object)
    out[usable] = text.splitlines()
    return out


def table_rows(prep: Prepared, rows: np.ndarray) -> list[dict[str, str]]:
    """The data-table cells of series rows: source, period, count, 95% band, flags."""
    c = prep.col
    out = []
    for i in rows:
        n, lo, hi = c["count"][i], c["ci_low"][i], c["ci_high"][i]
        period = c["period"][i]
        out.append(
            {
                "source": words.source_name(c["source"][i]),
                "period": period[:7] if c["grain"][i] == "month" else period[:4],
                "count": "—" if n != n else f"{int(n):,}",
                "band": "—" if lo != lo else f"{lo:,.0f}–{hi:,.0f}",
                "flags": c["quality_flags"][i],
            }
        )
    return out


def _reasons(bad: pd.DataFrame) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Why each series with no count at all cannot be charted, from its own notes."""
    out: dict[tuple[str, str], list[dict[str, Any]]] = {}
    if bad.empty:
        return out
    keys = ["slug", "grain", "source", "offense"]
    for (slug, grain, source, offense), g in bad.groupby(keys, sort=True):
        first, last = g["period"].min(), g["period"].max()
        if grain == "month":
            span = f"{words.month_label(first)} to {words.month_label(last)}"
        else:
            span = f"{first[:4]} to {last[:4]}"
        notes = sorted({n for n in g["note"].fillna("") if n})
        why = f" ({'; '.join(n.replace('_', ' ') for n in notes)})" if notes else ""
        unit = "month" if grain == "month" else "year"
        text = (
            f"{words.source_name(source)}: {words.offense_name(offense).lower()} is incomplete "
            f"in every {unit} from {span}{why}, so it cannot be charted."
        )
        out.setdefault((slug, grain), []).append({"offense": offense, "grain": grain, "text": text})
    return out


def _population_notes(s: pd.DataFrame) -> dict[str, str]:
    """What the rates divide by: 'each year's own population (ucr_annual) for 1975–2015;
    2,728,695 (2015, ucr_annual) for 2016–2018; …' (runs of years with one population)."""
    have = s.dropna(subset=["population"])
    if have.empty:
        return {}
    have = have.assign(year=have["period"].str[:4].astype(int))
    have = have.drop_duplicates(["slug", "year", "population_source"])
    own = have["year"] == have["population_year"].astype(int)
    parts: dict[str, list[tuple[int, str]]] = {}
    for (slug, src), g in have[own].groupby(["slug", "population_source"]):
        lo, hi = g["year"].min(), g["year"].max()
        parts.setdefault(slug, []).append((lo, f"each year's own population ({src}) for {lo}–{hi}"))
    keys = ["slug", "population", "population_year", "population_source"]
    for (slug, pop, year, src), g in have[~own].groupby(keys):
        lo, hi = g["year"].min(), g["year"].max()
        span = f"{lo}–{hi}" if lo != hi else f"{lo}"
        parts.setdefault(slug, []).append((lo, f"{int(pop):,} ({int(year)}, {src}) for {span}"))
    return {slug: "; ".join(text for _, text in sorted(p)) for slug, p in parts.items()}


def _quality(monthly: pd.DataFrame) -> dict[str, list[dict[str, Any]]]:
    if monthly.empty:
        return {}
    q = monthly[monthly["quality_flags"].fillna("") != ""]
    q = q.sort_values(["slug", "source", "offense", "month"], kind="stable")
    out: dict[str, list[dict[str, Any]]] = {}
    for r in records(q[["slug", "source", "offense", "month", "quality_flags"]]):
        out.setdefault(r["slug"], []).append(r)
    return out


def _district_rows(areas: pd.DataFrame) -> dict[str, list[dict[str, Any]]]:
    from crimetrends.publish.site.maps import district_name

    d = areas[areas["area_type"] == "district"] if len(areas) else areas
    out: dict[str, list[dict[str, Any]]] = {}
    if d.empty:
        return out
    d = d.sort_values(["slug", "year", "group", "area_id"], ascending=[True, False, True, True])
    for slug, area, group, year, count in zip(
        d["slug"], d["area_id"], d["group"], d["year"], d["count"], strict=True
    ):
        out.setdefault(slug, []).append(
            {
                "district": district_name(area),
                "group": group,
                "year": int(year),
                "count": fmt.count(words.number(count)),
            }
        )
    return out


def _areas_with_districts(data: SiteData) -> pd.DataFrame:
    """The areas table with each grid cell's police district (the page's areas.csv)."""
    areas = data.tables["areas"]
    keys = ["source", "group", "area_id"]
    d = data.districts[[*keys, "district"]] if len(data.districts) else None
    merged = areas.merge(d, how="left", on=keys) if d is not None else areas.assign(district=None)
    return merged.assign(_slug=merged["slug"])
