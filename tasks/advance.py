"""Advance applications: one transaction per application, chunks of hundreds per task."""

from __future__ import annotations

import datetime as dt
from typing import Any

from prefect import task
from sqlalchemy import select

from ipaward.db.models import Application
from ipaward.workflow.advance import advance_application
from ipaward.workflow.states import OPEN_STATES
from tasks.runtime import context, transaction


def advance_number(number: str, today: dt.date) -> dict[str, Any]:
    with transaction() as session:
        application_id = session.scalar(select(Application.id).where(Application.number == number))
        if application_id is None:
            raise LookupError(f"没有申请{number}")
        report = advance_application(session, context(), application_id=application_id, today=today)
    return vars(report)


@task(name="advance application", retries=2, retry_delay_seconds=1)
def advance_one(number: str, today: dt.date) -> dict[str, Any]:
    """Safe to retry: a failed attempt rolled back, and advancing is idempotent."""
    return advance_number(number, today)


@task(name="advance chunk", retries=1, retry_delay_seconds=1)
def advance_chunk(numbers: list[str], today: dt.date) -> list[dict[str, Any]]:
    """Hundreds of applications in one task run; one failure does not stop the others."""
    reports = []
    for number in numbers:
        try:
            reports.append(advance_number(number, today))
        except Exception as error:  # reported per application, the chunk goes on
            reports.append(
                {"number": number, "error": f"{type(error).__name__}: {error}", "notice_ids": []}
            )
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
