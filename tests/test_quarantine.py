"""Each kind of bad row ends in quarantine with its reason; nothing crashes or vanishes.

Bad rows are made here by corrupting copies of real rows (tests/fixtures/README.md).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import duckdb
import pytest

from crimetrends.errors import InputFileError
from crimetrends.ingest.load import load_file
from crimetrends.settings import get_settings
from crimetrends.store.connect import layout

from .conftest import BUNDLE, FIXTURES


def real_chicago_rows(n: int) -> tuple[list[str], list[dict[str, str]]]:
    with gzip.open(FIXTURES / "chicago_crimes_2024_sample.csv.gz", "rt", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        rows = [row for _, row in zip(range(n), reader, strict=False)]
        return list(reader.fieldnames or []), rows


def write_csv(path: Path, header: list[str], rows: list[dict[str, str]], tail: str = "") -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=header, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(buf.getvalue() + tail, encoding="utf-8")


def quarantined(source: str, load_id: str) -> dict[int, str]:
    part = layout(get_settings()).part("quarantine", source, load_id)
    rows = duckdb.sql(f"SELECT row_number, reason FROM read_parquet('{part}')").fetchall()
    return {int(n): r for n, r in rows}


def test_every_bad_incident_row_is_quarantined_with_its_reason(empty_home, tmp_path):
    header, rows = real_chicago_rows(11)
    bad = [dict(r) for r in rows]
    bad[1]["Date"] = "13/45/2024 09:00:00 PM"  # unparseable date
    bad[2]["ID"] = ""  # missing key
    bad[3]["IUCR"] = "BAD!"  # malformed code
    bad[4]["Latitude"] = "north"  # wrong type
    bad[5]["Arrest"] = "maybe"  # wrong type
    bad[6]["ID"] = bad[0]["ID"]  # duplicate record id
    bad[7]["Date"] = "01/01/1850 10:00:00 AM"  # out of range
    bad[8]["IUCR"] = ""  # missing code
    bad[9]["IUCR"], bad[9]["FBI Code"] = "9999", "99"  # well-formed but unknown: kept, unmapped
    too_many = ",".join(bad[10].values()) + ",EXTRA\n"  # wrong number of fields
    broken_quote = '99999999,"JH000000,01/01/2024 01:00:00 AM,unterminated\n'
    path = tmp_path / "chicago_bad.csv"
    write_csv(path, header, bad[:10], tail=too_many + broken_quote)

    m = load_file(path, "chicago")
    assert m["rows_in"] == 12
    assert m["rows_kept"] == 2  # row 0 and the unmapped row 9
    assert m["rows_quarantined"] == 10
    assert m["rows_in"] == m["rows_kept"] + m["rows_quarantined"]
    q = quarantined("chicago", m["load_id"])
    reasons = list(q.values())
    expect = [
        "unparseable date in Date: 13/45/2024",
        "missing record id in ID",
        "malformed offense code in IUCR: BAD!",
        "wrong type in Latitude (expected a number): north",
        "wrong type in Arrest (expected true/false): maybe",
        f"duplicate record id {bad[0]['ID']} (first at row 1)",
        "date out of range in Date",
        "missing offense code in IUCR",
        # the unquoted Location "(lat, lon)" adds a field too: 24
        f"broken CSV row: too many fields (24, the header has {len(header)})",
        "broken CSV row: a quote inside an unquoted field",
    ]
    for text in expect:
        assert any(text in r for r in reasons), (text, reasons)
    # the kept unmapped row is counted as unmapped, never guessed
    inc = layout(get_settings()).part("incidents", "chicago", m["load_id"])
    kept = duckdb.sql(
        f"SELECT source_code, offense, crosswalk_match FROM read_parquet('{inc}') ORDER BY 1"
    ).fetchall()
    assert ("9999|99", None, "unmapped") in kept


def test_quarantine_keeps_the_original_record(empty_home, tmp_path):
    header, rows = real_chicago_rows(2)
    rows[1]["Date"] = "not a date"
    path = tmp_path / "one_bad.csv"
    write_csv(path, header, rows)
    m = load_file(path, "chicago")
    part = layout(get_settings()).part("quarantine", "chicago", m["load_id"])
    (record,) = duckdb.sql(f"SELECT record FROM read_parquet('{part}')").fetchone()
    original = json.loads(record)
    assert original["Date"] == "not a date"
    assert original["ID"] == rows[1]["ID"]
    assert original["IUCR"] == rows[1]["IUCR"]


def test_bad_count_cells_quarantine_their_row_and_na_stays_missing(empty_home, tmp_path):
    with gzip.open(BUNDLE / "rtci_by_agency_monthly_2018_2024.csv.gz", "rt") as f:
        reader = csv.DictReader(f)
        rows = [row for _, row in zip(range(6), reader, strict=False)]
        header = list(reader.fieldnames or [])
    rows[1]["murder"] = "-3"  # negative count
    rows[2]["robbery"] = "abc"  # wrong type
    rows[3]["date"] = "2018-13-45"  # unparseable period
    rows[4]["agency_full"] = ""  # missing agency
    rows[5]["rape"] = "NA"  # missing, not zero: kept as missing
    dup = dict(rows[0])  # duplicate period key
    path = tmp_path / "rtci_bad.csv"
    write_csv(path, header, [*rows, dup])
    m = load_file(path, "rtci")
    assert m["rows_in"] == 7
    assert m["rows_kept"] == 2
    assert m["rows_quarantined"] == 5
    reasons = " | ".join(quarantined("rtci", m["load_id"]).values())
    for text in (
        "negative count in murder",
        "wrong type in robbery",
        "unparseable date in date",
        "missing agency name in agency_full",
        "duplicate period key",
    ):
        assert text in reasons
    part = layout(get_settings()).part("counts", "rtci", m["load_id"])
    (value,) = duckdb.sql(
        f"SELECT count FROM read_parquet('{part}') WHERE source_code = 'rape' "
        f"AND agency = '{rows[5]['agency_full']}' AND period_start = DATE '{rows[5]['date']}'"
    ).fetchone()
    assert value is None


def test_missing_column_is_a_clear_error(empty_home, tmp_path):
    header, rows = real_chicago_rows(3)
    header = [h for h in header if h != "IUCR"]
    for r in rows:
        r.pop("IUCR")
    path = tmp_path / "no_iucr.csv"
    write_csv(path, header, rows)
    with pytest.raises(InputFileError, match="IUCR"):
        load_file(path, "chicago")


@pytest.mark.parametrize(
    "name,content,match",
    [
        ("empty.csv", "", "empty file"),
        ("data.xlsx", "x", "unsupported file type"),
        ("missing.csv", None, "not found"),
    ],
)
def test_unreadable_inputs_raise_input_errors(empty_home, tmp_path, name, content, match):
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    with pytest.raises(InputFileError, match=match):
        load_file(path, "chicago")
