"""Revisions between two real RTCI vintages (2024-09-18 and 2024-10-17)."""

from __future__ import annotations

import duckdb
import pytest

from crimetrends.analysis.revisions import revisions
from crimetrends.ingest.fetch import fetch

from .conftest import FIXTURES
from .fakeportal import FakePortal, soda_rows

OLD = FIXTURES / "rtci_vintage_2024-09-18_richmond_chicago.csv"
NEW = FIXTURES / "rtci_vintage_2024-10-17_richmond_chicago.csv"
COLUMNS = {
    "aggravated_assault": "aggravated_assault",
    "burglary": "burglary",
    "motor_vehicle_theft": "motor_vehicle_theft",
    "murder": "murder",
    "rape": "rape",
    "robbery": "robbery",
    "theft": "larceny",
}


@pytest.mark.slow
@pytest.mark.parametrize("column,offense", list(COLUMNS.items()))
def test_revised_months_and_totals_match_plain_sql(column, offense):
    frame = revisions(OLD, NEW, "rtci")
    got = frame[(frame["offense"] == offense) & (frame["agency"] == "Richmond, Virginia")]
    n, delta = duckdb.sql(
        f"""SELECT count(*), coalesce(sum(n.{column}::INT - o.{column}::INT), 0)
            FROM read_csv('{OLD}', all_varchar = true, header = true) o
            JOIN read_csv('{NEW}', all_varchar = true, header = true) n
            USING (agency_full, date)
            WHERE agency_full = 'Richmond, Virginia' AND o.{column} IS DISTINCT FROM n.{column}"""
    ).fetchone()
    assert int(got["revised"].sum()) == n > 0
    assert int(got["change"].sum()) == delta


@pytest.mark.slow
def test_unrevised_agency_has_no_rows():
    frame = revisions(OLD, NEW, "rtci", agency="Chicago, Illinois")
    assert frame.empty
    assert int(revisions(OLD, NEW, "rtci")["revised"].sum()) == 542


@pytest.mark.slow
def test_incident_vintages_show_added_and_reclassified_rows(empty_home):
    """Two fetches of the fake portal: one row published, one reclassified in between."""
    rows = soda_rows(400)
    with FakePortal(rows) as portal:
        first = fetch("chicago", portal.url, page_size=200)
    changed = [dict(r) for r in rows]
    target = next(r for r in changed if r.get("fbi_code") == "06")
    target["fbi_code"], target["iucr"] = "03", "031A"  # theft reclassified as robbery
    extra = dict(changed[-1], **{":id": "row-999999999999", "id": "99999999"})
    with FakePortal([*changed, extra]) as portal:
        second = fetch("chicago", portal.url, page_size=200)
    frame = revisions(first["vintage"], second["vintage"], "chicago")
    assert int(frame["added"].sum()) == 1 and int(frame["removed"].sum()) == 0
    assert int(frame["revised"].sum()) == 1
    moved = frame[frame["revised"] > 0]
    assert moved["offense"].tolist() == ["robbery"]
