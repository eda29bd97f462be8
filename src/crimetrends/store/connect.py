"""The one place a store connection is opened: the engine named by the settings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from crimetrends.settings import Settings, get_settings
from crimetrends.store.layout import Layout


def layout(settings: Settings | None = None) -> Layout:
    return Layout((settings or get_settings()).warehouse)


class Store:
    """A handle on the store for one engine: `rows(sql)` for small queries (no Ibis, no
    pandas), and everything an Ibis backend offers (`table(...)`, ...), made on first use."""

    def __init__(self, engine: Any, lay: Layout, batch: bool = False) -> None:
        self.engine, self.lay = engine, lay
        self._ibis: Any = None
        self._memo: dict[str, list[tuple]] = {}
        self._derived: dict[Any, Any] = {}
        # a handle that will ask many questions (the site's tables): read each rollup whole,
        # once, instead of once per offense
        self.batch = batch

    def rows(self, sql: str) -> list[tuple]:
        return self.engine.rows(self.lay, sql)[1]

    def memo_rows(self, sql: str) -> list[tuple]:
        """`rows`, remembered for this handle's life: several questions asked through one
        handle (the site's nine offenses) read each rollup once."""
        if sql not in self._memo:
            self._memo[sql] = self.rows(sql)
        return self._memo[sql]

    def memo(self, key: Any, build: Callable[[], Any]) -> Any:
        """A value derived from remembered rows (grouped for every offense at once), built
        once for this handle's life."""
        if key not in self._derived:
            self._derived[key] = build()
        return self._derived[key]

    def remember(self, key: Any, value: Any) -> None:
        """A value `memo` would build, computed elsewhere on the same store version (by the
        public tables' helper process)."""
        self._derived[key] = value

    def records(self, sql: str) -> list[dict[str, Any]]:
        columns, rows = self.engine.rows(self.lay, sql)
        return [dict(zip(columns, r, strict=True)) for r in rows]

    @property
    def ibis(self) -> Any:
        if self._ibis is None:
            self._ibis = self.engine.connect(self.lay)
        return self._ibis

    def __getattr__(self, name: str) -> Any:
        return getattr(self.ibis, name)


def connect(settings: Settings | None = None, batch: bool = False) -> Store:
    """The store, for the engine the settings name (cheap: nothing is opened until used).

    `batch`: the handle will answer many questions (every offense for every agency); it
    reads each rollup once, whole, and remembers it.
    """
    from crimetrends.store.engines import get_engine

    settings = settings or get_settings()
    return Store(get_engine(settings.engine), layout(settings), batch)


def raw_duckdb(*args: Any, **kwargs: Any) -> Any:
    """A private DuckDB connection for load-time work (see `store.duckdb.raw_duckdb`)."""
    from crimetrends.store.duckdb import raw_duckdb as make

    return make(*args, **kwargs)
