"""Which columns of a downloaded file are which: header variants, recognised by declaration.

People download the same dataset in several spellings: the portal's CSV export (`DR_NO`,
`Date Rptd`), the Socrata API (`dr_no`, `date_rptd`), an API answer flattened by pandas
(`lat_lon.latitude`, an unnamed index column first), a re-save that changed case or spaces.
A source's catalog entry declares the spellings it accepts (`SourceSpec.header_variants`:
`export`, `api` from [portal.fields], and any [header_variants.*]); `resolve` finds the one
variant that names every column the source reads, maps the file's columns to the source's
names by name (never by position), and makes RAW a view with those names, restoring
re-saved digits on the way ([digits]: `fields.restore_digits_sql`).

Columns the source does not read (extra, blank, repeated) are listed and ignored. A column
it *does* read that appears twice, or a missing column next to a blank header, is an error
that names the column and the fix. A file that matches no variant of its --source is
compared with every registered source and the known unregistered datasets (`identify`), so
the error can say what the file is.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crimetrends.errors import InputFileError
from crimetrends.ingest.fields import restore_digits_sql
from crimetrends.ingest.read import (
    PROBLEM,
    RAW,
    RAW_FILE,
    TYPED_FORMATS,
    RawInput,
    drop_relation,
    quoted,
    sql_str,
)

if TYPE_CHECKING:
    import duckdb

    from crimetrends.sources.registry import SourceSpec

INDEX_NAME = re.compile(r"Unnamed: \d+")


def normalize(name: str) -> str:
    """How header names are compared: case, BOMs and runs of spaces do not matter."""
    return " ".join(name.replace("\ufeff", "").split()).casefold()


def read_columns(spec: SourceSpec) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(required, optional) published columns this source reads, by its kind's rules."""
    from crimetrends.ingest.kinds import BUILTIN_KINDS

    module = import_module(BUILTIN_KINDS[spec.kind].split(":")[0])
    required = tuple(module.needed_columns(spec))
    optional = tuple(
        c
        for col in spec.columns.values()
        if col.optional
        for c in col.source_columns
        if c not in required
    )
    return required, optional


@dataclass
class HeaderMatch:
    """How one file's header maps onto one source's columns."""

    source: str
    variant: str
    title: str
    mapping: dict[str, int]  # published column → position (0-based) in the file
    header: tuple[str, ...]
    ignored: list[dict[str, Any]] = field(default_factory=list)
    # [digits] columns in RESTORED's bit order; their counts, once `count_restored` ran
    digit_columns: tuple[str, ...] = ()
    restored: dict[str, int] = field(default_factory=dict)
    restored_in: str = RAW  # the relation carrying RESTORED (a load's typed rows, if kept)
    spec: Any = None  # the source entry as this file is read (typed columns' formats)
    also_matches: str | None = None

    def manifest(self) -> dict[str, Any]:
        renamed = {c: self.header[i] for c, i in self.mapping.items() if self.header[i] != c}
        out: dict[str, Any] = {"variant": self.variant, "variant_title": self.title}
        if renamed:
            out["columns_renamed"] = renamed
        not_read = [i["header"] for i in self.ignored if i["why"] == "not read by this source"]
        if not_read:
            out["columns_not_read"] = not_read
        odd = [i for i in self.ignored if i["why"] != "not read by this source"]
        if odd:
            out["columns_ignored"] = odd
        if self.restored:
            out["values_restored"] = dict(self.restored)
        if self.also_matches:
            out["also_matches"] = self.also_matches
        return out


def _index(header: tuple[str, ...]) -> dict[str, list[int]]:
    index: dict[str, list[int]] = defaultdict(list)
    for i, name in enumerate(header):
        if name.strip():
            index[normalize(name)].append(i)
    return index


