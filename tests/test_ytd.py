"""RTCI's year-to-date tables: 19 real vintages loaded as a source kind, answered per vintage.

Checked against the files themselves (plain SQL/pandas over the bundled CSVs), against the
monthly series published the same day, and against the numbers RTCI published.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import duckdb
import pandas as pd
import pytest

from crimetrends.analysis.report import TrendQuery, trend_report
from crimetrends.errors import ConfigError

from .conftest import BUNDLE

YTD = BUNDLE / "rtci_ytd"
JUL_2024 = YTD / "rtci_ytd_through_2024-07_published_2024-10-17.csv.gz"
DEC_2024 = YTD / "rtci_ytd_through_2024-12_published_2025-02-19.csv.gz"
DEC_2025 = YTD / "rtci_ytd_through_2025-12_published_2026-02-17.csv.gz"
MONTHLY = BUNDLE / "rtci_by_agency_monthly_2018_2024.csv.gz"
COLUMN = {
    "Murders": "murder",
    "Rapes": "rape",
    "Robberies": "robbery",
    "Aggravated Assaults": "aggravated_assault",
    "Burglaries": "burglary",
    "Thefts": "theft",
    "Motor Vehicle Thefts": "motor_vehicle_theft",
}


def _csv(path) -> str:
    return f"read_csv('{path}', all_varchar = true, header = true)"


@pytest.mark.slow
def test_every_vintage_is_accounted_for_and_kept(store):
    from crimetrends.store.catalog import loads

    mine = [m for m in loads() if m["source"] == "rtci_ytd"]
    assert len(mine) == 19
    for m in mine:
        assert m["rows_in"] == m["rows_kept"] + m["rows_quarantined"]
        (n,) = duckdb.sql(f"SELECT count(*) FROM {_csv(YTD / m['file'])}").fetchone()
        assert m["rows_in"] == n
    vintages = sorted(v for m in mine for v in m["vintages"])
    assert vintages[0] == "2024-10-15" and vintages[-1] == "2026-03-23" and len(vintages) == 19
    # the one negative count RTCI published (Carlsbad, CA rapes, Jan 2025) is refused
    bad = {m["file"][9:24]: m["quarantine_reasons"] for m in mine if m["rows_quarantined"]}
    assert bad == {
        "through_2025-01": {"negative count in YTD": 1},
        "through_2026-01": {"negative count in PrevYTD": 1},
    }


def test_stored_figures_equal_the_files(store):
    """Every kept row is two stored figures with the file's YTD and PrevYTD (two vintages)."""
    from crimetrends.store.connect import connect

    t = connect().table("ytd")
    for path, vintage in ((DEC_2024, "2025-02-19"), (DEC_2025, "2026-02-17")):
        stored = (
            t.filter(t.vintage == dt.date.fromisoformat(vintage))
            .select("agency", "source_code", "role", "period_start", "count")
            .to_pandas()
        )
        raw = duckdb.sql(
            f"SELECT agency_full AS agency, crime_type AS source_code, YTD::BIGINT AS cur, "
            f"PrevYTD::BIGINT AS prev, year(Date_Through::DATE) AS y FROM {_csv(path)}"
        ).df()
        # the one stated change to a name: 'St Louis' is stored as 'St. Louis' (as the UCR
        # table spells it), so one agency has one name across sources
        spelled = raw["agency"].str.replace(r"\bSt\.? +", "St. ", regex=True)
        assert (spelled != raw["agency"]).sum() >= 3  # St Louis, St George, St Mary's ...
        raw["agency"] = spelled
        cur = stored[stored.role == "current"].merge(raw, on=["agency", "source_code"])
        prev = stored[stored.role == "previous"].merge(raw, on=["agency", "source_code"])
        assert len(cur) == len(prev) == len(raw)
        assert (cur["count"] == cur["cur"]).all() and (prev["count"] == prev["prev"]).all()
        assert (pd.to_datetime(cur["period_start"]).dt.year == cur["y"]).all()
        assert (pd.to_datetime(prev["period_start"]).dt.year == prev["y"] - 1).all()


