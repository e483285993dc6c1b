"""Tasks of the annual cycle: each commits its own transaction, then delivers the notices it
issued; chunks carry hundreds of ids (never one task per application). Notices issued one by
one inside a chunk's transaction have their files made durable once, at its end.

`run_cycle` is the path of one cycle run, written once: the flow runs it with Prefect tasks
(each kind of chunk mapped onto the task runner), `InlineRunner` calls the same task
functions directly (the bench's baseline, and `IPAWARD_ADVANCE=inline`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Protocol, TypeVar

from prefect import Task, task, unmapped
from sqlalchemy import select
from sqlalchemy.orm import Session

from ipaward.cycles.lines import DEFAULT_CHUNK, line_applications
from ipaward.cycles.linework import (
    route_late,
    settle_lines,
)
from ipaward.cycles.list_follow_ups import Plan, after_step, plan
from ipaward.cycles.list_payment import pay_lines
from ipaward.cycles.list_report import CycleReport
from ipaward.cycles.list_steps import DONE, advance_cycle
from ipaward.db.models import Cycle
from ipaward.notices._files import synced_once
from ipaward.repository.cycles import ensure_cycle, find_cycle, open_now
from ipaward.routing import list_route
from ipaward.workflow.limits import check_chunk_size, check_year
from tasks.notice_delivery import deliver_notices
from tasks.runtime import context, transaction

MAX_PASSES = 8
R = TypeVar("R")


def deliver(notice_ids: Sequence[int]) -> None:
    """After the commit: delivery is idempotent per notice and channel (a retry never resends)."""
    ids = list(notice_ids)
    for start in range(0, len(ids), DEFAULT_CHUNK):
        deliver_notices.fn(ids[start : start + DEFAULT_CHUNK])


@task(name="open cycle")
def open_cycle(
    measure: str, year: int, create: bool, chunk_size: int, today: dt.date
) -> Plan | None:
    """The work left, or None without a cycle (only the yearly settlement creates one)."""
    with transaction() as session:
        cycle = find_cycle(session, measure=measure, year=year)
        if create:
            cycle = cycle or ensure_cycle(
                session,
                measure=measure,
                year=year,
                route=list_route(context().policy, measure, year),
                actor=context().procedure.system_actor,
            )
            open_now(cycle, today)
        return None if cycle is None else plan(session, cycle, chunk_size, today=today)


@task(name="advance cycle")
def step_cycle(measure: str, year: int, today: dt.date, chunk_size: int) -> dict[str, Any]:
    """The cycle-level steps (one transaction), their notices, and the work they left."""
    with transaction() as session, synced_once():
        report = advance_cycle(session, context(), measure=measure, year=year, today=today)
        cycle = _cycle(session, measure, year)
        work = plan(session, cycle, chunk_size, today=today)
        after_step(session, cycle, today=today, work=work)
    deliver(report.notice_ids)
    return {**vars(report), "plan": work}


@task(name="line up chunk", retries=1, retry_delay_seconds=1)
def line_chunk(application_ids: list[int], measure: str, year: int) -> int:
    """Assess a chunk of whole recipients and put them on the list (idempotent)."""
    with transaction() as session:
        return line_applications(
            session, context(), _cycle(session, measure, year), application_ids
        )


@task(name="settle lines chunk", retries=1, retry_delay_seconds=1)
def settle_chunk(line_ids: list[int], measure: str, year: int, today: dt.date) -> int:
    """Lines taken out → their own route; refused lines → 不予奖励 notices."""
    with transaction() as session, synced_once():
        cycle = _cycle(session, measure, year)
        notices = settle_lines(session, context(), cycle, line_ids, today=today)
    deliver(notices)
    return len(line_ids)


@task(name="route late chunk", retries=1, retry_delay_seconds=1)
def late_chunk(application_ids: list[int], measure: str, year: int, today: dt.date) -> int:
    with transaction() as session, synced_once():
        notices = route_late(session, context(), application_ids, today=today)
    deliver(notices)
    return len(application_ids)


@task(name="pay chunk", retries=1, retry_delay_seconds=1)
def pay_chunk(line_ids: list[int], measure: str, year: int, today: dt.date) -> int:
    """Ledger, applications and 拨付通知 of a chunk in one transaction; a retry pays nothing twice."""
    with transaction() as session:
        paid = pay_lines(session, context(), _cycle(session, measure, year), line_ids, today=today)
    deliver(paid.notice_ids)
    return paid.paid


def _cycle(session: Session, measure: str, year: int) -> Cycle:
    cycle = find_cycle(session, measure=measure, year=year)
    if cycle is None:
        raise LookupError(f"没有{measure} {year}年度结算")
    return cycle


class Runner(Protocol):
    def one(self, fn: Task[..., R], *args: Any) -> R: ...

    def many(self, fn: Task[..., int], chunks: list[list[int]], *args: Any) -> int: ...


class InlineRunner:
    """The same task functions, called directly: no Prefect API, no task runs."""

    def one(self, fn: Task[..., R], *args: Any) -> R:
        return fn.fn(*args)

    def many(self, fn: Task[..., int], chunks: list[list[int]], *args: Any) -> int:
        return sum(fn.fn(chunk, *args) for chunk in chunks)


class PrefectRunner:
    """Task runs; one kind of chunk is mapped at once, so a Dask runner spreads it."""

    def one(self, fn: Task[..., R], *args: Any) -> R:
        return fn(*args)

    def many(self, fn: Task[..., int], chunks: list[list[int]], *args: Any) -> int:
        if not chunks:
            return 0
        futures = fn.map(chunks, *(unmapped(arg) for arg in args))
        return sum(future.result() for future in futures)


def run_cycle(
    runner: Runner,
    *,
    measure: str,
    year: int,
    today: dt.date,
    chunk_size: int = DEFAULT_CHUNK,
    open_new: bool = True,
) -> dict[str, Any]:
    """Line up → advance → settle lines / route late ones / pay, until nothing moves."""
    check_year(year)
    check_chunk_size(chunk_size)
    work = runner.one(open_cycle, measure, year, open_new, chunk_size, today)
    if work is None:
        return vars(CycleReport(measure=measure, year=year))
    report: dict[str, Any] = {}
    steps: list[str] = []
    for _ in range(MAX_PASSES):
        runner.many(line_chunk, work["line"], measure, year)
        report = runner.one(step_cycle, measure, year, today, chunk_size)
        steps += report["steps"]
        work = report.pop("plan")
        chunked = False
        for kind, fn in (("settle", settle_chunk), ("late", late_chunk), ("pay", pay_chunk)):
            if work[kind]:
                chunked = True
                runner.many(fn, work[kind], measure, year, today)
        if not chunked:
            break  # advance_cycle already went as far as it could: a gate, or done
        if chunked:
            work = {**work, "line": [], "settle": [], "late": [], "pay": []}
    report["steps"] = steps
    return report


def open_cycles() -> list[tuple[str, int]]:
    """(measure, year) of every cycle not yet done, for the daily run."""
    with transaction() as session:
        rows = session.execute(select(Cycle.measure, Cycle.year).where(Cycle.state != DONE))
        return [(measure, year) for measure, year in rows]
