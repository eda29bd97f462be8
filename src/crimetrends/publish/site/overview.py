"""index.html: find a city, compare one window per agency, the publisher's samples on top.

Each agency shows its `headline` window of the chosen offense: the newest comparable window
of at least 90 days, as `crimetrends trends --all` gives it, so the summary counts equal the
CLI's. Rows whose two periods hold fewer than `words.SMALL_TOTAL` crimes together are marked
"small numbers" and sorted last whatever the sort, as are rows that cannot be compared.
RTCI's national and state samples are sums over agencies: shown above, never ranked.

The browser filters and sorts `data/overview.js` (every offense, compact arrays) so search
and filters work offline from the files alone; the violent table is also in the HTML.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

from crimetrends.publish.site import words
from crimetrends.publish.site.data import SiteData, records
from crimetrends.render import numbers as fmt

# Names people type for big cities that neither the name nor its initials give.
ALIASES = {
    "philadelphia-pennsylvania": ["philly"],
    "new-orleans-louisiana": ["nola"],
    "washington-district-of-columbia": ["dc", "washington dc"],
    "new-york-city-new-york": ["new york", "nyc", "ny"],
    "los-angeles-california": ["la", "l.a."],
}
FIELDS = [
    "agency",
    "period",
    "through",
    "count",
    "previous",
    "pct",
    "lo",
    "hi",
    "label",
    "rate",
    "small",
    "source",
    "change",
]


def fold(text: str) -> str:
    """Lower case, accents and punctuation dropped: what the search box compares."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9 ]+", "", plain.lower()).strip()


def aliases(agency: str, slug: str) -> list[str]:
    """Initials of a city of two or more words ('New York City' → 'nyc'), plus ALIASES."""
    city = agency.split(", ")[0]
    parts = [p for p in re.split(r"[\s\-]+", city) if p]
    found = list(ALIASES.get(slug, []))
    if len(parts) >= 2:
        found.append("".join(p[0] for p in parts).lower())
    return list(dict.fromkeys(found))


def agency_list(cities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "name": c["agency"],
            "slug": c["slug"],
            "state": c.get("state") or "",
            "population": words.whole(c.get("population")),
            "population_text": fmt.count(words.whole(c.get("population"))),
            "class": words.population_class(c.get("population")),
            "search": " ".join([fold(c["agency"]), *aliases(c["agency"], c["slug"])]),
        }
        for c in cities
    ]


def figure_row(r: dict[str, Any], index: int) -> list[Any]:
    """One agency's window as the compact array FIELDS names (data/overview.js)."""
    pct = words.number(r.get("pct_change"))
    return [
        index,
        words.comparison(r),
        words.through_text(r).replace("Data through ", ""),
        words.whole(r.get("count")),
        words.whole(r.get("previous_count")),
        None if pct is None else round(pct, 2),
        None if words.number(r.get("ci_low")) is None else round(float(r["ci_low"]), 1),
        None if words.number(r.get("ci_high")) is None else round(float(r["ci_high"]), 1),
        r.get("label") or "",
        None
        if words.number(r.get("rate_per_100k")) is None
        else round(float(r["rate_per_100k"]), 1),
        1 if words.is_small(r) else 0,
        r["source"],
        words.change_text(r),
    ]


def overview(data: SiteData) -> dict[str, Any]:
    cities = sorted(records(data.tables["cities"]), key=lambda c: c["agency"])
    agencies = agency_list(cities)
    where = {a["name"]: i for i, a in enumerate(agencies)}
    heads = [r for r in records(data.tables["trends"]) if r["headline"]]
    by_offense: dict[str, list[list[Any]]] = {o: [] for o in words.OFFENSES}
    samples: list[dict[str, Any]] = []
    for r in heads:
        if r.get("sample"):
            samples.append(r)
        elif r["agency"] in where and r["offense"] in by_offense:
            by_offense[r["offense"]].append(figure_row(r, where[r["agency"]]))
    for rows in by_offense.values():
        rows.sort(key=lambda f: sort_key(f, agencies))
    return {
        "agencies": agencies,
        "figures": by_offense,
        "national": _samples(samples, "national"),
        "states": _samples(samples, "state"),
        "summary": summary(by_offense["violent"]),
        "states_list": sorted({a["state"] for a in agencies if a["state"]}),
        "classes": [name for _, name in words.POPULATION_CLASSES],
    }


def sort_key(f: list[Any], agencies: list[dict[str, Any]]) -> tuple:
    """Comparable rows first, small numbers after them, then the largest cities first."""
    pop = agencies[f[0]]["population"] or 0
    return (f[5] is None, f[10], -pop, agencies[f[0]]["name"])


def summary(rows: list[list[Any]]) -> dict[str, int]:
    """Label counts of violent crime over agencies, as `crimetrends demo` prints them."""
    labels = [f[8] for f in rows]
    counts = {k: labels.count(k) for k in ("down", "up", "no detectable change")}
    counts["not comparable"] = len(labels) - sum(counts.values())
    counts["agencies"] = len(labels)
    return counts


def _samples(rows: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    """One entry per sample: its violent and property windows."""
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        if r.get("sample") != kind or r["offense"] not in ("violent", "property"):
            continue
        e = out.setdefault(
            r["agency"],
            {
                "name": r["agency"].replace("Full Sample, ", ""),
                "agencies": words.whole(r.get("sample_agencies")),
            },
        )
        e[r["offense"]] = {
            "comparison": words.comparison(r),
            "through": words.through_text(r),
            "change": words.change_text(r),
            "count": fmt.count(words.whole(r.get("count"))),
            "label": r.get("label") or "",
        }
    first = "Nationwide" if kind == "national" else ""
    return sorted(out.values(), key=lambda e: (e["name"] != first, -(e["agencies"] or 0)))


def write_data(out: Path, view: dict[str, Any]) -> None:
    """data/overview.js: what the search, filters and sort read (works from file:// too)."""
    payload = {
        "fields": FIELDS,
        "agencies": [
            [a["name"], a["slug"], a["state"], a["population"], a["class"], a["search"]]
            for a in view["agencies"]
        ],
        "figures": view["figures"],
        "offenses": {o: words.offense_name(o) for o in words.OFFENSES},
        "small_total": words.SMALL_TOTAL,
    }
    text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    (out / "data").mkdir(parents=True, exist_ok=True)
    (out / "data" / "overview.js").write_text(f"window.OVERVIEW = {text};\n", encoding="utf-8")


def html_rows(view: dict[str, Any], offense: str = "violent") -> list[dict[str, Any]]:
    """The table rows as the page first shows them (site.js re-renders the same markup)."""
    out = []
    for f in view["figures"][offense]:
        a = view["agencies"][f[0]]
        out.append(
            {
                "name": a["name"],
                "slug": a["slug"],
                "state": a["state"],
                "population": a["population_text"],
                "period": f[1],
                "through": f[2],
                "counts": "—" if f[5] is None else f"{fmt.count(f[3])} vs {fmt.count(f[4])}",
                "change": f[12] if f[5] is not None else "—",
                "label": f[8],
                "small": bool(f[10]),
                "rate": fmt.rate(f[9]),
                "source": words.source_name(f[11]),
            }
        )
    return out
