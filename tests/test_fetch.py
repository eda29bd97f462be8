"""Fetching from a (fake) Socrata portal: exact rows, through faults, killed and resumed."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from crimetrends.errors import PortalError, SchemaDriftError
from crimetrends.ingest.fetch import fetch
from crimetrends.ingest.load import load_file
from crimetrends.sources.portals.socrata import SocrataPortal
from crimetrends.store.connect import connect

from .conftest import FIXTURES, home_env
from .fakeportal import FakePortal, soda_rows


def table_snapshot() -> list[tuple]:
    t = connect().table("incidents")
    cols = [
        "record_id",
        "occurred_at",
        "source_code",
        "offense",
        "latitude",
        "longitude",
        "arrest",
        "domestic",
        "district",
        "beat",
    ]
    frame = t.select(cols).order_by("record_id").to_pandas()
    return [tuple(r) for r in frame.astype(str).itertuples(index=False)]


def client(url: str, page_size: int = 700) -> SocrataPortal:
    return SocrataPortal(
        url, dataset="ijzp-q8t2", page_size=page_size, backoff_s=0.01, timeout_s=1.0
    )


@pytest.fixture(scope="module")
def direct(tmp_path_factory):
    """The store a direct load of the same recorded rows gives."""
    with home_env(tmp_path_factory.mktemp("direct")):
        load_file(FIXTURES / "chicago_crimes_2024_sample.csv.gz", "chicago")
        return table_snapshot()


@pytest.mark.slow
def test_fetch_loads_exactly_the_recorded_rows(empty_home, direct):
    with FakePortal(soda_rows()) as portal:
        result = fetch("chicago", client=client(portal.url))
    assert result["rows"] == 10_000 and result["pages"] == 15
    assert result["load"]["rows_quarantined"] == 0
    assert table_snapshot() == direct
    assert result["fetch"]["url"].endswith("/resource/ijzp-q8t2.json")


@pytest.mark.slow
def test_fetch_survives_every_fault(empty_home, direct):
    faults = {2: "500", 3: "429", 5: "truncate", 7: "drop", 9: "slow", 11: "500"}
    with FakePortal(soda_rows(), faults) as portal:
        result = fetch("chicago", client=client(portal.url))
        assert not portal.faults  # every fault was served
    assert result["rows"] == 10_000
    assert table_snapshot() == direct


@pytest.mark.slow
def test_rows_published_during_the_fetch_are_picked_up(empty_home):
    with FakePortal(soda_rows(), {4: "grow"}) as portal:
        result = fetch("chicago", client=client(portal.url))
    assert result["rows"] == 10_001
    t = connect().table("incidents")
    assert t.filter(t.record_id == "99999999").count().to_pyarrow().as_py() == 1


def test_schema_drift_stops_with_a_clear_message(empty_home):
    rows = soda_rows(50)
    for r in rows:
        r["fbi_cd"] = r.pop("fbi_code")
    with FakePortal(rows) as portal, pytest.raises(SchemaDriftError, match="fbi_code"):
        fetch("chicago", client=client(portal.url))


def test_unreachable_portal_is_a_clear_error(empty_home):
    with pytest.raises(PortalError, match="giving up after"):
        fetch(
            "chicago",
            client=SocrataPortal(
                "http://127.0.0.1:9", dataset="x", attempts=2, backoff_s=0.01, timeout_s=0.5
            ),
        )


@pytest.mark.slow
def test_killed_at_twenty_random_points_gives_the_same_table(empty_home, direct):
    """Kill the CLI fetch at 20 seeded random moments; the final table is unchanged."""
    rng = random.Random(20261125)
    env = {**os.environ, "CRIMETRENDS_HOME": str(empty_home)}
    kills = 0
    with FakePortal(soda_rows(), delay_s=0.05) as portal:
        cmd = [
            sys.executable,
            "-c",
            "from crimetrends.cli import main; main()",
            "fetch",
            "chicago",
            "--url",
            portal.url,
            "--page-size",
            "300",
        ]
        while kills < 20:
            proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            time.sleep(rng.uniform(0.3, 2.5))
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                kills += 1
            else:
                assert proc.returncode == 0, proc.stderr.read()
                break
        final = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
        assert final.returncode == 0, final.stderr
    assert kills >= 5
    assert table_snapshot() == direct


@pytest.mark.slow
@pytest.mark.parametrize(
    "source,file",
    [("nypd", "nypd_complaints_sample_2015.csv.gz"), ("lapd", "lapd_crimes_2020_sample.csv.gz")],
)
def test_every_registered_city_fetches_its_recorded_rows(
    empty_home, tmp_path, monkeypatch, source, file
):
    """NYPD and LAPD replayed in SODA shape give the same table as loading their files."""
    from .conftest import BUNDLE

    with FakePortal(soda_rows(source=source), {2: "500", 4: "truncate"}) as portal:
        result = fetch(source, client=client(portal.url, page_size=400))
    fetched = table_snapshot()
    assert result["load"]["rows_quarantined"] == 0
    monkeypatch.setenv("CRIMETRENDS_HOME", str(tmp_path / "direct"))
    load_file(BUNDLE / file, source)
    assert fetched == table_snapshot()
    assert len(fetched) == result["rows"]


@pytest.mark.slow
def test_plain_file_url_source_loads_the_same_rows(empty_home, direct):
    import functools
    import http.server
    import threading

    from crimetrends.sources.portals.files import download

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(FIXTURES))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/chicago_crimes_2024_sample.csv.gz"
        path = download(url, empty_home / "vintages" / "chicago")
        assert path.read_bytes() == (FIXTURES / "chicago_crimes_2024_sample.csv.gz").read_bytes()
        load_file(path, "chicago")
        assert table_snapshot() == direct
        with pytest.raises(PortalError, match="HTTP 404"):
            download(url.replace("sample", "nothing"), empty_home / "vintages" / "chicago")
    finally:
        httpd.shutdown()


@pytest.mark.slow
def test_arcgis_layer_pages_by_object_id(empty_home, direct):
    from crimetrends.sources.portals.arcgis import ArcGISPortal

    from .fakeportal import FakeArcGIS

    with FakeArcGIS(soda_rows(), {3: "500", 6: "truncate"}) as layer:
        arc = ArcGISPortal(
            f"{layer.url}/FeatureServer/0", page_size=1000, backoff_s=0.01, timeout_s=1.0
        )
        result = fetch("chicago", client=arc)
    assert result["rows"] == 10_000
    assert result["pages"] == 40  # the layer caps pages at 250 rows, whatever we ask
    assert table_snapshot() == direct


@pytest.mark.slow
def test_vintage_records_the_sha256_of_every_raw_page(empty_home):
    import hashlib
    import json

    import httpx
    import pyarrow.parquet as pq

    rows = soda_rows(900)
    with FakePortal(rows) as portal:
        result = fetch("chicago", client=client(portal.url, page_size=400))
        first = httpx.get(
            f"{portal.url}/resource/ijzp-q8t2.json",
            params={"$order": ":id", "$limit": "400", "$select": ":id, *"},
        )
    meta = json.loads(pq.read_schema(result["vintage"]).metadata[b"crimetrends_fetch"])
    assert len(meta["page_sha256"]) == meta["pages"] == 3
    assert meta["page_sha256"][0] == hashlib.sha256(first.content).hexdigest()
    assert meta["rows"] == 900 and meta["url"].startswith(portal.url)
