"""Small reference tables shipped with the package (US state names by postal/ORI prefix)."""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

import duckdb
import pandas as pd


@cache
def states() -> dict[str, str]:
    path = resources.files("crimetrends.reference") / "states.csv"
    with path.open(encoding="utf-8") as f:
        return {row["abbr"]: row["name"] for row in csv.DictReader(f)}


def register_reference(con: duckdb.DuckDBPyConnection) -> None:
    con.register("states", pd.DataFrame(list(states().items()), columns=["abbr", "name"]))
