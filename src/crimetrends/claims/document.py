"""The document model: headline, publication date, paragraphs, sentences and tables.

Plain text, Markdown and HTML are read into one list of *units* in reading order: the
headline, sentences of paragraphs and list items, and table rows (with the table's header).
Each unit keeps its character span in the input (in the text extracted from HTML), so a
verdict can point back at it. A dateline ("CHICAGO (AP) —", "Jan. 5, 2026 —") is taken off
the sentence it opens: it may give the place and the date, it is never a claim.

Every step is a single pass over the lines or characters (no pattern whose cost grows with
the square of the input).
"""

from __future__ import annotations

import datetime as dt
import html as htmlmod
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "sgt",
    "lt",
    "det",
    "gov",
    "sen",
    "rep",
    "jr",
    "sr",
    "inc",
    "co",
    "corp",
    "no",
    "vs",
    "ave",
    "mt",
    "ft",
    "gen",
    "capt",
    "cmdr",
    "supt",
    "approx",
    "est",
    "dept",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "ill",
    "mo",
    "ky",
    "ore",
    "tenn",
    "calif",
    "fla",
    "ga",
    "md",
    "pa",
    "tex",
    "ariz",
    "mass",
    "mich",
    "minn",
    "wash",
    "colo",
    "la",
    "ind",
    "wis",
    "okla",
    "ala",
    "ark",
    "conn",
    "del",
    "kan",
    "kans",
    "miss",
    "mont",
    "neb",
    "nev",
    "va",
    "vt",
    "wyo",
}
PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’ -]{2,40}(?:,\s*[A-Z][A-Za-z.]{1,12})?)\s*"
    r"(?:\((?:AP|Reuters|CNN|AFP|UPI|[A-Z]{2,6}(?: [A-Z][A-Za-z0-9]{0,12}){0,2})\)\s*)?"
    r"(?:[—–]{1,2}| -{1,2} |--)\s*|^(?P<date>"
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \d{1,2},? \d{4})"
    r"\s*[—–-]{1,2}\s*"
)
DATE_WORDS = re.compile(
    r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? (\d{1,2}),? (\d{4})\b"
)
COPYRIGHT = re.compile(r"^\s*(?:©|\(c\)|copyright\b)\s*(?:©\s*)?\d{4}", re.I)
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?!\d)")
LONGEST_SENTENCE = 800  # characters; longer runs are read in pieces (keeps every rule linear)


@dataclass
class Table:
    header: list[str] | None
    rows: list[list[str]] = field(default_factory=list)
    footnote: str | None = None  # "*January 1 - June 30" under a header of "2022* 2023*"


@dataclass
class Unit:
    """One sentence, headline, list item or table row, with its span in the text."""

    text: str
    start: int
    end: int
    kind: str  # headline | sentence | item | row | heading
    paragraph: int
    cells: list[str] | None = None
    table: Table | None = None


@dataclass
class Document:
    text: str
    units: list[Unit]
    headline: str | None = None
    date: dt.date | None = None
    date_source: str | None = None
    datelines: list[str] = field(default_factory=list)
    url: str | None = None


def parse_date_text(text: str) -> dt.date | None:
    """The first full date written out in `text` ('Jan. 5, 2026', '2026-01-05')."""
    m = ISO_DATE.search(text)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
    m = DATE_WORDS.search(text)
    if m:
        month = MONTHS[m.group(1).lower()[:3]]
        try:
            return dt.date(int(m.group(3)), month, int(m.group(2)))
        except ValueError:
            return None
    return None


# -- sentences ---------------------------------------------------------------------------


