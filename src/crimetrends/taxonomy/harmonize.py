"""Map a source's own offense codes to harmonized offenses through its versioned crosswalk.

Codes are composite (``IUCR|FBI Code``); a crosswalk row may use ``*`` for a component,
and the most specific matching row wins. Resolution runs on the distinct codes of a load
(hundreds), and the rows are joined back by equality: the row-level work stays in the engine.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from crimetrends.errors import CrosswalkError
from crimetrends.taxonomy.offenses import offenses

SEP = "|"


@dataclass(frozen=True)
class CrosswalkRow:
    code: str
    description: str
    offense: str
    rule: str

    @property
    def parts(self) -> tuple[str, ...]:
        return tuple(self.code.split(SEP))

    @property
    def wildcards(self) -> int:
        return sum(p == "*" for p in self.parts)


@dataclass(frozen=True)
class Crosswalk:
    name: str
    rows: tuple[CrosswalkRow, ...]
    sha256: str

    @property
    def version(self) -> str:
        return f"{self.name}@{self.sha256[:12]}"

    def resolve(self, code: str) -> tuple[str | None, str, str]:
        """Return (offense, match kind, matched crosswalk code) for one source code."""
        parts = tuple(code.split(SEP))
        best: CrosswalkRow | None = None
        for row in self.rows:
            rp = row.parts
            if len(rp) != len(parts):
                continue
            if all(r == "*" or r == p for r, p in zip(rp, parts, strict=True)) and (
                best is None or row.wildcards < best.wildcards
            ):
                best = row
        if best is None:
            return None, "unmapped", ""
        return best.offense, "exact" if best.wildcards == 0 else "fallback", best.code


@cache
def load_crosswalk(filename: str) -> Crosswalk:
    path = resources.files("crimetrends.taxonomy") / "data" / "crosswalks" / filename
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CrosswalkError(f"crosswalk {filename!r} not found") from None
    text = raw.decode("utf-8")
    reader = csv.DictReader(text.splitlines())
    if reader.fieldnames != ["code", "description", "offense", "rule"]:
        raise CrosswalkError(
            f"crosswalk {filename}: header must be code,description,offense,rule",
            details={"found": reader.fieldnames},
        )
    known = offenses()
    rows: list[CrosswalkRow] = []
    seen: set[str] = set()
    for line, rec in enumerate(reader, start=2):
        row = CrosswalkRow(**rec)
        if row.offense not in known:
            raise CrosswalkError(
                f"crosswalk {filename} line {line}: unknown offense {row.offense!r}"
            )
        if row.code in seen:
            raise CrosswalkError(f"crosswalk {filename} line {line}: duplicate code {row.code!r}")
        seen.add(row.code)
        rows.append(row)
    return Crosswalk(filename.removesuffix(".csv"), tuple(rows), hashlib.sha256(raw).hexdigest())
