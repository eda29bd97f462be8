"""Every figure the store holds that a claim can be checked against, in memory.

Claims ask for many small windows (a year, January to a day, one month) for a few agencies
and offenses, and ranks or national samples ask across agencies; building a `TrendQuery`
per window took ~0.4 s each. So the four stored tables are read once per store state (one
query each, cached on the set of loads) and indexed by agency and offense:

* `counts` (monthly and annual published tables: RTCI monthly, UCR annual, LAPD rollups);
* `ytd` (every vintage of the year-to-date tables: January to a month, this year and last);
* `daily` (the incident records' daily rollup: any day range);
* `populations`.

The rules are the store's own (`analysis.aggregate`, `analysis.evidence`): a missing cell is
not zero, a total needs every member offense, a UCR year with fewer than 12 months reported
is incomplete, sample extracts are never used.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crimetrends.analysis.periods import Window, add_months, month_end
from crimetrends.taxonomy.offenses import PART_I, PROPERTY, VIOLENT

CORE = {
    **{o: (o,) for o in PART_I},
    "violent": VIOLENT,
    "property": PROPERTY,
    "all": PART_I,
}
SOURCE_LABELS = {
    "rtci": "RTCI monthly",
    "rtci_ytd": "RTCI year to date",
    "ucr_annual": "UCR annual table",
    "lapd_annual": "LAPD annual rollup",
    "chicago": "Chicago incident records",
}
FAMILY = {
    "rtci": "rtci",
    "rtci_ytd": "rtci",
    "ucr_annual": "ucr",
    "lapd_annual": "police",
    "chicago": "police",
}


@dataclass(frozen=True)
class Figure:
    """One count for one window from one source (and vintage).

    `bound`: 'exact'; or 'lower'/'upper' when the window ends on a day inside a month and the
    figure is the whole-month window just before / just after it.
    """

    source: str
    window: Window
    count: float
    vintage: str | None = None
    bound: str = "exact"
    note: str = ""
    population: int | None = None

    @property
    def label(self) -> str:
        what = SOURCE_LABELS.get(self.source, self.source)
        v = f", vintage {self.vintage}" if self.vintage else ""
        return f"{what}{v}: {self.window.label} {self.count:,.0f}" + (
            f" ({self.note})" if self.note else ""
        )

    @property
    def family(self) -> str:
        return FAMILY.get(self.source, self.source)

    @property
    def key(self) -> tuple[str, str | None]:
        return self.source, self.vintage


@dataclass
class FactBase:
    monthly: dict[tuple[str, str, str], dict[dt.date, float]] = field(default_factory=dict)
    annual: dict[tuple[str, str, str], dict[int, float]] = field(default_factory=dict)
    daily: dict[tuple[str, str, str], tuple[list[dt.date], list[int]]] = field(default_factory=dict)
    daily_span: dict[tuple[str, str], tuple[dt.date, dt.date]] = field(default_factory=dict)
    # (agency, offense) -> [(vintage, start, end, count, population)]
    ytd: dict[tuple[str, str], list[tuple[str, dt.date, dt.date, float, int | None]]] = field(
        default_factory=dict
    )
    ytd_agencies: dict[str, set[str]] = field(default_factory=dict)  # vintage -> agencies
    samples: dict[str, int | None] = field(default_factory=dict)  # sample name -> agencies
    populations: dict[str, dict[int, int]] = field(default_factory=dict)
    _by_agency: dict[str, dict[str, set[str]]] | None = field(default=None, repr=False)
    _memo: dict | None = field(default=None, repr=False)

    def sources(self, agency: str, table: str) -> set[str]:
        """The sources of one table (monthly, annual, daily) that hold the agency."""
        if self._by_agency is None:
            idx: dict[str, dict[str, set[str]]] = {}
            for name, keys in (("monthly", self.monthly), ("annual", self.annual)):
                for src, ag, _ in keys:
                    idx.setdefault(ag, {}).setdefault(name, set()).add(src)
            for src, ag in self.daily_span:
                idx.setdefault(ag, {}).setdefault("daily", set()).add(src)
            self._by_agency = idx
        return self._by_agency.get(agency, {}).get(table, set())

    # -- counts for a window -------------------------------------------------------------
    def figures(self, names: tuple[str, ...], offense: str, w: Window) -> list[Figure]:
        """Every figure for the window (or bracketing it when it ends inside a month)."""
        out: list[Figure] = []
        members = CORE.get(offense)
        if not members:
            return out
        for agency in names:
            out += self._monthly(agency, members, w)
            out += self._annual(agency, members, w)
            out += self._daily(agency, members, w)
            out += self._ytd(agency, members, w)
        return out

    def outages(self, src: str, agency: str) -> set[dt.date]:
        """Months a monthly source reports nothing at all for an agency that usually reports
        ten or more crimes a month (RTCI's Mission, Texas, January to September 2021): an
        outage, so a window holding one is not a count. Found for every agency in one pass
        over the monthly figures, the first time any is asked."""
        if self._memo is None:
            self._memo = {}
        if "outages" not in self._memo:
            totals: dict[tuple[str, str], dict[dt.date, float]] = {}
            for (s, ag, _off), months in self.monthly.items():
                per = totals.setdefault((s, ag), {})
                for m, v in months.items():
                    per[m] = per.get(m, 0.0) + (v or 0.0)
            dark: dict[tuple[str, str], set[dt.date]] = {}
            for key, per in totals.items():
                values = sorted(per.values())
                if values and values[len(values) // 2] >= 10:
                    found = {m for m, v in per.items() if v == 0}
                    if found:
                        dark[key] = found
            self._memo["outages"] = dark
        return self._memo["outages"].get((src, agency), set())

    def _monthly(self, agency: str, members: tuple[str, ...], w: Window) -> list[Figure]:
        out = []
        for src in self.sources(agency, "monthly"):
            dark = self.outages(src, agency)
            for win, bound in _month_windows(w):
                if dark and any(m in dark for m in win.months):
                    continue  # a month the source reported nothing: not a count
                total = 0.0
                for m in win.months:
                    for off in members:
                        v = self.monthly.get((src, agency, off), {}).get(m)
                        if v is None:
                            break
                        total += v
                    else:
                        continue
                    break
                else:
                    out.append(Figure(src, win, total, None, bound))
        return out

    def _annual(self, agency: str, members: tuple[str, ...], w: Window) -> list[Figure]:
        if w.start != dt.date(w.start.year, 1, 1) or w.end != dt.date(w.start.year, 12, 31):
            return []
        out = []
        for src in self.sources(agency, "annual"):
            vals = [self.annual.get((src, agency, off), {}).get(w.start.year) for off in members]
            if all(v is not None for v in vals):
                out.append(Figure(src, w, float(sum(vals)), None))  # type: ignore[arg-type]
        return out

    def _daily(self, agency: str, members: tuple[str, ...], w: Window) -> list[Figure]:
        out = []
        for src in self.sources(agency, "daily"):
            first, last = self.daily_span[(src, agency)]
            if w.start < first or w.end > last:
                continue
            total = 0
            for off in members:
                days, cum = self.daily.get((src, agency, off), ([], [0]))
                a = bisect.bisect_left(days, w.start)
                b = bisect.bisect_right(days, w.end)
                total += cum[b] - cum[a]
            out.append(Figure(src, w, float(total), None))
        return out

    def _ytd_totals(self, agency: str, members: tuple[str, ...]):
        """(vintage, start, end) → total over the members (only when all are reported)."""
        if self._memo is None:
            self._memo = {}
        key = (agency, members)
        if key not in self._memo:
            rows: dict[tuple[str, dt.date, dt.date], list[float]] = defaultdict(list)
            pops: dict[str, int | None] = {}
            for off in members:
                for vintage, start, end, count, pop in self.ytd.get((agency, off), []):
                    rows[(vintage, start, end)].append(count)
                    pops[vintage] = pop
            full = {k: sum(v) for k, v in rows.items() if len(v) == len(members)}
            self._memo[key] = (full, pops)
        return self._memo[key]

    def _ytd(self, agency: str, members: tuple[str, ...], w: Window) -> list[Figure]:
        out = []
        full, pops = self._ytd_totals(agency, members)
        for win, bound in _month_windows(w):
            for (vintage, start, end), total in full.items():
                if start == win.start and end == win.end:
                    out.append(
                        Figure("rtci_ytd", win, total, vintage, bound, population=pops.get(vintage))
                    )
        if w.month_aligned and w.start.month == w.end.month and w.start.month > 1:
            out += self._derived_month(full, w)
        return out

    @staticmethod
    def _derived_month(full: dict, w: Window) -> list[Figure]:
        """A single month after the monthly series ends: two vintages' Jan–M minus Jan–(M−1)."""
        jan = dt.date(w.start.year, 1, 1)
        before = month_end(add_months(w.start, -1))
        cur = {v: t for (v, s, e), t in full.items() if s == jan and e == w.end}
        prev = {v: t for (v, s, e), t in full.items() if s == jan and e == before}
        if not cur:
            return []
        v1 = min(cur)  # the first publication of month M ...
        earlier = [v for v in prev if v < v1]
        if not earlier:
            return []
        v0 = max(earlier)  # ... and the publication of month M−1 just before it
        note = f"derived: vintage {v1} Jan–{w.end:%b} minus vintage {v0} Jan–{before:%b}"
        return [Figure("rtci_ytd", w, cur[v1] - prev[v0], v1, "exact", note)]

    # -- other questions -------------------------------------------------------------------
    def population(self, names: tuple[str, ...], year: int) -> tuple[int, str] | None:
        """The population nearest to `year` (its year named when it is not the same)."""
        for agency in names:
            pops = self.populations.get(agency)
            if pops:
                best = min(pops, key=lambda y: (abs(y - year), -y))
                return pops[best], str(best)
        return None

    def vintage_agencies(self, vintage: str) -> set[str]:
        return self.ytd_agencies.get(vintage, set())

    def agencies_with(self, offense: str) -> set[str]:
        """Single agencies with any figure of the offense (samples and national rows left out)."""
        members = CORE.get(offense, ())
        out = {k[1] for k in self.monthly if k[2] in members}
        out |= {k[1] for k in self.annual if k[2] in members}
        out |= {a for (a, o) in self.ytd if o in members}
        return {
            a
            for a in out
            if a not in self.samples
            and "Nationwide" not in a
            and a != "United States"
            and not a.startswith("Full Sample")
        }


def _month_windows(w: Window) -> list[tuple[Window, str]]:
    """The window itself when month-aligned, else the whole-month windows around its end."""
    if w.month_aligned:
        return [(w, "exact")]
    out = []
    last_full = month_end(add_months(w.end.replace(day=1), -1))
    if last_full >= w.start:
        out.append((Window(w.start, last_full), "lower"))
    out.append((Window(w.start, month_end(w.end)), "upper"))
    return out


_CACHE: dict[tuple, FactBase] = {}
FORMAT = 1  # bump when FactBase's shape changes


def fact_base() -> FactBase:
    """The store's figures, read once per store version: from memory, else from a snapshot
    on disk (`$CRIMETRENDS_HOME/cache/`, written after the first read of each version, so a
    cold `crimetrends check` needs neither Ibis nor a query), else from the store."""
    from crimetrends.settings import get_settings
    from crimetrends.store.connect import layout

    lay = layout()
    key = (str(lay.root), _store_state(lay.root, lay.version_number()), FORMAT)
    got = _CACHE.get(key)
    if got is not None:
        return got
    path = get_settings().home / "cache" / f"claims-facts-{key[1]}-f{FORMAT}.pickle"
    got = _read_snapshot(path)
    if got is None:
        from crimetrends.store.connect import connect

        got = build(connect())
        _write_snapshot(path, got)
    _CACHE.clear()
    _CACHE[key] = got
    return got


def _store_state(root: Path, version: int) -> str:
    """The store's version number; for a store written before versions, a digest of its load
    manifests (names, sizes, times), so a reload gives a new key."""
    if version:
        return f"v{version}"
    import hashlib

    h = hashlib.sha256()
    for p in sorted((root / "loads").glob("*/*.json")):
        st = p.stat()
        h.update(f"{p.name}:{st.st_size}:{st.st_mtime_ns};".encode())
    return "l" + h.hexdigest()[:16]


def _read_snapshot(path: Path) -> FactBase | None:
    import pickle

    try:
        with path.open("rb") as f:
            got = pickle.load(f)  # our own file, written by _write_snapshot
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError):
        return None
    return got if isinstance(got, FactBase) else None


