"""Entry point: build the app from its command modules; map every error the one way."""

from __future__ import annotations

import sys
from importlib import import_module
from typing import Any

# Command groups, one module each under crimetrends.cli.commands (registered on import).
COMMAND_MODULES = ("store", "trends", "claims", "models", "impact", "publish", "demo")


def build() -> Any:
    from crimetrends.cli.application import app

    for name in COMMAND_MODULES:
        import_module(f"crimetrends.cli.commands.{name}")
    return app


def main(argv: list[str] | None = None) -> None:
    """Run the CLI: known errors become one line (or the JSON error shape), not tracebacks."""
    from crimetrends.cli.output import crash, err_console, fail
    from crimetrends.errors import CrimetrendsError

    app = build()
    try:
        app(args=argv)
    except CrimetrendsError as exc:
        sys.exit(fail(exc))
    except KeyboardInterrupt:
        err_console.print("interrupted")
        sys.exit(130)
    except Exception as exc:
        sys.exit(crash(exc))
