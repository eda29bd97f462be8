"""Socrata SODA connector: keyset paging on the row id.

Pages are requested as `$order=:id&$where=:id > 'LAST'&$limit=N`, so a page never shifts
when rows are added while we read, and a restart continues after the last stored id.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, ClassVar

from crimetrends.errors import PortalError
from crimetrends.sources.portals.base import Portal


@dataclass
class SocrataPortal(Portal):
    dataset: str = ""
    token_env: str = "SOCRATA_APP_TOKEN"

    kind: ClassVar[str] = "socrata"

    @classmethod
    def from_spec(cls, spec, base_url, page_size, **options):
        cls.check_options(options)
        portal = spec.portal
        return cls(base_url or portal["url"], page_size=page_size, dataset=portal["dataset"])

    @property
    def url(self) -> str:
        return f"{self.base_url.rstrip('/')}/resource/{self.dataset}.json"

    def headers(self) -> dict[str, str]:
        from crimetrends.settings import secret

        token = secret(self.token_env)
        return {"X-App-Token": token} if token else {}

    def page(self, after: str | None) -> list[dict[str, Any]]:
        params = {"$order": ":id", "$limit": str(self.page_size), "$select": ":id, *"}
        if after:
            params["$where"] = f":id > '{after}'"
        rows, r = self.get_json(self.url, params, self.headers())
        if not isinstance(rows, list):
            raise PortalError(f"{self.url}: expected a JSON list of rows")
        fields = r.headers.get("X-SODA2-Fields")
        self.last_fields = json.loads(fields) if fields else None
        return rows

    @property
    def query(self) -> str:
        return f"$order=:id&$where=:id > LAST&$limit={self.page_size}"
