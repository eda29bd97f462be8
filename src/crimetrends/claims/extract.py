"""Every claim in a story, each with the place, offense and period it is about.

A sentence (or table row) is read once into tokens and the mentions found on them: places,
time expressions, offenses, other measures (shootings, arrests...), directions, qualifiers.
Each number becomes a claim (a count, a percent change, a rate), each direction word with
no number beside it a direction-only claim, each superlative a superlative; every one takes
the offense, place and period *nearest to it* (so "assaults fell 4.2%, thefts 7.9%" gives
two claims, and "410 murders in 2021, down from 455 in 2020" gives each count its year),
then the sentence's, then what the article has set up so far (`Context`): the headline's and
earlier sentences' place, offense and period. Rules are small functions over token
positions; `--explain` prints which rule read each claim and what it carried.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass, field, replace

from crimetrends.analysis.periods import month_end
from crimetrends.claims.claim import NO_DATE, STATUTORY, Claim
from crimetrends.claims.document import Document, Unit
from crimetrends.claims.lexicon import (
    CRIME_NAME_WORDS,
    DIRECTION_VERBS,
    DOWN,
    QUALIFIER_INDEX,
    SUPERLATIVE_WORDS,
    UP,
    Offense,
    Token,
    measure_index,
    offense_index,
    tokens,
)
from crimetrends.claims.places import (
    LARGE,
    NATIONAL,
    Gazetteer,
    Mention,
    Place,
    _unpossessed,
    find_places,
)
from crimetrends.claims.places import resolve as resolve_place
from crimetrends.claims.when import (
    MONTH_NAMES,
    WEEKDAYS,
    Period,
    TimeMention,
    find_times,
    month_span,
    ytd,
)

CLAUSE_STOPS = {";", ":", "—", "–", "(", ")", "•"}
CLAUSE_WORDS = {"although", "though", "but", "while", "whereas", "however", "yet"}
RATE_WORDS = ("per 100,000", "per 100k", "for every 100,000", "per capita", "per 100 000")


@dataclass
class Context:
    """What the article has established before the current sentence."""

    pub: dt.date | None
    place: Place | None = None  # the established agency
    fallback_place: Place | None = None  # a national or sample place when no agency is set
    offense: Offense | None = None
    period: Period | None = None
    base: Period | None = None
    states: set[str] = field(default_factory=set)
    state: Place | None = None
    outside: Place | None = None  # an outside sample just named ("66 cities")
    url_place: Place | None = None  # the place the page's address names
    dateline_place: Place | None = None  # where the story was filed ("WASHINGTON (AP) —")
    main: Period | None = None  # the article's own period (headline or first one stated)
    year_span: list[int] | None = None  # "2020-2024" / "from 2019 to 2024", last said
    past: Period | None = None  # an earlier period the last sentence looked back to
    named: set[str] = field(default_factory=set)  # every agency a sentence or row names
    principal: str | None = None  # the agency the headline (else the page's address) names
    last_year: int | None = None  # the last year the previous sentence named ("that year")
    # names the article placed in a state where the store has no such city ("Peoria, Ill."
    # when the store has Peoria, Arizona): the bare name later is that city, not the other
    elsewhere: dict[str, Place] = field(default_factory=dict)
    washington_state: bool = False  # the story's cities are in Washington state, never D.C.


@dataclass
class Reading:
    """One sentence read into tokens and mentions."""

    unit: Unit
    toks: list[Token]
    places: list[Mention]
    times: list[TimeMention]
    offenses: list[tuple[int, int, Offense]]
    measures: list[tuple[int, int, str]]
    taken: set[int]  # token positions inside time or place mentions
    periods: dict[int, Period] = field(default_factory=dict)  # time mention index → period
    current: Period | None = None
    current_at: int | None = None  # where the mention that set `current` starts
    current_from: str = "sentence"  # or where a `current` no mention set came from
    current_unknown: bool = False  # a current period only the publication date could give
    clause_of: list[int] = field(default_factory=list)


# -- reading a sentence ----------------------------------------------------------------------


def read(unit: Unit, g: Gazetteer, ctx: Context, text: str | None = None) -> Reading:
    toks = tokens(text if text is not None else unit.text)
    places = find_places(g, toks)
    times = find_times(toks, ctx.pub)
    offenses = [
        (i, j, o)
        for i, j, o in offense_index().scan(toks)
        if not (
            o.key == "all"  # type: ignore[attr-defined]
            and j < len(toks)
            and (toks[j].low in CRIME_NAME_WORDS or (i > 0 and toks[i - 1].low in ("time",)))
        )
        and not _program_name(toks, j)
        and not _other_with_examples(toks, i, j)
    ]
    measures = list(measure_index().scan(toks))
    offenses, measures = _subtypes(toks, offenses, measures)  # type: ignore[arg-type]
    offenses, measures = _drop_definitions(toks, offenses, measures)  # type: ignore[arg-type]
    offenses, measures = _drop_asides(toks, offenses, measures)  # type: ignore[arg-type]
    offenses = [
        (i, j, o)
        for i, j, o in offenses
        if not (i > 0 and toks[i - 1].low in ("that", "this", "those", "these", "such"))
    ]  # "data for that crime": points back, names nothing new
    taken: set[int] = set()
    for m in times:
        taken.update(range(m.start, m.end))
    for pm in places:
        taken.update(range(pm.start, pm.end))
    r = Reading(unit, toks, places, times, offenses, measures, taken)  # type: ignore[arg-type]
    clause, out = 0, []
    for t in toks:
        if t.text in CLAUSE_STOPS or t.low in CLAUSE_WORDS:
            clause += 1
        out.append(clause)
    r.clause_of = out
    _resolve_periods(r, ctx)
    _same_window(r, ctx)
    return r


NEGATIONS = {"not", "never", "no"}  # and any word ending in "n't" ("hasn't", "didn't")


def _negated(r: Reading, i: int) -> bool:
    """'hasn't recorded fewer than 200 homicides since 2019', 'never topped 500': the count
    says what did not happen, not what did (a negation word up to four words before it)."""
    clause = r.clause_of[i]
    for k in range(max(0, i - 4), i):
        w = r.toks[k].low.replace("’", "'")
        if w == "no" and k + 1 < len(r.toks) and r.toks[k + 1].text == ".":
            continue  # "No. 3": a rank
        if r.clause_of[k] == clause and (w in NEGATIONS or w.endswith("n't")):
            return True
    return False


WEAPON_WORDS = {"gun", "guns", "firearm", "firearms", "gunfire", "handgun", "handguns", "knife"}


def _abbreviation(toks, k: int) -> bool:
    """'(DV)', '(MVT)': an abbreviation in brackets at token k."""
    return (
        k + 2 < len(toks)
        and toks[k].text == "("
        and toks[k + 2].text == ")"
        and toks[k + 1].text.isupper()
        and toks[k + 1].text.isalpha()
    )


def _other_with_examples(toks, i: int, j: int) -> bool:
    """'other major crimes, like aggravated assaults and burglaries, saw a decrease': the
    examples are what the figure is about, not every crime (without 'other', 'violent
    crime, including murders, fell 10%' is about the total)."""
    before = {t.low for t in toks[max(0, i - 2) : i]}
    after = " ".join(t.low for t in toks[j : j + 3])
    return "other" in before and after.startswith((", like", ", such as", ", including"))


def _subtypes(toks, offenses, measures):
    """'gang-related homicides', 'homicides involving firearms': a subtype, not the offense."""
    keep, extra = [], []
    measured = {k for a, b, _ in measures for k in range(a, b)}
    measures = measures + [  # 'mental health-related homicides', 'bias-motivated assaults'
        (k, k + 1, "subtype")
        for k, t in enumerate(toks)
        if t.low.endswith(("-related", "-motivated", "-fueled")) and k not in measured
    ]
    starts = {i: (i, j, m) for i, j, m in measures}
    ends = {j: (i, j, m) for i, j, m in measures}
    for i, j, o in offenses:
        before, after = ends.get(i), starts.get(j)
        if before is None and i >= 3 and _abbreviation(toks, i - 3):
            before = ends.get(i - 3)  # 'domestic violence (DV) homicides'
        if any(a <= i and j <= b and (a, b) != (i, j) for a, b, _ in measures):
            continue  # inside a longer measure ('noncriminal homicides', 'retail theft')
        weapon = j + 1 < len(toks) and toks[j].low in ("from", "by", "with")
        if weapon and toks[j + 1].low in WEAPON_WORDS:  # "homicides from gun violence"
            extra.append((i, j + 2, "weapon"))
        elif before and before[2] in ("subtype", "weapon", "motive"):
            extra.append((before[0], j, before[2]))
        elif after and after[2] in ("weapon",):
            extra.append((i, after[1], after[2]))
        else:
            keep.append((i, j, o))
    spans = {(a, b) for a, b, _ in extra}
    ms = [m for m in measures if not any(a <= m[0] < b for a, b in spans)] + extra
    return keep, sorted(ms)


def _drop_definitions(toks, offenses, measures):
    """'Violent crime, including homicide, sexual abuse, assault, and robbery, decreased':
    the list after 'including' / 'such as' / '(' defines the head noun (an offense or a
    measure: 'car-related arrests, including for car thefts'), it is not the topic (neither
    its offenses nor what else it names)."""
    cuts: list[tuple[int, int]] = []
    heads = sorted(offenses + measures, key=lambda x: x[0])
    for a, b, _ in heads:
        if not any(lo <= a < hi for lo, hi in cuts):
            span = _definition_after(toks, b)
            if span:
                cuts.append(span)
    for k in range(1, len(toks)):  # "arrests in Chicago, including for car thefts, rose"
        if toks[k - 1].text != "," or toks[k].low != "including":
            continue
        before = [x for x in heads if x[1] < k]
        gap = toks[before[-1][1] : k - 1] if before else []
        near = (  # the measure, then only where ("in Chicago"), then the list
            bool(before)
            and before[-1] in measures
            and 2 <= len(gap) <= 4
            and gap[0].low in ("in", "across", "throughout")
            and all(t.text[:1].isupper() for t in gap[1:])
        )
        span = _definition_after(toks, k) if near else None  # a measure's defining list
        if span and not any(lo <= k < hi for lo, hi in cuts):
            cuts.append(span)

    def kept(items):
        return [x for x in items if not any(lo <= x[0] < hi for lo, hi in cuts)]

    return kept(offenses), kept(measures)


def _definition_after(toks, b: int) -> tuple[int, int] | None:
    """The span of a defining list right after a head noun ending at b, if one follows."""
    k = b
    while k < len(toks) and toks[k].text in (",", "—", "–"):
        k += 1
    two = " ".join(t.low for t in toks[k : k + 2])
    if not (
        k < len(toks)
        and (
            toks[k].low in ("including", "like", "includes", "include")
            or toks[k].text == "("
            or two == "such as"
            or two in ("which includes", "which include", "that includes", "that include")
        )
    ):
        return None
    j = k + (2 if two.startswith(("which", "that")) else 1)
    while (
        j < len(toks)
        and j < k + 16
        and toks[j].text not in (")", ";")
        and not (
            toks[j].low in DIRECTION_VERBS
            or toks[j].low in ("have", "has", "are", "is", "were", "was")
        )
    ):
        j += 1
    return b, j


def _resolve_periods(r: Reading, ctx: Context) -> None:
    """Each time mention as a period; the sentence's current period (first current one)."""
    years = [m.year for m in r.times if m.kind == "year" and m.role == "current" and m.year]
    if ctx.last_year and any(m.kind == "that" for m in r.times):
        years.append(ctx.last_year)  # "In that year, the first two months saw 36": that year's
    base_years = [  # ("pre-pandemic", 2019, is no year before the sentence's month)
        m.year for m in r.times if m.role == "base" and m.year and not m.text.startswith("pre")
    ]
    for k, m in enumerate(r.times):
        after = {t.low for t in r.toks[m.end : m.end + 9]}
        if after & RELEASE_WORDS and m.kind in ("month", "year") and m.start < 3:
            continue  # "In January 2025, the department released data ...": a release date
        soon = {t.low for t in r.toks[m.end : m.end + 3]}
        if m.kind == "month" and soon & EVENT_WORDS:
            continue  # "At a December 31 press conference": when it was said
        if m.kind == "month" and _dated_day(r, m):
            continue  # "... Crime Briefing on Thursday, Jan. 29, highlighting": the day said
        p = _period_of(m, ctx, years, base_years)
        relative = m.kind in RELATIVE_KINDS or (m.kind == "relative" and bool(years))
        relative = relative or m.kind == "months"  # a yearless "January and February"
        if p is None and m.role == "current" and relative and ctx.pub is None:
            # "... in 2023 and 19 so far this year", "peaked in 2022 ..., and last year", no date
            r.current_unknown = True
        if m.kind == "next":  # "in 2022, with a 25% decline the next year"
            prior = [x.year for x in r.times[:k] if x.year and x.kind == "year"]
            p = Period("year", prior[-1] + 1, text=m.text) if prior else None
        if p is not None:
            r.periods[k] = p
            if m.role == "current" and (r.current is None or _later(p, r.current)):
                # the latest period the sentence is about ("from X in 2021 to Y in 2022")
                r.current, r.current_at = p, m.start
    _window_years(r)


def _window_years(r: Reading) -> None:
    """'32 murders in January and February, below the record low of 38 the city saw in
    those two months in 2018': a year said of the sentence's months ('those two months',
    'the same months', a record) is those months of that year."""
    window = next((m for m in r.times if m.kind == "months" and m.period), None)
    if window is None or window.period is None:
        return
    w = window.period
    for k, m in enumerate(r.times):
        if m.kind != "year" or not m.year or m.start < window.end:
            continue
        before = [t.low for t in r.toks[max(0, m.start - 6) : m.start]]
        back = "months" in before and ("those" in before or "same" in before)
        if back or "record" in before:
            r.periods[k] = month_span(m.year, w.month or 12, w.kind == "ytd", m.text)
            if r.current_at == m.start:
                r.current = r.periods[k]


RELEASE_WORDS = {"released", "published", "announced", "unveiled", "issued"}


def _dated_day(r: Reading, m: TimeMention) -> bool:
    """A month with its day after a weekday ('on Thursday, Jan. 29') or after an event
    ('the briefing on Jan. 29'): the day something was said, not a period counted."""
    day = any(t.num is not None and t.num <= 31 for t in r.toks[m.start + 1 : m.end + 2])
    before = [t.low for t in r.toks[max(0, m.start - 5) : m.start] if t.low != ","]
    weekday = bool(before) and before[-1] in WEEKDAYS
    event = "on" in before[-2:] and bool(set(before) & (EVENT_WORDS | {"briefing", "report"}))
    return day and (weekday or event)


EVENT_WORDS = {"conference", "meeting", "briefing", "hearing", "interview", "session"}


def _same_window(r: Reading, ctx: Context) -> None:
    """'In 2023, that number was at 39, while there were 56 ... at this same point in 2022':
    a sentence that compares the same point of other years keeps the article's window
    (the publication date's year so far when none was stated)."""
    if (
        r.current is None
        and ctx.period is None
        and ctx.pub is not None
        and any(m.role == "base" for m in r.times)
    ):  # "down from 61 to 42 compared to last year", and nothing said before
        p = ctx.pub
        r.current_from = "publication date"
        based = [m.year for m in r.times if m.role == "base" and m.kind == "year" and m.year]
        if based and p.year >= max(based) + 2:  # "fell 7% compared to 2023", in April 2025:
            r.current = Period("year", max(based) + 1, text="the year after the base")
            return  # the year after it, the last one ended (not 2025 so far)
        r.current = (
            Period("year", p.year - 1, text="from the publication date")
            if p.month <= 2
            else ytd(
                p.year,
                p - dt.timedelta(days=7),
                True,
                approx=True,
                text="from the publication date",
            )
        )
        return
    if not any(m.kind == "same" and ("same" in m.text or "this" in m.text) for m in r.times):
        return  # only "the same point/period/time", "this time in 2022"
    sub_year = ("ytd", "quarter", "month")  # the window the article set ('Oct-Dec 2023')
    shape = ctx.period if ctx.period is not None and ctx.period.kind in sub_year else None
    if shape is None and r.current is None and ctx.pub is not None:
        week = ctx.pub - dt.timedelta(days=7)
        if week.month == 1 and week.day < 15:  # in early January: last year, whole
            shape = Period("year", week.year - 1, text="from the publication date")
        else:
            shape = ytd(week.year, week, True, approx=True, text="from the publication date")
    if shape is None:
        return
    if r.current is None:  # the article's window, or the publication date's year so far
        r.current = shape
        r.current_from = "carried" if shape is ctx.period else "publication date"
    elif r.current.kind == "year":
        r.current = shape.in_year(r.current.year)


def _later(a: Period, b: Period) -> bool:
    """The later year wins; in one year, a part of it (to a day, a month) beats the year."""
    if a.year != b.year:
        return a.year > b.year
    if a.kind == "ytd" and b.kind == "ytd" and a.approx != b.approx:
        return b.approx  # "year to date through the end of April": the stated end wins
    if a.kind == "month" and b.kind == "month" and a.month and b.month:
        return a.month > b.month  # "flat in March, increased 7.2 percent in April"
    return a.kind != "year" and b.kind == "year"


def _period_of(
    m: TimeMention, ctx: Context, years: list[int], base_years: list[int]
) -> Period | None:
    if m.kind == "year" and m.year:
        return Period("year", m.year, text=m.text)
    if m.kind == "same" and m.role == "current" and m.year and ctx.period is not None:
        return replace(ctx.period.in_year(m.year), text=m.text)  # "that same time frame this year"
    if m.kind == "months" and m.period and not m.period.year:
        return None  # "32 murders in January and February" on a page with no date: unknown
    if m.kind in ("ytd", "recent", "months") and m.period:
        return m.period
    if m.kind in ("thisyear", "ytd_open"):
        year = m.year or (ctx.pub.year if ctx.pub else None)
        known = ctx.main or ctx.period
        if year is None and m.period is not None and known is not None:
            # "As of April 6" on a page with no date, after "... in 2024": that year, assumed
            return replace(m.period.in_year(known.year), text=m.text + CARRIED_WINDOW)
        if year is None:
            return None
        near = ctx.pub is None or (
            ctx.period is not None
            and ctx.period.end is not None
            and abs((ctx.pub - ctx.period.end).days) <= 45
        )
        if ctx.period and ctx.period.kind == "ytd" and ctx.period.year == year and near:
            return replace(ctx.period, text=m.text + CARRIED_WINDOW)  # the window just stated
        pub = ctx.pub
        if (
            pub is not None
            and m.kind == "thisyear"
            and pub.month == 1
            and pub.day <= 15
            and ctx.main is not None
            and ctx.main.year == pub.year - 1
        ):  # a year-end story of 3 January: "this year's total" is the year just ended
            return Period("year", pub.year - 1, text=f"{m.text} (the year just ended)")
        if ctx.pub and ctx.pub.year == year:
            return ytd(year, ctx.pub, True, approx=True, text=m.text)
        if ctx.pub and ctx.pub.year > year:
            return Period("year", year, text=m.text)
        return None
    if m.kind == "month" and m.period:
        year = m.period.year or (years[0] if years else None)
        if not year and base_years and m.role == "current":
            year = max(base_years) + 1  # "in July ... than in July 2023"
        if not year and ctx.period:
            year = ctx.period.year
        if not year and ctx.pub:
            year = ctx.pub.year if m.period.month <= ctx.pub.month else ctx.pub.year - 1
        return replace(m.period, year=year, text=m.text) if year else None
    if m.kind == "that" and ctx.last_year is not None:  # "That year, there were 234"
        return Period("year", ctx.last_year, text=f"{m.text} ({ctx.last_year})")
    if m.kind == "quarter":
        year = m.year or (years[0] if years else None) or (ctx.period.year if ctx.period else None)
        if year is None and ctx.pub is not None:  # the latest such quarter ended by then
            year = ctx.pub.year if 3 * (m.offset or 4) < ctx.pub.month else ctx.pub.year - 1
        if year is None:
            return None
        return Period("quarter", year, month=3 * (m.offset or 4), text=m.text)
    if m.kind == "halfyear":
        year = m.year or (years[0] if years else None) or (ctx.period.year if ctx.period else None)
        if year is None:
            return None
        end = month_end(dt.date(year, m.offset or 6, 1))
        return Period("ytd", year, end, text=m.text)
    return None


# -- helpers over token positions ----------------------------------------------------------


def _drop_asides(toks: list, offenses: list, measures: list) -> tuple[list, list]:
    """'Larceny — a type of theft that includes car burglaries — fell 35%': what is named
    inside a dashed aside after the sentence's own offense is the aside's, not the figure's."""
    dashes = [k for k, t in enumerate(toks) if t.text in ("—", "–", "--")]
    for a, b in zip(dashes[::2], dashes[1::2], strict=False):
        if any(e <= a for _, e, _ in offenses):
            offenses = [(i, j, o) for i, j, o in offenses if not (a < i and j <= b)]
            measures = [(i, j, m) for i, j, m in measures if not (a < i and j <= b)]
    return offenses, measures


def _num_anchors(r: Reading) -> list[int]:
    """Token positions of numbers that state something (not years, dates or place words)."""
    out = []
    for i, t in enumerate(r.toks):
        if t.num is None or i in r.taken:
            continue
        nxt = r.toks[i + 1].low if i + 1 < len(r.toks) else ""
        if t.low == "one" and (nxt not in measure_words() or nxt in FUNCTION_WORDS):
            continue  # "One is from the Council ...", "one of"
        if nxt in ("a.m.", "p.m.", "am", "pm") or (i > 0 and r.toks[i - 1].text in ("#", "No")):
            continue
        per = i > 0 and r.toks[i - 1].low in ("per", "every")
        per = per or (i > 1 and r.toks[i - 1].text in "[(" and r.toks[i - 2].low == "per")
        if per and t.num in (100_000, 1_000, 100):
            continue  # "per 100,000", "per [100,000]": the unit of a rate
        if nxt in TIME_UNITS:
            continue  # "the first seven months", "two weeks left in the year"
        if nxt in PLACE_UNITS:
            continue  # "the five boroughs", "14 precincts": places, not crimes
        if i > 0 and _month_before(r, i) and t.num <= 31 and t.num == int(t.num):
            continue  # "December 21", "Jan. 1": a day of a date
        if _in_iso_date(r.toks, i):
            continue  # "2024-04-17": the month and day of a date
        if (
            i > 1
            and r.toks[i - 1].text == "-"
            and r.toks[i - 2].low.endswith(("covid", "sars-cov"))
        ):
            continue  # "pre-COVID-19 numbers": a name
        if i > 0 and r.toks[i - 1].low == "part" and t.num in (1, 2):
            continue  # "Part 1 crime": the UCR's name for the index offenses
        if i > 0 and _station(r.toks[i - 1]):
            continue  # "WANE 15 spoke with ...", "FOX 13": a broadcaster's name
        if _old_year(r.toks, i):
            continue  # "a record set in 1933": a year before any data, not a count
        if i > 0 and r.toks[i - 1].low == "top":
            continue  # "one of the top three worst": the size of a ranked few (its superlative)
        out.append(i)
    return out


NETWORKS = {"ABC", "CBS", "NBC", "FOX", "CW", "PBS", "NEWS", "CHANNEL"}
YEAR_BEFORE = {"in", "since", "from", "until", "before", "between"}  # not "of": "a total of 1932"


def _old_year(toks: list[Token], i: int) -> bool:
    """A four-digit number of 1800–1949 written without a comma after 'in', 'since' and the
    like: a year older than the periods read as years (from 1950)."""
    t = toks[i]
    plain = t.num is not None and t.num.is_integer() and len(t.text) == 4 and t.text.isdigit()
    return plain and 1800 <= t.num < 1950 and i > 0 and toks[i - 1].low in YEAR_BEFORE


def _station(t: Token) -> bool:
    """A TV station's call sign or network before its channel number ('WANE', 'KSAT', 'Fox')."""
    up = t.text.upper()
    sign = t.text.isupper() and t.text.isalpha() and 3 <= len(t.text) <= 4 and up[0] in "WK"
    return sign or (up in NETWORKS and t.text[0].isupper())


def _in_iso_date(toks: list, i: int) -> bool:
    """Token i is the month or day of a written YYYY-MM-DD date."""

    def year_at(k: int) -> bool:
        return k >= 0 and len(toks[k].text) == 4 and toks[k].text.isdigit()

    two = len(toks[i].text) == 2 and toks[i].text.isdigit()
    dash = i > 0 and toks[i - 1].text == "-"
    return (
        two and dash and (year_at(i - 2) or (i > 3 and toks[i - 3].text == "-" and year_at(i - 4)))
    )


def _month_before(r: Reading, i: int) -> bool:
    prev = r.toks[i - 1].low
    if prev == "." and i > 1:
        prev = r.toks[i - 2].low
    return prev in MONTH_NAMES


TIME_UNITS = {
    "months",
    "month",
    "weeks",
    "week",
    "days",
    "day",
    "hours",
    "hour",
    "years",
    "year",
    "decades",
    "decade",
    "minutes",
    "-month",
    "-week",
    "-day",
}


def _is_pct(r: Reading, i: int) -> int:
    """Tokens after a number that make it a percent (0 when it is not one); a '-plus' or
    'plus' between ('75-plus percent') is part of them (the qualifier reads it)."""
    nxt = [t.low for t in r.toks[i + 1 : i + 5]]
    skip = 2 if nxt[:2] == ["-", "plus"] else 1 if nxt[:1] == ["plus"] else 0
    nxt = nxt[skip:]
    if nxt[:1] == ["%"] or nxt[:1] == ["percent"]:
        return skip + 1
    if nxt[:2] == ["per", "cent"] or nxt[:2] == ["percentage", "points"]:
        return skip + 2
    return 0


def _qualifier(r: Reading, i: int) -> str | None:
    """'nearly', 'more than', 'by about' right before the number at i."""
    for back in (3, 2, 1):
        a = i - back
        if a < 0:
            continue
        hit = QUALIFIER_INDEX.at(r.toks, a)
        if hit and a + hit[0] == i:
            return str(hit[1])
        if hit and a + hit[0] == i - 1 and r.toks[i - 1].low in ("a", "an"):
            return str(hit[1])
    if i + 2 < len(r.toks) and r.toks[i + 1].text == "-" and r.toks[i + 2].low == "plus":
        return "over"
    if i + 1 < len(r.toks) and r.toks[i + 1].low in ("plus", "ish", "or"):
        return "over" if r.toks[i + 1].low == "plus" else "about"
    if i > 0 and r.toks[i - 1].text in ("~", "≈"):
        return "about"
    return None


def _direction_near(r: Reading, i: int, after: int) -> tuple[int | None, int | None]:
    """The direction word for a number: right after it ('29% decrease', '9% fewer') or
    before it in its clause ('fell 31%', 'down 14%', 'decreased by ... almost 40%')."""
    for k in range(after, min(after + 5, len(r.toks))):  # 'the 5.7% citywide crime decrease'
        t = r.toks[k]
        if t.text in CLAUSE_STOPS or t.text == "," or t.num is not None or t.low in NOT_A_NOUN:
            break
        d = _dir(t.low)
        if d and t.low in DIRECTION_NOUNS:
            return d, k
        if k >= after + 1 and d:
            break  # another direction word ('9% fewer' is taken above): not this noun's
    for k in range(i - 1, max(i - 9, -1), -1):
        if r.toks[k].text in (";", "(", ")") or r.toks[k].low in CLAUSE_WORDS:
            break
        if r.toks[k].num is not None and k not in r.taken:
            break
        low = r.toks[k].low
        if (
            low in ("more", "less", "fewer")
            and k + 1 < len(r.toks)
            and r.toks[k + 1].low in ("than", "to", "of")
        ) or (low in ("over", "above") and k + 1 == i):
            continue  # "down more than 20%": 'more than' qualifies, it is not a direction
        d = _dir(low)
        if d:
            return d, k
    return None, None


# words that end the noun phrase after a percentage ('12% of the increase' is a share)
NOT_A_NOUN = {"of", "in", "for", "than", "to", "from", "by", "and", "or", "was", "is", "were"}
NOT_A_NOUN |= {"are", "that", "which", "who", "as", "at", "on", "with", "since", "compared"}
DIRECTION_NOUNS = {
    "decrease",
    "decline",
    "drop",
    "reduction",
    "increase",
    "rise",
    "jump",
    "surge",
    "spike",
    "fewer",
    "more",
    "lower",
    "higher",
    "less",
    "decreases",
    "declines",
    "drops",
    "increases",
    "cut",
    "dip",
    "gain",
    "hike",
    "plunge",
    "climb",
    "uptick",
    "down",
    "up",
    "above",
    "below",
}
# plural and other noun forms ('a nearly 19 percent fall in burglaries')
DIRECTION_NOUNS |= {"fall", "falls", "reductions", "rises", "jumps", "surges", "spikes"}
DIRECTION_NOUNS |= {"plunges", "climbs", "upticks", "downturn"}


def _dir(low: str) -> int | None:
    """-1 / +1 for a direction word or an inflection of one ('plunging', 'spikes'), else None."""
    for form in (low, *_stems(low)):
        if form in DOWN:
            return -1
        if form in UP:
            return 1
    return None


def _stems(low: str) -> tuple[str, ...]:
    """The bases an -ing/-ed/-s form may come from ('plunging' → plung, plunge)."""
    if len(low) > 5 and low.endswith("ing"):
        return (low[:-3], low[:-3] + "e")
    if len(low) > 4 and low.endswith("ed"):
        return (low[:-2], low[:-1])
    if len(low) > 4 and low.endswith("s") and not low.endswith("ss"):
        return (low[:-1],)
    return ()


def _mention_near(items: list, r: Reading, i: int, lo: int, hi: int, right: bool = True):
    """The item (start, end, value) nearest to token i: right-attached first (within 5
    tokens, no number or stop between), then left in the clause, then left, then right."""
    if right:
        start = hi
        if start < len(r.toks) and r.toks[start].text == "(":
            while start < len(r.toks) and r.toks[start].text != ")" and start < hi + 6:
                start += 1
            start += 1
        for a, b, v in items:
            gap = range(start, a - 1 if _adjective(r, start, a - 1) else a)
            if (
                start <= a <= start + 5
                and not _blocked(r, start, a)
                and all(
                    r.toks[k].low in RIGHT_GAP or r.toks[k].low in DIRECTION_NOUNS or k in r.taken
                    for k in gap
                )  # "a surge in NYPD patrol": a place's word does not hide the topic
            ):
                return a, b, v
    left = [x for x in items if x[1] <= i]
    clause = r.clause_of[min(i, len(r.toks) - 1)]
    segment = [x for x in left if x[0] >= lo and r.clause_of[x[0]] == clause]
    same = [x for x in left if r.clause_of[x[0]] == clause]
    for group in (segment, same, left):
        if group:
            return max(group, key=lambda x: x[1])
    rest = [x for x in items if x[0] >= hi]
    return min(rest, key=lambda x: x[0]) if rest else None


NOT_ADJECTIVES = {"and", "or", "but", "than", "from", "to", "with", "for", "while", "since", "as"}


def _adjective(r: Reading, lo: int, k: int) -> bool:
    """A lower-case word right before a topic ('a 50 percent reduction in fatal overdoses'):
    it qualifies the topic and does not hide it."""
    t = r.toks[k] if lo <= k < len(r.toks) else None
    return (
        t is not None and t.text.islower() and t.low.replace("-", "").isalpha()
        and t.low not in NOT_ADJECTIVES and k not in r.taken
    )  # fmt: skip


RIGHT_GAP = {
    "%",
    "percent",
    "per",
    "cent",
    "in",
    "of",
    "the",
    "a",
    "an",
    "more",
    "fewer",
    "reported",
    "recorded",
    "total",
    "people",
    "were",
    "was",
    "new",
    "confirmed",
    "additional",
    "other",
    "suffered",
    "such",
    "violent",
    "its",
    "their",
    "all",
    "overall",
}
GENERIC = {
    "cases",
    "case",
    "incidents",
    "incident",
    "people",
    "persons",
    "victims",
    "deaths",
    "total",
    "reported",
    "recorded",
    "more",
    "fewer",
    "were",
    "was",
    "of",
    "the",
    "in",
    "for",
    "by",
    "through",
    "as",
    "to",
    "from",
    "compared",
    "and",
    "or",
    "with",
    "on",
    "last",
    "this",
    "so",
    "since",
    "during",
    "per",
    "a",
    "an",
    "homicide",
    "murder",
    "at",
    "than",
    "over",
    "that",
    "which",
    "who",
    "is",
    "are",
    "have",
    "has",
    "had",
    "year",
    "years",
    "percent",
    "new",
    "such",
    "confirmed",
    "additional",
    "other",
    "reports",
    "offenses",
    "crimes",
    "killed",
    "dead",
    "died",
    "slain",
    "committed",
    "s",
    "counted",
    "logged",
    "nationwide",
    "across",
    "times",
    "th",
    "st",
    "nd",
    "rd",
    "ish",
    "plus",
    "about",
    "all",
    "up",
    "down",
    "there",
    "their",
    "its",
}


def _generic_run(r: Reading, a: int, b: int) -> bool:
    return all(r.toks[k].low in GENERIC or r.toks[k].low in measure_words() for k in range(a, b))


PLACE_UNITS = {"boroughs", "precincts", "wards", "districts", "neighborhoods", "counties"}
FUNCTION_WORDS = {"of", "the", "a", "an", "in", "for", "to", "by", "and", "or", "from", "on"}


def measure_words() -> set[str]:
    return {w for key in measure_index().table for w in key}


def _blocked(r: Reading, a: int, b: int) -> bool:
    for k in range(a, b):
        t = r.toks[k]
        if t.low in ("connection", "related", "linked", "tied", "involving"):
            return True
        if (
            t.text in CLAUSE_STOPS
            or t.text in (",", ".")
            or (t.num is not None and k not in r.taken)
        ):
            return True
    return False


def _topic(
    r: Reading, i: int, lo: int, hi: int, ctx: Context, right: bool = True, count: bool = False
):
    """The offense or other measure a number at i is about, and where it came from."""
    items = [(a, b, ("offense", o)) for a, b, o in r.offenses]
    items += [(a, b, ("measure", m)) for a, b, m in r.measures]
    items.sort(key=lambda x: x[0])
    hit = _mention_near(items, r, i, lo, hi, right)
    if hit and hit[2][0] == "offense":
        hit = _governing_measure(items, r, hit)
    if (
        count and hi < len(r.toks) and (hit is None or hit[0] > hi + 1)
    ):  # not "174 criminal homicides"
        word = r.toks[hi]
        plural = word.low.endswith("s") and len(word.low) > 3
        if (
            word.low.isalpha()
            and word.low not in GENERIC
            and hi not in r.taken
            and (plural or word.low in measure_words())
        ):
            return ("measure", "unknown"), "sentence", word.text  # "24 detectives"
    if hit:
        if hit[2][0] == "offense" and _shorthand_for(ctx, r, hit[0], hit[1], hit[2][1]):
            return ("offense", ctx.offense), "carried", ctx.offense.phrase  # '1,292 thefts'
        return hit[2], "sentence", " ".join(t.text for t in r.toks[hit[0] : hit[1]])
    if ctx.offense is not None:
        return ("offense", ctx.offense), "carried", ctx.offense.phrase
    return None, None, None


def _shorthand_for(ctx: Context, r: Reading, a: int, b: int, offense: Offense) -> bool:
    """The one-word offense at a..b shortens the offense the article has just named
    ('thefts' after 'motor vehicle thefts', 'assaults' after 'aggravated assaults')."""
    o = ctx.offense
    if o is None or offense.key == o.key or b - a != 1:
        return False
    return o.phrase.lower().endswith(" " + r.toks[a].text.lower())


def _governing_measure(items: list, r: Reading, hit: tuple) -> tuple:
    """'juveniles arrested for homicide', 'arrests for robbery', 'charged with murder': the
    offense is what the counted arrests were for; the measure governs the number. So does
    a group of victims named right before the offense ('juvenile homicide victims')."""
    a = hit[0]
    # 'juvenile homicide victims', 'teen homicides': a group of the victims, not the total
    group = [x for x in items if x[1] == a and x[2] == ("measure", "demographics")]
    if group:
        return group[0]
    if a < 2 or r.toks[a - 1].low not in ("for", "with"):
        return hit
    governing = [x for x in items if x[1] == a - 1 and x[2][0] == "measure"]
    return governing[0] if governing else hit


def _place_for(r: Reading, i: int, ctx: Context) -> tuple[list[Place], str, str | None]:
    """Places a claim at token i is about: the nearest named (with a list joined by commas
    and 'and'), else the article's established place."""
    ms = sorted(
        (m for m in r.places if not _set_word(r, m)), key=lambda m: m.start
    )  # "20 U.S. cities" names a set, not the place
    clause = r.clause_of[min(i, len(r.toks) - 1)]
    left = [m for m in ms if m.end <= i + 1]
    pick = None
    same = [m for m in left if r.clause_of[m.start] == clause]
    if same:
        pick = same[-1]
    elif left:
        pick = left[-1]
    else:
        right = [m for m in ms if m.start > i and r.clause_of[m.start] == clause]
        pick = right[0] if right else None
    if pick is None:
        sets = [k for k, t in enumerate(r.toks) if t.low == "cities" and k > 0]
        sets = [k for k in sets if {x.low for x in r.toks[max(0, k - 2) : k]} & SET_ADJECTIVES]
        if sets:  # "in America's biggest cities": a set the data does not define
            text = " ".join(t.text for t in r.toks[max(0, sets[0] - 2) : sets[0] + 1])
            return [Place("vague", text)], "sentence", text
        subject = [k for k in range(i) if r.toks[k].low == "cities" and r.clause_of[k] == clause]
        if subject:  # "cities in which homicide data was available, rates were down 2%"
            return [Place("vague", "cities")], "sentence", "cities"
        if ctx.place is not None:
            return [ctx.place], "carried", ctx.place.label
        if ctx.fallback_place is not None:
            return [ctx.fallback_place], "carried", ctx.fallback_place.label
        if ctx.dateline_place is not None:  # a national story is often filed in Washington
            return [ctx.dateline_place], "dateline", ctx.dateline_place.label
        if ctx.url_place is not None:
            return [ctx.url_place], "page address", ctx.url_place.label
        return [], "none", None
    chain = [pick]
    k = ms.index(pick)
    while k > 0 and _joined(r, ms[k - 1].end, chain[0].start):
        k -= 1
        chain.insert(0, ms[k])
    k = ms.index(pick)
    while k + 1 < len(ms) and _joined(r, chain[-1].end, ms[k + 1].start):
        k += 1
        chain.append(ms[k])
    places: list[Place] = []
    for m in chain:
        p = _as_place(m, ctx)
        if not any(q.label == p.label for q in places):
            places.append(p)
    return places, "sentence", " and ".join(m.text for m in chain)


def _after_rank(r: Reading, m: Mention) -> bool:
    """'ranks highest in U.S.', 'the most in the nation': the set of a rank."""
    before = {t.low for t in r.toks[max(0, m.start - 5) : m.start]}
    return bool(before & (set(SUPERLATIVE_WORDS) | {"ranks", "ranked", "among"}))


def _set_word(r: Reading, m: Mention) -> bool:
    """'20 U.S. cities', "America's biggest cities": a set of places, not the country."""
    after = [t.low for t in r.toks[m.end : m.end + 4]]
    if after[:1] in (["'s"], ["’s"]):
        after = after[1:]
    near = after[:1] == ["cities"] or after[:1] == ["city"] or after[1:2] == ["cities"]
    return m.kind == "kind" and m.places[0].kind == "national" and near


def _joined(r: Reading, a: int, b: int) -> bool:
    between = [t.low for t in r.toks[a:b]]
    return (bool(between) and all(w in (",", "and", "&", "or") for w in between)) or (
        not between and a == b
    )


def _as_place(m: Mention, ctx: Context) -> Place:
    # where the story was filed settles a shared name ("RICHMOND, Va. (WRIC) — ... Richmond")
    p = resolve_place(m, ctx.place or ctx.dateline_place, ctx.states)
    if p.kind == "ambiguous" and len(ctx.states) == 1 and m.kind == "name":
        (state,) = ctx.states  # "Mississippi's capital city ... Jackson's": not one of the
        if not any(c.endswith(", " + state) for c in p.candidates):  # store's Jacksons
            return Place("unknown", f"{_unpossessed(m.text)}, {state}", state=state)
    home = ctx.dateline_place or ctx.place
    county = p.kind == "agency" and " County, " in p.label and p.state not in ctx.states
    if county and home is not None and home.state and home.state != p.state:
        # "NASHVILLE, Tenn. ... Davidson County": not the store's Davidson County, N.C.
        return Place("unknown", _unpossessed(m.text))
    other = ctx.elsewhere.get(_unpossessed(m.text.lower()))
    if other is not None and p.kind == "agency" and p.state != other.state:
        return other  # "Peoria's" after "PEORIA, Ill.": not the store's Peoria, Arizona
    if (
        ctx.washington_state
        and _unpossessed(m.text.lower()) == "washington"
        and p.state == "District of Columbia"
    ):
        return Place("state", "Washington", state="Washington")  # a Vancouver, Wash. story
    if p.kind == "national":
        return Place("sample", "RTCI national sample (Full Sample, Nationwide)", (NATIONAL,))
    if p.kind == "large":
        return Place("sample", "RTCI cities of 1M+ (Agencies of 1M+, Nationwide)", LARGE)
    if p.kind == "state":
        return ctx.state or p if p.label == "the state" else p
    if p.kind == "state-whole" and ctx.state is not None:
        return ctx.state
    return p


# -- periods for one claim -------------------------------------------------------------------


WHOLE_YEAR = ("the full year", "the whole year", "the entire year")


def _period_at(r: Reading, i: int, ctx: Context, kind: str) -> tuple[Period | None, str]:
    """The period a claim at token i is about. A count takes the time expression right after
    it (before the next number: "410 murders in 2021, down from 455 in 2020"), else the one
    before it in its clause; a change takes one right after it, else the sentence's latest;
    a change by N ("delta") reads like a count but never takes a base ("from the year
    before") as its own period; then the article's."""
    n = len(r.toks)
    change = kind in ("pct", "direction", "ratio")
    changes = change or kind == "delta"  # never its own period: a base ("from 2023")
    base_count = kind == "count" and _count_role(r, i) == "base"
    reach = 9 if kind == "superlative" else 7
    whole = " ".join(t.low for t in r.toks[i + 1 : i + 5])
    if kind == "count" and any(w in whole for w in WHOLE_YEAR):
        named = [p for k, p in sorted(r.periods.items()) if r.times[k].end <= i]
        if named:  # "The summer of 2021 saw 274 homicides, with 805 for the full year"
            return Period("year", named[-1].year, text="the full year"), "sentence"
    if kind == "count" and i >= 3 and r.toks[i - 1].low == "of":
        named = [k for k, m in enumerate(r.times) if m.end == i - 2 and k in r.periods]
        if named and r.toks[i - 2].low in ("total", "tally", "count", "figure"):
            return r.periods[named[0]], "sentence"  # "down 23 percent from the 2023 total of 141"
        level = r.toks[i - 2].low in ("low", "high", "peak", "total", "record")
        back = [m for m in r.times if i - 7 <= m.start and m.end <= i - 2]
        cur = r.current
        last = [m for m in back if m.text.startswith("last year") and m.role == "base"]
        if level and last and cur is not None:
            p = r.periods.get(r.times.index(last[-1]))
            if p is None or p.window == cur.window:  # "ended 2025 with 165, down 19% from
                return cur.in_year(cur.year - 1), "sentence"  # last year's low of 203"
    ago = next(
        (
            m
            for m in r.times
            if m.kind == "ago" and m.end <= i <= m.end + 6 and not _number_between(r, m.end, i)
        ),
        None,
    )
    if kind == "count" and ago is not None and ago.offset:  # "two years ago, there were 12"
        if ctx.pub is None:
            return None, NO_DATE
        now = ctx.pub.year  # in a January story about the year just ended, that year is "now"
        if ctx.pub.month <= 2 and ctx.main is not None and ctx.main.year == now - 1:
            now -= 1
        return Period("year", now - ago.offset, text=ago.text), "publication date"
    for k, m in enumerate(r.times):
        paired = i < m.start <= i + 12 and _versus_pair(r, i + 1, m.start)
        if not (i < m.start <= i + reach or paired):
            continue
        nxt = r.times[k + 1] if k + 1 < len(r.times) else None
        if m.kind == "ytd_open" and nxt is not None and nxt.start <= m.end + 1:
            continue  # "year to date through April": the stated end

        if kind == "count" and _new_clause(r, i, m.start):
            continue  # "peaked in 2022 with 49, and last year ...": 49 is 2022's
        between = kind != "superlative" and _number_between(r, i + 1, m.start)
        if between and not _versus_pair(r, i + 1, m.start):
            continue  # (a "(491 vs. 498) year to date" pair shares the period after it)
        if r.clause_of[m.start] != r.clause_of[min(i, n - 1)] and m.start > i + 2 and not paired:
            continue
        if m.kind == "same" and not changes:  # "168 homicides during the same timeframe in 2024"
            cur = r.current or ctx.period
            if cur is not None:
                return cur.in_year(m.year or cur.year - (m.offset or 1)), "sentence"
        if m.role == "base" and kind == "count" and not base_count and not _attached(r, i, m):
            continue  # "42 killings compared to last year": 42 is this year's
        if m.role == "base" and changes and nxt is not None and k + 1 in r.periods:
            joined = nxt.start == m.end + 1 and r.toks[m.end].low in ("to", "through", "and")
            if joined:  # "a 12% decrease from 2022 to 2023 (and a 16% dip in 2024)": 2023's
                return _explicit(r, k + 1, i, ctx), "sentence"
        if k in r.periods and not (m.role == "base" and changes):
            return _explicit(r, k, i, ctx), "sentence"
        if (
            k not in r.periods
            and m.kind in (*RELATIVE_KINDS, "months")
            and ctx.pub is None
            and not between
        ):
            return None, NO_DATE  # "12 in the first six months of 2023 and 19 so far this year"
    when = _when_clause(r, i) if kind == "count" else None
    if when is not None:  # "... compared with the year before, when more than 400 were killed"
        m = r.times[when]
        if m.role == "base" and r.current is not None:
            return _base_at(r, i, r.current, ctx)[0], "base of the sentence"
        if when in r.periods:
            return r.periods[when], "sentence"
        if m.kind == "span" and m.since:  # "the fewest since 1966, when there were 214"
            return Period("year", m.since, text=m.text), "sentence"
    current = _current_for(r, i, ctx)
    if change and r.current_unknown:
        return None, NO_DATE  # "rose, with 12 in the first half of 2023 and 19 so far this year"
    if base_count and current is not None:  # "down from 61 to 42": 61 is the base's
        base, _ = _base_at(r, i, current, ctx)
        return base, "base of the sentence"
    where = "sentence" if current is None or r.current_at is not None else r.current_from
    if change and current is not None:
        return current, where
    if kind == "count" and _moved_to(r, i):
        # "In 2021, 31 were reported; that number rose to 34": the year is the first count's,
        # the new count is of a later period: the article's, when it is later, else unknown
        years = [m.year for m in r.times if m.end <= i and m.year]
        later = ctx.main or ctx.period
        if years and later is not None and later.year > max(years):
            return later, "carried"
        if years:
            return None, "none"
    for k in range(len(r.times) - 1, -1, -1):
        m = r.times[k]
        if m.end <= i and k in r.periods and r.clause_of[m.start] == r.clause_of[min(i, n - 1)]:
            if m.role == "base" and (
                changes or kind == "superlative" or (_count_role(r, i) == "current" and current)
            ):  # "fell 31% in 2024 from 2023 to 190": 190 is not 2023's; "down 31% from 2024
                continue  # and the fewest in 50 years": the fewest is the current year's
            return _as_current(r.periods[k], r, ctx), "sentence"
    if current is not None:
        return current, where
    if ctx.period is not None:
        return ctx.period, "carried"
    return None, "none"


def _current_for(r: Reading, i: int, ctx: Context) -> Period | None:
    """The sentence's period for a claim at i, unless only a later independent clause (after
    a semicolon) states it and the article has set one ("homicides fell 20% to 303; rape
    reports rose after a state law broadened the definition in 2024": 2024 is the law's
    year, not the homicides')."""
    at = r.current_at
    if at is None or at <= i or ctx.period is None:
        return r.current
    if any(r.toks[k].text == ";" for k in range(i, at)):
        return None
    # "18 homicides compared to 35 a year ago - tying 2018 for the lowest": a year in an
    # aside set off by a dash and a participle is what the figure is compared with
    for k in range(i, at - 1):
        if r.toks[k].text in ("-", "—", "–") and r.toks[k + 1].low.endswith("ing"):
            return None
    return r.current


RELATIVE_TEXTS = {"last year", "this year", "past year"}
RELATIVE_KINDS = ("thisyear", "ytd_open")  # resolved from the publication date alone
CARRIED_WINDOW = " (the window stated before)"  # "this year" read as an earlier sentence's


def _explicit(r: Reading, k: int, i: int, ctx: Context) -> Period:
    """'last year (2023)', '2023, last year': a year written beside a relative word beats it
    (the publication date may be wrong or missing; the year is what the writer meant)."""
    m = r.times[k]
    if m.text in RELATIVE_TEXTS:
        for j, other in enumerate(r.times):
            beside = 0 <= other.start - m.end <= 2 or 0 <= m.start - other.end <= 2
            lo, hi = min(m.end, other.end), max(m.start, other.start)
            beside = beside and not _number_between(r, lo, hi)  # "516 in 2022 and 410 last year"
            written = other.kind == "year" and other.text not in RELATIVE_TEXTS
            # "last year compared to 2023": the written year is the base, not this one
            if written and beside and j in r.periods and other.role != "base":
                return _as_current(r.periods[j], r, ctx)
    return _as_current(r.periods[k], r, ctx)


def _as_current(p: Period, r: Reading, ctx: Context) -> Period:
    """A bare year beside a year-to-date figure means the same months of that year (a
    written year, not "last year": that is the whole year)."""
    if p.text in RELATIVE_TEXTS:
        cur = r.current
        this_year = any(m.kind == "thisyear" for m in r.times)
        same = cur is not None and cur.kind == "ytd" and cur.year == p.year + 1
        if p.text == "last year" and this_year and same:
            assert cur is not None
            return cur.in_year(p.year)  # "from 86 last year to 63 this year" (Jan–Jun)
        return p
    cur = r.current if r.current is not None and r.current.kind != "year" else None
    if p.kind == "year" and cur is not None and cur.kind == "ytd" and cur.year == p.year:
        return cur  # "Through July, violent crime was up 1.1 percent in 2024"
    near = cur is not None and cur.kind == "ytd" and cur.year - 6 <= p.year < cur.year
    if p.kind == "year" and near:
        assert cur is not None
        return cur.in_year(p.year)
    return p


def _attached(r: Reading, i: int, m: TimeMention) -> bool:
    """'compared to 477 people in 2021': the year right after the count is its own."""
    between = {r.toks[k].low for k in range(i + 1, m.start)}
    if between & {"compared", "from", "than", "over", "versus", "vs", "against", "since"}:
        return False  # "42 killings compared to last year"
    return all(
        r.toks[k].low in ("in", "during", "for", "people", "cases", "of", "the")
        or r.toks[k].low in measure_words()
        or r.toks[k].low in GENERIC
        for k in range(i + 1, m.start)
    ) and m.kind in ("year", "month")


def _years_span_after(r: Reading, i: int) -> bool:
    """'44 homicides per month from 2020 through 2022': the average spans several years."""
    years = [m for m in r.times if m.kind == "year" and i < m.start <= i + 8]
    return len(years) >= 2 and years[0].text != years[1].text


def _when_clause(r: Reading, i: int) -> int | None:
    """The time mention a 'when' clause holding token i hangs on ('the year before, when
    ...', 'in 2021, when ...', 'since 2014, which had 159')."""
    for k in range(i - 1, max(i - 6, 0) - 1, -1):
        if r.toks[k].low == "when" or (
            r.toks[k].low == "which" and k + 1 < i and r.toks[k + 1].low in ("had", "saw")
        ):
            end = k - 1 if k > 0 and r.toks[k - 1].text == "," else k
            return next((n for n, m in enumerate(r.times) if m.end == end), None)
    return None


def _versus_pair(r: Reading, a: int, b: int) -> bool:
    lows = {r.toks[k].low for k in range(a, b) if r.toks[k].num is None}
    return bool(lows & VERSUS) and lows <= VERSUS | {".", ")", ",", "(", "%", "percent", "year"}


VERSUS = {"vs", "versus", "v"}


MOVE_VERBS = {"rose", "fell", "increased", "decreased", "dropped", "climbed", "declined"}
MOVE_VERBS |= {"grew", "jumped", "rises", "falls", "went", "soared", "plunged", "dipped"}


def _moved_to(r: Reading, i: int) -> bool:
    """'..., that number rose to 34': a count a figure moved to, after another count and
    with no time of its own."""
    if i < 2 or r.toks[i - 1].low != "to" or r.toks[i - 2].low not in MOVE_VERBS:
        return False
    own = any(i < m.start <= i + 4 for m in r.times)
    earlier = [m for m in r.times if m.end <= i]
    return not own and bool(earlier) and _number_between(r, earlier[-1].end, i - 2)


def _number_between(r: Reading, a: int, b: int) -> bool:
    return any(r.toks[k].num is not None and k not in r.taken for k in range(a, b))


def _base_at(r: Reading, i: int, cur: Period | None, ctx: Context) -> tuple[Period | None, str]:
    """The base of a change at i: 'from 2023', 'compared to 2021', 'the same period in 2024',
    'a year earlier', 'N years ago'; else the context's base; else a year before."""
    if cur is None:
        return None, "none"
    cl = r.clause_of[min(i, len(r.toks) - 1)]
    after = [
        (k, m)
        for k, m in enumerate(r.times)
        if m.start > i and m.role == "base" and r.clause_of[m.start] == cl
    ]
    before = [
        (k, m)
        for k, m in enumerate(r.times)
        if m.end <= i and m.role == "base" and r.clause_of[m.start] == cl and not _paired(r, k, i)
    ]
    then = " ".join(t.low for t in r.toks[i + 1 : i + 8])
    named = [
        p
        for k, p in sorted(r.periods.items())
        if r.times[k].end <= i and p.kind == "year" and p.year < cur.year
    ]
    if ("from then" in then or "since then" in then) and named:
        return cur.in_year(named[-1].year), "sentence"  # "peaked in 2022 ... a 45% decline
        # from then": from 2022
    for k, m in after[:1] + before[-1:]:
        got = _base_of(m, r.periods.get(k), cur)
        own = (got is None or got.window == cur.window) and m.start > i
        if own and m.text.split("'")[0].split("’")[0] in ("last year", "the previous year"):
            # "ended 2025 with 165, down 19% from last year's 203": the year before 2025
            return cur.in_year(cur.year - 1), "sentence"
        if got is not None and got.window != cur.window:  # never a period against itself
            # "at this same time last year" is the current window moved, not a stated one
            return got, "same window" if m.kind == "same" and m.year is None else "sentence"
    since = [
        m
        for m in r.times
        if m.kind == "span" and m.since and m.start > i and r.clause_of[m.start] == cl
    ]
    if since and since[0].since < cur.year:  # "homicides have fallen since 2021"
        return cur.in_year(since[0].since), "sentence"
    past = [
        m
        for m in r.times
        if m.kind == "span"
        and m.span
        and m.span < 100
        and i < m.start <= i + 8
        and r.clause_of[m.start] == cl
        and r.toks[m.start - 1].low in ("past", "last", "previous")
    ]
    if past:  # "a 40% decrease over the past four years": from four years before
        return cur.in_year(cur.year - past[0].span), "sentence"
    if _since_end(r, i):
        prior = [m.year for m in r.times if m.year and m.end <= i]  # "... 2022 ... down since"
        if prior and ctx.main is not None and prior[-1] < ctx.main.year:
            return ctx.main.in_year(prior[-1]), "sentence"
    if ctx.base is not None and ctx.period == cur:
        return ctx.base, "carried"
    if ctx.past is not None and ctx.past.year < cur.year - 1 and r.current is None:
        return ctx.past, "previous sentence"  # "... 1993, our highest year. The reduction there"
    return cur.in_year(cur.year - 1), "default"


def _new_clause(r: Reading, a: int, b: int) -> bool:
    """A comma then 'and', 'but' or 'while' between a and b: what follows is another clause."""
    return any(
        r.toks[x].text == "," and r.toks[x + 1].low in ("and", "but", "while")
        for x in range(a, min(b, len(r.toks) - 1))
    )


def _paired(r: Reading, k: int, i: int) -> bool:
    """'a 12% decrease from 2022 to 2023': a pair that ends before the claim at i, after an
    earlier figure, is that figure's (a later '16% dip in 2024' is not from 2022; 'From
    2022 to 2023, homicides fell 12%' is the claim's own)."""
    m = r.times[k]
    nxt = r.times[k + 1] if k + 1 < len(r.times) else None
    return (
        nxt is not None
        and nxt.end <= i
        and nxt.start == m.end + 1
        and r.toks[m.end].low in ("to", "through")
        and any(r.toks[x].num is not None and x not in r.taken for x in range(m.start))
    )


def _since_end(r: Reading, i: int) -> bool:
    """'have trended down since.': a bare 'since' closing the clause."""
    for k in (i + 1, i + 2):
        if k < len(r.toks) and r.toks[k].low == "since":
            return k + 1 >= len(r.toks) or r.toks[k + 1].text in ".,;"
    return False


def _base_of(m: TimeMention, p: Period | None, cur: Period) -> Period | None:
    if m.kind == "same":
        year = m.year or cur.year - (m.offset or 1)
        return cur.in_year(year)
    if m.kind == "ago":
        return cur.in_year(cur.year - (m.offset or 0))
    if p is None:
        return None
    if p.kind == "year" and cur.kind != "year":
        return cur.in_year(p.year)  # 'from 2019' after a year-to-date figure: same months
    if p.kind == "year" and p.year == cur.year:
        return None
    return p


# -- claims from numbers --------------------------------------------------------------------


def number_claims(r: Reading, ctx: Context) -> list[Claim]:
    """A claim per number: percent, rate, count (with base counts and ranges joined)."""
    out: list[Claim] = []
    anchors = _num_anchors(r)
    skip: set[int] = set()
    for n, i in enumerate(anchors):
        if i in skip:
            continue
        lo = anchors[n - 1] + 1 if n else 0
        pct = _is_pct(r, i)
        hi = i + 1 + pct
        # "twenty to twenty-eight percent": a range
        if (
            not pct
            and i + 2 < len(r.toks)
            and r.toks[i + 1].low in ("to", "-", "–")
            and r.toks[i + 2].num is not None
            and _is_pct(r, i + 2)
        ):
            skip.add(i + 2)
            c = _pct_claim(r, i, ctx, lo, i + 3 + _is_pct(r, i + 2))
            c.qualifier, c.high = "range", r.toks[i + 2].num
            c.numbers.append(r.toks[i + 2].num or 0)
            out.append(c)
            continue
        shared = (  # "39 and 34 percent declines": the first shares the second's unit
            not pct
            and i + 2 < len(r.toks)
            and r.toks[i + 1].low in ("and", "or")
            and r.toks[i + 2].num is not None
            and _is_pct(r, i + 2)
        )
        if pct or shared:
            c = _pct_claim(r, i, ctx, lo, hi)
            if shared and c.direction is None:
                d, _ = _direction_near(r, i + 2, i + 3 + _is_pct(r, i + 2))
                if d is not None:
                    c.direction, c.pct = d, d * (r.toks[i].num or 0)
                    c.notes = [n for n in c.notes if "no direction" not in n]
            out.append(c)
        elif _rate_after(r, i):
            out.append(_rate_claim(r, i, ctx, lo))
        else:
            out.append(_count_claim(r, i, ctx, lo))
    out += _word_pcts(r, ctx)
    _pair_respectively(r, out)
    last = None
    for c in out:  # "assaults fell 4.2%, thefts 7.9% and car thefts 15.3%"
        if c.kind != "pct":
            continue
        if c.direction is None and last is not None and last.direction is not None:
            c.direction, c.pct = last.direction, last.direction * abs(c.numbers[0])
            c.notes = [n for n in c.notes if "no direction" not in n] + [
                "direction carried from the list's verb"
            ]
        last = c
    for c in out:  # "... fell, rapes by 23%", "down nationwide, including thefts (23.2%)"
        if c.kind == "pct" and c.direction is None:
            d = _governing_direction(r, c.pos)
            if d is not None:
                c.direction, c.pct = d, d * abs(c.numbers[0])
                c.notes = [n for n in c.notes if "no direction" not in n] + [
                    "direction carried from the sentence's verb (a list item)"
                ]
    return out


def _governing_direction(r: Reading, i: int) -> int | None:
    """The direction of a list item's percentage that has none of its own, from the verb
    the list hangs on: '..., rapes by 23%, and burglaries by 15%' (an item after a comma or
    'and', its number after 'by') or 'down nationwide, including thefts (23.2%)' (a number
    in brackets after 'including', 'such as' or a colon). Every direction word before it in
    the sentence must point the same way; otherwise None (never guessed)."""
    k = i - 1
    while k >= 0 and r.toks[k].low in ("about", "nearly", "almost", "roughly", "some", "over"):
        k -= 1
    if k < 1:
        return None
    before = [t.low for t in r.toks[:k]]
    if r.toks[k].low == "by":
        listed = any(w in (",", "and") for w in before[-4:])
    elif r.toks[k].low == "(":
        listed = any(w in ("including", "such", ":", "like") for w in before)
    else:
        return None
    signs = {_dir(w) for w in before} - {None}
    return signs.pop() if listed and len(signs) == 1 else None


def _rate_after(r: Reading, i: int) -> bool:
    """'5.9 per 100,000 residents', or 'the homicide rate was 5.9' / 'Rate per 100k 58.9'."""
    after = " ".join(t.low for t in r.toks[i + 1 : i + 9])
    if any(w in after for w in RATE_WORDS):
        return True
    before = [t.low for t in r.toks[max(0, i - 4) : i]]
    nxt = r.toks[i + 1].low if i + 1 < len(r.toks) else ""
    return (
        "rate" in before
        and nxt not in ("%", "percent")
        and not any(w in before for w in ("clearance",))
    )


def _base_claim(r: Reading, i: int, kind: str, ctx: Context, lo: int, hi: int) -> Claim:
    u = r.unit
    c = Claim(kind, u.text, u.start, u.end, _fragment(r, lo, hi + 4), f"{kind}-number")
    c.pos = i
    topic, where, text = _topic(r, i, lo, hi, ctx, count=kind == "count")
    if topic is not None:
        what, val = topic
        if what == "offense":
            c.offense, c.offense_text, c.offense_note = val.key, text, val.note
        else:
            c.measure, c.offense_text = val, text
        c.carried["offense"] = where
    places, where, ptext = _place_for(r, i, ctx)
    c.places, c.place_text, c.carried["place"] = places, ptext, where
    c.place = places[0] if places else None
    c.qualifier = _qualifier(r, i)
    c.value = r.toks[i].num
    c.numbers = [r.toks[i].num or 0.0]
    written = r.toks[i].text.replace(",", "")
    if written.replace(".", "", 1).isdigit() and float(written) != c.value:
        c.numbers.append(float(written))  # "$36 million": the number as written, too
    return c


def _level_pair(r: Reading, i: int) -> bool:
    """'dropped from 25% in 2023 to 7.14% in 2024': both ends of a from-to are percentages,
    so they are levels (a share, a rate), not the change."""
    toks = r.toks

    def pct_at(k: int) -> bool:
        return toks[k].num is not None and k + 1 < len(toks) and toks[k + 1].low in ("%", "percent")

    if i == 0 or toks[i - 1].low not in ("from", "to"):
        return False
    forward = toks[i - 1].low == "from"
    k = i + 2 if forward else i - 2
    while 0 < k < len(toks) - 1 and abs(k - i) <= 10:
        if forward and toks[k].low == "to":
            return pct_at(k + 1)
        if not forward and toks[k - 1].low == "from":
            return pct_at(k)
        if toks[k].num is not None and k not in r.taken:
            return False  # another count between: "from 25% of 40 cases to ..." is not a pair
        k += 1 if forward else -1
    return False


def _pct_claim(r: Reading, i: int, ctx: Context, lo: int, hi: int) -> Claim:
    c = _base_claim(r, i, "pct", ctx, lo, hi)
    d, _at = _direction_near(r, i, hi)
    sign = r.toks[i - 1].text if i > 0 else ""
    if d is None and sign in ("-", "−", "–", "↓", "▼"):
        d = -1  # "−4.5%", "(↓ 80%"
    if d is None and sign in ("+", "↑", "▲"):
        d = 1
    c.direction = d
    c.pct = (d or 1) * (c.value or 0) if d else None
    if d is None:
        c.notes.append("no direction word beside the percentage")
    if _level_pair(r, i):
        c.notes.append("a share between two levels")
    if _projected(r, i):
        c.notes.append("a projection")  # "would have decreased by 24% if ...", "on pace to"
    if _against_average(r, i):
        c.notes.append("against an average")
    c.period, c.carried["period"] = _period_at(r, i, ctx, "pct")
    c.base, c.carried["base"] = _base_at(r, i, c.period, ctx)
    _look_back(r, i, c, ctx)
    c.value = None
    return c


AVERAGE_LEADS = frozenset(("compared", "relative", "than", "below", "above", "versus", "vs", "vs."))


def _against_average(r: Reading, i: int) -> bool:
    """'Compared to the city's five-year average, crimes were down 5%': the base is a mean
    of several years, not the year before (an 'average decrease' of several places is not
    matched: nothing sets the average against)."""
    for k in range(max(0, i - 15), min(len(r.toks), i + 12)):
        if r.toks[k].low in ("average", "averages"):
            lead = {x.low for x in r.toks[max(0, k - 5) : k]}
            if lead & AVERAGE_LEADS:
                return True
    return False


LOOK_BACK = ("over that period", "over that time", "since then", "in that time", "over the period")


def _look_back(r: Reading, i: int, c: Claim, ctx: Context) -> None:
    """'In 2021 we were at 562 homicides, so we've had a 61% reduction over that period of
    time': a change from the earlier year the sentence names to the article's own period."""
    p, main = c.period, ctx.main
    if c.carried.get("base") != "default" or p is None or main is None:
        return
    after = " ".join(t.low for t in r.toks[i : i + 12])
    if p.kind == "year" and p.year <= main.year - 2 and any(w in after for w in LOOK_BACK):
        c.period, c.base = main, main.in_year(p.year)
        c.carried["period"] = c.carried["base"] = "look back"


def _rate_claim(r: Reading, i: int, ctx: Context, lo: int) -> Claim:
    c = _base_claim(r, i, "rate", ctx, lo, i + 1)
    c.period, c.carried["period"] = _period_at(r, i, ctx, "count")
    return c


def _count_claim(r: Reading, i: int, ctx: Context, lo: int) -> Claim:
    c = _base_claim(r, i, "count", ctx, lo, i + 1)
    t = r.toks
    if i > 0 and t[i - 1].text == "$":
        c.measure, c.offense = "enforcement", None
    if i + 1 < len(t) and t[i + 1].low in ("th", "st", "nd", "rd"):
        c.rule = "milestone-ordinal"  # "its 160th homicide on October 11": a count to a date
    if i + 1 < len(t) and t[i + 1].low in ("times", "fold"):
        c.kind = "ratio"
    if _threshold(r, i):
        c.kind, c.rule = "milestone", "milestone-threshold"  # "passed the 300-homicide mark"
    delta = _delta_direction(r, i)
    if delta is not None and c.kind == "count":
        c.kind, c.rule, c.direction = "delta", "delta-by", delta  # "up 21 from the year before"
        c.period, c.carried["period"] = _period_at(r, i, ctx, "delta")
        c.base, c.carried["base"] = _base_at(r, i, c.period, ctx)
        c.base_value, base_year = _parenthetical_base(r, i)
        if base_year is not None and c.period is not None and c.period.year == base_year:
            # "fell by 1,092 (15,340 robberies in 2023)": that year is the base's; the change
            # is to the period the article has set, or to none (never a guessed year)
            cur = ctx.period if ctx.period is not None and ctx.period.year > base_year else None
            c.period, c.carried["period"] = cur, "carried" if cur else "none"
            c.base = cur.in_year(base_year) if cur else None
            c.carried["base"] = "sentence" if cur else "none"
    else:  # a change by N has the period of a change (above), a count that of a count
        period, where = _period_at(r, i, ctx, "count")
        c.period, c.carried["period"] = period, where
    role = _count_role(r, i)
    if role == "base" and ctx.period is not None and c.carried["period"] == "carried":
        c.period, c.carried["period"] = ctx.base or ctx.period.in_year(ctx.period.year - 1), "base"
    if role == "base" and c.period is not None and c.period.kind == "year":
        # "January 2025: 16 homicides, 27% decrease from 22 in 2024": the same month in 2024
        part = [r.periods[k] for k, m in enumerate(r.times) if m.end <= i and k in r.periods]
        if ctx.period is not None and any(t.low == "same" for t in r.toks[:i]):
            part.insert(0, ctx.period)  # "from the same timespan in 2022 when there were"
        part = [p for p in part if p.kind in ("month", "quarter", "ytd") and p.year > c.period.year]
        if part:
            c.period = part[-1].in_year(c.period.year)
    unit = _average_unit(r, i)
    if unit:
        c.kind, c.rule = "average", f"average-per-{unit}"  # "Weekly Average 2025: 4.3 homicides"
        if _years_span_after(r, i) or _before_a_year(r, i):
            c.notes.append("an average over several years")
    counted = _counted_noun(r, i)
    if counted and c.kind in ("count", "delta"):
        c.measure, c.offense = counted, None
    if _projected(r, i):
        c.notes.append("a projection")
    if _part_of_total(r, i):
        c.notes.append("a part of a stated total")
    if _negated(r, i):
        c.notes.append("a negated figure")
    if (
        c.kind in ("count", "delta", "milestone")
        and c.value is not None
        and not c.value.is_integer()
    ):
        c.notes.append("not a whole number")  # "a total score of 45.23", "a 2.19 change"
    before = " ".join(x.low for x in r.toks[max(0, i - 12) : i])
    if any(v in before for v in VAGUE_PERIODS) and c.carried.get("period") != "sentence":
        c.notes.append("a vague period")
    elif any(v in before for v in VAGUE_PERIODS[-4:]):
        c.notes.append("a vague period")  # "a few years back ... we got under 300"
    after = " ".join(x.low for x in r.toks[i + 1 : i + 10])
    if any(v in after for v in MOST_YEARS):
        c.notes.append("a vague period")  # "between three and seven for most of the past 15 years"
    return c


MOST_YEARS = ("for most of the", "in most years", "most years", "in most of the")


SPAN_WORDS = {"consecutive", "straight", "ago"}  # with TIME_UNITS: "three straight years"
SET_NOUNS = {"cities", "states", "counties", "agencies", "departments", "jurisdictions"}
SET_NOUNS |= {"neighborhoods", "neighbourhoods", "districts", "precincts", "countries"}


def _counted_noun(r: Reading, i: int) -> str | None:
    """What a number counts when it is not crimes: 'three or four years ago', 'three
    consecutive years' (a span of time), 'a dozen major U.S. cities' (places), read in the
    few words after it, up to the first offense word or other noun."""
    if any(t.low in ("categories", "types") for t in r.toks[i + 1 : i + 5]):
        return "other"  # "all three major crime categories"
    stop = min((a for a, _, _ in r.offenses if a > i), default=len(r.toks))
    for t in r.toks[i + 1 : min(i + 5, stop)]:
        low = t.low.split("-", 1)[1] if t.low[:3] in ORDINAL_JOINS else t.low  # "10th-straight"
        if low in TIME_UNITS or low in SPAN_WORDS:
            return "time span"
        if low in SET_NOUNS:
            return "city count"
        if t.num is None and low not in COUNT_FILLERS:
            return None
    return None


COUNT_FILLERS = {"or", "to", "and", "-", "–", "major", "u.s.", "big", "large", "american"}
COUNT_FILLERS |= {"of", "the", "full", "more", "other", "crime", "offense", "th", "st", "nd", "rd"}
ORDINAL_JOINS = ("th-", "st-", "nd-", "rd-")


PROJECTION_WORDS = ("on pace for", "on pace to", "on track for", "on track to", "projected")
PROJECTION_WORDS += ("expected to", "could reach", "on course for")
PROJECTION_WORDS += ("would have", "could have", "would've", "might have")  # counterfactual


# a figure someone aims at, not one recorded ("a goal for 2025 is to get the city below 500")
GOAL_WORDS = (
    "goal",
    "goals",
    "target",
    "challenge",
    "aims to",
    "aim to",
    "hopes to",
    "hope to",
    "wants to",
)
GOAL_WORDS += ("want to", "plans to", "pledged to", "vowed to", "aimed at", "aiming to")


def _part_of_total(r: Reading, i: int) -> bool:
    """'33 out of 41 homicides were shootings', 'Sixteen of the 17 homicides', '(Of the 82
    homicides last year, 10 were ruled justifiable, and another 13 ...)': a part."""
    for k in range(2, i):
        opens = k == 2 or r.toks[k - 3].text in ("(", ":", "—")
        total = opens and [t.low for t in r.toks[k - 2 : k]] == ["of", "the"] and r.toks[k].num
        if total and any(t.text == "," for t in r.toks[k + 1 : i]):
            return True
    after = r.toks[i + 1 : i + 4]
    words = [t.low for t in after[:2]]
    if words in (["of", "those"], ["of", "them"], ["of", "these"]):
        return True  # "19 homicides so far this year, eight of those in August"
    return words in (["out", "of"], ["of", "the"]) and len(after) == 3 and after[2].num is not None


AIM_BEFORE = {"toward", "towards", "at", "on"}  # 'an approach toward reducing', 'focused on'
AIM_TO = {"efforts", "effort", "work", "working", "strategies", "ways", "order", "committed"}


def _aimed(r: Reading, i: int) -> bool:
    """'a strategic approach toward reducing crime', 'efforts to reduce violence': the
    direction word names an aim right after the words that set it, not a change."""
    if i < 2:
        return False
    prev, before = r.toks[i - 1].low, r.toks[i - 2].low
    if prev in AIM_BEFORE and r.toks[i].low.endswith("ing"):
        return prev != "at" or before in ("aimed", "aiming", "aim", "aims")
    return prev == "to" and before in AIM_TO


def _projected(r: Reading, i: int) -> bool:
    """'putting the city on pace for 192 this year', 'a goal ... to get the city below 500':
    a projection or an aim, not a recorded count."""
    before = " ".join(t.low for t in r.toks[max(0, i - 6) : i])
    wider = " ".join(t.low for t in r.toks[max(0, i - 12) : i])
    # "The department's big goals in 2025 include ..., keeping homicides fewer than 100"
    listed = any(t.low in ("goals", "aims", "targets") for t in r.toks[:i]) and not any(
        t.text in (":", ";") for t in r.toks[:i]
    )
    clause = r.clause_of[min(i, len(r.toks) - 1)]
    conditional = any(  # "if the final 2023 figures show a decline of at least 10%": a condition
        t.low in ("if", "unless") and r.clause_of[k] == clause
        for k, t in enumerate(r.toks[max(0, i - 15) : i], start=max(0, i - 15))
    )
    return (
        listed
        or conditional
        or any(w in before for w in PROJECTION_WORDS)
        or any(f" {w} " in f" {wider} " for w in GOAL_WORDS)
    )


MILESTONE_VERBS = {
    "passed",
    "passes",
    "surpassed",
    "surpasses",
    "surpassing",
    "topped",
    "tops",
    "top",
    "crossed",
    "crosses",
    "hit",
    "hits",
    "reached",
    "reaches",
    "exceeded",
    "exceeds",
    "eclipsed",
    "broke",
    "breaks",
}


def _threshold(r: Reading, i: int) -> bool:
    """'passed the 300-homicide mark', 'tops 500 shootings', 'surpassing 2021's 90'."""
    t = r.toks
    after = [x.low for x in t[i + 1 : i + 4]]
    if "mark" in after or "milestone" in after or "threshold" in after:
        return True
    before = [x.low for x in t[max(0, i - 3) : i]]
    if before[-2:] == ["the", "top"]:
        return False  # "one of the top three worst in the country": a rank, not a total
    return any(w in MILESTONE_VERBS for w in before[-2:]) and "record" not in before


def _delta_direction(r: Reading, i: int) -> int | None:
    """A change by a number of crimes: 'up 21 from', 'fell by 1,092', 'dropped 7,259 cases',
    'an increase of 21'."""
    t = r.toks
    prev = [x.low for x in t[max(0, i - 3) : i]]
    nxt = t[i + 1].low if i + 1 < len(t) else ""
    if prev[-1:] == ["by"] and len(prev) > 1 and _dir(prev[-2]):
        return _dir(prev[-2])
    if prev[-1:] and prev[-1] in ("up", "down") and nxt in ("from", "over", "compared"):
        return _dir(prev[-1])
    if prev[-1:] == ["of"] and prev[-2:-1] and _change_noun(prev[-2]):
        return _change_noun(prev[-2])  # "an increase of 21", "a reduction of seven incidents"
    if nxt == "fewer":  # "184 fewer robberies were reported last year compared to 2023"
        return -1
    compared = {x.low for x in t[i + 2 : i + 10]} & {"than", "compared", "from"}
    if nxt == "additional" and compared:  # "12 additional homicides in 2024 compared to"
        return 1
    clause = [x.low for x in t[i + 2 : i + 14]]
    clause = clause[: clause.index(",")] if "," in clause else clause
    if nxt == "more" and set(clause) & {"than", "compared", "from"}:  # "49 more killings than"
        return 1  # "two more murders and non-negligent homicides in Arlington in 2024 than"
    if (
        prev[-1:]
        and prev[-1] in STRONG_DIRECTION
        and nxt in ("cases", "incidents", "fewer", "more")
    ):
        return _dir(prev[-1]) or (-1 if prev[-1].startswith("reduc") else None)
    return None


def _change_noun(word: str) -> int | None:
    if word in ("increase", "rise", "jump", "gain"):
        return 1
    if word in ("decrease", "drop", "reduction", "decline", "fall", "dip"):
        return -1
    return None


def _parenthetical_base(r: Reading, i: int) -> tuple[float | None, int | None]:
    """'(15,340 robberies in 2023)' right after a change: the base period's count, and the
    year the parentheses give it (None when they give none)."""
    t = r.toks
    for k in range(i + 1, min(i + 5, len(t))):
        if t[k].text == "(" and k + 1 < len(t) and t[k + 1].num is not None:
            inside = list(itertools.takewhile(lambda x: x.text != ")", t[k + 2 : k + 10]))
            years = [int(x.text) for x in inside if re.fullmatch(r"(19|20)\d\d", x.text)]
            rest = [x for x in t[k + 2 : k + 6] if x.num is not None]
            versus = {x.low for x in t[k + 2 : k + 4]} & {"vs", "versus", "v", "against"}
            if versus and rest:
                return rest[0].num, None  # "(15 vs. 32)": 32
            return t[k + 1].num, years[0] if len(years) == 1 else None
    return None, None


def _count_role(r: Reading, i: int) -> str:
    """'fell from 203 to 187': 203 is the base period's count; 'down from 519' too."""
    prev = [t.low for t in r.toks[max(0, i - 3) : i]]
    if prev[-1:] == ["from"] or prev[-2:] in (["compared", "to"], ["compared", "with"]):
        return "base"
    t = r.toks
    falls_to = (
        i + 2 < len(t)
        and t[i + 1].low == "to"
        and t[i + 2].num is not None
        and i + 2 not in r.taken
        and t[i + 2].num < (t[i].num or 0)
    )
    if falls_to:  # "down nearly 20% ... — 1,292 to 1,043" (a range is written low to high)
        return "base"
    if prev[-1:] in (["versus"], ["vs"], ["v"], ["against"]) or prev[-2:] in (
        ["vs", "."],
        ["v", "."],
    ):
        return "base"  # "(39 deaths versus 51)", "(9,430 v. 9,187)": the base period's count
    return "current"


def _average_unit(r: Reading, i: int) -> str | None:
    """'4.3 homicides per week', 'Weekly Average 2025 ... 4.3', '130 homicides per year'."""
    after = [t.low for t in r.toks[i + 1 : i + 5]]
    before = [t.low for t in r.toks[max(0, i - 6) : i]]
    nxt = [t.low for t in r.toks[i + 1 : i + 7]]
    pairs = {  # "a year" as a rate, not "from a year earlier", "in a year"
        (nxt[k], nxt[k + 1])
        for k in range(min(4, len(nxt) - 1))
        if (k == 0 or nxt[k - 1] not in A_YEAR_BEFORE)
        and (k + 2 >= len(nxt) or nxt[k + 2] not in A_YEAR_AFTER)
    }
    for unit, words in (
        ("week", ("week", "weekly")),
        ("day", ("day", "daily")),
        ("month", ("month", "monthly")),
        ("year", ("year", "annual", "annually")),
    ):
        if "per" in after and words[0] in after:
            return unit
        if "average" in before and words[1] in before:
            return unit
        if any((w, words[0]) in pairs for w in ("a", "each", "every")) or words[-1] in after:
            return unit  # "about a dozen homicides a year", "40 murders annually"
    return None


A_YEAR_BEFORE = {"from", "than", "over", "in", "for", "within", "compared", "to", "of", "since"}
A_YEAR_AFTER = {"earlier", "ago", "before", "later", "prior", "after"}


def _before_a_year(r: Reading, i: int) -> bool:
    """'Prior to 2020, Lubbock averaged ...': the figure is of the years before that one."""
    for m in r.times:
        k = m.start
        if m.kind == "year" and k < i and k > 0:
            prev = " ".join(t.low for t in r.toks[max(0, k - 2) : k])
            if prev.endswith(("prior to", "before", "until", "up to")):
                return True
    return False


def _fragment(r: Reading, a: int, b: int) -> str:
    toks = r.toks[max(a, 0) : min(b, len(r.toks))]
    if not toks:
        return r.unit.text
    return r.unit.text[toks[0].start : toks[-1].end] if r.unit.text else ""


def _word_pcts(r: Reading, ctx: Context) -> list[Claim]:
    """'double-digit' declines (at least 10%), 'half' / 'doubled' as a change."""
    out = []
    for i, t in enumerate(r.toks):
        if t.low in ("double-digit", "double-digits"):
            c = _base_claim(r, i, "pct", ctx, max(0, i - 8), i + 1)
            c.value, c.numbers, c.qualifier = None, [10.0], "over"
            d, _ = _direction_near(r, i, i + 1)
            c.direction, c.pct = d, (d or 1) * 10.0 if d else None
            c.period, c.carried["period"] = _period_at(r, i, ctx, "pct")
            c.base, c.carried["base"] = _base_at(r, i, c.period, ctx)
            c.rule = "pct-double-digit"
            out.append(c)
        elif (
            t.low == "half"
            and i > 0
            and r.toks[i - 1].low in ("roughly", "about", "nearly", "almost", "around", "than")
            and not (i + 2 < len(r.toks) and r.toks[i + 2].low in ("century", "decade", "dozen"))
        ):  # "nearly half a century" is a span
            c = _base_claim(r, i, "pct", ctx, max(0, i - 6), i + 1)
            c.value, c.pct, c.direction, c.numbers = None, -50.0, -1, [50.0]
            c.qualifier = "about"
            c.period, c.carried["period"] = _period_at(r, i, ctx, "pct")
            c.base, c.carried["base"] = _base_at(r, i, c.period, ctx)
            c.rule = "pct-half"
            out.append(c)
        elif (
            t.low in FRACTIONS
            and i > 0
            and r.toks[i - 1].low in ("a", "one")
            and (i > 1 and r.toks[i - 2].low in ("by", "than"))
        ):
            c = _base_claim(r, i, "pct", ctx, max(0, i - 6), i + 1)
            d, _ = _direction_near(r, i - 2, i + 1)
            c.value, c.direction, c.qualifier = None, d, "about"
            c.pct = (d or 1) * FRACTIONS[t.low] if d else None
            c.numbers = [round(FRACTIONS[t.low], 1)]
            c.period, c.carried["period"] = _period_at(r, i, ctx, "pct")
            c.base, c.carried["base"] = _base_at(r, i, c.period, ctx)
            c.rule = "pct-fraction"
            out.append(c)
        elif t.low in ("doubled", "tripled"):
            c = _base_claim(r, i, "pct", ctx, max(0, i - 6), i + 1)
            c.value, c.direction = None, 1
            c.pct = 100.0 if t.low == "doubled" else 200.0
            c.numbers, c.qualifier = [c.pct], "about"
            c.period, c.carried["period"] = _period_at(r, i, ctx, "pct")
            c.base, c.carried["base"] = _base_at(r, i, c.period, ctx)
            c.rule = "pct-doubled"
            out.append(c)
    return out


FRACTIONS = {"third": 100 / 3, "quarter": 25.0, "fifth": 20.0, "half": 50.0}


def _pair_respectively(r: Reading, claims: list[Claim]) -> None:
    """'97 and 113 in the same time periods in 2023 and 2022, respectively'."""
    if not any(t.low == "respectively" for t in r.toks):
        return
    counts = [c for c in claims if c.kind == "count"]
    years = [
        r.periods[k]
        for k, m in enumerate(r.times)
        if k in r.periods and m.kind in ("year", "same") and (m.year is not None)
    ]
    same = [m for m in r.times if m.kind == "same" and m.year]
    if same and r.current is not None:
        years = [r.current.in_year(m.year) for m in same]  # type: ignore[arg-type]
        years += [
            r.current.in_year(m.year)
            for m in r.times
            if m.kind == "year" and m.year and m.start > same[0].start
        ]
    tail = counts[-len(years) :] if years else []
    if years and len(tail) == len(years):
        for c, p in zip(tail, years, strict=True):
            c.period, c.carried["period"] = p, "respectively"
    _places_respectively(claims)


def _places_respectively(claims: list[Claim]) -> None:
    """'New Orleans, Washington, D.C., and Memphis reporting decreases of 38%, 29% and 23%,
    respectively': as many figures of one kind as the places they share, one each, in order."""
    for kind in ("pct", "count", "rate"):
        same = [c for c in claims if c.kind == kind and len(c.places) > 1]
        if not same or any(c.places != same[0].places for c in same):
            continue
        if len(same) == len(same[0].places):
            for c, place in zip(same, same[0].places, strict=True):
                c.places, c.place = [place], place
                c.place_text = place.label


# -- claims without numbers: direction, superlative, rank, comparison --------------------------

STRONG_DIRECTION = {
    "fell",
    "dropped",
    "declined",
    "decreased",
    "plunged",
    "plummeted",
    "sank",
    "tumbled",
    "rose",
    "increased",
    "jumped",
    "spiked",
    "soared",
    "surged",
    "climbed",
    "grew",
    "skyrocketed",
    "decline",
    "declines",
    "drop",
    "drops",
    "decrease",
    "decreases",
    "reduction",
    "reductions",
    "increase",
    "increases",
    "rise",
    "spike",
    "surge",
    "downturn",
    "downward",
    "uptick",
    "trended",
    "trending",
    "reduce",
    "reducing",
    "reduced",
    "fallen",
    "risen",
    "declining",
    "rising",
    "falling",
    "dropping",
    "increasing",
    "decreasing",
    "improvements",
    "improvement",
    "improved",
    "plummeting",
    "soaring",
    "surging",
    "slipped",
}
BE = {"was", "were", "is", "are", "be", "been", "remain", "remained", "stayed", "also"}


def direction_claims(r: Reading, ctx: Context, numbered: list[Claim]) -> list[Claim]:
    """Direction-only claims: a direction word with no number beside it in its clause."""
    out: list[Claim] = []
    anchors = [i for i in _num_anchors(r)]
    used_clauses: set[tuple[int, int]] = set()
    words = [
        i
        for i, t in enumerate(r.toks)
        if t.low in ("double-digit", "double-digits", "half", "doubled", "tripled")
    ]
    for i, t in enumerate(r.toks):
        d = _direction_word(r, i)
        if d is None:
            continue
        if any(_linked(r, i, a) for a in anchors + words):
            continue
        c = _direction_claim(r, i, d, ctx)
        after = " ".join(x.low for x in r.toks[i + 1 : i + 8])
        if any(v in after for v in VAGUE_PERIODS):
            c.notes.append("a vague period")
        future = any(x.low == "will" for x in r.toks[max(0, i - 10) : i]) or (
            i > 0 and r.toks[i - 1].low in MODALS  # "could decrease violent crime"
        )
        if _projected(r, i) or future or _aimed(r, i):  # 'wants to see crime decrease'
            c.notes.append("a projection")
        if t.low in TRANSITIVE and i + 1 < len(r.toks) and _object_noun(r, i + 1):
            continue  # 'Raleigh has increased police salaries': what it raised is not crime
        if i > 0 and r.toks[i - 1].low in ("comparable", "similar"):
            c.notes.append("a comparison with another place")  # 'had comparable drops to'
        before = " ".join(x.low for x in r.toks[max(0, i - 12) : i])
        if any(f" {w} " in f" {before} " or f" {w} " in f" {after} " for w in PARTIAL_WORDS):
            c.notes.append("a claim about some categories")
        than = " ".join(x.low for x in r.toks[i + 1 : i + 7])
        own = {p.label for p in c.places}
        placed = any(  # "... than the rate in Tennessee" (not "than the peak ... Raleigh's")
            i + 1 < m.start <= i + 12 and not own & {p.label for p in m.places} for m in r.places
        )
        if (
            t.low in ("lower", "higher")
            and than.startswith("than")
            and (placed or any(w in than for w in OTHER_PLACES))
        ):  # "that's lower than other similarly sized cities": a comparison
            c.notes.append("a comparison with another place")
        wide = " ".join(x.low for x in r.toks[i + 1 : i + 14])
        if t.low in ("lower", "higher") and wide.startswith("than") and " years" in wide:
            # "equal to or lower than the number in three of the four years that ...":
            # a level set against several other years, not a change from the year before
            c.notes.append("a comparison with several years")
        if any(x.low.startswith("revers") for x in r.toks[max(0, i - 3) : i]):
            continue  # 'reversing an increasing trend': the trend before, not this period's
        back = [x.low for x in r.toks[max(0, i - 4) : i]]
        came_from = any(
            a == "from" and b in ("a", "the", "its") for a, b in itertools.pairwise(back)
        )
        if t.low in DIRECTION_NOUNS and came_from:
            continue  # 'ebbing from a pandemic crime surge': the level it came from
        pointing = i > 1 and r.toks[i - 1].low in ("this", "that", "these", "those")
        if pointing and r.toks[i - 2].low in ACTING_ON:
            continue  # 'efforts to combat this uptick': a trend named before, not a claim
        if t.low in CAUSAL:
            c.notes.append("a causal claim")
            c.rule = "direction-causal"
        if t.low in ("began", "started") or (
            i + 1 < len(r.toks)
            and r.toks[i + 1].low in ("that", "which")
            and any(x.low in ("began", "started") for x in r.toks[i : i + 4])
        ):
            c.notes.append("the start of a trend")
        key = (r.clause_of[i], hash(c.offense_text))
        if key in used_clauses:
            continue
        used_clauses.add(key)
        out.append(c)
        out += _split_measures(c, r, i)
    return out


MODALS = {"could", "would", "may", "might", "should", "can"}

# direction verbs that also take an object ('increased police salaries', 'cut overtime')
TRANSITIVE = {"increased", "raised", "boosted", "expanded", "cut", "lowered", "increasing"}
TRANSITIVE |= {"raising", "boosting", "expanding", "cutting", "lowering"}
OBJECT_STOPS = {"by", "to", "from", "in", "for", "over", "since", "during", "and", "or", "the"}
OBJECT_STOPS |= {"a", "an", "its", "their", "this", "that", "last", "again", "significantly"}
OBJECT_STOPS |= {"more", "less", "at", "on", "than", "each", "every", "year", "so", "as"}


def _object_noun(r: Reading, k: int) -> bool:
    """Token k starts a plain noun phrase that names no offense or measure (an object)."""
    t = r.toks[k]
    named = any(a == k for a, _, _ in r.offenses) or any(a == k for a, _, _ in r.measures)
    return t.low.isalpha() and not t.low.endswith("ly") and t.low not in OBJECT_STOPS and not named


# verbs acting on a trend already named ('to combat this uptick', 'reverse that decline')
ACTING_ON = {"combat", "reverse", "stem", "curb", "address", "fight", "halt", "counter"}
ACTING_ON |= {"tackle", "explain", "sustain", "continue", "maintain"}

VAGUE_PERIODS = (
    "last few years",
    "past few years",
    "recent years",
    "in years past",
    "over the years",
    "for years",
    "a few years back",
    "a few years ago",
    "years back",
    "back then",
    "early years of",  # 'spiked during the early years of the COVID-19 pandemic'
    "during the pandemic",
    "after the pandemic",
    "since the pandemic",
    "of the pandemic",
    "in late 20",  # 'in late 2023', 'in early 2024': some months, not a window
    "in early 20",
)
# a claim about part of the offenses ('In some aspects, crime has risen') is not the total's
PARTIAL_WORDS = ("in some aspects", "in some ways", "in some categories", "in some areas")
PARTIAL_WORDS += ("other categories", "several categories", "some categories", "certain")
PARTIAL_WORDS += ("categories that", "most categories", "many categories")
PARTIAL_WORDS += ("almost every category", "nearly every category", "almost all categories")
PARTIAL_WORDS += ("nearly all categories", "in other areas", "other areas")
REFUSED = {"comment", "say", "provide", "answer", "discuss", "release", "speak", "elaborate"}
REFUSED |= {"respond", "share", "confirm", "disclose", "specify", "identify", "give", "offer"}
OTHER_PLACES = ("other cities", "similarly sized", "peer cities", "other similar", "the national")
CAUSAL = {"fueled", "fuelled", "drove", "driven", "caused", "helped", "help", "helps"}
LINK_WORDS = {
    "by",
    "a",
    "an",
    "more",
    "than",
    "nearly",
    "almost",
    "about",
    "roughly",
    "some",
    "over",
    "at",
    "least",
    "to",
    "just",
    "around",
    "approximately",
    "less",
    "only",
    "%",
    "percent",
    "per",
    "cent",
    "staggering",
    "whopping",
    "another",
    "of",
}


def _linked(r: Reading, i: int, a: int) -> bool:
    """A direction word and a number are one claim ('fell 31%', 'dropped by more than 30%',
    'a 29% decrease', 'down 14%') when only small words stand between them."""
    if r.clause_of[a] != r.clause_of[i]:
        return False
    if i < a <= i + 6:
        return all(r.toks[k].low in LINK_WORDS for k in range(i + 1, a))
    if a < i <= a + 4:
        return all(
            r.toks[k].low in LINK_WORDS
            or r.toks[k].text in ("-", "+")
            or (r.toks[k].low.isalpha() and r.toks[k].low not in DIRECTION_VERBS)
            for k in range(a + 1, i)
        )
    return False


# nouns that make '<offense> (reduction) plan' the name of a programme or a unit
PROGRAM_WORDS = {"plan", "strategy", "initiative", "program", "programme", "unit", "squad"}
PROGRAM_WORDS |= {"task", "team", "bureau", "division", "commission", "summit", "office"}
PROGRAM_WORDS |= {"efforts", "effort", "partners", "partnership", "partnerships", "grant"}
PROGRAM_WORDS |= {"grants", "funding", "model", "framework", "council", "coalition", "network"}
PROGRAM_WORDS |= {"center", "centre", "approach", "tactics", "policies", "policy", "work"}
PROGRAM_VERBS = {"reduction", "prevention", "intervention", "suppression", "response"}


def _program_name(toks: list, j: int) -> bool:
    """'Violent Crime Reduction Plan', 'homicide unit', 'robbery task force' after an
    offense ending at j: a name, not the offense's figure."""
    k = j + 1 if j < len(toks) and toks[j].low in PROGRAM_VERBS else j
    return k < len(toks) and toks[k].low in PROGRAM_WORDS


def _direction_word(r: Reading, i: int) -> int | None:
    t = r.toks[i]
    if t.low in PROGRAM_VERBS and _program_name(r.toks, i):
        return None  # the 'Reduction' of 'Violent Crime Reduction Plan'
    if t.low in CAUSAL:
        nxt2 = " ".join(x.low for x in r.toks[i + 1 : i + 3])
        if t.low in ("helped", "help", "helps"):
            return -1 if nxt2.startswith(("to reduce", "reduce", "cut", "lower")) else None
        return 1
    prev = r.toks[i - 1].low if i else ""
    nxt = r.toks[i + 1].low if i + 1 < len(r.toks) else ""
    nxt2 = r.toks[i + 2].low if i + 2 < len(r.toks) else ""
    if t.low.startswith("declin") and nxt == "to" and nxt2 in REFUSED:
        return None  # "CPD declined to comment": refused, not fell
    if t.low in STRONG_DIRECTION:
        if t.low in ("trended", "trending"):
            return _dir(nxt)
        if t.low in ("reduce", "reducing", "reduced") and prev in ("to", "helped"):
            return None  # "helped to reduce": read once, as a causal claim
        return _dir(t.low) or (-1 if t.low.startswith("reduc") else None)
    if t.low in ("down", "up") and (
        prev in BE or (r.offenses and any(b == i for _, b, _ in r.offenses))
    ):
        return _dir(t.low)
    if t.low in ("higher", "lower") and nxt == "than":
        return _dir(t.low)
    return None


def _direction_claim(r: Reading, i: int, d: int, ctx: Context) -> Claim:
    u = r.unit
    c = Claim("direction", u.text, u.start, u.end, _fragment(r, i - 5, i + 5), "direction-word")
    c.direction, c.pos = d, i
    offs = _offense_chain(r, i)
    measures = [(a, b, ("measure", m)) for a, b, m in r.measures]
    governed = offs and _governing_measure(measures, r, (offs[0][0], offs[0][1], ("offense",)))
    if r.toks[i].low.endswith("ing"):  # 'increasing enforcement': the word's own object
        governed = next((x for x in measures if x[0] == i + 1), governed)
    if offs and offs[0][0] > i:  # 'a surge in NYPD patrol of platforms to combat crime'
        near = _mention_near(measures, r, i, i, i + 1, right=True)
        if near is not None and i < near[0] < offs[0][0]:
            governed = near
    if governed and governed[2][0] == "measure":  # 'juveniles arrested for homicide dropped'
        c.measure, c.carried["offense"] = governed[2][1], "sentence"
        c.offense_text = " ".join(t.text for t in r.toks[governed[0] : governed[1]])
    elif offs:
        c.offense, c.offense_text, c.offense_note = offs[0][2].key, offs[0][3], offs[0][2].note
        c.offenses = [o[2].key for o in offs]
        c.carried["offense"] = "sentence"
    else:
        topic, where, text = _topic(r, i, i, i + 1, ctx)
        if topic is not None:
            what, val = topic
            if what == "offense":
                c.offense, c.offense_text, c.offense_note = val.key, text, val.note
                c.offenses = [val.key]
            else:
                c.measure, c.offense_text = val, text
            c.carried["offense"] = where or ""
    places, where, ptext = _place_for(r, i, ctx)
    c.places, c.place_text, c.carried["place"] = places, ptext, where
    c.place = places[0] if places else None
    c.period, c.carried["period"] = _period_at(r, i, ctx, "direction")
    if _since_end(r, i) and ctx.main is not None:
        c.period, c.carried["period"] = ctx.main, "carried"  # "... down since": until now
    c.base, c.carried["base"] = _base_at(r, i, c.period, ctx)
    _than_period(r, i, c, ctx)
    if i + 2 < len(r.toks) and r.toks[i + 1].low == "from" and _level_pair(r, i + 2):
        c.notes.append("a share between two levels")  # "dropped from 25% in 2023 to 7%"
    if _negated(r, i):
        c.notes.append("a negated figure")  # "have not declined", "aren't seeing a decrease"
    if _describes_a_noun(r, i):
        c.notes.append("a participle before a noun")
    after = [k for k in (i + 1, i + 2) if k + 1 < len(r.toks) and r.toks[k].low in ("from", "to")]
    if any(r.toks[k + 1].num is not None and _part_of_total(r, k + 1) for k in after):
        c.notes.append("a part of a stated total")  # "a decrease from 25 out of 27 in 2023"
    return c


PARTICIPLE_NEXT_OK = {"by", "to", "from", "in", "at", "for", "over", "than", "and", "or", "the"}
PARTICIPLE_NEXT_OK |= {"up", "down", "higher", "lower", "back", "off", "out", "steady"}
PARTICIPLE_NEXT_OK |= {"while", "as", "since", "after", "during", "this", "last", "again"}
PARTICIPLE_NEXT_OK |= {"each", "every", "overall", "further", "more", "less", "about", "almost"}
PARTICIPLE_NEXT_OK |= {"nearly", "roughly", "around", "across", "throughout", "citywide", "but"}
PARTICIPLE_NEXT_OK |= {"compared", "when", "because", "despite", "yet", "so", "there", "too"}
PARTICIPLE_NEXT_OK |= {"also", "even", "much", "considerably", "somewhat", "year", "between"}
PARTICIPLE_NEXT_OK |= {"within", "among", "under", "through", "until", "with", "on", "that"}


def _describes_a_noun(r: Reading, i: int) -> bool:
    """'highlighted improved communication', 'increased patrols': the participle describes
    the noun after it, which is not a crime ('reduced crime' is)."""
    w = r.toks[i].low
    k = i + 1
    if not w.endswith("ed") or k >= len(r.toks) or k in r.taken:
        return False
    t = r.toks[k]
    if not (t.text.isalpha() and t.text.islower()) or t.low.endswith("ly"):
        return False
    if t.low in PARTICIPLE_NEXT_OK or t.low in RIGHT_GAP:
        return False
    return not any(a == k for a, _, _ in r.offenses)  # "increased staffing": not crime


def _than_period(r: Reading, i: int, c: Claim, ctx: Context) -> None:
    """'The tally was lower than the homicide spike in 2022': the year after 'than' is what
    the claim is compared with, not its period; that is the one the article has set (and
    carried, so never refuted), or none."""
    if i + 1 >= len(r.toks) or r.toks[i + 1].low != "than" or c.carried["period"] != "sentence":
        return
    cl = r.clause_of[i]
    in_clause = [
        (k, m) for k, m in enumerate(r.times) if r.clause_of[min(m.start, len(r.toks) - 1)] == cl
    ]
    if c.period is None or any(m.start < i for _, m in in_clause):
        return
    after = [r.periods.get(k) for k, m in in_clause if m.start > i]
    if not any(p is not None and p.window == c.period.window for p in after):
        return  # the period came from elsewhere ('down last year, although still higher than')
    ref = c.period
    cur = ctx.period if ctx.period is not None and ctx.period.window != ref.window else None
    if cur is not None and ref.kind == "year" and cur.kind != "year":
        ref = cur.in_year(ref.year)  # like for like: the first half of 2024 vs that of 2022
    c.period, c.carried["period"] = cur, "carried" if cur else "none"
    c.base, c.carried["base"] = (ref, "sentence") if cur else (None, "none")


def _offense_chain(r: Reading, i: int) -> list[tuple[int, int, Offense, str]]:
    """Offenses listed together before (or after) a direction word in its clause:
    'Sexual assault, robbery, aggravated assault ... were also down'."""
    clause = r.clause_of[i]
    left = [(a, b, o) for a, b, o in r.offenses if b <= i and r.clause_of[a] == clause]
    right = [(a, b, o) for a, b, o in r.offenses if a > i and r.clause_of[a] == clause]
    pick = left[-1:] or right[:1]
    if not pick:
        return []
    list(pick)
    allm = sorted(
        [(a, b, ("o", o)) for a, b, o in r.offenses] + [(a, b, ("m", m)) for a, b, m in r.measures]
    )
    k = next(n for n, x in enumerate(allm) if x[0] == pick[0][0])
    lo, hi = k, k
    while (
        lo > 0
        and _list_gap(r, allm[lo - 1][1], allm[lo][0])
        and not _aim_object(r, allm[lo - 1][0])
    ):
        lo -= 1  # not 'Despite efforts to reduce crime, homicides rose': 'crime' is an aim's
    while hi + 1 < len(allm) and _list_gap(r, allm[hi][1], allm[hi + 1][0]):
        hi += 1
    out = []
    for a, b, (what, v) in allm[lo : hi + 1]:
        if what == "o":
            out.append((a, b, v, " ".join(t.text for t in r.toks[a:b])))
    return out


AIM_VERBS = {"reduce", "reducing", "curb", "curbing", "combat", "combating", "combatting"}
AIM_VERBS |= {"fight", "fighting", "prevent", "preventing", "tackle", "tackling", "address"}


def _aim_object(r: Reading, a: int) -> bool:
    """The offense at a is what someone works against ('efforts to reduce crime')."""
    return a > 0 and r.toks[a - 1].low in AIM_VERBS


def _list_gap(r: Reading, a: int, b: int) -> bool:
    words = [t.low for t in r.toks[a:b]]
    return 0 < len(words) <= 2 and all(w in (",", "and", "or", "both", "&") for w in words)


def _split_measures(c: Claim, r: Reading, i: int) -> list[Claim]:
    """Measures listed with the offenses ('... and human trafficking', 'traffic collisions')
    become their own not-checkable claims."""
    out = []
    clause = r.clause_of[i]
    for a, b, m in r.measures:
        if r.clause_of[a] != clause or c.measure:
            continue
        near = any(_list_gap(r, ob, a) or _list_gap(r, b, oa) for oa, ob, _ in r.offenses)
        if near:
            x = replace(
                c,
                measure=m,
                offense=None,
                offenses=[],
                rule="direction-listed-measure",
                offense_text=" ".join(t.text for t in r.toks[a:b]),
                carried=dict(c.carried),
            )
            out.append(x)
    return out


def superlative_claims(r: Reading, ctx: Context) -> list[Claim]:
    """'lowest in 60 years', 'a 15-year high', 'record', 'deadliest year in a quarter
    century', 'the most murders of any city' (a rank across places)."""
    out = []
    spans = [(k, m) for k, m in enumerate(r.times) if m.kind == "span"]
    for i, t in enumerate(r.toks):
        ext = SUPERLATIVE_WORDS.get(t.low) or SUPERLATIVE_WORDS.get(t.low.split("-")[-1])
        if (
            ext
            and "-" in t.low
            and t.low.split("-")[0] not in ORDINALS
            and not t.low.startswith(("record", "all-"))
        ):
            ext = None
        span_m = next(
            (
                m
                for _, m in spans
                if i < m.start <= i + 9 and r.clause_of[m.start] == r.clause_of[i]
            ),
            None,
        )
        if ext is None:
            if t.low in ("high", "low", "highs", "lows") and i > 0:
                span_m = next((m for _, m in spans if m.end == i), None)
                if span_m is None:
                    continue
                ext = "max" if t.low.startswith("high") else "min"
            else:
                continue
        if t.low == "record" and i + 1 < len(r.toks) and r.toks[i + 1].low in ("low", "lows"):
            ext = "min"  # "the previous record low set in 2018"
        c = _superlative(r, i, ext, span_m, ctx)
        if c is not None:
            out.append(c)
    return out


# long: one superlative's reading (rank, measure, set of places, window) in the order a reader
# meets them; split it when the next rule lands
def _superlative(r: Reading, i: int, ext: str, span_m: TimeMention | None, ctx: Context):
    t = r.toks[i]
    after = " ".join(x.low for x in r.toks[i + 1 : i + 12])
    rank_words = (
        "in the u.s.",
        "in the country",
        "in the nation",
        "of any",
        "among",
        "nationwide",
        "in america",
    )
    if t.low == "record" and i > 0 and r.toks[i - 1].low == "on":
        return None  # "the fewest ... of any year on record": the span of the word before
    after_ranked = re.sub(r"\bof any (?:year|month|period|time|quarter|week)\b", "", after)
    is_record = t.low.startswith("record") or t.low == "all-time"
    word = t.low.split("-")[-1] if t.low.split("-")[0] in ORDINALS else t.low
    vague = span_m is None and not any(w in after_ranked for w in rank_words)
    change = t.low in ("largest", "greatest", "biggest") and _direction_in(after)
    if word in ("most", "least", "largest", "biggest", "greatest", "smallest", "worst") and (
        vague and not change
    ):
        return None
    if word in ("least", "most") and i > 0 and r.toks[i - 1].low == "at":
        return None  # "in at least four decades", "at most": a bound, not an extremum
    before = " ".join(x.low for x in r.toks[max(0, i - 5) : i])
    if any(w in before for w in ("comparison to the", "compared to the", "compared with the")):
        return None  # "high in comparison to the lowest number in fifty years": a reference
    if t.low == "record" and i + 1 < len(r.toks) and r.toks[i + 1].low in ("numbers",):
        return None
    u = r.unit
    c = Claim("superlative", u.text, u.start, u.end, _fragment(r, i - 3, i + 8), "superlative")
    c.extremum, c.pos = ext, i
    c.rank = _ordinal_before(r, i) if _ordinal_before(r, i) > 1 else None
    top = i >= 2 and r.toks[i - 2].low == "top" and r.toks[i - 1].num is not None
    if span_m is not None:
        c.span, c.since = span_m.span, span_m.since
    elif (
        is_record
        or "ever" in after.split()[:6]
        or "history" in after
        or "on record" in after
        or (after.split()[:1] == ["year"])
    ):
        c.span = 999  # "record", "ever recorded", "in the city's history", "our highest year"
    if word in (
        "lowest",
        "fewest",
        "highest",
        "most",
        "deadliest",
        "record",
        "largest",
        "greatest",
        "biggest",
        "worst",
    ) and any(w in after_ranked for w in rank_words):
        c.kind, c.rule, c.rank = "rank", "rank-places", _ordinal_before(r, i)
        c.value = float(c.rank)
    elif word in ("largest", "greatest", "biggest") and _direction_in(after):
        c.kind, c.rule, c.rank = "rank", "rank-change", _ordinal_before(r, i)
        c.direction = -1 if any(w in after.split()[:3] for w in DOWN) else 1
    topic, where, text = _topic(r, i, i, i + 1, ctx)
    if topic is not None:
        what, val = topic
        if what == "offense":
            c.offense, c.offense_text, c.offense_note = val.key, text, val.note
        else:
            c.measure, c.offense_text = val, text
        c.carried["offense"] = where or ""
    if t.low == "deadliest" and (topic is None or c.carried.get("offense") == "carried"):
        c.offense, c.offense_text, c.measure = "murder", "deadliest", None
    places, where, ptext = _place_for(r, i, ctx)
    c.places, c.place_text, c.carried["place"] = places, ptext, where
    c.place = places[0] if places else None
    c.period, c.carried["period"] = _period_at(r, i, ctx, "superlative")
    own = _appositive_period(r, i) or _when_period(r, i)
    if own is not None:
        c.period = own  # "down from 171 in 2022 — the highest since 1996": 2022's
    _superlative_notes(c, r, i, after)
    if _negated(r, i):
        c.notes.append("a negated figure")  # "but it wasn't the highest ever"
    if top:  # "one of the top three worst in the country": within a few, not one rank
        c.rank = int(r.toks[i - 1].num or 0)
        c.notes.append("among the top few")
    return c


SUPERLATIVE_PROJECTIONS = ("on track", "poised", "on pace", "projected", "set to")
SUPERLATIVE_PROJECTIONS += ("expected to", "will be", "could be", "on course")


def _superlative_notes(c: Claim, r: Reading, i: int, after: str) -> None:
    """A superlative of a rate ('the highest murder rate'), of a projection ('on track
    for the fewest'), a ranking by a study's score ('the fifth largest homicide issue')."""
    if c.rule == "rank-places" and {x.low for x in r.toks} & SCORE_WORDS:
        c.notes.append("a ranking by a study's own score")
    if (
        "rate" in after.split()[:3]
        or "per capita" in after
        or (i > 0 and "rate" in r.toks[i - 1].low)
    ):
        c.notes.append("a rate superlative")
        c.rule += "-rate"
    before = " ".join(x.low for x in r.toks[max(0, i - 8) : i])
    if any(w in before for w in SUPERLATIVE_PROJECTIONS):
        c.notes.append("a projection")


SET_ADJECTIVES = {"biggest", "largest", "major", "big", "other", "many", "several", "most"}
SCORE_WORDS = {"score", "scores", "issue", "issues", "problem", "problems"}
APPOSITIVE_GAP = {"the", "—", "–", "-", ",", "a", "its", "which", "was", "is", "marking"}


def _when_period(r: Reading, i: int) -> Period | None:
    """'down from 152 in 2024 when the city's homicide tally broke a record': the year the
    'when' clause that holds the superlative hangs from."""
    for n, m in enumerate(r.times):
        w = m.end
        when = m.kind == "year" and n in r.periods and w < i and r.toks[w].low == "when"
        if when and not any(r.toks[k].low in (";", "but", "while") for k in range(w, i)):
            return r.periods[n]
    return None


def _appositive_period(r: Reading, i: int) -> Period | None:
    """A superlative set off right after a year ('171 in 2022 — the highest number since
    1996', '..., the fewest since 1965') describes that year's figure."""
    k = i - 1
    while k >= 0 and r.toks[k].low in APPOSITIVE_GAP:
        k -= 1
    if k == i - 1 or not any(r.toks[x].low in ("—", "–", ",") for x in range(k + 1, i)):
        return None
    for n, m in enumerate(r.times):
        if m.end == k + 1 and n in r.periods and m.kind == "year":
            return r.periods[n]
    return None


def _direction_in(text: str) -> bool:
    return any(
        w in text.split()[:3]
        for w in ("decrease", "decline", "drop", "increase", "reduction", "margin", "rise")
    )


ORDINALS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "2nd": 2, "3rd": 3}


