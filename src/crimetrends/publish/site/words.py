"""Figures in words for the site: periods, dates, labels, offense and source names.

One place, so the answer card, the overview, the tables and the downloads say the same
thing the same way (the numbers themselves come from `render.numbers`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from typing import Any

from crimetrends.analysis.trends import SMALL_NUMBERS, small_numbers
from crimetrends.render import numbers as fmt
from crimetrends.taxonomy.offenses import REPORTED_OFFENSES

OFFENSES = REPORTED_OFFENSES  # the two totals, then each Part I offense
OFFENSE_NAMES = {
    "violent": "Violent crime",
    "property": "Property crime",
    "murder": "Murder",
    "rape": "Rape",
    "robbery": "Robbery",
    "aggravated_assault": "Aggravated assault",
    "burglary": "Burglary",
    "larceny": "Larceny-theft",
    "motor_vehicle_theft": "Motor vehicle theft",
}
# Short names a reader recognises; the methodology page and downloads carry the full titles.
SOURCE_NAMES = {
    "rtci_ytd": "Real-Time Crime Index, year-to-date table",
    "rtci": "Real-Time Crime Index, monthly counts",
    "chicago": "Chicago Police incident records",
    "lapd": "LAPD incident records (sample)",
    "nypd": "NYPD complaint records (sample)",
    "lapd_annual": "LAPD annual counts",
    "ucr_annual": "FBI UCR annual table (The Marshall Project)",
    "code_homicides": "Crime Open Database homicides",
    "fbi_cde": "FBI Crime Data Explorer",
}
SOURCE_SHORT = {
    "rtci_ytd": "RTCI year to date",
    "rtci": "RTCI monthly",
    "chicago": "Chicago PD incidents",
    "lapd": "LAPD incidents (sample)",
    "nypd": "NYPD complaints (sample)",
    "lapd_annual": "LAPD annual counts",
    "ucr_annual": "UCR annual table",
    "code_homicides": "CODE homicides",
    "fbi_cde": "FBI CDE",
}
# the trend rows' population note, said once on the page instead of on every row
POPULATION_NOTE = re.compile(
    r"population [\d,]+ from (\d{4}), the nearest year available \(([\w]+)\)"
)
# Fewer crimes than this in the two periods together: the interval is too wide to say much.
SMALL_TOTAL = SMALL_NUMBERS  # one threshold for the site and the CLI
POPULATION_CLASSES = (
    (1_000_000, "1M and over"),
    (250_000, "250K to 1M"),
    (100_000, "100K to 250K"),
    (0, "under 100K"),
)


def missing(value: Any) -> bool:
    return fmt.is_missing(value)


def number(value: Any) -> float | None:
    """A float, or None for any kind of missing (NaN, NA, None)."""
    return None if missing(value) else float(value)


def whole(value: Any) -> int | None:
    return None if missing(value) else int(value)


def offense_name(offense: str) -> str:
    return OFFENSE_NAMES.get(offense, offense.replace("_", " ").capitalize())


def source_name(source: str) -> str:
    return SOURCE_NAMES.get(source, source)


def source_short(source: str) -> str:
    return SOURCE_SHORT.get(source, source)


def short_flags(flags: str | None) -> str:
    """The row's caveats with the population note shortened ('rate: 2023 population')."""
    return POPULATION_NOTE.sub(r"rate uses the \1 population (\2)", flags or "")


def month_label(period: str) -> str:
    """'Jan 2018' for '2018-01-01' (a period's first day)."""
    return f"{dt.date.fromisoformat(period[:10]):%b %Y}"


def month_year(day: Any) -> str:
    """'Dec 2025' for a last day of a month, 'Dec 14, 2025' for any other day."""
    if missing(day) or not day:
        return "—"
    d = dt.date.fromisoformat(str(day)[:10])
    if d.day == calendar.monthrange(d.year, d.month)[1]:
        return f"{d:%b %Y}"
    return f"{d:%b} {d.day}, {d.year}"


def long_date(day: Any) -> str:
    """'17 Feb 2026' (publication dates), '—' when unknown."""
    if missing(day) or not day:
        return "—"
    d = dt.date.fromisoformat(str(day)[:10])
    return f"{d.day} {d:%b %Y}"


def comparison(row: dict[str, Any]) -> str:
    """'2025 vs 2024', 'Jan–Sep 2025 vs Jan–Sep 2024'."""
    return f"{row['period']} vs {row['previous_period']}"


def label_words(label: str | None) -> str:
    """The label as a sentence fragment a reader needs no glossary for."""
    if not label:
        return "No label (a sample extract, or a definition changed between the periods)"
    if label == "down":
        return "Down: a detectable decline"
    if label == "up":
        return "Up: a detectable increase"
    if label == "no detectable change":
        return "No detectable change: the 95% interval includes zero"
    if label.startswith("not comparable"):
        return "Not comparable" + label[len("not comparable") :]
    return label


def label_kind(label: str | None) -> str:
    """The filter value of a label: down, up, flat, na."""
    if label == "down":
        return "down"
    if label == "up":
        return "up"
    if label == "no detectable change":
        return "flat"
    return "na"


def is_small(row: dict[str, Any]) -> bool:
    """Counts too small to compare: both periods together under SMALL_TOTAL crimes."""
    return small_numbers(whole(row.get("count")), whole(row.get("previous_count")))


def population_class(pop: Any) -> str:
    if missing(pop):
        return "unknown"
    return next(name for floor, name in POPULATION_CLASSES if float(pop) >= floor)


def pct_text(value: Any) -> str:
    return fmt.pct(number(value))


def interval_text(low: Any, high: Any) -> str:
    return fmt.ci(number(low), number(high))


def change_text(row: dict[str, Any]) -> str:
    return fmt.change(
        number(row.get("pct_change")), number(row.get("ci_low")), number(row.get("ci_high"))
    )


def through_text(row: dict[str, Any]) -> str:
    """'Data through Dec 2025, published 17 Feb 2026' (the publication date when known)."""
    through = month_year(row.get("through") or row.get("end"))
    vintage = row.get("vintage")
    if missing(vintage) or not vintage:
        return f"Data through {through}; publication date not recorded"
    return f"Data through {through}, published {long_date(vintage)}"


def finite(value: Any) -> bool:
    v = number(value)
    return v is not None and math.isfinite(v)
