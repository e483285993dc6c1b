"""Advance applications: one transaction per application, chunks of hundreds per task."""

from __future__ import annotations

import datetime as dt
from typing import Any

from prefect import task
from sqlalchemy import select

from ipaward.db.models import Application
from ipaward.repository.runs import NO_RUN, RunRef
from ipaward.workflow.advance import advance_application
from ipaward.workflow.states import OPEN_STATES
from tasks.runtime import context, current_run, run_logger, transaction


def advance_number(number: str, today: dt.date, run: RunRef = NO_RUN) -> dict[str, Any]:
    """One application in one transaction; `run` is recorded on it in the same one."""
    with transaction() as session:
        application_id = session.scalar(select(Application.id).where(Application.number == number))
        if application_id is None:
            raise LookupError(f"没有申请{number}")
        report = advance_application(
            session, context(), application_id=application_id, today=today, run=run
        )
    return vars(report)


def advance_numbers(numbers: list[str], today: dt.date, run: RunRef) -> list[dict[str, Any]]:
    """Each application on its own; one failure does not stop the others (reported by
    number, the caller decides how loud)."""
    reports = []
    for number in numbers:
        try:
            reports.append(advance_number(number, today, run))
        except Exception as error:  # reported per application; the batch goes on
            reports.append(
                {"number": number, "error": f"{type(error).__name__}: {error}", "notice_ids": []}
            )
    return reports


def log_reports(reports: list[dict[str, Any]]) -> None:
    """What happened to each application, in the run's log (INFO), naming it."""
    logger = run_logger()
    for report in reports:
        if report.get("error"):
            logger.error("申请%s推进失败:%s", report["number"], report["error"])
        else:
            steps = ";".join(report.get("steps") or ["无变化"])
            logger.info("申请%s:%s(现为%s)", report["number"], steps, report.get("state"))


@task(name="advance chunk", retries=1, retry_delay_seconds=1, timeout_seconds=1800)
def advance_chunk(numbers: list[str], today: dt.date) -> list[dict[str, Any]]:
    """Hundreds of applications in one task run; one failure does not stop the others."""
    reports = advance_numbers(numbers, today, current_run())
    log_reports(reports)
    return reports


@task(name="list open applications")
def open_application_numbers(measure: str | None = None) -> list[str]:
    with transaction() as session:
        query = (
            select(Application.number)
            .where(Application.state.in_(OPEN_STATES))
            .order_by(Application.id)
        )
        if measure:
            query = query.where(Application.measure == measure)
        return list(session.scalars(query))
