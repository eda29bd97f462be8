"""Type, validate and harmonize an incident file on Spark, from the SQL DuckDB runs.

The incident SQL is written once, in DuckDB's dialect (`incidents.parsed_queries`). sqlglot
(the SQL compiler Ibis uses) translates it for Spark; two DuckDB functions have no
translation there and are rewritten here: `try_strptime` (strftime formats) becomes
`try_to_timestamp` with the equivalent Java pattern, and `regexp_full_match` becomes an
anchored `rlike`. Spark writes the typed rows (with their reasons) as Parquet in the
load's work folder; the loader then stores, counts and quarantines them as for DuckDB (a
quarantined row's raw record taken from the rows DuckDB read).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import duckdb
import sqlglot
from sqlglot import exp

from crimetrends.errors import ConfigError
from crimetrends.ingest import incidents
from crimetrends.ingest.codes import CODE_MAP_COLUMNS, resolve_codes
from crimetrends.ingest.read import RAW_FILE, RawInput, file_format, sql_str
from crimetrends.ingest.variants import resolve
from crimetrends.sources.registry import SourceSpec

# strftime directive → Java DateTimeFormatter letters. Single letters parse one or two
# digits, as DuckDB's %m/%d/%H... do; two are used where numbers touch (Java cannot split
# "0930" into hour and minute otherwise). Only directives checked to parse alike are here:
# two-digit years pivot differently, month names are locale- and case-sensitive in Java.
_JAVA = {
    "Y": ("yyyy", "yyyy"),
    "m": ("M", "MM"),
    "d": ("d", "dd"),
    "H": ("H", "HH"),
    "I": ("h", "hh"),
    "M": ("m", "mm"),
    "S": ("s", "ss"),
    "p": ("a", "a"),
    "g": ("SSS", "SSS"),
    "f": ("SSSSSS", "SSSSSS"),
}
_NUMERIC = set("YmdHIMSgf")


def java_datetime_pattern(strftime: str) -> str:
    """The Spark (Java) pattern that parses what `strftime` parses in DuckDB."""
    tokens = re.findall(r"%.|[^%]+", strftime)
    out = []
    for i, tok in enumerate(tokens):
        if tok.startswith("%"):
            d = tok[1]
            if d == "%":
                out.append("%")
                continue
            if d not in _JAVA:
                raise ConfigError(
                    f"date format {strftime!r}: %{d} has no Spark equivalent here",
                    hint="use CRIMETRENDS_ENGINE=duckdb for this source, or a supported format",
                )
            around = [tokens[j] for j in (i - 1, i + 1) if 0 <= j < len(tokens)]
            fixed = any(t.startswith("%") and t[1:2] in _NUMERIC for t in around)
            out.append(_JAVA[d][1 if fixed else 0])
        else:  # literal text: letters quoted, a quote doubled
            out.append(
                re.sub(r"[A-Za-z']+", lambda m: "'" + m.group().replace("'", "''") + "'", tok)
            )
    return "".join(out)


def _rewrite(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.Anonymous):
        name = node.name.lower()
        if name == "try_strptime":  # a list of formats: the first that parses
            value, fmt = node.expressions
            formats = fmt.expressions if isinstance(fmt, exp.Array) else [fmt]
            tries = [
                exp.Anonymous(
                    this="TRY_TO_TIMESTAMP",
                    expressions=[value.copy(), exp.Literal.string(java_datetime_pattern(f.name))],
                )
                for f in formats
            ]
            return (
                tries[0] if len(tries) == 1 else exp.Coalesce(this=tries[0], expressions=tries[1:])
            )
    if isinstance(node, exp.RegexpFullMatch):
        pattern = node.expression.name
        return exp.RegexpLike(this=node.this, expression=exp.Literal.string(f"^(?:{pattern})$"))
    return node


def spark_sql(duckdb_sql: str) -> str:
    """`duckdb_sql` in Spark SQL (sqlglot, plus the two rewrites above)."""
    tree = sqlglot.parse_one(duckdb_sql, read="duckdb")
    return tree.transform(_rewrite).sql(dialect="spark")


def _raw_frame(spark: Any, con: duckdb.DuckDBPyConnection, raw: RawInput, path: Path, work: Path):
    """RAW on Spark: every column as text plus `__row`, the row number DuckDB gives it.

    A Parquet file of text columns is read by Spark itself (in parallel; row numbers from
    the file) as RAW_FILE, and RAW is the same view DuckDB made over it (the source's names,
    restored digits), translated. A CSV (DuckDB's reader keeps broken rows for quarantine)
    or a Parquet with typed columns (rendered as text one way, DuckDB's) is handed over as
    Parquet of RAW.
    """
    from pyspark.sql import functions as F

    if file_format(path) == "parquet" and not raw.types and not raw.read_problems:
        frame = spark.read.parquet(str(path))
        names = dict(zip(raw.header, raw.storage, strict=True))
        cols = [F.col(f"`{c}`").cast("string").alias(names[c]) for c in frame.columns]
        frame = frame.select((F.col("_metadata.row_index") + 1).alias("__row"), *cols)
        frame.createOrReplaceTempView(RAW_FILE)
        return spark.sql(spark_sql(raw.view_sql))
    handover = work / "raw.parquet"
    con.execute(f"COPY {raw.table} TO {sql_str(str(handover))} (FORMAT parquet)")
    return spark.read.parquet(str(handover))


def build_parsed_on_spark(
    con: duckdb.DuckDBPyConnection, raw: RawInput, spec: SourceSpec, path: Path, work: Path
) -> None:
    """Run the incident SQL on Spark; PARSED (on `con`) then reads the rows Spark wrote."""
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    from crimetrends.store.spark import session

    spark = session()
    spec = resolve(con, raw, spec, path)
    q = incidents.parsed_queries(raw, spec, path)
    work.mkdir(parents=True, exist_ok=True)
    _raw_frame(spark, con, raw, path, work).createOrReplaceTempView(raw.table)
    codes = [r[0] for r in spark.sql(spark_sql(q.codes)).collect()]
    rows = resolve_codes(spec, codes)
    schema = ", ".join(f"{c} STRING" for c in CODE_MAP_COLUMNS)
    # both small: broadcast, so the typed rows are never shuffled and sorted to be joined
    F.broadcast(spark.createDataFrame(rows, schema)).createOrReplaceTempView("code_map")
    F.broadcast(spark.sql(spark_sql(q.duplicates))).createOrReplaceTempView(incidents.DUPS)
    typed = spark.sql(spark_sql(q.typed))
    # local timestamps stay local (DuckDB TIMESTAMP = Spark TIMESTAMP_NTZ)
    typed = typed.select(
        *[
            typed[f.name].cast("timestamp_ntz").alias(f.name)
            if isinstance(f.dataType, T.TimestampType)
            else typed[f.name]
            for f in typed.schema.fields
        ]
    )
    out = work / "parsed_spark"
    typed.write.mode("overwrite").parquet(str(out))
    incidents.use_parsed_files(con, sql_str(str(out / "*.parquet")))
