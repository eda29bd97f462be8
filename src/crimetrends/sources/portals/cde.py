"""FBI Crime Data Explorer connector: agency monthly offenses known to police (SRS summaries).

One request per agency (ORI) and offense: `/summarized/agency/{ORI}/{offense}?from=MM-YYYY
&to=MM-YYYY`. The answer carries the agency's monthly counts under
`offenses.actuals["<Agency> Offenses"]` (older vintages call it `counts`), its clearances,
state and national rates, and populations. A request is one page: the checkpoint records the
last finished (ORI, offense), so a killed fetch resumes with the next one.

api.usa.gov needs a data.gov key (FBI_CDE_API_KEY); the CDE web app's own host
(https://cde.ucr.cjis.gov/LATEST) answers the same routes without one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar
from urllib.parse import urlparse

from crimetrends.errors import ConfigError, PortalError, SchemaDriftError
from crimetrends.reference import states
from crimetrends.sources.portals.base import Portal

SRS_OFFENSES = ("HOM", "RPE", "ROB", "ASS", "BUR", "LAR", "MVT", "ARS")
MONTH = re.compile(r"^(0[1-9]|1[0-2])-\d{4}$")
KEYED_HOSTS = {"api.usa.gov"}


def _one_series(block: dict[str, Any], suffix: str, where: str) -> tuple[str, dict] | None:
    """The single '<Agency> <suffix>' series of a block; none → None; several → drift."""
    names = [k for k in block if k.endswith(f" {suffix}")]
    if not names:
        return None
    if len(names) > 1:
        raise SchemaDriftError(
            f"{where}: expected one agency series '… {suffix}', got {sorted(names)}",
            hint="the CDE answer changed shape; check the connector against a fresh response",
        )
    series = block[names[0]]
    if not isinstance(series, dict):
        raise SchemaDriftError(f"{where}: series {names[0]!r} is not a month → value object")
    return names[0].removesuffix(f" {suffix}"), series


def parse_agency_response(body: Any, where: str) -> tuple[str, list[dict[str, Any]]] | None:
    """(CDE agency name, one row per month) from a summarized/agency answer, or None if empty.

    A month listed without a value (the FBI has not received it) is kept with actual=None,
    so the loader quarantines it with a reason instead of reading it as zero.
    """
    if not isinstance(body, dict) or not isinstance(body.get("offenses"), dict):
        raise SchemaDriftError(
            f"{where}: the answer has no 'offenses' object",
            hint="the CDE answer changed shape; check the connector against a fresh response",
        )
    offenses = body["offenses"]
    actuals = offenses.get("actuals", offenses.get("counts")) or {}
    found = _one_series(actuals, "Offenses", where)
    if found is None:
        return None
    name, series = found
    cleared = (_one_series(actuals, "Clearances", where) or ("", {}))[1]
    population = ((body.get("populations") or {}).get("population") or {}).get(name, {})
    rows = []
    for month, value in sorted(series.items(), key=lambda kv: kv[0][3:] + kv[0][:2]):
        if not MONTH.match(month):
            raise SchemaDriftError(f"{where}: month key {month!r} is not MM-YYYY")
        rows.append(
            {
                "month": month,
                "actual": value,
                "cleared": cleared.get(month),
                "population": population.get(month),
            }
        )
    return name, rows


@dataclass
class CDEPortal(Portal):
    """`base_url`: the API root (…/crime/fbi/cde or …/LATEST); `agencies`: ORI → our name.

    A None name is filled from the CDE's own agency name and the ORI's state.
    """

    agencies: dict[str, str | None] = field(default_factory=dict)
    offenses: tuple[str, ...] = SRS_OFFENSES
    start: str = "01-2018"
    end: str = "12-2024"
    key_env: str = "FBI_CDE_API_KEY"

    kind: ClassVar[str] = "cde"
    options: ClassVar[frozenset[str]] = frozenset({"oris", "start", "end"})

    @classmethod
    def from_spec(cls, spec, base_url, page_size, **options):
        from crimetrends.ingest.fetch import agency_names, registered_oris

        cls.check_options(options)
        portal = spec.portal
        oris = options.get("oris")
        return cls(
            base_url or portal["url"],
            page_size=page_size,
            agencies=agency_names(oris) if oris else registered_oris(),
            offenses=tuple(portal.get("offenses", SRS_OFFENSES)),
            start=options.get("start") or portal.get("from", "01-2018"),
            end=options.get("end") or portal.get("to", dt.date.today().strftime("%m-%Y")),
            key_env=portal.get("key_env", "FBI_CDE_API_KEY"),
        )

    def __post_init__(self) -> None:
        for label, value in (("from", self.start), ("to", self.end)):
            if not MONTH.match(value):
                raise ConfigError(f"--{label} {value!r} is not MM-YYYY (e.g. 01-2019)")
        if not self.agencies:
            raise ConfigError("no agencies to fetch", hint="name one with --ori, e.g. CA0194200")

    @property
    def url(self) -> str:
        return f"{self.base_url.rstrip('/')}/summarized/agency"

    @property
    def query(self) -> str:
        return (
            f"/{{ORI}}/{{offense}}?from={self.start}&to={self.end} for ORI in "
            f"{sorted(self.agencies)} and offense in {list(self.offenses)}"
        )

    def requests(self) -> list[tuple[str, str]]:
        return [(ori, off) for ori in sorted(self.agencies) for off in self.offenses]

    def _params(self) -> dict[str, str]:
        params = {"from": self.start, "to": self.end}
        from crimetrends.settings import secret

        key = secret(self.key_env)
        if key:
            params["API_KEY"] = key
        elif urlparse(self.base_url).hostname in KEYED_HOSTS:
            raise ConfigError(
                f"{self.key_env} is not set: api.usa.gov needs a data.gov API key",
                hint=f"get one free at https://api.data.gov/signup/ and `export {self.key_env}=…`,"
                " or use the keyless host: --url https://cde.ucr.cjis.gov/LATEST",
            )
        return params

    def _agency_name(self, ori: str, cde_name: str) -> str:
        name = self.agencies.get(ori)
        return name or f"{cde_name}, {states().get(ori[:2], ori[:2])}"

    def page_for(self, ori: str, offense: str) -> list[dict[str, Any]]:
        url = f"{self.url}/{ori}/{offense}"
        try:
            body, _ = self.get_json(url, self._params())
        except PortalError as exc:
            status = exc.details.get("status")
            if status in (401, 403):
                raise PortalError(
                    f"{url}: the API key was refused (HTTP {status})",
                    hint=f"check {self.key_env}; keys are issued at https://api.data.gov/signup/",
                ) from None
            raise
        parsed = parse_agency_response(body, url)
        if parsed is None:
            return []
        cde_name, months = parsed
        agency = self._agency_name(ori, cde_name)
        return [
            {
                ":id": f"{ori}|{offense}|{m['month'][3:]}-{m['month'][:2]}",
                "agency": agency,
                "ori": ori,
                "cde_agency": cde_name,
                "offense": offense,
                **m,
            }
            for m in months
        ]

    def pages(self, after: str | None = None) -> Iterator[list[dict[str, Any]]]:
        todo = self.requests()
        if after:
            done = tuple(after.split("|")[:2])
            todo = todo[todo.index(done) + 1 :] if done in todo else todo
        for ori, offense in todo:
            rows = self.page_for(ori, offense)
            if rows:
                yield rows
            else:
                self.empty.append(f"{ori}/{offense}")
