"""Getting data in and seeing what is there: load, fetch, fetch-file, sources, coverage,
quarantine, revisions."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from crimetrends.cli.application import app
from crimetrends.cli.options import Format, FormatOpt, SourceOpt
from crimetrends.cli.output import console, emit, progress


def _print_manifest(manifest: dict[str, Any], what: str) -> None:
    console.print(
        f"{manifest['status']}: {what} — {manifest['rows_in']:,} rows in, "
        f"{manifest['rows_kept']:,} kept, {manifest['rows_quarantined']:,} quarantined"
        + (
            f", {manifest['rows_superseded_in_older_loads']:,} superseded in older loads"
            if manifest.get("rows_superseded_in_older_loads")
            else ""
        ),
        highlight=False,
    )
    header = manifest.get("header") or {}
    if header.get("variant") not in (None, "export"):
        console.print(f"  read as {header.get('variant_title')}", highlight=False)
    for col in header.get("columns_ignored") or []:
        what = f"column {col.get('column')}" + (f" '{col['header']}'" if col.get("header") else "")
        console.print(f"  ignored {what}: {col.get('why')}", highlight=False)
    for column, n in (header.get("values_restored") or {}).items():
        console.print(f"  restored {n:,} values in {column} (lost leading zeros)", highlight=False)
    for key, value in (manifest.get("reading") or {}).items():
        console.print(f"  reading: {key.replace('_', ' ')}: {value}", highlight=False)
    for reason, n in manifest.get("quarantine_reasons", {}).items():
        console.print(f"  quarantined {n:,}: {reason}", highlight=False)
    for check in manifest.get("checks", []):
        partial = check["rows_where_components_missing_but_total_published"]
        if partial or check["rows_where_total_differs"]:
            console.print(
                f"  check {check['check']}: {check['rows_where_total_differs']} differ, "
                f"{partial} published with components missing",
                highlight=False,
            )


@app.command()
def load(
    path: Annotated[Path, typer.Argument(help="CSV (optionally .gz) or Parquet file")],
    source: Annotated[str, typer.Option("--source", "-s", help="registered source name")],
    sample: Annotated[bool, typer.Option(help="the file is an extract, not a full record")] = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """Load one file for a registered source (idempotent; bad rows quarantined)."""
    from crimetrends.ingest.load import load_file

    with progress() as bar:
        task = bar.add_task(f"loading {path.name}", total=None)
        manifest = load_file(
            path,
            source,
            sample=sample,
            step=lambda s: bar.update(task, description=f"{path.name}: {s}"),
        )
    if emit(fmt, [manifest], manifest):
        return
    _print_manifest(manifest, f"{manifest['file']} as {source}")


@app.command()
def fetch(
    source: Annotated[str, typer.Argument(help="registered source with a [portal] entry")],
    url: Annotated[str | None, typer.Option(help="portal base URL (default: registry)")] = None,
    page_size: Annotated[int, typer.Option(help="rows per request")] = 1000,
    ori: Annotated[
        list[str] | None,
        typer.Option(help="FBI CDE: agency ORI to fetch (repeat; default: registered cities)"),
    ] = None,
    start: Annotated[
        str | None, typer.Option("--from", help="FBI CDE: first month MM-YYYY")
    ] = None,
    end: Annotated[str | None, typer.Option("--to", help="FBI CDE: last month MM-YYYY")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Pull a source from its portal: resumable after a kill, exactly once, then loaded."""
    from crimetrends.ingest.fetch import fetch as run_fetch

    with progress() as bar:
        task = bar.add_task(f"fetching {source}", total=None)
        result = run_fetch(
            source,
            url,
            page_size,
            step=lambda m: bar.update(task, description=f"{source}: {m}"),
            oris=ori,
            start=start,
            end=end,
        )
    if emit(fmt, [result], result):
        return
    load_ = result.get("load") or {}
    console.print(
        f"fetched {result['rows']:,} rows in {result['pages']} pages from "
        f"{result['fetch']['url']}; loaded: {load_.get('rows_kept', 0):,} kept, "
        f"{load_.get('rows_quarantined', 0):,} quarantined",
        highlight=False,
    )
    if result.get("no_data"):
        console.print(
            "answered without a series (no data reported): " + ", ".join(result["no_data"]),
            highlight=False,
        )
    if result["fetch"].get("new_fields"):
        console.print(
            "new portal fields not in the registry (ignored): "
            + ", ".join(result["fetch"]["new_fields"]),
            highlight=False,
        )


