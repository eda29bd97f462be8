"""Where every command's output goes: consoles, csv/json emission, progress, caveats.

Also the one error path: `fail` turns a library error into one line on stderr (and the JSON
error shape on stdout when the command was asked for JSON) with its exit code.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from crimetrends.cli.options import Format

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

    from crimetrends.errors import CrimetrendsError


class _LazyConsole:
    """A Rich console made on first use: `--help` and commands that only write JSON never
    pay for importing Rich (~35-55 ms of a cold start)."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Console | None = None

    def real(self) -> Console:
        """The console itself, for Rich objects that need one (progress bars)."""
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real(), name)


console: Any = _LazyConsole(width=None if sys.stdout.isatty() else 160)
err_console: Any = _LazyConsole(stderr=True)


@dataclass
class _Invocation:
    """What the parsed command line asked for (set by option callbacks, read on errors)."""

    json: bool = False


invocation = _Invocation()


def emit(fmt: Format, rows: list[dict[str, Any]], payload: Any = None) -> bool:
    """Write csv/json to stdout; return False when the caller should draw a table."""
    from crimetrends.render.records import to_csv, to_json

    if fmt is Format.json:
        sys.stdout.write(to_json(payload if payload is not None else {"rows": rows}) + "\n")
        return True
    if fmt is Format.csv:
        sys.stdout.write(to_csv(rows))
        return True
    return False


def progress(bar: bool = False) -> Progress:
    """Rich progress (with a bar and M/N when `bar`); silent when stderr is not a terminal."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    columns: list[Any] = [SpinnerColumn(), TextColumn("{task.description}")]
    if bar:
        columns += [BarColumn(), MofNCompleteColumn()]
    return Progress(
        *columns,
        TimeElapsedColumn(),
        console=err_console.real(),
        transient=True,
        disable=not err_console.is_terminal,
    )


def command_line() -> str:
    """The command as typed, for the head of a written report."""
    return " ".join(["crimetrends", *sys.argv[1:]])


def print_caveats() -> None:
    from crimetrends.render.caveats import MODEL_CAVEATS

    for c in MODEL_CAVEATS[:2]:
        console.print(f"[dim]{c}[/]", highlight=False)


def fail(exc: CrimetrendsError) -> int:
    """Report a known error the one way (stderr line; JSON shape if asked); its exit code."""
    from crimetrends.render.records import to_json

    if invocation.json:
        sys.stdout.write(to_json(exc.to_dict()) + "\n")
    hint = f" (hint: {exc.hint})" if exc.hint else ""
    err_console.print(f"[red]error:[/] {exc.message}{hint}", highlight=False, soft_wrap=True)
    return exc.exit_code


def crash(exc: BaseException) -> int:
    """An unexpected error: one line and exit code 70, or the traceback when debugging."""
    from crimetrends.settings import debug

    if debug():
        raise exc
    err_console.print(
        f"[red]internal error:[/] {type(exc).__name__}: {exc} "
        "(set CRIMETRENDS_DEBUG=1 for a traceback)",
        highlight=False,
    )
    return 70