def _fit(spec: SourceSpec, variant: str, cols: tuple[str, ...], index) -> dict[str, list[int]]:
    """Published column → the file positions that spell it as `variant` does."""
    found = {}
    for col in cols:
        for spelling in spec.spellings(variant, col):
            if hits := index.get(normalize(spelling)):
                found[col] = hits
                break
    return found


def best_fit(spec: SourceSpec, header: tuple[str, ...]) -> tuple[str, dict[str, list[int]]]:
    """The variant naming the most required columns (then the most columns; then the first
    declared), with its positions."""
    required, optional = read_columns(spec)
    index = _index(header)
    scored = []
    for order, v in enumerate(spec.header_variants):
        found = _fit(spec, v.name, required + optional, index)
        need = sum(c in found for c in required)
        scored.append(((need, len(found), -order), v.name, found))
    _, name, found = max(scored, key=lambda s: s[0])
    return name, found


def identity_view(con: duckdb.DuckDBPyConnection, raw: RawInput) -> None:
    """RAW as the file itself (unique names), before a source is known."""
    names = {s: s for s in raw.storage}
    _create_view(con, raw, names, {})
    raw.columns = tuple(raw.storage)


# RAW's bitmask of the [digits] columns whose value a row had restored (bit k: the k-th), so
# the load's manifest can count them from the rows the typing pass stores, not a scan of its own
RESTORED = "__restored"


def _create_view(
    con: duckdb.DuckDBPyConnection, raw: RawInput, names: dict[str, str], digits: dict[str, int]
) -> None:
    """RAW = RAW_FILE's columns under `names` (storage → view name), digits restored."""
    select = ["__row"]
    if raw.problem_sql:
        select.append(f"{raw.problem_sql} AS {PROBLEM}")
    bits = []
    for store, name in names.items():
        expr = quoted(store)
        if name in digits:
            expr = restore_digits_sql(expr, digits[name])
            flag = 1 << len(bits)
            bits.append(
                f"(CASE WHEN {expr} IS DISTINCT FROM {quoted(store)} THEN {flag} ELSE 0 END)"
            )
        select.append(f"{expr} AS {quoted(name)}")
    if bits:
        select.append(f"({' + '.join(bits)}) AS {RESTORED}")
    raw.view_sql = f"SELECT {', '.join(select)} FROM {RAW_FILE}"
    drop_relation(con, RAW)
    con.execute(f"CREATE TEMP VIEW {RAW} AS {raw.view_sql}")


def resolve(
    con: duckdb.DuckDBPyConnection, raw: RawInput, spec: SourceSpec, path: Path
) -> SourceSpec:
    """Map the file's columns onto `spec`'s (RAW renamed); return the entry as this file is
    read (typed Parquet columns accept their text form). Raises InputFileError when the file
    is not this source's, naming what it looks like. Once per file and source."""
    if raw.match is not None and raw.match.source == spec.name:
        return raw.match.spec
    required, _ = read_columns(spec)
    variant, found = best_fit(spec, raw.header)
    missing = [c for c in required if c not in found]
    if missing:
        raise _missing_error(raw, spec, path, variant, missing)
    twice = {c: hits for c, hits in found.items() if len(hits) > 1}
    if twice:
        raise _duplicate_error(con, raw, spec, path, twice)
    mapping = {c: hits[0] for c, hits in found.items()}
    match = HeaderMatch(spec.name, variant, spec.variant(variant).title, mapping, raw.header)
    match.ignored = _ignored(raw.header, set(mapping.values()))
    match.spec = _typed_spec(spec, raw, mapping, path)
    names = _view_names(raw, mapping)
    digits = {c: w for c, w in spec.digits.items() if c in mapping}
    _create_view(con, raw, names, digits)
    raw.columns = tuple(names.values())
    match.digit_columns = tuple(name for name in names.values() if name in digits)
    match.also_matches = _better_source(raw.header, spec, len(mapping))
    raw.match = match
    return match.spec


