"""The models: `hotspots`, `forecast` and `evaluate monthly|maps`."""

from __future__ import annotations

from typing import Annotated

import typer

from crimetrends.cli.application import app, group
from crimetrends.cli.options import (
    CellOpt,
    CityOpt,
    Format,
    FormatOpt,
    OffenseOpt,
    OffensesOpt,
    OutOpt,
    PlotOpt,
    SeedOpt,
    SourceOpt,
)
from crimetrends.cli.output import (
    command_line,
    console,
    emit,
    err_console,
    print_caveats,
    progress,
)
from crimetrends.errors import ConfigError

evaluate_app = group("evaluate", "Backtest forecasts against naive baselines on held-out periods.")


def _print_hotspot_summary(
    s: dict, src: str, cell: float, permutations: int, seed: int, alpha: float
) -> None:
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


# long: Typer declares each option as a parameter (the body itself is short)
@app.command()
def hotspots(
    city: CityOpt = "Chicago",
    offense: OffenseOpt = "violent",
    year: Annotated[int | None, typer.Option(help="default: latest year")] = None,
    cell: Annotated[
        float | None, typer.Option(help="grid cell size in metres (default: the public grid)")
    ] = None,
    min_count: Annotated[
        int | None, typer.Option(help="the published result lists cells with at least this")
    ] = None,
    permutations: Annotated[int, typer.Option(help="Gi* permutations")] = 999,
    alpha: Annotated[float, typer.Option(help="false discovery rate")] = 0.05,
    source: Annotated[str | None, typer.Option(help="incident source")] = None,
    top: Annotated[int, typer.Option(help="hot cells to list")] = 15,
    seed: SeedOpt = 1,
    plot: PlotOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Where crime concentrates: Gi* hot/cold spots (FDR-controlled), density, concentration."""
    from crimetrends.publish.privacy import PrivacyPolicy
    from crimetrends.render.caveats import MODEL_CAVEATS
    from crimetrends.render.charts import hotspot_map as hotspot_chart
    from crimetrends.render.charts import save_chart
    from crimetrends.render.records import frame_records
    from crimetrends.render.tables import frame_table
    from crimetrends.spatial.maps import hotspot_map, save_public
    from crimetrends.store.catalog import incident_source
    from crimetrends.store.connect import connect

    policy = PrivacyPolicy.from_settings(min_count=min_count)
    cell = cell or policy.cell_m
    con = connect()
    src, _ = incident_source(con, city or "Chicago", source)
    with progress() as bar:
        bar.add_task(f"Gi* with {permutations} permutations", total=None)
        result = hotspot_map(con, src, offense, year, cell, permutations, seed, alpha)
    s = result.summary
    if save_public(result, policy) is None:
        err_console.print(
            f"[yellow]not published:[/] {cell:.0f} m cells are finer than the public grid "
            f"({policy.cell_m:.0f} m); the site and API show only results at that size or "
            "coarser",
            highlight=False,
        )
    if plot:
        save_chart(hotspot_chart(result.cells, s), plot)
    rows = frame_records(result.cells)
    if emit(fmt, rows, {"summary": s, "cells": rows, "caveats": list(MODEL_CAVEATS)}):
        return
    _print_hotspot_summary(s, src, cell, permutations, seed, alpha)
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


# long: Typer declares each option as a parameter (the body itself is short)
@app.command()
def forecast(
    city: CityOpt = "Chicago",
    offense: OffenseOpt = "violent",
    source: SourceOpt = None,
    by: Annotated[str | None, typer.Option(help="district, beat or community (incidents)")] = None,
    horizon: Annotated[int, typer.Option(help="months ahead")] = 3,
    model: Annotated[
        list[str] | None, typer.Option(help="repeatable; default all", metavar="MODEL")
    ] = None,
    seed: SeedOpt = 20241125,
    plot: PlotOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Forecast the next months with every model and its 80%/95% prediction intervals."""
    from crimetrends.forecast.backtest import pick_models
    from crimetrends.forecast.run import (
        forecast_payload,
        forecast_plot,
        forecast_rows,
        select_series,
    )
    from crimetrends.render.charts import save_chart
    from crimetrends.render.tables import frame_table
    from crimetrends.store import results
    from crimetrends.store.catalog import incident_source
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
    payload = forecast_payload(series, models, frame, seed)
    rows = payload["forecasts"]
    scope = f"{series[0].agency}-{series[0].offense}" + (f"-by-{by}" if by else "")
    results.save("forecast-" + results.slug(scope), payload)
    if plot:
        save_chart(forecast_plot(series[0], frame), plot)
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


# long: Typer declares each option as a parameter (the body itself is short)
@evaluate_app.command("monthly")
def evaluate_monthly(
    source: Annotated[str | None, typer.Option(help="monthly source, e.g. rtci")] = "rtci",
    offense: OffensesOpt = None,
    city: CityOpt = None,
    by: Annotated[str | None, typer.Option(help="district, beat or community")] = None,
    origins: Annotated[int, typer.Option(help="forecast origins per series (≥ 12)")] = 12,
    limit: Annotated[int | None, typer.Option(help="only the N largest series per offense")] = None,
    seed: SeedOpt = 20241125,
    out: OutOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Rolling-origin backtest of the monthly models against naive baselines."""
    from crimetrends.forecast.backtest import pick_models
    from crimetrends.forecast.evaluation import (
        SUMMARY_COLUMNS,
        evaluate_series,
        write_monthly_report,
    )
    from crimetrends.forecast.run import select_series
    from crimetrends.render.tables import frame_table
    from crimetrends.store import results
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
    results.save("evaluate-monthly-" + results.slug(scope), payload)
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


# long: Typer declares each option as a parameter (the body itself is short)
@evaluate_app.command("maps")
def evaluate_maps_cmd(
    city: CityOpt = "Chicago",
    offense: OffenseOpt = "violent",
    period: Annotated[str, typer.Option(help="week or month")] = "week",
    origins: Annotated[int, typer.Option(help="periods to forecast (≥ 12)")] = 52,
    cell: CellOpt = 250.0,
    source: Annotated[str | None, typer.Option(help="incident source")] = None,
    seed: SeedOpt = 20241125,
    out: OutOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Rolling-origin backtest of map forecasts: hit rate, PAI, PEI at 1% and 5% of area."""
    from crimetrends.forecast.evaluation import write_map_report
    from crimetrends.render.caveats import MODEL_CAVEATS
    from crimetrends.render.records import frame_records
    from crimetrends.render.tables import frame_table
    from crimetrends.spatial.evaluate import evaluate_maps
    from crimetrends.store import results
    from crimetrends.store.catalog import incident_source
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
        "summary": frame_records(ev.summary),
        "scores": frame_records(ev.scores),
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
