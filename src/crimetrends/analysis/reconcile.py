"""Two sources, one agency and year: both counts per offense, the gap, and the known reasons."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from crimetrends.analysis.aggregate import all_series
from crimetrends.analysis.evidence import months_count
from crimetrends.analysis.periods import Window
from crimetrends.sources.registry import all_sources
from crimetrends.taxonomy.offenses import resolve_offense

DEFAULT_OFFENSES = ("murder", "rape", "robbery", "aggravated_assault", "violent")


@dataclass
class ReconcileRow:
    agency: str
    year: int
    offense: str
    source: str
    count: int | None
    other_source: str
    other_count: int | None
    difference: int | None
    pct_difference: float | None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@cache
def _notes() -> list[dict[str, str]]:
    path = resources.files("crimetrends.taxonomy") / "data" / "reconcile_notes.csv"
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def notes_for(source: str, other: str, offense: str, members: tuple[str, ...]) -> list[str]:
    wanted = {offense, *members, "*"}
    notes = [
        (n["offense"] if n["offense"] != "*" else "all") + ": " + n["note"]
        for n in _notes()
        if {n["source"], n["other_source"]} == {source, other} and n["offense"] in wanted
    ]
    specs = all_sources()
    if source in specs and other in specs:
        a, b = specs[source], specs[other]
        if a.counting_unit != b.counting_unit:
            notes.append(
                f"counting unit: {source} = {a.counting_unit}; {other} = {b.counting_unit}"
            )
        if a.date_basis != b.date_basis:
            notes.append(f"date basis: {source} = {a.date_basis}; {other} = {b.date_basis}")
    return notes


def reconcile(
    con: Any,
    agency: str,
    source: str,
    other: str,
    years: list[int],
    offenses: tuple[str, ...] = DEFAULT_OFFENSES,
) -> list[ReconcileRow]:
    rows = []
    for name in offenses:
        offense, members = resolve_offense(name)
        found = {
            s.source: s
            for s in all_series(con, members, offense, agency)
            if s.source in (source, other)
        }
        for year in years:
            window = Window(dt.date(year, 1, 1), dt.date(year, 12, 31))
            counts = {}
            for name_ in (source, other):
                s = found.get(name_)
                c = months_count(s, window) if s else None
                counts[name_] = None if c is None or c.count is None else int(c.count)
            a, b = counts[source], counts[other]
            diff = None if a is None or b is None else a - b
            pct = None if diff is None or not b else 100.0 * diff / b
            rows.append(
                ReconcileRow(
                    agency,
                    year,
                    offense,
                    source,
                    a,
                    other,
                    b,
                    diff,
                    pct,
                    notes_for(source, other, offense, members),
                )
            )
    return rows
