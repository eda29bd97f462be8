"""Hotspots, density, concentration and map forecasts: hand values, the library, real data."""

from __future__ import annotations

import json

import esda
import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from crimetrends.cli import app
from crimetrends.errors import ConfigError
from crimetrends.spatial import concentration
from crimetrends.spatial.density import smooth
from crimetrends.spatial.hotspots import bh_qvalues, gi_star
from crimetrends.spatial.predict import _triggering, fit_self_exciting

from .conftest import home_env

runner = CliRunner()


def _lattice(n: int, cell: float = 100.0):
    iy, ix = np.divmod(np.arange(n * n), n)
    return np.column_stack([ix * cell, iy * cell]), iy, ix


def _gi_star_by_hand(y: np.ndarray, iy: np.ndarray, ix: np.ndarray) -> np.ndarray:
    """Getis & Ord (1995) Gi*, binary queen weights with the cell itself included."""
    n = len(y)
    xbar = y.mean()
    s = np.sqrt((y**2).mean() - xbar**2)
    z = np.empty(n)
    for i in range(n):
        w = ((np.abs(iy - iy[i]) <= 1) & (np.abs(ix - ix[i]) <= 1)).astype(float)
        sw, sw2 = w.sum(), (w**2).sum()
        num = (w * y).sum() - xbar * sw
        den = s * np.sqrt((n * sw2 - sw**2) / (n - 1))
        z[i] = num / den
    return z


def test_gi_star_matches_the_formula_and_finds_a_planted_cluster():
    xy, iy, ix = _lattice(7)
    rng = np.random.default_rng(0)
    y = rng.poisson(2, len(xy)).astype(float)
    y[(iy <= 1) & (ix <= 1)] += 15  # a hot corner
    out = gi_star(y, xy, 100.0, permutations=999, seed=3, alpha=0.05)
    np.testing.assert_allclose(out["z"], _gi_star_by_hand(y, iy, ix), rtol=1e-9)
    hot = set(np.flatnonzero(out["class"] == "hot"))
    assert {0, 1, 7, 8} <= hot  # the planted 2×2 corner (row-major ids)
    assert all(iy[i] <= 3 and ix[i] <= 3 for i in hot)
    assert (out.loc[out["class"] == "hot", "q"] <= 0.05).all()
    again = gi_star(y, xy, 100.0, permutations=999, seed=3, alpha=0.05)
    pd.testing.assert_frame_equal(out, again)  # seeded permutations repeat


def test_benjamini_hochberg_by_hand_and_against_esda():
    p = np.array([0.01, 0.04, 0.03, 0.005])
    np.testing.assert_allclose(bh_qvalues(p), [0.02, 0.04, 0.04, 0.02])
    rng = np.random.default_rng(1)
    p = np.concatenate([rng.uniform(0, 0.002, 30), rng.uniform(0, 1, 500)])
    threshold = esda.fdr(p, 0.05)
    assert set(np.flatnonzero(bh_qvalues(p) <= 0.05)) == set(np.flatnonzero(p <= threshold))


def test_fdr_removes_chance_hotspots_on_pure_noise():
    xy, _, _ = _lattice(20)
    y = np.random.default_rng(4).poisson(3, len(xy)).astype(float)
    out = gi_star(y, xy, 100.0, permutations=999, seed=1, alpha=0.05)
    assert (out["p_perm"] <= 0.05).sum() > 0  # uncorrected tests do find 'hotspots'
    assert (out["class"] != "").sum() == 0  # FDR control leaves none


def test_binned_kde_keeps_mass_and_matches_the_gaussian_peak():
    grid = np.zeros((61, 61))
    grid[30, 30] = 1.0
    s = smooth(grid, bandwidth_m=300.0, cell_m=100.0)  # σ = 3 cells
    assert s.sum() == pytest.approx(1.0, abs=1e-6)
    assert s[30, 30] == pytest.approx(1 / (2 * np.pi * 9), rel=0.02)
    assert np.unravel_index(s.argmax(), s.shape) == (30, 30)


def test_concentration_by_hand():
    counts = np.array([50, 20, 10, 5, 5, 4, 3, 2, 1] + [0] * 91, float)  # 100 cells, 100 crimes
    assert concentration.share_in_top(counts, 0.01) == pytest.approx(0.50)
    assert concentration.share_in_top(counts, 0.05) == pytest.approx(0.90)
    cells, crime = concentration.lorenz(counts)
    assert cells[-1] == 1 and crime[-1] == pytest.approx(1.0) and crime[2] == pytest.approx(0.7)
    later = counts.copy()
    later[[0, 1]] = later[[1, 0]]  # the two busiest swap places: same top-5% set
    st = concentration.stability(counts, later)
    assert st["top5pct_overlap"] == 1.0 and st["top1pct_overlap"] == 0.0


def _simulate_cube(rng, excite: float, periods: int = 140, side: int = 20):
    background = np.ones((side, side)) * 0.05
    background[5:9, 5:9] = 0.6
    cube = np.zeros((periods, side, side))
    for t in range(periods):
        lam = background + (excite * cube[t - 1] if t else 0)
        cube[t] = rng.poisson(lam)
    return cube


@pytest.mark.slow
def test_self_exciting_fit_sees_triggering_only_when_there_is_some():
    mask = np.ones((20, 20), bool)
    calm = fit_self_exciting(
        _simulate_cube(np.random.default_rng(2), 0.0), mask, range(60, 140), 52, 100.0
    )
    excited = fit_self_exciting(
        _simulate_cube(np.random.default_rng(2), 0.5), mask, range(60, 140), 52, 100.0
    )
    assert calm.theta < 0.15  # a broad, slow component can borrow a little background
    assert excited.theta > 0.3
    assert excited.beta == 0.5  # triggering lasts one period: the shortest decay on the grid