@app.command("fetch-file")
def fetch_file(
    url: Annotated[str, typer.Argument(help="URL of a published CSV (.gz) or Parquet file")],
    source: Annotated[str, typer.Option("--source", "-s", help="registered source name")],
    fmt: FormatOpt = Format.table,
) -> None:
    """Download a published file (kept as a vintage) and load it."""
    from crimetrends.ingest.fetch import fetch_file as run

    with progress() as bar:
        bar.add_task(f"downloading {url}", total=None)
        manifest = run(url, source)
    if emit(fmt, [manifest], manifest):
        return
    _print_manifest(manifest, f"{url} → {Path(manifest['path']).name}")


@app.command()
def sources(fmt: FormatOpt = Format.table) -> None:
    """Registered sources with what the store holds from each."""
    from rich.table import Table

    from crimetrends.store.status import source_status

    rows = source_status()
    if emit(fmt, rows):
        return
    t = Table(title="Registered sources", title_justify="left")
    for col in (
        "source",
        "kind",
        "agency",
        "counting unit",
        "date basis",
        "files",
        "rows",
        "covers",
        "status",
        "last loaded / fetched",
    ):
        t.add_column(col, overflow="fold")
    for r in rows:
        t.add_row(
            r["source"],
            r["kind"],
            r["agency"] or "many",
            r["counting_unit"],
            r["date_basis"],
            str(r["files"]),
            f"{r['rows']:,}",
            r["covers"] or "—",
            f"{r['status']}" + (f" ({r['age_days']:,} days)" if r["age_days"] is not None else ""),
            " / ".join(x for x in (r["last_loaded"], r["last_fetch"]) if x) or "never",
        )
    console.print(t)


