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
    spec_sha256: str = ""

    def column(self, name: str) -> ColumnSpec | None:
        return self.columns.get(name)

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
        if entry.name.endswith(".toml"):
            spec = load_source_file(Path(str(entry)))
            specs[spec.name] = spec
    return specs


def get_source(name: str) -> SourceSpec:
    sources = all_sources()
    if name not in sources:
        raise UnknownSourceError(
            f"unknown source {name!r}", hint=f"registered sources: {', '.join(sorted(sources))}"
        )
    return sources[name]
