"""The bundled extracts are the published rows: checked against ../shared when present."""

from __future__ import annotations

import hashlib
import re
import tomllib

import duckdb
import pytest

from crimetrends.ingest.read import read_input

from .conftest import BUNDLE, SHARED, needs_shared

COLUMNS = (
    "ID",
    "Date",
    "Block",
    "IUCR",
    "Primary Type",
    "Description",
    "Arrest",
    "Domestic",
    "Beat",
    "District",
    "Ward",
    "Community Area",
    "FBI Code",
    "Latitude",
    "Longitude",
)


def test_provenance_lists_the_sha256_of_every_bundled_file():
    text = (BUNDLE / "PROVENANCE.md").read_text()
    listed = dict((name, digest) for digest, name in re.findall(r"([0-9a-f]{64})  (\S+)", text))
    spec = tomllib.loads((BUNDLE / "bundle.toml").read_text())
    for entry in spec["files"]:
        path = BUNDLE / entry["path"]
        assert listed[entry["path"]] == hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.slow
@needs_shared
@pytest.mark.parametrize("year", [2014, 2015, 2016, 2017])
def test_chicago_parquet_holds_every_published_row_unchanged(year):
    con = duckdb.connect()
    raw = read_input(con, SHARED / f"chicago_crimes_{year}.csv.gz")
    cols = ", ".join(f'"{c}"' for c in COLUMNS)
    bundled = f"'{BUNDLE}/chicago_crimes_{year}.parquet'"
    diff = con.execute(
        f"""SELECT (SELECT count(*) FROM (SELECT {cols} FROM {raw.table}
                    EXCEPT ALL SELECT {cols} FROM {bundled})),
                   (SELECT count(*) FROM (SELECT {cols} FROM {bundled}
                    EXCEPT ALL SELECT {cols} FROM {raw.table}))"""
    ).fetchone()
    assert diff == (0, 0)
    (n,) = con.execute(f"SELECT count(*) FROM '{BUNDLE}/chicago_crimes_{year}.parquet'").fetchone()
    assert n == raw.rows_read


@needs_shared
def test_byte_identical_copies():
    for name in (
        "rtci_by_agency_monthly_2018_2024.csv.gz",
        "rtci_populations_2022_2023.csv",
        "lapd_crimes_2020_sample.csv.gz",
    ):
        assert (BUNDLE / name).read_bytes() == (SHARED / name).read_bytes()
