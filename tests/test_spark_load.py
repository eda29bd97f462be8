"""Loading on Spark: the same incident SQL, translated, gives the same stored rows as DuckDB.

Each file is loaded twice into fresh stores, once per engine, and everything the load wrote
is compared row for row: the harmonized incidents (every column), the quarantine (row
number, reason, original record) and the manifest's accounting. The files are real (the
bundled extracts) or real rows corrupted on purpose (tests/fixtures/README.md).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest

from crimetrends.errors import ConfigError
from crimetrends.ingest import incidents
from crimetrends.ingest.load import load_file
from crimetrends.ingest.on_spark import java_datetime_pattern, spark_sql
from crimetrends.settings import get_settings
from crimetrends.sources.registry import all_sources
from crimetrends.store.connect import layout

from .conftest import BUNDLE, FIXTURES
from .test_quarantine import real_chicago_rows, write_csv

needs_java = pytest.mark.skipif(
    shutil.which("java") is None and not os.environ.get("CRIMETRENDS_REQUIRE_SPARK"),
    reason="Spark needs Java (make test installs it and requires these tests)",
)


@pytest.mark.parametrize(
    ("strftime", "java"),
    [
        ("%m/%d/%Y %I:%M:%S %p", "M/d/yyyy h:m:s a"),
        ("%Y-%m-%dT%H:%M:%S.%g", "yyyy-M-d'T'H:m:s.SSS"),
        ("%H%M", "HHmm"),  # adjacent numbers need fixed widths in Java
        ("%Y%m%d", "yyyyMMdd"),
        ("%m-%Y", "M-yyyy"),
        ("%%Y", "%'Y'"),  # a literal letter is quoted
    ],
)
def test_strftime_formats_become_java_patterns(strftime, java):
    assert java_datetime_pattern(strftime) == java


@pytest.mark.parametrize("directive", ["%Z", "%y", "%b"])
def test_a_format_not_known_to_parse_alike_is_a_clear_error(directive):
    with pytest.raises(ConfigError, match=f"{directive} has no Spark equivalent"):
        java_datetime_pattern(f"%d-%m-%Y {directive}")


def test_every_registered_date_format_translates():
    seen = 0
    for spec in all_sources().values():
        for col in spec.columns.values():
            for fmt in (*col.formats, *col.time_formats):
                assert java_datetime_pattern(fmt)
                seen += 1
    assert seen >= 10


def test_duckdb_only_functions_are_rewritten():
    out = spark_sql(
        "SELECT try_strptime(x, ['%m/%d/%Y', '%Y-%m-%d']) AS t, "
        "regexp_full_match(y, '[0-9]{2}') AS ok FROM r"
    )
    assert "TRY_STRPTIME" not in out.upper() and "REGEXP_FULL_MATCH" not in out.upper()
    assert "COALESCE(TRY_TO_TIMESTAMP(x, 'M/d/yyyy'), TRY_TO_TIMESTAMP(x, 'yyyy-M-d'))" in out
    assert "y RLIKE '^(?:[0-9]{2})$'" in out


def _load_everything(path: Path, source: str, home: Path, engine: str, monkeypatch) -> tuple:
    monkeypatch.setenv("CRIMETRENDS_HOME", str(home))
    monkeypatch.setenv("CRIMETRENDS_ENGINE", engine)
    m = load_file(path, source)
    lay = layout(get_settings())
    inc = lay.part("incidents", source, m["load_id"])
    q = lay.part("quarantine", source, m["load_id"])
    stored = duckdb.sql(f"SELECT * FROM read_parquet('{inc}') ORDER BY ALL").fetchall()
    schema = duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{inc}')").fetchall()
    quarantine = duckdb.sql(
        f"SELECT row_number, reason, record FROM read_parquet('{q}') ORDER BY ALL"
    ).fetchall()
    counts = {k: m[k] for k in ("rows_in", "rows_kept", "rows_quarantined", "quarantine_reasons")}
    return stored, schema, quarantine, counts


def _bad_chicago_file(tmp_path: Path) -> Path:
    header, rows = real_chicago_rows(12)
    bad = [dict(r) for r in rows]
    bad[1]["Date"] = "13/45/2024 09:00:00 PM"
    bad[2]["ID"] = ""
    bad[3]["IUCR"] = "BAD!"
    bad[4]["Latitude"] = "north"
    bad[5]["Arrest"] = "maybe"
    bad[6]["ID"] = bad[0]["ID"]
    bad[7]["Date"] = "01/01/1850 10:00:00 AM"
    bad[8]["IUCR"] = ""
    bad[9]["IUCR"], bad[9]["FBI Code"] = "9999", "99"
    bad[10]["Latitude"], bad[10]["Arrest"] = "1,041.9", " TRUE "  # out of range; padding ok
    tail = ",".join(bad[11].values()) + ",EXTRA\n"
    path = tmp_path / "chicago_bad.csv"
    write_csv(path, header, bad[:11], tail=tail)
    return path


def _bad_chicago_parquet(tmp_path: Path) -> Path:
    """The same corrupted rows as Parquet (all text): Spark reads these itself, row numbers
    from the file, where a CSV is first read by DuckDB."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    header, rows = real_chicago_rows(11)
    bad = [dict(r) for r in rows]
    bad[2]["Date"] = "2024-13-01T00:00:00"
    bad[4]["ID"] = bad[1]["ID"]
    bad[6]["Longitude"] = "-200.5"
    bad[8]["FBI Code"] = "1X"  # ("1" would be a re-saved "01": restored, by [digits])
    path = tmp_path / "chicago_bad.parquet"
    pq.write_table(pa.table({h: [r[h] for r in bad] for h in header}), path)
    return path


