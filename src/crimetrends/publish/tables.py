"""The public tables (shared by the static site and the API), privacy applied."""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path
from typing import Any

import ibis
import pandas as pd

from crimetrends.analysis.aggregate import all_series
from crimetrends.analysis.coverage import coverage
from crimetrends.analysis.rates import PopulationTable
from crimetrends.analysis.report import TrendQuery
from crimetrends.analysis.trends import provisional_months, trend_rows
from crimetrends.analysis.uncertainty import METHOD, clopper_pearson, poisson_intervals
from crimetrends.errors import MissingPopulationError, NoDataError
from crimetrends.publish.privacy import SENSITIVE_OFFENSES, Grid, PrivacyPolicy
from crimetrends.sources.registry import all_sources
from crimetrends.store.catalog import provenance, sample_sources
from crimetrends.store.status import source_status
from crimetrends.taxonomy.offenses import REPORTED_OFFENSES, group_members, offenses

TREND_OFFENSES = REPORTED_OFFENSES
# With a helper process, this one computes the first four offenses' trend rows (the first
# builds the rollups every offense shares) and then the other tables; the helper, which
# first starts Python and builds its own rollups, the other five. Measured on the demo store
# after a load, the two finish within a second of each other.
HELPER_FROM = 4
MONTHLY_OFFENSES = ("violent", "property")
# Groups that may be mapped: sensitive offenses never are.
MAPPED_GROUPS = {
    "violent (excl. rape)": tuple(
        m for m in group_members("violent") if m not in SENSITIVE_OFFENSES
    ),
    "property": group_members("property"),
}
AREA_COLUMNS = [
    "agency",
    "slug",
    "source",
    "year",
    "group",
    "area_type",
    "area_id",
    "lat",
    "lon",
    "count",
    "suppressed",
]
TABLES = ("cities", "trends", "monthly", "areas", "arrests", "sources", "coverage", "offenses")


