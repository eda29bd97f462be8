"""Real files as people download them load to the same stored rows as the published file.

Each variant in tests/fixtures/variants/ was made from a real file by what a person's tool
does to it (tests/variant_files.py; README "variants/"): a Socrata API download, an API
answer flattened and re-saved by pandas, a spreadsheet round trip, damaged headers. Each is
loaded into its own store and compared row for row (every stored column, times of day
included) with the same rows of the real file loaded as published.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
from pathlib import Path

import duckdb
import pytest

from crimetrends.errors import InputFileError
from crimetrends.ingest import incidents
from crimetrends.ingest.load import load_file
from crimetrends.ingest.read import read_input
from crimetrends.settings import get_settings
from crimetrends.sources.registry import get_source
from crimetrends.store.connect import layout, raw_duckdb

from . import variant_files as vf
from .conftest import BUNDLE, FIXTURES, SHARED, needs_shared

VARIANTS = FIXTURES / "variants"


def stored(path: Path, source: str, home: Path, monkeypatch) -> dict:
    """Load `path` into a fresh store at `home`: its stored rows, quarantine and manifest."""
    monkeypatch.setenv("CRIMETRENDS_HOME", str(home))
    m = load_file(path, source)
    lay = layout(get_settings())
    inc = lay.part("incidents", source, m["load_id"])
    q = lay.part("quarantine", source, m["load_id"])
    cols = duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{inc}')").fetchall()
    keep = ", ".join(c[0] for c in cols if c[0] != "load_id")
    rows = duckdb.sql(f"SELECT {keep} FROM read_parquet('{inc}') ORDER BY record_id").fetchall()
    quarantine = duckdb.sql(
        f"SELECT row_number, reason FROM read_parquet('{q}') ORDER BY row_number"
    ).fetchall()
    return {"rows": rows, "quarantine": quarantine, "manifest": m}


def _rewritten(path: Path, column: str, width: int) -> int:
    """Values of `column` a re-save rewrote, counted in Python from the file itself: a whole
    number written as a float (`321.0`) or, for a fixed width, digits short of it (`524`)."""
    with path.open(newline="", encoding="utf-8") as f:
        values = [row[column].strip() for row in csv.DictReader(f)]
    floats = sum(v.endswith(".0") and v[:-2].isdigit() for v in values)
    short = sum(v.isdigit() and len(v) < width for v in values) if width else 0
    return floats + short


def header_of(path: Path, source: str) -> dict:
    """What reading `path` as `source` records about its header (for the manifest)."""
    raw = read_input(raw_duckdb(), path, get_source(source))
    return raw.manifest_entries()


# variant file, source, header variant it is, [digits] columns it must have restored
CASES = {
    "lapd_api.csv": ("lapd", "api", set()),
    "chicago_api.csv": ("chicago", "api", set()),
    "nypd_flattened.csv": ("nypd", "flattened", {"PD_CD"}),
    "chicago_flattened.csv": ("chicago", "api", {"Beat", "District"}),
    "lapd_spreadsheet.csv": ("lapd", "export", {"DR_NO", "TIME OCC", "Rpt Dist No"}),
    "nypd_spreadsheet.csv": ("nypd", "export", set()),
    "lapd_blank_headers.csv": ("lapd", "export", set()),
}


@pytest.mark.parametrize("name", list(CASES))
def test_each_variant_stores_the_rows_of_the_published_file(name, tmp_path, monkeypatch):
    source, variant, restored = CASES[name]
    original = vf.original_slice(source, tmp_path / f"{source}_original.csv")
    want = stored(original, source, tmp_path / "original", monkeypatch)
    got = stored(VARIANTS / name, source, tmp_path / "variant", monkeypatch)

    assert got["manifest"]["rows_in"] == want["manifest"]["rows_in"] == vf.ROWS
    assert len(want["rows"]) > 0.95 * vf.ROWS
    assert got["rows"] == want["rows"]  # every stored value, times of day included
    assert got["quarantine"] == want["quarantine"]  # the same rows, for the same reasons
    times = [r[3].time() for r in got["rows"]]  # occurred_at
    assert times == [r[3].time() for r in want["rows"]]
    assert len(set(times)) > 50  # the times of day vary: a shift could not hide

    header = got["manifest"]["header"]  # what the load recorded of the file's header
    assert header["variant"] == variant
    assert set(header.get("values_restored", {})) == restored
    widths = get_source(source).digits
    for column, n in header.get("values_restored", {}).items():
        in_file = header.get("columns_renamed", {}).get(column, column)
        assert n == _rewritten(VARIANTS / name, in_file, widths[column]), column


def test_the_spreadsheet_variant_really_lost_its_zeros():
    """The fixture is what the test says it is: zeros gone, dates as `1/8/2020 0:00`."""
    with (VARIANTS / "lapd_spreadsheet.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    assert sum(len(r["TIME OCC"]) < 4 for r in rows) > 50
    assert any(r["TIME OCC"] in ("155", "200", "900") or len(r["TIME OCC"]) == 3 for r in rows)
    assert sum(len(r["DR_NO"]) == 8 for r in rows) > 0
    assert all(" 0:00" in r["DATE OCC"] and not r["DATE OCC"].startswith("0") for r in rows)
    with (VARIANTS / "nypd_flattened.csv").open(newline="") as f:
        flat = list(csv.DictReader(f))
    assert next(iter(flat[0])) == "" and all(r["pd_cd"].endswith(".0") for r in flat if r["pd_cd"])


def test_without_a_declared_width_a_shortened_time_is_ambiguous_and_quarantined(tmp_path):
    """`155` in HHMM is 01:55 only because LAPD zero-pads TIME OCC to 4 digits ([digits]).
    Without that declaration the reading is ambiguous (01:55 or 15:05): exactly the rows with
    a shortened time are quarantined, and every other row keeps the original's time."""
    spec = get_source("lapd")
    undeclared = dataclasses.replace(
        spec, digits={k: v for k, v in spec.digits.items() if k != "TIME OCC"}
    )
    original = vf.original_slice("lapd", tmp_path / "original.csv")

    def parsed(path, entry):
        con = raw_duckdb()
        raw = read_input(con, path)
        incidents.build_parsed(con, raw, entry, path)
        return {
            r[0]: r[1:]
            for r in con.execute(
                f"SELECT record_id, occurred_at, reason FROM {incidents.PARSED}"
            ).fetchall()
        }

    want = parsed(original, spec)
    got = parsed(VARIANTS / "lapd_spreadsheet.csv", undeclared)
    with (VARIANTS / "lapd_spreadsheet.csv").open(newline="") as f:
        short = {r["DR_NO"].zfill(9) for r in csv.DictReader(f) if len(r["TIME OCC"]) < 4}
    assert short and set(got) == set(want)
    for rid, (occurred, reason) in got.items():
        if rid in short:
            assert reason and reason.startswith("ambiguous time in TIME OCC"), reason
            assert "digits table" in reason
        else:
            assert reason == want[rid][1] and occurred == want[rid][0]


