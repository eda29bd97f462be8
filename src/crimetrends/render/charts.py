"""Every chart as a Vega-Lite spec (a plain dict, data inlined, no remote loads).

The site embeds them; the CLI writes them as PNG/SVG through vl-convert (offline, no
browser) or as the JSON spec itself.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

from crimetrends.render.records import frame_records

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
WIDTH = "container"
CLASS_COLOURS = {"hot": "#c0392b", "cold": "#2e6da4", "": "#d9d9d9"}


def _values(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Inline chart data: missing as null, dates as ISO text (the records policy)."""
    return frame_records(frame)


def _datetime(day: str) -> dict[str, int]:
    """A Vega-Lite DateTime (months 1–12) for an ISO date."""
    y, m, d = (int(v) for v in day[:10].split("-"))
    return {"year": y, "month": m, "date": d}


def monthly_trend(frame: pd.DataFrame, title: str) -> dict[str, Any]:
    """Line of monthly counts, the 95% band, provisional months marked, gaps left open."""
    data = frame[["month", "count", "ci_low", "ci_high", "provisional", "quality_flags"]].copy()
    data["status"] = data["provisional"].map({True: "provisional", False: "final"})
    return {
        "$schema": SCHEMA,
        "title": title,
        "width": WIDTH,
        "height": 260,
        "data": {"values": _values(data)},
        "encoding": {"x": {"field": "month", "type": "temporal", "title": None}},
        "layer": [
            {
                "mark": {"type": "area", "opacity": 0.35, "color": "#7aa6dc"},
                "encoding": {
                    "y": {
                        "field": "ci_low",
                        "type": "quantitative",
                        "title": "crimes per month",
                        "scale": {"zero": True},
                    },
                    "y2": {"field": "ci_high"},
                },
            },
            {
                "mark": {"type": "line", "color": "#0a4f9e", "strokeWidth": 2},
                "encoding": {"y": {"field": "count", "type": "quantitative"}},
            },
            {
                "mark": {"type": "point", "filled": True, "size": 40},
                "encoding": {
                    "y": {"field": "count", "type": "quantitative"},
                    "color": {
                        "field": "status",
                        "type": "nominal",
                        "title": "month",
                        "scale": {
                            "domain": ["final", "provisional"],
                            "range": ["#0a4f9e", "#b35c00"],
                        },
                    },
                    "shape": {
                        "field": "status",
                        "type": "nominal",
                        "title": "month",
                        "scale": {
                            "domain": ["final", "provisional"],
                            "range": ["circle", "triangle-up"],
                        },
                    },
                    "tooltip": [
                        {"field": "month", "type": "temporal", "format": "%b %Y"},
                        {"field": "count", "type": "quantitative", "format": ","},
                        {
                            "field": "ci_low",
                            "type": "quantitative",
                            "format": ",.0f",
                            "title": "95% low",
                        },
                        {
                            "field": "ci_high",
                            "type": "quantitative",
                            "format": ",.0f",
                            "title": "95% high",
                        },
                        {"field": "quality_flags", "type": "nominal", "title": "flags"},
                    ],
                },
            },
        ],
    }


def bars(
    frame: pd.DataFrame,
    x: str,
    y: str,
    title: str,
    x_title: str,
    low: str | None = None,
    high: str | None = None,
    fmt: str = ",",
) -> dict[str, Any]:
    order = {"field": x, "op": "sum", "order": "descending"}
    layer: list[dict[str, Any]] = [
        {
            "mark": {"type": "bar", "color": "#0a4f9e"},
            "encoding": {
                "x": {
                    "field": x,
                    "type": "quantitative",
                    "title": x_title,
                    "axis": {"format": fmt},
                },
                "tooltip": [{"field": y}, {"field": x, "format": fmt}],
            },
        }
    ]
    if low and high:
        layer.append(
            {
                "mark": {"type": "rule", "color": "#1a1a1a"},
                "encoding": {"x": {"field": low, "type": "quantitative"}, "x2": {"field": high}},
            }
        )
    return {
        "$schema": SCHEMA,
        "title": title,
        "width": WIDTH,
        "height": 22 * max(len(frame), 1),
        "data": {"values": _values(frame)},
        "encoding": {"y": {"field": y, "type": "nominal", "sort": order, "title": None}},
        "layer": layer,
    }


def save_chart(spec: dict[str, Any], path: Path) -> Path:
    """Write `spec` as .png, .svg or .json (the Vega-Lite spec itself), by the file suffix."""
    import vl_convert as vlc

    suffix = path.suffix.lower()
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".png":
        path.write_bytes(vlc.vegalite_to_png(spec, scale=2))
    elif suffix == ".svg":
        path.write_text(vlc.vegalite_to_svg(spec), encoding="utf-8")
    elif suffix == ".json":
        import json

        path.write_text(json.dumps(spec, indent=1, default=str), encoding="utf-8")
    else:
        raise ValueError(f"plots are written as .png, .svg or .json, not {suffix!r}")
    return path