def _view_names(raw: RawInput, mapping: dict[str, int]) -> dict[str, str]:
    """storage name → RAW's name: the source's own for columns it reads, else the file's
    (renamed if it would clash with one of the source's)."""
    by_pos = {i: c for c, i in mapping.items()}
    taken = {c.casefold() for c in mapping}
    names = {}
    for i, store in enumerate(raw.storage):
        if i in by_pos:
            names[store] = by_pos[i]
        elif store.casefold() in taken:
            names[store] = f"{store} (column {i + 1}, not read)"
        else:
            names[store] = store
    return names


def _ignored(header: tuple[str, ...], used: set[int]) -> list[dict[str, Any]]:
    """Every column the source does not read, and why (blank, index, repeated, not read)."""
    seen: dict[str, int] = {}
    out = []
    for i, name in enumerate(header):
        key = normalize(name)
        if i in used:
            seen.setdefault(key, i)
            continue
        if not name.strip() or INDEX_NAME.fullmatch(name.strip()):
            why = "an unnamed index column (pandas)" if i == 0 else "a blank header"
        elif key in seen:
            why = f"a repeated header (first at column {seen[key] + 1}), not read"
        else:
            why = "not read by this source"
        seen.setdefault(key, i)
        out.append({"column": i + 1, "header": name, "why": why})
    return out


def _typed_spec(spec: SourceSpec, raw: RawInput, mapping: dict[str, int], path: Path) -> SourceSpec:
    """`spec` with each date column read from a typed Parquet column also accepting the
    text form the reader gives it (`read.TYPED_FORMATS`), before the declared formats."""
    if not raw.types:
        return spec
    kind = {c: raw.types.get(raw.storage[i]) for c, i in mapping.items()}
    zoned = [c for c, k in kind.items() if k == "TIMESTAMPTZ"]
    if zoned:
        raise InputFileError(
            f"{path.name}: columns {zoned} hold time-zone-aware timestamps (instants); "
            f"{spec.name} records local times without a zone",
            hint="write the local times without a zone (pandas: .dt.tz_convert(zone)"
            ".dt.tz_localize(None)), or as the portal's text",
        )
    columns = {}
    for name, col in spec.columns.items():
        changes: dict[str, Any] = {}
        fmt = TYPED_FORMATS.get(kind.get(col.column or "") or "")
        if fmt:
            changes.update(formats=(fmt, *col.formats), excel_serial=False)
        tfmt = TYPED_FORMATS.get(kind.get(col.time_column or "") or "")
        if tfmt:
            changes["time_formats"] = (tfmt, *col.time_formats)
        columns[name] = dataclasses.replace(col, **changes) if changes else col
    return dataclasses.replace(spec, columns=columns)


def count_restored(con: duckdb.DuckDBPyConnection, raw: RawInput) -> None:
    """How many values of each [digits] column were restored (only those that changed), from
    the relation carrying RAW's bitmask; once per file."""
    match = raw.match
    if match is None or not match.digit_columns or match.restored:
        return
    counts = ", ".join(
        f"count(*) FILTER (WHERE {RESTORED} & {1 << k} <> 0)"
        for k in range(len(match.digit_columns))
    )
    values = con.execute(f"SELECT {counts} FROM {match.restored_in}").fetchone()
    match.restored = {c: int(n) for c, n in zip(match.digit_columns, values, strict=True) if n}


def _missing_error(
    raw: RawInput, spec: SourceSpec, path: Path, variant: str, missing: list[str]
) -> InputFileError:
    """Columns missing: say what the file looks like, or where a blank header may hide one."""
    message = f"{path.name}: columns {missing} that source {spec.name!r} reads are missing"
    if variant != "export":
        message += f" (the closest header variant is {variant!r}: {spec.variant(variant).title})"
    guess = identify(raw.header, exclude=spec.name)
    if guess is not None:
        return InputFileError(f"{message}; this looks like {guess[0]}", hint=guess[1])
    blank = [i + 1 for i, h in enumerate(raw.header) if not h.strip()]
    if blank:
        return InputFileError(
            f"{message}; columns {blank} have no name in the header",
            hint=f"if one of them holds {missing[0]!r}, write that name in its header cell",
        )
    return InputFileError(
        message,
        hint="is this the right --source? columns found: " + ", ".join(raw.header[:40]),
    )


