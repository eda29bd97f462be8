"""Registry entries are validated with messages naming the file and key."""

from __future__ import annotations

import pytest

from crimetrends.errors import RegistryError, UnknownSourceError
from crimetrends.sources.registry import all_sources, get_source, parse_source

BASE = {
    "name": "x",
    "title": "t",
    "kind": "incidents",
    "publisher": "p",
    "url": "u",
    "counting_unit": "incident",
    "date_basis": "occurrence",
    "crosswalk": "chicago.csv",
    "agency": "Chicago, Illinois",
    "code_columns": ["IUCR"],
    "columns": {"record_id": "ID", "occurred": {"column": "Date", "formats": ["%Y"]}},
}


def test_all_shipped_entries_are_valid_and_document_unit_and_date_basis():
    specs = all_sources()
    assert {"chicago", "nypd", "lapd", "rtci", "ucr_annual", "lapd_annual"} <= set(specs)
    for spec in specs.values():
        assert spec.counting_unit and spec.date_basis and spec.url


@pytest.mark.parametrize(
    "change,match",
    [
        ({"kind": "weird"}, "kind must be one of"),
        ({"columns": {"record_id": "ID"}}, r"incidents need \[columns\].occurred"),
        ({"colour": "blue"}, "unknown keys"),
        ({"code_patterns": ["a", "b"]}, "code_patterns must match"),
        ({"columns": {**BASE["columns"], "speed": "x"}}, "unknown incident fields"),
        ({"agency": None}, "need an agency constant"),
        ({"columns": {**BASE["columns"], "agency": "city"}}, "needs an \\[agency_names\\]"),
        ({"complete_span": ["2015-13", "2015-12"]}, "complete_span must be"),
        ({"complete_span": ["2016-01", "2015-12"]}, "complete_span must be"),
    ],
)
def test_bad_entries_fail_clearly(change, match):
    with pytest.raises(RegistryError, match=match):
        parse_source({**BASE, **change}, "x.toml")


def test_unknown_source_lists_the_registered_ones():
    with pytest.raises(UnknownSourceError) as err:
        get_source("atlantis")
    assert "chicago" in (err.value.hint or "")


@pytest.mark.parametrize(
    "change,match",
    [
        ({"digits": {"IUCR": -1}}, r"\[digits\].IUCR must be a width"),
        ({"digits": {"IUCR": "4"}}, r"\[digits\].IUCR must be a width"),
        ({"header_variants": {"x": {"colour": 1}}}, "expected keys title, based_on, columns"),
        ({"header_variants": {"x": {"based_on": "nowhere"}}}, "based_on an earlier variant"),
        ({"header_variants": {"export": {}}}, "a new name"),
        ({"header_variants": {"x": {"columns": {"ID": []}}}}, "needs a spelling"),
    ],
)
def test_bad_reading_declarations_fail_clearly(change, match):
    with pytest.raises(RegistryError, match=match):
        parse_source({**BASE, **change}, "x.toml")


def test_header_variants_are_export_api_and_the_declared_ones():
    lapd, nypd = get_source("lapd"), get_source("nypd")
    assert [v.name for v in lapd.header_variants] == ["export", "api"]
    assert lapd.spellings("api", "Rpt Dist No") == ("rpt_dist_no",)
    assert lapd.spellings("export", "Rpt Dist No") == ("Rpt Dist No",)
    # a declared variant spells what it changes and inherits the rest from its base
    assert nypd.spellings("flattened", "Latitude") == ("lat_lon.latitude",)
    assert nypd.spellings("flattened", "KY_CD") == ("ky_cd",)
    # no square brackets in what an error line shows (the CLI reads them as markup)
    for spec in all_sources().values():
        assert all("[" not in v.title for v in spec.header_variants)


# the real files each incident source publishes (bundled copies of ../shared/data)
REAL_FILES = {
    "lapd": ["data/bundled/lapd_crimes_2020_sample.csv.gz"],
    "chicago": [f"data/bundled/chicago_crimes_{y}.parquet" for y in (2014, 2015, 2016, 2017)]
    + ["tests/fixtures/chicago_crimes_2024_sample.csv.gz"],
    "nypd": [
        "data/bundled/nypd_complaints_sample_2010.csv.gz",
        "data/bundled/nypd_complaints_sample_2015.csv.gz",
    ],
}


@pytest.mark.parametrize("source", list(REAL_FILES))
def test_declared_digit_widths_change_nothing_in_the_published_files(source):
    """[digits] may only undo a re-save: on every published file each declared column's
    values already have the declared form, so restoring them is the identity (1.1M rows)."""
    import duckdb

    from crimetrends.ingest.fields import restore_digits_sql

    from .conftest import ROOT

    spec = get_source(source)
    assert spec.digits
    con = duckdb.connect()
    for rel in REAL_FILES[source]:
        path = str(ROOT / rel)
        src = (
            f"read_parquet('{path}')"
            if rel.endswith(".parquet")
            else (f"read_csv('{path}', all_varchar = true)")
        )
        checks = ", ".join(
            f"count(*) FILTER (WHERE {restore_digits_sql(f'{chr(34)}{c}{chr(34)}', w)} "
            f'IS DISTINCT FROM "{c}")'
            for c, w in spec.digits.items()
        )
        changed = con.execute(f"SELECT count(*), {checks} FROM {src}").fetchone()
        assert changed[0] > 2000 and not any(changed[1:]), (rel, changed)
