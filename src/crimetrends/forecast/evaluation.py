"""Evaluation runs and their reports (CSV, chart, markdown table for the docs)."""

from __future__ import annotations

import datetime as dt
import platform
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from crimetrends.forecast.backtest import run_backtest, score_series, summarize
from crimetrends.forecast.models import Model
from crimetrends.forecast.series import MonthlyCounts
from crimetrends.render.caveats import MODEL_CAVEATS
from crimetrends.render.records import frame_records
from crimetrends.render.tables import markdown_table


@dataclass(frozen=True)
class MonthlyEvaluation:
    forecasts: pd.DataFrame
    scores: pd.DataFrame
    summary: pd.DataFrame
    skipped: pd.DataFrame
    models: dict[str, str]
    setup: dict[str, Any]

    def payload(self) -> dict[str, Any]:
        return {
            "setup": self.setup,
            "models": self.models,
            "summary": frame_records(self.summary),
            "by_series": frame_records(self.scores),
            "skipped": frame_records(self.skipped),
            "caveats": list(MODEL_CAVEATS),
        }


def evaluate_series(
    series: Sequence[MonthlyCounts],
    models: Sequence[Model],
    origins: int,
    seed: int,
    step: Callable[[], None] | None = None,
) -> MonthlyEvaluation:
    bt = run_backtest(series, models, origins, 1, seed, step)
    scores = score_series(bt.forecasts)
    return MonthlyEvaluation(
        bt.forecasts,
        scores,
        summarize(bt.forecasts, scores),
        bt.skipped,
        {m.name: m.description for m in models},
        {
            "series": int(scores[["agency", "offense", "area"]].drop_duplicates().shape[0])
            if not scores.empty
            else 0,
            "skipped": len(bt.skipped),
            "origins": origins,
            "horizon_months": 1,
            "seed": seed,
        },
    )


def write_report(out: Path, lines: list[str], caveats: bool = True) -> Path:
    """report.md in `out`: the lines, then the model caveats as quotes."""
    text = [*lines, *([f"> {c}" for c in MODEL_CAVEATS] + [""] if caveats else [])]
    path = out / "report.md"
    path.write_text("\n".join(text), encoding="utf-8")
    return path


def run_line(command: str) -> str:
    """'Run <when> on <machine> with `command`.' for the head of a report."""
    return (
        f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {_machine()}"
        + (f" with `{command}`" if command else "")
        + "."
    )


def _machine() -> str:
    return f"{platform.machine()}, {platform.system()}, Python {platform.python_version()}"


SUMMARY_COLUMNS = (
    "offense",
    "model",
    "series",
    "relative_mae_vs_naive",
    "relative_mae_vs_seasonal_naive",
    "beats_naive_share",
    "coverage80",
    "coverage95",
    "verdict",
)
MONTHLY_FLOATS = {
    "relative_mae_vs_naive": ".3f",
    "relative_mae_vs_seasonal_naive": ".3f",
    "beats_naive_share": ".0%",
    "coverage80": ".1%",
    "coverage95": ".1%",
    "mae": ",.1f",
    "mean_actual": ",.0f",
}


def write_monthly_report(ev: MonthlyEvaluation, out: Path, command: str = "") -> Path:
    from crimetrends.render.charts import monthly_evaluation_chart, save_chart

    out.mkdir(parents=True, exist_ok=True)
    ev.forecasts.to_csv(out / "forecasts.csv.gz", index=False)
    ev.scores.to_csv(out / "by_series.csv", index=False)
    ev.summary.to_csv(out / "summary.csv", index=False)
    ev.skipped.to_csv(out / "skipped.csv", index=False)
    save_chart(
        monthly_evaluation_chart(ev.summary, "Monthly forecasts vs naive"), out / "summary.png"
    )
    cols = list(SUMMARY_COLUMNS)
    big = ev.scores.sort_values("mean_actual", ascending=False)
    top = big[["agency", "area", "offense"]].drop_duplicates().head(10)
    detail = big.merge(top, on=["agency", "area", "offense"])
    detail = detail[
        [
            "agency",
            "area",
            "offense",
            "model",
            "mean_actual",
            "mae",
            "relative_mae_vs_naive",
            "coverage95",
        ]
    ]
    text = [
        "# Monthly forecast evaluation",
        "",
        run_line(command),
        f"{ev.setup['series']} series × {ev.setup['origins']} rolling origins, one month ahead; "
        f"{ev.setup['skipped']} series skipped as too short (`skipped.csv`); seed "
        f"{ev.setup['seed']}.",
        "",
        "Relative MAE is each model's MAE divided by the naive forecast's MAE on the same "
        "series and months, pooled by geometric mean (< 1 = better than naive). The verdict is a "
        "two-sided sign test over series. Coverage is the share of actual counts inside the "
        "prediction interval (target 80% and 95%).",
        "",
        markdown_table(ev.summary[cols], MONTHLY_FLOATS),
        "",
        "## Models",
        "",
        *[f"- **{k}**: {v}" for k, v in ev.models.items()],
        "",
        "## The ten largest series",
        "",
        markdown_table(detail, MONTHLY_FLOATS),
        "",
        "Every series: `by_series.csv`; every forecast: `forecasts.csv.gz`.",
        "",
    ]
    return write_report(out, text)


def write_map_report(ev: Any, out: Path, command: str = "") -> Path:
    from crimetrends.render.charts import map_evaluation_chart, save_chart

    out.mkdir(parents=True, exist_ok=True)
    ev.scores.to_csv(out / "scores.csv", index=False)
    ev.summary.to_csv(out / "summary.csv", index=False)
    st = ev.setup
    save_chart(
        map_evaluation_chart(ev.scores, f"{st['offense']}, {st['source']}: map forecasts"),
        out / "hit_rate.png",
    )
    text = [
        f"# Map forecast evaluation: {st['offense']}, {st['source']}",
        "",
        run_line(command),
        f"{st['origins']} rolling origins ({st['period']}s {st['first_target']} → "
        f"{st['last_target']}), {st['study_cells']:,} cells of {st['cell_m']:.0f} m; "
        f"{st['located']:,} located incidents ({st['no_coordinates']:,} without coordinates, "
        f"{st['outside_city_extent']:,} outside the city's extent, not used); seed {st['seed']}.",
        "",
        "Hit rate: share of the period's crimes in the flagged cells. PAI: hit rate ÷ share of "
        "area flagged. PEI: hit rate ÷ the best hit rate possible with as many cells. Verdict: "
        "two-sided sign test over periods against naive.",
        "",
        markdown_table(
            ev.summary, {"area_share": ".0%", "hit_rate": ".1%", "pai": ".2f", "pei": ".2f"}
        ),
        "",
        "## Models",
        "",
        *[f"- **{k}**: {v}" for k, v in ev.models.items()],
        "",
    ]
    return write_report(out, text)
