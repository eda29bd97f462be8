"""CLI for the models: `hotspots`, `forecast` and `evaluate monthly|maps`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer

from crimetrends import render
from crimetrends.caveats import MODEL_CAVEATS
from crimetrends.cli_common import (
    Format,
    FormatOpt,
    command_line,
    console,
    emit,
    frame_table,
    print_caveats,
    progress,
)
from crimetrends.errors import ConfigError, NoDataError

evaluate_app = typer.Typer(
    no_args_is_help=True, help="Backtest forecasts against naive baselines on held-out periods."
)

CityOpt = Annotated[str | None, typer.Option("--city", "-c", help="agency, e.g. Chicago")]
SeedOpt = Annotated[int, typer.Option(help="seed for every random step")]
PlotOpt = Annotated[Path | None, typer.Option("--plot", help="write a chart: .png, .svg or .json")]


def incident_source(con: Any, city: str, source: str | None) -> tuple[str, str]:
    """(source, agency) of the full incident records for a city."""
    from crimetrends.sources.registry import all_sources
    from crimetrends.store.catalog import resolve_agency, sample_sources

    agency = resolve_agency(con, city)
    samples = sample_sources()
    names = [
        s.name
        for s in all_sources().values()
        if s.kind == "incidents" and s.agency == agency and (source in (None, s.name))
    ]
    full = [n for n in names if n not in samples]
    if not full:
        why = "only a sample extract is loaded" if names else "no incident source is registered"
        raise NoDataError(f"no full incident records for {agency}: {why}")
    return full[0], agency


def hotspots(
    city: CityOpt = "Chicago",
    offense: Annotated[str, typer.Option(help="violent, property or an offense")] = "violent",
    year: Annotated[int | None, typer.Option(help="default: latest year")] = None,
    cell: Annotated[float, typer.Option(help="grid cell size in metres")] = 250.0,
    permutations: Annotated[int, typer.Option(help="Gi* permutations")] = 999,
    alpha: Annotated[float, typer.Option(help="false discovery rate")] = 0.05,
    source: Annotated[str | None, typer.Option(help="incident source")] = None,
    top: Annotated[int, typer.Option(help="hot cells to list")] = 15,
    seed: SeedOpt = 1,
    plot: PlotOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Where crime concentrates: Gi* hot/cold spots (FDR-controlled), density, concentration."""
    from crimetrends import results
    from crimetrends.plots import hotspot_map as hotspot_chart
    from crimetrends.plots import save_chart
    from crimetrends.publish.privacy import suppress
    from crimetrends.spatial.maps import hotspot_map
    from crimetrends.store.connect import connect

    con = connect()
    src, _ = incident_source(con, city or "Chicago", source)
    with progress() as bar:
        bar.add_task(f"Gi* with {permutations} permutations", total=None)
        result = hotspot_map(con, src, offense, year, cell, permutations, seed, alpha)
    s = result.summary
    public = suppress(result.cells.drop(columns=["x_km", "y_km"]), 5)
    name = f"hotspots-{src}-{s['offense'].split(' ')[0]}-{s['year']}"
    results.save(
        name, {"summary": s, "cells": render.frame_records(public), "caveats": MODEL_CAVEATS}
    )
    if plot:
        save_chart(hotspot_chart(result.cells, s), plot)
    rows = render.frame_records(result.cells)
    if emit(fmt, rows, {"summary": s, "cells": rows, "caveats": list(MODEL_CAVEATS)}):
        return
    console.print(
        f"[bold]{s['offense']}[/], {src} {s['year']}: {s['incidents']:,} located incidents in "
        f"{s['study_cells']:,} cells of {cell:.0f} m ({s['crs']})",
        highlight=False,
    )
    console.print(
        f"Gi* ({permutations} permutations, seed {seed}), Benjamini–Hochberg FDR {alpha:.0%}: "
        f"{s['hot_cells']} hot cells ({s['hot_cells_before_fdr']} before FDR), "
        f"{s['cold_cells']} cold; hot cells hold {s['share_of_incidents_in_hot_cells']:.1%} "
        "of incidents",
        highlight=False,
    )
    console.print(
        "Concentration: top 1% of cells "
        f"{s['share_in_top1pct_cells']:.1%}, top 5% {s['share_in_top5pct_cells']:.1%}, "
        f"top 10% {s['share_in_top10pct_cells']:.1%} of incidents",
        highlight=False,
    )
    st = s["stability_vs_previous_year"]
    if st:
        console.print(
            f"Stability vs {s['year'] - 1}: {st['top5pct_overlap']:.0%} of top-5% cells again "
            f"in the top 5%; Spearman ρ {st['spearman']:.2f} across cells",
            highlight=False,
        )
    console.print(
        f"Not mapped: {s['no_coordinates']:,} records without coordinates, "
        f"{s['outside_city_extent']:,} outside the city's extent",
        highlight=False,
    )
    hot = result.cells[result.cells["class"] == "hot"].head(top)
    console.print(
        frame_table(
            hot[["cell", "lat", "lon", "count", "z", "q", "density_per_km2"]],
            f"Top {len(hot)} hot cells (cell centres)",
            {
                "lat": ".4f",
                "lon": ".4f",
                "count": ".0f",
                "z": ".2f",
                "q": ".3f",
                "density_per_km2": ".0f",
            },
        )
    )
    if plot:
        console.print(f"chart: {plot}")
    print_caveats()


