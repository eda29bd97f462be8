"""Year-over-year, year-to-date, monthly and rolling-12-month changes with exact 95% CIs."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from crimetrends.analysis.aggregate import Series, all_series, incidents_between
from crimetrends.analysis.periods import (
    PERIOD_KINDS,
    SHORT_WINDOW_DAYS,
    Window,
    add_months,
    month_end,
    same_day_in,
)
from crimetrends.analysis.rates import PopulationTable, per_100k
from crimetrends.analysis.report import TrendQuery
from crimetrends.analysis.uncertainty import rate_change
from crimetrends.errors import ConfigError, MissingPopulationError
from crimetrends.sources.registry import all_sources


@dataclass
class TrendRow:
    source: str
    agency: str
    offense: str
    period: str
    previous_period: str
    start: str
    end: str
    previous_start: str
    previous_end: str
    count: int | None
    previous_count: int | None
    pct_change: float | None
    ci_low: float | None
    ci_high: float | None
    label: str
    rate_per_100k: float | None = None
    previous_rate_per_100k: float | None = None
    population: int | None = None
    population_year: int | None = None
    population_source: str | None = None
    provisional: bool = False
    flags: list[str] = field(default_factory=list)

    @property
    def source_label(self) -> str:
        return self.source

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class WindowCount:
    count: float | None
    complete: bool
    notes: tuple[str, ...]


def count_months(series: Series, window: Window) -> WindowCount:
    """Sum whole months (month grain) or whole years (year grain) of a series."""
    if series.grain == "year":
        keys = [dt.date(y, 1, 1) for y in range(window.start.year, window.end.year + 1)]
    else:
        keys = window.months
    notes, total, complete = [], 0.0, True
    periods = series.by_period
    for k in keys:
        if k not in periods:
            complete = False
            notes.append(f"{k:%Y-%m}: no data")
            continue
        count, ok, note, _ = periods[k]
        if not ok:
            complete = False
            notes.append(f"{k:%Y-%m}: {note}")
        if pd.notna(count):
            total += float(count)
    return WindowCount(total if complete else None, complete, tuple(notes))


def _count_days(con: Any, series: Series, members: tuple[str, ...], window: Window) -> WindowCount:
    """Incident counts over a day range; months before the last must be complete."""
    notes, complete = [], True
    periods = series.by_period
    for k in window.months:
        if k not in periods:
            complete = False
            notes.append(f"{k:%Y-%m}: no data")
            continue
        _, ok, note, last = periods[k]
        if k == window.end.replace(day=1) and window.end != month_end(window.end):
            if pd.isna(last) or pd.Timestamp(last).date() < window.end:
                complete = False
                notes.append(f"{k:%Y-%m}: records end before {window.end}")
        elif not ok:
            complete = False
            notes.append(f"{k:%Y-%m}: {note}")
    if not complete:
        return WindowCount(None, False, tuple(notes))
    if window.start.day == 1 and window.end == month_end(window.end):
        return count_months(series, window)  # whole months: the series already has them
    n = incidents_between(con, series.source, series.agency, members, window.start, window.end)
    return WindowCount(float(n), True, ())


def compress_notes(notes: tuple[str, ...] | list[str]) -> list[str]:
    """'2024-01: no data', '2024-02: no data' → '2024-01 to 2024-02: no data' (consecutive)."""
    runs: list[list[str]] = []  # [first, last, text]
    for note in notes:
        when, _, text = note.partition(": ")
        if runs and runs[-1][2] == text and _next_month(runs[-1][1]) == when:
            runs[-1][1] = when
        else:
            runs.append([when, when, text])
    return [f"{a}: {t}" if a == b else f"{a} to {b}: {t}" for a, b, t in runs]


def _next_month(when: str) -> str:
    try:
        d = dt.date.fromisoformat(when + "-01")
    except ValueError:
        return ""
    return add_months(d, 1).strftime("%Y-%m")


def _latest_complete_month(series: Series, year: int) -> dt.date | None:
    months = [p for p, pc in series.by_period.items() if pc.complete and p.year == year]
    return max(months, default=None)


def _ytd_end(series: Series, year: int, through: dt.date | None) -> dt.date | None:
    if through:
        return through
    if series.day_level:
        f = series.frame
        f = f[pd.to_datetime(f["period"]).dt.year == year]
        last = pd.to_datetime(f["last_day"]).max()
        if pd.isna(last):
            return None
        last_date = last.date()
        # the last day of records may be partial: stop at the day before, unless year-end
        return last_date if last_date == dt.date(year, 12, 31) else last_date - dt.timedelta(1)
    latest = _latest_complete_month(series, year)
    return month_end(latest) if latest else None


def windows_for(
    series: Series, kind: str, from_year: int, to_year: int, through: dt.date | None
) -> list[tuple[Window, Window]]:
    """The (current, previous) window pairs a comparison of this kind needs."""
    if kind == "year":
        return [
            (
                Window(dt.date(to_year, 1, 1), dt.date(to_year, 12, 31)),
                Window(dt.date(from_year, 1, 1), dt.date(from_year, 12, 31)),
            )
        ]
    if series.grain == "year":
        return []
    if kind == "ytd":
        end = _ytd_end(series, to_year, through)
        if end is None:
            return []
        if not series.day_level:
            end = month_end(end)
        return [
            (
                Window(dt.date(to_year, 1, 1), end),
                Window(dt.date(from_year, 1, 1), same_day_in(from_year, end)),
            )
        ]
    if kind == "month":
        last = through or _ytd_end(series, to_year, None)
        if last is None:
            return []
        pairs = []
        for m in range(1, last.month + 1):
            cur = dt.date(to_year, m, 1)
            prev = dt.date(from_year, m, 1)
            pairs.append((Window(cur, month_end(cur)), Window(prev, month_end(prev))))
        return pairs
    if kind == "rolling12":
        end = through or _ytd_end(series, to_year, None)
        latest = _latest_complete_month(series, to_year)
        if through is None and latest is not None:
            end = month_end(latest)
        if end is None:
            return []
        last_month = end.replace(day=1)
        cur = Window(add_months(last_month, -11), month_end(last_month))
        prev = Window(add_months(last_month, -23), month_end(add_months(last_month, -12)))
        return [(cur, prev)]
    raise ConfigError(f"unknown period {kind!r}", hint=f"choose one of {PERIOD_KINDS}")


def provisional_months(series: Series) -> set[dt.date]:
    spec = all_sources().get(series.source)
    k = spec.provisional_months if spec else 0
    if k <= 0 or series.grain != "month":
        return set()
    f = series.frame[series.frame["count"].notna()]
    return {pd.Timestamp(p).date() for p in f["period"].sort_values().tail(k)}


def _definition_flags(
    series: Series, members: tuple[str, ...], cur: Window, prev: Window
) -> list[str]:
    """A definition that changed after the earlier period began and by the later one's end."""
    spec = all_sources().get(series.source)
    earlier, later = sorted((prev, cur), key=lambda w: w.start)
    flags = []
    for brk in spec.definition_breaks if spec else ():
        when = dt.date.fromisoformat(brk.date)
        if brk.offense in members and earlier.start < when <= later.end:
            flags.append(f"definition change between periods: {brk.note}")
    return flags


