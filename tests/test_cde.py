"""FBI Crime Data Explorer: recorded answers parse, fetches survive faults and interruptions."""

from __future__ import annotations

import hashlib
import json
import random

import pytest

from crimetrends.errors import ConfigError, PortalError, SchemaDriftError
from crimetrends.ingest import fetch as fetch_mod
from crimetrends.ingest.fetch import fetch
from crimetrends.ingest.load import load_file
from crimetrends.sources.portals.cde import CDEPortal, parse_agency_response
from crimetrends.store.connect import connect

from .conftest import BUNDLE
from .fakeportal import CDE_AGENCIES, CDE_RECORDED, RTCI_TO_CDE, FakeCDE, cde_series
from .test_cli import run

RECORDED_AGENCY = CDE_RECORDED / "summarized-agency-CA0010900-V.json"
START, END = "01-2018", "12-2024"
MONTHS = 79  # RTCI's file runs 2018-01 to 2024-07
ROWS = (3 * 7 - 1) * MONTHS  # RTCI has no rape figures for Riverside
NO_DATA = ["CA0331300/ARS", "CA0331300/RPE", "NJNPD0000/ARS", "TNMPD0000/ARS"]


def client(url: str, **kw) -> CDEPortal:
    agencies = {ori: name for ori, (name, _) in CDE_AGENCIES.items()}
    opts = {"agencies": agencies, "start": START, "end": END, "backoff_s": 0.01, "timeout_s": 1.0}
    return CDEPortal(url, **(opts | kw))


def stored(source: str) -> list[tuple]:
    t = connect().table("counts")
    agencies = [a for a, _ in CDE_AGENCIES.values()]
    t = t.filter((t.source == source) & t.agency.isin(agencies) & t["count"].notnull())
    frame = t.select("agency", "offense", "period_start", "count").to_pandas()
    return sorted(
        (r.agency, r.offense, str(r.period_start)[:7], int(r.count))
        for r in frame.itertuples(index=False)
    )


def test_recorded_answers_parse_to_their_published_numbers():
    """Oakland PD violent crime Jan-Mar 2019 as the CDE answered (counts, clearances, pop)."""
    name, rows = parse_agency_response(json.loads(RECORDED_AGENCY.read_text()), "oakland")
    assert name == "Oakland Police Department"
    assert [r["month"] for r in rows] == ["01-2019", "02-2019", "03-2019"]
    assert [r["actual"] for r in rows] == [472, 368, 438]
    assert [r["cleared"] for r in rows] == [106, 40, 37]
    assert {r["population"] for r in rows} == {434036}
    state = parse_agency_response(
        json.loads((CDE_RECORDED / "summarized-state-CA-V.json").read_text()), "ca"
    )
    assert state[0] == "California" and [r["actual"] for r in state[1]] == [13582, 12113, 14201]
    nation = parse_agency_response(
        json.loads((CDE_RECORDED / "summarized-national-ARS.json").read_text()), "us"
    )
    assert nation[0] == "United States" and sum(r["actual"] for r in nation[1]) == 7586


def test_recorded_answer_served_verbatim_gives_the_same_rows(empty_home):
    path = "/summarized/agency/CA0010900/V"
    with FakeCDE({}, recorded={path: RECORDED_AGENCY}) as cde:
        c = CDEPortal(
            cde.url,
            agencies={"CA0010900": None},
            offenses=("V",),
            start="01-2019",
            end="03-2019",
            backoff_s=0.01,
        )
        pages = list(c.pages())
    assert cde.paths == [path]
    rows = pages[0]
    # an ORI no registered source names: the agency is named from the answer and the ORI
    assert {r["agency"] for r in rows} == {"Oakland Police Department, California"}
    assert [r[":id"] for r in rows] == [f"CA0010900|V|2019-0{m}" for m in (1, 2, 3)]
    assert [r["actual"] for r in rows] == [472, 368, 438]
    assert c.last_sha256 == hashlib.sha256(RECORDED_AGENCY.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    "body,match",
    [
        ({"summary": {}}, "no 'offenses' object"),
        (
            {"offenses": {"actuals": {"A Offenses": {"01-2019": 1}, "B Offenses": {}}}},
            "expected one agency series",
        ),
        ({"offenses": {"actuals": {"A Offenses": {"2019-01": 1}}}}, "not MM-YYYY"),
        ({"offenses": {"actuals": {"A Offenses": [1, 2]}}}, "not a month"),
    ],
)
def test_a_changed_answer_shape_is_schema_drift(body, match):
    with pytest.raises(SchemaDriftError, match=match):
        parse_agency_response(body, "x")


def test_an_answer_without_a_series_is_no_data_not_an_error():
    assert parse_agency_response({"offenses": {"rates": {}, "actuals": {}}}, "x") is None
    # the older name of the count block is still read
    old = {"offenses": {"counts": {"A Offenses": {"01-2019": 3}}}}
    assert parse_agency_response(old, "x")[1][0]["actual"] == 3


@pytest.fixture(scope="module")
def rtci_direct(tmp_path_factory):
    """The three agencies' component counts from a direct load of the RTCI file."""
    from .conftest import home_env

    with home_env(tmp_path_factory.mktemp("rtci")):
        load_file(BUNDLE / "rtci_by_agency_monthly_2018_2024.csv.gz", "rtci")
        return [r for r in stored("rtci") if r[1] in set(RTCI_TO_CDE) - {"theft"} | {"larceny"}]