def forecast(
    city: CityOpt = "Chicago",
    offense: Annotated[str, typer.Option(help="violent, property or an offense")] = "violent",
    source: Annotated[str | None, typer.Option(help="only this source")] = None,
    by: Annotated[str | None, typer.Option(help="district, beat or community (incidents)")] = None,
    horizon: Annotated[int, typer.Option(help="months ahead")] = 3,
    model: Annotated[list[str] | None, typer.Option(help="repeatable; default all")] = None,
    seed: SeedOpt = 20241125,
    plot: PlotOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Forecast the next months with every model and its 80%/95% prediction intervals."""
    from crimetrends import results
    from crimetrends.forecast.backtest import pick_models
    from crimetrends.forecast.run import forecast_rows, select_series
    from crimetrends.plots import forecast_chart, save_chart
    from crimetrends.store.connect import connect

    if horizon < 1 or horizon > 24:
        raise ConfigError("--horizon must be between 1 and 24 months")
    con = connect()
    if by and not source:
        source, _ = incident_source(con, city or "Chicago", None)
    series = select_series(con, offense, city, source, by)
    try:
        models = pick_models(model)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    frame = forecast_rows(series, models, horizon, seed)
    rows = render.frame_records(frame)
    payload = {
        "forecasts": rows,
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
    scope = f"{series[0].agency}-{series[0].offense}" + (f"-by-{by}" if by else "")
    results.save("forecast-" + "".join(c if c.isalnum() else "-" for c in scope.lower()), payload)
    if plot:
        s = series[0]
        hist = pd.DataFrame({"period": s.periods[-36:], "count": s.values[-36:]})
        sel = frame[(frame.source == s.source) & (frame.area == s.area)]
        where = "" if s.area_type == "city" else f", {s.area_type} {s.area}"
        save_chart(forecast_chart(hist, sel, f"{s.agency}: {s.offense} ({s.source}{where})"), plot)
    if emit(fmt, rows, payload):
        return
    for s in series[:1] if by else series:
        console.print(
            f"{s.source}: {len(s.values)} months {s.periods[0]:%Y-%m} → {s.periods[-1]:%Y-%m}"
            + (f" ({s.note})" if s.note else ""),
            highlight=False,
        )
    show = frame.dropna(subset=["period"])[
        ["source", "area", "model", "period", "mean", "lower80", "upper80", "lower95", "upper95"]
    ]
    console.print(
        frame_table(
            show,
            f"{series[0].agency}: {series[0].offense} forecasts",
            {k: ",.0f" for k in ("mean", "lower80", "upper80", "lower95", "upper95")},
        )
    )
    console.print(
        "[dim]Which model to trust: `crimetrends evaluate monthly` scores each against naive.[/]"
    )
    print_caveats()


@evaluate_app.command("monthly")
def evaluate_monthly(
    source: Annotated[str | None, typer.Option(help="monthly source, e.g. rtci")] = "rtci",
    offense: Annotated[list[str] | None, typer.Option(help="repeatable")] = None,
    city: CityOpt = None,
    by: Annotated[str | None, typer.Option(help="district, beat or community")] = None,
    origins: Annotated[int, typer.Option(help="forecast origins per series (≥ 12)")] = 12,
    limit: Annotated[int | None, typer.Option(help="only the N largest series per offense")] = None,
    seed: SeedOpt = 20241125,
    out: Annotated[Path | None, typer.Option(help="write CSVs, a chart and report.md")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Rolling-origin backtest of the monthly models against naive baselines."""
    from crimetrends import results
    from crimetrends.forecast.backtest import pick_models
    from crimetrends.forecast.evaluation import (
        SUMMARY_COLUMNS,
        evaluate_series,
        write_monthly_report,
    )
    from crimetrends.forecast.run import select_series
    from crimetrends.store.connect import connect

    if origins < 1:
        raise ConfigError("--origins must be at least 1")
    con = connect()
    series = []
    for off in offense or ["violent", "property"]:
        found = select_series(con, off, city, source, by)
        found.sort(key=lambda s: -float(s.values.mean()) if len(s.values) else 0.0)
        series += found[:limit] if limit else found
    with progress(bar=True) as bar:
        task = bar.add_task("backtesting", total=len(series))
        ev = evaluate_series(series, pick_models(), origins, seed, lambda: bar.advance(task))
    payload = ev.payload()
    scope = "-".join(x for x in (source, city, by) if x) or "all"
    results.save(
        "evaluate-monthly-" + "".join(c if c.isalnum() else "-" for c in scope.lower()), payload
    )
    if out:
        write_monthly_report(ev, out, command_line())
    if emit(fmt, payload["summary"], payload):
        return
    console.print(
        f"{ev.setup['series']} series, {origins} origins each (one-month-ahead), "
        f"{ev.setup['skipped']} series too short; seed {seed}",
        highlight=False,
    )
    console.print(
        frame_table(
            ev.summary[list(SUMMARY_COLUMNS)],
            "Models vs naive (relative MAE < 1 = better than naive)",
            {
                "series": "d",
                "relative_mae_vs_naive": ".3f",
                "relative_mae_vs_seasonal_naive": ".3f",
                "beats_naive_share": ".0%",
                "coverage80": ".1%",
                "coverage95": ".1%",
            },
        )
    )
    if out:
        console.print(f"report: {out / 'report.md'}")
    print_caveats()


@evaluate_app.command("maps")
def evaluate_maps_cmd(
    city: CityOpt = "Chicago",
    offense: Annotated[str, typer.Option(help="violent, property or an offense")] = "violent",
    period: Annotated[str, typer.Option(help="week or month")] = "week",
    origins: Annotated[int, typer.Option(help="periods to forecast (≥ 12)")] = 52,
    cell: Annotated[float, typer.Option(help="grid cell size in metres")] = 250.0,
    source: Annotated[str | None, typer.Option(help="incident source")] = None,
    seed: SeedOpt = 20241125,
    out: Annotated[Path | None, typer.Option(help="write CSVs, a chart and report.md")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Rolling-origin backtest of map forecasts: hit rate, PAI, PEI at 1% and 5% of area."""
    from crimetrends import results
    from crimetrends.forecast.evaluation import write_map_report
    from crimetrends.spatial.evaluate import evaluate_maps
    from crimetrends.store.connect import connect

    if period not in ("week", "month"):
        raise ConfigError("--period must be week or month")
    con = connect()
    src, _ = incident_source(con, city or "Chicago", source)
    with progress(bar=True) as bar:
        task = bar.add_task(f"scoring {origins} {period}s", total=origins)
        try:
            ev = evaluate_maps(
                con, src, offense, cell, period, origins, seed, lambda: bar.advance(task)
            )
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
    payload = {
        "setup": ev.setup,
        "models": ev.models,
        "summary": render.frame_records(ev.summary),
        "scores": render.frame_records(ev.scores),
        "caveats": list(MODEL_CAVEATS),
    }
    results.save(f"evaluate-maps-{src}-{ev.setup['offense'].split(' ')[0]}-{period}", payload)
    if out:
        write_map_report(ev, out, command_line())
    if emit(fmt, payload["summary"], payload):
        return
    st = ev.setup
    console.print(
        f"{st['offense']}, {src}: {st['origins']} {period}s {st['first_target']} → "
        f"{st['last_target']}, {st['study_cells']:,} cells of {cell:.0f} m; seed {seed}",
        highlight=False,
    )
    for name, desc in ev.models.items():
        console.print(f"  {name}: {desc}", highlight=False)
    console.print(
        frame_table(
            ev.summary,
            "Map forecasts vs naive (mean over periods)",
            {
                "area_share": ".0%",
                "periods": "d",
                "hit_rate": ".1%",
                "pai": ".2f",
                "pei": ".2f",
                "periods_better_than_naive": "d",
                "periods_worse_than_naive": "d",
            },
        )
    )
    if out:
        console.print(f"report: {out / 'report.md'}")
    print_caveats()
