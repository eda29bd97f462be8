"""Interrupted time series: a Poisson regression with trend, month effects and a level change.

log μ_t = α + β·t + month effects + δ·post_t. The effect is exp(δ) − 1. Its standard error
is the larger of the quasi-Poisson one (overdispersion) and the Newey–West (HAC, small-sample
corrected) one (autocorrelation), with t critical values: HAC alone covers only ~83% on 60
independent Poisson months (tested), quasi-Poisson alone ignores autocorrelation. The
counterfactual is the same fit with post set to 0.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy.stats import t as t_dist

from crimetrends.impact.estimate import Estimate, pct

HAC_LAGS = 3
MIN_PRE = 24  # month effects need every calendar month at least twice before the start


def design(periods: pd.DatetimeIndex, start: pd.Timestamp) -> np.ndarray:
    t = np.arange(len(periods), dtype=float) / 12.0
    months = periods.month.to_numpy()
    dummies = (months[:, None] == np.arange(2, 13)[None, :]).astype(float)
    post = (periods >= start).astype(float)
    return np.column_stack([np.ones(len(periods)), t, dummies, post])


def its(
    y: pd.Series,
    start: pd.Timestamp,
    outcome: str = "",
    maxlags: int = HAC_LAGS,
) -> Estimate:
    """y: monthly counts (index = month starts), pre and post months; post begins at start."""
    periods = pd.DatetimeIndex(y.index)
    if int((periods < start).sum()) < MIN_PRE:
        raise ValueError(f"interrupted time series needs {MIN_PRE} months before the start")
    x = design(periods, start)
    values = y.to_numpy(dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = sm.GLM(values, x, family=sm.families.Poisson())
        quasi = model.fit(scale="X2")
        hac = model.fit(cov_type="HAC", cov_kwds={"maxlags": maxlags, "use_correction": True})
    fit = hac if hac.bse[-1] > quasi.bse[-1] else quasi
    delta, se = float(fit.params[-1]), float(fit.bse[-1])
    crit = float(t_dist.ppf(0.975, quasi.df_resid))
    p_value = float(2 * t_dist.sf(abs(delta / se), quasi.df_resid))
    post = periods >= start
    x0 = x.copy()
    x0[:, -1] = 0.0
    eta = x0 @ fit.params
    cov = np.asarray(fit.cov_params())
    se_eta = np.sqrt(np.clip(np.einsum("ij,jk,ik->i", x0, cov, x0), 0, None))
    path = pd.DataFrame(
        {
            "period": periods,
            "observed": values,
            "counterfactual": np.exp(eta),
            "lower": np.exp(eta - crit * se_eta),
            "upper": np.exp(eta + crit * se_eta),
        }
    )
    notes = []
    if post.sum() < 6:
        notes.append(f"only {int(post.sum())} months after the start")
    return Estimate(
        method="its",
        outcome=outcome,
        effect_pct=pct(delta),
        ci_low=pct(delta - crit * se),
        ci_high=pct(delta + crit * se),
        p_value=p_value,
        observed_post=float(values[post].sum()),
        expected_post=float(np.exp(eta[post]).sum()),
        pre_months=int((~post).sum()),
        post_months=int(post.sum()),
        path=path,
        notes=tuple(notes),
        extra={
            "trend_per_year_pct": pct(float(fit.params[1])),
            "standard_error": "HAC" if fit is hac else "quasi-Poisson",
            "hac_lags": maxlags,
        },
    )