@pytest.mark.slow
def test_july_2024_vintage_equals_the_monthly_series_published_the_same_day():
    """Plain SQL over the two files: each row's YTD and PrevYTD equal the monthly sums
    over that row's own months (agencies that lag are summed over their own months)."""
    unions = " UNION ALL ".join(
        f"SELECT agency_full, '{ct}' AS crime_type, date::DATE AS month, "
        f"try_cast({col} AS BIGINT) AS n FROM {_csv(MONTHLY)}"
        for ct, col in COLUMN.items()
    )
    diff = duckdb.sql(
        f"""WITH m AS ({unions}),
        y AS (SELECT agency_full, crime_type, YTD::BIGINT AS ytd, PrevYTD::BIGINT AS prev,
                     Date_Through::DATE AS through FROM {_csv(JUL_2024)}
              WHERE crime_type IN ({", ".join(f"'{c}'" for c in COLUMN)})
                AND agency_full IN (SELECT agency_full FROM {_csv(MONTHLY)}))
        SELECT y.agency_full, y.crime_type, y.ytd, y.prev,
          (SELECT sum(n) FROM m WHERE m.agency_full = y.agency_full
             AND m.crime_type = y.crime_type AND m.month BETWEEN date_trunc('year', y.through)
             AND y.through) AS ytd_monthly,
          (SELECT sum(n) FROM m WHERE m.agency_full = y.agency_full
             AND m.crime_type = y.crime_type
             AND m.month BETWEEN date_trunc('year', y.through) - INTERVAL 1 YEAR
             AND y.through - INTERVAL 1 YEAR) AS prev_monthly
        FROM y"""
    ).df()
    assert len(diff) == 2_446  # every component row of every agency and sample
    differ = diff[(diff.ytd != diff.ytd_monthly) | (diff.prev != diff.prev_monthly)]
    assert differ.empty, differ.head(20).to_string()


@pytest.mark.slow
def test_the_engine_gives_the_same_answer_from_either_shape(store):
    """Jan-Jul 2024 vs 2023 from the monthly series and from the vintage of the same day."""
    q = TrendQuery(period="ytd", from_year=2023, to_year=2024, through="2024-07", vintage=None)
    monthly = trend_report(q.resolved(source="rtci", all_agencies=True)).rows
    table = trend_report(q.resolved(source="rtci_ytd", all_agencies=True)).rows
    by_agency = {r.agency: r for r in monthly if r.comparable}
    compared = 0
    for r in table:
        if r.comparable and r.agency in by_agency and r.vintage == "2024-10-15":
            m = by_agency[r.agency]
            assert (r.count, r.previous_count) == (m.count, m.previous_count), r.agency
            assert (r.ci_low, r.ci_high) == (m.ci_low, m.ci_high)
            compared += 1
    assert compared > 250


@pytest.mark.slow
def test_revisions_between_two_vintages_equal_a_pandas_diff():
    from crimetrends.analysis.revisions import revisions

    frame = revisions(DEC_2024, DEC_2025, "rtci_ytd")

    def figures(path):
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
        raw = raw[raw["crime_type"].isin(COLUMN)]
        y = pd.to_datetime(raw["Date_Through"]).dt.year
        out = pd.concat(
            [
                raw.assign(year=y, n=raw["YTD"].astype(int)),
                raw.assign(year=y - 1, n=raw["PrevYTD"].astype(int)),
            ]
        )
        out["month"] = pd.to_datetime(out["Date_Through"]).dt.month
        return out.set_index(["agency_full", "crime_type", "year", "month"])["n"]

    old, new = figures(DEC_2024), figures(DEC_2025)
    both = old.index.intersection(new.index)
    expected_revised = int((old[both] != new[both]).sum())
    got = frame[~frame["offense"].str.contains("published total")]
    assert int(got["revised"].sum()) == expected_revised > 1000
    assert int(got["added"].sum()) == len(new.index.difference(old.index))
    assert int(got["removed"].sum()) == len(old.index.difference(new.index))
    chicago = got[(got.agency == "Chicago, Illinois") & (got.period == "2024")]
    murder = chicago[chicago.offense == "murder"].iloc[0]
    assert (murder.old_total, murder.new_total, murder.change) == (584, 587, 3)


def test_one_figures_history_across_every_vintage(store):
    from crimetrends.analysis.revisions import figure_history
    from crimetrends.store.connect import connect

    h = figure_history(
        connect(),
        "rtci_ytd",
        "Chicago, Illinois",
        "violent",
        dt.date(2024, 1, 1),
        dt.date(2024, 12, 31),
    )
    assert h[["vintage", "count"]].values.tolist() == [["2025-02-19", 27346], ["2026-02-17", 27369]]
    assert h["change"].tolist()[1] == 23


