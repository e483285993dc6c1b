"""Follow-up requests, carried out: the applications they name are advanced and the annual
lists they name are settled, each in its own transactions, which also mark them done.

Two ways in: a background task (`follow_up.delay(ids)`, served by `python -m tasks.worker`)
right after a command commits, and the sweeper flow (flows/follow_up.py) for whatever is
due and still waiting. A request whose work fails stays pending with its error, and the
run ends Failed naming it: never a crash in front of an officer, never silent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from prefect import task
from sqlalchemy import select

from ipaward import clock
from ipaward.db.models import Application, Cycle, FollowUp
from ipaward.repository import follow_ups
from ipaward.repository.runs import RunRef
from tasks.advance_steps import advance_numbers, log_reports
from tasks.cycle_chunks import InlineRunner, Runner, run_cycle
from tasks.notice_delivery import deliver_notices
from tasks.runtime import current_run, run_logger, transaction


class FollowUpFailed(RuntimeError):
    """Some requested work failed; the rest was done. The message names what failed."""


@dataclass
class Requested:
    """Pending requests by subject: application numbers and (cycle id, measure, year)."""

    ids: list[int] = field(default_factory=list)
    numbers: dict[str, int] = field(default_factory=dict)  # number → request id
    lists: list[tuple[int, str, int]] = field(default_factory=list)  # (request, measure, year)


def pending(
    request_ids: list[int] | None,
    *,
    today: dt.date,
    created_before: dt.datetime | None = None,
    limit: int = 500,
) -> Requested:
    """The named requests still pending (or, with none named, those due by `today`)."""
    with transaction() as session:
        if request_ids is None:
            rows = follow_ups.due(session, today=today, before=created_before, limit=limit)
        else:
            query = select(FollowUp).where(
                FollowUp.id.in_(request_ids), FollowUp.state == follow_ups.PENDING
            )
            rows = list(session.scalars(query))
        found = Requested(ids=[row.id for row in rows])
        apps = {r.application_id: r.id for r in rows if r.application_id is not None}
        for number, app_id in session.execute(
            select(Application.number, Application.id).where(Application.id.in_(list(apps)))
        ):
            found.numbers[number] = apps[app_id]
        cycles = {r.cycle_id: r.id for r in rows if r.cycle_id is not None}
        for cycle_id, measure, year in session.execute(
            select(Cycle.id, Cycle.measure, Cycle.year).where(Cycle.id.in_(list(cycles)))
        ):
            found.lists.append((cycles[cycle_id], measure, year))
        return found


def carry_out(
    requested: Requested, *, today: dt.date, run: RunRef, runner: Runner
) -> dict[str, Any]:
    """Advance the applications, publish their notices, settle the lists; failures are
    noted on their requests and returned by name."""
    reports = advance_numbers(list(requested.numbers), today, run)
    failures = {r["number"]: r["error"] for r in reports if r.get("error")}
    cycles = []
    for request_id, measure, year in requested.lists:
        try:
            cycles.append(
                run_cycle(runner, measure=measure, year=year, today=today, open_new=False)
            )
        except Exception as error:  # noted on the request; the other lists go on
            failures[f"{measure} {year}年度名单"] = f"{type(error).__name__}: {error}"
            _note_failure(request_id, failures[f"{measure} {year}年度名单"])
    for number, message in failures.items():
        if number in requested.numbers:
            _note_failure(requested.numbers[number], message)
    notices = [n for r in reports for n in r.get("notice_ids", [])]
    return {
        "requests": len(requested.ids),
        "reports": reports,
        "cycles": cycles,
        "notice_ids": notices,
        "failures": failures,
    }


def _note_failure(request_id: int, error: str) -> None:
    with transaction() as session:
        follow_ups.record_failure(session, request_id, error)


def raise_failures(outcome: dict[str, Any]) -> None:
    failures: dict[str, str] = outcome["failures"]
    if failures:
        named = ";".join(f"{what}:{error}" for what, error in failures.items())
        raise FollowUpFailed(f"{len(failures)}项后续办理失败(其余已完成):{named}")


def process_inline(request_ids: list[int], *, today: dt.date | None = None) -> dict[str, Any]:
    """The same work without Prefect (IPAWARD_ADVANCE=inline): the caller waits for it."""
    day = today or clock.today()
    outcome = carry_out(
        pending(request_ids, today=day), today=day, run=RunRef(), runner=InlineRunner()
    )
    if outcome["notice_ids"]:
        deliver_notices.fn(outcome["notice_ids"])
    return outcome


def _worth_retrying(task: Any, task_run: Any, state: Any) -> bool:
    """Work that failed is tried again (it rolled back; advancing is idempotent); delivery
    has its own retries and, once they are spent, stays failed for `notices redeliver`."""
    return isinstance(state.result(raise_on_failure=False), FollowUpFailed)


@task(
    name="follow up",
    retries=2,
    retry_delay_seconds=[5, 30],
    retry_condition_fn=_worth_retrying,
    timeout_seconds=900,
)
def follow_up(request_ids: list[int], today: str | None = None) -> dict[str, Any]:
    """The background task a command hands its requests to (`.delay(ids, today)`)."""
    day = dt.date.fromisoformat(today) if today else clock.today()
    logger = run_logger()
    requested = pending(request_ids, today=day)
    logger.info(
        "后续办理:申请%s;年度名单%s",
        "、".join(requested.numbers) or "无",
        "、".join(f"{m} {y}" for _, m, y in requested.lists) or "无",
    )
    outcome = carry_out(requested, today=day, run=current_run(), runner=InlineRunner())
    log_reports(outcome["reports"])
    if outcome["notice_ids"]:
        deliver_notices(outcome["notice_ids"])
    raise_failures(outcome)
    return {k: v for k, v in outcome.items() if k != "reports"} | {
        "numbers": list(requested.numbers)
    }
