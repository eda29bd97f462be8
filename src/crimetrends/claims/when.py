"""Time expressions and the periods they name: years, year to date, months, history spans.

Each expression is found on tokens with its position, so every number in a sentence can take
the expression nearest to it ("410 murders in 2021, down from 455 in 2020": each count its
own year). Relative words ("last year", "this year", "as of Tuesday", "last week") are read
from the publication date; an explicit year in the same clause beats them. A year-to-date
window ends at the stated day, month, or the publication date.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, replace

from crimetrends.analysis.periods import Window, month_end, same_day_in
from crimetrends.claims.lexicon import NUMBER_WORDS, Token

MONTH_NAMES = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTH_NAMES.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTH_NAMES["sept"] = 9
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
BASE_WORDS = {"from", "over", "versus", "vs", "than", "above", "below", "against"}
BASE_PAIRS = {
    ("compared", "to"),
    ("compared", "with"),
    ("relative", "to"),
    ("up", "from"),
    ("down", "from"),
    ("comparison", "to"),
    ("compared", "from"),
}


@dataclass(frozen=True)
class Period:
    """A window of one year (the whole year, January to `end`, or one month), or the last
    `days` days to `end` ('in the past two weeks')."""

    kind: str  # year | ytd | month | quarter | recent
    year: int
    end: dt.date | None = None  # ytd, recent: last day included
    month: int | None = None
    exact_day: bool = False  # the end is a stated day inside a month
    approx: bool = False  # the end is known to within a week or two
    text: str = ""
    days: int | None = None  # recent: the window's length

    @property
    def window(self) -> Window:
        if self.kind == "recent":
            assert self.end and self.days
            return Window(self.end - dt.timedelta(days=self.days - 1), self.end)
        if self.kind == "quarter":  # `month`: the quarter's last month
            assert self.month
            last = dt.date(self.year, self.month, 1)
            return Window(dt.date(self.year, self.month - 2, 1), month_end(last))
        if self.kind == "year":
            return Window(dt.date(self.year, 1, 1), dt.date(self.year, 12, 31))
        if self.kind == "month":
            assert self.month
            first = dt.date(self.year, self.month, 1)
            return Window(first, month_end(first))
        assert self.end
        return Window(dt.date(self.year, 1, 1), self.end)

    def in_year(self, year: int) -> Period:
        """The same window in another year ('the same period in 2024')."""
        end = same_day_in(year, self.end) if self.end else None
        return replace(self, year=year, end=end)

    @property
    def label(self) -> str:
        if self.kind == "ytd" and self.end:
            w = self.window
            if w.end == dt.date(self.year, 12, 31) and not self.approx:
                return str(self.year)
            return ("about " if self.approx else "") + w.label
        return self.window.label


def ytd(year: int, end: dt.date, exact: bool, approx: bool = False, text: str = "") -> Period:
    if end == dt.date(year, 12, 31) and not approx:
        return Period("year", year, text=text)
    return Period(
        "ytd", year, end, exact_day=exact and end != month_end(end), approx=approx, text=text
    )


@dataclass
class TimeMention:
    start: int
    end: int
    kind: str  # year | relative | ytd | same | month | span | halfyear | date
    role: str = "current"  # current | base
    year: int | None = None
    period: Period | None = None
    offset: int | None = None  # "N years ago"
    span: int | None = None  # history span in years
    since: int | None = None
    text: str = ""


def _short_year(t: Token) -> bool:
    return len(t.text) == 2 and t.text.isdigit() and 0 <= int(t.text) <= 35


def _year_token(t: Token) -> int | None:
    plain = t.num is not None and "," not in t.text and len(t.text) == 4
    if plain and t.num.is_integer() and 1950 <= t.num <= 2035:  # type: ignore[union-attr]
        return int(t.num)  # type: ignore[arg-type]
    return None


STOP_ROLE = {",", ";", "—", "–", ":", "(", ")", "and", "but", "while", "although", "which"}


SINCE_FILLERS = {"a", "the", "its", "their", "recent", "peak", "high", "record", "of", "in"}
SINCE_FILLERS |= {"they", "it", "peaked", "spiked", "topped", "crested", "all-time", "pandemic"}


def _role(toks: list[Token], i: int) -> str:
    """'from 2023', 'compared to 2021', 'over the city's 160 homicides in 2019', 'than in July
    2023' make a period the base of a change (looked for up to six words back)."""
    for j in range(i - 1, max(i - 7, -1), -1):
        low = toks[j].low
        if low in STOP_ROLE:
            return "current"
        nxt_num = j + 1 < len(toks) and toks[j + 1].num is not None
        if low == "to" and nxt_num and (j < 1 or (toks[j - 1].low, low) not in BASE_PAIRS):
            return "current"  # "from 86 last year to 63 this year": 63's period is current
        short = j == i - 2 and toks[i - 1].text in ("'", "’")  # "between '23 and '24"
        if low == "between" and (j == i - 1 or short) and _low(toks, i + 1) in ("and", "to"):
            return "base"  # "between 2019 and 2020": the first year is the base
        if low == "since" and j < i - 1 and all(x.low in SINCE_FILLERS for x in toks[j + 1 : i]):
            return "base"  # "44% since a recent peak in 2021": the peak year is the base
        if low in BASE_WORDS:
            nxt = toks[j + 1] if j + 1 < len(toks) else None
            if low in ("than", "over") and nxt is not None and nxt.num is not None and j + 1 != i:
                continue  # "more than 30%", "more than two decades": a qualifier, not a base
            return "base"
        if j >= 1 and (toks[j - 1].low, low) in BASE_PAIRS:
            return "base"
    return "current"


