"""ArcGIS FeatureServer connector: keyset paging on the object id, retries, clear errors.

A layer's /query is asked for `where=OID > LAST`, ordered by the object id, a page at a
time; `exceededTransferLimit` says more rows remain, an empty page says the layer is done.
Date fields (epoch milliseconds) become ISO text, as other portals publish them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, ClassVar

from crimetrends.sources.portals.base import Portal


@dataclass
class ArcGISPortal(Portal):
    """`base_url` is the layer URL (…/FeatureServer/0)."""

    object_id: str = "OBJECTID"

    kind: ClassVar[str] = "arcgis"

    @classmethod
    def from_spec(cls, spec, base_url, page_size, **options):
        cls.check_options(options)
        portal = spec.portal
        return cls(
            base_url or portal["url"],
            page_size=page_size,
            object_id=portal.get("object_id", "OBJECTID"),
        )

    @property
    def url(self) -> str:
        return f"{self.base_url.rstrip('/')}/query"

    def page(self, after: str | None) -> list[dict[str, Any]]:
        params = {
            "where": f"{self.object_id} > {int(after) if after else -1}",
            "outFields": "*",
            "orderByFields": self.object_id,
            "resultRecordCount": str(self.page_size),
            "f": "json",
        }
        body, _ = self.get_json(
            self.url,
            params,
            # ArcGIS reports errors inside a 200 response
            error_in_body=lambda b: str(b["error"]) if "error" in b else None,
        )
        return self._rows(body)

    @property
    def query(self) -> str:
        return f"where={self.object_id} > LAST&orderByFields={self.object_id}"

    def _rows(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        dates = {f["name"] for f in body.get("fields", []) if f.get("type") == "esriFieldTypeDate"}
        self.last_fields = [f["name"] for f in body.get("fields", [])] or None
        rows = []
        for feature in body.get("features", []):
            attrs = dict(feature["attributes"])
            for name in dates & attrs.keys():
                if attrs[name] is not None:
                    stamp = dt.datetime.fromtimestamp(attrs[name] / 1000, dt.UTC)
                    attrs[name] = stamp.strftime("%Y-%m-%dT%H:%M:%S.000")
            # zero-padded so the cursor the base class keeps sorts and parses as the id
            attrs[":id"] = f"{int(attrs[self.object_id]):012d}"
            rows.append(attrs)
        return rows