def test_excel_serial_dates_are_read_where_declared(tmp_path, monkeypatch):
    """LAPD declares `excel_serial` on its dates: `43838` is 2020-01-08."""
    header, rows = vf.real_rows("lapd")
    epoch = dt.datetime(1899, 12, 30)
    path = tmp_path / "lapd_serials.csv"
    with path.open("w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            for col in ("DATE OCC", "Date Rptd"):
                day = dt.datetime.strptime(r[col][:10], "%m/%d/%Y")
                r[col] = str((day - epoch).days)
            w.writerow([r[h] for h in header])
    original = vf.original_slice("lapd", tmp_path / "original.csv")
    want = stored(original, "lapd", tmp_path / "a", monkeypatch)
    got = stored(path, "lapd", tmp_path / "b", monkeypatch)
    assert got["rows"] == want["rows"] and got["quarantine"] == want["quarantine"]


def test_a_spreadsheet_that_dropped_the_seconds_stores_no_wrong_time(tmp_path, monkeypatch):
    """Excel writes Chicago's `01/05/2024 01:23:45 PM` as `1/5/2024 13:23`: the seconds are
    gone, so no row can be stored with its original time; every row is quarantined, none
    stored with a time that differs from the published one."""
    path = vf.spreadsheet_round_trip("chicago", tmp_path / "chicago_resaved.csv")
    got = stored(path, "chicago", tmp_path / "home", monkeypatch)
    m = got["manifest"]
    assert m["rows_in"] == vf.ROWS == m["rows_kept"] + m["rows_quarantined"]
    assert got["rows"] == []
    assert all(r.startswith("unparseable date in Date: ") for _, r in got["quarantine"])


def test_unnamed_index_and_nested_names_are_recognised_and_reported():
    flat = header_of(VARIANTS / "nypd_flattened.csv", "nypd")["header"]
    assert flat["columns_renamed"]["Latitude"] == "lat_lon.latitude"
    assert {"column": 1, "header": "", "why": "an unnamed index column (pandas)"} in flat[
        "columns_ignored"
    ]
    chicago = header_of(VARIANTS / "chicago_flattened.csv", "chicago")["header"]
    assert chicago["columns_renamed"]["Latitude"] == "latitude"
    assert {"location.latitude", "location.longitude"} <= set(chicago["columns_not_read"])


def test_blank_headers_of_columns_not_read_are_reported_and_ignored():
    header = header_of(VARIANTS / "lapd_blank_headers.csv", "lapd")["header"]
    blank = [c for c in header["columns_ignored"] if c["why"] == "a blank header"]
    assert [c["column"] for c in blank] == [22, 23, 24]


def test_a_duplicated_column_the_source_reads_is_a_clear_error():
    with pytest.raises(InputFileError) as err:
        load_file(VARIANTS / "lapd_duplicate_header.csv", "lapd")
    e = err.value
    assert "'DATE OCC'" in e.message and "appears 2 times" in e.message
    assert "column 3 (e.g. '01/" in e.message and "column 29 (e.g. '4" in e.message
    assert "delete the extra copies" in (e.hint or "")
    assert e.exit_code == 3


def test_a_blank_header_where_a_read_column_should_be_is_named(tmp_path):
    header, rows = vf.real_rows("lapd", 20)
    path = tmp_path / "no_dr_no.csv"
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["" if h == "DR_NO" else h for h in header])
        w.writerows([[r[h] for h in header] for r in rows])
    with pytest.raises(InputFileError) as err:
        load_file(path, "lapd")
    assert "['DR_NO']" in err.value.message and "columns [1] have no name" in err.value.message
    assert "'DR_NO'" in (err.value.hint or "")


