"""Command line: parses arguments, calls the library, renders. No logic of its own."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from crimetrends import cli_impact, cli_models, render
from crimetrends.cli_common import Format, FormatOpt, console, err_console, progress
from crimetrends.cli_common import emit as _emit
from crimetrends.errors import CrimetrendsError

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Crime trend figures with definitions, sources and 95% intervals.",
)


class Engine(StrEnum):
    duckdb = "duckdb"
    spark = "spark"


@app.callback()
def _engine(
    engine: Annotated[
        Engine | None,
        typer.Option(
            "--engine",
            help="where row-level work runs (default: $CRIMETRENDS_ENGINE, else duckdb)",
        ),
    ] = None,
) -> None:
    """Crime trend figures with definitions, sources and 95% intervals."""
    if engine is not None:  # the one setting every layer reads (settings.get_settings)
        os.environ["CRIMETRENDS_ENGINE"] = engine.value


class Period(StrEnum):
    year = "year"
    ytd = "ytd"
    month = "month"
    rolling12 = "rolling12"


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
    if _emit(fmt, [manifest], manifest):
        return
    console.print(
        f"{manifest['status']}: {manifest['file']} as {source} — {manifest['rows_in']:,} rows in, "
        f"{manifest['rows_kept']:,} kept, {manifest['rows_quarantined']:,} quarantined"
        + (
            f", {manifest['rows_superseded_in_older_loads']:,} superseded in older loads"
            if manifest.get("rows_superseded_in_older_loads")
            else ""
        ),
        highlight=False,
    )
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
def trends(
    agency: Annotated[list[str] | None, typer.Option("--agency", "-a", help="repeatable")] = None,
    offense: Annotated[str, typer.Option(help="violent, property or an offense")] = "violent",
    period: Annotated[Period, typer.Option(help="year, ytd, month or rolling12")] = Period.year,
    from_: Annotated[str, typer.Option("--from", help="previous year")] = "",
    to: Annotated[str, typer.Option("--to", help="current year")] = "",
    through: Annotated[str | None, typer.Option(help="end of the window: YYYY-MM[-DD]")] = None,
    source: Annotated[str | None, typer.Option(help="only this source")] = None,
    all_agencies: Annotated[bool, typer.Option("--all", help="every agency")] = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """Change between two periods, with exact 95% intervals and rates per 100,000."""
    from crimetrends.report import trend_report

    report = trend_report(
        agency or [], offense, period.value, from_, to, through, source, all_agencies
    )
    rows = [r.to_dict() for r in report.rows]
    if _emit(fmt, rows, {"rows": rows, "provenance": report.provenance}):
        return
    notes: dict[str, int] = {}
    console.print(render.trend_table(report.rows, report.title, footnotes=notes))
    render.print_footnotes(console, notes)
    render.print_provenance(console, report.provenance)


@app.command()
def coverage(
    source: Annotated[str | None, typer.Option(help="list every code of this source")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Crosswalk coverage per source: rows mapped, every code, the unmapped ones."""
    from crimetrends.analysis.coverage import TARGET
    from crimetrends.analysis.coverage import coverage as cov
    from crimetrends.store.connect import connect

    reports = cov(connect(), source)
    rows = [
        {"source": c.source, **rec} for c in reports for rec in c.codes.to_dict(orient="records")
    ]
    summary = [
        {
            "source": c.source,
            "kind": c.kind,
            "rows": c.rows,
            "mapped_rows": c.mapped_rows,
            "pct_mapped": round(c.pct_mapped, 3),
            "unmapped_codes": len(c.unmapped),
            "quarantined_rows": c.quarantined_rows,
        }
        for c in reports
    ]
    if _emit(fmt, rows, {"summary": summary, "codes": rows}):
        return
    t = Table(
        title="Crosswalk coverage (rows for incidents, summed counts for count tables)",
        title_justify="left",
    )
    for col in ("source", "kind", "rows", "mapped", "% mapped", "unmapped codes", "quarantined"):
        t.add_column(col, justify="right" if col not in ("source", "kind") else "left")
    for s in summary:
        ok = s["pct_mapped"] >= TARGET
        t.add_row(
            s["source"],
            s["kind"],
            f"{s['rows']:,}",
            f"{s['mapped_rows']:,}",
            f"[{'green' if ok else 'red'}]{s['pct_mapped']:.2f}%[/]",
            str(s["unmapped_codes"]),
            f"{s['quarantined_rows']:,}",
        )
    console.print(t)
    for c in reports:
        listed = c.codes if source else c.unmapped
        if listed.empty:
            continue
        t = Table(
            title=f"{c.source}: {'every code' if source else 'unmapped codes'}",
            title_justify="left",
        )
        for col in ("code", "description", "offense", "match", "rows"):
            t.add_column(col, justify="right" if col == "rows" else "left")
        for rec in listed.itertuples():
            t.add_row(
                rec.source_code,
                rec.description,
                str(rec.offense or "—"),
                rec.match,
                f"{rec.rows:,}",
            )
        console.print(t)


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
    from crimetrends.store.catalog import resolve_agency
    from crimetrends.store.connect import connect

    con = connect()
    name = resolve_agency(con, agency)
    year_list = [parse_year(y, "--years") for y in years.split(",") if y.strip()]
    rows = rec(con, name, source, other, year_list)
    dicts = [r.to_dict() for r in rows]
    if _emit(fmt, dicts):
        return
    console.print(render.reconcile_table(rows, f"{name}: {source} vs {other}", source, other))
    seen: list[str] = []
    for r in rows:
        for note in r.notes:
            if note not in seen:
                seen.append(note)
    console.print("[bold]Why they differ (known definitional reasons):[/]")
    for note in seen:
        console.print(f"  • {note}", highlight=False)


