"""One exception root and one JSON error shape, shared by the CLI and (later) the API."""

from __future__ import annotations

from typing import Any


class CrimetrendsError(Exception):
    """Root of every error the library raises on purpose.

    `code` is a stable machine-readable name; `exit_code` is what the CLI returns.
    """

    code = "error"
    exit_code = 1

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
    code = "config_error"
    exit_code = 2


class UnknownSourceError(ConfigError):
    code = "unknown_source"


class RegistryError(ConfigError):
    code = "registry_error"


class CrosswalkError(ConfigError):
    code = "crosswalk_error"


class InputFileError(CrimetrendsError):
    """The input file cannot be read at all (missing, wrong format, wrong columns)."""

    code = "input_file_error"
    exit_code = 3


class LoadIntegrityError(CrimetrendsError):
    """rows_in != rows_kept + rows_quarantined: a bug, never silently accepted."""

    code = "load_integrity_error"
    exit_code = 4


class NotFoundError(CrimetrendsError):
    code = "not_found"
    exit_code = 5


class AmbiguousNameError(CrimetrendsError):
    code = "ambiguous_name"
    exit_code = 5


class NoDataError(CrimetrendsError):
    code = "no_data"
    exit_code = 6


class MissingPopulationError(CrimetrendsError):
    code = "missing_population"
    exit_code = 6