def _flattened_parquet(tmp_path: Path) -> Path:
    """The pandas-flattened Chicago API variant as a text Parquet: Spark reads it itself, so
    the renaming and the digit restoration (Beat `925` → `0925`) run translated on Spark."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    path = FIXTURES / "variants" / "chicago_flattened.csv"
    names = path.open().readline().rstrip("\n").split(",")
    opts = pacsv.ConvertOptions(column_types={n: "string" for n in names})
    table = pacsv.read_csv(path, convert_options=opts)
    out = tmp_path / "chicago_flattened.parquet"
    pq.write_table(table.rename_columns([n or "index" for n in names]), out)
    return out


def _lapd_serials(tmp_path: Path) -> Path:
    """LAPD's dates as Excel serials (declared `excel_serial`): a serial is parsed by SQL
    both engines read alike."""
    import csv
    import datetime as dt

    from . import variant_files as vf

    header, rows = vf.real_rows("lapd")
    path = tmp_path / "lapd_serials.csv"
    with path.open("w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            for col in ("DATE OCC", "Date Rptd"):
                day = dt.datetime.strptime(r[col][:10], "%m/%d/%Y") - dt.datetime(1899, 12, 30)
                r[col] = f"{day.days}.0" if col == "Date Rptd" else str(day.days)
            w.writerow([r[h] for h in header])
    return path


def _typed_parquet(tmp_path: Path) -> Path:
    from .test_malformed import typed_chicago

    return typed_chicago(tmp_path, 2000)[1]


MADE = {
    "chicago-flattened-parquet": _flattened_parquet,
    "lapd-excel-serials": _lapd_serials,
    "chicago-typed-parquet": _typed_parquet,
}

CASES = {
    "chicago-2017-parquet": ("chicago", BUNDLE / "chicago_crimes_2017.parquet"),
    "lapd-time-column": ("lapd", BUNDLE / "lapd_crimes_2020_sample.csv.gz"),
    "nypd": ("nypd", BUNDLE / "nypd_complaints_sample_2015.csv.gz"),
    "code-multi-agency": ("code_homicides", FIXTURES / "code_homicides_9_cities_2015.csv.gz"),
    "chicago-bad-rows": ("chicago", None),
    "chicago-bad-rows-parquet": ("chicago", "parquet"),
    "lapd-spreadsheet": ("lapd", FIXTURES / "variants" / "lapd_spreadsheet.csv"),
    "nypd-flattened": ("nypd", FIXTURES / "variants" / "nypd_flattened.csv"),
    "chicago-flattened-parquet": ("chicago", "made"),
    "lapd-excel-serials": ("lapd", "made"),
    "chicago-typed-parquet": ("chicago", "made"),
}


@needs_java
@pytest.mark.parametrize("case", list(CASES))
def test_spark_load_stores_what_duckdb_stores(case, tmp_path, monkeypatch):
    source, path = CASES[case]
    if path is None:
        path = _bad_chicago_file(tmp_path)
    elif path == "parquet":
        path = _bad_chicago_parquet(tmp_path)
    elif path == "made":
        path = MADE[case](tmp_path)
    ran_on_spark = []
    import crimetrends.ingest.on_spark as on_spark

    real = on_spark.build_parsed_on_spark

    def spy(*args, **kwargs):
        ran_on_spark.append(True)
        return real(*args, **kwargs)

    monkeypatch.setattr(on_spark, "build_parsed_on_spark", spy)
    duck = _load_everything(path, source, tmp_path / "duck", "duckdb", monkeypatch)
    assert not ran_on_spark
    spark = _load_everything(path, source, tmp_path / "spark", "spark", monkeypatch)
    assert ran_on_spark == [True]

    assert spark[1] == duck[1]  # same columns, same types
    assert spark[3] == duck[3]  # same accounting
    assert len(spark[0]) == duck[3]["rows_kept"] > 0
    assert spark[0] == duck[0]  # every stored value
    assert spark[2] == duck[2]  # every quarantined row, reason and original record
    if case == "chicago-bad-rows":
        assert duck[3]["rows_quarantined"] == 10
        reasons = " | ".join(r[1] for r in duck[2])
        assert "out of range in Latitude: 1,041.9" in reasons
        assert "broken CSV row" in reasons
        kept = {r[2] for r in duck[0]}  # record ids
        assert real_chicago_rows(11)[1][10]["ID"] not in kept
    if case == "chicago-bad-rows-parquet":
        assert duck[3]["rows_quarantined"] == 4
        assert sorted(r[0] for r in duck[2]) == [3, 5, 7, 9]  # 1-based row numbers


def test_spark_path_builds_the_same_parsed_columns(tmp_path):
    """The typed query's columns are the ones PARSED promises (so both engines feed one writer)."""
    from crimetrends.ingest.read import read_input
    from crimetrends.sources.registry import get_source
    from crimetrends.store.connect import raw_duckdb

    con = raw_duckdb()
    path = BUNDLE / "nypd_complaints_sample_2015.csv.gz"
    raw = read_input(con, path)
    incidents.build_parsed(con, raw, get_source("nypd"), path)
    cols = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {incidents.PARSED}").fetchall()]
    assert sorted(cols) == sorted(c.strip() for c in incidents.PARSED_COLUMNS.split(","))