def _ordinal_before(r: Reading, i: int) -> int:
    ords = ORDINALS
    for k in (i - 1, i - 2):
        if k >= 0:
            w = r.toks[k].low.split("-")[0]
            if w in ords:
                return ords[w]
    t = r.toks[i].low
    return ords.get(t.split("-")[0], 1)


def compare_claims(r: Reading, ctx: Context) -> list[Claim]:
    """'more murders than New York', 'greater than nationwide', 'comparable drops'."""
    out = []
    for i, t in enumerate(r.toks):
        nxt = " ".join(x.low for x in r.toks[i + 1 : i + 8])
        if (
            t.low
            in ("more", "fewer", "greater", "sharper", "steeper", "bigger", "larger", "smaller")
            and " than" in " " + nxt
        ):
            kind = "count" if t.low in ("more", "fewer") else "change"
        elif t.low in ("comparable", "similar") and any(
            w in nxt.split()[:2] for w in ("drops", "declines", "decreases", "increases")
        ):
            kind = "vague"
        else:
            continue
        if any(a for a in _num_anchors(r) if abs(a - i) <= 3):
            continue  # "9% fewer robberies" is a percent claim
        u = r.unit
        c = Claim("compare", u.text, u.start, u.end, _fragment(r, i - 4, i + 9), f"compare-{kind}")
        c.direction = -1 if t.low in ("fewer", "smaller") else 1
        topic, where, text = _topic(r, i, i, i + 1, ctx)
        if topic is not None and topic[0] == "offense":
            c.offense, c.offense_text, c.offense_note = topic[1].key, text, topic[1].note
            c.carried["offense"] = where or ""
        elif topic is not None:
            c.measure, c.offense_text = topic[1], text
        places, where, ptext = _place_for(r, i, ctx)
        c.place, c.place_text, c.carried["place"] = (places[0] if places else None), ptext, where
        than = [m for m in r.places if m.start > i]
        c.places = [_as_place(m, ctx) for m in than]
        if (kind == "change" and "nationwide" in nxt) or "nationally" in nxt:
            c.places = [
                _as_place(Mention(0, 0, "nationwide", [Place("national", "national")]), ctx)
            ]
        c.period, c.carried["period"] = _period_at(r, i, ctx, "direction")
    if _since_end(r, i) and ctx.main is not None:
        c.period, c.carried["period"] = ctx.main, "carried"  # "... down since": until now
        c.base, c.carried["base"] = _base_at(r, i, c.period, ctx)
        if kind == "vague":
            c.notes.append("a comparison with no threshold")
        out.append(c)
    return out


