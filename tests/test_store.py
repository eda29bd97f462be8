"""Loading is idempotent and keyed: same file twice changes nothing; newer rows replace older."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io

import duckdb

from crimetrends.ingest.load import load_file
from crimetrends.settings import get_settings
from crimetrends.store.connect import connect, layout

from .conftest import FIXTURES


def store_digest() -> dict[str, str]:
    root = get_settings().warehouse
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_loading_the_same_file_twice_changes_nothing(empty_home):
    path = FIXTURES / "chicago_crimes_2024_sample.csv.gz"
    first = load_file(path, "chicago")
    before = store_digest()
    second = load_file(path, "chicago")
    assert first["status"] == "loaded"
    assert second["status"] == "unchanged"
    assert store_digest() == before
    t = connect().table("incidents")
    assert t.count().to_pyarrow().as_py() == first["rows_kept"] == 10_000


def test_rows_of_a_newer_file_replace_the_same_keys(empty_home, tmp_path):
    with gzip.open(FIXTURES / "chicago_crimes_2024_sample.csv.gz", "rt", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
        header = list(reader.fieldnames or [])

    def write(name, subset):
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=header, lineterminator="\n")
        w.writeheader()
        w.writerows(subset)
        (tmp_path / name).write_text(buf.getvalue())
        return tmp_path / name

    a = write("a.csv", rows[:600])
    revised = [dict(r) for r in rows[400:1000]]
    revised[0]["IUCR"], revised[0]["FBI Code"] = "0110", "01A"  # a reclassification
    b = write("b.csv", revised)
    load_file(a, "chicago")
    m = load_file(b, "chicago")
    assert m["rows_superseded_in_older_loads"] == 200
    t = connect().table("incidents")
    assert t.count().to_pyarrow().as_py() == 1000
    assert t.record_id.nunique().to_pyarrow().as_py() == 1000
    row = t.filter(t.record_id == revised[0]["ID"]).select("offense").to_pandas()
    assert row["offense"].tolist() == ["murder"]
    assert daily_matches_records()


def daily_matches_records() -> bool:
    """The daily rollup equals counting the stored records per source, agency, day, offense."""
    con = connect()
    query = (
        "SELECT source, agency, {day} AS day, coalesce(offense, '-') AS offense, {n} AS n, "
        "{last} AS last_at FROM {table} GROUP BY ALL ORDER BY ALL"
    )
    raw = con.raw_sql(
        query.format(
            day="CAST(occurred_at AS DATE)",
            n="count(*)",
            last="max(occurred_at)",
            table="incidents",
        )
    ).fetchall()
    daily = con.raw_sql(
        query.format(day="day", n="sum(n)", last="max(last_at)", table="daily")
    ).fetchall()
    return len(raw) > 100 and raw == daily


def test_daily_rollup_equals_the_records_on_real_rows(empty_home):
    load_file(FIXTURES / "chicago_crimes_2024_sample.csv.gz", "chicago")
    assert daily_matches_records()


def test_parts_are_parquet_named_by_file_hash_and_listed_by_a_version(empty_home):
    path = FIXTURES / "chicago_crimes_2024_sample.csv.gz"
    m = load_file(path, "chicago")
    lay = layout(get_settings())
    part = lay.part("incidents", "chicago", m["load_id"])
    load_id, _tx, suffix = part.name.split(".")
    assert load_id == hashlib.sha256(path.read_bytes()).hexdigest()[:16] and suffix == "parquet"
    (n,) = duckdb.sql(f"SELECT count(*) FROM read_parquet('{part}')").fetchone()
    assert n == 10_000
    held = lay.version().parts["incidents"][f"chicago/{m['load_id']}"]
    assert held == {"file": str(part.relative_to(lay.root)), "rows": 10_000}
    assert lay.version_number() == 1 and (lay.root / "CURRENT").read_text().strip() == "1"
