"""Read-only, versioned JSON API over the public tables (FastAPI).

Every response is {"data": [...], "meta": {...}, "provenance": {...}}; errors are
{"error": {"code", "message"}}. GET only; ETag/If-None-Match and Cache-Control on every
success; CORS open for GET.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from contextlib import asynccontextmanager
from typing import Annotated, Any

import pandas as pd
from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from crimetrends import __version__

MAX_LIMIT = 1000
CACHE_CONTROL = "public, max-age=300"

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="rows per page")]
Offset = Annotated[int, Query(ge=0, description="rows to skip")]
Month = Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}$", description="YYYY-MM")]


class CheckRequest(BaseModel):
    text: str = Field(min_length=1, max_length=20_000, description="article text/Markdown/HTML")
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


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorEnvelope(BaseModel):
    error: ErrorBody


def _clean(value: Any) -> Any:
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            return _clean(value.item())
        except (ValueError, AttributeError):
            return value
    return value


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _clean(v) for k, v in rec.items()} for rec in frame.to_dict(orient="records")]


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def create_app(
    tables: dict[str, pd.DataFrame] | None = None, provenance: dict[str, Any] | None = None
) -> FastAPI:
    """Build the app; tables load lazily from the store unless given (tests pass them)."""
    state: dict[str, Any] = {"tables": tables, "provenance": provenance}

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        if state["tables"] is None:
            from crimetrends.publish.public import public_tables

            state["tables"], state["provenance"] = public_tables()
        yield

    app = FastAPI(
        title="crimetrends API",
        version=__version__,
        description="Read-only crime trend figures with definitions, sources and 95% "
        "intervals. Every figure is traceable to its source file (see provenance).",
        lifespan=lifespan,
        responses={404: {"model": ErrorEnvelope}, 422: {"model": ErrorEnvelope}},
    )
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET"],
        allow_headers=["If-None-Match"],
        expose_headers=["ETag"],
    )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        codes = {404: "not_found", 405: "method_not_allowed"}
        return _error(exc.status_code, codes.get(exc.status_code, "http_error"), str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def bad_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return _error(422, "invalid_parameter", f"{where}: {first.get('msg', 'invalid')}")

    @app.exception_handler(Exception)
    async def internal(_request: Request, exc: Exception) -> JSONResponse:
        return _error(500, "internal_error", type(exc).__name__)

    def table(name: str) -> pd.DataFrame:
        return state["tables"][name]

    def prov_summary() -> dict[str, Any]:
        p = state["provenance"] or {}
        return {
            "generated_at": p.get("generated_at"),
            "sources": [s.get("name") for s in p.get("sources", [])],
            "interval_method": p.get("interval_method"),
            "full": "/v1/provenance",
        }

    def respond(request: Request, frame: pd.DataFrame, limit: int, offset: int) -> Response:
        page = frame.iloc[offset : offset + limit]
        nxt = None
        if offset + limit < len(frame):
            params = dict(request.query_params)
            params.update(offset=str(offset + limit), limit=str(limit))
            nxt = str(request.url.replace_query_params(**params))
        body = {
            "data": _records(page),
            "meta": {"total": len(frame), "limit": limit, "offset": offset, "next": nxt},
            "provenance": prov_summary(),
        }
        return cached(request, body)

    def cached(request: Request, body: dict[str, Any]) -> Response:
        raw = json.dumps(body, ensure_ascii=False, default=str).encode()
        etag = '"' + hashlib.sha256(raw).hexdigest()[:32] + '"'
        headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL}
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers=headers)
        return Response(raw, media_type="application/json", headers=headers)

    def slugs_for(key: str) -> set[str]:
        """slug, full name or city name (case-insensitive) → slugs; indexed once."""
        if "agency_index" not in state:
            index: dict[str, set[str]] = {}
            cities = table("cities")
            for name, slug in zip(cities["agency"], cities["slug"], strict=True):
                for k in (slug, name.lower(), name.lower().split(",")[0].strip()):
                    index.setdefault(k, set()).add(slug)
            state["agency_index"] = index
        return state["agency_index"].get(key.strip().lower(), set())

    def by_agency(name: str, agency: str | None) -> pd.DataFrame:
        """Rows of table `name` for an agency, from per-slug groups built once."""
        frame = table(name)
        if not agency:
            return frame
        slugs = slugs_for(agency)
        if not slugs:
            raise HTTPException(404, f"no agency {agency!r}; see /v1/cities")
        groups = state.setdefault("by_slug", {}).get(name)
        if groups is None:
            groups = dict(iter(frame.groupby("slug", sort=False)))
            state["by_slug"][name] = groups
        parts = [groups[s] for s in sorted(slugs) if s in groups]
        return pd.concat(parts) if parts else frame.iloc[0:0]

    def eq(frame: pd.DataFrame, column: str, value: Any) -> pd.DataFrame:
        return frame if value is None else frame[frame[column] == value]

    @app.get("/v1", response_model=dict[str, Any], summary="Endpoints and provenance")
    async def index(request: Request) -> Response:
        return cached(
            request,
            {
                "endpoints": [
                    "/v1/cities",
                    "/v1/trends",
                    "/v1/monthly",
                    "/v1/areas",
                    "/v1/sources",
                    "/v1/coverage",
                    "/v1/provenance",
                    "/v1/results",
                ],
                "provenance": prov_summary(),
            },
        )

    @app.get("/v1/cities", response_model=Envelope, summary="Agencies and populations")
    async def cities(
        request: Request,
        state_name: Annotated[str | None, Query(alias="state")] = None,
        q: str | None = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> Response:
        f = eq(table("cities"), "state", state_name)
        if q:
            f = f[f["agency"].str.lower().str.contains(q.lower(), regex=False)]
        return respond(request, f, limit, offset)

    @app.get("/v1/trends", response_model=Envelope, summary="Latest comparisons with 95% CI")
    async def trends(
        request: Request,
        agency: str | None = None,
        offense: str | None = None,
        source: str | None = None,
        label: str | None = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> Response:
        f = by_agency("trends", agency)
        f = eq(eq(eq(f, "offense", offense), "source", source), "label", label)
        return respond(request, f, limit, offset)

    @app.get("/v1/monthly", response_model=Envelope, summary="Monthly counts with 95% band")
    async def monthly(
        request: Request,
        agency: str | None = None,
        offense: str | None = None,
        source: str | None = None,
        from_: Annotated[Month, Query(alias="from")] = None,
        to: Month = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> Response:
        f = by_agency("monthly", agency)
        f = eq(eq(f, "offense", offense), "source", source)
        if from_:
            f = f[f["month"] >= from_]
        if to:
            f = f[f["month"] <= to]
        return respond(request, f, limit, offset)

    @app.get(
        "/v1/areas",
        response_model=Envelope,
        summary="District and grid counts (generalised, small counts suppressed)",
    )
    async def areas(
        request: Request,
        agency: str | None = None,
        year: int | None = None,
        area_type: str | None = None,
        group: str | None = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> Response:
        f = by_agency("areas", agency)
        f = eq(eq(eq(f, "year", year), "area_type", area_type), "group", group)
        return respond(request, f, limit, offset)

    @app.get("/v1/sources", response_model=Envelope, summary="Registered sources")
    async def sources(request: Request, limit: Limit = 100, offset: Offset = 0) -> Response:
        return respond(request, table("sources"), limit, offset)

    @app.get("/v1/coverage", response_model=Envelope, summary="Crosswalk coverage per code")
    async def coverage(
        request: Request,
        source: str | None = None,
        match: str | None = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> Response:
        f = eq(eq(table("coverage"), "source", source), "match", match)
        return respond(request, f, limit, offset)

    @app.post(
        "/v1/check",
        response_model=dict[str, Any],
        summary="Check the claims in a text (nothing is stored)",
    )
    async def check(body: CheckRequest) -> Response:
        from crimetrends.claims.check import check_text

        verdicts = check_text(body.text, body.date)
        raw = json.dumps({"claims": [v.to_dict() for v in verdicts]}, default=str)
        return Response(raw, media_type="application/json", headers={"Cache-Control": "no-store"})

    @app.get("/v1/results", response_model=dict[str, Any], summary="Saved model results")
    async def results_index(request: Request) -> Response:
        from crimetrends import results

        names = results.names()
        return cached(
            request,
            {"results": [{"name": n, "url": f"/v1/results/{n}"} for n in names]},
        )

    @app.get(
        "/v1/results/{name}",
        response_model=dict[str, Any],
        summary="One saved result: hotspots, forecasts or an evaluation, with its caveats",
    )
    async def result(request: Request, name: str) -> Response:
        from crimetrends import results

        body = results.load(name)
        if body is None:
            raise HTTPException(404, f"no result {name!r}; see /v1/results")
        return cached(request, body)

    @app.get("/v1/provenance", response_model=dict[str, Any], summary="Full provenance")
    async def provenance(request: Request) -> Response:
        return cached(request, state["provenance"] or {})

    return app
