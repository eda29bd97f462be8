"""Values as JSON and CSV: one policy for missing and non-finite numbers, used everywhere.

NaN, ±inf, pandas NA/NaT all become JSON null (an unbounded interval limit is null, and the
row's label says why); NumPy scalars become Python numbers; dates become ISO text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd


def json_safe(value: Any) -> Any:
    """`value` with every nested number JSON-safe (see the module docstring)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if value is None or isinstance(value, (str, int, bool)):
        return value
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if type(value).__name__ in ("NAType", "NaTType"):
        return None
    if hasattr(value, "isoformat"):  # pandas Timestamp
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        try:
            return json_safe(value.item())
        except (ValueError, AttributeError):
            return value
    return value


def frame_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """DataFrame rows as JSON-safe dicts."""
    return json_safe(frame.to_dict("records"))


def to_json(payload: Any, indent: int | None = 2) -> str:
    return json.dumps(json_safe(payload), indent=indent, ensure_ascii=False, default=str)


def to_csv(rows: Sequence[dict[str, Any]]) -> str:
    """Rows (which may differ in keys) as CSV; list cells joined with '; '."""
    if not rows:
        return ""
    out = io.StringIO()
    fields = list(dict.fromkeys(k for row in rows for k in row))
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                k: "; ".join(map(str, v)) if isinstance(v, list) else json_safe(v)
                for k, v in row.items()
            }
        )
    return out.getvalue()
