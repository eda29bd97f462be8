"""What a comparison can be drawn from, one class per shape of published data.

* `SeriesEvidence`: a monthly (or annual) series of one source, agency and offense, from
  incident records or count tables: any window of whole months (or, from records, days).
* `VintageEvidence`: one vintage of a year-to-date table for one agency: only the windows
  that vintage publishes (January through a month, this year and the year before).

Each says which (current, previous) window pairs it can answer for a query, counts a window
(with whether it is complete and why not) and names its vintage; `trends.compare` turns a
pair into a row. A comparison always takes both of its periods from one piece of evidence,
so from one vintage.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from crimetrends.analysis.aggregate import Series, all_series, incidents_between
from crimetrends.analysis.periods import Window, add_months, month_end, same_day_in
from crimetrends.sources.registry import all_sources

if TYPE_CHECKING:
    from crimetrends.analysis.report import TrendQuery

Pair = tuple[Window, Window]


@dataclass(frozen=True)
class WindowCount:
    count: float | None
    complete: bool
    notes: tuple[str, ...]


def _year_pair(frm: int, to: int) -> Pair:
    return (
        Window(dt.date(to, 1, 1), dt.date(to, 12, 31)),
        Window(dt.date(frm, 1, 1), dt.date(frm, 12, 31)),
    )


def _ytd_pair(frm: int, to: int, end: dt.date) -> Pair:
    return Window(dt.date(to, 1, 1), end), Window(dt.date(frm, 1, 1), same_day_in(frm, end))


@dataclass
class Evidence:
    source: str
    agency: str
    offense: str
    vintage: str | None = None
    sample: str | None = None
    sample_agencies: int | None = None
    population: int | None = None  # as the publisher gives it (samples), without a year

    day_level = False

    def window_pairs(self, q: TrendQuery) -> list[Pair]:
        raise NotImplementedError

    def count(self, con: Any, members: tuple[str, ...], window: Window) -> WindowCount:
        raise NotImplementedError

    def provisional(self) -> set[dt.date]:
        """Months the publisher may still revise (first days of months)."""
        return set()

    def covers(self, window: Window) -> bool:
        raise NotImplementedError

    def definition_flags(self, members: tuple[str, ...], cur: Window, prev: Window) -> list[str]:
        """A definition that changed after the earlier period began and by the later's end."""
        spec = all_sources().get(self.source)
        earlier, later = sorted((prev, cur), key=lambda w: w.start)
        flags = []
        for brk in spec.definition_breaks if spec else ():
            when = dt.date.fromisoformat(brk.date)
            if brk.offense in members and earlier.start < when <= later.end:
                flags.append(f"definition change between periods: {brk.note}")
        return flags