def find_times(toks: list[Token], pub: dt.date | None) -> list[TimeMention]:
    """Time expressions of a sentence, left to right, each with its position."""
    out: list[TimeMention] = []
    i, n = 0, len(toks)
    while i < n:
        got = _at(toks, i, pub)
        if got is None:
            i += 1
            continue
        out.append(got)
        i = max(got.end, i + 1)
    return out


def _low(toks: list[Token], i: int, k: int = 1) -> str:
    return " ".join(t.low for t in toks[i : i + k])


def _at(toks: list[Token], i: int, pub: dt.date | None) -> TimeMention | None:
    """The time expression starting at token i, if any (tried most specific first)."""
    t = toks[i]
    nxt = _low(toks, i + 1) if i + 1 < len(toks) else ""
    two = _low(toks, i, 2)
    three = _low(toks, i, 3)
    finders = (_through, _as_of, _same_period, _half, _quarter, _recent, _relative, _span)
    for finder in (*finders, _months_listed, _summer):
        got = finder(toks, i, pub, t, nxt, two, three)
        if got is not None:
            return got
    y = _year_token(t)
    if y is None and i > 0 and toks[i - 1].text in ("'", "’") and _short_year(t):
        y = 2000 + int(t.text)  # "between '23 and '24": years written short
    if y is not None and nxt != "%" and nxt != "percent":
        if nxt in ("-", "–") and i + 2 < len(toks) and _year_token(toks[i + 2]):
            return None  # "2010-2019": a span, left to the span rule
        return TimeMention(i, i + 1, "year", _role(toks, i), year=y, text=t.text)
    ranged = nxt in ("through", "to", "thru", "-", "–") and i + 2 < len(toks)
    if t.low in MONTH_NAMES and ranged and toks[i + 2].low in MONTH_NAMES:
        return None  # "January through July 2024": the range is read from "through"
    dotted_day = nxt == "." and i + 2 < len(toks) and toks[i + 2].num is not None
    own = t.low[:-2] if t.low.endswith(("'s", "’s")) else None
    if own in MONTH_NAMES and len(own) > 3 and t.text[:1].isupper():  # "October’s three"
        m = MONTH_NAMES[own]
        return TimeMention(
            i, i + 1, "month", "current", period=Period("month", 0, month=m), text=t.low
        )
    if (
        t.low in MONTH_NAMES
        and t.text[:1].isupper()
        and (len(t.low) > 3 or nxt != "." or dotted_day)
    ):
        if t.low == "may" and not (i + 1 < len(toks) and _year_token(toks[i + 1])):
            return None  # "may" is mostly a verb
        m = MONTH_NAMES[t.low]
        j = i + 1 + (1 if nxt == "." else 0)
        y = _year_token(toks[j]) if j < len(toks) else None
        end = j + 1 if y else i + 1
        of = _low(toks, i + 1, 3)
        if y is None and pub is not None and of in ("of last year", "of this year"):
            y = pub.year - (1 if of == "of last year" else 0)  # "in September of last year"
            end = i + 4
        elif y is None and _low(toks, i + 1) == "of" and i + 2 < len(toks):
            y = _year_token(toks[i + 2])  # "September of 2022"
            end = i + 3 if y else end
        return TimeMention(
            i,
            end,
            "month",
            _role(toks, i),
            year=y,
            period=Period("month", y or 0, month=m),
            text=_low(toks, i, end - i),
        )
    return None


