"""What changed between two vintages of a source: rows added, removed, revised/reclassified.

Both files go through the same parsing and crosswalk as a load (nothing is stored), then
are joined on the source's key: record id for incidents, agency × area × code × period for
count tables. The result is per agency × month × offense, the view journalists lack.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from crimetrends.ingest import counts, incidents
from crimetrends.ingest.read import read_input
from crimetrends.reference import register_reference
from crimetrends.sources.registry import SourceSpec, get_source
from crimetrends.store.connect import raw_duckdb


def _parsed(path: Path, spec: SourceSpec) -> pd.DataFrame:
    con = raw_duckdb()
    register_reference(con)
    raw = read_input(con, path)
    if spec.kind == "incidents":
        incidents.build_parsed(con, raw, spec, path)
        return con.execute(
            "SELECT p.agency, p.record_id, "
            "date_trunc('month', p.occurred_at)::DATE AS month, p.offense "
            f"FROM {incidents.PARSED} p WHERE p.reason IS NULL"
        ).df()
    counts.build_parsed(con, raw, spec, path)
    con.register("code_map", incidents.code_mapping(con, spec, counts.codes_query(spec)))
    return con.execute(
        "SELECT r.agency, r.district, r.source_code, r.period_start AS month, m.offense, r.count "
        f"FROM {counts.ROWS} r JOIN code_map m USING (source_code) WHERE r.reason IS NULL"
    ).df()


def revisions(
    old: Path | str, new: Path | str, source: str, agency: str | None = None
) -> pd.DataFrame:
    """Per agency × month × offense: added, removed and revised (or reclassified) rows."""
    spec = get_source(source)
    a, b = _parsed(Path(old), spec), _parsed(Path(new), spec)
    if agency:
        a, b = a[a["agency"] == agency], b[b["agency"] == agency]
    if spec.kind == "incidents":
        j = a.merge(b, on="record_id", how="outer", suffixes=("_old", "_new"), indicator=True)
        j["agency"] = j["agency_new"].fillna(j["agency_old"])
        j["month"] = j["month_new"].fillna(j["month_old"])
        j["offense"] = j["offense_new"].fillna(j["offense_old"])
        j["added"] = j["_merge"] == "right_only"
        j["removed"] = j["_merge"] == "left_only"
        both = j["_merge"] == "both"
        j["revised"] = both & (j["offense_old"].fillna("") != j["offense_new"].fillna(""))
        j["old"] = (j["_merge"] != "right_only").astype(int)
        j["new"] = (j["_merge"] != "left_only").astype(int)
    else:
        key = ["agency", "district", "source_code", "month"]
        j = a.merge(b, on=key, how="outer", suffixes=("_old", "_new"))
        j["offense"] = j["offense_new"].fillna(j["offense_old"])
        old_has, new_has = j["count_old"].notna(), j["count_new"].notna()
        j["added"] = new_has & ~old_has
        j["removed"] = old_has & ~new_has
        j["revised"] = old_has & new_has & (j["count_old"] != j["count_new"])
        j["old"], j["new"] = j["count_old"], j["count_new"]
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
