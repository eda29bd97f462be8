"""Year-to-date tables (RTCI's "full table"): per agency and crime type, this year's count
from January through a month, the same months a year earlier, and the vintage.

Each input row becomes two stored figures (`current` and `previous`), so a figure can be
followed from vintage to vintage (`revisions`), while a comparison still takes both its
periods from one vintage. Every vintage loaded is kept: the key includes the vintage.
The publisher's own total rows ([totals]) are stored as a check, never as data; totals are
recomputed from the components by the analysis, and are incomplete when one is missing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crimetrends.ingest.fields import (
    agency_name_sql,
    clean,
    count_field,
    row_reason,
    text_field,
)
from crimetrends.ingest.kinds import LoadContext, ParsedLoad, SourceKind, require
from crimetrends.ingest.read import mapped_columns, sql_str
from crimetrends.ingest.read import quarantine_select as quarantine_select_from
from crimetrends.ingest.variants import resolve

if TYPE_CHECKING:
    from crimetrends.sources.registry import ColumnSpec, SourceSpec

PARSED = "parsed_ytd"
REQUIRED = ("agency", "code", "count", "previous_count", "through", "published")
OPTIONAL = ("population", "sample_agencies")


def _formats(col: ColumnSpec) -> str:
    return "[" + ", ".join(sql_str(f) for f in col.formats) + "]"


def _sample_sql(spec: SourceSpec, agency: str) -> str:
    """'national' / 'state' for the publisher's aggregates of agencies, NULL for an agency."""
    whens = []
    if "national_suffix" in spec.samples:
        whens.append(
            f"WHEN ends_with({agency}, {sql_str(spec.samples['national_suffix'])}) THEN 'national'"
        )
    if "state_prefix" in spec.samples:
        whens.append(
            f"WHEN starts_with({agency}, {sql_str(spec.samples['state_prefix'])}) THEN 'state'"
        )
    return f"(CASE {' '.join(whens)} END)" if whens else "NULL::VARCHAR"


def needed_columns(spec: SourceSpec) -> tuple[str, ...]:
    return mapped_columns(spec)


def build_parsed(con: Any, raw: Any, spec: SourceSpec, path: Any) -> None:
    """PARSED: one row per input row, typed, with `reason` (NULL = keep)."""
    spec = resolve(con, raw, spec, path)
    na, c = spec.na_values, spec.columns
    agency = agency_name_sql(text_field(c["agency"], na))
    code = text_field(c["code"], na)
    current, current_why = count_field(c["count"].column or "", na)
    previous, previous_why = count_field(c["previous_count"].column or "", na)
    through_raw = clean(c["through"].column or "", na)
    through = f"CAST(try_strptime({through_raw}, {_formats(c['through'])}) AS DATE)"
    published_raw = clean(c["published"].column or "", na)
    vintage = f"CAST(try_strptime(left({published_raw}, 10), {_formats(c['published'])}) AS DATE)"
    optional = {}
    reasons = [
        f"CASE WHEN {agency} IS NULL THEN 'missing agency in {c['agency'].column}' END",
        f"CASE WHEN {code} IS NULL THEN 'missing crime type in {c['code'].column}' END",
        current_why,
        previous_why,
        f"CASE WHEN {current} IS NULL THEN 'missing count in {c['count'].column}' END",
        f"CASE WHEN {previous} IS NULL THEN 'missing count in {c['previous_count'].column}' END",
        f"CASE WHEN {through_raw} IS NULL THEN 'missing month in {c['through'].column}' "
        f"WHEN {through} IS NULL THEN 'unparseable month in {c['through'].column}: ' "
        f"|| left({through_raw}, 60) END",
        f"CASE WHEN {vintage} IS NULL THEN 'missing or unparseable publication date in "
        f"{c['published'].column}: ' || coalesce(left({published_raw}, 60), '') END",
    ]
    for name in OPTIONAL:
        if name in c and c[name].column in raw.columns:
            val, why = count_field(c[name].column or "", na)
            optional[name] = val
            reasons.append(why)
        else:
            optional[name] = "NULL::BIGINT"
    key = "agency, code, through, vintage"
    con.execute(f"DROP TABLE IF EXISTS {PARSED}")
    con.execute(
        f"CREATE TEMP TABLE {PARSED} AS WITH typed AS (SELECT __row, {agency} AS agency, "
        f"{code} AS code, {current} AS current_count, {previous} AS previous_count, "
        f"{through} AS through, {vintage} AS vintage, {published_raw} AS published_at, "
        f"{optional['population']} AS population, "
        f"{optional['sample_agencies']} AS sample_agencies, "
        f"{row_reason(raw, reasons)} AS field_reason FROM {raw.table} r), "
        f"numbered AS (SELECT *, row_number() OVER (PARTITION BY {key} ORDER BY __row) AS k, "
        f"min(__row) OVER (PARTITION BY {key}) AS first_row FROM typed) "
        "SELECT __row, agency, code, current_count, previous_count, through, vintage, "
        "published_at, population, sample_agencies, "
        "nullif(concat_ws('; ', field_reason, CASE WHEN k > 1 AND field_reason IS NULL THEN "
        "'duplicate agency and crime type (first at row ' || first_row || ')' END), '') "
        "AS reason FROM numbered"
    )


def code_map_sql(spec: SourceSpec) -> str:
    """The crosswalk for the table's crime types, plus its own total rows ([totals])."""
    totals = " ".join(
        f"WHEN {sql_str(name)} THEN {sql_str(group)}" for group, name in spec.totals.items()
    )
    return f"(CASE p.code {totals} END)" if totals else "NULL::VARCHAR"


