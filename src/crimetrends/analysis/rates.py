"""Rates per 100,000 residents from a named population source and year."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crimetrends.errors import MissingPopulationError

# When several sources give a population for the same agency and year, prefer in this order.
SOURCE_PRIORITY = ("rtci_populations", "rtci_agency_list", "ucr_annual")


@dataclass(frozen=True)
class Population:
    agency: str
    year: int
    value: int
    source: str
    requested_year: int

    @property
    def note(self) -> str:
        if self.year == self.requested_year:
            return f"population {self.value:,} ({self.year}, {self.source})"
        return (
            f"population {self.value:,} from {self.year}, the nearest year available "
            f"({self.source})"
        )


class PopulationTable:
    """All stored populations, looked up by agency and year (nearest year if needed)."""

    def __init__(self, rows: list[tuple[str, int, int, str]]) -> None:
        """rows: (agency, year, population, source)."""
        rank = {s: i for i, s in enumerate(SOURCE_PRIORITY)}
        self._by_agency: dict[str, list[tuple[int, float, int, str]]] = {}
        for agency, year, population, source in rows:
            if agency is None or year is None or population is None:
                continue
            entry = (int(year), float(rank.get(source, len(rank))), int(population), str(source))
            self._by_agency.setdefault(agency, []).append(entry)
        for entries in self._by_agency.values():
            entries.sort()

    @classmethod
    def from_store(cls, con: Any) -> PopulationTable:
        return cls(con.rows("SELECT agency, year, population, source FROM populations"))

    def lookup(self, agency: str, year: int) -> Population:
        rows = self._by_agency.get(agency)
        if not rows:
            raise MissingPopulationError(
                f"no population for {agency}",
                hint="load a population table (e.g. --source rtci_populations) that names it",
            )
        # nearest year; on a tie prefer the earlier year, then the preferred source
        y, _, value, source = min(rows, key=lambda r: (abs(r[0] - year), r[0] > year, r[1]))
        return Population(agency, y, value, source, year)


def per_100k(count: float, population: Population) -> float:
    if population.value <= 0:
        raise MissingPopulationError(f"population for {population.agency} is not positive")
    return 100_000.0 * count / population.value
