"""Caveats every model output carries (hotspots, forecasts, evaluations, impact estimates)."""

from __future__ import annotations

MODEL_CAVEATS = (
    "Models use reported crime only. Reported crime reflects reporting by victims and "
    "witnesses and police enforcement and recording practices, not all crime that occurred.",
    "Outputs describe places and months, never people: crimetrends makes no person-level "
    "prediction of any kind.",
    "A forecast or hotspot is a statement about uncertainty, not a reason for enforcement by "
    "itself; every model is shown next to the naive baselines it must beat.",
)