def test_triggering_recursion_by_hand():
    cube = np.zeros((3, 9, 9))
    cube[0, 4, 4] = 1.0
    e = _triggering(cube, beta=0.5, sigma_m=1e-6, cell_m=100.0)  # no spatial spread
    assert e[1, 4, 4] == pytest.approx(0.5) and e[2, 4, 4] == pytest.approx(0.25)


# ---- real data (bundled Chicago 2014–2017) -------------------------------------------------


@pytest.mark.slow
def test_hotspots_on_chicago_count_every_located_incident(store):
    from crimetrends.spatial.maps import hotspot_map
    from crimetrends.store.connect import connect

    con = connect()
    result = hotspot_map(con, "chicago", "violent", 2017, 250.0, permutations=999, seed=2)
    raw = con.raw_sql(
        """SELECT count(*) FROM incidents WHERE source = 'chicago'
           AND offense IN ('murder', 'robbery', 'aggravated_assault')
           AND (domestic IS NULL OR NOT domestic) AND year(occurred_at) = 2017
           AND latitude BETWEEN 41.64 AND 42.03 AND longitude BETWEEN -87.94 AND -87.52"""
    ).fetchone()[0]
    s = result.summary
    assert s["offense"] == "violent (excl. rape)"
    assert s["incidents"] == raw == result.cells["count"].sum()
    hot = result.cells[result.cells["class"] == "hot"]
    assert len(hot) == s["hot_cells"] > 0 and (hot["z"] > 0).all() and (hot["q"] <= 0.05).all()
    assert s["hot_cells"] <= s["hot_cells_before_fdr"]
    top1 = np.sort(result.cells["count"].to_numpy())[::-1][: int(np.ceil(0.01 * len(result.cells)))]
    assert s["share_in_top1pct_cells"] == pytest.approx(top1.sum() / raw)
    assert 0 < s["stability_vs_previous_year"]["top5pct_overlap"] <= 1


def test_sensitive_offenses_are_never_mapped(store):
    from crimetrends.spatial.grid import mappable

    with pytest.raises(ConfigError, match="never mapped"):
        mappable("rape")
    label, members = mappable("violent")
    assert "rape" not in members and label == "violent (excl. rape)"


@pytest.fixture(scope="module")
def map_eval(bundle_home):
    from crimetrends.spatial.evaluate import evaluate_maps
    from crimetrends.store.connect import connect

    with home_env(bundle_home):
        return evaluate_maps(connect(), "chicago", "burglary", 250.0, "week", origins=12, seed=4)


@pytest.mark.slow
def test_map_backtest_on_chicago_is_scored_consistently(map_eval):
    scores, summary = map_eval.scores, map_eval.summary
    assert set(scores.model) == {"naive", "recent_kde", "long_term_kde", "self_exciting"}
    assert len(scores) == 4 * 12 * 2
    assert map_eval.setup["last_target"] == "2017-12-25"  # the last whole week of the records
    np.testing.assert_allclose(scores.pai, scores.hit_rate / scores.area_share)
    assert ((scores.hit_rate <= scores.best_hit_rate + 1e-12) & (scores.pei <= 1 + 1e-12)).all()
    assert (scores.crimes > 0).all()
    naive = summary[summary.model == "naive"]
    assert (naive.verdict == "baseline").all()
    # the kernel-density and self-exciting maps beat last week's map on real data
    etas = summary[summary.model == "self_exciting"].set_index("area_share")
    assert (etas.hit_rate > naive.set_index("area_share").hit_rate).all()


@pytest.mark.slow
def test_map_backtest_repeats_exactly(map_eval, bundle_home):
    from crimetrends.spatial.evaluate import evaluate_maps
    from crimetrends.store.connect import connect

    with home_env(bundle_home):
        again = evaluate_maps(connect(), "chicago", "burglary", 250.0, "week", origins=12, seed=4)
    pd.testing.assert_frame_equal(map_eval.scores, again.scores)


@pytest.mark.slow
def test_hotspots_cli_writes_a_chart_and_a_public_result(store, tmp_path):
    png = tmp_path / "hot.png"
    r = runner.invoke(
        app,
        [
            "hotspots",
            "--city",
            "Chicago",
            "--offense",
            "robbery",
            "--year",
            "2016",
            "--permutations",
            "99",
            "--plot",
            str(png),
            "--format",
            "json",
        ],
    )
    assert r.exit_code == 0, r.output
    payload = json.loads(r.stdout)
    assert payload["summary"]["offense"] == "robbery" and payload["summary"]["year"] == 2016
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    saved = json.loads((store / "results" / "hotspots-chicago-robbery-2016.json").read_text())
    counts = [c["count"] for c in saved["cells"]]
    assert counts and min(counts) >= 5  # small counts not listed in what the site/API serve
    assert saved["summary"]["cell_m"] == 500 and saved["summary"]["cells_withheld"] > 0
    assert not {"density_per_km2", "z", "q"} & set(saved["cells"][0])
    # finer than the public grid: shown to the analyst, not published
    fine = runner.invoke(
        app,
        ["hotspots", "--offense", "burglary", "--year", "2016", "--cell", "250",
         "--permutations", "99", "--format", "json"],
    )  # fmt: skip
    assert fine.exit_code == 0 and json.loads(fine.stdout)["summary"]["cell_m"] == 250
    assert not (store / "results" / "hotspots-chicago-burglary-2016.json").exists()
    assert "reported crime" in " ".join(saved["caveats"]).lower()
