"""Model results saved where the site and the API can show them ($CRIMETRENDS_HOME/results)."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

from crimetrends.settings import get_settings

NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,120}$")


def slug(text: str) -> str:
    """A result-name fragment: lower case, anything but letters and digits as '-'."""
    return "".join(c if c.isalnum() else "-" for c in text.lower())


def results_dir() -> Path:
    return get_settings().home / "results"


def rounded(value: Any, key: str = "") -> Any:
    """Floats to 4 decimals (cell-centre lat/lon to 6): no statistic can pass for a raw
    coordinate, and files stay small."""
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return value
        return round(value, 6 if key in ("lat", "lon") else 4)
    if isinstance(value, dict):
        return {k: rounded(v, str(k)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [rounded(v, key) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalars
        return rounded(value.item(), key)
    return value


def save(name: str, payload: dict[str, Any]) -> Path:
    """Write one result (JSON, floats rounded) atomically; served as /v1/results/{name}."""
    if not NAME.match(name):
        raise ValueError(f"bad result name {name!r}")
    from crimetrends.render.records import to_json

    payload = rounded(payload)
    folder = results_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(to_json(payload), encoding="utf-8")
    tmp.replace(path)
    return path


def names() -> list[str]:
    folder = results_dir()
    return sorted(p.stem for p in folder.glob("*.json")) if folder.exists() else []


def load(name: str) -> dict[str, Any] | None:
    if not NAME.match(name):
        return None
    path = results_dir() / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
