"""A second process for the heaviest part of the public tables: every agency's trend rows.

Each offense's trend rows are independent of the others' and, after a load, they are most
of the public tables' time (8.9 s of 12.6 s on the demo store, on one core). On a machine
with two cores a helper process opens its own handle on the same store and computes the
rows of some offenses while this process computes the rest and the other tables.

The helper is a fresh interpreter (`python -m crimetrends.publish.helper`), never a fork: a
forked copy of a process whose DuckDB threads hold locks can deadlock, and multiprocessing's
spawn would re-run the caller's main script. It writes its rows to a file in a private
folder and exits. Where it read another store version than this process (a load committed
meanwhile) its rows are dropped and computed here instead, so the tables describe one
version. A failure in the helper fails the build with the helper's own message; only a
machine that cannot start a process at all falls back to one process.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

# Below this many evidence rows (counts and year-to-date tables) starting a process costs
# more than it saves: the demo store has 419,429; the tests' stores a few thousand.
MIN_EVIDENCE_ROWS = 50_000
EVIDENCE_TABLES = ("counts", "ytd")


class TrendHelper:
    """Trend rows of `offenses` computed in another process (see the module's docstring)."""

    def __init__(self, proc: subprocess.Popen, work: Path, version: int, offenses: tuple[str, ...]):
        self._proc, self._work = proc, work
        self.version, self.offenses = version, offenses

    @classmethod
    def start(
        cls,
        con: Any,
        samples: frozenset[str],
        offenses: tuple[str, ...],
        series: bool = False,
        force: bool = False,
    ) -> TrendHelper | None:
        """A running helper, or None where one would not pay (one core, few evidence rows,
        an engine whose readers cannot share the store) or cannot start. `series`: the
        helper also computes the site's store series of those offenses (`site.series`),
        handed to `con` as remembered values. `force`: start one whatever the store's size
        (for tests that compare it with one process)."""
        engine, lay = getattr(con, "engine", None), getattr(con, "lay", None)
        if not offenses or engine is None or lay is None:
            return None
        if not getattr(engine, "parallel_readers", False) or (os.cpu_count() or 1) < 2:
            return None
        version = lay.version()
        rows = sum(p["rows"] for t in EVIDENCE_TABLES for p in version.parts.get(t, {}).values())
        if rows < MIN_EVIDENCE_ROWS and not force:
            return None
        work = Path(tempfile.mkdtemp(prefix="crimetrends-helper-"))
        job = {
            "engine": engine.name,
            "root": str(lay.root),
            "version": version.number,
            "samples": sorted(samples),
            "offenses": list(offenses),
            "series": series,
            "out": str(work / "rows.pickle"),
        }
        (work / "job.json").write_text(json.dumps(job), encoding="utf-8")
        env = dict(os.environ)  # the same code as this process, whatever its path
        package_root = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
        try:
            with open(work / "stderr.txt", "wb") as err:
                proc = subprocess.Popen(
                    [sys.executable, "-m", "crimetrends.publish.helper", str(work / "job.json")],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=err,
                    env=env,
                )
        except OSError:  # no process can be started here
            shutil.rmtree(work, ignore_errors=True)
            return None
        return cls(proc, work, version.number, offenses)

    def rows(self, con: Any, samples: frozenset[str]) -> list[dict[str, Any]]:
        """The helper's rows; computed here when it read another version of the store. Its
        series, when asked for, are remembered by `con` (a batch handle)."""
        from crimetrends.errors import CrimetrendsError
        from crimetrends.publish.tables import trend_records

        try:
            code = self._proc.wait()
            if code != 0:
                tail = (self._work / "stderr.txt").read_text(errors="replace").strip()
                raise CrimetrendsError(
                    f"the helper computing trend rows of {', '.join(self.offenses)} failed "
                    f"(exit code {code}): {tail.splitlines()[-1] if tail else 'no message'}"
                )
            with open(self._work / "rows.pickle", "rb") as f:
                version, rows, series = pickle.load(f)
        finally:
            self.stop()
        if version != self.version:
            return trend_records(con, samples, self.offenses)
        if series and getattr(con, "batch", False):
            from crimetrends.publish.site.series import series_key

            for offense, frames in series.items():
                con.remember(series_key(offense, samples), frames)
        return rows

    def stop(self) -> None:
        """End the helper if it still runs (this process failed first) and remove its
        folder; safe to call twice."""
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        shutil.rmtree(self._work, ignore_errors=True)


def _run(job_file: str) -> None:
    """In the helper: the rows (and series) of the job's offenses, with the store version
    they read."""
    from crimetrends.publish.tables import trend_records
    from crimetrends.store.connect import Store
    from crimetrends.store.engines import get_engine
    from crimetrends.store.layout import Layout

    job = json.loads(Path(job_file).read_text(encoding="utf-8"))
    lay = Layout(Path(job["root"]))
    rows: list[dict[str, Any]] = []
    series: dict[str, list] = {}
    if lay.version_number() == job["version"]:
        con = Store(get_engine(job["engine"]), lay, batch=True)
        samples = frozenset(job["samples"])
        rows = trend_records(con, samples, tuple(job["offenses"]))
        if job["series"]:
            from crimetrends.publish.site.series import store_series

            series = {o: store_series(con, o, samples) for o in job["offenses"]}
    with open(job["out"], "wb") as f:
        out = (lay.version_number(), rows, series)
        pickle.dump(out, f, protocol=pickle.HIGHEST_PROTOCOL)


if __name__ == "__main__":
    _run(sys.argv[1])
