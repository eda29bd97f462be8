"""Monthly panels for impact estimates: treated and comparison units on complete months.

Units are areas of a city (district, beat, community area) built from incident records, or
agencies from a monthly counts source. Aggregates that contain other agencies (RTCI's
"Full Sample, Nationwide", "Cities of 1M+, Nationwide", …) are never comparison units: they
include the treated agency itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from crimetrends.errors import NoDataError, NotFoundError
from crimetrends.forecast.series import area_series, city_series
from crimetrends.impact.registry import Initiative
from crimetrends.store.catalog import resolve_agency
from crimetrends.taxonomy.offenses import resolve_offense

AGGREGATE = re.compile(r"(, Nationwide$|^Full Sample|^Cities of )")


@dataclass(frozen=True)
class Panel:
    """Counts per unit × month (complete months only), and which units are treated."""

    wide: pd.DataFrame  # index: period (month start); columns: unit
    treated: tuple[str, ...]
    unit_type: str  # "district", "beat", "community" or "agency"
    outcome: str
    start: pd.Timestamp
    end: pd.Timestamp | None
    note: str = ""

    @property
    def comparison(self) -> tuple[str, ...]:
        return tuple(c for c in self.wide.columns if c not in self.treated)

    def treated_total(self) -> pd.Series:
        return self.wide[list(self.treated)].sum(axis=1)

    def window(self, pre_months: int | None = None) -> Panel:
        """Keep `pre_months` before the start (all when None) and months up to the end."""
        w = self.wide
        if pre_months is not None:
            w = w[w.index >= self.start - pd.DateOffset(months=pre_months)]
        if self.end is not None:
            w = w[w.index <= self.end]
        return Panel(w, self.treated, self.unit_type, self.outcome, self.start, self.end, self.note)

    def long(self) -> pd.DataFrame:
        out = self.wide.stack().rename("y").reset_index()
        out.columns = ["period", "unit", "y"]
        out["treated"] = out["unit"].isin(self.treated)
        out["post"] = out["period"] >= self.start
        return out


def _month(d: Any) -> pd.Timestamp:
    return pd.Timestamp(d).to_period("M").to_timestamp()


def area_panel(con: Any, ini: Initiative, outcome: str) -> Panel:
    name, members = resolve_offense(outcome)
    agency = resolve_agency(con, ini.agency)
    series = area_series(con, ini.source, agency, name, members, ini.area_type)
    wide = pd.DataFrame({s.area: s.values for s in series}, index=series[0].periods)
    unknown = [a for a in (*ini.areas, *ini.comparison, *ini.buffer) if a not in wide.columns]
    if unknown:
        raise NotFoundError(
            f"{ini.name}: no {ini.area_type} {unknown} in {ini.source}",
            hint="known: " + ", ".join(map(str, wide.columns)),
        )
    if ini.comparison:
        wide = wide[[*ini.areas, *[c for c in ini.comparison if c not in ini.areas]]]
    return _checked(
        Panel(
            wide,
            ini.areas,
            ini.area_type,
            name,
            _month(ini.start),
            _month(ini.end) if ini.end else None,
            series[0].note,
        )
    )


def agency_panel(con: Any, ini: Initiative, outcome: str) -> Panel:
    """The treated agency and every other agency of the source with the same complete months."""
    name, members = resolve_offense(outcome)
    treated = resolve_agency(con, ini.agency)
    found = city_series(con, name, members, ini.source)
    mine = [s for s in found if s.agency == treated]
    if not mine:
        raise NoDataError(f"{ini.source} has no monthly {name} series for {treated}")
    own = mine[0]
    index = own.periods
    wide = {treated: pd.Series(own.values, index=index)}
    allowed = set(ini.comparison) if ini.comparison else None
    for s in found:
        if s.agency == treated or AGGREGATE.search(s.agency):
            continue
        if allowed is not None and s.agency not in allowed:
            continue
        values = pd.Series(s.values, index=s.periods).reindex(index)
        if values.notna().all():  # comparison units need every month the treated one has
            wide[s.agency] = values
    return _checked(
        Panel(
            pd.DataFrame(wide),
            (treated,),
            "agency",
            name,
            _month(ini.start),
            _month(ini.end) if ini.end else None,
            own.note,
        )
    )


def _checked(panel: Panel) -> Panel:
    idx = panel.wide.index
    pre = int((idx < panel.start).sum())
    post = int(
        ((idx >= panel.start) & ((panel.end is None) | (idx <= (panel.end or idx[-1])))).sum()
    )
    if pre < 12:
        raise NoDataError(
            f"only {pre} complete months before {panel.start:%Y-%m}; at least 12 are needed",
            hint=f"the data run {idx[0]:%Y-%m} → {idx[-1]:%Y-%m}",
        )
    if post < 1:
        raise NoDataError(
            f"no complete month on or after {panel.start:%Y-%m}",
            hint=f"the data end {idx[-1]:%Y-%m}",
        )
    return panel


def build_panel(con: Any, ini: Initiative, outcome: str) -> Panel:
    return area_panel(con, ini, outcome) if ini.place_based else agency_panel(con, ini, outcome)


def thin(values: np.ndarray, keep: float, rng: np.random.Generator) -> np.ndarray:
    """Binomial thinning: each recorded crime survives with probability `keep` (effect < 0)."""
    return rng.binomial(values.astype(np.int64), keep).astype(float)
