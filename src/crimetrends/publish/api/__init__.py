"""The read-only JSON API (FastAPI): `app.py` builds it, `routes.py` answers, `data.py` holds
the public tables, `cache.py` precomputed bodies and ETags, `errors.py` the one error shape."""

from __future__ import annotations

from typing import Any


def create_app(*args: Any, **kwargs: Any) -> Any:
    from crimetrends.publish.api.app import create_app as make

    return make(*args, **kwargs)


def serve(host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the API with uvicorn (timeouts and limits from `app.SERVER`)."""
    import uvicorn

    from crimetrends.publish.api.app import SERVER
    from crimetrends.publish.api.app import create_app as make

    uvicorn.run(make(), host=host, port=port, log_level="warning", **SERVER)
