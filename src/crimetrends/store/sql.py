"""SQL text for the store's small queries (DuckDB's dialect; other engines translate it).

Values reach SQL only through `lit` (quoted, quotes doubled), never pasted raw.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable


def lit(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, dt.date):
        return f"DATE '{value.isoformat()}'"
    return "'" + str(value).replace("'", "''") + "'"


def in_list(values: Iterable[object]) -> str:
    items = [lit(v) for v in values]
    return "(" + (", ".join(items) if items else "NULL") + ")"


def where(**equal: object) -> str:
    """'WHERE a = 'x' AND b = 'y'' for the given non-None values ('' when none)."""
    terms = [f"{k} = {lit(v)}" for k, v in equal.items() if v is not None]
    return ("WHERE " + " AND ".join(terms)) if terms else ""