# -- tables -----------------------------------------------------------------------------------


CELL_NOTE = re.compile(r"\s*\([^)]{0,40}\)\s*$")


def _cell_number(cell: str) -> tuple[float | None, bool]:
    """(value, is a percent) of a cell that is a number, perhaps with a note in brackets
    ('1,077', '-47%', '+1.1%', '289 (as of 12/22/22)')."""
    s = cell.strip().replace("−", "-").replace("–", "-")
    s = CELL_NOTE.sub("", s).rstrip("*").strip()
    pct = s.endswith("%")
    body = s.rstrip("%").strip()
    try:
        return float(body.replace(",", "").replace("+", "")), pct
    except ValueError:
        return None, False


COLUMN_ROLES = (
    ("rank", re.compile(r"^\s*(rank|ranking|#|no\.?)\s*$", re.I)),
    ("place", re.compile(r"\b(city|cities|agency|place|department|jurisdiction)\b", re.I)),
    ("pop", re.compile(r"\bpopulation\b", re.I)),
    ("date", re.compile(r"\b(as of|date|through)\b", re.I)),
    ("rate", re.compile(r"\b(rate|per capita|per 100)", re.I)),
    ("pct", re.compile(r"%|percent|change", re.I)),
)


def _roles(header: list[str] | None) -> dict[int, str]:
    out = {}
    for k, h in enumerate(header or []):
        for role, pat in COLUMN_ROLES:
            if pat.search(h):
                out[k] = role
                break
    return out


