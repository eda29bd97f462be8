"""city/<slug>.html and its CSVs for every agency, on up to two processes.

After the whole-table work (`prepare.py`) each page is independent of the others, so the
pages are split between forked workers that inherit the prepared data (nothing is pickled
but a page count back). Where fork is not available, or with one core, they are written in
this process. A worker's exception fails the build like any other.
"""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path
from typing import Any

WORKERS = 2  # the demo machine's cores; more gains little on 800 small pages

_JOB: dict[str, Any] = {}  # what forked workers inherit


def write_city_pages(env: Any, out: Path, common: dict[str, Any], data: Any, prep: Any) -> int:
    cities = data.tables["cities"].to_dict("records")
    (out / "city").mkdir(exist_ok=True)
    _JOB.update(env=env, out=out, common=common, data=data, prep=prep, cities=cities)
    try:
        workers = min(WORKERS, os.cpu_count() or 1, len(cities))
        if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return _write_share(0, 1)
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return sum(pool.starmap(_write_share, [(i, workers) for i in range(workers)]))
    finally:
        _JOB.clear()


def _write_share(index: int, of: int) -> int:
    """Every `of`-th city from `index` on: page context, CSVs, HTML."""
    from crimetrends.publish.site.city import city_context, write_downloads

    env, out, common = _JOB["env"], _JOB["out"], _JOB["common"]
    data, prep = _JOB["data"], _JOB["prep"]
    template = env.get_template("city.html")
    mine = _JOB["cities"][index::of]
    for c in mine:
        ctx = city_context(c, data, prep)
        ctx["downloads"] = write_downloads(out, ctx, prep)
        html = template.render(**common, root="../", title=c["agency"], **ctx)
        (out / "city" / f"{c['slug']}.html").write_text(html, encoding="utf-8")
    return len(mine)
