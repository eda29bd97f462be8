"""What changed between two vintages of a source: rows added, removed, revised/reclassified.

Both files go through the same typing and crosswalk as a load (nothing is stored), then
are joined on the kind's key (record id for incidents, agency × area × code × period for
count tables). The result is per agency × month × offense, the view journalists lack.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from crimetrends.ingest.kinds import LoadContext, get_kind
from crimetrends.ingest.read import read_input
from crimetrends.reference import register_reference
from crimetrends.sources.registry import SourceSpec, get_source
from crimetrends.store.connect import raw_duckdb


def kept_rows(path: Path, spec: SourceSpec) -> pd.DataFrame:
    """The rows a load of `path` would store (typed and harmonized), without storing them."""
    con = raw_duckdb()
    register_reference(con)
    raw = read_input(con, path)
    with tempfile.TemporaryDirectory() as work:
        parsed = get_kind(spec.kind).parse(
            con, raw, spec, path, LoadContext("revisions", Path(work))
        )
        frame = con.execute(parsed.kept).df()
    if "period_end" in frame:  # a window (January through a month): its label
        from crimetrends.analysis.periods import Window

        frame["period"] = [
            Window(pd.Timestamp(a).date(), pd.Timestamp(b).date()).label
            for a, b in zip(frame["period_start"], frame["period_end"], strict=True)
        ]
    elif "period_start" in frame:
        frame["period"] = pd.to_datetime(frame["period_start"]).dt.strftime("%Y-%m")
    else:
        frame["period"] = pd.to_datetime(frame["occurred_at"]).dt.strftime("%Y-%m")
    if "published_total" in frame:  # the publisher's own totals, kept as a check
        total = frame["published_total"].notna()
        frame.loc[total, "offense"] = frame.loc[total, "published_total"] + " (published total)"
    frame["value"] = frame.get("count", 1)
    return frame


def revisions(
    old: Path | str, new: Path | str, source: str, agency: str | None = None
) -> pd.DataFrame:
    """Per agency × period (month, or a year-to-date window) × offense: rows added, removed
    and revised (or reclassified), with the old and new totals."""
    spec = get_source(source)
    key = list(get_kind(spec.kind).revision_key)
    a, b = kept_rows(Path(old), spec), kept_rows(Path(new), spec)
    if agency:
        a, b = a[a["agency"] == agency], b[b["agency"] == agency]
    cols = list(dict.fromkeys([*key, "agency", "period", "offense", "value"]))
    j = a[cols].merge(b[cols], on=key, how="outer", suffixes=("_old", "_new"), indicator=True)
    for col in ("agency", "period", "offense"):
        if col not in key:
            j[col] = j[f"{col}_new"].fillna(j[f"{col}_old"])
    j["added"] = j["_merge"] == "right_only"
    j["removed"] = j["_merge"] == "left_only"
    both = j["_merge"] == "both"
    reclassified = (
        j["offense_old"].fillna("") != j["offense_new"].fillna("")
        if "offense" not in key
        else False
    )
    j["revised"] = both & ((j["value_old"] != j["value_new"]) | reclassified)
    j["old"], j["new"] = j["value_old"].fillna(0), j["value_new"].fillna(0)
    grouped = (
        j.groupby(["agency", "period", "offense"], dropna=False)
        .agg(
            added=("added", "sum"),
            removed=("removed", "sum"),
            revised=("revised", "sum"),
            old_total=("old", "sum"),
            new_total=("new", "sum"),
        )
        .reset_index()
    )
    grouped["change"] = grouped["new_total"] - grouped["old_total"]
    changed = grouped[
        (grouped[["added", "removed", "revised"]].sum(axis=1) > 0) | (grouped["change"] != 0)
    ]
    for col in ("added", "removed", "revised", "old_total", "new_total", "change"):
        changed[col] = changed[col].astype("int64")
    return changed.sort_values(["agency", "period", "offense"]).reset_index(drop=True)


def figure_history(
    con: Any, source: str, agency: str, offense: str, start: dt.date, end: dt.date
) -> pd.DataFrame:
    """One figure (an agency's count of an offense over a window) in every stored vintage
    of a year-to-date table that holds it: vintage, count (NaN if incomplete), change."""
    from crimetrends.analysis.evidence import vintage_evidence
    from crimetrends.analysis.periods import Window
    from crimetrends.analysis.report import TrendQuery
    from crimetrends.taxonomy.offenses import resolve_offense

    name, members = resolve_offense(offense)
    q = TrendQuery((agency,), name, source=source, members=members)
    window = Window(start, end)
    rows = []
    for ev in sorted(vintage_evidence(con, q, agency), key=lambda e: e.vintage or ""):
        if (start, end) not in ev.figures:
            continue
        c = ev.count(con, members, window)
        rows.append(
            {
                "vintage": ev.vintage,
                "agency": agency,
                "offense": name,
                "period": window.label,
                "count": c.count,
                "complete": c.complete,
                "note": "; ".join(c.notes),
            }
        )
    frame = pd.DataFrame(
        rows, columns=["vintage", "agency", "offense", "period", "count", "complete", "note"]
    )
    frame["change"] = frame["count"].diff()
    return frame
