"""Claim recall and verdict agreement: written examples, the real labelled corpus (read from
../shared at test time), the CLI and the API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from crimetrends.claims.evaluate import (
    evaluate_real,
    evaluate_written,
    label_numbers,
    page_article,
    parse_expected,
)
from crimetrends.publish.api import create_app

from .conftest import ROOT

CORPUS = ROOT / "tests" / "claims_corpus"
REAL = Path(__file__).parents[1].parent / "shared" / "data" / "claims_real"
SPLIT = ROOT / "tests" / "claims_real" / "split.toml"
needs_real = pytest.mark.skipif(
    not REAL.is_dir(), reason=f"the real claim corpus is not beside the checkout ({REAL})"
)


def test_no_real_article_text_lives_in_the_project():
    assert not list(CORPUS.glob("r*.md")) and not list(CORPUS.glob("r*.json"))
    assert all(p.name.startswith(("w", "README")) for p in CORPUS.iterdir())


@pytest.mark.slow
def test_written_examples(store):
    result = evaluate_written(CORPUS)
    assert result["articles"] == 13 and result["expected_claims"] >= 20
    # measured when written: recall 22/22, agreement 22/22
    assert result["claim_recall"] >= 0.95 and result["verdict_agreement"] >= 0.95
    missed = sum(": missed " in e for e in result["errors"])
    found = round(result["claim_recall"] * result["expected_claims"])
    assert missed == result["expected_claims"] - found  # every miss is listed


def test_label_reading():
    assert parse_expected("consistent (borderline; acceptable: inconsistent)") == (
        "consistent",
        {"inconsistent"},
    )
    assert label_numbers("15-year high", "—") == ("superlative", [])
    assert label_numbers("1,077; record", "—") == ("numeric", [1077.0])
    assert label_numbers("—", "approaching −20 to −28%") == ("numeric", [20.0, 28.0])
    assert label_numbers("direction: fell", "—") == ("direction", [])


def test_a_page_is_rebuilt_from_its_quotes_with_spans():
    page = {
        "title": 'from the slug: "Chicago homicides fall 2025"',
        "date": "2026-01-05",
        "claims": [
            {
                "id": "1",
                "quote": "There were 416 homicides last year, a 29% decrease.",
                "expected": "consistent",
                "stated_values": "416",
                "stated_pct": "—",
            },
            {
                "id": "2",
                "quote": '(same sentence) "…a 29% decrease…',
                "expected": "consistent",
                "stated_values": "—",
                "stated_pct": "−29%",
            },
            {
                "id": "3",
                "quote": "2025: 416",
                "expected": "consistent",
                "stated_values": "416",
                "stated_pct": "—",
            },
            {
                "id": "4",
                "quote": "2024: 587",
                "expected": "consistent",
                "stated_values": "587",
                "stated_pct": "—",
            },
        ],
    }
    text, labels = page_article(page, "x")
    assert text.startswith("# Chicago homicides fall 2025\n\nThere were 416")
    assert "2025: 416\n2024: 587\n" in text  # consecutive table rows
    a, b, c, _ = labels
    assert text[b.start : b.end] == "a 29% decrease" and a.start <= b.start < a.end
    assert text[c.start : c.end] == "2025: 416"


@needs_real
def test_real_corpus_both_splits(store):
    r = evaluate_real(REAL, SPLIT)
    dev, test = r["dev"], r["test"]
    assert r["pages"] == {"dev": 16, "test": 8}
    assert (dev["labels"], test["labels"]) == (251, 129)
    # development split, measured 2026-12-01: recall 96.0%, agreement 93.4%, no true claim
    # called inconsistent, no false claim called consistent
    assert dev["claim_recall"] >= 0.9 and dev["verdict_agreement"] >= 0.9
    assert dev["true_called_inconsistent"] == 0 and dev["false_called_consistent"] == 0
    assert len(dev["misses"]) == dev["labels"] - dev["agreed"]  # every dev miss is listed
    assert "misses" not in test and sum(test["miss_categories"].values()) == (
        test["labels"] - test["agreed"]
    )
    # frozen test split: the recall target and "no false claim called consistent"
    # hold (measured 2026-12-01: recall 89.1%, 0 false claims called consistent) ...
    assert test["claim_recall"] >= 0.85
    assert test["false_called_consistent"] == 0


@needs_real
@pytest.mark.xfail(
    strict=True,
    reason="measured on the frozen split 2026-12-02: verdict agreement 74.1% (target 85%) "
    "and 3 true claims called inconsistent (target 0; 10 before the safety rules); see "
    "README 'Check the claim'",
)
def test_real_corpus_frozen_split_targets(store):
    test = evaluate_real(REAL, SPLIT, only="test")["test"]
    assert test["verdict_agreement"] >= 0.85  # these two do not hold yet
    assert test["true_called_inconsistent"] == 0


def test_cli_check_and_check_eval(store, tmp_path):
    from crimetrends.cli import app

    article = CORPUS / "w01-rtci-chicago-ytd.md"
    out = CliRunner().invoke(app, ["check", str(article), "--date", "2024-09-01", "-f", "json"])
    assert out.exit_code == 0, out.output
    claims = json.loads(out.output)["claims"]
    assert [c["verdict"] for c in claims] == ["consistent", "consistent"]
    out = CliRunner().invoke(app, ["check", str(article), "--explain", "-f", "md"])
    assert out.exit_code == 0 and "rule `pct-number`" in out.output
    out = CliRunner().invoke(
        app, ["check-eval", str(CORPUS), "--real", str(tmp_path), "--split", str(SPLIT)]
    )
    assert out.exit_code == 0, out.output
    assert "real corpus: skipped" in out.output and "written examples: 13 articles" in out.output


def test_api_check_endpoint(store, public):
    tables, prov = public
    with TestClient(create_app(tables, prov)) as client:
        r = client.post("/v1/check", json={"text": "Chicago had 782 murders in 2016."})
        assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
        (claim,) = r.json()["claims"]
        assert claim["verdict"] == "consistent" and claim["our_value"] == 782
        assert client.post("/v1/check", json={"text": "x" * 20_001}).status_code == 422


def test_only_the_development_pages_can_be_scored(store, tmp_path):
    """`check-eval --only dev` never runs the frozen pages (so tuning runs cannot see them)."""
    page = {
        "title": "Chicago murders 2016",
        "date": "2017-02-01",
        "claims": [
            {
                "id": "1",
                "quote": "Chicago had 782 murders in 2016.",
                "expected": "consistent",
                "stated_values": "782",
                "stated_pct": "—",
            }
        ],
    }
    for name in ("a_dev", "b_frozen"):
        (tmp_path / f"{name}.json").write_text(json.dumps(page))
    split = tmp_path / "split.toml"
    split.write_text('test = ["b_frozen"]\n')
    r = evaluate_real(tmp_path, split, only="dev")
    assert "test" not in r and r["pages"] == {"dev": 1}
    assert r["dev"]["labels"] == 1 and r["dev"]["agreed"] == 1
