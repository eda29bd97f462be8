"""Incident files: typed, validated, harmonized rows out; bad rows to quarantine with reasons."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from crimetrends.ingest.fields import (
    bool_field,
    clean,
    combine_reasons,
    double_field,
    text_field,
    timestamp_field,
)
from crimetrends.ingest.read import (
    RawInput,
    drop_relation,
    mapped_columns,
    quoted,
    require_columns,
    sql_str,
)
from crimetrends.ingest.read import quarantine_select as quarantine_select_from
from crimetrends.sources.registry import SourceSpec
from crimetrends.taxonomy.harmonize import SEP, load_crosswalk
from crimetrends.taxonomy.offenses import offenses

PARSED = "parsed_rows"
DUPS = "duplicate_ids"


def needed_columns(spec: SourceSpec) -> tuple[str, ...]:
    return mapped_columns(spec, *spec.code_columns)


@dataclass(frozen=True)
class ParsedQueries:
    """The SQL of one incident load, written once (DuckDB's dialect) for every engine.

    `codes` lists the distinct offense codes of RAW; `duplicates` finds record ids seen more
    than once (table DUPS); `typed` gives every raw row typed and harmonized (joined with
    `code_map`), with `reason` (NULL = keep) and, for quarantined rows, `record` (the raw
    row as JSON). The Spark engine runs the same text through `ingest.on_spark`.
    """

    codes: str
    duplicates: str
    typed: str


PARSED_COLUMNS = (
    "__row, agency, record_id, occurred_at, reported_at, source_code, offense, offense_group, "
    "crosswalk_match, district, beat, community, block, latitude, longitude, arrest, domestic, "
    "reason, record"
)


def parsed_queries(raw: RawInput, spec: SourceSpec, path: Path) -> ParsedQueries:
    require_columns(raw, needed_columns(spec), path, spec.name)
    # Three layers, so each parse runs once on any engine: `cleaned` (each mapped column
    # trimmed, NA → NULL), `valued` (typed values, named "v:<field>"), `typed` (reasons,
    # reading those values by name)
    na = None

    def ref(name: str) -> str:
        return quoted(f"v:{name}")

    c = spec.columns
    reasons: list[str] = []
    select: dict[str, str] = {}

    if "agency" in c:  # a file covering several agencies: its names, mapped by the registry
        city = text_field(c["agency"], na)
        names = " ".join(
            f"WHEN {sql_str(k)} THEN {sql_str(v)}" for k, v in spec.agency_names.items()
        )
        select["agency"] = f"(CASE {city} {names} END)"
        reasons.append(
            f"CASE WHEN {city} IS NULL THEN 'missing agency in {c['agency'].column}' "
            f"WHEN {ref('agency')} IS NULL THEN 'agency not in the registry''s agency_names: ' "
            f"|| {city} END"
        )
    else:
        select["agency"] = sql_str(spec.agency or "")

    rid = text_field(c["record_id"], na)
    select["record_id"] = rid
    reasons.append(
        f"CASE WHEN {rid} IS NULL THEN 'missing record id in {c['record_id'].column}' END"
    )

    occ, occ_reason = timestamp_field(c["occurred"], na, True, ref("occurred_at"))
    select["occurred_at"] = occ
    reasons.append(occ_reason)
    if "reported" in c:
        rep, rep_reason = timestamp_field(c["reported"], na, False, ref("reported_at"))
        select["reported_at"] = rep
        reasons.append(rep_reason)
    else:
        select["reported_at"] = "NULL::TIMESTAMP"

    parts, select["source_code"] = source_code_sql(spec, na)
    first = spec.code_columns[0]
    reasons.append(f"CASE WHEN {parts[0]} IS NULL THEN 'missing offense code in {first}' END")
    for col, part, pattern in zip(spec.code_columns, parts, spec.code_patterns, strict=False):
        reasons.append(
            f"CASE WHEN NOT regexp_full_match(coalesce({part}, ''), {sql_str(pattern)}) "
            f"AND {part} IS NOT NULL THEN 'malformed offense code in {col}: ' || {part} END"
        )

    for name, low, high in (("latitude", -90, 90), ("longitude", -180, 180)):
        if name in c:
            val, why = double_field(c[name], na, low, high, ref(name))
            select[name] = val
            reasons.append(why)
        else:
            select[name] = "NULL::DOUBLE"
    for name in ("arrest", "domestic"):
        if name in c:
            val, why = bool_field(c[name], na, ref(name))
            select[name] = val
            reasons.append(why)
        else:
            select[name] = "NULL::BOOLEAN"
    for name in ("district", "beat", "community", "block"):
        select[name] = text_field(c[name], na) if name in c else "NULL::VARCHAR"

    values = ", ".join(f"{expr} AS {ref(name)}" for name, expr in select.items())
    fields = ", ".join(f"{ref(name)} AS {name}" for name in select)
    # the raw row as it was read (its row number first), for quarantined rows' `record`
    record = (
        "{" + ", ".join(f"{sql_str(col)}: r.{quoted(col)}" for col in ("__row", *raw.columns)) + "}"
    )
    # duplicate ids: candidates by a hash (cheap to group, where grouping every id text was
    # the slowest step of a load), then confirmed on the ids themselves
    raw_id = text_field(c["record_id"], spec.na_values)
    duplicates = (
        f"WITH ids AS (SELECT __row, {raw_id} AS record_id FROM {raw.table} r), "
        "candidates AS (SELECT hash(record_id) AS h FROM ids WHERE record_id IS NOT NULL "
        "GROUP BY h HAVING count(*) > 1) "
        "SELECT record_id, min(__row) AS first_row FROM ids "
        "WHERE record_id IS NOT NULL AND hash(record_id) IN (SELECT h FROM candidates) "
        "GROUP BY record_id HAVING count(*) > 1"
    )
    names = ", ".join(f"t.{name}" for name in select)
    cleaned = ", ".join(
        f"{clean(col, spec.na_values)} AS {quoted(col)}" for col in needed_columns(spec)
    )
    typed = (
        f"WITH cleaned AS (SELECT __row, {record} AS raw_row, {cleaned} FROM {raw.table} r), "
        f"valued AS (SELECT r.*, {values} FROM cleaned r), "
        f"typed AS (SELECT __row, {fields}, {combine_reasons(reasons)} AS field_reason, "
        "raw_row FROM valued r), "
        f"checked AS (SELECT t.__row, {names}, t.raw_row, "
        "nullif(concat_ws('; ', t.field_reason, CASE WHEN d.first_row IS NOT NULL "
        "AND t.__row > d.first_row THEN 'duplicate record id ' || t.record_id || "
        "' (first at row ' || d.first_row || ')' END), '') "
        f"AS reason FROM typed t LEFT JOIN {DUPS} d ON d.record_id = t.record_id) "
        f"SELECT {', '.join('c.' + n for n in ('__row', *select))}, m.offense, m.offense_group, "
        "m.match AS crosswalk_match, c.reason, CASE WHEN c.reason IS NOT NULL "
        "THEN CAST(to_json(c.raw_row) AS VARCHAR) END AS record "
        "FROM checked c LEFT JOIN code_map m ON m.source_code = c.source_code"
    )
    codes = (
        f"SELECT DISTINCT {source_code_sql(spec, spec.na_values)[1]} AS source_code "
        f"FROM {raw.table} r"
    )
    return ParsedQueries(codes=codes, duplicates=duplicates, typed=typed)


def build_parsed(
    con: duckdb.DuckDBPyConnection,
    raw: RawInput,
    spec: SourceSpec,
    path: Path,
    work: Path | None = None,
) -> None:
    """Create PARSED (see ParsedQueries.typed) on DuckDB.

    Parsing is the costly step, so with a `work` folder it runs once, streaming into a
    Parquet file there that the later passes read (bounded memory: no table of every row is
    held); without one PARSED is a view that each pass parses again (fine for small inputs).
    """
    q = parsed_queries(raw, spec, path)
    con.register("code_map", code_mapping(con, spec, q.codes))
    drop_relation(con, DUPS)
    con.execute(f"CREATE TEMP TABLE {DUPS} AS {q.duplicates}")
    drop_relation(con, PARSED)
    if work is None:
        con.execute(f"CREATE TEMP VIEW {PARSED} AS {q.typed}")
        return
    work.mkdir(parents=True, exist_ok=True)
    parsed_file = sql_str(str(work / "parsed.parquet"))
    con.execute(f"COPY ({q.typed}) TO {parsed_file} (FORMAT parquet, COMPRESSION snappy)")
    use_parsed_files(con, parsed_file)


def use_parsed_files(con: duckdb.DuckDBPyConnection, files_sql: str) -> None:
    """PARSED as a view over typed rows already written (by DuckDB or by Spark)."""
    drop_relation(con, PARSED)
    con.execute(
        f"CREATE TEMP VIEW {PARSED} AS SELECT {PARSED_COLUMNS} FROM read_parquet({files_sql})"
    )


def source_code_sql(spec: SourceSpec, na: tuple[str, ...] | None) -> tuple[list[str], str]:
    """The cleaned code columns and the combined code ('IUCR|FBI') a crosswalk resolves."""
    parts = [clean(col, na) for col in spec.code_columns]
    return parts, f"concat_ws('{SEP}', " + ", ".join(f"coalesce({p}, '')" for p in parts) + ")"


def code_mapping(con: duckdb.DuckDBPyConnection, spec: SourceSpec, query: str) -> pd.DataFrame:
    """Resolve the distinct codes `query` returns through the crosswalk (small, in Python)."""
    return resolve_codes(spec, [r[0] for r in con.execute(query).fetchall()])


def resolve_codes(spec: SourceSpec, codes: list[str]) -> pd.DataFrame:
    """source_code → offense, offense_group, match for each distinct code (crosswalk rules)."""
    assert spec.crosswalk
    cw = load_crosswalk(spec.crosswalk)
    groups = {k: o.group for k, o in offenses().items()}
    rows = []
    for code in codes:
        offense, match, _ = cw.resolve(code)
        rows.append((code, offense, groups.get(offense) if offense else None, match))
    return pd.DataFrame(rows, columns=["source_code", "offense", "offense_group", "match"])


def kept_select(spec: SourceSpec, load_id: str) -> str:
    """The harmonized rows to store."""
    return (
        f"SELECT {sql_str(spec.name)} AS source, p.agency, "
        "p.record_id, p.occurred_at, p.reported_at, p.source_code, p.offense, p.offense_group, "
        "p.crosswalk_match, p.district, p.beat, p.community, p.block, p.latitude, "
        f"p.longitude, p.arrest, p.domestic, {sql_str(load_id)} AS load_id "
        f"FROM {PARSED} p WHERE p.reason IS NULL"
    )


def quarantine_select(spec: SourceSpec, load_id: str) -> str:
    return quarantine_select_from(spec.name, load_id, PARSED, record_column="record")


def key_columns() -> tuple[str, ...]:
    return ("record_id",)
