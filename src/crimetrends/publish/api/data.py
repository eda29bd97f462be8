"""The public tables the API serves, indexed once, reloaded when the store changes."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from crimetrends.errors import NotFoundError

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class PublicData:
    """Tables and provenance, plus per-agency groups built once per version.

    `version` names what the tables were built from (the store's load signature, or
    "fixed" for tables given directly); ETags include it, so a reload changes them.
    """

    tables: dict[str, pd.DataFrame]
    provenance: dict[str, Any]
    version: str = "fixed"
    _groups: dict[str, dict[str, pd.DataFrame]] = field(default_factory=dict)
    _index: dict[str, set[str]] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def table(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    def slugs_for(self, key: str) -> set[str]:
        """slug, full name or city name (case-insensitive) → slugs."""
        if self._index is None:
            index: dict[str, set[str]] = {}
            cities = self.table("cities")
            for name, slug in zip(cities["agency"], cities["slug"], strict=True):
                for k in (slug, name.lower(), name.lower().split(",")[0].strip()):
                    index.setdefault(k, set()).add(slug)
            self._index = index
        return self._index.get(key.strip().lower(), set())

    def by_agency(self, name: str, agency: str | None) -> pd.DataFrame:
        """Rows of table `name` for an agency (every row when `agency` is None)."""
        import pandas as pd

        frame = self.table(name)
        if not agency:
            return frame
        slugs = self.slugs_for(agency)
        if not slugs:
            raise NotFoundError(f"no agency {agency!r}", hint="see /v1/cities")
        with self._lock:
            groups = self._groups.get(name)
            if groups is None:
                groups = dict(iter(frame.groupby("slug", sort=False)))
                self._groups[name] = groups
        parts = [groups[s] for s in sorted(slugs) if s in groups]
        return pd.concat(parts) if parts else frame.iloc[0:0]

    def summary(self) -> dict[str, Any]:
        p = self.provenance or {}
        return {
            "generated_at": p.get("generated_at"),
            "sources": [s.get("name") for s in p.get("sources", [])],
            "interval_method": p.get("interval_method"),
            "full": "/v1/provenance",
        }


class DataSource:
    """Where the app gets its PublicData: fixed tables, or the store (reloaded on change)."""

    def __init__(self, fixed: PublicData | None = None) -> None:
        self._fixed = fixed
        self._current: PublicData | None = fixed
        self._lock = threading.Lock()
        self._version, self._token = "", None

    def version(self) -> str:
        """The store's current version key, recomputed only when the CURRENT file changed
        (a commit replaces it atomically: a new inode and mtime), so a cache lookup per
        request costs one stat."""
        if self._fixed is not None:
            return self._fixed.version
        from crimetrends.publish.public import store_version
        from crimetrends.settings import get_settings
        from crimetrends.store.connect import layout

        try:
            st = os.stat(layout(get_settings()).current_path)
            token: tuple | None = (st.st_ino, st.st_mtime_ns, st.st_size)
        except OSError:
            token = None  # no CURRENT (an empty or first-round store): ask every time
        if token is None or token != self._token:
            self._version, self._token = store_version(), token
        return self._version

    def current(self) -> PublicData:
        """The tables of the store's current version (rebuilt after a commit)."""
        if self._fixed is not None:
            return self._fixed
        from crimetrends.publish.public import public_tables

        version = self.version()
        data = self._current
        if data is None or data.version != version:
            with self._lock:
                data = self._current
                if data is None or data.version != version:
                    tables, prov = public_tables()
                    data = PublicData(tables, prov, version)
                    self._current = data
        return data
