"""Difference-in-differences and an event study: Poisson with unit and month fixed effects.

y_it ~ Poisson(exp(unit_i + month_t + δ·treated_i·post_t)), fitted with pyfixest's `fepois`,
standard errors clustered by unit. With few treated units clustered errors are too optimistic
(the simulation study in docs/IMPACT.md measures by how much); the report says so.
The event study replaces δ by one coefficient per quarter relative to the start (the quarter
before is the reference); a joint Wald test of the pre-start coefficients checks pre-trends.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy.stats import chi2, norm

from crimetrends.impact.data import Panel
from crimetrends.impact.estimate import Estimate, pct

Z95 = float(norm.ppf(0.975))
PRE_QUARTERS = 4


def _fepois(formula: str, data: pd.DataFrame):
    import pyfixest as pf

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pf.fepois(formula, data=data, vcov={"CRV1": "unit"})


def _frame(panel: Panel) -> pd.DataFrame:
    d = panel.long()
    d["d"] = (d["treated"] & d["post"]).astype(int)
    d["month"] = d["period"].dt.strftime("%Y-%m")
    return d


def did(panel: Panel, with_event_study: bool = True) -> Estimate:
    if not panel.comparison:
        raise ValueError("difference-in-differences needs comparison units")
    d = _frame(panel)
    fit = _fepois("y ~ d | unit + month", d)
    tidy = fit.tidy()
    delta = float(tidy.loc["d", "Estimate"])
    se = float(tidy.loc["d", "Std. Error"])
    treated = panel.treated_total()
    post = treated.index >= panel.start
    # counterfactual for the treated units: the observed counts without the estimated shift
    scale = np.where(post, np.exp(-delta), 1.0)
    band = np.where(post, np.exp(Z95 * se), 1.0)
    path = pd.DataFrame(
        {
            "period": treated.index,
            "observed": treated.to_numpy(),
            "counterfactual": treated.to_numpy() * scale,
            "lower": treated.to_numpy() * scale / band,
            "upper": treated.to_numpy() * scale * band,
        }
    )
    pre_p, coefs = event_study(panel) if with_event_study else (None, [])
    notes = []
    if len(panel.treated) < 5:
        notes.append(
            f"{len(panel.treated)} treated unit(s): clustered standard errors are optimistic "
            "with few treated clusters"
        )
    if pre_p is not None and pre_p < 0.05:
        notes.append(f"pre-trends differ (joint test p = {pre_p:.3f}): parallel trends doubtful")
    return Estimate(
        method="did",
        outcome=panel.outcome,
        effect_pct=pct(delta),
        ci_low=pct(delta - Z95 * se),
        ci_high=pct(delta + Z95 * se),
        p_value=float(tidy.loc["d", "Pr(>|t|)"]),
        observed_post=float(treated[post].sum()),
        expected_post=float((treated[post] * np.exp(-delta)).sum()),
        pre_months=int((~post).sum()),
        post_months=int(post.sum()),
        path=path,
        notes=tuple(notes),
        extra={
            "comparison_units": len(panel.comparison),
            "pretrend_p": pre_p,
            "event_study": coefs,
        },
    )


def event_study(panel: Panel) -> tuple[float | None, list[dict[str, float]]]:
    """Quarterly effects relative to the start; p-value of 'all pre-start effects are zero'."""
    d = _frame(panel)
    months = (d["period"].dt.year - panel.start.year) * 12 + (
        d["period"].dt.month - panel.start.month
    )
    quarter = np.floor_divide(months, 3)
    d["rel"] = np.where(d["treated"], np.clip(quarter, -PRE_QUARTERS - 1, None), -1)
    # quarters before the window are pooled into the earliest bin; controls sit at the reference
    fit = _fepois("y ~ i(rel, ref=-1) | unit + month", d)
    tidy = fit.tidy()
    names = [n for n in tidy.index if n.startswith("rel::")]
    rel = [int(float(n.split("::")[1])) for n in names]
    coefs = [
        {
            "quarter": r,
            "effect_pct": pct(float(tidy.loc[n, "Estimate"])),
            "ci_low": pct(float(tidy.loc[n, "Estimate"] - Z95 * tidy.loc[n, "Std. Error"])),
            "ci_high": pct(float(tidy.loc[n, "Estimate"] + Z95 * tidy.loc[n, "Std. Error"])),
        }
        for n, r in sorted(zip(names, rel, strict=True), key=lambda t: t[1])
    ]
    pre = [n for n, r in zip(names, rel, strict=True) if -PRE_QUARTERS <= r < -1]
    if not pre:
        return None, coefs
    b = tidy.loc[pre, "Estimate"].to_numpy()
    vcov = pd.DataFrame(np.asarray(fit._vcov), index=tidy.index, columns=tidy.index)
    v = vcov.loc[pre, pre].to_numpy()
    stat = float(b @ np.linalg.pinv(v) @ b)
    return float(chi2.sf(stat, len(pre))), coefs
