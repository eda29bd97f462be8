"""The one place a store connection is opened: the engine named by the settings."""

from __future__ import annotations

from typing import Any

from crimetrends.settings import Settings, get_settings
from crimetrends.store.layout import Layout


def layout(settings: Settings | None = None) -> Layout:
    return Layout((settings or get_settings()).warehouse)


def connect(settings: Settings | None = None) -> Any:
    """An Ibis backend whose tables are the store's (engine from the settings)."""
    from crimetrends.store.engines import get_engine

    settings = settings or get_settings()
    return get_engine(settings.engine).connect(layout(settings))


def raw_duckdb(*args: Any, **kwargs: Any) -> Any:
    """A private DuckDB connection for load-time work (see `store.duckdb.raw_duckdb`)."""
    from crimetrends.store.duckdb import raw_duckdb as make

    return make(*args, **kwargs)
