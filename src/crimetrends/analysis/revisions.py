"""What changed between two vintages of a source: rows added, removed, revised/reclassified.

Both files go through the same typing and crosswalk as a load (nothing is stored), then
are joined on the kind's key (record id for incidents, agency × area × code × period for
count tables). The result is per agency × month × offense, the view journalists lack.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

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
    if "period_start" in frame:
        frame["month"] = pd.to_datetime(frame["period_start"])
    else:
        frame["month"] = pd.to_datetime(frame["occurred_at"]).dt.to_period("M").dt.to_timestamp()
    frame["value"] = frame.get("count", 1)
    return frame


def revisions(
    old: Path | str, new: Path | str, source: str, agency: str | None = None
) -> pd.DataFrame:
    """Per agency × month × offense: added, removed and revised (or reclassified) rows."""
    spec = get_source(source)
    key = list(get_kind(spec.kind).key_columns)
    a, b = kept_rows(Path(old), spec), kept_rows(Path(new), spec)
    if agency:
        a, b = a[a["agency"] == agency], b[b["agency"] == agency]
    cols = list(dict.fromkeys([*key, "agency", "month", "offense", "value"]))
    j = a[cols].merge(b[cols], on=key, how="outer", suffixes=("_old", "_new"), indicator=True)
    for col in ("agency", "month", "offense"):
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
        j.groupby(["agency", "month", "offense"], dropna=False)
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
    changed = changed.assign(month=pd.to_datetime(changed["month"]).dt.strftime("%Y-%m"))
    for col in ("added", "removed", "revised", "old_total", "new_total", "change"):
        changed[col] = changed[col].astype("int64")
    return changed.sort_values(["agency", "month", "offense"]).reset_index(drop=True)
