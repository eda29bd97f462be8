"""Read a story, extract its claims, verify each, render the report (table, md, json, html)."""

from __future__ import annotations

import datetime as dt
import html
import json
import time
from pathlib import Path

from crimetrends.claims.verify import Verdict
from crimetrends.errors import ConfigError, NoDataError, TimeBudgetError

MAX_CHARS = 200_000
MAX_CLAIMS = 2_000


def check_text(
    raw: str,
    article_date: dt.date | None = None,
    max_claims: int = MAX_CLAIMS,
    budget_s: float | None = None,
    url: str | None = None,
) -> list[Verdict]:
    """Every claim of a text with its verdict. `max_claims` caps the claims checked (the rest
    are dropped, in reading order); past `budget_s` seconds a TimeBudgetError is raised."""
    from crimetrends.claims.document import parse
    from crimetrends.claims.extract import extract
    from crimetrends.claims.facts import fact_base
    from crimetrends.claims.places import gazetteer
    from crimetrends.claims.verify import verify

    started = time.monotonic()
    if len(raw) > MAX_CHARS:
        raise ConfigError(f"article too long ({len(raw):,} characters; limit {MAX_CHARS:,})")
    fb = fact_base()
    places = known_places(fb)
    if not places:  # every claim would read "no place is named": say what is wrong instead
        raise NoDataError(
            "the store is empty: there are no figures to check claims against",
            hint="run `crimetrends demo` or `crimetrends load`",
        )
    doc = parse(raw, article_date, url)
    claims = extract(doc, gazetteer(places))[:max_claims]
    out = []
    for c in claims:
        if budget_s is not None and time.monotonic() - started > budget_s:
            raise TimeBudgetError(
                f"claim check stopped at its time budget ({budget_s:g} s) after "
                f"{len(out)} of {len(claims)} claims",
                hint="send a shorter text",
            )
        out.append(verify(c, fb))
    confirm_tables(claims, out, fb)
    homicides_agree(claims, out)
    follows_from_counts(claims, out)
    return out


def _same(a, b) -> bool:
    return a is not None and b is not None and a.window == b.window


def homicides_agree(claims: list, verdicts: list[Verdict]) -> None:
    """A change in homicides excused as 'not the change in murder' is not excused when the
    same sentence's homicide count for that period matches the store's murder count (and no
    count it states for the base period differs): there the two definitions agree, so the
    change should too. Unless the base the change implies (the count over one plus the
    change) is at or up to the homicide drift above the store's base murders: homicides
    may exceed murders in that year (Detroit's 165 of 2025 match RTCI's 163, and '35%
    since 2023' implies 254 homicides in 2023 against RTCI's 235 murders)."""
    from crimetrends.claims.verify import (
        CONSISTENT,
        HOMICIDE_DRIFT,
        HOMICIDE_WHY,
        INCONSISTENT,
        unconfirmed,
    )

    for i, c in enumerate(claims[: len(verdicts)]):
        v = verdicts[i]
        if c.kind != "pct" or not v.reason.endswith(HOMICIDE_WHY):
            continue
        counts = {
            k: o
            for k, o in enumerate(claims[: len(verdicts)])
            if o.kind == "count" and (o.start, o.end) == (c.start, c.end) and o.offense == c.offense
        }
        agree = [verdicts[k] for k, o in counts.items() if _same(o.period, c.period)]
        base = [verdicts[k] for k, o in counts.items() if _same(o.period, c.base)]
        stated = next((o.value for o in counts.values() if _same(o.period, c.period)), None)
        implied = stated / (1 + c.pct / 100) if stated and c.pct and c.pct > -100 else None
        above = (
            not base
            and implied is not None
            and bool(v.our_previous)
            and 0 <= implied / v.our_previous - 1 <= HOMICIDE_DRIFT
        )
        if agree and not above and all(x.verdict == CONSISTENT for x in agree + base):
            v.verdict = INCONSISTENT
            v.reason = (
                v.reason.removesuffix(HOMICIDE_WHY)
                + f"the article's own count ({agree[0].reason}) matches the store's, so the "
                "definitions agree here"
            )
            verdicts[i] = unconfirmed(c, v)


def follows_from_counts(claims: list, verdicts: list[Verdict]) -> None:
    """A percent change that follows from counts the same sentence states, counts which
    themselves differ from the store's only by definition (a police count vs RTCI's), is a
    definitional mismatch too, not an error ("homicides decreased 31%, down to 72 from 105")."""
    from crimetrends.claims.verify import CONSISTENT, INCONSISTENT, MISMATCH, foreign_count

    by_sentence: dict[tuple[int, int], list[int]] = {}
    for i, c in enumerate(claims[: len(verdicts)]):
        by_sentence.setdefault((c.start, c.end), []).append(i)
    for idx in by_sentence.values():
        counts = [i for i in idx if claims[i].kind == "count" and claims[i].period is not None]
        for i in idx:
            c, v = claims[i], verdicts[i]
            if c.kind != "pct" or v.verdict != INCONSISTENT:
                continue
            cur = [
                k for k in counts if claims[k].period == c.period and claims[k].offense == c.offense
            ]
            base = [
                k for k in counts if claims[k].period == c.base and claims[k].offense == c.offense
            ]
            # "larceny fell 35% from 40,000 to 26,000" where the store has 13,188: another count
            whys = [
                foreign_count(claims[k].value, verdicts[k].our_value, claims[k].period.label)
                for k in cur + base
                if claims[k].value
            ]
            why = next((w for w in whys if w), None)
            if why:
                v.verdict = MISMATCH
                v.reason = f"{v.reason.removesuffix('; the direction is wrong')}: {why}"
                continue
            if "direction is wrong" in v.reason or not cur or not base or c.pct is None:
                continue
            a, b = claims[cur[0]].value, claims[base[0]].value
            fits = all(verdicts[k].verdict in (CONSISTENT, MISMATCH) for k in (cur[0], base[0]))
            if a and b and fits and abs(100 * (a / b - 1) - c.pct) <= 1.5:
                v.verdict = MISMATCH
                v.reason = (
                    f"the stated change follows from the article's own counts ({b:,.0f} → "
                    f"{a:,.0f}), which differ from the store's by definition: {v.reason}"
                )