def split_sentences(text: str, base: int) -> list[tuple[str, int, int]]:
    """Sentences of a paragraph with their spans: one left-to-right pass over the text.

    A stop ends a sentence when a space and a capital, digit or quote follow (or a closing
    quote, then those), unless the word before it is a known abbreviation or a run of
    initials ("D.C.", "U.S.", "L.A.").
    """
    out: list[tuple[str, int, int]] = []
    start, n, i = 0, len(text), 0
    while i < n:
        ch = text[i]
        stop = ch in ".!?" and i + 2 < n and text[i + 1] in " \t" and _opens(text[i + 2])
        if stop and (ch != "." or not _abbreviation_before(text, i)):
            _push(out, text, start, i + 1, base)
            start = i + 2
        # 'the previous year.Other crime trends' (text run together when a page was saved)
        glued = (
            ch in ".!?" and i > 0 and i + 2 < n and (text[i - 1].islower() or text[i - 1].isdigit())
        )
        glued = glued and text[i + 1].isupper() and text[i + 2].islower()
        if glued and (ch != "." or not _abbreviation_before(text, i)):
            _push(out, text, start, i + 1, base)
            start = i + 1
        # '... providing data." There was a decrease': the quote closes the sentence
        quoted = ch in ".!?" and i + 3 < n and text[i + 1] in '"”’' and text[i + 2] in " \t"
        if quoted and _opens(text[i + 3]) and (ch != "." or not _abbreviation_before(text, i)):
            _push(out, text, start, i + 2, base)
            start = i + 3
        i += 1
    _push(out, text, start, n, base)
    return out


def _opens(ch: str) -> bool:
    return ch.isupper() or ch.isdigit() or ch in "\"“‘'(["


STARTERS = {
    "The",
    "A",
    "An",
    "In",
    "It",
    "This",
    "That",
    "These",
    "Those",
    "But",
    "And",
    "However",
    "Still",
    "He",
    "She",
    "They",
    "We",
    "There",
    "New",
    "Meanwhile",
    "Police",
    "Officials",
    "According",
    "Homicides",
    "Murders",
    "Violent",
    "Crime",
    "Shootings",
}


def _abbreviation_before(text: str, i: int) -> bool:
    j = i
    while j > 0 and (text[j - 1].isalpha() or text[j - 1] == "."):
        j -= 1
    word = text[j:i]
    if word in ("D.C", "U.S", "L.A") and text[i + 2 :].split(" ", 1)[0] in STARTERS:
        nxt = text[i + 2 :].split(" ", 2)
        if not (nxt[0] == "Police" and len(nxt) > 1 and nxt[1].startswith("Department")):
            return False  # "... in Washington, D.C. New York still has seen ..."
    if "." in word or (len(word) == 1 and word.isupper()):
        return True  # initials: D.C, U.S, L.A
    return word.lower() in ABBREVIATIONS


def _push(out: list[tuple[str, int, int]], text: str, a: int, b: int, base: int) -> None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    while b - a > LONGEST_SENTENCE:  # a run-on "sentence": cut at a comma or space
        cut = max(
            text.rfind(", ", a, a + LONGEST_SENTENCE), text.rfind(" ", a, a + LONGEST_SENTENCE)
        )
        cut = cut if cut > a else a + LONGEST_SENTENCE
        out.append((text[a:cut], base + a, base + cut))
        a = cut
        while a < b and text[a] in " ,":
            a += 1
    if a < b:
        out.append((text[a:b], base + a, base + b))


# -- lines to blocks ---------------------------------------------------------------------


def _cells(line: str) -> list[str] | None:
    """Table cells of a line: pipes with or without the outer ones, tabs, or 2+ spaces."""
    s = line.strip()
    if s.count("|") >= 2 or (s.count("|") == 1 and not s.startswith("|") and len(s) < 200):
        parts = [c.strip() for c in s.strip("|").split("|")]
        return parts if len(parts) >= 2 else None
    if "\t" in s:
        parts = [c.strip() for c in s.split("\t") if c.strip()]
        return parts if len(parts) >= 2 else None
    if "  " in s and len(s) < 200:
        parts = [c.strip() for c in re.split(r" {2,}", s) if c.strip()]
        return parts if len(parts) >= 2 else None
    return None


LABEL_VALUE = re.compile(r"^\s*[-*•]?\s*(\d{4}|[A-Z][A-Za-z .'’]{0,30}):\s+([\d,.]+%?)\s*$")
BULLET = re.compile(r"^\s*(?:[-*•+]|\d{1,2}[.)])\s+")
HEADING = re.compile(r"^\s*#{1,6}\s+")


