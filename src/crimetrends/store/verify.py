"""`crimetrends verify`: check the store against its version and manifests, repair what can be.

Checks: every part the current version lists exists with the rows it recorded; each
incidents part's daily rollup equals a rollup made afresh; no record id is stored twice for
a source; each load's accounting holds (rows in = kept + quarantined, the stored parts
hold what the manifest says). Repairs (with `repair`, in one transaction): files no recent
version lists (left by an interrupted writer) are removed, wrong rollups rebuilt, row
counts of stores written before versions recorded. A part whose file is gone cannot be
repaired here: reload its file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crimetrends.ingest.read import sql_str
from crimetrends.settings import Settings, get_settings


@dataclass
class VerifyReport:
    version: int = 0
    parts: int = 0
    problems: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "parts": self.parts,
            "ok": self.ok,
            "problems": self.problems,
            "repaired": self.repaired,
        }


def _rows(con: Any, path: Path) -> int:
    (n,) = con.execute(f"SELECT count(*) FROM read_parquet({sql_str(str(path))})").fetchone()
    return int(n)


def _check_parts(con: Any, tx: Any, report: VerifyReport, repair: bool) -> None:
    for table, held in tx.next.parts.items():
        for key, info in sorted(held.items()):
            path = tx.lay.root / info["file"]
            report.parts += 1
            if not path.exists():
                report.problems.append(f"{table} part {key}: file {info['file']} is missing")
                continue
            n = _rows(con, path)
            if info["rows"] == -1 and repair:
                info["rows"] = n
                tx.changed = True
                report.repaired.append(f"{table} part {key}: recorded its {n:,} rows")
            elif info["rows"] not in (-1, n):
                report.problems.append(
                    f"{table} part {key}: holds {n:,} rows, the version says {info['rows']:,}"
                )


def _check_rollups(con: Any, tx: Any, report: VerifyReport, repair: bool) -> None:
    from crimetrends.ingest.incidents import daily_select
    from crimetrends.ingest.load import PartWriter

    daily = tx.next.parts.get("daily", {})
    for key, info in sorted(tx.next.parts.get("incidents", {}).items()):
        part = tx.lay.root / info["file"]
        roll = daily.get(key)
        if not part.exists():
            continue
        fresh = daily_select(str(part))
        if roll is None or not (tx.lay.root / roll["file"]).exists():
            differ = -1
        else:
            rolled = sql_str(str(tx.lay.root / roll["file"]))
            stored = f"SELECT * EXCLUDE (load_id) FROM read_parquet({rolled})"
            made = f"SELECT * EXCLUDE (load_id) FROM ({fresh})"
            (differ,) = con.execute(
                f"SELECT (SELECT count(*) FROM ({stored} EXCEPT ALL {made})) + "
                f"(SELECT count(*) FROM ({made} EXCEPT ALL {stored}))"
            ).fetchone()
        if differ:
            what = "missing" if differ == -1 else f"differs from its part in {differ} rows"
            if repair:
                source, load_id = key.split("/", 1)
                PartWriter(con, tx, source, load_id)(fresh, "daily")
                report.repaired.append(f"daily rollup {key}: {what}; rebuilt")
            else:
                report.problems.append(f"daily rollup {key}: {what}")


def _check_ids(con: Any, tx: Any, report: VerifyReport) -> None:

    by_source: dict[str, list[str]] = {}
    for key, info in tx.next.parts.get("incidents", {}).items():
        path = tx.lay.root / info["file"]
        if path.exists():
            by_source.setdefault(key.split("/", 1)[0], []).append(sql_str(str(path)))
    for source, files in sorted(by_source.items()):
        (twice,) = con.execute(
            f"SELECT count(*) FROM (SELECT record_id FROM read_parquet([{', '.join(files)}]) "
            "GROUP BY record_id HAVING count(*) > 1)"
        ).fetchone()
        if twice:
            report.problems.append(f"{source}: {twice:,} record ids are stored more than once")


def _check_accounting(tx: Any, report: VerifyReport) -> None:
    for key, m in sorted(tx.next.manifests.items()):
        if m["rows_in"] != m["rows_kept"] + m["rows_quarantined"]:
            report.problems.append(
                f"load {key}: rows in {m['rows_in']:,} != kept {m['rows_kept']:,} + "
                f"quarantined {m['rows_quarantined']:,}"
            )
        table = m.get("table")
        q = tx.next.parts.get("quarantine", {}).get(key)
        if q and q["rows"] not in (-1, m["rows_quarantined"]):
            report.problems.append(
                f"load {key}: quarantine part holds {q['rows']:,}, "
                f"manifest {m['rows_quarantined']:,}"
            )
        held = tx.next.parts.get(table, {}).get(key)
        expected = m.get("rows_stored", 0) - m.get("rows_superseded_later", 0)
        if held and held["rows"] not in (-1, expected):
            report.problems.append(
                f"load {key}: {table} part holds {held['rows']:,}, manifest says {expected:,}"
            )


def verify(settings: Settings | None = None, repair: bool = False) -> VerifyReport:
    """Check (and with `repair`, mend) the store; see the module docstring."""
    from crimetrends.store.connect import layout, raw_duckdb
    from crimetrends.store.layout import TABLES

    lay = layout(settings or get_settings())
    report = VerifyReport(version=lay.version_number())
    live = lay.live_files()
    orphans = [
        p
        for table in TABLES
        for p in (lay.root / table).glob("*/*.parquet")
        if str(p.relative_to(lay.root)) not in live
    ]
    con = raw_duckdb()
    # the lock: nothing changes the store while we look; only a repair cleans up
    with lay.transaction(clean=repair) as tx:
        _check_parts(con, tx, report, repair)
        _check_rollups(con, tx, report, repair)
        _check_ids(con, tx, report)
        _check_accounting(tx, report)
        if not repair:
            tx.changed = False
    if repair:
        # the transaction's exit removed what no recent version lists
        gone = [p for p in orphans if not p.exists()]
        report.repaired += [
            f"removed {p.relative_to(lay.root)}: listed by no version" for p in gone
        ]
        report.version = lay.version_number()
    elif orphans:
        report.problems += [
            f"{p.relative_to(lay.root)}: listed by no version (left by an interrupted load)"
            for p in orphans
        ]
    return report
