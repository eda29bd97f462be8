"""The charts of a city page, each with its data table, caption and description.

No chart is drawn empty: a series with no usable month is left out and a sentence says why
(Los Angeles' RTCI violent and property totals are missing in every month, because it
reported only murders), and the offense that can be compared is charted in its place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from crimetrends.publish.site import figures, words
from crimetrends.render import charts
from crimetrends.render import numbers as fmt

if TYPE_CHECKING:
    from crimetrends.publish.site.prepare import Prepared

# the chart's points are encoded once for every city (prepare.py) and put in at render time
RAW_VALUES = "@@values@@"


def answer_chart(
    card: dict[str, Any], samples: dict[tuple, list[dict[str, Any]]], city: dict[str, Any]
) -> dict[str, Any] | None:
    """The card's changes with their intervals, beside the state and national samples."""
    rows, windows = [], []
    short = city["agency"].split(", ")[0]
    for fig in card["figures"]:
        if not fig["ok"]:
            continue
        windows.append(fig["comparison"])
        rows.append(_interval_row(short, fig))
        for s in figures.sample_rows(samples, city.get("state") or "", fig):
            place = s["agency"].replace("Full Sample, ", "")
            label = f"{'US' if place == 'Nationwide' else place} sample ({s['sample_agencies']:,})"
            rows.append(_interval_row(label, figures.figure(s)))
    if not rows:
        return None
    window = windows[0] if len(set(windows)) == 1 else "newest windows"
    groups = tuple(f["name"] for f in card["figures"] if f["ok"])
    title = f"Change {window}, with 95% interval"
    places = ", ".join(dict.fromkeys(r["y"] for r in rows))
    description = (
        f"Dot chart of the percent change {window} for {', '.join(groups).lower()} in "
        f"{places}, each with a line for its 95% interval and a dashed line at zero. "
        + " ".join(f"{r['group']}, {r['y']}: {r['text']}, {r['label']}." for r in rows)
    )
    spec = charts.interval_chart(rows, title, description, "% change", groups)
    caption = (
        "Samples: the Real-Time Crime Index's sums over the agencies it holds in the state and "
        "nationwide (number of agencies in brackets); not agencies, never ranked among them."
    )
    table = {
        "caption": title,
        "columns": [
            {"key": "group", "title": "Offense"},
            {"key": "y", "title": "Where"},
            {"key": "text", "title": "Change (95% CI)", "num": True},
            {"key": "label", "title": "Label"},
        ],
        "rows": rows,
    }
    return {"id": "chart-answer", "spec": spec, "caption": caption, "table": table}


def _interval_row(place: str, fig: dict[str, Any]) -> dict[str, Any]:
    r = fig["row"]
    return {
        "y": place,
        "group": fig["name"],
        "pct": round(float(r["pct_change"]), 2),
        "lo": None if words.number(r["ci_low"]) is None else round(float(r["ci_low"]), 2),
        "hi": None if words.number(r["ci_high"]) is None else round(float(r["ci_high"]), 2),
        "text": words.change_text(r),
        "text_short": fig["pct"],
        "label": r["label"],
    }


def trend_charts(prep: Prepared, slug: str, agency: str) -> dict[str, Any]:
    """The monthly and the annual chart, the offenses they offer and what is missing."""
    out: dict[str, Any] = {"charts": [], "offenses": [], "reasons": [], "rate_ok": False}
    rows = prep.rows(slug)
    if not len(rows):
        return out
    grain = prep.col["grain"][rows]
    offense = prep.col["offense"][rows]
    for g in ("month", "year"):
        ok = rows[(grain == g) & prep.usable[rows]]
        charted = set(offense[(grain == g) & prep.usable[rows]])
        out["reasons"] += [
            r for r in prep.reasons.get((slug, g), []) if r["offense"] not in charted
        ]
        if len(ok):
            out["charts"].append(_series_chart(prep, ok, agency, g))
    present = {o for c in out["charts"] for o in c["offenses"]}
    out["offenses"] = [
        {"key": o, "name": words.offense_name(o)} for o in words.OFFENSES if o in present
    ]
    out["rate_ok"] = prep.rate_ok.get(slug, False)
    out["populations"] = prep.populations.get(slug, "")
    return out


