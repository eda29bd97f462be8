"""Population tables (one column per year, or one population of a stated year)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from crimetrends.ingest.counts import agency_sql
from crimetrends.ingest.fields import count_field, row_reason, text_field
from crimetrends.ingest.kinds import LoadContext, ParsedLoad, SourceKind, require
from crimetrends.ingest.read import RawInput, mapped_columns, sql_str
from crimetrends.ingest.read import quarantine_select as quarantine_select_from
from crimetrends.ingest.variants import resolve

if TYPE_CHECKING:
    import duckdb

    from crimetrends.sources.registry import ColumnSpec, SourceSpec

PARSED = "parsed_populations"


def needed_columns(spec: SourceSpec) -> tuple[str, ...]:
    return mapped_columns(spec, *spec.year_columns)


def build_parsed(con: duckdb.DuckDBPyConnection, raw: RawInput, spec: SourceSpec, path: Path):
    spec = resolve(con, raw, spec, path)
    na = spec.na_values
    agency, why = agency_sql(spec)
    reasons = [why]
    ori = text_field(spec.columns["ori"], na) if "ori" in spec.columns else "NULL::VARCHAR"
    if spec.year_columns:
        years = {int(y): y for y in spec.year_columns}
    else:
        col = spec.columns["population"].column or ""
        years = {int(spec.population_year or 0): col}
    values = {}
    for year, col in years.items():
        val, why = count_field(col, na)
        values[year] = val
        reasons.append(why)
    fields = ", ".join(f"{v} AS y{y}" for y, v in values.items())
    con.execute(f"DROP TABLE IF EXISTS {PARSED}")
    con.execute(
        f"CREATE TEMP TABLE {PARSED} AS SELECT __row, {agency} AS agency, {ori} AS ori, {fields}, "
        f"{row_reason(raw, reasons)} AS reason "
        f"FROM {raw.table} r"
    )
    # Duplicate agency rows: keep the first, quarantine the rest.
    con.execute(
        f"UPDATE {PARSED} p SET reason = 'duplicate agency ' || p.agency || ' (first at row ' "
        f"|| d.first_row || ')' FROM (SELECT agency, min(__row) AS first_row FROM {PARSED} "
        f"WHERE reason IS NULL GROUP BY agency) d WHERE p.agency = d.agency "
        "AND p.__row <> d.first_row AND p.reason IS NULL"
    )
    return years


def kept_select(spec: SourceSpec, load_id: str, years: dict[int, str]) -> str:
    unions = " UNION ALL ".join(
        f"SELECT {sql_str(spec.name)} AS source, agency, ori, {y} AS year, y{y} AS population, "
        f"{sql_str(load_id)} AS load_id FROM {PARSED} WHERE reason IS NULL AND y{y} IS NOT NULL"
        for y in years
    )
    return f"SELECT * FROM ({unions}) ORDER BY agency, year"


def quarantine_select(spec: SourceSpec, load_id: str) -> str:
    return quarantine_select_from(spec.name, load_id, PARSED)


class Populations(SourceKind):
    """Agency populations: one column per year, or one column of a stated year."""

    name = "populations"
    table = "populations"
    key_columns = ("agency", "year")

    def validate(self, data: dict[str, Any], columns: dict[str, ColumnSpec], origin: str) -> None:
        require("agency" in columns, origin, "populations need [columns].agency")

    def parse(self, con, raw, spec, path, ctx: LoadContext) -> ParsedLoad:
        years = build_parsed(con, raw, spec, path)
        return ParsedLoad(
            kept=kept_select(spec, ctx.load_id, years),
            quarantine=quarantine_select(spec, ctx.load_id),
            kept_rows=f"SELECT count(*) FROM {PARSED} WHERE reason IS NULL",
        )
