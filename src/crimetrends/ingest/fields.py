"""SQL fragments that turn one text column into a typed value plus a quarantine reason.

Every parser returns (value_sql, reason_sql): the reason is NULL when the field is fine,
missing-and-optional, or a text naming the column and the offending value.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

from crimetrends.ingest.read import PROBLEM, quoted, sql_str
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
    if na_values in ((), ("",)):  # the usual case: evaluate the trimmed text once
        return f"nullif({trimmed}, '')"
    return f"(CASE WHEN {trimmed} IN ({nas}) THEN NULL ELSE {trimmed} END)"


def _formats(formats: tuple[str, ...]) -> str:
    return "[" + ", ".join(sql_str(f) for f in formats) + "]"


def shown(expr: str) -> str:
    """The offending value, shortened, for a reason text."""
    return f"left(coalesce({expr}, ''), 60)"


def restore_digits_sql(expr: str, width: int) -> str:
    """A digit code or number as its publisher wrote it, before a re-save rewrote it.

    The rules (declared per column in a catalog entry's [digits]):
    - `321.0` (a spreadsheet or pandas wrote a whole number as a float) is read as `321`;
    - width N > 0: a value of fewer than N digits, only digits, is zero-padded back to N
      (`524` → `0524`, `155` in a 4-digit HHMM time → `0155` = 01:55). This is unambiguous
      because the publisher always writes exactly N digits, so only leading zeros can have
      been lost. A longer value, or one with other characters, is left as it is (it then
      fails its pattern or format and is quarantined, never guessed).
    Only the cheap checks run on values that are already right (nearly all of them).
    """
    int_part = f"split_part({expr}, '.', 1)"
    if width == 0:
        return (
            f"(CASE WHEN contains({expr}, '.') AND regexp_full_match({expr}, '[0-9]+\\.0+') "
            f"THEN {int_part} ELSE {expr} END)"
        )
    return (
        f"(CASE WHEN length({expr}) < {width} AND regexp_full_match({expr}, '[0-9]+') "
        f"THEN lpad({expr}, {width}, '0') "
        f"WHEN contains({expr}, '.') AND regexp_full_match({expr}, '[0-9]{{1,{width}}}\\.0+') "
        f"THEN lpad({int_part}, {width}, '0') ELSE {expr} END)"
    )


# directives that read a fixed number of digits when numbers touch (`%H%M`, `%Y%m%d`)
_DIGITS = {"Y": 4, "m": 2, "d": 2, "H": 2, "I": 2, "M": 2, "S": 2}


def fixed_width(fmt: str) -> int | None:
    """The length of every value `fmt` can mean when two numbers touch in it, else None.

    `%H%M` reads `155` as 15:05 (DuckDB) or not at all (Spark): where numbers touch only a
    value of the full width has one reading, so only such values are parsed.
    """
    tokens = re.findall(r"%.|[^%]+", fmt)
    numeric = [t.startswith("%") and t[1:] in _DIGITS for t in tokens]
    if not any(a and b for a, b in itertools.pairwise(numeric)):
        return None
    if any(t.startswith("%") and t[1:] not in _DIGITS for t in tokens):
        return None
    return sum(_DIGITS[t[1:]] if t.startswith("%") else len(t) for t in tokens)


def excel_serial_sql(raw: str) -> str:
    """An Excel date serial (days since 1899-12-30, the fraction the time of day) → TIMESTAMP,
    to the second; only 5-digit serials (1927-2173), so no other number is taken for one."""
    return (
        f"CASE WHEN regexp_full_match({raw}, '[1-9][0-9]{{4}}(\\.[0-9]+)?') THEN "
        f"make_timestamp(CAST(round((try_cast({raw} AS DOUBLE) - 25569) * 86400) AS BIGINT) "
        "* 1000000) END"
    )


def parse_sql(raw: str, formats: tuple[str, ...], excel_serial: bool = False) -> str:
    """The first of `formats` that parses `raw` (in order); fixed-width formats only on
    values of their width; an Excel serial last where the column declares one."""
    parts: list[str] = []
    loose: list[str] = []
    for fmt in formats:
        width = fixed_width(fmt)
        if width is None:
            loose.append(fmt)
            continue
        if loose:
            parts.append(f"try_strptime({raw}, {_formats(tuple(loose))})")
            loose = []
        one = _formats((fmt,))
        parts.append(f"CASE WHEN length({raw}) = {width} THEN try_strptime({raw}, {one}) END")
    if loose:
        parts.append(f"try_strptime({raw}, {_formats(tuple(loose))})")
    if excel_serial:
        parts.append(excel_serial_sql(raw))
    return parts[0] if len(parts) == 1 else f"coalesce({', '.join(parts)})"


def _ambiguous(raw: str, column: str, what: str, formats: tuple[str, ...], value: str) -> str:
    """A WHEN clause for a shortened value of a fixed-width format (`155` for `%H%M`)."""
    widths = [(w, f) for f in formats if (w := fixed_width(f))]
    if not widths:
        return ""
    width, fmt = widths[0]
    return (
        f"WHEN {value} IS NULL AND regexp_full_match({raw}, '[0-9]{{1,{width - 1}}}') THEN "
        f"'ambiguous {what} in {column}: ' || {shown(raw)} || ' has fewer than the {width} "
        f"digits of {fmt}, so it has more than one reading (if the publisher zero-pads it, "
        f"declare {column} = {width} in the catalog''s digits table)' "
    )


def timestamp_field(
    spec: ColumnSpec, na: tuple[str, ...] | None, required: bool, value_ref: str | None = None
) -> tuple[str, str]:
    """Date (and optional time column) → TIMESTAMP; `value_ref` names the value computed once."""
    assert spec.column
    raw = clean(spec.column, na)
    date = parse_sql(raw, spec.formats, spec.excel_serial)
    value = date
    if spec.time_column:
        traw = clean(spec.time_column, na)
        tval = parse_sql(traw, spec.time_formats)
        value = (
            f"(date_trunc('day', {value}) + "
            # time of day as an interval, whatever date a time-only parse defaults to
            # (1900-01-01 in DuckDB, 1970-01-01 in Spark)
            f"coalesce({tval} - date_trunc('day', {tval}), INTERVAL 0 SECOND))"
        )
    v = value_ref or value
    # NULL exactly when the date is (a bad time alone leaves the date at midnight)
    dv = v
    reasons = [
        f"CASE {_ambiguous(raw, spec.column, 'date', spec.formats, dv)}"
        f"WHEN {raw} IS NOT NULL AND {dv} IS NULL THEN "
        f"'unparseable date in {spec.column}: ' || {shown(raw)} END"
    ]
    if required:
        reasons.append(f"CASE WHEN {raw} IS NULL THEN 'missing date in {spec.column}' END")
    if spec.time_column:
        reasons.append(
            f"CASE {_ambiguous(traw, spec.time_column, 'time', spec.time_formats, tval)}"
            f"WHEN {traw} IS NOT NULL AND {tval} IS NULL THEN "
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


def agency_name_sql(expr: str) -> str:
    """One spelling per agency across sources: RTCI's tables write 'St Louis' where the UCR
    table writes 'St. Louis' (and 'St George' beside 'St. George'); all are stored with the
    dot, so that one agency is one name."""
    return f"regexp_replace({expr}, '\\bSt\\.? +', 'St. ', 'g')"


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


def row_reason(raw: Any, reasons: list[str]) -> str:
    """A row's one reason: the damage the reader found in its line (a NUL byte, a repeated
    header), which explains whatever else fails in it, or else its fields' reasons."""
    combined = combine_reasons(reasons)
    if getattr(raw, "read_problems", False):
        return f"coalesce({quoted(PROBLEM)}, {combined})"
    return combined
