"""Publishing: the static site (`site build`) and the read-only JSON API (`serve`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from crimetrends.cli.application import app, group
from crimetrends.cli.output import console, progress

site_app = group("site", "The static public site.")


@site_app.command("build")
def site_build(
    out: Annotated[Path, typer.Argument(help="output folder")],
    min_count: Annotated[int | None, typer.Option(help="suppress area counts below this")] = None,
    cell_m: Annotated[float | None, typer.Option(help="grid cell size in metres")] = None,
) -> None:
    """Render a self-contained static site (no CDN, works offline) with downloads."""
    from crimetrends.publish.folders import build_atomically
    from crimetrends.publish.privacy import PrivacyPolicy
    from crimetrends.publish.site import build_site

    policy = PrivacyPolicy.from_settings(min_count=min_count, cell_m=cell_m)
    with progress() as bar:
        bar.add_task("building the site", total=None)
        stats = build_atomically(out, lambda tmp: build_site(tmp, policy))
    console.print(
        f"built {stats['pages']} pages and {stats['tables']} tables in {out}/ "
        f"(open {out}/index.html or serve the folder)",
        highlight=False,
    )


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="bind address")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port")] = 8000,
) -> None:
    """Serve the read-only JSON API (OpenAPI docs at /docs)."""
    from crimetrends.publish.api import serve as run

    run(host, port)
