"""Numbers formatted for people."""

from __future__ import annotations

from crimetrends.render import numbers as fmt


def test_counts_and_percentages():
    assert fmt.count(2560) == "2,560"
    assert fmt.count(None) == "—"
    assert fmt.pct(-20.04) == "\u221220.0%"
    assert fmt.change(-20.0, -23.2, -16.8) == "\u221220.0% (95% CI \u221223% to \u221217%)"


def test_interval_bounds_near_zero_keep_their_sign():
    assert fmt.ci(-0.3, 9.6) == "\u22120.3% to +10%"
    assert fmt.ci(0.2, float("inf")) == "+0.2% to +∞%"