def _months_listed(toks, i, pub, t, nxt, two, three):
    """'in June, July, and August', 'January and February 2026': consecutive months listed
    are one window (from January: the year so far; three months: those three)."""
    if t.low not in MONTH_NAMES or len(t.low) <= 3 or not t.text[:1].isupper():
        return None
    months, k = [MONTH_NAMES[t.low]], i + 1
    while k + 1 < len(toks):
        j = k
        while j < len(toks) and toks[j].low in (",", "and"):
            j += 1
        w = toks[j] if j < len(toks) and j > k else None
        if w is None or w.low not in MONTH_NAMES or MONTH_NAMES[w.low] != months[-1] + 1:
            break
        months.append(MONTH_NAMES[w.low])
        k = j + 1
    if len(months) < 2 or (months[0] != 1 and len(months) != 3):
        return None
    year, end = _year_after(toks, k, pub, ("this year",))
    if year is None and pub is not None:
        year = pub.year if months[-1] <= pub.month else pub.year - 1
    text = _low(toks, i, end - i)
    if year is None:  # no date: a window without its year (extract does not guess one)
        kind = "ytd" if months[0] == 1 else "quarter"
        p0 = Period(kind, 0, month=months[-1], text=text)
        return TimeMention(i, end, "months", _role(toks, i), period=p0, text=text)
    p = month_span(year, months[-1], months[0] == 1, text)
    return TimeMention(i, end, "months", _role(toks, i), year=year, period=p, text=text)


def month_span(year: int, last: int, from_january: bool, text: str) -> Period:
    """Whole months of a year ending with month `last`: from January (the year so far),
    else the three months to it."""
    if from_january:
        return ytd(year, month_end(dt.date(year, last, 1)), False, text=text)
    return Period("quarter", year, month=last, text=text)


def _summer(toks, i, pub, t, nxt, two, three):
    """'the summer of 2021', 'this summer', 'summer 2024': June to August."""
    if t.low != "summer" and not (t.low in ("this", "last") and nxt == "summer"):
        return None
    k = i + 1 if t.low == "summer" else i + 2
    year, end = _year_after(toks, k, pub, ("this year",))
    if year is None and pub is not None:
        if t.low == "this":
            year = pub.year
        elif t.low == "last":
            year = pub.year if pub.month > 8 else pub.year - 1
    if year is None or (t.low == "summer" and i > 0 and toks[i - 1].low in ("this", "last")):
        return None
    text = _low(toks, i, end - i)
    p = Period("quarter", year, month=8, text=text)
    return TimeMention(i, end, "months", _role(toks, i), year=year, period=p, text=text)


def _date_after(toks: list[Token], j: int, pub: dt.date | None) -> tuple[dt.date, int, bool] | None:
    """'August 14, 2025' / 'Aug. 14' / 'October' at token j: (date, next index, exact day)."""
    if j >= len(toks) or toks[j].low not in MONTH_NAMES:
        return None
    month = MONTH_NAMES[toks[j].low]
    k = j + 1
    if k < len(toks) and toks[k].text == ".":
        k += 1
    day = None
    if k < len(toks) and toks[k].num is not None and toks[k].num <= 31 and len(toks[k].text) <= 2:
        day = int(toks[k].num)
        k += 1
        if k < len(toks) and toks[k].low in ("th", "st", "nd", "rd"):
            k += 1  # "June 24th"
    if k < len(toks) and toks[k].text == ",":
        k += 1 if k + 1 < len(toks) and _year_token(toks[k + 1]) else 0
    got = _month_year(toks, k, month, pub)
    if got is None:
        return None
    year, k = got
    last = calendar.monthrange(year, month)[1]
    when = dt.date(year, month, min(day or last, last))
    return when, k, day is not None


