"""Where the store lives and which engine runs the row-level work (env vars, sane defaults)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from crimetrends.errors import ConfigError

ENGINES = ("duckdb", "spark")


@dataclass(frozen=True)
class Settings:
    home: Path
    engine: str

    @property
    def warehouse(self) -> Path:
        return self.home / "warehouse"


def default_home() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("crimetrends", appauthor=False))


def get_settings() -> Settings:
    """Read settings now (not at import): CRIMETRENDS_HOME and CRIMETRENDS_ENGINE."""
    home = os.environ.get("CRIMETRENDS_HOME")
    engine = os.environ.get("CRIMETRENDS_ENGINE", "duckdb").lower()
    if engine not in ENGINES:
        raise ConfigError(
            f"unknown engine {engine!r}", hint=f"set CRIMETRENDS_ENGINE to one of {ENGINES}"
        )
    return Settings(home=Path(home).expanduser() if home else default_home(), engine=engine)
