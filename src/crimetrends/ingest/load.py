"""Load one file for one registered source: read, validate, harmonize, store, account.

Every load is one store transaction (see `store/layout.py`): it holds the store's lock,
writes new part files, supersedes the older loads' rows whose key it carries, and commits
all of it — parts, rollups, quarantine and provenance — in one atomic step, or nothing.
It checks rows_in == rows_kept + rows_quarantined on the files it wrote, and is
idempotent: the same file with the same crosswalk and registry entry changes nothing.
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
from crimetrends.ingest.variants import count_restored
from crimetrends.reference import register_reference
from crimetrends.settings import DEFAULT_MEMORY_LIMIT, Settings, get_settings
from crimetrends.sources.registry import SourceSpec, get_source
from crimetrends.store.connect import layout, raw_duckdb
from crimetrends.store.layout import Transaction, fault_point
from crimetrends.taxonomy.harmonize import load_crosswalk

Step = Callable[[str], None]


def _count(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    (n,) = con.execute(f"SELECT count(*) FROM read_parquet({sql_str(str(path))})").fetchone()
    return int(n)


def copy_to(con: duckdb.DuckDBPyConnection, select: str, path: Path) -> int:
    """Write `select` to a new Parquet file; the rows in the file."""
    con.execute(f"COPY ({select}) TO {sql_str(str(path))} (FORMAT parquet, COMPRESSION zstd)")
    return _count(con, path)


@dataclass(frozen=True)
class PartWriter:
    """Writes a load's parts into its transaction: `writer(select_sql, table)` stores rows
    as a new file listed for this load, and returns their number."""

    con: duckdb.DuckDBPyConnection
    tx: Transaction
    source: str
    load_id: str

    def part(self, table: str) -> Path:
        path = self.tx.part(table, self.source, self.load_id)
        assert path is not None, f"no {table} part written yet"
        return path

    def __call__(self, select: str, table: str) -> int:
        path = self.tx.new_file(table, self.source, self.load_id)
        rows = copy_to(self.con, select, path)
        self.tx.set_part(table, self.source, self.load_id, path, rows)
        fault_point(f"wrote the {table} part")
        return rows


def _supersede(
    con: duckdb.DuckDBPyConnection,
    tx: Transaction,
    table: str,
    spec: SourceSpec,
    load_id: str,
    keys: tuple[str, ...],
) -> int:
    """Older loads of this source lose the rows whose key the new part carries.

    Each affected older part is written anew (and its daily rollup), in this transaction:
    until it commits, readers see the old parts whole; after, the new ones.
    """
    new = tx.part(table, spec.name, load_id)
    on = " AND ".join(f"o.{k} IS NOT DISTINCT FROM n.{k}" for k in keys)
    removed = 0
    for old_id, old in sorted(tx.parts(table, spec.name).items()):
        if old_id == load_id:
            continue
        exists = f"EXISTS (SELECT 1 FROM read_parquet({sql_str(str(new))}) n WHERE {on})"
        (overlap,) = con.execute(
            f"SELECT count(*) FROM read_parquet({sql_str(str(old))}) o WHERE {exists}"
        ).fetchone()
        if not overlap:
            continue
        write = PartWriter(con, tx, spec.name, old_id)
        write(f"SELECT * FROM read_parquet({sql_str(str(old))}) o WHERE NOT {exists}", table)
        if table == "incidents":
            from crimetrends.ingest.incidents import daily_select

            write(daily_select(str(write.part(table))), "daily")
        manifest = dict(tx.next.manifests.get(f"{spec.name}/{old_id}", {}))
        if manifest:
            manifest["rows_superseded_later"] = int(manifest.get("rows_superseded_later", 0)) + int(
                overlap
            )
            tx.set_manifest(spec.name, old_id, manifest)
        removed += int(overlap)
    return removed


def _quarantine_reasons(con: duckdb.DuckDBPyConnection, path: Path) -> dict[str, int]:
    rows = con.execute(
        "SELECT regexp_replace(reason, ':.*', '') AS kind, count(*) "
        f"FROM read_parquet({sql_str(str(path))}) GROUP BY 1 ORDER BY 2 DESC"
    ).fetchall()
    return {k: int(n) for k, n in rows}


def _unchanged(previous: dict[str, Any] | None, job: LoadJob) -> bool:
    """The same file, crosswalk, registry entry and options are stored already."""
    if not previous:
        return False
    tx, spec = job.tx, job.spec
    stored = tx.part(job.table, spec.name, job.load_id)
    daily = tx.part("daily", spec.name, job.load_id) if job.table == "incidents" else stored
    return (
        previous.get("sha256") == job.sha
        and previous.get("crosswalk_version") == job.crosswalk_version
        and previous.get("registry_sha256") == spec.spec_sha256
        and bool(previous.get("sample")) == job.sample
        and previous.get("published") == (job.published or previous.get("published"))
        and stored is not None
        and stored.exists()
        and daily is not None
        and daily.exists()
    )


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
    path = Path(path).resolve()
    if not path.is_file():
        raise InputFileError(f"{path}: file not found")
    file_format(path)  # unsupported types fail before any work
    step("hashing")
    sha = sha256_file(path)
    crosswalk_version = load_crosswalk(spec.crosswalk).version if spec.crosswalk else None
    lay = layout(settings)
    step("waiting for the store")
    with lay.transaction() as tx:
        job = LoadJob(
            path,
            spec,
            tx,
            sha,
            get_kind(spec.kind).table,
            crosswalk_version,
            sample,
            settings.engine,
            published,
            settings.memory_limit,
        )
        previous = tx.next.manifests.get(f"{spec.name}/{job.load_id}")
        if _unchanged(previous, job):
            return {**previous, "status": "unchanged"}
        try:
            return _load(job, step)
        finally:
            shutil.rmtree(job.work, ignore_errors=True)


@dataclass(frozen=True)
class LoadJob:
    """One file being loaded as one source, in one transaction."""

    path: Path
    spec: SourceSpec
    tx: Transaction
    sha: str
    table: str
    crosswalk_version: str | None
    sample: bool
    engine: str = "duckdb"
    published: str | None = None
    memory_limit: str = DEFAULT_MEMORY_LIMIT

    @property
    def load_id(self) -> str:
        return self.sha[:16]

    @property
    def work(self) -> Path:
        return self.tx.lay.root / "tmp" / f"{self.load_id}.{self.tx.tx}"


def _rejects_select(con: duckdb.DuckDBPyConnection, raw: Any, spec: SourceSpec, load_id: str):
    """Lines the CSV reader refused, as quarantine rows, through a registered relation.

    The lines travel as data, never pasted into SQL text: a NUL byte or thousands of broken
    lines cannot end or bloat a statement.
    """
    rows = raw.rejects
    if not rows:  # the usual case, without Arrow (whose first use imports pandas)
        return (
            f"SELECT {sql_str(spec.name)} AS source, {sql_str(load_id)} AS load_id, "
            "NULL::BIGINT AS row_number, NULL::VARCHAR AS reason, NULL::VARCHAR AS record "
            "WHERE false"
        )
    import pyarrow as pa

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
    spec, load_id = job.spec, job.load_id
    kind: SourceKind = get_kind(spec.kind)
    con = raw_duckdb(spill_dir=job.work / "spill", memory_limit=job.memory_limit)
    register_reference(con)
    step("reading")
    raw = read_input(con, job.path)
    step("validating")
    ctx = LoadContext(load_id, job.work, job.engine)
    parsed = kind.parse(con, raw, spec, job.path, ctx)

    step("writing")
    write = PartWriter(con, job.tx, spec.name, load_id)
    stored = write(parsed.kept, kind.table)
    qsql = f"{parsed.quarantine} UNION ALL {_rejects_select(con, raw, spec, load_id)}"
    quarantined = write(f"SELECT * FROM ({qsql}) ORDER BY row_number", "quarantine")
    if parsed.kept_rows is None:
        kept_rows = stored
    else:
        (kept_rows,) = con.execute(parsed.kept_rows).fetchone()
    extra = {**parsed.extra, **kind.derived_parts(con, spec, ctx, write)}
    rows_in = raw.rows_read + len(raw.rejects)
    if kept_rows + quarantined != rows_in:
        raise LoadIntegrityError(
            f"{job.path.name}: rows_in {rows_in} != kept {kept_rows} + quarantined {quarantined}",
            details={"load_id": load_id},
        )
    step("superseding")
    superseded = _supersede(con, job.tx, kind.table, spec, load_id, kind.key_columns)
    manifest = _manifest(job, kind, raw, extra, stored, kept_rows, quarantined, superseded)
    count_restored(con, raw)
    manifest.update(raw.manifest_entries())  # which header variant, how the text was read
    manifest["quarantine_reasons"] = _quarantine_reasons(con, write.part("quarantine"))
    job.tx.set_manifest(spec.name, load_id, manifest)
    return manifest


def _manifest(
    job: LoadJob,
    kind: SourceKind,
    raw: Any,
    extra: dict[str, Any],
    stored: int,
    kept_rows: int,
    quarantined: int,
    superseded: int,
) -> dict[str, Any]:
    """The provenance of one load: what was read, where, how, and the accounting."""
    return {
        "load_id": job.load_id,
        "source": job.spec.name,
        "table": kind.table,
        "file": job.path.name,
        "path": str(job.path),
        "sha256": job.sha,
        "bytes": job.path.stat().st_size,
        "loaded_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "crosswalk_version": job.crosswalk_version,
        "registry_sha256": job.spec.spec_sha256,
        "crimetrends_version": __version__,
        # where typing and harmonizing ran (incident files; other kinds are small: DuckDB)
        "engine": job.engine if kind.table == "incidents" else "duckdb",
        "sample": job.sample,
        "published": job.published or extra.pop("published", None),
        "rows_in": raw.rows_read + len(raw.rejects),
        "rows_kept": int(kept_rows),
        "rows_stored": stored,
        "rows_quarantined": quarantined,
        "rows_superseded_in_older_loads": superseded,
        "csv_rows_rejected_by_reader": len(raw.rejects),
        **extra,
        "status": "loaded",
    }
