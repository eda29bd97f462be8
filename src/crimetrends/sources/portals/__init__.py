"""Portal connectors, registered by the `kind` of a source's `[portal]` entry.

Adding a portal is one module with a `Portal` subclass and one line here.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from crimetrends.errors import ConfigError

if TYPE_CHECKING:
    from crimetrends.sources.portals.base import Portal
    from crimetrends.sources.registry import SourceSpec

BUILTIN_PORTALS = {
    "socrata": "crimetrends.sources.portals.socrata:SocrataPortal",
    "arcgis": "crimetrends.sources.portals.arcgis:ArcGISPortal",
    "cde": "crimetrends.sources.portals.cde:CDEPortal",
    "file": "crimetrends.sources.portals.files:FilePortal",
}


def portal_class(kind: str) -> type[Portal]:
    target = BUILTIN_PORTALS.get(kind)
    if target is None:
        raise ConfigError(
            f"unknown portal kind {kind!r}", hint=f"one of {', '.join(BUILTIN_PORTALS)}"
        )
    module, cls = target.split(":")
    return getattr(import_module(module), cls)


def portal_for(
    spec: SourceSpec, base_url: str | None = None, page_size: int = 1000, **options: Any
) -> Portal:
    """The connector a source's `[portal]` entry names, pointed at `base_url` if given."""
    if not spec.portal:
        raise ConfigError(f"source {spec.name!r} has no [portal] entry")
    return portal_class(spec.portal.get("kind", "")).from_spec(spec, base_url, page_size, **options)
