"""How long a person waits for the CLI: `--help`, a cold trend question and a one-claim check,
each in a fresh process, beside `python -c pass` and datasette's `--help` (another Python
CLI of this field) measured in the same run, interleaved, medians of five.

Needs a loaded store (`make demo`) and datasette (pip extra `bench`). Usage:

    CRIMETRENDS_HOME=.crimetrends-home .venv/bin/python bench/cli_startup.py
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 5
BIN = Path(sys.executable).parent


def commands(article: Path) -> dict[str, list[str]]:
    ct = str(BIN / "crimetrends")
    return {
        "python -c pass": [sys.executable, "-c", "pass"],
        "datasette --help": [str(BIN / "datasette"), "--help"],
        "crimetrends --help": [ct, "--help"],
        "crimetrends trends -a Chicago (cold)": [ct, "trends", "-a", "Chicago", "-f", "json"],
        "crimetrends check (one claim, cold)": [ct, "check", str(article), "-f", "json"],
    }


CLAIM = "Violent crime fell 21% in Chicago in 2025 compared with 2024.\n"


# A user's Python caches compiled modules (pip compiles an installed package's; an editable
# install's are written on first import). This sandbox sets PYTHONDONTWRITEBYTECODE=1, which
# made every run recompile crimetrends' own ~50 modules (0.17 s) while datasette, installed
# from a wheel, ran from its cache; the children run without it so both start the same way.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_once(argv: list[str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=120, env=ENV)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{argv} exited {proc.returncode}: {proc.stderr[-500:]}")
    return elapsed


def main() -> None:
    article = Path(tempfile.mkdtemp(prefix="ct-cli-")) / "claim.txt"
    article.write_text(CLAIM, encoding="utf-8")
    cmds = commands(article)
    for argv in cmds.values():  # warm the OS file cache, bytecode and claim snapshot
        run_once(argv)
    times: dict[str, list[float]] = {name: [] for name in cmds}
    for _ in range(RUNS):
        for name, argv in cmds.items():
            times[name].append(run_once(argv))
    load = os.getloadavg()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, python "
        f"{platform.python_version()}; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    base = statistics.median(times["datasette --help"])
    print("| command | median s | min s | max s | ratio to datasette --help |")
    print("|---|---:|---:|---:|---:|")
    for name, ts in times.items():
        m = statistics.median(ts)
        print(f"| `{name}` | {m:.3f} | {min(ts):.3f} | {max(ts):.3f} | {m / base:.2f} |")


if __name__ == "__main__":
    main()
