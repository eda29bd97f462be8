"""The public site in real headless Chromium (Debian's package, driven by Playwright).

Every page, on a laptop (1366×900) and a phone (390×844): no horizontal scrolling, no empty
chart, no console error or warning, no request leaving 127.0.0.1, axe-core (the npm package
`make browser` fetches into .cache/axe) reports no violation, and on city pages the answer
card is on screen before any scrolling. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import csv
import functools
import http.server
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest
from fastapi.testclient import TestClient

from crimetrends.publish.api import create_app

from .conftest import ROOT
from .site_results import site_with_results

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = ROOT / ".cache" / "axe" / "package" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SIZES = {
    "desktop": {"viewport": {"width": 1366, "height": 900}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
}
PAGES = {
    "overview": "index.html",
    "chicago": "city/chicago-illinois.html",
    "new-york": "city/new-york-city-new-york.html",
    "los-angeles": "city/los-angeles-california.html",
    "methodology": "methodology.html",
    "forecasts": "models.html",
    "downloads": "downloads.html",
}
LOCAL = {"127.0.0.1", "localhost"}

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="chromium missing: `make test` installs it"
)

# Charts whose marks hold nothing are empty, whatever their axes show.
CHARTS_JS = """() => [...document.querySelectorAll('.chart')].map(c => {
  const svg = c.querySelector('svg');
  const marks = svg ? [...svg.querySelectorAll('g.role-mark')].filter(g =>
      !g.closest('.role-axis, .role-legend, .role-title')) : [];
  const items = marks.reduce((n, g) => n + g.children.length, 0);
  const labels = svg ? [...svg.querySelectorAll('.role-axis-label text')]
      .map(t => t.textContent) : [];
  const sw = svg ? svg.getBoundingClientRect().width : 0;
  const titles = svg ? [...svg.querySelectorAll('.role-title text')]
      .filter(t => t.getBoundingClientRect().right > svg.getBoundingClientRect().right + 1)
      .map(t => t.textContent) : [];
  return {id: c.id, svg: !!svg, items, labels, width: sw, clipped_titles: titles,
          name: c.getAttribute('aria-label')};
})"""
OVERFLOW_JS = """() => { const d = document.documentElement;
  return {scroll: d.scrollWidth, client: d.clientWidth}; }"""
AXE_JS = """async () => {
  const r = await axe.run(document, {runOnly: {type: 'tag',
      values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}});
  return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                 nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
}"""


@pytest.fixture(scope="module")
def rsite(bundle_home, public, tmp_path_factory):
    site, _ = site_with_results(bundle_home, tmp_path_factory)
    return site


@pytest.fixture(scope="module")
def server(rsite):
    handler = functools.partial(QuietHandler, directory=str(rsite))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # the test output is for failures
        pass


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield b
        b.close()


class Visit:
    """One page in a fresh context: every console message, page error and request seen."""

    def __init__(self, browser, url: str, size: str) -> None:
        self.context = browser.new_context(**SIZES[size], service_workers="block")
        self.errors: list[str] = []
        self.external: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("requestfailed", lambda r: self.errors.append(f"failed: {r.url}"))
        self.page.goto(url, wait_until="load")
        # requests wait in `_route` while Python is busy, so "networkidle" can come before the
        # scripts ran: wait for the page's own signals instead
        self.page.wait_for_function("window.siteReady === true", timeout=60_000)
        if self.page.locator("script[data-chart]").count():
            self.page.wait_for_function("window.chartsReady === true", timeout=60_000)

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(("data:", "blob:")) or urlparse(url).hostname in LOCAL:
            route.continue_()
        else:
            self.external.append(url)
            route.abort()

    def _console(self, msg) -> None:
        if msg.type in ("error", "warning"):
            self.errors.append(f"console.{msg.type}: {msg.text}")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser, server):
    opened: list[Visit] = []

    def open_(name: str, size: str = "desktop") -> Visit:
        v = Visit(browser, f"{server}/{name}", size)
        opened.append(v)
        return v

    yield open_
    for v in opened:
        v.close()


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("name", list(PAGES))
def test_page_is_clean_at_both_sizes(visit, name, size):
    v = visit(PAGES[name], size)
    page = v.page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{size}.png"), full_page=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{size}-first-screen.png"))
    problems = []
    ov = page.evaluate(OVERFLOW_JS)
    if ov["scroll"] > ov["client"]:
        problems.append(f"scrolls sideways: {ov}")
    for c in page.evaluate(CHARTS_JS):
        if not c["svg"] or c["items"] == 0:
            problems.append(f"empty chart {c['id']}")
        if any(re.search(r"\de[+-]\d", t) for t in c["labels"]):
            problems.append(f"{c['id']} axis prints exponents: {c['labels']}")
        if c["clipped_titles"]:
            problems.append(f"{c['id']} title runs past the chart: {c['clipped_titles']}")
        if not c["name"] or c["name"].startswith("Vega"):
            problems.append(f"{c['id']} has no accessible name of its own: {c['name']!r}")
    if name in ("chicago", "new-york", "los-angeles"):
        problems += answer_card_problems(page, SIZES[size]["viewport"]["height"])
    problems += [f"external request {u}" for u in v.external]
    problems += v.errors
    assert problems == []


def answer_card_problems(page, height: int) -> list[str]:
    """The card's figures, from heading to verdict, are on the first screen."""
    out = []
    figures = page.locator(".answer-figure")
    if figures.count() < 2:
        return [f"answer card has {figures.count()} figures"]
    for i in range(figures.count()):
        top = figures.nth(i).locator("h3").bounding_box()
        verdict = figures.nth(i).locator(".verdict").bounding_box()
        if (
            top is None
            or verdict is None
            or top["y"] < 0
            or verdict["y"] + verdict["height"] > height
        ):
            out.append(f"answer figure {i} not on the first screen: {top} {verdict}")
    return out