@dataclass
class SeriesEvidence(Evidence):
    series: Series | None = None
    _provisional: set[dt.date] | None = field(default=None, repr=False)

    @property
    def s(self) -> Series:
        assert self.series is not None
        return self.series

    @property
    def day_level(self) -> bool:  # type: ignore[override]
        return self.s.day_level

    # -- windows -------------------------------------------------------------------------
    def window_pairs(self, q: TrendQuery) -> list[Pair]:
        period, s = q.period, self.s
        if q.to_year is None:  # no years asked: this series' newest comparable window
            return self._newest_pairs(period)
        assert q.from_year is not None
        if period == "year":
            return [_year_pair(q.from_year, q.to_year)]
        if s.grain == "year":
            return []
        if period == "ytd":
            end = self._ytd_end(q.to_year, q.through)
            if end is None:
                return []
            return [_ytd_pair(q.from_year, q.to_year, end if s.day_level else month_end(end))]
        if period == "month":
            last = q.through or self._ytd_end(q.to_year, None)
            if last is None:
                return []
            return [
                (
                    Window(dt.date(q.to_year, m, 1), month_end(dt.date(q.to_year, m, 1))),
                    Window(dt.date(q.from_year, m, 1), month_end(dt.date(q.from_year, m, 1))),
                )
                for m in range(1, last.month + 1)
            ]
        if period == "rolling12":
            end = q.through
            if end is None:
                latest = self._latest_complete_month(q.to_year)
                end = month_end(latest) if latest else None
            return [self._rolling(end)] if end else []
        return []

    @staticmethod
    def _rolling(end: dt.date) -> Pair:
        last = end.replace(day=1)
        return (
            Window(add_months(last, -11), month_end(last)),
            Window(add_months(last, -23), month_end(add_months(last, -12))),
        )

    def _complete_years(self) -> list[int]:
        s = self.s
        if s.grain == "year":
            return sorted(p.year for p, pc in s.by_period.items() if pc.complete)
        months: dict[int, int] = {}
        for p, pc in s.by_period.items():
            if pc.complete:
                months[p.year] = months.get(p.year, 0) + 1
        return sorted(y for y, n in months.items() if n == 12)

    def _newest_pairs(self, period: str) -> list[Pair]:
        """The newest window of this kind whose two periods are both complete."""
        if period == "year":
            years = set(self._complete_years())
            both = [y for y in years if y - 1 in years]
            return [_year_pair(max(both) - 1, max(both))] if both else []
        if self.s.grain == "year":
            return []
        latest = self._newest_data_month()
        if latest is None:
            return []
        if period == "ytd":
            end = self._ytd_end(latest.year, None)
            if end is None:
                return []
            end = end if self.s.day_level else month_end(end)
            return [_ytd_pair(latest.year - 1, latest.year, end)]
        if period == "rolling12":
            last = self._latest_complete_month(latest.year)
            return [self._rolling(month_end(last))] if last else []
        if period == "month":
            last = self._latest_complete_month(latest.year)
            if last is None:
                return []
            prev = dt.date(last.year - 1, last.month, 1)
            return [(Window(last, month_end(last)), Window(prev, month_end(prev)))]
        return []

    def _newest_data_month(self) -> dt.date | None:
        months = [p for p, pc in self.s.by_period.items() if pc.complete]
        return max(months, default=None)

    def _latest_complete_month(self, year: int) -> dt.date | None:
        months = [p for p, pc in self.s.by_period.items() if pc.complete and p.year == year]
        return max(months, default=None)

    def _ytd_end(self, year: int, through: dt.date | None) -> dt.date | None:
        if through:
            return through
        if self.s.day_level:
            days = [
                pc.last_day
                for p, pc in self.s.periods
                if p.year == year and pc.last_day is not None
            ]
            if not days:
                return None
            last = max(days)
            last_date = last.date() if isinstance(last, dt.datetime) else last
            # the last day of records may be partial: stop at the day before, unless year-end
            if last_date == dt.date(year, 12, 31):
                return last_date
            return last_date - dt.timedelta(1)
        latest = self._latest_complete_month(year)
        return month_end(latest) if latest else None

    def ytd_note(self, q: TrendQuery, cur: Window) -> str | None:
        """Why an incident year-to-date window ends where it does, when it was not asked."""
        if not self.s.day_level or q.period != "ytd" or q.through is not None:
            return None
        if cur.end == dt.date(cur.end.year, 12, 31) or cur.month_aligned:
            return None
        last = cur.end + dt.timedelta(1)
        return (
            f"window ends {cur.end:%b} {cur.end.day}: the records' last day ({last:%b} "
            f"{last.day}) may be partial, so it is left out of both years"
        )

    # -- counts --------------------------------------------------------------------------
    def covers(self, window: Window) -> bool:
        first, newest = self.s.periods[0][0], self.s.periods[-1][0]
        last = month_end(newest) if self.s.grain == "month" else dt.date(newest.year, 12, 31)
        return not (window.end < first or window.start > last)

    def count(self, con: Any, members: tuple[str, ...], window: Window) -> WindowCount:
        if self.s.day_level and not window.month_aligned:
            return self._count_days(con, members, window)
        return self._count_months(window)

    def _count_months(self, window: Window) -> WindowCount:
        """Sum whole months (month grain) or whole years (year grain)."""
        s = self.s
        if s.grain == "year":
            keys = [dt.date(y, 1, 1) for y in range(window.start.year, window.end.year + 1)]
        else:
            keys = window.months
        notes, total, complete = [], 0.0, True
        for k in keys:
            pc = s.by_period.get(k)
            if pc is None:
                complete = False
                notes.append(f"{k:%Y-%m}: no data")
                continue
            if not pc.complete:
                complete = False
                notes.append(f"{k:%Y-%m}: {pc.note}")
            if pc.count is not None:
                total += float(pc.count)
        return WindowCount(total if complete else None, complete, tuple(notes))

    def _count_days(self, con: Any, members: tuple[str, ...], window: Window) -> WindowCount:
        """Incidents over a day range; months before the last must be complete."""
        notes, complete = [], True
        for k in window.months:
            pc = self.s.by_period.get(k)
            if pc is None:
                complete = False
                notes.append(f"{k:%Y-%m}: no data")
                continue
            if k == window.end.replace(day=1) and window.end != month_end(window.end):
                last = pc.last_day
                last = last.date() if isinstance(last, dt.datetime) else last
                if last is None or last < window.end:
                    complete = False
                    notes.append(f"{k:%Y-%m}: records end before {window.end}")
            elif not pc.complete:
                complete = False
                notes.append(f"{k:%Y-%m}: {pc.note}")
        if not complete:
            return WindowCount(None, False, tuple(notes))
        n = incidents_between(con, self.s.source, self.s.agency, members, window.start, window.end)
        return WindowCount(float(n), True, ())

    def provisional(self) -> set[dt.date]:
        if self._provisional is None:
            spec = all_sources().get(self.source)
            k = spec.provisional_months if spec else 0
            months: set[dt.date] = set()
            if k > 0 and self.s.grain == "month":
                known = sorted(p for p, pc in self.s.periods if pc.count is not None)
                months = set(known[-k:])
            self._provisional = months
        return self._provisional


