"""Program-impact methods against known answers: by hand, simulated, and on real series."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from crimetrends.cli import app
from crimetrends.errors import ConfigError
from crimetrends.impact.data import Panel, thin
from crimetrends.impact.did import did
from crimetrends.impact.estimate import Estimate
from crimetrends.impact.its import its
from crimetrends.impact.labels import impact_label
from crimetrends.impact.registry import all_initiatives, parse_initiative
from crimetrends.impact.synth import synth, weights
from crimetrends.impact.wdd import rate_ratio, wdd_statistic

runner = CliRunner()
MONTHS = pd.date_range("2018-01-01", periods=60, freq="MS")
START = pd.Timestamp("2022-01-01")  # 48 months before, 12 after


def _seasonal(base: float, n: int = 60) -> np.ndarray:
    m = np.arange(n)
    return base * np.exp(0.2 * np.sin(2 * np.pi * m / 12) - 0.02 * m / 12)


def _est(lo: float, hi: float) -> Estimate:
    return Estimate("its", "violent", (lo + hi) / 2, lo, hi, None, 0, 0, 0, 0, pd.DataFrame())


# ---- registry ------------------------------------------------------------------------------


def test_bundled_initiatives_load_and_say_what_they_are():
    found = all_initiatives()
    assert len(found) >= 4
    real = [i for i in found.values() if not i.hypothetical]
    assert len(real) >= 3 and all(i.information_source for i in real)
    hypo = [i for i in found.values() if i.hypothetical]
    assert hypo and all("HYPOTHETICAL" in i.title for i in hypo)


GOOD = {
    "name": "x",
    "title": "x",
    "type": "youth program",
    "agency": "Chicago",
    "source": "chicago",
    "area_type": "district",
    "areas": ["004"],
    "start": "2016-06-01",
    "outcomes": ["violent"],
    "information_source": "test",
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"type": "magic"}, "type must be one of"),
        ({"start": "June 2016"}, "start must be a date"),
        ({"end": "2016-01-01"}, "is not after start"),
        ({"areas": []}, "needs `areas`"),
        ({"methods": ["rdd"]}, "unknown methods"),
        ({"area_type": "city", "areas": [], "methods": ["wdd"]}, "wdd needs a place-based"),
        ({"colour": "red"}, "unknown keys"),
        ({"information_source": ""}, "missing required keys"),
    ],
)
def test_bad_initiatives_get_clear_errors(change, message):
    with pytest.raises(ConfigError, match=message):
        parse_initiative({**GOOD, **change}, "bad.yaml")


def test_user_initiatives_are_read_from_home(empty_home):
    folder = empty_home / "initiatives"
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text("name: mine\ntitle: t\ntype: other\n")
    with pytest.raises(ConfigError, match=r"mine\.yaml: missing required keys"):
        all_initiatives()


# ---- labels --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lo", "hi", "label"),
    [
        (-40, -20, "High"),
        (-30, -12, "Medium"),
        (-15, -2, "Low"),
        (3, 20, "Harmful"),
        (-8, 6, "None detectable"),
        (-35, 25, "None detectable"),
    ],
)
def test_labels_follow_the_interval(lo, hi, label):
    got, why = impact_label(_est(lo, hi))
    assert got == label
    if (lo, hi) == (-8, 6):
        assert "rules out" in why
    if (lo, hi) == (-35, 25):
        assert "cannot tell" in why


# ---- methods on data with a known answer ---------------------------------------------------


@pytest.mark.slow
def test_its_recovers_a_known_drop_and_covers_near_nominal():
    rng = np.random.default_rng(1)
    post = MONTHS >= START
    estimates, covered = [], 0
    for _ in range(200):
        y = rng.poisson(_seasonal(300) * np.where(post, 0.8, 1.0)).astype(float)
        e = its(pd.Series(y, index=MONTHS), START)
        estimates.append(e.effect_pct)
        covered += e.covers(-20.0)
    assert np.mean(estimates) == pytest.approx(-20, abs=1.0)
    assert 0.92 <= covered / 200 <= 0.99  # HAC alone gave 83%: see its.py


def test_its_refuses_a_short_pre_period():
    with pytest.raises(ValueError, match="24 months before"):
        its(pd.Series(np.ones(30), index=MONTHS[:30]), MONTHS[20])


def test_wdd_statistic_by_hand():
    s = wdd_statistic(t0=100, t1=80, ct0=100, ct1=100, d0=50, d1=50, cd0=50, cd1=50)
    assert s["wdd"] == -20
    assert s["wdd_se"] == pytest.approx(math.sqrt(580))
    assert s["wdd_z"] == pytest.approx(-20 / math.sqrt(580))
    same = wdd_statistic(100, 80, 100, 100, 50, 50, 100, 100, same_control=True)
    assert same["wdd_se"] == pytest.approx(math.sqrt(100 + 80 + 50 + 50 + 4 * 200))
    log_irr, lo, hi = rate_ratio(100, 80, 100, 100)
    se = math.sqrt(1 / 100 + 1 / 80 + 1 / 100 + 1 / 100)
    assert log_irr == pytest.approx(math.log(0.8))
    assert (lo, hi) == pytest.approx((math.log(0.8) - 1.959964 * se, math.log(0.8) + 1.959964 * se))


def _panel(effect: float, rng, units: int = 20, treated: int = 6) -> Panel:
    post = MONTHS >= START
    cols = {}
    for u in range(units):
        mu = _seasonal(rng.uniform(80, 300)) * rng.uniform(0.9, 1.1)
        if u < treated:
            mu = mu * np.where(post, 1 + effect / 100, 1.0)
        cols[f"{u:03d}"] = rng.poisson(mu).astype(float)
    wide = pd.DataFrame(cols, index=MONTHS)
    return Panel(
        wide, tuple(f"{u:03d}" for u in range(treated)), "district", "violent", START, None
    )


@pytest.mark.slow
def test_did_recovers_a_known_effect_without_pretrends():
    e = did(_panel(-20.0, np.random.default_rng(3)))
    assert e.effect_pct == pytest.approx(-20, abs=3)
    assert e.covers(-20.0)
    assert e.extra["pretrend_p"] > 0.01
    quarters = {c["quarter"] for c in e.extra["event_study"]}
    assert -4 in quarters and 0 in quarters and -1 not in quarters  # -1 is the reference


def test_synth_recovers_exact_weights_and_effect():
    rng = np.random.default_rng(5)
    donors = {
        f"d{i}": _seasonal(rng.uniform(50, 200)) * np.exp(rng.normal(0, 0.05, 60))
        for i in range(12)
    }
    wide = pd.DataFrame(donors, index=MONTHS)
    norm = wide / wide[MONTHS < START].mean()
    treated = (0.3 * norm["d1"] + 0.7 * norm["d4"]) * 500
    w = weights(
        norm[MONTHS < START][["d1", "d4", "d7"]].to_numpy(),
        (treated / 500)[MONTHS < START].to_numpy(),
    )
    assert w == pytest.approx([0.3, 0.7, 0.0], abs=1e-3)
    for effect in (0.0, -20.0):
        y = treated * np.where(MONTHS >= START, 1 + effect / 100, 1.0)
        panel = Panel(wide.assign(city=y), ("city",), "agency", "violent", START, None)
        e = synth(panel)
        assert e.effect_pct == pytest.approx(effect, abs=0.5)
        assert e.extra["donor_weights"]["d4"] == pytest.approx(0.7, abs=0.02)
        assert 0 < e.p_value <= 1 and e.extra["placebos"] == 12


def test_thinning_keeps_the_expected_share():
    kept = thin(np.full(1000, 100.0), 0.8, np.random.default_rng(0))
    assert kept.mean() == pytest.approx(80, abs=0.5)


# ---- real data -----------------------------------------------------------------------------


@pytest.mark.slow
def test_sdsc_on_chicago_counts_match_sql(store):
    from crimetrends.impact.registry import get_initiative
    from crimetrends.impact.run import analyse
    from crimetrends.store.connect import connect

    con = connect()
    report = analyse(con, get_initiative("chicago-sdsc-2017"))
    rows = {r["method"]: r for r in report.rows}
    assert set(rows) == {"its", "did", "wdd"}
    sql = con.raw_sql(
        """SELECT count(*) FROM incidents WHERE source = 'chicago' AND district IN ('007', '011')
           AND offense IN ('murder', 'rape', 'robbery', 'aggravated_assault')
           AND occurred_at >= '2017-02-01' AND occurred_at < '2018-01-01'"""
    ).fetchone()[0]
    assert rows["its"]["observed_post"] == sql == rows["did"]["observed_post"]
    assert rows["wdd"]["buffer"] and not set(rows["wdd"]["buffer"]) & {"007", "011"}
    for r in rows.values():
        assert r["ci_low"] <= r["effect_pct"] <= r["ci_high"]
        lo, hi = r["ci_low"], r["ci_high"]  # the rule as docs/IMPACT.md states it
        expected = (
            "High"
            if hi <= -20
            else "Medium"
            if hi <= -10
            else "Low"
            if hi < 0
            else "Harmful"
            if lo > 0
            else "None detectable"
        )
        assert r["label"] == expected
        assert r["robustness"]["placebo_in_time"]  # fake starts were tried
    assert report.payload()["headline"]


@pytest.mark.slow
def test_hypothetical_program_is_not_credited(store):
    """A made-up program must not come out as an established effect."""
    from crimetrends.impact.registry import get_initiative
    from crimetrends.impact.run import analyse, headline
    from crimetrends.store.connect import connect

    report = analyse(connect(), get_initiative("hypothetical-chicago-district-4-2016"))
    assert not headline(report).startswith(("High", "Medium", "Low"))
    flagged = [r for r in report.rows if "error" not in r and r["label"] != "None detectable"]
    assert all(not r["verdict"].endswith("raise no concern") for r in flagged)


@pytest.mark.slow
def test_impact_cli_and_simulation_reduced(store, tmp_path):
    png = tmp_path / "dallas.png"
    r = runner.invoke(
        app,
        [
            "impact",
            "dallas-violent-crime-reduction-plan-2021",
            "--method",
            "synth",
            "--plot",
            str(png),
            "--format",
            "json",
        ],
    )
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    (row,) = out["estimates"]
    assert row["method"] == "synth" and row["post_months"] >= 30
    assert png.read_bytes()[:4] == b"\x89PNG"
    assert (store / "results" / "impact-dallas-violent-crime-reduction-plan-2021.json").exists()
    bad = runner.invoke(app, ["impact", "chicago-sdsc-2017", "--method", "synth"])
    assert bad.exit_code != 0 and "synth needs a whole-agency" in str(bad.exception)

    args = ["impact-sim", "--reps", "5", "--method", "its", "--method", "wdd", "--format", "json"]
    first = json.loads(runner.invoke(app, args).stdout)
    second = json.loads(runner.invoke(app, args).stdout)
    assert first == second  # seeded
    summary = pd.DataFrame(first["summary"])
    assert len(summary) == 6 and (summary["replicates"] == 5).all()
    # coverage is the share of replicates whose interval holds the injected effect: recount it
    from crimetrends.impact.simulate import simulate
    from crimetrends.store.connect import connect

    reps = simulate(connect(), ("its", "wdd"), reps=5)
    for rec in summary.itertuples():
        g = reps[(reps["method"] == rec.method) & (reps["true_effect"] == rec.true_effect_pct)]
        g = g.dropna(subset=["estimate"])
        held = ((g["ci_low"] <= rec.true_effect_pct) & (rec.true_effect_pct <= g["ci_high"])).mean()
        assert rec.coverage95 == pytest.approx(held)
        assert rec.mean_estimate_pct == pytest.approx(g["estimate"].mean())


def test_placebo_calibration_by_hand():
    from crimetrends.impact.robustness import calibrate

    effects = np.expm1(np.linspace(-0.2, 0.2, 21)) * 100  # placebo log effects −0.2 … 0.2
    e = calibrate(_est(-30.0, -10.0), effects)  # raw point −20%
    b = math.log(0.8)
    lo_q, mid, hi_q = np.quantile(np.linspace(-0.2, 0.2, 21), [0.025, 0.5, 0.975])
    assert e.effect_pct == pytest.approx(100 * math.expm1(b - mid))
    assert (e.ci_low, e.ci_high) == pytest.approx(
        (100 * math.expm1(b - hi_q), 100 * math.expm1(b - lo_q))
    )
    assert e.extra["interval"] == "placebo-calibrated (21 units)"
    few = calibrate(_est(-30.0, -10.0), effects[:5])
    assert (few.ci_low, few.ci_high) == (-30.0, -10.0) and "may be too narrow" in few.notes[-1]


def test_models_page_skips_results_it_cannot_show(store, tmp_path):
    """A saved simulation summary is named impact-* but is not an initiative result."""
    from crimetrends.publish.site.build import _env
    from crimetrends.publish.site.models import render_page as _render_models_page
    from crimetrends.store import results

    results.save("impact-simulation", {"summary": [], "reps": 1, "seed": 1})
    try:
        _render_models_page(_env(), tmp_path, {"generated_at": "now", "root": ""})
        shown = [results.load(n) for n in results.names() if n.startswith("impact-")]
    finally:  # the store is shared by the session's tests: leave no result behind
        (results.results_dir() / "impact-simulation.json").unlink()
    page = (tmp_path / "models.html").read_text()
    # the file is published, but only real initiative results get a line on the page
    assert (tmp_path / "data" / "results" / "impact-simulation.json").exists()
    initiatives = [p for p in shown if p and "initiative" in p]
    assert len(shown) > len(initiatives)
    assert page.count("<li><strong>") == len(initiatives)
