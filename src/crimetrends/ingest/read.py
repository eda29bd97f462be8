"""Read a published file into a temporary all-text table, keeping structurally broken rows.

CSV is read with an explicit header and dialect (no sniffing, which fails on exactly the
broken files we must survive); rows the CSV reader rejects (broken quoting, wrong number
of fields) are returned as quarantine records with one readable reason each. Before that,
the file is checked for what it really is (`archives`: a cut-short gzip is refused with what
was read) and its text for what DuckDB cannot take (`textfile`: lone CRs, mixed line ends,
BOMs inside, UTF-16, lines not in UTF-8), which is rewritten, never refused.

The file's columns land in RAW_FILE under unique names (a blank or repeated header gets
one that says so); RAW is a view over it, renamed to a source's own column names once the
source is known (`variants.resolve`), so the typing SQL never depends on how a file spells
its header. A Parquet file's typed columns (TIMESTAMP, DATE, TIME, numbers) are rendered as
text in one fixed form that the source's columns then also accept.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from crimetrends.errors import InputFileError
from crimetrends.ingest import archives, textfile

if TYPE_CHECKING:
    from crimetrends.sources.registry import SourceSpec

RAW = "raw_input"
RAW_FILE = "raw_file"
PROBLEM = "__read_problem"

# how a typed Parquet column is rendered as text, and the format that reads it back
TYPED_FORMATS = {
    "TIMESTAMP": "%Y-%m-%d %H:%M:%S.%f",
    "DATE": "%Y-%m-%d",
    "TIME": "%H:%M:%S.%f",
}


@dataclass
class RawInput:
    """A file read into RAW: its rows, rejected lines, and what reading it found.

    `header` is the file's own column names in order, `storage` the unique name each has in
    RAW_FILE; `types` the Parquet type of columns that are not text. `notes` says what
    reading changed or noticed (archive, encoding, line ends); `match` (set by
    `variants.resolve`) which header variant of the source the file is. `manifest_entries`
    is what a load records of both.
    """

    table: str
    columns: tuple[str, ...]
    rows_read: int
    rejects: list[tuple[int, str, str]]  # (line, reason, text)
    header: tuple[str, ...] = ()
    storage: tuple[str, ...] = ()
    types: dict[str, str] = field(default_factory=dict)
    problem_sql: str | None = None  # SQL over RAW_FILE: why a row is damaged (NUL, header)
    notes: dict[str, Any] = field(default_factory=dict)
    match: Any = None
    view_sql: str = ""

    @property
    def read_problems(self) -> bool:
        """RAW has a PROBLEM column (reasons found while reading, NULL when none)."""
        return self.problem_sql is not None

    def manifest_entries(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.match is not None:
            out["header"] = self.match.manifest()
        if self.notes:
            out["reading"] = dict(self.notes)
        return out


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
    if name.endswith((".csv", ".csv.gz", ".txt", ".txt.gz", ".csv.zip", ".zip")):
        return "csv"
    raise InputFileError(
        f"{path.name}: unsupported file type",
        hint="use CSV (optionally gzipped or zipped) or Parquet; save a workbook as CSV",
    )


def container_of(path: Path) -> str:
    name = path.name.lower()
    return "gzip" if name.endswith(".gz") else "zip" if name.endswith(".zip") else "plain"


def storage_names(header: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """A unique, non-blank name per column (DuckDB names are case-insensitive)."""
    out: list[str] = []
    seen: set[str] = set()
    for i, name in enumerate(header, 1):
        base = name.strip()
        cand = base if base and not base.startswith("__") else ""
        if not cand or cand.casefold() in seen:
            cand = f"{base or '(blank header)'} (column {i})"
        seen.add(cand.casefold())
        out.append(cand)
    return tuple(out)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sql_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def drop_relation(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Drop a temporary table or view of that name, whichever it is."""
    for (kind,) in con.execute(
        f"SELECT table_type FROM information_schema.tables WHERE table_name = {sql_str(name)}"
    ).fetchall():
        con.execute(f"DROP {'VIEW' if kind == 'VIEW' else 'TABLE'} IF EXISTS {_quote(name)}")


def read_input(
    con: duckdb.DuckDBPyConnection, path: Path, spec: SourceSpec | None = None
) -> RawInput:
    """Create RAW (__row, <every source column as VARCHAR>) from a CSV or Parquet file.

    With `spec`, RAW's columns are renamed to the source's (`variants.resolve`); the kinds
    do that themselves otherwise, so a caller without a source still sees the file.
    """
    from crimetrends.ingest import variants

    if not path.exists():
        raise InputFileError(f"{path}: file not found")
    fmt = file_format(path)
    container = container_of(path)
    archives.check_kind(path, fmt, container)
    for name in (RAW, RAW_FILE):
        drop_relation(con, name)
    try:
        raw = _read_parquet(con, path) if fmt == "parquet" else _read_csv(con, path, container)
    except duckdb.Error as exc:
        msg = str(exc).splitlines()[0]
        raise InputFileError(f"{path.name}: cannot parse as {fmt} ({msg})") from None
    variants.identity_view(con, raw)
    if spec is not None:
        variants.resolve(con, raw, spec, path)
    return raw


