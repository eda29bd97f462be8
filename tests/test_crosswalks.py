"""Crosswalk files are valid and resolve the most specific row; unknown codes stay unmapped."""

from __future__ import annotations

import pytest

from crimetrends.errors import CrosswalkError
from crimetrends.sources.registry import all_sources
from crimetrends.taxonomy import harmonize
from crimetrends.taxonomy.harmonize import load_crosswalk
from crimetrends.taxonomy.offenses import (
    PART_I,
    PROPERTY,
    REPORTED_OFFENSES,
    VIOLENT,
    group_members,
    offenses,
    resolve_offense,
)


def test_every_registered_crosswalk_loads_and_names_known_offenses():
    for spec in all_sources().values():
        if spec.crosswalk:
            cw = load_crosswalk(spec.crosswalk)
            assert cw.rows
            assert {r.offense for r in cw.rows} <= set(offenses())
            assert cw.version.startswith(cw.name + "@")


@pytest.mark.parametrize(
    "crosswalk,code,offense,match",
    [
        ("chicago.csv", "0110|01A", "murder", "exact"),
        ("chicago.csv", "0486|08B", "simple_assault", "exact"),
        ("chicago.csv", "0000|04A", "aggravated_assault", "fallback"),  # new IUCR, known FBI code
        ("chicago.csv", "0000|99", None, "unmapped"),
        ("nypd.csv", "116|168", "rape", "exact"),  # forcible sodomy: revised rape definition
        ("nypd.csv", "116|177", "other_sex_offense", "fallback"),
        ("nypd.csv", "101|", "murder", "fallback"),  # murder has no PD_CD
        ("nypd.csv", "999|100", None, "unmapped"),
        ("lapd.csv", "761", "aggravated_assault", "exact"),
        ("lapd.csv", "330", "larceny", "exact"),
        ("lapd.csv", "999", None, "unmapped"),
    ],
)
def test_resolution(crosswalk, code, offense, match):
    got, kind, _ = load_crosswalk(crosswalk).resolve(code)
    assert (got, kind) == (offense, match)


def test_groups_follow_ucr_part_one():
    assert set(group_members("violent")) == {"murder", "rape", "robbery", "aggravated_assault"}
    assert set(group_members("property")) == {"burglary", "larceny", "motor_vehicle_theft"}
    assert resolve_offense("Homicide") == ("murder", ("murder",))
    # the constant list the tables report is the CSV's Part I, in the CSV's order
    assert group_members("violent") == VIOLENT and group_members("property") == PROPERTY
    assert group_members("violent") + group_members("property") == PART_I
    assert {o.offense for o in offenses().values() if o.ucr_part == "1"} >= set(PART_I)
    assert ("violent", "property", *PART_I) == REPORTED_OFFENSES


def test_bad_crosswalk_is_rejected(tmp_path, monkeypatch):
    folder = tmp_path / "data" / "crosswalks"
    folder.mkdir(parents=True)
    (folder / "bad.csv").write_text("code,description,offense,rule\nX,desc,not_an_offense,r\n")
    monkeypatch.setattr(harmonize.resources, "files", lambda _pkg: tmp_path)
    load_crosswalk.cache_clear()
    try:
        with pytest.raises(CrosswalkError, match="unknown offense 'not_an_offense'"):
            load_crosswalk("bad.csv")
    finally:
        load_crosswalk.cache_clear()
