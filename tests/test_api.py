"""The read-only API: envelope, filters, pagination, ETag, CORS, one error shape."""

from __future__ import annotations

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from crimetrends.publish.api import create_app


@pytest.fixture(scope="module")
def client(public):
    tables, prov = public
    with TestClient(create_app(tables, prov)) as c:
        yield c


def test_trends_match_the_library(client, store):
    from crimetrends.analysis.report import TrendQuery, trend_report

    r = client.get("/v1/trends", params={"agency": "Chicago", "offense": "violent"})
    assert r.status_code == 200
    body = r.json()
    answer = [row for row in body["data"] if row["answer"]]
    library = trend_report(TrendQuery(("Chicago",))).rows
    key = ("source", "start", "end", "count", "previous_count", "label", "vintage", "through")
    assert [[row[k] for k in key] for row in answer] == [
        [getattr(row, k) for k in key] for row in library
    ]
    (full_year,) = [row for row in answer if row["window"] == "year"]
    # the counts RTCI published on 2026-02-17 (YTD / PrevYTD of its Violent Crimes row)
    assert (full_year["count"], full_year["previous_count"]) == (21_595, 27_369)
    assert full_year["vintage"] == "2026-02-17" and full_year["through"] == "2025-12-31"
    assert full_year["ci_low"] < full_year["pct_change"] < full_year["ci_high"] < 0
    assert body["provenance"]["interval_method"]


def test_trends_as_published_by_a_vintage(client, store):
    r = client.get("/v1/trends", params={"agency": "Chicago", "vintage": "2025-03-01"})
    assert r.status_code == 200
    rows = r.json()["data"]
    assert rows and all(row["vintage"] <= "2025-03-01" for row in rows)
    (year,) = [row for row in rows if row["window"] == "year"]
    # the December 2024 vintage (published 2025-02-19): 2024 against 2023
    assert (year["count"], year["previous_count"], year["vintage"]) == (
        27_346,
        29_118,
        "2025-02-19",
    )
    bad = client.get("/v1/trends", params={"vintage": "2025-02"})
    assert bad.status_code == 422


def test_every_endpoint_answers_with_the_envelope(client):
    for path in (
        "/v1/cities",
        "/v1/trends",
        "/v1/monthly",
        "/v1/areas",
        "/v1/sources",
        "/v1/coverage",
    ):
        r = client.get(path, params={"limit": 5})
        assert r.status_code == 200, path
        body = r.json()
        assert set(body) == {"data", "meta", "provenance"}
        assert len(body["data"]) <= 5 and body["meta"]["limit"] == 5


def test_pagination_walks_every_row(client):
    first = client.get(
        "/v1/monthly",
        params={"agency": "chicago-illinois", "source": "rtci", "offense": "violent", "limit": 50},
    ).json()
    total = first["meta"]["total"]
    assert total == 79  # Jan 2018 to Jul 2024
    second = client.get(first["meta"]["next"]).json()
    assert second["meta"]["offset"] == 50
    months = [r["month"] for r in first["data"] + second["data"]]
    assert len(months) == len(set(months)) == total


def test_etag_and_cache_headers(client):
    r = client.get("/v1/sources")
    etag = r.headers["etag"]
    assert "max-age" in r.headers["cache-control"]
    again = client.get("/v1/sources", headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.content


def test_a_repeated_question_is_answered_alike_from_the_cache(client):
    origin = {"Origin": "https://example.org"}
    a = client.get("/v1/trends?agency=chicago-illinois&offense=violent", headers=origin)
    b = client.get("/v1/trends?offense=violent&agency=chicago-illinois", headers=origin)
    assert a.status_code == b.status_code == 200 and a.content == b.content
    assert {r["slug"] for r in b.json()["data"]} == {"chicago-illinois"}
    assert {r["offense"] for r in b.json()["data"]} == {"violent"}
    assert a.headers["etag"] == b.headers["etag"]
    assert b.headers["access-control-allow-origin"] == "*"
    assert b.headers["content-type"] == "application/json"
    assert int(b.headers["content-length"]) == len(b.content)
    c = client.get(
        "/v1/trends?agency=chicago-illinois&offense=violent",
        headers={**origin, "If-None-Match": a.headers["etag"]},
    )
    assert c.status_code == 304 and not c.content
    assert c.headers["etag"] == a.headers["etag"]
    assert c.headers["access-control-allow-origin"] == "*"


def test_cors_allows_get_only(client):
    r = client.get("/v1/cities", headers={"Origin": "https://example.org"})
    assert r.headers["access-control-allow-origin"] == "*"
    pre = client.options(
        "/v1/cities",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST"},
    )
    assert pre.status_code == 400


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_no_endpoint_writes(client, method):
    r = getattr(client, method)("/v1/trends")
    assert r.status_code == 405
    assert r.json()["error"]["code"] == "method_not_allowed"


def test_errors_share_one_shape(client):
    assert (
        client.get("/v1/trends", params={"agency": "Atlantis"}).json()["error"]["code"]
        == "not_found"
    )
    bad = client.get("/v1/monthly", params={"from": "2024"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_parameter"
    assert client.get("/v2/anything").json()["error"]["code"] == "not_found"


@pytest.mark.slow
def test_openapi_fuzz_no_server_errors(public):
    """Schemathesis against the app's own OpenAPI: no 5xx, responses match the schema."""
    tables, prov = public
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(tables, prov))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 7
    calls = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def run(case):
            response = case.call()
            calls.append(response.status_code)
            assert response.status_code < 500, (case.path, case.query)
            case.validate_response(response)

        run()
    assert len(calls) >= 7 and max(calls) < 500
