"""Rule-based, inspectable extraction of crime claims from text, Markdown or HTML.

Each rule is a regular expression over one sentence or one table row; every claim keeps
the text it came from and the name of the rule that matched (`--explain`).
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import html
import re
from dataclasses import asdict, dataclass, field
from functools import cache
from html.parser import HTMLParser
from importlib import resources
from typing import Any

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
NUMBER = r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
PCT = NUMBER + r"\s*(?:%|percent|per cent)"
DOWN = (
    r"fell|fall|dropped|drop|declined|decline|decreased|decrease|was down|were down|"
    r"went down|down|decline of|drop of|plunged|plummeted"
)
UP = (
    r"rose|rise|increased|increase|climbed|jumped|was up|were up|went up|up|increase of|"
    r"rise of|soared|spiked"
)
PLACE_ALIASES = {
    "nyc": "New York City",
    "new york": "New York City",
    "la": "Los Angeles",
    "chicago's": "Chicago",
}


@dataclass
class Claim:
    text: str
    rule: str
    place_text: str | None
    offense_text: str | None
    offense: str | None
    offense_note: str
    measure: str  # count | pct_change | count_pair | rate
    value: float | None = None
    previous_value: float | None = None
    pct_change: float | None = None
    year: int | None = None
    previous_year: int | None = None
    through_month: int | None = None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@cache
def synonyms() -> list[tuple[str, str | None, str]]:
    path = resources.files("crimetrends.claims") / "data" / "offense_synonyms.csv"
    with path.open(encoding="utf-8") as f:
        rows = [(r["phrase"], r["offense"] or None, r["note"]) for r in csv.DictReader(f)]
    return sorted(rows, key=lambda r: -len(r[0]))


def offense_pattern() -> str:
    return "(" + "|".join(re.escape(p) for p, _, _ in synonyms()) + ")"


def lookup_offense(text: str) -> tuple[str | None, str]:
    low = text.lower()
    for phrase, offense, note in synonyms():
        if phrase == low:
            return offense, note
    return None, "offense not recognised"


def number(text: str) -> float:
    return float(text.replace(",", ""))


class _TextAndTables(HTMLParser):
    """Split HTML into plain text paragraphs and tables (lists of rows of cells)."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tables: list[list[list[str]]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._in_table = 0
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "table":
            self._in_table += 1
            self.tables.append([])
        elif tag == "tr" and self._in_table:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag in ("p", "br", "li", "h1", "h2", "h3", "div"):
            self.text.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1
        elif tag == "table":
            self._in_table -= 1
        elif tag == "tr" and self._row is not None:
            self.tables[-1].append(self._row)
            self._row = None
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._cell is not None:
            self._cell.append(data)
        elif not self._in_table:
            self.text.append(data)


def split_document(raw: str) -> tuple[str, list[list[list[str]]]]:
    """Plain text and tables from HTML or Markdown (pipe tables) or plain text."""
    if re.search(r"<(p|table|div|html|body)\b", raw, re.I):
        parser = _TextAndTables()
        parser.feed(raw)
        return html.unescape("".join(parser.text)), parser.tables
    tables: list[list[list[str]]] = []
    lines = []
    current: list[list[str]] = []
    for line in raw.splitlines():
        if line.strip().startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not all(re.fullmatch(r":?-+:?", c) for c in cells if c):
                current.append(cells)
            continue
        if current:
            tables.append(current)
            current = []
        lines.append(re.sub(r"[#*_>`]", "", line))
    if current:
        tables.append(current)
    return "\n".join(lines), tables


def sentences(text: str) -> list[str]:
    text = " ".join(text.split())
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z\"“])", text)
    return [p.strip() for p in parts if p.strip()]


def find_year(text: str, article_date: dt.date | None) -> tuple[int | None, list[str]]:
    years = [int(y) for y in re.findall(r"\b(19[5-9]\d|20[0-4]\d)\b", text)]
    notes = []
    if re.search(r"\blast year\b", text, re.I) and article_date:
        notes.append(f"'last year' read as {article_date.year - 1} from the article date")
        return article_date.year - 1, notes
    if re.search(r"\bthis year\b|\bso far\b", text, re.I) and article_date:
        notes.append(f"'this year' read as {article_date.year} from the article date")
        return article_date.year, notes
    if years:
        return years[-1] if len(years) == 1 else max(years), notes
    return None, notes


