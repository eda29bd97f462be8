"""One error shape on every endpoint: each known error answers its own status, never a 500.

`assert_error_shape` is the helper other API tests use too.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from crimetrends import errors
from crimetrends.publish.api import create_app

# (method, path, what to patch so that the endpoint's own work raises)
ENDPOINTS = {
    ("GET", "/v1"): "data",
    ("GET", "/v1/cities"): "data",
    ("GET", "/v1/trends"): "data",
    ("GET", "/v1/monthly"): "data",
    ("GET", "/v1/areas"): "data",
    ("GET", "/v1/sources"): "data",
    ("GET", "/v1/coverage"): "data",
    ("GET", "/v1/provenance"): "data",
    ("GET", "/v1/results"): "results",
    ("GET", "/v1/results/{name}"): "results",
    ("POST", "/v1/check"): "check",
}
KNOWN = [e for e in errors.all_errors() if e is not errors.CrimetrendsError]


def assert_error_shape(response, status: int, code: str | None = None) -> dict:
    """The documented shape: {"error": {"code", "message", "hint"?}} with `status`."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    err = body["error"]
    assert {"code", "message"} <= set(err) <= {"code", "message", "hint", "details"}
    assert isinstance(err["code"], str) and err["code"]
    assert isinstance(err["message"], str) and err["message"]
    assert "Traceback" not in response.text
    if code is not None:
        assert err["code"] == code
    return err


@pytest.fixture(scope="module")
def app(public):
    tables, prov = public
    return create_app(tables, prov)


def test_the_table_lists_every_route(app):
    paths = app.openapi()["paths"]
    routes = {(m.upper(), path) for path, ops in paths.items() for m in ops}
    assert routes == set(ENDPOINTS)


def _call(client: TestClient, method: str, path: str):
    path = path.replace("{name}", "forecast-x")
    if method == "POST":
        return client.post(path, json={"text": "Chicago had 500 murders in 2016."})
    return client.get(path)


@pytest.mark.parametrize("error", KNOWN, ids=lambda e: e.__name__)
@pytest.mark.parametrize("endpoint", list(ENDPOINTS), ids=lambda e: f"{e[0]} {e[1]}")
def test_known_errors_keep_their_status_and_shape(app, monkeypatch, endpoint, error):
    method, path = endpoint

    def boom(*_a, **_k):
        raise error("something specific went wrong", hint="do this instead")

    target = ENDPOINTS[endpoint]
    if target == "data":
        monkeypatch.setattr(app.state.data, "current", boom)
    elif target == "results":
        monkeypatch.setattr("crimetrends.store.results.names", boom)
        monkeypatch.setattr("crimetrends.store.results.load", boom)
    else:
        monkeypatch.setattr("crimetrends.claims.check.check_text", boom)
    with TestClient(app, raise_server_exceptions=False) as client:
        err = assert_error_shape(_call(client, method, path), error.http_status, error.code)
    assert err["message"] == "something specific went wrong"
    assert err["hint"] == "do this instead"


def test_framework_errors_share_the_shape(app):
    with TestClient(app) as client:
        assert_error_shape(client.get("/v1/trends", params={"agency": "Atlantis"}), 404)
        assert_error_shape(client.get("/v1/cities", params={"limit": 0}), 422)
        assert_error_shape(client.get("/v1/monthly", params={"from": "2024"}), 422)
        assert_error_shape(client.get("/v2/anything"), 404, "not_found")
        assert_error_shape(client.delete("/v1/trends"), 405, "method_not_allowed")
        assert_error_shape(client.post("/v1/check", json={"text": ""}), 422)
        assert_error_shape(client.get("/v1/results/nope"), 404, "not_found")


def test_an_unexpected_error_is_a_500_that_names_no_internals(app, monkeypatch):
    def boom(*_a, **_k):
        raise RuntimeError("/secret/path/to/store.parquet exploded")

    monkeypatch.setattr(app.state.data, "current", boom)
    with TestClient(app, raise_server_exceptions=False) as client:
        r = client.get("/v1/cities")
    err = assert_error_shape(r, 500, "internal_error")
    assert "secret" not in r.text and err["message"] == "RuntimeError"


def test_every_error_class_has_a_documented_exit_code_and_status():
    table = errors.__doc__ or ""
    for cls in KNOWN:
        assert 2 <= cls.exit_code <= 8 and 400 <= cls.http_status <= 599
        row = next(line for line in table.splitlines() if f"| {cls.__name__} " in line)
        assert f"| {cls.code} " in row and f" {cls.exit_code} " in row
        assert f" {cls.http_status} " in row
