"""What every portal connector shares: HTTP with retries and backoff, pages, provenance.

A portal is one class per kind of live source (Socrata, ArcGIS, FBI CDE, plain files),
registered by the `kind` of a source's `[portal]` entry (see `portals.BUILTIN_PORTALS`).
Subclasses say how to ask for one page (`page`/`pages`) and how to build themselves from a
registry entry (`from_spec`); retries, timeouts and error messages live here once.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from crimetrends.errors import ConfigError, PortalError

if TYPE_CHECKING:
    import httpx

    from crimetrends.sources.registry import SourceSpec

RETRY_STATUS = {429, 500, 502, 503, 504}


@dataclass
class Portal:
    base_url: str
    page_size: int = 1000
    timeout_s: float = 30.0
    attempts: int = 6
    backoff_s: float = 0.5
    max_wait_s: float = 30.0
    last_fields: list[str] | None = None  # the fields the last answer declared, if any
    last_sha256: str | None = None  # sha256 of the last raw answer
    empty: list[str] = field(default_factory=list)  # requests answered with no data

    kind: ClassVar[str] = ""
    # options beyond URL and page size that `fetch` may pass (e.g. the CDE's --ori)
    options: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def from_spec(cls, spec: SourceSpec, base_url: str | None, page_size: int, **options: Any):
        raise NotImplementedError

    @classmethod
    def check_options(cls, options: dict[str, Any]) -> None:
        given = {k for k, v in options.items() if v}
        extra = sorted(given - cls.options)
        if extra:
            flags = ", ".join(
                "--" + {"oris": "ori", "start": "from", "end": "to"}.get(k, k) for k in extra
            )
            raise ConfigError(f"{flags}: options of the FBI CDE source only ({cls.kind} portal)")

    @property
    def url(self) -> str:
        return self.base_url

    @property
    def query(self) -> str:
        """The paging query, for the vintage's provenance."""
        return ""

    def headers(self) -> dict[str, str]:
        return {}

    def page(self, after: str | None) -> list[dict[str, Any]]:
        raise NotImplementedError

    def pages(self, after: str | None = None) -> Iterator[list[dict[str, Any]]]:
        """Pages of rows, keyset-paged on each row's ':id' until an empty page."""
        while True:
            rows = self.page(after)
            if not rows:
                return
            yield rows
            after = rows[-1][":id"]

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
        import httpx

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

    def stream_to(self, url: str, path: Path) -> Path:
        """Download `url` to `path` (atomic rename), retrying 5xx, transport errors and
        bodies shorter than their Content-Length."""
        import os

        import httpx

        tmp = path.with_name(path.name + ".part")
        last = ""
        for attempt in range(self.attempts):
            try:
                with httpx.stream("GET", url, timeout=self.timeout_s, follow_redirects=True) as r:
                    if r.status_code >= 400:
                        last = f"HTTP {r.status_code}"
                        if r.status_code not in RETRY_STATUS:
                            break
                        self._sleep(attempt, None)
                        continue
                    with tmp.open("wb") as f:
                        for chunk in r.iter_bytes(1 << 20):
                            f.write(chunk)
                    expected = r.headers.get("Content-Length")
                    if expected and int(expected) != tmp.stat().st_size:
                        last = "truncated download"
                        self._sleep(attempt, None)
                        continue
                os.replace(tmp, path)
                return path
            except httpx.TransportError as exc:
                last = f"{type(exc).__name__}: {exc}"[:200]
                self._sleep(attempt, None)
        tmp.unlink(missing_ok=True)
        raise PortalError(f"{url}: download failed ({last})", hint="check the URL and try again")

    def _sleep(self, attempt: int, retry_after: float | None) -> None:
        wait = retry_after if retry_after is not None else self.backoff_s * 2**attempt
        time.sleep(min(wait, self.max_wait_s))
