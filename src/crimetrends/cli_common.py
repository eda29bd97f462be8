"""What every CLI command shares: consoles, output formats, progress bars."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from crimetrends import render
from crimetrends.caveats import MODEL_CAVEATS

console = Console(width=None if sys.stdout.isatty() else 160)
err_console = Console(stderr=True)


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="table, csv or json")]


def emit(fmt: Format, rows: list[dict], payload: dict | None = None) -> bool:
    """Write csv/json to stdout; return False when the caller should draw a table."""
    if fmt is Format.json:
        sys.stdout.write(render.to_json(payload if payload is not None else {"rows": rows}) + "\n")
        return True
    if fmt is Format.csv:
        sys.stdout.write(render.to_csv(rows))
        return True
    return False


def progress(bar: bool = False) -> Progress:
    """Rich progress (with a bar and M/N when `bar`); silent when stderr is not a terminal."""
    columns = [SpinnerColumn(), TextColumn("{task.description}")]
    if bar:
        columns += [BarColumn(), MofNCompleteColumn()]
    return Progress(
        *columns,
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=not err_console.is_terminal,
    )


def command_line() -> str:
    """The command as typed, for the head of a written report."""
    return " ".join(["crimetrends", *sys.argv[1:]])


def print_caveats() -> None:
    for c in MODEL_CAVEATS[:2]:
        console.print(f"[dim]{c}[/]", highlight=False)


def frame_table(frame: pd.DataFrame, title: str, floats: dict[str, str] | None = None) -> Table:
    """A Rich table of a DataFrame; `floats` gives format specs for numeric columns."""
    floats = floats or {}
    table = Table(title=title, title_justify="left")
    for col in frame.columns:
        table.add_column(col, justify="right" if col in floats else "left")
    for row in frame.itertuples(index=False):
        table.add_row(
            *[render.cell_text(c, v, floats) for c, v in zip(frame.columns, row, strict=True)]
        )
    return table
