"""The static public site: `build.py` renders `templates/` with the public tables and copies
`static/` (CSS, JS, vendored Vega) so the site works offline."""

from __future__ import annotations

from typing import Any


def build_site(*args: Any, **kwargs: Any) -> dict[str, int]:
    from crimetrends.publish.site.build import build_site as build

    return build(*args, **kwargs)
