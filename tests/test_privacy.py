"""Nothing public holds a raw point, a suppressed small count, or a sensitive location."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re

import duckdb
import pandas as pd
import pytest

from crimetrends.ingest.load import load_file
from crimetrends.publish.privacy import SENSITIVE_OFFENSES, Grid, PrivacyPolicy
from crimetrends.publish.tables import MAPPED_GROUPS, build_areas
from crimetrends.store.connect import connect

from .conftest import BUNDLE, FIXTURES

COORD = re.compile(r"-?\d{2,3}\.\d{5,}")


def public_text(site) -> str:
    parts = []
    for path in site.rglob("*"):
        if path.suffix in (".html", ".csv", ".json"):
            parts.append(path.read_text(encoding="utf-8"))
        elif path.suffix == ".parquet":
            parts.append(pd.read_parquet(path).to_csv(index=False))
    return "\n".join(parts)


def test_published_coordinates_are_grid_centres(public):
    tables, _ = public
    grid = tables["areas"][tables["areas"]["area_type"] == "grid"]
    assert len(grid) > 100
    policy = PrivacyPolicy()
    # Re-derive each agency's grid from its published cells and check every point is on it
    for agency, g in grid.groupby("agency"):
        ix_iy = g["area_id"].str.split("_", expand=True).astype(int)
        lat, lon = g["lat"].to_numpy(), g["lon"].to_numpy()
        origin_lat = lat[0] - (ix_iy[1].iloc[0] + 0.5) * Grid(0.0, 0.0, policy.cell_m).dlat
        dlon = Grid(origin_lat, 0.0, policy.cell_m).dlon
        origin_lon = lon[0] - (ix_iy[0].iloc[0] + 0.5) * dlon
        g_ = Grid(round(origin_lat, 6), round(origin_lon, 6), policy.cell_m)
        assert all(g_.is_centre(a, b) for a, b in zip(lat, lon, strict=True)), agency


def test_no_raw_incident_coordinate_appears_anywhere(site):
    text = public_text(site)
    numbers = set(re.findall(r"-?\d+\.\d+", text))  # every decimal number published
    raw = duckdb.sql(
        f"SELECT DISTINCT Latitude, Longitude FROM '{BUNDLE}/chicago_crimes_2017.parquet' "
        "WHERE Latitude IS NOT NULL"
    ).fetchall()
    assert len(raw) > 10_000
    leaked = [(lat, lon) for lat, lon in raw if lat in numbers or lon in numbers]
    assert leaked == []
    # nothing in any public file looks like a coordinate with 7+ decimals
    assert not re.search(r"-?\d{2,3}\.\d{7,}", text)


def test_small_counts_are_suppressed(public, site):
    tables, _ = public
    areas = tables["areas"]
    shown = areas["count"].dropna()
    assert (shown >= PrivacyPolicy().min_count).all()
    assert areas["suppressed"].any()
    assert areas.loc[areas["suppressed"], "count"].isna().all()
    published = pd.read_csv(site / "data" / "areas.csv")
    assert (published["count"].dropna() >= PrivacyPolicy().min_count).all()


def test_sensitive_offenses_are_never_mapped(empty_home, tmp_path):
    """A store holding only rape and domestic incidents yields no area rows at all."""
    with gzip.open(FIXTURES / "chicago_crimes_2024_sample.csv.gz", "rt", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        rows = [r for r in reader if r["FBI Code"] == "02" or r["Domestic"] == "true"]
        header = list(reader.fieldnames or [])
    assert len(rows) > 100
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=header, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path = tmp_path / "sensitive.csv"
    path.write_text(buf.getvalue())
    load_file(path, "chicago")
    areas = build_areas(connect(), frozenset(), PrivacyPolicy(min_count=1))
    assert areas.empty
    for members in MAPPED_GROUPS.values():
        assert not set(members) & SENSITIVE_OFFENSES


@pytest.mark.parametrize("name", ["areas.json", "trends.json", "monthly.json"])
def test_downloads_carry_provenance(site, name):
    body = json.loads((site / "data" / name).read_text())
    assert body["rows"]
    prov = body["provenance"]
    assert prov["privacy"]["min_count"] == PrivacyPolicy().min_count
    assert all(len(f["sha256"]) == 64 for s in prov["sources"] for f in s["files"])
