"""Every chart as a Vega-Lite spec (a plain dict, data inlined, no remote loads).

The site embeds them; the CLI writes them as PNG/SVG through vl-convert (offline, no
browser) or as the JSON spec itself.

Accessibility, for every spec (`accessible`): a top-level `description`, which Vega puts on
the chart's container as its accessible name (vega-embed keeps it); marks carry `aria: false`
(mark by mark: `config.aria: false` would leave unnamed SVG groups that axe flags), so a
screen reader hears the description and then the data table the site puts beside each chart,
not one label per point. Axis numbers use fixed formats (",~f"): a precision-only format such
as "," lets d3 pick significant digits from the tick step and prints "2e+3".
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
COUNT_FORMAT = ",~f"
# percent-change axes: values are percent units (−21.1), shown "−20%", "0%", "+10%"
PCT_AXIS = {
    "format": ",~f",
    "tickCount": 6,
    "labelExpr": "datum.value > 0 ? '+' + datum.label + '%' : datum.label + '%'",
}
# colour-blind-safe pairs and series colours (WCAG contrast ≥ 3:1 on white)
PAIR_COLOURS = ("#0a4f9e", "#b35c00")
SERIES_COLOURS = ("#0a4f9e", "#b35c00", "#2e7d32", "#6a3d9a", "#4a4a4a", "#a3161b")
CLASS_FILLS = ("#efedf5", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f")  # ColorBrewer Purples
SPOT_STROKES = {"hot spot (Gi*)": "#d7301f", "cold spot (Gi*)": "#0570b0"}
BREAK_GAPS = "break-paths-filter-domains"  # a missing month leaves a gap, not a zero
BOTTOM_LEGEND = {"orient": "bottom", "title": None}


def _values(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Inline chart data: missing as null, dates as ISO text (the records policy)."""
    return frame_records(frame)


def _datetime(day: str) -> dict[str, int]:
    """A Vega-Lite DateTime (months 1–12) for an ISO date."""
    y, m, d = (int(v) for v in day[:10].split("-"))
    return {"year": y, "month": m, "date": d}


def accessible(spec: dict[str, Any], description: str) -> dict[str, Any]:
    """`spec` with its description set and every mark hidden from the accessibility tree."""
    spec["description"] = description
    _quiet(spec)
    return spec


def _quiet(node: Any) -> None:
    if not isinstance(node, dict):
        return
    if "mark" in node:
        mark = node["mark"]
        node["mark"] = {"type": mark, "aria": False} if isinstance(mark, str) else mark
        node["mark"]["aria"] = False
    for key in ("layer", "spec", "hconcat", "vconcat", "concat"):
        sub = node.get(key)
        for child in sub if isinstance(sub, list) else [sub]:
            _quiet(child)


def _choice(signal: str, names: dict[str, str]) -> str:
    """A Vega expression giving names[signal's value] (the value itself when not listed)."""
    expr = signal
    for key, name in reversed(list(names.items())):
        expr = f"{signal} == {key!r} ? {name!r} : ({expr})"
    return expr


def interval_chart(
    rows: list[dict[str, Any]],
    title: str | list[str],
    description: str,
    x_title: str,
    groups: tuple[str, ...],
) -> dict[str, Any]:
    """Percent changes with their 95% intervals: one row per `y`, a dot per `group`.

    rows: y (the place or method), group, pct, lo, hi, text (the change as printed), label.
    Used for the answer card (a city beside its state and national samples) and for program
    impact estimates. The x domain always holds zero and leaves room for the printed value,
    which stands on the side of the interval away from zero (never struck by the zero line).
    """
    for r in rows:
        left = r["pct"] < 0
        end = r.get("lo") if left else r.get("hi")
        r["textx"] = end if end is not None else r["pct"]
        r["side"] = "left" if left else "right"
        r.setdefault("text_short", r["text"])
    lo = min([r["lo"] if r.get("lo") is not None else r["pct"] for r in rows] + [0.0])
    hi = max([r["hi"] if r.get("hi") is not None else r["pct"] for r in rows] + [0.0])
    span = max(hi - lo, 1.0)
    room_left = 0.35 if any(r["side"] == "left" for r in rows) else 0.08
    room_right = 0.35 if any(r["side"] == "right" for r in rows) else 0.08
    x = {
        "type": "quantitative",
        "scale": {  # rounded: no published number may look like a precise coordinate
            "domain": [round(lo - room_left * span, 2), round(hi + room_right * span, 2)],
            "nice": False,
            "zero": False,
        },
    }
    ys = list(dict.fromkeys(r["y"] for r in rows))
    colour = {
        "field": "group",
        "type": "nominal",
        "scale": {"domain": list(groups), "range": list(PAIR_COLOURS + SERIES_COLOURS[2:])},
        "legend": BOTTOM_LEGEND if len(groups) > 1 else None,
    }
    spec = {
        "$schema": SCHEMA,
        "title": {"text": title, "anchor": "start"},
        "width": WIDTH,
        "height": round(30 * len(ys) * max(1, len(groups)) ** 0.5 + 10),
        "data": {"values": rows},
        "encoding": {
            "y": {
                "field": "y",
                "type": "nominal",
                "sort": ys,
                "title": None,
                "axis": {"labelLimit": 150},
            },
            "yOffset": {"field": "group", "sort": list(groups)},
            "color": colour,
        },
        "layer": _interval_layers(x, x_title),
    }
    return accessible(spec, description)


