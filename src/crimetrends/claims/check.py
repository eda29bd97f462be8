"""Read a story, extract its claims, verify each, render the report (table, md, json, html)."""

from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path
from typing import Any

from crimetrends.claims.extract import extract
from crimetrends.claims.verify import Verdict, place_index, verify
from crimetrends.errors import ConfigError
from crimetrends.store.connect import connect

MAX_CHARS = 200_000


def check_text(raw: str, article_date: dt.date | None = None) -> list[Verdict]:
    if len(raw) > MAX_CHARS:
        raise ConfigError(f"article too long ({len(raw):,} characters; limit {MAX_CHARS:,})")
    places = place_index(connect())
    return [verify(c, places) for c in extract(raw, places, article_date)]


def read_article(path: Path) -> str:
    """An article file as text (UTF-8, with or without BOM; latin-1 if it is not UTF-8)."""
    from crimetrends.errors import InputFileError

    if not path.is_file():
        raise InputFileError(f"{path}: file not found")
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def parse_date(value: str | None) -> dt.date | None:
    """--date YYYY-MM-DD (None when not given)."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"--date {value!r}: use YYYY-MM-DD, e.g. 2025-01-05") from None


def check_file(path: Path, article_date: dt.date | None = None) -> list[Verdict]:
    return check_text(read_article(path), article_date)


def to_json(verdicts: list[Verdict]) -> str:
    return json.dumps(
        {"claims": [v.to_dict() for v in verdicts]}, indent=2, ensure_ascii=False, default=str
    )


def to_markdown(verdicts: list[Verdict], explain: bool = False) -> str:
    lines = ["| # | claim | place | verdict | our figure | reason |", "|---|---|---|---|---|---|"]
    for i, v in enumerate(verdicts, 1):
        ours = "—" if v.our_value is None else f"{v.our_value:,.0f}"
        text = v.claim["text"].replace("|", "\\|")
        lines.append(
            f"| {i} | {text} | {v.agency or v.claim['place_text'] or '—'} | "
            f"**{v.verdict}** | {ours} | {v.reason} |"
        )
    if explain:
        lines += ["", "Extraction details:", "", *explain_lines(verdicts)]
    return "\n".join(lines) + "\n"


def explain_lines(verdicts: list[Verdict]) -> list[str]:
    """How each claim was read: the rule, the fields it filled, the notes."""
    out = []
    for i, v in enumerate(verdicts, 1):
        c = v.claim
        out.append(
            f"{i}. rule `{c['rule']}`, measure {c['measure']}, place {c['place_text']!r} -> "
            f"{v.agency}, offense {c['offense_text']!r} -> {c['offense']}, year {c['year']} "
            f"(previous {c['previous_year']}, through month {c['through_month']}), values "
            f"{c['value']} / {c['previous_value']} / {c['pct_change']}%; " + "; ".join(c["notes"])
        )
    return out


VERDICT_COLOURS = {
    "consistent": "#0b6b2e",
    "inconsistent": "#a3161b",
    "definitional mismatch": "#5c4a00",
    "not checkable": "#4a4a4a",
}


def to_html(raw: str, verdicts: list[Verdict]) -> str:
    """The article with each claim highlighted and annotated with its verdict."""
    body = html.escape(raw)
    notes = []
    for i, v in enumerate(verdicts, 1):
        colour = VERDICT_COLOURS[v.verdict]
        snippet = html.escape(v.claim["text"])
        mark = (
            f'<mark style="background:#fff3c4" id="c{i}">{snippet}</mark>'
            f'<sup><a href="#n{i}">[{i}]</a></sup>'
        )
        if snippet in body:
            body = body.replace(snippet, mark, 1)
        ours = "—" if v.our_value is None else f"{v.our_value:,.0f}"
        notes.append(
            f'<li id="n{i}"><strong style="color:{colour}">{v.verdict}</strong>: '
            f"{html.escape(v.reason)} (our figure {ours}; "
            f"{html.escape(v.vintage or 'no source')})</li>"
        )
    return (
        '<!doctype html><html lang="en"><meta charset="utf-8"><title>Claim check</title>'
        '<body style="font:16px/1.5 system-ui;max-width:48rem;margin:auto;padding:1rem">'
        f"<h1>Claim check</h1><div style='white-space:pre-wrap'>{body}</div>"
        f"<h2>Verdicts</h2><ol>{''.join(notes)}</ol></body></html>"
    )


def evaluate(corpus: Path) -> dict[str, Any]:
    """Claim recall and verdict agreement on a corpus of articles with expected claims."""
    expected_total = matched = agreed = 0
    errors: list[str] = []
    per_article = []
    for meta_path in sorted(corpus.glob("*.json")):
        meta = json.loads(meta_path.read_text())
        article = meta_path.parent / meta.get("file", meta_path.with_suffix(".md").name)
        date = dt.date.fromisoformat(meta["date"]) if meta.get("date") else None
        verdicts = check_file(article, date)
        used: set[int] = set()
        hits = agree = 0
        for exp in meta["claims"]:
            expected_total += 1
            idx = next(
                (i for i, v in enumerate(verdicts) if i not in used and _same_claim(v.claim, exp)),
                None,
            )
            if idx is None:
                errors.append(f"{article.name}: missed {exp}")
                continue
            used.add(idx)
            hits += 1
            if verdicts[idx].verdict == exp["verdict"]:
                agree += 1
            else:
                errors.append(
                    f"{article.name}: {exp} got {verdicts[idx].verdict!r}: {verdicts[idx].reason}"
                )
        extra = [v.claim["text"] for i, v in enumerate(verdicts) if i not in used]
        errors += [f"{article.name}: extracted but not expected: {t}" for t in extra]
        matched += hits
        agreed += agree
        per_article.append(
            {
                "article": article.name,
                "expected": len(meta["claims"]),
                "found": hits,
                "agreed": agree,
                "extra": len(extra),
                "source": meta.get("source", "written for the tests"),
            }
        )
    return {
        "articles": len(per_article),
        "expected_claims": expected_total,
        "claim_recall": matched / expected_total if expected_total else 0.0,
        "verdict_agreement": agreed / matched if matched else 0.0,
        "per_article": per_article,
        "errors": errors,
    }


def _same_claim(got: dict[str, Any], exp: dict[str, Any]) -> bool:
    if exp.get("measure") and got["measure"] != exp["measure"]:
        return False
    for key in ("value", "previous_value", "pct_change", "year"):
        if key in exp and (got.get(key) is None or abs(got[key] - exp[key]) > 1e-6):
            return False
    return not ("offense" in exp and got["offense"] != exp["offense"])
