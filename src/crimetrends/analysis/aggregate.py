"""Monthly and annual series per source × agency × offense, with completeness.

Each series comes from one small query over the stored rollups (the daily rollup of the
incident records, the count tables), written once as SQL in DuckDB's dialect and run by the
store's engine (`Store.rows`), then finished in plain Python: a trend question needs
neither pandas nor Ibis. Missing is not zero: a month with no records from an incident
source, a count cell a publisher left blank, or a total with a missing component is marked
incomplete. `Series.frame` gives the pandas view the models use.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple

from crimetrends.sources.registry import all_sources
from crimetrends.store.sql import in_list, lit

if TYPE_CHECKING:
    import pandas as pd

MIN_DAY_COVERAGE = 0.9  # an incident month is complete when records exist on ≥ 90% of its days


class PeriodCount(NamedTuple):
    """One period of a series: its count (None = missing), whether complete, why not, and
    the timestamp of its latest record (incidents only)."""

    count: float | None
    complete: bool
    note: str
    last_day: dt.datetime | None


@dataclass(frozen=True)
class Series:
    """One source × agency × offense series at one grain ('month' or 'year').

    `periods` maps each period's first day to its PeriodCount, in order.
    """

    source: str
    agency: str
    offense: str
    grain: str
    kind: str
    periods: tuple[tuple[dt.date, PeriodCount], ...]

    @property
    def day_level(self) -> bool:
        """Built from dated records, so any day range can be counted (not only months)."""
        return self.kind == "incidents"

    @cached_property
    def by_period(self) -> dict[dt.date, PeriodCount]:
        return dict(self.periods)

    @cached_property
    def frame(self) -> pd.DataFrame:
        """period (Timestamp), count (float, NaN = missing), complete, note, last_day."""
        import pandas as pd

        return pd.DataFrame(
            {
                "period": pd.to_datetime([p for p, _ in self.periods]),
                "count": [float("nan") if c.count is None else c.count for _, c in self.periods],
                "complete": [c.complete for _, c in self.periods],
                "note": [c.note for _, c in self.periods],
                "last_day": pd.to_datetime([c.last_day for _, c in self.periods]),
            }
        )


def _scope(agency: str | None, source: str | None) -> str:
    terms = [f"{k} = {lit(v)}" for k, v in (("agency", agency), ("source", source)) if v]
    return ("WHERE " + " AND ".join(terms)) if terms else ""


def _memo(con: Any, sql: str) -> list[tuple]:
    """The rows of `sql`, read once per store handle when it can remember them."""
    return con.memo_rows(sql) if getattr(con, "batch", False) else con.rows(sql)


def offense_filter(con: Any, members: tuple[str, ...]) -> str:
    """The members only, unless the handle reads whole rollups once (batch)."""
    return "TRUE" if getattr(con, "batch", False) else f"offense IN {in_list(members)}"


def _month_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    out, d = [], first.replace(day=1)
    while d <= last:
        out.append(d)
        d = dt.date(d.year + d.month // 12, d.month % 12 + 1, 1)
    return out


def _day(value: Any) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


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
    scope = _scope(agency, source)
    coverage = _memo(
        con,
        "SELECT source, agency, CAST(date_trunc('month', day) AS DATE) AS period, "
        f"count(DISTINCT day) AS days, max(last_at) AS last_at FROM daily {scope} GROUP BY ALL",
    )
    counts = _memo(
        con,
        "SELECT source, agency, CAST(date_trunc('month', day) AS DATE) AS period, offense, "
        f"sum(n) AS n FROM daily {scope or 'WHERE TRUE'} AND {offense_filter(con, members)} "
        "GROUP BY ALL",
    )
    wanted = set(members)
    n_by: dict[tuple[str, str, dt.date], float] = {}
    for src, ag, period, off, n in counts:
        if off in wanted:
            key = (src, ag, _day(period))
            n_by[key] = n_by.get(key, 0) + n
    by: dict[tuple[str, str], dict[dt.date, tuple[int, Any, Any]]] = {}
    for src, ag, period, days, last_at in coverage:
        p = _day(period)
        by.setdefault((src, ag), {})[p] = (int(days), last_at, n_by.get((src, ag, p)))
    specs = all_sources()
    out = []
    for (src, ag), months in sorted(by.items()):
        spec = specs.get(src)
        if spec and spec.offenses_covered and not set(members) <= set(spec.offenses_covered):
            continue  # the file never records these offenses: no series, not zeros
        if spec and spec.complete_span:  # the publisher states the months it covers in full
            periods = _declared_span(months, spec.complete_span)
        else:
            periods = _by_day_coverage(months)
        out.append(Series(src, ag, offense, "month", "incidents", tuple(periods)))
    return out


def _by_day_coverage(months: dict[dt.date, tuple[int, Any, Any]]):
    """Every month from the first to the last with records: complete when records exist
    on ≥ 90% of its days; a month without any record is missing (an outage?), not zero."""
    out = []
    for m in _month_starts(min(months), max(months)):
        days_in = calendar.monthrange(m.year, m.month)[1]
        days, last_at, n = months.get(m, (0, None, None))
        ok = days >= MIN_DAY_COVERAGE * days_in
        note = (
            ""
            if ok
            else ("no records (outage?)" if days == 0 else f"records on {days} of {days_in} days")
        )
        count = None if days == 0 else float(n or 0)
        out.append((m, PeriodCount(count, ok, note, last_at)))
    return out


def _declared_span(months: dict[dt.date, tuple[int, Any, Any]], span: tuple[str, str]):
    """Months of a file that covers a stated span in full: a month without records is a zero.

    For files of rare offenses only (homicides), where days without a record are normal and
    the day-coverage rule would call every month incomplete. The span's end is the data's
    end, whatever day the last record fell on.
    """
    first, last = (dt.date.fromisoformat(f"{v}-01") for v in span)
    idx = _month_starts(first, last)
    end = dt.datetime(last.year, last.month, calendar.monthrange(last.year, last.month)[1])
    latest = max((v[1] for v in months.values() if v[1] is not None), default=end)
    last_day = max(latest, end)
    return [
        (m, PeriodCount(float(months.get(m, (0, None, 0))[2] or 0), True, "", last_day))
        for m in idx
    ]


def count_series(
    con: Any,
    members: tuple[str, ...],
    offense: str,
    agency: str | None = None,
    source: str | None = None,
) -> list[Series]:
    """Series from published count tables; a total needs every member offense present."""
    # every covered period (any offense: coverage), with the members' cells
    sql = (
        "SELECT source, agency, grain, period_start, "
        f"CASE WHEN {offense_filter(con, members)} THEN offense END AS offense, "
        "sum(count) AS total, count(*) AS cells, count(count) AS present, "
        f"min(months_reported) AS months FROM counts {_scope(agency, source)} GROUP BY ALL"
    )
    if getattr(con, "batch", False):  # grouped once for every offense the handle is asked
        tables = con.memo(("count tables", sql), lambda: _count_tables(con.memo_rows(sql)))
        # the site asks for each offense's series twice (trends, then charts): built once
        key = ("count series", sql, members, offense)
        return list(con.memo(key, lambda: _series_of(tables, members, offense)))
    return _series_of(_count_tables(con.rows(sql)), members, offense)


def _series_of(tables: dict, members: tuple[str, ...], offense: str) -> list[Series]:
    """The offense's series of every table that ever carries one of its members."""
    specs = all_sources()
    out = []
    for (src, grain, ag), (periods, offenses_in) in tables.items():
        if offenses_in.isdisjoint(members):
            continue  # the table never carries these offenses for this agency
        long_shape = src in specs and specs[src].shape == "long"
        series = _count_periods(periods, members, grain, long_shape)
        out.append(Series(src, ag, offense, grain, "counts", tuple(series)))
    return out


