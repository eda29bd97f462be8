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
from crimetrends.publish.api import errors
from crimetrends.publish.api.cache import BodyCache
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


def create_app(
    tables: dict[str, pd.DataFrame] | None = None, provenance: dict[str, Any] | None = None
) -> FastAPI:
    """The app; tables come from the store (reloaded when it changes) unless given."""

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
    app.state.bodies = BodyCache()
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET"],
        allow_headers=["If-None-Match"],
        expose_headers=["ETag"],
    )
    errors.install(app)
    app.include_router(router)
    return app
