"""API latency under a bounded loopback load: crimetrends' API beside datasette and beside a
static file server holding the very bytes our API answers (the limit for any server that
must read a request and write a response).

All three serve the same aggregate table (the public `trends` table) on 127.0.0.1; wrk
drives each in turn for a fixed time with a fixed number of connections, and we report
p50/p99 and requests/s side by side. Needs `wrk` (Debian package) and `datasette` (pip
extra `bench`), and a loaded store (`make demo`). Usage:

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


def static_url(url: str, folder: Path, port: int, i: int) -> str:
    """Save our API's answer to `url` as a file and return its address on the static server."""
    import httpx

    body = httpx.get(url, timeout=60).content
    (folder / f"q{i}.json").write_bytes(body)
    return f"http://127.0.0.1:{port}/q{i}.json"


def main() -> None:
    from crimetrends.publish.public import public_tables

    tables, _ = public_tables()
    trends = tables["trends"]
    workdir = Path(tempfile.mkdtemp(prefix="ct-bench-"))
    db = workdir / "public.db"
    with sqlite3.connect(db) as con:
        trends.astype(object).where(trends.notna(), None).to_sql("trends", con, index=False)
        con.execute("CREATE INDEX idx_trends ON trends(slug, offense)")

    ours_port, ds_port, static_port = free_port(), free_port(), free_port()
    static_dir = workdir / "static"
    static_dir.mkdir()
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
    static = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(static_port), "--bind", "127.0.0.1"],
        cwd=static_dir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(ours_port)
        wait_for(ds_port)
        wait_for(static_port)
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
        for i, (name, (a, b)) in enumerate(queries.items()):
            c = static_url(a, static_dir, static_port, i)
            for url in (a, b, c):  # warm-up: first-request indexes and caches
                subprocess.run(
                    ["wrk", "-t1", "-c2", "-d3s", url], capture_output=True, check=True, timeout=60
                )
            runs = {"crimetrends": run_wrk(a), "datasette": run_wrk(b), "static file": run_wrk(c)}
            for server, r in runs.items():
                print(
                    f"| {name} | {server} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | "
                    f"{r['rps']:.0f} | {r['errors']} |"
                )
            ours_r = runs["crimetrends"]
            for other in ("datasette", "static file"):
                r = runs[other]
                print(
                    f"| {name} | ratio crimetrends/{other} | "
                    f"{ours_r['p50_ms'] / r['p50_ms']:.2f} | {ours_r['p99_ms'] / r['p99_ms']:.2f} "
                    f"| {ours_r['rps'] / r['rps']:.2f} | |"
                )
    finally:
        for proc in (ours, datasette, static):
            proc.terminate()
            proc.wait(timeout=10)


if __name__ == "__main__":
    main()
