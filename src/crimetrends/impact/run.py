"""Analyse one initiative end to end: every applicable method, outcome, label and check."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import pandas as pd

from crimetrends.impact import robustness
from crimetrends.impact.areas import area_cells, bordering
from crimetrends.impact.data import Panel, build_panel
from crimetrends.impact.did import did
from crimetrends.impact.estimate import Estimate
from crimetrends.impact.its import its
from crimetrends.impact.labels import impact_label
from crimetrends.impact.registry import Initiative
from crimetrends.impact.synth import synth
from crimetrends.impact.wdd import wdd
from crimetrends.render.caveats import MODEL_CAVEATS

IMPACT_CAVEATS = (
    "An estimate compares what happened with what the method says would have happened "
    "anyway; each method makes different assumptions, so read them side by side.",
    "Programs rarely start alone: other changes at the same place and time are not separated.",
)


Method = Callable[[Panel], Estimate]


def its_on_panel(panel: Panel) -> Estimate:
    return its(panel.treated_total(), panel.start, panel.outcome)


def light_methods(buffer_of: Callable[[Panel], tuple[str, ...]]) -> dict[str, Method]:
    """its, did (without its event study) and wdd as placebo runs and calibration repeat them."""
    return {
        "its": its_on_panel,
        "did": partial(did, with_event_study=False),
        "wdd": lambda p: wdd(p, buffer_of(p)),
    }


def calibrated(method: Method) -> Method:
    """The method with its interval calibrated by the same method on untreated units."""
    return lambda p: robustness.calibrate(method(p), robustness.placebo_effects(p, method))


@dataclass
class ImpactReport:
    initiative: Initiative
    rows: list[dict[str, Any]] = field(default_factory=list)
    estimates: list[Estimate] = field(default_factory=list)

    def payload(self) -> dict[str, Any]:
        return {
            "initiative": self.initiative.describe(),
            "headline": headline(self),
            "estimates": self.rows,
            "caveats": [*MODEL_CAVEATS[:2], *IMPACT_CAVEATS],
        }

    def flat_rows(self) -> list[dict[str, Any]]:
        """Rows with nested checks as JSON text (for CSV cells)."""
        import json

        return [
            {
                k: json.dumps(v, default=str) if isinstance(v, (dict, list)) else v
                for k, v in r.items()
            }
            for r in self.rows
        ]

    def paths(self) -> pd.DataFrame:
        frames = [e.path.assign(method=e.method, outcome=e.outcome) for e in self.estimates]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def methods_for(ini: Initiative, requested: str | None) -> tuple[str, ...]:
    chosen = (requested,) if requested else ini.methods
    for m in chosen:
        if m == "wdd" and not ini.place_based:
            raise ValueError("wdd needs a place-based initiative (areas within a city)")
        if m == "synth" and ini.place_based:
            raise ValueError("synth needs a whole-agency initiative (donors are other agencies)")
    return chosen


def analyse(
    con: Any, ini: Initiative, method: str | None = None, outcome: str | None = None
) -> ImpactReport:
    report = ImpactReport(ini)
    methods = methods_for(ini, method)
    cells = area_cells(con, ini.source, ini.area_type)[1] if "wdd" in methods else None

    def buffer_of(p: Panel) -> tuple[str, ...]:
        if p.treated == ini.areas and ini.buffer:
            return ini.buffer
        return bordering(cells, p.treated)

    light = light_methods(buffer_of)

    def checked(m: str) -> Method:
        """What the robustness checks re-run: calibrated except synth (own inference)."""
        return synth if m == "synth" else calibrated(light[m])

    for out in (outcome,) if outcome else ini.outcomes:
        panel = build_panel(con, ini, out)
        rtm = robustness.regression_to_mean(panel)
        for m in methods:
            full = {**light, "did": did, "synth": synth}[m]
            try:
                raw = full(panel)
            except ValueError as exc:
                report.rows.append({"outcome": panel.outcome, "method": m, "error": str(exc)})
                continue
            checks: dict[str, Any] = {"regression_to_mean": rtm}
            e = raw
            if m != "synth":
                effects = robustness.placebo_effects(panel, light[m])
                e = robustness.calibrate(raw, effects)
                checks["placebo_in_space"] = robustness.placebo_in_space(raw, effects)
            label, why = impact_label(e)
            checks["placebo_in_time"] = robustness.placebo_in_time(panel, checked(m))
            checks["pre_period_sensitivity"] = (
                robustness.pre_period_sensitivity(panel, checked(m)) if m != "wdd" else []
            )
            report.estimates.append(e)
            report.rows.append(
                {
                    **e.to_dict(),
                    "label": label,
                    "label_reason": why,
                    "verdict": verdict(e, label, checks),
                    "robustness": checks,
                }
            )
    return report


def verdict(e: Estimate, label: str, checks: dict[str, Any]) -> str:
    """One plain sentence: the label, and what the robustness checks say about it."""
    worries = []
    fakes = [c for c in checks.get("placebo_in_time", []) if c.get("detectable")]
    if fakes:
        worries.append(
            "fake start dates also show a change ("
            + ", ".join(f"{c['fake_start']}: {c['effect_pct']:+.0f}%" for c in fakes)
            + ")"
        )
    sens = [c for c in checks.get("pre_period_sensitivity", []) if "effect_pct" in c]
    if sens:
        labels = {impact_label_from(c) for c in sens}
        if len(labels) > 1:
            worries.append("the result depends on how many months before the start are used")
    rtm = checks.get("regression_to_mean")
    if rtm and rtm["spike_before_start"] and e.detectable and e.effect_pct < 0:
        worries.append("it started after a spike (regression to the mean can look like a decline)")
    space = checks.get("placebo_in_space")
    if space and "p_value" in space and space["p_value"] > 0.1 and e.detectable:
        worries.append(
            f"untreated units show changes as large (placebo p = {space['p_value']:.2f})"
        )
    for note in e.notes:
        if "doubtful" in note or "optimistic" in note:
            worries.append(note)
    if not worries:
        return f"{label}; robustness checks raise no concern"
    return f"{label}, but " + "; ".join(worries)


def impact_label_from(c: dict[str, Any]) -> str:
    lo, hi = c["ci_low"], c["ci_high"]
    if hi < 0:
        return "decline"
    if lo > 0:
        return "increase"
    return "none"


def headline(report: ImpactReport) -> str:
    """One label per initiative: what the estimates that pass their checks agree on."""
    rows = [r for r in report.rows if "error" not in r]
    if not rows:
        return "Not estimated"
    robust = [r for r in rows if r["verdict"].endswith("raise no concern")]
    if not robust:
        return "Not established: every estimate fails a robustness check"
    labels = {r["label"] for r in robust}
    if len(labels) > 1:
        return (
            "Not established: the estimates that pass their checks disagree ("
            + ", ".join(f"{r['outcome']} {r['method']}: {r['label']}" for r in robust)
            + ")"
        )
    (label,) = labels
    return f"{label} ({', '.join(r['outcome'] + ' ' + r['method'] for r in robust)})"
