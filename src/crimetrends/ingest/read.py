"""Read a published file into a temporary all-text table, keeping structurally broken rows.

CSV is read with an explicit header and dialect (no sniffing, which fails on exactly the
broken files we must survive); rows the CSV reader rejects (broken quoting, wrong number
of fields) are returned as quarantine records with the reader's own message.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from crimetrends.errors import InputFileError

RAW = "raw_input"


@dataclass(frozen=True)
class RawInput:
    table: str
    columns: tuple[str, ...]
    rows_read: int
    rejects: list[tuple[int, str, str]]  # (line, reason, text)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def file_format(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(".parquet"):
        return "parquet"
    if name.endswith((".csv", ".csv.gz", ".txt", ".txt.gz")):
        return "csv"
    raise InputFileError(
        f"{path.name}: unsupported file type", hint="use CSV (optionally gzipped) or Parquet"
    )


def _csv_header(path: Path) -> list[str]:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rb") as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            header = next(csv.reader(text), None)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputFileError(f"{path.name}: cannot read the header ({exc})") from None
    if not header:
        raise InputFileError(f"{path.name}: empty file (no header row)")
    names = [h.strip() for h in header]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise InputFileError(f"{path.name}: duplicate column names {dupes}")
    return names


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sql_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def drop_relation(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Drop a temporary table or view of that name, whichever it is."""
    for (kind,) in con.execute(
        "SELECT table_type FROM information_schema.tables WHERE table_name = ?", [name]
    ).fetchall():
        con.execute(f"DROP {'VIEW' if kind == 'VIEW' else 'TABLE'} IF EXISTS {name}")


def read_input(con: duckdb.DuckDBPyConnection, path: Path) -> RawInput:
    """Create table RAW (__row, <every source column as VARCHAR>) from a CSV or Parquet file."""
    if not path.exists():
        raise InputFileError(f"{path}: file not found")
    fmt = file_format(path)
    drop_relation(con, RAW)
    rejects: list[tuple[int, str, str]] = []
    try:
        if fmt == "parquet":
            cols = [
                r[0]
                for r in con.execute(
                    f"DESCRIBE SELECT * FROM read_parquet({sql_str(str(path))})"
                ).fetchall()
            ]
            select = ", ".join(f"CAST({_quote(c)} AS VARCHAR) AS {_quote(c.strip())}" for c in cols)
            # a view, not a copy: each pass reads only the columns it needs, and the file's
            # own row numbers stay stable across passes
            con.execute(
                f"CREATE OR REPLACE TEMP VIEW {RAW} AS SELECT file_row_number + 1 AS __row, "
                f"{select} FROM read_parquet({sql_str(str(path))}, file_row_number = true)"
            )
            columns = tuple(c.strip() for c in cols)
        else:
            columns = tuple(_csv_header(path))
            spec = "{" + ", ".join(f"{sql_str(c)}: 'VARCHAR'" for c in columns) + "}"
            con.execute(
                f"CREATE TEMP TABLE {RAW} AS SELECT row_number() OVER () AS __row, * "
                f"FROM read_csv({sql_str(str(path))}, columns = {spec}, header = false, "
                "skip = 1, auto_detect = false, delim = ',', quote = '\"', escape = '\"', "
                "store_rejects = true, max_line_size = 4194304, parallel = true)"
            )
            rejects = [
                (int(line), reason, text)
                for line, reason, text in con.execute(
                    "SELECT line, string_agg(DISTINCT error_type || ': ' || error_message, '; '), "
                    "any_value(csv_line) FROM reject_errors GROUP BY line ORDER BY line"
                ).fetchall()
            ]
    except duckdb.Error as exc:
        msg = str(exc).splitlines()[0]
        raise InputFileError(f"{path.name}: cannot parse as {fmt} ({msg})") from None
    (rows,) = con.execute(f"SELECT count(*) FROM {RAW}").fetchone()
    return RawInput(RAW, columns, int(rows), rejects)


def require_columns(raw: RawInput, needed: tuple[str, ...], path: Path, source: str) -> None:
    """Schema check: every mapped column must be present (by name, not position)."""
    missing = [c for c in needed if c not in raw.columns]
    if missing:
        raise InputFileError(
            f"{path.name}: columns {missing} required by source {source!r} are missing",
            hint="is this the right --source? columns found: " + ", ".join(raw.columns[:40]),
        )


def quoted(name: str) -> str:
    return _quote(name)


def mapped_columns(spec: Any, *extra: str) -> tuple[str, ...]:
    """Every source column a registry entry requires (plus `extra`), in order, once each.

    Columns declared `optional` (absent from some versions of a file) are not required.
    """
    cols: list[str] = list(extra)
    for col in spec.columns.values():
        if not col.optional:
            cols.extend(col.source_columns)
    return tuple(dict.fromkeys(cols))


def quarantine_select(
    source: str, load_id: str, parsed_table: str, record_column: str | None = None
) -> str:
    """Rows of a parsed table that carry a reason, in the quarantine schema.

    The original record (as JSON) is built for quarantined rows only: building it for every
    row cost a third of a load's time and most of its memory. A parsed table that already
    carries it names its `record_column`; otherwise it is built by a join with the raw rows.
    """
    head = (
        f"SELECT {sql_str(source)} AS source, {sql_str(load_id)} AS load_id, "
        "p.__row AS row_number, p.reason, "
    )
    if record_column:
        return (
            head + f"p.{record_column} AS record FROM {parsed_table} p WHERE p.reason IS NOT NULL"
        )
    return (
        head + "CAST(to_json(r) AS VARCHAR) AS record "
        f"FROM {parsed_table} p JOIN {RAW} r ON r.__row = p.__row WHERE p.reason IS NOT NULL"
    )
