"""Recompute each claim from every source that covers it and give a verdict with a reason.

Every figure of every source for the claim's window is gathered (`facts.FactBase`): the
monthly series, each year-to-date vintage, the annual tables, the incident records. The one
closest to the claim decides, the others are listed beside it. Tolerances follow the claim's
own precision (a bare count ±2%, murder and homicide ±3%, a percent change ±2 points, widened
by "about", "nearly", "more than", a range) and the known drift between sources:

* *consistent*: within the tolerance of at least one source's figure;
* *definitional mismatch*: outside it, but by a gap the definitions explain (homicide vs
  murder up to 12%; a police year-end count vs a later extract up to 8%; a small monthly
  count off by a few, which month allocation explains), with the gap stated;
* *inconsistent*: only when the definition and the period match and the gap exceeds all of
  that, or the direction is wrong, or the stated % does not follow from the stated counts;
* *not checkable*: the place, offense, measure or period is not in the store, with what
  would be needed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from crimetrends.analysis.periods import Window
from crimetrends.claims.claim import NO_DATE, STATUTORY, Claim
from crimetrends.claims.facts import FactBase, Figure
from crimetrends.claims.lexicon import measure_reasons
from crimetrends.claims.when import Period

CONSISTENT, INCONSISTENT = "consistent", "inconsistent"
MISMATCH, NOT_CHECKABLE = "definitional mismatch", "not checkable"
SEVERITY = {CONSISTENT: 0, NOT_CHECKABLE: 1, MISMATCH: 2, INCONSISTENT: 3}
COUNT_TOL = {"murder": 0.03}  # others 0.02
DEFAULT_COUNT_TOL = 0.02
HOMICIDE_DRIFT = 0.13  # police homicide counts vs RTCI/UCR murder (the labels: up to ~14%)
HOMICIDE_ABOVE = 0.35  # all homicides (justifiable, by police) above murder: never a refutation
HOMICIDE_WHY = (
    "a change in homicides (which include killings murder leaves out, and reclassifications) "
    "is not the change in murder"
)
SAMPLE_PCT = 6.0  # points: RTCI's national sample vs the FBI's national estimate
POLICE_PCT = 5.0  # points: a police-reported change vs the change in a later extract
COMPOSITES = ("violent", "property", "all")
COMPOSITE_PCT = 15.0  # points: a police total's change vs the UCR offenses' sum, same direction
HOMICIDE_PCT = 15.0  # points: a change in homicides vs the change in murder, same direction
POLICE_DRIFT = 0.08  # a police year-end count vs a later extract of the same offense
POLICE_COUNT_DRIFT = 0.15  # the same, when the article cites the police: a definitional pair
POLICE_FLIP = 3.0  # %: a change of ours this small may have the other sign in police counts
MONTH_DRIFT = 0.15  # a single month's count: month allocation, late reports
DIRECTION_DRIFT = 5.0  # %: a small change of ours can flip under another definition
PCT_TOL = 2.0  # percentage points
OTHERWISE_DEFINED = " by the store's definition"  # a superlative beaten within a definition's drift
SMALL_FLIP = 100  # counts under this, over an approximate window: a direction is not refuted
PARTIAL_PCT_TOL = 5.0  # a window that ends on a day inside a month, bracketed


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
    parts: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        return asdict(self)


def _loose(c: Claim) -> bool:
    """The claim's word names a wider or different category than the store's offense."""
    return c.offense_note.startswith(("loose:", "wider:"))


def _wider(c: Claim) -> bool:
    """The claim's word names a category that holds the store's offense and more ('crimes
    against persons', 'assaults'): a count above the store's, by any amount, fits it."""
    return c.offense_note.startswith("wider:")


def _note_text(note: str) -> str:
    return note.removeprefix("loose: ").removeprefix("wider: ")


def _homicide(c: Claim) -> bool:
    """The claim counts homicides or killings, a wider set than the store's murder."""
    return c.offense == "murder" and "murder" not in (c.offense_text or "murder").lower()


def _tol(offense: str | None) -> float:
    return COUNT_TOL.get(offense or "", DEFAULT_COUNT_TOL)


# what the article itself never says, or says only by pointing back ("over that period")
ASSUMED = {"publication date", "page address", "dateline", "look back"}


def verify(c: Claim, fb: FactBase) -> Verdict:
    """The verdict of one claim (and of the parts checked with it)."""
    recent = c.period if c.period is not None and c.period.kind == "recent" else None
    if recent or (c.base is not None and c.base.kind == "recent"):
        fb = ExactOnly(fb)  # type: ignore[assignment]
    v = _verify_one(c, fb)
    if recent and v.verdict == INCONSISTENT and not _beyond_shift(c, v, recent.days or 1):
        v.verdict = NOT_CHECKABLE
        v.reason = (
            f"the window ends at publication, known to within a day or two, and {recent.days} "
            f"days moved by two could close the gap: {v.reason}"
        )
    if v.verdict == INCONSISTENT and c.carried.get("unfinished") == "period":
        v = _to_date(c, fb, v)
    if STATUTORY in c.notes and v.verdict in (CONSISTENT, INCONSISTENT):
        v.verdict = MISMATCH  # agreement with another definition would confirm nothing
        v.reason = (
            f"the article counts a state's own classes ('aggravated robbery' apart from "
            f"'robbery', 'felonious' apart from 'aggravated' assault), which split the UCR "
            f"offense otherwise: {v.reason}"
        )
    for part in c.attached:
        pv = _verify_one(part, fb)
        v.parts.append({"claim": part.fragment, "verdict": pv.verdict, "reason": pv.reason})
        if SEVERITY[pv.verdict] > SEVERITY[v.verdict] and pv.verdict != NOT_CHECKABLE:
            v.verdict = pv.verdict
            v.reason = f"{v.reason}; but {part.fragment!r}: {pv.reason}"
    return unconfirmed(c, v)


def _beyond_shift(c: Claim, v: Verdict, days: int) -> bool:
    """A count over the last `days` days that no two-day shift of its window could explain."""
    if c.kind != "count" or c.value is None or not v.our_value:
        return False
    slack = 2 / days + _tol(c.offense)
    return abs(c.value - v.our_value) / v.our_value > slack


class ExactOnly:
    """The fact base with only the figures of exactly the claim's window: the last days to
    publication ('in the past two weeks') are checked against daily records alone. The
    whole-month figures around so short a window bound nothing ('more than 19 homicides in
    the past two weeks' is not borne out by 320 in the year)."""

    def __init__(self, fb: FactBase) -> None:
        self._fb = fb

    def __getattr__(self, name: str):
        return getattr(self._fb, name)

    def figures(self, names, offense, w):
        return [f for f in self._fb.figures(names, offense, w) if f.bound == "exact"]


def _to_date(c: Claim, fb: FactBase, v: Verdict) -> Verdict:
    """A year that had not ended at publication ('100 homicides in 2024' in November 2024)
    read as what it can only mean there: the year to date at publication, its end known to
    within a few weeks (and the base year over the same months). That reading's verdict is
    kept only when the claim holds under it; otherwise the first verdict goes on to
    `unconfirmed` (not checkable: the cut-off is not known well enough to refute)."""
    from dataclasses import replace

    from crimetrends.claims.when import ytd

    p, pub = c.period, c.published
    if p is None or pub is None or p.kind != "year" or p.year != pub.year:
        return v
    if c.base is not None and (c.base.kind != "year" or c.base.year >= p.year):
        return v
    period = ytd(p.year, pub, exact=False, approx=True, text=f"{p.text} (to date)")
    base = None if c.base is None else period.in_year(c.base.year)
    carried = {k: w for k, w in c.carried.items() if k != "unfinished"}
    again = _verify_one(replace(c, period=period, base=base, carried=carried), fb)
    if again.verdict not in (CONSISTENT, MISMATCH):
        return v
    again.reason = (
        f"read as the year to date at publication ({pub.isoformat()}), as its year had not "
        f"ended: {again.reason}"
    )
    return again


def unconfirmed(c: Claim, v: Verdict) -> Verdict:
    """'Inconsistent' needs the claim's period and place to be the ones it means. When the
    article never states them (the period assumed from the publication date or carried from
    an earlier sentence, the place only from the page's address, or carried in a story that
    names several places), or the period had not ended at publication, a gap is reported as
    not checkable, with the figures."""
    beaten_otherwise = v.verdict == MISMATCH and OTHERWISE_DEFINED in v.reason
    if (
        v.verdict != INCONSISTENT and not beaten_otherwise
    ) or "internally inconsistent" in v.reason:
        return v
    assumed = [k for k in ("period", "base", "place") if c.carried.get(k) in ASSUMED]
    assumed += [k for k in ("period", "base") if c.carried.get(k) == "carried"]
    if _base_states_the_period(c):
        assumed.remove("period")
    if c.period is not None and c.period.text.endswith("(the window stated before)"):
        assumed.append("period (its 'this year' is read as the window stated before)")
    if c.carried.get("offense") == "carried":
        assumed.append("offense")
    if c.carried.get("place") == "carried among several":
        assumed.append("place (the story names several)")
    if "(derived: vintage" in v.reason and not assumed and not c.carried.get("unfinished"):
        v.verdict = MISMATCH
        v.reason += (
            "; but the store's month is the difference of two year-to-date vintages, which "
            "also holds late reports of earlier months"
        )
        return v
    why = []
    if assumed:
        why.append(f"the article does not state the {' or '.join(dict.fromkeys(assumed))}")
    if c.carried.get("unfinished") == "sentence":
        why.append(
            "its sentence sets it against a year that had not ended at publication, so it is "
            "most likely the same part of its own year"
        )
    elif c.carried.get("unfinished"):
        why.append("its period had not ended when the article was published (a part of it)")

    if why:
        v.verdict = NOT_CHECKABLE
        v.reason = f"{'; '.join(why)}; read as assumed, it would not hold: {v.reason}"
    return v


def _base_states_the_period(c: Claim) -> bool:
    """A period carried from earlier that the sentence's own base pins down: 'compared with
    the first six months of last year' after a headline's 'first half of 2024', or 'fell by
    1,092 (15,340 robberies in 2023)' in a story about 2024 — the same window, a year on."""
    if c.carried.get("period") != "carried" or c.carried.get("base") != "sentence":
        return False
    if c.period is None or c.base is None or c.period.kind == "recent":
        return False
    return c.base.window == c.period.in_year(c.period.year - 1).window


def _verify_one(c: Claim, fb: FactBase) -> Verdict:
    internal = _internal(c) if c.kind == "pct" else None
    if internal:  # the article against itself: needs no data
        return Verdict(c.to_dict(), _agency(c), INCONSISTENT, internal)
    blocked = _not_checkable(c)
    if blocked:
        return Verdict(c.to_dict(), None, NOT_CHECKABLE, blocked)
    assert c.place is not None
    if c.kind in ("direction", "pct", "ratio") and len(c.places) > 1:
        return _each_place(c, fb)
    if c.kind in ("direction",) and len(c.offenses) > 1:
        return _each_offense(c, fb)
    fn = {
        "count": check_count,
        "pct": check_pct,
        "direction": check_direction,
        "ratio": check_pct,
        "rate": check_rate,
        "superlative": check_superlative,
        "rank": check_rank,
        "compare": check_compare,
        "milestone": check_milestone,
        "delta": check_delta,
        "average": check_average,
    }.get(c.kind)
    if fn is None:
        return Verdict(c.to_dict(), _agency(c), NOT_CHECKABLE, f"{c.kind} claims are not checked")
    v = fn(c, fb)
    if v.verdict == INCONSISTENT and c.kind == "superlative" and "a rate superlative" in c.notes:
        return _rate_or_count(c, fb, v)
    return v


def _rate_or_count(c: Claim, fb: FactBase, v: Verdict) -> Verdict:
    """'Its highest homicide rate in 26 years, with 274 homicides': a superlative that fails
    as a rate but holds for the count is a definitional mismatch (the writer's 'rate' may
    mean the count), with both readings shown."""
    from dataclasses import replace

    counts = check_superlative(
        replace(c, notes=[n for n in c.notes if n != "a rate superlative"]), fb
    )
    if counts.verdict != CONSISTENT:
        return v
    v.verdict = MISMATCH
    v.reason = f"as a rate, {v.reason}; as a count it holds ({counts.reason})"
    return v


def _agency(c: Claim) -> str | None:
    return c.place.label if c.place else None


# Notes the reader attaches that make a claim not checkable, in the order they are told.
NOTE_REASONS = {
    "an average over several years": (
        "An average over several years is not checked (each year's figure would be)."
    ),
    "a ranking by a study's own score": (
        "A ranking by a study's own score (not by counts or rates) is not checked."
    ),
    "a projection": "A projection or an aim ('on pace for', 'a goal of') is not a recorded figure.",
    "a vague period": (
        "The period ('in recent years', 'over the last few years') is too vague to check."
    ),
    "a part of a stated total": (
        "A part of a stated total ('33 out of 41 homicides') is not a count of the offense."
    ),
    "a claim about some categories": (
        "A claim about some categories ('in some aspects') is not the total's change."
    ),
    "a comparison with another place": (
        "A comparison with another place ('comparable drops') is not checked as a change."
    ),
    "a causal claim": "A causal claim: the data can show a change, not its cause.",
    "the column's year is not known": "The table does not say which year this column is.",
    "the column's period is qualified by a footnote": (
        "The column's period is qualified by a footnote ('2023*') the page does not spell out."
    ),
    "the start of a trend": "When a trend began is too vague to check.",
    "a comparison with several years": (
        "A level set against several other years ('lower than in three of the four years') "
        "is not a change from the year before; it is not checked."
    ),
    "among the top few": (
        "'One of the top three' places a city among a few, not at one rank; it is not checked."
    ),
    "against an average": "A change against a multi-year average is not checked.",
    "a participle before a noun": (
        "The direction word describes the noun after it ('improved communication'), not a "
        "crime count."
    ),
    "a share between two levels": (
        "A move between two percentages ('from 25% to 7%') is a share or a rate, not a change "
        "in counts."
    ),
}


def _not_checkable(c: Claim) -> str | None:
    """Why a claim cannot be checked at all (None when it can be tried)."""
    if "not a whole number" in c.notes:
        return f"{c.value:g} is not a whole number, so not a count of crimes (a score or index?)."
    if "a negated figure" in c.notes:
        return "A negated figure ('has not recorded fewer than …') says what did not happen."
    if c.measure:
        if c.measure == "city count":
            return "A count of cities meeting a condition is not checked."
        return measure_reasons().get(c.measure, "That measure is not in the crime data.")
    if c.offense is None:
        return "No offense is named in or before the claim."
    if c.period is not None and c.base is not None and c.period.window == c.base.window:
        return (  # a change of a period from itself: the reading went wrong, never a figure
            f"The change was read as {c.period.label} against itself; the two periods it "
            "compares could not be told apart."
        )
    if c.place is None:
        return "No place is named in or before the claim."
    p = c.place
    if p.kind == "ambiguous":
        return f"The place {p.label!r} is ambiguous: {' or '.join(p.candidates)}."
    if p.kind == "state":
        return (
            f"Statewide figures for {p.label} are not in the store (RTCI's state rows are "
            "samples of a few agencies, not the state)."
        )
    if p.kind == "subcity":
        return "Figures for a neighbourhood or district are not in the store."
    if p.kind in ("vague", "outside"):
        return f"The set of places ({p.label}) is not defined in the data."
    if p.kind == "state-whole":
        return "Statewide figures are not in the store."
    if p.kind == "unknown":
        return f"{p.label!r} is not a place the store has figures for."
    if c.period is None and c.carried.get("period") == NO_DATE:
        return (
            "Its period ('so far this year', 'two years ago') is relative to a publication "
            "date the page does not give (pass --date)."
        )
    if c.period is None:
        return "No period is stated in or before the claim."
    if p.kind == "sample" and c.kind in ("count", "rate", "average", "rank"):
        return (
            f"{p.label} is a sample of agencies, not the whole country: its counts are not "
            "national totals (only its changes can be compared)."
        )
    # a superlative with a projection ('on pace for its fewest') is still checked
    notes = [n for n in c.notes if not (n == "a projection" and c.kind == "superlative")]
    why = next((NOTE_REASONS[n] for n in NOTE_REASONS if n in notes), None)
    if why:
        return why
    if c.kind == "count" and c.rule == "milestone-ordinal" and c.period.kind == "year":
        return "An ordinal milestone without its date is not checkable."
    return None


# -- counts ------------------------------------------------------------------------------------


def _count_gap(stated: float, qualifier: str | None, ref: float, high: float | None = None):
    """Relative gap between a stated count and a reference, after the qualifier's band."""
    if ref == 0:
        return 0.0 if stated == 0 else float("inf")
    lo, hi = stated, stated
    if qualifier == "about":
        unit = _rounding_unit(stated)
        lo, hi = min(stated * 0.95, stated - unit / 2), max(stated * 1.05, stated + unit / 2)
    elif qualifier == "nearly":
        lo, hi = stated * 0.9, stated
    elif qualifier == "over":
        lo, hi = stated, float("inf")
    elif qualifier == "just_over":
        lo, hi = stated, stated * 1.1
    elif qualifier == "under":
        lo, hi = 0.0, stated
    elif qualifier == "range" and high is not None:
        lo, hi = min(stated, high), max(stated, high)
    if lo <= ref <= hi:
        return 0.0
    nearest = lo if ref < lo else hi
    return (nearest - ref) / ref


def _rounding_unit(x: float) -> float:
    if x <= 0 or x != int(x):
        return 0.0
    n = int(x)
    unit = 1
    while n % (unit * 10) == 0 and unit < 10**6:
        unit *= 10
    return float(unit) if unit > 1 else 0.0


def _figure_gap(stated: float, c: Claim, f: Figure) -> float:
    return _count_gap(stated, c.qualifier, f.count, c.high)


def _bracket_gap(stated: float, c: Claim, figs: list[Figure]) -> float:
    """A count to a day inside a month: between the whole-month figures around it is a match."""
    lower = [f for f in figs if f.bound == "lower"]
    upper = [f for f in figs if f.bound == "upper"]
    if not upper:
        return min((abs(_figure_gap(stated, c, f)) for f in figs), default=float("inf"))
    hi = max(f.count for f in upper)
    if not lower:  # only the month's end is known: a count under it could be anything below
        return float("nan") if stated <= hi * (1 + _tol(c.offense)) else (stated - hi) / hi
    lo = min(f.count for f in lower)
    if lo * (1 - _tol(c.offense)) <= stated <= hi * (1 + _tol(c.offense)):
        return 0.0
    ref = hi if stated > hi else lo
    return (stated - ref) / ref if ref else float("inf")


def check_count(c: Claim, fb: FactBase) -> Verdict:
    assert c.place and c.period and c.value is not None and c.offense
    figs = fb.figures(c.place.names, c.offense, c.period.window)
    if not figs:
        return _no_figure(c, fb)
    bracket = any(f.bound != "exact" for f in figs)
    if bracket and not any(f.source == "chicago" for f in figs):
        gap = _bracket_gap(c.value, c, figs)
        best = min(figs, key=lambda f: abs(f.count - c.value))  # type: ignore[operator]
        if gap != gap:  # NaN: no figure from below
            return Verdict(
                c.to_dict(),
                _agency(c),
                NOT_CHECKABLE,
                f"only a figure through the month's end is in the store ({best.label}); "
                f"{c.value:,.0f} to {c.period.label} cannot be told from it",
                best.count,  # shown, and what the sentence's change is read against
            )
    else:
        exact = [f for f in figs if f.bound == "exact"] or figs
        best = min(exact, key=lambda f: abs(_figure_gap(c.value, c, f)))  # type: ignore[arg-type]
        gap = _figure_gap(c.value, c, best)
    v = _count_verdict(c, c.value, best, gap)
    v.alternatives = [f.label for f in figs if f is not best]
    if bracket and v.verdict == CONSISTENT:
        v.reason = (
            f"{c.value:,.0f} lies within the whole-month figures around "
            f"{c.period.label} ({', '.join(f'{f.count:,.0f}' for f in figs)})"
        )
    return v


# A bound this many times off its figure says nothing about it ('more than 12' of 69.9).
FAR_FROM_BOUND = 1.5

# a stated bound the figure falls within: (where the figure is, what was stated)
BOUND_WORDS = {
    "over": ("above", "lower bound ('more than')"),
    "just_over": ("just above", "lower bound ('just over')"),
    "under": ("below", "upper bound ('fewer than')"),
    "nearly": ("just below", "upper bound ('nearly')"),
}


def _far_from_bound(c: Claim, stated: float, ours: float, v: Verdict) -> None:
    """A bound met by a figure far beyond it: 'more than 12' of 69.9 is true, but a writer
    rounds to a number near the figure, so the claim more likely counts something else."""
    if c.qualifier in BOUND_WORDS and max(ours, stated) > FAR_FROM_BOUND * min(ours, stated):
        v.verdict = NOT_CHECKABLE
        v.reason += (
            f", by more than {FAR_FROM_BOUND:g} times: true as a bound, but the number more "
            "likely counts another window, place or measure"
        )


def _count_verdict(c: Claim, stated: float, best: Figure, gap: float) -> Verdict:
    tol = _tol(c.offense)
    v = Verdict(
        c.to_dict(),
        _agency(c),
        CONSISTENT,
        "",
        best.count,
        label=None,
        source=best.source,
        vintage=best.vintage,
    )
    pct = f"{gap:+.1%}"
    ref = f"{best.label}"
    bound = BOUND_WORDS.get(c.qualifier or "")
    if bound and gap == 0 and best.count != stated:
        v.reason = f"{stated:,.0f} vs {ref}: the figure is {bound[0]} the stated {bound[1]}"
        _far_from_bound(c, stated, best.count, v)
        return v
    if abs(gap) <= tol:
        v.reason = f"{stated:,.0f} vs {ref}: {pct}, within ±{tol:.0%}"
        return v
    ratio = stated / best.count if best.count else float("inf")
    ten = 7 <= ratio <= 13 or 1 / 13 <= ratio <= 1 / 7
    if _misreading(c, ratio, ten):
        v.verdict = NOT_CHECKABLE
        v.reason = (
            f"{stated:,.0f} vs {ref} ({pct}): so far from the store's figure that the number "
            "most likely counts something else (another measure, place or window)"
        )
        return v
    if ten:  # a dropped or added digit, in a table or for a written year
        v.verdict = INCONSISTENT
        v.reason = f"{stated:,.0f} is about ten times off {ref}"
        return v
    why = _count_allowance(c, stated, best, gap, ratio)
    if why:
        v.verdict, v.reason = MISMATCH, f"{stated:,.0f} vs {ref} ({pct}): {why}"
    else:
        v.verdict = INCONSISTENT
        v.reason = f"{stated:,.0f} vs {ref}: {pct}, beyond the tolerance and the known drift"
    return v


PRELIMINARY_DAYS = 45  # a police count published this soon after its period ended
PRELIMINARY_DRIFT = 0.15  # ... may lack this share of the late reports a later extract has


def _preliminary(c: Claim) -> int | None:
    """Days between the period's end and a police figure's publication, when the figure is
    so fresh that late reports are still coming in (None otherwise)."""
    if (
        c.article_date is None
        or c.period is None
        or "the article cites police figures" not in c.notes
    ):
        return None
    days = (c.article_date - c.period.window.end).days
    return days if 0 <= days <= PRELIMINARY_DAYS else None


def _preliminary_why(c: Claim, ours: float, stated: float) -> str | None:
    """A fresh police count below a later extract by no more than late reports explain."""
    days = _preliminary(c)
    if days is None or not ours * (1 - PRELIMINARY_DRIFT) <= stated < ours:
        return None
    return (
        f"a preliminary police count, published {days} days after the period ended, "
        f"{stated / ours - 1:+.0%} from the store's {ours:,.0f}: later extracts add late reports"
    )


def _count_allowance(c: Claim, stated: float, best: Figure, gap: float, ratio: float):
    """Why a count beyond the tolerance may still be the claim's figure under another
    definition or allocation (None: it is not)."""
    fresh = _preliminary_why(c, best.count, stated)
    if fresh:
        return fresh
    month = c.period is not None and c.period.kind == "month" and abs(gap) <= MONTH_DRIFT
    off = abs(stated - best.count)
    tiny = best.count < 10 and off <= 3
    small = month or tiny or (best.count <= 40 and off <= 4 and abs(gap) <= 0.25)
    if c.offense == "murder" and abs(gap) <= HOMICIDE_DRIFT:
        return (
            "police homicide counts and RTCI/UCR murder counts differ by definition and "
            "later reclassification"
        )
    if _homicide(c) and 0 < gap <= HOMICIDE_ABOVE:
        return (
            "a count of homicides includes killings murder leaves out (justifiable, by "
            "police, negligent), so it may exceed the murder count"
        )
    if small:
        return f"off by {off:.0f} on a small count, which month allocation and late reports explain"
    if _loose(c) and 0.5 <= ratio <= 2:
        return _note_text(c.offense_note)
    if _wider(c) and ratio >= 1:
        return f"{_note_text(c.offense_note)}, so a count above the store's fits it"
    if abs(gap) <= (0.15 if c.offense_note else POLICE_DRIFT):
        why = c.offense_note or "a police count and a later extract of the same offense differ"
        return _note_text(why)
    if c.offense in COMPOSITES and "the article cites police figures" in c.notes:
        return (  # Bridgeport's 'Part I crimes' at half of RTCI's seven-offense total
            f"a police department's {c.offense_text or c.offense} total is a sum of parts it "
            "chooses; the store's is the UCR offenses"
        )
    if "the article cites police figures" in c.notes and abs(gap) <= POLICE_COUNT_DRIFT:
        return (  # Toledo's 591 auto thefts against RTCI's 527 for the same half year
            "a police department's own count and the extract RTCI holds differ by "
            "reclassification, unfounded reports and late entries (up to ~15% on fresh pages)"
        )
    return None


def _misreading(c: Claim, ratio: float, ten: bool) -> bool:
    """A sentence's count more than three times off the store's (other than a factor of
    ten for a written year, a dropped digit) most likely counts something else."""
    whole_year = c.period is not None and c.period.kind == "year" and c.period.text[:1].isdigit()
    return c.table is None and not 1 / 3 <= ratio <= 3 and not (ten and whole_year)


def _no_figure(c: Claim, fb: FactBase) -> Verdict:
    assert c.place and c.period
    return Verdict(
        c.to_dict(),
        _agency(c),
        NOT_CHECKABLE,
        f"No complete {c.offense} figure for {c.place.label} in {c.period.label} in the store "
        "(a source covering that place, offense and window would be needed).",
    )


# -- percent changes and directions --------------------------------------------------------------


def pairs(fb: FactBase, c: Claim, cur: Period, base: Period) -> list[tuple[Figure, Figure, bool]]:
    """(current, base, same evidence) figure pairs: both periods from one source and vintage
    when one holds both; else the best of each from different sources (flagged)."""
    assert c.place and c.offense
    a = fb.figures(c.place.names, c.offense, cur.window)
    b = fb.figures(c.place.names, c.offense, base.window)
    out = []
    for fa in a:
        for fb_ in b:
            if fa.key == fb_.key and fa.bound == fb_.bound:
                out.append((fa, fb_, True))
    if not out and a and b:
        for fa in a:
            for fb_ in b:
                if fa.bound == fb_.bound:
                    out.append((fa, fb_, False))
    return out


# what a hedged percentage allows (`_pct_gap`), in words for the reason
HEDGE_BANDS = {
    "about": "the 3 points either side that an approximate figure allows",
    "nearly": "the 3 points below that 'nearly' allows",
}


def _pct_gap(stated: float, qualifier: str | None, ours: float, high: float | None) -> float:
    """Points between a stated change and ours, after the qualifier's band (signed values)."""
    s, o = abs(stated), abs(ours) if (ours < 0) == (stated < 0) else -abs(ours)
    if qualifier == "nearly":
        lo, hi = s - 3.0, s + 0.5
    elif qualifier in ("over", "just_over"):
        lo, hi = s, float("inf")
    elif qualifier == "about":
        lo, hi = s - 3.0, s + 3.0
    elif qualifier == "under":
        lo, hi = 0.0, s
    elif qualifier == "range" and high is not None:
        lo, hi = min(s, high), max(s, high)
    else:
        lo, hi = s, s
    if lo <= o <= hi:
        return 0.0
    return (lo - o) if o < lo else (o - hi)


def check_pct(c: Claim, fb: FactBase) -> Verdict:
    assert c.place and c.period
    if c.pct is None:
        return Verdict(
            c.to_dict(),
            _agency(c),
            NOT_CHECKABLE,
            "The change has no direction word, so its sign is unknown.",
        )
    if c.base is None:
        return Verdict(c.to_dict(), _agency(c), NOT_CHECKABLE, "No base period for the change.")
    got = pairs(fb, c, c.period, c.base)
    if not got:
        return _no_pair(c)
    scored = []
    for fa, fb_, same in got:
        if not fb_.count:
            continue
        ours = 100 * (fa.count / fb_.count - 1)
        scored.append((_pct_gap(c.pct, c.qualifier, ours, c.high), not same, ours, fa, fb_))
    if not scored:
        return _no_pair(c)
    gap, mixed, ours, fa, fb_ = min(scored, key=lambda s: (abs(s[0]), s[1]))
    if fa.count == 0 and fb_.count >= 20:
        return Verdict(
            c.to_dict(),
            _agency(c),
            NOT_CHECKABLE,
            f"The store has no {c.offense} reports for {fa.window.label} against "
            f"{fb_.count:,.0f} in {fb_.window.label}: a gap in the data, not a 100% drop.",
        )
    v = Verdict(
        c.to_dict(),
        _agency(c),
        CONSISTENT,
        "",
        fa.count,
        fb_.count,
        round(ours, 1),
        source=fa.source,
        vintage=fa.vintage,
    )
    v.alternatives = [f"{x[3].label} vs {x[4].count:,.0f}: {x[2]:+.1f}%" for x in scored[1:6]]
    return _pct_verdict(c, v, gap, ours, fa, fb_, mixed)


def _pct_verdict(c: Claim, v: Verdict, gap: float, ours: float, fa, fb_, mixed) -> Verdict:
    partial = fa.bound != "exact" or (c.period and c.period.approx)
    what = (
        f"{c.pct:+.1f}% stated vs {ours:+.1f}% ({fa.label} vs {fb_.window.label} "
        f"{fb_.count:,.0f}{', different sources' if mixed else ''})"
    )
    internal = _internal(c)
    if internal:
        v.verdict, v.reason = INCONSISTENT, internal
        return v
    wrong_way = (c.pct < 0) != (ours < 0) and abs(ours) >= 0.5
    if wrong_way and _other_definition(c) and abs(ours) < DIRECTION_DRIFT:
        wrong_way = False  # a small change of ours can flip under another definition
    if abs(gap) <= PCT_TOL and not wrong_way:
        bound = BOUND_WORDS.get(c.qualifier or "")
        beyond = bound and gap == 0 and abs(abs(ours) - abs(c.pct)) > PCT_TOL
        # "falling by over 20%" against our -30.4%: borne out as a bound, said as one
        hedge = HEDGE_BANDS.get(c.qualifier or "")
        if beyond and bound:
            v.reason = what + f": the stated bound holds: {bound[1]}"
        elif hedge and abs(abs(ours) - abs(c.pct)) > PCT_TOL:  # say which allowance held
            v.reason = what + f": within ±{PCT_TOL:.0f} points of {hedge}"
        else:
            v.reason = what + f": within ±{PCT_TOL:.0f} points"
        return v
    if partial and abs(gap) <= PARTIAL_PCT_TOL and not wrong_way:
        v.reason = what + ": within the allowance for a window ending inside a month (borderline)"
        return v
    why = _other_counts(c, fa, fb_) or (
        None if wrong_way else _pct_allowance(c, abs(gap), fa, fb_, mixed)
    )
    if why is None and wrong_way and partial and max(fa.count, fb_.count) < SMALL_FLIP:
        why = (  # "rapes by 23%" through mid-April, against 51 vs 48 over whole months
            f"counts this small ({fa.count:,.0f} vs {fb_.count:,.0f}) over a window known only "
            "to within weeks can change direction with a few crimes"
        )
    if why:
        v.verdict, v.reason = MISMATCH, f"{what}: {why}"
        return v
    v.verdict = INCONSISTENT
    v.reason = what + ("; the direction is wrong" if wrong_way else "")
    return v


def _other_counts(c: Claim, fa: Figure, fb_: Figure) -> str | None:
    """The article's own counts behind a change, more than twice or under half the store's:
    the change is of something the store does not count ('larceny ... plunging by 35% from
    8,389 to 5,402' where the store has 1,562), so its gap refutes nothing."""
    pairs = [(c.value, fa), (c.base_value, fb_)]
    found = [foreign_count(n, f.count, f.window.label) for n, f in pairs if n]
    return next((why for why in found if why), None)


def foreign_count(stated: float, ours: float | None, label: str) -> str | None:
    """Why a change cannot be refuted when the article's own count for one of its periods
    is more than twice or under half the store's (None when it is not)."""
    if not ours or 0.5 <= stated / ours <= 2:
        return None
    return (
        f"the article's own count ({stated:,.0f}) is {stated / ours:.1f} times the store's "
        f"{ours:,.0f} for {label}: it counts something the store does not"
    )


def _pct_allowance(c: Claim, gap: float, fa: Figure, fb_: Figure, mixed: bool) -> str | None:
    """Why a change of the right direction, beyond the tolerance, may still be the claim's
    figure under another definition (None: it is not)."""
    police = "the article cites police figures" in c.notes
    month = c.period is not None and c.period.kind == "month" and fa.count < 100
    if (fb_.count < 40 or fa.count < 40 or month) and gap <= 10:
        return "small counts, where one or two crimes move the change by points"
    if fb_.count < 10 and fa.count < 10:
        return "counts under ten, where one crime moves the change by ten points or more"
    if _homicide(c) and gap <= HOMICIDE_PCT:
        return HOMICIDE_WHY
    if c.place and c.place.kind == "sample" and gap <= SAMPLE_PCT:
        return (
            "RTCI's sample of agencies is not the whole country or group the claim may mean "
            "(the FBI's national estimate, another survey's cities)"
        )
    if c.offense in COMPOSITES and police and gap <= COMPOSITE_PCT:
        return (
            f"the article cites police figures, and a police department's {c.offense} crime "
            "is a sum of parts it chooses (some add kidnapping, human trafficking or simple "
            "assault); the store's is the UCR offenses"
        )
    if police and gap <= POLICE_PCT:
        return (
            "the article cites police figures, and a police department's year-end count and "
            "a later extract of the same offense differ by a few percent each year"
        )
    if c.offense_note and gap <= (10 if _loose(c) else 5):
        return _note_text(c.offense_note)
    if mixed and gap <= 10:
        return "the two years come from different sources, whose definitions differ"
    implied = fb_.count * (1 + (c.pct or 0) / 100)
    fresh = _preliminary_why(c, fa.count, implied)
    if fresh:
        base = f"applied to the base ({fb_.count:,.0f}), the stated change gives {implied:,.0f}"
        return f"{base}, {fresh}"
    drift = HOMICIDE_DRIFT if c.offense == "murder" else POLICE_DRIFT
    if police and fa.count and abs(implied / fa.count - 1) <= drift:
        return (
            f"applied to the base, the stated change gives {implied:,.0f}, "
            f"{implied / fa.count - 1:+.0%} from the store's {fa.count:,.0f}, within the drift "
            "between a police count and a later extract"
        )
    return None


def _internal(c: Claim) -> str | None:
    """A % that does not follow from the article's own counts."""
    if c.value and c.base_value and c.pct is not None:
        implied = 100 * (c.value - c.base_value) / c.base_value
        if abs(implied - c.pct) > 1.0:
            return (
                f"internally inconsistent: {c.base_value:,.0f} → {c.value:,.0f} is "
                f"{implied:+.1f}%, not {c.pct:+.1f}%"
            )
    return None


def _no_pair(c: Claim) -> Verdict:
    assert c.period and c.base and c.place
    return Verdict(
        c.to_dict(),
        _agency(c),
        NOT_CHECKABLE,
        f"No {c.offense} figures for both {c.period.label} and {c.base.label} for "
        f"{c.place.label} in the store.",
    )


def check_direction(c: Claim, fb: FactBase) -> Verdict:
    assert c.place and c.period
    if c.base is None or c.direction is None:
        return Verdict(c.to_dict(), _agency(c), NOT_CHECKABLE, "No base period for the change.")
    got = pairs(fb, c, c.period, c.base)
    got = [g for g in got if g[1].count]
    if not got:
        return _no_pair(c)
    fa, fb_, _same = max(got, key=lambda g: (g[2], g[0].vintage or ""))
    ours = 100 * (fa.count / fb_.count - 1)
    ok = (ours < 0) == (c.direction < 0) and ours != 0
    v = Verdict(
        c.to_dict(),
        _agency(c),
        CONSISTENT if ok else INCONSISTENT,
        "",
        fa.count,
        fb_.count,
        round(ours, 1),
        source=fa.source,
        vintage=fa.vintage,
    )
    word = "down" if c.direction < 0 else "up"
    v.reason = f"stated {word}; {fa.label} vs {fb_.window.label} {fb_.count:,.0f}: {ours:+.1f}%"
    if not ok and (fa.bound != "exact" or abs(ours) < 1.0):
        v.verdict = NOT_CHECKABLE
        v.reason += " (too close to call for this window)"
    elif not ok and _other_definition(c) and abs(ours) < DIRECTION_DRIFT:
        v.verdict = MISMATCH
        word = c.offense_text or c.offense
        v.reason += f" (a small change, and the claim's {word!r} is not defined as ours)"
    elif not ok and "the article cites police figures" in c.notes and abs(ours) < POLICE_FLIP:
        v.verdict = MISMATCH
        v.reason += (
            " (a change this small can flip between a police department's own count and the "
            "extract the store holds)"
        )
    return v


def _other_definition(c: Claim) -> bool:
    """The claim's offense is defined otherwise than the store's: a wider word ('sexual
    assault', 'homicides'), or a police department's own sum."""
    police = "the article cites police figures" in c.notes and c.offense in COMPOSITES
    return bool(c.offense_note) or police


def _each_place(c: Claim, fb: FactBase) -> Verdict:
    """A claim about several places holds only when it holds for each."""
    from dataclasses import replace

    vs = [_verify_one(replace(c, place=p, places=[p]), fb) for p in c.places]
    return _combine(c, vs, [p.label for p in c.places])


def _each_offense(c: Claim, fb: FactBase) -> Verdict:
    from dataclasses import replace

    vs = [_verify_one(replace(c, offense=o, offenses=[o]), fb) for o in c.offenses]
    return _combine(c, vs, c.offenses)


def _combine(c: Claim, vs: list[Verdict], names: list[str]) -> Verdict:
    worst = max(vs, key=lambda v: SEVERITY[v.verdict])
    checked = [v for v in vs if v.verdict != NOT_CHECKABLE]
    verdict = worst.verdict
    if worst.verdict == NOT_CHECKABLE and checked and len(checked) * 2 >= len(vs):
        verdict = max(checked, key=lambda v: SEVERITY[v.verdict]).verdict
    reason = "; ".join(f"{n}: {v.verdict} ({v.reason})" for n, v in zip(names, vs, strict=True))
    out = Verdict(c.to_dict(), ", ".join(names), verdict, reason)
    out.parts = [
        {"claim": n, "verdict": v.verdict, "reason": v.reason}
        for n, v in zip(names, vs, strict=True)
    ]
    return out


# -- rates, superlatives, ranks, comparisons ---------------------------------------------------


def check_rate(c: Claim, fb: FactBase) -> Verdict:
    assert c.place and c.period and c.offense and c.value is not None
    figs = [f for f in fb.figures(c.place.names, c.offense, c.period.window) if f.bound == "exact"]
    if not figs:
        return _no_figure(c, fb)
    out = []
    for f in figs:
        pop = f.population
        year = f"as published with the {f.vintage} vintage" if f.vintage else ""
        if pop is None:
            got = fb.population(c.place.names, c.period.year)
            if got is None:
                continue
            pop, year = got
        out.append((f, pop, year, f.count / pop * 100_000))
    if not out:
        return Verdict(
            c.to_dict(),
            _agency(c),
            NOT_CHECKABLE,
            f"No population for {c.place.label} in the store.",
        )
    f, pop, year, rate = min(out, key=lambda x: abs(_count_gap(c.value, c.qualifier, x[3])))  # type: ignore[arg-type]
    gap = _count_gap(c.value, c.qualifier, rate)
    tol = max(_tol(c.offense), 0.05 / max(c.value, 0.1))
    v = Verdict(
        c.to_dict(), _agency(c), CONSISTENT, "", round(rate, 2), source=f.source, vintage=f.vintage
    )
    what = (
        f"{c.value:g} per 100,000 vs {rate:.2f} ({f.count:,.0f} / {pop:,} residents, "
        f"population {year})"
    )
    if abs(gap) <= tol:
        v.reason = what
        if gap == 0 and rate != c.value:
            _far_from_bound(c, c.value, rate, v)
    elif abs(gap) <= 0.12:
        v.verdict = MISMATCH
        v.reason = what + ": population estimates (and homicide vs murder counts) differ by source"
    elif abs(_count_gap(c.value, c.qualifier, f.count)) <= HOMICIDE_DRIFT:
        v.verdict = MISMATCH  # "its lowest murder rate -- 266": a count called a rate
        v.reason = what + f": the stated figure is the count ({f.count:,.0f}), called a rate"
    elif c.value > 5 * rate and c.table is None:
        v.verdict = NOT_CHECKABLE
        v.reason = what + ": far above any rate; the number is likely a count of something else"
    else:
        v.verdict, v.reason = INCONSISTENT, what
    return v


def annual_value(fb: FactBase, names: tuple[str, ...], offense: str, p: Period) -> Figure | None:
    """The best figure for one year's window: RTCI first, then UCR, then police records."""
    figs = year_figures(fb, names, offense, p)
    return figs[0] if figs else None


def year_figures(fb: FactBase, names: tuple[str, ...], offense: str, p: Period) -> list[Figure]:
    figs = [f for f in fb.figures(names, offense, p.window) if f.bound == "exact"]
    order = {"rtci_ytd": 0, "rtci": 1, "ucr_annual": 2, "chicago": 3, "lapd_annual": 4}
    figs.sort(key=lambda f: (order.get(f.source, 9), -(int((f.vintage or "0").replace("-", "")))))
    return figs


def _value(c: Claim, fb: FactBase, f: Figure, year: int) -> float | None:
    """A year's count, or its rate per 100,000 when the claim is about a rate."""
    if "a rate superlative" not in c.notes:
        return f.count
    assert c.place
    pop = f.population or (fb.population(c.place.names, year) or (None, ""))[0]
    return f.count / pop * 1e5 if pop else None


def check_superlative(c: Claim, fb: FactBase) -> Verdict:
    """Lowest/highest (or k-th) over the span of years before the claim's year, each year's
    same window, from the best source of each year."""
    assert c.place and c.period and c.offense
    if "a projection" in c.notes:
        return Verdict(
            c.to_dict(),
            _agency(c),
            NOT_CHECKABLE,
            "A projection: the outcome is not in the data yet.",
        )
    if c.extremum is None:
        return Verdict(
            c.to_dict(),
            _agency(c),
            NOT_CHECKABLE,
            "The claim does not say whether the level is a high or a low.",
        )
    if c.span is None and c.since is None:
        return Verdict(
            c.to_dict(),
            _agency(c),
            NOT_CHECKABLE,
            "A superlative with no span of years to check it over.",
        )
    year = c.period.year
    if c.since is not None:
        first = c.since + 1  # "lowest since 2019": below every year after 2019
    elif c.span and c.span < 999:
        first = year - c.span + 1  # "fewest in five years", "a six-year low": this year and
    else:  # the ones before it
        first = 1900
    mine_figs = year_figures(fb, c.place.names, c.offense, c.period)
    if not mine_figs:
        return _no_figure(c, fb)
    values: dict[int, tuple[float, Figure]] = {}
    missing = []
    breaks = _definition_break(mine_figs)
    for y in range(max(first, 1960), year):
        figs = year_figures(fb, c.place.names, c.offense, c.period.in_year(y))
        breaks = breaks or _definition_break(figs)
        val = _value(c, fb, figs[0], y) if figs else None
        if val is None:
            missing.append(y)
        else:
            values[y] = (val, figs[0])
    mine = _value(c, fb, mine_figs[0], year)
    if mine is None:
        return _no_figure(c, fb)
    if breaks:
        return Verdict(
            c.to_dict(),
            _agency(c),
            NOT_CHECKABLE,
            f"No series on one definition covers the span: {breaks}",
        )
    return _superlative_verdict(c, mine, mine_figs[0], values, missing, first)


def _definition_break(figs: list[Figure]) -> str | None:
    """Two sources (or vintages) that disagree by more than 15% on one window."""
    counts = [f for f in figs if f.count]
    for a in counts:
        for b in counts:
            if a.key != b.key and a.count > 20 and abs(a.count / b.count - 1) > 0.15:
                return f"{a.label} vs {b.label}"
    return None


def _superlative_verdict(c, mine, fig, values, missing, first) -> Verdict:
    """Beaten on a year by the same source: inconsistent; by another source, within the
    tolerance: a near-tie; years before the data or missing: not checkable."""
    tol = _tol(c.offense)
    sign = 1 if c.extremum == "max" else -1
    allowed = (c.rank or 1) - 1  # "the second highest": one year may be above
    beaten = {
        y: v
        for y, (v, f) in values.items()
        if sign * (v - mine) > 0 and (f.family == fig.family or abs(v - mine) > tol * mine)
    }
    ties = {y: v for y, (v, f) in values.items() if sign * (v - mine) > 0 and y not in beaten}
    v = Verdict(
        c.to_dict(),
        _agency(c),
        CONSISTENT,
        "",
        round(mine, 1),
        source=fig.source,
        vintage=fig.vintage,
    )
    word = "highest" if sign > 0 else "lowest"
    covered = f"{min(values)}–{max(values)}" if values else "no other year"
    before_data = [y for y in missing if y < 1975] or ([] if first >= 1960 else ["1960"])
    what = (
        f"{c.period.label} ({mine:,.1f})"
        if mine != int(mine)
        else f"{c.period.label} ({mine:,.0f})"
    )
    # a police total (a sum of parts it chooses) or a loosely matched offense ('felony
    # assaults') may be beaten by a few percent by ours
    police_total = c.offense in COMPOSITES and "the article cites police figures" in c.notes
    # a loose match of one offense can differ by any amount over decades ("felony assaults"
    # since 2001); a loosely named total ("overall crime") by up to a police count's drift
    loose_total = _loose(c) and c.offense in COMPOSITES
    drift = (
        POLICE_DRIFT
        if police_total and not loose_total
        else POLICE_COUNT_DRIFT
        if loose_total
        else float("inf")
        if _loose(c)
        else 0.0
    )
    clear = {y: x for y, x in beaten.items() if abs(x - mine) > drift * mine}
    if len(beaten) > allowed and len(clear) <= allowed:
        y = sorted(beaten)[-1]
        v.verdict = MISMATCH
        why = (
            "a police total is a sum of parts it chooses"
            if police_total
            else _note_text(c.offense_note)
        )
        v.reason = (
            f"{what} is not the {word}{OTHERWISE_DEFINED}: {y} had {beaten[y]:,.0f}, "
            f"{abs(beaten[y] / mine - 1):.1%} {'higher' if sign > 0 else 'lower'}; {why}"
        )
    elif len(beaten) > allowed:
        y = sorted(beaten)[-1]
        v.verdict = INCONSISTENT
        v.reason = f"{what} is not the {word}: {y} had {beaten[y]:,.1f}".replace(".0 ", " ")
    elif ties and len(beaten) + len(ties) > allowed:
        y = next(iter(ties))
        v.verdict = NOT_CHECKABLE
        v.reason = f"a near-tie with {y} ({ties[y]:,.0f} vs {mine:,.0f}) in another source"
    elif (c.span or 0) >= 999 and len(values) >= 25:
        v.reason = f"{what} is the {word} of every year the store covers ({covered})"
    elif before_data or missing:
        v.verdict = NOT_CHECKABLE
        gaps = ", ".join(str(y) for y in (before_data or missing)[:3])
        v.reason = (
            f"{word} of the years the store covers ({covered}), but {gaps}"
            f"{'…' if len(missing) > 3 else ''} are not in the data"
        )
    elif len(values) < 2:
        v.verdict = NOT_CHECKABLE
        v.reason = f"only {len(values)} earlier years in the data ({covered})"
    else:
        v.reason = f"{what} is the {word} of {covered}"
    return v


def check_rank(c: Claim, fb: FactBase) -> Verdict:
    if c.rule.startswith("rank-change") and len(c.places) <= 1:
        return Verdict(
            c.to_dict(),
            _agency(c),
            NOT_CHECKABLE,
            "A rank among offenses or months is not checked.",
        )
    if c.rule.startswith("rank-change"):
        return _rank_change_among(c, fb)
    return _rank_places(c, fb)


def _rank_change_among(c: Claim, fb: FactBase) -> Verdict:
    from dataclasses import replace

    assert c.period and c.base
    changes = {}
    for p in c.places:
        got = pairs(fb, replace(c, place=p), c.period, c.base)
        got = [g for g in got if g[1].count and g[2]]
        if got:
            fa, fb_, _ = got[-1]
            changes[p.label] = 100 * (fa.count / fb_.count - 1)
    if len(changes) < 2 or c.place is None or c.place.label not in changes:
        return Verdict(c.to_dict(), _agency(c), NOT_CHECKABLE, "Too few places to rank.")
    order = sorted(changes, key=lambda k: changes[k] * (c.direction or -1), reverse=True)
    ok = order[0] == c.place.label
    listing = ", ".join(f"{k} {changes[k]:+.1f}%" for k in order)
    return Verdict(
        c.to_dict(),
        _agency(c),
        CONSISTENT if ok else INCONSISTENT,
        f"among the places named: {listing}",
    )


def _rank_places(c: Claim, fb: FactBase) -> Verdict:
    """Rank among every agency with a figure for the same window (by rate when the claim says
    rate or per 100,000, else by count), agencies of 100,000+ residents."""
    assert c.place and c.period and c.offense
    if c.place.kind != "agency":
        return Verdict(c.to_dict(), _agency(c), NOT_CHECKABLE, "Only agencies are ranked.")
    by_rate = "rate" in c.rule or "per 100" in c.text or "rate" in (c.offense_text or "")
    table = {}
    for a in fb.agencies_with(c.offense):
        if a in fb.samples:
            continue
        f = annual_value(fb, (a,), c.offense, c.period)
        if f is None:
            continue
        pop = f.population or (fb.population((a,), c.period.year) or (None, ""))[0]
        if not pop or pop < 100_000:
            continue
        table[a] = f.count / pop * 1e5 if by_rate else f.count
    mine = next((table[n] for n in c.place.names if n in table), None)
    if mine is None or len(table) < 10:
        return Verdict(
            c.to_dict(),
            _agency(c),
            NOT_CHECKABLE,
            f"No ranking of {c.offense} for {c.period.label} covers {c.place.label}.",
        )
    sign = 1 if c.extremum == "max" else -1
    rank = 1 + sum(1 for v in table.values() if sign * (v - mine) > 0)
    want = c.rank or 1
    ok = rank <= 10 if "top" in c.text.lower() and want == 1 else rank == want
    top = sorted(table, key=lambda a: -sign * table[a])[:3]
    what = "rate per 100,000" if by_rate else "count"
    return Verdict(
        c.to_dict(),
        _agency(c),
        CONSISTENT if ok else INCONSISTENT,
        f"ranks {rank} of {len(table)} agencies of 100,000+ by {what} in "
        f"{c.period.label}; top: {', '.join(top)}",
        float(rank),
    )


def check_compare(c: Claim, fb: FactBase) -> Verdict:
    from dataclasses import replace

    if "a comparison with no threshold" in c.notes or not c.places or c.place is None:
        return Verdict(
            c.to_dict(),
            _agency(c),
            NOT_CHECKABLE,
            "A comparison with no threshold or no second place.",
        )
    assert c.period and c.offense
    mine_fig = annual_value(fb, c.place.names, c.offense, c.period) if c.place.checkable else None
    if c.rule == "compare-count" and mine_fig is not None:
        results = []
        for p in c.places:
            if not p.checkable:
                continue
            f = annual_value(fb, p.names, c.offense, c.period)
            if f is not None:
                results.append((p.label, f.count))
        if results:
            ok = all((mine_fig.count - x) * (c.direction or 1) > 0 for _, x in results)
            listing = ", ".join(f"{n} {x:,.0f}" for n, x in results)
            return Verdict(
                c.to_dict(),
                _agency(c),
                CONSISTENT if ok else INCONSISTENT,
                f"{c.place.label} {mine_fig.count:,.0f} vs {listing}",
            )
    if c.rule == "compare-change" and c.base is not None and c.place.checkable:
        mine = [g for g in pairs(fb, c, c.period, c.base) if g[1].count]
        other = c.places[0]
        theirs = [g for g in pairs(fb, replace(c, place=other), c.period, c.base) if g[1].count]
        if mine and theirs:
            a = 100 * (mine[-1][0].count / mine[-1][1].count - 1)
            b = 100 * (theirs[-1][0].count / theirs[-1][1].count - 1)
            ok = abs(a) > abs(b)
            return Verdict(
                c.to_dict(),
                _agency(c),
                CONSISTENT if ok else INCONSISTENT,
                f"{c.place.label} {a:+.1f}% vs {other.label} {b:+.1f}%",
            )
    return Verdict(c.to_dict(), _agency(c), NOT_CHECKABLE, "The comparison could not be computed.")


def check_milestone(c: Claim, fb: FactBase) -> Verdict:
    """A threshold crossed by a date: the count to that date must reach it (between the
    whole-month figures around the date, the crossing cannot be dated more precisely)."""
    assert c.place and c.period and c.offense and c.value is not None
    figs = fb.figures(c.place.names, c.offense, c.period.window)
    if not figs:
        return _no_figure(c, fb)
    hi = max(f.count for f in figs)
    lo = min(f.count for f in figs)
    v = Verdict(
        c.to_dict(), _agency(c), CONSISTENT, "", hi, source=figs[0].source, vintage=figs[0].vintage
    )
    what = f"threshold {c.value:,.0f} by {c.period.label}: " + ", ".join(f.label for f in figs)
    if hi < c.value * (1 - _tol(c.offense)):
        v.verdict, v.reason = INCONSISTENT, what + " (not reached)"
    elif lo >= c.value or any(f.bound == "exact" for f in figs):
        v.reason = what
    else:
        v.reason = what + " (crossed within that month)"
    return v


def check_delta(c: Claim, fb: FactBase) -> Verdict:
    """A change by N crimes. With the base count stated ('fell by 1,092 (15,340 in 2023)'),
    the implied current count is checked; otherwise N against our own change. A change of
    counts amplifies any difference of definitions, so a gap is a mismatch, not an error,
    unless the direction is wrong."""
    from dataclasses import replace

    assert c.place and c.period and c.value is not None
    if c.base_value is not None and c.direction and c.offense:
        implied = c.base_value + c.direction * c.value
        v = check_count(replace(c, kind="count", value=implied, qualifier=None), fb)
        v.reason = (
            f"implied {c.period.label}: {c.base_value:,.0f} "
            f"{'+' if c.direction > 0 else '−'} {c.value:,.0f} = {implied:,.0f}; {v.reason}"
        )
        return v
    if c.base is None:
        return Verdict(c.to_dict(), _agency(c), NOT_CHECKABLE, "No base period for the change.")
    got = [g for g in pairs(fb, c, c.period, c.base) if g[2] and g[0].bound == "exact"]
    if not got:
        return _no_pair(c)
    fa, fb_, _ = got[-1]
    ours = fa.count - fb_.count
    v = Verdict(c.to_dict(), _agency(c), CONSISTENT, "", ours, source=fa.source, vintage=fa.vintage)
    what = (
        f"a change of {c.direction * c.value:+,.0f} stated vs {ours:+,.0f} ({fa.label} vs "
        f"{fb_.window.label} {fb_.count:,.0f})"
    )
    if (ours < 0) != (c.direction < 0) and ours != 0:
        v.verdict, v.reason = INCONSISTENT, what + "; the direction is wrong"
    elif ours == 0 and c.value:
        v.verdict = MISMATCH  # "two more murders" against no change: near, but not confirmed
        v.reason = what + ": the store shows no change, which late reports could explain"
    elif abs(abs(ours) - c.value) <= max(2, 0.15 * abs(ours)):
        v.reason = what
    else:
        v.verdict = MISMATCH
        v.reason = what + ": a change of counts magnifies any difference between sources"
    return v


def check_average(c: Claim, fb: FactBase) -> Verdict:
    """A weekly (daily, monthly) average over the claim's window: the window's count over its
    length; a window ending inside a month gives the range of the whole-month figures."""
    assert c.place and c.period and c.value is not None
    unit = c.rule.rsplit("average-per-", 1)[-1]
    if unit == "year" or not c.offense:
        return Verdict(
            c.to_dict(), _agency(c), NOT_CHECKABLE, "An average over several years is not checked."
        )
    figs = fb.figures(c.place.names, c.offense, c.period.window)
    if not figs:
        return _no_figure(c, fb)
    days = {"week": 7, "day": 1, "month": 365.25 / 12}[unit]
    rates = sorted(f.count / (f.window.days / days) for f in figs)
    lo, hi = rates[0], rates[-1]
    v = Verdict(
        c.to_dict(),
        _agency(c),
        CONSISTENT,
        "",
        round(hi, 2),
        source=figs[0].source,
        vintage=figs[0].vintage,
    )
    what = (
        f"{c.value:g} per {unit} vs {lo:.2f}–{hi:.2f} ("
        + "; ".join(f"{f.label} over {f.window.days} days" for f in figs)
        + ")"
    )
    slack = 0.05 + (0.05 if c.value != int(c.value) else 0.5 / max(c.value, 1))
    if lo * (1 - slack) <= c.value <= hi * (1 + slack):
        v.reason = what
    else:
        v.verdict, v.reason = INCONSISTENT, what
    return v


def window_label(w: Window) -> str:
    return w.label


def today() -> dt.date:
    return dt.date.today()
