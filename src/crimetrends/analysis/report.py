"""A trend question (`TrendQuery`) answered as rows with their provenance (`TrendReport`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from crimetrends.errors import ConfigError, NoDataError

PERIOD_WORDS = {
    "latest": "the newest comparable full year and, when newer, the newest year to date",
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
class TrendQuery:
    """One trend question: which agencies, offense, kind of period, years, window end, source.

    Values are as a user gives them (names, not store keys); `trend_report` resolves them.
    An empty `agencies` with `all_agencies` asks for every agency in the store.
    """

    agencies: tuple[str, ...] = ()
    offense: str = "violent"
    period: str = "latest"
    from_year: int | None = None
    to_year: int | None = None
    through: dt.date | str | None = None
    source: str | None = None
    all_agencies: bool = False
    members: tuple[str, ...] = field(default=(), compare=False)
    # answer from the figures as published on or before this date (year-to-date vintages)
    vintage: dt.date | str | None = None

    def __post_init__(self) -> None:
        # accept what callers naturally have: a list of names, 'YYYY-MM' for the window end
        object.__setattr__(self, "agencies", tuple(self.agencies))
        if isinstance(self.through, str):
            from crimetrends.analysis.periods import parse_through

            object.__setattr__(self, "through", parse_through(self.through))
        if isinstance(self.vintage, str):
            from crimetrends.analysis.periods import parse_date

            object.__setattr__(self, "vintage", parse_date(self.vintage, "--vintage"))

    def resolved(self, **changes: Any) -> TrendQuery:
        return replace(self, **changes)


@dataclass(frozen=True)
class TrendReport:
    """Rows for agencies (or for the samples asked for by name), the publishers' samples
    apart (never ranked among agencies), the provenance of every figure, a title."""

    rows: list[Any]
    provenance: dict[str, Any]
    title: str
    samples: list[Any] = field(default_factory=list)


def latest_date(con: Any) -> dt.date | None:
    """The last day any stored incident, monthly count or year-to-date figure covers."""
    from crimetrends.analysis.periods import month_end

    ((daily, counts, ytd),) = con.rows(
        "SELECT (SELECT max(day) FROM daily), (SELECT max(period_start) FROM counts), "
        "(SELECT max(period_end) FROM ytd)"
    )
    days = [v.date() if isinstance(v, dt.datetime) else v for v in (daily, ytd) if v]
    if counts:  # a monthly count covers its whole month
        days.append(month_end(counts.date() if isinstance(counts, dt.datetime) else counts))
    return max(days, default=None)


def _check_years(q: TrendQuery, last: dt.date) -> tuple[int, int]:
    """Years given or implied, refusing the windows that would mislead."""
    to, frm = q.to_year, q.from_year
    if q.through is not None:
        if to is None:
            to = q.through.year
        elif q.through.year != to:
            raise ConfigError(
                f"--through {q.through:%Y-%m} is not in --to {to}",
                hint=f"the window runs from January {to}; use --through {to}-MM",
            )
        if q.through > last:
            raise ConfigError(
                f"--through {q.through.isoformat()} is past the data: the store's figures "
                f"run through {last.isoformat()}",
                hint="see `crimetrends sources` for each source's span",
            )
    if to is None and frm is not None:
        to = frm + 1
    to = to or last.year
    frm = frm if frm is not None else to - 1
    if frm > to:
        raise ConfigError(
            f"--from {frm} is after --to {to}",
            hint=f"--from is the earlier year: --from {to} --to {frm}",
        )
    if frm == to and q.period in ("month", "ytd", "year", "rolling12"):
        raise ConfigError(
            f"--from and --to are both {to}: each period would be compared with itself",
            hint=f"compare with an earlier year, e.g. --from {to - 1} --to {to}",
        )
    return frm, to


def resolve_query(con: Any, query: TrendQuery) -> TrendQuery:
    """Names to store keys (offense and members, agencies, years), refusing bad windows.

    With no years, no window end and the default period, the query asks for each agency's
    newest comparable windows (period "latest").
    """
    from crimetrends.sources.registry import get_source
    from crimetrends.store.catalog import resolve_agency
    from crimetrends.taxonomy.offenses import resolve_offense

    name, members = resolve_offense(query.offense)
    if query.source:
        get_source(query.source)  # unknown names fail with the list of registered sources
    agencies = () if query.all_agencies else tuple(resolve_agency(con, a) for a in query.agencies)
    last = latest_date(con)
    if last is None:
        raise NoDataError("the store is empty", hint="run `crimetrends demo` or `crimetrends load`")
    q = query.resolved(offense=name, members=members, agencies=agencies)
    no_years = query.from_year is None and query.to_year is None and query.through is None
    if no_years:
        return q.resolved(period="latest" if query.period in ("latest", "auto") else query.period)
    if q.period == "latest":
        q = q.resolved(period="ytd" if q.through else "year")
    frm, to = _check_years(q, last)
    return q.resolved(from_year=frm, to_year=to)


def trend_report(query: TrendQuery) -> TrendReport:
    """Rows answering `query`, the provenance of every figure in them, and a title."""
    from crimetrends.analysis.trends import trend_rows
    from crimetrends.analysis.uncertainty import METHOD
    from crimetrends.store.catalog import provenance, sample_sources
    from crimetrends.store.connect import connect
    from crimetrends.taxonomy.offenses import offense_label

    con = connect()
    q = resolve_query(con, query)
    rows = trend_rows(con, q, sample_sources=sample_sources())
    if not rows:
        hint = "see `crimetrends sources` for what the store holds"
        if q.period in ("month", "rolling12", "year") and q.through is not None:
            # a month no monthly series holds yet may be in a year-to-date table
            ytd = trend_rows(con, q.resolved(period="ytd"), sample_sources=sample_sources())
            if any(r.comparable for r in ytd):
                hint = "the year-to-date tables cover this window: add `--period ytd`"
        raise NoDataError(
            f"no {q.period} series covers {query.offense} for "
            f"{', '.join(q.agencies or ['any agency'])} in {q.from_year}/{q.to_year}",
            hint=hint,
        )
    used_pops = sorted(
        {(r.population_source, r.population_year) for r in rows if r.population_source}
    )
    used: dict[str, set[str]] = {}
    for r in rows:
        if r.vintage:
            used.setdefault(r.source, set()).add(r.vintage)
    prov = provenance(
        [r.source for r in rows],
        q.offense,
        vintages=used,
        period=q.period,
        period_definition=PERIOD_WORDS[q.period],
        vintage=q.vintage.isoformat() if isinstance(q.vintage, dt.date) else None,
        vintages_used=sorted({r.vintage for r in rows if r.vintage}),
        from_year=q.from_year,
        to_year=q.to_year,
        through=q.through.isoformat() if q.through else None,
        interval_method=METHOD,
        populations=[{"source": s, "year": y} for s, y in used_pops],
        notes=COMPARISON_NOTES,
        generated_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )
    when = f": {q.to_year} vs {q.from_year}" if q.to_year else ""
    title = f"{offense_label(q.offense)} — {PERIOD_WORDS[q.period]}{when}"
    agencies = [r for r in rows if not r.sample]
    samples = [r for r in rows if r.sample]
    if not agencies and not query.all_agencies:  # only samples were asked for, by name
        agencies, samples = samples, []
    return TrendReport(agencies, prov, title, samples)
