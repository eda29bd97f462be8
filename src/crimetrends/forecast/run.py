"""Forecast the next months of each series with every model, intervals included."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from crimetrends.errors import NoDataError
from crimetrends.forecast.backtest import DEFAULT_SEED, model_rng
from crimetrends.forecast.models import Model
from crimetrends.forecast.series import MonthlyCounts, area_series, city_series
from crimetrends.store.catalog import resolve_agency
from crimetrends.taxonomy.offenses import resolve_offense


def select_series(
    con: Any,
    offense: str,
    agency: str | None = None,
    source: str | None = None,
    by: str | None = None,
) -> list[MonthlyCounts]:
    """Series for a city (one per monthly source) or for its areas (incident sources only)."""
    name, members = resolve_offense(offense)
    resolved = resolve_agency(con, agency) if agency else None
    if by:
        if not (resolved and source):
            raise NoDataError("forecasts by area need --city and an incident --source")
        return area_series(con, source, resolved, name, members, by)
    found = city_series(con, name, members, source, resolved)
    if not found:
        raise NoDataError(f"no monthly {name} series for {agency or 'any agency'}")
    return found


def forecast_rows(
    series: Sequence[MonthlyCounts],
    models: Sequence[Model],
    horizon: int = 3,
    seed: int = DEFAULT_SEED,
) -> pd.DataFrame:
    rows = []
    for s in series:
        for m in models:
            if len(s.values) < m.min_history:
                rows.append(
                    {
                        **s.fields(),
                        "model": m.name,
                        "period": None,
                        "note": f"{len(s.values)} usable months; {m.min_history} needed",
                    }
                )
                continue
            f = m.predict(s.values, s.first_month, horizon, model_rng(seed, s.key, m.name))
            future = pd.date_range(s.periods[-1], periods=horizon + 1, freq="MS")[1:]
            for i, period in enumerate(future):
                rows.append(
                    {
                        **s.fields(),
                        "model": m.name,
                        "period": period.date().isoformat(),
                        **f.at(i),
                        "last_observed": s.periods[-1].date().isoformat(),
                        "note": "; ".join(n for n in (s.note, f.note) if n),
                    }
                )
    return pd.DataFrame(rows)


def forecast_payload(
    series: Sequence[MonthlyCounts], models: Sequence[Model], frame: pd.DataFrame, seed: int
) -> dict[str, Any]:
    """What a forecast saves and prints as JSON: rows, models, history spans, caveats."""
    from crimetrends.render.caveats import MODEL_CAVEATS
    from crimetrends.render.records import frame_records

    return {
        "forecasts": frame_records(frame),
        "models": {m.name: m.description for m in models},
        "history": [
            {
                "source": s.source,
                "area": s.area,
                "first": str(s.periods[0].date()),
                "last": str(s.periods[-1].date()),
                "months": len(s.values),
                "note": s.note,
            }
            for s in series
        ],
        "seed": seed,
        "caveats": list(MODEL_CAVEATS),
    }


def forecast_plot(s: MonthlyCounts, frame: pd.DataFrame) -> dict[str, Any]:
    """The chart of one series' last three years and each model's forecast."""
    from crimetrends.render.charts import forecast_chart

    hist = pd.DataFrame({"period": s.periods[-36:], "count": s.values[-36:]})
    sel = frame[(frame.source == s.source) & (frame.area == s.area)]
    where = "" if s.area_type == "city" else f", {s.area_type} {s.area}"
    return forecast_chart(hist, sel, f"{s.agency}: {s.offense} ({s.source}{where})")
