"""A fake Socrata portal on 127.0.0.1 that replays real recorded rows in SODA's JSON shape.

Rows come from tests/fixtures/chicago_crimes_2024_sample.csv.gz (real CPD rows), renamed to
the SODA field names of the registry's [portal.fields], dates as SODA's ISO text, booleans
as JSON booleans, and a `:id` row identifier. Faults are injected per request number:
500, 429 (Retry-After), slow, truncated body, dropped connection, and `grow` (a new row is
published while the fetch is running).
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from crimetrends.sources.registry import get_source

FIXTURES = Path(__file__).parent / "fixtures"
BUNDLE = Path(__file__).parent.parent / "data" / "bundled"
RECORDED = {
    # source: (file of real recorded rows, record id column, date columns and their formats)
    "chicago": (
        FIXTURES / "chicago_crimes_2024_sample.csv.gz",
        "ID",
        {"Date": "%m/%d/%Y %I:%M:%S %p"},
    ),
    "nypd": (
        BUNDLE / "nypd_complaints_sample_2015.csv.gz",
        "CMPLNT_NUM",
        {"CMPLNT_FR_DT": "%m/%d/%Y", "RPT_DT": "%m/%d/%Y"},
    ),
    "lapd": (
        BUNDLE / "lapd_crimes_2020_sample.csv.gz",
        "DR_NO",
        {
            "DATE OCC": ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M"),
            "Date Rptd": ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M"),
        },
    ),
}
FIXTURE = RECORDED["chicago"][0]


def _iso(value: str, formats: str | tuple[str, ...]) -> str:
    for fmt in (formats,) if isinstance(formats, str) else formats:
        try:
            return dt.datetime.strptime(value, fmt).strftime("%Y-%m-%dT%H:%M:%S.000")
        except ValueError:
            continue
    return value  # SODA would hold the text as published


def soda_rows(limit: int | None = None, source: str = "chicago") -> list[dict[str, Any]]:
    """The real recorded rows of `source` in SODA's JSON shape."""
    path, key, dates = RECORDED[source]
    fields = get_source(source).portal["fields"]
    with gzip.open(path, "rt", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))[:limit]
    out = []
    for r in rows:
        rec: dict[str, Any] = {":id": f"row-{int(r[key]):012d}"}
        for published, api in fields.items():
            value: Any = r[published]
            if value == "":
                continue  # SODA leaves empty fields out of the row
            if published in dates:
                value = _iso(value, dates[published])
            elif published in ("Arrest", "Domestic"):
                value = value == "true"
            rec[api] = value
        out.append(rec)
    return sorted(out, key=lambda r: r[":id"])


class FakePortal:
    def __init__(
        self, rows: list[dict[str, Any]], faults: dict[int, str] | None = None, delay_s: float = 0.0
    ) -> None:
        self.rows = rows
        self.faults = dict(faults or {})
        self.delay_s = delay_s
        self.requests = 0
        self.lock = threading.Lock()
        portal = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                portal.serve(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> FakePortal:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def select(self, query: dict[str, list[str]]) -> list[dict[str, Any]]:
        rows = self.rows
        where = query.get("$where", [""])[0]
        if where:
            after = where.split(">", 1)[1].strip().strip("'")
            rows = [r for r in rows if r[":id"] > after]
        offset = int(query.get("$offset", ["0"])[0])
        limit = int(query.get("$limit", ["1000"])[0])
        return rows[offset : offset + limit]

    def serve(self, h: BaseHTTPRequestHandler) -> None:
        with self.lock:
            self.requests += 1
            n = self.requests
            fault = self.faults.pop(n, None)
            if fault == "grow":
                new = dict(self.rows[-1])
                new[":id"] = "row-999999999999"
                new["id"] = "99999999"
                self.rows = [*self.rows, new]
        if self.delay_s:
            time.sleep(self.delay_s)
        if fault == "500":
            return self._send(h, 500, b'{"error": "internal"}')
        if fault == "429":
            h.send_response(429)
            h.send_header("Retry-After", "0")
            h.end_headers()
            return None
        if fault == "slow":
            time.sleep(1.5)
        if fault == "drop":
            h.close_connection = True
            h.connection.close()
            return None
        body = json.dumps(self.select(parse_qs(urlparse(h.path).query))).encode()
        if fault == "truncate":
            body = body[: len(body) // 2]
        fields = sorted({k for r in self.rows for k in r if not k.startswith(":")})
        return self._send(h, 200, body, {"X-SODA2-Fields": json.dumps(fields)})

    @staticmethod
    def _send(
        h: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict[str, str] | None = None
    ) -> None:
        h.send_response(status)
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)


class FakeArcGIS(FakePortal):
    """The same recorded rows as an ArcGIS FeatureServer layer (epoch-ms dates, OBJECTID)."""

    DATE_FIELDS = ("date",)

    def __init__(
        self, rows: list[dict[str, Any]], faults: dict[int, str] | None = None, page_cap: int = 250
    ) -> None:
        features = []
        for i, r in enumerate(rows, start=1):
            attrs = {k: v for k, v in r.items() if not k.startswith(":")}
            for name in self.DATE_FIELDS:
                if name in attrs:
                    stamp = dt.datetime.strptime(attrs[name], "%Y-%m-%dT%H:%M:%S.000")
                    attrs[name] = int(stamp.replace(tzinfo=dt.UTC).timestamp() * 1000)
            attrs["OBJECTID"] = i
            features.append(attrs)
        super().__init__(features, faults)
        self.page_cap = page_cap  # the server's maxRecordCount

    def select(self, query: dict[str, list[str]]) -> Any:
        after = int(query["where"][0].split(">")[1])
        wanted = min(int(query["resultRecordCount"][0]), self.page_cap)
        rest = [r for r in self.rows if r["OBJECTID"] > after]
        names = sorted({k for r in self.rows for k in r})
        fields = [
            {
                "name": n,
                "type": "esriFieldTypeDate" if n in self.DATE_FIELDS else "esriFieldTypeString",
            }
            for n in names
        ]
        return {
            "fields": fields,
            "features": [{"attributes": r} for r in rest[:wanted]],
            "exceededTransferLimit": len(rest) > wanted,
        }