def _mid_month(toks: list[Token], j: int, pub: dt.date | None) -> tuple[dt.date, int] | None:
    """'mid-July 2022' / 'mid July' at token j: the 15th of the month, and the next index."""
    low = toks[j].low
    if low.startswith("mid-") and low[4:] in MONTH_NAMES:
        month, k = MONTH_NAMES[low[4:]], j + 1
    elif low == "mid" and j + 1 < len(toks) and toks[j + 1].low in MONTH_NAMES:
        month, k = MONTH_NAMES[toks[j + 1].low], j + 2
    else:
        return None
    got = _month_year(toks, k, month, pub)
    return None if got is None else (dt.date(got[0], month, 15), got[1])


def _month_year(toks: list[Token], k: int, month: int, pub: dt.date | None):
    """(year, next index) of a month named just before token k: the year written at k, else
    the latest such month by the publication date; None with neither."""
    year = _year_token(toks[k]) if k < len(toks) else None
    if year:
        return year, k + 1
    if pub is not None:
        skip = 1 if _low(toks, k) == "of" else 0  # "by the end of June (of) last year"
        if _low(toks, k + skip, 2) in ("last year", "this year"):
            back = 1 if _low(toks, k + skip) == "last" else 0
            return pub.year - back, k + skip + 2
        return (pub.year if month <= pub.month else pub.year - 1), k
    return None


def _through(toks, i, pub, t, nxt, two, three):
    """'through October', 'through August 14, 2025', 'from January through August 2025'."""
    if t.low in ("mid-way", "midway", "halfway") and nxt == "through":
        year, k = _year_after(toks, i + 2, pub, ("this year", "the year"))
        if year:  # "homicides down mid-way through 2025": the first half
            p = ytd(year, dt.date(year, 6, 30), False, approx=True, text=_low(toks, i, k - i))
            return TimeMention(i, k, "ytd", "current", year=year, period=p, text=p.text)
    if t.low in ("through", "thru", "til", "until") or two in ("to date",):
        j = i + 1
        if _low(toks, j, 3) == "the end of":
            j += 3
        got = _date_after(toks, j, pub)
        if got:
            when, k, exact = got
            p = ytd(when.year, when, exact, text=_low(toks, i, k - i))
            return TimeMention(i, k, "ytd", "current", year=when.year, period=p, text=p.text)
    if t.low in ("by", "through", "thru", "until") and i + 1 < len(toks):
        got = _mid_month(toks, i + 1, pub)  # "24 by mid-July 2022": the year to mid-July
        if got:
            when, k = got
            p = ytd(when.year, when, True, approx=True, text=_low(toks, i, k - i))
            return TimeMention(i, k, "ytd", "current", year=when.year, period=p, text=p.text)
    if t.low in ("by", "at") and _low(toks, i + 1, 3) == "the end of":
        got = _date_after(toks, i + 4, pub)  # "by the end of March": the year so far
        if got:
            when, k, exact = got
            p = ytd(when.year, when, exact, text=_low(toks, i, k - i))
            return TimeMention(i, k, "ytd", "current", year=when.year, period=p, text=p.text)
    if t.low in ("from", "between") and nxt in MONTH_NAMES and MONTH_NAMES[nxt] != 1:
        got = _quarter_span(toks, i, pub)
        if got:
            return got
    if t.low in ("from", "between") and nxt in MONTH_NAMES and MONTH_NAMES[nxt] == 1:
        k = i + 2
        if k < len(toks) and toks[k].text == "." and k + 1 < len(toks) and toks[k + 1].num == 1:
            k += 1  # "from Jan. 1 through Sept. 30, 2024"
        if k < len(toks) and toks[k].num == 1:
            k += 1  # "between January 1 and December 21"
        if k < len(toks) and toks[k].low in ("through", "to", "thru", "-", "–", "and"):
            j = k + 1
            if _low(toks, j, 3) == "the end of":
                j += 3  # "from January through the end of March"
            got = _date_after(toks, j, pub)
            if got:
                when, k2, exact = got
                if _low(toks, k2, 2) == "this year" and pub is not None:
                    k2 += 2  # "between January and June this year"
                p = ytd(when.year, when, exact, text=_low(toks, i, k2 - i))
                return TimeMention(i, k2, "ytd", "current", year=when.year, period=p, text=p.text)
    return None


