"""The CLI starts without the heavy libraries (issue 21): `--help` and the trend path import
none of them; they load only inside the commands that use them."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

HEAVY = ("scipy", "pandas", "ibis", "duckdb", "statsmodels", "esda", "pyproj", "altair")


def _imported(code: str, env: dict[str, str] | None = None) -> set[str]:
    """Top-level packages imported by `code`, read from `-X importtime` (the interpreter's own
    record of every import, independent of our code)."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    names = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    assert "crimetrends" in names  # the record is read correctly
    return names


def test_importing_the_cli_pulls_in_no_heavy_module():
    names = _imported("import crimetrends.cli")
    assert not names & set(HEAVY), sorted(names & set(HEAVY))


def test_help_pulls_in_no_heavy_module():
    code = (
        "import sys; from crimetrends.cli import main; sys.argv = ['crimetrends', '--help']\n"
        "try:\n    main()\nexcept SystemExit as e:\n    assert e.code in (0, None)\n"
    )
    names = _imported(code)
    assert not names & set(HEAVY), sorted(names & set(HEAVY))
    # Help is plain text: Rich (and the markdown parser Typer's Rich help pulls in) load only
    # when a command draws a table or a progress bar.
    assert not names & {"rich", "markdown_it", "pygments"}, sorted(names)


@pytest.mark.slow
def test_a_trend_question_uses_duckdb_but_not_pandas_or_ibis(store):
    code = (
        "import sys; from crimetrends.cli import main\n"
        "sys.argv = ['crimetrends', 'trends', '--agency', 'Chicago', '--offense', 'violent',"
        " '--from', '2016', '--to', '2017', '-f', 'json']\n"
        "try:\n    main()\nexcept SystemExit as e:\n    assert e.code in (0, None), e.code\n"
    )
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "CRIMETRENDS_HOME": str(store)},
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = json.loads(proc.stdout)["rows"]
    assert rows and rows[0]["agency"].startswith("Chicago") and rows[0]["count"] > 0
    names = {
        line.rsplit("|", 1)[1].strip().split(".")[0]
        for line in proc.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    assert "duckdb" in names  # the rollup is read with DuckDB ...
    assert not names & {"pandas", "ibis", "statsmodels", "esda", "pyproj", "altair"}
