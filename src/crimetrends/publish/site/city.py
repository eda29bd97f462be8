"""city/<slug>.html: the answer first, then how it was reached.

Order on the page: the answer card (violent and property, newest comparable window, 95%
interval and label in words, data through / published) with its chart; earlier data from
other sources, newest first; the trend over time (offense, count or rate, month or rolling
12 months); every offense; breakdown; arrests; map; quality; sources; this page's files.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from crimetrends.publish.site import city_charts, figures, words
from crimetrends.publish.site.data import SiteData
from crimetrends.render import numbers as fmt

if TYPE_CHECKING:
    from crimetrends.publish.site.prepare import Prepared


def city_context(c: dict[str, Any], data: SiteData, prep: Prepared) -> dict[str, Any]:
    """Everything one city page shows (each part built by its own function; what can be
    done over whole tables was done once, in `prep`)."""
    from crimetrends.publish.site.maps import city_maps

    slug = c["slug"]
    rows = figures.unique_rows(data.trends_by_slug.get(slug, []))
    card = figures.answer_card(rows)
    areas = data.city("areas", slug)
    maps = city_maps(areas, data.districts, data.hotspots, data.policy, c["agency"])
    return {
        "city": _city(c),
        "card": card,
        "answer_chart": city_charts.answer_chart(card, data.samples, c),
        "earlier": figures.earlier_data(rows, card),
        "trend": city_charts.trend_charts(prep, slug, c["agency"]),
        "offense_rows": figures.offense_rows(rows),
        "breakdown": city_charts.breakdown_chart(rows, card),
        "arrests": city_charts.arrest_chart(data.city("arrests", slug)),
        "maps": maps,
        "map_years": sorted({y for m in maps for y in m["years"]}),
        "districts": prep.district_rows.get(slug, []),
        "cell_m": f"{data.policy.cell_m:.0f}",
        "min_count": data.policy.min_count,
        "qc_rows": prep.quality.get(slug, []),
        "sources": _sources(rows, data),
        "rows": rows,
    }


def _city(c: dict[str, Any]) -> dict[str, Any]:
    pop = words.whole(c.get("population"))
    return {
        **c,
        "name": c["agency"].split(", ")[0],
        "population_text": fmt.count(pop) if pop is not None else None,
        "population_year": words.whole(c.get("population_year")),
    }


def _sources(rows: list[dict[str, Any]], data: SiteData) -> list[dict[str, Any]]:
    prov = {s["name"]: s for s in data.prov.get("sources", [])}
    return [prov[s] for s in sorted({r["source"] for r in rows}) if s in prov]


def shown_figures(context: dict[str, Any]) -> list[int]:
    """The trend rows the page states (card, earlier data, every offense), once each, as
    their places in the trends table."""
    keep = []
    for f in context["card"]["figures"]:
        keep += [f["row"], *(n["row"] for n in f["newer"])]
    for w in context["earlier"]:
        keep += [w[o]["row"] for o in figures.CARD_OFFENSES if o in w]
    keep += [f["row"] for f in context["offense_rows"]]
    return [r["_i"] for r in figures.unique_rows(keep)]


def write_downloads(out: Path, context: dict[str, Any], prep: Prepared) -> list:
    """data/city/<slug>/*.csv: exactly the tables the page shows; returns their links."""
    from pyarrow import csv

    slug = context["city"]["slug"]
    folder = out / "data" / "city" / slug
    folder.mkdir(parents=True, exist_ok=True)
    charted = {o for c in context["trend"]["charts"] for o in c["offenses"]}
    rows = prep.rows(slug)
    offense = prep.col["offense"][rows]
    shown = rows[prep.usable[rows] & np.isin(offense, list(charted))]
    files = {
        "figures": prep.arrow["trends"].take(np.asarray(shown_figures(context), dtype=np.int64)),
        "series": prep.arrow["series"].take(shown),
        "areas": prep.arrow["areas"].take(prep.areas_of.get(slug, np.zeros(0, dtype=np.int64))),
    }
    links = []
    for name, table in files.items():
        if table.num_rows == 0:
            continue
        csv.write_csv(table, folder / f"{name}.csv")
        links.append(
            {"name": name, "href": f"../data/city/{slug}/{name}.csv", "rows": table.num_rows}
        )
    return links