def _quarter_span(toks, i, pub) -> TimeMention | None:
    """'between October and December 2023', 'from October 2022 to December 2022': the three
    months of a calendar quarter (other spans are not a window the checker has)."""
    first = MONTH_NAMES[toks[i + 1].low]
    k = i + 2
    year_a = _year_token(toks[k]) if k < len(toks) else None
    k += 1 if year_a else 0
    if k >= len(toks) or toks[k].low not in ("through", "to", "thru", "-", "–", "and"):
        return None
    got = _date_after(toks, k + 1, pub)
    if got is None:
        return None
    when, end, exact = got
    if exact or when.month - first != 2 or when.month % 3 or (year_a and year_a != when.year):
        return None
    return TimeMention(
        i, end, "quarter", _role(toks, i), year=when.year, offset=when.month // 3,
        text=_low(toks, i, end - i),
    )  # fmt: skip


def _as_of(toks, i, pub, t, nxt, two, three):
    """'as of Tuesday', 'as of last week', 'as of October 11', 'so far this year', 'on Dec. 10'."""
    if two == "as of" or (t.low == "on" and nxt in MONTH_NAMES):
        j = i + 2 if two == "as of" else i + 1
        if two == "as of" and _low(toks, j, 3) == "the end of":
            j += 3  # "as of the end of November": the year through November
        got = _date_after(toks, j, pub)
        if got:
            when, k, exact = got
            p = ytd(when.year, when, exact, text=_low(toks, i, k - i))
            return TimeMention(i, k, "ytd", "current", year=when.year, period=p, text=p.text)
        if pub is None and two == "as of" and _low(toks, j) in MONTH_NAMES:
            # "as of June 24th of this year" on a page with no date: a year so far, its year
            # the one the article set (if any); the window's shape is kept in year 2000
            got = _date_after(toks, j, dt.date(2000, 12, 31))
            if got:
                when, k, exact = got
                if _low(toks, k, 3) == "of this year":
                    k += 3
                p = ytd(2000, when, exact, text=_low(toks, i, k - i))
                return TimeMention(i, k, "ytd_open", "current", period=p, text=p.text)
        if pub is None or j >= len(toks):
            return None
        w = toks[j].low
        if w in WEEKDAYS:
            back = (pub.weekday() - WEEKDAYS[w]) % 7
            when = pub - dt.timedelta(days=back)
            p = ytd(when.year, when, True, approx=False, text=_low(toks, i, j + 1 - i))
            return TimeMention(i, j + 1, "ytd", "current", year=when.year, period=p, text=p.text)
        if _low(toks, j, 2) in ("last week", "this week", "last month"):
            when = pub - dt.timedelta(days=7)
            p = ytd(when.year, when, True, approx=True, text=_low(toks, i, j + 2 - i))
            return TimeMention(i, j + 2, "ytd", "current", year=when.year, period=p, text=p.text)
    if two in ("last week", "this week") and pub is not None and i > 0:
        when = pub - dt.timedelta(days=7)
        p = ytd(when.year, when, True, approx=True, text=two)
        return TimeMention(i, i + 2, "ytd", "current", year=when.year, period=p, text=two)
    if two == "so far" or two == "to date" or t.low in ("ytd", "year-to-date"):
        k = i + 2 if two in ("so far", "to date") else i + 1
        y = None
        if _low(toks, k, 2) == "this year":
            k += 2
        elif _low(toks, k, 1) in ("in", "for") and k + 1 < len(toks) and _year_token(toks[k + 1]):
            y = _year_token(toks[k + 1])
            k += 2
        elif _low(toks, k, 2) == "in 2025":
            k += 2
        return TimeMention(i, k, "ytd_open", "current", year=y, text=_low(toks, i, k - i))
    return None