def _read_parquet(con: duckdb.DuckDBPyConnection, path: Path) -> RawInput:
    """RAW_FILE as a view (each pass reads only the columns it needs; the file's own row
    numbers stay stable across passes), typed columns rendered as text."""
    src = sql_str(str(path))
    described = con.execute(f"DESCRIBE SELECT * FROM read_parquet({src})").fetchall()
    header = tuple(str(r[0]) for r in described)
    storage = storage_names(header)
    types: dict[str, str] = {}
    select = []
    for (name, dtype, *_), store in zip(described, storage, strict=True):
        expr, kind = _as_text(_quote(name), str(dtype))
        if kind != "VARCHAR":
            types[store] = kind
        select.append(f"{expr} AS {_quote(store)}")
    con.execute(
        f"CREATE TEMP VIEW {RAW_FILE} AS SELECT file_row_number + 1 AS __row, "
        f"{', '.join(select)} FROM read_parquet({src}, file_row_number = true)"
    )
    (rows,) = con.execute(f"SELECT count(*) FROM {RAW_FILE}").fetchone()
    notes = {"typed_columns": dict(types)} if types else {}
    return RawInput(RAW, storage, int(rows), [], header, storage, types, notes=notes)


def _as_text(col: str, dtype: str) -> tuple[str, str]:
    """A Parquet column as text, and its kind (VARCHAR, TIMESTAMP, DATE, TIME, TIMESTAMPTZ,
    NUMBER, BOOLEAN, OTHER)."""
    t = dtype.upper()
    if t == "VARCHAR":
        return col, "VARCHAR"
    if t.startswith("TIMESTAMP WITH TIME ZONE") or t == "TIMESTAMPTZ":
        return f"CAST({col} AS VARCHAR)", "TIMESTAMPTZ"
    if t.startswith("TIMESTAMP"):
        return f"strftime(CAST({col} AS TIMESTAMP), '{TYPED_FORMATS['TIMESTAMP']}')", "TIMESTAMP"
    if t == "DATE":
        return f"strftime({col}, '{TYPED_FORMATS['DATE']}')", "DATE"
    if t.startswith("TIME"):
        return f"strftime(DATE '2000-01-01' + {col}, '{TYPED_FORMATS['TIME']}')", "TIME"
    if t == "BOOLEAN":
        return f"CAST({col} AS VARCHAR)", "BOOLEAN"
    numeric = ("INT", "BIGINT", "SMALLINT", "TINYINT", "HUGEINT", "UBIGINT", "UINTEGER")
    if t.startswith(("DECIMAL", "DOUBLE", "FLOAT", "REAL", *numeric)) or t.endswith("INT"):
        return f"CAST({col} AS VARCHAR)", "NUMBER"
    return f"CAST({col} AS VARCHAR)", "OTHER"


def _temp_dir(con: duckdb.DuckDBPyConnection) -> Path:
    """Where a rewritten copy goes: the connection's spill folder (a load's work folder,
    removed with it) when it has one, else the system's."""
    (setting,) = con.execute("SELECT current_setting('temp_directory')").fetchone()
    folder = Path(setting) if setting else None
    if folder is not None and folder.is_absolute() and folder.is_dir():
        return folder
    return Path(tempfile.gettempdir())


def _read_csv(con: duckdb.DuckDBPyConnection, path: Path, kind: str) -> RawInput:
    """RAW_FILE from a CSV (plain, gzip or zip), rewritten first if its text needs it."""
    container = archives.Container(kind, archives.zip_member(path) if kind == "zip" else None)
    found = textfile.scan(path, container)
    header = tuple(found.header)
    storage = storage_names(header)
    notes: dict[str, Any] = {}
    if kind == "zip":
        notes["archive"] = f"zip, member {container.member}"
    with tempfile.TemporaryDirectory(dir=_temp_dir(con), prefix="read-") as tmp:
        source = path
        if kind == "zip" or found.needs_rewrite:
            source = Path(tmp) / "text.csv"
            notes.update(textfile.rewrite(path, container, source, found))
        rejects = _duckdb_csv(con, source, storage)
        if source == path and any(r[1] == "INVALID ENCODING" for r in rejects):
            source = Path(tmp) / "text.csv"  # lines not in UTF-8: read again, converted
            notes.update(textfile.rewrite(path, container, source, found))
            rejects = _duckdb_csv(con, source, storage)
    problem = _problem_sql(found, header, storage)
    if found.nul:
        notes["nul_bytes"] = found.nul
    if found.header_repeats:
        notes["header_lines_repeated"] = found.header_repeats
    (rows,) = con.execute(f"SELECT count(*) FROM {RAW_FILE}").fetchone()
    return RawInput(
        RAW, storage, int(rows), _reject_reasons(rejects), header, storage, {}, problem, notes
    )


