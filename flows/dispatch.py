"""The Prefect side of ipaward's commands (`ipaward.dispatch` reaches it by the name in
Settings.runner; it lives with the flows it starts, so tasks never import flows).

How a command's follow-up requests reach Prefect, chosen by the environment:
- IPAWARD_ADVANCE=inline: carried out here and now, without Prefect (a one-off command);
- PREFECT_API_URL set (`ipaward serve`, a scaled-out install): a background task run,
  `follow_up.delay(ids)`, tagged at creation, for the task worker (`python -m tasks.worker`);
  measured against served deployments in bench/handoff_mechanisms.py (docs/benchmarks.md);
- neither (the embedded default): a drainer process in the background
  (`python -m flows.follow_up --drain`), one per home, on Prefect's ephemeral API.
Operator commands that mean to wait (`advance`, `cycle`, `remind`, `report`) run their flow
here, in process.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from typing import Any

from sqlalchemy import select

from ipaward.db.models import Application, Cycle, FollowUp
from ipaward.dispatch import HandOff
from ipaward.repository import follow_ups
from ipaward.repository.runs import NO_RUN
from ipaward.settings import PROJECT_ROOT, load_settings
from tasks.runtime import transaction

QUEUED = "已保存。后续办理已转入后台流程(Prefect),稍后可用 ipaward status 查看进展。"


def mode() -> str:
    """ "inline", "server" (a Prefect API to hand over to) or "embedded"."""
    if os.environ.get("IPAWARD_ADVANCE", "prefect") == "inline":
        return "inline"
    return "server" if os.environ.get("PREFECT_API_URL") else "embedded"


def hand_off(request_ids: list[int], *, today: dt.date | None) -> HandOff:
    current = mode()
    if current == "inline":
        from tasks.follow_up_requests import process_inline

        outcome = process_inline(request_ids, today=today)
        return HandOff(
            state="done", message="", reports=outcome["reports"], cycles=outcome["cycles"]
        )
    if current == "server":
        return _delay(request_ids, today)
    _drain_in_background(today)
    return HandOff(state="queued", message=QUEUED)


def _delay(request_ids: list[int], today: dt.date | None) -> HandOff:
    from prefect import tags
    from prefect.settings import PREFECT_CLIENT_MAX_RETRIES, temporary_settings

    from tasks.follow_up_requests import follow_up

    # One attempt: a Prefect that does not answer must not keep a person waiting; the
    # request is saved and the sweeper carries it out when Prefect is back.
    with temporary_settings({PREFECT_CLIENT_MAX_RETRIES: 0}), tags(*_tags(request_ids)):
        future = follow_up.delay(request_ids, today.isoformat() if today else None)
    with transaction() as session:
        follow_ups.mark_dispatched(session, request_ids)
    return HandOff(state="queued", message=QUEUED, run_id=str(future.task_run_id))


def _tags(request_ids: list[int]) -> list[str]:
    """app:<number> and measure:<code> of each application, cycle:<measure>:<year> of each
    list: set when the run is created, never rewritten."""
    with transaction() as session:
        apps = session.execute(
            select(Application.number, Application.measure)
            .join(FollowUp, FollowUp.application_id == Application.id)
            .where(FollowUp.id.in_(request_ids))
        ).all()
        lists = session.execute(
            select(Cycle.measure, Cycle.year)
            .join(FollowUp, FollowUp.cycle_id == Cycle.id)
            .where(FollowUp.id.in_(request_ids))
        ).all()
    found = {f"app:{number}" for number, _ in apps} | {f"measure:{m}" for _, m in apps}
    found |= {f"cycle:{m}:{y}" for m, y in lists} | {f"measure:{m}" for m, _ in lists}
    return sorted(found | {"follow-up"})


def _drain_in_background(today: dt.date | None) -> None:
    settings = load_settings()
    logs = settings.home / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    argv = [sys.executable, "-m", "flows.follow_up", "--drain"]
    if today is not None:
        argv += ["--today", today.isoformat()]
    with (logs / "follow-up.log").open("ab") as log:
        subprocess.Popen(
            argv,
            cwd=PROJECT_ROOT,
            env=dict(os.environ),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def advance(numbers: list[str], *, today: dt.date, label: str = "") -> list[dict[str, Any]]:
    """`ipaward advance`: the operator waits for one batch flow run (or inline steps)."""
    if not numbers:
        return []
    if mode() == "inline":
        from tasks.advance_steps import advance_numbers
        from tasks.notice_delivery import deliver_notices

        reports = advance_numbers(numbers, today, NO_RUN)
        deliver_notices.fn([n for r in reports for n in r["notice_ids"]])
        return reports
    from flows.batch import advance_batch

    result: list[dict[str, Any]] = advance_batch(
        numbers, today, label=label or f"{len(numbers)} applications"
    )
    return result


def settle(measure: str, year: int, *, today: dt.date, open_new: bool = True) -> dict[str, Any]:
    """`ipaward cycle`: one yearly measure's list, as far as it goes."""
    if mode() == "inline":
        from tasks.cycle_chunks import InlineRunner, run_cycle

        return run_cycle(InlineRunner(), measure=measure, year=year, today=today, open_new=open_new)
    from prefect import tags

    from flows.cycle import annual_cycle

    with tags(f"measure:{measure}", f"cycle:{measure}:{year}"):  # on the run, at creation
        result: dict[str, Any] = annual_cycle(measure, year, today, open_new=open_new)
    return result


def settle_year(year: int, *, today: dt.date) -> list[dict[str, Any]]:
    """Every yearly measure's list of `year`, as far as each goes (the demo's settlement)."""
    if mode() == "inline":
        from tasks.runtime import context

        return [settle(code, year, today=today) for code in context().policy.annual_codes(year)]
    from flows.cycle import annual_settlement

    result: list[dict[str, Any]] = annual_settlement(year, today)
    return result


def remind(today: dt.date) -> dict[str, Any]:
    """`ipaward remind`: 催办 of overdue work items."""
    if mode() == "inline":
        from flows.reminders import remind as remind_task

        inline: dict[str, Any] = remind_task.fn(today)
        return inline
    from flows.reminders import daily_reminders

    result: dict[str, Any] = daily_reminders(today)
    return result


def report(year: int, today: dt.date) -> dict[str, Any]:
    """`ipaward report`: 措施十八 yearly assessment report."""
    if mode() == "inline":
        from flows.m18_report import compile_report

        inline: dict[str, Any] = compile_report.fn(year, today)
        return inline
    from flows.m18_report import m18_yearly_report

    result: dict[str, Any] = m18_yearly_report(year, today)
    return result
