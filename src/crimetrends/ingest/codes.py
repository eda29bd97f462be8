"""A file's distinct offense codes resolved through its crosswalk, as the `code_map` table.

The rules live in `taxonomy.harmonize.Crosswalk.resolve` (exact code first, then the match
with the fewest wildcards); they run in Python on the few hundred distinct codes of a file,
and the result goes to DuckDB as SQL literals in batches. Not through Arrow or bound
parameters: either makes pyarrow or DuckDB import pandas, half a second of every load.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from crimetrends.taxonomy.harmonize import load_crosswalk
from crimetrends.taxonomy.offenses import offenses

if TYPE_CHECKING:
    import duckdb

    from crimetrends.sources.registry import SourceSpec

CODE_MAP = "code_map"
CODE_MAP_COLUMNS = ("source_code", "offense", "offense_group", "match")
_BATCH = 2000

CodeRow = tuple[str, str | None, str | None, str]


def resolve_codes(spec: SourceSpec, codes: list[str]) -> list[CodeRow]:
    """(source_code, offense, offense_group, match) for each distinct code; an unmapped code
    has offense and group None and match 'unmapped'."""
    assert spec.crosswalk
    cw = load_crosswalk(spec.crosswalk)
    groups = {k: o.group for k, o in offenses().items()}
    rows: list[CodeRow] = []
    for code in codes:
        offense, match, _ = cw.resolve(code)
        rows.append((code, offense, groups.get(offense) if offense else None, match))
    return rows


def text_literal(value: str | None) -> str:
    """A SQL text literal of any string (a NUL byte, which a statement cannot hold, as chr(0))."""
    if value is None:
        return "NULL::VARCHAR"
    parts = ["'" + p.replace("'", "''") + "'" for p in value.split("\x00")]
    return " || chr(0) || ".join(parts)


def register_code_map(con: duckdb.DuckDBPyConnection, spec: SourceSpec, query: str) -> int:
    """Create CODE_MAP on `con` for the distinct codes `query` returns; their number."""
    rows = resolve_codes(spec, [r[0] for r in con.execute(query).fetchall()])
    cols = ", ".join(f"{c} VARCHAR" for c in CODE_MAP_COLUMNS)
    con.execute(f"DROP TABLE IF EXISTS {CODE_MAP}")
    con.execute(f"CREATE TEMP TABLE {CODE_MAP} ({cols})")
    for start in range(0, len(rows), _BATCH):
        values = ", ".join(
            "(" + ", ".join(text_literal(v) for v in row) + ")"
            for row in rows[start : start + _BATCH]
        )
        con.execute(f"INSERT INTO {CODE_MAP} VALUES {values}")
    return len(rows)
