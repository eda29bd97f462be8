"""Crosswalks map ≥ 99.5% of each incident source's real rows; unmapped codes are listed."""

from __future__ import annotations

import pytest

from crimetrends.analysis.coverage import TARGET, coverage
from crimetrends.ingest.load import load_file
from crimetrends.store.connect import connect

from .conftest import FIXTURES


@pytest.mark.parametrize("source", ["chicago", "nypd", "lapd"])
def test_incident_sources_meet_the_coverage_target(store, source):
    (cov,) = [c for c in coverage(connect(), source) if c.kind == "incidents"]
    assert cov.rows > 0
    assert cov.pct_mapped >= TARGET
    assert cov.rows == int(cov.codes["rows"].sum())
    # every code is listed with its mapping and the description of the matched row
    assert cov.codes["source_code"].is_unique
    assert (cov.codes.loc[cov.codes["match"] != "unmapped", "offense"].notna()).all()


def test_count_sources_are_fully_mapped(store):
    counts = {c.source: c for c in coverage(connect()) if c.kind == "counts"}
    assert {"rtci", "ucr_annual", "lapd_annual"} <= set(counts)
    for cov in counts.values():
        assert cov.rows > 0 and cov.pct_mapped == 100.0, cov.source


def test_chicago_2024_sample_maps_and_unknown_codes_are_reported(empty_home, tmp_path):
    load_file(FIXTURES / "chicago_crimes_2024_sample.csv.gz", "chicago")
    (cov,) = coverage(connect(), "chicago")
    assert cov.rows == 10_000
    assert cov.pct_mapped >= TARGET
    murders = cov.codes[cov.codes["source_code"] == "0110|01A"]
    assert murders["offense"].tolist() == ["murder"]
    assert murders["match"].tolist() == ["exact"]
