"""The Typer app and its global options; commands register on it from `cli/commands/`."""

from __future__ import annotations

from typing import Annotated

import typer

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain (click) help and usage errors: Rich-rendered help imports rich.markdown and
    # markdown-it, 0.17-0.2 s of every `--help` on this machine, for panels around the text.
    rich_markup_mode=None,
    help="Crime trend figures with definitions, sources and 95% intervals.",
)


def _check_engine(value: str | None) -> str | None:
    if value is not None:
        from crimetrends.store.engines import get_engine

        get_engine(value)  # an unknown name fails with the registered ones
    return value


@app.callback()
def _global(
    engine: Annotated[
        str | None,
        typer.Option(
            "--engine",
            help="where row-level work runs: duckdb or spark (default: $CRIMETRENDS_ENGINE, "
            "else duckdb)",
            callback=_check_engine,
        ),
    ] = None,
) -> None:
    """Crime trend figures with definitions, sources and 95% intervals."""
    from crimetrends.settings import override

    override(engine=engine.lower() if engine else None)  # this invocation only


def group(name: str, help_text: str) -> typer.Typer:
    """A sub-command group (`crimetrends NAME ...`) registered on the app."""
    sub = typer.Typer(help=help_text, no_args_is_help=True, rich_markup_mode=None)
    app.add_typer(sub, name=name)
    return sub