def find_through(text: str) -> int | None:
    m = re.search(r"\bthrough (?:the end of )?(" + "|".join(MONTHS) + r")\b", text, re.I)
    if m:
        return MONTHS[m.group(1).lower()]
    if re.search(r"first half|first six months", text, re.I):
        return 6
    return None


def _claim(
    sentence: str, rule: str, place: str | None, offense_text: str, measure: str, **values: Any
) -> Claim:
    offense, note = lookup_offense(offense_text)
    return Claim(sentence, rule, place, offense_text, offense, note, measure, **values)


def extract_sentence(
    s: str,
    place: str | None,
    article_date: dt.date | None,
    place_at: Any = None,
) -> list[Claim]:
    """Claims in one sentence; `place_at(pos)` names the place mentioned last before pos."""
    place_at = place_at or (lambda _pos: place)
    off = offense_pattern()
    year, notes = find_year(s, article_date)
    through = find_through(s)
    out: list[Claim] = []
    # "homicides fell 13% to 617 in 2024" / "robberies were down 19 percent through October"
    m = re.search(
        off
        + r"[^.%]{0,40}?\b("
        + DOWN
        + "|"
        + UP
        + r")\b(?: by)? "
        + PCT
        + r"(?:[^.]{0,20}?\bto "
        + NUMBER
        + r")?",
        s,
        re.I,
    )
    if m:
        sign = -1 if re.fullmatch(DOWN, m.group(2).lower()) else 1
        c = _claim(
            s,
            "pct-change-verb",
            place,
            m.group(1),
            "pct_change",
            pct_change=sign * number(m.group(3)),
            year=year,
            through_month=through,
            previous_year=year - 1 if year else None,
            value=number(m.group(4)) if m.group(4) else None,
            notes=list(notes),
        )
        out.append(c)
    # "a 20% decline in violent crime" / "a 9.7 percent increase in robberies"
    m = re.search(PCT + r" (decline|drop|decrease|increase|rise|jump) in " + off, s, re.I)
    if m and not out:
        sign = -1 if m.group(2).lower() in ("decline", "drop", "decrease") else 1
        out.append(
            _claim(
                s,
                "pct-change-noun",
                place,
                m.group(3),
                "pct_change",
                pct_change=sign * number(m.group(1)),
                year=year,
                previous_year=year - 1 if year else None,
                through_month=through,
                notes=list(notes),
            )
        )
    # "recorded 762 murders last year, up from 485" / "762 homicides, up from 480 in 2015"
    m = re.search(
        NUMBER
        + r" "
        + off
        + r"[^.]{0,80}?\b(?:up|down) from (?:only )?"
        + NUMBER
        + r"(?: [a-z]+)?(?: in (\d{4}))?",
        s,
        re.I,
    )
    if m and not out:
        prev_year = int(m.group(4)) if m.group(4) else (year - 1 if year else None)
        cur_year = year if year and year != prev_year else (prev_year + 1 if prev_year else None)
        out.append(
            _claim(
                s,
                "count-pair",
                place,
                m.group(2),
                "count_pair",
                value=number(m.group(1)),
                previous_value=number(m.group(3)),
                year=cur_year,
                previous_year=prev_year,
                through_month=through,
                notes=list(notes),
            )
        )
    # "N <offense> per 100,000"
    m = re.search(NUMBER + r" " + off + r" per 100,000", s, re.I)
    if m and not out:
        out.append(
            _claim(
                s,
                "rate",
                place,
                m.group(2),
                "rate",
                value=number(m.group(1)),
                year=year,
                notes=list(notes),
            )
        )
    # rank: "Chicago had the most murders of any large city in 2016",
    #       "Chicago had the third-highest number of robberies among the cities in 2015"
    m = re.search(
        r"\bthe (most|fewest|highest number of|lowest number of|"
        r"(second|third|fourth|fifth)[- ](?:most|highest number of)) "
        + off
        + r"[^.]{0,60}?\b(?:of|among) (?:any|all|the)",
        s,
        re.I,
    )
    if m and not out:
        ordinal = {"second": 2, "third": 3, "fourth": 4, "fifth": 5}
        word = m.group(1).lower()
        rank = ordinal.get((m.group(2) or "").lower(), 1)
        out.append(
            _claim(
                s,
                "rank",
                place,
                m.group(3),
                "rank",
                value=float(rank),
                year=year,
                through_month=through,
                notes=[
                    *notes,
                    "rank from the bottom"
                    if word.startswith(("fewest", "lowest"))
                    else "rank from the top",
                ],
            )
        )
    # plain count: "there were 762 murders in Chicago in 2016", "762 homicides"
    if not out:
        for m in re.finditer(r"(?<![\d.,])" + NUMBER + r" " + off + r"\b", s, re.I):
            value = number(m.group(1))
            if 1900 <= value <= 2100 and "," not in m.group(1):
                continue  # a year, not a count
            out.append(
                _claim(
                    s,
                    "count",
                    place_at(m.start()),
                    m.group(2),
                    "count",
                    value=value,
                    year=year,
                    through_month=through,
                    notes=list(notes),
                )
            )
    return out


