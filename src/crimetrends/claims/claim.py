"""A claim as read from a story: what it states, about which place, offense and period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from crimetrends.claims.places import Place
from crimetrends.claims.when import Period

KINDS = (
    "count",  # a count for one period ("416 homicides last year")
    "pct",  # a percent change ("fell 29%", "a 29% decrease from 2024")
    "direction",  # direction only ("violent crime fell")
    "superlative",  # extremum over the place's own history ("lowest in 60 years")
    "rank",  # position among places, offenses or months ("the most murders of any city")
    "rate",  # level per 100,000 residents
    "ratio",  # "roughly half what it was four years ago"
    "compare",  # between places or changes ("more murders than New York")
    "average",  # a mean over a span ("130 homicides per year")
)
# how a claim's period was found (`Claim.carried["period"]`) when only a publication date
# could have given it ("19 so far this year" on a page with no date)
NO_DATE = "relative, no publication date"
STATUTORY = "a state's statutory classes"  # a note: the claim's offense is split otherwise


@dataclass
class Claim:
    kind: str
    text: str  # the sentence or table row
    start: int  # the sentence's span in the document text
    end: int
    fragment: str  # the words the claim was read from
    rule: str
    offense: str | None = None  # store offense, 'violent', 'property' or 'all'
    offenses: list[str] = field(default_factory=list)  # several, each checked
    offense_text: str | None = None
    offense_note: str = ""
    measure: str | None = None  # a measure that is not in the crime data (shootings...)
    place: Place | None = None
    places: list[Place] = field(default_factory=list)  # several, each checked
    place_text: str | None = None
    period: Period | None = None
    base: Period | None = None
    value: float | None = None  # a count, rate or ratio as stated
    pct: float | None = None  # a signed percent change as stated
    direction: int | None = None  # -1 down, +1 up
    qualifier: str | None = None  # nearly | over | about | under | just_over | range
    high: float | None = None  # upper end of a stated range
    base_value: float | None = None  # a count stated for the base period
    extremum: str | None = None  # min | max
    span: int | None = None  # history span in years (999: all of it)
    since: int | None = None
    rank: int | None = None
    numbers: list[float] = field(default_factory=list)  # every number the claim states
    notes: list[str] = field(default_factory=list)
    carried: dict[str, str] = field(default_factory=dict)  # what came from context
    attached: list[Claim] = field(default_factory=list)  # parts checked with this claim
    pos: int = -1  # token position in its sentence
    table: int | None = None  # the table a cell claim belongs to
    published: dt.date | None = None  # set when its period had not ended at publication
    article_date: dt.date | None = None  # the page's publication date, when known

    @property
    def year(self) -> int | None:
        return self.period.year if self.period else None

    def to_dict(self) -> dict[str, Any]:
        p, b = self.period, self.base
        return {
            "kind": self.kind,
            "text": self.text,
            "fragment": self.fragment,
            "rule": self.rule,
            "span": [self.start, self.end],
            "place_text": self.place_text,
            "place": self.place.label if self.place else None,
            "place_kind": self.place.kind if self.place else None,
            "places": [q.label for q in self.places],
            "offense_text": self.offense_text,
            "offense": self.offense,
            "offenses": self.offenses,
            "offense_note": self.offense_note,
            "measure": self.measure or _old_measure(self.kind),
            "period": p.label if p else None,
            "base_period": b.label if b else None,
            "year": p.year if p else None,
            "previous_year": b.year if b else None,
            "through_month": p.end.month if p and p.kind == "ytd" and p.end else None,
            "value": self.value,
            "previous_value": self.base_value,
            "pct_change": self.pct,
            "direction": self.direction,
            "qualifier": self.qualifier,
            "extremum": self.extremum,
            "span_years": self.span,
            "since": self.since,
            "rank": self.rank,
            "numbers": self.numbers,
            "carried": self.carried,
            "notes": self.notes,
        }


def _old_measure(kind: str) -> str:
    return {"pct": "pct_change", "count": "count", "rate": "rate", "rank": "rank"}.get(kind, kind)
