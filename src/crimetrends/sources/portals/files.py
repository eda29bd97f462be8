"""Plain published files: download a CSV/Parquet by URL (kept as a vintage), then load it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlparse

from crimetrends.sources.portals.base import Portal


@dataclass
class FilePortal(Portal):
    """A source published as one file at `base_url`: one page, the file itself."""

    kind: ClassVar[str] = "file"

    @classmethod
    def from_spec(cls, spec, base_url, page_size, **options):
        cls.check_options(options)
        return cls(base_url or spec.portal["url"], page_size=page_size)

    def download(self, folder: Path) -> Path:
        """Stream the file into `folder`; the name keeps the URL's file name, stamped."""
        name = Path(urlparse(self.base_url).path).name or "download"
        folder.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        return self.stream_to(self.base_url, folder / f"{stamp}-{name}")


def download(url: str, folder: Path, timeout_s: float = 60.0, attempts: int = 3) -> Path:
    """Download a published file at `url` into `folder` (see `FilePortal.download`)."""
    return FilePortal(url, timeout_s=timeout_s, attempts=attempts, backoff_s=0.2).download(folder)
