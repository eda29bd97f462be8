"""The public tables on disk ($CRIMETRENDS_HOME/public), rebuilt when the store changes."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pandas as pd

from crimetrends import __version__
from crimetrends.publish.privacy import PrivacyPolicy
from crimetrends.publish.tables import TABLES, build_tables, write_tables
from crimetrends.settings import Settings, get_settings
from crimetrends.store.catalog import loads
from crimetrends.store.connect import connect


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
    settings: Settings | None = None, policy: PrivacyPolicy | None = None
) -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
    settings = settings or get_settings()
    policy = policy or PrivacyPolicy.from_settings()
    folder: Path = settings.home / "public"
    sig = signature(settings, policy)
    marker = folder / "signature.txt"
    if marker.exists() and marker.read_text() == sig:
        tables = {name: pd.read_parquet(folder / f"{name}.parquet") for name in TABLES}
        prov = json.loads((folder / "provenance.json").read_text())
        return tables, prov
    tables, prov = build_tables(connect(settings), policy)
    write_tables(tables, prov, folder)
    marker.write_text(sig)
    return tables, prov


def store_signature(settings: Settings | None = None) -> str:
    """The signature of the store's loads under the default privacy policy."""
    return signature(settings or get_settings(), PrivacyPolicy.from_settings())
