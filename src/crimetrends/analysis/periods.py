"""Comparison windows: full years, year-to-date, single months and rolling 12 months."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from crimetrends.errors import ConfigError

PERIOD_KINDS = ("year", "ytd", "month", "rolling12")
SHORT_WINDOW_DAYS = 90


@dataclass(frozen=True)
class Window:
    start: dt.date
    end: dt.date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def months(self) -> list[dt.date]:
        out, d = [], self.start.replace(day=1)
        while d <= self.end:
            out.append(d)
            d = add_months(d, 1)
        return out

    @property
    def month_aligned(self) -> bool:
        return self.start.day == 1 and self.end == month_end(self.end)

    @property
    def label(self) -> str:
        s, e = self.start, self.end
        if s == dt.date(s.year, 1, 1) and e == dt.date(s.year, 12, 31):
            return str(s.year)
        if self.month_aligned:
            if s.year == e.year and s.month == e.month:
                return s.strftime("%b %Y")
            if s.year == e.year:
                return f"{s:%b}–{e:%b} {e.year}"
            return f"{s:%b %Y}–{e:%b %Y}"
        if s.year == e.year:
            return f"{s:%b} {s.day}–{e:%b} {e.day}, {e.year}"
        return f"{s.isoformat()}–{e.isoformat()}"


def add_months(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    return dt.date(d.year + y, m + 1, 1)


def month_end(d: dt.date) -> dt.date:
    return dt.date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])


def same_day_in(year: int, d: dt.date) -> dt.date:
    """The same month/day in another year (Feb 29 becomes Feb 28)."""
    day = min(d.day, calendar.monthrange(year, d.month)[1])
    return dt.date(year, d.month, day)


def parse_through(value: str | None, what: str = "--through") -> dt.date | None:
    """YYYY-MM (the end of that month) or YYYY-MM-DD; every wrong value named precisely."""
    if not value:
        return None
    m = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", value.strip())
    if not m:
        raise ConfigError(f"{what} {value!r}: use YYYY-MM or YYYY-MM-DD, e.g. 2024-07")
    year, month = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 12:
        raise ConfigError(f"{what} {value!r}: month {month} does not exist (months are 01-12)")
    last = calendar.monthrange(year, month)[1]
    if m.group(3) is None:
        return dt.date(year, month, last)
    day = int(m.group(3))
    if not 1 <= day <= last:
        raise ConfigError(
            f"{what} {value!r}: {dt.date(year, month, 1):%B %Y} has {last} days, not {day}"
        )
    return dt.date(year, month, day)


def parse_date(value: str | None, what: str) -> dt.date | None:
    """A full date YYYY-MM-DD (e.g. --vintage); the same precise errors as --through."""
    if not value:
        return None
    if not re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", value.strip()):
        raise ConfigError(f"{what} {value!r}: use YYYY-MM-DD, e.g. 2026-02-17")
    return parse_through(value, what)


def parse_year(value: str | int, what: str) -> int:
    try:
        year = int(str(value)[:4])
    except ValueError:
        raise ConfigError(f"{what} {value!r}: expected a year such as 2024") from None
    if not 1900 <= year <= 2100:
        raise ConfigError(f"{what} {value!r}: year out of range")
    return year
