"""`crimetrends demo`: load the bundled real data, then print the tables a user asks first."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from crimetrends.cli.application import app
from crimetrends.cli.output import console, progress

SEED_CITIES = ("Chicago", "New York City", "Los Angeles")
BY_OFFENSE = (
    "murder",
    "rape",
    "robbery",
    "aggravated_assault",
    "violent",
    "burglary",
    "larceny",
    "motor_vehicle_theft",
    "property",
)


def _loaded_table(folder: Path, manifests: list[dict[str, Any]]) -> Any:
    from rich.table import Table

    from crimetrends.render import numbers as fmt

    t = Table(title=f"Bundled real data loaded from {folder}", title_justify="left")
    for col in ("file", "source", "status", "rows in", "kept", "quarantined"):
        t.add_column(col, justify="right" if col in ("rows in", "kept", "quarantined") else "left")
    for m in manifests:
        t.add_row(
            m["file"],
            m["source"] + (" (sample)" if m.get("sample") else ""),
            m["status"],
            fmt.count(m["rows_in"]),
            fmt.count(m["rows_kept"]),
            fmt.count(m["rows_quarantined"]),
        )
    return t


def _print_report(report: Any, **table: Any) -> None:
    from crimetrends.render import tables

    notes: dict[str, int] = {}
    console.print(tables.trend_table(report.rows, report.title, footnotes=notes, **table))
    tables.print_footnotes(console, notes)


def _seed_tables() -> None:
    """The first question: did violent crime fall in the three largest cities, 2024, 2025,
    so far in 2026? From the newest RTCI year-to-date vintage that holds each window."""
    from crimetrends.analysis.report import TrendQuery, trend_report
    from crimetrends.render import tables

    rows, samples = [], []
    windows = [
        TrendQuery(SEED_CITIES, period="year", from_year=2023, to_year=2024),
        TrendQuery(SEED_CITIES, period="year", from_year=2024, to_year=2025),
        TrendQuery(SEED_CITIES, period="ytd", from_year=2025, to_year=2026),
    ]
    for q in windows:
        rep = trend_report(q)
        rows += rep.rows
        national = trend_report(q.resolved(agencies=("Full Sample, Nationwide",)))
        samples += national.rows
    rows.sort(key=lambda r: (SEED_CITIES.index(_city(r.agency)), r.end))
    console.rule("Violent crime in Chicago, New York and Los Angeles: 2024, 2025, 2026 so far")
    notes: dict[str, int] = {}
    console.print(
        tables.trend_table(rows, "Each row names the vintage it comes from", footnotes=notes)
    )
    console.print(
        tables.trend_table(
            samples, "RTCI's national sample (a sum over agencies, not an agency)", footnotes=notes
        )
    )
    tables.print_footnotes(console, notes)
    for r in rows:
        if not r.comparable:
            missing = "; ".join(f for f in r.flags if "missing" in f)
            console.print(
                f"{r.agency}, {r.period} vs {r.previous_period}: the violent total is incomplete "
                f"({missing}), so it is not compared. What can be compared:",
                highlight=False,
            )
            q = TrendQuery(
                (r.agency,), "murder", "year", int(r.previous_start[:4]), int(r.start[:4])
            )
            _print_report(trend_report(q))
    tables.print_provenance(console, _provenance(rows + samples))


def _provenance(rows: list[Any]) -> dict[str, Any]:
    """The provenance of every row shown: each source with the files its vintages came from."""
    from crimetrends.analysis.report import COMPARISON_NOTES
    from crimetrends.analysis.uncertainty import METHOD
    from crimetrends.store.catalog import provenance

    used: dict[str, set[str]] = {}
    for r in rows:
        if r.vintage:
            used.setdefault(r.source, set()).add(r.vintage)
    return provenance(
        [r.source for r in rows],
        "violent",
        vintages=used,
        interval_method=METHOD,
        notes=COMPARISON_NOTES,
    )


def _city(agency: str) -> str:
    return next(c for c in SEED_CITIES if agency.startswith(c))


def _every_agency() -> None:
    from crimetrends.analysis.report import TrendQuery, trend_report
    from crimetrends.analysis.trends import SMALL_NUMBERS, small_numbers
    from crimetrends.render import tables

    everyone = trend_report(TrendQuery(all_agencies=True))
    rows = sorted(
        everyone.rows,
        key=lambda r: (
            not r.comparable,
            small_numbers(r.count, r.previous_count),
            r.pct_change or 0,
            r.agency,
        ),
    )
    small = sum(small_numbers(r.count, r.previous_count) for r in rows)
    counts = {
        lab: sum(r.label == lab for r in rows) for lab in ("down", "up", "no detectable change")
    }
    not_comparable = len(rows) - sum(counts.values())
    console.rule("Every agency: its newest comparable window (at least 90 days), sorted")
    console.print(
        f"Sorted by change; the {small} windows with fewer than {SMALL_NUMBERS} crimes in both "
        "periods together (small numbers: wide intervals) come after the others.",
        highlight=False,
    )
    console.print(
        tables.trend_table(rows, everyone.title, show_notes=False),
    )
    console.print(
        f"[bold]{len(rows)} agencies[/]: [green]{counts['down']} show a detectable decline[/], "
        f"[red]{counts['up']} a detectable increase[/], {counts['no detectable change']} no "
        f"detectable change, {not_comparable} not comparable (a missing component or month: "
        "`crimetrends trends --all --format json` gives each row's flags). The publisher's "
        f"{len(everyone.samples)} state and national samples are not counted among them.",
        highlight=False,
    )


def _chicago_by_offense() -> None:
    from crimetrends.analysis.report import TrendQuery, trend_report
    from crimetrends.render import tables

    console.rule("Chicago 2017 vs 2016 by offense, from the raw incident records")
    rows, prov = [], None
    for offense in BY_OFFENSE:
        q = TrendQuery(("Chicago",), offense, "year", 2016, 2017, source="chicago")
        rep = trend_report(q)
        rows += rep.rows
        prov = prov or rep.provenance
    console.print(
        tables.trend_table(
            rows,
            "Chicago Police Department incidents, harmonized through the IUCR/FBI-code crosswalk",
            show_source=False,
            show_offense=True,
            show_notes=False,
        )
    )
    if prov:
        tables.print_provenance(
            console,
            {
                **prov,
                "offense": "each row's offense",
                "definition": "see `crimetrends coverage --source chicago` and the offense table",
            },
        )


def _reconciliation() -> None:
    from crimetrends.analysis.reconcile import reconcile
    from crimetrends.render.tables import reconcile_table
    from crimetrends.store.catalog import resolve_agency
    from crimetrends.store.connect import connect

    console.rule("Reconciliation: Chicago incidents vs the UCR annual table, 2014–2015")
    con = connect()
    rec = reconcile(con, resolve_agency(con, "Chicago"), "chicago", "ucr_annual", [2014, 2015])
    console.print(reconcile_table(rec, "", "incidents", "UCR"))
    console.print("Reasons: `crimetrends reconcile` lists the known definitional differences.")


@app.command()
def demo(
    data: Annotated[Path | None, typer.Option(help="bundled data folder")] = None,
) -> None:
    """Load the bundled real data and print the year-over-year tables."""
    from crimetrends.ingest.bundle import bundle_dir, bundle_entries, load_bundle

    total = len(bundle_entries(bundle_dir(data)))
    with progress(bar=True) as bar:
        task = bar.add_task("loading bundled data", total=total)

        def each(entry: dict[str, Any]) -> None:
            bar.update(task, description=f"loading {entry['path']}")
            bar.advance(task)

        folder, manifests = load_bundle(data, each)
    console.print(_loaded_table(folder, manifests))
    _seed_tables()
    _every_agency()
    _chicago_by_offense()
    _reconciliation()
