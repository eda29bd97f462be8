"""What every impact method returns: an effect as a percent change with a 95% interval."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class Estimate:
    """effect_pct = 100·(rate ratio − 1) over the post period; interval at 95%.

    path: period, observed, counterfactual, lower, upper (treated units summed), for plots.
    """

    method: str
    outcome: str
    effect_pct: float
    ci_low: float
    ci_high: float
    p_value: float | None
    observed_post: float
    expected_post: float
    pre_months: int
    post_months: int
    path: pd.DataFrame = field(repr=False, compare=False)
    notes: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def detectable(self) -> bool:
        return self.ci_high < 0 or self.ci_low > 0

    def covers(self, true_pct: float) -> bool:
        return self.ci_low <= true_pct <= self.ci_high

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "outcome": self.outcome,
            "effect_pct": self.effect_pct,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "p_value": self.p_value,
            "observed_post": self.observed_post,
            "expected_post": self.expected_post,
            "pre_months": self.pre_months,
            "post_months": self.post_months,
            "notes": list(self.notes),
            **self.extra,
        }


def pct(log_ratio: float) -> float:
    """Percent change from a log rate ratio (inf when the ratio overflows)."""
    if log_ratio > 700:
        return math.inf
    return 100.0 * (math.exp(log_ratio) - 1.0)