def kept_select(spec: SourceSpec, load_id: str) -> str:
    """Two stored figures per kept row: this year's and the same months a year earlier."""
    total = code_map_sql(spec)
    sample = _sample_sql(spec, "p.agency")
    head = (
        f"SELECT {sql_str(spec.name)} AS source, p.agency, {sample} AS sample, "
        "CAST(p.sample_agencies AS INTEGER) AS sample_agencies, p.code AS source_code, "
        f"CASE WHEN {total} IS NULL THEN m.offense END AS offense, "
        f"CASE WHEN {total} IS NULL THEN m.offense_group END AS offense_group, "
        f"CASE WHEN {total} IS NULL THEN m.match ELSE 'published total' END AS crosswalk_match, "
        f"{total} AS published_total, "
    )
    tail = (
        "p.population, p.vintage, p.published_at, "
        f"{sql_str(load_id)} AS load_id FROM {PARSED} p "
        "LEFT JOIN code_map m ON m.source_code = p.code WHERE p.reason IS NULL"
    )
    current = (
        head + "CAST(date_trunc('year', p.through) AS DATE) AS period_start, "
        "CAST(last_day(p.through) AS DATE) AS period_end, 'current' AS role, "
        "p.current_count AS count, " + tail
    )
    previous = (
        head + "CAST(date_trunc('year', p.through) - INTERVAL 1 YEAR AS DATE) AS period_start, "
        "CAST(last_day(p.through - INTERVAL 1 YEAR) AS DATE) AS period_end, 'previous' AS role, "
        "p.previous_count AS count, " + tail
    )
    return f"SELECT * FROM ({current} UNION ALL {previous}) ORDER BY agency, source_code, role"


class YearToDate(SourceKind):
    """A published year-to-date table, one file per vintage (see the module docstring)."""

    name = "ytd"
    table = "ytd"
    key_columns = ("agency", "source_code", "period_start", "period_end", "role", "vintage")
    # the same figure in two vintages: one agency's count of one crime type over one window
    # (a year's count is `current` in its own year's vintages, `previous` a year later)
    revision_key = ("agency", "source_code", "period_start", "period_end")

    def validate(self, data: dict[str, Any], columns: dict[str, ColumnSpec], origin: str) -> None:
        missing = [c for c in REQUIRED if c not in columns]
        require(not missing, origin, f"year-to-date tables need [columns].{', '.join(missing)}")
        for name in ("through", "published"):
            require(bool(columns[name].formats), origin, f"[columns].{name} needs formats")
        require(bool(data.get("crosswalk")), origin, "year-to-date tables need a crosswalk")
        unknown = set(columns) - {*REQUIRED, *OPTIONAL}
        require(not unknown, origin, f"unknown year-to-date fields {sorted(unknown)}")

    def parse(self, con, raw, spec, path, ctx: LoadContext) -> ParsedLoad:
        from crimetrends.ingest.codes import register_code_map

        spec = resolve(con, raw, spec, path)
        build_parsed(con, raw, spec, path)
        register_code_map(con, spec, f"SELECT DISTINCT code FROM {PARSED} WHERE reason IS NULL")
        return ParsedLoad(
            kept=kept_select(spec, ctx.load_id),
            quarantine=quarantine_select_from(spec.name, ctx.load_id, PARSED),
            kept_rows=f"SELECT count(*) FROM {PARSED} WHERE reason IS NULL",
            extra={"checks": total_checks(con, spec), "vintages": vintages(con)},
        )


def vintages(con: Any) -> list[str]:
    rows = con.execute(
        f"SELECT DISTINCT CAST(vintage AS VARCHAR) FROM {PARSED} WHERE reason IS NULL ORDER BY 1"
    ).fetchall()
    return [r[0] for r in rows]


def total_checks(con: Any, spec: SourceSpec) -> list[dict[str, Any]]:
    """The publisher's totals against the sum of their components, where all are present."""
    from crimetrends.taxonomy.harmonize import load_crosswalk
    from crimetrends.taxonomy.offenses import group_members

    assert spec.crosswalk
    cw = load_crosswalk(spec.crosswalk)
    out = []
    for group, name in spec.totals.items():
        codes = [r.code for r in cw.rows if r.offense in group_members(group)]
        inlist = ", ".join(sql_str(c) for c in codes)
        differ, partial = con.execute(
            f"WITH parts AS (SELECT agency, through, vintage, count(*) AS n, "
            "sum(current_count) AS cur, sum(previous_count) AS prev "
            f"FROM {PARSED} WHERE reason IS NULL AND code IN ({inlist}) GROUP BY ALL), "
            f"tot AS (SELECT agency, through, vintage, current_count AS cur, "
            f"previous_count AS prev FROM {PARSED} WHERE reason IS NULL AND code = "
            f"{sql_str(name)}) "
            f"SELECT count(*) FILTER (WHERE p.n = {len(codes)} AND (p.cur <> t.cur OR "
            f"p.prev <> t.prev)), count(*) FILTER (WHERE coalesce(p.n, 0) < {len(codes)}) "
            "FROM tot t LEFT JOIN parts p USING (agency, through, vintage)"
        ).fetchone()
        out.append(
            {
                "check": f"published {name} vs sum of components",
                "rows_where_total_differs": int(differ),
                "rows_where_components_missing_but_total_published": int(partial),
                "policy": "crimetrends recomputes totals from components; a total with a missing "
                "component is marked incomplete and kept out of comparisons",
            }
        )
    return out
