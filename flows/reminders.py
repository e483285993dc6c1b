"""reminders: the daily 催办 run (overdue work items, in official working days)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact

from flows.naming import run_name
from ipaward import clock
from ipaward.workflow.reminders import send_reminders
from tasks.cycle_chunks import deliver
from tasks.runtime import context, transaction


@task(name="send reminders")
def remind(today: dt.date) -> dict[str, Any]:
    """Reminder rows and their notices in one transaction, then delivery."""
    with transaction() as session:
        report = send_reminders(session, context(), today=today)
    deliver(report.notice_ids)
    return {"today": today.isoformat(), **vars(report)}


@flow(name="reminders", flow_run_name=run_name("reminders {today}"))
def daily_reminders(today: dt.date | None = None) -> dict[str, Any]:
    """Idempotent: each reminder is sent once per work item, level and deadline."""
    result = remind(today or clock.today())
    lines = [
        f"# 催办 {result['today']}",
        "",
        *(f"- {s}" for s in result["steps"] or ["无新逾期事项"]),
    ]
    create_markdown_artifact(
        key="reminders", markdown="\n".join(lines), description=f"催办 {result['today']}"
    )
    return result
