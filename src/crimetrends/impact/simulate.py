"""Validation by simulation on real series: inject a known effect, see what each method says.

For each replicate a unit (an RTCI agency for its/synth, Chicago districts for did/wdd) and a
start month are drawn at random; the unit's recorded crimes after the start are thinned
binomially to (100 + effect)% and the method estimates the effect. Because everything else in
the series is real (its own ups and downs, overdispersion, autocorrelation), the coverage of
the 95% intervals measures how honest each method is on data like ours.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from crimetrends.impact.areas import area_cells, bordering
from crimetrends.impact.data import AGGREGATE, Panel, thin
from crimetrends.impact.estimate import Estimate
from crimetrends.impact.registry import parse_initiative
from crimetrends.impact.run import calibrated, light_methods
from crimetrends.impact.synth import synth

EFFECTS = (-20.0, -10.0, 0.0)
METHODS = ("its", "did", "wdd", "synth")


def _panel(con: Any, agency: str, source: str, area_type: str) -> Panel:
    from crimetrends.impact.data import build_panel

    ini = parse_initiative(
        {
            "name": "simulation",
            "title": "simulation",
            "type": "other",
            "agency": agency,
            "source": source,
            "area_type": area_type,
            "areas": ["001"] if area_type != "city" else [],
            "start": "2016-01-01" if area_type != "city" else "2021-01-01",
            "outcomes": ["violent"],
            "information_source": "simulation",
        },
        "simulation",
    )
    return build_panel(con, ini, "violent")


def _inject(
    panel: Panel,
    treated: tuple[str, ...],
    start: pd.Timestamp,
    effect: float,
    rng: np.random.Generator,
) -> Panel:
    wide = panel.wide.copy()
    post = wide.index >= start
    for u in treated:
        wide.loc[post, u] = thin(wide.loc[post, u].to_numpy(), 1 + effect / 100, rng)
    return replace(panel, wide=wide, treated=treated, start=start, end=None)


def estimate(method: str, panel: Panel, cells: Any) -> Estimate:
    """The estimate `crimetrends impact` reports: placebo-calibrated except for synth."""
    if method == "synth":
        return synth(panel)
    light = light_methods(lambda p: bordering(cells, p.treated))
    return calibrated(light[method])(panel)


def simulate(
    con: Any,
    methods: tuple[str, ...] = METHODS,
    effects: tuple[float, ...] = EFFECTS,
    reps: int = 100,
    seed: int = 20241125,
    step: Callable[[], None] | None = None,
) -> pd.DataFrame:
    rows = []
    agencies = districts = cells = None
    for method in methods:
        if method in ("its", "synth") and agencies is None:
            agencies = _panel(con, "Chicago", "rtci", "city")
            keep = [c for c in agencies.wide.columns if not AGGREGATE.search(c)]
            agencies = replace(agencies, wide=agencies.wide[keep])
        if method in ("did", "wdd") and districts is None:
            districts = _panel(con, "Chicago", "chicago", "district")
            districts = replace(
                districts, wide=districts.wide.drop(columns=["031"], errors="ignore")
            )
            cells = area_cells(con, "chicago", "district")[1]
        base = agencies if method in ("its", "synth") else districts
        assert base is not None
        idx = base.wide.index
        starts = idx[
            (idx >= idx[0] + pd.DateOffset(months=36 if method != "did" else 24))
            & (idx <= idx[-1] - pd.DateOffset(months=11))
        ]
        big = [c for c in base.wide.columns if base.wide[c].mean() >= 20]
        for effect in effects:
            rng = np.random.default_rng([seed, METHODS.index(method), int(effect * 10) + 1000])
            for rep in range(reps):
                start = pd.Timestamp(starts[rng.integers(len(starts))])
                k = 2 if method == "did" else 1
                treated = tuple(str(u) for u in rng.choice(big, size=k, replace=False))
                panel = _inject(base, treated, start, effect, rng)
                try:
                    e = estimate(method, panel, cells)
                except (ValueError, np.linalg.LinAlgError) as exc:
                    rows.append(
                        {"method": method, "true_effect": effect, "rep": rep, "error": str(exc)}
                    )
                    continue
                rows.append(
                    {
                        "method": method,
                        "true_effect": effect,
                        "rep": rep,
                        "unit": "+".join(treated),
                        "start": f"{start:%Y-%m}",
                        "estimate": e.effect_pct,
                        "ci_low": e.ci_low,
                        "ci_high": e.ci_high,
                        "covered": e.covers(effect),
                        "detected": e.detectable,
                    }
                )
                if step:
                    step()
    return pd.DataFrame(rows)


def summarize_simulation(rows: pd.DataFrame) -> pd.DataFrame:
    out = []
    for (method, effect), g in rows.groupby(["method", "true_effect"], sort=False):
        ok = g.dropna(subset=["estimate"]) if "estimate" in g else g.iloc[0:0]
        coverage = float(ok["covered"].mean()) if len(ok) else float("nan")
        out.append(
            {
                "method": method,
                "true_effect_pct": effect,
                "replicates": len(ok),
                "failed": len(g) - len(ok),
                "mean_estimate_pct": float(ok["estimate"].mean()),
                "bias_pct_points": float(ok["estimate"].mean() - effect),
                "median_ci_width": float((ok["ci_high"] - ok["ci_low"]).median()),
                "coverage95": coverage,
                "detected_share": float(ok["detected"].mean()),
                "flag": "coverage far from 95%" if abs(coverage - 0.95) > 0.05 else "",
            }
        )
    return pd.DataFrame(out)
