"""The loader against a hand-written DuckDB script doing the SAME work (issue 21).

The baseline is written by hand for the Chicago source, one statement per step, with no
crimetrends code on its path: the file's digit-restored columns (`0110` from `110`, `25`
from `25.0`), every field typed with the loader's reason texts, duplicate ids, the
crosswalk's exact-then-wildcard match, the kept rows and the quarantine (each quarantined
row's raw record as JSON) written as zstd Parquet, and the daily rollup. Its outputs are
checked row for row against `load_file`'s stored parts with EXCEPT ALL in both directions,
so "faster" can only mean the same rows, sooner.

Inputs are SYNTHETIC (bench/generate.py resamples real Chicago rows); `--faults` also
makes a fault-injected copy of the first size (seeded: bad dates, blank ids, repeated ids,
malformed codes, text in coordinates, out-of-range values, shortened codes) so the
equality check covers every reason, not only clean rows.

    python bench/same_work.py 1000000 10000000 --faults --repeat 3

Each run is its own process (peak RSS and CPU are its own); runs are interleaved
(baseline, loader, baseline, ...) so both see the same machine load; medians reported.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCALE_DIR = Path(os.environ.get("CRIMETRENDS_SCALE_DIR", "/tmp/crimetrends-scale"))
CROSSWALK = ROOT / "src" / "crimetrends" / "taxonomy" / "data" / "crosswalks" / "chicago.csv"
GROUPS = {  # offense → group, as in taxonomy/data/offenses (the baseline does not import it)
    "murder": "violent",
    "rape": "violent",
    "robbery": "violent",
    "aggravated_assault": "violent",
    "burglary": "property",
    "larceny": "property",
    "motor_vehicle_theft": "property",
    "arson": "part1_other",
    "non_criminal": "none",
}
COLUMNS = (
    "ID",
    "Date",
    "Block",
    "IUCR",
    "Primary Type",
    "Description",
    "Arrest",
    "Domestic",
    "Beat",
    "District",
    "Ward",
    "Community Area",
    "FBI Code",
    "Latitude",
    "Longitude",
)


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _cpu_s() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


# --- the hand-written script -------------------------------------------------------------


def _restore(col: str, width: int) -> str:
    c = f'"{col}"'
    if width == 0:
        return (
            f"CASE WHEN contains({c}, '.') AND regexp_full_match({c}, '[0-9]+\\.0+') "
            f"THEN split_part({c}, '.', 1) ELSE {c} END"
        )
    return (
        f"CASE WHEN length({c}) < {width} AND regexp_full_match({c}, '[0-9]+') "
        f"THEN lpad({c}, {width}, '0') "
        f"WHEN contains({c}, '.') AND regexp_full_match({c}, '[0-9]{{1,{width}}}\\.0+') "
        f"THEN lpad(split_part({c}, '.', 1), {width}, '0') ELSE {c} END"
    )


def _clean(col: str) -> str:
    c = f'"{col}"'
    t = f"(CASE WHEN starts_with({c}, ' ') OR ends_with({c}, ' ') THEN trim({c}) ELSE {c} END)"
    return f"nullif({t}, '')"


def _bool(col: str) -> str:
    return (
        f"CASE lower({col}) WHEN 'true' THEN true WHEN 't' THEN true WHEN 'y' THEN true "
        "WHEN 'yes' THEN true WHEN '1' THEN true WHEN 'false' THEN false WHEN 'f' THEN false "
        "WHEN 'n' THEN false WHEN 'no' THEN false WHEN '0' THEN false END"
    )


def baseline(path: Path, out: Path, load_id: str) -> dict:
    """Load `path` by hand into kept/quarantine/daily Parquet files under `out`."""
    import duckdb

    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute("SET memory_limit = '1GB'")
    con.execute(f"SET temp_directory = '{out / 'spill'}'")
    digits = {"ID": 0, "IUCR": 4, "FBI Code": 2, "Beat": 4, "District": 3, "Community Area": 0}
    restored = ", ".join(
        f'{_restore(c, digits[c])} AS "{c}"' if c in digits else f'"{c}"' for c in COLUMNS
    )
    con.execute(
        f"CREATE VIEW raw AS SELECT file_row_number + 1 AS __row, {restored} "
        f"FROM read_parquet('{path}', file_row_number = true)"
    )
    # the crosswalk: exact codes first, else the row with fewest '*' parts
    groups = " UNION ALL ".join(f"SELECT '{k}' AS offense, '{v}' AS grp" for k, v in GROUPS.items())
    con.execute(
        f"""CREATE TABLE code_map AS
        WITH codes AS (SELECT DISTINCT concat_ws('|', coalesce({_clean("IUCR")}, ''),
                         coalesce({_clean("FBI Code")}, '')) AS code FROM raw),
        cw AS (SELECT split_part(code, '|', 1) AS a, split_part(code, '|', 2) AS b, offense,
                      (a = '*')::INT + (b = '*')::INT AS wild
               FROM read_csv('{CROSSWALK}', header = true, all_varchar = true)),
        matched AS (SELECT c.code, cw.offense, cw.wild, row_number() OVER (
                        PARTITION BY c.code ORDER BY cw.wild) AS k
                    FROM codes c JOIN cw ON (cw.a = '*' OR cw.a = split_part(c.code, '|', 1))
                      AND (cw.b = '*' OR cw.b = split_part(c.code, '|', 2))
                      AND length(c.code) - length(replace(c.code, '|', '')) = 1)
        SELECT c.code AS source_code, m.offense,
               CASE WHEN m.offense IS NULL THEN NULL ELSE coalesce(g.grp, 'other') END
                 AS offense_group,
               CASE WHEN m.offense IS NULL THEN 'unmapped' WHEN m.wild = 0 THEN 'exact'
                    ELSE 'fallback' END AS match
        FROM codes c LEFT JOIN (SELECT * FROM matched WHERE k = 1) m ON m.code = c.code
        LEFT JOIN ({groups}) g ON g.offense = m.offense"""
    )
    con.execute(
        f"""CREATE TABLE dups AS
        WITH ids AS (SELECT __row, {_clean("ID")} AS id FROM raw)
        SELECT id, min(__row) AS first_row FROM ids WHERE id IS NOT NULL
        GROUP BY id HAVING count(*) > 1"""
    )
    fmts = "['%m/%d/%Y %I:%M:%S %p', '%Y-%m-%dT%H:%M:%S.%g', '%Y-%m-%dT%H:%M:%S']"
    show = "left(coalesce({}, ''), 60)"
    con.execute(
        f"""CREATE TABLE typed AS
        WITH c AS (SELECT __row, {_clean("ID")} AS id, {_clean("Date")} AS date_,
                     {_clean("IUCR")} AS iucr, {_clean("FBI Code")} AS fbi,
                     {_clean("Latitude")} AS lat_, {_clean("Longitude")} AS lon_,
                     {_clean("Arrest")} AS arrest_, {_clean("Domestic")} AS domestic_,
                     {_clean("District")} AS district, {_clean("Beat")} AS beat,
                     {_clean("Community Area")} AS community, {_clean("Block")} AS block
                   FROM raw),
        v AS (SELECT *, try_strptime(date_, {fmts}) AS occurred_at,
                     try_cast(replace(lat_, ',', '') AS DOUBLE) AS latitude,
                     try_cast(replace(lon_, ',', '') AS DOUBLE) AS longitude,
                     {_bool("arrest_")} AS arrest, {_bool("domestic_")} AS domestic
              FROM c)
        SELECT v.__row, v.id AS record_id, v.occurred_at,
               concat_ws('|', coalesce(iucr, ''), coalesce(fbi, '')) AS source_code,
               district, beat, community, block, latitude, longitude, arrest, domestic,
               nullif(concat_ws('; ',
                 CASE WHEN v.id IS NULL THEN 'missing record id in ID' END,
                 CASE WHEN date_ IS NOT NULL AND occurred_at IS NULL
                      THEN 'unparseable date in Date: ' || {show.format("date_")} END,
                 CASE WHEN date_ IS NULL THEN 'missing date in Date' END,
                 CASE WHEN occurred_at < TIMESTAMP '1900-01-01'
                        OR occurred_at > current_date + INTERVAL 1 DAY
                      THEN 'date out of range in Date: ' || {show.format("date_")} END,
                 CASE WHEN iucr IS NULL THEN 'missing offense code in IUCR' END,
                 CASE WHEN NOT regexp_full_match(iucr, '^[0-9]{{3}}[0-9A-Z]$')
                      THEN 'malformed offense code in IUCR: ' || iucr END,
                 CASE WHEN NOT regexp_full_match(fbi, '^[0-9]{{2}}[A-Z]?$')
                      THEN 'malformed offense code in FBI Code: ' || fbi END,
                 CASE WHEN lat_ IS NOT NULL AND latitude IS NULL
                      THEN 'wrong type in Latitude (expected a number): ' || {show.format("lat_")}
                      WHEN latitude NOT BETWEEN -90 AND 90
                      THEN 'out of range in Latitude: ' || {show.format("lat_")} END,
                 CASE WHEN lon_ IS NOT NULL AND longitude IS NULL
                      THEN 'wrong type in Longitude (expected a number): '
                           || {show.format("lon_")}
                      WHEN longitude NOT BETWEEN -180 AND 180
                      THEN 'out of range in Longitude: ' || {show.format("lon_")} END,
                 CASE WHEN arrest_ IS NOT NULL AND arrest IS NULL
                      THEN 'wrong type in Arrest (expected true/false): '
                           || {show.format("lower(arrest_)")} END,
                 CASE WHEN domestic_ IS NOT NULL AND domestic IS NULL
                      THEN 'wrong type in Domestic (expected true/false): '
                           || {show.format("lower(domestic_)")} END,
                 CASE WHEN v.__row > d.first_row THEN 'duplicate record id ' || v.id
                      || ' (first at row ' || d.first_row || ')' END), '') AS reason
        FROM v LEFT JOIN dups d ON d.id = v.id"""
    )
    kept = out / "kept.parquet"
    con.execute(
        f"""COPY (SELECT 'chicago' AS source, 'Chicago, Illinois' AS agency, t.record_id,
                  t.occurred_at, NULL::TIMESTAMP AS reported_at, t.source_code, m.offense,
                  m.offense_group, m.match AS crosswalk_match, t.district, t.beat,
                  t.community, t.block, t.latitude, t.longitude, t.arrest, t.domestic,
                  '{load_id}' AS load_id
                FROM typed t LEFT JOIN code_map m ON m.source_code = t.source_code
                WHERE t.reason IS NULL)
            TO '{kept}' (FORMAT parquet, COMPRESSION zstd)"""
    )
    record = "{" + ", ".join(f"'{c}': r.\"{c}\"" for c in ("__row", *COLUMNS)) + "}"
    con.execute(
        f"""COPY (SELECT 'chicago' AS source, '{load_id}' AS load_id, t.__row AS row_number,
                  t.reason, CAST(to_json({record}) AS VARCHAR) AS record
                FROM typed t JOIN raw r ON r.__row = t.__row WHERE t.reason IS NOT NULL
                ORDER BY row_number)
            TO '{out / "quarantine.parquet"}' (FORMAT parquet, COMPRESSION zstd)"""
    )
    con.execute(
        f"""COPY (SELECT source, agency, CAST(occurred_at AS DATE) AS day, offense,
                  offense_group, count(*) AS n, max(occurred_at) AS last_at,
                  any_value(load_id) AS load_id
                FROM read_parquet('{kept}') GROUP BY ALL ORDER BY day)
            TO '{out / "daily.parquet"}' (FORMAT parquet, COMPRESSION zstd)"""
    )
    ((n_kept, n_q),) = con.execute(
        f"SELECT (SELECT count(*) FROM read_parquet('{kept}')), "
        f"(SELECT count(*) FROM read_parquet('{out / 'quarantine.parquet'}'))"
    ).fetchall()
    return {"kept": n_kept, "quarantined": n_q}


# --- the loader ----------------------------------------------------------------------------


def loader(path: Path, home: Path) -> dict:
    os.environ["CRIMETRENDS_HOME"] = str(home)
    from crimetrends.ingest.load import load_file

    m = load_file(path, "chicago")
    return {"kept": m["rows_kept"], "quarantined": m["rows_quarantined"], "load_id": m["load_id"]}


def stored_parts(home: Path) -> dict[str, Path]:
    """The loader's kept, quarantine and daily part files (from the store's current version)."""
    os.environ["CRIMETRENDS_HOME"] = str(home)
    from crimetrends.settings import get_settings
    from crimetrends.store.connect import layout

    lay = layout(get_settings())
    return {t: Path(lay.parts(t)[0]) for t in ("incidents", "quarantine", "daily")}


def equal_rows(mine: dict[str, Path], theirs: Path) -> dict[str, list[int]]:
    """Rows in one output but not the other, per table, both directions (EXCEPT ALL)."""
    import duckdb

    con = duckdb.connect()
    out = {}
    for table, name in (("incidents", "kept"), ("quarantine", "quarantine"), ("daily", "daily")):
        a, b = f"read_parquet('{mine[table]}')", f"read_parquet('{theirs / name}.parquet')"
        cols = ", ".join(f'"{r[0]}"' for r in con.execute(f"DESCRIBE SELECT * FROM {b}").fetchall())
        diffs = []
        for x, y in ((a, b), (b, a)):
            (n,) = con.execute(
                f"SELECT count(*) FROM (SELECT {cols} FROM {x} EXCEPT ALL SELECT {cols} FROM {y})"
            ).fetchone()
            diffs.append(int(n))
        out[table] = diffs
    return out


# --- inputs ---------------------------------------------------------------------------------


def with_faults(clean: Path, seed: int = 20261201, share: float = 0.01) -> Path:
    """A copy of `clean` with one fault in `share` of its rows (SYNTHETIC, seeded)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = clean.with_name(clean.stem + "_faults.parquet")
    if out.exists():
        return out
    t = pq.read_table(clean)
    rng = np.random.default_rng(seed)
    n = t.num_rows
    hit = rng.choice(n, int(n * share), replace=False)
    faults = [
        ("ID", ""),
        ("ID", "repeat"),
        ("Date", "13/45/2017 09:00:00 PM"),
        ("Date", ""),
        ("Date", "01/01/1850 01:00:00 AM"),
        ("Date", " 2017-03-04T05:06:07 "),
        ("IUCR", "XX"),
        ("IUCR", "110"),
        ("FBI Code", "9"),
        ("FBI Code", "6.0"),
        ("Latitude", "abc"),
        ("Latitude", "95"),
        ("Longitude", "-1,087.5"),
        ("Arrest", "maybe"),
        ("Domestic", "YES"),
        ("Community Area", "25.0"),
    ]
    cols = {name: t.column(name).to_pylist() for name in {f[0] for f in faults}}
    for i, row in enumerate(hit):
        col, value = faults[i % len(faults)]
        if value == "repeat":
            value = cols["ID"][int(rng.integers(0, n))]
        cols[col][int(row)] = value
    for name, values in cols.items():
        t = t.set_column(t.schema.get_field_index(name), name, pa.array(values, pa.string()))
    meta = {b"crimetrends": b"SYNTHETIC: resampled real Chicago rows with injected faults"}
    pq.write_table(t.replace_schema_metadata(meta), out, row_group_size=1_000_000)
    return out