@dataclass
class VintageEvidence(Evidence):
    """One vintage of a year-to-date table for one agency and offense (or group).

    `figures`: (start, end) → (count summed over the members present, members missing).
    """

    figures: dict[tuple[dt.date, dt.date], tuple[int, tuple[str, ...]]] = field(
        default_factory=dict
    )
    provisional_k: int = 0

    def _pairs(self) -> list[Pair]:
        out = []
        for start, end in self.figures:
            prev = (dt.date(start.year - 1, 1, 1), same_day_in(start.year - 1, end))
            if prev in self.figures and start.month == 1 and start.day == 1:
                out.append((Window(start, end), Window(*prev)))
        return sorted(out, key=lambda p: p[0].end)

    def window_pairs(self, q: TrendQuery) -> list[Pair]:
        pairs = self._pairs()
        if q.to_year is None:
            if q.period == "year":
                full = [p for p in pairs if p[0].end == dt.date(p[0].end.year, 12, 31)]
                return full[-1:]
            return pairs[-1:] if q.period == "ytd" else []
        if q.from_year != q.to_year - 1:
            return []  # a vintage gives one year against the year before it
        mine = [p for p in pairs if p[0].start.year == q.to_year]
        if q.period == "year":
            return [p for p in mine if p[0].end == dt.date(q.to_year, 12, 31)]
        if q.period == "ytd":
            if q.through is not None:
                return [p for p in mine if p[0].end == month_end(q.through)]
            return mine[-1:]
        return []

    def covers(self, window: Window) -> bool:
        return any(s <= window.end and window.start <= e for s, e in self.figures)

    def count(self, con: Any, members: tuple[str, ...], window: Window) -> WindowCount:
        hit = self.figures.get((window.start, window.end))
        if hit is None:
            return WindowCount(None, False, (f"{window.label}: not in this vintage",))
        total, missing = hit
        if missing:
            note = f"{window.label}: missing {', '.join(missing)} (not reported)"
            return WindowCount(None, False, (note,))
        return WindowCount(float(total), True, ())

    def provisional(self) -> set[dt.date]:
        """The last months of the newest window: the publisher revises them next month."""
        if self.provisional_k <= 0 or not self.figures:
            return set()
        end = max(e for _, e in self.figures)
        first = end.replace(day=1)
        return {add_months(first, -i) for i in range(self.provisional_k)}


def months_count(series: Series, window: Window) -> WindowCount:
    """A series' count over whole months (or years) of `window`, with completeness."""
    return SeriesEvidence(
        series.source, series.agency, series.offense, series=series
    )._count_months(window)


