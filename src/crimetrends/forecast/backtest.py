"""Rolling-origin backtests: every model forecasts each held-out month from the data before it.

Scale differs by orders of magnitude between agencies, so the summary compares models within a
series first (MAE relative to the naive forecasts of the same months) and then pools those
ratios with a geometric mean; interval coverage is pooled over all forecasts.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from crimetrends.forecast import metrics
from crimetrends.forecast.models import MODELS, Model
from crimetrends.forecast.series import SERIES_KEYS, MonthlyCounts

DEFAULT_SEED = 20241125


def model_rng(seed: int, *parts: str | int) -> np.random.Generator:
    """A Generator fixed by the seed and the names involved (independent of run order)."""
    keys = [seed] + [zlib.crc32(str(p).encode()) for p in parts]
    return np.random.default_rng(keys)


def pick_models(names: Sequence[str] | None = None) -> list[Model]:
    if not names:
        return list(MODELS.values())
    unknown = [n for n in names if n not in MODELS]
    if unknown:
        raise ValueError(f"unknown models {unknown}; choose from {list(MODELS)}")
    return [MODELS[n] for n in names]


@dataclass(frozen=True)
class Backtest:
    forecasts: pd.DataFrame  # one row per series × model × origin
    skipped: pd.DataFrame  # series too short to evaluate, with the reason


def backtest_series(
    s: MonthlyCounts, models: Sequence[Model], origins: int, horizon: int, seed: int
) -> list[dict]:
    """Forecast each of the last `origins` months from the history `horizon` months before it."""
    y, n = s.values, len(s.values)
    rows = []
    for j in range(origins):
        target = n - origins + j
        end = target - horizon + 1
        for m in models:
            f = m.predict(y[:end], s.first_month, horizon, model_rng(seed, s.key, m.name, target))
            rows.append(
                {
                    **s.fields(),
                    "model": m.name,
                    "origin": s.periods[end - 1],
                    "target": s.periods[target],
                    "horizon": horizon,
                    "actual": float(y[target]),
                    **f.at(-1),
                    "note": f.note,
                }
            )
    return rows


def run_backtest(
    series: Iterable[MonthlyCounts],
    models: Sequence[Model],
    origins: int = 12,
    horizon: int = 1,
    seed: int = DEFAULT_SEED,
    step: Callable[[], None] | None = None,
) -> Backtest:
    need = max(m.min_history for m in models) + origins + horizon - 1
    rows, skipped = [], []
    for s in series:
        if len(s.values) < need:
            skipped.append(
                {
                    "source": s.source,
                    "agency": s.agency,
                    "offense": s.offense,
                    "area": s.area,
                    "months": len(s.values),
                    "reason": f"{len(s.values)} usable months; {need} needed"
                    + (f" ({s.note})" if s.note else ""),
                }
            )
        else:
            rows.extend(backtest_series(s, models, origins, horizon, seed))
        if step:
            step()
    return Backtest(pd.DataFrame(rows), pd.DataFrame(skipped))


def score_series(forecasts: pd.DataFrame) -> pd.DataFrame:
    """Per series × model: MAE, RMSE, coverage, and MAE relative to naive / seasonal naive."""
    if forecasts.empty:
        return pd.DataFrame()

    def one(g: pd.DataFrame) -> pd.Series:
        ok = g["mean"].notna()
        a, m = g.loc[ok, "actual"].to_numpy(), g.loc[ok, "mean"].to_numpy()
        return pd.Series(
            {
                "forecasts": int(ok.sum()),
                "failed": int((~ok).sum()),
                "mae": metrics.mae(a, m) if ok.any() else np.nan,
                "rmse": metrics.rmse(a, m) if ok.any() else np.nan,
                "coverage80": metrics.coverage(g["actual"], g["lower80"], g["upper80"]),
                "coverage95": metrics.coverage(g["actual"], g["lower95"], g["upper95"]),
                "mean_actual": float(g["actual"].mean()),
            }
        )

    scores = (
        forecasts.groupby([*SERIES_KEYS, "model"], sort=False)
        .apply(one, include_groups=False)
        .reset_index()
    )
    for base in ("naive", "seasonal_naive"):
        ref = scores[scores.model == base].set_index(list(SERIES_KEYS))["mae"].rename(f"mae_{base}")
        scores = scores.join(ref, on=list(SERIES_KEYS))
        with np.errstate(divide="ignore", invalid="ignore"):
            scores[f"relative_mae_vs_{base}"] = scores["mae"] / scores[f"mae_{base}"]
        scores = scores.drop(columns=f"mae_{base}")
    return scores


def _geomean(values: pd.Series) -> float:
    v = values[np.isfinite(values) & (values > 0)]
    return float(np.exp(np.log(v).mean())) if len(v) else float("nan")


def summarize(forecasts: pd.DataFrame, scores: pd.DataFrame) -> pd.DataFrame:
    """Per model (and offense): how often and by how much it beats naive; pooled coverage."""
    if scores.empty:
        return pd.DataFrame()
    rows = []
    for (offense, model), g in scores.groupby(["offense", "model"], sort=False):
        f = forecasts[(forecasts.offense == offense) & (forecasts.model == model)]
        rel = g["relative_mae_vs_naive"]
        rows.append(
            {
                "offense": offense,
                "model": model,
                "series": len(g),
                "forecasts": int(g["forecasts"].sum()),
                "failed": int(g["failed"].sum()),
                "relative_mae_vs_naive": _geomean(rel),
                "relative_mae_vs_seasonal_naive": _geomean(g["relative_mae_vs_seasonal_naive"]),
                "beats_naive_share": float((rel < 1).mean()),
                "coverage80": metrics.coverage(f["actual"], f["lower80"], f["upper80"]),
                "coverage95": metrics.coverage(f["actual"], f["lower95"], f["upper95"]),
            }
        )
    out = pd.DataFrame(rows)
    out["verdict"] = [verdict(m, g) for m, g in _by_model(scores, out)]
    return out


def _by_model(scores: pd.DataFrame, summary: pd.DataFrame):
    for offense, model in zip(summary["offense"], summary["model"], strict=True):
        g = scores[(scores.offense == offense) & (scores.model == model)]
        yield model, g["relative_mae_vs_naive"]


def verdict(model: str, relative_mae: pd.Series) -> str:
    """Judge a model by how many series it forecasts better than naive (sign test)."""
    if model == "naive":
        return "baseline"
    r = relative_mae[np.isfinite(relative_mae)]
    return metrics.sign_verdict(int((r < 1).sum()), int((r > 1).sum()))