def grid_map(
    cells: pd.DataFrame,
    title: str | dict[str, Any],
    cell_km: float,
    colour: dict[str, Any],
    tooltip: list[dict[str, Any]] | None = None,
    height: int = 560,
    width: int | str | None = None,
) -> dict[str, Any]:
    """Square grid cells at true size, in km east (`x_km`) and north (`y_km`) of an origin.

    The one map builder: hotspot classes and the site's count maps differ only in `colour`.
    """
    half = cell_km / 2
    fields = ["x_km", "y_km", colour["field"], *[t["field"] for t in tooltip or []]]
    # cell centres to the metre: enough to draw, and no value looks like a raw coordinate
    data = cells[list(dict.fromkeys(fields))].round({"x_km": 3, "y_km": 3})
    width_km = float(data.x_km.max() - data.x_km.min()) + cell_km if len(data) else cell_km
    height_km = float(data.y_km.max() - data.y_km.min()) + cell_km if len(data) else cell_km
    axis = {"zero": False, "nice": False}
    return {
        "$schema": SCHEMA,
        "title": title,
        "width": width or max(120, round(height * width_km / height_km)),
        "height": height,
        "data": {"values": _values(data)},
        "transform": [
            {"calculate": f"datum.x_km - {half}", "as": "x0"},
            {"calculate": f"datum.x_km + {half}", "as": "x1"},
            {"calculate": f"datum.y_km - {half}", "as": "y0"},
            {"calculate": f"datum.y_km + {half}", "as": "y1"},
        ],
        "mark": {"type": "rect"},
        "encoding": {
            "x": {"field": "x0", "type": "quantitative", "title": "km east", "scale": axis},
            "x2": {"field": "x1"},
            "y": {"field": "y0", "type": "quantitative", "title": "km north", "scale": axis},
            "y2": {"field": "y1"},
            "color": colour,
            **({"tooltip": tooltip} if tooltip else {}),
        },
    }


def hotspot_map(cells: pd.DataFrame, summary: dict[str, Any]) -> dict[str, Any]:
    """Grid cells coloured by Gi* class after FDR control."""
    data = cells[["x_km", "y_km", "class"]].copy()
    data["class"] = data["class"].map({"hot": "hot spot", "cold": "cold spot", "": "neither"})
    title = {
        "text": f"{summary['offense']} hot and cold spots, {summary['source']} {summary['year']}",
        "subtitle": f"Getis-Ord Gi*, {summary['permutations']} permutations, FDR "
        f"{summary['fdr_alpha']:.0%}, {summary['cell_m']:.0f} m cells; reported crime only",
    }
    colour = {
        "field": "class",
        "type": "nominal",
        "scale": {
            "domain": ["hot spot", "cold spot", "neither"],
            "range": [CLASS_COLOURS["hot"], CLASS_COLOURS["cold"], CLASS_COLOURS[""]],
        },
        "title": None,
    }
    return grid_map(data, title, summary["cell_m"] / 1000.0, colour)


def count_map(cells: pd.DataFrame, title: str, cell_m: float) -> dict[str, Any]:
    """Grid-cell counts (cell centres in lat/lon) at true aspect, coloured by count."""
    import math

    lat0 = float(cells["lat"].min()) if len(cells) else 0.0
    lon0 = float(cells["lon"].min()) if len(cells) else 0.0
    km = 111.32
    data = cells.assign(
        x_km=(cells["lon"] - lon0) * km * math.cos(math.radians(lat0)),
        y_km=(cells["lat"] - lat0) * km,
    )
    colour = {
        "field": "count",
        "type": "quantitative",
        "title": "incidents",
        "scale": {"scheme": "oranges"},
    }
    tooltip = [{"field": "count", "type": "quantitative", "format": ","}]
    return grid_map(data, title, cell_m / 1000.0, colour, tooltip, height=420, width=WIDTH)


def forecast_chart(history: pd.DataFrame, forecasts: pd.DataFrame, title: str) -> dict[str, Any]:
    """Observed months, then each model's forecast with its 95% band (one panel per model).

    history: period, count; forecasts: model, period, mean, lower95, upper95.
    """
    import pandas as pd

    fc = forecasts.dropna(subset=["mean"])[["model", "period", "mean", "lower95", "upper95"]]
    models = list(dict.fromkeys(fc["model"]))
    hist = pd.concat([history[["period", "count"]].assign(model=m) for m in models])
    data = pd.concat([hist, fc], ignore_index=True)
    data["period"] = pd.to_datetime(data["period"]).dt.strftime("%Y-%m-%d")
    x = {"field": "period", "type": "temporal", "title": None}
    return {
        "$schema": SCHEMA,
        "title": {
            "text": title,
            "subtitle": "shaded: 95% prediction interval; reported crime only",
        },
        "data": {"values": _values(data)},
        "facet": {"field": "model", "type": "nominal", "title": None, "sort": models},
        "columns": 3,
        "spec": {
            "width": 260,
            "height": 160,
            "layer": [
                {
                    "transform": [{"filter": "isValid(datum.count)"}],
                    "mark": {"type": "line", "color": "#555"},
                    "encoding": {
                        "x": x,
                        "y": {
                            "field": "count",
                            "type": "quantitative",
                            "title": "incidents per month",
                        },
                    },
                },
                {
                    "transform": [{"filter": "isValid(datum.mean)"}],
                    "mark": {"type": "area", "opacity": 0.25, "color": "#2e6da4"},
                    "encoding": {
                        "x": x,
                        "y": {"field": "lower95", "type": "quantitative"},
                        "y2": {"field": "upper95"},
                    },
                },
                {
                    "transform": [{"filter": "isValid(datum.mean)"}],
                    "mark": {"type": "line", "point": True, "color": "#2e6da4"},
                    "encoding": {"x": x, "y": {"field": "mean", "type": "quantitative"}},
                },
            ],
        },
    }


