"""The public site in real headless Chromium (Debian's package, driven by Playwright)."""

from __future__ import annotations

import csv
import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from crimetrends.publish.api import create_app

from .conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="chromium missing: `make test` installs it"
)


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield b
        b.close()


def open_page(browser, url: str, width: int = 1280):
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url, wait_until="networkidle")
    return page, errors, requests


def test_overview_loads_cleanly_and_stays_local(browser, server):
    page, errors, requests = open_page(browser, f"{server}/index.html")
    assert errors == []
    assert requests and all(r.startswith(server) for r in requests)
    rows = page.locator("#overview tbody tr")
    assert rows.count() > 300
    assert page.get_by_role("heading", level=1).count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "overview.png"))
    # sorting by the violent change column with the keyboard puts the largest decline first
    button = page.locator("#overview thead th button", has_text="Violent change")
    button.focus()
    page.keyboard.press("Enter")
    first = page.locator("#overview tbody tr").first.locator("td").nth(6)
    assert first.inner_text().startswith("\u2212")


def test_city_page_shows_chart_table_and_map(browser, server):
    page, errors, requests = open_page(browser, f"{server}/city/chicago-illinois.html")
    assert errors == []
    assert all(r.startswith(server) for r in requests)
    page.wait_for_selector("#m-rtci-violent svg")
    assert page.locator("#m-rtci-violent svg .mark-area path").count() >= 1  # the 95% band
    assert page.locator("#map-0 svg").count() == 1
    assert "95% CI" in page.locator("#ytd").locator("xpath=following-sibling::div[1]").inner_text()
    page.wait_for_selector("#chart-arrests svg")
    ids = page.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)")
    assert len(ids) == len(set(ids)), "duplicate element ids"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "city-chicago.png"), full_page=False)
    phone, phone_errors, _ = open_page(browser, f"{server}/city/chicago-illinois.html", 390)
    assert phone_errors == []
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 400  # no horizontal page scroll on a phone: wide tables scroll inside
    phone.screenshot(path=str(ARTIFACTS / "city-chicago-phone.png"))


def test_download_link_matches_the_api(browser, server, public):
    page, _, _ = open_page(browser, f"{server}/downloads.html")
    href = page.locator("a", has_text="CSV").first.get_attribute("href")
    assert href == "data/cities.csv"
    response = page.request.get(f"{server}/data/trends.csv")
    assert response.ok
    rows = list(csv.DictReader(response.text().splitlines()))
    site_row = next(
        r
        for r in rows
        if r["slug"] == "chicago-illinois"
        and r["headline"] == "True"
        and r["offense"] == "violent"
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
                     ".flags", "figcaption", "p.lede", "footer"]) {
    const el = document.querySelector(sel);
    if (!el) continue;
    const fg = lum(getComputedStyle(el).color);
    out[sel] = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
  }
  return out;
}
"""


def test_text_contrast_meets_wcag_aa(browser, server):
    page, _, _ = open_page(browser, f"{server}/city/chicago-illinois.html")
    ratios = page.evaluate(CONTRAST_JS)
    assert {".label-down", ".label-up", ".label-flat", "a", "figcaption"} <= set(ratios)
    low = {sel: round(r, 2) for sel, r in ratios.items() if r < 4.5}
    assert not low, f"below WCAG AA 4.5:1: {low}"
