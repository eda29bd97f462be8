"""The CLI as a user runs it: JSON shape, CSV, one-line errors with exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from crimetrends.cli import app

from .conftest import FIXTURES

runner = CliRunner()


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "from crimetrends.cli import main; main()", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_trends_json_has_rows_and_provenance(store):
    result = runner.invoke(
        app,
        [
            "trends",
            "--agency",
            "Chicago",
            "--offense",
            "violent",
            "--period",
            "ytd",
            "--from",
            "2023",
            "--to",
            "2024",
            "--through",
            "2024-07",
            "--source",
            "rtci",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    (row,) = body["rows"]
    for key in (
        "agency",
        "offense",
        "period",
        "count",
        "previous_count",
        "pct_change",
        "ci_low",
        "ci_high",
        "rate_per_100k",
        "label",
    ):
        assert key in row
    assert row["count"] == 16_072 and row["previous_count"] == 15_900
    prov = body["provenance"]
    (src,) = prov["sources"]
    assert src["files"][0]["sha256"] and src["files"][0]["loaded_at"]
    assert src["crosswalk_version"].startswith("rtci@")
    assert prov["definition"] and prov["interval_method"]


def test_trends_csv_and_table(store):
    result = runner.invoke(
        app,
        [
            "trends",
            "-a",
            "Chicago",
            "--period",
            "year",
            "--from",
            "2016",
            "--to",
            "2017",
            "--source",
            "chicago",
            "--format",
            "csv",
        ],
    )
    assert result.exit_code == 0, result.output
    (row,) = list(csv.DictReader(io.StringIO(result.output)))
    assert row["count"] == "28001" and row["label"] == "no detectable change"
    table = runner.invoke(
        app, ["trends", "-a", "Chicago", "--from", "2016", "--to", "2017", "--source", "chicago"]
    )
    assert "28,001" in table.output and "95% CI" in table.output
    assert "Clopper-Pearson" in table.output


@pytest.mark.slow
def test_errors_are_one_line_with_exit_codes(store, monkeypatch):
    monkeypatch.setenv("CRIMETRENDS_HOME", str(store))
    proc = run("trends", "--agency", "Atlantis")
    assert proc.returncode == 5
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().startswith("error: no agency named 'Atlantis'")
    assert len(proc.stderr.strip().splitlines()) == 1
    proc = run("trends", "--agency", "Atlantis", "--format", "json")
    assert json.loads(proc.stdout)["error"]["code"] == "not_found"
    proc = run("load", "nope.csv", "--source", "chicago")
    assert proc.returncode == 3 and "file not found" in proc.stderr
    proc = run("load", "nope.csv", "--source", "atlantis")
    assert proc.returncode == 2 and "unknown source 'atlantis'" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.slow
def test_coverage_reconcile_sources_quarantine_commands(store):
    cov = runner.invoke(app, ["coverage", "--format", "json"])
    assert cov.exit_code == 0, cov.output
    summary = {s["source"]: s for s in json.loads(cov.output)["summary"]}
    assert summary["chicago"]["pct_mapped"] >= 99.5
    rec = runner.invoke(app, ["reconcile", "--format", "json"])
    rows = {(r["year"], r["offense"]): r for r in json.loads(rec.output)["rows"]}
    assert rows[(2014, "robbery")]["other_count"] == 9800
    assert rows[(2014, "aggravated_assault")]["notes"]
    src = runner.invoke(app, ["sources", "--format", "json"])
    status = {s["source"]: s for s in json.loads(src.output)["rows"]}
    assert status["chicago"]["files"] == 4 and status["nypd"]["samples_only"]
    q = runner.invoke(app, ["quarantine", "--source", "rtci", "--format", "json"])
    reasons = [r["reason"] for r in json.loads(q.output)["rows"]]
    assert reasons and all("negative count" in r for r in reasons)


def test_source_status_fresh_stale_dark(store):
    import datetime as dt

    from crimetrends.store.status import source_status

    def status(today):
        return {r["source"]: (r["status"], r["age_days"]) for r in source_status(today)}

    # RTCI's newest month is July 2024 (covers to 2024-07-31); cadence monthly: 75 days
    assert status(dt.date(2024, 9, 1))["rtci"] == ("fresh", 32)
    assert status(dt.date(2024, 12, 1))["rtci"] == ("stale", 123)
    assert status(dt.date(2025, 6, 1))["rtci"] == ("dark", 305)
    # Chicago's extract ends 2017-12-31 and the portal updates daily: long dark
    assert status(dt.date(2024, 9, 1))["chicago"][0] == "dark"
    assert status(dt.date(2024, 9, 1))["ucr_annual"][0] == "archive"


def test_quality_flags_outages_and_provisional_months(store):
    result = runner.invoke(
        app,
        [
            "quality",
            "--agency",
            "Los Angeles",
            "--offense",
            "murder",
            "--source",
            "rtci",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["rows"]
    flags = {r["month"]: r["flag"] for r in rows}
    assert "provisional" in flags["2024-07"] and "provisional" in flags["2024-06"]
    assert "2024-05" not in flags or "provisional" not in flags["2024-05"]


@pytest.mark.spark  # starts a Spark session (Java): out of the quick loop
def test_engine_option_loads_on_spark(tmp_path, monkeypatch):
    """`--engine spark` reaches the loader: same accounting as DuckDB, engine recorded."""
    if shutil.which("java") is None and not os.environ.get("CRIMETRENDS_REQUIRE_SPARK"):
        pytest.skip("Spark needs Java (make test installs it)")
    path = str(FIXTURES / "code_homicides_9_cities_2015.csv.gz")
    manifests = {}
    for engine in ("duckdb", "spark"):
        monkeypatch.setenv("CRIMETRENDS_HOME", str(tmp_path / engine))
        monkeypatch.delenv("CRIMETRENDS_ENGINE", raising=False)
        r = run("--engine", engine, "load", path, "--source", "code_homicides", "-f", "json")
        assert r.returncode == 0, r.stderr
        manifests[engine] = json.loads(r.stdout)
    assert manifests["spark"]["engine"] == "spark"
    assert manifests["duckdb"]["engine"] == "duckdb"
    for key in ("rows_in", "rows_kept", "rows_quarantined", "load_id"):
        assert manifests["spark"][key] == manifests["duckdb"][key]
    assert manifests["spark"]["rows_kept"] == 1922


def test_unknown_engine_is_refused():
    r = run("--engine", "pandas", "sources")
    assert r.returncode == 2
    assert "pandas" in r.stderr and "duckdb" in r.stderr


@pytest.mark.slow
def test_json_error_shape_follows_the_parsed_format_option(store, tmp_path, monkeypatch):
    monkeypatch.setenv("CRIMETRENDS_HOME", str(store))
    proc = run("trends", "--agency", "Atlantis", "--format=json")
    assert proc.returncode == 5
    assert json.loads(proc.stdout)["error"]["code"] == "not_found"
    proc = run("trends", "--agency", "Atlantis", "-f", "csv")
    assert proc.returncode == 5 and proc.stdout == ""
    # a file named "json" beside --format table is not a request for JSON
    missing = tmp_path / "json"
    proc = run("check", str(missing), "--format", "table")
    assert proc.returncode == 3 and proc.stdout == ""
    assert "file not found" in proc.stderr


def test_engine_option_is_validated_against_the_registry(store, monkeypatch):
    monkeypatch.setenv("CRIMETRENDS_HOME", str(store))
    proc = run("--engine", "oracle", "sources")
    assert proc.returncode == 2 and "unknown engine 'oracle'" in proc.stderr
    assert "duckdb, spark" in proc.stderr


def test_check_reads_standard_input_like_a_file(store, tmp_path):
    """`crimetrends check -` reads the article from stdin: the same verdicts as the file."""
    text = "Violent crime fell 21% in Chicago in 2025 compared with 2024.\n"
    path = tmp_path / "story.md"
    path.write_text(text)
    from_file = runner.invoke(app, ["check", str(path), "-f", "json"])
    from_stdin = runner.invoke(app, ["check", "-", "-f", "json"], input=text)
    assert from_file.exit_code == 0 and from_stdin.exit_code == 0, from_stdin.output
    verdicts = json.loads(from_stdin.output)
    assert verdicts == json.loads(from_file.output)
    assert [v["verdict"] for v in verdicts["claims"]] == ["consistent"]


def test_check_on_an_empty_store_says_so_instead_of_no_place(empty_home, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Homicides in Chicago fell 10% in 2024 compared with 2023.\n")
    result = run("check", str(article), "-f", "json")
    assert result.returncode == 6, result.stderr
    error = json.loads(result.stdout)["error"]
    assert error["code"] == "no_data" and "store is empty" in error["message"]
