"""Malformed files end with exit 0 (rows_in = kept + quarantined) or a documented exit code.

Each file is made at test time from real LAPD rows (data/bundled/lapd_crimes_2020_sample,
byte-identical to ../shared/data) by one damage a download, an editor or a script does, and
loaded through the CLI as a user would; none may exit 70 (internal error). Where the damage
can be undone (line ends, encodings, a zip), the rows stored equal the undamaged file's.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import pytest

from crimetrends.ingest.load import load_file

from . import variant_files as vf
from .conftest import BUNDLE, FIXTURES

LAPD = BUNDLE / "lapd_crimes_2020_sample.csv.gz"


def lapd_lines(rows: int = 400) -> list[bytes]:
    """The header and first `rows` lines of the real LAPD file, without line ends."""
    with gzip.open(LAPD, "rb") as f:
        return [f.readline().rstrip(b"\n") for _ in range(rows + 1)]


def cli_load(path: Path, home: Path, source: str = "lapd", **env: str):
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "from crimetrends.cli import main; main()",
            "load",
            str(path),
            "--source",
            source,
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "CRIMETRENDS_HOME": str(home), **env},
        timeout=600,
    )
    body = json.loads(out.stdout) if out.stdout.strip().startswith("{") else {}
    return out.returncode, body, out.stderr


def part_of(home: Path, table: str, manifest: dict) -> Path:
    """The one Parquet part a load wrote to `table` (found by its load id, whatever the
    store's folder layout)."""
    parts = [
        p
        for p in home.rglob(f"{manifest['load_id']}*.parquet")
        if table in p.relative_to(home).parts and "tmp" not in p.relative_to(home).parts
    ]
    assert len(parts) == 1, parts
    return parts[0]


def stored_rows(home: Path, manifest: dict) -> list[tuple]:
    part = part_of(home, "incidents", manifest)
    return duckdb.sql(
        f"SELECT * EXCLUDE (load_id) FROM read_parquet('{part}') ORDER BY record_id"
    ).fetchall()


def _replace_in_row(lines: list[bytes], row: int, old: bytes, new: bytes) -> list[bytes]:
    out = list(lines)
    assert old in out[row], out[row]
    out[row] = out[row].replace(old, new, 1)
    return out


def one_cr_line(lines):
    return b"\n".join(lines[:50]) + b"\r" + b"\n".join(lines[50:]) + b"\n"


def mixed_crlf(lines):
    return b"".join(line + (b"\r\n" if i % 3 else b"\n") for i, line in enumerate(lines))


def _first_row_with(lines: list[bytes], text: bytes) -> int:
    return next(i for i, line in enumerate(lines) if i and text in line)


def latin1_in_first_8kb(lines):
    """One É written as a single latin-1 byte in a stored street name (a Windows editor's
    save), within the first 8 KB."""
    i = next(i for i, line in enumerate(lines) if i and b"ST" in line.split(b",")[-4])
    street = lines[i].split(b",")[-4]
    fixed = _replace_in_row(lines, i, street, street.replace(b"ST", b"\xc9ST", 1))
    assert len(b"\n".join(fixed[: i + 1])) < 8192
    return b"\n".join(fixed) + b"\n"


def utf16(lines):
    return (b"\n".join(lines) + b"\n").decode("utf-8").encode("utf-16")


def joined_with_cat(lines):
    """Two exports of halves joined with `cat`: the second's BOM and header mid-file."""
    half = 1 + (len(lines) - 1) // 2
    first = b"\xef\xbb\xbf" + b"\n".join(lines[:half]) + b"\n"
    second = b"\xef\xbb\xbf" + b"\n".join([lines[0], *lines[half:]]) + b"\n"
    return first + second


REPAIRABLE = {
    "one-cr-line.csv": one_cr_line,
    "mixed-crlf-lf.csv": mixed_crlf,
    "latin1-byte-first-8kb.csv": latin1_in_first_8kb,
    "utf16.csv": utf16,
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(REPAIRABLE))
def test_line_end_and_encoding_damage_is_undone(name, tmp_path):
    lines = lapd_lines()
    clean = tmp_path / "clean.csv"
    clean.write_bytes(b"\n".join(lines) + b"\n")
    damaged = tmp_path / name
    damaged.write_bytes(REPAIRABLE[name](lines))
    rc0, want, _ = cli_load(clean, tmp_path / "a")
    rc, got, err = cli_load(damaged, tmp_path / "b")
    assert rc0 == 0 and rc == 0, err
    assert got["rows_in"] == 400 == got["rows_kept"] + got["rows_quarantined"]
    expected = stored_rows(tmp_path / "a", want)
    rows = stored_rows(tmp_path / "b", got)
    if name.startswith("latin1"):  # the one changed letter is read as é, the rest as before
        changed = [(a, b) for a, b in zip(rows, expected, strict=True) if a != b]
        assert len(changed) == 1 and any("ÉST" in str(v) for v in changed[0][0])
    else:
        assert rows == expected


def test_a_nul_byte_quarantines_its_row_only(tmp_path):
    lines = lapd_lines()
    lines = _replace_in_row(lines, _first_row_with(lines, b"SINGLE"), b"SINGLE", b"SIN\x00GLE")
    path = tmp_path / "nul.csv"
    path.write_bytes(b"\n".join(lines) + b"\n")
    rc, m, err = cli_load(path, tmp_path / "h")
    assert rc == 0, err
    assert (m["rows_in"], m["rows_kept"], m["rows_quarantined"]) == (400, 399, 1)
    assert m["quarantine_reasons"] == {"damaged line": 1}


def test_files_joined_with_cat_quarantine_the_repeated_header(tmp_path):
    path = tmp_path / "joined.csv"
    path.write_bytes(joined_with_cat(lapd_lines()))
    rc, m, err = cli_load(path, tmp_path / "h")
    assert rc == 0, err
    assert (m["rows_in"], m["rows_kept"], m["rows_quarantined"]) == (401, 400, 1)
    assert m["quarantine_reasons"] == {"repeated header line": 1}


@pytest.mark.slow
def test_thousands_of_broken_lines_load_within_a_small_memory_cap(tmp_path):
    lines = lapd_lines(5000)
    broken = [line + b",EXTRA" if i % 4 == 1 else line for i, line in enumerate(lines)]
    path = tmp_path / "broken.csv"
    path.write_bytes(b"\n".join(broken) + b"\n")
    rc, m, err = cli_load(path, tmp_path / "h", CRIMETRENDS_MEMORY_LIMIT="200MB")
    assert rc == 0, err
    assert m["rows_in"] == 5000
    assert m["rows_quarantined"] == 1250 == m["csv_rows_rejected_by_reader"]
    assert m["rows_kept"] == 3750
    q = part_of(tmp_path / "h", "quarantine", m)
    reasons = duckdb.sql(f"SELECT DISTINCT reason FROM read_parquet('{q}')").fetchall()
    assert reasons == [("broken CSV row: too many fields (29, the header has 28)",)]


def _zip(lines) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("Crime_Data_from_2020_to_Present.csv", b"\n".join(lines) + b"\n")
    return buf.getvalue()


@pytest.mark.slow
def test_a_zip_download_loads_like_its_csv(tmp_path):
    lines = lapd_lines()
    (tmp_path / "clean.csv").write_bytes(b"\n".join(lines) + b"\n")
    (tmp_path / "download.zip").write_bytes(_zip(lines))
    _, want, _ = cli_load(tmp_path / "clean.csv", tmp_path / "a")
    rc, got, err = cli_load(tmp_path / "download.zip", tmp_path / "b")
    assert rc == 0, err
    assert stored_rows(tmp_path / "b", got) == stored_rows(tmp_path / "a", want)


def _workbook() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    for row in lapd_lines(5):
        wb.active.append(row.decode().split(","))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _gzip_corrupt(lines) -> bytes:
    data = bytearray(gzip.compress(b"\n".join(lines) + b"\n", mtime=0))
    for i in range(len(data) // 2, len(data) // 2 + 40):
        data[i] ^= 0x5A
    return bytes(data)


# file name, bytes, what the error must say: each refused with exit 3 (input file error)
REFUSED = {
    "truncated.csv.gz": (
        lambda lines: (FIXTURES / "variants" / "lapd_truncated.csv.gz").read_bytes(),
        "gzip archive is truncated",
    ),
    "corrupt.csv.gz": (_gzip_corrupt, "gzip archive is corrupt"),
    "truncated.zip": (lambda lines: _zip(lines)[:-200], "zip archive is truncated or damaged"),
    "gzip-named.csv": (lambda lines: gzip.compress(b"\n".join(lines)), "it is a gzip archive"),
    "workbook.csv": (lambda lines: _workbook(), "it is an Excel workbook"),
    "error-page.csv": (
        lambda lines: b"<!DOCTYPE html><html><body>Rate limited</body></html>",
        "an HTML page",
    ),
    "api-answer.csv": (lambda lines: b'[{"dr_no": "010304468"}]', "it is JSON"),
    "text.parquet": (lambda lines: b"\n".join(lines), "named .parquet but it is text"),
    "plain.csv.gz": (lambda lines: b"\n".join(lines), "named .gz but it is plain text"),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(REFUSED))
def test_damaged_or_misnamed_files_are_refused_clearly(name, tmp_path):
    make, says = REFUSED[name]
    path = tmp_path / name
    path.write_bytes(make(lapd_lines()))
    rc, _, err = cli_load(path, tmp_path / "h")
    assert rc == 3, err
    assert says in err and "Traceback" not in err


def test_a_truncated_parquet_is_refused(tmp_path):
    data = (BUNDLE / "chicago_crimes_2017.parquet").read_bytes()
    path = tmp_path / "cut.parquet"
    path.write_bytes(data[: len(data) // 3])
    rc, _, err = cli_load(path, tmp_path / "h", source="chicago")
    assert rc == 3 and "Parquet file is truncated" in err


def test_a_home_with_an_apostrophe_works(tmp_path):
    home = tmp_path / "o'brien's data" / "home"
    path = tmp_path / "clean.csv"
    path.write_bytes(b"\n".join(lapd_lines()) + b"\n")
    rc, m, err = cli_load(path, home)
    assert rc == 0, err
    assert m["rows_in"] == 400 == m["rows_kept"] + m["rows_quarantined"]


def typed_chicago(tmp_path: Path, rows: int = 3000) -> tuple[Path, Path]:
    """The first rows of the real Chicago 2017 Parquet (all text), and the same rows with
    typed columns as pandas or Spark would write them: TIMESTAMP dates, integer ids and
    codes (zeros lost: Beat 524, District 5), doubles, booleans."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    table = pq.read_table(BUNDLE / "chicago_crimes_2017.parquet").slice(0, rows)
    text = tmp_path / "chicago_text.parquet"
    pq.write_table(table, text)
    fmt = "%m/%d/%Y %I:%M:%S %p"
    cols = {}
    for name in table.column_names:
        col = table[name]
        if name in ("Date", "Updated On"):
            col = pc.strptime(col, format=fmt, unit="s")
        elif name in ("ID", "Beat", "District", "Ward", "Community Area"):
            col = pc.cast(col, pa.int64())
        elif name in ("Latitude", "Longitude", "X Coordinate", "Y Coordinate"):
            col = pc.cast(col, pa.float64())
        elif name in ("Arrest", "Domestic"):
            col = pc.equal(col, "true")
        cols[name] = col
    typed = tmp_path / "chicago_typed.parquet"
    pq.write_table(pa.table(cols), typed)
    return text, typed


def test_typed_parquet_columns_are_accepted_as_typed(tmp_path, monkeypatch):
    text, typed = typed_chicago(tmp_path)
    monkeypatch.setenv("CRIMETRENDS_HOME", str(tmp_path / "a"))
    want = load_file(text, "chicago")
    monkeypatch.setenv("CRIMETRENDS_HOME", str(tmp_path / "b"))
    got = load_file(typed, "chicago")
    assert got["rows_quarantined"] == want["rows_quarantined"] == 0
    assert got["rows_kept"] == 3000
    assert stored_rows(tmp_path / "b", got) == stored_rows(tmp_path / "a", want)


def test_time_zone_aware_timestamps_are_refused_clearly(tmp_path):
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    _, typed = typed_chicago(tmp_path, 50)
    table = pq.read_table(typed)
    zoned = table.set_column(
        table.column_names.index("Date"), "Date", pc.assume_timezone(table["Date"], "UTC")
    )
    assert pa.types.is_timestamp(zoned["Date"].type) and zoned["Date"].type.tz == "UTC"
    path = tmp_path / "zoned.parquet"
    pq.write_table(zoned, path)
    rc, _, err = cli_load(path, tmp_path / "h", source="chicago")
    assert rc == 3 and "time-zone-aware" in err


@pytest.mark.slow
def test_every_committed_variant_loads_or_is_refused_clearly(tmp_path):
    """No variant fixture raises an internal or engine error (exit 70) through the CLI."""
    outcomes = {}
    for path in sorted((FIXTURES / "variants").iterdir()):
        source = path.name.split("_")[0]
        rc, m, err = cli_load(path, tmp_path / path.name, source=source)
        outcomes[path.name] = rc
        assert rc in (0, 3), err
        if rc == 0:
            assert m["rows_in"] == vf.ROWS == m["rows_kept"] + m["rows_quarantined"]
    assert outcomes["lapd_duplicate_header.csv"] == outcomes["lapd_truncated.csv.gz"] == 3
    assert sum(rc == 0 for rc in outcomes.values()) == 7
