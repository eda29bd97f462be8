"""Populations: named source and year, nearest year flagged, missing population an error."""

from __future__ import annotations

import duckdb
import pytest

from crimetrends.analysis.rates import PopulationTable, per_100k
from crimetrends.errors import MissingPopulationError

from .conftest import BUNDLE


def table() -> PopulationTable:
    return PopulationTable(
        [
            ("A", 2015, 100, "ucr_annual"),
            ("A", 2022, 200, "rtci_agency_list"),
            ("A", 2022, 210, "rtci_populations"),
            ("B", 2023, 50, "ucr_annual"),
        ]
    )


def test_exact_year_prefers_the_ranked_source():
    pop = table().lookup("A", 2022)
    assert (pop.value, pop.source, pop.year) == (210, "rtci_populations", 2022)


def test_nearest_year_is_used_and_said():
    pop = table().lookup("A", 2017)
    assert pop.year == 2015 and "nearest year" in pop.note
    assert per_100k(5, pop) == pytest.approx(5000.0)


def test_missing_population_is_an_error():
    with pytest.raises(MissingPopulationError):
        table().lookup("C", 2020)


def test_agency_list_population_is_the_2023_column():
    """The RTCI agency list's undated population equals the 2023 RTCI population."""
    joined = duckdb.sql(
        f"""SELECT count(*), count(*) FILTER (WHERE a.population::BIGINT = p."2023"::BIGINT)
            FROM read_csv('{BUNDLE}/rtci_agency_sources.csv.gz', header=true, all_varchar=true) a
            JOIN read_csv('{BUNDLE}/rtci_populations_2022_2023.csv', header=true,
                          all_varchar=true) p
            ON a.agency_full = p.City || ', ' || p.State"""
    ).fetchone()
    total, equal = joined
    assert total > 300
    assert equal / total > 0.95
