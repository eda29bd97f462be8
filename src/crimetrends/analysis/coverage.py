"""Crosswalk coverage: every source code with its row count, mapping and match kind."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from crimetrends.sources.registry import all_sources
from crimetrends.taxonomy.harmonize import load_crosswalk

TARGET = 99.5  # % of rows an incident source's crosswalk must map


@dataclass(frozen=True)
class SourceCoverage:
    source: str
    kind: str
    rows: int
    mapped_rows: int
    quarantined_rows: int
    codes: pd.DataFrame  # source_code, description, offense, match, rows

    @property
    def pct_mapped(self) -> float:
        return 100.0 * self.mapped_rows / self.rows if self.rows else 0.0

    @property
    def unmapped(self) -> pd.DataFrame:
        return self.codes[self.codes["match"] == "unmapped"]


def coverage(con: Any, source: str | None = None) -> list[SourceCoverage]:
    specs = all_sources()
    out = []
    q = con.table("quarantine")
    quarantined = q.group_by(q.source).aggregate(n=q.count()).to_pandas()
    qmap = dict(zip(quarantined["source"], quarantined["n"], strict=True))
    for table, weight in (("incidents", None), ("counts", "count")):
        t = con.table(table)
        if source:
            t = t.filter(t.source == source)
        metric = t.count() if weight is None else t[weight].sum()
        codes = (
            t.group_by([t.source, t.source_code, t.offense, t.crosswalk_match])
            .aggregate(rows=metric)
            .to_pandas()
            .rename(columns={"crosswalk_match": "match"})
        )
        for src, g in codes.groupby("source"):
            spec = specs.get(src)
            descriptions: dict[str, str] = {}
            if spec and spec.crosswalk:
                cw = load_crosswalk(spec.crosswalk)
                by_code = {r.code: r.description for r in cw.rows}
                for code in g["source_code"]:
                    _, _, matched = cw.resolve(code)
                    descriptions[code] = by_code.get(matched, "")
            g = g.assign(
                description=g["source_code"].map(descriptions).fillna(""),
                rows=g["rows"].fillna(0).astype("int64"),
            ).sort_values(["rows", "source_code"], ascending=[False, True], ignore_index=True)
            total = int(g["rows"].sum())
            mapped = int(g.loc[g["match"] != "unmapped", "rows"].sum())
            out.append(
                SourceCoverage(
                    src,
                    table,
                    total,
                    mapped,
                    int(qmap.get(src, 0)),
                    g[["source_code", "description", "offense", "match", "rows"]].reset_index(
                        drop=True
                    ),
                )
            )
    return out


def summary(reports: list[SourceCoverage]) -> list[dict[str, Any]]:
    """One row per source: rows, mapped share, unmapped codes, quarantined rows."""
    return [
        {
            "source": c.source,
            "kind": c.kind,
            "rows": c.rows,
            "mapped_rows": c.mapped_rows,
            "pct_mapped": round(c.pct_mapped, 3),
            "meets_target": c.pct_mapped >= TARGET,
            "unmapped_codes": len(c.unmapped),
            "quarantined_rows": c.quarantined_rows,
        }
        for c in reports
    ]


def code_rows(reports: list[SourceCoverage]) -> list[dict[str, Any]]:
    """Every code of every source, with its source."""
    return [{"source": c.source, **rec} for c in reports for rec in c.codes.to_dict("records")]
