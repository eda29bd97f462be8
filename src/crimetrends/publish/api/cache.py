"""Response bodies and ETags computed once per (data version, path, query), then reused.

The public tables never change within a data version, so a body is serialised once; an
ETag names the data version and the body, and If-None-Match answers 304 without a body.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from typing import Any

from fastapi import Request
from fastapi.responses import Response

CACHE_CONTROL = "public, max-age=300"
MAX_ENTRIES = 4096


class BodyCache:
    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self._entries: OrderedDict[tuple, tuple[bytes, str]] = OrderedDict()
        self._lock = threading.Lock()
        self.max_entries = max_entries

    def get(self, key: tuple) -> tuple[bytes, str] | None:
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None:
                self._entries.move_to_end(key)
            return hit

    def put(self, key: tuple, body: bytes, etag: str) -> None:
        with self._lock:
            self._entries[key] = (body, etag)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)


def encode(payload: Any) -> bytes:
    from crimetrends.render.records import json_safe

    return json.dumps(json_safe(payload), ensure_ascii=False, separators=(",", ":")).encode()


def make_etag(version: str, body: bytes) -> str:
    return '"' + hashlib.sha256(version.encode() + b"\0" + body).hexdigest()[:32] + '"'


def respond(request: Request, body: bytes, etag: str) -> Response:
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)


def request_key(version: str, request: Request) -> tuple:
    return scope_key(version, request.scope)


def scope_key(version: str, scope: dict) -> tuple:
    """(data version, path, sorted query pairs): one key per endpoint and filter, read from
    the raw ASGI scope so that the fast path and the handlers agree."""
    from urllib.parse import parse_qsl

    query = scope.get("query_string", b"").decode("latin-1")
    return (version, scope["path"], tuple(sorted(parse_qsl(query, keep_blank_values=True))))


class FastPath:
    """ASGI middleware answering a GET whose body is already built for the current data
    version straight from the cache: no routing, validation, thread hand-off or DataFrame
    work, so a repeated question costs a dictionary lookup and a stat of the store's
    CURRENT file. Everything else (first use, errors, POST) goes on to the app."""

    def __init__(self, app: Any, bodies: BodyCache, data: Any) -> None:
        self.app, self.bodies, self.data = app, bodies, data

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            hit = self.bodies.get(scope_key(self.data.version(), scope))
            if hit is not None:
                await _send(scope, send, *hit)
                return
        await self.app(scope, receive, send)


async def _send(scope: dict, send: Any, body: bytes, etag: str) -> None:
    headers = [(b"etag", etag.encode()), (b"cache-control", CACHE_CONTROL.encode())]
    sent_tag = next((v for k, v in scope.get("headers", ()) if k == b"if-none-match"), None)
    if sent_tag == etag.encode():
        await send({"type": "http.response.start", "status": 304, "headers": headers})
        await send({"type": "http.response.body", "body": b""})
        return
    headers += [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})
