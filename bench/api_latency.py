"""API latency under a bounded loopback load: crimetrends' API beside datasette.

Both serve the same aggregate table (the public `trends` table) on 127.0.0.1; wrk drives
each for a fixed time with a fixed number of connections, and we report p50/p99 and
requests/s side by side. Needs `wrk` (Debian package) and `datasette` (pip extra
`bench`), and a loaded store (`make demo`). Usage:

    CRIMETRENDS_HOME=.crimetrends-home .venv/bin/python bench/api_latency.py
"""

from __future__ import annotations

import os
import platform
import re
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DURATION_S = 10
CONNECTIONS = 8
THREADS = 1


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url_port: int, timeout: float = 60.0) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", url_port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server on port {url_port} did not start")


def to_ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[unit]


def run_wrk(url: str) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{DURATION_S}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
        timeout=DURATION_S + 30,
    ).stdout
    p50 = to_ms(re.search(r"50%\s+(\S+)", out).group(1))
    p99 = to_ms(re.search(r"99%\s+(\S+)", out).group(1))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "p50_ms": p50,
        "p99_ms": p99,
        "rps": rps,
        "errors": int(non2xx.group(1)) if non2xx else 0,
    }


def main() -> None:
    from crimetrends.publish.public import public_tables

    tables, _ = public_tables()
    trends = tables["trends"]
    workdir = Path(tempfile.mkdtemp(prefix="ct-bench-"))
    db = workdir / "public.db"
    with sqlite3.connect(db) as con:
        trends.astype(object).where(trends.notna(), None).to_sql("trends", con, index=False)
        con.execute("CREATE INDEX idx_trends ON trends(slug, offense)")

    ours_port, ds_port = free_port(), free_port()
    env = {**os.environ}
    ours = subprocess.Popen(
        [sys.executable, "-m", "crimetrends", "serve", "--port", str(ours_port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    datasette = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("datasette")),
            "serve",
            str(db),
            "-p",
            str(ds_port),
            "-h",
            "127.0.0.1",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(ours_port)
        wait_for(ds_port)
        time.sleep(2)
        queries = {
            "one city, one offense": (
                f"http://127.0.0.1:{ours_port}/v1/trends?agency=chicago-illinois&offense=violent",
                f"http://127.0.0.1:{ds_port}/public/trends.json?slug=chicago-illinois"
                "&offense=violent&_shape=objects&_nocount=1&_nofacet=1&_nosuggest=1",
            ),
            "first page of 100 rows": (
                f"http://127.0.0.1:{ours_port}/v1/trends?limit=100",
                f"http://127.0.0.1:{ds_port}/public/trends.json?_size=100&_shape=objects&_nocount=1&_nofacet=1&_nosuggest=1",
            ),
        }
        print(
            f"machine: {platform.machine()}, {os.cpu_count()} cores, python "
            f"{platform.python_version()}; wrk -t{THREADS} -c{CONNECTIONS} -d{DURATION_S}s"
        )
        print("| query | server | p50 ms | p99 ms | req/s | non-2xx |")
        print("|---|---|---:|---:|---:|---:|")
        for name, (a, b) in queries.items():
            for url in (a, b):  # warm-up: first-request indexes and caches
                subprocess.run(
                    ["wrk", "-t1", "-c2", "-d3s", url], capture_output=True, check=True, timeout=60
                )
            ra, rb = run_wrk(a), run_wrk(b)
            for server, r in (("crimetrends", ra), ("datasette", rb)):
                print(
                    f"| {name} | {server} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | "
                    f"{r['rps']:.0f} | {r['errors']} |"
                )
            print(
                f"| {name} | ratio crimetrends/datasette | {ra['p50_ms'] / rb['p50_ms']:.2f} "
                f"| {ra['p99_ms'] / rb['p99_ms']:.2f} | {ra['rps'] / rb['rps']:.2f} | |"
            )
    finally:
        for proc in (ours, datasette):
            proc.terminate()
            proc.wait(timeout=10)


if __name__ == "__main__":
    main()
