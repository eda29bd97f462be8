"""Every error crimetrends raises on purpose, each with its exit code and HTTP status.

The CLI turns one into a line on stderr (and the JSON shape with `--format json`) and exits
with `exit_code`; the API answers `http_status` with the same shape:

    {"error": {"code": "...", "message": "...", "hint": "...", "details": {...}}}

| class                | code                 | exit | HTTP |
|----------------------|----------------------|------|------|
| ConfigError          | config_error         | 2    | 400  |
| UnknownSourceError   | unknown_source       | 2    | 404  |
| RegistryError        | registry_error       | 2    | 500  |
| CrosswalkError       | crosswalk_error      | 2    | 500  |
| InputFileError       | input_file_error     | 3    | 400  |
| InputTooLargeError   | input_too_large      | 3    | 413  |
| LoadIntegrityError   | load_integrity_error | 4    | 500  |
| StoreBusyError       | store_busy           | 4    | 503  |
| NotFoundError        | not_found            | 5    | 404  |
| AmbiguousNameError   | ambiguous_name       | 5    | 409  |
| NoDataError          | no_data              | 6    | 404  |
| MissingPopulationError | missing_population | 6    | 404  |
| PortalError          | portal_error         | 7    | 502  |
| SchemaDriftError     | schema_drift         | 7    | 502  |
| TimeBudgetError      | time_budget          | 8    | 503  |
"""

from __future__ import annotations

from typing import Any


class CrimetrendsError(Exception):
    """Root of every error the library raises on purpose.

    `code` is a stable machine-readable name; `exit_code` is what the CLI returns;
    `http_status` is what the API answers.
    """

    code = "error"
    exit_code = 1
    http_status = 500

    def __init__(self, message: str, *, hint: str | None = None, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.hint:
            body["hint"] = self.hint
        if self.details:
            body["details"] = self.details
        return {"error": body}


class ConfigError(CrimetrendsError):
    """A setting, option or argument is wrong."""

    code = "config_error"
    exit_code = 2
    http_status = 400


class UnknownSourceError(ConfigError):
    code = "unknown_source"
    http_status = 404


class RegistryError(ConfigError):
    """A registry entry (source catalog, initiative) is malformed: the installation's fault."""

    code = "registry_error"
    http_status = 500


class CrosswalkError(ConfigError):
    code = "crosswalk_error"
    http_status = 500


class InputFileError(CrimetrendsError):
    """The input file cannot be read at all (missing, wrong format, wrong columns)."""

    code = "input_file_error"
    exit_code = 3
    http_status = 400


class InputTooLargeError(InputFileError):
    code = "input_too_large"
    http_status = 413


class LoadIntegrityError(CrimetrendsError):
    """rows_in != rows_kept + rows_quarantined, or a store that fails `verify`: never accepted."""

    code = "load_integrity_error"
    exit_code = 4
    http_status = 500


class StoreBusyError(CrimetrendsError):
    """Another process holds the store's write lock."""

    code = "store_busy"
    exit_code = 4
    http_status = 503


class NotFoundError(CrimetrendsError):
    code = "not_found"
    exit_code = 5
    http_status = 404


class AmbiguousNameError(CrimetrendsError):
    code = "ambiguous_name"
    exit_code = 5
    http_status = 409


class NoDataError(CrimetrendsError):
    code = "no_data"
    exit_code = 6
    http_status = 404


class MissingPopulationError(CrimetrendsError):
    code = "missing_population"
    exit_code = 6
    http_status = 404


class PortalError(CrimetrendsError):
    """A live portal or download failed (after retries)."""

    code = "portal_error"
    exit_code = 7
    http_status = 502


class SchemaDriftError(PortalError):
    code = "schema_drift"


class TimeBudgetError(CrimetrendsError):
    """Work stopped at its time budget (e.g. a claim check of a very long text)."""

    code = "time_budget"
    exit_code = 8
    http_status = 503


def all_errors() -> list[type[CrimetrendsError]]:
    """Every error class (for the documentation and the error-shape tests)."""
    out: list[type[CrimetrendsError]] = []
    todo: list[type[CrimetrendsError]] = [CrimetrendsError]
    while todo:
        cls = todo.pop()
        out.append(cls)
        todo.extend(cls.__subclasses__())
    return out
