"""`crimetrends demo`: load the bundled real data, then print the tables a user asks for first."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from crimetrends import format as fmt
from crimetrends import render
from crimetrends.analysis.reconcile import reconcile
from crimetrends.errors import InputFileError
from crimetrends.ingest.load import load_file
from crimetrends.report import trend_report
from crimetrends.store.catalog import resolve_agency
from crimetrends.store.connect import connect

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


def bundle_dir(data: Path | None = None) -> Path:
    """--data, else $CRIMETRENDS_BUNDLE, else the repository's data/bundled."""
    candidates = [data, os.environ.get("CRIMETRENDS_BUNDLE")]
    candidates.append(Path(__file__).resolve().parents[2] / "data" / "bundled")
    for c in candidates:
        if c and (Path(c) / "bundle.toml").exists():
            return Path(c)
    raise InputFileError(
        "bundled data not found", hint="pass --data DIR (a folder holding bundle.toml)"
    )


def load_bundle(console: Console, data: Path | None, progress: Callable[[], Any]) -> list[dict]:
    folder = bundle_dir(data)
    spec = tomllib.loads((folder / "bundle.toml").read_text(encoding="utf-8"))
    manifests = []
    with progress() as bar:
        task = bar.add_task("loading bundled data", total=len(spec["files"]))
        for entry in spec["files"]:
            bar.update(task, description=f"loading {entry['path']}")
            manifests.append(
                load_file(
                    folder / entry["path"], entry["source"], sample=bool(entry.get("sample", False))
                )
            )
            bar.advance(task)
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
    console.print(t)
    return manifests


def run_demo(console: Console, data: Path | None, progress: Callable[[], Any]) -> None:
    load_bundle(console, data, progress)

    seed = trend_report(list(SEED_CITIES), "violent", "ytd", 2023, 2024, "2024-07", "rtci")
    console.rule("Violent crime, Jan–Jul 2024 vs Jan–Jul 2023 (latest complete period)")
    notes: dict[str, int] = {}
    console.print(render.trend_table(seed.rows, seed.title, show_source=False, footnotes=notes))
    render.print_footnotes(console, notes)
    la = trend_report(["Los Angeles"], "murder", "ytd", 2023, 2024, "2024-07", "rtci")
    console.print(
        "Los Angeles reported only murder to RTCI for these months, so its violent total is "
        "incomplete and not compared. What can be compared:",
        highlight=False,
    )
    la_notes: dict[str, int] = {}
    console.print(render.trend_table(la.rows, la.title, show_source=False, footnotes=la_notes))
    render.print_footnotes(console, la_notes)
    render.print_provenance(console, seed.provenance)

    everyone = trend_report([], "violent", "ytd", 2023, 2024, "2024-07", "rtci", all_agencies=True)
    rows = sorted(
        everyone.rows,
        key=lambda r: (
            r.pct_change is None,
            r.pct_change if r.pct_change is not None else 0,
            r.agency,
        ),
    )
    counts = {
        lab: sum(r.label == lab for r in rows) for lab in ("down", "up", "no detectable change")
    }
    not_comparable = len(rows) - sum(counts.values())
    console.rule("Every agency in the Real-Time Crime Index, same comparison, sorted")
    console.print(render.trend_table(rows, everyone.title, show_source=False, show_notes=False))
    console.print(
        f"[bold]{len(rows)} agencies[/]: [green]{counts['down']} show a detectable decline[/], "
        f"[red]{counts['up']} a detectable increase[/], {counts['no detectable change']} no "
        f"detectable change, {not_comparable} not comparable (incomplete months, missing "
        "components or a month RTCI left negative, see `crimetrends trends --all --format json`)",
        highlight=False,
    )

    console.print(
        "Definitions, interval method and source (RTCI, file sha256, load time) as for the "
        "table above; per-row flags: `crimetrends trends --all --source rtci --period ytd "
        "--from 2023 --to 2024 --through 2024-07 --format json`.",
        highlight=False,
    )

    console.rule("Chicago 2017 vs 2016 by offense, from the raw incident records")
    chicago_rows = []
    prov = None
    for offense in BY_OFFENSE:
        rep = trend_report(["Chicago"], offense, "year", 2016, 2017, source="chicago")
        chicago_rows += rep.rows
        prov = prov or rep.provenance
    console.print(
        render.trend_table(
            chicago_rows,
            "Chicago Police Department incidents, harmonized through the IUCR/FBI-code crosswalk",
            show_source=False,
            show_offense=True,
            show_notes=False,
        )
    )
    if prov:
        render.print_provenance(
            console,
            {
                **prov,
                "offense": "each row's offense",
                "definition": "see `crimetrends coverage --source chicago` and the offense table",
            },
        )

    console.rule("Reconciliation: Chicago incidents vs the UCR annual table, 2014–2015")
    con = connect()
    rec = reconcile(con, resolve_agency(con, "Chicago"), "chicago", "ucr_annual", [2014, 2015])
    console.print(render.reconcile_table(rec, "", "incidents", "UCR"))
    console.print("Reasons: `crimetrends reconcile` lists the known definitional differences.")
