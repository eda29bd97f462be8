"""Kinds of source (incident records, count tables, populations, ...), registered by name.

A kind is one class: which stored table it fills, how its registry entry is validated,
how a file of it is typed into kept rows and quarantined rows, and which columns key a row
(rows whose key reappears in a newer file replace the older ones). Adding a kind is one
module with a `SourceKind` subclass and one entry in `BUILTIN_KINDS`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from crimetrends.errors import RegistryError

if TYPE_CHECKING:
    import duckdb

    from crimetrends.ingest.read import RawInput
    from crimetrends.sources.registry import ColumnSpec, SourceSpec

BUILTIN_KINDS = {
    "incidents": "crimetrends.ingest.incidents:Incidents",
    "counts": "crimetrends.ingest.counts:Counts",
    "populations": "crimetrends.ingest.populations:Populations",
    "ytd": "crimetrends.ingest.ytd:YearToDate",
}


@dataclass
class ParsedLoad:
    """What a kind hands the loader after typing one file (SQL over the load's connection).

    `kept` selects the rows to store (in the kind's table schema); `quarantine` the rows
    refused, in the quarantine schema; `kept_rows`, when set, counts the kept *input* rows
    (a count table's input row becomes several stored cells); `extra` goes to the manifest.
    """

    kept: str
    quarantine: str
    kept_rows: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class LoadContext:
    """The load a kind works for: where its temporary files go, which engine types rows."""

    load_id: str
    work: Path
    engine: str = "duckdb"


class SourceKind:
    name: ClassVar[str]
    table: ClassVar[str]
    key_columns: ClassVar[tuple[str, ...]]

    @property
    def revision_key(self) -> tuple[str, ...]:
        """What identifies the same figure in two vintages (`revisions` joins on it)."""
        return self.key_columns

    def validate(self, data: dict[str, Any], columns: dict[str, ColumnSpec], origin: str) -> None:
        """Raise RegistryError naming `origin` and the key when an entry cannot work."""

    def parse(
        self,
        con: duckdb.DuckDBPyConnection,
        raw: RawInput,
        spec: SourceSpec,
        path: Path,
        ctx: LoadContext,
    ) -> ParsedLoad:
        raise NotImplementedError

    def derived_parts(
        self, con: duckdb.DuckDBPyConnection, spec: SourceSpec, ctx: LoadContext, write: Any
    ) -> dict[str, Any]:
        """Tables derived from the stored part (the incidents' daily rollup, a count table's
        populations), written with `write(select_sql, table)`; manifest entries returned."""
        return {}


def kind_names() -> tuple[str, ...]:
    return tuple(BUILTIN_KINDS)


@cache
def get_kind(name: str) -> SourceKind:
    target = BUILTIN_KINDS.get(name)
    if target is None:
        raise RegistryError(f"kind must be one of {kind_names()}, got {name!r}")
    module, cls = target.split(":")
    return getattr(import_module(module), cls)()


def require(ok: bool, origin: str, message: str) -> None:
    """A registry check: `message` (prefixed with the file) unless `ok`."""
    if not ok:
        raise RegistryError(f"{origin}: {message}")
