"""Numbers for people: '2,560', '−9.7%', '(95% CI −38% to +32%)'; one glyph for missing."""

from __future__ import annotations

import math
from typing import Any

MINUS = "\u2212"
MISSING = "—"


def is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return type(value).__name__ in ("NAType", "NaTType")


def count(value: int | float | None) -> str:
    if is_missing(value):
        return MISSING
    return f"{int(value):,}"


def signed(value: float, digits: int = 0) -> str:
    """'+3', '−12.5': a signed number with the typographic minus."""
    return f"{value:+,.{digits}f}".replace("-", MINUS)


def pct(value: float | None, digits: int = 1) -> str:
    if is_missing(value):
        return MISSING
    if math.isinf(value):
        return "+∞%" if value > 0 else f"{MINUS}∞%"
    return f"{value:+.{digits}f}%".replace("-", MINUS)


def _bound(value: float) -> str:
    """Whole percent, but one decimal near zero so the sign is never '−0%'."""
    return pct(value, 0 if math.isinf(value) or abs(value) >= 0.95 else 1)


def ci(low: float | None, high: float | None) -> str:
    if is_missing(low) or is_missing(high):
        return MISSING
    return f"{_bound(low)} to {_bound(high)}"


def change(value: float | None, low: float | None, high: float | None) -> str:
    """'−20.0% (95% CI −23% to −17%)'."""
    if is_missing(value) and is_missing(low):
        return MISSING
    return f"{pct(value)} (95% CI {ci(low, high)})"


def rate(value: float | None) -> str:
    return MISSING if is_missing(value) else f"{value:,.1f}"


def cell(value: Any, spec: str | None = None) -> str:
    """One table cell: MISSING when missing, `spec` format when given, else str()."""
    if is_missing(value):
        return MISSING
    return format(value, spec) if spec else str(value)
