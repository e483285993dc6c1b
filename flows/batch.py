"""advance a batch: many applications in one flow run, hundreds per task (never one run each)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from prefect import flow

from flows.naming import run_name
from ipaward import clock
from ipaward.workflow.limits import check_chunk_size
from tasks.advance_steps import advance_chunk, open_application_numbers
from tasks.notice_delivery import deliver_notices
from tasks.reporting import publish_batch

DEFAULT_CHUNK = 200


class BatchFailed(RuntimeError):
    """Some applications of the batch failed; the message names each one."""


@flow(name="advance-batch", flow_run_name=run_name("advance batch {label} {today}"))
def advance_batch(
    numbers: list[str] | None = None,
    today: dt.date | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    label: str = "open",
) -> list[dict[str, Any]]:
    """All open applications (or the given ones), chunk by chunk, then their notices."""
    check_chunk_size(chunk_size)
    day = today or clock.today()
    todo = numbers if numbers is not None else open_application_numbers()
    reports: list[dict[str, Any]] = []
    for start in range(0, len(todo), chunk_size):
        chunk_reports = advance_chunk(todo[start : start + chunk_size], day)
        deliver_notices([notice for r in chunk_reports for notice in r["notice_ids"]])
        reports += chunk_reports
    if reports:
        publish_batch(reports, title=f"advance batch {label} {day.isoformat()}")
    failed = {r["number"]: r["error"] for r in reports if r.get("error")}
    if failed:  # the others are done; the run says which failed, and ends Failed
        named = ";".join(f"{number}:{error}" for number, error in failed.items())
        raise BatchFailed(
            f"{len(failed)}件申请推进失败(其余{len(reports) - len(failed)}件已完成):{named}"
        )
    return reports
