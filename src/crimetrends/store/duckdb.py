"""The embedded DuckDB engine: private connections for loads, cached views for questions."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import duckdb

from crimetrends.store.engines import Engine
from crimetrends.store.layout import SCHEMAS, TABLES, Layout


def raw_duckdb(spill_dir: Path | None = None, memory_limit: str | None = None):
    """A private in-memory DuckDB for load-time parsing (CSV reader with reject tables).

    With `spill_dir`, memory is capped (`memory_limit`, default from settings) and what does
    not fit spills there, so a load's peak memory does not grow with the input.
    """
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    if spill_dir is not None:
        from crimetrends.settings import get_settings

        spill_dir.mkdir(parents=True, exist_ok=True)
        # literals, not bound parameters: DuckDB imports pandas (0.5 s) to bind one
        limit = memory_limit or get_settings().memory_limit
        con.execute(f"SET memory_limit = {_literal(limit)}")
        con.execute(f"SET temp_directory = {_literal(str(spill_dir))}")
    return con


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def register_views(con: duckdb.DuckDBPyConnection, lay: Layout) -> None:
    """Expose each stored table as a view over its Parquet parts (empty, typed if none)."""
    for table in TABLES:
        parts = lay.parts(table)
        if parts:
            files = "[" + ", ".join("'" + str(p).replace("'", "''") + "'" for p in parts) + "]"
            con.execute(
                f"CREATE OR REPLACE VIEW {table} AS "
                f"SELECT * FROM read_parquet({files}, union_by_name = true)"
            )
        else:
            cols = ", ".join(f"NULL::{t} AS {c}" for c, t in SCHEMAS[table].items())
            con.execute(f"CREATE OR REPLACE VIEW {table} AS SELECT {cols} WHERE false")


def _store_state(lay: Layout) -> tuple:
    """The version a cached connection saw (a commit makes a new one)."""
    return (lay.version_number(),)


_CACHE: dict[tuple, Any] = {}
_IBIS: dict[tuple, Any] = {}


def store_connection(lay: Layout) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the store's tables as views, reused while the store's
    version is unchanged. Per thread: a connection must not be used by two at once."""
    key = (threading.get_ident(), str(lay.root), _store_state(lay))
    if key not in _CACHE:
        for old in [k for k in _CACHE if k[0] == key[0]]:
            del _CACHE[old]
            _IBIS.pop(old, None)
        con = raw_duckdb()
        register_views(con, lay)
        _CACHE[key] = con
    return _CACHE[key]


class DuckDBEngine(Engine):
    name = "duckdb"
    parallel_readers = True

    def connect(self, lay: Layout) -> Any:
        """An Ibis DuckDB backend over the same cached connection."""
        import ibis

        con = store_connection(lay)
        key = (threading.get_ident(), str(lay.root), _store_state(lay))
        if key not in _IBIS:
            _IBIS[key] = ibis.duckdb.from_connection(con)
        return _IBIS[key]

    def rows(self, lay: Layout, sql: str) -> tuple[list[str], list[tuple]]:
        cur = store_connection(lay).execute(sql)
        return [d[0] for d in cur.description], cur.fetchall()

    def type_incidents(self, con, raw, spec, path, work) -> None:
        from crimetrends.ingest import incidents

        incidents.build_parsed(con, raw, spec, path, work=work)
