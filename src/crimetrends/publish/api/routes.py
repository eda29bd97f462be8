"""The endpoints. Handlers are plain functions (FastAPI runs them in its thread pool, so no
blocking work ever sits on the event loop); each builds its body once per data version."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from crimetrends.errors import NotFoundError
from crimetrends.publish.api import cache
from crimetrends.publish.api.data import PublicData

MAX_LIMIT = 1000
CHECK_MAX_CHARS = 20_000
CHECK_MAX_CLAIMS = 200  # claims checked per request (the rest are not)
CHECK_BUDGET_S = 10.0  # a check that would take longer answers 503 time_budget
CHECK_CONCURRENCY = 2  # checks at once; more answer 503 busy (the other endpoints stay fast)
_checks = threading.BoundedSemaphore(CHECK_CONCURRENCY)
_pool: list[Any] = []


def _check_pool() -> Any:
    """Worker processes for claim checks: the check's CPU work never holds this process's
    interpreter, so the other endpoints answer at once while a long text is checked."""
    if not _pool:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        _pool.append(
            ProcessPoolExecutor(CHECK_CONCURRENCY, mp_context=multiprocessing.get_context("spawn"))
        )
    return _pool[0]


def _check_in_worker(text: str, date: dt.date | None) -> list[dict[str, Any]]:
    from crimetrends.claims.check import check_text

    verdicts = check_text(text, date, max_claims=CHECK_MAX_CLAIMS, budget_s=CHECK_BUDGET_S)
    return [v.to_dict() for v in verdicts]


Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="rows per page")]
Offset = Annotated[int, Query(ge=0, description="rows to skip")]
Month = Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}$", description="YYYY-MM")]

router = APIRouter()
ENDPOINTS = [
    "/v1/cities",
    "/v1/trends",
    "/v1/monthly",
    "/v1/areas",
    "/v1/sources",
    "/v1/coverage",
    "/v1/provenance",
    "/v1/results",
]


class CheckRequest(BaseModel):
    text: str = Field(
        min_length=1, max_length=CHECK_MAX_CHARS, description="article text/Markdown/HTML"
    )
    date: dt.date | None = Field(default=None, description="article date, for 'last year'")


class Meta(BaseModel):
    total: int
    limit: int
    offset: int
    next: str | None


class Envelope(BaseModel):
    data: list[dict[str, Any]]
    meta: Meta
    provenance: dict[str, Any]


def _data(request: Request) -> PublicData:
    return request.app.state.data.current()


def _cached(request: Request, build: Callable[[PublicData], Any]) -> Response:
    """The body for this request: from the cache, or built once and kept."""
    data = _data(request)
    store: cache.BodyCache = request.app.state.bodies
    key = cache.request_key(data.version, request)
    hit = store.get(key)
    if hit is None:
        body = cache.encode(build(data))
        hit = (body, cache.make_etag(data.version, body))
        store.put(key, *hit)
    return cache.respond(request, *hit)


def _page(request: Request, data: PublicData, frame: Any, limit: int, offset: int) -> dict:
    from crimetrends.render.records import frame_records

    page = frame.iloc[offset : offset + limit]
    nxt = None
    if offset + limit < len(frame):
        params = dict(request.query_params)
        params.update(offset=str(offset + limit), limit=str(limit))
        nxt = str(request.url.replace_query_params(**params))
    return {
        "data": frame_records(page),
        "meta": {"total": len(frame), "limit": limit, "offset": offset, "next": nxt},
        "provenance": data.summary(),
    }


def _eq(frame: Any, column: str, value: Any) -> Any:
    return frame if value is None else frame[frame[column] == value]


@router.get("/v1", response_model=dict[str, Any], summary="Endpoints and provenance")
def index(request: Request) -> Response:
    return _cached(request, lambda d: {"endpoints": ENDPOINTS, "provenance": d.summary()})


@router.get("/v1/cities", response_model=Envelope, summary="Agencies and populations")
def cities(
    request: Request,
    state_name: Annotated[str | None, Query(alias="state")] = None,
    q: str | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Response:
    def build(d: PublicData) -> dict:
        f = _eq(d.table("cities"), "state", state_name)
        if q:
            f = f[f["agency"].str.lower().str.contains(q.lower(), regex=False)]
        return _page(request, d, f, limit, offset)

    return _cached(request, build)


@router.get("/v1/trends", response_model=Envelope, summary="Newest comparisons with 95% CI")
def trends(
    request: Request,
    agency: str | None = None,
    offense: str | None = None,
    source: str | None = None,
    label: str | None = None,
    headline: Annotated[
        bool | None, Query(description="only each agency's headline window (as trends --all)")
    ] = None,
    vintage: Annotated[
        dt.date | None,
        Query(description="answer from the figures as published by this date (YYYY-MM-DD)"),
    ] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Response:
    def build(d: PublicData) -> dict:
        f = _as_of(agency, offense, vintage) if vintage else d.by_agency("trends", agency)
        f = _eq(_eq(_eq(f, "offense", offense), "source", source), "label", label)
        if headline is not None and "headline" in f:
            f = f[f["headline"] == headline]
        return _page(request, d, f, limit, offset)

    return _cached(request, build)


def _as_of(agency: str | None, offense: str | None, vintage: dt.date) -> Any:
    """The newest comparable windows as published by `vintage`, computed from the store."""
    import pandas as pd

    from crimetrends.analysis.report import TrendQuery, trend_report

    q = TrendQuery(
        (agency,) if agency else (),
        offense or "violent",
        vintage=vintage,
        all_agencies=not agency,
    )
    report = trend_report(q)
    frame = pd.DataFrame([r.to_dict() for r in [*report.rows, *report.samples]])
    frame["flags"] = frame["flags"].map("; ".join)
    return frame


@router.get("/v1/monthly", response_model=Envelope, summary="Monthly counts with 95% band")
def monthly(
    request: Request,
    agency: str | None = None,
    offense: str | None = None,
    source: str | None = None,
    from_: Annotated[Month, Query(alias="from")] = None,
    to: Month = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Response:
    def build(d: PublicData) -> dict:
        f = _eq(_eq(d.by_agency("monthly", agency), "offense", offense), "source", source)
        if from_:
            f = f[f["month"] >= from_]
        if to:
            f = f[f["month"] <= to]
        return _page(request, d, f, limit, offset)

    return _cached(request, build)


@router.get(
    "/v1/areas",
    response_model=Envelope,
    summary="District and grid counts (generalised, small counts suppressed)",
)
def areas(
    request: Request,
    agency: str | None = None,
    year: int | None = None,
    area_type: str | None = None,
    group: str | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Response:
    def build(d: PublicData) -> dict:
        f = d.by_agency("areas", agency)
        f = _eq(_eq(_eq(f, "year", year), "area_type", area_type), "group", group)
        return _page(request, d, f, limit, offset)

    return _cached(request, build)


@router.get("/v1/sources", response_model=Envelope, summary="Registered sources")
def sources(request: Request, limit: Limit = 100, offset: Offset = 0) -> Response:
    return _cached(request, lambda d: _page(request, d, d.table("sources"), limit, offset))


@router.get("/v1/coverage", response_model=Envelope, summary="Crosswalk coverage per code")
def coverage(
    request: Request,
    source: str | None = None,
    match: str | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Response:
    def build(d: PublicData) -> dict:
        f = _eq(_eq(d.table("coverage"), "source", source), "match", match)
        return _page(request, d, f, limit, offset)

    return _cached(request, build)


@router.post(
    "/v1/check",
    response_model=dict[str, Any],
    summary="Check the claims in a text (nothing is stored)",
)
def check(request: Request, body: CheckRequest) -> Response:
    from concurrent.futures import TimeoutError as Late

    from crimetrends.errors import StoreBusyError, TimeBudgetError

    if not _checks.acquire(blocking=False):
        raise StoreBusyError(
            f"{CHECK_CONCURRENCY} claim checks are running already", hint="try again shortly"
        )
    try:
        if request.app.state.check_in_workers:
            future = _check_pool().submit(_check_in_worker, body.text, body.date)
            claims = future.result(timeout=CHECK_BUDGET_S + 20)  # + a worker's first start
        else:
            claims = _check_in_worker(body.text, body.date)
    except Late:
        raise TimeBudgetError(f"the claim check did not finish in {CHECK_BUDGET_S:g} s") from None
    finally:
        _checks.release()
    raw = cache.encode({"claims": claims})
    return Response(raw, media_type="application/json", headers={"Cache-Control": "no-store"})


@router.get("/v1/results", response_model=dict[str, Any], summary="Saved model results")
def results_index(request: Request) -> Response:
    from crimetrends.store import results

    names = results.names()
    body = cache.encode({"results": [{"name": n, "url": f"/v1/results/{n}"} for n in names]})
    return cache.respond(request, body, cache.make_etag("results", body))


@router.get(
    "/v1/results/{name}",
    response_model=dict[str, Any],
    summary="One saved result: hotspots, forecasts or an evaluation, with its caveats",
)
def result(request: Request, name: str) -> Response:
    from crimetrends.store import results

    payload = results.load(name)
    if payload is None:
        raise NotFoundError(f"no result {name!r}", hint="see /v1/results")
    body = cache.encode(payload)
    return cache.respond(request, body, cache.make_etag("results", body))


@router.get("/v1/provenance", response_model=dict[str, Any], summary="Full provenance")
def provenance(request: Request) -> Response:
    return _cached(request, lambda d: d.provenance or {})
