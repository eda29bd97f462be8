"""Impact labels from the 95% interval, never from the point estimate.

    High              the whole interval is at or below −20%
    Medium            the whole interval is at or below −10%
    Low               the whole interval is below 0%
    Harmful           the whole interval is above 0% (crime went up)
    None detectable   the interval includes 0%

"None detectable" is split in the wording: when the interval is narrow enough to rule out a
change of 10% either way we say so; otherwise we say the data cannot tell.
"""

from __future__ import annotations

from crimetrends.impact.estimate import Estimate

HIGH, MEDIUM = -20.0, -10.0
INFORMATIVE = 10.0


def impact_label(e: Estimate) -> tuple[str, str]:
    lo, hi = e.ci_low, e.ci_high
    span = f"95% interval {lo:+.1f}% to {hi:+.1f}%"
    if hi <= HIGH:
        return "High", f"{span}: at or below {HIGH:.0f}% throughout"
    if hi <= MEDIUM:
        return "Medium", f"{span}: at or below {MEDIUM:.0f}% throughout"
    if hi < 0:
        return "Low", f"{span}: below 0% throughout"
    if lo > 0:
        return "Harmful", f"{span}: above 0% throughout (crime rose)"
    if lo >= -INFORMATIVE and hi <= INFORMATIVE:
        return "None detectable", f"{span}: rules out a change of more than {INFORMATIVE:.0f}%"
    return "None detectable", f"{span}: the data cannot tell (includes 0%)"
