"""The bundled real data (`data/bundled`): which files, with which source, loaded in order."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from crimetrends.errors import InputFileError


def bundle_dir(data: Path | None = None) -> Path:
    """--data, else $CRIMETRENDS_BUNDLE, else the repository's data/bundled."""
    from crimetrends.settings import bundle_dir as from_settings

    candidates = [data, from_settings(), Path(__file__).resolve().parents[3] / "data" / "bundled"]
    for c in candidates:
        if c and (Path(c) / "bundle.toml").exists():
            return Path(c)
    raise InputFileError(
        "bundled data not found", hint="pass --data DIR (a folder holding bundle.toml)"
    )


def bundle_entries(folder: Path) -> list[dict[str, Any]]:
    spec = tomllib.loads((folder / "bundle.toml").read_text(encoding="utf-8"))
    return list(spec["files"])


def load_bundle(
    data: Path | None = None, each: Callable[[dict[str, Any]], None] | None = None
) -> tuple[Path, list[dict[str, Any]]]:
    """Load every bundled file (idempotent); `each(entry)` is called before each one."""
    from crimetrends.ingest.load import load_file

    folder = bundle_dir(data)
    manifests = []
    for entry in bundle_entries(folder):
        if each:
            each(entry)
        manifests.append(
            load_file(
                folder / entry["path"],
                entry["source"],
                sample=bool(entry.get("sample", False)),
                published=entry.get("published"),
            )
        )
    return folder, manifests