def row_claims(u: Unit, g: Gazetteer, ctx: Context) -> list[Claim]:
    """A table row: every cell on its own (each year's count, the % column, rates)."""
    cells = u.cells or []
    header = u.table.header if u.table else None
    roles = _roles(header)
    typed = roles and any(r in ("rank", "place", "rate") for r in roles.values())
    if typed and not _header_years(header or []):  # year columns: the grid reads them
        return _typed_row(u, g, ctx, roles)
    numeric = [(k, *_cell_number(c)) for k, c in enumerate(cells) if k > 0]
    counts = [(k, v) for k, v, p in numeric if v is not None and not p]
    pcts = [(k, v) for k, v, p in numeric if v is not None and p]
    years = _header_years(header) if header else {}
    label = cells[0] if cells else ""
    label_year = _year_label(label)
    if counts and (years or len(counts) >= 2 or label_year or _month_label(label)):
        return _grid_row(u, g, ctx, counts, pcts, years, header)
    text = "; ".join(c for c in cells if c.strip())
    if header:
        text = "; ".join(
            f"{h} {c}" if h and _cell_number(c)[0] is not None else c
            for h, c in zip(header, cells, strict=False)
        )
    fake = replace(u, text=text)
    r = read(fake, g, ctx)
    found = sentence_claims(r, ctx)
    for c in found:
        c.text, c.start, c.end, c.rule = u.text, u.start, u.end, "row-" + c.rule
    return found