# --- runs -------------------------------------------------------------------------------------


def child(which: str, path: Path, work: Path) -> None:
    t0 = time.perf_counter()
    load_id = sys.argv[-1]
    out = loader(path, work) if which == "loader" else baseline(path, work / "out", load_id)
    out.update(wall_s=time.perf_counter() - t0, cpu_s=_cpu_s(), peak_rss_mb=_peak_mb())
    print(json.dumps(out))


def _run(which: str, path: Path, work: Path, load_id: str = "") -> dict:
    r = subprocess.run(
        [sys.executable, __file__, "--child", which, str(path), str(work), load_id],
        capture_output=True,
        text=True,
        check=False,
    )
    last = r.stdout.strip().splitlines()[-1] if r.stdout.strip() else ""
    if not last.startswith("{"):
        raise SystemExit(f"{which} failed on {path.name}:\n{r.stderr[-2000:]}")
    return json.loads(last)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sizes", nargs="+", type=int)
    ap.add_argument("--faults", action="store_true")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "bench"))
    from generate import generate

    inputs = []
    for n in args.sizes:
        p = SCALE_DIR / f"synthetic_chicago_{n}.parquet"
        inputs.append(p if p.exists() else generate(n, SCALE_DIR))
    if args.faults:
        inputs.insert(0, with_faults(inputs[0]))
    for path in inputs:
        report(path, measure(path, args.repeat))


