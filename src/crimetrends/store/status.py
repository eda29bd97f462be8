"""What the store holds from each registered source, and whether its feed is fresh."""

from __future__ import annotations

import datetime as dt
from typing import Any

# Days after which a source's newest record is overdue, by its stated update cadence.
CADENCE_LAG_DAYS = {"daily": 14, "weekly": 30, "monthly": 75, "quarterly": 150, "annual": 550}


def freshness(newest: dt.date | None, cadence: str, today: dt.date) -> tuple[str, int | None]:
    """fresh / stale / dark from the newest record's age against the update cadence.

    stale: overdue by up to three expected lags; dark: longer, the feed has stopped (or the
    store holds an old extract). Static tables are 'archive'.
    """
    if newest is None:
        return "empty", None
    age = (today - newest).days
    lag = next((d for word, d in CADENCE_LAG_DAYS.items() if word in cadence.lower()), None)
    if lag is None or "static" in cadence.lower() or "frozen" in cadence.lower():
        return "archive", age
    if age <= lag:
        return "fresh", age
    return ("stale" if age <= 3 * lag else "dark"), age


def source_status(today: dt.date | None = None) -> list[dict[str, Any]]:
    """One row per registered source: rows held, span covered, freshness, last load."""
    import pandas as pd

    from crimetrends.analysis.periods import month_end
    from crimetrends.settings import get_settings
    from crimetrends.sources.registry import all_sources
    from crimetrends.store.catalog import loads
    from crimetrends.store.connect import connect

    today = today or dt.date.today()
    con = connect()
    spans: dict[str, str] = {}
    newest: dict[str, dt.date] = {}
    for table, col in (("daily", "day"), ("counts", "period_start")):
        t = con.table(table)
        frame = t.group_by(t.source).aggregate(lo=t[col].min(), hi=t[col].max()).to_pandas()
        for rec in frame.itertuples():
            spans[rec.source] = f"{str(rec.lo)[:10]} to {str(rec.hi)[:10]}"
            hi = pd.Timestamp(rec.hi).date()
            spec = all_sources().get(rec.source)
            if table == "counts" and spec is not None and spec.grain == "month":
                hi = month_end(hi)  # a monthly count covers its whole month
            newest[rec.source] = hi
    manifests = loads()
    settings = get_settings()
    out = []
    for spec in all_sources().values():
        mine = [m for m in manifests if m["source"] == spec.name]
        status, age = freshness(newest.get(spec.name), spec.update_cadence, today)
        fetched = sorted((settings.home / "vintages" / spec.name).glob("*.parquet"))
        out.append(
            {
                "source": spec.name,
                "kind": spec.kind,
                "title": spec.title,
                "agency": spec.agency,
                "counting_unit": spec.counting_unit,
                "date_basis": spec.date_basis,
                "update_cadence": spec.update_cadence,
                "url": spec.url,
                "files": len(mine),
                "rows": sum(int(m.get("rows_kept", 0)) for m in mine),
                "rows_quarantined": sum(int(m.get("rows_quarantined", 0)) for m in mine),
                "covers": spans.get(spec.name),
                "newest_record": str(newest[spec.name]) if spec.name in newest else None,
                "age_days": age,
                "status": status,
                "last_fetch": fetched[-1].stem if fetched else None,
                "last_loaded": max((m["loaded_at"] for m in mine), default=None),
                "samples_only": bool(mine) and all(m.get("sample") for m in mine),
                "quirks": list(spec.quirks),
            }
        )
    return out