def _typed_row(u: Unit, g: Gazetteer, ctx: Context, roles: dict[int, str]) -> list[Claim]:
    """A row of a table whose header names its columns (rank, city, counts, rate, %): the
    place from its column, each count and rate cell a claim for the header's year or the
    article's; ranks, populations and dates are not claims."""
    cells = u.cells or []
    header = u.table.header if u.table and u.table.header else []
    place_col = next((k for k, r in roles.items() if r == "place"), None)
    if place_col is None:  # the first cell that names a place
        place_col = next((k for k, c in enumerate(cells) if find_places(g, tokens(c))), 0)
    ptoks = tokens(cells[place_col]) if place_col < len(cells) else []
    mentions = find_places(g, ptoks)
    place = _as_place(mentions[0], ctx) if mentions else None
    out: list[Claim] = []
    for k, cell in enumerate(cells):
        role = roles.get(k, "count")
        value, is_pct = _cell_number(cell)
        if k == place_col or value is None or role in ("rank", "pop", "date", "place"):
            continue
        head = header[k] if k < len(header) else ""
        year = _year_label(head)
        period = Period("year", year) if year else ctx.period
        offs = offense_index().scan(tokens(head)) or [(0, 0, ctx.offense)]
        kind = "pct" if is_pct or role == "pct" else ("rate" if role == "rate" else "count")
        c = Claim(kind, u.text, u.start, u.end, cell, "table-typed-cell")
        c.value, c.numbers, c.period, c.table = value, [value], period, id(u.table)
        if kind == "pct":
            c.pct, c.value, c.direction = value, None, -1 if value < 0 else 1
            c.base = period.in_year(period.year - 1) if period else None
        if period is None:
            c.notes.append("the column's year is not known")
        _row_topic(c, offs[0][2], place, mentions, cells[place_col])
        if place is None:
            c.notes.append("the row names no place the store knows")
            c.place = Place("unknown", cells[place_col])
            c.places = [c.place]
        c.carried.update(period="column" if year else "context")
        out.append(c)
    return out


