"""Shared fixtures: a store loaded once with the bundled real data, and empty stores."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest

from crimetrends.ingest.bundle import load_bundle
from crimetrends.settings import get_settings

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / "data" / "bundled"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared" / "data"

needs_shared = pytest.mark.skipif(
    not SHARED.exists(), reason="../shared/data is not beside the checkout"
)


@contextlib.contextmanager
def home_env(home: Path):
    """Point CRIMETRENDS_HOME at `home` for a session-scoped fixture (no monkeypatch there)."""
    old = os.environ.get("CRIMETRENDS_HOME")
    os.environ["CRIMETRENDS_HOME"] = str(home)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("CRIMETRENDS_HOME", None)
        else:
            os.environ["CRIMETRENDS_HOME"] = old


@pytest.fixture(scope="session")
def bundle_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A CRIMETRENDS_HOME holding every bundled file, loaded once per test session."""
    home = tmp_path_factory.mktemp("bundle-home")
    with home_env(home):
        load_bundle(BUNDLE)
    return home


@pytest.fixture
def store(bundle_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Use the bundled store for this test."""
    monkeypatch.setenv("CRIMETRENDS_HOME", str(bundle_home))
    return bundle_home


@pytest.fixture
def empty_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("CRIMETRENDS_HOME", str(home))
    assert get_settings().home == home
    return home


@pytest.fixture(scope="session")
def public(bundle_home: Path):
    """The public tables and provenance built from the bundled store (once per session)."""
    from crimetrends.publish.public import public_tables

    with home_env(bundle_home):
        return public_tables()


@pytest.fixture(scope="session")
def site(bundle_home: Path, public, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The static site built from the bundled store."""
    from crimetrends.publish.site import build_site

    out = tmp_path_factory.mktemp("site")
    # the plain site has no saved results, whatever tests before it saved in the shared
    # home (the site with results is tests/site_results.py's, in a home of its own)
    results, aside = bundle_home / "results", bundle_home / "results.aside"
    moved = results.exists()
    if moved:
        results.rename(aside)
    try:
        with home_env(bundle_home):
            build_site(out)
    finally:
        if moved:
            aside.rename(results)
    return out


# Marks by where a test needs more than Python: `make test-fast` leaves these out.
# Tests on the whole public tables or the built site wait for their session build (20-30 s
# on the bundled store) and are slow whatever they assert.
SLOW_FIXTURES = {"public", "site"}
BROWSER_MODULES = {"test_site_browser.py", "test_api_docs_browser.py"}
SPARK_MODULES = {"test_spark_load.py"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        module = item.path.name
        if module in SPARK_MODULES or "[spark" in item.nodeid:
            item.add_marker(pytest.mark.spark)
        if module in BROWSER_MODULES:
            item.add_marker(pytest.mark.browser)
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
