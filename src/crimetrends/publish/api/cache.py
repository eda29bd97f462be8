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
    return (version, request.url.path, tuple(sorted(request.query_params.multi_items())))
