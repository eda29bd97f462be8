"""Synthetic control (Abadie, Diamond & Hainmueller 2010) with in-space placebo inference.

Each series is divided by its own pre-period mean, so donors of any size can be combined.
Weights are non-negative and sum to one, chosen to reproduce the treated agency's pre-period
path (non-negative least squares with the sum-to-one constraint as a heavily weighted row).
The donor pool is the `donors` agencies whose pre-period paths correlate most with the
treated one. Inference: every donor in turn plays the treated agency; the p-value is the
rank of the treated post/pre RMSPE ratio among them, and the 95% interval inverts the
placebo distribution of effects (log scale), using placebos whose pre-period fit is no worse
than 5× the treated one's.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.optimize import nnls

from crimetrends.impact.data import Panel
from crimetrends.impact.estimate import Estimate, pct

DONORS = 40
MIN_DONOR_MEAN = 5.0  # donors need ≥ 5 crimes a month before the start (stable normalisation)
PENALTY = 1e4  # weight of the sum-to-one row


def weights(donors_pre: np.ndarray, treated_pre: np.ndarray) -> np.ndarray:
    """argmin ||D w − t|| with w ≥ 0 and Σw = 1 (enforced by a heavily weighted row)."""
    a = np.vstack([donors_pre, PENALTY * np.ones(donors_pre.shape[1])])
    b = np.concatenate([treated_pre, [PENALTY]])
    w, _ = nnls(a, b, maxiter=50 * a.shape[1])
    return w / w.sum()


def _fit_one(norm: np.ndarray, target: int, pool: list[int], pre: np.ndarray):
    w = weights(norm[pre][:, pool], norm[pre, target])
    synth = norm[:, pool] @ w
    gap = norm[:, target] - synth
    rmspe_pre = math.sqrt(np.mean(gap[pre] ** 2))
    rmspe_post = math.sqrt(np.mean(gap[~pre] ** 2))
    observed, expected = norm[~pre, target].sum(), synth[~pre].sum()
    effect = math.log(observed / expected) if observed > 0 and expected > 0 else float("nan")
    return w, synth, rmspe_pre, rmspe_post, effect


# long: the fit, its placebo distribution and the record, read top to bottom
def synth(panel: Panel, donors: int = DONORS) -> Estimate:
    (treated,) = panel.treated
    wide = panel.wide
    pre = np.asarray(wide.index < panel.start)
    means = wide[pre].mean()
    usable = [c for c in wide.columns if c == treated or means[c] >= MIN_DONOR_MEAN]
    norm = (wide[usable] / means[usable]).to_numpy()
    cols = list(usable)
    t = cols.index(treated)
    others = [i for i in range(len(cols)) if i != t]
    corr = [np.corrcoef(norm[pre, t], norm[pre, i])[0, 1] for i in others]
    order = np.argsort(-np.nan_to_num(np.asarray(corr), nan=-2.0))
    pool = [others[i] for i in order[:donors]]
    w, s, rm_pre, rm_post, effect = _fit_one(norm, t, pool, pre)
    placebo = []
    for j in pool:
        sub = [i for i in pool if i != j]
        _, _, p_pre, p_post, p_eff = _fit_one(norm, j, sub, pre)
        placebo.append((p_pre, p_post, p_eff))
    plac = np.array(placebo)
    plac = plac[np.isfinite(plac[:, 2])]
    ratios = plac[:, 1] / np.maximum(plac[:, 0], 1e-12)
    ratio = rm_post / max(rm_pre, 1e-12)
    p_value = (1 + int((ratios >= ratio).sum())) / (1 + len(ratios))
    good = plac[plac[:, 0] <= 5 * rm_pre, 2]
    notes = []
    if not math.isfinite(effect) or means[treated] <= 0:
        raise ValueError(f"{treated}: no {panel.outcome} before or after the start to compare")
    if len(good) < 19:
        notes.append(f"only {len(good)} placebo agencies fit well enough: the interval is coarse")
    lo_q, hi_q = np.quantile(good, [0.025, 0.975]) if len(good) else (np.nan, np.nan)
    y = wide[treated].to_numpy()
    mean = float(means[treated])
    counterfactual = s * mean
    post = ~pre
    path = pd.DataFrame(
        {
            "period": wide.index,
            "observed": y,
            "counterfactual": counterfactual,
            # the placebo band describes the post period only
            "lower": np.where(post, counterfactual * math.exp(lo_q), np.nan),
            "upper": np.where(post, counterfactual * math.exp(hi_q), np.nan),
        }
    )
    top = sorted(zip(np.asarray(cols)[pool], w, strict=True), key=lambda p: -p[1])
    return Estimate(
        method="synth",
        outcome=panel.outcome,
        effect_pct=pct(effect),
        ci_low=pct(effect - hi_q),
        ci_high=pct(effect - lo_q),
        p_value=p_value,
        observed_post=float(y[post].sum()),
        expected_post=float(counterfactual[post].sum()),
        pre_months=int(pre.sum()),
        post_months=int(post.sum()),
        path=path,
        notes=tuple(notes),
        extra={
            "donor_weights": {str(k): round(float(v), 4) for k, v in top if v > 0.005},
            "pre_rmspe_pct": 100 * rm_pre,
            "placebos": len(plac),
            "placebos_used_for_interval": len(good),
        },
    )
