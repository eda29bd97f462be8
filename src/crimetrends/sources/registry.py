"""Declarative source entries: a city or dataset is a TOML file plus a crosswalk CSV, never code."""

from __future__ import annotations

import datetime as dt
import hashlib
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from crimetrends.errors import RegistryError, UnknownSourceError


@dataclass(frozen=True)
class ColumnSpec:
    """How one harmonized field is read from the source's own columns."""

    column: str | None = None
    formats: tuple[str, ...] = ()
    time_column: str | None = None
    time_formats: tuple[str, ...] = ()
    zero_is_missing: bool = False
    ori_column: str | None = None
    city_column: str | None = None
    state_column: str | None = None
    # the column is absent from some versions of the file (it is then NULL, not an error)
    optional: bool = False
    # a spreadsheet may hold the date as an Excel serial (days since 1899-12-30, `44871.5`):
    # read it as such (only 5-digit serials, 1927-2173; `ingest.fields.excel_serial_sql`)
    excel_serial: bool = False

    @property
    def source_columns(self) -> tuple[str, ...]:
        cols = (
            self.column,
            self.time_column,
            self.ori_column,
            self.city_column,
            self.state_column,
        )
        return tuple(c for c in cols if c)


@dataclass(frozen=True)
class HeaderVariant:
    """One way a downloaded file spells the columns a source reads (issue 18).

    `export` (the names in [columns], as the portal's CSV export writes them) is always a
    variant; `api` (the field names of [portal.fields]) is one when the entry has a portal.
    A declared variant is `based_on` another and lists only the columns it spells
    differently; a column may have alternatives (the first the file has wins). Matching
    ignores case and runs of spaces (`ingest.variants.normalize`).
    """

    name: str
    title: str
    based_on: str | None = None
    spellings: dict[str, tuple[str, ...]] = field(default_factory=dict)


# (no square brackets: the CLI's error line would read them as markup)
EXPORT_TITLE = "the portal's CSV export (the catalog's column names)"
API_TITLE = (
    "the Socrata API's field names (the catalog's portal.fields), as an API download has them"
)


@dataclass(frozen=True)
class DefinitionBreak:
    offense: str
    date: str
    note: str


@dataclass(frozen=True)
class SourceSpec:
    name: str
    title: str
    kind: str
    publisher: str
    url: str
    counting_unit: str
    date_basis: str
    columns: dict[str, ColumnSpec]
    license: str = ""
    update_cadence: str = ""
    agency: str | None = None
    ori: str | None = None
    shape: str | None = None
    grain: str | None = None
    crosswalk: str | None = None
    code_columns: tuple[str, ...] = ()
    code_patterns: tuple[str, ...] = ()
    na_values: tuple[str, ...] = ("",)
    quirks: tuple[str, ...] = ()
    totals: dict[str, str] = field(default_factory=dict)
    definition_breaks: tuple[DefinitionBreak, ...] = ()
    provisional_months: int = 0
    year_columns: tuple[str, ...] = ()
    population_year: int | None = None
    portal: dict[str, Any] = field(default_factory=dict)
    extent: tuple[float, float, float, float] | None = None  # west, south, east, north (°)
    # multi-agency incident files: value of [columns].agency → our agency name
    agency_names: dict[str, str] = field(default_factory=dict)
    # incident files of rare offenses: first and last month (YYYY-MM) the file covers in full
    complete_span: tuple[str, str] | None = None
    # files of some offenses only (homicides): the offenses they record, so others are absent
    offenses_covered: tuple[str, ...] = ()
    # a table of the same statistic as another source's (RTCI's YTD table and monthly series)
    figures_of: str | None = None
    # how a table names aggregates of agencies (national_suffix, state_prefix)
    samples: dict[str, str] = field(default_factory=dict)
    # columns the publisher writes as digits that a spreadsheet or pandas re-save rewrites:
    # N > 0 = zero-padded to exactly N digits (`0524`), 0 = a whole number of any length;
    # the rules that restore them are `ingest.fields.restore_digits_sql`
    digits: dict[str, int] = field(default_factory=dict)
    header_variants: tuple[HeaderVariant, ...] = ()
    spec_sha256: str = ""

    def column(self, name: str) -> ColumnSpec | None:
        return self.columns.get(name)

    def variant(self, name: str) -> HeaderVariant:
        return next(v for v in self.header_variants if v.name == name)

    def spellings(self, variant: str, column: str) -> tuple[str, ...]:
        """How `variant` spells the published column `column` (alternatives in order)."""
        v = self.variant(variant)
        if column in v.spellings:
            return v.spellings[column]
        return self.spellings(v.based_on, column) if v.based_on else (column,)

    def sample_of(self, agency: str) -> str | None:
        """'national' / 'state' when `agency` names one of the publisher's aggregates of
        agencies (by the entry's [samples] rules), else None: an agency."""
        rules = self.samples
        if agency == rules.get("national_name") or (
            "national_suffix" in rules and agency.endswith(rules["national_suffix"])
        ):
            return "national"
        if "state_prefix" in rules and agency.startswith(rules["state_prefix"]):
            return "state"
        return None

    def describe(self) -> dict[str, Any]:
        """The provenance a published figure carries about its source."""
        return {
            "name": self.name,
            "title": self.title,
            "kind": self.kind,
            "publisher": self.publisher,
            "url": self.url,
            "license": self.license,
            "counting_unit": self.counting_unit,
            "date_basis": self.date_basis,
            "update_cadence": self.update_cadence,
            "quirks": list(self.quirks),
        }