SPACED_NUMBER = re.compile(r"[-+−–]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?")
HEADER_YEAR = re.compile(r"(?:19|20)\d\d\*?")


def _spaced_rows(lines: list[tuple[str, int]]) -> list[list[str]] | None:
    """A table written with single spaces: a header of years ('2022* 2023* % Change') over
    rows of a label and as many numbers ('Auto Theft 591 642 +8.6%'), at least two rows."""
    words = lines[0][0].split()
    k = next((n for n, w in enumerate(words) if HEADER_YEAR.fullmatch(w)), None)
    if k is None or len(lines) < 3:
        return None
    columns = [w for w in words[k:] if HEADER_YEAR.fullmatch(w)]
    rest = " ".join(words[k + len(columns) :])
    if len(columns) < 2 or rest not in ("", "% Change", "% change", "Change", "%"):
        return None
    width = len(columns) + (1 if rest else 0)
    rows = [[" ".join(words[:k]), *columns, *([rest] if rest else [])]]
    for line, _ in lines[1:]:
        parts = line.split()
        if len(parts) <= width or not all(SPACED_NUMBER.fullmatch(x) for x in parts[-width:]):
            return None
        label = " ".join(parts[:-width])
        if not re.search(r"[A-Za-z]", label) or SPACED_NUMBER.search(label):
            return None
        rows.append([label, *parts[-width:]])
    return rows


ROW_YEAR = re.compile(r"(?:19|20)\d\d")


def _year_rows(lines: list[tuple[str, int]]) -> list[list[str]] | None:
    """A table written with single spaces, a row per year: a header of the columns' names
    ('Murder Rape Robbery Aggravated assault') over rows of a year and as many numbers
    ('2023 128 147 891 1,200'). The header is split where the offense and measure names
    fall; when it does not give one name per number, the columns are left unnamed."""
    if len(lines) < 3 or any(SPACED_NUMBER.search(w) for w in lines[0][0].split()):
        return None
    rows = []
    for line, _ in lines[1:]:
        parts = line.split()
        if len(parts) < 3 or not ROW_YEAR.fullmatch(parts[0]):
            return None
        if not all(SPACED_NUMBER.fullmatch(x) for x in parts[1:]):
            return None
        rows.append(parts)
    width = len(rows[0]) - 1
    if any(len(r) - 1 != width for r in rows):
        return None
    names = _column_names(lines[0][0])
    label = "Year"
    if names and names[0].lower() in ("year", "years"):
        label, names = names[0], names[1:]
    header = [label, *names] if len(names) == width else [label, *([""] * width)]
    return [header, *rows]


def _column_names(text: str) -> list[str]:
    """A single-spaced header cut into names: each offense or measure phrase is one name,
    any other word is one on its own."""
    from crimetrends.claims.lexicon import measure_index, offense_index, tokens

    toks = tokens(text)
    spans = sorted(
        [(a, b) for a, b, _ in offense_index().scan(toks)]
        + [(a, b) for a, b, _ in measure_index().scan(toks)]
    )
    names, i = [], 0
    for a, b in spans:
        if a < i:
            continue
        names += [t.text for t in toks[i:a] if t.text.isalnum()]
        names.append(text[toks[a].start : toks[b - 1].end])
        i = b
    return names + [t.text for t in toks[i:] if t.text.isalnum()]


def _table_lines(lines: list[tuple[str, int]]) -> list[list[str]] | None:
    """Rows when every line of a block is a table row (a pipe separator line is dropped)."""
    spaced = _spaced_rows(lines) or _year_rows(lines)
    if spaced is not None:
        return spaced
    rows = []
    for line, _ in lines:
        if PIPE_SEPARATOR.match(line):
            continue
        kv = LABEL_VALUE.match(line)
        cells = [kv.group(1), kv.group(2)] if kv else _cells(line)
        if cells is None:
            return None
        rows.append(cells)
    if not rows:
        return None
    pipes = any("|" in line for line, _ in lines)
    labelled = all(LABEL_VALUE.match(line) for line, _ in lines if line.strip())
    if not pipes and not labelled and (len(rows) < 2 or len({len(r) for r in rows}) > 1):
        return None  # whitespace-aligned text needs two rows of one width
    return rows


