"""Every city-level series the city pages chart: months and years, every offense.

The public `monthly` table holds violent and property crime per month. The charts also need
the component offenses (Los Angeles reported only murders to RTCI for years, so its totals
are missing in every month) and the annual tables (LAPD's rollups, the UCR table). Those are
city-level counts, which the privacy policy allows for every offense (it governs maps), so
they are read from the store here with the same series readers the trend figures use; the
violent and property months are taken from the public table as they are. Each month also
gets its rolling 12-month sum (with the exact Poisson band of that sum) and the population
of its own year, so a page can show counts or rates per 100,000.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from crimetrends.publish.site.words import OFFENSES

COLUMNS = [
    "agency",
    "slug",
    "source",
    "offense",
    "grain",
    "period",
    "count",
    "complete",
    "note",
    "ci_low",
    "ci_high",
    "provisional",
    "quality_flags",
    "rolling12",
    "rolling12_low",
    "rolling12_high",
    "population",
    "population_year",
    "population_source",
]


def build_series(con: Any, monthly: pd.DataFrame, samples: frozenset[str]) -> pd.DataFrame:
    """One row per source × agency × offense × period (month or year), see COLUMNS."""
    from crimetrends.analysis.rates import PopulationTable

    frames = [_public_months(monthly)]
    for offense in OFFENSES:
        frames += store_series(con, offense, samples)
    out = pd.concat([f for f in frames if len(f)], ignore_index=True)
    out = _rolling(out)
    out = _populations(out, PopulationTable.from_store(con))
    from crimetrends.publish.tables import round_public, slug

    out["slug"] = out["agency"].map(slug)
    out = round_public(out)  # bands to 4 decimals, as in every public table
    return out[COLUMNS].sort_values(["slug", "offense", "source", "period"], ignore_index=True)


def _public_months(monthly: pd.DataFrame) -> pd.DataFrame:
    f = monthly.copy()
    f["period"] = f["month"] + "-01"
    f["grain"] = "month"
    return f[[c for c in COLUMNS if c in f.columns]]


def series_key(offense: str, samples: frozenset[str]) -> tuple:
    return ("site series", offense, samples)


def store_series(con: Any, offense: str, samples: frozenset[str]) -> list[pd.DataFrame]:
    """The store's series of one offense (its months from the public table for the two
    totals), remembered on a batch handle: the public tables' helper process computes some
    offenses' while this process computes the rest (`publish.helper`)."""
    skip = offense in ("violent", "property")
    if getattr(con, "batch", False):
        key = series_key(offense, samples)
        return con.memo(key, lambda: _store_series(con, offense, samples, skip))
    return _store_series(con, offense, samples, skip)


def _store_series(con: Any, offense: str, samples: frozenset[str], skip_months: bool) -> list:
    """The store's series of one offense (sample extracts left out, as in every trend),
    gathered as plain lists and turned into one frame (a frame per series costs seconds)."""
    from crimetrends.analysis.aggregate import all_series
    from crimetrends.taxonomy.offenses import resolve_offense

    name, members = resolve_offense(offense)
    cols: dict[str, list] = {k: [] for k in ("period", "count", "complete", "note")}
    cols.update({k: [] for k in ("agency", "source", "grain")})
    for s in all_series(con, members, name):
        if s.source in samples or s.grain not in ("month", "year"):
            continue
        if skip_months and s.grain == "month":
            continue  # from the public monthly table, as published
        n = len(s.periods)
        cols["period"] += [p.isoformat()[:10] for p, _ in s.periods]
        cols["count"] += [
            c.count if c.complete and c.count is not None else np.nan for _, c in s.periods
        ]
        cols["complete"] += [c.complete for _, c in s.periods]
        cols["note"] += [c.note for _, c in s.periods]
        cols["agency"] += [s.agency] * n
        cols["source"] += [s.source] * n
        cols["grain"] += [s.grain] * n
    if not cols["period"]:
        return []
    out = pd.DataFrame(cols).assign(offense=offense)
    out["count"] = out["count"].astype(float)
    return [_with_bands(out)]


def _with_bands(frame: pd.DataFrame) -> pd.DataFrame:
    """Exact Poisson bands, the provisional months (the last k months each publisher still
    revises, as `provisional_months` defines them) and the missing-month flag."""
    from crimetrends.analysis.uncertainty import poisson_intervals
    from crimetrends.sources.registry import all_sources

    out = frame.copy()
    out["ci_low"], out["ci_high"] = poisson_intervals(out["count"].to_numpy(dtype=float))
    specs = all_sources()
    k = out["source"].map(lambda s: specs[s].provisional_months if s in specs else 0)
    known = out["count"].notna() & (out["grain"] == "month")
    from_end = (
        out[known]
        .sort_values("period", ascending=False)
        .groupby(["agency", "source", "offense"])
        .cumcount()
    )
    out["provisional"] = False
    out.loc[from_end.index, "provisional"] = from_end < k.loc[from_end.index]
    out["quality_flags"] = np.where(out["count"].isna(), "missing or incomplete", "")
    return out


def _rolling(frame: pd.DataFrame) -> pd.DataFrame:
    """The sum of each month and the 11 before it: only when all 12 are complete."""
    from crimetrends.analysis.uncertainty import poisson_intervals

    out = frame.copy()
    out["count"] = pd.to_numeric(out["count"], errors="coerce").astype(float)
    out["rolling12"] = np.nan
    months = out[out["grain"] == "month"].sort_values(["agency", "source", "offense", "period"])
    rolled = (
        months.groupby(["agency", "source", "offense"], sort=False)["count"]
        .rolling(12, min_periods=12)
        .sum()
        .reset_index(level=[0, 1, 2], drop=True)
    )
    out.loc[rolled.index, "rolling12"] = rolled
    out["rolling12_low"], out["rolling12_high"] = poisson_intervals(out["rolling12"].to_numpy())
    return out


def _populations(frame: pd.DataFrame, pops: Any) -> pd.DataFrame:
    """The population of each period's own year (nearest year on file), with its source."""
    from crimetrends.errors import MissingPopulationError

    found: dict[tuple[str, int], tuple[Any, Any, Any]] = {}
    years = frame["period"].str[:4].astype(int)
    for agency, year in set(zip(frame["agency"], years, strict=True)):
        try:
            p = pops.lookup(agency, int(year))
            found[(agency, year)] = (p.value, p.year, p.source)
        except MissingPopulationError:
            found[(agency, year)] = (None, None, None)
    rows = [found[(a, y)] for a, y in zip(frame["agency"], years, strict=True)]
    out = frame.copy()
    out["population"] = pd.array([r[0] for r in rows], dtype="Int64")
    out["population_year"] = pd.array([r[1] for r in rows], dtype="Int64")
    out["population_source"] = [r[2] for r in rows]
    return out
