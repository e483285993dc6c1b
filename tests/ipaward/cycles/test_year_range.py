"""A cycle run or a yearly report for a year no application can carry is refused, storing nothing.

Before the check, `ipaward cycle --year 99999` stored a finished, empty cycle for that year and
`ipaward report --year 99999` crashed on the date.
"""

from __future__ import annotations

import datetime as dt

import pytest

from ipaward.db.models import AuditEntry, Cycle
from ipaward.reports.m18 import m18_report
from ipaward.workflow.errors import InvalidAction
from tasks.cycle_chunks import InlineRunner, run_cycle
from tests.ipaward.cycles.support import FILED, CycleBench


@pytest.mark.parametrize("year", [1999, 2101, 99999, 10**30])
def test_a_cycle_year_out_of_range_stores_no_cycle(sqlite_bench: CycleBench, year: int) -> None:
    audit_before = sqlite_bench.count(AuditEntry)

    with pytest.raises(InvalidAction, match="年度须为2000至2100之间的整数"):
        run_cycle(InlineRunner(), measure="M09", year=year, today=FILED)

    assert sqlite_bench.count(Cycle) == 0
    assert sqlite_bench.count(AuditEntry) == audit_before


@pytest.mark.parametrize("size", [0, -1, 10_001])
def test_a_chunk_size_out_of_range_stores_no_cycle(sqlite_bench: CycleBench, size: int) -> None:
    with pytest.raises(InvalidAction, match="每批件数"):
        run_cycle(InlineRunner(), measure="M09", year=2024, today=FILED, chunk_size=size)
    assert sqlite_bench.count(Cycle) == 0


def test_the_boundary_years_run(sqlite_bench: CycleBench) -> None:
    for year in (2000, 2100):
        report = run_cycle(InlineRunner(), measure="M09", year=year, today=FILED)
        assert report["year"] == year


@pytest.mark.parametrize("year", [1999, 99999])
def test_a_report_year_out_of_range_is_refused(sqlite_bench: CycleBench, year: int) -> None:
    with sqlite_bench.transaction() as session, pytest.raises(InvalidAction, match="年度"):
        m18_report(session, sqlite_bench.ctx, year=year, today=dt.date(2025, 4, 1))
