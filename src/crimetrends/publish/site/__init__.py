"""The static public site, answer first, offline (vendored Vega, no CDN, no request out).

build.py renders and writes; data.py reads the public tables once (plus series.py: every
offense and the annual tables; districts.py: the district of each published grid cell);
overview.py, city.py (figures.py, city_charts.py, maps.py) and models.py build each page's
context; words.py says figures in words; guide.py explains every downloadable column.
templates/ holds the pages, static/ the CSS, site.js and the vendored Vega libraries.
"""

from __future__ import annotations

from typing import Any


def build_site(*args: Any, **kwargs: Any) -> dict[str, int]:
    from crimetrends.publish.site.build import build_site as build

    return build(*args, **kwargs)