@app.command()
def sources(fmt: FormatOpt = Format.table) -> None:
    """Registered sources with what the store holds from each."""
    from crimetrends.report import source_status

    rows = source_status()
    if _emit(fmt, rows):
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
def quality(
    agency: Annotated[str, typer.Option(help="agency name")],
    offense: Annotated[str, typer.Option(help="violent, property or an offense")] = "violent",
    source: Annotated[str | None, typer.Option(help="only this source")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Per-month flags: missing, near zero (outage), unusual (Poisson p < 0.001), provisional."""
    from crimetrends.analysis.aggregate import all_series
    from crimetrends.analysis.quality import month_flags
    from crimetrends.analysis.trends import provisional_months
    from crimetrends.store.catalog import resolve_agency
    from crimetrends.store.connect import connect
    from crimetrends.taxonomy.offenses import resolve_offense

    con = connect()
    name, members = resolve_offense(offense)
    rows = []
    for s in all_series(con, members, name, resolve_agency(con, agency), source):
        if s.grain != "month":
            continue
        flags = month_flags(s.frame, provisional_months(s))
        for period, count, flag in zip(s.frame["period"], s.frame["count"], flags, strict=True):
            if flag:
                rows.append(
                    {
                        "source": s.source,
                        "agency": s.agency,
                        "offense": name,
                        "month": str(period)[:7],
                        "count": None if count != count else int(count),
                        "flag": flag,
                    }
                )
    if _emit(fmt, rows):
        return
    t = Table(title=f"Quality flags: {name}", title_justify="left")
    for col in ("source", "month", "count", "flag"):
        t.add_column(col)
    for r in rows:
        t.add_row(
            r["source"], r["month"], "—" if r["count"] is None else f"{r['count']:,}", r["flag"]
        )
    console.print(t)
    console.print(f"{len(rows)} flagged months", highlight=False)


@app.command()
def quarantine(
    source: Annotated[str | None, typer.Option(help="only this source")] = None,
    limit: Annotated[int, typer.Option(help="rows to show")] = 20,
    fmt: FormatOpt = Format.table,
) -> None:
    """Rows that were not loaded, each with its reason."""
    from crimetrends.store.connect import connect

    t = connect().table("quarantine")
    if source:
        t = t.filter(t.source == source)
    frame = t.order_by([t.source, t.load_id, t.row_number]).limit(limit).to_pandas()
    rows = frame.to_dict(orient="records")
    if _emit(fmt, rows):
        return
    table = Table(title="Quarantined rows", title_justify="left")
    for col in ("source", "row", "reason", "record"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r["source"], str(r["row_number"]), r["reason"], str(r["record"])[:120])
    console.print(table)


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
    if _emit(fmt, [result], result):
        return
    load = result.get("load") or {}
    console.print(
        f"fetched {result['rows']:,} rows in {result['pages']} pages from "
        f"{result['fetch']['url']}; loaded: {load.get('rows_kept', 0):,} kept, "
        f"{load.get('rows_quarantined', 0):,} quarantined",
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
    from crimetrends.ingest.load import load_file
    from crimetrends.settings import get_settings
    from crimetrends.sources.portals.files import download
    from crimetrends.sources.registry import get_source

    get_source(source)
    with progress() as bar:
        bar.add_task(f"downloading {url}", total=None)
        path = download(url, get_settings().home / "vintages" / source)
        manifest = load_file(path, source)
    manifest = {**manifest, "url": url}
    if _emit(fmt, [manifest], manifest):
        return
    console.print(
        f"{manifest['status']}: {url} → {path.name}: {manifest['rows_in']:,} rows in, "
        f"{manifest['rows_kept']:,} kept, {manifest['rows_quarantined']:,} quarantined",
        highlight=False,
    )


@app.command()
def revisions(
    source: Annotated[str, typer.Option(help="registered source")],
    old: Annotated[Path | None, typer.Option(help="older vintage file")] = None,
    new: Annotated[Path | None, typer.Option(help="newer vintage file")] = None,
    city: Annotated[str | None, typer.Option(help="only this agency")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Rows added, removed and revised/reclassified per month and offense between vintages."""
    from crimetrends.analysis.revisions import revisions as diff
    from crimetrends.errors import InputFileError
    from crimetrends.settings import get_settings

    if old is None or new is None:
        found = sorted((get_settings().home / "vintages" / source).glob("*.parquet"))
        if len(found) < 2:
            raise InputFileError(
                f"need two vintages of {source}",
                hint="pass --old and --new, or fetch the source twice",
            )
        old, new = found[-2], found[-1]
    agency = None
    if city:
        from crimetrends.store.catalog import resolve_agency
        from crimetrends.store.connect import connect

        agency = resolve_agency(connect(), city)
    frame = diff(old, new, source, agency)
    rows = frame.to_dict(orient="records")
    if _emit(fmt, rows, {"old": str(old), "new": str(new), "rows": rows}):
        return
    t = Table(title=f"{source}: {old.name} → {new.name}", title_justify="left")
    for col in frame.columns:
        t.add_column(col, justify="right" if frame[col].dtype.kind in "iu" else "left")
    for rec in frame.itertuples(index=False):
        t.add_row(*[f"{v:,}" if isinstance(v, int) else str(v) for v in rec])
    console.print(t)
    console.print(
        f"{len(frame):,} agency-month-offense cells changed; "
        f"{int(frame['revised'].sum()):,} revised, {int(frame['added'].sum()):,} "
        f"added, {int(frame['removed'].sum()):,} removed",
        highlight=False,
    )


site_app = typer.Typer(help="The static public site.", no_args_is_help=True)
app.add_typer(site_app, name="site")


@site_app.command("build")
def site_build(
    out: Annotated[Path, typer.Argument(help="output folder")],
    min_count: Annotated[int | None, typer.Option(help="suppress area counts below this")] = None,
    cell_m: Annotated[float | None, typer.Option(help="grid cell size in metres")] = None,
) -> None:
    """Render a self-contained static site (no CDN, works offline) with downloads."""
    from crimetrends.publish.privacy import PrivacyPolicy
    from crimetrends.publish.site import build_site

    base = PrivacyPolicy.from_env()
    policy = PrivacyPolicy(
        min_count=min_count if min_count is not None else base.min_count,
        cell_m=cell_m if cell_m is not None else base.cell_m,
    )
    with progress() as bar:
        bar.add_task("building the site", total=None)
        stats = build_site(out, policy)
    console.print(
        f"built {stats['pages']} pages and {stats['tables']} tables in {out}/ "
        f"(open {out}/index.html or serve the folder)",
        highlight=False,
    )


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="bind address")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port")] = 8000,
) -> None:
    """Serve the read-only JSON API (OpenAPI docs at /docs)."""
    import uvicorn

    from crimetrends.publish.api import create_app

    uvicorn.run(create_app(), host=host, port=port, log_level="warning")


