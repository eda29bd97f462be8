"""Verdicts against the bundled store, checked with figures read independently from the
bundled files (DuckDB on the published CSVs, the Chicago incident Parquet)."""

from __future__ import annotations

import datetime as dt
import time

import duckdb
import pytest

from crimetrends.claims.check import check_text
from crimetrends.claims.verify import CONSISTENT, INCONSISTENT, MISMATCH, NOT_CHECKABLE
from crimetrends.errors import TimeBudgetError

from .conftest import BUNDLE

YTD_2025 = BUNDLE / "rtci_ytd" / "rtci_ytd_through_2025-12_published_2026-02-17.csv.gz"
YTD_2024 = BUNDLE / "rtci_ytd" / "rtci_ytd_through_2024-12_published_2025-02-19.csv.gz"


def ytd(path, agency: str, crime_type: str) -> tuple[int, int]:
    """(YTD, PrevYTD) of one row of a published RTCI year-to-date file."""
    return duckdb.sql(
        f"SELECT YTD, PrevYTD FROM read_csv('{path}') WHERE agency_full = '{agency}' "
        f"AND crime_type = '{crime_type}'"
    ).fetchone()


def chicago_incidents(fbi_code: str, start: str, end: str) -> int:
    files = [str(BUNDLE / f"chicago_crimes_{y}.parquet") for y in range(2014, 2018)]
    cols = duckdb.sql(f"SELECT * FROM read_parquet({files}) LIMIT 0").columns
    date = next(c for c in cols if c.lower() == "date")
    code = next(c for c in cols if c.lower().replace(" ", "_") == "fbi_code")
    return duckdb.sql(
        f"""SELECT count(*) FROM read_parquet({files})
            WHERE "{code}" = '{fbi_code}'
              AND CAST(strptime(CAST("{date}" AS VARCHAR), '%m/%d/%Y %I:%M:%S %p') AS DATE)
                  BETWEEN DATE '{start}' AND DATE '{end}'"""
    ).fetchone()[0]


def one(text: str, date: dt.date | None = None, kind: str | None = None):
    vs = [v for v in check_text(text, date) if kind is None or v.claim["kind"] == kind]
    assert len(vs) == 1, [(v.claim["kind"], v.claim["fragment"]) for v in vs]
    return vs[0]


def test_counts_and_changes_against_the_published_vintage(store):
    now, before = ytd(YTD_2025, "Chicago, Illinois", "Murders")
    v = one(f"There were {now} homicides in Chicago last year.", dt.date(2026, 1, 5))
    assert (v.verdict, v.our_value, v.vintage) == (CONSISTENT, now, "2026-02-17")
    pct = round(100 * (now / before - 1))
    v = one(f"Murders in Chicago fell {abs(pct)}% in 2025 from 2024.", kind="pct")
    assert v.verdict == CONSISTENT and v.our_pct_change == pytest.approx(
        100 * (now / before - 1), abs=0.05
    )
    wrong = one(f"Murders in Chicago rose {abs(pct)}% in 2025 from 2024.", kind="pct")
    assert wrong.verdict == INCONSISTENT and "direction is wrong" in wrong.reason


def test_tolerance_follows_the_claims_own_precision(store):
    """(A single offense: a sum such as violent crime has a definitional allowance too.)"""
    now, before = ytd(YTD_2025, "Chicago, Illinois", "Robberies")
    change = 100 * (now / before - 1)  # about -36%
    hedged = one(
        f"Robberies in Chicago fell roughly {abs(round(change)) + 2}% in 2025.", kind="pct"
    )
    assert hedged.verdict == CONSISTENT
    bare = one(f"Robberies in Chicago fell {abs(round(change)) + 4}% in 2025.", kind="pct")
    assert bare.verdict == INCONSISTENT
    over = one(
        f"Robberies in Chicago fell more than {abs(round(change)) - 5}% in 2025.", kind="pct"
    )
    assert over.verdict == CONSISTENT


def test_homicide_against_murder_is_a_definitional_mismatch_with_the_gap(store):
    now, _ = ytd(YTD_2025, "Chicago, Illinois", "Murders")
    near = one(f"Chicago recorded {round(now * 1.07)} homicides in 2025.")
    assert near.verdict == MISMATCH and "definition" in near.reason and f"{now}" in near.reason
    far = one(f"Chicago recorded {round(now * 1.5)} homicides in 2025.")
    assert far.verdict == INCONSISTENT
    inside = one(f"Chicago recorded {round(now * 1.02)} homicides in 2025.")
    assert inside.verdict == CONSISTENT


def test_a_part_year_claim_uses_the_incident_records_that_cover_it(store):
    n = chicago_incidents("01A", "2017-01-01", "2017-10-31")
    v = one(f"Through October 2017, Chicago had {n} murders.", dt.date(2017, 11, 20))
    assert v.verdict == CONSISTENT and v.our_value == n and v.source == "chicago"


