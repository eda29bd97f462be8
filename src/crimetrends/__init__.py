"""crimetrends: crime trend figures with definitions, sources and 95% intervals.

The library's public surface (imported on first use, so `import crimetrends` stays cheap):

    load_file(path, source)      load a published file into the store
    trend_report(TrendQuery(...)) answer a trend question with provenance
    TrendQuery                   the question: agencies, offense, period, years, source
    connect()                    an Ibis connection to the store's tables

Where things live: `sources/` (a city is a catalog entry + crosswalk), `ingest/` (reading,
typing, quarantine), `taxonomy/` (offenses and crosswalks), `store/` (the Parquet store,
engines), `analysis/` (series, trends, intervals), `claims/`, `spatial/`, `forecast/`,
`impact/`, `render/` (numbers, tables, charts), `publish/` (API, site), `cli/`.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.2.0"

_PUBLIC = {
    "load_file": "crimetrends.ingest.load",
    "trend_report": "crimetrends.analysis.report",
    "TrendQuery": "crimetrends.analysis.report",
    "connect": "crimetrends.store.connect",
}
__all__ = ["TrendQuery", "__version__", "connect", "load_file", "trend_report"]


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        from importlib import import_module

        return getattr(import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'crimetrends' has no attribute {name!r}")
