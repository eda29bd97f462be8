"""Publish a folder whole or not at all (the static site).

The site is built in a sibling folder, then swapped in by two renames; a build killed
half-way leaves the published folder as it was. An existing folder is replaced only when
an earlier build made it (it carries the marker file) or it is empty: `site build` never
deletes someone else's files.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from crimetrends.errors import ConfigError

MARKER = ".crimetrends-site"
T = TypeVar("T")


def build_atomically(out: Path, build: Callable[[Path], T]) -> T:
    """`build(tmp)` into a fresh sibling folder, then make it `out` in one step."""
    out = out.resolve()
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        raise ConfigError(
            f"{out} exists and was not made by `crimetrends site build`",
            hint="choose an empty or new folder; nothing in it was changed",
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    tag = secrets.token_hex(4)
    tmp = out.with_name(f".{out.name}.building-{tag}")
    for stale in out.parent.glob(f".{out.name}.building-*"):
        shutil.rmtree(stale, ignore_errors=True)  # left by a build that was killed
    tmp.mkdir()
    try:
        result = build(tmp)
        (tmp / MARKER).write_text("built by crimetrends site build\n")
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = out.with_name(f".{out.name}.old-{tag}")
    if out.exists():
        os.replace(out, old)
    os.replace(tmp, out)
    shutil.rmtree(old, ignore_errors=True)
    return result
