"""The command line: `crimetrends COMMAND ...` (Typer).

Layout: `application.py` (the Typer app and its global options), `main.py` (entry point and the one
error path), `options.py` (options shared by commands, declared once), `output.py`
(consoles, csv/json, progress) and `commands/` (one module per command group). Commands
parse options, call the library, render; nothing heavy is imported until a command runs.
"""

from __future__ import annotations

from typing import Any


def main() -> None:
    from crimetrends.cli.main import main as run

    run()


def __getattr__(name: str) -> Any:
    if name == "app":
        from crimetrends.cli.main import build

        return build()
    raise AttributeError(name)