def _header_years(header: list[str]) -> dict[int, int]:
    out = {}
    for k, h in enumerate(header):
        y = _year_label(h)
        if y:
            out[k] = y
    return out


def _year_label(text: str) -> int | None:
    import re

    m = re.search(r"\b(19[5-9]\d|20[0-3]\d)\b", text)
    return int(m.group(1)) if m else None


def _month_label(text: str) -> int | None:
    w = text.strip().lower().rstrip(".")
    return MONTH_NAMES.get(w) if w in MONTH_NAMES else None


# long: a table row's cells read left to right (label, year columns, change column)
def _grid_row(u, g, ctx, counts, pcts, years, header) -> list[Claim]:
    """Counts in year columns (from the header, or the article's two years), a % column."""
    cells = u.cells or []
    label = cells[0]
    lt = tokens(label)
    mentions = find_places(g, lt)
    place = (
        _as_place(mentions[0], ctx)
        if mentions
        else (ctx.place or ctx.fallback_place or ctx.url_place)
    )
    head_off = offense_index().scan(tokens(" ".join(header or [])))
    row_off = offense_index().scan(lt)
    offense = (row_off or head_off or [(0, 0, ctx.offense)])[0][2]
    month, label_year = _month_label(label), _year_label(label)
    row_measure = None if mentions else _row_measure(lt, row_off, month, label_year)
    if row_measure:
        offense = None  # 'Persons Shot', 'Theft From Motor Vehicle': not the article's offense
    shape = ctx.period
    col_years = dict(years)
    if not col_years and label_year is None and len(counts) > 2:
        span = ctx.year_span  # "2020-2024" said before the table: one column per year
        if span and len(span) == len(counts):
            col_years = {k: y for (k, _), y in zip(counts, span, strict=True)}
    elif not col_years and label_year is None and len(counts) == 2 and ctx.period:
        base_year = (ctx.base or ctx.period.in_year(ctx.period.year - 1)).year
        order = [base_year, ctx.period.year]
        if pcts and len(counts) == 2:
            (_, a), (_, b) = counts[:2]
            p = pcts[0][1]
            if a and b and abs(100 * (a - b) / b - p) < abs(100 * (b - a) / a - p):
                order = order[::-1]
        col_years = {k: order[n] for n, (k, _) in enumerate(counts[:2])}
    out: list[Claim] = []
    row_period: dict[int, Period] = {}
    decimals = all("." in (cells[k] or "") for k, _ in counts) and all(v < 500 for _, v in counts)

    def periodless(k: int, v: float, rule: str, note: str) -> None:
        c = Claim("count", u.text, u.start, u.end, cells[k], rule)
        c.value, c.numbers, c.table = v, [v], id(u.table)
        _row_topic(c, offense, place, mentions, label, row_measure)
        c.notes.append(note)
        out.append(c)

    by_column = {} if years else _column_topics(header, counts)
    if not by_column and not years and label_year and len(counts) >= 2:
        offense, row_measure = None, "unnamed"  # '2023 | 617 | 8,000' under unnamed columns
    for k, v in counts:
        year = col_years.get(k) or label_year
        if year is None:
            periodless(k, v, "table-cell-unlabelled", "the column's year is not known")
            continue
        if by_column:  # "Year | Murder | Robbery" over "2023 | 617 | 8,000": the column's
            offense, row_measure = by_column[k][0], by_column[k][1] or None
        period = _row_period(label, year, month, shape, ctx)
        starred = header is not None and k < len(header) and header[k].strip().endswith("*")
        if starred:  # "2022*" over "*January 1 - June 30": the column is that part of 2022
            end = _footnote_end(u.table.footnote if u.table else None, year)
            if end is None:
                note = "the column's period is qualified by a footnote"
                periodless(k, v, "table-cell-footnoted", note)
                continue
            period = ytd(year, end, True, text=f"{header[k].strip()} ({u.table.footnote})")
        row_period[k] = period
        c = Claim("count", u.text, u.start, u.end, cells[k], "table-cell")
        c.value, c.numbers, c.period, c.table = v, [v], period, id(u.table)
        _row_topic(c, offense, place, mentions, label, row_measure)
        c.carried.update(period="column" if years else "context")
        head = (header[k] if header and k < len(header) else "").lower()
        if any(w in head for w in ("projected", "projection", "forecast", "estimated")):
            c.notes.append("a projection")  # "2024 Crime (Projected Data)"
        if _rate_header(header, k) or decimals:
            c.kind = "rate"  # "64.9": a rate per 100,000, not a count
        out.append(c)
    if pcts and len({p.year for p in row_period.values()}) >= 2:
        ks = sorted(row_period, key=lambda k: row_period[k].year)
        c = Claim("pct", u.text, u.start, u.end, cells[pcts[0][0]], "table-pct")
        c.pct, c.numbers, c.table = pcts[0][1], [abs(pcts[0][1])], id(u.table)
        c.carried["period"] = "column" if years else "context"
        c.direction = -1 if c.pct < 0 else 1
        c.period, c.base = row_period[ks[-1]], row_period[ks[0]]
        c.value = next(v for k, v in counts if k == ks[-1])
        c.base_value = next(v for k, v in counts if k == ks[0])
        _row_topic(c, offense, place, mentions, label, row_measure)
        out.append(c)
    return out


