"""A site built with saved model results (forecasts, a backtest, hotspots, program impact).

The bundled store is shared read-only (its warehouse and public-table cache linked into a
home of its own), so the results land beside it without touching the session's store.
Built once per test session whichever module asks first.
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from .conftest import home_env

_BUILT: dict[str, Path] = {}
RUNS = [
    ["forecast", "--city", "Chicago"],
    ["evaluate", "monthly", "--source", "rtci", "--city", "Chicago", "--origins", "12"],
    ["hotspots", "--city", "Chicago", "--offense", "violent", "--cell", "500"],
    ["impact", "chicago-sdsc-2017"],
]


def results_home(bundle_home: Path, root: Path) -> Path:
    from crimetrends.cli import app

    home = root / "results-home"
    home.mkdir()
    for child in bundle_home.iterdir():
        if child.name != "results":
            (home / child.name).symlink_to(child)
    runner = CliRunner()
    with home_env(home):
        for args in RUNS:
            r = runner.invoke(app, [*args, "--format", "json"])
            assert r.exit_code == 0, (args, r.output)
            json.loads(r.stdout)
    return home


def site_with_results(bundle_home: Path, tmp_path_factory) -> tuple[Path, Path]:
    """(site folder, its CRIMETRENDS_HOME)."""
    if "site" not in _BUILT:
        from crimetrends.publish.site import build_site

        root = tmp_path_factory.mktemp("results-site")
        home = results_home(bundle_home, root)
        with home_env(home):
            build_site(root / "site")
        _BUILT["site"], _BUILT["home"] = root / "site", home
    return _BUILT["site"], _BUILT["home"]
