"""Initiatives: one declarative YAML file each (bundled examples + $CRIMETRENDS_HOME/initiatives).

An initiative says what started, where and when, which offenses it should move, and where that
information comes from. Examples that are not real programs must say `hypothetical: true`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from crimetrends.errors import ConfigError, NotFoundError
from crimetrends.settings import get_settings

TYPES = (
    "community policing",
    "youth program",
    "violence interruption",
    "mental-health response",
    "restorative justice",
    "de-escalation training",
    "technology",
    "hot-spot policing",
    "other",
)
METHODS = ("its", "did", "wdd", "synth")
AREA_TYPES = ("city", "district", "beat", "community")
REQUIRED = ("name", "title", "type", "agency", "source", "start", "outcomes", "information_source")


@dataclass(frozen=True)
class Initiative:
    name: str
    title: str
    type: str
    agency: str
    source: str  # the series to analyse: an incident source (areas) or a monthly counts source
    start: dt.date
    outcomes: tuple[str, ...]
    information_source: str
    area_type: str = "city"
    areas: tuple[str, ...] = ()
    end: dt.date | None = None
    comparison: tuple[str, ...] = ()  # comparison areas (or donor agencies for synth / did)
    buffer: tuple[str, ...] = ()  # areas for displacement (WDD); default: bordering areas
    methods: tuple[str, ...] = ()
    hypothetical: bool = False
    notes: str = ""
    origin: str = field(default="", compare=False)

    @property
    def place_based(self) -> bool:
        return self.area_type != "city"

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "type": self.type,
            "agency": self.agency,
            "source": self.source,
            "area_type": self.area_type,
            "areas": list(self.areas),
            "start": self.start.isoformat(),
            "end": self.end.isoformat() if self.end else None,
            "outcomes": list(self.outcomes),
            "methods": list(self.methods),
            "hypothetical": self.hypothetical,
            "information_source": self.information_source,
            "notes": self.notes,
        }


def _date(value: Any, key: str, origin: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f"{origin}: {key} must be a date YYYY-MM-DD, got {value!r}") from None


def _strings(value: Any, key: str, origin: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (str, int)):
        value = [value]
    if not isinstance(value, list):
        raise ConfigError(f"{origin}: {key} must be a list")
    return tuple(str(v) for v in value)


def parse_initiative(data: Any, origin: str) -> Initiative:
    """Validate one entry; every error names the file and the key."""
    if not isinstance(data, dict):
        raise ConfigError(f"{origin}: expected a mapping of keys to values")
    missing = [k for k in REQUIRED if data.get(k) in (None, "", [])]
    if missing:
        raise ConfigError(f"{origin}: missing required keys {missing}")
    known = set(Initiative.__dataclass_fields__) - {"origin"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(f"{origin}: unknown keys {unknown}", hint=f"known: {sorted(known)}")
    if data["type"] not in TYPES:
        raise ConfigError(f"{origin}: type must be one of {list(TYPES)}, got {data['type']!r}")
    area_type = data.get("area_type", "city")
    if area_type not in AREA_TYPES:
        raise ConfigError(f"{origin}: area_type must be one of {list(AREA_TYPES)}")
    areas = _strings(data.get("areas"), "areas", origin)
    if area_type != "city" and not areas:
        raise ConfigError(f"{origin}: a {area_type}-level initiative needs `areas`")
    start = _date(data["start"], "start", origin)
    end = _date(data["end"], "end", origin) if data.get("end") else None
    if end and end <= start:
        raise ConfigError(f"{origin}: end {end} is not after start {start}")
    methods = _strings(data.get("methods"), "methods", origin)
    bad = [m for m in methods if m not in METHODS]
    if bad:
        raise ConfigError(f"{origin}: unknown methods {bad}; choose from {list(METHODS)}")
    if area_type == "city" and "wdd" in methods:
        raise ConfigError(f"{origin}: wdd needs a place-based (area) initiative")
    return Initiative(
        name=str(data["name"]),
        title=str(data["title"]),
        type=data["type"],
        agency=str(data["agency"]),
        source=str(data["source"]),
        start=start,
        outcomes=_strings(data["outcomes"], "outcomes", origin),
        information_source=str(data["information_source"]),
        area_type=area_type,
        areas=areas,
        end=end,
        comparison=_strings(data.get("comparison"), "comparison", origin),
        buffer=_strings(data.get("buffer"), "buffer", origin),
        methods=methods or (("its", "did", "wdd") if area_type != "city" else ("its", "synth")),
        hypothetical=bool(data.get("hypothetical", False)),
        notes=str(data.get("notes", "")),
        origin=origin,
    )


def load_file(path: Path) -> Initiative:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc})") from None
    return parse_initiative(data, str(path))


def _files() -> list[Path]:
    bundled = resources.files("crimetrends.impact") / "catalog"
    found = sorted(Path(str(p)) for p in bundled.iterdir() if p.name.endswith(".yaml"))
    user = get_settings().home / "initiatives"
    if user.exists():
        found += sorted(user.glob("*.yaml"))
    return found


def all_initiatives() -> dict[str, Initiative]:
    out: dict[str, Initiative] = {}
    for path in _files():
        item = load_file(path)
        if item.name in out:
            raise ConfigError(f"{path}: initiative {item.name!r} is defined twice")
        out[item.name] = item
    return out


def get_initiative(name: str) -> Initiative:
    found = all_initiatives()
    if name not in found:
        raise NotFoundError(
            f"no initiative named {name!r}", hint="known: " + ", ".join(sorted(found))
        )
    return found[name]
