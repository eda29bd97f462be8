"""A server that stays up (issue 17): body limits, a bounded claim check that never stalls
the other endpoints, and new numbers (and ETags) as soon as the store commits a load."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time

import httpx
import pytest
from fastapi.testclient import TestClient

from crimetrends.publish.api import create_app

from .conftest import BUNDLE, FIXTURES
from .test_error_shape import assert_error_shape


def test_request_bodies_over_the_limit_are_refused(public):
    tables, prov = public
    with TestClient(create_app(tables, prov)) as client:
        big = json.dumps({"text": "x" * 200_000})
        assert_error_shape(
            client.post("/v1/check", content=big, headers={"content-type": "application/json"}),
            413,
            "input_too_large",
        )

        def chunks():  # no Content-Length: counted as it arrives
            for _ in range(50):
                yield b"x" * 4096

        r = client.post("/v1/check", content=chunks(), headers={"content-type": "application/json"})
        assert_error_shape(r, 413, "input_too_large")


@pytest.mark.slow
def test_the_api_serves_the_new_numbers_after_a_load(empty_home):
    from crimetrends.ingest.load import load_file

    load_file(BUNDLE / "rtci_populations_2022_2023.csv", "rtci_populations")
    load_file(BUNDLE / "marshall_ucr_violent_crime_68_agencies_1975_2015.csv.gz", "ucr_annual")
    with TestClient(create_app()) as client:
        first = client.get("/v1/sources", params={"limit": 50})
        rows = {r["source"]: r["rows"] for r in first.json()["data"]}
        assert rows["ucr_annual"] > 0 and rows["chicago"] == 0
        again = client.get("/v1/sources", params={"limit": 50})
        assert again.headers["etag"] == first.headers["etag"]
        load_file(FIXTURES / "chicago_crimes_2024_sample.csv.gz", "chicago")
        after = client.get(
            "/v1/sources", params={"limit": 50}, headers={"If-None-Match": first.headers["etag"]}
        )
        assert after.status_code == 200 and after.headers["etag"] != first.headers["etag"]
        assert {r["source"]: r["rows"] for r in after.json()["data"]}["chicago"] == 10_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(bundle_home, public):
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "crimetrends", "serve", "--port", str(port)],
        env={**os.environ, "CRIMETRENDS_HOME": str(bundle_home)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/v1/cities", timeout=5).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("the server did not start: " + proc.stderr.read().decode()[-2000:])
    yield url
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)


ADVERSARIAL = {
    "digits": "1" * 20_000,
    "numbers and crime words": (
        "Chicago had 1,234 murders, down 12% from 2023, up 9.5 percent in 2024; robberies "
        "rose 3% to 5,678 through October, the third-most of any city. "
    )
    * 140,
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_a_long_check_never_stalls_the_other_endpoints(served, name):
    text = ADVERSARIAL[name][:20_000]
    result: dict = {}

    def check() -> None:
        start = time.monotonic()
        r = httpx.post(f"{served}/v1/check", json={"text": text}, timeout=120)
        result.update(status=r.status_code, body=r.json(), seconds=time.monotonic() - start)

    worker = threading.Thread(target=check)
    worker.start()
    latencies = []
    time.sleep(0.2)
    with httpx.Client(timeout=10) as client:
        while worker.is_alive() and len(latencies) < 200:
            start = time.monotonic()
            assert client.get(f"{served}/v1/cities", params={"limit": 5}).status_code == 200
            latencies.append(time.monotonic() - start)
            time.sleep(0.02)
    worker.join()
    from crimetrends.publish.api.routes import CHECK_BUDGET_S

    assert result["seconds"] < CHECK_BUDGET_S + 5  # answers within its budget (and the network)
    if result["status"] == 200:
        assert isinstance(result["body"]["claims"], list)
    else:
        assert result["status"] == 503 and result["body"]["error"]["code"] == "time_budget"
    if latencies:
        assert max(latencies) < 0.2, sorted(latencies)[-5:]


def test_site_build_never_deletes_someone_elses_folder(store, tmp_path):
    from crimetrends.errors import ConfigError
    from crimetrends.publish.folders import build_atomically

    mine = tmp_path / "not-a-site"
    (mine / "static").mkdir(parents=True)
    (mine / "static" / "precious.txt").write_text("keep me")
    with pytest.raises(ConfigError, match="was not made by"):
        build_atomically(mine, lambda tmp: (tmp / "index.html").write_text("x"))
    assert (mine / "static" / "precious.txt").read_text() == "keep me"

    site = tmp_path / "site"
    build_atomically(site, lambda tmp: (tmp / "index.html").write_text("first"))

    def broken(tmp):
        (tmp / "index.html").write_text("half")
        raise RuntimeError("killed half-way")

    with pytest.raises(RuntimeError):
        build_atomically(site, broken)
    assert (site / "index.html").read_text() == "first"  # the published site is untouched
    build_atomically(site, lambda tmp: (tmp / "index.html").write_text("second"))
    assert (site / "index.html").read_text() == "second"
    assert not list(tmp_path.glob(".site.*"))


@pytest.mark.slow
def test_a_killed_build_never_leaks_into_the_next(bundle_home, tmp_path):
    """Kill a --min-count 1 build part-way; the next default build publishes no count < 5
    and its provenance says min_count 5."""
    import pandas as pd

    home = tmp_path / "home"
    import shutil

    shutil.copytree(bundle_home, home, ignore=shutil.ignore_patterns("public"))
    env = {**os.environ, "CRIMETRENDS_HOME": str(home)}
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "crimetrends", "site", "build", str(out), "--min-count", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    public = home / "public"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not any(public.glob(".*.tmp/areas.*")):
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done = subprocess.run(
        [sys.executable, "-m", "crimetrends", "site", "build", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr
    areas = pd.read_csv(out / "data" / "areas.csv")
    assert len(areas) and (areas["count"] >= 5).all()
    prov = json.loads((out / "data" / "provenance.json").read_text())
    assert prov["privacy"]["min_count"] == 5