def _interval_layers(x: dict[str, Any], x_title: str) -> list[dict[str, Any]]:
    """Zero line, interval rule, dot and printed change of `interval_chart`."""
    tooltip = [
        {"field": "y", "title": "where"},
        {"field": "group", "title": "what"},
        {"field": "text", "title": "change (95% CI)"},
        {"field": "label", "title": "label"},
    ]
    zero = {"x": {"datum": 0, **x}, "color": {"value": "#1a1a1a"}, "yOffset": None, "y": None}
    return [
        {"mark": {"type": "rule", "color": "#1a1a1a", "strokeDash": [3, 3]}, "encoding": zero},
        {
            "mark": {"type": "rule", "strokeWidth": 3},
            "encoding": {
                "x": {"field": "lo", **x, "title": x_title, "axis": PCT_AXIS},
                "x2": {"field": "hi"},
                "tooltip": tooltip,
            },
        },
        {
            "mark": {"type": "point", "filled": True, "size": 90, "opacity": 1},
            "encoding": {"x": {"field": "pct", **x}, "tooltip": tooltip},
        },
        *(
            {
                "transform": [{"filter": f"datum.side == '{side}'"}],
                "mark": {"type": "text", "align": align, "dx": dx, "fontSize": 12},
                "encoding": {
                    "x": {"field": "textx", **x},
                    "text": {"field": "text_short"},
                    "color": {"value": "#1a1a1a"},
                },
            }
            for side, align, dx in (("left", "right", -6), ("right", "left", 6))
        ),
    ]


def _scaled(base: str, name: str) -> dict[str, str]:
    """y = base × (100,000 / population when the rate is shown); null, not 0, when missing."""
    rate_ok = "(measure != 'rate' || isValid(datum.p))"
    scale = "(measure == 'rate' ? 100000 / datum.p : 1)"
    return {
        "calculate": f"isValid({base}) && {rate_ok} ? ({base}) * {scale} : null",
        "as": name,
    }


