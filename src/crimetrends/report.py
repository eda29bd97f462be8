"""Assemble trend rows with their provenance; the status of every registered source."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from crimetrends.analysis.periods import month_end, parse_through, parse_year
from crimetrends.analysis.trends import METHOD, TrendRow, trend_rows
from crimetrends.errors import NoDataError
from crimetrends.settings import get_settings
from crimetrends.sources.registry import all_sources, get_source
from crimetrends.store.catalog import loads, provenance, resolve_agency, sample_sources
from crimetrends.store.connect import connect
from crimetrends.taxonomy.offenses import offense_label, resolve_offense

PERIOD_WORDS = {
    "year": "calendar year",
    "ytd": "year to date (same day range in both years)",
    "month": "each month vs the same month",
    "rolling12": "12 months vs the 12 months before",
}

COMPARISON_NOTES = [
    "Percent change compares counts over the same calendar range in both periods; a month "
    "with missing data, a total with a missing component, a sample extract or a definition "
    "change between periods is flagged and given no change or label.",
    "Rates are per 100,000 residents over the period shown (not annualized), with the "
    "population's source and year; the nearest available year is used and flagged when the "
    "period's own year is missing.",
]


@dataclass(frozen=True)
class TrendReport:
    rows: list[TrendRow]
    provenance: dict[str, Any]
    title: str


def _latest_year(con: Any) -> int:
    years = []
    for table, col in (("daily", "day"), ("counts", "period_start")):
        t = con.table(table)
        value = t[col].max().to_pyarrow().as_py()
        if value is not None:
            years.append(value.year)
    if not years:
        raise NoDataError("the store is empty", hint="run `crimetrends demo` or `crimetrends load`")
    return max(years)


def trend_report(
    agencies: list[str],
    offense: str,
    period: str,
    from_year: str | int | None,
    to_year: str | int | None,
    through: str | None = None,
    source: str | None = None,
    all_agencies: bool = False,
) -> TrendReport:
    con = connect()
    name, members = resolve_offense(offense)
    to = parse_year(to_year, "--to") if to_year else _latest_year(con)
    frm = parse_year(from_year, "--from") if from_year else to - 1
    names = None if all_agencies or not agencies else [resolve_agency(con, a) for a in agencies]
    if source:
        get_source(source)  # unknown names fail with the list of registered sources
    rows = trend_rows(
        con,
        name,
        members,
        period,
        frm,
        to,
        names,
        source,
        parse_through(through),
        sample_sources(),
    )
    if not rows:
        raise NoDataError(
            f"no series covers {offense} for {', '.join(names or ['any agency'])} in {frm}/{to}",
            hint="see `crimetrends sources` for what the store holds",
        )
    used_pops = sorted(
        {(r.population_source, r.population_year) for r in rows if r.population_source}
    )
    prov = provenance(
        [r.source for r in rows],
        name,
        period=period,
        period_definition=PERIOD_WORDS[period],
        from_year=frm,
        to_year=to,
        through=through,
        interval_method=METHOD,
        populations=[{"source": s, "year": y} for s, y in used_pops],
        notes=COMPARISON_NOTES,
        generated_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )
    title = f"{offense_label(name)} — {PERIOD_WORDS[period]}: {to} vs {frm}"
    return TrendReport(rows, prov, title)


# Days after which a source's newest record is overdue, by its stated update cadence.
CADENCE_LAG_DAYS = {"daily": 14, "weekly": 30, "monthly": 75, "quarterly": 150, "annual": 550}


def freshness(newest: dt.date | None, cadence: str, today: dt.date) -> tuple[str, int | None]:
    """fresh / stale / dark from the newest record's age against the update cadence.

    stale: overdue by up to three expected lags; dark: longer, the feed has stopped (or the
    store holds an old extract). Static tables are 'archive'.
    """
    if newest is None:
        return "empty", None
    age = (today - newest).days
    lag = next((d for word, d in CADENCE_LAG_DAYS.items() if word in cadence.lower()), None)
    if lag is None or "static" in cadence.lower() or "frozen" in cadence.lower():
        return "archive", age
    if age <= lag:
        return "fresh", age
    return ("stale" if age <= 3 * lag else "dark"), age


def source_status(today: dt.date | None = None) -> list[dict[str, Any]]:
    today = today or dt.date.today()
    con = connect()
    spans: dict[str, str] = {}
    newest: dict[str, dt.date] = {}
    for table, col in (("daily", "day"), ("counts", "period_start")):
        t = con.table(table)
        frame = t.group_by(t.source).aggregate(lo=t[col].min(), hi=t[col].max()).to_pandas()
        for rec in frame.itertuples():
            spans[rec.source] = f"{str(rec.lo)[:10]} to {str(rec.hi)[:10]}"
            hi = pd.Timestamp(rec.hi).date()
            spec = all_sources().get(rec.source)
            if table == "counts" and spec is not None and spec.grain == "month":
                hi = month_end(hi)  # a monthly count covers its whole month
            newest[rec.source] = hi
    manifests = loads()
    settings = get_settings()
    out = []
    for spec in all_sources().values():
        mine = [m for m in manifests if m["source"] == spec.name]
        status, age = freshness(newest.get(spec.name), spec.update_cadence, today)
        fetched = sorted((settings.home / "vintages" / spec.name).glob("*.parquet"))
        out.append(
            {
                "source": spec.name,
                "kind": spec.kind,
                "title": spec.title,
                "agency": spec.agency,
                "counting_unit": spec.counting_unit,
                "date_basis": spec.date_basis,
                "update_cadence": spec.update_cadence,
                "url": spec.url,
                "files": len(mine),
                "rows": sum(int(m.get("rows_kept", 0)) for m in mine),
                "rows_quarantined": sum(int(m.get("rows_quarantined", 0)) for m in mine),
                "covers": spans.get(spec.name),
                "newest_record": str(newest[spec.name]) if spec.name in newest else None,
                "age_days": age,
                "status": status,
                "last_fetch": fetched[-1].stem if fetched else None,
                "last_loaded": max((m["loaded_at"] for m in mine), default=None),
                "samples_only": bool(mine) and all(m.get("sample") for m in mine),
                "quirks": list(spec.quirks),
            }
        )
    return out
