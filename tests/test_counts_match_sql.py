"""Counts from the pipeline equal independent plain-SQL counts over the raw files."""

from __future__ import annotations

import duckdb
import pytest

from crimetrends.analysis.report import TrendQuery, trend_report

from .conftest import BUNDLE, SHARED, needs_shared

VIOLENT_FBI = ("01A", "02", "03", "04A", "04B")
BY_FBI = {
    "murder": ("01A",),
    "rape": ("02",),
    "robbery": ("03",),
    "aggravated_assault": ("04A", "04B"),
    "violent": VIOLENT_FBI,
    "burglary": ("05",),
    "larceny": ("06",),
    "motor_vehicle_theft": ("07",),
    "property": ("05", "06", "07"),
}


def sql_count(source_sql: str, codes: tuple[str, ...], year: int) -> int:
    in_list = ", ".join(f"'{c}'" for c in codes)
    (n,) = duckdb.sql(
        f"""SELECT count(*) FROM {source_sql}
            WHERE "FBI Code" IN ({in_list})
            AND year(strptime("Date", '%m/%d/%Y %I:%M:%S %p')) = {year}"""
    ).fetchone()
    return int(n)


@pytest.mark.parametrize("offense", list(BY_FBI))
def test_chicago_annual_counts_equal_plain_sql_on_bundle(store, offense):
    rep = trend_report(TrendQuery(["Chicago"], offense, "year", 2016, 2017, source="chicago"))
    (row,) = rep.rows
    files = f"read_parquet('{BUNDLE}/chicago_crimes_201*.parquet')"
    assert row.count == sql_count(files, BY_FBI[offense], 2017)
    assert row.previous_count == sql_count(files, BY_FBI[offense], 2016)


@pytest.mark.slow
@needs_shared
@pytest.mark.parametrize("offense", ["violent", "property", "murder"])
def test_chicago_annual_counts_equal_plain_sql_on_published_csv(store, offense):
    rep = trend_report(TrendQuery(["Chicago"], offense, "year", 2014, 2015, source="chicago"))
    (row,) = rep.rows
    csvs = (
        f"read_csv(['{SHARED}/chicago_crimes_2014.csv.gz', '{SHARED}/chicago_crimes_2015.csv.gz'],"
        " all_varchar = true, header = true)"
    )
    assert row.count == sql_count(csvs, BY_FBI[offense], 2015)
    assert row.previous_count == sql_count(csvs, BY_FBI[offense], 2014)


def test_rtci_ytd_equals_plain_sql_sum(store):
    rep = trend_report(TrendQuery(["Chicago"], "violent", "ytd", 2023, 2024, "2024-07", "rtci"))
    (row,) = rep.rows
    path = BUNDLE / "rtci_by_agency_monthly_2018_2024.csv.gz"

    def total(year: int) -> int:
        (n,) = duckdb.sql(
            f"""SELECT sum(murder::INT + rape::INT + robbery::INT + aggravated_assault::INT)
                FROM read_csv('{path}', all_varchar = true, header = true)
                WHERE agency_full = 'Chicago, Illinois'
                AND date BETWEEN '{year}-01-01' AND '{year}-07-01'"""
        ).fetchone()
        return int(n)

    assert (row.count, row.previous_count) == (total(2024), total(2023))
    assert row.count == 16_072 and row.previous_count == 15_900


def test_chicago_ytd_counts_whole_days_equal_sql(store):
    rep = trend_report(
        TrendQuery(["Chicago"], "robbery", "ytd", 2016, 2017, "2017-03-15", "chicago")
    )
    (row,) = rep.rows
    files = f"read_parquet('{BUNDLE}/chicago_crimes_201*.parquet')"

    def upto(year: int) -> int:
        (n,) = duckdb.sql(
            f"""SELECT count(*) FROM {files} WHERE "FBI Code" = '03'
                AND strptime("Date", '%m/%d/%Y %I:%M:%S %p')::DATE
                BETWEEN DATE '{year}-01-01' AND DATE '{year}-03-15'"""
        ).fetchone()
        return int(n)

    assert row.period == "Jan 1–Mar 15, 2017"
    assert (row.count, row.previous_count) == (upto(2017), upto(2016))
    assert any("short year-to-date window" in f for f in row.flags)