@pytest.mark.skipif(not AXE.exists(), reason="axe-core missing: `make browser` fetches it")
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_violation(visit, name, size):
    v = visit(PAGES[name], size)
    v.page.add_script_tag(path=str(AXE))
    assert v.page.evaluate(AXE_JS) == []


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize(
    ("query", "agency"), [("Chicago", "Chicago, Illinois"), ("NYC", "New York City, New York")]
)
def test_search_finds_the_city(visit, size, query, agency):
    v = visit("index.html", size)
    v.page.fill("#q", query)
    first = v.page.locator("#overview tbody tr").first.locator("th a")
    assert first.inner_text() == agency
    assert "Showing" in v.page.locator("#status").inner_text()
    first.click()
    v.page.wait_for_load_state("networkidle")
    assert v.page.locator("h1").inner_text() == agency
    assert v.errors == [] and v.external == []


def test_filters_and_offense_switch_the_table(visit):
    v = visit("index.html")
    page = v.page
    rows = page.locator("#overview tbody tr")
    assert rows.count() == 50  # a page of results, the rest a click away
    page.select_option("#f-state", "Illinois")
    labels = page.locator("#overview tbody tr th a").all_inner_texts()
    assert labels and all(t.endswith(", Illinois") for t in labels)
    page.select_option("#f-offense", "murder")
    assert "(murder)" in page.locator("#status").inner_text()
    page.select_option("#f-state", "")
    page.select_option("#f-label", "small")
    assert all(
        "small numbers" in t for t in page.locator("#overview tbody tr td.lab").all_inner_texts()
    )
    page.select_option("#f-label", "")
    page.click("#all")
    assert rows.count() > 600
    assert v.errors == []


def test_sorting_keeps_small_numbers_last(visit):
    v = visit("index.html")
    button = v.page.locator("#overview thead th button", has_text="Change")
    button.focus()
    v.page.keyboard.press("Enter")
    first = v.page.locator("#overview tbody tr").first
    assert first.locator("td.change").inner_text().startswith("\u2212")
    assert "small numbers" not in first.inner_text()  # Greenwich (0 vs 9) is not the top decline