def _duplicate_error(con, raw: RawInput, spec: SourceSpec, path: Path, twice) -> InputFileError:
    """A column the source reads appears more than once: name it, its places, a value each."""
    col, hits = next(iter(twice.items()))
    stores = [raw.storage[i] for i in hits]
    firsts = ", ".join(f"min({quoted(s)})" for s in stores)
    values = con.execute(f"SELECT {firsts} FROM (SELECT * FROM {RAW_FILE} LIMIT 1000)").fetchone()
    places = ", ".join(
        f"column {i + 1} (e.g. {v!r})"
        for i, v in zip(hits, values or [None] * len(hits), strict=False)
    )
    return InputFileError(
        f"{path.name}: column {raw.header[hits[0]]!r}, which source {spec.name!r} reads as "
        f"{col!r}, appears {len(hits)} times: {places}; crimetrends will not guess which "
        "one holds the data",
        hint="delete the extra copies or give them other names, keeping the column the "
        "portal published",
        columns=[raw.header[i] for i in hits],
    )


def _source_fits(header: tuple[str, ...], exclude: str | None):
    """(share of required columns found, columns found, name, variant) per registered source."""
    from crimetrends.sources.registry import all_sources

    out = []
    for name, spec in all_sources().items():
        if name == exclude:
            continue
        required, _ = read_columns(spec)
        variant, found = best_fit(spec, header)
        share = sum(c in found for c in required) / max(1, len(required))
        out.append((share, len(found), name, variant))
    return out


def identify(header: tuple[str, ...], exclude: str | None = None) -> tuple[str, str] | None:
    """What a file whose header is `header` looks like: (description, hint), or None.

    A registered source whose every required column the file has (under one variant) wins,
    the one reading the most columns first; else a known unregistered dataset of which the
    file has 80% of the columns.
    """
    from crimetrends.sources.registry import get_source, unregistered_datasets

    fits = sorted((f for f in _source_fits(header, exclude) if f[0] == 1.0), reverse=True)
    if fits:
        _, _, name, variant = fits[0]
        spec = get_source(name)
        how = "" if variant == "export" else f", header as {spec.variant(variant).title}"
        return (
            f"a {name!r} file ({spec.title}{how})",
            f"load it with --source {name}",
        )
    index = _index(header)
    known = []
    for ds in unregistered_datasets():
        share = sum(normalize(c) in index for c in ds.columns) / len(ds.columns)
        if share >= 0.8:
            known.append((share, ds))
    if known:
        ds = max(known, key=lambda k: k[0])[1]
        return (
            f"{ds.title}, which is not a registered source yet",
            "crimetrends loads registered sources only (`crimetrends sources`); adding one is "
            "a catalog entry and a crosswalk (README, 'Where a new thing goes')",
        )
    return None


def _better_source(header: tuple[str, ...], spec: SourceSpec, n_read: int) -> str | None:
    """Another source that reads more of this file's columns (an LAPD incident file loaded
    as the LAPD annual table matches both): named in the manifest, not refused."""
    fits = [f for f in _source_fits(header, spec.name) if f[0] == 1.0 and f[1] > n_read]
    if not fits:
        return None
    _, n, name, _ = max(fits)
    return f"{name} (reads {n} of this file's columns, {spec.name} {n_read})"


def record_sql(raw: RawInput) -> str:
    """The raw row as a struct (its row number first), for a quarantined row's record."""
    cols = ("__row", *raw.columns)
    return "{" + ", ".join(f"{sql_str(c)}: r.{quoted(c)}" for c in cols) + "}"
