"""An annual filing waits for its year's list with a request dated the settlement day, so
a missed yearly run is still caught by the sweeper (the hand-off invariant)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from ipaward.db.models import Cycle, FollowUp
from ipaward.workflow.handoff import unattended
from tests.ipaward.cycles.support import CycleBench
from tests.support.applications import example


def test_an_annual_filing_waits_for_its_list_on_the_settlement_day(bench: CycleBench) -> None:
    number = bench.submit(example("m07_university_transfers"), on=dt.date(2024, 11, 4))
    bench.advance(number, on=dt.date(2024, 11, 4))
    assert bench.application(number).state == "awaiting_cycle"
    with bench.transaction() as session:
        cycle = session.scalars(select(Cycle)).one()
        [request] = session.scalars(select(FollowUp).where(FollowUp.cycle_id == cycle.id))
        assert (cycle.state, cycle.details["opens_on"]) == ("building", "2025-03-01")
        assert (request.state, request.due_on) == ("pending", dt.date(2025, 3, 1))
        assert unattended(session) == []

    from tasks.cycle_chunks import InlineRunner, run_cycle

    def daily_run(day: dt.date) -> None:  # what open-cycles and the sweeper do
        run_cycle(InlineRunner(), measure="M07", year=2024, today=day, open_new=False)

    daily_run(dt.date(2025, 2, 28))  # the day before: nothing is lined up yet
    assert bench.cycle("M07").lines == {}
    daily_run(dt.date(2025, 3, 1))  # the settlement day: the list is built
    assert list(bench.cycle("M07").lines) == [number]