def _series_chart(prep: Prepared, ok: np.ndarray, agency: str, grain: str) -> dict[str, Any]:
    from crimetrends.publish.site.prepare import table_rows

    offense = prep.col["offense"][ok]
    offenses = [o for o in words.OFFENSES if o in set(offense)]
    default = "violent" if "violent" in offenses else offenses[0]
    keys = sorted(set(prep.col["source"][ok]))
    sources = [words.source_name(x) for x in keys]
    names = {o: words.offense_name(o) for o in offenses}
    what = "month" if grain == "month" else "year"
    description = (
        f"Line chart of crimes per {what} in {agency} by source ({', '.join(sources)}), for the "
        f"offense chosen above, with a shaded 95% band"
        + (
            ", triangles on provisional months and gaps where a month is missing."
            if grain == "month"
            else "."
        )
    )
    spec = charts.series_chart(
        RAW_VALUES,
        description,
        grain,
        default,
        names,
        sources,
        {k: words.source_name(k) for k in keys},
    )
    first = ok[offense == default]
    first = first[np.argsort(prep.col["period"][first], kind="stable")]
    table = {
        "caption": f"{words.offense_name(default)} per {what}, {agency}",
        "columns": [
            {"key": "source", "title": "Source"},
            {"key": "period", "title": "Period"},
            {"key": "count", "title": "Count", "num": True},
            {"key": "band", "title": "95% band", "num": True},
            {"key": "flags", "title": "Flags"},
        ],
        "rows": table_rows(prep, first),
    }
    return {
        "id": f"chart-{grain}",
        "grain": grain,
        "spec": spec,
        "values": "[" + ",".join(prep.points[ok]) + "]",
        "offenses": offenses,
        "default": default,
        "table": table,
        "caption": "Shaded: exact 95% Poisson band of each count. "
        + ("Triangles: provisional months the publisher may revise. " if grain == "month" else "")
        + "Gaps: periods with missing or incomplete data (never drawn as zero).",
    }


def breakdown_chart(rows: list[dict[str, Any]], card: dict[str, Any]) -> dict[str, Any] | None:
    """Counts of the component offenses in the card's main violent window."""
    main = next((f["row"] for f in card["figures"] if f["ok"]), None)
    if main is None:
        return None
    same = [
        r
        for r in rows
        if r["offense"] not in figures.CARD_OFFENSES
        and (r["source"], r["start"], r["end"]) == (main["source"], main["start"], main["end"])
        and words.whole(r.get("count")) is not None
    ]
    if not same:
        return None
    bars = sorted(
        ({"offense": words.offense_name(r["offense"]), "count": int(r["count"])} for r in same),
        key=lambda b: -b["count"],
    )
    title = f"Crimes by offense, {main['period']} ({words.source_name(main['source'])})"
    description = f"{title}: horizontal bars. " + "; ".join(
        f"{b['offense']}: {b['count']:,}" for b in bars
    )
    spec = charts.bars(bars, "count", "offense", title, "crimes", description=description)
    table = {
        "caption": title,
        "columns": [
            {"key": "offense", "title": "Offense"},
            {"key": "count", "title": "Count", "num": True},
        ],
        "rows": [{"offense": b["offense"], "count": fmt.count(b["count"])} for b in bars],
    }
    return {"id": "chart-breakdown", "spec": spec, "caption": "", "table": table}


def arrest_chart(arrests: pd.DataFrame) -> dict[str, Any] | None:
    """Share of incidents with an arrest, by offense (offenses with 100+ incidents)."""
    a = arrests[arrests["incidents"] >= 100] if not arrests.empty else arrests
    if a.empty:
        return None
    year = int(a["year"].iloc[0])
    title = f"Share of {year} incidents with an arrest recorded"
    description = f"{title}: horizontal bars with a line for the exact 95% interval. " + "; ".join(
        f"{r.offense_label}: {r.arrest_share:.0%}" for r in a.itertuples()
    )
    spec = charts.bars(
        a,
        "arrest_share",
        "offense_label",
        title,
        "arrest share",
        "ci_low",
        "ci_high",
        fmt=".0%",
        description=description,
    )
    table = {
        "caption": title,
        "columns": [
            {"key": "offense", "title": "Offense"},
            {"key": "incidents", "title": "Incidents", "num": True},
            {"key": "arrests", "title": "Arrests", "num": True},
            {"key": "share", "title": "Share (95% CI)", "num": True},
        ],
        "rows": [
            {
                "offense": r.offense_label,
                "incidents": fmt.count(r.incidents),
                "arrests": fmt.count(r.arrests),
                "share": f"{r.arrest_share:.1%} ({r.ci_low:.1%}–{r.ci_high:.1%})",
            }
            for r in a.itertuples()
        ],
    }
    return {"id": "chart-arrests", "spec": spec, "caption": "", "table": table, "year": year}