class CheckFormat(StrEnum):
    table = "table"
    md = "md"
    json = "json"
    html = "html"


@app.command()
def check(
    article: Annotated[Path, typer.Argument(help="text, Markdown or HTML file")],
    date: Annotated[str | None, typer.Option(help="article date YYYY-MM-DD")] = None,
    fmt: Annotated[CheckFormat, typer.Option("--format", "-f")] = CheckFormat.table,
    explain: Annotated[bool, typer.Option(help="show how each claim was read")] = False,
) -> None:
    """Find each quantitative crime claim in a story, recompute it, give a verdict."""
    import datetime as dt

    from crimetrends.claims import check as chk
    from crimetrends.errors import InputFileError

    if not article.is_file():
        raise InputFileError(f"{article}: file not found")
    when = dt.date.fromisoformat(date) if date else None
    verdicts = chk.check_file(article, when)
    if fmt is CheckFormat.json:
        sys.stdout.write(chk.to_json(verdicts) + "\n")
    elif fmt is CheckFormat.md:
        sys.stdout.write(chk.to_markdown(verdicts, explain))
    elif fmt is CheckFormat.html:
        sys.stdout.write(chk.to_html(article.read_text(encoding="utf-8"), verdicts))
    else:
        t = Table(title=f"Claims in {article.name}", title_justify="left", show_lines=True)
        for col in ("#", "claim", "verdict", "our figure", "reason"):
            t.add_column(col, overflow="fold")
        for i, v in enumerate(verdicts, 1):
            ours = "—" if v.our_value is None else f"{v.our_value:,.0f}"
            t.add_row(str(i), v.claim["text"], v.verdict, ours, v.reason)
        console.print(t)
        if explain:
            for line in chk.explain_lines(verdicts):
                console.print(line, markup=False, highlight=False)


