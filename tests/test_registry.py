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
