"""SQL fragments that turn one text column into a typed value plus a quarantine reason.

Every parser returns (value_sql, reason_sql): the reason is NULL when the field is fine,
missing-and-optional, or a text naming the column and the offending value.
"""

from __future__ import annotations

from crimetrends.ingest.read import quoted, sql_str
from crimetrends.sources.registry import ColumnSpec

TRUE_WORDS = ("true", "t", "y", "yes", "1")
FALSE_WORDS = ("false", "f", "n", "no", "0")


def clean(column: str, na_values: tuple[str, ...] | None) -> str:
    """Trimmed text, NULL for the source's NA markers (`None`: the column is cleaned already).

    `trim` copies every string it touches (a second per column at 10M rows); most values
    have no outer spaces, so it runs only on those that do (same result: trim removes spaces).
    """
    if na_values is None:
        return quoted(column)
    nas = ", ".join(sql_str(v) for v in na_values) or "''"
    c = quoted(column)
    outer_space = f"starts_with({c}, ' ') OR ends_with({c}, ' ')"
    trimmed = f"(CASE WHEN {outer_space} THEN trim({c}) ELSE {c} END)"
    return f"(CASE WHEN {trimmed} IN ({nas}) THEN NULL ELSE {trimmed} END)"


def _formats(formats: tuple[str, ...]) -> str:
    return "[" + ", ".join(sql_str(f) for f in formats) + "]"


def shown(expr: str) -> str:
    """The offending value, shortened, for a reason text."""
    return f"left(coalesce({expr}, ''), 60)"


def timestamp_field(
    spec: ColumnSpec, na: tuple[str, ...] | None, required: bool, value_ref: str | None = None
) -> tuple[str, str]:
    """Date (and optional time column) → TIMESTAMP; `value_ref` names the value computed once."""
    assert spec.column
    raw = clean(spec.column, na)
    value = f"try_strptime({raw}, {_formats(spec.formats)})"
    if spec.time_column:
        traw = clean(spec.time_column, na)
        tval = f"try_strptime({traw}, {_formats(spec.time_formats)})"
        value = (
            f"(date_trunc('day', {value}) + "
            # time of day as an interval, whatever date a time-only parse defaults to
            # (1900-01-01 in DuckDB, 1970-01-01 in Spark)
            f"coalesce({tval} - date_trunc('day', {tval}), INTERVAL 0 SECOND))"
        )
    v = value_ref or value
    reasons = [
        f"CASE WHEN {raw} IS NOT NULL AND {v} IS NULL THEN "
        f"'unparseable date in {spec.column}: ' || {shown(raw)} END"
    ]
    if required:
        reasons.append(f"CASE WHEN {raw} IS NULL THEN 'missing date in {spec.column}' END")
    if spec.time_column:
        reasons.append(
            f"CASE WHEN {traw} IS NOT NULL AND {tval} IS NULL THEN "
            f"'unparseable time in {spec.time_column}: ' || {shown(traw)} END"
        )
    reasons.append(
        f"CASE WHEN {v} < TIMESTAMP '1900-01-01' OR {v} > current_date + INTERVAL 1 DAY "
        f"THEN 'date out of range in {spec.column}: ' || {shown(raw)} END"
    )
    return value, combine_reasons(reasons)


def text_field(spec: ColumnSpec, na: tuple[str, ...] | None) -> str:
    assert spec.column
    return clean(spec.column, na)


def double_field(
    spec: ColumnSpec,
    na: tuple[str, ...] | None,
    low: float,
    high: float,
    value_ref: str | None = None,
) -> tuple[str, str]:
    assert spec.column
    raw = clean(spec.column, na)
    num = f"try_cast({_without_commas(raw)} AS DOUBLE)"
    value = f"nullif({num}, 0)" if spec.zero_is_missing else num
    v = value_ref or value
    reason = (
        f"CASE WHEN {raw} IS NOT NULL AND {num if spec.zero_is_missing else v} IS NULL THEN "
        f"'wrong type in {spec.column} (expected a number): ' || {shown(raw)} "
        f"WHEN {v} NOT BETWEEN {low} AND {high} THEN "
        f"'out of range in {spec.column}: ' || {shown(raw)} END"
    )
    return value, reason


def bool_field(
    spec: ColumnSpec, na: tuple[str, ...] | None, value_ref: str | None = None
) -> tuple[str, str]:
    assert spec.column
    raw = f"lower({clean(spec.column, na)})"
    # a CASE of constants, not `IN (...)`: DuckDB turns a long IN list into a join per use
    words = [(w, "true") for w in TRUE_WORDS] + [(w, "false") for w in FALSE_WORDS]
    whens = " ".join(f"WHEN {sql_str(w)} THEN {v}" for w, v in words)
    value = f"(CASE {raw} {whens} END)"
    reason = (
        f"CASE WHEN {raw} IS NOT NULL AND {value_ref or value} IS NULL THEN "
        f"'wrong type in {spec.column} (expected true/false): ' || {shown(raw)} END"
    )
    return value, reason


def count_field(column: str, na: tuple[str, ...] | None) -> tuple[str, str]:
    raw = clean(column, na)
    num = f"try_cast({_without_commas(raw)} AS DOUBLE)"
    value = f"CAST({num} AS BIGINT)"
    reason = (
        f"CASE WHEN {raw} IS NOT NULL AND ({num} IS NULL OR {num} <> floor({num})) THEN "
        f"'wrong type in {column} (expected a whole number): ' || {shown(raw)} "
        f"WHEN {num} < 0 THEN 'negative count in {column}: ' || {shown(raw)} END"
    )
    return value, reason


def _without_commas(expr: str) -> str:
    """Thousands separators dropped, copying only the values that have one."""
    return f"(CASE WHEN contains({expr}, ',') THEN replace({expr}, ',', '') ELSE {expr} END)"


def combine_reasons(reasons: list[str]) -> str:
    return "nullif(concat_ws('; ', " + ", ".join(reasons) + "), '')"