def _column_spec(value: Any, where: str) -> ColumnSpec:
    if isinstance(value, str):
        return ColumnSpec(column=value)
    if isinstance(value, dict):
        known = set(ColumnSpec.__dataclass_fields__)
        unknown = set(value) - known
        if unknown:
            raise RegistryError(f"{where}: unknown keys {sorted(unknown)}")
        kwargs = dict(value)
        for key in ("formats", "time_formats"):
            if key in kwargs:
                kwargs[key] = tuple(kwargs[key])
        return ColumnSpec(**kwargs)
    raise RegistryError(f"{where}: expected a column name or a table, got {value!r}")


def _header_variants(data: dict[str, Any], origin: str) -> tuple[HeaderVariant, ...]:
    """export (always), api (with [portal.fields]) and the entry's [header_variants.*]."""
    variants = [HeaderVariant("export", EXPORT_TITLE)]
    fields = data.get("portal", {}).get("fields", {})
    if fields:
        api = {str(k): (str(v),) for k, v in fields.items()}
        variants.append(HeaderVariant("api", API_TITLE, "export", api))
    for name, body in data.get("header_variants", {}).items():
        where = f"{origin} [header_variants.{name}]"
        if not isinstance(body, dict) or set(body) - {"title", "based_on", "columns"}:
            raise RegistryError(f"{where}: expected keys title, based_on, columns")
        base = body.get("based_on", "api" if fields else "export")
        if name in {v.name for v in variants} or base not in {v.name for v in variants}:
            raise RegistryError(f"{where}: a new name, based_on an earlier variant ({base!r}?)")
        spellings: dict[str, tuple[str, ...]] = {}
        for col, value in body.get("columns", {}).items():
            alts = (value,) if isinstance(value, str) else tuple(value)
            if not alts or not all(isinstance(a, str) and a.strip() for a in alts):
                raise RegistryError(f"{where}: {col!r} needs a spelling or a list of them")
            spellings[str(col)] = alts
        variants.append(HeaderVariant(name, str(body.get("title", name)), base, spellings))
    return tuple(variants)


def _digits(value: Any, origin: str) -> dict[str, int]:
    out = {}
    for col, width in value.items():
        if not isinstance(width, int) or isinstance(width, bool) or not 0 <= width <= 18:
            raise RegistryError(f"{origin}: [digits].{col} must be a width 0-18 (0 = any length)")
        out[str(col)] = width
    return out


def _extent(value: Any, origin: str) -> tuple[float, float, float, float] | None:
    """The city's bounding box; coordinates outside it are reported as misplaced, not mapped."""
    if value is None:
        return None
    try:
        west, south, east, north = (float(v) for v in value)
    except (TypeError, ValueError):
        raise RegistryError(f"{origin}: extent must be [west, south, east, north]") from None
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise RegistryError(f"{origin}: extent {value!r} is not a valid lon/lat box")
    return (west, south, east, north)


def _span(value: Any, origin: str) -> tuple[str, str] | None:
    if value is None:
        return None
    ok = isinstance(value, list) and len(value) == 2
    if ok:
        try:
            first, last = (dt.date.fromisoformat(f"{v}-01") for v in value)
        except (TypeError, ValueError):
            ok = False
        else:
            ok = first <= last
    if not ok:
        raise RegistryError(f"{origin}: complete_span must be [first YYYY-MM, last YYYY-MM]")
    return str(value[0]), str(value[1])


