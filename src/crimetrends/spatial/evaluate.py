"""Rolling-origin evaluation of map forecasts: hit rate, PAI and PEI at 1% and 5% of area."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd

from crimetrends.forecast import metrics
from crimetrends.forecast.backtest import DEFAULT_SEED, model_rng
from crimetrends.spatial.grid import locate, mappable, study_mask
from crimetrends.spatial.predict import (
    BANDWIDTH_M,
    KDE,
    LOOKBACK,
    Naive,
    SelfExciting,
    fit_self_exciting,
    period_cube,
)

AREA_SHARES = (0.01, 0.05)


class MapModel(Protocol):
    name: str

    @property
    def description(self) -> str: ...

    def score(self, history: np.ndarray) -> np.ndarray: ...


@dataclass(frozen=True)
class MapEvaluation:
    scores: pd.DataFrame  # model × target period × area share
    summary: pd.DataFrame  # model × area share
    models: dict[str, str]  # name → description (with fitted parameters)
    setup: dict[str, Any]


def map_models(
    cube: np.ndarray, mask: np.ndarray, period: str, cell_m: float, first_origin: int
) -> list[MapModel]:
    look = LOOKBACK[period]
    train_start = max(look["long"], first_origin - look["long"])
    etas: SelfExciting = fit_self_exciting(
        cube, mask, range(train_start, first_origin), look["long"], cell_m
    )
    return [
        Naive(),
        KDE(
            "recent_kde",
            f"kernel density of the last {look['recent']} {period}s (σ = {BANDWIDTH_M:.0f} m)",
            look["recent"],
            BANDWIDTH_M,
            cell_m,
        ),
        KDE(
            "long_term_kde",
            f"kernel density of the last {look['long']} {period}s (σ = {BANDWIDTH_M:.0f} m)",
            look["long"],
            BANDWIDTH_M,
            cell_m,
        ),
        etas,
    ]


def score_maps(
    cube: np.ndarray,
    periods: pd.DatetimeIndex,
    mask: np.ndarray,
    models: Sequence[MapModel],
    targets: Sequence[int],
    seed: int,
    step: Callable[[], None] | None = None,
) -> pd.DataFrame:
    rows = []
    for t in targets:
        actual = cube[t][mask]
        for m in models:
            s = m.score(cube[:t])[mask]
            for share in AREA_SHARES:
                rng = model_rng(seed, m.name, int(t), share)
                hit = metrics.hit_rate(s, actual, share, rng)
                best = metrics.best_hit_rate(actual, share)
                rows.append(
                    {
                        "model": m.name,
                        "target": periods[t],
                        "area_share": share,
                        "crimes": int(actual.sum()),
                        "hit_rate": hit,
                        "pai": metrics.pai(hit, share),
                        "pei": metrics.pei(hit, best),
                        "best_hit_rate": best,
                    }
                )
        if step:
            step()
    return pd.DataFrame(rows)


def summarize_maps(scores: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for (share, model), g in scores.groupby(["area_share", "model"], sort=False):
        naive = scores[(scores.model == "naive") & (scores.area_share == share)]
        paired = g.merge(naive[["target", "hit_rate"]], on="target", suffixes=("", "_naive"))
        better = int((paired.hit_rate > paired.hit_rate_naive).sum())
        worse = int((paired.hit_rate < paired.hit_rate_naive).sum())
        rows.append(
            {
                "area_share": share,
                "model": model,
                "periods": len(g),
                "hit_rate": float(g.hit_rate.mean()),
                "pai": float(g.pai.mean()),
                "pei": float(g.pei.mean()),
                "periods_better_than_naive": better,
                "periods_worse_than_naive": worse,
                "verdict": "baseline"
                if model == "naive"
                else metrics.sign_verdict(better, worse, unit="periods"),
            }
        )
    return pd.DataFrame(rows)


def evaluate_maps(
    con: Any,
    source: str,
    offense: str,
    cell_m: float = 250.0,
    period: str = "week",
    origins: int = 52,
    seed: int = DEFAULT_SEED,
    step: Callable[[], None] | None = None,
) -> MapEvaluation:
    """Score every map model on the last `origins` whole periods of the source's records."""
    label, members = mappable(offense)
    located = locate(con, source, members, cell_m)
    grid = located.grid
    mask = study_mask(con, source, grid)
    frame = located.frame
    periods, cube = period_cube(
        frame, grid.ny, grid.nx, period, frame.occurred_at.min(), frame.occurred_at.max()
    )
    look = LOOKBACK[period]
    first_origin = len(periods) - origins
    if first_origin < 2 * look["long"]:
        raise ValueError(
            f"{len(periods)} {period}s of data: {origins} origins need "
            f"{2 * look['long']} earlier {period}s (a background year and a training year)"
        )
    models = map_models(cube, mask, period, cell_m, first_origin)
    scores = score_maps(cube, periods, mask, models, range(first_origin, len(periods)), seed, step)
    return MapEvaluation(
        scores,
        summarize_maps(scores),
        {m.name: m.description for m in models},
        {
            "source": source,
            "offense": label,
            "cell_m": cell_m,
            "period": period,
            "origins": origins,
            "first_target": str(periods[first_origin].date()),
            "last_target": str(periods[-1].date()),
            "study_cells": int(mask.sum()),
            "seed": seed,
            **located.accounting(),
        },
    )
