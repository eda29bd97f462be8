"""Year-over-year, year-to-date, monthly and rolling-12-month changes with exact 95% CIs.

`trend_rows` gathers every piece of evidence for a query (series and year-to-date vintages,
see `evidence.py`), compares each window pair it can answer (`compare`), then `choose`s: one
row per window from each family of figures (the newest vintage, with any disagreement
shown as a revision), comparable rows ahead of rows that cannot be compared, and with no
years asked each agency's newest comparable windows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from typing import Any

from crimetrends.analysis.evidence import (
    Evidence,
    SeriesEvidence,
    VintageEvidence,
    WindowCount,
    gather,
)
from crimetrends.analysis.periods import (
    PERIOD_KINDS,
    SHORT_WINDOW_DAYS,
    Window,
    add_months,
    month_end,
)
from crimetrends.analysis.rates import PopulationTable, per_100k
from crimetrends.analysis.report import TrendQuery
from crimetrends.analysis.uncertainty import rate_change
from crimetrends.errors import ConfigError, MissingPopulationError
from crimetrends.sources.registry import all_sources

# A window whose two periods hold fewer crimes than this together is "small numbers": its
# interval is honest but wide, and a ranking by percent change would put it first.
SMALL_NUMBERS = 50


def small_numbers(count: int | None, previous: int | None) -> bool:
    return count is not None and previous is not None and count + previous < SMALL_NUMBERS


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
    window: str = ""  # year / ytd / month / rolling12
    through: str = ""  # the last day the current period includes
    vintage: str | None = None  # when the figures were published (ISO date), if known
    sample: str | None = None  # 'national' / 'state' for a publisher's aggregate of agencies
    sample_agencies: int | None = None

    @property
    def source_label(self) -> str:
        return f"{self.source} ({self.vintage})" if self.vintage else self.source

    @property
    def comparable(self) -> bool:
        return self.pct_change is not None or self.label in (
            "up",
            "down",
            "no detectable change",
        )

    def to_dict(self) -> dict[str, Any]:
        """The row as plain values (flags copied: the row keeps its own list)."""
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["flags"] = list(self.flags)
        return out


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


def provisional_months(series: Any) -> set[dt.date]:
    """The months of a series its publisher may still revise."""
    return SeriesEvidence(series.source, series.agency, series.offense, series=series).provisional()


def _flags(
    ev: Evidence,
    q: TrendQuery,
    a: WindowCount,
    b: WindowCount,
    cur: Window,
    prev: Window,
    samples: frozenset[str],
) -> tuple[list[str], bool]:
    """Every caveat of one comparison, and whether any month in it is provisional."""
    flags = [*compress_notes(a.notes), *compress_notes(b.notes)]
    flags += ev.definition_flags(q.members, cur, prev)
    revisable = ev.provisional()
    prov = sorted(m for m in cur.months if m in revisable)
    if prov:
        flags.append(
            "provisional: "
            + ", ".join(f"{m:%b %Y}" for m in prov)
            + " may be revised by the publisher"
        )
    if cur.days < SHORT_WINDOW_DAYS and q.period == "ytd":
        flags.append(f"short year-to-date window: {cur.days} days (< {SHORT_WINDOW_DAYS})")
    if isinstance(ev, SeriesEvidence):
        note = ev.ytd_note(q, cur)
        if note:
            flags.append(note)
    if ev.source in samples:
        flags.append("loaded from a sample extract: not a complete record")
    if ev.sample:
        n = f" of {ev.sample_agencies} agencies" if ev.sample_agencies else ""
        flags.append(f"{ev.source}'s {ev.sample} sample{n}: a sum over agencies, not an agency")
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


def _add_rates(row: TrendRow, ev: Evidence, cur: Window, prev: Window, pops: PopulationTable):
    """Rates per 100,000 for both periods, with the population's source and year."""
    if row.count is None:
        return
    if ev.sample:
        row.flags.append("no rate: the publisher gives the sample's population without its year")
        return
    try:
        pop = pops.lookup(ev.agency, cur.end.year)
        row.rate_per_100k = per_100k(row.count, pop)
        row.population, row.population_year = pop.value, pop.year
        row.population_source = pop.source
        if pop.year != cur.end.year:
            row.flags.append(pop.note)
        if row.previous_count is not None:
            ppop = pops.lookup(ev.agency, prev.end.year)
            row.previous_rate_per_100k = per_100k(row.previous_count, ppop)
    except MissingPopulationError as exc:
        row.flags.append(f"no rate: {exc.message}")


