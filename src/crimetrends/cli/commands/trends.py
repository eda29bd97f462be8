"""Trend questions: trends, quality, reconcile."""

from __future__ import annotations

from typing import Annotated

import typer

from crimetrends.cli.application import app
from crimetrends.cli.options import AgencyOpt, Format, FormatOpt, OffenseOpt, Period, SourceOpt
from crimetrends.cli.output import console, emit


@app.command()
def trends(
    agency: Annotated[
        list[str] | None, typer.Option("--agency", "-a", help="repeatable", metavar="NAME")
    ] = None,
    offense: OffenseOpt = "violent",
    period: Annotated[
        Period | None,
        typer.Option(
            help="year, ytd, month or rolling12 (default: the newest comparable full year and "
            "year to date)"
        ),
    ] = None,
    from_: Annotated[str, typer.Option("--from", help="previous year")] = "",
    to: Annotated[str, typer.Option("--to", help="current year")] = "",
    through: Annotated[str | None, typer.Option(help="end of the window: YYYY-MM[-DD]")] = None,
    source: SourceOpt = None,
    vintage: Annotated[
        str | None,
        typer.Option(help="answer from the figures as published by this date (YYYY-MM-DD)"),
    ] = None,
    all_agencies: Annotated[bool, typer.Option("--all", help="every agency")] = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """Change between two periods, with exact 95% intervals and rates per 100,000."""
    from crimetrends.analysis.periods import parse_through, parse_year
    from crimetrends.analysis.report import TrendQuery, trend_report

    query = TrendQuery(
        agencies=tuple(agency or ()),
        offense=offense,
        period=period.value if period else "latest",
        from_year=parse_year(from_, "--from") if from_ else None,
        to_year=parse_year(to, "--to") if to else None,
        through=parse_through(through),
        source=source,
        all_agencies=all_agencies,
        vintage=vintage,
    )
    report = trend_report(query)
    rows = [r.to_dict() for r in report.rows]
    samples = [r.to_dict() for r in report.samples]
    payload = {"rows": rows, "samples": samples, "provenance": report.provenance}
    if emit(fmt, rows + samples, payload):
        return
    from crimetrends.render import tables  # Rich: only for the table

    notes: dict[str, int] = {}
    if report.samples:
        title = "The publisher's samples (sums over agencies: shown apart, never ranked)"
        console.print(tables.trend_table(report.samples, title, footnotes=notes))
    console.print(tables.trend_table(report.rows, report.title, footnotes=notes))
    tables.print_footnotes(console, notes)
    tables.print_provenance(console, report.provenance)


@app.command()
def quality(
    agency: AgencyOpt,
    offense: OffenseOpt = "violent",
    source: SourceOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Per-month flags: missing, near zero (outage), unusual (Poisson p < 0.001), provisional."""
    import pandas as pd

    from crimetrends.analysis.quality import flagged_months
    from crimetrends.render.tables import frame_table
    from crimetrends.store.catalog import resolve_agency
    from crimetrends.store.connect import connect

    con = connect()
    rows = flagged_months(con, resolve_agency(con, agency), offense, source)
    if emit(fmt, rows):
        return
    frame = pd.DataFrame(rows, columns=["source", "month", "count", "flag"])
    console.print(frame_table(frame, f"Quality flags: {offense}", {"count": ","}))
    console.print(f"{len(rows)} flagged months", highlight=False)


@app.command()
def reconcile(
    agency: Annotated[str, typer.Option(help="agency name")] = "Chicago",
    source: Annotated[str, typer.Option(help="first source")] = "chicago",
    other: Annotated[str, typer.Option(help="second source")] = "ucr_annual",
    years: Annotated[str, typer.Option(help="comma-separated years")] = "2014,2015",
    fmt: FormatOpt = Format.table,
) -> None:
    """Two sources for one agency: counts per offense, the difference and known reasons."""
    from crimetrends.analysis.periods import parse_year
    from crimetrends.analysis.reconcile import reconcile as rec
    from crimetrends.render.tables import reconcile_table
    from crimetrends.store.catalog import resolve_agency
    from crimetrends.store.connect import connect

    con = connect()
    name = resolve_agency(con, agency)
    year_list = [parse_year(y, "--years") for y in years.split(",") if y.strip()]
    rows = rec(con, name, source, other, year_list)
    if emit(fmt, [r.to_dict() for r in rows]):
        return
    console.print(reconcile_table(rows, f"{name}: {source} vs {other}", source, other))
    notes = list(dict.fromkeys(note for r in rows for note in r.notes))
    console.print("[bold]Why they differ (known definitional reasons):[/]")
    for note in notes:
        console.print(f"  • {note}", highlight=False)
