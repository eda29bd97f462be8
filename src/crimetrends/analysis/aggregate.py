"""Monthly and annual series per source × agency × offense, with completeness.

Row-level work is Ibis (engine-neutral); the small aggregates are finished in pandas.
Missing is not zero: a month with no records from an incident source, a count cell a
publisher left blank, or a total with a missing component is marked incomplete.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Any, NamedTuple

import ibis
import numpy as np
import pandas as pd

from crimetrends.sources.registry import all_sources

MIN_DAY_COVERAGE = 0.9  # an incident month is complete when records exist on ≥ 90% of its days


class PeriodCount(NamedTuple):
    """One period of a series: its count (NaN = missing), whether complete, why not, and the
    timestamp of its latest record (incidents only)."""

    count: float
    complete: bool
    note: str
    last_day: Any


@dataclass(frozen=True)
class Series:
    """One source × agency × offense series at one grain.

    frame columns: period (Timestamp, first day), count (float, NaN = missing),
    complete (bool), note (str), last_day (Timestamp of the latest record, incidents only)
    """

    source: str
    agency: str
    offense: str
    grain: str
    kind: str
    frame: pd.DataFrame

    @property
    def day_level(self) -> bool:
        """Built from dated records, so any day range can be counted (not only months)."""
        return self.kind == "incidents"

    @cached_property
    def by_period(self) -> dict[dt.date, PeriodCount]:
        """period start → its PeriodCount, built once per series."""
        return {
            pd.Timestamp(p).date(): PeriodCount(c, bool(ok), note, last)
            for p, c, ok, note, last in zip(
                self.frame["period"],
                self.frame["count"],
                self.frame["complete"],
                self.frame["note"],
                self.frame["last_day"],
                strict=True,
            )
        }


def _scoped(con: Any, table: str, agency: str | None, source: str | None) -> Any:
    t = con.table(table)
    if agency:
        t = t.filter(t.agency == agency)
    if source:
        t = t.filter(t.source == source)
    return t


def _month_starts(first: pd.Timestamp, last: pd.Timestamp) -> pd.DatetimeIndex:
    return pd.date_range(first.to_period("M").to_timestamp(), last, freq="MS")


def incident_series(
    con: Any,
    members: tuple[str, ...],
    offense: str,
    agency: str | None = None,
    source: str | None = None,
) -> list[Series]:
    """Monthly counts from incident records; coverage from all records of the source.

    Both come from the daily rollup the loader writes beside each incidents part (a few
    thousand rows per city-year), not from the records themselves.
    """
    t = _scoped(con, "daily", agency, source)
    month = t.day.truncate("M").name("period")
    # one query: coverage over every record, counts over the offense's members
    monthly = (
        t.group_by([t.source, t.agency, month])
        .aggregate(
            days=t.day.nunique(),
            last_day=t.last_at.max(),
            count=t.n.sum(where=t.offense.isin(list(members))),
        )
        .to_pandas()
    )
    coverage = monthly.drop(columns="count")
    hits = monthly.dropna(subset=["count"])
    specs = all_sources()
    out = []
    for (src, ag), cov in coverage.groupby(["source", "agency"]):
        cov = cov.assign(period=pd.to_datetime(cov["period"])).set_index("period")
        spec = specs.get(src)
        if spec and spec.offenses_covered and not set(members) <= set(spec.offenses_covered):
            continue  # the file never records these offenses: no series, not zeros
        span = spec.complete_span if spec else None
        if span:  # the publisher states the months its file covers in full
            frame = _declared_span_frame(cov, hits, src, ag, span)
            out.append(Series(src, ag, offense, "month", "incidents", frame))
            continue
        idx = _month_starts(cov.index.min(), cov.index.max())
        cov = cov.reindex(idx)
        frame = _counts_frame(hits, src, ag, idx)
        days_in = idx.days_in_month.to_numpy()
        days = cov["days"].fillna(0).to_numpy()
        frame["complete"] = days >= MIN_DAY_COVERAGE * days_in
        frame["note"] = [
            "" if ok else ("no records (outage?)" if d == 0 else f"records on {int(d)} of {n} days")
            for ok, d, n in zip(frame["complete"], days, days_in, strict=True)
        ]
        frame.loc[days == 0, "count"] = float("nan")
        frame["last_day"] = pd.to_datetime(cov["last_day"]).to_numpy()
        out.append(Series(src, ag, offense, "month", "incidents", frame))
    return out


def _counts_frame(hits: pd.DataFrame, src: str, ag: str, idx: pd.DatetimeIndex) -> pd.DataFrame:
    """period and count for each month of `idx` (0 where the offense has no records)."""
    h = hits[(hits.source == src) & (hits.agency == ag)]
    counts = pd.Series(h["count"].to_numpy(), index=pd.to_datetime(h["period"]))
    frame = pd.DataFrame({"period": idx})
    frame["count"] = counts.reindex(idx).fillna(0).astype(float).to_numpy()
    return frame


def _declared_span_frame(
    cov: pd.DataFrame, hits: pd.DataFrame, src: str, ag: str, span: tuple[str, str]
) -> pd.DataFrame:
    """Months of a file that covers a stated span in full: a month without records is a zero.

    For files of rare offenses only (homicides), where days without a record are normal and
    the day-coverage rule would call every month incomplete.
    """
    idx = pd.date_range(f"{span[0]}-01", f"{span[1]}-01", freq="MS")
    frame = _counts_frame(hits, src, ag, idx)
    frame["complete"] = True
    frame["note"] = ""
    last = pd.to_datetime(cov["last_day"]).max()
    # the span's end is the data's end, whatever day the last record fell on
    frame["last_day"] = max(last, idx[-1] + pd.offsets.MonthEnd(0))
    return frame


def count_series(
    con: Any,
    members: tuple[str, ...],
    offense: str,
    agency: str | None = None,
    source: str | None = None,
) -> list[Series]:
    """Series from published count tables; a total needs every member offense present."""
    t = _scoped(con, "counts", agency, source)
    covered = t.select(t.source, t.agency, t.grain, t.period_start).distinct().to_pandas()
    f = t.filter(t.offense.isin(list(members)))
    agg = (
        f.group_by([f.source, f.agency, f.grain, f.period_start, f.offense])
        .aggregate(
            total=f["count"].sum(),
            cells=f.count(),
            present=f["count"].count(),
            months_reported=f.months_reported.min(),
        )
        .to_pandas()
    )
    agg["months_reported"] = pd.to_numeric(agg["months_reported"], errors="coerce").astype(float)
    specs = all_sources()
    out = []
    for (src, grain), cov in covered.groupby(["source", "grain"]):
        long_shape = src in specs and specs[src].shape == "long"
        freq = "MS" if grain == "month" else "YS"
        cov = cov.assign(period=pd.to_datetime(cov["period_start"]), covered=True)
        spans = cov.groupby("agency")["period"].agg(["min", "max"])
        full = pd.concat(
            [
                pd.DataFrame({"agency": ag, "period": pd.date_range(lo, hi, freq=freq)})
                for ag, (lo, hi) in spans.iterrows()
            ],
            ignore_index=True,
        )
        full = full.merge(cov[["agency", "period", "covered"]], how="left")
        full["covered"] = full["covered"].fillna(False).astype(bool)
        g = agg[(agg.source == src) & (agg.grain == grain)]
        g = g.assign(period=pd.to_datetime(g["period_start"]))
        g = g.assign(ok=g["present"] == g["cells"])
        total = g.pivot_table(
            index=["agency", "period"], columns="offense", values="total", aggfunc="sum"
        )
        ok = g.pivot_table(
            index=["agency", "period"], columns="offense", values="ok", aggfunc="all"
        )
        months = g.groupby(["agency", "period"])["months_reported"].min()
        total = total.reindex(columns=list(members))
        ok = ok.reindex(columns=list(members))
        keyed = full.set_index(["agency", "period"])
        total = total.reindex(keyed.index)
        ok = ok.reindex(keyed.index)
        if long_shape:  # long tables omit zero rows within a covered period
            absent = ok.isna()
            ok = ok.mask(absent, True)
            total = total.mask(absent, 0.0)
        ok = ok.astype(object).where(ok.notna(), False).astype(bool)
        missing = ~ok
        keyed["count"] = total.fillna(0.0).sum(axis=1)
        keyed["months"] = months.reindex(keyed.index)
        any_missing = missing.any(axis=1)
        short = (grain == "year") & keyed["months"].notna() & (keyed["months"] < 12)
        keyed["complete"] = keyed["covered"] & ~any_missing & ~short
        names = pd.Series("", index=missing.index)
        for m in members:
            names = names.where(~missing[m], names + np.where(names == "", "", ", ") + m)
        keyed["note"] = ""
        keyed.loc[short, "note"] = keyed.loc[short, "months"].map(
            lambda m: f"only {int(m)} months reported"
        )
        keyed.loc[any_missing, "note"] = "missing: " + names[any_missing]
        keyed.loc[~keyed["covered"], "note"] = "period missing from the table"
        keyed.loc[any_missing | ~keyed["covered"], "count"] = float("nan")
        keyed["count"] = keyed["count"].astype(float)
        keyed["last_day"] = pd.NaT
        present_agencies = set(g["agency"])
        for ag, frame in keyed.reset_index().groupby("agency"):
            if ag not in present_agencies:
                continue  # the table never carries these offenses for this agency
            frame = frame[["period", "count", "complete", "note", "last_day"]]
            out.append(Series(src, ag, offense, grain, "counts", frame.reset_index(drop=True)))
    return out


# The reader that builds the series of each kind of source (populations have none).
SERIES_READERS: dict[str, Any] = {}


def all_series(
    con: Any,
    members: tuple[str, ...],
    offense: str,
    agency: str | None = None,
    source: str | None = None,
) -> list[Series]:
    """Every series of the offense; a named source is only looked for in its own kind."""
    spec = all_sources().get(source) if source else None
    kinds = [spec.kind] if spec else list(SERIES_READERS)
    out: list[Series] = []
    for kind in kinds:
        reader = SERIES_READERS.get(kind)
        if reader is not None:
            out += reader(con, members, offense, agency, source)
    return out


def incidents_between(
    con: Any, source: str, agency: str, members: tuple[str, ...], start: dt.date, end: dt.date
) -> int:
    """Incidents of `members` with occurrence date in [start, end] (whole days)."""
    t = con.table("daily")
    expr = t.filter(
        (t.source == source)
        & (t.agency == agency)
        & t.offense.isin(list(members))
        & (t.day >= ibis.literal(start))
        & (t.day <= ibis.literal(end))
    ).n.sum()
    return int(expr.to_pyarrow().as_py() or 0)


SERIES_READERS.update({"incidents": incident_series, "counts": count_series})
