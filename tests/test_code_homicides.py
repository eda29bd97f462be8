"""A multi-city incident file (CODE homicides 2015): every city's rows, and a reconciliation
with what the same departments reported to the FBI (UCR, via The Marshall Project)."""

from __future__ import annotations

import collections
import csv
import functools
import gzip
import http.server
import io
import json
import threading

import pytest

from crimetrends.ingest.load import load_file
from crimetrends.sources.registry import get_source
from crimetrends.store.connect import connect

from .conftest import BUNDLE, FIXTURES
from .test_cli import run

FILE = FIXTURES / "code_homicides_9_cities_2015.csv.gz"


def file_rows() -> list[dict[str, str]]:
    with gzip.open(FILE, "rt", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def stored_by_city() -> dict[tuple[str, str], int]:
    t = connect().table("incidents")
    frame = t.group_by(["agency", "offense"]).aggregate(n=t.count()).to_pandas()
    return {(r.agency, r.offense): int(r.n) for r in frame.itertuples(index=False)}


def expected_by_city() -> dict[tuple[str, str], int]:
    """Counted straight from the file with the registry's name table and NIBRS codes."""
    names = get_source("code_homicides").agency_names
    offense = {"09A": "murder", "09B": "negligent_manslaughter"}
    return dict(
        collections.Counter(
            (names[r["city_name"]], offense[r["offense_code"]]) for r in file_rows()
        )
    )


def test_every_city_of_the_file_is_loaded_under_its_agency_name(empty_home):
    m = load_file(FILE, "code_homicides")
    assert m["rows_kept"] == 1922 and m["rows_quarantined"] == 0
    got = stored_by_city()
    assert got == expected_by_city()
    assert got[("Chicago, Illinois", "murder")] == 499
    assert got[("Detroit, Michigan", "negligent_manslaughter")] == 5
    assert len({a for a, _ in got}) == 9


def test_a_city_the_registry_does_not_name_is_quarantined(empty_home, tmp_path):
    rows = file_rows()
    rows[7]["city_name"] = "Atlantis"  # corrupted copy of a real row, for this test only
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path = tmp_path / "code_corrupted.csv"
    path.write_text(buf.getvalue())
    m = load_file(path, "code_homicides")
    assert m["rows_kept"] == 1921 and m["rows_quarantined"] == 1
    reason = connect().table("quarantine").reason.to_pandas().iloc[0]
    assert "agency_names: Atlantis" in reason


def ucr_2015_murders() -> dict[str, int]:
    """2015 homicides per department from the Marshall Project's UCR file, read with csv."""
    with gzip.open(BUNDLE / "marshall_ucr_violent_crime_68_agencies_1975_2015.csv.gz", "rt") as f:
        rows = [r for r in csv.DictReader(f) if r["year"] == "2015"]
    wanted = {
        "ILCPD00": "Chicago, Illinois",
        "CA01942": "Los Angeles, California",
        "NY03030": "New York City, New York",
        "MI82349": "Detroit, Michigan",
        "MOKPD00": "Kansas City, Missouri",
        "KY05680": "Louisville, Kentucky",
        "TX22012": "Fort Worth, Texas",
        "AZ01003": "Tucson, Arizona",
        "VA12800": "Virginia Beach, Virginia",
    }
    return {wanted[r["ORI"]]: int(r["homs_sum"]) for r in rows if r["ORI"] in wanted}


@pytest.mark.slow
@pytest.mark.parametrize(
    "city", ["Chicago, Illinois", "Kansas City, Missouri", "Los Angeles, California", "Tucson"]
)
def test_reconcile_with_what_the_city_reported_to_the_fbi(empty_home, city):
    load_file(FILE, "code_homicides")
    load_file(BUNDLE / "marshall_ucr_violent_crime_68_agencies_1975_2015.csv.gz", "ucr_annual")
    proc = run(
        "reconcile", "--agency", city, "--source", "code_homicides", "--other", "ucr_annual",
        "--years", "2015", "--format", "json",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)["rows"]
    (row,) = [r for r in rows if r["offense"] == "murder"]
    # a homicide-only file says nothing about robbery or violent crime: absent, not zero
    assert {r["offense"]: r["count"] for r in rows}["violent"] is None
    ucr = ucr_2015_murders()[row["agency"]]
    code = expected_by_city()[(row["agency"], "murder")]
    assert (row["count"], row["other_count"], row["difference"]) == (code, ucr, code - ucr)
    assert row["pct_difference"] == pytest.approx(100 * (code - ucr) / ucr)


@pytest.mark.slow
def test_served_as_a_plain_file_it_loads_the_same_rows(empty_home):
    """CODE publishes files, not an API: fetch-file over loopback gives the same table."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(FIXTURES))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/{FILE.name}"
        proc = run("fetch-file", url, "--source", "code_homicides")
    finally:
        httpd.shutdown()
    assert proc.returncode == 0, proc.stderr
    assert stored_by_city() == expected_by_city()
