"""Nothing public holds a raw point, a suppressed small count, or a sensitive location."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re

import duckdb
import numpy as np
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


@pytest.mark.slow
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


@pytest.mark.slow
def test_small_counts_are_not_listed_at_all(public, site, store):
    """No published area has fewer than min_count incidents, and a withheld one is not
    listed (a listed centre with a blank count would still say '1–4 incidents here')."""
    tables, _ = public
    areas = tables["areas"]
    assert areas["count"].notna().all() and (areas["count"] >= PrivacyPolicy().min_count).all()
    assert not areas["suppressed"].any()
    published = pd.read_csv(site / "data" / "areas.csv")
    assert published["count"].notna().all()
    assert (published["count"] >= PrivacyPolicy().min_count).all()
    # and areas were withheld: with a threshold of 1 the same build lists more of them
    everything = build_areas(connect(), frozenset(), PrivacyPolicy(min_count=1))
    assert len(everything) > len(areas) and (everything["count"] < 5).sum() > 0


@pytest.mark.slow
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


def _gaussian_matrix(xy_cells: np.ndarray, sigma_cells: float) -> np.ndarray:
    """The blur `density.smooth` applies, as a matrix over the cells (what an attacker knows:
    the method and bandwidth are published in the docs)."""
    from scipy.ndimage import gaussian_filter

    ny, nx = xy_cells[:, 0].max() + 1, xy_cells[:, 1].max() + 1
    out = np.zeros((len(xy_cells), len(xy_cells)))
    index = {(int(y), int(x)): i for i, (y, x) in enumerate(xy_cells)}
    for j, (y, x) in enumerate(xy_cells):
        unit = np.zeros((ny, nx))
        unit[y, x] = 1.0
        blurred = gaussian_filter(unit, sigma=sigma_cells, mode="constant", truncate=4)
        for (yy, xx), i in index.items():
            out[i, j] = blurred[yy, xx]
    return out


@pytest.fixture(scope="module")
def hotspot_robbery(bundle_home):
    from crimetrends.spatial.maps import hotspot_map

    from .conftest import home_env

    with home_env(bundle_home):
        return hotspot_map(connect(), "chicago", "robbery", 2016, 500.0, permutations=99, seed=3)


def test_inverting_the_private_density_recovers_small_counts(hotspot_robbery):
    """The attack works on what we keep private: the density surface solves back exactly."""
    cells = hotspot_robbery.cells
    ixy = cells["cell"].str.split("_", expand=True).astype(int).to_numpy()[:, ::-1]  # (iy, ix)
    by_cell = {tuple(c): i for i, c in enumerate(ixy)}
    # a 12 x 12 window inside the study area (every cell of it has a published density)
    centre = np.median(ixy, axis=0).astype(int)
    lo = next(
        centre + d
        for d in ((dy, dx) for dy in range(-15, 15) for dx in range(-15, 15))
        if all((centre[0] + d[0] + a, centre[1] + d[1] + b) in by_cell
               for a in range(12) for b in range(12))
    )  # fmt: skip
    window = [by_cell[(lo[0] + a, lo[1] + b)] for a in range(12) for b in range(12)]
    local = ixy[window] - lo
    a = _gaussian_matrix(local, sigma_cells=250.0 / 500.0) / 0.25  # per km², 500 m cells
    recovered = np.linalg.solve(a, cells["density_per_km2"].to_numpy()[window])
    truth = cells["count"].to_numpy()[window]
    # cells outside the window spill into its edge: judge the inner 8 x 8
    inner = (local[:, 0] >= 2) & (local[:, 0] < 10) & (local[:, 1] >= 2) & (local[:, 1] < 10)
    small = inner & (truth > 0) & (truth < 5)
    assert small.sum() > 0
    assert np.abs(np.rint(recovered[inner]) - truth[inner]).max() == 0


def _public_cell_records(roots) -> list[dict]:
    """Every record with a cell id or centre in every public JSON output."""
    found = []
    for root in roots:
        for path in root.rglob("*.json"):
            body = json.loads(path.read_text())
            stack = [body]
            while stack:
                node = stack.pop()
                if isinstance(node, dict):
                    if ("lat" in node and "lon" in node) or "cell" in node:
                        found.append(node)
                    stack.extend(node.values())
                elif isinstance(node, list):
                    stack.extend(node)
    return found


@pytest.mark.slow
def test_no_public_output_can_be_inverted(hotspot_robbery, bundle_home, site, tmp_path):
    """Public outputs list no cell below min_count and carry nothing computed from the
    neighbours' counts, so neither the deconvolution above nor a Gi* solve has an input."""
    from crimetrends.publish.privacy import DERIVED_CELL_FIELDS
    from crimetrends.spatial.maps import save_public

    from .conftest import home_env

    with home_env(tmp_path):
        path = save_public(hotspot_robbery, PrivacyPolicy())
    assert path is not None
    records = _public_cell_records([site, path.parent])
    assert len(records) > 1000
    min_count = PrivacyPolicy().min_count
    for rec in records:
        assert not set(rec) & set(DERIVED_CELL_FIELDS), sorted(rec)
        if rec.get("count") is not None:
            assert rec["count"] >= min_count, rec
        else:
            pytest.fail(f"a listed cell without a count: {rec}")
    saved = json.loads(path.read_text())
    assert saved["summary"]["cells_withheld"] > 0
    assert len(saved["cells"]) == saved["summary"]["public_cells"]


def test_finer_cells_than_the_public_grid_are_not_published(hotspot_robbery, tmp_path):
    from dataclasses import replace

    from crimetrends.spatial.maps import save_public

    from .conftest import home_env

    fine = replace(hotspot_robbery, summary={**hotspot_robbery.summary, "cell_m": 250.0})
    with home_env(tmp_path):
        assert save_public(fine, PrivacyPolicy()) is None
        assert not (tmp_path / "results").exists()


def test_one_withheld_area_is_never_alone(store):
    """Where a total is published, one withheld district would be the total minus the
    rest: a second area is withheld with it."""
    policy = PrivacyPolicy()
    frame = pd.DataFrame({"g": ["a"] * 4 + ["b"] * 3, "count": [3, 50, 7, 9, 40, 41, 42]})
    kept = policy.publishable(frame, by=["g"])
    assert kept[kept.g == "a"]["count"].tolist() == [50, 9]  # 3 withheld, and 7 with it
    assert kept[kept.g == "b"]["count"].tolist() == [40, 41, 42]


def test_domestic_codes_are_never_mapped_whatever_the_flag(empty_home, tmp_path):
    """Aggravated domestic battery (IUCR 0488/0496/0497/0498) with Domestic=false stays off
    the maps: the code means domestic violence."""
    with gzip.open(FIXTURES / "chicago_crimes_2024_sample.csv.gz", "rt", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        header = list(reader.fieldnames or [])
        rows = [r for r in reader if r["IUCR"] in ("0488", "0496", "0497", "0498")]
    assert rows
    for r in rows:
        r["Domestic"] = "false"  # the transformation a mislabelled export makes
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=header, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path = tmp_path / "domestic_codes.csv"
    path.write_text(buf.getvalue())
    load_file(path, "chicago")
    assert build_areas(connect(), frozenset(), PrivacyPolicy(min_count=1)).empty
