"""What every downloadable table holds and what each of its columns means (Downloads page).

`tests/test_site.py` checks that every column of every table shipped has an entry here, so a
new column cannot reach the downloads unexplained.
"""

from __future__ import annotations

TABLE_ABOUT = {
    "cities": "Every agency with its population (source, year) and its sources",
    "trends": "Each agency's newest comparable windows per source and offense, with the 95% "
    "interval, rate, label, the last day included and the publication date",
    "monthly": "Violent and property crime per month with the 95% Poisson band, provisional "
    "and quality flags",
    "series": "Every offense per month and per year as the city charts show it: counts, 95% "
    "bands, rolling 12-month sums and the population of each year",
    "areas": "District and grid-cell counts (cell centres only; areas under the privacy "
    "minimum are not listed)",
    "arrests": "Share of incidents with an arrest, by offense, with exact 95% intervals",
    "sources": "Registered sources, counting units, date bases, loads and quirks",
    "coverage": "Every source code with its harmonized offense and row count",
    "offenses": "The harmonized offense table and definitions",
}

COMMON = {
    "agency": "Police agency, as 'City, State' (RTCI's samples: 'Full Sample, State')",
    "slug": "The agency's page name on this site (city/<slug>.html)",
    "source": "The source the figure comes from (see the sources table)",
    "offense": "Harmonized offense or group (violent, property, murder, …)",
    "count": "Crimes counted (empty: missing or incomplete, never zero by default)",
    "population": "Residents used for rates per 100,000",
    "population_year": "Year of that population (the nearest year on file)",
    "population_source": "Where the population comes from",
    "provisional": "True when the period holds months the publisher may still revise",
    "year": "Calendar year",
    "kind": "Kind of source (incidents, counts, ytd, populations)",
    "rows": "Rows loaded",
    "state": "State, from the agency name",
}

COLUMNS: dict[str, dict[str, str]] = {
    "cities": {
        "sources": "Sources holding figures for the agency",
        "has_incidents": "True when an incident-level source covers the agency",
        "has_map": "True when the agency has a map (grid cells)",
    },
    "trends": {
        "period": "The window compared (e.g. '2025', 'Jan–Sep 2025')",
        "previous_period": "The same window a year before",
        "start": "First day of the window",
        "end": "Last day of the window",
        "previous_start": "First day of the earlier window",
        "previous_end": "Last day of the earlier window",
        "previous_count": "Crimes counted in the earlier window",
        "pct_change": "Percent change from the earlier window",
        "ci_low": "Lower end of the exact 95% interval of the percent change",
        "ci_high": "Upper end of the exact 95% interval of the percent change",
        "label": "'down' or 'up' when the whole interval is on one side of zero, else 'no "
        "detectable change'; 'not comparable: …' says why no change is given",
        "rate_per_100k": "Crimes per 100,000 residents in the window (not annualized)",
        "previous_rate_per_100k": "The same for the earlier window",
        "flags": "Every caveat of the figure, joined with '; '",
        "window": "Kind of window: year (a full calendar year) or ytd (year to date)",
        "through": "The last day the figures include",
        "vintage": "When the publisher released the figures (the year-to-date vintage)",
        "sample": "'national' or 'state' for RTCI's sums over agencies (never ranked)",
        "sample_agencies": "How many agencies a sample sums (1 for an agency)",
        "headline": "True for the one window `crimetrends trends --all` shows (the newest "
        "comparable of at least 90 days)",
        "answer": "True for what `crimetrends trends --agency X` shows (newest full year and "
        "newer year to date)",
        "period_kind": "Same as window (kept for older readers)",
    },
    "monthly": {
        "complete": "True when every day (incidents) or every component (totals) is present",
        "note": "Why a month is incomplete",
        "ci_low": "Lower end of the exact (Garwood) 95% Poisson band of the month's count",
        "ci_high": "Upper end of that band",
        "quality_flags": "Missing, near zero (outage), unusually high or low, provisional",
        "month": "The month, YYYY-MM",
    },
    "series": {
        "grain": "month or year",
        "period": "First day of the period",
        "complete": "True when the period is complete",
        "note": "Why a period is incomplete",
        "ci_low": "Lower end of the exact 95% Poisson band of the count",
        "ci_high": "Upper end of that band",
        "quality_flags": "Flags of the period (missing or incomplete; violent and property "
        "months carry the monthly table's full flags)",
        "rolling12": "Sum of the month and the 11 before it (empty unless all 12 complete)",
        "rolling12_low": "Lower end of the 95% Poisson band of that sum",
        "rolling12_high": "Upper end of that band",
    },
    "areas": {
        "group": "Offense group mapped (never rape or other sexual offenses)",
        "area_type": "district or grid",
        "area_id": "District code, or grid cell 'column_row'",
        "lat": "Latitude of the grid cell's centre (never a raw location)",
        "lon": "Longitude of the grid cell's centre",
        "count": "Incidents (areas under the privacy minimum are not listed)",
        "suppressed": "Kept for older readers: always False (withheld areas are not listed)",
        "district": "Police district most of the cell's incidents were recorded in",
    },
    "arrests": {
        "offense_label": "Offense name",
        "incidents": "Incidents of the offense in the year",
        "arrests": "Of which an arrest was recorded",
        "arrest_share": "arrests ÷ incidents",
        "ci_low": "Lower end of the exact (Clopper–Pearson) 95% interval of the share",
        "ci_high": "Upper end of that interval",
    },
    "sources": {
        "title": "The source's name as its publisher gives it",
        "counting_unit": "What one row counts (incident, offense, victim, …)",
        "date_basis": "Which date places a crime in a period",
        "update_cadence": "How often the publisher updates",
        "url": "Where the data is published",
        "files": "Files loaded",
        "rows_quarantined": "Rows not loaded, each with a reason (`crimetrends quarantine`)",
        "covers": "Period the loaded data covers",
        "newest_record": "Date of the newest record",
        "age_days": "Days since the newest record",
        "status": "fresh, stale or dark (by the source's cadence)",
        "last_fetch": "When it was last fetched",
        "last_loaded": "When it was last loaded",
        "samples_only": "True when only sample extracts are loaded (no trend figures)",
        "quirks": "Known quirks of the source",
    },
    "coverage": {
        "source_code": "The source's own offense code",
        "description": "The source's description of the code",
        "match": "How the crosswalk matched it (exact, wildcard, unmapped)",
    },
    "offenses": {
        "label": "Offense name",
        "group": "Violent, property or other",
        "ucr_part": "UCR part (I or II)",
        "nibrs": "NIBRS code(s)",
        "definition": "The definition used",
    },
}


def describe(table: str, column: str) -> str | None:
    return COLUMNS.get(table, {}).get(column) or COMMON.get(column)
