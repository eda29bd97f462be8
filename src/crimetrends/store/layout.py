"""Parquet layout under CRIMETRENDS_HOME: one part per (table, source, input file).

    warehouse/<table>/<source>/<file-sha16>.parquet   rows of one load
    warehouse/loads/<source>/<file-sha16>.json        its provenance manifest

A part is named by the input file's hash, so loading the same file again rewrites the
same part (idempotent); writes go to a temporary name and are renamed into place.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TABLES = ("incidents", "counts", "ytd", "populations", "quarantine", "daily")

# Column types of every stored table (DuckDB SQL types); empty tables get this schema.
SCHEMAS: dict[str, dict[str, str]] = {
    "incidents": {
        "source": "VARCHAR",
        "agency": "VARCHAR",
        "record_id": "VARCHAR",
        "occurred_at": "TIMESTAMP",
        "reported_at": "TIMESTAMP",
        "source_code": "VARCHAR",
        "offense": "VARCHAR",
        "offense_group": "VARCHAR",
        "crosswalk_match": "VARCHAR",
        "district": "VARCHAR",
        "beat": "VARCHAR",
        "community": "VARCHAR",
        "block": "VARCHAR",
        "latitude": "DOUBLE",
        "longitude": "DOUBLE",
        "arrest": "BOOLEAN",
        "domestic": "BOOLEAN",
        "load_id": "VARCHAR",
    },
    "counts": {
        "source": "VARCHAR",
        "agency": "VARCHAR",
        "district": "VARCHAR",
        "source_code": "VARCHAR",
        "offense": "VARCHAR",
        "offense_group": "VARCHAR",
        "crosswalk_match": "VARCHAR",
        "period_start": "DATE",
        "grain": "VARCHAR",
        "count": "BIGINT",
        "months_reported": "INTEGER",
        "load_id": "VARCHAR",
    },
    # year-to-date tables: one row per published figure (an agency's count for January
    # through a month, in one year, as one vintage gives it); a table row gives two figures,
    # this year's (`current`) and the same months a year earlier (`previous`)
    "ytd": {
        "source": "VARCHAR",
        "agency": "VARCHAR",
        "sample": "VARCHAR",
        "sample_agencies": "INTEGER",
        "source_code": "VARCHAR",
        "offense": "VARCHAR",
        "offense_group": "VARCHAR",
        "crosswalk_match": "VARCHAR",
        "published_total": "VARCHAR",
        "period_start": "DATE",
        "period_end": "DATE",
        "role": "VARCHAR",
        "count": "BIGINT",
        "population": "BIGINT",
        "vintage": "DATE",
        "published_at": "VARCHAR",
        "load_id": "VARCHAR",
    },
    "populations": {
        "source": "VARCHAR",
        "agency": "VARCHAR",
        "ori": "VARCHAR",
        "year": "INTEGER",
        "population": "BIGINT",
        "load_id": "VARCHAR",
    },
    # daily rollup of each incidents part (written by the loader; what trends read)
    "daily": {
        "source": "VARCHAR",
        "agency": "VARCHAR",
        "day": "DATE",
        "offense": "VARCHAR",
        "offense_group": "VARCHAR",
        "n": "BIGINT",
        "last_at": "TIMESTAMP",
        "load_id": "VARCHAR",
    },
    "quarantine": {
        "source": "VARCHAR",
        "load_id": "VARCHAR",
        "row_number": "BIGINT",
        "reason": "VARCHAR",
        "record": "VARCHAR",
    },
}


@dataclass(frozen=True)
class Layout:
    root: Path

    def part(self, table: str, source: str, load_id: str) -> Path:
        return self.root / table / source / f"{load_id}.parquet"

    def manifest_path(self, source: str, load_id: str) -> Path:
        return self.root / "loads" / source / f"{load_id}.json"

    def parts(self, table: str, source: str | None = None) -> list[Path]:
        base = self.root / table
        pattern = f"{source}/*.parquet" if source else "*/*.parquet"
        return sorted(base.glob(pattern))

    def glob(self, table: str) -> str:
        return str(self.root / table / "*" / "*.parquet")

    def read_manifest(self, source: str, load_id: str) -> dict[str, Any] | None:
        path = self.manifest_path(source, load_id)
        if not path.exists():
            return None
        return json.loads(path.read_text(encoding="utf-8"))

    def manifests(self) -> list[dict[str, Any]]:
        out = []
        for path in sorted((self.root / "loads").glob("*/*.json")):
            out.append(json.loads(path.read_text(encoding="utf-8")))
        return out

    def write_manifest(self, source: str, load_id: str, manifest: dict[str, Any]) -> None:
        path = self.manifest_path(source, load_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
        os.replace(tmp, path)


def publish_part(tmp: Path, final: Path) -> None:
    """Atomically move a finished temporary part into place."""
    final.parent.mkdir(parents=True, exist_ok=True)
    os.replace(tmp, final)
