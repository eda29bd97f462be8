"""Incident files: typed, validated, harmonized rows out; bad rows to quarantine with reasons."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crimetrends.ingest.codes import register_code_map
from crimetrends.ingest.fields import (
    bool_field,
    clean,
    double_field,
    row_reason,
    text_field,
    timestamp_field,
)
from crimetrends.ingest.kinds import LoadContext, ParsedLoad, SourceKind, require
from crimetrends.ingest.read import (
    PROBLEM,
    RawInput,
    drop_relation,
    mapped_columns,
    quoted,
    require_columns,
    sql_str,
)
from crimetrends.ingest.variants import RESTORED, record_sql, resolve
from crimetrends.taxonomy.harmonize import SEP

if TYPE_CHECKING:
    import duckdb

    from crimetrends.sources.registry import ColumnSpec, SourceSpec

FIELDS = (
    "agency",
    "record_id",
    "occurred",
    "reported",
    "latitude",
    "longitude",
    "district",
    "beat",
    "community",
    "block",
    "arrest",
    "domestic",
)

PARSED = "parsed_rows"
DUPS = "duplicate_ids"
CHECKED = "checked_rows"  # a load's parsed rows before the crosswalk join (see build_parsed)


def needed_columns(spec: SourceSpec) -> tuple[str, ...]:
    return mapped_columns(spec, *spec.code_columns)


@dataclass(frozen=True)
class ParsedQueries:
    """The SQL of one incident load, written once (DuckDB's dialect) for every engine.

    `codes` lists the distinct offense codes of RAW; `duplicates` finds record ids seen more
    than once (table DUPS); `typed` gives every raw row typed and harmonized (joined with
    `code_map`), with `reason` (NULL = keep). The raw record is not carried: only quarantined
    rows need it, and `quarantine_select` fetches theirs from RAW by row number (a struct of
    every raw column on every row cost a fifth of a load). The Spark engine runs the same
    text through `ingest.on_spark`.
    """

    codes: str
    duplicates: str
    typed: str
    # `typed` in two parts: `checked` (the rows with their reason, before the crosswalk) and
    # `harmonized` (table CHECKED joined with code_map)
    checked: str = ""
    harmonized: str = ""


PARSED_COLUMNS = (
    "__row, agency, record_id, occurred_at, reported_at, source_code, offense, offense_group, "
    "crosswalk_match, district, beat, community, block, latitude, longitude, arrest, domestic, "
    "reason"
)


# a literal: a quoted string or a typed NULL (how the field builders write a constant)
_CONSTANT = re.compile(r"'(?:[^']|'')*'|NULL::[A-Z]+")


def _ref(name: str) -> str:
    """The name of a field's typed value inside the `valued` layer."""
    return quoted(f"v:{name}")


def _identity_fields(spec: SourceSpec, select: dict[str, str], reasons: list[str]) -> None:
    """agency, record id and dates, each with its reason."""
    c, na = spec.columns, None
    if "agency" in c:  # a file covering several agencies: its names, mapped by the registry
        city = text_field(c["agency"], na)
        names = " ".join(
            f"WHEN {sql_str(k)} THEN {sql_str(v)}" for k, v in spec.agency_names.items()
        )
        select["agency"] = f"(CASE {city} {names} END)"
        reasons.append(
            f"CASE WHEN {city} IS NULL THEN 'missing agency in {c['agency'].column}' "
            f"WHEN {_ref('agency')} IS NULL THEN 'agency not in the registry''s agency_names: ' "
            f"|| {city} END"
        )
    else:
        select["agency"] = sql_str(spec.agency or "")
    rid = text_field(c["record_id"], na)
    select["record_id"] = rid
    reasons.append(
        f"CASE WHEN {rid} IS NULL THEN 'missing record id in {c['record_id'].column}' END"
    )
    occ, occ_reason = timestamp_field(c["occurred"], na, True, _ref("occurred_at"))
    select["occurred_at"] = occ
    reasons.append(occ_reason)
    if "reported" in c:
        rep, rep_reason = timestamp_field(c["reported"], na, False, _ref("reported_at"))
        select["reported_at"] = rep
        reasons.append(rep_reason)
    else:
        select["reported_at"] = "NULL::TIMESTAMP"


def _code_fields(spec: SourceSpec, select: dict[str, str], reasons: list[str]) -> None:
    """The combined offense code, and reasons for missing or malformed parts."""
    parts, select["source_code"] = source_code_sql(spec, None)
    first = spec.code_columns[0]
    reasons.append(f"CASE WHEN {parts[0]} IS NULL THEN 'missing offense code in {first}' END")
    for col, part, pattern in zip(spec.code_columns, parts, spec.code_patterns, strict=False):
        reasons.append(
            f"CASE WHEN NOT regexp_full_match(coalesce({part}, ''), {sql_str(pattern)}) "
            f"AND {part} IS NOT NULL THEN 'malformed offense code in {col}: ' || {part} END"
        )


def _place_fields(spec: SourceSpec, select: dict[str, str], reasons: list[str]) -> None:
    """Coordinates, arrest/domestic flags and area names (NULL where the file has none)."""
    c, na = spec.columns, None
    for name, low, high in (("latitude", -90, 90), ("longitude", -180, 180)):
        if name in c:
            val, why = double_field(c[name], na, low, high, _ref(name))
            select[name] = val
            reasons.append(why)
        else:
            select[name] = "NULL::DOUBLE"
    for name in ("arrest", "domestic"):
        if name in c:
            val, why = bool_field(c[name], na, _ref(name))
            select[name] = val
            reasons.append(why)
        else:
            select[name] = "NULL::BOOLEAN"
    for name in ("district", "beat", "community", "block"):
        select[name] = text_field(c[name], na) if name in c else "NULL::VARCHAR"


def _duplicates_sql(raw: RawInput, spec: SourceSpec) -> str:
    """Record ids seen more than once, with the first row of each.

    Candidates by a hash first (cheap to group, where grouping every id text was the
    slowest step of a load), then confirmed on the ids themselves.
    """
    raw_id = text_field(spec.columns["record_id"], spec.na_values)
    return (
        f"WITH ids AS (SELECT __row, {raw_id} AS record_id FROM {raw.table} r), "
        "candidates AS (SELECT hash(record_id) AS h FROM ids WHERE record_id IS NOT NULL "
        "GROUP BY h HAVING count(*) > 1) "
        "SELECT record_id, min(__row) AS first_row FROM ids "
        "WHERE record_id IS NOT NULL AND hash(record_id) IN (SELECT h FROM candidates) "
        "GROUP BY record_id HAVING count(*) > 1"
    )


def parsed_queries(raw: RawInput, spec: SourceSpec, path: Path) -> ParsedQueries:
    """The load's SQL in three layers, so each parse runs once on any engine: `cleaned`
    (each mapped column trimmed, NA → NULL), `valued` (typed values, named "v:<field>"),
    `typed` (reasons, reading those values by name), then duplicates and the crosswalk."""
    require_columns(raw, needed_columns(spec), path, spec.name)  # `resolve` has mapped them
    # a problem the reader found (a NUL byte, a repeated header line) comes first
    reasons: list[str] = []
    select: dict[str, str] = {}
    _identity_fields(spec, select, reasons)
    _code_fields(spec, select, reasons)
    _place_fields(spec, select, reasons)

    values = ", ".join(f"{expr} AS {_ref(name)}" for name, expr in select.items())
    fields = ", ".join(f"{_ref(name)} AS {name}" for name in select)
    # a field the source gives one value for every row (its agency, NULL where it has no such
    # column) is not carried through the rows but written as a literal where they are read:
    # the kept rows' COPY at 10M rows took ~1 s less without them (one pair of runs)
    constants = {name: expr for name, expr in select.items() if _CONSTANT.fullmatch(expr)}
    names = ", ".join(f"t.{name}" for name in select if name not in constants)
    cleaned = ", ".join(
        f"{clean(col, spec.na_values)} AS {quoted(col)}" for col in needed_columns(spec)
    )
    if raw.read_problems:
        cleaned += f", r.{quoted(PROBLEM)}"

    def ctes(carry: str) -> str:
        """The layers; `carry` names RAW columns passed through to `checked` untouched."""
        keep = "".join(f", {c}" for c in carry.split())
        return (
            f"WITH cleaned AS (SELECT __row{keep}, {cleaned} FROM {raw.table} r), "
            f"valued AS (SELECT r.*, {values} FROM cleaned r), "
            f"typed AS (SELECT __row{keep}, {fields}, {row_reason(raw, reasons)} AS field_reason "
            "FROM valued r), "
            f"checked AS (SELECT t.__row{keep}, {names}, "
            "nullif(concat_ws('; ', t.field_reason, CASE WHEN d.first_row IS NOT NULL "
            "AND t.__row > d.first_row THEN 'duplicate record id ' || t.record_id || "
            "' (first at row ' || d.first_row || ')' END), '') "
            f"AS reason FROM typed t LEFT JOIN {DUPS} d ON d.record_id = t.record_id) "
        )

    # the stored typed rows carry RAW's restored-digit bitmask, so the manifest's count of
    # restored values reads that small column instead of scanning the file again (~0.8 s/10M)
    stored = RESTORED if raw.match is not None and raw.match.digit_columns else ""

    def harmonized(rel: str) -> str:
        fields = (f"{constants[n]} AS {n}" if n in constants else f"c.{n}" for n in select)
        return (
            f"SELECT c.__row, {', '.join(fields)}, m.offense, "
            "m.offense_group, m.match AS crosswalk_match, c.reason "
            f"FROM {rel} c LEFT JOIN code_map m ON m.source_code = c.source_code"
        )

    codes = (
        f"SELECT DISTINCT {source_code_sql(spec, spec.na_values)[1]} AS source_code "
        f"FROM {raw.table} r"
    )
    return ParsedQueries(
        codes=codes,
        duplicates=_duplicates_sql(raw, spec),
        typed=ctes("") + harmonized("checked"),
        checked=ctes(stored) + "SELECT * FROM checked",
        harmonized=harmonized(CHECKED),
    )


def build_parsed(
    con: duckdb.DuckDBPyConnection,
    raw: RawInput,
    spec: SourceSpec,
    path: Path,
    work: Path | None = None,
) -> None:
    """Create PARSED (see ParsedQueries.typed) on DuckDB.

    Parsing is the costly step, so for a load (`work` given) it runs once, into a temporary
    table (CHECKED, before the crosswalk join; PARSED is that table joined with the code
    map) the writers then read: DuckDB keeps it compressed and spills what exceeds the
    memory limit to the load's work folder, so memory stays bounded without writing and
    re-reading a hand-over file. Without `work` PARSED is a view (each pass parses again;
    fine for the small inputs of tests and checks).
    """
    spec = resolve(con, raw, spec, path)
    q = parsed_queries(raw, spec, path)
    register_code_map(con, spec, q.codes)
    drop_relation(con, DUPS)
    con.execute(f"CREATE TEMP TABLE {DUPS} AS {q.duplicates}")
    drop_relation(con, PARSED)
    if work is None:
        con.execute(f"CREATE TEMP VIEW {PARSED} AS {q.typed}")
        return
    # the parsed rows are stored before the crosswalk join: a narrower table, and the join
    # (a small hash table) costs less when the writers read the rows than when they are kept
    drop_relation(con, CHECKED)
    con.execute(f"CREATE TEMP TABLE {CHECKED} AS {q.checked}")
    con.execute(f"CREATE TEMP VIEW {PARSED} AS {q.harmonized}")
    if raw.match is not None and raw.match.digit_columns:
        raw.match.restored_in = CHECKED


def use_parsed_files(con: duckdb.DuckDBPyConnection, files_sql: str) -> None:
    """PARSED as a view over typed rows another engine wrote (Spark)."""
    drop_relation(con, PARSED)
    con.execute(
        f"CREATE TEMP VIEW {PARSED} AS SELECT {PARSED_COLUMNS} FROM read_parquet({files_sql})"
    )


def source_code_sql(spec: SourceSpec, na: tuple[str, ...] | None) -> tuple[list[str], str]:
    """The cleaned code columns and the combined code ('IUCR|FBI') a crosswalk resolves."""
    parts = [clean(col, na) for col in spec.code_columns]
    return parts, f"concat_ws('{SEP}', " + ", ".join(f"coalesce({p}, '')" for p in parts) + ")"


def kept_select(spec: SourceSpec, load_id: str) -> str:
    """The harmonized rows to store."""
    return (
        f"SELECT {sql_str(spec.name)} AS source, p.agency, "
        "p.record_id, p.occurred_at, p.reported_at, p.source_code, p.offense, p.offense_group, "
        "p.crosswalk_match, p.district, p.beat, p.community, p.block, p.latitude, "
        f"p.longitude, p.arrest, p.domestic, {sql_str(load_id)} AS load_id "
        f"FROM {PARSED} p WHERE p.reason IS NULL"
    )


def quarantine_select(spec: SourceSpec, load_id: str, raw: RawInput) -> str:
    """The quarantined rows, each with its raw record (as read, row number first) as JSON.

    The record comes from RAW by row number, for those rows only: a clean file's load does
    no such work at all (an empty join side), a file with faults reads RAW once.
    """
    return (
        f"SELECT {sql_str(spec.name)} AS source, {sql_str(load_id)} AS load_id, "
        f"p.__row AS row_number, p.reason, CAST(to_json({record_sql(raw)}) AS VARCHAR) AS record "
        f"FROM {PARSED} p JOIN {raw.table} r ON r.__row = p.__row WHERE p.reason IS NOT NULL"
    )


def daily_select(part: str) -> str:
    """The daily rollup of one stored incidents part: what trends and coverage read.

    source × agency × day × offense with the count and the latest timestamp; a few thousand
    rows a year per city, so a trend question reads kilobytes instead of every record.
    """
    return (
        "SELECT source, agency, CAST(occurred_at AS DATE) AS day, offense, offense_group, "
        "count(*) AS n, max(occurred_at) AS last_at, any_value(load_id) AS load_id "
        f"FROM read_parquet({sql_str(part)}) GROUP BY ALL ORDER BY day"
    )


class Incidents(SourceKind):
    """One row per reported incident, with its own id, date, code and place."""

    name = "incidents"
    table = "incidents"
    key_columns = ("record_id",)

    def validate(self, data: dict[str, Any], columns: dict[str, ColumnSpec], origin: str) -> None:
        for needed in ("record_id", "occurred"):
            require(needed in columns, origin, f"incidents need [columns].{needed}")
        unknown = set(columns) - set(FIELDS)
        require(not unknown, origin, f"unknown incident fields {sorted(unknown)}")
        require(
            bool(data.get("code_columns") and data.get("crosswalk")),
            origin,
            "incidents need code_columns and crosswalk",
        )
        require(
            "agency" not in columns or bool(data.get("agency_names")),
            origin,
            "[columns].agency needs an [agency_names] table",
        )
        require(
            "agency" in columns or bool(data.get("agency")),
            origin,
            "incidents need an agency constant or [columns].agency",
        )
        patterns = data.get("code_patterns", [])
        require(
            not patterns or len(patterns) == len(data["code_columns"]),
            origin,
            "code_patterns must match code_columns one to one",
        )

    def parse(self, con, raw, spec, path, ctx: LoadContext) -> ParsedLoad:
        from crimetrends.store.engines import get_engine

        spec = resolve(con, raw, spec, path)  # the file's columns, by the source's names
        get_engine(ctx.engine).type_incidents(con, raw, spec, path, ctx.work)
        # one stored row per kept row: the loader's check compares the file it wrote
        return ParsedLoad(
            kept=kept_select(spec, ctx.load_id),
            quarantine=quarantine_select(spec, ctx.load_id, raw),
        )

    def derived_parts(self, con, spec, ctx, write) -> dict[str, Any]:
        write(daily_select(str(write.part(self.table))), "daily")
        return {}