def compare(
    con: Any,
    ev: Evidence,
    q: TrendQuery,
    populations: PopulationTable | None = None,
    samples: frozenset[str] = frozenset(),
) -> list[TrendRow]:
    """All comparison rows of the query's kind from one piece of evidence (`q` resolved)."""
    rows = []
    for cur, prev in ev.window_pairs(q):
        if not (ev.covers(cur) or ev.covers(prev)):
            continue  # the evidence covers neither period: nothing to say
        a, b = ev.count(con, q.members, cur), ev.count(con, q.members, prev)
        flags, is_provisional = _flags(ev, q, a, b, cur, prev, samples)
        row = TrendRow(
            source=ev.source,
            agency=ev.agency,
            offense=ev.offense,
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
            window=q.period,
            through=cur.end.isoformat(),
            vintage=ev.vintage,
            sample=ev.sample,
            sample_agencies=ev.sample_agencies,
        )
        _label(row, a, b, ev.source in samples)
        if populations is not None:
            _add_rates(row, ev, cur, prev, populations)
        rows.append(row)
    return rows


def _family(source: str) -> str:
    """Sources that publish the same statistic share a family (RTCI's table and series)."""
    spec = all_sources().get(source)
    return spec.figures_of if spec and spec.figures_of else source


def _merge_family(rows: list[TrendRow]) -> TrendRow:
    """One row for a window from a family: the newest vintage; older ones as revisions."""
    ranked = sorted(rows, key=lambda r: (r.comparable, r.vintage or ""), reverse=True)
    best = ranked[0]
    for other in ranked[1:]:
        what = f"{other.source} ({other.vintage or 'vintage unknown'})"
        pairs = ((best.period, best.count, other.count),)
        pairs += ((best.previous_period, best.previous_count, other.previous_count),)
        known = [(p, ours, theirs) for p, ours, theirs in pairs if theirs is not None]
        differ = [(p, theirs) for p, ours, theirs in known if ours != theirs]
        if len(known) == 2 and not differ:
            best.flags.append(f"same figures in {what}")
        elif len(known) == 1 and not differ:
            best.flags.append(f"same {known[0][0]} count in {what}")
        for period, theirs in differ:
            best.flags.append(f"revision: {what} gives {period} as {theirs:,}")
    return best