def _window_counts(
    con: Any, series: Series, members: tuple[str, ...], cur: Window, prev: Window
) -> tuple[WindowCount, WindowCount]:
    """Counts of both windows: whole months from the series, day ranges from the records."""
    if series.day_level and not (cur.month_aligned and prev.month_aligned):
        return _count_days(con, series, members, cur), _count_days(con, series, members, prev)
    return count_months(series, cur), count_months(series, prev)


def _flags(
    series: Series,
    q: TrendQuery,
    a: WindowCount,
    b: WindowCount,
    cur: Window,
    prev: Window,
    provisional: set[dt.date],
    samples: frozenset[str],
) -> tuple[list[str], bool]:
    """Every caveat of one comparison, and whether any month in it is provisional."""
    flags = [*compress_notes(a.notes), *compress_notes(b.notes)]
    flags += _definition_flags(series, q.members, cur, prev)
    prov = sorted(m for m in cur.months if m in provisional)
    if prov:
        flags.append(
            "provisional: "
            + ", ".join(f"{m:%b %Y}" for m in prov)
            + " may be revised by the publisher"
        )
    if q.period == "ytd" and cur.days < SHORT_WINDOW_DAYS:
        flags.append(f"short year-to-date window: {cur.days} days (< {SHORT_WINDOW_DAYS})")
    if series.source in samples:
        flags.append("loaded from a sample extract: not a complete record")
    return flags, bool(prov)