# keys copied as they are, and keys turned into tuples (lists in TOML)
SCALAR_KEYS = (
    "name",
    "title",
    "kind",
    "publisher",
    "url",
    "counting_unit",
    "date_basis",
    "license",
    "update_cadence",
    "agency",
    "ori",
    "shape",
    "grain",
    "crosswalk",
    "provisional_months",
    "population_year",
    "figures_of",
)
TUPLE_KEYS = ("code_columns", "code_patterns", "quirks", "year_columns", "offenses_covered")
OTHER_KEYS = (
    "columns",
    "na_values",
    "totals",
    "definition_breaks",
    "portal",
    "extent",
    "agency_names",
    "complete_span",
    "samples",
    "digits",
    "header_variants",
)
REQUIRED_KEYS = ("name", "title", "kind", "publisher", "url", "counting_unit", "date_basis")


SAMPLE_RULES = ("national_suffix", "state_prefix", "national_name")


def _samples(value: Any, origin: str) -> dict[str, str]:
    unknown = set(value) - set(SAMPLE_RULES)
    if unknown:
        raise RegistryError(f"{origin}: unknown [samples] keys {sorted(unknown)}")
    return {str(k): str(v) for k, v in value.items()}


def parse_source(data: dict[str, Any], origin: str, raw: bytes = b"") -> SourceSpec:
    """Validate one registry entry; errors name the file and the key.

    Checks common to every entry are here; each kind checks its own needs
    (`ingest.kinds.SourceKind.validate`).
    """
    from crimetrends.ingest.kinds import get_kind, kind_names

    missing = [k for k in REQUIRED_KEYS if not data.get(k)]
    if missing:
        raise RegistryError(f"{origin}: missing required keys {missing}")
    if data["kind"] not in kind_names():
        raise RegistryError(f"{origin}: kind must be one of {kind_names()}, got {data['kind']!r}")
    unknown = set(data) - {*SCALAR_KEYS, *TUPLE_KEYS, *OTHER_KEYS}
    if unknown:
        raise RegistryError(f"{origin}: unknown keys {sorted(unknown)}")
    columns = {
        k: _column_spec(v, f"{origin} [columns].{k}") for k, v in data.get("columns", {}).items()
    }
    get_kind(data["kind"]).validate(data, columns, origin)
    return SourceSpec(
        **{k: data[k] for k in SCALAR_KEYS if k in data},
        **{k: tuple(data.get(k, ())) for k in TUPLE_KEYS},
        columns=columns,
        na_values=tuple(data.get("na_values", ("",))),
        totals=dict(data.get("totals", {})),
        definition_breaks=tuple(DefinitionBreak(**b) for b in data.get("definition_breaks", [])),
        portal=dict(data.get("portal", {})),
        extent=_extent(data.get("extent"), origin),
        agency_names={str(k): str(v) for k, v in data.get("agency_names", {}).items()},
        complete_span=_span(data.get("complete_span"), origin),
        samples=_samples(data.get("samples", {}), origin),
        digits=_digits(data.get("digits", {}), origin),
        header_variants=_header_variants(data, origin),
        spec_sha256=hashlib.sha256(raw).hexdigest(),
    )


def load_source_file(path: Path) -> SourceSpec:
    raw = path.read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{path.name}: not valid TOML ({exc})") from None
    spec = parse_source(data, path.name, raw)
    if spec.name != path.stem:
        raise RegistryError(f"{path.name}: name {spec.name!r} must equal the file name")
    return spec


@cache
def all_sources() -> dict[str, SourceSpec]:
    """Every registered source, by name (read once per process, on first use)."""
    catalog = resources.files("crimetrends.sources") / "catalog"
    specs: dict[str, SourceSpec] = {}
    for entry in sorted(catalog.iterdir(), key=lambda p: p.name):
        # `_*.toml` are not sources (`_unregistered.toml`: datasets we recognise, not load)
        if entry.name.endswith(".toml") and not entry.name.startswith("_"):
            spec = load_source_file(Path(str(entry)))
            specs[spec.name] = spec
    return specs


@dataclass(frozen=True)
class KnownDataset:
    """A dataset recognised by its header but not registered (`catalog/_unregistered.toml`)."""

    name: str
    title: str
    columns: tuple[str, ...]


@cache
def unregistered_datasets() -> tuple[KnownDataset, ...]:
    entry = resources.files("crimetrends.sources") / "catalog" / "_unregistered.toml"
    try:
        data = tomllib.loads(entry.read_text(encoding="utf-8"))
        return tuple(
            KnownDataset(d["name"], d["title"], tuple(d["columns"])) for d in data["dataset"]
        )
    except (KeyError, TypeError, tomllib.TOMLDecodeError) as exc:
        raise RegistryError(f"_unregistered.toml: {exc}") from None


def get_source(name: str) -> SourceSpec:
    sources = all_sources()
    if name not in sources:
        raise UnknownSourceError(
            f"unknown source {name!r}", hint=f"registered sources: {', '.join(sorted(sources))}"
        )
    return sources[name]
