"""`crimetrends site build OUT/`: a self-contained static site (works offline, no CDN)."""

from __future__ import annotations

import datetime as dt
import shutil
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from crimetrends.publish.privacy import PrivacyPolicy
from crimetrends.publish.public import public_tables
from crimetrends.publish.tables import write_tables
from crimetrends.render import charts
from crimetrends.render import numbers as fmt
from crimetrends.taxonomy.offenses import offense_label

TABLE_ABOUT = {
    "cities": "Every agency with its population (source, year) and its sources",
    "trends": "Latest comparison per agency, source and offense with 95% CI, rate and label",
    "monthly": "Monthly counts with the 95% Poisson band, provisional and quality flags",
    "areas": "District and grid-cell counts (generalised, small counts suppressed)",
    "arrests": "Share of incidents with an arrest, by offense, with exact 95% intervals",
    "sources": "Registered sources, counting units, date bases, loads and quirks",
    "coverage": "Every source code with its harmonized offense and row count",
    "offenses": "The harmonized offense table and definitions",
}


def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("crimetrends.publish.site", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def _num(value: Any) -> Any:
    return "" if value is None or pd.isna(value) else value


def _trend_view(r: dict[str, Any]) -> dict[str, Any]:
    pct = None if pd.isna(r["pct_change"]) else float(r["pct_change"])
    low = None if pd.isna(r["ci_low"]) else float(r["ci_low"])
    high = None if pd.isna(r["ci_high"]) else float(r["ci_high"])
    count = None if pd.isna(r["count"]) else int(r["count"])
    prev = None if pd.isna(r["previous_count"]) else int(r["previous_count"])
    rate = None if pd.isna(r["rate_per_100k"]) else float(r["rate_per_100k"])
    return {
        **r,
        "offense_label": offense_label(r["offense"])
        if r["offense"] not in ("violent", "property")
        else r["offense"].title() + " crime",
        "count_raw": _num(count),
        "count_text": fmt.count(count),
        "previous_raw": _num(prev),
        "previous_text": fmt.count(prev),
        "pct_raw": _num(pct),
        "change_text": fmt.change(pct, low, high),
        "rate_raw": _num(rate),
        "rate_text": fmt.rate(rate),
    }


def _headline(r: dict[str, Any]) -> Markup:
    """One sentence per comparison; every data value is escaped."""
    v = _trend_view(r)
    what, period, source = escape(v["offense_label"]), escape(r["period"]), escape(r["source"])
    if r["count"] is None or pd.isna(r["count"]):
        return Markup(
            f"<strong>{what}</strong>, {period} ({source}): not comparable — {escape(r['flags'])}."
        )
    change = fmt.change(v["pct_raw"] or None, r["ci_low"], r["ci_high"])
    return Markup(
        f"<strong>{what}</strong>, {period} ({source}): {fmt.count(r['count'])} "
        f"vs {fmt.count(r['previous_count'])} in {escape(r['previous_period'])}, "
        f"{escape(change)}: <em>{escape(r['label'])}</em>."
    )


def build_site(out: Path, policy: PrivacyPolicy | None = None) -> dict[str, int]:
    """Render every page and download into `out`; return page and table counts."""
    policy = policy or PrivacyPolicy.from_settings()
    tables, prov = public_tables(policy=policy)
    out.mkdir(parents=True, exist_ok=True)
    static = resources.files("crimetrends.publish.site") / "static"
    if (out / "static").exists():
        shutil.rmtree(out / "static")
    shutil.copytree(str(static), out / "static")
    write_tables(tables, prov, out / "data")
    env = _env()
    generated = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    common = {"generated_at": generated, "root": ""}
    trends = tables["trends"].astype(object).where(tables["trends"].notna(), None)
    cities = tables["cities"]

    _render_overview(env, out, common, trends, cities)
    _render_city_pages(env, out, generated, trends, tables, prov, policy)
    _render_reference_pages(env, out, common, tables, prov)
    _render_models_page(env, out, common)
    return {"pages": 4 + len(cities), "tables": len(tables)}


SHOWN_KEYS = {
    "monthly": ("setup", "summary"),
    "maps": ("setup", "summary"),
    "hotspots": ("summary",),
    "impact": ("initiative", "estimates", "headline"),
}


def _render_models_page(env: Environment, out: Path, common: dict[str, Any]) -> None:
    """models.html: saved evaluations and hotspot summaries, with the result files."""
    from crimetrends.render.caveats import MODEL_CAVEATS
    from crimetrends.store import results

    folder = out / "data" / "results"
    folder.mkdir(parents=True, exist_ok=True)
    found: dict[str, list[dict[str, Any]]] = {kind: [] for kind in SHOWN_KEYS}
    for name in results.names():
        body = results.load(name) or {}
        shutil.copyfile(results.results_dir() / f"{name}.json", folder / f"{name}.json")
        kind = next((k for k in found if name.startswith(("evaluate-" + k, k + "-"))), None)
        if kind and set(SHOWN_KEYS[kind]) <= set(body):  # e.g. impact-simulation is not one
            found[kind].append({"name": name, **body})
    (out / "models.html").write_text(
        env.get_template("models.html").render(
            **common, title="Forecasts and hotspots", caveats=MODEL_CAVEATS, **found
        )
    )


def _overview_row(r: dict[str, Any], p: dict[str, Any], pop: int | None) -> dict[str, Any]:
    v, pv = _trend_view(r), _trend_view(p) if p else {}
    return {
        "agency": r["agency"],
        "slug": r["slug"],
        "source": r["source"],
        "start": r["start"],
        "period": f"{r['period']} vs {r['previous_period']}",
        "through": r["through"],
        "through_text": _month_text(r["through"]),
        "vintage": r.get("vintage") or "—",
        "sample": r.get("sample"),
        "v_count": v["count_text"],
        "v_count_raw": v["count_raw"],
        "v_change": v["change_text"],
        "v_pct_raw": v["pct_raw"],
        "v_label": r["label"],
        "p_change": pv.get("change_text", "—"),
        "p_pct_raw": pv.get("pct_raw", ""),
        "p_label": p.get("label", "—"),
        "population": fmt.count(pop),
        "population_raw": _num(pop),
    }


def _month_text(day: str) -> str:
    d = dt.date.fromisoformat(day)
    return f"{d:%b} {d.day}, {d.year}" if d.day != _last_day(d) else f"{d:%b %Y}"


def _last_day(d: dt.date) -> int:
    import calendar

    return calendar.monthrange(d.year, d.month)[1]


def _render_overview(
    env: Environment, out: Path, common: dict[str, Any], trends: pd.DataFrame, cities: pd.DataFrame
) -> None:
    """index.html: one window per agency, the newest comparable (as `trends --all`)."""
    pops = {c.agency: c for c in cities.itertuples()}
    records = trends.to_dict("records")
    heads = [r for r in records if r["headline"] and r["offense"] == "violent"]
    property_rows = {
        (r["agency"], r["start"], r["end"]): r for r in records if r["offense"] == "property"
    }
    rows, samples = [], []
    for r in sorted(heads, key=lambda r: r["agency"]):
        p = property_rows.get((r["agency"], r["start"], r["end"]), {})
        c = pops.get(r["agency"])
        pop = None if c is None or pd.isna(c.population) else int(c.population)
        (samples if r.get("sample") else rows).append(_overview_row(r, p, pop))
    labels = [r["v_label"] for r in rows]
    down, up, flat = (labels.count(k) for k in ("down", "up", "no detectable change"))
    summary = (
        f"Violent crime, each agency's newest comparable period: {down} agencies show a "
        f"detectable decline, {up} a detectable increase, {flat} no detectable change, and "
        f"{len(labels) - down - up - flat} cannot be compared (incomplete data)."
    )
    (out / "index.html").write_text(
        env.get_template("index.html").render(
            **common,
            title="All cities",
            rows=rows,
            samples=samples,
            n_cities=len(rows),
            summary=summary,
        )
    )


def _render_city_pages(
    env: Environment,
    out: Path,
    generated: str,
    trends: pd.DataFrame,
    tables: dict[str, pd.DataFrame],
    prov: dict[str, Any],
    policy: PrivacyPolicy,
) -> None:
    """city/<slug>.html for every agency."""
    cities = tables["cities"]
    city_dir = out / "city"
    city_dir.mkdir(exist_ok=True)
    monthly, areas, arrests = tables["monthly"], tables["areas"], tables["arrests"]
    source_prov = {s["name"]: s for s in prov["sources"]}
    for c in cities.to_dict("records"):
        context = _city_context(c, trends, monthly, areas, arrests, source_prov, policy)
        html = env.get_template("city.html").render(
            generated_at=generated, root="../", title=c["agency"], **context
        )
        (city_dir / f"{c['slug']}.html").write_text(html)


def _city_context(
    c: dict[str, Any],
    trends: pd.DataFrame,
    monthly: pd.DataFrame,
    areas: pd.DataFrame,
    arrests: pd.DataFrame,
    source_prov: dict[str, Any],
    policy: PrivacyPolicy,
) -> dict[str, Any]:
    """Everything one city page shows: headlines, charts with their tables, QC, sources."""
    slug = c["slug"]
    mine = trends[trends["slug"] == slug].to_dict("records")
    heads = [r for r in mine if r["offense"] in ("violent", "property")]
    heads.sort(key=lambda r: (r["end"], r["offense"] == "violent"), reverse=True)
    headlines = [_headline(r) for r in heads]
    mcharts = []
    m = monthly[monthly["slug"] == slug]
    for (source, offense), g in m.groupby(["source", "offense"]):
        cap = f"{offense.title()} crime per month, {c['agency']} ({source}), with 95% band"
        g = g.sort_values("month")
        mcharts.append(
            {
                "id": f"m-{source}-{offense}",
                "caption": cap,
                "spec": charts.monthly_trend(g, cap),
                "columns": [
                    {"key": "month", "title": "Month"},
                    {"key": "count_text", "title": "Count", "num": True},
                    {"key": "band", "title": "95% band", "num": True},
                    {"key": "quality_flags", "title": "Flags"},
                ],
                "rows": [
                    {
                        "month": r.month,
                        "count_text": fmt.count(None if pd.isna(r.count) else r.count),
                        "band": "—" if pd.isna(r.ci_low) else f"{r.ci_low:,.0f}–{r.ci_high:,.0f}",
                        "quality_flags": r.quality_flags,
                    }
                    for r in g.itertuples()
                ],
            }
        )
    views = [_trend_view(r) for r in mine]
    parts = [
        v for v in views if v["offense"] not in ("violent", "property") and v["count_raw"] != ""
    ]
    breakdown = None
    if parts:
        latest = max(v["end"] for v in parts)
        parts = [v for v in parts if v["end"] == latest]
        frame = pd.DataFrame(
            {
                "offense": [v["offense_label"] for v in parts],
                "count": [v["count_raw"] for v in parts],
            }
        )
        cap = f"Part I offenses, {parts[0]['period']} ({parts[0]['source']})"
        breakdown = {
            "id": "chart-breakdown",
            "caption": cap,
            "spec": charts.bars(frame, "count", "offense", cap, "crimes"),
            "columns": [
                {"key": "offense", "title": "Offense"},
                {"key": "count", "title": "Count", "num": True},
            ],
            "rows": [
                {"offense": o, "count": fmt.count(n)}
                for o, n in zip(frame.offense, frame["count"], strict=True)
            ],
        }
    a = arrests[arrests["slug"] == slug] if not arrests.empty else arrests
    arrest_chart = None
    if not a.empty:
        a = a[a["incidents"] >= 100]
        cap = f"Share of incidents with an arrest, {int(a['year'].iloc[0])}"
        arrest_chart = {
            "id": "chart-arrests",
            "caption": cap,
            "year": int(a["year"].iloc[0]),
            "spec": charts.bars(
                a,
                "arrest_share",
                "offense_label",
                cap,
                "arrest share",
                "ci_low",
                "ci_high",
                fmt=".0%",
            ),
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
    ar = areas[areas["slug"] == slug] if not areas.empty else areas
    map_charts, district_rows = [], []
    if not ar.empty:
        year = int(ar["year"].max())
        grid = ar[(ar["area_type"] == "grid") & (ar["year"] == year)]
        for group, g in grid.groupby("group"):
            cap = f"{group.capitalize()} incidents {year} per {policy.cell_m:.0f} m cell"
            shown = g[g["count"].notna()]
            map_charts.append(
                {
                    "id": f"map-{len(map_charts)}",
                    "caption": cap,
                    "spec": charts.count_map(shown, cap, policy.cell_m),
                    "columns": [
                        {"key": "area_id", "title": "Cell"},
                        {"key": "lat", "title": "Centre lat", "num": True},
                        {"key": "lon", "title": "Centre lon", "num": True},
                        {"key": "count", "title": "Count", "num": True},
                    ],
                    "rows": [
                        {
                            "area_id": r.area_id,
                            "lat": r.lat,
                            "lon": r.lon,
                            "count": fmt.count(r.count),
                        }
                        for r in shown.sort_values("count", ascending=False).itertuples()
                    ],
                }
            )
        d = ar[(ar["area_type"] == "district") & (ar["year"] == year)]
        district_rows = [
            {
                "district": r.area_id,
                "group": r.group,
                "count": "suppressed" if r.suppressed else fmt.count(r.count),
            }
            for r in d.itertuples()
        ]
    qc = m[m["quality_flags"].fillna("") != ""].sort_values(["source", "offense", "month"])
    return dict(
        city={
            **c,
            "population_text": fmt.count(c["population"]) if not pd.isna(c["population"]) else None,
            "population_year": None if pd.isna(c["population_year"]) else int(c["population_year"]),
        },
        headlines=headlines,
        monthly_charts=mcharts,
        trend_rows=views,
        breakdown_chart=breakdown,
        arrest_chart=arrest_chart,
        map_charts=map_charts,
        district_rows=district_rows,
        district_columns=[
            {"key": "district", "title": "District"},
            {"key": "group", "title": "Offenses"},
            {"key": "count", "title": "Count", "num": True},
        ],
        cell_m=f"{policy.cell_m:.0f}",
        min_count=policy.min_count,
        qc_rows=qc.to_dict("records"),
        sources=[source_prov[s] for s in sorted({r["source"] for r in mine}) if s in source_prov],
    )


def _render_reference_pages(
    env: Environment,
    out: Path,
    common: dict[str, Any],
    tables: dict[str, pd.DataFrame],
    prov: dict[str, Any],
) -> None:
    """methodology.html and downloads.html."""
    cov = tables["coverage"]
    mapped = (
        cov[cov["match"] != "unmapped"].groupby("source")["rows"].sum()
        / cov.groupby("source")["rows"].sum()
        * 100
    )
    srcs = [
        {
            **s,
            "rows_text": fmt.count(s["rows"]),
            "mapped": f"{mapped[s['source']]:.2f}%" if s["source"] in mapped else "—",
        }
        for s in tables["sources"].to_dict("records")
    ]
    (out / "methodology.html").write_text(
        env.get_template("methodology.html").render(
            **common,
            title="Methodology",
            offenses=tables["offenses"].to_dict("records"),
            sources=srcs,
            privacy=prov["privacy"],
        )
    )
    (out / "downloads.html").write_text(
        env.get_template("downloads.html").render(
            **common,
            title="Downloads",
            tables=[
                {"name": k, "about": TABLE_ABOUT[k], "rows": fmt.count(len(v))}
                for k, v in tables.items()
            ],
        )
    )