def _label(row: TrendRow, a: WindowCount, b: WindowCount, sample: bool) -> None:
    """The change, its interval and its label, or why there is none."""
    definition_change = any(f.startswith("definition change") for f in row.flags)
    if a.complete and b.complete and not sample and not definition_change:
        if a.count is not None and b.count is not None:
            change = rate_change(int(a.count), int(b.count))
            row.pct_change, row.ci_low, row.ci_high = (
                change.pct_change,
                change.ci_low,
                change.ci_high,
            )
            row.label = change.label
    elif not a.complete or not b.complete:
        row.label = "not comparable: incomplete data"
    elif sample:
        row.label = "not comparable: sample extract"
    else:
        row.label = "not comparable: definition change"


def _add_rates(row: TrendRow, agency: str, cur: Window, prev: Window, pops: PopulationTable):
    """Rates per 100,000 for both periods, with the population's source and year."""
    if row.count is None:
        return
    try:
        pop = pops.lookup(agency, cur.end.year)
        row.rate_per_100k = per_100k(row.count, pop)
        row.population, row.population_year = pop.value, pop.year
        row.population_source = pop.source
        if pop.year != cur.end.year:
            row.flags.append(pop.note)
        if row.previous_count is not None:
            ppop = pops.lookup(agency, prev.end.year)
            row.previous_rate_per_100k = per_100k(row.previous_count, ppop)
    except MissingPopulationError as exc:
        row.flags.append(f"no rate: {exc.message}")


def _covers_either(series: Series, cur: Window, prev: Window) -> bool:
    periods = pd.to_datetime(series.frame["period"])
    first = periods.min().date()
    last = periods.max().date() if series.grain == "month" else dt.date(periods.max().year, 12, 31)
    return not ((cur.end < first or cur.start > last) and (prev.end < first or prev.start > last))


def compare(
    con: Any,
    series: Series,
    q: TrendQuery,
    populations: PopulationTable | None = None,
    samples: frozenset[str] = frozenset(),
) -> list[TrendRow]:
    """All comparison rows of the query's kind for one series (`q` resolved)."""
    assert q.from_year is not None and q.to_year is not None
    rows = []
    provisional = provisional_months(series)
    for cur, prev in windows_for(series, q.period, q.from_year, q.to_year, q.through):
        if not _covers_either(series, cur, prev):
            continue  # the series covers neither period: nothing to say
        a, b = _window_counts(con, series, q.members, cur, prev)
        flags, is_provisional = _flags(series, q, a, b, cur, prev, provisional, samples)
        row = TrendRow(
            source=series.source,
            agency=series.agency,
            offense=series.offense,
            period=cur.label,
            previous_period=prev.label,
            start=cur.start.isoformat(),
            end=cur.end.isoformat(),
            previous_start=prev.start.isoformat(),
            previous_end=prev.end.isoformat(),
            count=None if a.count is None else int(a.count),
            previous_count=None if b.count is None else int(b.count),
            pct_change=None,
            ci_low=None,
            ci_high=None,
            label="not comparable",
            provisional=is_provisional,
            flags=flags,
        )
        _label(row, a, b, series.source in samples)
        if populations is not None:
            _add_rates(row, series.agency, cur, prev, populations)
        rows.append(row)
    return rows


def trend_rows(
    con: Any,
    q: TrendQuery,
    sample_sources: frozenset[str] = frozenset(),
    populations: PopulationTable | None = None,
) -> list[TrendRow]:
    """Rows answering a resolved query (see `report.resolve_query`) from every series."""
    if q.period not in PERIOD_KINDS:
        raise ConfigError(f"unknown period {q.period!r}", hint=f"choose one of {PERIOD_KINDS}")
    pops = populations or PopulationTable.from_store(con)
    out: list[TrendRow] = []
    for agency in q.agencies or (None,):
        for series in all_series(con, q.members, q.offense, agency, q.source):
            out += compare(con, series, q, pops, sample_sources)
    return out