@pytest.mark.slow
def test_fetch_through_every_fault_loads_exactly_the_replayed_rows(empty_home, rtci_direct):
    faults = {2: "500", 3: "429", 5: "truncate", 7: "drop", 9: "slow", 12: "500"}
    with FakeCDE(cde_series(), faults) as cde:
        result = fetch("fbi_cde", client=client(cde.url))
        assert not cde.faults  # every fault was served
    assert result["rows"] == ROWS
    assert result["pages"] == 20
    assert sorted(result["no_data"]) == NO_DATA
    assert result["load"]["rows_quarantined"] == 0
    assert stored("fbi_cde") == rtci_direct
    assert len(result["fetch"]["page_sha256"]) == 20


@pytest.mark.slow
def test_fetch_interrupted_at_twenty_points_gives_the_same_table(
    empty_home, rtci_direct, monkeypatch
):
    """Stop the fetch at 20 seeded points: while a page or the vintage is being written, or
    after a page is written and before the checkpoint records it. Each run resumes where
    the last stopped; after a last, uninterrupted run the table is unchanged."""

    class Stop(Exception):
        pass

    rng = random.Random(20261125)
    interrupted = completed = 0
    with FakeCDE(cde_series()) as cde:
        while interrupted < 20:
            owner, name = rng.choice([(fetch_mod.pq, "write_table"), (fetch_mod, "_write_atomic")])
            real, at, calls = getattr(owner, name), rng.randint(1, 8), [0]

            def flaky(*a, real=real, at=at, calls=calls, **k):
                calls[0] += 1
                if calls[0] == at:
                    raise Stop
                return real(*a, **k)

            monkeypatch.setattr(owner, name, flaky)
            try:
                fetch("fbi_cde", client=client(cde.url))
                completed += 1
            except Stop:
                interrupted += 1
            finally:
                monkeypatch.setattr(owner, name, real)
        result = fetch("fbi_cde", client=client(cde.url))
    assert result["rows"] == ROWS and interrupted == 20
    assert stored("fbi_cde") == rtci_direct
    assert not (empty_home / "fetch" / "fbi_cde" / "checkpoint.json").exists()


@pytest.mark.slow
def test_a_month_the_fbi_has_not_received_is_quarantined_with_a_reason(empty_home):
    with FakeCDE(cde_series(), {1: "unreported"}) as cde:
        result = fetch("fbi_cde", client=client(cde.url))
    assert result["load"]["rows_quarantined"] == 1
    q = connect().table("quarantine").to_pandas()
    assert len(q) == 1 and "missing count" in q.reason.iloc[0]


@pytest.mark.slow
def test_api_key_missing_refused_and_sent(empty_home, monkeypatch):
    monkeypatch.delenv("FBI_CDE_API_KEY", raising=False)
    # the default api.usa.gov host needs a key: stop before any request
    with pytest.raises(ConfigError, match="FBI_CDE_API_KEY is not set"):
        client("https://api.usa.gov/crime/fbi/cde")._params()
    with FakeCDE(cde_series(), require_key=True) as cde:
        with pytest.raises(PortalError, match="API key was refused"):
            fetch("fbi_cde", client=client(cde.url))
        monkeypatch.setenv("FBI_CDE_API_KEY", "test-key")
        result = fetch("fbi_cde", client=client(cde.url, agencies={"TNMPD0000": None}))
    assert result["rows"] == 7 * MONTHS
    # without a registered or loaded name, the agency is named from the answer and the ORI
    assert stored("fbi_cde") == []
    agencies = connect().table("counts").agency.to_pandas().unique().tolist()
    assert agencies == ["Memphis Police Department, Tennessee"]


@pytest.mark.slow
def test_cli_errors_are_one_line(empty_home, monkeypatch):
    monkeypatch.delenv("FBI_CDE_API_KEY", raising=False)
    proc = run("fetch", "fbi_cde")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "FBI_CDE_API_KEY is not set" in proc.stderr
    proc = run("fetch", "fbi_cde", "--url", "http://127.0.0.1:9", "--from", "2019-01")
    assert proc.returncode == 2 and "is not MM-YYYY" in proc.stderr
    proc = run("fetch", "chicago", "--ori", "ILCPD0000")
    assert proc.returncode == 2 and "FBI CDE source only" in proc.stderr


@pytest.mark.slow
def test_cli_fetch_and_reconcile_against_the_agencys_other_source(empty_home, monkeypatch):
    """`crimetrends fetch fbi_cde --ori …` then reconcile: RTCI took these counts from the
    CDE, so every offense and year agrees exactly."""
    load_file(BUNDLE / "rtci_populations_2022_2023.csv", "rtci_populations")
    load_file(BUNDLE / "rtci_by_agency_monthly_2018_2024.csv.gz", "rtci")
    with FakeCDE(cde_series()) as cde:
        proc = run(
            "fetch", "fbi_cde", "--url", cde.url, "--ori", "tnmpd0000", "--from", START,
            "--to", END, "--format", "json",
        )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["rows"] == 7 * MONTHS and out["no_data"] == ["TNMPD0000/ARS"]
    proc = run(
        "reconcile", "--agency", "Memphis, Tennessee", "--source", "fbi_cde", "--other", "rtci",
        "--years", "2019,2023", "--format", "json",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)["rows"]
    assert len(rows) == 10
    assert all(r["difference"] == 0 and r["count"] > 0 for r in rows)
