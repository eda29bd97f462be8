"""Vega-Lite specs (plain dicts) for the site's charts; data inlined, no remote loads."""

from __future__ import annotations

from typing import Any

import pandas as pd

WIDTH = "container"


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {k: (None if pd.isna(v) else v) for k, v in rec.items()}
        for rec in frame.to_dict(orient="records")
    ]


def monthly_trend(frame: pd.DataFrame, title: str) -> dict[str, Any]:
    """Line of monthly counts, the 95% band, provisional months marked, gaps left open."""
    data = frame[["month", "count", "ci_low", "ci_high", "provisional", "quality_flags"]].copy()
    data["status"] = data["provisional"].map({True: "provisional", False: "final"})
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title,
        "width": WIDTH,
        "height": 260,
        "data": {"values": _records(data)},
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
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title,
        "width": WIDTH,
        "height": 22 * max(len(frame), 1),
        "data": {"values": _records(frame)},
        "encoding": {"y": {"field": y, "type": "nominal", "sort": order, "title": None}},
        "layer": layer,
    }


def grid_map(
    frame: pd.DataFrame, title: str, cell_deg_lat: float, cell_deg_lon: float
) -> dict[str, Any]:
    """Heat map of grid-cell counts at their generalised centres (no basemap requests)."""
    data = frame[["lat", "lon", "count"]].dropna()
    half_lat, half_lon = cell_deg_lat / 2, cell_deg_lon / 2
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title,
        "width": WIDTH,
        "height": 420,
        "data": {"values": _records(data)},
        "transform": [
            {"calculate": f"datum.lat - {half_lat}", "as": "lat_lo"},
            {"calculate": f"datum.lat + {half_lat}", "as": "lat_hi"},
            {"calculate": f"datum.lon - {half_lon}", "as": "lon_lo"},
            {"calculate": f"datum.lon + {half_lon}", "as": "lon_hi"},
        ],
        "mark": {"type": "rect"},
        "encoding": {
            "x": {
                "field": "lon_lo",
                "type": "quantitative",
                "scale": {"zero": False},
                "title": "longitude",
            },
            "x2": {"field": "lon_hi"},
            "y": {
                "field": "lat_lo",
                "type": "quantitative",
                "scale": {"zero": False},
                "title": "latitude",
            },
            "y2": {"field": "lat_hi"},
            "color": {
                "field": "count",
                "type": "quantitative",
                "title": "incidents",
                "scale": {"scheme": "oranges"},
            },
            "tooltip": [{"field": "count", "type": "quantitative", "format": ","}],
        },
    }
