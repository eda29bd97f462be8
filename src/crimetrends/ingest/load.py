"""Load one file for one registered source: read, validate, harmonize, store, account.

Every load checks rows_in == rows_kept + rows_quarantined on the files it wrote, and is
idempotent: the same file with the same crosswalk and registry entry changes nothing, and
rows whose key reappears in a newer file replace the older ones (counted as superseded).
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from crimetrends import __version__
from crimetrends.errors import InputFileError, LoadIntegrityError
from crimetrends.ingest.kinds import LoadContext, SourceKind, get_kind
from crimetrends.ingest.read import file_format, read_input, sha256_file, sql_str
from crimetrends.reference import register_reference
from crimetrends.settings import Settings, get_settings
from crimetrends.sources.registry import SourceSpec, get_source
from crimetrends.store.connect import layout, raw_duckdb
from crimetrends.store.layout import Layout, publish_part
from crimetrends.taxonomy.harmonize import load_crosswalk

Step = Callable[[str], None]


def _copy(con: duckdb.DuckDBPyConnection, select: str, final: Path) -> int:
    tmp = final.with_name(final.name + ".tmp")
    tmp.parent.mkdir(parents=True, exist_ok=True)
    con.execute(f"COPY ({select}) TO {sql_str(str(tmp))} (FORMAT parquet, COMPRESSION zstd)")
    publish_part(tmp, final)
    (n,) = con.execute(f"SELECT count(*) FROM read_parquet({sql_str(str(final))})").fetchone()
    return int(n)


@dataclass(frozen=True)
class PartWriter:
    """Writes a load's parts: `writer(select_sql, table)` stores rows, returns their number."""

    con: duckdb.DuckDBPyConnection
    lay: Layout
    source: str
    load_id: str

    def part(self, table: str) -> Path:
        return self.lay.part(table, self.source, self.load_id)

    def __call__(self, select: str, table: str) -> int:
        return _copy(self.con, select, self.part(table))


def _supersede(
    con: duckdb.DuckDBPyConnection,
    lay: Layout,
    table: str,
    spec: SourceSpec,
    load_id: str,
    keys: tuple[str, ...],
) -> int:
    """Remove from older parts of this source the rows whose key the new part carries."""
    new = lay.part(table, spec.name, load_id)
    on = " AND ".join(f"o.{k} IS NOT DISTINCT FROM n.{k}" for k in keys)
    removed = 0
    for old in lay.parts(table, spec.name):
        if old == new:
            continue
        exists = f"EXISTS (SELECT 1 FROM read_parquet({sql_str(str(new))}) n WHERE {on})"
        (overlap,) = con.execute(
            f"SELECT count(*) FROM read_parquet({sql_str(str(old))}) o WHERE {exists}"
        ).fetchone()
        if overlap:
            _copy(con, f"SELECT * FROM read_parquet({sql_str(str(old))}) o WHERE NOT {exists}", old)
            removed += int(overlap)
            if table == "incidents":
                from crimetrends.ingest.incidents import daily_select

                _copy(con, daily_select(str(old)), lay.part("daily", spec.name, old.stem))
    return removed


def _quarantine_reasons(con: duckdb.DuckDBPyConnection, path: Path) -> dict[str, int]:
    rows = con.execute(
        "SELECT regexp_replace(reason, ':.*', '') AS kind, count(*) "
        f"FROM read_parquet({sql_str(str(path))}) GROUP BY 1 ORDER BY 2 DESC"
    ).fetchall()
    return {k: int(n) for k, n in rows}


def load_file(
    path: Path,
    source: str,
    settings: Settings | None = None,
    step: Step | None = None,
    sample: bool = False,
    published: str | None = None,
) -> dict[str, Any]:
    """Load `path` as registered source `source`; return the load manifest.

    `sample=True` records that the file is an extract, not a full record: its rows are
    stored and counted, but trend comparisons refuse to label changes from it.
    `published` (YYYY-MM-DD) is when the publisher produced the file, for files that do not
    say so themselves; it becomes the vintage of every figure drawn from them.
    """
    if published is not None:
        from crimetrends.analysis.periods import parse_date

        published = parse_date(published, "--published").isoformat()
    settings = settings or get_settings()
    step = step or (lambda _msg: None)
    spec = get_source(source)
    lay = layout(settings)
    path = Path(path).resolve()
    if not path.is_file():
        raise InputFileError(f"{path}: file not found")
    file_format(path)  # unsupported types fail before any work
    step("hashing")
    sha = sha256_file(path)
    load_id = sha[:16]
    table = get_kind(spec.kind).table
    crosswalk_version = load_crosswalk(spec.crosswalk).version if spec.crosswalk else None
    previous = lay.read_manifest(spec.name, load_id)
    if (
        previous
        and previous.get("sha256") == sha
        and previous.get("crosswalk_version") == crosswalk_version
        and previous.get("registry_sha256") == spec.spec_sha256
        and bool(previous.get("sample")) == sample
        and previous.get("published") == (published or previous.get("published"))
        and lay.part(table, spec.name, load_id).exists()
        and (table != "incidents" or lay.part("daily", spec.name, load_id).exists())
    ):
        return {**previous, "status": "unchanged"}

    job = LoadJob(
        path, spec, lay, sha, table, crosswalk_version, sample, settings.engine, published
    )
    try:
        return _load(job, step)
    finally:
        shutil.rmtree(job.work, ignore_errors=True)


