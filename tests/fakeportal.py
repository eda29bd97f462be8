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
        url = urlparse(h.path)
        body = self.answer(url.path, parse_qs(url.query), fault)
        if fault == "truncate":
            body = body[: len(body) // 2]
        fields = sorted({k for r in self.rows for k in r if not k.startswith(":")})
        return self._send(h, 200, body, {"X-SODA2-Fields": json.dumps(fields)})

    def answer(self, path: str, query: dict[str, list[str]], fault: str | None) -> bytes:
        return json.dumps(self.select(query)).encode()

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


# --- FBI Crime Data Explorer -----------------------------------------------------------------
CDE_RECORDED = FIXTURES / "fbi_cde"
RTCI_TO_CDE = {
    "murder": "HOM",
    "rape": "RPE",
    "robbery": "ROB",
    "aggravated_assault": "ASS",
    "burglary": "BUR",
    "theft": "LAR",
    "motor_vehicle_theft": "MVT",
}
# Agencies the RTCI agency list (2026-02) gives as sourced from the Crime Data Explorer, with
# their ORIs from the RTCI population table and the name the CDE answer would carry.
CDE_AGENCIES = {
    "TNMPD0000": ("Memphis, Tennessee", "Memphis Police Department"),
    "NJNPD0000": ("Newark, New Jersey", "Newark Police Department"),
    "CA0331300": ("Riverside, California", "Riverside Police Department"),
}


def cde_series() -> dict[tuple[str, str], tuple[str, dict[str, int | None]]]:
    """(ORI, CDE offense) → (CDE agency name, {MM-YYYY: count}) from the bundled RTCI rows.

    RTCI compiled these agencies' monthly counts from the CDE; replayed here in the CDE's
    answer shape. RTCI has no arson, so an ARS request gets an answer without a series.
    """
    by_name = {agency: (ori, cde) for ori, (agency, cde) in CDE_AGENCIES.items()}
    out: dict[tuple[str, str], tuple[str, dict[str, int | None]]] = {}
    with gzip.open(BUNDLE / "rtci_by_agency_monthly_2018_2024.csv.gz", "rt") as f:
        for row in csv.DictReader(f):
            if row["agency_full"] not in by_name:
                continue
            ori, cde = by_name[row["agency_full"]]
            month = f"{row['date'][5:7]}-{row['date'][:4]}"
            for column, offense in RTCI_TO_CDE.items():
                value = row[column]
                series = out.setdefault((ori, offense), (cde, {}))[1]
                series[month] = None if value in ("", "NA") else int(float(value))
    # an offense RTCI has no figure for in any month (Riverside's rape) gets no series
    return {k: v for k, v in out.items() if any(n is not None for n in v[1].values())}


def _month_key(mm_yyyy: str) -> str:
    return mm_yyyy[3:] + mm_yyyy[:2]


class FakeCDE(FakePortal):
    """The CDE's summarized/agency route on 127.0.0.1, with the same faults as FakePortal.

    `recorded` maps a request path to a verbatim recorded answer, served as it is; other
    paths are answered from `series` in the recorded answers' shape. `require_key` answers
    403 without an API_KEY parameter, as api.data.gov does. The fault `unreported` lists the
    requested months with the last one's value null (a month the FBI has not received).
    """

    def __init__(
        self,
        series: dict[tuple[str, str], tuple[str, dict[str, int | None]]],
        faults: dict[int, str] | None = None,
        recorded: dict[str, Path] | None = None,
        require_key: bool = False,
        delay_s: float = 0.0,
    ) -> None:
        super().__init__([], faults, delay_s)
        self.series = series
        self.recorded = recorded or {}
        self.require_key = require_key
        self.paths: list[str] = []

    def serve(self, h: BaseHTTPRequestHandler) -> None:
        url = urlparse(h.path)
        query = parse_qs(url.query)
        if self.require_key and "API_KEY" not in query:
            body = b'{"error":{"code":"API_KEY_MISSING","message":"No api_key was supplied."}}'
            return self._send(h, 403, body)
        with self.lock:
            self.paths.append(url.path)
        return super().serve(h)

    def select(self, query: dict[str, list[str]]) -> Any:
        raise NotImplementedError  # answers are built in answer()

    def answer(self, path: str, query: dict[str, list[str]], fault: str | None) -> bytes:
        if path in self.recorded:
            return self.recorded[path].read_bytes()
        *_, ori, offense = path.rstrip("/").split("/")
        lo, hi = _month_key(query["from"][0]), _month_key(query["to"][0])
        name, months = self.series.get((ori, offense), ("", {}))
        wanted = {m: v for m, v in months.items() if lo <= _month_key(m) <= hi}
        if fault == "unreported" and wanted:
            wanted[max(wanted, key=_month_key)] = None
        actuals = {f"{name} Offenses": wanted} if wanted else {}
        body = {
            "offenses": {"rates": {}, "actuals": actuals},
            "tooltips": {"leftYAxisHeaders": {"yAxisHeaderActual": "Offenses"}},
            "populations": {"population": {}, "participated_population": {}},
            "cde_properties": {"max_data_date": {"UCR": "07/2024"}},
        }
        return json.dumps(body, indent=4).encode()