def test_a_truncated_gzip_is_refused_with_what_was_read(empty_home):
    with pytest.raises(InputFileError) as err:
        load_file(VARIANTS / "lapd_truncated.csv.gz", "lapd")
    e = err.value
    assert "gzip archive is truncated" in e.message and "nothing was loaded" in e.message
    original_lines = vf.ROWS + 1
    assert 0 < e.details["lines_read"] < original_lines
    assert f"{e.details['lines_read']:,} complete lines" in e.message
    assert e.exit_code == 3


# real files under a wrong --source: (file, wrong source, what the error must name)
WRONG = {
    "chicago-as-lapd": (FIXTURES / "chicago_crimes_2024_sample.csv.gz", "lapd", "'chicago' file"),
    "lapd-as-nypd": (BUNDLE / "lapd_crimes_2020_sample.csv.gz", "nypd", "'lapd' file"),
    "nypd2015-as-chicago": (BUNDLE / "nypd_complaints_sample_2015.csv.gz", "chicago", "'nypd'"),
    "nypd2010-as-lapd": (BUNDLE / "nypd_complaints_sample_2010.csv.gz", "lapd", "'nypd' file"),
    "lapd-api-as-chicago": (VARIANTS / "lapd_api.csv", "chicago", "'lapd' file"),
    "code-as-chicago": (
        FIXTURES / "code_homicides_9_cities_2015.csv.gz",
        "chicago",
        "'code_homicides' file",
    ),
    "rtci-as-ytd": (BUNDLE / "rtci_by_agency_monthly_2018_2024.csv.gz", "rtci_ytd", "'rtci'"),
    "rollup-as-lapd": (
        BUNDLE / "lapd_annual_counts_by_area_crimecode_2010_2019.csv.gz",
        "lapd",
        "'lapd_annual' file",
    ),
    "arrests-as-nypd": (
        FIXTURES / "nypd_arrests_historic_dec2017.csv.gz",
        "nypd",
        "an NYPD arrests file",
    ),
}


@pytest.mark.parametrize("case", list(WRONG))
def test_a_real_file_under_the_wrong_source_names_the_right_one(case, empty_home):
    path, source, names = WRONG[case]
    with pytest.raises(InputFileError) as err:
        load_file(path, source)
    message = err.value.message
    assert "this looks like" in message and names in message, message
    if case == "arrests-as-nypd":
        assert "not a registered source yet" in message
    else:
        right = names.split("'")[1]
        assert err.value.hint == f"load it with --source {right}"


@needs_shared
@pytest.mark.parametrize(
    ("name", "source", "names"),
    [
        ("nypd_hate_crimes_incidents.csv", "nypd", "an NYPD hate crimes file"),
        ("code_nyc_motor_vehicle_thefts_2014_2017.csv.gz", "code_homicides", "Crime Open Database"),
    ],
)
def test_unregistered_real_datasets_are_named(name, source, names, empty_home):
    with pytest.raises(InputFileError, match="not a registered source yet") as err:
        load_file(SHARED / name, source)
    assert names in err.value.message


@pytest.mark.slow
def test_every_variant_fixture_is_reproducible(tmp_path):
    """The committed variants are exactly what tests/variant_files.py makes from the real
    files (so the README's account of each is checked, not trusted)."""
    made = vf.build_all(tmp_path)
    for name, path in made.items():
        assert (VARIANTS / name).read_bytes() == path.read_bytes(), name


def test_repeated_and_unnamed_columns_not_read_are_reported_and_ignored(tmp_path, monkeypatch):
    """Saved by pandas a second time (its old index is now `Unnamed: 0`) with a column the
    source never reads (`Crm Cd Desc`) repeated: same stored rows, both reported."""
    header, rows = vf.real_rows("lapd")
    path = tmp_path / "lapd_resaved_twice.csv"
    with path.open("w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["Unnamed: 0", *header, "Crm Cd Desc"])
        w.writerows([str(i), *(r[h] for h in header), r["Crm Cd Desc"]] for i, r in enumerate(rows))
    original = vf.original_slice("lapd", tmp_path / "original.csv")
    want = stored(original, "lapd", tmp_path / "a", monkeypatch)
    got = stored(path, "lapd", tmp_path / "b", monkeypatch)
    assert got["rows"] == want["rows"] and got["quarantine"] == want["quarantine"]
    ignored = header_of(path, "lapd")["header"]["columns_ignored"]
    assert ignored == [
        {"column": 1, "header": "Unnamed: 0", "why": "an unnamed index column (pandas)"},
        {
            "column": 30,
            "header": "Crm Cd Desc",
            "why": "a repeated header (first at column 11), not read",
        },
    ]