def _same_period(toks, i, pub, t, nxt, two, three):
    """'the same period in 2024', 'same time last year', 'same timeframe', 'a year earlier'."""
    if t.low == "same" and nxt in (
        "period",
        "periods",
        "time",
        "timeframe",
        "point",
        "months",
        "stretch",
        "span",
        "timespan",
        "window",
        "date",
    ):
        k = i + 2
        if _low(toks, k, 1) in ("periods", "frame"):  # 'the same time frame in 2022'
            k += 1
        if _low(toks, k, 2) == "this year" and pub is not None:  # 'in that same time frame
            text = _low(toks, i, k + 2 - i)  # this year': the window stated, in this year
            return TimeMention(i, k + 2, "same", "current", year=pub.year, text=text)
        if _low(toks, k, 2) in ("last year", "a year"):
            k += 2 + (1 if _low(toks, k + 2) in ("earlier", "ago", "before") else 0)
            return TimeMention(i, k, "same", "base", offset=1, text=_low(toks, i, k - i))
        if _low(toks, k, 1) in ("in", "of") and k + 1 < len(toks) and _year_token(toks[k + 1]):
            y = _year_token(toks[k + 1])
            return TimeMention(i, k + 2, "same", "base", year=y, text=_low(toks, i, k + 2 - i))
        return TimeMention(i, k, "same", "base", offset=1, text=_low(toks, i, k - i))
    four = _low(toks, i, 4)
    if two in ("this time", "this point") and _low(toks, i + 2) == "in" and i + 3 < len(toks):
        y = _year_token(toks[i + 3])
        if y:  # "down to 72 from 105 this time in 2022"
            return TimeMention(i, i + 4, "same", "base", year=y, text=_low(toks, i, 4))
    if four in ("this time last year", "at this point last", "the same point last"):
        k = i + 4 if four == "this time last year" else i + 5
        return TimeMention(i, k, "same", "base", offset=1, text=_low(toks, i, k - i))
    if three in ("a year earlier", "a year ago", "a year before") or two in (
        "year-over-year",
        "yoy",
    ):
        k = i + (3 if three.startswith("a year") else 1)
        return TimeMention(i, k, "same", "base", offset=1, text=_low(toks, i, k - i))
    if t.low in ("year-over-year", "yoy", "year-on-year"):
        return TimeMention(i, i + 1, "same", "base", offset=1, text=t.low)
    if three in ("year over year", "year on year"):
        return TimeMention(i, i + 3, "same", "base", offset=1, text=three)
    return None


MONTH_COUNT = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}
MONTH_COUNT.update({"nine": 9, "ten": 10, "eleven": 11})
MONTH_COUNT.update({str(k): k for k in range(1, 12)})


def _months_phrase(toks, i) -> tuple[int, int] | None:
    """(months, tokens) of 'first half', 'first quarter', 'first four months', 'first 10
    months', 'first three quarters' at token i."""
    if _low(toks, i) != "first":
        return None
    two = _low(toks, i, 2)
    if two == "first half":
        return 6, 2
    if two == "first quarter":
        return 3, 2
    word, unit = _low(toks, i + 1), _low(toks, i + 2)
    if word in MONTH_COUNT and unit == "months":
        return MONTH_COUNT[word], 3
    if word in ("two", "three") and unit == "quarters":
        return 3 * MONTH_COUNT[word], 3
    return None


def _year_after(toks, j, pub, this_year: tuple[str, ...]) -> tuple[int | None, int]:
    """The year a period phrase ending at j goes on to name ('... of 2024', '... of this
    year', '... last year') and where the words end; (None, j or past a bare 'of')."""
    if _low(toks, j, 1) in ("of", "in") and j + 1 < len(toks):
        j += 1
    if j < len(toks) and _year_token(toks[j]):
        return _year_token(toks[j]), j + 1
    if _low(toks, j, 2) in this_year:
        return (pub.year if pub else None), j + 2
    if _low(toks, j, 2) == "last year":
        return (pub.year - 1 if pub else None), j + 2
    return None, j