def test_city_controls_switch_offense_measure_and_view(visit):
    v = visit("city/chicago-illinois.html")
    page = v.page

    def ys():
        return page.evaluate(
            "() => window.views['chart-month'].data('data_0')"
            ".filter(d => d.y != null).map(d => d.y)"
        )

    counts = ys()
    page.select_option("#pick-offense", "robbery")
    page.wait_for_timeout(200)
    robbery = ys()
    assert robbery and max(robbery) < max(counts)
    page.check("input[name=measure][value=rate]")
    page.wait_for_timeout(200)
    rates = ys()
    assert rates and max(rates) < 100  # monthly robberies per 100,000 residents
    page.check("input[name=view][value=r12]")
    page.wait_for_timeout(200)
    rolling = ys()
    assert rolling and max(rolling) > max(rates) * 6  # twelve months summed
    page.select_option("#pick-year", "2016")
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.views['map-0'].signal('year')") == 2016
    assert v.errors == []


def test_los_angeles_never_shows_an_empty_chart(visit):
    v = visit("city/los-angeles-california.html", "phone")
    page = v.page
    assert page.locator(".reasons li:not([hidden])").count() >= 1
    assert "murder" in page.locator(".fallback-note").first.inner_text()
    page.select_option("#pick-offense", "property")
    page.wait_for_timeout(200)
    charts = page.evaluate(CHARTS_JS)
    assert all(c["items"] > 0 for c in charts)
    assert v.errors == []


def test_chart_export_gives_png_and_svg(visit):
    v = visit("city/chicago-illinois.html")
    for kind in ("png", "svg"):
        with v.page.expect_download() as dl:
            v.page.locator(f"#fig-chart-answer button[data-export={kind}]").click()
        assert dl.value.suggested_filename == f"chart-answer.{kind}"


def test_download_link_matches_the_api(visit, server, public):
    v = visit("downloads.html")
    href = v.page.locator("a", has_text="CSV").first.get_attribute("href")
    assert href == "data/cities.csv"
    response = v.page.request.get(f"{server}/data/trends.csv")
    assert response.ok
    rows = list(csv.DictReader(response.text().splitlines()))
    site_row = next(
        r
        for r in rows
        if r["slug"] == "chicago-illinois" and r["headline"] == "True" and r["offense"] == "violent"
    )
    tables, prov = public
    with TestClient(create_app(tables, prov)) as client:
        (api_row,) = client.get(
            "/v1/trends",
            params={"agency": "chicago-illinois", "offense": "violent", "headline": "true"},
        ).json()["data"]
    assert int(site_row["count"]) == api_row["count"] == 21_595
    assert int(site_row["previous_count"]) == api_row["previous_count"]
    assert float(site_row["ci_low"]) == pytest.approx(api_row["ci_low"])
    assert float(site_row["ci_high"]) == pytest.approx(api_row["ci_high"])
    assert site_row["label"] == api_row["label"]


CONTRAST_JS = """
() => {
  const lum = (rgb) => {
    const [r, g, b] = rgb.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number).map((v) => {
      v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const bg = lum(getComputedStyle(document.body).backgroundColor);
  const out = {};
  for (const sel of ["body", "a", ".label-down", ".label-up", ".label-flat", ".label-na",
                     ".flags", "figcaption", "p.lede", "footer", ".through"]) {
    const el = document.querySelector(sel);
    if (!el) continue;
    const fg = lum(getComputedStyle(el).color);
    out[sel] = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
  }
  return out;
}
"""


def test_text_contrast_meets_wcag_aa(visit):
    v = visit("city/chicago-illinois.html")
    ratios = v.page.evaluate(CONTRAST_JS)
    assert {".label-down", ".label-up", ".label-flat", "a", "figcaption"} <= set(ratios)
    low = {sel: round(r, 2) for sel, r in ratios.items() if r < 4.5}
    assert not low, f"below WCAG AA 4.5:1: {low}"