@app.command()
def coverage(
    source: Annotated[str | None, typer.Option(help="list every code of this source")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Crosswalk coverage per source: rows mapped, every code, the unmapped ones."""
    from crimetrends.analysis import coverage as cov
    from crimetrends.render.tables import frame_table
    from crimetrends.store.connect import connect

    reports = cov.coverage(connect(), source)
    summary = cov.summary(reports)
    rows = cov.code_rows(reports)
    if emit(fmt, rows, {"summary": summary, "codes": rows}):
        return
    import pandas as pd

    frame = pd.DataFrame(summary)
    if not frame.empty:
        frame["pct_mapped"] = [
            f"[{'green' if ok else 'red'}]{p:.2f}%[/]"
            for p, ok in zip(frame["pct_mapped"], frame["meets_target"], strict=True)
        ]
        frame = frame.drop(columns="meets_target")
    console.print(
        frame_table(
            frame,
            "Crosswalk coverage (rows for incidents, summed counts for count tables)",
            {"rows": ",", "mapped_rows": ",", "quarantined_rows": ",", "unmapped_codes": "d"},
        )
    )
    for c in reports:
        listed = c.codes if source else c.unmapped
        if not listed.empty:
            title = f"{c.source}: {'every code' if source else 'unmapped codes'}"
            console.print(frame_table(listed, title, {"rows": ","}))


@app.command()
def quarantine(
    source: SourceOpt = None,
    limit: Annotated[int, typer.Option(help="rows to show")] = 20,
    fmt: FormatOpt = Format.table,
) -> None:
    """Rows that were not loaded, each with its reason."""
    from crimetrends.render.tables import frame_table
    from crimetrends.store.catalog import quarantined_rows

    frame = quarantined_rows(source, limit)
    from crimetrends.render.records import frame_records

    rows = frame_records(frame)
    if emit(fmt, rows):
        return
    shown = frame[["source", "row_number", "reason", "record"]].assign(
        record=frame["record"].astype(str).str.slice(0, 120)
    )
    console.print(frame_table(shown, "Quarantined rows"))


@app.command()
def revisions(
    source: Annotated[str, typer.Option(help="registered source")],
    old: Annotated[Path | None, typer.Option(help="older vintage file")] = None,
    new: Annotated[Path | None, typer.Option(help="newer vintage file")] = None,
    city: Annotated[str | None, typer.Option(help="only this agency")] = None,
    offense: Annotated[
        str | None, typer.Option(help="with --year: one figure's history across vintages")
    ] = None,
    year: Annotated[int | None, typer.Option(help="the figure's year (with --city)")] = None,
    through: Annotated[str | None, typer.Option(help="the figure's last month (YYYY-MM)")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Changes between two vintages, or one figure's history across every vintage."""
    from crimetrends.store.catalog import resolve_agency
    from crimetrends.store.connect import connect

    agency = resolve_agency(connect(), city) if city else None
    if year is not None:
        _figure_history(source, agency, offense or "violent", year, through, fmt)
        return
    _vintage_diff(source, old, new, agency, fmt)


def _figure_history(
    source: str, agency: str | None, offense: str, year: int, through: str | None, fmt: Format
) -> None:
    import datetime as dt

    from crimetrends.analysis.periods import parse_through
    from crimetrends.analysis.revisions import figure_history
    from crimetrends.errors import ConfigError, NoDataError
    from crimetrends.render.records import frame_records
    from crimetrends.render.tables import frame_table
    from crimetrends.store.connect import connect

    if agency is None:
        raise ConfigError("--year needs --city: whose figure?")
    end = parse_through(through) if through else dt.date(year, 12, 31)
    if end.year != year:
        raise ConfigError(f"--through {through} is not in --year {year}")
    frame = figure_history(connect(), source, agency, offense, dt.date(year, 1, 1), end)
    if frame.empty:
        raise NoDataError(
            f"no vintage of {source} holds {agency}'s {offense} for {year} through {end:%b}",
            hint="see `crimetrends sources`; year-to-date tables hold this year and last",
        )
    rows = frame_records(frame)
    if emit(fmt, rows):
        return
    console.print(
        frame_table(
            frame,
            f"{agency}: {offense}, {frame['period'].iloc[0]}, by vintage",
            {"count": ",.0f", "change": "+,.0f"},
        )
    )


def _vintage_diff(
    source: str, old: Path | None, new: Path | None, agency: str | None, fmt: Format
) -> None:
    from crimetrends.analysis.revisions import revisions as diff
    from crimetrends.render.records import frame_records
    from crimetrends.render.tables import frame_table
    from crimetrends.store.catalog import latest_two_vintages

    if old is None or new is None:
        old, new = latest_two_vintages(source)
    frame = diff(old, new, source, agency)
    rows = frame_records(frame)
    if emit(fmt, rows, {"old": str(old), "new": str(new), "rows": rows}):
        return
    ints = {c: "," for c in frame.columns if frame[c].dtype.kind in "iu"}
    console.print(frame_table(frame, f"{source}: {old.name} → {new.name}", ints))
    console.print(
        f"{len(frame):,} agency × period × offense cells changed; "
        f"{int(frame['revised'].sum()):,} revised, {int(frame['added'].sum()):,} "
        f"added, {int(frame['removed'].sum()):,} removed",
        highlight=False,
    )


@app.command()
def verify(
    repair: Annotated[bool, typer.Option(help="mend what an interrupted load left")] = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """Check the store against its manifests (parts, rollups, ids, accounting); repair."""
    from crimetrends.errors import LoadIntegrityError
    from crimetrends.store.verify import verify as run

    report = run(repair=repair)
    if not emit(fmt, [report.to_dict()], report.to_dict()):
        for line in report.repaired:
            console.print(f"  repaired: {line}", highlight=False)
        for line in report.problems:
            console.print(f"  problem: {line}", highlight=False)
        state = "ok" if report.ok else f"{len(report.problems)} problems"
        console.print(
            f"store version {report.version}: {report.parts} parts checked, {state}",
            highlight=False,
        )
    if not report.ok:
        raise LoadIntegrityError(
            f"the store has {len(report.problems)} problems",
            hint="`crimetrends verify --repair` mends what an interrupted load left",
        )