def test_full_years_come_from_the_december_vintages(store):
    rows = trend_report(TrendQuery(("Chicago",), from_year=2024, to_year=2025)).rows
    (row,) = [r for r in rows if r.source == "rtci_ytd"]
    assert (row.count, row.previous_count) == (21_595, 27_369)
    assert row.vintage == "2026-02-17" and row.through == "2025-12-31"
    assert any("provisional: Nov 2025, Dec 2025" in f for f in row.flags)
    earlier = trend_report(TrendQuery(("Chicago",), from_year=2023, to_year=2024)).rows
    (first,) = [r for r in earlier if r.source == "rtci_ytd"]
    assert (first.count, first.previous_count, first.vintage) == (27_346, 29_118, "2025-02-19")
    # the later vintage's figure for 2024 is shown as a revision, not mixed into the change
    assert any("2026-02-17 gives 2024 as 27,369" in f for f in first.flags)


def test_a_pinned_vintage_answers_as_published_then(store):
    rows = trend_report(TrendQuery(("Chicago",), vintage="2025-03-01")).rows
    assert {r.vintage for r in rows} <= {"2025-02-19", "2024-10-15", "2018-11-19"}
    (year,) = [r for r in rows if r.window == "year"]
    assert (year.count, year.previous_count) == (27_346, 29_118)


def test_a_total_with_a_missing_component_is_never_a_total(store):
    """Los Angeles reported only murders in 2023-2024: its 'violent' row is not violent crime."""
    rows = trend_report(TrendQuery(("Los Angeles",), from_year=2023, to_year=2024)).rows
    (row,) = [r for r in rows if r.source == "rtci_ytd"]
    assert row.count is None and row.pct_change is None
    assert row.label == "not comparable: incomplete data"
    assert any("missing rape, robbery, aggravated_assault" in f for f in row.flags)
    murder = trend_report(TrendQuery(("Los Angeles",), "murder", from_year=2023, to_year=2024)).rows
    assert [(r.count, r.previous_count) for r in murder if r.source == "rtci_ytd"] == [(284, 334)]
    later = trend_report(TrendQuery(("Los Angeles",), from_year=2024, to_year=2025)).rows
    assert [(r.count, r.previous_count) for r in later if r.source == "rtci_ytd"] == [
        (25_854, 29_089)
    ]


@pytest.mark.slow
def test_samples_are_apart_and_never_ranked_among_agencies(store):
    report = trend_report(TrendQuery(all_agencies=True))
    names = {r.agency for r in report.rows}
    assert not any(n.startswith("Full Sample, ") or n.endswith(", Nationwide") for n in names)
    assert all(r.sample is None for r in report.rows)
    samples = {r.agency: r for r in report.samples}
    assert "Full Sample, Nationwide" in samples and "Full Sample, Illinois" in samples
    nat = samples["Full Sample, Nationwide"]
    assert nat.sample == "national" and nat.sample_agencies > 300
    assert samples["Full Sample, Illinois"].sample == "state"


@pytest.mark.slow
def test_every_agency_gets_a_comparable_newest_window(store):
    report = trend_report(TrendQuery(all_agencies=True))
    comparable = [r for r in report.rows if r.comparable]
    assert len({r.agency for r in comparable}) >= 600
    assert len(report.rows) == len({r.agency for r in report.rows})  # one window each
    for r in comparable:
        start, end = dt.date.fromisoformat(r.start), dt.date.fromisoformat(r.end)
        pstart, pend = (
            dt.date.fromisoformat(r.previous_start),
            dt.date.fromisoformat(r.previous_end),
        )
        assert (start.year - 1, start.month, start.day) == (pstart.year, pstart.month, pstart.day)
        assert (end.month, min(end.day, 28)) == (pend.month, min(pend.day, 28))
        assert r.through == r.end
        assert r.vintage or r.source == "ucr_annual"  # the one table that states no vintage


@pytest.mark.parametrize(
    "query,message",
    [
        (
            TrendQuery(("Chicago",), period="ytd", from_year=2017, to_year=2018, through="2017-10"),
            "--through 2017-10 is not in --to 2018",
        ),
        (TrendQuery(("Chicago",), from_year=2017, to_year=2016), "--from 2017 is after --to 2016"),
        (
            TrendQuery(("Chicago",), period="month", from_year=2018, to_year=2018),
            "both 2018: each period would be compared with itself",
        ),
        (TrendQuery(("Chicago",), through="2026-06"), "past the data"),
    ],
)
def test_windows_that_would_mislead_are_refused(store, query, message):
    with pytest.raises(ConfigError, match=message):
        trend_report(query)