QUARTERS = {"second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "final": 4}


def _quarter(toks, i, pub, t, nxt, two, three):
    """'the fourth quarter of 2022', 'third-quarter', 'Q3 2024': three months of a year ('the
    first quarter' is read by `_half`, as the year's first months: the same window)."""
    q, k = None, 0
    if t.low in QUARTERS and nxt == "quarter":
        q, k = QUARTERS[t.low], 2
    elif t.low.endswith("-quarter") and t.low.split("-")[0] in QUARTERS:
        q, k = QUARTERS[t.low.split("-")[0]], 1
    elif t.low == "q" and i + 1 < len(toks) and toks[i + 1].num in (1, 2, 3, 4):
        q, k = int(toks[i + 1].num), 2  # type: ignore[arg-type]  # 'Q3' (read as 'q', '3')
    if q is None:
        return None
    year, end = _year_after(toks, i + k, pub, ("this year",))
    j = end if year is not None else i + k  # else 'of' belonged to something else
    return TimeMention(
        i, j, "quarter", _role(toks, i), year=year, offset=q, text=_low(toks, i, j - i)
    )


def _half(toks, i, pub, t, nxt, two, three):
    """'first half (of 2024)', 'first six months of this year', 'first quarter', 'the first
    four months of the year'."""
    got = _months_phrase(toks, i)
    if got is None:
        return None
    m, k = got
    year, j = _year_after(toks, i + k, pub, ("this year", "the year"))
    return TimeMention(
        i, j, "halfyear", _role(toks, i), year=year, offset=m, text=_low(toks, i, j - i)
    )


SPAN_UNITS = {"year": 1, "years": 1, "decade": 10, "decades": 10, "century": 100}


def _span(toks, i, pub, t, nxt, two, three):
    """History spans for superlatives: 'in 60 years', 'six decades', '15-year high',
    'since 2019', 'since the 1950s', 'a quarter century', 'on record', 'ever'."""
    if t.low == "since" and i + 1 < len(toks):
        j = i + 1 + (1 if nxt == "the" else 0)
        if j < len(toks) and toks[j].num is not None:
            txt = toks[j].text
            y = int(toks[j].num) if toks[j].num and 1900 <= toks[j].num <= 2035 else None
            if y is None and txt.isdecimal() and len(txt) == 4:
                y = int(txt)
            if j + 1 < len(toks) and toks[j + 1].low in ("s", "'s"):
                j += 1  # 'the 1950s'
            elif txt.endswith("s"):
                pass
            if y:
                return TimeMention(i, j + 1, "span", "span", since=y, text=_low(toks, i, j + 1 - i))
        if j < len(toks) and toks[j].low.startswith("mid-") and toks[j].low[4:8].isdigit():
            y = int(toks[j].low[4:8]) + 5
            return TimeMention(i, j + 1, "span", "span", since=y, text=_low(toks, i, j + 1 - i))
    if t.num is not None and i + 1 < len(toks):
        unit = toks[i + 1].low
        if unit in SPAN_UNITS and t.num <= 200:
            return TimeMention(
                i, i + 2, "span", "span", span=int(t.num * SPAN_UNITS[unit]), text=_low(toks, i, 2)
            )
        if unit in ("-", "–") and i + 2 < len(toks) and toks[i + 2].low in SPAN_UNITS:
            return TimeMention(
                i,
                i + 3,
                "span",
                "span",
                span=int(t.num * SPAN_UNITS[toks[i + 2].low]),
                text=_low(toks, i, 3),
            )
    years = _span_years(t.low.split("-year")[0]) if "-year" in t.low else None
    if years is not None:
        return TimeMention(i, i + 1, "span", "span", span=years, text=t.low)
    if two in ("a decade", "a generation") or three == "a quarter century":
        k = 2 if two in ("a decade", "a generation") else 3
        span = {"a decade": 10, "a generation": 25}.get(two, 25)
        return TimeMention(i, i + k, "span", "span", span=span, text=_low(toks, i, k))
    if two in ("on record", "in history", "all-time", "ever recorded") or t.low in (
        "ever",
        "all-time",
    ):
        return TimeMention(
            i, i + (1 if t.low in ("ever", "all-time") else 2), "span", "span", span=999, text=t.low
        )
    if t.low == "history" and i > 0:
        return TimeMention(i, i + 1, "span", "span", span=999, text=t.low)
    if two in ("modern history", "recent history"):
        return TimeMention(i, i + 2, "span", "span", span=999 if two[0] == "m" else 20, text=two)
    return None


def _span_years(word: str) -> int | None:
    """The N of 'N-year' ('five-year', '25-year'): two to a hundred years, else None."""
    n = int(word) if word.isdecimal() else NUMBER_WORDS.get(word)
    return n if n is not None and 2 <= n <= 100 else None


RECENT_DAYS = {"day": 1, "days": 1, "week": 7, "weeks": 7, "month": 30, "months": 30}


def _recent(toks, i, pub, t, nxt, two, three):
    """'the past two weeks', 'the last 30 days', 'the previous three months', 'the past week':
    the days up to publication (not 'last week' or 'last month', read as calendar periods)."""
    if t.low not in ("past", "last", "previous"):
        return None
    j, n = i + 1, 1.0
    if j < len(toks) and toks[j].num is not None:
        n, j = toks[j].num, j + 1
    elif nxt in ("week", "month") and t.low == "last":
        return None
    if j >= len(toks) or toks[j].low not in RECENT_DAYS or not 0 < n <= 400:
        return None
    if toks[j].low.endswith("s") == (j == i + 1):
        return None  # 'past weeks' (how many?), 'past 2 week'
    days = int(n * RECENT_DAYS[toks[j].low])
    text = _low(toks, i, j + 1 - i)
    if pub is None:  # "in the past six months" on a page with no date: up to an unknown day
        return TimeMention(i, j + 1, "ytd_open", _role(toks, i), text=text)
    p = Period("recent", pub.year, pub, approx=True, text=text, days=days)
    return TimeMention(i, j + 1, "recent", _role(toks, i), year=pub.year, period=p, text=text)


def _relative(toks, i, pub, t, nxt, two, three):
    """'last year', 'this year' (and "last year's"), 'the previous year', 'N years ago',
    'pre-pandemic'."""
    if two == "that year" and (i == 0 or toks[i - 1].low in ("in", ",", "of", "for")):
        return TimeMention(i, i + 2, "that", _role(toks, i), text=two)  # the year just named
    if (
        two in ("last month", "this month")
        and pub is not None
        and any(x.num is not None for x in toks[max(0, i - 3) : i])  # "to 1,057 last month"
    ):  # (not "told the committee this month that ...": when something was said)
        y, m = pub.year, pub.month  # "to 1,057 last month" in an October story: September
        if two == "last month":
            y, m = (y, m - 1) if m > 1 else (y - 1, 12)
        period = Period("month", y, month=m)
        return TimeMention(i, i + 2, "month", _role(toks, i), year=y, period=period, text=two)
    if nxt in ("year's", "year’s") and t.low in ("last", "this", "past"):
        two = f"{t.low} year"  # "last year's homicide total": the year, possessive
    if two in ("last year", "this year", "past year"):
        if pub is None:
            return TimeMention(i, i + 2, "relative", _role(toks, i), text=two)
        y = pub.year - 1 if two != "this year" else pub.year
        kind = "year" if two != "this year" else "thisyear"
        return TimeMention(i, i + 2, kind, _role(toks, i), year=y, text=two)
    if (two in ("next year", "following year") and i > 0 and toks[i - 1].low == "the") or (
        three == "a year later"
    ):
        k = i + (3 if three == "a year later" else 2)
        return TimeMention(i, k, "next", "current", offset=1, text=_low(toks, i, k - i))
    if two in ("previous year", "prior year", "year before", "year prior"):
        return TimeMention(i, i + 2, "same", "base", offset=1, text=two)
    if t.num is not None and nxt in ("years", "year") and _low(toks, i + 2) == "ago":
        return TimeMention(i, i + 3, "ago", "base", offset=int(t.num), text=_low(toks, i, 3))
    if t.low in ("pre-pandemic", "prepandemic"):
        return TimeMention(i, i + 1, "year", "base", year=2019, text=t.low)
    return None


def month_name(m: int) -> str:
    return calendar.month_name[m]
