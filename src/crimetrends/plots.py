"""Charts of model results as Vega-Lite specs, written as PNG/SVG (vl-convert) or JSON.

Same grammar as the site's charts; vl-convert renders them offline, so a PNG never needs a
browser or the network.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pandas as pd

from crimetrends.render import frame_records

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
CLASS_COLOURS = {"hot": "#c0392b", "cold": "#2e6da4", "": "#d9d9d9"}


def _values(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Inline chart data: missing as null, dates as ISO text."""
    return [
        {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()}
        for r in frame_records(frame)
    ]


def _datetime(day: str) -> dict[str, int]:
    """A Vega-Lite DateTime (months 1–12) for an ISO date."""
    y, m, d = (int(v) for v in day[:10].split("-"))
    return {"year": y, "month": m, "date": d}


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


def hotspot_map(cells: pd.DataFrame, summary: dict[str, Any]) -> dict[str, Any]:
    """Grid cells drawn at their true size, coloured by Gi* class after FDR control."""
    half = summary["cell_m"] / 2000.0
    data = cells[["x_km", "y_km", "class", "z", "q"]].copy()
    data["class"] = data["class"].map({"hot": "hot spot", "cold": "cold spot", "": "neither"})
    width_km = float(data.x_km.max() - data.x_km.min()) + 2 * half
    height_km = float(data.y_km.max() - data.y_km.min()) + 2 * half
    height = 560
    return {
        "$schema": SCHEMA,
        "title": {
            "text": f"{summary['offense']} hot and cold spots, {summary['source']} "
            f"{summary['year']}",
            "subtitle": f"Getis-Ord Gi*, {summary['permutations']} permutations, FDR "
            f"{summary['fdr_alpha']:.0%}, {summary['cell_m']:.0f} m cells; reported crime only",
        },
        "width": round(height * width_km / height_km),
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
            "x": {
                "field": "x0",
                "type": "quantitative",
                "title": "km east",
                "scale": {"zero": False, "nice": False},
            },
            "x2": {"field": "x1"},
            "y": {
                "field": "y0",
                "type": "quantitative",
                "title": "km north",
                "scale": {"zero": False, "nice": False},
            },
            "y2": {"field": "y1"},
            "color": {
                "field": "class",
                "type": "nominal",
                "scale": {
                    "domain": ["hot spot", "cold spot", "neither"],
                    "range": [CLASS_COLOURS["hot"], CLASS_COLOURS["cold"], CLASS_COLOURS[""]],
                },
                "title": None,
            },
        },
    }


def forecast_chart(history: pd.DataFrame, forecasts: pd.DataFrame, title: str) -> dict[str, Any]:
    """Observed months, then each model's forecast with its 95% band (one panel per model).

    history: period, count; forecasts: model, period, mean, lower95, upper95.
    """
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
