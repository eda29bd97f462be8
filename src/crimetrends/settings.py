"""Every environment variable crimetrends reads, read when asked (never at import).

| variable                   | what it sets                                   | default            |
|----------------------------|------------------------------------------------|--------------------|
| CRIMETRENDS_HOME           | where the store, vintages and results live     | per-user data dir  |
| CRIMETRENDS_ENGINE         | engine for row-level work (`--engine` too)     | duckdb             |
| CRIMETRENDS_MEMORY_LIMIT   | DuckDB memory cap during loads (spills beyond) | 700MB              |
| CRIMETRENDS_MIN_COUNT      | public outputs suppress area counts below this | 5                  |
| CRIMETRENDS_CELL_M         | public grid cell size in metres                | 500                |
| CRIMETRENDS_BUNDLE         | folder of bundled data for `demo`              | data/bundled       |
| CRIMETRENDS_DEBUG          | tracebacks instead of one-line internal errors | off                |
| CRIMETRENDS_SPARK_MASTER   | Spark master for the spark engine              | local[2]           |
| SPARK_REMOTE               | Spark Connect server (sc://host:port)          | none               |
| SOCRATA_APP_TOKEN, FBI_CDE_API_KEY (named by a portal entry) | portal credentials | none |
| CRIMETRENDS_KILL_AT, CRIMETRENDS_FAULTS_LOG | crash tests: kill at the n-th write step | -  |
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

# DuckDB's cap during a load; the process peaks above it (Python, allocator slack): at
# 700MB a 10M-row load peaks near 0.9 GB of RSS, at 1GB near 1.2 GB (bench/RESULTS.md)
DEFAULT_MEMORY_LIMIT = "700MB"

# Values the command line sets for this invocation (`--engine`), beside the environment.
_overrides: dict[str, str] = {}


@dataclass(frozen=True)
class Settings:
    home: Path
    engine: str
    memory_limit: str = DEFAULT_MEMORY_LIMIT

    @property
    def warehouse(self) -> Path:
        return self.home / "warehouse"


def default_home() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("crimetrends", appauthor=False))


def override(**values: str | None) -> None:
    """Set (or, with None, clear) values the command line gives for this invocation."""
    for key, value in values.items():
        if value is None:
            _overrides.pop(key, None)
        else:
            _overrides[key] = value


def _get(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def get_settings() -> Settings:
    """The store's home, the engine (validated by the engine registry when used), limits."""
    home = _get("CRIMETRENDS_HOME")
    engine = _overrides.get("engine") or (_get("CRIMETRENDS_ENGINE") or "duckdb").lower()
    return Settings(
        home=Path(home).expanduser() if home else default_home(),
        engine=engine,
        memory_limit=_get("CRIMETRENDS_MEMORY_LIMIT") or DEFAULT_MEMORY_LIMIT,
    )


def privacy_defaults() -> tuple[int, float]:
    """(min_count, cell_m) for public outputs."""
    return int(_get("CRIMETRENDS_MIN_COUNT") or "5"), float(_get("CRIMETRENDS_CELL_M") or "500")


def bundle_dir() -> Path | None:
    value = _get("CRIMETRENDS_BUNDLE")
    return Path(value) if value else None


def debug() -> bool:
    return bool(_get("CRIMETRENDS_DEBUG"))


def spark_master() -> str:
    return _get("CRIMETRENDS_SPARK_MASTER") or "local[2]"


def spark_remote() -> str | None:
    return _get("SPARK_REMOTE")


def secret(name: str) -> str | None:
    """A credential whose variable a registry entry names (e.g. FBI_CDE_API_KEY)."""
    return _get(name) or None


def loopback_spark() -> None:
    """Local Spark binds to 127.0.0.1 unless SPARK_LOCAL_IP says otherwise (no public port)."""
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")


def fault_injection() -> tuple[int | None, str | None]:
    """(kill at the n-th fault point, log file of fault points): the crash tests' switches
    (CRIMETRENDS_KILL_AT, CRIMETRENDS_FAULTS_LOG); both unset in normal use."""
    kill = _get("CRIMETRENDS_KILL_AT")
    return (int(kill) if kill else None), (_get("CRIMETRENDS_FAULTS_LOG") or None)
