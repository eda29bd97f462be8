"""The harmonized offense table (UCR Part I + NIBRS-style groups) and offense groups."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

from crimetrends.errors import NotFoundError

# The seven Part I offenses in UCR order (the two groups as offenses.csv defines them), and
# what the public tables, site and claim checker report: the two totals, then each offense.
# Constants, so that importing them reads no file; tests check them against offenses.csv.
VIOLENT = ("murder", "rape", "robbery", "aggravated_assault")
PROPERTY = ("burglary", "larceny", "motor_vehicle_theft")
PART_I = VIOLENT + PROPERTY
REPORTED_OFFENSES = ("violent", "property", *PART_I)

GROUP_LABELS = {
    "violent": "Violent crime (UCR Part I: murder, rape, robbery, aggravated assault)",
    "property": "Property crime (UCR Part I: burglary, larceny-theft, motor vehicle theft; "
    "arson excluded as in FBI totals)",
}


@dataclass(frozen=True)
class Offense:
    offense: str
    label: str
    group: str
    ucr_part: str
    nibrs: str
    definition: str


@cache
def offenses() -> dict[str, Offense]:
    path = resources.files("crimetrends.taxonomy") / "data" / "offenses.csv"
    with path.open(encoding="utf-8") as f:
        return {row["offense"]: Offense(**row) for row in csv.DictReader(f)}


def group_members(group: str) -> tuple[str, ...]:
    return tuple(o.offense for o in offenses().values() if o.group == group)


def resolve_offense(name: str) -> tuple[str, tuple[str, ...]]:
    """Return (offense or group name, member offenses) for a user's --offense value."""
    key = name.strip().lower().replace(" ", "_").replace("-", "_")
    aliases = {"homicide": "murder", "theft": "larceny", "agg_assault": "aggravated_assault"}
    key = aliases.get(key, key)
    if key in GROUP_LABELS:
        return key, group_members(key)
    if key in offenses():
        return key, (key,)
    choices = ", ".join([*GROUP_LABELS, *offenses()])
    raise NotFoundError(f"unknown offense {name!r}", hint=f"choose one of: {choices}")


def offense_label(name: str) -> str:
    if name in GROUP_LABELS:
        return GROUP_LABELS[name]
    return offenses()[name].label


def offense_definition(name: str) -> str:
    if name in GROUP_LABELS:
        members = "; ".join(
            f"{offenses()[m].label}: {offenses()[m].definition}" for m in group_members(name)
        )
        return f"{GROUP_LABELS[name]}. {members}"
    return offenses()[name].definition
