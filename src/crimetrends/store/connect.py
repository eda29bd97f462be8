"""The one place the engine is chosen: an Ibis connection with the store's tables as views."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import duckdb
import ibis

from crimetrends.settings import Settings, get_settings
from crimetrends.store.layout import SCHEMAS, TABLES, Layout


def layout(settings: Settings | None = None) -> Layout:
    return Layout((settings or get_settings()).warehouse)


def raw_duckdb(spill_dir: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A private in-memory DuckDB for load-time parsing (CSV reader with reject tables).

    With `spill_dir`, memory is capped (CRIMETRENDS_MEMORY_LIMIT, default 1GB) and what does not
    fit spills there, so a load's peak memory does not grow with the input.
    """
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    if spill_dir is not None:
        spill_dir.mkdir(parents=True, exist_ok=True)
        limit = os.environ.get("CRIMETRENDS_MEMORY_LIMIT", "1GB")
        con.execute(f"SET memory_limit = '{limit}'")
        con.execute(f"SET temp_directory = '{spill_dir}'")
    return con


def register_views(con: duckdb.DuckDBPyConnection, lay: Layout) -> None:
    """Expose each stored table as a view over its Parquet parts (empty, typed if none)."""
    for table in TABLES:
        if lay.parts(table):
            con.execute(
                f"CREATE OR REPLACE VIEW {table} AS "
                f"SELECT * FROM read_parquet('{lay.glob(table)}', union_by_name = true)"
            )
        else:
            cols = ", ".join(f"NULL::{t} AS {c}" for c, t in SCHEMAS[table].items())
            con.execute(f"CREATE OR REPLACE VIEW {table} AS SELECT {cols} WHERE false")


def connect(settings: Settings | None = None) -> Any:
    """Return an Ibis backend whose tables are the store's (engine from settings)."""
    settings = settings or get_settings()
    # settings.engine is validated by get_settings(); DuckDB is the embedded default.
    if settings.engine == "spark":
        from crimetrends.store.spark import connect_spark

        return connect_spark(layout(settings))
    con = raw_duckdb()
    register_views(con, layout(settings))
    return ibis.duckdb.from_connection(con)