@app.command("check-eval")
def check_eval(
    corpus: Annotated[Path, typer.Argument(help="folder of NAME.md + NAME.json")] = Path(
        "tests/claims_corpus"
    ),
    fmt: FormatOpt = Format.table,
) -> None:
    """Claim recall and verdict agreement on a corpus with hand-made expected verdicts."""
    from crimetrends.claims.check import evaluate

    result = evaluate(corpus)
    if _emit(fmt, result["per_article"], result):
        return
    console.print(
        f"{result['articles']} articles, {result['expected_claims']} expected claims: "
        f"claim recall {result['claim_recall']:.0%}, verdict agreement "
        f"{result['verdict_agreement']:.0%}",
        highlight=False,
    )
    for err in result["errors"]:
        console.print(f"  • {err}", highlight=False, markup=False)


@app.command()
def demo(
    data: Annotated[Path | None, typer.Option(help="bundled data folder")] = None,
) -> None:
    """Load the bundled real data and print the year-over-year tables."""
    from crimetrends.demo import run_demo

    run_demo(console, data, progress)


app.command()(cli_models.hotspots)
app.command()(cli_models.forecast)
app.add_typer(cli_models.evaluate_app, name="evaluate")
app.command()(cli_impact.initiatives)
app.command()(cli_impact.impact)
app.command("impact-sim")(cli_impact.impact_sim)
app.command("impact-table")(cli_impact.impact_table_cmd)


def main() -> None:
    """Entry point: library errors become one line (or the JSON error shape), not tracebacks."""
    want_json = "json" in sys.argv and any(a in ("--format", "-f") for a in sys.argv)
    try:
        app()
    except CrimetrendsError as exc:
        if want_json:
            sys.stdout.write(render.to_json(exc.to_dict()) + "\n")
        hint = f" (hint: {exc.hint})" if exc.hint else ""
        err_console.print(f"[red]error:[/] {exc.message}{hint}", highlight=False, soft_wrap=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        err_console.print("interrupted")
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("CRIMETRENDS_DEBUG"):
            raise
        err_console.print(
            f"[red]internal error:[/] {type(exc).__name__}: {exc} "
            "(set CRIMETRENDS_DEBUG=1 for a traceback)",
            highlight=False,
        )
        sys.exit(70)
