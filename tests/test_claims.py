"""Claim extraction and verification, on hand-made and real published passages."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from fastapi.testclient import TestClient

from crimetrends.claims.check import check_text, evaluate, to_html, to_markdown
from crimetrends.claims.extract import extract
from crimetrends.claims.verify import CONSISTENT, INCONSISTENT, MISMATCH, NOT_CHECKABLE
from crimetrends.publish.api import create_app

from .conftest import ROOT

CORPUS = ROOT / "tests" / "claims_corpus"


def test_extraction_record_fields():
    places = {"Chicago": "Chicago, Illinois"}
    (c,) = extract("Through July, violent crime in Chicago was up 1.1 percent in 2024.", places)
    assert (c.place_text, c.offense, c.measure, c.pct_change, c.year, c.through_month) == (
        "Chicago",
        "violent",
        "pct_change",
        1.1,
        2024,
        7,
    )
    (c,) = extract(
        "The city recorded 762 murders last year, up from 485.", places, dt.date(2017, 1, 5)
    )
    assert (c.measure, c.value, c.previous_value, c.year, c.previous_year) == (
        "count_pair",
        762,
        485,
        2016,
        2015,
    )
    assert any("last year" in n for n in c.notes)


def test_several_places_bind_to_the_nearest_one():
    places = {"New York City": "NYC", "Los Angeles": "LA"}
    text = "New York City had 334 homicides in 2016 while Los Angeles had 294 homicides."
    claims = extract(text, places)
    assert [(c.place_text, c.value) for c in claims] == [
        ("New York City", 334),
        ("Los Angeles", 294),
    ]


def test_verdicts_on_known_answers(store):
    date = dt.date(2018, 1, 10)
    v = {
        c.claim["text"]: c
        for c in check_text(
            "Robberies in Chicago rose 12% in 2017. Chicago saw 1,200 burglaries in 2017. "
            "Chicago had 3,550 shootings in 2016. Chicago recorded 12,999 burglaries in 2017, "
            "down from 14,287 in 2016.",
            date,
        )
    }
    assert v["Robberies in Chicago rose 12% in 2017."].verdict == INCONSISTENT
    assert "direction is wrong" in v["Robberies in Chicago rose 12% in 2017."].reason
    assert "ten times" in v["Chicago saw 1,200 burglaries in 2017."].reason
    assert v["Chicago had 3,550 shootings in 2016."].verdict == NOT_CHECKABLE
    pair = v["Chicago recorded 12,999 burglaries in 2017, down from 14,287 in 2016."]
    assert pair.verdict == CONSISTENT and pair.our_value == 12_999
    assert pair.ci_low < pair.our_pct_change < pair.ci_high < 0
    assert pair.vintage.startswith("chicago, loaded")


def test_no_data_is_never_consistent(store):
    for text in (
        "Springfield saw 40 murders in 2016.",
        "Chicago had 12 carjackings in 2016.",
        "Chicago recorded 900 murders in 1960.",
        "Violent crime in Los Angeles fell 5% through July 2024.",
    ):
        (v,) = check_text(text, dt.date(2024, 9, 1))
        assert v.verdict == NOT_CHECKABLE, (text, v.reason)


def test_internal_consistency_is_checked(store):
    (v,) = check_text(
        "| City | Burglaries (2016) | Burglaries (2017) | % change |\n"
        "|---|---|---|---|\n| Chicago | 14,287 | 12,999 | -20% |\n"
    )
    assert v.verdict == INCONSISTENT and "internally inconsistent" in v.reason


def test_homicide_near_miss_is_a_definitional_mismatch(store):
    (v,) = check_text("Chicago had 762 homicides in 2016.")
    assert v.verdict == MISMATCH and v.our_value == 782


def test_corpus_recall_and_agreement(store):
    result = evaluate(CORPUS)
    assert result["articles"] >= 15
    assert sum("source" in json.loads(p.read_text()) for p in CORPUS.glob("r*.json")) >= 5
    # measured on the bundled data when written: recall 30/32, agreement 29/30
    assert result["claim_recall"] >= 0.9
    assert result["verdict_agreement"] >= 0.9
    # every miss and every disagreement is listed, none hidden
    missed = sum(e.count(": missed ") for e in result["errors"])
    found = round(result["claim_recall"] * result["expected_claims"])
    assert missed == result["expected_claims"] - found


def test_reports_render(store):
    raw = "Through July, violent crime in Chicago was up 1.1 percent in 2024."
    verdicts = check_text(raw, dt.date(2024, 9, 1))
    assert "**consistent**" in to_markdown(verdicts, explain=True)
    page = to_html(raw, verdicts)
    assert "<mark" in page and "consistent" in page


def test_api_check_endpoint_stores_nothing(store, public):
    tables, prov = public
    with TestClient(create_app(tables, prov)) as client:
        r = client.post("/v1/check", json={"text": "Chicago had 762 homicides in 2016."})
        assert r.status_code == 200
        (claim,) = r.json()["claims"]
        assert claim["verdict"] == MISMATCH
        assert r.headers["cache-control"] == "no-store"
        too_long = client.post("/v1/check", json={"text": "x" * 20_001})
        assert too_long.status_code == 422


@pytest.mark.parametrize("name", ["w01-rtci-chicago-ytd", "w10-philadelphia"])
def test_cli_check_json(store, name):
    from typer.testing import CliRunner

    from crimetrends.cli import app

    meta = json.loads((CORPUS / f"{name}.json").read_text())
    path = CORPUS / meta.get("file", f"{name}.md")
    out = CliRunner().invoke(app, ["check", str(path), "--date", meta["date"], "-f", "json"])
    assert out.exit_code == 0, out.output
    verdicts = [c["verdict"] for c in json.loads(out.output)["claims"]]
    assert verdicts == [c["verdict"] for c in meta["claims"]]


def test_rank_claims_match_a_plain_sql_ranking(store):
    import duckdb

    from .conftest import BUNDLE

    top = duckdb.sql(
        f"""SELECT department_name FROM read_csv(
              '{BUNDLE}/marshall_ucr_violent_crime_68_agencies_1975_2015.csv.gz',
              header = true, all_varchar = true)
            WHERE year = '2015' AND rob_sum <> 'NA' AND department_name <> 'National'
            ORDER BY rob_sum::INT DESC LIMIT 3"""
    ).fetchall()
    houston_rank = [name for (name,) in top].index("Houston") + 1
    (v,) = check_text(
        f"Houston had the {['', 'most', 'second-most', 'third-most'][houston_rank]}"
        " robberies among the cities in 2015."
    )
    assert v.claim["measure"] == "rank" and v.verdict == CONSISTENT
    assert v.our_value == houston_rank