def series_evidence(con: Any, q: TrendQuery, agency: str | None) -> list[Evidence]:
    """Every series covering the query's offense, as evidence (with the source's vintage)."""
    from crimetrends.store.catalog import published_vintages

    published = published_vintages()
    specs = all_sources()
    out: list[Evidence] = []
    for s in all_series(con, q.members, q.offense, agency, q.source):
        spec = specs.get(s.source)
        out.append(
            SeriesEvidence(
                s.source,
                s.agency,
                s.offense,
                vintage=published.get(s.source),
                sample=spec.sample_of(s.agency) if spec else None,
                series=s,
            )
        )
    return out


def vintage_evidence(con: Any, q: TrendQuery, agency: str | None) -> list[Evidence]:
    """One VintageEvidence per source × agency × vintage of the year-to-date tables.

    The figures are summed over the query's member offenses in the engine, with the members
    each figure has, so a total with a missing component is known to be incomplete.
    """
    from crimetrends.analysis.aggregate import offense_filter
    from crimetrends.store.sql import lit

    terms = ["offense IS NOT NULL", offense_filter(con, q.members)]
    if agency:
        terms.append(f"agency = {lit(agency)}")
    if q.source:
        terms.append(f"source = {lit(q.source)}")
    if isinstance(q.vintage, dt.date):
        terms.append(f"vintage <= {lit(q.vintage)}")
    sql = (
        "SELECT source, agency, vintage, period_start, period_end, offense, sum(count), "
        "max(sample), max(sample_agencies), max(population) "
        f"FROM ytd WHERE {' AND '.join(terms)} GROUP BY ALL"
    )
    if getattr(con, "batch", False):  # grouped once for every offense the handle is asked
        figures = con.memo(("ytd figures", sql), lambda: _ytd_figures(con.memo_rows(sql)))
    else:
        figures = _ytd_figures(con.rows(sql))
    specs = all_sources()
    sums: dict[tuple, list] = {}
    wanted = set(q.members)
    for key, by_offense in figures.items():
        mine = [off for off in by_offense if off in wanted]  # in the rows' order
        if mine:
            total = sum(by_offense[off][0] for off in mine)
            sums[key] = [total, set(mine), *by_offense[mine[0]][1:]]
    found: dict[tuple, VintageEvidence] = {}
    for (src, ag, vintage, start, end), (total, present, sample, n_agencies, pop) in sums.items():
        key = (src, ag, vintage)
        ev = found.get(key)
        if ev is None:
            spec = specs.get(src)
            ev = found[key] = VintageEvidence(
                src,
                ag,
                q.offense,
                vintage=_date(vintage).isoformat(),
                sample=sample,
                sample_agencies=None if n_agencies is None else int(n_agencies),
                population=None if pop is None else int(pop),
                provisional_k=spec.provisional_months if spec else 0,
            )
        missing = tuple(m for m in q.members if m not in present)
        ev.figures[(_date(start), _date(end))] = (total, missing)
    return list(found.values())


def _ytd_figures(rows: list[tuple]) -> dict[tuple, dict[str, tuple[int, Any, Any, Any]]]:
    """(source, agency, vintage, start, end) → offense → (count, sample, number of
    agencies, population): the year-to-date rows grouped once, whatever the offense."""
    out: dict[tuple, dict[str, tuple[int, Any, Any, Any]]] = {}
    for src, ag, vintage, start, end, off, n, sample, n_agencies, pop in rows:
        # one row per offense: the query groups by it
        out.setdefault((src, ag, vintage, start, end), {})[off] = (int(n), sample, n_agencies, pop)
    return out


def _date(value: Any) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


# Where evidence comes from, by kind of source (a kind without a reader gives none).
EVIDENCE_READERS = {
    "incidents": series_evidence,
    "counts": series_evidence,
    "ytd": vintage_evidence,
}


def gather(con: Any, q: TrendQuery, agency: str | None) -> list[Evidence]:
    """All evidence for a resolved query about one agency (or every agency when None)."""
    spec = all_sources().get(q.source) if q.source else None
    readers = [EVIDENCE_READERS[spec.kind]] if spec and spec.kind in EVIDENCE_READERS else []
    if spec is None:
        readers = list(dict.fromkeys(EVIDENCE_READERS.values()))
    out: list[Evidence] = []
    for reader in readers:
        out += reader(con, q, agency)
    if q.vintage is not None:  # as published by that date: sources known to be newer go
        out = [e for e in out if e.vintage is None or e.vintage <= q.vintage.isoformat()]
    return out
