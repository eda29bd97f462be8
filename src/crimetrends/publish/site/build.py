"""`crimetrends site build OUT/`: a self-contained static site (works offline, no CDN).

The pages, in the order a reader meets them: the overview (find a city, one window per
agency), a page per agency (answer first), methodology, downloads (with a column guide) and,
when model results are saved, the Forecasts page. Each page's context is built by its own
module (overview, city, models); this one renders and writes.
"""

from __future__ import annotations

import datetime as dt
import shutil
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from crimetrends.publish.privacy import PrivacyPolicy
from crimetrends.publish.site import words
from crimetrends.publish.site.city_charts import RAW_VALUES
from crimetrends.publish.site.data import SiteData, load
from crimetrends.publish.site.guide import TABLE_ABOUT, describe
from crimetrends.render import numbers as fmt


def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("crimetrends.publish.site", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["label_words"] = words.label_words
    env.filters["label_kind"] = words.label_kind
    env.filters["long_date"] = words.long_date
    env.filters["chart_json"] = chart_json
    env.filters["table_rows"] = table_rows
    return env


def table_rows(t: dict[str, Any]) -> Markup:
    """A data table's body rows, escaped as the template would (a missing key renders
    empty, None as "None"): the series tables hold hundreds of rows a page, and Jinja's
    per-cell lookup and escape took a quarter of the page rendering."""
    cells = [(c["key"], '<td class="num">' if c.get("num") else "<td>") for c in t["columns"]]
    out = []
    for r in t["rows"]:
        out.append("<tr>")
        for key, td in cells:
            out.append(f"{td}{escape(r[key]) if key in r else ''}</td>")
        out.append("</tr>")
    return Markup("".join(out))


def chart_json(chart: dict[str, Any]) -> Markup:
    """A chart's spec as JSON safe inside <script>, with its points put in where they were
    encoded once for every page (`chart["values"]`, see prepare.py)."""
    from jinja2.utils import htmlsafe_json_dumps

    text = str(htmlsafe_json_dumps(chart["spec"]))
    values = chart.get("values")
    if values is not None:
        safe = (
            values.replace("<", "\\u003c")
            .replace(">", "\\u003e")
            .replace("&", "\\u0026")
            .replace("'", "\\u0027")
        )
        text = text.replace(f'"{RAW_VALUES}"', safe, 1)
    return Markup(text)


def build_site(out: Path, policy: PrivacyPolicy | None = None) -> dict[str, int]:
    """Render every page and download into `out`; return page and table counts."""
    from crimetrends.publish.site import models, overview

    policy = policy or PrivacyPolicy.from_settings()
    data = load(policy)
    out.mkdir(parents=True, exist_ok=True)
    _copy_static(out)
    _write_tables(out / "data", data)
    model_view = models.models_context(data)
    env = _env()
    common = {
        "generated_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "has_models": model_view is not None,
    }
    view = overview.overview(data)
    overview.write_data(out, view)
    rows = overview.html_rows(view)
    _write(
        env,
        out / "index.html",
        "index.html",
        common,
        root="",
        title="All cities",
        rows=rows,
        small_total=words.SMALL_TOTAL,
        **view,
    )
    pages = 1 + _render_cities(env, out, common, data)
    pages += _render_reference(env, out, common, data)
    if models.render_page(env, out, common, data):
        pages += 1
    return {"pages": pages, "tables": len(data.tables) + 1}


def _write(env: Environment, path: Path, template: str, common: dict[str, Any], **ctx: Any) -> None:
    path.write_text(env.get_template(template).render(**common, **ctx), encoding="utf-8")


def _write_tables(folder: Path, data: SiteData) -> None:
    """The public tables' files (CSV, Parquet, JSON with provenance) and the series, copied
    from the cache `public_tables` made whole (written afresh when there is none)."""
    names = [f"{t}.{ext}" for t in data.tables for ext in ("csv", "parquet", "json")]
    names += ["provenance.json"]
    folder.mkdir(parents=True, exist_ok=True)
    cache = data.folder
    if cache is not None and all((cache / n).exists() for n in names):
        for n in names:
            shutil.copyfile(cache / n, folder / n)
    else:
        from crimetrends.publish.tables import write_tables

        write_tables(data.tables, data.prov, folder)
    if cache is not None and (cache / "site-series.parquet").exists():
        shutil.copyfile(cache / "site-series.parquet", folder / "series.parquet")
    else:
        data.series.to_parquet(folder / "series.parquet", index=False)


def _copy_static(out: Path) -> None:
    static = resources.files("crimetrends.publish.site") / "static"
    if (out / "static").exists():
        shutil.rmtree(out / "static")
    shutil.copytree(str(static), out / "static")


def _render_cities(env: Environment, out: Path, common: dict[str, Any], data: SiteData) -> int:
    from crimetrends.publish.site.pages import write_city_pages
    from crimetrends.publish.site.prepare import prepare

    return write_city_pages(env, out, common, data, prepare(data))


def _render_reference(env: Environment, out: Path, common: dict[str, Any], data: SiteData) -> int:
    """methodology.html and downloads.html (with the column guide)."""
    tables = data.tables
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
    _write(
        env,
        out / "methodology.html",
        "methodology.html",
        common,
        root="",
        title="Methodology",
        offenses=tables["offenses"].to_dict("records"),
        sources=srcs,
        privacy=data.prov["privacy"],
        small_total=words.SMALL_TOTAL,
    )
    shipped = {**tables, "series": data.series}
    guide = [
        {
            "name": name,
            "about": TABLE_ABOUT.get(name, ""),
            "rows": fmt.count(len(frame)),
            "formats": ("csv", "parquet", "json") if name in tables else ("parquet",),
            "columns": [{"name": c, "about": describe(name, c) or ""} for c in frame.columns],
        }
        for name, frame in shipped.items()
    ]
    _write(
        env,
        out / "downloads.html",
        "downloads.html",
        common,
        root="",
        title="Downloads",
        tables=guide,
    )
    return 2
