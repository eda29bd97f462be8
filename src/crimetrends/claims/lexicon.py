"""Tokens and the words the rules look for (offenses, other measures, directions, numbers).

A sentence is cut into tokens once by one regular expression (linear in its length); every
rule then looks at tokens near a position, through `PhraseIndex`, a dictionary of word
sequences matched longest-first at each token (cost bounded by the longest phrase).
The vocabularies are data: `data/offense_synonyms.csv`, `data/measures.csv`.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

TOKEN = re.compile(
    r"\d{1,3}(?:,\d{3}){1,4}(?:\.\d+)?(?!\d|,\d)|\d{1,15}(?:\.\d{1,6})?"  # '5,402, the'
    r"|(?<![\w.%])\.\d{1,6}(?![\d.])"  # 'a slight rise of .4%': a decimal without its zero
    r"|[A-Za-z](?:\.[A-Za-z])+\.?|[A-Za-z][A-Za-z’']*(?:-[A-Za-z][A-Za-z’']*)*|[%$]|[^\sA-Za-z\d]"
)


@dataclass(frozen=True)
class Token:
    text: str
    low: str
    start: int
    end: int
    num: float | None = None  # a number written in digits or words


NUMBER_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "dozen": 12,
}
TENS = {"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}


def tokens(text: str) -> list[Token]:
    """Tokens of one sentence, with numbers read ('1,077', '16.07', 'twenty-six')."""
    out: list[Token] = []
    for m in TOKEN.finditer(text):
        t = m.group(0)
        low = t.lower().replace("’", "'")
        num: float | None = None
        if t[0].isdecimal() or (t[0] == "." and t[1:2].isdecimal()):  # not "¹" (isdigit)
            num = float(t.replace(",", ""))
        elif low in NUMBER_WORDS:
            num = float(NUMBER_WORDS[low])
        elif "-" in low:
            a, _, b = low.partition("-")
            if a in TENS and b in NUMBER_WORDS and NUMBER_WORDS[b] < 10:
                num = float(NUMBER_WORDS[a] + NUMBER_WORDS[b])
        out.append(Token(t, low, m.start(), m.end(), num))
    for k in range(len(out) - 1):  # "2.8 million": one number
        scale = SCALES.get(out[k + 1].low)
        if out[k].num is not None and scale:
            t = out[k]
            out[k] = Token(t.text, t.low, t.start, t.end, t.num * scale)
    return out


SCALES = {"million": 1e6, "billion": 1e9, "thousand": 1e3}


class PhraseIndex:
    """Word sequences → a value, matched longest-first at a token position.

    With `both_numbers`, a phrase of several words also matches with its last word in the
    other number ('retail theft' lists 'retail thefts' too), unless that form is listed
    itself: a list of offenses or measures that spells only one number must not let the
    other fall through to a shorter, wrong phrase ('thefts'). Single words are left as listed
    ('officer' is not 'officers'); so are place names ('the largest city' is one city, 'the
    largest cities' a set).
    """

    def __init__(self, phrases: dict[str, object], both_numbers: bool = False) -> None:
        self.table: dict[tuple[str, ...], object] = {}
        self.longest = 1
        for phrase, value in phrases.items():
            key = tuple(t.low for t in tokens(phrase))
            self.table[key] = value
            self.longest = max(self.longest, len(key))
        for key, value in list(self.table.items()):
            for other in _other_number(key[-1]) if both_numbers and len(key) > 1 else ():
                self.table.setdefault((*key[:-1], other), value)

    def at(self, toks: list[Token], i: int) -> tuple[int, object] | None:
        """(length, value) of the longest phrase starting at token i."""
        for n in range(min(self.longest, len(toks) - i), 0, -1):
            key = tuple(t.low for t in toks[i : i + n])
            if key in self.table:
                return n, self.table[key]
        return None

    def scan(self, toks: list[Token]) -> list[tuple[int, int, object]]:
        """Non-overlapping (start, end, value) matches, left to right."""
        out, i = [], 0
        while i < len(toks):
            hit = self.at(toks, i)
            if hit:
                out.append((i, i + hit[0], hit[1]))
                i += hit[0]
            else:
                i += 1
        return out


def _other_number(word: str) -> tuple[str, ...]:
    """The plural of a singular noun, or the singular of a regular plural (lower case)."""
    if not word.isalpha() or len(word) < 4 or word.endswith(("ed", "est")):
        return ()
    if word.endswith("ies"):
        return (word[:-3] + "y",)
    if word.endswith(("ches", "shes", "sses", "xes")):
        return (word[:-2],)
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return (word[:-1],)
    if word.endswith("y") and word[-2] not in "aeiou":
        return (word[:-1] + "ies",)
    if word.endswith(("ch", "sh", "ss", "x")):
        return (word + "es",)
    return (word + "s",)


def _rows(name: str) -> list[dict[str, str]]:
    path = resources.files("crimetrends.claims") / "data" / name
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@dataclass(frozen=True)
class Offense:
    key: str  # a store offense, 'violent', 'property' or 'all'
    phrase: str
    note: str


@cache
def offense_index() -> PhraseIndex:
    return PhraseIndex(
        {
            r["phrase"]: Offense(r["offense"], r["phrase"], r["note"])
            for r in _rows("offense_synonyms.csv")
        },
        both_numbers=True,
    )


@cache
def measure_index() -> PhraseIndex:
    rows = _rows("measures.csv")
    return PhraseIndex({r["phrase"]: r["category"] for r in rows}, both_numbers=True)


@cache
def measure_reasons() -> dict[str, str]:
    return {r["category"]: r["reason"] for r in _rows("measure_reasons.csv")}


# Words after "crime" that make it part of a name, not the offense ("crime data").
CRIME_NAME_WORDS = {
    "category",  # 'Robbery is a crime category that had a massive spike'
    "categories",
    "type",
    "types",
    "index",
    "data",
    "statistics",
    "stats",
    "analyst",
    "analysts",
    "report",
    "reports",
    "lab",
    "scene",
    "prevention",
    "task",
    "unit",
    "commission",
    "bill",
    "policy",
    "figures",
    "numbers",
    "experts",
    "researchers",
    "trends",
    "tracker",
    "dashboard",
    "center",
    "centre",
    "strategy",
    "plan",
    "rates?",
    "fighting",
    "victims",
}

DOWN = {
    "fell",
    "fall",
    "falls",
    "falling",
    "dropped",
    "drop",
    "drops",
    "dropping",
    "declined",
    "decline",
    "declines",
    "declining",
    "decreased",
    "decrease",
    "decreases",
    "decreasing",
    "reduction",
    "reductions",
    "reduced",
    "down",
    "lower",
    "fewer",
    "plunged",
    "plunge",
    "plummeted",
    "plummet",
    "sank",
    "slid",
    "dipped",
    "dip",
    "tumbled",
    "shrank",
    "downward",
    "downturn",
    "eased",
    "cut",
    "dropoff",
    "less",
    "improvement",
    "improvements",
    "fallen",
    "plummeting",
    "slipped",
    "improved",
    "lows",
    "ebbing",
    "ebbed",
    "receded",
    "receding",
    "waned",
    "waning",
}
UP = {
    "rose",
    "rise",
    "rises",
    "rising",
    "increased",
    "increase",
    "increases",
    "increasing",
    "up",
    "higher",
    "more",
    "jumped",
    "jump",
    "jumps",
    "spiked",
    "spike",
    "spikes",
    "soared",
    "soar",
    "surged",
    "surge",
    "surges",
    "climbed",
    "climb",
    "climbs",
    "grew",
    "growth",
    "doubled",
    "tripled",
    "upward",
    "skyrocketed",
    "ballooned",
    "above",
    "hike",
    "upswing",
    "risen",
    "soaring",
    "surging",
    "grown",
    "uptick",
    "highs",
}
DIRECTION_VERBS = {
    "fell",
    "fall",
    "falls",
    "dropped",
    "drop",
    "drops",
    "declined",
    "decline",
    "declines",
    "decreased",
    "decrease",
    "decreases",
    "plunged",
    "plummeted",
    "sank",
    "slid",
    "dipped",
    "tumbled",
    "shrank",
    "rose",
    "rise",
    "rises",
    "increased",
    "increase",
    "increases",
    "jumped",
    "spiked",
    "soared",
    "surged",
    "climbed",
    "grew",
    "doubled",
    "tripled",
    "skyrocketed",
    "ballooned",
    "reduction",
    "reductions",
    "reduced",
    "spike",
    "surge",
    "declining",
    "rising",
    "falling",
    "dropping",
    "increasing",
    "decreasing",
    "downward",
    "upward",
    "trending",
    "lower",
    "higher",
    "fewer",
    "down",
    "up",
}

# Qualifiers before a number: how the stated figure bounds the true one.
QUALIFIERS = {
    "nearly": "nearly",
    "almost": "nearly",
    "close to": "nearly",
    "just under": "nearly",
    "approaching": "nearly",
    "more than": "over",
    "over": "over",
    "above": "over",
    "at least": "over",
    "upwards of": "over",
    "just over": "just_over",
    "about": "about",
    "around": "about",
    "roughly": "about",
    "approximately": "about",
    "some": "about",
    "an estimated": "about",
    "estimated": "about",
    "like": "about",
    "less than": "under",
    "fewer than": "under",
    "under": "under",
    "below": "under",
    "just shy of": "nearly",
    "by more than": "over",
    "by nearly": "nearly",
    "by almost": "nearly",
    "by about": "about",
    "by roughly": "about",
    "by at least": "over",
    "by over": "over",
    "by less than": "under",
}
QUALIFIER_INDEX = PhraseIndex(dict(QUALIFIERS))

SUPERLATIVE_WORDS = {
    "lowest": "min",
    "fewest": "min",
    "least": "min",
    "safest": "min",
    "highest": "max",
    "most": "max",
    "deadliest": "max",
    "worst": "max",
    "record": "max",
    "record-setting": "max",
    "record-breaking": "max",
    "record-high": "max",
    "record-low": "min",
    "all-time": "max",
    "largest": "max",
    "biggest": "max",
    "greatest": "max",
    "smallest": "min",
}
