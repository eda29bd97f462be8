"""The public tables' helper process gives what this process would, or nothing at all."""

from __future__ import annotations

import pandas as pd
import pytest

from crimetrends.errors import CrimetrendsError
from crimetrends.publish.helper import TrendHelper
from crimetrends.publish.site.series import series_key, store_series
from crimetrends.publish.tables import trend_frame, trend_records
from crimetrends.store.catalog import sample_sources
from crimetrends.store.connect import connect


def _frame(rows: list[dict]) -> pd.DataFrame:
    return trend_frame(rows).reset_index(drop=True)


def test_helper_rows_and_series_equal_this_process(store):
    samples = sample_sources()
    helper = TrendHelper.start(connect(batch=True), samples, ("murder",), series=True, force=True)
    assert helper is not None
    con = connect(batch=True)
    theirs = helper.rows(con, samples)
    mine = trend_records(connect(batch=True), samples, ("murder",))
    assert len(theirs) > 100  # every agency of the bundled store with murders
    pd.testing.assert_frame_equal(_frame(theirs), _frame(mine))
    # the helper's series are remembered by the handle, and equal the ones built here
    remembered = con._derived[series_key("murder", samples)]
    built = store_series(connect(batch=False), "murder", samples)
    assert len(remembered) == len(built) == 1
    pd.testing.assert_frame_equal(remembered[0], built[0])


def test_rows_of_another_store_version_are_computed_here(store, monkeypatch):
    """The helper reads the version it was started on; if the store moved on (here: this
    process believes in a version the store never reached) its rows are not used."""
    from crimetrends.store.layout import Layout

    samples = sample_sources()
    real = Layout.version

    def ahead(self, number=None):
        v = real(self, number)
        v.number += 1
        return v

    monkeypatch.setattr(Layout, "version", ahead)
    helper = TrendHelper.start(connect(batch=True), samples, ("robbery",), force=True)
    monkeypatch.setattr(Layout, "version", real)
    assert helper is not None
    rows = helper.rows(connect(batch=True), samples)
    assert len(rows) > 100
    pd.testing.assert_frame_equal(
        _frame(rows), _frame(trend_records(connect(batch=True), samples, ("robbery",)))
    )


def test_a_failing_helper_fails_the_build_with_its_reason(store):
    class Broken:  # an engine the helper cannot find
        name = "no-such-engine"
        parallel_readers = True

    con = connect(batch=True)
    con.engine = Broken()
    helper = TrendHelper.start(con, sample_sources(), ("murder",), force=True)
    assert helper is not None
    with pytest.raises(CrimetrendsError, match="unknown engine 'no-such-engine'"):
        helper.rows(connect(batch=True), sample_sources())


def test_no_helper_where_it_would_not_pay(store, monkeypatch):
    samples = sample_sources()
    monkeypatch.setattr("os.cpu_count", lambda: 1)
    assert TrendHelper.start(connect(batch=True), samples, ("murder",), force=True) is None
    monkeypatch.undo()

    class OneReader:
        name = "duckdb"
        parallel_readers = False

    con = connect(batch=True)
    con.engine = OneReader()
    assert TrendHelper.start(con, samples, ("murder",), force=True) is None


def test_a_failure_here_stops_the_helper_and_leaves_nothing(store, monkeypatch):
    """build_tables failing before it collects the helper's rows ends the helper too."""
    from crimetrends.publish import tables

    started: list[TrendHelper] = []
    real_start = TrendHelper.start

    def start(*a, **k):
        h = real_start(*a, **{**k, "force": True})
        started.append(h)
        return h

    def broken(*a, **k):
        raise RuntimeError("monthly table failed")

    monkeypatch.setattr(TrendHelper, "start", start)
    monkeypatch.setattr(tables, "build_monthly", broken)
    with pytest.raises(RuntimeError, match="monthly table failed"):
        tables.build_tables(connect(batch=True))
    (h,) = started
    assert h._proc.poll() is not None  # not left running
    assert not h._work.exists()
