"""Program impact: `initiatives`, `impact NAME`, `impact-sim`, `impact-table`."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from crimetrends.cli.application import app
from crimetrends.cli.options import Format, FormatOpt, OutOpt, PlotOpt, SeedOpt
from crimetrends.cli.output import command_line, console, emit, print_caveats, progress
from crimetrends.errors import ConfigError


@app.command()
def initiatives(fmt: FormatOpt = Format.table) -> None:
    """Registered initiatives (bundled examples + $CRIMETRENDS_HOME/initiatives/*.yaml)."""
    import pandas as pd

    from crimetrends.impact.registry import all_initiatives
    from crimetrends.render.tables import frame_table

    rows = [i.describe() for i in all_initiatives().values()]
    if emit(fmt, rows):
        return
    frame = pd.DataFrame(rows)
    frame["areas"] = frame["areas"].map(lambda a: ", ".join(a) or "whole city")
    frame["outcomes"] = frame["outcomes"].map(", ".join)
    frame["methods"] = frame["methods"].map(", ".join)
    frame["name"] = [
        n + (" (HYPOTHETICAL)" if h else "")
        for n, h in zip(frame["name"], frame["hypothetical"], strict=True)
    ]
    console.print(
        frame_table(
            frame[["name", "type", "agency", "areas", "start", "outcomes", "methods"]],
            "Initiatives",
        )
    )


def _print_estimates(report: Any) -> None:
    """The estimates table, each verdict and the headline."""
    import pandas as pd

    from crimetrends.impact.run import headline
    from crimetrends.render.tables import frame_table

    ok = [r for r in report.rows if "error" not in r]
    if ok:
        frame = pd.DataFrame(ok)
        frame["observed/expected"] = [
            f"{o:,.0f} / {e:,.0f}"
            for o, e in zip(frame.observed_post, frame.expected_post, strict=True)
        ]
        columns = [
            "outcome",
            "method",
            "effect_pct",
            "ci_low",
            "ci_high",
            "observed/expected",
            "pre_months",
            "post_months",
            "label",
        ]
        floats = {"effect_pct": "+.1f", "ci_low": "+.1f", "ci_high": "+.1f"}
        console.print(
            frame_table(
                frame[columns],
                "Effect as a percent change in the treated units (95% interval)",
                {**floats, "pre_months": "d", "post_months": "d"},
            )
        )
        for r in ok:
            console.print(f"  {r['outcome']} · {r['method']}: {r['verdict']}", highlight=False)
        console.print(f"Headline: [bold]{headline(report)}[/]", highlight=False)
    for r in report.rows:
        if "error" in r:
            console.print(
                f"  {r['outcome']} · {r['method']}: not estimated ({r['error']})", highlight=False
            )


@app.command()
def impact(
    name: Annotated[str, typer.Argument(help="initiative name (see `crimetrends initiatives`)")],
    method: Annotated[str | None, typer.Option(help="its, did, wdd or synth; default all")] = None,
    outcome: Annotated[str | None, typer.Option(help="one outcome offense")] = None,
    plot: PlotOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Estimate a program's effect with each method, its 95% interval, label and checks."""
    from crimetrends.impact.registry import get_initiative
    from crimetrends.impact.run import analyse
    from crimetrends.render.charts import impact_chart, save_chart
    from crimetrends.store import results
    from crimetrends.store.connect import connect

    ini = get_initiative(name)
    with progress() as bar:
        bar.add_task(f"estimating {name} with robustness checks", total=None)
        try:
            report = analyse(connect(), ini, method, outcome)
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
    payload = report.payload()
    results.save(f"impact-{ini.name}", payload)
    if plot and report.estimates:
        title = ("HYPOTHETICAL: " if ini.hypothetical else "") + ini.title
        save_chart(impact_chart(report.paths(), title, ini.start.isoformat()), plot)
    if emit(fmt, report.flat_rows(), payload):
        return
    if ini.hypothetical:
        console.print("[bold red]HYPOTHETICAL example: not a real program.[/]")
    console.print(
        f"[bold]{ini.title}[/] ({ini.type}), {ini.agency}, from {ini.start}", highlight=False
    )
    console.print(
        f"[dim]Source of the place and date: {ini.information_source}[/]", highlight=False
    )
    _print_estimates(report)
    if plot:
        console.print(f"chart: {plot}")
    print_caveats()


@app.command("impact-sim")
def impact_sim(
    reps: Annotated[int, typer.Option(help="replicates per method and effect")] = 200,
    method: Annotated[
        list[str] | None, typer.Option(help="repeatable; default all", metavar="METHOD")
    ] = None,
    seed: SeedOpt = 20241125,
    out: OutOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Inject known effects (−20%, −10%, 0%) into real series: bias, coverage, power."""
    from crimetrends.impact.simulate import EFFECTS, METHODS, simulate, summarize_simulation
    from crimetrends.render.records import frame_records
    from crimetrends.render.tables import frame_table
    from crimetrends.store import results
    from crimetrends.store.connect import connect

    methods = tuple(method or METHODS)
    bad = [m for m in methods if m not in METHODS]
    if bad:
        raise ConfigError(f"unknown methods {bad}; choose from {list(METHODS)}")
    with progress(bar=True) as bar:
        task = bar.add_task("simulating", total=reps * len(methods) * len(EFFECTS))
        rows = simulate(connect(), methods, EFFECTS, reps, seed, lambda: bar.advance(task))
    summary = summarize_simulation(rows)
    payload = {"summary": frame_records(summary), "reps": reps, "seed": seed}
    results.save("impact-simulation", payload)
    if out:
        from crimetrends.impact.report import write_simulation_report

        write_simulation_report(rows, summary, out, command_line(), reps, seed)
    if emit(fmt, payload["summary"], payload):
        return
    console.print(
        frame_table(
            summary,
            f"Known effects injected into real series ({reps} replicates each)",
            {
                "true_effect_pct": "+.0f",
                "replicates": "d",
                "failed": "d",
                "mean_estimate_pct": "+.1f",
                "bias_pct_points": "+.1f",
                "median_ci_width": ".1f",
                "coverage95": ".0%",
                "detected_share": ".0%",
            },
        )
    )
    if out:
        console.print(f"report: {out / 'report.md'}")


@app.command("impact-table")
def impact_table_cmd(
    markdown: Annotated[bool, typer.Option("--md", help="a markdown table")] = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """Factor | Impact level | Example city, from the saved `impact` results, intervals beside."""
    from crimetrends.errors import NoDataError
    from crimetrends.impact.report import impact_table
    from crimetrends.render.records import frame_records
    from crimetrends.render.tables import frame_table, markdown_table
    from crimetrends.store import results

    payloads = [results.load(n) for n in results.names() if n.startswith("impact-")]
    payloads = [p for p in payloads if p and "initiative" in p]
    if not payloads:
        raise NoDataError("no impact results yet", hint="run `crimetrends impact NAME` first")
    frame = impact_table(payloads)
    if markdown:
        shown = frame.assign(
            interval=[
                f"{lo:+.1f}% to {hi:+.1f}%"
                for lo, hi in zip(frame.ci_low, frame.ci_high, strict=True)
            ],
            checks=frame.passes_checks.map({True: "pass", False: "fail"}),
        )[
            [
                "factor",
                "impact_level",
                "example_city",
                "outcome",
                "method",
                "effect_pct",
                "interval",
                "checks",
            ]
        ]
        sys.stdout.write(markdown_table(shown, {"effect_pct": "+.1f"}) + "\n")
        return
    if emit(fmt, frame_records(frame)):
        return
    console.print(
        frame_table(
            frame.drop(columns=["headline"]),
            "Factor | Impact level | Example city",
            {"effect_pct": "+.1f", "ci_low": "+.1f", "ci_high": "+.1f"},
        )
    )
