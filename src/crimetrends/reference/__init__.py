"""Small reference tables shipped with the package: US state names by postal/ORI prefix, and
the names people use for agencies (nicknames, initials, police department abbreviations)."""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb


@cache
def states() -> dict[str, str]:
    path = resources.files("crimetrends.reference") / "states.csv"
    with path.open(encoding="utf-8") as f:
        return {row["abbr"]: row["name"] for row in csv.DictReader(f)}


@cache
def agency_aliases() -> dict[str, tuple[str, ...]]:
    """alias (lower case) → the agencies it may mean (several: ambiguous, e.g. 'MPD')."""
    path = resources.files("crimetrends.reference") / "agency_aliases.csv"
    with path.open(encoding="utf-8") as f:
        return {row["alias"]: tuple(row["agencies"].split("|")) for row in csv.DictReader(f)}


def register_reference(con: duckdb.DuckDBPyConnection) -> None:
    """`states` (abbr, name) on `con`, from SQL literals (Arrow or bound parameters would
    make DuckDB import pandas, half a second of a load)."""

    def lit(v: str) -> str:
        return "'" + v.replace("'", "''") + "'"

    values = ", ".join(f"({lit(a)}, {lit(n)})" for a, n in states().items())
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW states AS SELECT * FROM (VALUES {values}) s(abbr, name)"
    )
