"""Plain file sources: download a published CSV/Parquet by URL, then load it like any file."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from urllib.parse import urlparse

import httpx

from crimetrends.sources.portals.socrata import PortalError


def download(url: str, folder: Path, timeout_s: float = 60.0, attempts: int = 3) -> Path:
    """Stream `url` to `folder` (atomic rename); the name keeps the URL's file name."""
    name = Path(urlparse(url).path).name or "download"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    final = folder / f"{stamp}-{name}"
    tmp = final.with_name(final.name + ".part")
    last = ""
    for _ in range(attempts):
        try:
            with httpx.stream("GET", url, timeout=timeout_s, follow_redirects=True) as r:
                if r.status_code >= 400:
                    last = f"HTTP {r.status_code}"
                    if r.status_code < 500:
                        break
                    continue
                with tmp.open("wb") as f:
                    for chunk in r.iter_bytes(1 << 20):
                        f.write(chunk)
                expected = r.headers.get("Content-Length")
                if expected and int(expected) != tmp.stat().st_size:
                    last = "truncated download"
                    continue
            os.replace(tmp, final)
            return final
        except httpx.TransportError as exc:
            last = f"{type(exc).__name__}: {exc}"[:200]
    tmp.unlink(missing_ok=True)
    raise PortalError(f"{url}: download failed ({last})", hint="check the URL and try again")