def _header(rows: list[list[str]], had_separator: bool) -> list[str] | None:
    if had_separator:
        return rows[0]
    first = rows[0]
    numeric = sum(bool(re.fullmatch(r"[-+−–]?[\d,.]+%?", c.strip())) for c in first[1:])
    years = sum(bool(re.fullmatch(r"(19|20)\d\d", c.strip())) for c in first[1:])
    if len(rows) > 1 and (numeric == 0 or years == len(first) - 1):
        return first
    return None


def _blocks(text: str) -> list[list[tuple[str, int]]]:
    blocks: list[list[tuple[str, int]]] = []
    current: list[tuple[str, int]] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            current.append((line, pos))
        elif current:
            blocks.append(current)
            current = []
        pos += len(line) + 1
    if current:
        blocks.append(current)
    return blocks


GLUED_ROW = re.compile(r"^\s*([A-Za-z][A-Za-z ()/&'.,-]*[A-Za-z)])\s?(\d{1,3}(?:,\d{3})+|\d+)\s*$")
SECTION_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _glued_sections(block: list[tuple[str, int]]) -> list[tuple[str, list]] | None:
    """A statistics page's list pasted without separators: a line naming a year ('2019 Crime
    (Actual Data)*Incidents') over lines of a label and its count ('Burglary7,833'), maybe
    several such sections in one block."""
    sections: list[tuple[str, list]] = []
    for line, p in block:
        m = GLUED_ROW.match(line)
        if m and sections:
            sections[-1][1].append(([m.group(1).strip(), m.group(2)], line, p))
        elif SECTION_YEAR.search(line) and len(line) < 80 and not m:
            sections.append((line.strip(), []))
        else:
            return None
    if not sections or any(len(rows) < 2 for _, rows in sections):
        return None
    return sections


def _flat_rows(line: str) -> list[list[str]] | None:
    """A table flattened onto one line: years, then each row's label and one number per
    year ('2021 2022 2023 Shooting Incidents 259 129 65 Homicides 17 9 5')."""
    words = line.split()
    k = 0
    while k < len(words) and ROW_YEAR.fullmatch(words[k]):
        k += 1
    if k < 2:
        return None
    rows, label, i = [words[:k]], [], k
    while i < len(words):
        if SPACED_NUMBER.fullmatch(words[i]):
            cells = words[i : i + k]
            if not label or len(cells) < k or not all(SPACED_NUMBER.fullmatch(c) for c in cells):
                return None
            rows.append([" ".join(label), *cells])
            label, i = [], i + k
        else:
            label.append(words[i])
            i += 1
    return [["", *rows[0]], *rows[1:]] if len(rows) > 1 and not label else None


def _block_units(block: list[tuple[str, int]], para: int, units: list[Unit]) -> None:
    """Units of one block: a table, a heading, list items or one paragraph of sentences."""
    flat = _flat_rows(block[0][0]) if len(block) == 1 else None
    if flat is not None:
        line, p = block[0]
        table = Table(flat[0], flat[1:])
        for cells in flat[1:]:
            units.append(Unit(" ".join(cells), p, p + len(line), "row", para, cells, table))
        return
    glued = _glued_sections(block)
    if glued is not None:
        for head, rows in glued:
            table = Table(["", head], [cells for cells, _, _ in rows])
            for cells, line, p in rows:
                units.append(Unit(line.strip(), p, p + len(line), "row", para, cells, table))
        return
    rows = _table_lines(block)
    if rows is not None:
        sep = any(PIPE_SEPARATOR.match(line) for line, _ in block)
        header = _header(rows, sep)
        table = Table(header, rows[1:] if header else rows)
        body = [(line, p) for line, p in block if not PIPE_SEPARATOR.match(line)]
        if header:
            body = body[1:]
        for cells, (line, p) in zip(table.rows, body, strict=False):
            units.append(Unit(line.strip(), p, p + len(line), "row", para, cells, table))
        return
    paragraph: list[tuple[str, int]] = []
    for line, p in block:
        if HEADING.match(line):
            m = HEADING.match(line)
            assert m
            units.append(Unit(line[m.end() :].strip(), p + m.end(), p + len(line), "heading", para))
        elif BULLET.match(line):
            _flush(paragraph, para, units)
            paragraph = []
            m = BULLET.match(line)
            assert m
            for s, a, b in split_sentences(line[m.end() :], p + m.end()):
                units.append(Unit(s, a, b, "item", para))
        else:
            paragraph.append((line, p))
    _flush(paragraph, para, units)


