"""The API's own documentation pages (/docs: Swagger UI, /redoc: ReDoc), fully offline.

The JavaScript and CSS come from the `fastapi-offline` package (MIT; it vendors Swagger UI
5.32 under Apache-2.0 and ReDoc 2.5 under MIT), served from this app, with the three
things that would still reach the internet switched off: the default favicon URL, the
Swagger validator badge, Google fonts, and ReDoc's footer logo (a hard-coded CDN image).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

ASSETS_URL = "/docs-assets"
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
BLANK_SVG = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E"


def _assets() -> Path:
    import fastapi_offline

    return Path(fastapi_offline.__file__).parent / "static"


@cache
def _redoc_js() -> str:
    text = (_assets() / "redoc.standalone.js").read_text(encoding="utf-8")
    return text.replace(REDOC_LOGO, BLANK_SVG)


def install(app: FastAPI) -> None:
    """Register /docs, /redoc and their assets (call with docs_url=None, redoc_url=None)."""

    @app.get(f"{ASSETS_URL}/redoc.standalone.js", include_in_schema=False)
    def redoc_js() -> Response:  # before the mount: the patched bundle, not the file
        return Response(_redoc_js(), media_type="text/javascript")

    app.mount(ASSETS_URL, StaticFiles(directory=_assets()), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def swagger(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=f"{root}{app.openapi_url}",
            title=f"{app.title}: Swagger UI",
            swagger_js_url=f"{root}{ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{root}{ASSETS_URL}/favicon.png",
            swagger_ui_parameters={"validatorUrl": None},
        )

    @app.get("/redoc", include_in_schema=False)
    def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_redoc_html(
            openapi_url=f"{root}{app.openapi_url}",
            title=f"{app.title}: ReDoc",
            redoc_js_url=f"{root}{ASSETS_URL}/redoc.standalone.js",
            redoc_favicon_url=f"{root}{ASSETS_URL}/favicon.png",
            with_google_fonts=False,
        )
