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
from crimetrends.ingest import counts, incidents, populations
from crimetrends.ingest.read import file_format, read_input, sha256_file, sql_str
from crimetrends.reference import register_reference
from crimetrends.settings import Settings, get_settings
from crimetrends.sources.registry import SourceSpec, get_source
from crimetrends.store.connect import layout, raw_duckdb
from crimetrends.store.layout import Layout, publish_part
from crimetrends.taxonomy.harmonize import load_crosswalk

Step = Callable[[str], None]

TABLE_OF_KIND = {"incidents": "incidents", "counts": "counts", "populations": "populations"}


def _copy(con: duckdb.DuckDBPyConnection, select: str, final: Path) -> int:
    tmp = final.with_name(final.name + ".tmp")
    tmp.parent.mkdir(parents=True, exist_ok=True)
    con.execute(f"COPY ({select}) TO {sql_str(str(tmp))} (FORMAT parquet, COMPRESSION zstd)")
    publish_part(tmp, final)
    (n,) = con.execute(f"SELECT count(*) FROM read_parquet({sql_str(str(final))})").fetchone()
    return int(n)


def write_daily(con: duckdb.DuckDBPyConnection, incidents_part: Path, daily_part: Path) -> int:
    """The daily rollup of one incidents part: what trends and coverage read.

    source × agency × day × offense with the count and the latest timestamp; a few thousand
    rows a year per city, so a trend question reads kilobytes instead of every record.
    """
    return _copy(
        con,
        "SELECT source, agency, CAST(occurred_at AS DATE) AS day, offense, offense_group, "
        "count(*) AS n, max(occurred_at) AS last_at, any_value(load_id) AS load_id "
        f"FROM read_parquet({sql_str(str(incidents_part))}) GROUP BY ALL ORDER BY day",
        daily_part,
    )


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
                write_daily(con, old, lay.part("daily", spec.name, old.stem))
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
) -> dict[str, Any]:
    """Load `path` as registered source `source`; return the load manifest.

    `sample=True` records that the file is an extract, not a full record: its rows are
    stored and counted, but trend comparisons refuse to label changes from it.
    """
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
    table = TABLE_OF_KIND[spec.kind]
    crosswalk_version = load_crosswalk(spec.crosswalk).version if spec.crosswalk else None
    previous = lay.read_manifest(spec.name, load_id)
    if (
        previous
        and previous.get("sha256") == sha
        and previous.get("crosswalk_version") == crosswalk_version
        and previous.get("registry_sha256") == spec.spec_sha256
        and bool(previous.get("sample")) == sample
        and lay.part(table, spec.name, load_id).exists()
        and (table != "incidents" or lay.part("daily", spec.name, load_id).exists())
    ):
        return {**previous, "status": "unchanged"}

    job = LoadJob(path, spec, lay, sha, table, crosswalk_version, sample, settings.engine)
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

    @property
    def load_id(self) -> str:
        return self.sha[:16]

    @property
    def work(self) -> Path:
        return self.lay.root / "tmp" / self.load_id


def _load(job: LoadJob, step: Step) -> dict[str, Any]:
    path, spec, lay, sha, load_id = job.path, job.spec, job.lay, job.sha, job.load_id
    table, crosswalk_version, sample, work = job.table, job.crosswalk_version, job.sample, job.work
    con = raw_duckdb(spill_dir=work / "spill")
    register_reference(con)
    step("reading")
    raw = read_input(con, path)
    step("validating")
    module: Any = {"incidents": incidents, "counts": counts, "populations": populations}[spec.kind]
    extra: dict[str, Any] = {}
    if spec.kind == "populations":
        years = populations.build_parsed(con, raw, spec, path)
        kept_sql = populations.kept_select(spec, load_id, years)
    elif spec.kind == "incidents":
        if job.engine == "spark":  # typing and harmonizing run on Spark, storing here
            from crimetrends.ingest.on_spark import build_parsed_on_spark

            build_parsed_on_spark(con, raw, spec, path, work)
        else:
            incidents.build_parsed(con, raw, spec, path, work=work)
        kept_sql = incidents.kept_select(spec, load_id)
    else:
        module.build_parsed(con, raw, spec, path)
        con.register("code_map", incidents.code_mapping(con, spec, module.codes_query(spec)))
        kept_sql = module.kept_select(spec, load_id)
        extra["checks"] = counts.total_checks(con, spec)

    step("writing")
    quarantine_path = lay.part("quarantine", spec.name, load_id)
    kept = _copy(con, kept_sql, lay.part(table, spec.name, load_id))
    rejects = [
        f"SELECT {sql_str(spec.name)} AS source, {sql_str(load_id)} AS load_id, "
        f"{line} AS row_number, {sql_str('broken CSV row: ' + why)} AS reason, "
        f"CAST(to_json({{'csv_line': {sql_str(text[:2000])}}}) AS VARCHAR) AS record"
        for line, why, text in raw.rejects
    ]
    qsql = " UNION ALL ".join([module.quarantine_select(spec, load_id), *rejects])
    quarantined_rows = _copy(con, f"SELECT * FROM ({qsql}) ORDER BY row_number", quarantine_path)
    if spec.kind == "incidents":
        # one stored row per kept row: the check below compares the files written with the input
        parsed_rows = kept
        write_daily(con, lay.part(table, spec.name, load_id), lay.part("daily", spec.name, load_id))
    else:
        (parsed_rows,) = con.execute(
            f"SELECT count(*) FROM {module.PARSED} WHERE reason IS NULL"
        ).fetchone()
    rows_in = raw.rows_read + len(raw.rejects)

    if spec.kind == "counts":
        pop_sql = counts.population_select(spec, load_id)
        if pop_sql:
            extra["population_rows"] = _copy(
                con, pop_sql, lay.part("populations", spec.name, load_id)
            )
    if parsed_rows + quarantined_rows != rows_in:
        raise LoadIntegrityError(
            f"{path.name}: rows_in {rows_in} != kept {parsed_rows} + quarantined "
            f"{quarantined_rows}",
            details={"load_id": load_id},
        )
    step("superseding")
    superseded = _supersede(con, lay, table, spec, load_id, module.key_columns())
    manifest: dict[str, Any] = {
        "load_id": load_id,
        "source": spec.name,
        "table": table,
        "file": path.name,
        "path": str(path),
        "sha256": sha,
        "bytes": path.stat().st_size,
        "loaded_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "crosswalk_version": crosswalk_version,
        "registry_sha256": spec.spec_sha256,
        "crimetrends_version": __version__,
        # where typing and harmonizing ran (incident files; other kinds are small: DuckDB)
        "engine": job.engine if spec.kind == "incidents" else "duckdb",
        "sample": sample,
        "rows_in": rows_in,
        "rows_kept": int(parsed_rows),
        "rows_stored": kept,
        "rows_quarantined": quarantined_rows,
        "rows_superseded_in_older_loads": superseded,
        "csv_rows_rejected_by_reader": len(raw.rejects),
        "quarantine_reasons": _quarantine_reasons(con, quarantine_path),
        **extra,
        "status": "loaded",
    }
    lay.write_manifest(spec.name, load_id, manifest)
    return manifest