def _write_snapshot(path: Path, fb: FactBase) -> None:
    """Atomically (a temporary file renamed); a store that cannot be written just skips it."""
    import os
    import pickle

    fb._by_agency = fb._memo = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as f:
            pickle.dump(fb, f, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
        for old in path.parent.glob("claims-facts-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass


def build(con: Any) -> FactBase:
    """Read the counts, ytd, daily and populations tables into a FactBase."""
    from crimetrends.store.catalog import sample_sources

    fb = FactBase()
    core = list(CORE["all"])
    skip = sample_sources()
    _read_counts(con, fb, core, skip)
    _read_ytd(con, fb, core)
    _read_daily(con, fb, core, skip)
    _read_populations(con, fb)
    return fb


def _read_counts(con: Any, fb: FactBase, core: list[str], skip: frozenset[str]) -> None:
    """Monthly and annual cells per source × agency × offense (blank cells left out)."""
    t = con.table("counts")
    t = t.filter(t.offense.isin(core))
    f = (
        t.group_by(["source", "agency", "grain", "period_start", "offense"])
        .aggregate(
            n=t["count"].sum(),
            cells=t.count(),
            present=t["count"].count(),
            months=t.months_reported.min(),
        )
        .to_pyarrow()
        .to_pandas()
    )
    f = f[(f["present"] == f["cells"]) & ~f["source"].isin(list(skip))]
    short = (f["grain"] == "year") & f["months"].notna() & (f["months"] < 12)
    f = f[~short]  # a UCR year with fewer than 12 months reported is incomplete
    for grain, target in (("month", fb.monthly), ("year", fb.annual)):
        g = f[f["grain"] == grain]
        starts, ns = g["period_start"].to_numpy(), g["n"].to_numpy(dtype=float)
        for key, idx in g.groupby(["source", "agency", "offense"], sort=False).indices.items():
            if grain == "month":
                target[key] = {_date(starts[i]): float(ns[i]) for i in idx}
            else:
                target[key] = {_date(starts[i]).year: float(ns[i]) for i in idx}


def _read_ytd(con: Any, fb: FactBase, core: list[str]) -> None:
    """Every vintage's windows per agency × offense; samples and their sizes apart."""
    t = con.table("ytd")
    t = t.filter(t.offense.isin(core) & t["count"].notnull())
    f = (
        t.select(
            "agency",
            "offense",
            "vintage",
            "period_start",
            "period_end",
            "count",
            "population",
            "sample",
            "sample_agencies",
        )
        .to_pyarrow()
        .to_pandas()
    )
    vint = [str(v)[:10] for v in f["vintage"].to_numpy()]
    starts, ends = f["period_start"].to_numpy(), f["period_end"].to_numpy()
    counts, pops = f["count"].to_numpy(dtype=float), f["population"].to_numpy(dtype=float)
    for key, idx in f.groupby(["agency", "offense"], sort=False).indices.items():
        fb.ytd[key] = [
            (
                vint[i],
                _date(starts[i]),
                _date(ends[i]),
                float(counts[i]),
                None if pops[i] != pops[i] else int(pops[i]),
            )
            for i in idx
        ]
    samples = f[f["sample"].notna()].groupby("agency")["sample_agencies"].max()
    fb.samples = {a: (None if n != n else int(n)) for a, n in samples.items()}
    plain = f["sample"].isna().to_numpy()
    names = f["agency"].to_numpy()
    for i in range(len(f)):
        if plain[i]:
            fb.ytd_agencies.setdefault(vint[i], set()).add(names[i])


def _read_daily(con: Any, fb: FactBase, core: list[str], skip: frozenset[str]) -> None:
    t = con.table("daily")
    span = t.group_by(["source", "agency"]).aggregate(a=t.day.min(), b=t.day.max()).to_pandas()
    for r in span.itertuples(index=False):
        if r.source not in skip:
            fb.daily_span[(r.source, r.agency)] = (_date(r.a), _date(r.b))
    t = t.filter(t.offense.isin(core))
    f = t.group_by(["source", "agency", "offense", "day"]).aggregate(n=t.n.sum()).to_pandas()
    f = f.sort_values("day")
    for (src, ag, off), g in f.groupby(["source", "agency", "offense"]):
        if src in skip:
            continue
        days = [_date(d) for d in g["day"]]
        cum = [0]
        for n in g["n"]:
            cum.append(cum[-1] + int(n))
        fb.daily[(src, ag, off)] = (days, cum)


def _read_populations(con: Any, fb: FactBase) -> None:
    f = con.table("populations").select("agency", "year", "population").to_pandas()
    for r in f.itertuples(index=False):
        if r.population == r.population and r.population:
            fb.populations.setdefault(r.agency, {})[int(r.year)] = int(r.population)


def _date(v: Any) -> dt.date:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    return v.date()
