"""A trend question (`TrendQuery`) answered as rows with their provenance (`TrendReport`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from crimetrends.errors import NoDataError

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
class TrendQuery:
    """One trend question: which agencies, offense, kind of period, years, window end, source.

    Values are as a user gives them (names, not store keys); `trend_report` resolves them.
    An empty `agencies` with `all_agencies` asks for every agency in the store.
    """

    agencies: tuple[str, ...] = ()
    offense: str = "violent"
    period: str = "year"
    from_year: int | None = None
    to_year: int | None = None
    through: dt.date | str | None = None
    source: str | None = None
    all_agencies: bool = False
    members: tuple[str, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        # accept what callers naturally have: a list of names, 'YYYY-MM' for the window end
        object.__setattr__(self, "agencies", tuple(self.agencies))
        if isinstance(self.through, str):
            from crimetrends.analysis.periods import parse_through

            object.__setattr__(self, "through", parse_through(self.through))

    def resolved(self, **changes: Any) -> TrendQuery:
        return replace(self, **changes)


@dataclass(frozen=True)
class TrendReport:
    rows: list[Any]
    provenance: dict[str, Any]
    title: str


def latest_year(con: Any) -> int:
    """The newest year any stored incident or count covers."""
    years = []
    for table, col in (("daily", "day"), ("counts", "period_start")):
        t = con.table(table)
        value = t[col].max().to_pyarrow().as_py()
        if value is not None:
            years.append(value.year)
    if not years:
        raise NoDataError("the store is empty", hint="run `crimetrends demo` or `crimetrends load`")
    return max(years)


def resolve_query(con: Any, query: TrendQuery) -> TrendQuery:
    """Names to store keys: the offense and its members, the agencies, the years."""
    from crimetrends.sources.registry import get_source
    from crimetrends.store.catalog import resolve_agency
    from crimetrends.taxonomy.offenses import resolve_offense

    name, members = resolve_offense(query.offense)
    to = query.to_year or latest_year(con)
    frm = query.from_year or to - 1
    agencies = () if query.all_agencies else tuple(resolve_agency(con, a) for a in query.agencies)
    if query.source:
        get_source(query.source)  # unknown names fail with the list of registered sources
    return query.resolved(
        offense=name, members=members, from_year=frm, to_year=to, agencies=agencies
    )


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
        raise NoDataError(
            f"no series covers {query.offense} for {', '.join(q.agencies or ['any agency'])} "
            f"in {q.from_year}/{q.to_year}",
            hint="see `crimetrends sources` for what the store holds",
        )
    used_pops = sorted(
        {(r.population_source, r.population_year) for r in rows if r.population_source}
    )
    prov = provenance(
        [r.source for r in rows],
        q.offense,
        period=q.period,
        period_definition=PERIOD_WORDS[q.period],
        from_year=q.from_year,
        to_year=q.to_year,
        through=q.through.isoformat() if q.through else None,
        interval_method=METHOD,
        populations=[{"source": s, "year": y} for s, y in used_pops],
        notes=COMPARISON_NOTES,
        generated_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )
    title = f"{offense_label(q.offense)} — {PERIOD_WORDS[q.period]}: {q.to_year} vs {q.from_year}"
    return TrendReport(rows, prov, title)
