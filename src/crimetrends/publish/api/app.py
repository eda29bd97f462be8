"""Build the read-only, versioned JSON API over the public tables.

Every response is {"data": [...], "meta": {...}, "provenance": {...}}; errors are
{"error": {"code", "message", "hint"?}} (see `errors.py`). GET only (and POST /v1/check,
which stores nothing); ETag/If-None-Match and Cache-Control on every success; CORS open
for GET.
"""

from __future__ import annotations

import contextlib
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from crimetrends import __version__
from crimetrends.publish.api import docs, errors
from crimetrends.publish.api.cache import BodyCache, FastPath
from crimetrends.publish.api.data import DataSource, PublicData
from crimetrends.publish.api.routes import router

if TYPE_CHECKING:
    import pandas as pd

# uvicorn settings for `crimetrends serve`: keep-alive and shutdown timeouts, concurrency cap
SERVER: dict[str, Any] = {
    "timeout_keep_alive": 5,
    "timeout_graceful_shutdown": 10,
    "limit_concurrency": 64,
}
MAX_BODY_BYTES = 96 * 1024  # a 20,000-character text in JSON is at most ~80 KB


class BodyLimit:
    """Refuse request bodies over MAX_BODY_BYTES (413, the one error shape): by
    Content-Length, or by reading a chunked body only up to the limit before the app sees
    it (so at most the limit is ever held in memory)."""

    def __init__(self, app: Any, limit: int = MAX_BODY_BYTES) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            await self._refuse(scope, receive, send)
            return
        body, more = b"", True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.limit:
                await self._refuse(scope, receive, send)
                return
        sent = False

        async def replay() -> dict:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _refuse(self, scope: dict, receive: Any, send: Any) -> None:
        response = errors.error_response(
            413, "input_too_large", f"request body over {self.limit:,} bytes"
        )
        await response(scope, receive, send)


def create_app(
    tables: dict[str, pd.DataFrame] | None = None,
    provenance: dict[str, Any] | None = None,
    check_in_workers: bool | None = None,
) -> FastAPI:
    """The app; tables come from the store (reloaded when it changes) unless given.

    Claim checks run in worker processes when serving the store (`check_in_workers`,
    default: when no tables are given), in the request's thread otherwise (tests).
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        from starlette.concurrency import run_in_threadpool

        # build the tables before serving; a failing store still serves its errors, each
        # request reporting it in the error shape
        with contextlib.suppress(Exception):
            await run_in_threadpool(app.state.data.current)
        yield

    app = FastAPI(
        lifespan=lifespan,
        docs_url=None,  # served offline by docs.install
        redoc_url=None,
        title="crimetrends API",
        version=__version__,
        description="Read-only crime trend figures with definitions, sources and 95% "
        "intervals. Every figure is traceable to its source file (see provenance).",
        # every status an error can answer, with the one error shape
        responses={
            status: {"model": errors.ErrorEnvelope}
            for status in (400, 404, 409, 413, 422, 500, 502, 503)
        },
    )
    fixed = PublicData(tables, provenance or {}) if tables is not None else None
    app.state.data = DataSource(fixed)
    app.state.check_in_workers = tables is None if check_in_workers is None else check_in_workers
    app.state.bodies = BodyCache()
    # innermost: cached bodies answered before routing (CORS and the body limit still wrap it)
    app.add_middleware(FastPath, bodies=app.state.bodies, data=app.state.data)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET"],
        allow_headers=["If-None-Match"],
        expose_headers=["ETag"],
    )
    app.add_middleware(BodyLimit)
    errors.install(app)
    app.include_router(router)
    docs.install(app)
    return app
