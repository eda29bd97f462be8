"""The public tables on disk ($CRIMETRENDS_HOME/public), rebuilt when the store changes.

Reading the cache imports neither the table builders nor what they use (SciPy, Ibis):
the cache folder lists its own tables (`tables.txt`), so a site build or the API starting
on a cached store pays only for pandas and Parquet.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from crimetrends import __version__
from crimetrends.publish.privacy import PrivacyPolicy
from crimetrends.settings import Settings, get_settings
from crimetrends.store.catalog import loads


def signature(settings: Settings, policy: PrivacyPolicy) -> str:
    """Changes whenever the store commits, the code version or the privacy policy changes."""
    from crimetrends.store.connect import layout

    lay = layout(settings)
    number = lay.version_number()
    committed = lay.version(number).committed_at if number else ""
    ids = sorted(f"{m['source']}:{m['load_id']}:{m.get('loaded_at')}" for m in loads(settings))
    raw = json.dumps([number, committed, ids, __version__, policy.describe()], sort_keys=True)
    return hashlib.sha256(raw.encode()).hexdigest()


def public_tables(
    settings: Settings | None = None,
    policy: PrivacyPolicy | None = None,
    con: Any = None,
    series: bool = False,
) -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
    """The public tables of the store as it is now, under `policy`, cached on disk.

    The cache folder is named by the signature (store version, code, privacy policy) and
    made whole before it is renamed into place, so an interrupted build is never read and a
    build under another policy never serves this one's tables. `series`: the caller (the
    site) charts every offense's series next; a build computes some of them beside the
    tables and leaves them remembered by `con` (`publish.helper`).
    """
    import shutil

    settings = settings or get_settings()
    policy = policy or PrivacyPolicy.from_settings()
    root: Path = settings.home / "public"
    sig = signature(settings, policy)
    folder = root / sig[:32]
    if (folder / "complete").exists():
        names = _table_names(folder)
        tables = {name: pd.read_parquet(folder / f"{name}.parquet") for name in names}
        prov = json.loads((folder / "provenance.json").read_text())
        return tables, prov
    from crimetrends.publish.tables import TABLES, build_tables, write_tables
    from crimetrends.store.connect import connect

    # `con`: a batch handle the caller goes on asking (the site's charts reuse its series)
    built, prov = build_tables(con or connect(settings, batch=True), policy, series=series)
    tables = {name: built[name] for name in TABLES}  # the order a cached read gives
    tmp = root / f".{sig[:32]}.{os.getpid()}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    write_tables(tables, prov, tmp)
    (tmp / "tables.txt").write_text("\n".join(tables) + "\n")
    (tmp / "complete").write_text(sig)
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(tmp, folder)
    for old in root.iterdir():  # earlier signatures and abandoned builds
        if old != folder and old.is_dir() and (old.name.startswith(".") or len(old.name) == 32):
            shutil.rmtree(old, ignore_errors=True)
    return tables, prov


def _table_names(folder: Path) -> list[str]:
    """The tables a complete cache folder holds, in their order (the builder's list for a
    folder written before the list was kept)."""
    listed = folder / "tables.txt"
    if listed.exists():
        return listed.read_text().split()
    from crimetrends.publish.tables import TABLES

    return list(TABLES)


def public_folder(settings: Settings | None = None, policy: PrivacyPolicy | None = None) -> Path:
    """The cache folder of the store as it is now (made whole by `public_tables` first)."""
    settings = settings or get_settings()
    policy = policy or PrivacyPolicy.from_settings()
    return settings.home / "public" / signature(settings, policy)[:32]


def cached_frame(folder: Path, name: str, build: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """A frame derived from the public tables' store, kept beside them in `folder` (so it
    is rebuilt when they are, and read in a blink in between); written whole, then renamed."""
    path = folder / f"{name}.parquet"
    if path.exists():
        return pd.read_parquet(path)
    frame = build()
    tmp = folder / f".{name}.{os.getpid()}.tmp"
    frame.to_parquet(tmp, index=False)
    os.replace(tmp, path)
    return frame


def store_version(settings: Settings | None = None) -> str:
    """A cheap key of what the store holds now: its version number and commit time (one
    small file read per call), with the code version and the default privacy policy."""
    from crimetrends.store.connect import layout

    lay = layout(settings or get_settings())
    number = lay.version_number()
    committed = lay.committed_at(number) if number else str(len(lay.manifests()))
    policy = PrivacyPolicy.from_settings()
    return f"{number}:{committed}:{__version__}:{policy.min_count}:{policy.cell_m}"