def extract_table(rows: list[list[str]], places: dict[str, str]) -> list[Claim]:
    """Tables: a place column, counts for two years, optional % change column."""
    if len(rows) < 2:
        return []
    header = [h.lower() for h in rows[0]]
    years = [
        int(re.search(r"(19|20)\d\d", h).group(0)) if re.search(r"(19|20)\d\d", h) else None
        for h in header
    ]
    off_match = re.search(offense_pattern(), " ".join(header), re.I)
    offense_text = off_match.group(1) if off_match else ""
    count_cols = [i for i, y in enumerate(years) if y]
    pct_col = next(
        (i for i, h in enumerate(header) if "%" in h or "percent" in h or "change" in h), None
    )
    rate_col = "per 100" in " ".join(header)
    out = []
    for row in rows[1:]:
        text = " | ".join(row)
        place = next(
            (p for p in places if re.search(r"\b" + re.escape(p) + r"\b", row[0], re.I)), row[0]
        )
        values = {}
        for i in count_cols:
            if i < len(row) and re.fullmatch(r"[\d,.]+", row[i].strip()):
                values[years[i]] = number(row[i])
        pct = None
        if pct_col is not None and pct_col < len(row):
            pm = re.search(r"([+\-−–]?)\s*" + NUMBER, row[pct_col])
            if pm:
                pct = number(pm.group(2)) * (-1 if pm.group(1) in ("-", "−", "–") else 1)
        if len(values) >= 2:
            (y0, v0), (y1, v1) = sorted(values.items())[:2]
            out.append(
                _claim(
                    text,
                    "table-counts",
                    place,
                    offense_text,
                    "rate" if rate_col else "count_pair",
                    value=v1,
                    previous_value=v0,
                    year=y1,
                    previous_year=y0,
                    pct_change=pct,
                )
            )
        elif pct is not None:
            yrs = sorted(y for y in years if y)
            out.append(
                _claim(
                    text,
                    "table-pct",
                    place,
                    offense_text,
                    "pct_change",
                    pct_change=pct,
                    year=yrs[-1] if yrs else None,
                    previous_year=yrs[0] if len(yrs) > 1 else None,
                )
            )
    return out


def extract(raw: str, places: dict[str, str], article_date: dt.date | None = None) -> list[Claim]:
    """Every claim in a document; `places` maps names in text to store agencies."""
    text, tables = split_document(raw)
    claims: list[Claim] = []
    current: str | None = None
    names = sorted(places, key=len, reverse=True)
    for s in sentences(text):
        spots: list[tuple[int, str]] = []
        for p in names:
            for m in re.finditer(r"\b" + re.escape(p) + r"\b", s, re.I):
                if not any(a <= m.start() < a + len(q) for a, q in spots):
                    spots.append((m.start(), p))
        spots.sort()
        first = spots[0][1] if spots else current

        def place_at(pos: int, spots=spots, first=first) -> str | None:
            before = [p for a, p in spots if a <= pos]
            return before[-1] if before else first

        for c in extract_sentence(s, first, article_date, place_at):
            if len({p for _, p in spots}) > 1:
                c.notes.append(f"several places in the sentence; used {c.place_text!r}")
            claims.append(c)
        if spots:
            current = spots[-1][1]
    doc_through = find_through(text[:600])
    doc_year, _ = find_year(text[:600], article_date)
    for table in tables:
        for c in extract_table(table, places):
            if c.through_month is None and doc_through and c.year == doc_year:
                c.through_month = doc_through
                c.notes.append(
                    f"table read as January through month {doc_through} from the text above it"
                )
            claims.append(c)
    return claims