def measure(path: Path, repeat: int) -> dict:
    """`repeat` interleaved pairs (who goes first alternates); the first pair's outputs are
    compared row for row."""
    import hashlib

    load_id = hashlib.sha256(path.read_bytes()).hexdigest()[:16]  # the loader's id for it
    runs: dict[str, list[dict]] = {"baseline": [], "loader": []}
    check: dict | None = None
    for i in range(repeat):
        home = Path(tempfile.mkdtemp(prefix="ct-same-"))
        try:
            for which in ("loader", "baseline") if i % 2 == 0 else ("baseline", "loader"):
                work = home / "home" if which == "loader" else home
                runs[which].append(_run(which, path, work, load_id))
            if check is None:
                check = equal_rows(stored_parts(home / "home"), home / "out")
        finally:
            shutil.rmtree(home, ignore_errors=True)
    return {"runs": runs, "check": check}


def report(path: Path, res: dict) -> None:
    med = {
        w: {k: statistics.median(r[k] for r in rs) for k in ("wall_s", "cpu_s", "peak_rss_mb")}
        for w, rs in res["runs"].items()
    }
    b, m = med["baseline"], med["loader"]
    counts = res["runs"]["loader"][0]
    print(f"\n{path.name}: kept {counts['kept']:,}, quarantined {counts['quarantined']:,}")
    print(f"  row-for-row (loader-not-hand, hand-not-loader) per table: {res['check']}")
    for w in ("baseline", "loader"):
        walls = ", ".join(f"{r['wall_s']:.1f}" for r in res["runs"][w])
        print(
            f"  {w:8s} wall {med[w]['wall_s']:6.2f} s  cpu {med[w]['cpu_s']:6.2f} s  "
            f"peak RSS {med[w]['peak_rss_mb']:6.0f} MB   (walls: {walls})"
        )
    print(
        f"  loader speed vs hand-written: wall {b['wall_s'] / m['wall_s']:.2f}x, "
        f"cpu {b['cpu_s'] / m['cpu_s']:.2f}x"
    )
    print(json.dumps({"file": path.name, **med}))


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        which, p, w = sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4])
        child(which, p, w)
    else:
        main()