def _duckdb_csv(con: duckdb.DuckDBPyConnection, path: Path, storage: tuple[str, ...]) -> list:
    """Read the rows into RAW_FILE; the reader's rejects as (line, type, message, text)."""
    for name in ("reject_errors", "reject_scans", RAW_FILE):
        drop_relation(con, name)
    spec = "{" + ", ".join(f"{sql_str(c)}: 'VARCHAR'" for c in storage) + "}"
    con.execute(
        f"CREATE TEMP TABLE {RAW_FILE} AS SELECT row_number() OVER () AS __row, * "
        f"FROM read_csv({sql_str(str(path))}, columns = {spec}, header = false, "
        "skip = 1, auto_detect = false, delim = ',', quote = '\"', escape = '\"', "
        "store_rejects = true, max_line_size = 4194304, parallel = true)"
    )
    return con.execute(
        "SELECT line, error_type, error_message, left(csv_line, 2000) FROM reject_errors "
        "ORDER BY line"
    ).fetchall()


# the reader's error types, as a person would say them, in the order they are listed
REJECT_WORDS = {
    "TOO MANY COLUMNS": "too many fields",
    "MISSING COLUMNS": "too few fields",
    "UNQUOTED VALUE": "a quote inside an unquoted field (or a quote never closed)",
    "INVALID ENCODING": "not valid UTF-8",
    "INVALID UNICODE": "not valid UTF-8",
    "LINE SIZE OVER MAXIMUM": "a line longer than 4 MB (a quote never closed?)",
}


def _reject_reasons(rows: list) -> list[tuple[int, str, str]]:
    """One readable reason per rejected line (the reader reports some errors once per
    column: a short line's ten missing columns are one problem)."""
    by_line: dict[int, dict[str, list[str]]] = defaultdict(dict)
    texts: dict[int, str] = {}
    for line, etype, message, text in rows:
        by_line[int(line)].setdefault(str(etype), []).append(str(message))
        texts.setdefault(int(line), text or "")
    out = []
    for line, errors in sorted(by_line.items()):
        parts = []
        for etype in sorted(
            errors,
            key=lambda t: list(REJECT_WORDS).index(t) if t in REJECT_WORDS else len(REJECT_WORDS),
        ):
            words = REJECT_WORDS.get(etype, etype.lower())
            counts = [
                re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", m)
                for m in errors[etype]
            ]
            found = [(int(c[1]), int(c[2])) for c in counts if c]
            if found:
                expected, n = found[0][0], min(f[1] for f in found)
                if etype == "TOO MANY COLUMNS":
                    n = max(f[1] for f in found)
                words += f" ({n}, the header has {expected})"
            if words not in parts:
                parts.append(words)
        out.append((line, "; ".join(parts), texts[line]))
    return out


def _problem_sql(
    found: textfile.TextScan, header: tuple[str, ...], storage: tuple[str, ...]
) -> str | None:
    """SQL naming what is wrong with a damaged row, over RAW_FILE; None when the scan found
    no NUL byte and no repeated header line (then nothing is checked, at no cost)."""
    whens = []
    if found.header_repeats:
        named = [(h, s) for h, s in zip(header, storage, strict=True) if h.strip()][:6]
        same = " AND ".join(f"{_quote(s)} = {sql_str(h)}" for h, s in named)
        whens.append(f"CASE WHEN {same} THEN 'repeated header line: files joined together?' END")
    if found.nul:
        whens += [
            f"CASE WHEN contains({_quote(s)}, chr(0)) THEN "
            f"{sql_str(f'damaged line: a NUL byte in {s}')} END"
            for s in storage
        ]
    if not whens:
        return None
    return "nullif(concat_ws('; ', " + ", ".join(whens) + "), '')"


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


def quarantine_select(source: str, load_id: str, parsed_table: str) -> str:
    """Rows of a parsed table that carry a reason, in the quarantine schema.

    The original record (as JSON) is built for quarantined rows only, by a join with the
    raw rows: building it for every row cost a third of a load's time and most of its memory.
    """
    return (
        f"SELECT {sql_str(source)} AS source, {sql_str(load_id)} AS load_id, "
        "p.__row AS row_number, p.reason, CAST(to_json(r) AS VARCHAR) AS record "
        f"FROM {parsed_table} p JOIN {RAW} r ON r.__row = p.__row WHERE p.reason IS NOT NULL"
    )
