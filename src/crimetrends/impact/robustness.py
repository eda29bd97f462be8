"""Checks that an estimate is not chance, a citywide trend or regression to the mean.

* placebo in time: the same method with fake start dates before the real one (data after the
  real start left out); a real effect should not appear at a fake date;
* placebo in space: the same method with each comparison unit as the treated one; how
  unusual is the treated unit's estimate among them;
* sensitivity to the pre-period length (24, 36, 48 months, all);
* regression to the mean: were the 6 months before the start unusually high against the same
  months a year earlier (exact Poisson comparison)?
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from crimetrends.analysis.uncertainty import rate_change
from crimetrends.impact.data import Panel
from crimetrends.impact.estimate import Estimate, pct

Method = Callable[[Panel], Estimate]
FAKE_SHIFTS = (6, 12, 18)
PLACEBO_LIMIT = 40
MIN_PLACEBOS = 19
PRE_LENGTHS = (24, 36, 48, None)


def _summary(e: Estimate) -> dict[str, Any]:
    return {
        "effect_pct": e.effect_pct,
        "ci_low": e.ci_low,
        "ci_high": e.ci_high,
        "detectable": e.detectable,
    }


def placebo_in_time(panel: Panel, method: Method) -> list[dict[str, Any]]:
    before = panel.wide[panel.wide.index < panel.start]
    out = []
    for shift in FAKE_SHIFTS:
        fake = panel.start - pd.DateOffset(months=shift)
        if int((before.index < fake).sum()) < 24:
            continue
        p = replace(panel, wide=before, start=pd.Timestamp(fake), end=None)
        try:
            out.append({"fake_start": f"{fake:%Y-%m}", **_summary(method(p))})
        except (ValueError, np.linalg.LinAlgError) as exc:
            out.append({"fake_start": f"{fake:%Y-%m}", "error": str(exc)})
    return out


def pre_period_sensitivity(panel: Panel, method: Method) -> list[dict[str, Any]]:
    out = []
    available = int((panel.wide.index < panel.start).sum())
    for months in PRE_LENGTHS:
        if months is not None and months >= available:
            continue
        try:
            e = method(panel.window(months))
        except (ValueError, np.linalg.LinAlgError) as exc:
            out.append({"pre_months": months or available, "error": str(exc)})
            continue
        out.append({"pre_months": months or available, **_summary(e)})
    return out


def placebo_effects(panel: Panel, method: Method, limit: int = PLACEBO_LIMIT) -> np.ndarray:
    """Effects (percent) of the same method with each comparison unit as the treated one."""
    others = panel.wide.drop(columns=list(panel.treated))
    units = sorted(others.columns, key=lambda u: -others[u].sum())[:limit]
    effects = []
    for u in units:
        if others[u][others.index < panel.start].sum() <= 0:
            continue
        p = replace(panel, wide=others, treated=(u,))
        try:
            e = method(p)
        except (ValueError, np.linalg.LinAlgError):
            continue
        if np.isfinite(e.effect_pct) and e.effect_pct > -100:
            effects.append(e.effect_pct)
    return np.asarray(effects, dtype=float)


def placebo_in_space(treated: Estimate, effects: np.ndarray) -> dict[str, Any]:
    """How unusual the treated estimate is among the placebo units' (two-sided, log scale).

    A small p says the treated change is unusual; a large one says untreated units change as
    much.
    """
    if not len(effects) or not np.isfinite(treated.effect_pct) or treated.effect_pct <= -100:
        return {"units": len(effects)}
    size = np.abs(np.log1p(effects / 100))
    extreme = int((size >= abs(np.log1p(treated.effect_pct / 100))).sum())
    return {
        "units": len(effects),
        "p_value": (1 + extreme) / (1 + len(effects)),
        "median_effect_pct": float(np.median(effects)),
    }


def calibrate(e: Estimate, effects: np.ndarray) -> Estimate:
    """Centre and widen an estimate by the placebo distribution (Conley & Taber 2011 style).

    The placebo units' estimates show what the method reports where nothing was done: their
    median is what every unit shared (a citywide or nationwide change), their spread the
    method's real error. Calibrated effect = treated − median placebo (log scale); 95%
    interval = treated − the 97.5% and 2.5% placebo quantiles. Needs 19 placebo units; with
    fewer the model-based interval stays and says it may be too narrow.
    """
    model = {"model_effect_pct": e.effect_pct, "model_ci": [e.ci_low, e.ci_high]}
    if len(effects) < MIN_PLACEBOS or not np.isfinite(e.effect_pct) or e.effect_pct <= -100:
        note = (
            f"{len(effects)} placebo units (< {MIN_PLACEBOS}): model-based interval, "
            "may be too narrow"
        )
        return replace(e, notes=(*e.notes, note), extra={**e.extra, **model, "interval": "model"})
    logs = np.log1p(effects / 100)
    b = float(np.log1p(e.effect_pct / 100))
    lo_q, mid, hi_q = (float(q) for q in np.quantile(logs, [0.025, 0.5, 0.975]))
    path = e.path.copy()
    if not path.empty:  # counterfactual after the start: shifted and banded by the placebos
        post = path["period"] >= path["period"].iloc[-e.post_months]
        raw = path.loc[post, "counterfactual"]
        path.loc[post, "counterfactual"] = raw * np.exp(mid)
        path.loc[post, "lower"] = raw * np.exp(lo_q)
        path.loc[post, "upper"] = raw * np.exp(hi_q)
    return replace(
        e,
        effect_pct=pct(b - mid),
        ci_low=pct(b - hi_q),
        ci_high=pct(b - lo_q),
        expected_post=e.expected_post * float(np.exp(mid)),
        path=path,
        extra={**e.extra, **model, "interval": f"placebo-calibrated ({len(effects)} units)"},
    )


def regression_to_mean(panel: Panel) -> dict[str, Any] | None:
    y = panel.treated_total()
    last = y[(y.index < panel.start) & (y.index >= panel.start - pd.DateOffset(months=6))]
    year_before = y[
        (y.index < panel.start - pd.DateOffset(months=12))
        & (y.index >= panel.start - pd.DateOffset(months=18))
    ]
    if len(last) < 6 or len(year_before) < 6:
        return None
    c = rate_change(int(last.sum()), int(year_before.sum()))
    spike = c.ci_low is not None and c.ci_low > 0
    return {
        "last_6_months": int(last.sum()),
        "same_months_a_year_earlier": int(year_before.sum()),
        "pct_change": c.pct_change,
        "ci_low": c.ci_low,
        "ci_high": c.ci_high,
        "spike_before_start": spike,
    }