def confirm_tables(claims: list, verdicts: list[Verdict], fb) -> None:
    """A table whose columns were not labelled (read from the article's years) must fit the
    store somewhere before any cell is called inconsistent: if no cell fits as a count, try
    the cells as rates per 100,000; if none fits either, the reading is unconfirmed and the
    inconsistent cells become not checkable, with why."""
    from dataclasses import replace

    from crimetrends.claims.verify import CONSISTENT, INCONSISTENT, MISMATCH, NOT_CHECKABLE
    from crimetrends.claims.verify import verify as verify_one

    tables: dict[int, list[int]] = {}
    for i, c in enumerate(claims[: len(verdicts)]):
        if c.table is not None and c.carried.get("period") == "context":
            tables.setdefault(c.table, []).append(i)
    fits = (CONSISTENT, MISMATCH)
    for idx in tables.values():
        if any(verdicts[i].verdict in fits for i in idx):
            continue
        as_rates = {
            i: verify_one(replace(claims[i], kind="rate"), fb)
            for i in idx
            if claims[i].kind == "count"
        }
        if as_rates and sum(v.verdict in fits for v in as_rates.values()) * 2 >= len(as_rates):
            for i, v in as_rates.items():
                v.reason = "read as a rate per 100,000 (the table does not say): " + v.reason
                verdicts[i] = v
            continue
        for i in idx:
            if verdicts[i].verdict == INCONSISTENT:
                verdicts[i].verdict = NOT_CHECKABLE
                verdicts[i].reason = (
                    "the table's columns are not labelled and no reading of "
                    "them (counts or rates for the article's years) fits the "
                    "store's figures: " + verdicts[i].reason
                )


def known_places(fb) -> tuple[str, ...]:
    """Every agency the store holds a figure for (monthly, annual, incidents, vintages)."""
    names = {k[1] for k in fb.monthly} | {k[1] for k in fb.annual} | {k[0] for k in fb.ytd}
    names |= {k[1] for k in fb.daily_span}
    return tuple(sorted(names))


def read_article(path: Path) -> str:
    """An article file as text (UTF-8, with or without BOM; latin-1 if it is not UTF-8);
    `-` reads standard input (`pbpaste | crimetrends check -`)."""
    import sys

    from crimetrends.errors import InputFileError

    if str(path) == "-":
        raw = sys.stdin.buffer.read()
    elif not path.is_file():
        raise InputFileError(f"{path}: file not found")
    else:
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


def _ours(v: Verdict) -> str:
    if v.our_pct_change is not None:
        return f"{v.our_pct_change:+.1f}%"
    return "—" if v.our_value is None else f"{v.our_value:,.0f}"


def to_markdown(verdicts: list[Verdict], explain: bool = False) -> str:
    lines = ["| # | claim | place | verdict | our figure | reason |", "|---|---|---|---|---|---|"]
    for i, v in enumerate(verdicts, 1):
        text = (v.claim["fragment"] or v.claim["text"]).replace("|", "\\|")
        lines.append(
            f"| {i} | {text} | {v.agency or v.claim['place_text'] or '—'} | "
            f"**{v.verdict}** | {_ours(v)} | {v.reason.replace('|', '/')} |"
        )
    if explain:
        lines += ["", "Extraction details:", "", *explain_lines(verdicts)]
    return "\n".join(lines) + "\n"


def explain_lines(verdicts: list[Verdict]) -> list[str]:
    """How each claim was read: the rule, what it found, what it carried from context."""
    out = []
    for i, v in enumerate(verdicts, 1):
        c = v.claim
        carried = ", ".join(f"{k} from {w}" for k, w in c["carried"].items())
        out.append(
            f"{i}. {c['kind']} (rule `{c['rule']}`): place {c['place_text']!r} -> {c['place']}, "
            f"offense {c['offense_text']!r} -> {c['offense']}, period {c['period']} "
            f"(base {c['base_period']}), numbers {c['numbers']}, qualifier {c['qualifier']}"
            f"; {carried}" + ("; " + "; ".join(c["notes"]) if c["notes"] else "")
        )
        out += [f"   also: {a}" for a in v.alternatives[:6]]
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
        snippet = html.escape(v.claim["fragment"] or v.claim["text"])
        mark = (
            f'<mark style="background:#fff3c4" id="c{i}">{snippet}</mark>'
            f'<sup><a href="#n{i}">[{i}]</a></sup>'
        )
        if snippet and snippet in body:
            body = body.replace(snippet, mark, 1)
        notes.append(
            f'<li id="n{i}"><strong style="color:{colour}">{v.verdict}</strong>: '
            f"{html.escape(v.reason)} (our figure {_ours(v)}; "
            f"{html.escape(v.vintage or v.source or 'no source')})</li>"
        )
    return (
        '<!doctype html><html lang="en"><meta charset="utf-8"><title>Claim check</title>'
        '<body style="font:16px/1.5 system-ui;max-width:48rem;margin:auto;padding:1rem">'
        f"<h1>Claim check</h1><div style='white-space:pre-wrap'>{body}</div>"
        f"<h2>Verdicts</h2><ol>{''.join(notes)}</ol></body></html>"
    )
