"""The same queries on DuckDB and on Spark (local[2], loopback): identical counts and intervals.

Each test runs once per engine and checks the engine's numbers against an engine-independent
answer (plain SQL over the raw files, and the exact interval computed from those counts), so
agreement between the engines follows. Spark needs Java; `make test` installs it.
"""

from __future__ import annotations

import os
import shutil

import pandas as pd
import pytest

from crimetrends.analysis.report import TrendQuery, trend_report
from crimetrends.analysis.uncertainty import rate_change

from .conftest import BUNDLE
from .test_counts_match_sql import BY_FBI, sql_count

ENGINES = [
    "duckdb",
    pytest.param(
        "spark",
        marks=pytest.mark.skipif(
            shutil.which("java") is None and not os.environ.get("CRIMETRENDS_REQUIRE_SPARK"),
            reason="Spark needs Java (make test installs it and requires these tests)",
        ),
    ),
]


@pytest.fixture(params=ENGINES)
def engine(request, store, monkeypatch):
    monkeypatch.setenv("CRIMETRENDS_ENGINE", request.param)
    return request.param


def test_engine_is_the_one_asked_for(engine):
    from crimetrends.store.connect import connect

    assert connect().name == {"duckdb": "duckdb", "spark": "pyspark"}[engine]


@pytest.mark.parametrize("offense", ["violent", "murder", "property", "motor_vehicle_theft"])
def test_chicago_counts_and_intervals_match_sql(engine, offense):
    (row,) = trend_report(
        TrendQuery(["Chicago"], offense, "year", 2016, 2017, source="chicago")
    ).rows
    files = f"read_parquet('{BUNDLE}/chicago_crimes_201*.parquet')"
    now, before = sql_count(files, BY_FBI[offense], 2017), sql_count(files, BY_FBI[offense], 2016)
    assert (row.count, row.previous_count) == (now, before)
    exact = rate_change(now, before)
    assert (row.ci_low, row.ci_high) == pytest.approx((exact.ci_low, exact.ci_high), rel=1e-12)


@pytest.mark.slow
def test_every_rtci_agency_gets_the_same_answer(engine, bundle_home):
    import duckdb

    report = trend_report(TrendQuery([], "violent", "ytd", 2023, 2024, "2024-07", "rtci", True))
    rows = {r.agency: r for r in [*report.rows, *report.samples]}  # samples are kept apart
    raw = duckdb.sql(
        f"""WITH t AS (
              -- the store spells 'St Louis' as 'St. Louis' (one name per agency)
              SELECT regexp_replace(agency_full, '\\bSt\\.? +', 'St. ', 'g') AS agency_full,
                     CAST(date AS DATE) AS d, TRY_CAST(murder AS BIGINT) AS a,
                     TRY_CAST(rape AS BIGINT) AS b, TRY_CAST(robbery AS BIGINT) AS c,
                     TRY_CAST(aggravated_assault AS BIGINT) AS e
              FROM read_csv('{BUNDLE}/rtci_by_agency_monthly_2018_2024.csv.gz', all_varchar=true))
            SELECT agency_full, year(d) AS y, sum(a + b + c + e) AS n,
                   count(*) FILTER (WHERE a IS NULL OR b IS NULL OR c IS NULL OR e IS NULL
                                    OR a < 0 OR b < 0 OR c < 0 OR e < 0) AS bad,
                   count(*) AS months
            FROM t WHERE month(d) <= 7 AND year(d) IN (2023, 2024) GROUP BY ALL"""
    ).df()
    complete = raw[(raw.bad == 0) & (raw.months == 7)].pivot(
        index="agency_full", columns="y", values="n"
    )
    complete = complete.dropna()
    checked = 0
    for agency, (before, now) in complete[[2023, 2024]].iterrows():
        r = rows[agency]
        if r.count is None:
            continue
        assert (r.count, r.previous_count) == (int(now), int(before)), agency
        checked += 1
    assert checked > 250


def test_monthly_series_identical_on_both_engines(engine):
    from crimetrends.analysis.aggregate import incident_series
    from crimetrends.forecast.series import area_series
    from crimetrends.store.connect import connect
    from crimetrends.taxonomy.offenses import group_members

    con = connect()
    members = group_members("violent")
    (city,) = incident_series(con, members, "violent", "Chicago, Illinois", "chicago")
    files = f"read_parquet('{BUNDLE}/chicago_crimes_201*.parquet')"
    import duckdb

    sql = duckdb.sql(
        f"""SELECT date_trunc('month', strptime("Date", '%m/%d/%Y %I:%M:%S %p')) AS m, count(*) n
            FROM {files} WHERE "FBI Code" IN ('01A', '02', '03', '04A', '04B')
            GROUP BY 1 ORDER BY 1"""
    ).df()
    assert city.frame["count"].astype(int).tolist() == sql["n"].tolist()
    assert city.frame["complete"].all()
    districts = area_series(con, "chicago", "Chicago, Illinois", "violent", members, "district")
    total = sum(d.values for d in districts)
    assert len(districts) >= 22 and total.max() <= sql["n"].max()
    assert pd.Series(total).sum() > 0.99 * sql["n"].sum()  # a few records have no district
