"""Forecasts and backtests on the bundled real series (RTCI monthly, Chicago districts)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from crimetrends.cli import app
from crimetrends.forecast.series import usable_run

runner = CliRunner()


def _json(args):
    r = runner.invoke(app, [*args, "--format", "json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


RTCI_EVAL = [
    "evaluate",
    "monthly",
    "--source",
    "rtci",
    "--offense",
    "violent",
    "--limit",
    "12",
    "--origins",
    "12",
]


@pytest.mark.slow
def test_rtci_backtest_reduced_size(store):
    out = _json(RTCI_EVAL)
    summary = pd.DataFrame(out["summary"]).set_index("model")
    assert set(summary.index) == {
        "naive",
        "seasonal_naive",
        "historical_average",
        "count_glm",
        "poisson_ar",
    }
    assert (summary["series"] == 12).all() and (summary["forecasts"] == 144).all()
    assert summary.loc["naive", "relative_mae_vs_naive"] == 1.0
    assert summary["coverage95"].between(0.5, 1).all()
    by_series = pd.DataFrame(out["by_series"])
    chicago = by_series[(by_series.agency == "Chicago, Illinois")].set_index("model")
    assert chicago.loc["naive", "forecasts"] == 12
    assert out["setup"]["origins"] == 12 and out["setup"]["seed"] == 20241125
    # the verdicts follow from the per-series ratios
    for model, row in summary.iterrows():
        r = by_series[by_series.model == model]["relative_mae_vs_naive"]
        assert row["beats_naive_share"] == (r < 1).mean()
    again = _json(RTCI_EVAL)
    assert again["by_series"] == out["by_series"]  # same command, same numbers


def test_rtci_series_leave_out_provisional_months(store):
    from crimetrends.forecast.run import select_series
    from crimetrends.store.connect import connect

    (s,) = select_series(connect(), "violent", "Chicago", "rtci")
    assert s.periods[-1] == pd.Timestamp("2024-05-01")  # June and July 2024 are provisional
    assert "2 provisional months left out" in s.note
    assert len(s.values) == 77 and not np.isnan(s.values).any()


def test_usable_run_starts_after_a_gap():
    import datetime as dt

    from crimetrends.analysis.aggregate import PeriodCount, Series

    counts = [5.0, 6.0, None, 7.0, 8.0, 9.0]
    periods = tuple(
        (dt.date(2020, m + 1, 1), PeriodCount(c, c is not None, "", None))
        for m, c in enumerate(counts)
    )
    run, note = usable_run(Series("x", "Town", "violent", "month", "counts", periods))
    assert run["count"].tolist() == [7.0, 8.0, 9.0]
    assert "history starts after the incomplete month 2020-03" in note


def test_district_series_add_up_to_the_city(store):
    from crimetrends.forecast.series import area_series
    from crimetrends.store.connect import connect
    from crimetrends.taxonomy.offenses import group_members

    con = connect()
    members = group_members("violent")
    areas = area_series(con, "chicago", "Chicago, Illinois", "violent", members, "district")
    total = sum(a.values for a in areas)
    sql = con.raw_sql(
        """SELECT date_trunc('month', occurred_at) AS m, count(*) FROM incidents
           WHERE source = 'chicago' AND offense IN ('murder','rape','robbery','aggravated_assault')
           AND district IS NOT NULL GROUP BY 1 ORDER BY 1"""
    ).fetchall()
    assert [int(n) for _, n in sql] == total.astype(int).tolist()
    assert len(areas) >= 22 and len(areas[0].values) == 48


@pytest.mark.slow
def test_forecast_cli_for_districts(store, tmp_path):
    svg = tmp_path / "f.svg"
    out = _json(
        [
            "forecast",
            "--city",
            "Chicago",
            "--by",
            "district",
            "--offense",
            "property",
            "--horizon",
            "2",
            "--model",
            "naive",
            "--model",
            "poisson_ar",
            "--plot",
            str(svg),
        ]
    )
    f = pd.DataFrame(out["forecasts"])
    assert set(f.model) == {"naive", "poisson_ar"}
    assert set(f.period) == {"2018-01-01", "2018-02-01"}
    assert (f.lower95 <= f["mean"]).all() and (f["mean"] <= f.upper95).all()
    assert (f.lower95 <= f.lower80).all() and (f.upper80 <= f.upper95).all()
    assert svg.read_text().lstrip().startswith("<svg")
    assert any("person-level" in c for c in out["caveats"])


def test_forecast_cli_errors_are_clear(store):
    r = runner.invoke(app, ["forecast", "--city", "Chicago", "--model", "prophet"])
    assert r.exit_code != 0 and "unknown models" in str(r.exception)


@pytest.mark.slow
def test_results_are_served_by_the_api_and_the_site(store, tmp_path):
    from fastapi.testclient import TestClient

    from crimetrends.publish.api import create_app
    from crimetrends.publish.site.build import _env
    from crimetrends.publish.site.models import render_page as _render_models_page

    out = _json(
        [
            "evaluate",
            "monthly",
            "--source",
            "rtci",
            "--offense",
            "property",
            "--limit",
            "3",
            "--origins",
            "12",
        ]
    )
    client = TestClient(create_app(tables={}, provenance={}))
    listed = client.get("/v1/results").json()["results"]
    assert {"name": "evaluate-monthly-rtci", "url": "/v1/results/evaluate-monthly-rtci"} in listed
    body = client.get("/v1/results/evaluate-monthly-rtci").json()
    for served, printed in zip(body["summary"], out["summary"], strict=True):
        assert served["model"] == printed["model"] and served["verdict"] == printed["verdict"]
        # saved results are rounded to 4 decimals (nothing may look like a raw coordinate)
        assert served["relative_mae_vs_naive"] == round(printed["relative_mae_vs_naive"], 4)
    missing = client.get("/v1/results/nothing-here")
    assert missing.status_code == 404 and missing.json()["error"]["code"]
    assert client.get("/v1/results/..%2Fsecrets").status_code == 404

    _render_models_page(_env(), tmp_path, {"generated_at": "now", "root": ""})
    html = (tmp_path / "models.html").read_text()
    assert "Monthly forecasts: evaluate-monthly-rtci" in html
    assert all(row["verdict"] in html for row in out["summary"])
    assert (tmp_path / "data" / "results" / "evaluate-monthly-rtci.json").exists()
