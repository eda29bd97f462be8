"""The figures a city page states: the answer card, the earlier data, every offense.

The answer is the row the trends table marks `headline` (the newest comparable window of at
least 90 days, exactly what `crimetrends trends --all` shows); a newer year-to-date window
that `trends --agency` also gives (`answer`) follows it in one line. Everything else from
other sources is "earlier data", newest first. Rows repeated under two window kinds (a full
year is also a year to date through December) are shown once.
"""

from __future__ import annotations

from typing import Any

from crimetrends.publish.site import words
from crimetrends.render import numbers as fmt

CARD_OFFENSES = ("violent", "property")


def unique_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per source × offense × window × vintage (the `headline` copy kept first)."""
    seen: dict[tuple, dict[str, Any]] = {}
    for r in sorted(rows, key=lambda r: (not r["headline"], not r["answer"])):
        key = (r["source"], r["offense"], r["start"], r["end"], r.get("vintage"))
        seen.setdefault(key, r)
    return list(seen.values())


def main_row(rows: list[dict[str, Any]], offense: str) -> dict[str, Any] | None:
    """The headline row of the offense, else its newest answer row, else its newest row."""
    mine = [r for r in rows if r["offense"] == offense]
    for test in (lambda r: r["headline"], lambda r: r["answer"], lambda r: True):
        found = sorted((r for r in mine if test(r)), key=lambda r: r["end"], reverse=True)
        if found:
            return found[0]
    return None


def newer_rows(rows: list[dict[str, Any]], main: dict[str, Any]) -> list[dict[str, Any]]:
    """Answer rows of the same offense newer than the main one (the year so far)."""
    return sorted(
        (
            r
            for r in rows
            if r["answer"] and r["offense"] == main["offense"] and r["end"] > main["end"]
        ),
        key=lambda r: r["end"],
        reverse=True,
    )


def comparable(row: dict[str, Any]) -> bool:
    return words.finite(row.get("pct_change")) and not str(row.get("label", "")).startswith(
        "not comparable"
    )


def figure(row: dict[str, Any]) -> dict[str, Any]:
    """One figure as the card, the tables and the CSV show it."""
    ok = comparable(row)
    count, prev = words.whole(row.get("count")), words.whole(row.get("previous_count"))
    rate = words.number(row.get("rate_per_100k"))
    return {
        "offense": row["offense"],
        "name": words.offense_name(row["offense"]),
        "ok": ok,
        "pct": fmt.pct(words.number(row.get("pct_change"))) if ok else "—",
        "kind": words.label_kind(row.get("label")),
        "comparison": words.comparison(row),
        "counts": f"{fmt.count(count)} vs {fmt.count(prev)}" if ok else "",
        "interval": words.interval_text(row.get("ci_low"), row.get("ci_high")) if ok else "",
        "label": row.get("label") or "",
        "label_words": words.label_words(row.get("label")),
        "rate": fmt.rate(rate) if rate is not None else "",
        "population": _population(row),
        "through": words.through_text(row),
        "source": row["source"],
        "source_name": words.source_name(row["source"]),
        "source_short": words.source_short(row["source"]),
        "small": words.is_small(row),
        "flags": words.short_flags(row.get("flags")),
        "short": row.get("window") == "ytd" and "short" in str(row.get("flags") or ""),
        "row": row,
    }


def _population(row: dict[str, Any]) -> str:
    pop = words.whole(row.get("population"))
    if pop is None:
        return ""
    year, source = words.whole(row.get("population_year")), row.get("population_source")
    return f"population {pop:,} ({year}, {source})"


def answer_card(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Violent and property: the main figure each, and the year so far when newer."""
    figures = []
    for offense in CARD_OFFENSES:
        main = main_row(rows, offense)
        if main is None:
            continue
        fig = figure(main)
        fig["newer"] = [figure(r) for r in newer_rows(rows, main)]
        figures.append(fig)
    return {"figures": figures, "any_ok": any(f["ok"] for f in figures)}


def shown_keys(card: dict[str, Any]) -> set[tuple]:
    keys = set()
    for f in card["figures"]:
        for r in (f["row"], *(n["row"] for n in f["newer"])):
            keys.add((r["source"], r["start"], r["end"]))
    return keys


def earlier_data(rows: list[dict[str, Any]], card: dict[str, Any]) -> list[dict[str, Any]]:
    """Other sources' windows for violent and property crime, newest first."""
    shown = shown_keys(card)
    windows: dict[tuple, dict[str, Any]] = {}
    for r in rows:
        key = (r["source"], r["start"], r["end"])
        if r["offense"] not in CARD_OFFENSES or key in shown:
            continue
        w = windows.setdefault(
            key,
            {
                "source": r["source"],
                "source_name": words.source_name(r["source"]),
                "comparison": words.comparison(r),
                "through": words.through_text(r),
                "end": r["end"],
            },
        )
        w[r["offense"]] = figure(r)
    return sorted(windows.values(), key=lambda w: (w["end"], w["source"]), reverse=True)


def offense_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every offense: its main figure and any newer year to date (the card's rule)."""
    out = []
    for offense in words.OFFENSES:
        main = main_row(rows, offense)
        if main is not None:
            out += [figure(main), *(figure(r) for r in newer_rows(rows, main))]
    return out


def sample_rows(
    samples: dict[tuple, list[dict[str, Any]]], state: str, fig: dict[str, Any]
) -> list[dict[str, Any]]:
    """The state and national samples' rows for the same offense and window."""
    r = fig["row"]
    found = []
    for name in (f"Full Sample, {state}", "Full Sample, Nationwide"):
        cands = samples.get((name, r["offense"], r["start"], r["end"]), [])
        cands = [c for c in cands if comparable(c)]
        same = [c for c in cands if c.get("vintage") == r.get("vintage")]
        if same or cands:
            found.append((same or cands)[0])
    return found
