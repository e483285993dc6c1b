"""The yearly work cycle of the programme measures: assign → report → compile."""

from __future__ import annotations

import datetime as dt
from typing import Any

from prefect import flow, task

from flows.naming import run_name, this_year
from ipaward import clock
from ipaward.workflow.programme import advance_programme
from tasks.notice_delivery import deliver_notices
from tasks.runtime import context, transaction


@task(name="advance programme measure")
def advance_programme_measure(measure: str, year: int, today: dt.date) -> dict[str, Any]:
    with transaction() as session:
        report = advance_programme(session, context(), measure_code=measure, year=year, today=today)
    return vars(report)


def programme_codes(day: dt.date) -> list[str]:
    """The programme measures of the edition in force, by its codes."""
    edition = context().policy.current(day)
    return sorted(code for code, measure in edition.measures.items() if measure.kind == "programme")


@flow(name="programme-year", flow_run_name=run_name("programme work {year}", year=this_year))
def programme_year(year: int | None = None, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Idempotent: run it daily; it moves each measure on when the departments have answered.
    Without a year: the current one (the daily schedule)."""
    day = today or clock.today()
    work_year = year if year is not None else day.year
    reports = [advance_programme_measure(m, work_year, day) for m in programme_codes(day)]
    deliver_notices([notice for report in reports for notice in report["notice_ids"]])
    return reports
