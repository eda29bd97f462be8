"""Trend rows: windows, completeness, provisional months, definition breaks, samples."""

from __future__ import annotations

import datetime as dt

import pytest

from crimetrends.analysis.periods import Window, parse_through, same_day_in
from crimetrends.analysis.report import TrendQuery, trend_report
from crimetrends.analysis.trends import compress_notes
from crimetrends.analysis.uncertainty import rate_change
from crimetrends.errors import AmbiguousNameError, ConfigError, NotFoundError


def test_window_labels_and_leap_day():
    assert Window(dt.date(2024, 1, 1), dt.date(2024, 7, 31)).label == "Jan–Jul 2024"
    assert Window(dt.date(2017, 1, 1), dt.date(2017, 12, 31)).label == "2017"
    assert same_day_in(2023, dt.date(2024, 2, 29)) == dt.date(2023, 2, 28)
    assert parse_through("2024-02") == dt.date(2024, 2, 29)
    with pytest.raises(ConfigError):
        parse_through("July")


def test_compress_notes_only_joins_consecutive_months():
    notes = ["2024-01: no data", "2024-02: no data", "2024-04: no data", "2024-05: other"]
    assert compress_notes(notes) == [
        "2024-01 to 2024-02: no data",
        "2024-04: no data",
        "2024-05: other",
    ]


def test_seed_rows_carry_interval_rate_and_provisional_flag(store):
    rep = trend_report(TrendQuery(["Chicago"], "violent", "ytd", 2023, 2024, "2024-07", "rtci"))
    (row,) = rep.rows
    expected = rate_change(16_072, 15_900)
    assert row.pct_change == pytest.approx(expected.pct_change)
    assert (row.ci_low, row.ci_high) == pytest.approx((expected.ci_low, expected.ci_high))
    assert row.label == "no detectable change"
    assert row.rate_per_100k == pytest.approx(16_072 / 2_628_298 * 1e5)
    assert row.population_source == "rtci_populations" and row.population_year == 2023
    assert row.provisional
    assert any("Jun 2024, Jul 2024" in f for f in row.flags)


def test_total_with_missing_components_is_not_compared(store):
    rep = trend_report(TrendQuery(["Los Angeles"], "violent", "ytd", 2023, 2024, "2024-07", "rtci"))
    (row,) = rep.rows
    assert row.label == "not comparable: incomplete data"
    assert row.count is None and row.pct_change is None
    assert any("missing: rape, robbery, aggravated_assault" in f for f in row.flags)
    murder = trend_report(
        TrendQuery(["Los Angeles"], "murder", "ytd", 2023, 2024, "2024-07", "rtci")
    )
    assert murder.rows[0].count is not None and murder.rows[0].pct_change is not None


def test_definition_change_between_periods_is_flagged(store):
    rep = trend_report(TrendQuery(["Chicago"], "violent", "year", 2012, 2013, source="ucr_annual"))
    (row,) = rep.rows
    assert row.label == "not comparable: definition change"
    assert row.pct_change is None and row.count is not None
    after = trend_report(
        TrendQuery(["Chicago"], "violent", "year", 2013, 2014, source="ucr_annual")
    )
    assert after.rows[0].label == "down"


def test_sample_extracts_are_never_labelled(store):
    rep = trend_report(
        TrendQuery(["Los Angeles"], "larceny", "month", 2019, 2020, "2020-02", "lapd")
    )
    assert rep.rows
    for r in rep.rows:
        assert r.pct_change is None and r.label.startswith("not comparable")
        assert any("sample extract" in f for f in r.flags)


def test_incomplete_year_is_not_compared(store):
    rep = trend_report(TrendQuery(["Chicago"], "violent", "year", 2023, 2024, source="rtci"))
    (row,) = rep.rows
    assert row.label == "not comparable: incomplete data"
    assert any("2024-08 to 2024-12: no data" in f for f in row.flags)


def test_monthly_and_rolling_windows(store):
    months = trend_report(TrendQuery(["Chicago"], "violent", "month", 2016, 2017, source="chicago"))
    assert [r.period for r in months.rows] == [
        dt.date(2017, m, 1).strftime("%b %Y") for m in range(1, 13)
    ]
    assert sum(r.count for r in months.rows) == 28_001
    rolling = trend_report(
        TrendQuery(["Chicago"], "violent", "rolling12", 2016, 2017, source="chicago")
    )
    (row,) = rolling.rows
    assert (row.period, row.previous_period) == ("2017", "2016")
    assert row.count == 28_001 and row.previous_count == 28_229


def test_agency_names_resolve_or_fail_clearly(store):
    with pytest.raises(NotFoundError):
        trend_report(TrendQuery(["Atlantis"], "violent", "year", 2016, 2017))
    with pytest.raises(AmbiguousNameError):
        trend_report(TrendQuery(["New"], "violent", "year", 2016, 2017))


def test_provenance_names_files_crosswalk_and_definitions(store):
    rep = trend_report(TrendQuery(["Chicago"], "violent", "year", 2016, 2017, source="chicago"))
    prov = rep.provenance
    (src,) = prov["sources"]
    assert src["name"] == "chicago" and src["crosswalk_version"].startswith("chicago@")
    assert {f["file"] for f in src["files"]} >= {"chicago_crimes_2016.parquet"}
    assert all(len(f["sha256"]) == 64 for f in src["files"])
    assert "Murder" in prov["definition"] and "Clopper-Pearson" in prov["interval_method"]


def test_small_numbers_is_both_periods_together_under_fifty():
    from crimetrends.analysis.trends import small_numbers

    assert small_numbers(20, 29) and small_numbers(0, 9)  # Greenwich's 0 vs 9
    assert not small_numbers(25, 25) and not small_numbers(14, 36)
    assert not small_numbers(None, 10) and not small_numbers(3, None)  # unknown is not small
