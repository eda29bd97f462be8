"""Recompute each claim from the store and give a verdict with a one-line reason."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from crimetrends.analysis.periods import month_end
from crimetrends.analysis.report import TrendQuery, trend_report
from crimetrends.analysis.trends import TrendRow
from crimetrends.claims.extract import PLACE_ALIASES, Claim
from crimetrends.errors import CrimetrendsError
from crimetrends.sources.registry import all_sources
from crimetrends.store.catalog import agencies, loads

CONSISTENT, INCONSISTENT = "consistent", "inconsistent"
MISMATCH, NOT_CHECKABLE = "definitional mismatch", "not checkable"
COUNT_TOLERANCE = 0.02  # relative, with at least 2 crimes of slack
PCT_TOLERANCE = 1.5  # percentage points
RATE_TOLERANCE = 0.03
DEFINITION_SLACK = 0.10  # a near miss with a definitional difference is a mismatch
VINTAGE_SLACK = 0.05  # incident extracts vs year-end official counts


@dataclass
class Verdict:
    claim: dict[str, Any]
    agency: str | None
    verdict: str
    reason: str
    our_value: float | None = None
    our_previous: float | None = None
    our_pct_change: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    label: str | None = None
    source: str | None = None
    vintage: str | None = None
    alternatives: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def place_index(con: Any) -> dict[str, str]:
    """Names a story may use → store agency ('Chicago' → 'Chicago, Illinois')."""
    index: dict[str, str] = {}
    for agency in agencies(con):
        city = agency.split(",")[0].strip()
        index.setdefault(city, agency)
    for alias, city in PLACE_ALIASES.items():
        if city in index:
            index.setdefault(alias.title() if len(alias) > 3 else alias.upper(), index[city])
    return index


def _preference(row: TrendRow, through: int | None) -> int:
    spec = all_sources().get(row.source)
    if through:  # part-year claims: monthly series first
        order = {"counts": 0, "incidents": 1}
    else:  # annual claims: the published annual tables, then incident records
        order = {"counts": 0 if spec and spec.grain == "year" else 2, "incidents": 1}
    return order.get(spec.kind if spec else "", 3)


def _is_incidents(source: str) -> bool:
    spec = all_sources().get(source)
    return bool(spec and spec.kind == "incidents")


def _vintage(source: str) -> str:
    stamps = sorted(m["loaded_at"] for m in loads() if m["source"] == source)
    return f"{source}, loaded {stamps[-1]}" if stamps else source


def _close(claimed: float, ours: float, rel: float, slack: float = 2.0) -> bool:
    return abs(claimed - ours) <= max(slack, rel * abs(ours))


def _rows(claim: Claim, agency: str) -> list[TrendRow]:
    year = claim.year
    prev = claim.previous_year or (year - 1 if year else None)
    through = None
    if claim.through_month and year:
        through = month_end(dt.date(year, claim.through_month, 1))
    period = "ytd" if through else "year"
    try:
        q = TrendQuery((agency,), claim.offense or "", period, prev, year, through)
        report = trend_report(q)
    except CrimetrendsError:
        return []
    rows = [r for r in report.rows if r.count is not None]
    return sorted(rows, key=lambda r: _preference(r, claim.through_month))


def verify(claim: Claim, places: dict[str, str]) -> Verdict:
    c = claim.to_dict()
    agency = places.get(claim.place_text or "") or next(
        (
            a
            for k, a in places.items()
            if claim.place_text and k.lower() == claim.place_text.lower()
        ),
        None,
    )
    if agency is None:
        where = (
            f"no data for the place {claim.place_text!r}"
            if claim.place_text
            else "no place in the store is named in or before the claim"
        )
        return Verdict(c, None, NOT_CHECKABLE, where)
    if claim.offense is None:
        return Verdict(
            c, agency, NOT_CHECKABLE, f"no series for {claim.offense_text!r}: {claim.offense_note}"
        )
    if claim.year is None:
        return Verdict(c, agency, NOT_CHECKABLE, "no period found in the claim")
    if claim.measure == "rank":
        return _verify_rank(claim, agency, c)
    rows = _rows(claim, agency)
    if not rows:
        return Verdict(
            c,
            agency,
            NOT_CHECKABLE,
            f"no complete {claim.offense} series for {agency} in {claim.year}",
        )
    best = rows[0]
    v = Verdict(
        c,
        agency,
        NOT_CHECKABLE,
        "",
        best.count,
        best.previous_count,
        best.pct_change,
        best.ci_low,
        best.ci_high,
        best.label,
        best.source,
        _vintage(best.source),
        [f"{r.source}: {r.count:,} ({r.period})" for r in rows[1:]],
    )
    note = claim.offense_note
    # internal consistency: does the stated % follow from the stated counts?
    if claim.value and claim.previous_value and claim.pct_change is not None:
        implied = 100 * (claim.value - claim.previous_value) / claim.previous_value
        if abs(implied - claim.pct_change) > 1.0:
            v.verdict = INCONSISTENT
            v.reason = (
                f"internally inconsistent: {claim.previous_value:,.0f} → "
                f"{claim.value:,.0f} is {implied:+.1f}%, not {claim.pct_change:+.1f}%"
            )
            return v
    checks: list[tuple[str, float, float | None, float]] = []
    if claim.measure == "rate":
        checks.append(("rate per 100,000", claim.value or 0, best.rate_per_100k, RATE_TOLERANCE))
    else:
        if claim.value is not None:
            checks.append(("count", claim.value, best.count, COUNT_TOLERANCE))
        if claim.previous_value is not None:
            checks.append(
                (
                    f"{claim.previous_year} count",
                    claim.previous_value,
                    best.previous_count,
                    COUNT_TOLERANCE,
                )
            )
    for what, claimed, ours, tol in checks:
        if ours is None:
            v.verdict, v.reason = NOT_CHECKABLE, f"our {what} is incomplete for that period"
            return v
        if not _close(claimed, ours, tol):
            ratio = claimed / ours if ours else float("inf")
            if 8 <= ratio <= 12 or 1 / 12 <= ratio <= 1 / 8:
                v.verdict, v.reason = (
                    INCONSISTENT,
                    (f"{what} {claimed:,.0f} is about ten times off ours ({ours:,.0f})"),
                )
            elif note and _close(claimed, ours, DEFINITION_SLACK):
                v.verdict, v.reason = (
                    MISMATCH,
                    (f"{what} {claimed:,.0f} vs our {ours:,.0f} ({best.source}): {note}"),
                )
            elif _is_incidents(best.source) and _close(claimed, ours, VINTAGE_SLACK):
                v.verdict, v.reason = (
                    MISMATCH,
                    (
                        f"{what} {claimed:,.0f} vs {ours:,.0f} in the incident records "
                        f"({_vintage(best.source)}): year-end police figures and later incident "
                        "extracts differ by reclassification and date basis"
                    ),
                )
            else:
                v.verdict, v.reason = (
                    INCONSISTENT,
                    (f"{what} {claimed:,.0f} vs our {ours:,.0f} ({best.source}, {best.period})"),
                )
            return v
    if claim.pct_change is not None:
        ours = best.pct_change
        if ours is None:
            v.verdict, v.reason = (
                NOT_CHECKABLE,
                "our change is not comparable: " + "; ".join(best.flags),
            )
            return v
        if abs(claim.pct_change - ours) > PCT_TOLERANCE:
            wrong_way = (claim.pct_change > 0) != (ours > 0)
            if note and abs(claim.pct_change - ours) <= 5 and not wrong_way:
                v.verdict = MISMATCH
                v.reason = f"{claim.pct_change:+.1f}% vs our {ours:+.1f}%: {note}"
            else:
                v.verdict = INCONSISTENT
                v.reason = (
                    f"{claim.pct_change:+.1f}% vs our {ours:+.1f}% "
                    f"({best.period} vs {best.previous_period}, {best.source})"
                    + ("; the direction is wrong" if wrong_way else "")
                )
            return v
    v.verdict = CONSISTENT
    parts = [f"our {best.source} figure {best.count:,} ({best.period})"]
    if best.pct_change is not None:
        parts.append(
            f"change {best.pct_change:+.1f}% (95% CI {best.ci_low:+.0f}% to "
            f"{best.ci_high:+.0f}%): {best.label}"
        )
    if note:
        parts.append(f"note: {note}")
    v.reason = "; ".join(parts)
    return v


def _verify_rank(claim: Claim, agency: str, c: dict[str, Any]) -> Verdict:
    """Rank the agency among every agency with a complete count in the same source."""
    mine = _rows(claim, agency)
    if not mine or claim.year is None:
        return Verdict(
            c,
            agency,
            NOT_CHECKABLE,
            f"no complete {claim.offense} count for {agency} in {claim.year}",
        )
    best = mine[0]
    through = None
    if claim.through_month:
        through = month_end(dt.date(claim.year, claim.through_month, 1))
    report = trend_report(
        TrendQuery(
            (),
            claim.offense or "",
            "ytd" if through else "year",
            claim.year - 1,
            claim.year,
            through,
            best.source,
            all_agencies=True,
        )
    )
    counts = {
        r.agency: r.count
        for r in report.rows
        if r.count is not None and r.agency != "United States"
    }  # national total
    from_bottom = any("from the bottom" in n for n in claim.notes)
    ordered = sorted(counts, key=lambda a: counts[a], reverse=not from_bottom)
    ours = ordered.index(agency) + 1
    v = Verdict(
        c,
        agency,
        CONSISTENT if ours == int(claim.value or 0) else INCONSISTENT,
        "",
        float(ours),
        None,
        None,
        None,
        None,
        None,
        best.source,
        _vintage(best.source),
    )
    side = "fewest" if from_bottom else "most"
    v.reason = (
        f"{agency} ranks {ours} of {len(ordered)} agencies with complete "
        f"{claim.offense} counts in {best.source} for {best.period} ({side} first; "
        f"top: {ordered[0]} {counts[ordered[0]]:,})"
    )
    return v
