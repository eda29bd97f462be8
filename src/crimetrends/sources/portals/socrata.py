"""Socrata SODA connector: keyset paging on the row id, retries with backoff, clear errors.

Pages are requested as `$order=:id&$where=:id > 'LAST'&$limit=N`, so a page never shifts
when rows are added while we read, and a restart continues after the last stored id.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx

from crimetrends.errors import CrimetrendsError


class PortalError(CrimetrendsError):
    code = "portal_error"
    exit_code = 7


class SchemaDriftError(PortalError):
    code = "schema_drift"


RETRY_STATUS = {429, 500, 502, 503, 504}


@dataclass
class SocrataClient:
    base_url: str
    dataset: str
    page_size: int = 1000
    timeout_s: float = 30.0
    attempts: int = 6
    backoff_s: float = 0.5
    max_wait_s: float = 30.0
    token_env: str = "SOCRATA_APP_TOKEN"
    last_fields: list[str] | None = None  # X-SODA2-Fields of the last response, if sent
    last_sha256: str | None = None  # sha256 of the last raw response body

    @property
    def url(self) -> str:
        return f"{self.base_url.rstrip('/')}/resource/{self.dataset}.json"

    def _headers(self) -> dict[str, str]:
        token = os.environ.get(self.token_env)
        return {"X-App-Token": token} if token else {}

    def get_json(
        self,
        url: str,
        params: dict[str, str],
        headers: dict[str, str] | None = None,
        error_in_body: Callable[[Any], str | None] | None = None,
    ) -> tuple[Any, httpx.Response]:
        """GET and parse JSON, retrying 429/5xx, transport errors and truncated bodies.

        `error_in_body` names an error a portal reports inside a 200 response (ArcGIS does);
        it is retried like a 5xx. Other 4xx responses stop at once with the portal's text.
        """
        last_error = ""
        for attempt in range(self.attempts):
            try:
                r = httpx.get(url, params=params, headers=headers or {}, timeout=self.timeout_s)
                if r.status_code in RETRY_STATUS:
                    last_error = f"HTTP {r.status_code}"
                    wait = r.headers.get("Retry-After")
                    self._sleep(attempt, float(wait) if wait and wait.isdigit() else None)
                    continue
                if r.status_code >= 400:
                    raise PortalError(
                        f"{url}: HTTP {r.status_code}",
                        hint=r.text[:200] or None,
                        status=r.status_code,
                    )
                body = json.loads(r.content)
                problem = error_in_body(body) if error_in_body else None
                if problem:
                    last_error = problem[:200]
                    self._sleep(attempt, None)
                    continue
                self.last_sha256 = hashlib.sha256(r.content).hexdigest()
                return body, r
            except (httpx.TransportError, json.JSONDecodeError) as exc:
                last_error = f"{type(exc).__name__}: {exc}"[:200]
                if isinstance(exc, httpx.ConnectError) and attempt == self.attempts - 1:
                    break
                self._sleep(attempt, None)
        raise PortalError(
            f"{url}: giving up after {self.attempts} attempts ({last_error})",
            hint="is the portal reachable? try again later",
        )

    def page(self, after: str | None) -> list[dict[str, Any]]:
        params = {"$order": ":id", "$limit": str(self.page_size), "$select": ":id, *"}
        if after:
            params["$where"] = f":id > '{after}'"
        rows, r = self.get_json(self.url, params, self._headers())
        if not isinstance(rows, list):
            raise PortalError(f"{self.url}: expected a JSON list of rows")
        fields = r.headers.get("X-SODA2-Fields")
        self.last_fields = json.loads(fields) if fields else None
        return rows

    @property
    def query(self) -> str:
        """The paging query, for the vintage's provenance."""
        return f"$order=:id&$where=:id > LAST&$limit={self.page_size}"

    def _sleep(self, attempt: int, retry_after: float | None) -> None:
        wait = retry_after if retry_after is not None else self.backoff_s * 2**attempt
        time.sleep(min(wait, self.max_wait_s))

    def pages(self, after: str | None = None) -> Iterator[list[dict[str, Any]]]:
        while True:
            rows = self.page(after)
            if not rows:
                return
            yield rows
            after = rows[-1][":id"]
