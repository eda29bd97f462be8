"""Numbers for people: '2,560', '−9.7%', '(95% CI −38% to +32%)'."""

from __future__ import annotations

import math

MINUS = "\u2212"


def count(value: int | float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{int(value):,}"


def pct(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "—"
    if math.isinf(value):
        return "+∞%"
    text = f"{value:+.{digits}f}%"
    return text.replace("-", MINUS)


def _bound(value: float) -> str:
    """Whole percent, but one decimal near zero so the sign is never '−0%'."""
    return pct(value, 0 if math.isinf(value) or abs(value) >= 0.95 else 1)


def ci(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return "—"
    return f"{_bound(low)} to {_bound(high)}"


def change(value: float | None, low: float | None, high: float | None) -> str:
    """'−20.0% (95% CI −23% to −17%)'."""
    if value is None and low is None:
        return "—"
    return f"{pct(value)} (95% CI {ci(low, high)})"


def rate(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f}"