def monthly_evaluation_chart(summary: pd.DataFrame, title: str) -> dict[str, Any]:
    """MAE relative to naive per model (below 1 = better than naive), one row per offense."""
    data = summary[["offense", "model", "relative_mae_vs_naive", "coverage80", "coverage95"]]
    return {
        "$schema": SCHEMA,
        "title": {"text": title, "subtitle": "geometric mean over series of MAE ÷ naive MAE"},
        "data": {"values": _values(data)},
        "facet": {"row": {"field": "offense", "type": "nominal", "title": None}},
        "spec": {
            "width": 420,
            "height": 150,
            "layer": [
                {
                    "mark": "bar",
                    "encoding": {
                        "y": {"field": "model", "type": "nominal", "title": None, "sort": None},
                        "x": {
                            "field": "relative_mae_vs_naive",
                            "type": "quantitative",
                            "title": "relative MAE (naive = 1)",
                        },
                        "color": {
                            "condition": {
                                "test": "datum.relative_mae_vs_naive < 1",
                                "value": "#2e7d32",
                            },
                            "value": "#b0b0b0",
                        },
                    },
                },
                {"mark": {"type": "rule", "color": "black"}, "encoding": {"x": {"datum": 1}}},
            ],
        },
    }


def map_evaluation_chart(scores: pd.DataFrame, title: str) -> dict[str, Any]:
    """Hit rate per period for each map model, one panel per share of area flagged."""
    data = scores[["model", "target", "area_share", "hit_rate", "pai"]].copy()
    data["area"] = data["area_share"].map(lambda s: f"top {s:.0%} of cells")
    return {
        "$schema": SCHEMA,
        "title": {"text": title, "subtitle": "share of the period's crimes in the flagged cells"},
        "data": {"values": _values(data)},
        "facet": {"column": {"field": "area", "type": "nominal", "title": None}},
        "spec": {
            "width": 360,
            "height": 220,
            "mark": {"type": "line", "strokeWidth": 1.5},
            "encoding": {
                "x": {"field": "target", "type": "temporal", "title": None},
                "y": {
                    "field": "hit_rate",
                    "type": "quantitative",
                    "title": "hit rate",
                    "axis": {"format": "%"},
                },
                "color": {"field": "model", "type": "nominal"},
            },
        },
    }


def impact_chart(paths: pd.DataFrame, title: str, start: str) -> dict[str, Any]:
    """Observed counts of the treated units against each method's counterfactual and band."""
    import pandas as pd

    data = paths.copy()
    data["period"] = pd.to_datetime(data["period"]).dt.strftime("%Y-%m-%d")
    data["panel"] = data["outcome"] + " · " + data["method"]
    x = {"field": "period", "type": "temporal", "title": None}
    return {
        "$schema": SCHEMA,
        "title": {
            "text": textwrap.wrap(title, 80),
            "subtitle": "grey: observed; blue: counterfactual with its 95% "
            "band; dashed: start; reported crime only",
        },
        "data": {
            "values": _values(
                data[["panel", "period", "observed", "counterfactual", "lower", "upper"]]
            )
        },
        "facet": {"field": "panel", "type": "nominal", "title": None},
        "columns": 2,
        "spec": {
            "width": 340,
            "height": 170,
            "layer": [
                {
                    "transform": [{"filter": "isValid(datum.lower)"}],
                    "mark": {"type": "area", "opacity": 0.2, "color": "#2e6da4"},
                    "encoding": {
                        "x": x,
                        "y": {"field": "lower", "type": "quantitative"},
                        "y2": {"field": "upper"},
                    },
                },
                {
                    "mark": {"type": "line", "color": "#555"},
                    "encoding": {
                        "x": x,
                        "y": {
                            "field": "observed",
                            "type": "quantitative",
                            "title": "crimes per month",
                        },
                    },
                },
                {
                    "transform": [{"filter": "isValid(datum.counterfactual)"}],
                    "mark": {"type": "line", "color": "#2e6da4", "strokeDash": [4, 2]},
                    "encoding": {"x": x, "y": {"field": "counterfactual", "type": "quantitative"}},
                },
                {
                    "mark": {"type": "rule", "strokeDash": [6, 4], "color": "black"},
                    "encoding": {"x": {"datum": _datetime(start), "type": "temporal"}},
                },
            ],
        },
        "resolve": {"scale": {"y": "independent"}},
    }
