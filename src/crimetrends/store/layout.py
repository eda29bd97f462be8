"""The store on disk: Parquet parts listed by versions, changed only by transactions.

    warehouse/<table>/<source>/<load-id>.<tx>.parquet   rows of one load (never rewritten)
    warehouse/versions/<n>.json                          what version n holds: every live part
                                                         of every table, with its row count, and
                                                         every load's provenance manifest
    warehouse/CURRENT                                    the number of the current version
    warehouse/.lock                                      held by the one writer (flock)

A reader takes the version CURRENT names and reads exactly its parts, so it never sees a
half-written state. A writer takes the lock, writes new part files (invisible until a
version lists them), writes the next version file, then replaces CURRENT in one atomic
rename: the commit. A process killed at any point leaves CURRENT naming the previous,
complete version; files no version lists are removed by the next writer (`collect`).
Superseding rows of older loads writes new files for those loads in the same transaction,
so rows are never doubled or lost between the two steps.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crimetrends.errors import LoadIntegrityError, StoreBusyError

TABLES = ("incidents", "counts", "ytd", "populations", "quarantine", "daily")

# Column types of every stored table (DuckDB SQL types); empty tables get this schema.
SCHEMAS: dict[str, dict[str, str]] = {
    "incidents": {
        "source": "VARCHAR",
        "agency": "VARCHAR",
        "record_id": "VARCHAR",
        "occurred_at": "TIMESTAMP",
        "reported_at": "TIMESTAMP",
        "source_code": "VARCHAR",
        "offense": "VARCHAR",
        "offense_group": "VARCHAR",
        "crosswalk_match": "VARCHAR",
        "district": "VARCHAR",
        "beat": "VARCHAR",
        "community": "VARCHAR",
        "block": "VARCHAR",
        "latitude": "DOUBLE",
        "longitude": "DOUBLE",
        "arrest": "BOOLEAN",
        "domestic": "BOOLEAN",
        "load_id": "VARCHAR",
    },
    "counts": {
        "source": "VARCHAR",
        "agency": "VARCHAR",
        "district": "VARCHAR",
        "source_code": "VARCHAR",
        "offense": "VARCHAR",
        "offense_group": "VARCHAR",
        "crosswalk_match": "VARCHAR",
        "period_start": "DATE",
        "grain": "VARCHAR",
        "count": "BIGINT",
        "months_reported": "INTEGER",
        "load_id": "VARCHAR",
    },
    # year-to-date tables: one row per published figure (an agency's count for January
    # through a month, in one year, as one vintage gives it); a table row gives two figures,
    # this year's (`current`) and the same months a year earlier (`previous`)
    "ytd": {
        "source": "VARCHAR",
        "agency": "VARCHAR",
        "sample": "VARCHAR",
        "sample_agencies": "INTEGER",
        "source_code": "VARCHAR",
        "offense": "VARCHAR",
        "offense_group": "VARCHAR",
        "crosswalk_match": "VARCHAR",
        "published_total": "VARCHAR",
        "period_start": "DATE",
        "period_end": "DATE",
        "role": "VARCHAR",
        "count": "BIGINT",
        "population": "BIGINT",
        "vintage": "DATE",
        "published_at": "VARCHAR",
        "load_id": "VARCHAR",
    },
    "populations": {
        "source": "VARCHAR",
        "agency": "VARCHAR",
        "ori": "VARCHAR",
        "year": "INTEGER",
        "population": "BIGINT",
        "load_id": "VARCHAR",
    },
    # daily rollup of each incidents part (written by the loader; what trends read)
    "daily": {
        "source": "VARCHAR",
        "agency": "VARCHAR",
        "day": "DATE",
        "offense": "VARCHAR",
        "offense_group": "VARCHAR",
        "n": "BIGINT",
        "last_at": "TIMESTAMP",
        "load_id": "VARCHAR",
    },
    "quarantine": {
        "source": "VARCHAR",
        "load_id": "VARCHAR",
        "row_number": "BIGINT",
        "reason": "VARCHAR",
        "record": "VARCHAR",
    },
}

LOCK_WAIT_S = 600.0  # a second writer waits this long for the first before giving up


def fault_point(name: str) -> None:
    """A place a writer can die: the crash tests kill the process at the n-th one.

    `CRIMETRENDS_KILL_AT=n` (set only by tests/test_crashes.py) sends SIGKILL at the n-th
    fault point reached; `CRIMETRENDS_FAULTS_LOG=path` appends each point's name there.
    """
    from crimetrends.settings import fault_injection

    kill_at, log = fault_injection()
    if log:
        with open(log, "a", encoding="utf-8") as f:
            f.write(name + "\n")
    if kill_at is not None:
        _FAULTS[0] += 1
        if _FAULTS[0] == kill_at:
            import signal

            os.kill(os.getpid(), signal.SIGKILL)


_FAULTS = [0]


@dataclass
class Version:
    """What the store holds: per table, part key ("source/load_id") → file and rows."""

    number: int = 0
    parts: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    manifests: dict[str, dict[str, Any]] = field(default_factory=dict)
    committed_at: str = ""

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Version:
        return cls(data["number"], data["parts"], data["manifests"], data.get("committed_at", ""))

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "committed_at": self.committed_at,
            "parts": self.parts,
            "manifests": self.manifests,
        }

    def files(self) -> set[str]:
        return {p["file"] for parts in self.parts.values() for p in parts.values()}


def part_key(source: str, load_id: str) -> str:
    return f"{source}/{load_id}"


_VERSIONS: dict[tuple[str, int], dict[str, Any]] = {}


def _legacy_version(root: Path) -> Version:
    """A store written before versions (parts named <load_id>.parquet, loads/*.json): read
    as version 0; the next transaction commits it as version 1."""
    loads = root / "loads"
    if not loads.exists():
        return Version()
    v = Version()
    for path in sorted(loads.glob("*/*.json")):
        m = json.loads(path.read_text(encoding="utf-8"))
        key = part_key(m["source"], m["load_id"])
        v.manifests[key] = m
        for table in TABLES:
            part = root / table / m["source"] / f"{m['load_id']}.parquet"
            if part.exists():
                v.parts.setdefault(table, {})[key] = {
                    "file": str(part.relative_to(root)),
                    "rows": -1,  # not recorded before versions; `verify` counts them
                }
    return v


@dataclass(frozen=True)
class Layout:
    root: Path

    # -- reading ------------------------------------------------------------------------
    @property
    def current_path(self) -> Path:
        return self.root / "CURRENT"

    def version_number(self) -> int:
        """The current version's number (0: an empty store); cheap, for cache keys."""
        try:
            return int(self.current_path.read_text(encoding="utf-8").strip())
        except (FileNotFoundError, ValueError):
            return 0

    def version(self, number: int | None = None) -> Version:
        n = self.version_number() if number is None else number
        if n == 0:
            return _legacy_version(self.root)
        # a copy: callers may change it (a transaction builds the next version from it)
        return Version.from_json(json.loads(json.dumps(self._version_data(n))))

    def committed_at(self, number: int) -> str:
        """When version `number` was committed, without copying the version (cache keys)."""
        return self._version_data(number).get("committed_at", "") if number else ""

    def _version_data(self, n: int) -> dict:
        key = (str(self.root), n)
        if key not in _VERSIONS:
            path = self.root / "versions" / f"{n}.json"
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except FileNotFoundError:
                raise LoadIntegrityError(
                    f"the store's CURRENT names version {n}, but {path} is missing",
                    hint="the store was altered by hand; reload its files into a new home",
                ) from None
            if len(_VERSIONS) > 64:
                _VERSIONS.clear()
            _VERSIONS[key] = data
        return _VERSIONS[key]

    def parts(self, table: str, source: str | None = None) -> list[Path]:
        """The current version's part files of `table` (of one source if given)."""
        held = self.version().parts.get(table, {})
        return sorted(
            self.root / p["file"]
            for key, p in held.items()
            if source is None or key.split("/", 1)[0] == source
        )

    def part(self, table: str, source: str, load_id: str) -> Path:
        """The current file of one load's part of `table` (a path that does not exist if
        the version holds none)."""
        held = self.version().parts.get(table, {}).get(part_key(source, load_id))
        if held is None:
            return self.root / table / source / f"{load_id}.absent.parquet"
        return self.root / held["file"]

    def read_manifest(self, source: str, load_id: str) -> dict[str, Any] | None:
        return self.version().manifests.get(part_key(source, load_id))

    def manifests(self) -> list[dict[str, Any]]:
        v = self.version()
        return [v.manifests[k] for k in sorted(v.manifests)]

    # -- writing ------------------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self, wait_s: float = LOCK_WAIT_S, clean: bool = True) -> Iterator[Transaction]:
        """The one writer: lock, start from the current version, commit or leave no trace;
        then (with `clean`) remove files no recent version lists."""
        self.root.mkdir(parents=True, exist_ok=True)
        with _lock(self.root / ".lock", wait_s):
            tx = Transaction(self, self.version())
            yield tx
            if tx.changed:
                tx.commit()
            if clean:
                collect(self)

    def live_files(self, keep_versions: int = 2) -> set[str]:
        """Files the recent versions list (the current one and the one before)."""
        current = self.version_number()
        live: set[str] = set()
        for n in range(max(1, current - keep_versions + 1), current + 1):
            with contextlib.suppress(LoadIntegrityError):
                live |= self.version(n).files()
        if current == 0:
            live |= self.version().files()
        return live


@contextlib.contextmanager
def _lock(path: Path, wait_s: float) -> Iterator[None]:
    """An exclusive flock: released by the kernel if the holder dies (no stale locks)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StoreBusyError(
                        "another load is writing to this store",
                        hint=f"wait for it to finish, or check {path.parent}",
                    ) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


@dataclass
class Transaction:
    """Changes to the store, invisible until `commit` replaces CURRENT."""

    lay: Layout
    base: Version
    changed: bool = False
    new_files: list[Path] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.next = Version.from_json(json.loads(json.dumps(self.base.to_json())))
        self.tx = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S") + secrets.token_hex(3)

    def new_file(self, table: str, source: str, load_id: str) -> Path:
        """A fresh file for a part: no version lists it until this transaction commits."""
        path = self.lay.root / table / source / f"{load_id}.{self.tx}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        self.new_files.append(path)
        return path

    def set_part(self, table: str, source: str, load_id: str, path: Path, rows: int) -> None:
        rel = str(path.relative_to(self.lay.root))
        self.next.parts.setdefault(table, {})[part_key(source, load_id)] = {
            "file": rel,
            "rows": int(rows),
        }
        self.changed = True

    def drop_part(self, table: str, source: str, load_id: str) -> None:
        if self.next.parts.get(table, {}).pop(part_key(source, load_id), None) is not None:
            self.changed = True

    def set_manifest(self, source: str, load_id: str, manifest: dict[str, Any]) -> None:
        self.next.manifests[part_key(source, load_id)] = manifest
        self.changed = True

    def part(self, table: str, source: str, load_id: str) -> Path | None:
        """The file this transaction currently lists for a load's part (None if none)."""
        held = self.next.parts.get(table, {}).get(part_key(source, load_id))
        return None if held is None else self.lay.root / held["file"]

    def parts(self, table: str, source: str) -> dict[str, Path]:
        """load_id → file of every part of `table` this transaction lists for `source`."""
        return {
            key.split("/", 1)[1]: self.lay.root / p["file"]
            for key, p in self.next.parts.get(table, {}).items()
            if key.split("/", 1)[0] == source
        }

    def commit(self) -> None:
        """Write the next version, then point CURRENT at it (the atomic step)."""
        fault_point("before the version file")
        self.next.number = self.base.number + 1
        self.next.committed_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        versions = self.lay.root / "versions"
        versions.mkdir(parents=True, exist_ok=True)
        _write_atomic(versions / f"{self.next.number}.json", json.dumps(self.next.to_json()))
        fault_point("after the version file, before CURRENT")
        _write_atomic(self.lay.current_path, f"{self.next.number}\n")
        fault_point("after CURRENT")


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def collect(lay: Layout, keep_versions: int = 2) -> list[Path]:
    """Remove what no recent version lists (left by an interrupted writer or superseded).

    The current and the previous version are kept, so a reader that just took the
    previous one can finish. Called with the lock held.
    """
    current = lay.version_number()
    keep = {n for n in range(max(1, current - keep_versions + 1), current + 1)}
    live = lay.live_files(keep_versions)
    removed = []
    for table in TABLES:
        for path in (lay.root / table).glob("*/*.parquet"):
            if str(path.relative_to(lay.root)) not in live:
                path.unlink(missing_ok=True)
                removed.append(path)
    for path in [*(lay.root / "versions").glob("*.json"), *lay.root.glob(".*.tmp")]:
        stem = path.stem
        if path.suffix == ".tmp" or (stem.isdigit() and int(stem) not in keep):
            path.unlink(missing_ok=True)
            removed.append(path)
    for path in (lay.root / "versions").glob(".*.tmp"):
        path.unlink(missing_ok=True)
    return removed
