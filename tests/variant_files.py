"""Real files as people's tools leave them: each variant made from a real file by the
transformation the tool applies (tests/fixtures/README.md, "variants/").

`python -m tests.variant_files` rewrites tests/fixtures/variants/ from the real files in
data/bundled/ and tests/fixtures/ (byte-identical copies of ../shared/data); the tests use
the committed files and compare them with `original_slice` of the same real file.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
VARIANTS = FIXTURES / "variants"
ROWS = 300

REAL = {
    "lapd": ROOT / "data" / "bundled" / "lapd_crimes_2020_sample.csv.gz",
    "chicago": FIXTURES / "chicago_crimes_2024_sample.csv.gz",
    "nypd": ROOT / "data" / "bundled" / "nypd_complaints_sample_2015.csv.gz",
}
# the columns each portal publishes as dates (export format → ISO in the API)
DATES = {
    "lapd": ("Date Rptd", "DATE OCC"),
    "chicago": ("Date", "Updated On"),
    "nypd": ("CMPLNT_FR_DT", "CMPLNT_TO_DT", "RPT_DT"),
}
EXPORT_FORMATS = ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M", "%m/%d/%Y")


def original_slice(source: str, out: Path, rows: int = ROWS) -> Path:
    """The real file's header and first `rows` rows, byte for byte (no record spans lines)."""
    with gzip.open(REAL[source], "rb") as f:
        lines = [f.readline() for _ in range(rows + 1)]
    assert len(list(csv.reader(io.StringIO(b"".join(lines).decode("utf-8-sig"))))) == rows + 1
    out.write_bytes(b"".join(lines))
    return out


def real_rows(source: str, rows: int = ROWS) -> tuple[list[str], list[dict[str, str]]]:
    with gzip.open(REAL[source], "rt", encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), [r for _, r in zip(range(rows), reader, strict=False)]


def socrata_name(column: str) -> str:
    """A published column's SODA API field name (`Part 1-2` → `part_1_2`)."""
    return re.sub(r"[^0-9a-z]+", "_", column.strip().lower()).strip("_")


def iso(value: str) -> str:
    """An export date as the API writes it (`2020-01-08T00:00:00.000`); blank stays blank."""
    if not value:
        return value
    for fmt in EXPORT_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).strftime("%Y-%m-%dT%H:%M:%S.000")
        except ValueError:
            continue
    raise ValueError(value)


def api_export(source: str, out: Path) -> Path:
    """What a Socrata API download (`/resource/<id>.csv`) gives: field names, ISO dates,
    every value quoted."""
    header, rows = real_rows(source)
    with out.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\n")
        w.writerow([socrata_name(h) for h in header])
        for r in rows:
            w.writerow([iso(r[h]) if h in DATES[source] else r[h] for h in header])
    return out


def pandas_flattened(source: str, out: Path, point: str, drop: tuple[str, ...]) -> Path:
    """An API download as JSON (field names, ISO dates, empty fields left out, the location
    nested as `point`), flattened by pandas.json_normalize, saved and read back by pandas
    (types inferred: a code column with a blank becomes floats, `321.0`), then saved with
    pandas' index (an unnamed first column)."""
    import pandas as pd

    header, rows = real_rows(source)
    records = []
    for r in rows:
        rec = {
            socrata_name(h): iso(r[h]) if h in DATES[source] else r[h]
            for h in header
            if r[h] != "" and h not in drop
        }
        if r["Latitude"]:
            rec[point] = {"latitude": r["Latitude"], "longitude": r["Longitude"]}
        records.append(rec)
    flat = pd.json_normalize(records)
    typed = pd.read_csv(io.StringIO(flat.to_csv(index=False)))
    typed.to_csv(out)
    return out


def _excel_value(text: str):
    """The cell Excel makes of a CSV field: numbers lose leading zeros, dates become dates."""
    if re.fullmatch(r"-?\d+", text):
        return int(text), "General"
    if re.fullmatch(r"-?\d*\.\d+", text):
        return float(text), "General"
    for fmt, shown in (
        ("%m/%d/%Y %I:%M:%S %p", "m/d/yyyy h:mm"),
        ("%m/%d/%Y %H:%M", "m/d/yyyy h:mm"),
        ("%m/%d/%Y", "m/d/yyyy"),
    ):
        try:
            return dt.datetime.strptime(text, fmt), shown
        except ValueError:
            continue
    if re.fullmatch(r"\d{2}:\d{2}:\d{2}", text):
        return dt.datetime.strptime(text, "%H:%M:%S").time(), "h:mm:ss"
    return (text or None), "General"


