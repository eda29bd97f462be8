"""Published count tables (wide: a column per offense; long: a row per code) into `counts`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from crimetrends.ingest.fields import (
    agency_name_sql,
    clean,
    count_field,
    row_reason,
    text_field,
    timestamp_field,
)
from crimetrends.ingest.kinds import LoadContext, ParsedLoad, SourceKind, require
from crimetrends.ingest.read import RawInput, mapped_columns, sql_str
from crimetrends.ingest.read import quarantine_select as quarantine_select_from
from crimetrends.ingest.variants import resolve
from crimetrends.taxonomy.harmonize import load_crosswalk
from crimetrends.taxonomy.offenses import group_members

if TYPE_CHECKING:
    import duckdb

    from crimetrends.sources.registry import ColumnSpec, SourceSpec

PARSED = "parsed_counts"
ROWS = "count_rows"


def agency_sql(spec: SourceSpec) -> tuple[str, str]:
    """Agency name expression (one spelling, `agency_name_sql`) and its reason."""
    expr, why = _agency_sql(spec)
    return agency_name_sql(expr), why


def _agency_sql(spec: SourceSpec) -> tuple[str, str]:
    """Agency name expression and its reason; ORI codes resolve the state name."""
    na = spec.na_values
    col = spec.column("agency")
    if col is None:
        return sql_str(spec.agency or ""), "NULL"
    if col.city_column and col.state_column:
        city, state = clean(col.city_column, na), clean(col.state_column, na)
        expr = f"({city} || ', ' || {state})"
        why = f"CASE WHEN {city} IS NULL OR {state} IS NULL THEN 'missing agency name' END"
        return expr, why
    name = text_field(col, na)
    if col.ori_column:
        ori = clean(col.ori_column, na)
        expr = (
            f"CASE WHEN {ori} IS NULL AND {name} = 'National' THEN 'United States' "
            f"ELSE split_part({name}, ',', 1) || ', ' || "
            f"(SELECT s.name FROM states s WHERE s.abbr = left({ori}, 2)) END"
        )
        why = (
            f"CASE WHEN {name} IS NULL THEN 'missing agency name in {col.column}' "
            f"WHEN {expr} IS NULL THEN 'unknown state in ORI ' || coalesce({ori}, '') END"
        )
        return expr, why
    return name, f"CASE WHEN {name} IS NULL THEN 'missing agency name in {col.column}' END"


def wide_codes(spec: SourceSpec) -> tuple[str, ...]:
    assert spec.crosswalk
    return tuple(r.code for r in load_crosswalk(spec.crosswalk).rows)


def needed_columns(spec: SourceSpec) -> tuple[str, ...]:
    wide = wide_codes(spec) if spec.shape == "wide" else ()
    return mapped_columns(spec, *wide, *spec.totals.values())


def build_parsed(con: duckdb.DuckDBPyConnection, raw: RawInput, spec: SourceSpec, path: Path):
    """Create PARSED (one row per source row, with reason) and ROWS (one row per count)."""
    spec = resolve(con, raw, spec, path)
    na, c = spec.na_values, spec.columns
    reasons: list[str] = []
    agency, why = agency_sql(spec)
    reasons.append(why)
    period, why = timestamp_field(c["period"], na, required=True)
    reasons.append(why)
    trunc = "month" if spec.grain == "month" else "year"
    select = {"agency": agency, "period_start": f"CAST(date_trunc('{trunc}', {period}) AS DATE)"}
    for opt in ("months_reported", "population"):
        if opt in c:
            val, why = count_field(c[opt].column or "", na)
            select[opt] = val
            reasons.append(why)
        else:
            select[opt] = "NULL::BIGINT"
    select["district"] = text_field(c["district"], na) if "district" in c else "''"
    key = ["agency", "period_start", "district"]
    value_cols = _value_fields(spec, select, reasons, key)
    fields = ", ".join(f"{expr} AS {name}" for name, expr in select.items())
    _create_tables(con, raw, fields, reasons, ", ".join(key), value_cols)


def _value_fields(
    spec: SourceSpec, select: dict[str, str], reasons: list[str], key: list[str]
) -> dict[str, str] | None:
    """The count columns (one per code for a wide table, one `v` for a long one), added to
    `select` with their reasons; returns code → column for the wide shape, None for long."""
    na, c = spec.na_values, spec.columns
    if spec.shape == "wide":
        value_cols: dict[str, str] = {}
        for i, code in enumerate(wide_codes(spec)):
            val, why = count_field(code, na)
            value_cols[code] = f"v{i}"
            select[f"v{i}"] = val
            reasons.append(why)
        for group, col in spec.totals.items():
            val, why = count_field(col, na)
            select[f"total_{group}"] = val
            reasons.append(why)
        return value_cols
    code = text_field(c["code"], na)
    select["source_code"] = code
    reasons.append(f"CASE WHEN {code} IS NULL THEN 'missing code in {c['code'].column}' END")
    val, why = count_field(c["count"].column or "", na)
    select["v"] = val
    reasons.append(why)
    reasons.append(f"CASE WHEN {val} IS NULL THEN 'missing count in {c['count'].column}' END")
    key.append("source_code")
    return None


def _create_tables(
    con: duckdb.DuckDBPyConnection,
    raw: RawInput,
    fields: str,
    reasons: list[str],
    keys: str,
    value_cols: dict[str, str] | None,
) -> None:
    """PARSED: typed rows with their reason (a repeated period key is a duplicate); ROWS:
    one row per count (a wide table unpivoted)."""
    con.execute(f"DROP TABLE IF EXISTS {PARSED}")
    con.execute(
        f"CREATE TEMP TABLE {PARSED} AS "
        f"WITH typed AS (SELECT __row, {fields}, {row_reason(raw, reasons)} AS field_reason "
        f"FROM {raw.table} r), "
        f"numbered AS (SELECT *, row_number() OVER (PARTITION BY {keys} ORDER BY __row) AS k, "
        f"min(__row) OVER (PARTITION BY {keys}) AS first_row FROM typed) "
        "SELECT * EXCLUDE (k, first_row, field_reason), "
        "nullif(concat_ws('; ', field_reason, CASE WHEN k > 1 AND field_reason IS NULL THEN "
        "'duplicate period key (first at row ' || first_row || ')' END), '') AS reason "
        "FROM numbered"
    )
    con.execute(f"DROP TABLE IF EXISTS {ROWS}")
    base = "agency, district, period_start, months_reported, reason"
    if value_cols is not None:
        unions = " UNION ALL ".join(
            f"SELECT {base}, {sql_str(code)} AS source_code, {col} AS count FROM {PARSED}"
            for code, col in value_cols.items()
        )
        con.execute(f"CREATE TEMP TABLE {ROWS} AS {unions}")
    else:
        con.execute(
            f"CREATE TEMP TABLE {ROWS} AS SELECT {base}, source_code, v AS count FROM {PARSED}"
        )


def total_checks(con: duckdb.DuckDBPyConnection, spec: SourceSpec) -> list[dict[str, Any]]:
    """Compare published totals with the sum of their components (never used as data)."""
    if spec.shape != "wide" or not spec.totals:
        return []
    assert spec.crosswalk
    cw = load_crosswalk(spec.crosswalk)
    codes = wide_codes(spec)
    checks = []
    for group, col in spec.totals.items():
        members = [
            f"v{i}" for i, code in enumerate(codes) if cw.resolve(code)[0] in group_members(group)
        ]
        if not members:
            continue
        present = " AND ".join(f"{m} IS NOT NULL" for m in members)
        total = " + ".join(members)
        mism, partial = con.execute(
            f"SELECT count(*) FILTER (WHERE {present} AND total_{group} <> {total}), "
            f"count(*) FILTER (WHERE NOT ({present}) AND total_{group} IS NOT NULL) "
            f"FROM {PARSED} WHERE reason IS NULL"
        ).fetchone()
        examples = [
            f"{a} {p}"
            for a, p in con.execute(
                f"SELECT agency, strftime(period_start, '%Y-%m') FROM {PARSED} "
                f"WHERE reason IS NULL AND NOT ({present}) AND total_{group} IS NOT NULL "
                "ORDER BY agency, period_start LIMIT 5"
            ).fetchall()
        ]
        checks.append(
            {
                "check": f"published {col} vs sum of components",
                "rows_where_total_differs": int(mism),
                "rows_where_components_missing_but_total_published": int(partial),
                "examples_components_missing": examples,
                "policy": "crimetrends recomputes totals from components; a total with a missing "
                "component is marked incomplete and kept out of comparisons",
            }
        )
    return checks


def kept_select(spec: SourceSpec, load_id: str) -> str:
    return (
        f"SELECT {sql_str(spec.name)} AS source, r.agency, r.district, r.source_code, m.offense, "
        "m.offense_group, m.match AS crosswalk_match, r.period_start, "
        f"{sql_str(spec.grain or '')} AS grain, r.count, "
        f"CAST(r.months_reported AS INTEGER) AS months_reported, {sql_str(load_id)} AS load_id "
        f"FROM {ROWS} r JOIN code_map m USING (source_code) WHERE r.reason IS NULL "
        "ORDER BY r.agency, r.period_start"
    )


def quarantine_select(spec: SourceSpec, load_id: str) -> str:
    return quarantine_select_from(spec.name, load_id, PARSED)


def population_select(spec: SourceSpec, load_id: str) -> str | None:
    """Annual UCR tables carry population: store it beside the counts."""
    if "population" not in spec.columns:
        return None
    return (
        f"SELECT DISTINCT {sql_str(spec.name)} AS source, agency, NULL::VARCHAR AS ori, "
        "CAST(year(period_start) AS INTEGER) AS year, population, "
        f"{sql_str(load_id)} AS load_id FROM {PARSED} "
        "WHERE reason IS NULL AND population IS NOT NULL AND population > 0"
    )


def codes_query(spec: SourceSpec) -> str:
    return f"SELECT DISTINCT source_code FROM {ROWS} WHERE reason IS NULL"


def published_date(con: Any, raw: Any, spec: SourceSpec) -> str | None:
    """The newest publication date a file states in its [columns].published column."""
    col = spec.columns["published"]
    formats = "[" + ", ".join(sql_str(f) for f in col.formats) + "]"
    value = clean(col.column or "", spec.na_values)
    (day,) = con.execute(
        f"SELECT max(CAST(try_strptime(left({value}, 10), {formats}) AS DATE)) FROM {raw.table} r"
    ).fetchone()
    return day.isoformat() if day else None


class Counts(SourceKind):
    """A published table of counts: wide (a column per offense) or long (a row per code),
    by month or year, per agency and optionally per district."""

    name = "counts"
    table = "counts"
    key_columns = ("agency", "district", "source_code", "period_start", "grain")

    def validate(self, data: dict[str, Any], columns: dict[str, ColumnSpec], origin: str) -> None:
        require(
            data.get("shape") in ("wide", "long"), origin, "counts need shape = 'wide' or 'long'"
        )
        require(
            data.get("grain") in ("month", "year"), origin, "counts need grain = 'month' or 'year'"
        )
        require("period" in columns, origin, "counts need [columns].period")
        require(
            "agency" in columns or bool(data.get("agency")),
            origin,
            "counts need an agency constant or [columns].agency",
        )
        require(
            data["shape"] != "long" or {"code", "count"} <= set(columns),
            origin,
            "long counts need [columns].code and [columns].count",
        )
        require(bool(data.get("crosswalk")), origin, "counts need a crosswalk")

    def parse(self, con, raw, spec, path, ctx: LoadContext) -> ParsedLoad:
        from crimetrends.ingest.codes import register_code_map

        spec = resolve(con, raw, spec, path)
        build_parsed(con, raw, spec, path)
        register_code_map(con, spec, codes_query(spec))
        extra: dict[str, Any] = {"checks": total_checks(con, spec)}
        if "published" in spec.columns:
            extra["published"] = published_date(con, raw, spec)
        return ParsedLoad(
            kept=kept_select(spec, ctx.load_id),
            quarantine=quarantine_select(spec, ctx.load_id),
            kept_rows=f"SELECT count(*) FROM {PARSED} WHERE reason IS NULL",
            extra=extra,
        )

    def derived_parts(self, con, spec, ctx, write) -> dict[str, Any]:
        pop_sql = population_select(spec, ctx.load_id)
        return {"population_rows": write(pop_sql, "populations")} if pop_sql else {}