@pytest.mark.parametrize(
    "value,message",
    [
        ("2024-13", "month 13 does not exist"),
        ("2024-02-30", "February 2024 has 29 days, not 30"),
        ("July 2024", "use YYYY-MM or YYYY-MM-DD"),
    ],
)
def test_window_ends_are_read_precisely(value, message):
    from crimetrends.analysis.periods import parse_through

    with pytest.raises(ConfigError, match=message):
        parse_through(value)


@pytest.mark.slow
def test_an_incident_year_to_date_says_where_it_ends(empty_home, tmp_path):
    """Records ending mid-March: the window stops the day before, and says so."""
    from crimetrends.ingest.load import load_file

    cut = tmp_path / "chicago_2017_to_mar15.parquet"
    duckdb.sql(
        f"COPY (SELECT * FROM '{BUNDLE}/chicago_crimes_2017.parquet' "
        "WHERE strptime(Date, '%m/%d/%Y %I:%M:%S %p') < TIMESTAMP '2017-03-16') "
        f"TO '{cut}' (FORMAT parquet)"
    )
    load_file(BUNDLE / "chicago_crimes_2016.parquet", "chicago")
    load_file(cut, "chicago")
    (row,) = trend_report(TrendQuery(("Chicago",), period="ytd")).rows
    assert (row.start, row.end) == ("2017-01-01", "2017-03-14")
    assert (row.previous_start, row.previous_end) == ("2016-01-01", "2016-03-14")
    assert any("last day (Mar 15) may be partial" in f for f in row.flags)


@pytest.mark.slow
def test_cli_defaults_answer_and_json_names_through_and_vintage(store):
    proc = subprocess.run(
        [sys.executable, "-m", "crimetrends", "trends", "-a", "Chicago", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    body = json.loads(proc.stdout)
    rows = body["rows"]
    assert [r["window"] for r in rows] == ["year", "ytd"]
    assert all(r["through"] and r["vintage"] for r in rows)
    assert rows[0]["label"] == "down" and rows[1]["start"] == "2026-01-01"
    assert body["provenance"]["vintages_used"] == ["2026-02-17", "2026-03-23"]


def test_one_agency_one_name_across_sources(store):
    """RTCI writes 'St Louis', the UCR table 'St. Louis': one agency, one stored name, found
    however a person types it."""
    from crimetrends.store.catalog import resolve_agency
    from crimetrends.store.connect import connect

    con = connect()
    rows = con.rows(
        "SELECT DISTINCT agency, source FROM counts WHERE agency ILIKE 'st%louis, missouri' "
        "UNION SELECT DISTINCT agency, source FROM ytd WHERE agency ILIKE 'st%louis, missouri'"
    )
    assert {a for a, _ in rows} == {"St. Louis, Missouri"}
    assert {s for _, s in rows} == {"rtci", "rtci_ytd", "ucr_annual"}
    for typed in ("St Louis", "Saint Louis", "st. louis, missouri", "St Louis Missouri"):
        assert resolve_agency(con, typed) == "St. Louis, Missouri", typed
    assert resolve_agency(con, "St Louis County") == "St. Louis County, Missouri"


def test_agencies_found_by_the_names_people_use(store):
    from crimetrends.errors import AmbiguousNameError
    from crimetrends.store.catalog import resolve_agency
    from crimetrends.store.connect import connect

    con = connect()
    for typed, agency in (
        ("NYC", "New York City, New York"),
        ("D.C.", "Washington, District of Columbia"),
        ("Washington DC", "Washington, District of Columbia"),
        ("LA", "Los Angeles, California"),  # an alias beats the 16 names starting 'La'
        ("Philly", "Philadelphia, Pennsylvania"),
        ("LAPD", "Los Angeles, California"),
    ):
        assert resolve_agency(con, typed) == agency, typed
    with pytest.raises(AmbiguousNameError) as err:
        resolve_agency(con, "MPD")  # Washington's, Memphis', Milwaukee's, Minneapolis'
    assert "Memphis, Tennessee" in err.value.hint and "Milwaukee, Wisconsin" in err.value.hint


def test_a_month_only_a_year_to_date_table_holds_points_to_it(store):
    """January 2026 is in RTCI's year-to-date vintages but in no monthly series: asked for
    as a month, the error says where the figure is instead of only 'no series'."""
    from crimetrends.errors import NoDataError

    q = TrendQuery(agencies=["Chicago"], period="month", through="2026-01")
    with pytest.raises(NoDataError) as err:
        trend_report(q)
    assert "--period ytd" in (err.value.hint or "")
    rows = trend_report(TrendQuery(agencies=["Chicago"], period="ytd", through="2026-01")).rows
    assert any(r.comparable and r.end == "2026-01-31" for r in rows)
