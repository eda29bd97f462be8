"""The public site's content, checked against the library (no browser needed)."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from typer.testing import CliRunner

from crimetrends.publish.privacy import SENSITIVE_OFFENSES, PrivacyPolicy
from crimetrends.render import numbers as fmt

from .site_results import site_with_results

CITIES = {
    "chicago-illinois": "Chicago",
    "new-york-city-new-york": "New York City",
    "los-angeles-california": "Los Angeles",
}
# d3 formats that print a precise number (no "2e+3"): fixed, integer, percent, or a time
PLAIN_FORMAT = re.compile(r"^(,?[+]?~?(\.\d+)?~?[fd%]|,\.1~f|\+?,~f|%[a-zA-Z].*|,)$")


@pytest.fixture(scope="module")
def rsite(bundle_home, public, tmp_path_factory):
    return site_with_results(bundle_home, tmp_path_factory)


def page(site: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((site / name).read_text(encoding="utf-8"), "lxml")


def specs(soup: BeautifulSoup) -> dict[str, dict]:
    return {s["data-chart"]: json.loads(s.string) for s in soup.select("script[data-chart]")}


@pytest.mark.slow
def test_overview_counts_equal_the_cli(site, store):
    """The summary line's counts are `crimetrends trends --all` with its defaults."""
    from crimetrends.cli import app

    r = CliRunner().invoke(app, ["trends", "--all", "--format", "json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)["rows"]
    labels = [row["label"] for row in rows]
    text = page(site, "index.html").select_one("p.summary").get_text(" ", strip=True)
    numbers = [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", text)]
    down, agencies, up, flat, na = numbers[:5]
    assert agencies == len(rows) >= 600
    assert down == labels.count("down") and up == labels.count("up")
    assert flat == labels.count("no detectable change")
    assert na == len(rows) - down - up - flat
    # the overview's rows are the same windows, one per agency, and no sample among them
    data = overview_data(site)
    violent = data["figures"]["violent"]
    assert len(violent) == len(rows)
    names = {data["agencies"][f[0]][0] for f in violent}
    assert names == {row["agency"] for row in rows}
    assert not any(n.startswith("Full Sample") for n in names)


def overview_data(site: Path) -> dict:
    text = (site / "data" / "overview.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("=") + 1 :].rstrip().rstrip(";"))


def test_small_and_incomparable_rows_come_last(site):
    data = overview_data(site)
    f = {k: i for i, k in enumerate(data["fields"])}
    for offense, rows in data["figures"].items():
        groups = [(r[f["pct"]] is None, r[f["small"]]) for r in rows]
        assert groups == sorted(groups), offense
        for r in rows:
            if r[f["count"]] is not None and r[f["previous"]] is not None:
                assert r[f["small"]] == (r[f["count"]] + r[f["previous"]] < data["small_total"])
    # Greenwich-like rows (a handful of crimes) are flagged, and never first
    small = [r for r in data["figures"]["violent"] if r[f["small"]]]
    assert small and data["figures"]["violent"][0][f["small"]] == 0


def test_search_names_include_initials_and_aliases(site):
    data = overview_data(site)
    search = {a[1]: a[5] for a in data["agencies"]}
    assert "nyc" in search["new-york-city-new-york"].split()
    assert "chicago" in search["chicago-illinois"].split()
    assert "la" in search["los-angeles-california"].split()


def _library_answer(agency: str) -> list:
    from crimetrends.analysis.report import TrendQuery, trend_report

    rows = []
    for offense in ("violent", "property"):
        rows += [
            r.to_dict() for r in trend_report(TrendQuery(agencies=(agency,), offense=offense)).rows
        ]
    return rows


@pytest.mark.parametrize("slug", list(CITIES))
def test_answer_card_equals_trend_report(site, store, slug):
    """Each figure on the card is a row `crimetrends trends --agency X` gives, same numbers."""
    soup = page(site, f"city/{slug}.html")
    card = soup.select_one("section#answer")
    assert card is not None
    library = _library_answer(CITIES[slug])
    figures = card.select(".answer-figure")
    assert [f["data-offense"] for f in figures] == ["violent", "property"]
    for fig in figures:
        offense = fig["data-offense"]
        big = fig.select_one(".big")
        text = fig.get_text(" ", strip=True)
        mine = [
            r
            for r in library
            if r["offense"] == offense and r["pct_change"] is not None and r["window"] == "year"
        ] or [r for r in library if r["offense"] == offense]
        row = max(mine, key=lambda r: r["end"])
        if big is None:  # not comparable: the card says so, with the reason
            assert "Not comparable" in text
            continue
        assert big.get_text().startswith(f"{row['pct_change']:+.1f}%".replace("-", "\u2212"))
        assert f"{row['count']:,} vs {row['previous_count']:,}" in text
        assert f"{row['period']} vs {row['previous_period']}" in text
        assert f"95% interval {fmt.ci(row['ci_low'], row['ci_high'])}" in text
        if row["vintage"]:
            published = pd.Timestamp(row["vintage"])
            assert f"published {published.day} {published:%b %Y}" in text
        assert f"Data through {pd.Timestamp(row['through']):%b %Y}" in text


def test_every_chart_is_described_quiet_and_plainly_numbered(rsite):
    site, _ = rsite
    pages = ["index.html", "models.html", *(f"city/{s}.html" for s in CITIES)]
    seen = 0
    for name in pages:
        for cid, spec in specs(page(site, name)).items():
            seen += 1
            assert len(spec.get("description", "")) > 40, (name, cid)
            for node in _walk(spec):
                if "mark" in node:
                    assert isinstance(node["mark"], dict) and node["mark"]["aria"] is False
                axis = node.get("axis")
                if isinstance(axis, dict) and "format" in axis:
                    assert PLAIN_FORMAT.match(axis["format"]), (name, cid, axis["format"])
    assert seen >= 12


def _walk(node):
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from _walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v)


@pytest.mark.slow
@pytest.mark.parametrize("slug", list(CITIES))
def test_no_chart_is_drawn_empty(rsite, slug):
    """Every series chart has points for the offense it opens on; a map has cells."""
    site, _ = rsite
    for cid, spec in specs(page(site, f"city/{slug}.html")).items():
        values = spec.get("data", {}).get("values")
        if cid.startswith("chart-month") or cid.startswith("chart-year"):
            offense = next(p["value"] for p in spec["params"] if p["name"] == "offense")
            assert any(v["o"] == offense and "c" in v for v in values), (slug, cid)
        elif cid.startswith("map-"):
            assert spec["layer"][0]["data"]["values"]
        else:
            assert values, (slug, cid)


def _source_names(spec: dict) -> dict[str, str]:
    """The chart's own key -> name mapping (the calculate that names each point's source)."""
    expr = next(t["calculate"] for t in spec["transform"] if t.get("as") == "s")
    return dict(re.findall(r"datum\.s == '([^']+)' \? '([^']+)'", expr))


def test_los_angeles_says_why_and_charts_what_can_be_compared(site):
    soup = page(site, "city/los-angeles-california.html")
    reasons = [li.get_text() for li in soup.select(".reasons li[data-offense='violent']")]
    assert any("incomplete in every month" in r and "robbery" in r for r in reasons)
    charts = specs(soup)
    month = charts["chart-month"]
    assert next(p["value"] for p in month["params"] if p["name"] == "offense") == "murder"
    assert {v["s"] for v in month["data"]["values"]} == {"rtci"}
    assert _source_names(month)["rtci"] == "Real-Time Crime Index, monthly counts"
    year = charts["chart-year"]
    sources = {v["s"] for v in year["data"]["values"] if v["o"] == "violent" and "c" in v}
    assert "lapd_annual" in sources and _source_names(year)["lapd_annual"] == "LAPD annual counts"
    lapd = [v for v in year["data"]["values"] if v["s"] == "lapd_annual" and v["o"] == "violent"]
    assert len(lapd) >= 10


def test_series_match_the_public_monthly_table_and_the_store(site, public, store):
    from crimetrends.analysis.aggregate import all_series
    from crimetrends.analysis.trends import provisional_months

    tables, _ = public
    series = pd.read_parquet(site / "data" / "series.parquet")
    m = tables["monthly"]
    mine = series[(series["grain"] == "month") & series["offense"].isin(["violent", "property"])]
    joined = mine.merge(
        m.assign(period=m["month"] + "-01"), on=["slug", "source", "offense", "period"]
    )
    assert len(joined) == len(m)
    assert (joined["count_x"].fillna(-1) == joined["count_y"].astype(float).fillna(-1)).all()
    # a component series: provisional months and rolling sums as the library defines them
    from crimetrends.store.connect import connect

    (s,) = [
        x
        for x in all_series(connect(), ("murder",), "murder", agency="Chicago, Illinois")
        if x.source == "rtci"
    ]
    got = series[
        (series["slug"] == "chicago-illinois")
        & (series["source"] == "rtci")
        & (series["offense"] == "murder")
    ].sort_values("period")
    prov = {p.isoformat() for p in provisional_months(s)}
    assert set(got.loc[got["provisional"], "period"]) == prov and prov
    counts = got["count"].to_numpy()
    for i in range(11, len(counts)):
        window = counts[i - 11 : i + 1]
        want = window.sum() if not any(math.isnan(x) for x in window) else float("nan")
        assert (math.isnan(want) and math.isnan(got["rolling12"].iloc[i])) or want == got[
            "rolling12"
        ].iloc[i]


def test_column_guide_explains_every_column(site, public):
    from crimetrends.publish.site.guide import describe

    tables, _ = public
    series = pd.read_parquet(site / "data" / "series.parquet")
    missing = [
        f"{name}.{col}"
        for name, frame in {**tables, "series": series}.items()
        for col in frame.columns
        if not describe(name, col)
    ]
    assert missing == []
    guide = page(site, "downloads.html").select_one("#guide-trends").get_text()
    assert "headline" in guide and "vintage" in guide


def test_city_downloads_are_what_the_page_shows(site):
    slug = "chicago-illinois"
    soup = page(site, f"city/{slug}.html")
    figures = pd.read_csv(site / "data" / "city" / slug / "figures.csv")
    every_offense = soup.select("#offenses table.cards tbody tr")
    earlier = [td for td in soup.select("#earlier tbody td.change")]
    assert len(figures) == len(every_offense) + len(earlier) > 0  # the card repeats rows of both
    keys = set(zip(figures["offense"], figures["period"], figures["source"], strict=True))
    for fig in soup.select(".answer-figure"):
        assert any(k[0] == fig["data-offense"] for k in keys)
    series = pd.read_csv(site / "data" / "city" / slug / "series.csv")
    charted = sum(
        len(spec["data"]["values"])
        for cid, spec in specs(soup).items()
        if cid in ("chart-month", "chart-year")
    )
    assert len(series) == charted
    links = [a["href"] for a in soup.select("#page-files a[download]")]
    assert f"../data/city/{slug}/figures.csv" in links


def test_maps_follow_the_privacy_policy(site, public):
    tables, _ = public
    policy = PrivacyPolicy.from_settings()
    areas = tables["areas"]
    grid = areas[areas["area_type"] == "grid"]
    soup = page(site, "city/chicago-illinois.html")
    maps = {k: v for k, v in specs(soup).items() if k.startswith("map-")}
    assert maps
    for spec in maps.values():
        cells = spec["layer"][0]["data"]["values"]
        assert all(c["n"] >= policy.min_count for c in cells)
        assert {c["yr"] for c in cells} == set(grid["year"].unique())
        # one map per mapped group, none of them a sensitive offense
        text = spec["description"].lower()
        assert not any(o.replace("_", " ") in text.split("excl.")[0] for o in SENSITIVE_OFFENSES)
    names = [
        v["d"]
        for spec in maps.values()
        for layer in spec["layer"][1:]
        for v in layer.get("data", {}).get("values", [])
        if "d" in v
    ]
    assert len(set(names)) >= 20  # Chicago's police districts are named on the map


def test_district_outlines_run_only_between_published_cells(public, store):
    from crimetrends.publish.site.districts import boundaries, cell_districts
    from crimetrends.store.connect import connect

    tables, _ = public
    policy = PrivacyPolicy.from_settings()
    grid = tables["areas"][tables["areas"]["area_type"] == "grid"]
    cells = grid[grid["group"] == grid["group"].iloc[0]]
    districts = cell_districts(connect(), cells, policy)
    assert len(districts) > 500 and set(districts["area_id"]) <= set(cells["area_id"])
    where = {(r.ix, r.iy): r.district for r in districts.itertuples()}
    for x1, y1, x2, y2 in boundaries(districts):
        if x1 == x2:  # a vertical edge: cells left and right of it differ
            for y in range(y1, y2):
                assert where[(x1 - 1, y)] != where[(x1, y)]
        else:
            for x in range(x1, x2):
                assert where[(x, y1 - 1)] != where[(x, y1)]


@pytest.mark.slow
def test_forecasts_page_only_with_results(site, rsite):
    plain = page(site, "index.html")
    assert not (site / "models.html").exists()
    assert not plain.select('nav a[href$="models.html"]')
    with_results, _ = rsite
    assert page(with_results, "index.html").select('nav a[href$="models.html"]')
    models = page(with_results, "models.html")
    text = models.get_text(" ", strip=True)
    for name in ("same month last year", "seasonal trend model", "same as last month"):
        assert name in text
    assert "count_glm" not in text and "seasonal_naive" not in text
    assert re.search(r"errors were \d+% (smaller|larger) than naive's", text)
    charts = specs(models)
    assert any(k.startswith("forecast-") for k in charts)
    assert any(k.startswith("impact-") for k in charts)
    # a forecast that starts inside the reported months says why (RTCI's provisional months)
    (result,) = (with_results / "data" / "results").glob("forecast-chicago*.json")
    fc = [r for r in json.loads(result.read_text())["forecasts"] if r["source"] == "rtci"]
    first = min(r["period"][:7] for r in fc)
    series = pd.read_parquet(with_results / "data" / "series.parquet")
    rtci = series[
        (series["slug"] == "chicago-illinois")
        & (series["source"] == "rtci")
        & (series["offense"] == "violent")
        & (series["grain"] == "month")
        & series["count"].notna()
    ]
    later = rtci[rtci["period"].str[:7] >= first]
    assert len(later) and later["provisional"].all()
    assert f"The forecast starts at {pd.Timestamp(first):%b %Y}" in text
    assert "are provisional, so the model was fitted on the months before them" in text


def test_hotspot_results_are_published_as_the_policy_allows(rsite):
    site, _ = rsite
    policy = PrivacyPolicy.from_settings()
    files = list((site / "data" / "results").glob("hotspots-*.json"))
    assert files
    for f in files:
        body = json.loads(f.read_text())
        assert body["summary"]["cell_m"] >= policy.cell_m
        for c in body["cells"]:
            assert set(c) <= {"cell", "lat", "lon", "count", "class"}
            assert c["count"] >= policy.min_count
    soup = page(site, "city/chicago-illinois.html")
    spots = [
        v
        for spec in specs(soup).values()
        if "layer" in spec
        for layer in spec["layer"]
        for v in layer.get("data", {}).get("values", [])
        if "spot" in v
    ]
    assert spots and all(set(v) == {"x", "y", "yr", "spot"} for v in spots)


def test_every_local_link_resolves(site):
    """Pages link only files the build wrote (downloads, city pages, anchors aside)."""
    missing = []
    for html in [
        site / "index.html",
        site / "downloads.html",
        site / "city" / "chicago-illinois.html",
    ]:
        for a in page(site, str(html.relative_to(site))).select("a[href]"):
            href = a["href"]
            if href.startswith(("http", "#", "mailto")):
                continue
            target = (html.parent / href.split("#")[0]).resolve()
            if not target.exists():
                missing.append((html.name, href))
    assert missing == []