@functools.lru_cache(maxsize=4096)  # called per row of every table: ~800 agencies, 350k rows
def slug(agency: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", agency.lower()).strip("-")


def _latest_years(con: Any) -> dict[str, int]:
    out: dict[str, int] = {}
    for table, col in (("incidents", "occurred_at"), ("counts", "period_start")):
        t = con.table(table)
        frame = t.group_by(t.source).aggregate(hi=t[col].max()).to_pandas()
        out.update({r.source: pd.Timestamp(r.hi).year for r in frame.itertuples()})
    return out


def trend_records(
    con: Any, samples: frozenset[str], names: tuple[str, ...]
) -> list[dict[str, Any]]:
    """Each agency's newest comparable windows, per family of sources, for the offenses
    `names`, as plain rows (`trend_frame` makes the table of them).

    `headline`: the one window `trends --all` shows (the newest comparable of at least 90
    days); `answer`: what `trends --agency X` shows (newest full year, newer year to date);
    the other rows are earlier sources (older data from other publishers).
    """
    from crimetrends.analysis.report import resolve_query
    from crimetrends.analysis.trends import best

    rows = []
    pops = PopulationTable.from_store(con)  # read once, not once per offense
    for name in names:
        q = resolve_query(con, TrendQuery(all_agencies=True, offense=name))
        found = trend_rows(con, q, samples, pops, every_family=True)
        headline = {id(r) for r in best(found, everyone=True)}
        answer = {id(r) for r in best(found, everyone=False)}
        for r in found:
            rows.append({**r.to_dict(), "headline": id(r) in headline, "answer": id(r) in answer})
    return rows


def trend_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The trends table from its rows, in one order whatever order they were computed in."""
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    frame["period_kind"] = frame["window"]
    frame["flags"] = frame["flags"].map(lambda f: "; ".join(f))
    for col in ("count", "previous_count", "population", "population_year", "sample_agencies"):
        frame[col] = frame[col].astype("Int64")
    frame["slug"] = frame["agency"].map(slug)
    # one order whatever order the evidence was gathered in: a rebuild gives the same files
    order = ["agency", "offense", "source", "vintage", "window", "end", "start", "previous_end"]
    return frame.sort_values(order, kind="stable", ignore_index=True)


def build_monthly(con: Any, samples: frozenset[str]) -> pd.DataFrame:
    """Every monthly series of violent and property crime with its band and flags.

    Built from each series' periods as plain lists and turned into one frame at the end
    (a frame per series cost a minute on the demo store).
    """
    import numpy as np

    from crimetrends.analysis.quality import flags_for

    cols: dict[str, list] = {k: [] for k in ("agency", "source", "offense", "period", "count")}
    cols.update({k: [] for k in ("complete", "note", "provisional", "quality_flags")})
    for name in MONTHLY_OFFENSES:
        for s in all_series(con, group_members(name), name):
            if s.grain != "month" or s.source in samples:
                continue
            months = [p for p, _ in s.periods]
            counts = [np.nan if c.count is None else c.count for _, c in s.periods]
            complete = [c.complete for _, c in s.periods]
            prov = provisional_months(s)
            n = len(months)
            cols["agency"] += [s.agency] * n
            cols["source"] += [s.source] * n
            cols["offense"] += [name] * n
            cols["period"] += months
            cols["count"] += counts
            cols["complete"] += complete
            cols["note"] += [c.note for _, c in s.periods]
            cols["provisional"] += [m in prov for m in months]
            cols["quality_flags"] += flags_for(months, np.array(counts), np.array(complete), prov)
    if not cols["agency"]:  # no monthly series in the store (e.g. only annual tables)
        columns = ["agency", "source", "offense", "count", "complete", "note", "ci_low"]
        columns += ["ci_high", "provisional", "quality_flags", "month", "slug"]
        return pd.DataFrame(columns=columns)
    out = pd.DataFrame(cols)
    out["ci_low"], out["ci_high"] = poisson_intervals(out["count"].to_numpy(dtype=float))
    out["month"] = [p.strftime("%Y-%m") for p in out.pop("period")]
    out = out[["agency", "source", "offense", "count", "complete", "note", "ci_low", "ci_high",
               "provisional", "quality_flags", "month"]]  # fmt: skip
    out["count"] = out["count"].round().astype("Int64")
    out["slug"] = out["agency"].map(slug)
    return out


def _incident_sources(con: Any, samples: frozenset[str]) -> list[str]:
    from crimetrends.store.catalog import full_incident_sources

    return full_incident_sources(con, samples)


def build_areas(con: Any, samples: frozenset[str], policy: PrivacyPolicy) -> pd.DataFrame:
    """District and grid counts for the latest two years: sensitive offenses and domestic
    incidents (by flag or by code) excluded, areas under the policy's min_count not listed."""
    frames = []
    years = _latest_years(con)
    specs = all_sources()
    for source in _incident_sources(con, samples):
        t = con.table("incidents")
        t = policy.mappable(t.filter(t.source == source), specs.get(source))
        year = t.occurred_at.year()
        t = t.filter(year >= years[source] - 1)
        for group, members in MAPPED_GROUPS.items():
            g = t.filter(t.offense.isin(list(members)))
            g = g.mutate(year=g.occurred_at.year())
            d = (
                g.group_by([g.agency, g.year, g.district])
                .aggregate(count=g.count())
                .to_pandas()
                .rename(columns={"district": "area_id"})
            )
            d["area_type"], d["lat"], d["lon"] = "district", None, None
            located = g.filter(g.latitude.notnull() & g.longitude.notnull())
            bounds = located.aggregate(
                lat0=located.latitude.min(), lon0=located.longitude.min()
            ).to_pandas()
            if bounds["lat0"].notna().all():
                grid = Grid(
                    float(bounds.lat0[0]) // 0.01 * 0.01,
                    float(bounds.lon0[0]) // 0.01 * 0.01,
                    policy.cell_m,
                )
                iy = ((located.latitude - grid.lat0) / grid.dlat).floor().cast("int64")
                ix = ((located.longitude - grid.lon0) / grid.dlon).floor().cast("int64")
                cells = (
                    located.mutate(ix=ix, iy=iy)
                    .group_by(["agency", "year", "ix", "iy"])
                    .aggregate(count=ibis._.count())
                    .to_pandas()
                )
                centres = [
                    grid.centre(int(x), int(y)) for x, y in zip(cells.ix, cells.iy, strict=True)
                ]
                cells["lat"] = [c[0] for c in centres]
                cells["lon"] = [c[1] for c in centres]
                cells["area_id"] = cells.ix.astype(str) + "_" + cells.iy.astype(str)
                cells["area_type"] = "grid"
                frames.append(cells.drop(columns=["ix", "iy"]).assign(group=group, source=source))
            frames.append(d.assign(group=group, source=source))
    if not frames:
        return pd.DataFrame(columns=AREA_COLUMNS)
    out = pd.concat(frames, ignore_index=True)
    out = policy.publishable(out, by=["agency", "year", "group", "area_type"])
    out["count"] = out["count"].astype("Int64")
    out["suppressed"] = False  # kept for readers of the old column: nothing withheld is listed
    out["year"] = out["year"].astype("int64")
    out["slug"] = out["agency"].map(slug)
    return out[AREA_COLUMNS].sort_values(["agency", "year", "group", "area_type", "area_id"])


def build_arrests(con: Any, samples: frozenset[str]) -> pd.DataFrame:
    rows = []
    years = _latest_years(con)
    for source in _incident_sources(con, samples):
        t = con.table("incidents")
        t = t.filter(
            (t.source == source) & t.arrest.notnull() & (t.occurred_at.year() == years[source])
        )
        f = (
            t.group_by([t.agency, t.offense])
            .aggregate(incidents=t.count(), arrests=t.arrest.cast("int64").sum())
            .to_pandas()
        )
        for r in f.itertuples():
            if r.offense is None or r.incidents == 0:
                continue
            ci_low, ci_high = clopper_pearson(int(r.arrests), int(r.incidents))
            rows.append(
                {
                    "agency": r.agency,
                    "slug": slug(r.agency),
                    "source": source,
                    "year": years[source],
                    "offense": r.offense,
                    "offense_label": offenses()[r.offense].label,
                    "incidents": int(r.incidents),
                    "arrests": int(r.arrests),
                    "arrest_share": r.arrests / r.incidents,
                    "ci_low": ci_low,
                    "ci_high": ci_high,
                }
            )
    columns = ["agency", "slug", "source", "year", "offense", "offense_label", "incidents"]
    columns += ["arrests", "arrest_share", "ci_low", "ci_high"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["agency", "incidents"], ascending=[True, False])


def build_cities(con: Any, trends: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    pops = PopulationTable.from_store(con)
    rows = []
    for agency, g in trends.groupby("agency"):
        try:
            pop = pops.lookup(agency, int(g["end"].max()[:4]))
            population, year, psrc = pop.value, pop.year, pop.source
        except MissingPopulationError:
            population = year = psrc = None
        rows.append(
            {
                "agency": agency,
                "slug": slug(agency),
                "state": agency.split(", ")[-1] if ", " in agency else "",
                "population": population,
                "population_year": year,
                "population_source": psrc,
                "sources": ", ".join(sorted(g["source"].unique())),
                "has_incidents": bool((g["source"].isin(_incident_like())).any()),
                "has_map": bool((areas["agency"] == agency).any()) if not areas.empty else False,
            }
        )
    out = pd.DataFrame(rows).sort_values("agency")
    for col in ("population", "population_year"):
        out[col] = out[col].astype("Int64")
    return out


def _incident_like() -> list[str]:
    return [s.name for s in all_sources().values() if s.kind == "incidents"]


def round_public(frame: pd.DataFrame, digits: int = 4) -> pd.DataFrame:
    """Statistics to 4 decimals: plenty for checking, and no public number then looks like a
    precise coordinate (grid centres carry 6 decimals; raw points 9)."""
    floats = frame.select_dtypes("float").columns
    return frame.assign(**{c: frame[c].round(digits) for c in floats})


def build_tables(
    con: Any, policy: PrivacyPolicy | None = None, series: bool = False, helper: bool = False
) -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
    """Every public table of the store. With two cores, a helper process computes the trend
    rows of the offenses from `HELPER_FROM` on while this one computes the others and the
    tables that do not need them (`publish.helper`; `helper=True` starts one whatever the
    store's size). `series`: the site will chart every offense's series next; the helper
    computes its offenses' (remembered by `con`)."""
    from crimetrends.publish.helper import TrendHelper

    policy = policy or PrivacyPolicy.from_settings()
    samples = sample_sources()
    mine, theirs = TREND_OFFENSES[:HELPER_FROM], TREND_OFFENSES[HELPER_FROM:]
    started = TrendHelper.start(con, samples, theirs, series=series, force=helper)
    if started is None:
        mine, theirs = TREND_OFFENSES, ()
    try:
        rows = trend_records(con, samples, mine)
        monthly = build_monthly(con, samples)
        areas = build_areas(con, samples, policy)
        arrests = build_arrests(con, samples)
        if started is not None:
            rows += started.rows(con, samples)
    finally:  # a failure here stops the helper too (nothing is left running or on disk)
        if started is not None:
            started.stop()
    trends = trend_frame(rows)
    if trends.empty:
        raise NoDataError("nothing to publish", hint="load data first (`crimetrends demo`)")
    tables = {
        "trends": trends,
        "monthly": monthly,
        "areas": areas,
        "arrests": arrests,
        "cities": build_cities(con, trends, areas),
        "sources": pd.DataFrame(source_status()).assign(
            quirks=lambda f: f["quirks"].map("; ".join)
        ),
        "coverage": pd.concat(
            [c.codes.assign(source=c.source, kind=c.kind) for c in coverage(con)], ignore_index=True
        ),
        "offenses": pd.DataFrame([o.__dict__ for o in offenses().values()]),
    }
    for name in ("trends", "monthly", "arrests"):
        tables[name] = round_public(tables[name])
    prov = provenance(
        sorted(set(trends["source"])),
        "violent",
        generated_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        interval_method=METHOD,
        monthly_band="Exact (Garwood) 95% Poisson interval for each month's count.",
        privacy=policy.describe(),
    )
    prov["offense"] = "see each row"
    return tables, prov


def write_tables(tables: dict[str, pd.DataFrame], prov: dict[str, Any], folder: Path) -> None:
    """CSV, Parquet and JSON of every table, each JSON carrying the provenance.

    The rows are written by pandas' JSON writer in one call (missing and non-finite values
    become null, dates ISO text, as `render.records` does for single answers): parsing them
    back into Python objects to write them again took 12 s on the demo store.
    """
    from crimetrends.render.records import to_json

    folder.mkdir(parents=True, exist_ok=True)
    about = to_json(prov)
    for name, frame in tables.items():
        frame.to_csv(folder / f"{name}.csv", index=False)
        frame.to_parquet(folder / f"{name}.parquet", index=False)
        rows = frame.to_json(orient="records", date_format="iso", force_ascii=False)
        text = f'{{"rows": {rows},\n"provenance": {about}}}\n'
        (folder / f"{name}.json").write_text(text, encoding="utf-8")
    (folder / "provenance.json").write_text(about)
