"""Terminal and Markdown tables of result rows: what the CLI prints, built in one place."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

from crimetrends.render import numbers as fmt

if TYPE_CHECKING:
    import pandas as pd

    from crimetrends.analysis.trends import TrendRow

LABEL_STYLE = {"up": "bold red", "down": "bold green", "no detectable change": "yellow"}


def frame_table(frame: pd.DataFrame, title: str, floats: dict[str, str] | None = None) -> Table:
    """A Rich table of a DataFrame; `floats` gives format specs for numeric columns."""
    floats = floats or {}
    table = Table(title=title, title_justify="left")
    for col in frame.columns:
        table.add_column(str(col), justify="right" if col in floats else "left")
    for row in frame.itertuples(index=False):
        table.add_row(
            *[fmt.cell(v, floats.get(c)) for c, v in zip(frame.columns, row, strict=True)]
        )
    return table


def markdown_table(frame: pd.DataFrame, floats: dict[str, str]) -> str:
    cols = [str(c) for c in frame.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in frame.itertuples(index=False):
        cells = [fmt.cell(v, floats.get(c)) for c, v in zip(cols, row, strict=True)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def trend_table(
    rows: Sequence[TrendRow],
    title: str,
    show_source: bool = True,
    show_offense: bool = False,
    show_notes: bool = True,
    footnotes: dict[str, int] | None = None,
) -> Table:
    """A trend table; each distinct flag becomes a numbered footnote in `footnotes`."""
    from crimetrends.taxonomy.offenses import offense_label

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
            cells.append(r.source_label)
        style = LABEL_STYLE.get(r.label, "dim")
        cells += [
            f"{r.period} vs {r.previous_period}",
            fmt.count(r.count),
            fmt.count(r.previous_count),
            fmt.change(r.pct_change, r.ci_low, r.ci_high),
            fmt.rate(r.rate_per_100k),
            f"[{style}]{r.label}[/]",
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
    from crimetrends.analysis.uncertainty import METHOD

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
        t.add_row(
            str(r.year),
            r.offense,
            fmt.count(r.count),
            fmt.count(r.other_count),
            fmt.MISSING if diff is None else (fmt.count(diff) if diff >= 0 else fmt.signed(diff)),
            fmt.pct(r.pct_difference),
        )
    return t