def _column_topics(header: list[str] | None, counts) -> dict[int, tuple[Offense | None, str]]:
    """What each count column counts when the columns name different things ('Year | Murder
    | Robbery | Total', 'District | Homicides | Shootings'): the column's offense, else its
    measure, else 'unnamed' (a total or a column of no offense); empty when they do not."""
    if not header or len(counts) < 2:
        return {}
    out: dict[int, tuple[Offense | None, str]] = {}
    for k, _ in counts:
        lt = tokens(header[k]) if k < len(header) else []
        offs = offense_index().scan(lt)
        measure = _row_measure(lt, offs, None, None)
        out[k] = (None, measure) if measure else (offs[0][2], "") if offs else (None, "unnamed")
    topics = {(o.key if o else None, m) for o, m in out.values()}
    return out if len(topics) >= 2 and any(o for o, _ in out.values()) else {}


FOOTNOTE_SPAN = re.compile(
    r"^\*+\s*(?:from\s+)?jan(?:uary|\.)?\s*1(?:st)?\s*(?:-|–|—|to|through|thru)\s*"
    r"([a-z]+)\.?\s+(\d{1,2})\b",
    re.I,
)


def _footnote_end(note: str | None, year: int) -> dt.date | None:
    """The last day a starred column counts, from a footnote such as '*January 1 - June 30'."""
    m = FOOTNOTE_SPAN.match(note or "")
    month = MONTH_NAMES.get(m.group(1).lower()) if m else None
    if not m or not month:
        return None
    try:
        return dt.date(year, month, int(m.group(2)))
    except ValueError:
        return None


def _row_measure(lt: list[Token], row_off, month, label_year) -> str | None:
    """What a row whose label names no offense counts: a measure it names, else 'unknown'
    for a label of words (a month, a year or 'Total' take the table's offense)."""
    hits = [(a, b, m) for a, b, m in measure_index().scan(lt)]
    if hits and (not row_off or hits[0][0] <= row_off[0][0] < hits[0][1]):
        return str(hits[0][2])
    words = [t.low for t in lt if t.low.isalpha()]
    if row_off or month or label_year or not words or set(words) <= ROW_TOTAL_WORDS:
        return None
    return "unknown"


ROW_TOTAL_WORDS = {"total", "totals", "ytd", "year", "to", "date", "all", "overall", "citywide"}


def _row_period(label: str, year: int, month: int | None, shape, ctx: Context) -> Period:
    if month:
        return Period("month", year, month=month, text=label)
    low = label.strip().lower()
    if low in ("ytd", "year to date", "year-to-date", "total", "totals"):
        if ctx.pub and ctx.pub > dt.date(year, 12, 31):
            return Period("year", year, text=label)
        if shape is not None and shape.kind == "ytd":
            return shape.in_year(year)
    if shape is not None and shape.kind == "ytd" and not _year_label(label):
        return shape.in_year(year)
    return Period("year", year, text=label)


def _row_topic(c: Claim, offense, place, mentions, label, measure: str | None = None) -> None:
    if offense is not None:
        c.offense, c.offense_text, c.offense_note = offense.key, offense.phrase, offense.note
    elif measure:
        c.measure, c.offense_text = measure, label
    c.place = place
    c.places = [place] if place else []
    c.place_text = mentions[0].text if mentions else (place.label if place else None)
    c.carried.update(place="row" if mentions else "carried", offense="table")


