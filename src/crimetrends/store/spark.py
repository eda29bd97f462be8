"""The Spark engine: a local (or remote) SparkSession whose temp views are the store's tables.

Nothing starts at import. `CRIMETRENDS_SPARK_MASTER` (default `local[2]`) or `SPARK_REMOTE`
(Spark Connect, e.g. `sc://host:15002`) choose the cluster; loopback is forced for local mode
so tests never open a public port.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from crimetrends.errors import ConfigError
from crimetrends.store.engines import Engine
from crimetrends.store.layout import SCHEMAS, TABLES, Layout

SPARK_TYPES = {
    "VARCHAR": "STRING",
    "TIMESTAMP": "TIMESTAMP",
    "DOUBLE": "DOUBLE",
    "BOOLEAN": "BOOLEAN",
    "DATE": "DATE",
    "BIGINT": "BIGINT",
    "INTEGER": "INT",
}


@lru_cache(maxsize=1)
def session() -> Any:
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise ConfigError(
            "the spark engine needs pyspark",
            hint="pip install 'crimetrends[spark]' (Java 17+), or CRIMETRENDS_ENGINE=duckdb",
        ) from None
    from crimetrends.settings import loopback_spark, spark_master, spark_remote

    remote = spark_remote()
    builder = SparkSession.builder.appName("crimetrends")
    if remote:
        builder = builder.remote(remote)
    else:
        loopback_spark()
        builder = (
            builder.master(spark_master())
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "4")
            # the validation SQL compiles to long methods; HotSpot skips JIT-compiling methods
            # over 8,000 bytecodes by default and left them interpreted (1M-row typed pass:
            # 42 s without this flag, 25 s with it)
            .config("spark.driver.extraJavaOptions", "-XX:-DontCompileHugeMethods")
        )
    spark = builder.config("spark.sql.session.timeZone", "UTC").getOrCreate()
    if not remote:  # a Spark Connect session has no SparkContext to reach
        spark.sparkContext.setLogLevel("ERROR")
    return spark


def register_views(spark: Any, lay: Layout) -> None:
    """Each stored table as a temp view over its Parquet parts (empty, typed if none)."""
    for table in TABLES:
        parts = [str(p) for p in lay.parts(table)]
        if parts:
            frame = spark.read.option("mergeSchema", "true").parquet(*parts)
        else:
            ddl = ", ".join(f"{c} {SPARK_TYPES[t]}" for c, t in SCHEMAS[table].items())
            frame = spark.createDataFrame([], ddl)
        frame.createOrReplaceTempView(table)


class SparkEngine(Engine):
    name = "spark"

    def connect(self, lay: Layout) -> Any:
        import ibis

        spark = session()
        register_views(spark, lay)
        return ibis.pyspark.connect(spark)

    def rows(self, lay: Layout, sql: str) -> tuple[list[str], list[tuple]]:
        from crimetrends.ingest.on_spark import spark_sql

        spark = session()
        register_views(spark, lay)
        frame = spark.sql(spark_sql(sql))
        return list(frame.columns), [tuple(r) for r in frame.collect()]

    def type_incidents(self, con, raw, spec, path, work) -> None:
        from crimetrends.ingest.on_spark import build_parsed_on_spark

        build_parsed_on_spark(con, raw, spec, path, work)