def test_a_day_inside_a_month_is_bracketed_by_whole_month_figures(store):
    jul = duckdb.sql(
        f"SELECT YTD FROM read_csv('{BUNDLE}/rtci_ytd/rtci_ytd_through_2025-07_published_"
        "2025-09-18.csv.gz') WHERE agency_full = 'Philadelphia, Pennsylvania' AND "
        "crime_type = 'Murders'"
    ).fetchone()[0]
    aug = duckdb.sql(
        f"SELECT YTD FROM read_csv('{BUNDLE}/rtci_ytd/rtci_ytd_through_2025-08_published_"
        "2025-10-21.csv.gz') WHERE agency_full = 'Philadelphia, Pennsylvania' AND "
        "crime_type = 'Murders'"
    ).fetchone()[0]
    mid = (jul + aug) // 2
    v = one(f"Philadelphia had {mid} homicides through August 14, 2025.", dt.date(2025, 8, 20))
    assert v.verdict == CONSISTENT and "whole-month" in v.reason
    far = one(
        f"Philadelphia had {aug * 2} homicides through August 14, 2025.", dt.date(2025, 8, 20)
    )
    assert far.verdict == INCONSISTENT


def test_a_table_ten_times_below_the_records_is_inconsistent_in_both_years(store):
    rows = []
    ours = {}
    for city, name in (("Chicago", "Chicago, Illinois"), ("Houston", "Houston, Texas")):
        c24, c23 = ytd(YTD_2024, name, "Violent Crimes")
        ours[city] = (c23, c24)
        rows.append(f"| {city} | {round(c23 / 10):,} | {round(c24 / 10):,} |")
    text = "Violent crimes by city.\n\n| City | 2023 | 2024 |\n|---|---|---|\n" + "\n".join(rows)
    vs = check_text(text, dt.date(2025, 3, 1))
    cells = [v for v in vs if v.claim["kind"] == "count"]
    assert len(cells) == 4
    for v in cells:
        city = v.claim["place"].split(",")[0]
        year = v.claim["year"]
        assert v.verdict == INCONSISTENT and "ten times" in v.reason
        assert v.our_value == ours[city][year - 2023]  # the store's figure beside the claim


def test_not_checkable_says_what_is_missing(store):
    cases = {
        "Chicago had 3,550 shootings in 2016.": "Shootings",
        "Springfield saw 40 murders in 2016.": "ambiguous",
        "Chicago recorded 900 murders in 1960.": "No complete murder figure",
        "Maryland had 455 homicides in 2024.": "Statewide",
        "Nationwide there were 19,252 murders in 2023.": "sample of agencies",
        "Murders in that neighborhood fell 65% in 2024 in Chicago.": "neighbourhood",
    }
    for text, why in cases.items():
        v = check_text(text, dt.date(2025, 2, 1))[0]
        assert v.verdict == NOT_CHECKABLE and why in v.reason, (text, v.reason)


def test_national_sample_changes_are_checked(store):
    now, before = ytd(YTD_2025, "Full Sample, Nationwide", "Murders")
    pct = 100 * (now / before - 1)
    v = one(f"Murders nationwide fell {abs(round(pct))}% in 2025.", kind="pct")
    assert v.verdict == CONSISTENT and v.our_pct_change == pytest.approx(pct, abs=0.05)


def test_a_percent_that_does_not_follow_from_the_articles_counts(store):
    v = [
        x
        for x in check_text(
            "| City | 2016 | 2017 | % change |\n|---|---|---|---|\n"
            "| Chicago | 14,287 | 12,999 | -20% |\n"
        )
        if x.claim["kind"] == "pct"
    ]
    assert v[0].verdict == INCONSISTENT and "internally inconsistent" in v[0].reason


def test_superlatives_over_the_covered_years(store):
    # Chicago 2016 (782 in the incident records) was its deadliest year since the 1990s
    v = one("2016 was the deadliest year in Chicago in two decades.", kind="superlative")
    assert v.verdict == CONSISTENT
    v = one("Chicago had its lowest murder total in five years in 2016.", kind="superlative")
    assert v.verdict == INCONSISTENT


def test_budget_and_claim_cap(store):
    text = "Chicago had 700 murders in 2016. " * 50
    assert len(check_text(text, max_claims=5)) == 5
    with pytest.raises(TimeBudgetError):
        check_text(text, budget_s=0.0)