def _num(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


def _revisions(con: Any, q: TrendQuery, row: TrendRow, ev: Evidence, newer: list[Evidence]):
    """Where a later vintage of the same table revised the row's current period, say so."""
    cur = Window(dt.date.fromisoformat(row.start), dt.date.fromisoformat(row.end))
    latest = None
    for other in sorted(newer, key=lambda e: e.vintage or ""):
        c = other.count(con, q.members, cur)
        if c.complete and c.count is not None:
            latest = (other, int(c.count))
    if latest and latest[1] != row.count:
        other, n = latest
        row.flags.append(
            f"revised: {other.source} vintage {other.vintage} gives {row.period} as {n:,}"
        )


def choose(rows: list[TrendRow], q: TrendQuery) -> list[TrendRow]:
    """One row per agency, window and family (see `_merge_family`); then per agency and
    family: with years asked, every window answered (comparable rows first); with no years,
    the newest comparable window of each kind (or the newest row, which says why not)."""
    groups: dict[tuple, list[TrendRow]] = {}
    for r in rows:
        key = (r.agency, r.offense, r.start, r.end, r.previous_start, _family(r.source))
        groups.setdefault(key, []).append(r)
    merged = [_merge_family(g) for g in groups.values()]
    by: dict[tuple[str, str], list[TrendRow]] = {}
    for r in merged:
        by.setdefault((r.agency, _family(r.source)), []).append(r)
    out: list[TrendRow] = []
    for family_rows in by.values():
        out += _keep(family_rows, q)
    if q.to_year is not None:  # a window answered by one family needs no "not comparable"
        answered = {(r.agency, r.start, r.end) for r in out if r.comparable}
        out = [r for r in out if r.comparable or (r.agency, r.start, r.end) not in answered]
    return out


def _keep(rows: list[TrendRow], q: TrendQuery) -> list[TrendRow]:
    """One family's rows for one agency."""
    if q.to_year is not None:
        return rows
    out: list[TrendRow] = []
    for kind in dict.fromkeys(r.window for r in rows):
        mine = [r for r in rows if r.window == kind]
        ok = [r for r in mine if r.comparable]
        # the newest window, and the newest of at least 90 days when that one is shorter
        for pool in (ok or mine, [r for r in ok if _days(r) >= SHORT_WINDOW_DAYS]):
            if pool:
                newest = max(r.end for r in pool)
                pick = next(r for r in pool if r.end == newest)
                if pick not in out:
                    out.append(pick)
    return out


def best(rows: list[TrendRow], everyone: bool) -> list[TrendRow]:
    """From each agency's newest windows (every family), what a reader asks for first.

    One agency: its newest comparable full year, then its newest year to date if newer.
    Every agency at once: each one's newest comparable window of at least 90 days (a
    shorter one only when it has nothing longer). With nothing comparable: the newest row.
    """
    by: dict[str, list[TrendRow]] = {}
    for r in rows:
        by.setdefault(r.agency, []).append(r)
    out = []
    for mine in by.values():
        ok = [r for r in mine if r.comparable]
        if not ok:
            out += sorted(mine, key=lambda r: r.end)[-1:]
            continue
        if everyone:
            pool = [r for r in ok if _days(r) >= SHORT_WINDOW_DAYS] or ok
            newest = max(r.end for r in pool)
            out += [r for r in pool if r.end == newest][:1]
            continue
        years = [r for r in ok if r.window != "ytd"]
        newest_year = max((r.end for r in years), default="")
        out += [r for r in years if r.end == newest_year]
        later = [r for r in ok if r.window == "ytd" and r.end > newest_year]
        if later:
            newest = max(r.end for r in later)
            out += [r for r in later if r.end == newest][:1]
    return out


def _days(r: TrendRow) -> int:
    return (dt.date.fromisoformat(r.end) - dt.date.fromisoformat(r.start)).days + 1


def _rows_for(
    con: Any,
    q: TrendQuery,
    samples: frozenset[str],
    pops: PopulationTable,
    evidence: dict[str | None, list[Evidence]],
) -> list[TrendRow]:
    """Rows from every piece of evidence; a table's vintages newest first.

    With no years asked, a table's older vintages are read only until one gives a
    comparable row of at least 90 days (an older vintage's window is never newer).
    """
    rows: list[TrendRow] = []
    for found_for_agency in evidence.values():
        tables: dict[tuple[str, str], list[VintageEvidence]] = {}
        for ev in found_for_agency:
            if isinstance(ev, VintageEvidence):
                tables.setdefault((ev.source, ev.agency), []).append(ev)
            else:
                rows += compare(con, ev, q, pops, samples)
        for vintages in tables.values():
            vintages.sort(key=lambda e: e.vintage or "", reverse=True)
            for i, ev in enumerate(vintages):
                found = compare(con, ev, q, pops, samples)
                for r in found:
                    _revisions(con, q, r, ev, vintages[:i])
                rows += found
                if q.to_year is None and any(
                    r.comparable and _days(r) >= SHORT_WINDOW_DAYS for r in found
                ):
                    break
    return rows


def trend_rows(
    con: Any,
    q: TrendQuery,
    sample_sources: frozenset[str] = frozenset(),
    populations: PopulationTable | None = None,
    every_family: bool = False,
) -> list[TrendRow]:
    """Rows answering a resolved query (see `report.resolve_query`) from every evidence.

    With no years asked (period "latest": the newest full year and year to date; or a named
    period) the newest windows are found per family of figures; `best` then picks what a
    reader asks first, unless `every_family` (the site shows earlier sources too).
    """
    if q.period != "latest" and q.period not in PERIOD_KINDS:
        raise ConfigError(f"unknown period {q.period!r}", hint=f"choose one of {PERIOD_KINDS}")
    pops = populations or PopulationTable.from_store(con)
    # the evidence does not depend on the kind of period: read it once
    evidence = {a: gather(con, q, a) for a in q.agencies or (None,)}
    rows = []
    for period in ("year", "ytd") if q.period == "latest" else (q.period,):
        sub = q.resolved(period=period)
        rows += choose(_rows_for(con, sub, sample_sources, pops, evidence), sub)
    if q.to_year is None and not every_family:
        return best(rows, everyone=not q.agencies)
    return rows


__all__ = ["TrendRow", "best", "compare", "compress_notes", "month_end", "provisional_months"]
