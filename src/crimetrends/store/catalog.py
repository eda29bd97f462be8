"""What the store holds: agencies, loads (provenance) and which sources are samples."""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

from crimetrends.errors import AmbiguousNameError, InputFileError, NoDataError, NotFoundError
from crimetrends.settings import Settings, get_settings
from crimetrends.sources.registry import all_sources
from crimetrends.store.connect import layout
from crimetrends.taxonomy.harmonize import load_crosswalk
from crimetrends.taxonomy.offenses import offense_definition, offense_label


def agencies(con: Any) -> list[str]:
    """Every agency the store holds figures for (incident rollups, counts, YTD tables).

    DISTINCT in the engine: a 10M-row store's rollup has tens of thousands of rows, and
    shipping them to Python to make a set took most of a warm trend question.
    """
    rows = con.rows(
        "SELECT agency FROM daily UNION SELECT agency FROM counts UNION SELECT agency FROM ytd"
    )
    return sorted(a for (a,) in rows if a is not None)


def resolve_agency(con: Any, name: str) -> str:
    """Exact name, city part ('Chicago' → 'Chicago, Illinois'), the name as typed loosely
    ('Saint Louis'), a known alias ('NYC'), then a unique prefix."""
    known = agencies(con)
    if not known:
        raise NoDataError("the store is empty", hint="run `crimetrends load` or `crimetrends demo`")
    wanted, loose = name.strip().lower(), _loose(name)
    rules = (
        lambda a: a.lower() == wanted,
        lambda a: a.split(",")[0].strip().lower() == wanted,
        lambda a: _loose(a) == loose or _loose(a.split(",")[0]) == loose,
        None,  # an alias
        lambda a: a.lower().startswith(wanted),
    )
    for rule in rules:
        hits = _by_alias(name, known) if rule is None else [a for a in known if rule(a)]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            raise AmbiguousNameError(
                f"{name!r} may mean {len(hits)} agencies", hint="; ".join(hits[:10])
            )
    close = difflib.get_close_matches(name, known, n=5, cutoff=0.5)
    raise NotFoundError(
        f"no agency named {name!r} in the store",
        hint=("did you mean: " + "; ".join(close)) if close else "see `crimetrends sources`",
    )


def _by_alias(name: str, known: list[str]) -> list[str]:
    """The agencies a nickname, initials or police abbreviation may mean ('NYC', 'D.C.',
    'Philly', 'LAPD'; 'MPD' several), from reference/agency_aliases.csv."""
    from crimetrends.reference import agency_aliases

    key = " ".join(name.lower().split())
    targets = agency_aliases().get(key) or agency_aliases().get(key.replace(".", "")) or ()
    wanted = {_loose(t) for t in targets}
    return [a for a in known if _loose(a) in wanted]


def _loose(name: str) -> str:
    """A name as people type it: no dots, apostrophes or extra spaces, 'Saint' as 'St'."""
    text = re.sub(r"[.'’]", "", name.lower()).replace(",", " ")
    return re.sub(r"\bsaint\b", "st", " ".join(text.split()))


def loads(settings: Settings | None = None) -> list[dict[str, Any]]:
    return layout(settings).manifests()


def sample_sources(settings: Settings | None = None) -> frozenset[str]:
    """Sources whose every load was marked as a sample extract (not for trend estimates)."""
    by_source: dict[str, list[bool]] = {}
    for m in loads(settings):
        by_source.setdefault(m["source"], []).append(bool(m.get("sample")))
    return frozenset(s for s, flags in by_source.items() if flags and all(flags))


def _file_vintages(m: dict[str, Any]) -> set[str]:
    return {m["published"]} if m.get("published") else set(m.get("vintages") or [])


def provenance(
    sources: list[str],
    offense: str,
    settings: Settings | None = None,
    vintages: dict[str, set[str]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """Everything a reader needs to check a figure: sources, files, crosswalks, definitions.

    `vintages` (source → the vintages the figures use) keeps only the files they came from.
    """
    specs = all_sources()
    manifests = loads(settings)
    vintages = vintages or {}
    manifests = [
        m
        for m in manifests
        if not vintages.get(m["source"]) or _file_vintages(m) & vintages[m["source"]]
    ]
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
                    "published",
                    "vintages",
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


def vintage_files(source: str, settings: Settings | None = None) -> list[Path]:
    """Fetched vintages of a source, oldest first ($CRIMETRENDS_HOME/vintages/SOURCE)."""
    home = (settings or get_settings()).home
    return sorted((home / "vintages" / source).glob("*.parquet"))


def latest_two_vintages(source: str) -> tuple[Path, Path]:
    found = vintage_files(source)
    if len(found) < 2:
        raise InputFileError(
            f"need two vintages of {source}",
            hint="pass --old and --new, or fetch the source twice",
        )
    return found[-2], found[-1]


def full_incident_sources(con: Any, samples: frozenset[str] | None = None) -> list[str]:
    """Incident sources the store holds that are not only sample extracts."""
    samples = sample_sources() if samples is None else samples
    names = [n for (n,) in con.rows("SELECT DISTINCT source FROM daily")]
    return sorted(n for n in names if n not in samples)


def incident_source(con: Any, city: str, source: str | None = None) -> tuple[str, str]:
    """(source, agency) of the full incident records for a city (not sample extracts)."""
    agency = resolve_agency(con, city)
    names = [
        s.name
        for s in all_sources().values()
        if s.kind == "incidents" and s.agency == agency and source in (None, s.name)
    ]
    samples = sample_sources()
    stored = set(full_incident_sources(con, samples))
    full = [n for n in names if n in stored]
    if not full:
        if not names:
            why = "no incident source is registered"
        elif any(n in samples for n in names):
            why = "only a sample extract is loaded"
        else:
            why = f"none of {', '.join(names)} is loaded (crimetrends load FILE --source NAME)"
        raise NoDataError(f"no full incident records for {agency}: {why}")
    return full[0], agency


def quarantined_rows(source: str | None = None, limit: int = 20) -> Any:
    """Quarantined rows (source, load, row number, reason, original record), in load order."""
    from crimetrends.store.connect import connect

    t = connect().table("quarantine")
    if source:
        t = t.filter(t.source == source)
    return t.order_by([t.source, t.load_id, t.row_number]).limit(limit).to_pandas()


def published_vintages(settings: Settings | None = None) -> dict[str, str]:
    """source → the newest publication date its loaded files carry (ISO), where known."""
    out: dict[str, str] = {}
    for m in loads(settings):
        dates = [m["published"]] if m.get("published") else list(m.get("vintages") or [])
        for d in dates:
            if d > out.get(m["source"], ""):
                out[m["source"]] = d
    return out