def _flush(lines: list[tuple[str, int]], para: int, units: list[Unit]) -> None:
    if not lines:
        return
    base = lines[0][1]
    # soft-wrapped lines joined with one space; spans stay within the original text
    joined = ""
    for line, p in lines:
        pad = p - base - len(joined)
        joined += " " * max(pad, 0) + line if joined else line
    joined = joined.replace("\n", " ")
    for s, a, b in split_sentences(joined, base):
        units.append(Unit(s, a, b, "sentence", para))


# -- HTML ----------------------------------------------------------------------------------


class _HTMLText(HTMLParser):
    """HTML to Markdown-like text (paragraphs, headings, list items, pipe tables) + metadata."""

    BLOCKS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "section", "article")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.meta: dict[str, str] = {}
        self.title: str | None = None
        self._skip = 0
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._in_title = False
        self._title_parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in ("script", "style", "noscript"):
            self._skip += 1
        elif tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key and a.get("content"):
                self.meta[key] = a["content"]
        elif tag == "link" and a.get("rel") == "canonical" and a.get("href"):
            self.meta.setdefault("canonical", a["href"])
        elif tag == "time" and a.get("datetime"):
            self.meta.setdefault("time", a["datetime"])
        elif tag == "title":
            self._in_title = True
        elif tag == "table":
            self.out.append("\n\n")
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag in ("h1", "h2", "h3"):
            self.out.append("\n\n# ")
        elif tag == "li":
            self.out.append("\n\n- ")
        elif tag in self.BLOCKS:
            self.out.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "noscript"):
            self._skip = max(0, self._skip - 1)
        elif tag == "title":
            self._in_title = False
            self.title = " ".join("".join(self._title_parts).split()) or None
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()).replace("|", "/"))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._row:
                self.out.append("\n| " + " | ".join(self._row) + " |")
            self._row = None
        elif tag == "table" or tag in self.BLOCKS:
            self.out.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._in_title:
            self._title_parts.append(data)
        elif self._cell is not None:
            self._cell.append(data)
        elif self._row is None:
            self.out.append(" ".join(data.split("\n")))


def looks_like_html(raw: str) -> bool:
    head = raw[:5000].lower()
    return any(t in head for t in ("<html", "<body", "<p>", "<p ", "<table", "<div", "<article"))


def _from_html(raw: str) -> tuple[str, dict[str, Any]]:
    p = _HTMLText()
    p.feed(raw)
    p.close()
    text = htmlmod.unescape("".join(p.out))
    meta = dict(p.meta)
    if p.title:
        meta.setdefault("title", p.title)
    return text, meta


def _meta_date(meta: dict[str, Any]) -> dt.date | None:
    for key in ("article:published_time", "datepublished", "date", "pubdate", "dc.date", "time"):
        if meta.get(key):
            d = parse_date_text(str(meta[key]))
            if d:
                return d
    return None


# -- the document ----------------------------------------------------------------------------