def test_a_ten_thousand_character_article_answers_in_under_two_seconds(store):
    check_text("Chicago had 700 murders in 2016.")  # the store's figures, read once
    para = (
        "Chicago recorded 573 murders in 2024, down from 617 in 2023, and violent crime "
        "fell 6% in the first half of 2024 while robberies rose 5.6 percent. "
    )
    text = (para * (10_000 // len(para) + 1))[:10_000]
    start = time.perf_counter()
    vs = check_text(text, dt.date(2025, 2, 1))
    assert time.perf_counter() - start < 2.0 and len(vs) > 50


def _claim(text: str, date: dt.date, fragment: str):
    return next(v for v in check_text(text, date) if fragment in v.claim["fragment"])


def test_a_place_carried_in_a_story_naming_several_is_never_called_inconsistent(store):
    """Which city a sentence without a place means is a guess once the story names several:
    the gap is shown, the verdict is not checkable. The headline's own city may be carried."""
    body = "Chicago had 782 murders in 2016. Los Angeles also reported more killings. "
    late = "There were 100 murders in 2016."
    v = _claim(f"# Murders in big cities, 2016\n\n{body}{late}", dt.date(2017, 2, 1), "100")
    assert v.verdict == NOT_CHECKABLE and "names several" in v.reason
    assert v.claim["place"] == "Los Angeles, California" and "295" in v.reason
    back = f"# Chicago murders, 2016\n\n{body}Chicago's police chief spoke. {late}"
    v = _claim(back, dt.date(2017, 2, 1), "100")
    assert v.verdict == INCONSISTENT and v.claim["place"] == "Chicago, Illinois"


def test_a_period_unfinished_at_publication_is_not_refuted_by_the_whole_period(store):
    """On 1 October 2016, '500 murders in 2016' is the year so far: read against the records
    through that day (a gap within the police-count drift), never against the whole year;
    a count no reading reaches stays not checkable; after the year, 500 is refuted."""
    so_far = chicago_incidents("01A", "2016-01-01", "2016-10-01")
    text = "# Chicago murders\n\nChicago recorded 500 murders in 2016."
    v = _claim(text, dt.date(2016, 10, 1), "500")
    assert v.verdict == MISMATCH and "year to date at publication" in v.reason
    assert f"{so_far:,}" in v.reason
    low = "# Chicago murders\n\nChicago recorded 450 murders in 2016."
    v = _claim(low, dt.date(2016, 10, 1), "450")
    assert v.verdict == NOT_CHECKABLE and "had not ended" in v.reason and "782" in v.reason
    assert _claim(text, dt.date(2017, 2, 1), "500").verdict == INCONSISTENT


def test_homicides_may_exceed_murders_but_not_fall_short(store):
    """Homicides include killings murder leaves out: a count above the murder count, or a
    change of the same direction within 15 points, is a definitional mismatch; a count below
    it, or the same wording with 'murders', is still refuted."""
    feb = dt.date(2017, 2, 1)
    verdict = {
        "Chicago recorded 900 homicides in 2016.": MISMATCH,
        "Chicago recorded 900 murders in 2016.": INCONSISTENT,
        "Chicago recorded 600 homicides in 2016.": INCONSISTENT,
        "Homicides in Chicago rose 45% in 2016.": MISMATCH,
        "Murders in Chicago rose 45% in 2016.": INCONSISTENT,
    }
    for text, want in verdict.items():
        assert one(text, feb).verdict == want, text


def test_a_homicide_change_is_refuted_when_its_own_count_matches_the_murders(store):
    """Where the sentence's homicide count equals the store's murder count, the definitions
    agree there and a change that does not hold is inconsistent, when the base it implies
    is below the store's base murders (homicides are never fewer); a base it implies a
    little above them may be homicides murder leaves out, and stays a mismatch; with a
    base count that differs by definition too, it stays a mismatch."""
    feb = dt.date(2017, 2, 1)
    murders_2015 = chicago_incidents("01A", "2015-01-01", "2015-12-31")
    agree = "Chicago had 782 homicides in 2016, up 70% from 2015."  # 782 / 1.7 = 460
    assert murders_2015 > 782 / 1.7
    v = next(v for v in check_text(agree, feb) if v.claim["kind"] == "pct")
    assert v.verdict == INCONSISTENT and "definitions agree" in v.reason
    above = "Chicago had 782 homicides in 2016, up 45% from 2015."  # 782 / 1.45 = 539
    assert 1 < 782 / 1.45 / murders_2015 < 1.13
    v = next(v for v in check_text(above, feb) if v.claim["kind"] == "pct")
    assert v.verdict == MISMATCH
    both = "Chicago had 782 homicides in 2016, up 45% from 540 in 2015."
    v = next(v for v in check_text(both, feb) if v.claim["kind"] == "pct")
    assert v.verdict == MISMATCH


def test_a_sum_of_offenses_or_a_sample_gives_a_mismatch_not_a_refutation(store):
    """Police departments sum 'violent crime' from their own parts (when the article cites
    police figures), and RTCI's national
    sample is not the FBI's national estimate: a change of the right direction a few points
    off is a definitional mismatch; the wrong direction is still inconsistent."""
    now, before = ytd(YTD_2025, "Full Sample, Nationwide", "Murders")
    pct = 100 * (1 - now / before)  # the sample's fall, in points
    mar = dt.date(2026, 3, 1)
    near = one(f"Murders nationwide fell {pct - 4:.0f}% in 2025.", mar, kind="pct")
    assert near.verdict == MISMATCH and "sample" in near.reason
    far = one(f"Murders nationwide fell {pct + 12:.0f}% in 2025.", mar, kind="pct")
    assert far.verdict == INCONSISTENT
    feb = dt.date(2017, 2, 1)
    said = "Chicago police said violent crime rose 30% in 2016."  # ours: +21.8%
    v = one(said, feb, kind="pct")
    assert v.verdict == MISMATCH and "sum" in v.reason
    v = one("Violent crime in Chicago rose 30% in 2016.", feb, kind="pct")  # no police cited
    assert v.verdict == INCONSISTENT
    v = one("Property crime in Chicago fell 30% in 2016.", feb, kind="pct")  # ours: +8.2%
    assert v.verdict == INCONSISTENT and "direction is wrong" in v.reason


def test_noncriminal_homicides_and_projections_are_not_checked_as_murders(store):
    feb = dt.date(2017, 2, 1)
    v = one("Chicago counted 45 noncriminal homicides in 2016.", feb)
    assert v.verdict == NOT_CHECKABLE and "subtype" in v.reason
    proj = [x for x in check_text("Chicago is on pace for 700 murders in 2016.", feb)]
    assert [x.verdict for x in proj] == [NOT_CHECKABLE] and "projection" in proj[0].reason


def test_a_small_change_under_another_definition_does_not_refute_a_direction(store):
    """UCR: Chicago rapes 1,388 (2014) -> 1,432 (2015), +3.2%. 'Sexual assaults fell' uses a
    wider word: a mismatch; 'rapes fell' is refuted; so is a wider word against a large rise."""
    assert one("Sexual assaults in Chicago fell in 2015.", dt.date(2016, 3, 1)).verdict == MISMATCH
    assert one("Rapes in Chicago fell in 2015.", dt.date(2016, 3, 1)).verdict == INCONSISTENT
    v = one("Sexual assaults in Chicago fell in 2016.", dt.date(2017, 3, 1))  # +9.0%
    assert v.verdict == INCONSISTENT


def test_an_offense_carried_from_an_earlier_sentence_is_never_refuted(store):
    text = "Chicago recorded 782 murders in 2016. Officials said the number was 900 in 2016."
    v = next(v for v in check_text(text, dt.date(2017, 2, 1)) if v.claim["value"] == 900)
    assert v.verdict == NOT_CHECKABLE and "offense" in v.reason and "782" in v.reason


def test_a_single_months_count_allows_for_month_allocation(store):
    august = chicago_incidents("01A", "2016-08-01", "2016-08-31")
    near = one(f"Chicago had {round(august * 0.88)} murders in August 2016.", dt.date(2016, 10, 1))
    assert near.verdict == MISMATCH
    far = one(f"Chicago had {round(august * 0.7)} murders in August 2016.", dt.date(2016, 10, 1))
    assert far.verdict == INCONSISTENT


def test_a_small_opposite_change_under_another_definition_is_a_mismatch(store):
    """UCR: Chicago rapes +3.2% in 2015; 'sexual assaults fell 1%' is another definition."""
    v = one("Sexual assaults in Chicago fell 1% in 2015.", dt.date(2016, 3, 1), kind="pct")
    assert v.verdict == MISMATCH
    v = one("Rapes in Chicago fell 1% in 2015.", dt.date(2016, 3, 1), kind="pct")
    assert v.verdict == INCONSISTENT


def test_a_sentence_count_far_from_the_records_is_a_misreading_not_a_refutation(store):
    """Off by more than three times in a sentence, a number most likely counts something else
    (a year to date read as a month, a subway's crimes read as the city's): not checkable.
    A factor of ten for a written year (a dropped digit) is still inconsistent."""
    feb = dt.date(2018, 2, 1)  # Chicago burglaries 2017: 12,999 (incident records)
    far = one("Chicago saw 300 burglaries in 2017.", feb)
    assert far.verdict == NOT_CHECKABLE and "something else" in far.reason
    assert one("Chicago saw 1,300 burglaries in 2017.", feb).verdict == INCONSISTENT
    part = one("Chicago saw 1,300 burglaries through June 2017.", feb, kind="count")
    assert part.verdict == NOT_CHECKABLE


def test_a_month_derived_from_two_vintages_does_not_refute(store):
    v = one("Chicago had 40 murders in October 2024.", dt.date(2025, 2, 1))
    assert "derived" in v.reason and v.verdict == MISMATCH


def test_a_police_reported_change_allows_for_a_later_extract(store):
    """RTCI: Houston robberies 2023 vs 2022, -2.1%."""
    said = one("Houston police said robberies fell 6% in 2023.", dt.date(2025, 2, 1), kind="pct")
    assert said.verdict == MISMATCH and "police" in said.reason
    bare = one("Robberies in Houston fell 6% in 2023.", dt.date(2025, 2, 1), kind="pct")
    assert bare.verdict == INCONSISTENT


def test_a_police_change_whose_implied_count_is_within_the_drift_is_a_mismatch(store):
    """RTCI: Houston murders 435 (2022) -> 348 (2023), -20%. 'Fell 10%' applied to 435 gives
    392, 12.5% above 348: within the murder drift between a police count and a later
    extract when the article cites police figures; refuted otherwise."""
    feb = dt.date(2025, 2, 1)
    said = one("Houston police said murders fell 10% in 2023.", feb, kind="pct")
    assert said.verdict == MISMATCH and "applied to the base" in said.reason
    assert one("Murders in Houston fell 10% in 2023.", feb, kind="pct").verdict == INCONSISTENT


def test_this_year_carried_from_an_earlier_window_is_never_refuted(store):
    text = (
        "Chicago police presented the first quarter report for 2016. "
        "The city recorded 300 murders this year."
    )
    v = next(v for v in check_text(text, dt.date(2016, 5, 3)) if v.claim["value"] == 300)
    assert v.verdict == NOT_CHECKABLE and "window stated before" in v.reason


def test_tiny_counts_and_a_count_called_a_rate(store):
    feb = dt.date(2017, 2, 1)  # Chicago 2016: 782 murders
    v = one("Chicago had a murder rate of 790 per 100,000 residents in 2016.", feb, kind="rate")
    assert v.verdict == MISMATCH and "called a rate" in v.reason
    apr = dt.date(2024, 4, 20)  # RTCI: St. Paul, 6 murders Jan-Mar 2024
    v = one("St. Paul recorded 4 murders through March 2024.", apr, kind="count")
    assert v.verdict == MISMATCH and v.our_value == 6


def test_a_rate_superlative_that_holds_for_the_count_is_a_mismatch(store):
    """UCR: Detroit 2014, 298 murders, the fewest of 2007-2013, but its rate (43.5) was above
    2010's (43.4): the writer's 'rate' may mean the count; both readings are shown."""
    v = one("Detroit had its lowest murder rate in 8 years in 2014.", dt.date(2015, 3, 1))
    assert v.verdict == MISMATCH and "as a count it holds" in v.reason
    v = one("Detroit had its lowest murder count in 8 years in 2014.", dt.date(2015, 3, 1))
    assert v.verdict == CONSISTENT


def test_an_average_over_several_years_is_not_checked(store):
    text = "Chicago averaged 60 murders per month from 2014 through 2016."
    v = one(text, dt.date(2017, 2, 1), kind="average")
    assert v.verdict == NOT_CHECKABLE and "several years" in v.reason


def test_a_year_not_over_at_publication_is_read_as_the_year_to_date(store):
    """'N murders in 2024' in an article of 15 November 2024 can only mean the year so far:
    the count RTCI published through October 2024 (read from the file here) is consistent;
    a count the figures around the date cannot reach is never called inconsistent."""
    path = BUNDLE / "rtci_ytd" / "rtci_ytd_through_2024-10_published_2025-01-06.csv.gz"
    so_far, _ = ytd(path, "Chicago, Illinois", "Murders")
    v = one(f"Chicago has recorded {so_far} murders in 2024.", dt.date(2024, 11, 15))
    assert v.verdict == CONSISTENT and "year to date at publication" in v.reason
    far = one(f"Chicago has recorded {so_far * 3} murders in 2024.", dt.date(2024, 11, 15))
    assert far.verdict == NOT_CHECKABLE and "had not ended" in far.reason


def test_the_last_days_to_publication_are_checked_against_daily_records_only(store):
    # the 14 days to 12 June 2017, counted from the bundled Chicago records directly
    robberies = chicago_incidents("03", "2017-05-30", "2017-06-12")
    v = one(
        f"In Chicago, {robberies} robberies were reported in the past two weeks.",
        dt.date(2017, 6, 12),
    )
    assert (v.verdict, v.our_value) == (CONSISTENT, robberies)
    assert "May 30–Jun 12, 2017" in v.reason
    far = one(
        f"In Chicago, {robberies * 2} robberies were reported in the past two weeks.",
        dt.date(2017, 6, 12),
    )
    assert far.verdict == INCONSISTENT  # no shift of the window by a day or two explains it
    # only monthly figures cover Houston: a two-week window is not bounded by them
    v = one(
        "More than 19 homicides were reported in Houston in the past two weeks.",
        dt.date(2024, 6, 12),
    )
    assert v.verdict == NOT_CHECKABLE and "May 30–Jun 12, 2024" in v.reason


def test_a_bound_says_where_the_figure_lies_and_a_negated_figure_is_not_checked(store):
    now, _ = ytd(YTD_2025, "Chicago, Illinois", "Murders")
    v = one(f"Chicago recorded more than {now - 40} murders last year.", dt.date(2026, 1, 5))
    assert v.verdict == CONSISTENT and "above the stated lower bound" in v.reason
    far = one(f"Chicago recorded more than {now // 3} murders last year.", dt.date(2026, 1, 5))
    assert far.verdict == NOT_CHECKABLE and "more than 1.5 times" in far.reason
    v = one(
        f"Chicago hasn't recorded fewer than {now + 40} murders since 2019.", dt.date(2026, 1, 5)
    )
    assert v.verdict == NOT_CHECKABLE and "negated" in v.reason
    v = one(
        "Chicago had a 19% decline in murders, like cities with populations under 250,000.",
        dt.date(2026, 1, 5),
        kind="count",
    )
    assert v.verdict == NOT_CHECKABLE


def test_a_percentage_bound_that_holds_says_so(store):
    now, before = ytd(YTD_2025, "Chicago, Illinois", "Murders")
    drop = round(100 * (1 - now / before))
    v = one(
        f"Murders in Chicago fell by over {drop - 8}% in 2025 from 2024.",
        dt.date(2026, 2, 20),
        kind="pct",
    )
    assert v.verdict == CONSISTENT and "the stated bound holds" in v.reason


def test_a_period_carried_from_before_and_pinned_by_the_sentences_base(store):
    now, before = ytd(YTD_2025, "Chicago, Illinois", "Murders")
    assert now < before  # murders fell in 2025: a stated rise is wrong
    said = "Chicago's violent crime fell in 2025. Murders rose 5% compared with 2024."
    v = next(v for v in check_text(said, dt.date(2026, 1, 20)) if v.claim["kind"] == "pct")
    assert v.verdict == INCONSISTENT and "direction is wrong" in v.reason
    # the base a year before a different carried window pins nothing: not refuted
    said = "Chicago's violent crime fell in 2025. Murders rose 5% compared with 2023."
    v = next(v for v in check_text(said, dt.date(2026, 1, 20)) if v.claim["kind"] == "pct")
    assert v.verdict == NOT_CHECKABLE and "does not state the period" in v.reason


def test_a_hedged_percentage_says_which_allowance_held(store):
    now, before = ytd(YTD_2025, "Chicago, Illinois", "Robberies")
    ours = 100 * (now / before - 1)
    stated = round(abs(ours)) + 4  # 4 points off: beyond ±2, within ±2 of 'about's ±3
    said = f"Chicago robberies fell an estimated {stated} percent in 2025 from 2024."
    v = one(said, dt.date(2026, 3, 1), kind="pct")
    assert v.verdict == CONSISTENT and "approximate figure allows" in v.reason
    exact = one(f"Chicago robberies fell {stated} percent in 2025 from 2024.", kind="pct")
    assert exact.verdict == INCONSISTENT


def test_a_comparison_with_another_place_is_not_checked_as_a_change(store):
    said = "Other large cities had comparable drops in violent crime to Chicago in 2025."
    v = one(said, dt.date(2026, 1, 10))
    assert v.verdict == NOT_CHECKABLE and "comparison with another place" in v.reason


def rtci_monthly(agency: str, column: str, year: int, months: int) -> int:
    """A sum of the first `months` months of one column of the bundled RTCI monthly file."""
    path = BUNDLE / "rtci_by_agency_monthly_2018_2024.csv.gz"
    return duckdb.sql(
        f"SELECT sum(CAST({column} AS INT)) FROM read_csv('{path}') "
        f"WHERE agency_abbr = '{agency}' AND year(date) = {year} AND month(date) <= {months}"
    ).fetchone()[0]


def test_a_fresh_police_count_may_lack_late_reports(store):
    n = round(0.89 * rtci_monthly("Memphis, TN", "robbery", 2024, 3))
    said = f"Memphis police recorded {n} robberies in the first three months of this year."
    fresh = one(said, dt.date(2024, 4, 15), kind="count")
    assert fresh.verdict == MISMATCH and "preliminary police count" in fresh.reason
    late = one(said.replace("of this year", "of 2024"), dt.date(2024, 10, 15), kind="count")
    assert late.verdict == MISMATCH and "own count" in late.reason  # not preliminary: police
    far = round(0.75 * rtci_monthly("Memphis, TN", "robbery", 2024, 3))
    farther = f"Memphis police recorded {far} robberies in the first three months of 2024."
    assert one(farther, dt.date(2024, 10, 15), kind="count").verdict == INCONSISTENT


def test_a_small_counts_direction_over_an_approximate_window_is_not_refuted(store):
    two, before2 = (rtci_monthly("Los Angeles, CA", "murder", y, 2) for y in (2024, 2023))
    three, before3 = (rtci_monthly("Los Angeles, CA", "murder", y, 3) for y in (2024, 2023))
    assert before2 < two < 100 and before3 < three < 100  # murders rose, on small counts
    said = (
        "Los Angeles murders fell 12% as of March 14, 2024 compared with the same time a year ago."
    )
    v = one(said, dt.date(2024, 3, 20), kind="pct")
    assert v.verdict == MISMATCH and "counts this small" in v.reason
    whole = "Los Angeles murders fell 12% in the first three months of 2024 from a year before."
    assert one(whole, dt.date(2024, 9, 20), kind="pct").verdict == INCONSISTENT


def test_a_change_whose_own_counts_are_of_something_else(store):
    before = rtci_monthly("Chicago, IL", "theft", 2023, 3)
    big, small = 3 * before, round(3 * before * 0.65)  # three times the store's: not its count
    said = f"Chicago larceny fell 35% from {big:,} to {small:,} in the first three months of 2024."
    v = one(said, dt.date(2024, 9, 20), kind="pct")
    assert v.verdict == MISMATCH and "counts something the store does not" in v.reason


def test_a_base_year_set_against_a_year_not_over_is_not_refuted_by_its_whole(store):
    said = "Chicago robberies fell 5%, with 9,000 reported in 2024, down from 9,500 in 2023."
    base = next(v for v in check_text(said, dt.date(2024, 10, 20)) if v.claim["value"] == 9500)
    assert base.verdict == NOT_CHECKABLE and "had not ended at publication" in base.reason


def rtci_year_total(agency_abbr: str, year: int) -> int:
    """Violent plus property crime of one agency's year in the bundled RTCI monthly file."""
    path = BUNDLE / "rtci_by_agency_monthly_2018_2024.csv.gz"
    return duckdb.sql(
        f"SELECT sum(CAST(violent_crime AS INT) + CAST(property_crime AS INT)) FROM "
        f"read_csv('{path}', all_varchar=true) WHERE agency_abbr = '{agency_abbr}' "
        f"AND left(date, 4) = '{year}'"
    ).fetchone()[0]


def test_a_police_total_beaten_by_a_few_percent_is_a_definitional_mismatch(store):
    totals = {y: rtci_year_total("Salt Lake City, UT", y) for y in range(2018, 2024)}
    low = min(totals, key=totals.get)
    assert low != 2023 and totals[2023] / totals[low] - 1 < 0.08  # a near miss in the data
    text = "In 2023, overall crime in Salt Lake City dropped to a six-year low"
    said = one(text + ", police said.", dt.date(2024, 2, 5), kind="superlative")
    assert said.verdict == MISMATCH and f"{low} had {totals[low]:,}" in said.reason
    plain = one(text + ".", dt.date(2024, 2, 5), kind="superlative")
    assert plain.verdict == MISMATCH  # "overall crime" is a loosely named total all the same
    strict = one(
        text.replace("overall crime", "violent crime") + ".", dt.date(2024, 2, 5), "superlative"
    )
    assert strict.verdict == INCONSISTENT  # violent crime: the UCR total, no allowance


def test_a_states_own_classes_are_never_checked_as_the_ucr_offense(store):
    text = (
        "In the first half of 2025, Dayton recorded 230 aggravated assaults, 68 aggravated "
        "robberies and 54 robberies."
    )
    vs = [v for v in check_text(text, dt.date(2025, 7, 20)) if v.claim["kind"] == "count"]
    assert {v.verdict for v in vs} <= {MISMATCH, NOT_CHECKABLE}
    assert any("a state's own classes" in v.reason for v in vs)
    alone = one("In the first half of 2025, Dayton recorded 54 robberies.", dt.date(2025, 7, 20))
    assert alone.verdict == INCONSISTENT  # named alone, robbery is the UCR offense


def test_a_change_by_n_against_no_change_is_not_confirmed(store):
    now, before = ytd(YTD_2024, "Arlington, Texas", "Murders")
    assert now == before  # the published vintage shows no change
    v = one("Arlington saw two more murders in 2024 than in 2023.", dt.date(2025, 2, 6))
    assert v.verdict == MISMATCH and "no change" in v.reason


def test_a_nibrs_rape_count_and_a_wider_category_are_definitional(store):
    rapes, _ = ytd(YTD_2024, "Arlington, Texas", "Rapes")
    stated = round(rapes * 0.77)  # a NIBRS rape count without sodomy and assault by object
    text = f"Arlington saw {stated} reported rapes in 2024, according to NIBRS data."
    v = one(text, dt.date(2025, 2, 6))
    assert v.verdict == MISMATCH and "NIBRS" in v.reason
    plain = one(f"Arlington saw {stated} reported rapes in 2024.", dt.date(2025, 2, 6))
    assert plain.verdict == INCONSISTENT
    violent, _ = ytd(YTD_2024, "Arlington, Texas", "Violent Crimes")
    wider = one(f"Arlington recorded {violent * 2.9:,.0f} crimes against persons in 2024.",
                dt.date(2025, 2, 6))  # fmt: skip
    assert wider.verdict == MISMATCH and "above the store's" in wider.reason


def test_a_police_count_off_by_up_to_15_percent_is_a_definitional_pair(store):
    _, before = ytd(YTD_2024, "Arlington, Texas", "Burglaries")
    off = round(before * 1.12)  # 12% above the published 2023 count
    text = f"Arlington police recorded {off} burglaries in 2023."
    assert one(text, dt.date(2025, 2, 6)).verdict == MISMATCH
    assert one(f"Arlington recorded {off} burglaries in 2023.", dt.date(2025, 2, 6)).verdict == (
        INCONSISTENT
    )  # no police count to allow for
    far = round(before * 1.3)
    assert one(
        f"Arlington police recorded {far} burglaries in 2023.", dt.date(2025, 2, 6)
    ).verdict == (INCONSISTENT)


def test_a_police_rape_count_and_a_small_police_change_are_definitional(store):
    rapes = rtci_monthly("Memphis, TN", "rape", 2023, 12)
    stated = round(rapes * 1.18)  # a state-law count 18% above the revised UCR rape
    v = one(f"Memphis police recorded {stated} rapes in 2023.", dt.date(2024, 9, 1), kind="count")
    assert v.verdict == MISMATCH and "state's law" in v.reason

    def change(agency: str) -> float:
        now, before = (rtci_monthly(agency, "burglary", y, 12) for y in (2023, 2022))
        return 100 * (now / before - 1)

    small, large = change("Seattle, WA"), change("Memphis, TN")
    assert -3 < small < 0 and large > 10  # the bundled data: a small fall, a large rise
    text = "Burglaries in Seattle rose in 2023 compared with 2022"
    said = one(text + ", police said.", dt.date(2024, 9, 1), kind="direction")
    assert said.verdict == MISMATCH and "can flip" in said.reason
    assert one(text + ".", dt.date(2024, 9, 1), kind="direction").verdict == INCONSISTENT
    text = "Burglaries in Memphis fell in 2023 compared with 2022, police said."
    assert one(text, dt.date(2024, 9, 1), kind="direction").verdict == INCONSISTENT


def test_a_count_to_a_day_with_only_the_months_end_known_is_not_confirmed(store):
    aug = BUNDLE / "rtci_ytd" / "rtci_ytd_through_2025-08_published_2025-10-21.csv.gz"
    sep = BUNDLE / "rtci_ytd" / "rtci_ytd_through_2025-09_published_2025-12-02.csv.gz"
    assert ytd(aug, "Bridgeport, Connecticut", "Violent Crimes") is None  # no figure below
    violent, _ = ytd(sep, "Bridgeport, Connecticut", "Violent Crimes")
    text = f"Bridgeport recorded {violent // 3} violent crimes from Jan. 1 through Sept. 28, 2025."
    v = one(text, dt.date(2025, 10, 5), kind="count")
    assert v.verdict == NOT_CHECKABLE and "month's end" in v.reason  # was 'lies within'
    too_many = one(text.replace(f" {violent // 3} ", f" {violent * 2} "), dt.date(2025, 10, 5))
    assert too_many.verdict == INCONSISTENT  # above the month's end: refuted all the same


def test_a_police_part_i_total_is_its_own_sum(store):
    total = sum(
        ytd(YTD_2024, "Arlington, Texas", k)[1] for k in ("Violent Crimes", "Property Crimes")
    )
    v = one(f"Arlington police counted {total // 2} Part I crimes in 2023.", dt.date(2025, 2, 6))
    assert v.verdict == MISMATCH and "sum of parts" in v.reason


def test_a_superlative_of_a_loosely_matched_offense_is_not_refuted(store):
    # NYPD's felony assaults are not UCR aggravated assaults: beaten in the store by another
    # definition's year, the record is a definitional mismatch, never a refutation
    text = "In 2024, there were 29,417 felony assaults in New York City, the most in 24 years."
    v = one(text, dt.date(2025, 4, 3), kind="superlative")
    assert v.verdict in (MISMATCH, NOT_CHECKABLE) and "felony assault" in v.reason.lower()


def test_sexual_assaults_above_the_rape_count_are_a_definitional_pair(store):
    """Sexual assault holds rape and more (fondling, sodomy in some codes): twice the store's
    rapes is a definitional mismatch for 'sexual assaults', a wrong figure for 'rapes'."""
    now, _ = ytd(YTD_2025, "Chicago, Illinois", "Rapes")
    text = f"Chicago recorded {2 * now:,} {{}} in 2025."
    v = one(text.format("sexual assaults"), dt.date(2026, 1, 20))
    assert v.verdict == MISMATCH and v.our_value == now and "broader" in v.reason
    assert one(text.format("rapes"), dt.date(2026, 1, 20)).verdict == INCONSISTENT


def test_vehicles_reported_stolen_above_the_theft_count_are_a_definitional_pair(store):
    """Vehicles reported stolen are counted per vehicle (one theft can take several): 40%
    above the store's motor vehicle thefts is a definitional mismatch, not a wrong figure."""
    now, _ = ytd(YTD_2025, "Chicago, Illinois", "Motor Vehicle Thefts")
    v = one(
        f"In 2025, Chicago had {round(now * 1.4):,} vehicles reported stolen.", dt.date(2026, 2, 20)
    )
    assert v.verdict == MISMATCH and v.our_value == now and "per vehicle" in v.reason


def test_a_window_holding_a_month_the_source_reported_nothing_is_not_a_count(store):
    """RTCI's Mission, Texas reports 0 of every offense from January to September 2021 (an
    outage: it reports about a hundred crimes in each later month): its 2021 total is not
    a count to refute '600 thefts in 2021' with."""
    monthly = BUNDLE / "rtci_by_agency_monthly_2018_2024.csv.gz"
    dark, later = duckdb.sql(
        f"SELECT count(*) FILTER (WHERE CAST(property_crime AS INT) = 0 AND month(date) <= 9), "
        f"min(CAST(property_crime AS INT)) FILTER (WHERE month(date) >= 10) "
        f"FROM read_csv('{monthly}') WHERE agency_abbr = 'Mission, TX' AND year(date) = 2021"
    ).fetchone()
    assert dark == 9 and later >= 50
    v = one("Mission, Texas recorded 600 thefts in 2021.", dt.date(2022, 3, 1))
    assert v.verdict == NOT_CHECKABLE and v.our_value is None
