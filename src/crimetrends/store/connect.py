"""The one place the engine is chosen: an Ibis connection with the store's tables as views."""

from __future__ import annotations

from typing import Any

import duckdb
import ibis

from crimetrends.settings import Settings, get_settings
from crimetrends.store.layout import SCHEMAS, TABLES, Layout


def layout(settings: Settings | None = None) -> Layout:
    return Layout((settings or get_settings()).warehouse)


def raw_duckdb() -> duckdb.DuckDBPyConnection:
    """A private in-memory DuckDB for load-time parsing (CSV reader with reject tables)."""
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
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
    con = raw_duckdb()
    register_views(con, layout(settings))
    return ibis.duckdb.from_connection(con)