def _count_tables(
    rows: list[tuple],
) -> dict[tuple[str, str, str], tuple[dict[dt.date, dict[str, tuple]], set[str]]]:
    """(source, grain, agency) → (each covered period's cells by offense, the offenses it
    ever carries), in key order; an offense the query left out (NULL) only marks coverage."""
    tables: dict[tuple[str, str, str], tuple[dict[dt.date, dict[str, tuple]], set[str]]] = {}
    for src, ag, grain, period, off, total, cells, present, months in rows:
        periods, offenses_in = tables.setdefault((src, grain, ag), ({}, set()))
        cell = periods.setdefault(_day(period), {})  # a covered period, whatever offense
        if off is not None:
            cell[off] = (total, int(cells), int(present), months)
            offenses_in.add(off)
    return dict(sorted(tables.items()))


def _count_periods(
    periods: dict[dt.date, dict[str, tuple]], members: tuple[str, ...], grain: str, long: bool
):
    """Each period from the first to the last the table covers, with its total or why not.

    A long table omits zero rows within a covered period (absent = 0); a wide one leaves a
    blank cell (absent = missing). An annual count with fewer than 12 months reported is
    incomplete; a period inside the span that the table skips is 'missing from the table'.
    """
    first, last = min(periods), max(periods)
    if grain == "month":
        keys = _month_starts(first, last)
    else:
        keys = [dt.date(y, 1, 1) for y in range(first.year, last.year + 1)]
    out = []
    for k in keys:
        cell = periods.get(k)
        if cell is None:
            out.append((k, _NOT_IN_TABLE))
            continue
        total, missing, fewest = 0.0, [], None
        for m in members:
            v = cell.get(m)
            if v is None:
                if not long:
                    missing.append(m)
                continue
            n, cells, present, months = v
            if present != cells:
                missing.append(m)
            total += n or 0
            if months is not None and (fewest is None or months < fewest):
                fewest = months
        if missing:
            out.append((k, PeriodCount(None, False, "missing: " + ", ".join(missing), None)))
        elif grain == "year" and fewest is not None and fewest < 12:
            out.append((k, PeriodCount(total, False, f"only {fewest} months reported", None)))
        else:
            out.append((k, PeriodCount(total, True, "", None)))
    return out


_NOT_IN_TABLE = PeriodCount(None, False, "period missing from the table", None)


# The reader that builds the series of each kind of source (populations have none).
SERIES_READERS: dict[str, Any] = {"incidents": incident_series, "counts": count_series}


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
    ((n,),) = con.rows(
        f"SELECT coalesce(sum(n), 0) FROM daily WHERE source = {lit(source)} "
        f"AND agency = {lit(agency)} AND offense IN {in_list(members)} "
        f"AND day >= {lit(start)} AND day <= {lit(end)}"
    )
    return int(n)
