"""The one place the engine is chosen: an Ibis connection with the store's tables as views."""

from __future__ import annotations

import os
import threading
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


def _store_state(lay: Layout) -> tuple:
    """The store's part files and their modification times: what a cached connection saw."""
    return tuple((str(p), p.stat().st_mtime_ns) for table in TABLES for p in lay.parts(table))


_CACHE: dict[tuple, Any] = {}


def connect(settings: Settings | None = None) -> Any:
    """Return an Ibis backend whose tables are the store's (engine from settings).

    A DuckDB connection is reused while the store's part files are unchanged (a warm
    question then skips building the connection and its views); any load rebuilds it.
    """
    settings = settings or get_settings()
    lay = layout(settings)
    # settings.engine is validated by get_settings(); DuckDB is the embedded default.
    if settings.engine == "spark":
        from crimetrends.store.spark import connect_spark

        return connect_spark(lay)
    # per thread: a DuckDB connection must not be used by two threads at once
    key = (threading.get_ident(), str(lay.root), _store_state(lay))
    if key not in _CACHE:
        for old in [k for k in _CACHE if k[0] == key[0]]:
            del _CACHE[old]
        con = raw_duckdb()
        register_views(con, lay)
        _CACHE[key] = ibis.duckdb.from_connection(con)
    return _CACHE[key]
