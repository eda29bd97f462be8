"""A store that survives kills and concurrent loads (issue 17): nothing lost, nothing doubled.

Real Chicago rows (two overlapping slices of the bundled 2017 file, cut at test time) are
loaded by separate processes that are killed at every write step and at seeded random
moments, or started together; afterwards the store must equal a clean load of the same
files: the same record ids, the same counts by month and offense, the same quarantine.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from .conftest import BUNDLE

pytestmark = pytest.mark.slow

SOURCE = BUNDLE / "chicago_crimes_2017.parquet"


@pytest.fixture(scope="module")
def slices(tmp_path_factory) -> tuple[Path, Path]:
    """Rows 0-6,000 and 3,000-9,000 of the real 2017 file (3,000 rows in both)."""
    folder = tmp_path_factory.mktemp("slices")
    a, b = folder / "a.parquet", folder / "b.parquet"
    for path, lo, hi in ((a, 0, 6000), (b, 3000, 9000)):
        duckdb.sql(
            f"COPY (SELECT * EXCLUDE (n) FROM (SELECT *, row_number() OVER () - 1 AS n "
            f"FROM '{SOURCE}') WHERE n >= {lo} AND n < {hi}) TO '{path}' (FORMAT parquet)"
        )
    return a, b


def _cli(home: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "crimetrends", *args],
        env={**os.environ, "CRIMETRENDS_HOME": str(home), **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _run(home: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    p = _cli(home, *args, env=env)
    out, err = p.communicate(timeout=300)
    return p.returncode, out + err


def state(home: Path) -> dict:
    """What a reader sees: record ids, counts by month and offense, quarantine, rollups."""
    from crimetrends.store.connect import connect
    from crimetrends.store.layout import Layout

    os.environ["CRIMETRENDS_HOME"] = str(home)
    con = connect()
    inc = con.table("incidents")
    ids = inc.select("record_id").to_pandas()["record_id"]
    by_month = (
        con.table("daily")
        .group_by([con.table("daily").day.truncate("M").name("m"), "offense"])
        .aggregate(n=con.table("daily").n.sum())
        .to_pandas()
    )
    q = con.table("quarantine").count().to_pyarrow().as_py()
    manifests = Layout(home / "warehouse").manifests()
    return {
        "ids": sorted(ids),
        "unique": ids.is_unique,
        "by_month": sorted(map(tuple, by_month.astype(str).values.tolist())),
        "quarantine": q,
        "loads": sorted((m["file"], m["rows_in"], m["rows_kept"]) for m in manifests),
    }


@pytest.fixture(scope="module")
def reference(slices, tmp_path_factory) -> dict:
    home = tmp_path_factory.mktemp("clean")
    for path in slices:
        assert _run(home, "load", str(path), "--source", "chicago")[0] == 0
    return state(home)


@pytest.fixture(scope="module")
def base(slices, tmp_path_factory) -> Path:
    """A store holding slice A: the kills happen while slice B is loaded into a copy."""
    home = tmp_path_factory.mktemp("base")
    assert _run(home, "load", str(slices[0]), "--source", "chicago")[0] == 0
    return home


@pytest.fixture(scope="module")
def fault_points(base, slices, tmp_path_factory) -> list[str]:
    folder = tmp_path_factory.mktemp("faults")
    home = folder / "count"
    shutil.copytree(base, home)
    log = folder / "faults.log"
    code, out = _run(
        home,
        "load",
        str(slices[1]),
        "--source",
        "chicago",
        env={"CRIMETRENDS_FAULTS_LOG": str(log)},
    )
    assert code == 0, out
    return log.read_text().splitlines()


def test_the_reference_holds_each_row_once(reference):
    assert reference["unique"] and len(reference["ids"]) == 9000
    assert reference["quarantine"] == 0


def test_a_load_passes_every_write_step(fault_points):
    # parts, the rollup, the older load rewritten (superseded rows), then the commit
    assert fault_points[:3] == [
        "wrote the incidents part",
        "wrote the quarantine part",
        "wrote the daily part",
    ]
    assert fault_points.count("wrote the incidents part") == 2  # + slice A without B's rows
    assert fault_points[-3:] == [
        "before the version file",
        "after the version file, before CURRENT",
        "after CURRENT",
    ]


def _after_kill(base: Path, slices, tmp_path: Path, name: str, env=None, delay=None):
    home = tmp_path / name
    shutil.copytree(base, home)
    p = _cli(home, "load", str(slices[1]), "--source", "chicago", env=env)
    if delay is not None:
        time.sleep(delay)
        p.send_signal(signal.SIGKILL)
    p.communicate(timeout=300)
    return home, p.returncode


def test_killed_at_every_write_step_then_reloaded(base, slices, reference, fault_points, tmp_path):
    for k in range(1, len(fault_points) + 1):
        home, code = _after_kill(
            base, slices, tmp_path, f"k{k}", env={"CRIMETRENDS_KILL_AT": str(k)}
        )
        assert code == -signal.SIGKILL, k
        # a reader sees the store before the load, whole, until CURRENT names the new version
        committed = k == len(fault_points)
        assert state(home) == (reference if committed else state_a(base)), fault_points[k - 1]
        code, out = _run(home, "load", str(slices[1]), "--source", "chicago")
        assert code == 0, out
        assert state(home) == reference, f"killed at {fault_points[k - 1]!r}"
        assert _run(home, "verify")[0] == 0


def test_killed_at_seeded_moments_then_verified(base, slices, reference, tmp_path):
    rng = random.Random(20261201)
    start = time.monotonic()
    _, code = _after_kill(base, slices, tmp_path, "timing")
    full = time.monotonic() - start
    assert code == 0
    kills = 0
    for i in range(50 - 12):
        home, code = _after_kill(base, slices, tmp_path, f"t{i}", delay=rng.uniform(0.2, full))
        kills += code == -signal.SIGKILL
        code, out = _run(home, "verify", "--repair")
        assert code == 0, out
        before = state(home)
        assert before["unique"]
        assert before["ids"] in (reference["ids"], sorted(state_a(base)["ids"]))
        assert _run(home, "load", str(slices[1]), "--source", "chicago")[0] == 0
        assert state(home) == reference
    assert kills >= 20  # most of them landed while the load was running


_A: dict = {}


def state_a(base: Path) -> dict:
    if not _A:
        _A.update(state(base))
    return _A


def test_two_overlapping_loads_started_together(slices, reference, tmp_path):
    for i in range(10):
        home = tmp_path / f"c{i}"
        first = _cli(home, "load", str(slices[i % 2]), "--source", "chicago")
        second = _cli(home, "load", str(slices[1 - i % 2]), "--source", "chicago")
        outs = [p.communicate(timeout=300) for p in (first, second)]
        assert first.returncode == 0 and second.returncode == 0, outs
        seen = state(home)
        assert seen["unique"] and seen["ids"] == reference["ids"]
        assert seen["by_month"] == reference["by_month"]
        assert _run(home, "verify")[0] == 0
