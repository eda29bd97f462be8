"""`crimetrends check` on an article of 10,000 characters: cold, warm, and a baseline.

The article is built from this project's written examples (tests/claims_corpus, no real
article text) repeated with varied places, offenses and years up to 10,000 characters.

* first: `crimetrends check ARTICLE -f json` in a fresh process right after a load (no
  snapshot of the store's figures yet: imports Ibis, connects, reads four tables, writes
  the snapshot);
* cold: the same command again in a fresh process (the snapshot is read) — what a user
  waits for on every later check;
* warm: `check_text` in a process that has checked once already (what the API does), the
  median of five;
* baseline, same run: the same claims' counts recomputed the way the checker did before
  this round, one `trend_report(TrendQuery(...))` per claim (warm), for the ratio.

Usage (a loaded store; `make demo` or `crimetrends demo`):

    CRIMETRENDS_HOME=.crimetrends-home .venv/bin/python bench/check_speed.py
"""

from __future__ import annotations

import contextlib
import datetime as dt
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZE = 10_000
PLACES = ["Chicago", "Houston", "Philadelphia", "Phoenix", "Dallas", "Baltimore", "Memphis"]
OFFENSES = ["murders", "robberies", "burglaries", "car thefts", "aggravated assaults"]


def article() -> str:
    """10,000 characters: the written examples, then varied sentences of the same forms."""
    parts = [p.read_text() for p in sorted((ROOT / "tests" / "claims_corpus").glob("w*.md"))]
    i = 0
    while sum(len(p) + 2 for p in parts) < SIZE:
        place, offense = PLACES[i % len(PLACES)], OFFENSES[i % len(OFFENSES)]
        year = 2019 + i % 6
        parts.append(
            f"{offense.capitalize()} in {place} fell {3 + i % 17}% in {year} compared with "
            f"{year - 1}, to {200 + 37 * i:,}, the lowest number in five years."
        )
        i += 1
    return "\n\n".join(parts)[:SIZE]


def cold(path: Path) -> float:
    exe = Path(sys.executable).with_name("crimetrends")
    start = time.perf_counter()
    subprocess.run(
        [str(exe), "check", str(path), "--date", "2025-03-01", "-f", "json"],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def warm(text: str) -> tuple[float, int]:
    from crimetrends.claims.check import check_text

    check_text(text, dt.date(2025, 3, 1))
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        n = len(check_text(text, dt.date(2025, 3, 1)))
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), n


def baseline(text: str) -> float:
    """One trend_report per count/percent claim, as the checker did before (warm)."""
    from crimetrends.analysis.report import TrendQuery, trend_report
    from crimetrends.claims.check import known_places
    from crimetrends.claims.document import parse
    from crimetrends.claims.extract import extract
    from crimetrends.claims.facts import fact_base
    from crimetrends.claims.places import gazetteer
    from crimetrends.errors import CrimetrendsError

    claims = extract(parse(text, dt.date(2025, 3, 1)), gazetteer(known_places(fact_base())))
    asks = [c for c in claims if c.place and c.place.kind == "agency" and c.offense and c.period]
    start = time.perf_counter()
    for c in asks:
        year = c.period.year
        with contextlib.suppress(CrimetrendsError):
            trend_report(TrendQuery((c.place.names[0],), c.offense, "year", year - 1, year))
    return time.perf_counter() - start


def main() -> None:
    text = article()
    from crimetrends.settings import get_settings

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "article.md"
        path.write_text(text)
        for old in (get_settings().home / "cache").glob("claims-facts-*.pickle"):
            old.unlink()  # as right after a load
        first_s = cold(path)
        cold_s = cold(path)
    warm_s, n = warm(text)
    base_s = baseline(text)
    print(
        f"machine: {platform.machine()}, {platform.processor() or 'cpu'}, Python "
        f"{platform.python_version()}, {dt.date.today()}"
    )
    print(f"article: {len(text):,} characters, {n} claims")
    print("| measure | seconds | ratio to baseline |\n|---|---:|---:|")
    print(
        f"| first check after a load (fresh process, builds the snapshot) | {first_s:.2f} | "
        f"{first_s / base_s:.2f} |"
    )
    print(
        f"| cold: `crimetrends check` in a fresh process | {cold_s:.2f} | {cold_s / base_s:.2f} |"
    )
    print(f"| warm: `check_text`, median of 5 | {warm_s:.3f} | {warm_s / base_s:.3f} |")
    print(f"| baseline: one trend_report per claim (warm) | {base_s:.2f} | 1 |")
    print(
        f"target: under 2 s — cold {'met' if cold_s < 2 else 'NOT met'}, warm "
        f"{'met' if warm_s < 2 else 'NOT met'}"
    )


ADVERSARIAL_UNITS = ("1", "1, ", "| 1 ", "a.", "(", "Chicago murders fell 5%, ")


def linearity() -> None:
    """Reading 20,000 characters of each adversarial unit against 5,000: best of three each;
    a ratio near 4 is linear (tests/test_claims.py counts the calls, this times them)."""
    from crimetrends.claims.document import parse
    from crimetrends.claims.extract import extract
    from crimetrends.claims.places import gazetteer

    places = gazetteer(("Chicago, Illinois", "New York City, New York"))

    def took(unit: str, n: int) -> float:
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            extract(parse(unit * (n // len(unit)), dt.date(2025, 2, 10)), places)
            runs.append(time.perf_counter() - start)
        return min(runs)

    print("| input unit | 5,000 chars s | 20,000 chars s | ratio |\n|---|---:|---:|---:|")
    for unit in ADVERSARIAL_UNITS:
        small, large = took(unit, 5_000), took(unit, 20_000)
        print(f"| `{unit!r}` | {small:.3f} | {large:.3f} | {large / max(small, 1e-6):.1f} |")


if __name__ == "__main__":
    main()
    linearity()