def _excel_text(value, number_format: str) -> str:
    """How Excel writes a cell to CSV: as it displays it in that number format."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and number_format == "m/d/yyyy h:mm":
        return f"{value.month}/{value.day}/{value.year} {value.hour}:{value.minute:02d}"
    if isinstance(value, dt.datetime):
        return f"{value.month}/{value.day}/{value.year}"
    if isinstance(value, dt.time):
        return f"{value.hour}:{value.minute:02d}:{value.second:02d}"
    if isinstance(value, float):
        return f"{value:.15g}"
    return str(value)


def spreadsheet_round_trip(source: str, out: Path) -> Path:
    """Opened in a spreadsheet and saved as CSV again: written to an .xlsx with openpyxl as
    Excel types the cells, read back, and saved as Excel saves CSV (as displayed; CRLF)."""
    from openpyxl import Workbook, load_workbook

    header, rows = real_rows(source)
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        cells = [_excel_value(r[h]) for h in header]
        ws.append([v for v, _ in cells])
        for cell, (_, shown) in zip(ws[ws.max_row], cells, strict=True):
            cell.number_format = shown
    book = out.with_suffix(".xlsx")
    wb.save(book)
    back = load_workbook(book).active
    with out.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\r\n")
        for row in back.iter_rows():
            w.writerow([_excel_text(c.value, c.number_format) for c in row])
    book.unlink()
    return out


def duplicate_header(source: str, column: str, out: Path) -> Path:
    """Re-exported with a second `column`, holding the same dates as Excel serials."""
    header, rows = real_rows(source)
    epoch = dt.datetime(1899, 12, 30)
    with out.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow([*header, column])
        for r in rows:
            day = dt.datetime.strptime(r[column].split(" ")[0], "%m/%d/%Y")
            w.writerow([*(r[h] for h in header), str((day - epoch).days)])
    return out


def blank_headers(source: str, blank: tuple[str, ...], out: Path) -> Path:
    """The header cells of columns the source never reads left empty."""
    header, rows = real_rows(source)
    with out.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["" if h in blank else h for h in header])
        for r in rows:
            w.writerow([r[h] for h in header])
    return out


def truncated_gzip(source: str, out: Path, keep: float = 0.6) -> Path:
    """A download cut short: the gzip of the original slice, stopped at `keep` of its bytes."""
    tmp = out.with_name("slice.csv")
    data = gzip.compress(original_slice(source, tmp).read_bytes(), mtime=0)
    tmp.unlink()
    out.write_bytes(data[: int(len(data) * keep)])
    return out


def build_all(folder: Path = VARIANTS) -> dict[str, Path]:
    """Every committed variant (names as in tests/fixtures/README.md)."""
    folder.mkdir(parents=True, exist_ok=True)
    made = {
        "lapd_api.csv": api_export("lapd", folder / "lapd_api.csv"),
        "chicago_api.csv": api_export("chicago", folder / "chicago_api.csv"),
        "nypd_flattened.csv": pandas_flattened(
            "nypd", folder / "nypd_flattened.csv", "lat_lon", ("Latitude", "Longitude", "Lat_Lon")
        ),
        "chicago_flattened.csv": pandas_flattened(
            "chicago", folder / "chicago_flattened.csv", "location", ("Location",)
        ),
        "lapd_spreadsheet.csv": spreadsheet_round_trip("lapd", folder / "lapd_spreadsheet.csv"),
        "nypd_spreadsheet.csv": spreadsheet_round_trip("nypd", folder / "nypd_spreadsheet.csv"),
        "lapd_duplicate_header.csv": duplicate_header(
            "lapd", "DATE OCC", folder / "lapd_duplicate_header.csv"
        ),
        "lapd_blank_headers.csv": blank_headers(
            "lapd", ("Crm Cd 2", "Crm Cd 3", "Crm Cd 4"), folder / "lapd_blank_headers.csv"
        ),
        "lapd_truncated.csv.gz": truncated_gzip("lapd", folder / "lapd_truncated.csv.gz"),
    }
    return made


if __name__ == "__main__":
    for name, path in build_all().items():
        print(name, path.stat().st_size, json.dumps(str(path.relative_to(ROOT))))