def series_chart(
    values: list[dict[str, Any]],
    description: str,
    grain: str,
    offense: str,
    offenses: dict[str, str],
    sources: list[str],
    source_names: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A city's counts over time, for the offense, measure and view the page's controls set.

    values: s (source name, or its key in `source_names`: a name said once, not per point),
    o (offense key), t (period start), c (count), lo/hi (95% band),
    r/rlo/rhi (rolling 12-month sum and band; months only), p (population of the
    period's year; null without a population), pv (provisional), f (flags).
    Signals: `offense`, `measure` ("count" or "rate"), `view` ("month" or "r12").
    """
    monthly = grain == "month"
    pick = (
        (lambda a, b: f"(view == 'r12' ? datum.{b} : datum.{a})")
        if monthly
        else (lambda a, b: f"datum.{a}")
    )
    name = _choice("offense", offenses)
    if monthly:
        heading = f"({name}) + (view == 'r12' ? ', 12 months to each month' : ' per month')"
    else:
        heading = f"({name}) + ' per year'"
    sub = "measure == 'rate' ? 'per 100,000 residents (population of each year)' : 'crimes counted'"
    spec = {
        "$schema": SCHEMA,
        "params": [
            {"name": "offense", "value": offense},
            {"name": "measure", "value": "count"},
            {"name": "view", "value": "month"},
        ],
        "title": {"text": {"expr": heading}, "subtitle": {"expr": sub}, "anchor": "start"},
        "width": WIDTH,
        "height": 240,
        "data": {"values": values},
        "transform": [
            {"filter": "datum.o == offense"},
            *([{"calculate": _choice("datum.s", source_names), "as": "s"}] if source_names else []),
            _scaled(pick("c", "r"), "y"),
            _scaled(pick("lo", "rlo"), "ylo"),
            _scaled(pick("hi", "rhi"), "yhi"),
        ],
        "encoding": {"x": _time_axis(monthly), "color": _source_colours(sources)},
        "layer": _series_layers(monthly),
    }
    return accessible(spec, description)


def _time_axis(monthly: bool) -> dict[str, Any]:
    axis = {"format": "%Y", "labelOverlap": True}
    if monthly:  # one tick a year, not one every six months labelled with the same year
        axis["tickCount"] = {"interval": "year"}
    return {"field": "t", "type": "temporal", "title": None, "axis": axis}


def _source_colours(sources: list[str]) -> dict[str, Any]:
    return {
        "field": "s",
        "type": "nominal",
        "scale": {"domain": sources, "range": list(SERIES_COLOURS[: len(sources)])},
        "legend": {
            **BOTTOM_LEGEND,
            "labelLimit": 320,
            "direction": "vertical",
            "symbolType": "stroke",
            "symbolStrokeWidth": 3,
            "symbolOpacity": 1,
        },
    }


def _series_layers(monthly: bool) -> list[dict[str, Any]]:
    """Band, line, and one point per valid period (a triangle on provisional months,
    invisible elsewhere but carrying the tooltip: no layer is ever left without data)."""
    y = {
        "field": "y",
        "type": "quantitative",
        "title": None,
        "axis": {"format": COUNT_FORMAT},
        "scale": {"zero": True},
    }
    tooltip = [
        {"field": "s", "title": "source"},
        {
            "field": "t",
            "type": "temporal",
            "format": "%b %Y" if monthly else "%Y",
            "title": "period",
        },
        {"field": "y", "type": "quantitative", "format": ",.1~f", "title": "value"},
        {"field": "ylo", "type": "quantitative", "format": ",.1~f", "title": "95% low"},
        {"field": "yhi", "type": "quantitative", "format": ",.1~f", "title": "95% high"},
        {"field": "f", "title": "flags"},
    ]
    return [
        {
            "mark": {"type": "area", "opacity": 0.22, "invalid": BREAK_GAPS},
            "encoding": {"y": {**y, "field": "ylo"}, "y2": {"field": "yhi"}},
        },
        {
            "mark": {"type": "line", "strokeWidth": 2, "invalid": BREAK_GAPS, "point": not monthly},
            "encoding": {"y": y},
        },
        {
            "transform": [{"filter": "isValid(datum.y)"}],
            "mark": {"type": "point", "shape": "triangle-up", "filled": True, "size": 70},
            "encoding": {
                "y": y,
                "color": {"value": "#1a1a1a"},
                "opacity": {"condition": {"test": "datum.pv", "value": 1}, "value": 0},
                "tooltip": tooltip,
            },
        },
    ]


def bars(
    frame: pd.DataFrame | list[dict[str, Any]],
    x: str,
    y: str,
    title: str,
    x_title: str,
    low: str | None = None,
    high: str | None = None,
    fmt: str = COUNT_FORMAT,
    description: str | None = None,
) -> dict[str, Any]:
    """Horizontal bars, largest first, with an interval rule when `low`/`high` are given."""
    order = {"field": x, "op": "sum", "order": "descending"}
    layer: list[dict[str, Any]] = [
        {
            "mark": {"type": "bar", "color": "#0a4f9e"},
            "encoding": {
                "x": {
                    "field": x,
                    "type": "quantitative",
                    "title": x_title,
                    "axis": {"format": fmt, "tickCount": 6},
                },
                "tooltip": [{"field": y}, {"field": x, "format": fmt}],
            },
        }
    ]
    if low and high:
        layer.append(
            {
                "mark": {"type": "rule", "color": "#1a1a1a", "strokeWidth": 2},
                "encoding": {"x": {"field": low, "type": "quantitative"}, "x2": {"field": high}},
            }
        )
    spec = {
        "$schema": SCHEMA,
        "title": {"text": title, "anchor": "start"},
        "width": WIDTH,
        "height": 22 * max(len(frame), 1),
        "data": {"values": frame if isinstance(frame, list) else _values(frame)},
        "encoding": {
            "y": {
                "field": y,
                "type": "nominal",
                "sort": order,
                "title": None,
                "axis": {"labelLimit": 160},
            }
        },
        "layer": layer,
    }
    return accessible(spec, description or f"{title}: horizontal bars of {x_title} by {y}.")


def area_map(
    cells: list[dict[str, Any]],
    layers: dict[str, list[dict[str, Any]]],
    classes: list[str],
    description: str,
    year: int,
    cell_km: float,
    spot_km: float,
) -> dict[str, Any]:
    """Grid cells coloured by count class, district outlines and names, Gi* spots on top.

    Coordinates are km east and north of the city's south-west corner (an equirectangular
    projection at the city's latitude: true shape and scale at city size). `usermeta.aspect`
    (width ÷ height) lets the page size the chart to its container without stretching it.
    One offense group per map (its count classes are its own). cells: x, y (cell centre), yr,
    n (count), cls (class label), d (district). layers: "outlines" (x, y, x2, y2), "names"
    (x, y, d), "spots" (x, y, yr, spot). Signal: `year` (the page's year picker).
    """
    xs = [c["x"] for c in cells] or [0.0]
    ys = [c["y"] for c in cells] or [0.0]
    xdom = [min(xs) - cell_km, max(xs) + cell_km]
    ydom = [min(ys) - cell_km, max(ys) + cell_km]
    m = _MapAxes(xdom, ydom)
    fill = _class_fill(classes)
    cell_layer = {
        "data": {"values": cells},
        "transform": [{"filter": "datum.yr == year"}, *m.square(cell_km / 2)],
        "mark": {"type": "rect"},
        "encoding": {
            **m.box(),
            "color": fill,
            "tooltip": [
                {"field": "n", "title": "incidents", "format": ","},
                {"field": "d", "title": "district"},
            ],
        },
    }
    parts = [cell_layer]
    if layers.get("spots"):
        parts.append(_spot_layer(layers["spots"], m, spot_km))
    parts += _district_layers(layers, m)
    width_km, height_km = xdom[1] - xdom[0], ydom[1] - ydom[0]
    spec = {
        "$schema": SCHEMA,
        "params": [{"name": "year", "value": year}],
        "usermeta": {"aspect": round(width_km / height_km, 4)},
        "width": 400,
        "height": round(400 * height_km / width_km),
        "view": {"stroke": None},
        "layer": parts,
        "resolve": {"scale": {"color": "independent"}},
    }
    return accessible(spec, description)


def _class_fill(classes: list[str]) -> dict[str, Any]:
    """Count classes as an ordinal colour, lightest first, legend below the map."""
    return {
        "field": "cls",
        "type": "ordinal",
        "sort": classes,
        "scale": {"domain": classes, "range": list(CLASS_FILLS[: len(classes)])},
        "legend": {
            "orient": "bottom",
            "title": "incidents per cell",
            "direction": "horizontal",
            "columns": 3,
        },
    }


class _MapAxes:
    """Shared x/y encodings of a map's layers (fixed domains: the map never rescales)."""

    def __init__(self, xdom: list[float], ydom: list[float]) -> None:
        self.sx = {"domain": xdom, "nice": False, "zero": False}
        self.sy = {"domain": ydom, "nice": False, "zero": False}

    def pos(self, field: str, axis: str) -> dict[str, Any]:
        scale = self.sx if axis == "x" else self.sy
        return {"field": field, "type": "quantitative", "scale": scale, "axis": None}

    def box(self) -> dict[str, Any]:
        return {
            "x": self.pos("x0", "x"),
            "x2": {"field": "x1"},
            "y": self.pos("y0", "y"),
            "y2": {"field": "y1"},
        }

    @staticmethod
    def square(half: float) -> list[dict[str, str]]:
        return [
            {"calculate": f"datum.x - {half}", "as": "x0"},
            {"calculate": f"datum.x + {half}", "as": "x1"},
            {"calculate": f"datum.y - {half}", "as": "y0"},
            {"calculate": f"datum.y + {half}", "as": "y1"},
        ]


def _spot_layer(spots: list[dict[str, Any]], m: _MapAxes, spot_km: float) -> dict[str, Any]:
    stroke = {
        "field": "spot",
        "type": "nominal",
        "scale": {"domain": list(SPOT_STROKES), "range": list(SPOT_STROKES.values())},
        "legend": {
            "orient": "bottom",
            "title": None,
            "symbolFillColor": "#ffffff",
            "symbolStrokeWidth": 2,
        },
    }
    return {
        "data": {"values": spots},
        "transform": [{"filter": "datum.yr == year"}, *m.square(spot_km / 2)],
        "mark": {"type": "rect", "fillOpacity": 0, "strokeWidth": 1.6},
        "encoding": {**m.box(), "stroke": stroke},
    }


def _district_layers(layers: dict[str, list[dict[str, Any]]], m: _MapAxes) -> list:
    """Outline rules, then each name twice: a white halo under the dark text."""
    outlines = {
        "data": {"values": layers.get("outlines", [])},
        "mark": {"type": "rule", "color": "#1a1a1a", "strokeWidth": 1.3},
        "encoding": {
            "x": m.pos("x", "x"),
            "x2": {"field": "x2"},
            "y": m.pos("y", "y"),
            "y2": {"field": "y2"},
        },
    }
    names = [
        {
            "data": {"values": layers.get("names", [])},
            "mark": {"type": "text", "fontSize": 12, "fontWeight": "bold", **style},
            "encoding": {"x": m.pos("x", "x"), "y": m.pos("y", "y"), "text": {"field": "d"}},
        }
        for style in (
            {"stroke": "#ffffff", "strokeWidth": 3, "color": "#ffffff"},
            {"color": "#1a1a1a"},
        )
    ]
    return [outlines, *names] if layers.get("outlines") or layers.get("names") else []


def forecast_bands(
    values: list[dict[str, Any]],
    title: str,
    description: str,
    model: str,
    names: dict[str, str],
) -> dict[str, Any]:
    """Observed months, then one model's forecast with its 80% and 95% bands.

    values: t (month), c (observed count, history rows), m (model key, forecast rows), mean,
    l80, u80, l95, u95. Signal `model` picks the forecast shown (the page's selector).
    """
    x = {
        "field": "t",
        "type": "temporal",
        "title": None,
        "axis": {"format": "%b %Y", "labelOverlap": True},
    }
    spec = {
        "$schema": SCHEMA,
        "params": [{"name": "model", "value": model}],
        "title": {
            "text": title,
            "subtitle": {"expr": f"'forecast: ' + ({_choice('model', names)})"},
            "anchor": "start",
        },
        "width": WIDTH,
        "height": 240,
        "data": {"values": values},
        "encoding": {"x": x},
        "layer": _forecast_layers(),
    }
    return accessible(spec, description)


def _forecast_layers() -> list[dict[str, Any]]:
    y = {
        "type": "quantitative",
        "title": None,
        "axis": {"format": COUNT_FORMAT},
        "scale": {"zero": False},
    }
    mine = {"filter": "datum.m == model"}
    when = {"field": "t", "type": "temporal", "format": "%b %Y"}
    return [
        {
            "transform": [mine],
            "mark": {"type": "area", "color": "#7aa6dc", "opacity": 0.3},
            "encoding": {"y": {**y, "field": "l95"}, "y2": {"field": "u95"}},
        },
        {
            "transform": [mine],
            "mark": {"type": "area", "color": "#2e6da4", "opacity": 0.35},
            "encoding": {"y": {**y, "field": "l80"}, "y2": {"field": "u80"}},
        },
        {
            "transform": [{"filter": "isValid(datum.c)"}],
            "mark": {"type": "line", "color": "#1a1a1a", "strokeWidth": 1.6},
            "encoding": {
                "y": {**y, "field": "c"},
                "tooltip": [when, {"field": "c", "title": "observed", "format": ","}],
            },
        },
        {
            "transform": [mine],
            "mark": {"type": "line", "color": "#0a4f9e", "point": True},
            "encoding": {
                "y": {**y, "field": "mean"},
                "tooltip": [
                    when,
                    {"field": "mean", "title": "forecast", "format": ",.0f"},
                    {"field": "l95", "title": "95% low", "format": ",.0f"},
                    {"field": "u95", "title": "95% high", "format": ",.0f"},
                ],
            },
        },
    ]


def model_bars(
    rows: list[dict[str, Any]],
    x_title: str,
    title: str,
    description: str,
    fmt: str = ".2f",
    reference: float | None = None,
) -> dict[str, Any]:
    """One bar per model (rows: model, value, better), with an optional reference rule."""
    models = [r["model"] for r in rows]
    y = {
        "field": "model",
        "type": "nominal",
        "sort": models,
        "title": None,
        "axis": {"labelLimit": 170},
    }
    layer: list[dict[str, Any]] = [
        {
            "mark": {"type": "bar"},
            "encoding": {
                "y": y,
                "x": {
                    "field": "value",
                    "type": "quantitative",
                    "title": x_title,
                    "axis": {"format": fmt, "tickCount": 6},
                    "scale": {"zero": True},
                },
                "color": {
                    "condition": {"test": "datum.better", "value": "#2e7d32"},
                    "value": "#8c8c8c",
                },
                "tooltip": [{"field": "model"}, {"field": "value", "format": fmt}],
            },
        },
        {
            "mark": {"type": "text", "align": "left", "dx": 4},
            "encoding": {
                "y": y,
                "x": {"field": "value", "type": "quantitative"},
                "text": {"field": "value", "format": fmt},
            },
        },
    ]
    if reference is not None:  # dashed: the baseline's value
        rule = {"type": "rule", "color": "#1a1a1a", "strokeDash": [4, 3]}
        layer.append({"mark": rule, "encoding": {"x": {"datum": reference}}})
    spec = {
        "$schema": SCHEMA,
        "title": {"text": title, "anchor": "start"},
        "width": WIDTH,
        "height": 26 * max(1, len(rows)),
        "data": {"values": rows},
        "layer": layer,
    }
    return accessible(spec, description)


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
    spec = {
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
    return accessible(
        spec,
        f"Map of {len(data)} grid cells of {cell_km * 1000:.0f} m, coloured by {colour['field']}.",
    )


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
    return grid_map(data, title, cell_m / 1000.0, colour, tooltip, height=420)


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
    spec = {
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
    return accessible(
        spec, f"{title}: observed months, then each model's forecast with its 95% interval."
    )


def monthly_evaluation_chart(summary: pd.DataFrame, title: str) -> dict[str, Any]:
    """MAE relative to naive per model (below 1 = better than naive), one row per offense."""
    data = summary[["offense", "model", "relative_mae_vs_naive", "coverage80", "coverage95"]]
    spec = {
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
    return accessible(
        spec, f"{title}: each model's error relative to the naive forecast (below 1 is better)."
    )


def map_evaluation_chart(scores: pd.DataFrame, title: str) -> dict[str, Any]:
    """Hit rate per period for each map model, one panel per share of area flagged."""
    data = scores[["model", "target", "area_share", "hit_rate", "pai"]].copy()
    data["area"] = data["area_share"].map(lambda s: f"top {s:.0%} of cells")
    spec = {
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
    return accessible(spec, f"{title}: share of crimes in the flagged cells, per period and model.")


def impact_chart(paths: pd.DataFrame, title: str, start: str) -> dict[str, Any]:
    """Observed counts of the treated units against each method's counterfactual and band."""
    import pandas as pd

    data = paths.copy()
    data["period"] = pd.to_datetime(data["period"]).dt.strftime("%Y-%m-%d")
    data["panel"] = data["outcome"] + " · " + data["method"]
    x = {"field": "period", "type": "temporal", "title": None}
    spec = {
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
        "spec": {"width": 340, "height": 170, "layer": _impact_layers(x, start)},
        "resolve": {"scale": {"y": "independent"}},
    }
    return accessible(
        spec, f"{title}: observed counts against each method's counterfactual and 95% band."
    )


def _impact_layers(x: dict[str, Any], start: str) -> list[dict[str, Any]]:
    """Band, observed line, counterfactual line and the start rule of `impact_chart`."""
    return [
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
                "y": {"field": "observed", "type": "quantitative", "title": "crimes per month"},
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
    ]