@dataclass(frozen=True)
class LoadJob:
    """One file being loaded as one source, and where its temporary files go."""

    path: Path
    spec: SourceSpec
    lay: Layout
    sha: str
    table: str
    crosswalk_version: str | None
    sample: bool
    engine: str = "duckdb"
    published: str | None = None

    @property
    def load_id(self) -> str:
        return self.sha[:16]

    @property
    def work(self) -> Path:
        return self.lay.root / "tmp" / self.load_id


def _rejects_select(con: duckdb.DuckDBPyConnection, raw: Any, spec: SourceSpec, load_id: str):
    """Lines the CSV reader refused, as quarantine rows, through a registered relation.

    The lines travel as data, never pasted into SQL text: a NUL byte or thousands of broken
    lines cannot end or bloat a statement.
    """
    import pyarrow as pa

    rows = raw.rejects
    con.register(
        "csv_rejects",
        pa.table(
            {
                "line": pa.array([int(r[0]) for r in rows], pa.int64()),
                "why": pa.array([r[1] for r in rows], pa.string()),
                "text": pa.array([r[2][:2000] for r in rows], pa.string()),
            }
        ),
    )
    return (
        f"SELECT {sql_str(spec.name)} AS source, {sql_str(load_id)} AS load_id, "
        "line AS row_number, 'broken CSV row: ' || why AS reason, "
        "CAST(to_json({'csv_line': text}) AS VARCHAR) AS record FROM csv_rejects"
    )


def _load(job: LoadJob, step: Step) -> dict[str, Any]:
    path, spec, lay, load_id = job.path, job.spec, job.lay, job.load_id
    kind: SourceKind = get_kind(spec.kind)
    con = raw_duckdb(spill_dir=job.work / "spill")
    register_reference(con)
    step("reading")
    raw = read_input(con, path)
    step("validating")
    parsed = kind.parse(con, raw, spec, path, LoadContext(load_id, job.work, job.engine))

    step("writing")
    write = PartWriter(con, lay, spec.name, load_id)
    stored = write(parsed.kept, kind.table)
    qsql = f"{parsed.quarantine} UNION ALL {_rejects_select(con, raw, spec, load_id)}"
    quarantined = write(f"SELECT * FROM ({qsql}) ORDER BY row_number", "quarantine")
    if parsed.kept_rows is None:
        kept_rows = stored
    else:
        (kept_rows,) = con.execute(parsed.kept_rows).fetchone()
    extra = {**parsed.extra, **kind.derived_parts(con, spec, LoadContext(load_id, job.work), write)}
    rows_in = raw.rows_read + len(raw.rejects)
    if kept_rows + quarantined != rows_in:
        raise LoadIntegrityError(
            f"{path.name}: rows_in {rows_in} != kept {kept_rows} + quarantined {quarantined}",
            details={"load_id": load_id},
        )
    step("superseding")
    superseded = _supersede(con, lay, kind.table, spec, load_id, kind.key_columns)
    manifest: dict[str, Any] = {
        "load_id": load_id,
        "source": spec.name,
        "table": kind.table,
        "file": path.name,
        "path": str(path),
        "sha256": job.sha,
        "bytes": path.stat().st_size,
        "loaded_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "crosswalk_version": job.crosswalk_version,
        "registry_sha256": spec.spec_sha256,
        "crimetrends_version": __version__,
        # where typing and harmonizing ran (incident files; other kinds are small: DuckDB)
        "engine": job.engine if kind.table == "incidents" else "duckdb",
        "sample": job.sample,
        "published": job.published or extra.pop("published", None),
        "rows_in": rows_in,
        "rows_kept": int(kept_rows),
        "rows_stored": stored,
        "rows_quarantined": quarantined,
        "rows_superseded_in_older_loads": superseded,
        "csv_rows_rejected_by_reader": len(raw.rejects),
        "quarantine_reasons": _quarantine_reasons(con, write.part("quarantine")),
        **extra,
        "status": "loaded",
    }
    lay.write_manifest(spec.name, load_id, manifest)
    return manifest