def _rate_header(header: list[str] | None, k: int) -> bool:
    return bool(
        header
        and k < len(header)
        and ("per 100" in header[k].lower() or "rate" in header[k].lower())
    )


# -- one sentence, then the whole document ---------------------------------------------------


def sentence_claims(r: Reading, ctx: Context) -> list[Claim]:
    nums = number_claims(r, ctx)
    sups = superlative_claims(r, ctx)
    claims = nums + direction_claims(r, ctx, nums) + compare_claims(r, ctx)
    kept_sups = []
    for s in sups:
        host = _attach_target(r, s, nums)
        if host is not None:
            host.attached.append(s)
        elif not any(abs(k.start - s.start) == 0 and k.fragment == s.fragment for k in kept_sups):
            kept_sups.append(s)
    claims += _dedupe_superlatives(kept_sups)
    subsets: dict[int, tuple[int, str]] = {}
    for a, _, m in r.measures:
        if m in SUBSET_MEASURES:
            subsets.setdefault(r.clause_of[a], (a, m))  # the first of its clause
    spots = _outside_spots(r)
    split = _statutory_split(r)
    for c in claims:
        _fill_defaults(c, ctx)
        _in_time_order(r, c)
        if split & ({c.offense} | set(c.offenses)):
            c.notes.append(STATUTORY)
        if spots:
            _outside_sample(spots, c, ctx)
        at, subset = (
            subsets.get(r.clause_of[c.pos], (0, None)) if 0 <= c.pos < len(r.toks) else (0, None)
        )
        if at > c.pos:  # "a 45% reduction in homicides, along with shooting homicides down 57%"
            subset = None
        if any(m == "case status" for _, m in subsets.values()):
            subset = subset or "case status"  # "... cases ... being investigated by others"
        if "victimization survey" in r.unit.text.lower() and c.offense:
            c.measure = "survey"  # "... crime rates are up is the National Crime Victimization
            continue  # Survey": what people told a survey, not crimes recorded
        if subset and c.offense and c.kind in ("count", "pct", "direction"):
            c.measure = subset  # "Robbery was listed as the cause for 15 homicides"
            c.notes.append(f"the sentence counts a subset ({subset})")
    return _split_places(claims)


SUBSET_MEASURES = {"motive", "weapon", "demographics", "case status", "clearance"}
# A sentence naming both halves of a pair counts a state's own classes, which split the UCR
# offense otherwise (Ohio's 'aggravated robbery' and 'robbery' are, together, UCR robbery; its
# 'aggravated assault' is a lesser crime than 'felonious assault', UCR aggravated assault)
STATUTORY_PAIRS = {
    "robbery": (re.compile(r"\baggravated robber"), re.compile(r"(?<!aggravated )\brobber")),
    "burglary": (
        re.compile(r"\baggravated burglar|\bbreaking and entering"),
        re.compile(r"(?<!aggravated )\bburglar"),
    ),
    "aggravated_assault": (
        re.compile(r"\bfelonious assault"),
        re.compile(r"\baggravated assault"),
    ),
}


def _statutory_split(r: Reading) -> set[str]:
    """The offenses the sentence names in both of a state's classes ('230 aggravated assaults,
    68 aggravated robberies, 68 rapes and 54 robberies'); with robbery split so, the assaults
    beside it are the state's class too."""
    low = r.unit.text.lower()
    split = {k for k, (a, b) in STATUTORY_PAIRS.items() if a.search(low) and b.search(low)}
    if split and "aggravated assault" in low:
        split.add("aggravated_assault")
    return split


def _split_places(claims: list[Claim]) -> list[Claim]:
    """A percent stated for a list of places ("Memphis and Chicago ... twenty to twenty-eight
    percent") is one claim per place, each checked on its own."""
    out = []
    for c in claims:
        if c.kind in ("pct", "count") and len(c.places) > 1:
            for p in c.places:
                out.append(
                    replace(
                        c,
                        place=p,
                        places=[p],
                        place_text=p.label,
                        notes=[*c.notes, "one of several places named together"],
                    )
                )
        else:
            out.append(c)
    return out


def _attach_target(r: Reading, s: Claim, nums: list[Claim]) -> Claim | None:
    """A superlative that qualifies the count right after it ('record-1,077', 'record-setting
    90 homicides', 'the previous record of 79', '1993, our highest year, we had almost 1,100')
    is checked with that count."""
    if s.kind != "superlative" or s.pos < 0:
        return None
    for c in nums:
        if c.kind != "count" or c.pos <= s.pos or c.pos - s.pos > 3:
            continue
        between = {t.low for t in r.toks[s.pos + 1 : c.pos]}
        if between <= {"-", "of", "setting", "breaking", "high", "low"}:
            return c
    return None


def _dedupe_superlatives(sups: list[Claim]) -> list[Claim]:
    out: list[Claim] = []
    for s in sups:
        if (
            out
            and out[-1].fragment
            and s.fragment
            and (s.fragment in out[-1].fragment or out[-1].fragment[:12] in s.fragment)
        ):
            continue
        out.append(s)
    return out


LEVEL_WORDS = {"above", "below", "higher", "lower", "more", "fewer", "less", "than"}


def _in_time_order(r: Reading, c: Claim) -> None:
    """'573 homicides in 2024, compared to 416 in 2025, a 27% decline': a change runs from the
    earlier period to the later, whichever of the two the sentence names first. A level
    compared with a later one ('20% below 2025's') is left as written."""
    if c.kind not in ("pct", "direction", "delta") or c.carried.get("base") != "sentence":
        return
    if c.period is None or c.base is None or c.base.year <= c.period.year:
        return
    if any(t.low in LEVEL_WORDS for t in r.toks):
        return
    c.period, c.base = c.base, c.period
    c.notes.append("the later of the two periods is the change's end")


def _fill_defaults(c: Claim, ctx: Context) -> None:
    """No period anywhere in the article: a change or direction in a headline is read from
    the publication date (the last full year in January–February, else this year so far)."""
    if c.period is None and ctx.pub and c.kind in ("pct", "direction", "superlative", "rank"):
        p = ctx.pub
        if p.month <= 2:
            c.period = Period("year", p.year - 1, text="from the publication date")
        else:
            c.period = ytd(
                p.year,
                p - dt.timedelta(days=7),
                True,
                approx=True,
                text="from the publication date",
            )
        c.carried["period"] = "publication date"
        if c.kind in ("pct", "direction") and c.base is None:
            c.base = c.period.in_year(c.period.year - 1)
            c.carried["base"] = "publication date"


def _outside_spots(r: Reading) -> list[tuple[str, Place]]:
    """'among 66 cities', 'across 20 cities' (outside samples), 'those major cities' (one
    named before): found once per sentence."""
    out = []
    for k, t in enumerate(r.toks):
        nxt = [x.low for x in r.toks[k + 1 : k + 4]]
        if t.num is not None and ("cities" in nxt[:2] or nxt[:2] == ["u.s.", "cities"]):
            prev = {x.low for x in r.toks[max(0, k - 2) : k]}
            if prev & {"among", "across", "in", "of"}:
                text = " ".join(x.text for x in r.toks[max(0, k - 2) : k + 3])
                out.append(("outside", Place("outside", text)))
            else:
                out.append(("count", Place("outside", str(t.num))))
        if t.low == "those" and nxt[:1] in (["major"], ["cities"]):
            out.append(("those", Place("outside", "those cities")))
    return out


def _outside_sample(spots: list[tuple[str, Place]], c: Claim, ctx: Context) -> None:
    for what, place in spots:
        if what == "count":
            if c.kind == "count" and c.value is not None and str(c.value) == place.label:
                c.measure = "city count"  # "at least 20 cities": a count of cities
            continue
        if what == "outside":
            ctx.outside = place
        target = place if what == "outside" else ctx.outside
        if target is None:
            continue
        if c.carried.get("place") != "sentence" or (c.place and c.place.kind != "agency"):
            c.place, c.places = target, [target]


def _year_span(r: Reading) -> list[int] | None:
    """'2020-2024', '2020 to 2024', 'between 2019 and 2024' in a sentence."""
    t = r.toks
    for i in range(len(t) - 2):
        a, b = t[i].num, t[i + 2].num
        if (
            a
            and b
            and t[i + 1].low in ("-", "–", "to", "through", "and")
            and (
                1950 <= a < b <= 2035 and b - a <= 30 and len(t[i].text) == 4 == len(t[i + 2].text)
            )
        ):
            return list(range(int(a), int(b) + 1))
    return None


def _a_city(m: Mention, p: Place) -> bool:
    """A place that is one agency, though not one the store can answer for: an ambiguous
    name, a city the store lacks ('Tuscaloosa police', 'Jackson, Miss.'); not a wider area
    or a part of a city ('the Charlotte area', 'East Memphis')."""
    return p.kind == "ambiguous" or (
        p.kind == "unknown" and (m.kind == "unlisted" or bool(p.state))
    )


def _note_elsewhere(m: Mention, p: Place, ctx: Context) -> None:
    """Remember 'Peoria, Ill.' (a city the store lacks, in a named state) by its name; the
    page's address naming 'peoria' then means that city too."""
    if p.kind == "unknown" and p.state and "," in p.label:
        name = _unpossessed(m.text.lower())
        ctx.elsewhere[name] = p
        url = ctx.url_place
        if url is not None and url.label.split(",")[0].lower() == name and url.state != p.state:
            ctx.url_place = p


def update_context(r: Reading, claims: list[Claim], ctx: Context) -> None:
    """What this sentence establishes for the next ones: place, state, offense, period."""
    named_agency = any(_as_place(m, ctx).kind in ("agency", "sample") for m in r.places)
    for m in r.places:
        p = _as_place(m, ctx)  # after the sentence's earlier names ("Baltimore ... BPD's")
        _note_elsewhere(m, p, ctx)
        if p.kind == "agency":
            ctx.place = p
            ctx.named.add(p.label)
            if r.unit.kind == "headline":
                ctx.principal = p.label if ctx.principal is None else ""
            if p.state:
                ctx.states.add(p.state)
        elif _a_city(m, p) and (r.offenses or r.measures):
            ctx.place = p  # "MDSO reports a drop in homicides": the next figures are its too
        elif p.kind in ("vague", "outside") and r.offenses and not named_agency:
            # "14% fewer homicides in the study cities ... Similarly, aggravated assault (-5%)"
            if ctx.place is not None:
                ctx.place = p
            else:
                ctx.fallback_place = p
        elif p.kind == "state":
            ctx.state = p
            ctx.states.add(p.label)
            if r.offenses and not named_agency and ctx.place is None:
                ctx.place = p  # "Violent crime in Washington decreased": a story about a state
        elif p.kind == "sample" and ctx.place is None and not _after_rank(r, m):
            ctx.fallback_place = p
    if r.offenses:
        a, b, last = r.offenses[-1]
        if not _shorthand_for(ctx, r, a, b, last):
            ctx.offense = last  # 'thefts' after 'motor vehicle thefts' keeps the longer one
    elif claims and all(c.measure for c in claims):
        ctx.offense = None  # "Its population was 260,993 ... That was up from 257,882": not crime
    span = _year_span(r)
    if span:
        ctx.year_span = span
    named_years = [m.year or m.since for m in r.times if m.kind in ("year", "span")]
    ctx.last_year = next((y for y in reversed(named_years) if y), None)
    ctx.past = None
    if r.current is not None and ctx.main is not None and r.current.year < ctx.main.year:
        # a look back ("this comes after ... 2023") is not carried on; a count it states is
        # a level the next sentence may measure from ("1993 ... almost 1,100 homicides. So
        # the reduction there"), a change is not ("a spike between 2019 and 2020")
        if any(c.kind == "count" and c.period == r.current for c in claims):
            ctx.past = r.current
    elif r.current is not None:
        ctx.period = r.current
        if claims or r.offenses:  # not "... hurt our hearts to start 2024", before the figures
            ctx.main = ctx.main or r.current
        base = next(
            (c.base for c in claims if c.base is not None and c.carried.get("base") == "sentence"),
            None,
        )
        ctx.base = base
    elif ctx.period is None:
        got = next((c.period for c in claims if c.period is not None), None)
        if got is not None:
            ctx.period = got


def extract(doc: Document, g: Gazetteer) -> list[Claim]:
    """Every claim of a document, in reading order."""
    from crimetrends.claims.places import place_from_url

    ctx = Context(pub=doc.date, url_place=place_from_url(g, doc.url))
    ctx.washington_state = _washington_state(doc, g)
    for line in doc.datelines:
        for m in find_places(g, tokens(line.title())):
            p = _as_place(m, ctx)
            _note_elsewhere(m, p, ctx)
            if p.kind == "agency":
                ctx.dateline_place = p
    out: list[Claim] = []
    for u in doc.units:
        if u.kind == "row":
            out += row_claims(u, g, ctx)
            continue
        r = read(u, g, ctx)
        claims = sentence_claims(r, ctx)
        update_context(r, claims, ctx)
        out += claims
    _carried_among_several(out, ctx)
    _unfinished(out, ctx.pub)
    for c in out:
        c.article_date = ctx.pub
    police = any(POLICE_SOURCE.search(u.text) for u in doc.units)
    if police:
        for c in out:
            c.notes.append("the article cites police figures")
    _survey_places(doc, out)
    nibrs = any(NIBRS_SOURCE.search(u.text) for u in doc.units)
    for c in out:
        if c.offense == "rape" and not c.offense_note and (nibrs or police):
            c.offense_note = NIBRS_RAPE if nibrs else POLICE_RAPE
    return out


SURVEYS = {
    "Council on Criminal Justice": "Council on Criminal Justice",
    "Major Cities Chiefs": "Major Cities Chiefs Association",
}
STUDY_WORDS = re.compile(r"\bthe (?:study|survey|analysis|report) (?:found|finds|shows|showed)")
NATIONAL_SOURCES = re.compile(r"Real-Time Crime Index|\bRTCI\b|\bFBI\b|Uniform Crime")


def _survey_only(doc: Document) -> tuple[str, str] | None:
    """(words naming it, name) of the survey a story reports when it names no national
    source besides it."""
    if NATIONAL_SOURCES.search(doc.text):
        return None
    return next(((key, name) for key, name in SURVEYS.items() if key in doc.text), None)


def _survey_places(doc: Document, claims: list[Claim]) -> None:
    """A CCJ or MCCA story: its national figures from the sentence naming the survey on,
    in a sentence naming it or carried to one, are of the survey's cities."""
    survey = next(((key, name) for key, name in SURVEYS.items() if key in doc.text), None)
    if survey is None:
        return
    key, name = survey
    only = _survey_only(doc) is not None  # no national source named besides it
    first = min((u.start for u in doc.units if key in u.text and u.start >= 0), default=None)
    if first is None:  # named only where no claim is read (a dateline, a notice)
        return
    for c in claims:  # a figure in the sentence naming the survey is the survey's, always
        carried = c.carried.get("place") == "carried"
        said = key in c.text or (only and carried)
        if carried and STUDY_WORDS.search(c.text):  # "In 2024, the study found, there were
            c.place = Place("vague", f"the cities of the {name} survey")  # 6% fewer ..."
            c.places = [c.place]
            continue
        if c.place is not None and c.place.kind == "sample" and c.start >= first and said:
            c.place = Place("vague", f"the cities of the {name} survey")
            c.places = [c.place]


POLICE_RAPE = (
    "loose: a police department's rape count may follow its state's law, narrower than the "
    "revised UCR rape the store holds (which adds sodomy and assault with an object)"
)
NIBRS_SOURCE = re.compile(r"\bNIBRS\b|incident-based|crimes against persons", re.I)
NIBRS_RAPE = (
    "loose: NIBRS counts rape apart from sodomy and sexual assault with an object, which "
    "the UCR rape the store holds includes"
)


POLICE_SOURCE = re.compile(r"\bpolice\b|\b[A-Z]{1,4}PD\b|\bsheriff", re.I)


def _unfinished(claims: list[Claim], pub: dt.date | None) -> None:
    """A period that had not ended when the article was published ("100 homicides in 2024"
    in November 2024) holds a part of it: the whole period's figures cannot refute it."""
    if pub is None:
        return
    for c in claims:
        for key, p in (("period", c.period), ("base", c.base)):
            if p is not None and c.kind != "milestone" and p.window.end > pub:
                c.carried["unfinished"] = key
                c.published = pub
    # "292 cases reported in 2024, down from 307 in 2023" in October 2024: the earlier
    # year's count is most likely the same part of that year, so its whole cannot refute it
    open_years = {
        (c.start, c.end, c.period.year)
        for c in claims
        if c.carried.get("unfinished") == "period" and c.period and c.period.kind == "year"
    }
    for c in claims:
        p = c.period
        earlier = p is not None and p.kind == "year" and (c.start, c.end, p.year + 1) in open_years
        if c.kind == "count" and earlier and "unfinished" not in c.carried:
            c.carried["unfinished"] = "sentence"


DC_CUES = re.compile(r"\bD\.?C\.?\b|District of Columbia|\bthe District\b")
STATE_CUES = re.compile(
    r"\bstatewide\b|Washington state|Washington State|, Wash\.|across Washington"
)


def _washington_state(doc: Document, g: Gazetteer) -> bool:
    """'Violent crime in Washington decreased' in a story about Vancouver, Wash.: the state,
    when no word points to D.C. and the cities the story names are in Washington state."""
    if "Washington" not in doc.text or DC_CUES.search(doc.text):
        return False
    if STATE_CUES.search(doc.text):
        return True  # "across Washington", "a statewide report", "Tacoma, Wash."
    states = {
        p.state
        for u in doc.units
        for m in find_places(g, tokens(u.text))
        for p in m.places
        if p.kind == "agency" and len(m.places) == 1 and m.text.lower() != "washington"
    }
    return "Washington" in states and "District of Columbia" not in states


def _carried_among_several(claims: list[Claim], ctx: Context) -> None:
    """A place carried from earlier sentences (or a dateline) is the claim's place when the
    article names one agency, or when it is the article's own (its headline's, else its
    address's). In a story that names several, a sentence without a place that carries
    another one is a guess: the claim is marked, and never called inconsistent on it."""
    named = set(ctx.named)
    named.update(c.place.label for c in claims if c.place and c.place.kind == "agency")
    if len(named) < 2:
        return
    principal = ctx.principal
    if principal is None and ctx.url_place is not None and ctx.url_place.kind == "agency":
        principal = ctx.url_place.label
    for c in claims:
        if c.carried.get("place") == "carried" and (c.place is None or c.place.label != principal):
            c.carried["place"] = "carried among several"
