"""The durable hand-off: a command commits its change with a follow-up request; the work done
in the background marks it done in its own transaction and asks for what comes next. The
invariant (every live application has an open work item or a pending request) is checked
after every action of every workflow test (tests/support/workbench.py, `acting`)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from ipaward.db.models import Application, FollowUp, RunRecord
from ipaward.repository import follow_ups
from ipaward.repository.runs import RunRef
from ipaward.workflow.handoff import unattended
from tasks import follow_up_requests as follow_up_tasks
from tests.support.applications import example
from tests.support.workbench import Workbench, at

FILED = dt.date(2025, 3, 3)


def requests_of(bench: Workbench, number: str) -> list[tuple[str, str, dt.date | None]]:
    with bench.transaction() as session:
        application = session.scalars(select(Application).filter_by(number=number)).one()
        rows = session.scalars(
            select(FollowUp).where(FollowUp.application_id == application.id).order_by(FollowUp.id)
        )
        return [(r.reason, r.state, r.due_on) for r in rows]


def test_a_submission_is_saved_with_its_follow_up_and_nothing_else_waits(
    bench: Workbench,
) -> None:
    number = bench.submit(example("m06_grading"), on=FILED)
    assert requests_of(bench, number) == [("申报,待受理检查", "pending", None)]
    assert bench.application(number).state == "submitted"  # intake runs in the background

    bench.advance(number, on=FILED)

    assert requests_of(bench, number) == [("申报,待受理检查", "done", None)]
    assert bench.application(number).stage == "lead_review"  # an open work item now


def test_waiting_for_the_calendar_is_a_request_dated_the_day_after(bench: Workbench) -> None:
    number = bench.submit(example("m06_grading"), on=FILED)
    bench.drive(number, on=FILED, until=at(state="publicity"))
    ends = bench.application(number).publicity_ends_on
    assert ends is not None
    assert requests_of(bench, number)[-1] == ("公示期满", "pending", ends + dt.timedelta(days=1))

    bench.drive(number, on=ends, until=at("finance"))
    assert requests_of(bench, number)[-1][1] == "done"


def test_work_that_fails_stays_requested_with_its_error_and_the_run_fails_naming_it(
    sqlite_bench: Workbench, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = sqlite_bench.submit(example("m06_grading"), on=FILED)
    bad = sqlite_bench.submit(example("m03_university_certification"), on=FILED)
    real = follow_up_tasks.advance_numbers

    def breaking(numbers: list[str], today: dt.date, run: RunRef) -> list[dict[str, object]]:
        reports = real([n for n in numbers if n != bad], today, run)
        return [*reports, {"number": bad, "error": "OperationalError: disk I/O error"}]

    monkeypatch.setattr(follow_up_tasks, "advance_numbers", breaking)
    with sqlite_bench.transaction() as session:
        ids = [r.id for r in follow_ups.due(session, today=FILED)]

    outcome = follow_up_tasks.process_inline(ids, today=FILED)

    with pytest.raises(follow_up_tasks.FollowUpFailed, match=bad):
        follow_up_tasks.raise_failures(outcome)
    assert sqlite_bench.application(good).stage == "lead_review"
    with sqlite_bench.transaction() as session:
        [left] = follow_ups.due(session, today=FILED)
        assert (left.attempts, left.last_error) == (1, "OperationalError: disk I/O error")
        assert unattended(session) == []  # still requested: the sweeper tries again


def test_the_sweeper_leaves_fresh_requests_to_the_hand_off_carrying_them(
    sqlite_bench: Workbench,
) -> None:
    number = sqlite_bench.submit(example("m06_grading"), on=FILED)
    recent = follow_up_tasks.pending(
        None, today=FILED, created_before=dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    )
    everything = follow_up_tasks.pending(None, today=FILED)
    assert recent.numbers == {} and list(everything.numbers) == [number]


def test_runs_are_recorded_on_the_application_in_the_advance_transaction(
    sqlite_bench: Workbench,
) -> None:
    number = sqlite_bench.submit(example("m06_grading"), on=FILED)
    run = RunRef(flow_run_id="11111111-1111-1111-1111-111111111111", name="advance batch 1")
    follow_up_tasks.advance_numbers([number], FILED, run)
    follow_up_tasks.advance_numbers([number], FILED, run)  # once per run and application
    with sqlite_bench.transaction() as session:
        rows = session.scalars(select(RunRecord)).all()
        assert [(r.flow_run_id, r.name) for r in rows] == [(run.flow_run_id, run.name)]


def test_one_drainer_per_home(sqlite_bench: Workbench) -> None:
    import fcntl

    from flows.follow_up import drain

    sqlite_bench.submit(example("m06_grading"), on=FILED)  # something is due
    lock_path = str(sqlite_bench.settings.home / "follow-up.lock")
    with open(lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert drain(FILED, lock_path) == 0  # another drainer holds the home: nothing to do
