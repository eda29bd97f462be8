"""The API's /docs and /redoc render in headless Chromium with the network switched off."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from .conftest import ROOT
from .test_server import _free_port

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="chromium missing: `make test` installs it"
)


@pytest.fixture(scope="module")
def api(empty_home_module):
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "crimetrends", "serve", "--port", str(port)],
        env={**os.environ, "CRIMETRENDS_HOME": str(empty_home_module)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            httpx.get(f"{url}/openapi.json", timeout=2)
            break
        except httpx.TransportError:
            time.sleep(0.2)
    yield url
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)


@pytest.fixture(scope="module")
def empty_home_module(tmp_path_factory):
    return tmp_path_factory.mktemp("docs-home")


@pytest.mark.parametrize("path,ready", [("/docs", ".swagger-ui .info .title"), ("/redoc", "h1")])
def test_docs_render_offline(api, path, ready):
    from playwright.sync_api import sync_playwright

    external: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(offline=False)

        def gate(route):
            if route.request.url.startswith(("http://127.0.0.1", "data:", "blob:")):
                route.continue_()
            else:  # the network is off: anything else is refused, and recorded
                external.append(route.request.url)
                route.abort()

        context.route("**/*", gate)
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(api + path, wait_until="networkidle")
        page.wait_for_selector(ready, timeout=20_000)
        title = page.locator(ready).first.inner_text()
        (ROOT / "test-artifacts").mkdir(exist_ok=True)
        page.screenshot(path=str(ROOT / "test-artifacts" / f"api{path.replace('/', '-')}.png"))
        browser.close()
    assert "crimetrends API" in title
    assert external == [] and errors == []