def parse(raw: str, date: dt.date | None = None, url: str | None = None) -> Document:
    """A document from text, Markdown or HTML; `date` (from --date) beats every other date;
    the page's address (given, or og:url / canonical in HTML) is kept as weak place evidence."""
    meta: dict[str, Any] = {}
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2010", "-").replace("\u2011", "-")  # "year‑over‑year" (no-break)
    if looks_like_html(text):
        text, meta = _from_html(text)
    units: list[Unit] = []
    last_table: Table | None = None
    for para, block in enumerate(_blocks(text)):
        first = block[0][0].strip()
        if last_table is not None and first.startswith("*") and not first.startswith("**"):
            last_table.footnote = " ".join(line.strip() for line, _ in block)  # "*January 1 -"
        before = len(units)
        _block_units(block, para, units)
        new = [u.table for u in units[before:] if u.table is not None]
        last_table = new[-1] if new else None
    doc = Document(text, [], url=url or meta.get("og:url") or meta.get("canonical"))
    doc.date, doc.date_source = (date, "given") if date else (None, None)
    if doc.date is None and _meta_date(meta):
        doc.date, doc.date_source = _meta_date(meta), "HTML metadata"
    headline = meta.get("og:title") or meta.get("title")
    kept: list[Unit] = []
    for u in units:
        if not kept:
            _take_date_prefix(doc, u)
        dateline = u.kind in ("sentence", "item", "heading") and _take_dateline(doc, u)
        if dateline and not u.text.strip():
            continue
        if COPYRIGHT.match(u.text):
            continue  # '© 2025 Kansas City Public Radio': the page's notice, not a period
        if not kept and u.kind == "sentence" and _is_date_line(u.text):
            d = parse_date_text(u.text)
            if doc.date is None and d:
                doc.date, doc.date_source = d, "a date line at the top"
            continue  # a date line is never a claim
        kept.append(u)
    if headline and not any(u.kind == "heading" for u in kept[:1]):
        kept.insert(0, Unit(headline, -1, -1, "headline", -1))
    elif kept and kept[0].kind == "heading":
        first = kept.pop(0)
        parts = split_sentences(first.text, first.start)  # a headline of two sentences
        kept[0:0] = [Unit(t, a, b, "headline", first.paragraph) for t, a, b in parts]
    doc.units = kept
    doc.headline = kept[0].text if kept and kept[0].kind == "headline" else None
    return doc


def _is_date_line(text: str) -> bool:
    """'Published Jan. 5, 2026 3:04 PM' — a line that is a date and little else."""
    if parse_date_text(text) is None:
        return False
    rest = DATE_WORDS.sub(" ", ISO_DATE.sub(" ", text))
    words = [
        w
        for w in re.sub(r"[\d,.:|—–-]", " ", rest).split()
        if w.lower()
        not in ("published", "updated", "posted", "on", "at", "am", "pm", "a.m", "p.m", "by")
    ]
    return len(words) <= 2


DATE_PREFIX = re.compile(r"^\s*(?:date|published|updated|posted)?:?\s*(\d{4}-\d{2}-\d{2})\s+", re.I)
WRITTEN_DATE_PREFIX = re.compile(  # "Jan 29, 2026 RICHMOND, Va. (WRIC) —": before a dateline
    r"^\s*((?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \d{1,2},? \d{4})"
    r"\s+(?=[A-Z][A-Z.'’ -]{2,40}(?:,\s*[A-Z][A-Za-z.]{1,12})?\s*(?:\(|[—–]|--))"
)


def _take_date_prefix(doc: Document, u: Unit) -> None:
    """'date 2025-08-06 WASHINGTON, D.C. (WJON News) -- ...': a page's date glued to its
    first line (as saved page text often has it) is a date, never a claim."""
    m = DATE_PREFIX.match(u.text)
    written = WRITTEN_DATE_PREFIX.match(u.text) if not m else None
    if written:
        m, d = written, parse_date_text(written.group(1))
        if d is None:
            return
    elif not m:
        return
    else:
        try:
            d = dt.date.fromisoformat(m.group(1))
        except ValueError:
            return
    if doc.date is None:
        doc.date, doc.date_source = d, "a date line at the top"
    u.start += m.end()
    u.text = u.text[m.end() :]


def _take_dateline(doc: Document, u: Unit) -> bool:
    m = DATELINE.match(u.text)
    if not m:
        return False
    doc.datelines.append(m.group(0).strip(" —–-"))
    if m.group("date") and doc.date is None:
        d = parse_date_text(m.group("date"))
        if d:
            doc.date, doc.date_source = d, "dateline"
    u.start += m.end()
    u.text = u.text[m.end() :]
    return True
