"""Weighted displacement difference test (Wheeler & Ratcliffe 2018, Crime Science 7:11).

For a place-based program: treated area T, displacement buffer D around it, and control
areas. WDD = ΔT − ΔCt + ΔD − ΔCd (Δ = after − before, raw counts); under Poisson counts its
variance is the sum of the counts (a control used twice counts four times). WDD < 0 means
fewer crimes in the treated area and its buffer together than the controls imply. Beside it
we give the ratio estimates: the treated area's incidence rate ratio against its controls
(the effect as a percent change) and the buffer's (displacement if > 0, diffusion of
benefits if < 0), each with a 95% interval on the log scale.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.stats import norm

from crimetrends.impact.data import Panel
from crimetrends.impact.estimate import Estimate, pct

Z95 = float(norm.ppf(0.975))


def wdd_statistic(
    t0: float,
    t1: float,
    ct0: float,
    ct1: float,
    d0: float,
    d1: float,
    cd0: float,
    cd1: float,
    same_control: bool = False,
) -> dict[str, float]:
    """The published statistic, its Poisson variance, z and two-sided p."""
    est = (t1 - t0) - (ct1 - ct0) + (d1 - d0) - (cd1 - cd0)
    controls = 4 * (ct0 + ct1) if same_control else ct0 + ct1 + cd0 + cd1
    var = t0 + t1 + d0 + d1 + controls
    z = est / math.sqrt(var) if var > 0 else float("nan")
    return {
        "wdd": est,
        "wdd_se": math.sqrt(var),
        "wdd_ci_low": est - Z95 * math.sqrt(var),
        "wdd_ci_high": est + Z95 * math.sqrt(var),
        "wdd_z": z,
        "wdd_p": float(2 * norm.sf(abs(z))),
    }


def rate_ratio(a0: float, a1: float, c0: float, c1: float) -> tuple[float, float, float]:
    """log IRR of (a1/a0) over (c1/c0) and its 95% bounds (log scale, Poisson variance)."""
    if min(a0, a1, c0, c1) <= 0:
        return float("nan"), float("nan"), float("nan")
    log_irr = math.log((a1 / a0) / (c1 / c0))
    se = math.sqrt(1 / a0 + 1 / a1 + 1 / c0 + 1 / c1)
    return log_irr, log_irr - Z95 * se, log_irr + Z95 * se


def matched_controls(
    panel: Panel, units: tuple[str, ...], exclude: set[str], before: pd.Series
) -> tuple[str, ...]:
    """One control area per unit in `units`, each the closest in pre-period count."""
    free = [u for u in panel.wide.columns if u not in exclude]
    chosen: list[str] = []
    for unit in units:
        free.sort(key=lambda u: abs(before[u] - before[unit]))
        if free:
            chosen.append(free.pop(0))
    return tuple(chosen)


# long: one statistic's four sums and its full record (each figure the report shows)
def wdd(panel: Panel, buffer: tuple[str, ...]) -> Estimate:
    """Before = the pre months, after = the post months (equal lengths: the last pre months)."""
    buffer = tuple(b for b in buffer if b in panel.wide.columns and b not in panel.treated)
    idx = panel.wide.index
    post = idx >= panel.start
    n_post = int(post.sum())
    if int((idx < panel.start).sum()) < n_post:
        raise ValueError(f"WDD needs {n_post} months before the start to match the {n_post} after")
    pre = (idx < panel.start) & (idx >= panel.start - pd.DateOffset(months=n_post))
    before = panel.wide[pre].sum()
    after = panel.wide[post].sum()
    if not buffer:
        raise ValueError("WDD needs a buffer (areas around the treated ones)")
    used = set(panel.treated) | set(buffer)
    controls = matched_controls(panel, panel.treated, used, before)
    buffer_controls = matched_controls(panel, buffer, used | set(controls), before)
    same = len(buffer_controls) < len(buffer)
    if same:  # not enough areas left: the buffer shares the treated area's controls
        buffer_controls = controls
    t0, t1 = before[list(panel.treated)].sum(), after[list(panel.treated)].sum()
    d0, d1 = before[list(buffer)].sum(), after[list(buffer)].sum()
    c0, c1 = before[list(controls)].sum(), after[list(controls)].sum()
    cd0, cd1 = before[list(buffer_controls)].sum(), after[list(buffer_controls)].sum()
    stat = wdd_statistic(t0, t1, c0, c1, d0, d1, cd0, cd1, same_control=same)
    log_t, lo_t, hi_t = rate_ratio(t0, t1, c0, c1)
    log_d, lo_d, hi_d = rate_ratio(d0, d1, cd0, cd1)
    treated = panel.treated_total()
    ratio = c1 / c0 if c0 else float("nan")
    path = pd.DataFrame(
        {
            "period": treated.index,
            "observed": treated.to_numpy(),
            "counterfactual": np.where(post, treated[pre].mean() * ratio, np.nan),
            "lower": np.nan,
            "upper": np.nan,
        }
    )
    notes = [f"before = the {n_post} months before the start; after = the {n_post} after"]
    if not (0.5 <= (c0 / t0 if t0 else 0) <= 2):
        notes.append("control areas' pre-period count differs from the treated by over 2×")
    if same:
        notes.append("too few areas for separate buffer controls: the treated controls are reused")
    return Estimate(
        method="wdd",
        outcome=panel.outcome,
        effect_pct=pct(log_t),
        ci_low=pct(lo_t),
        ci_high=pct(hi_t),
        p_value=stat["wdd_p"],
        observed_post=float(t1),
        expected_post=float(t0 * ratio),
        pre_months=n_post,
        post_months=n_post,
        path=path,
        notes=tuple(notes),
        extra={
            **stat,
            "treated_before": t0,
            "treated_after": t1,
            "buffer": list(buffer),
            "buffer_before": d0,
            "buffer_after": d1,
            "controls": list(controls),
            "control_before": c0,
            "control_after": c1,
            "buffer_controls": list(buffer_controls),
            "buffer_control_before": cd0,
            "buffer_control_after": cd1,
            "buffer_effect_pct": pct(log_d),
            "buffer_ci_low": pct(lo_d),
            "buffer_ci_high": pct(hi_d),
        },
    )
