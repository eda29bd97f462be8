"""Engines that run the row-level work, registered by name (DuckDB embedded, Spark scale-out).

An engine is a small class: `connect(layout)` gives an Ibis backend whose tables are the
store's, and `type_incidents(...)` runs a load's typing/validation SQL (written once, in
DuckDB's dialect). Adding an engine is one module and one entry in `BUILTIN_ENGINES`.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from crimetrends.errors import ConfigError

if TYPE_CHECKING:
    import duckdb

    from crimetrends.ingest.read import RawInput
    from crimetrends.sources.registry import SourceSpec
    from crimetrends.store.layout import Layout

# name → "module:Class", imported only when the engine is used
BUILTIN_ENGINES = {
    "duckdb": "crimetrends.store.duckdb:DuckDBEngine",
    "spark": "crimetrends.store.spark:SparkEngine",
}


class Engine:
    """What every engine provides."""

    name: ClassVar[str]
    # whether a second process may open its own handle on the same store version and read
    # it beside this one (DuckDB reads Parquet parts; a Spark session is one per job)
    parallel_readers: ClassVar[bool] = False

    def connect(self, lay: Layout) -> Any:
        """An Ibis backend whose tables are the store's (for row-level expressions)."""
        raise NotImplementedError

    def rows(self, lay: Layout, sql: str) -> tuple[list[str], list[tuple]]:
        """(column names, rows) of one query over the store's tables.

        The query is written once, in DuckDB's dialect (as the loader's SQL is); an engine
        with another dialect translates it. The trend path uses this: it reads small
        rollups, and needs neither Ibis nor pandas (a second of start-up together).
        """
        raise NotImplementedError

    def type_incidents(
        self,
        con: duckdb.DuckDBPyConnection,
        raw: RawInput,
        spec: SourceSpec,
        path: Path,
        work: Path,
    ) -> None:
        """Create the loader's typed-rows relation (see `ingest.incidents.ParsedQueries`)."""
        raise NotImplementedError


def engine_names() -> tuple[str, ...]:
    return tuple(BUILTIN_ENGINES)


def get_engine(name: str) -> Engine:
    target = BUILTIN_ENGINES.get(name.lower())
    if target is None:
        raise ConfigError(
            f"unknown engine {name!r}",
            hint=f"use --engine or CRIMETRENDS_ENGINE with one of {', '.join(BUILTIN_ENGINES)}",
        )
    module, cls = target.split(":")
    return getattr(import_module(module), cls)()
