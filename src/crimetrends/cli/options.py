"""Options several commands share, each declared once."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class Period(StrEnum):
    year = "year"
    ytd = "ytd"
    month = "month"
    rolling12 = "rolling12"


def _remember_format(value: Format | str | None) -> Format | str | None:
    """Record JSON mode as soon as it is parsed, so an error can answer in the same shape."""
    from crimetrends.cli.output import invocation

    invocation.json = str(value) == "json"
    return value


FormatOpt = Annotated[
    Format,
    typer.Option("--format", "-f", help="table, csv or json", callback=_remember_format),
]
OffenseOpt = Annotated[str, typer.Option(help="violent, property or an offense")]
OffensesOpt = Annotated[
    list[str] | None, typer.Option("--offense", help="repeatable", metavar="OFFENSE")
]
AgencyOpt = Annotated[str, typer.Option("--agency", "-a", help="agency name, e.g. Chicago")]
CityOpt = Annotated[str | None, typer.Option("--city", "-c", help="agency, e.g. Chicago")]
SourceOpt = Annotated[str | None, typer.Option(help="only this source")]
SeedOpt = Annotated[int, typer.Option(help="seed for every random step")]
PlotOpt = Annotated[Path | None, typer.Option("--plot", help="write a chart: .png, .svg or .json")]
OutOpt = Annotated[Path | None, typer.Option(help="write CSVs, a chart and report.md")]
CellOpt = Annotated[float, typer.Option(help="grid cell size in metres")]
