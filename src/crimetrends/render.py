"""Terminal, CSV and JSON renderings of result rows (the CLI stays thin)."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence
from typing import Any

import pandas as pd
from rich.console import Console
from rich.table import Table

from crimetrends import format as fmt
from crimetrends.analysis.trends import METHOD, TrendRow
from crimetrends.taxonomy.offenses import offense_label

LABEL_STYLE = {"up": "bold red", "down": "bold green", "no detectable change": "yellow"}


def _clean(value: Any) -> Any:
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def frame_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """DataFrame rows as dicts with None for missing values (JSON-safe)."""
    return _clean(frame.astype(object).where(frame.notna(), None).to_dict("records"))


def cell_text(column: str, value: Any, floats: dict[str, str]) -> str:
    """One table cell: '–' when missing, `floats[column]` format when given, else str()."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if column in floats:
        return format(value, floats[column])
    return str(value)


def markdown_table(frame: pd.DataFrame, floats: dict[str, str]) -> str:
    cols = [str(c) for c in frame.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in frame.itertuples(index=False):
        cells = [cell_text(c, v, floats) for c, v in zip(cols, row, strict=True)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def to_json(payload: dict[str, Any]) -> str:
    return json.dumps(_clean(payload), indent=2, ensure_ascii=False, default=str)


def to_csv(rows: Sequence[dict[str, Any]]) -> str:
    if not rows:
        return ""
    out = io.StringIO()
    fields = list(dict.fromkeys(k for row in rows for k in row))  # rows may differ in keys
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "; ".join(v) if isinstance(v, list) else v for k, v in row.items()})
    return out.getvalue()


def trend_table(
    rows: Sequence[TrendRow],
    title: str,
    show_source: bool = True,
    show_offense: bool = False,
    show_notes: bool = True,
    footnotes: dict[str, int] | None = None,
) -> Table:
    """A trend table; each distinct flag becomes a numbered footnote in `footnotes`."""
    footnotes = {} if footnotes is None else footnotes
    table = Table(title=title, title_justify="left", show_lines=False, expand=False)
    table.add_column("Agency")
    if show_offense:
        table.add_column("Offense")
    if show_source:
        table.add_column("Source")
    table.add_column("Period")
    table.add_column("Count", justify="right")
    table.add_column("Before", justify="right")
    table.add_column("Change (95% CI)", justify="right")
    table.add_column("Rate/100k", justify="right")
    table.add_column("Label")
    if show_notes:
        table.add_column("Notes")
    for r in rows:
        cells = [r.agency]
        if show_offense:
            cells.append(offense_label(r.offense))
        if show_source:
            cells.append(r.source)
        label = r.label
        style = LABEL_STYLE.get(label, "dim")
        cells += [
            f"{r.period} vs {r.previous_period}",
            fmt.count(r.count),
            fmt.count(r.previous_count),
            fmt.change(r.pct_change, r.ci_low, r.ci_high),
            fmt.rate(r.rate_per_100k),
            f"[{style}]{label}[/]",
        ]
        if show_notes:
            cells.append(
                " ".join(f"[{footnotes.setdefault(f, len(footnotes) + 1)}]" for f in r.flags)
            )
        table.add_row(*cells)
    return table


def print_footnotes(console: Console, footnotes: dict[str, int]) -> None:
    for text, n in sorted(footnotes.items(), key=lambda kv: kv[1]):
        console.print(f"  [{n}] {text}", highlight=False, markup=False)


def print_provenance(console: Console, prov: dict[str, Any]) -> None:
    console.print(f"[bold]Definition[/] ({prov['offense']}): {prov['definition']}")
    console.print(f"[bold]Interval[/]: {METHOD}")
    for src in prov["sources"]:
        console.print(
            f"[bold]Source {src['name']}[/]: {src['title']}. Publisher: {src['publisher']} "
            f"<{src['url']}>. Counting unit: {src['counting_unit']}. Date basis: "
            f"{src['date_basis']}."
            + (f" Crosswalk {src['crosswalk_version']}." if src.get("crosswalk_version") else "")
        )
        for f in src["files"]:
            sample = " [sample extract]" if f.get("sample") else ""
            console.print(
                f"    file {f['file']} sha256 {str(f['sha256'])[:16]}… loaded "
                f"{f['loaded_at']}: {f['rows_in']:,} rows in, {f['rows_kept']:,} kept, "
                f"{f['rows_quarantined']:,} quarantined{sample}",
                highlight=False,
            )
    for note in prov.get("notes", []):
        console.print(f"[bold]Note[/]: {note}")


def reconcile_table(rows: Sequence[Any], title: str, left: str, right: str) -> Table:
    """Both counts per offense and year, and the difference in percent of the second."""
    t = Table(title=title, title_justify="left")
    for col in ("year", "offense", left, right, "difference", "%"):
        t.add_column(col, justify="left" if col == "offense" else "right")
    for r in rows:
        diff = r.difference
        diff_text = fmt.count(diff) if diff is None or diff >= 0 else fmt.MINUS + fmt.count(-diff)
        t.add_row(
            str(r.year),
            r.offense,
            fmt.count(r.count),
            fmt.count(r.other_count),
            diff_text,
            fmt.pct(r.pct_difference),
        )
    return t
