"""`crimetrends fetch SOURCE`: resumable, exactly-once pulls from a portal into the store.

Each page is written to its own Parquet file and only then recorded in checkpoint.json, so a
fetch killed at any point restarts after the last recorded page; a page rewritten after a
crash replaces the same file. When the portal has no more rows, the pages are combined
into one vintage file (with its fetch provenance) and loaded like any other file.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from crimetrends.errors import ConfigError, SchemaDriftError
from crimetrends.ingest.load import load_file
from crimetrends.settings import Settings, get_settings
from crimetrends.sources.portals import portal_for
from crimetrends.sources.portals.base import Portal
from crimetrends.sources.registry import SourceSpec, all_sources, get_source

Step = Callable[[str], None]


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


def _table(rows: list[dict[str, Any]], fields: dict[str, str]) -> pa.Table:
    """Rows in the published column names, every value as text (as the files have them)."""
    cols = {published: [_text(r.get(api)) for r in rows] for published, api in fields.items()}
    cols[":id"] = [r[":id"] for r in rows]
    return pa.table({k: pa.array(v, pa.string()) for k, v in cols.items()})


def _check_schema(
    rows: list[dict[str, Any]],
    fields: dict[str, str],
    url: str,
    declared: list[str] | None,
    required: set[str],
) -> list[str]:
    """Stop on mapped fields the portal no longer has; report fields we do not map.

    SODA declares a dataset's fields in the X-SODA2-Fields header; without it only the
    required fields are checked, since rows leave empty fields out.
    """
    seen = set(declared) if declared else set().union(*(r.keys() for r in rows))
    wanted = fields.values() if declared else [fields[c] for c in required if c in fields]
    missing = sorted(api for api in wanted if api not in seen)
    if missing:
        raise SchemaDriftError(
            f"{url}: fields {missing} mapped by the registry are missing from the portal rows",
            hint="the dataset was renamed or changed; update the source's [portal.fields]",
        )
    return sorted(k for k in seen if k not in fields.values() and not k.startswith(":"))


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def registered_oris() -> dict[str, str | None]:
    """ORI → agency name of every registered source that names its agency's ORI."""
    return {s.ori: s.agency for s in all_sources().values() if s.ori and s.agency}


def agency_names(oris: list[str]) -> dict[str, str | None]:
    """Our agency name for each ORI: registered sources first, then loaded population tables.

    An ORI found in neither maps to None; the connector then names the agency from the CDE's
    answer and the ORI's state.
    """
    names = {o.upper(): None for o in oris} | {
        o: n for o, n in registered_oris().items() if o in {x.upper() for x in oris}
    }
    missing = [o for o, n in names.items() if n is None]
    if missing:
        from crimetrends.store.connect import connect

        t = connect().table("populations")
        found = t.filter(t.ori.isin(missing)).select("ori", "agency").distinct().to_pandas()
        names |= dict(zip(found.ori, found.agency, strict=True))
    return names


def _checkpoint(ck_path: Path, client: Portal, source: str) -> dict[str, Any]:
    """The unfinished fetch's checkpoint (it must ask the same thing), or a fresh one."""
    if not ck_path.exists():
        return {
            "after": None,
            "pages": 0,
            "rows": 0,
            "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "url": client.url,
            "query": client.query,
            "new_fields": [],
            "page_sha256": [],
        }
    ck = json.loads(ck_path.read_text())
    if ck["url"] != client.url or ck["query"] != client.query:
        raise ConfigError(
            f"an unfinished fetch of {source} asked {ck['url']} {ck['query']}",
            hint=f"rerun it with the same options, or delete {ck_path} to start over",
        )
    return ck


def _required_columns(spec: SourceSpec) -> set[str]:
    """Source columns a page must carry for its rows to be loadable at all."""
    return {
        c
        for col in ("record_id", "occurred")
        if (spec_col := spec.column(col))
        for c in spec_col.source_columns
    } | set(spec.code_columns)


def _write_vintage(
    folder: Path, pages: list[Path], fields: dict[str, str], ck: dict[str, Any]
) -> tuple[Path, pa.Table, dict[str, Any]]:
    """The pages combined into one vintage file carrying the fetch's provenance."""
    meta = {**ck, "fetched_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    # microseconds in the name: two fetches within one second are two vintages
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    vintage = folder / f"{stamp}.parquet"
    vintage.parent.mkdir(parents=True, exist_ok=True)
    schema = pa.schema([(c, pa.string()) for c in [*fields, ":id"]])
    tables = [pq.read_table(p) for p in pages] or [schema.empty_table()]
    combined = pa.concat_tables(tables)
    combined = combined.replace_schema_metadata({"crimetrends_fetch": json.dumps(meta)})
    pq.write_table(combined, vintage)
    return vintage, combined, meta


def fetch(
    source: str,
    base_url: str | None = None,
    page_size: int = 1000,
    settings: Settings | None = None,
    step: Step | None = None,
    client: Portal | None = None,
    **options: Any,
) -> dict[str, Any]:
    """Fetch `source` page by page (resuming a killed run), write a vintage and load it.

    Each page is written, then recorded in the checkpoint; `options` (oris, start, end)
    select what a CDE fetch asks for.
    """
    settings = settings or get_settings()
    step = step or (lambda _m: None)
    spec: SourceSpec = get_source(source)
    if not spec.portal or "fields" not in spec.portal:
        raise ConfigError(f"source {source!r} has no [portal] entry")
    client = client or portal_for(spec, base_url, page_size, **options)
    fields: dict[str, str] = dict(spec.portal["fields"])
    work = settings.home / "fetch" / source
    work.mkdir(parents=True, exist_ok=True)
    ck_path = work / "checkpoint.json"
    ck = _checkpoint(ck_path, client, source)
    required = _required_columns(spec)
    for rows in client.pages(ck["after"]):
        new = _check_schema(rows, fields, client.url, client.last_fields, required)
        n = ck["pages"] + 1
        page_file = work / f"page-{n:06d}.parquet"
        tmp = page_file.with_suffix(".tmp")
        pq.write_table(_table(rows, fields), tmp)
        os.replace(tmp, page_file)
        ck.update(
            after=rows[-1][":id"],
            pages=n,
            rows=ck["rows"] + len(rows),
            new_fields=sorted(set(ck["new_fields"]) | set(new)),
            page_sha256=[*ck["page_sha256"][: n - 1], client.last_sha256],
        )
        _write_atomic(ck_path, json.dumps(ck))
        step(f"page {n}: {ck['rows']:,} rows")
    pages = [work / f"page-{i:06d}.parquet" for i in range(1, ck["pages"] + 1)]
    vintage, combined, meta = _write_vintage(settings.home / "vintages" / source, pages, fields, ck)
    manifest = load_file(vintage, source, settings) if combined.num_rows else {}
    for p in pages:
        p.unlink()
    ck_path.unlink()
    return {
        "source": source,
        "rows": combined.num_rows,
        "pages": len(pages),
        "vintage": str(vintage),
        "fetch": meta,
        "load": manifest,
        "no_data": list(client.empty),
    }


def fetch_file(url: str, source: str, settings: Settings | None = None) -> dict[str, Any]:
    """Download a published file of `source` (kept under vintages/SOURCE) and load it."""
    from crimetrends.sources.portals.files import download

    settings = settings or get_settings()
    get_source(source)  # an unknown name fails before the download
    path = download(url, settings.home / "vintages" / source)
    return {**load_file(path, source, settings), "url": url}
