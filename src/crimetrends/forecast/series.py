"""Clean monthly series to forecast: consecutive complete months, provisional months dropped.

A forecast is only as good as its history, so a series is cut to its latest run of complete
months (a gap or an outage ends the usable history) and the months the publisher marks
provisional are left out; what was cut is said in `note`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from crimetrends.analysis.aggregate import Series, all_series, incident_series
from crimetrends.analysis.trends import provisional_months
from crimetrends.store.catalog import sample_sources

AREA_COLUMNS = ("district", "beat", "community")
SERIES_KEYS = ("source", "agency", "offense", "area_type", "area")  # what names a series


@dataclass(frozen=True)
class MonthlyCounts:
    source: str
    agency: str
    offense: str
    area_type: str  # "city" or a column of the incidents table
    area: str
    periods: pd.DatetimeIndex
    values: np.ndarray
    note: str = ""

    @property
    def key(self) -> str:
        return f"{self.source}|{self.agency}|{self.offense}|{self.area_type}|{self.area}"

    def fields(self) -> dict[str, str]:
        """The columns that name this series in every output row."""
        return {k: getattr(self, k) for k in SERIES_KEYS}

    @property
    def first_month(self) -> int:
        return int(self.periods[0].month)


def usable_run(series: Series) -> tuple[pd.DataFrame, str]:
    """The latest run of complete, non-provisional months, and what was cut."""
    frame = series.frame.sort_values("period").reset_index(drop=True)
    provisional = provisional_months(series)
    is_prov = frame["period"].map(lambda p: pd.Timestamp(p).date() in provisional)
    notes = []
    if is_prov.any():
        notes.append(f"{int(is_prov.sum())} provisional months left out")
    frame = frame[~is_prov]
    good = frame["complete"].to_numpy() & frame["count"].notna().to_numpy()
    if not good.any():
        return frame.iloc[0:0], "no complete month"
    end = int(np.flatnonzero(good)[-1])
    start = end
    while start > 0 and good[start - 1]:
        start -= 1
    if end < len(frame) - 1:
        notes.append(f"{len(frame) - 1 - end} incomplete latest months left out")
    if start > 0:
        gap = pd.Timestamp(frame["period"].iloc[start - 1]).strftime("%Y-%m")
        notes.append(f"history starts after the incomplete month {gap}")
    return frame.iloc[start : end + 1], "; ".join(notes)


def _to_counts(series: Series, area_type: str = "city", area: str = "") -> MonthlyCounts:
    run, note = usable_run(series)
    return MonthlyCounts(
        series.source,
        series.agency,
        series.offense,
        area_type,
        area or series.agency,
        pd.DatetimeIndex(pd.to_datetime(run["period"])),
        run["count"].to_numpy(dtype=float),
        note,
    )


def city_series(
    con: Any,
    offense: str,
    members: tuple[str, ...],
    source: str | None = None,
    agency: str | None = None,
) -> list[MonthlyCounts]:
    """One monthly series per source × agency (sample extracts excluded)."""
    samples = sample_sources()
    found = all_series(con, members, offense, agency, source)
    return [_to_counts(s) for s in found if s.grain == "month" and s.source not in samples]


def area_series(
    con: Any, source: str, agency: str, offense: str, members: tuple[str, ...], by: str
) -> list[MonthlyCounts]:
    """Monthly counts per district/beat/community from incident records.

    Month completeness comes from the whole source (an area with no crimes in a covered month
    had zero, not missing); records without an area are counted in the note, not dropped silently.
    """
    if by not in AREA_COLUMNS:
        raise ValueError(f"area must be one of {AREA_COLUMNS}")
    (city,) = incident_series(con, members, offense, agency, source)
    run, note = usable_run(city)
    periods = pd.DatetimeIndex(pd.to_datetime(run["period"]))
    t = con.table("incidents")
    t = t.filter((t.source == source) & (t.agency == agency) & t.offense.isin(list(members)))
    counts = (
        t.group_by([t[by].name("area"), t.occurred_at.truncate("M").name("period")])
        .aggregate(n=t.count())
        .to_pandas()
    )
    counts["period"] = pd.to_datetime(counts["period"])
    counts = counts[counts["period"].isin(periods)]
    unassigned = int(counts.loc[counts["area"].isna(), "n"].sum())
    wide = counts.dropna(subset=["area"]).pivot_table(
        index="period", columns="area", values="n", aggfunc="sum"
    )
    wide = wide.reindex(periods).fillna(0.0)
    extra = f"{unassigned} records without a {by} not in any area" if unassigned else ""
    note = "; ".join(n for n in (note, extra) if n)
    return [
        MonthlyCounts(source, agency, offense, by, str(a), periods, wide[a].to_numpy(float), note)
        for a in sorted(wide.columns, key=_natural)
    ]


def _natural(value: Any) -> tuple[int, str]:
    text = str(value)
    return (int(text), "") if text.isdigit() else (10**9, text)
