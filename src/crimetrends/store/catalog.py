"""What the store holds: agencies, loads (provenance) and which sources are samples."""

from __future__ import annotations

import difflib
from typing import Any

from crimetrends.errors import AmbiguousNameError, NoDataError, NotFoundError
from crimetrends.settings import Settings
from crimetrends.sources.registry import all_sources
from crimetrends.store.connect import layout
from crimetrends.taxonomy.harmonize import load_crosswalk
from crimetrends.taxonomy.offenses import offense_definition, offense_label


def agencies(con: Any) -> list[str]:
    # daily: the incidents' rollup, far smaller than the records; one query for both tables
    # and DISTINCT in the engine: a 10M-row store's rollup has tens of thousands of rows,
    # and shipping them to Python to make a set took most of a warm trend question
    daily, counts = con.table("daily").select("agency"), con.table("counts").select("agency")
    both = daily.union(counts, distinct=True)
    return sorted(both.to_pandas()["agency"].dropna())


def resolve_agency(con: Any, name: str) -> str:
    """Exact name, then city part ('Chicago' → 'Chicago, Illinois'), then prefix."""
    known = agencies(con)
    if not known:
        raise NoDataError("the store is empty", hint="run `crimetrends load` or `crimetrends demo`")
    wanted = name.strip().lower()
    for rule in (
        lambda a: a.lower() == wanted,
        lambda a: a.split(",")[0].strip().lower() == wanted,
        lambda a: a.lower().startswith(wanted),
    ):
        hits = [a for a in known if rule(a)]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            raise AmbiguousNameError(
                f"{name!r} matches {len(hits)} agencies", hint="; ".join(hits[:10])
            )
    close = difflib.get_close_matches(name, known, n=5, cutoff=0.5)
    raise NotFoundError(
        f"no agency named {name!r} in the store",
        hint=("did you mean: " + "; ".join(close)) if close else "see `crimetrends sources`",
    )


def loads(settings: Settings | None = None) -> list[dict[str, Any]]:
    return layout(settings).manifests()


def sample_sources(settings: Settings | None = None) -> frozenset[str]:
    """Sources whose every load was marked as a sample extract (not for trend estimates)."""
    by_source: dict[str, list[bool]] = {}
    for m in loads(settings):
        by_source.setdefault(m["source"], []).append(bool(m.get("sample")))
    return frozenset(s for s, flags in by_source.items() if flags and all(flags))


def provenance(
    sources: list[str], offense: str, settings: Settings | None = None, **extra: Any
) -> dict[str, Any]:
    """Everything a reader needs to check a figure: sources, files, crosswalks, definitions."""
    specs = all_sources()
    manifests = loads(settings)
    out_sources = []
    for name in sorted(set(sources)):
        spec = specs[name]
        files = [
            {
                k: m.get(k)
                for k in (
                    "file",
                    "sha256",
                    "loaded_at",
                    "rows_in",
                    "rows_kept",
                    "rows_quarantined",
                    "sample",
                )
            }
            for m in manifests
            if m["source"] == name
        ]
        out_sources.append(
            {
                **spec.describe(),
                "crosswalk_version": load_crosswalk(spec.crosswalk).version
                if spec.crosswalk
                else None,
                "files": files,
            }
        )
    return {
        "offense": offense,
        "offense_label": offense_label(offense),
        "definition": offense_definition(offense),
        "sources": out_sources,
        **extra,
    }
