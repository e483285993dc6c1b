"""annual-cycle: settle one yearly measure for one year as a list, in chunks of hundreds.

Runs on the yearly date (the previous year's applications), again after a department decides
on the list, and daily (`open-cycles`) while a list waits on 公示 or payment. Each run does
what it can and stops at the next human gate; a rerun, or a run after a crash, pays nothing
twice and loses nothing (see ipaward/cycles).
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from prefect import flow
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from flows.naming import last_year, run_name, untagged
from ipaward import clock
from ipaward.cycles.lines import DEFAULT_CHUNK
from tasks.cycle_chunks import PrefectRunner, open_cycles, run_cycle
from tasks.cycle_report import publish_cycle_report
from tasks.runtime import context


def cycle_task_runner() -> TaskRunner[Any]:
    """IPAWARD_TASK_RUNNER=dask spreads the chunks over a Dask cluster (IPAWARD_DASK_ADDRESS,
    or a local one of IPAWARD_DASK_WORKERS workers, processes if IPAWARD_DASK_PROCESSES=1);
    default: a thread pool of
    IPAWARD_CYCLE_THREADS (1: the embedded SQLite takes one writer at a time anyway)."""
    if os.environ.get("IPAWARD_TASK_RUNNER", "").lower() == "dask":
        from prefect_dask.task_runners import DaskTaskRunner

        address = os.environ.get("IPAWARD_DASK_ADDRESS")
        if address:
            return DaskTaskRunner(address=address)
        workers = int(os.environ.get("IPAWARD_DASK_WORKERS", "2"))
        processes = os.environ.get("IPAWARD_DASK_PROCESSES", "0") == "1"
        return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "processes": processes})
    return ThreadPoolTaskRunner(max_workers=int(os.environ.get("IPAWARD_CYCLE_THREADS", "1")))


@flow(
    name="annual-cycle",
    flow_run_name=run_name("annual cycle {measure} {year}", year=last_year),
    task_runner=cycle_task_runner(),
)
def annual_cycle(
    measure: str,
    year: int | None = None,
    today: dt.date | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    open_new: bool = True,
) -> dict[str, Any]:
    """Line up the year's applications → lead unit → responsible units → 公示 → finance → ledger."""
    day = today or clock.today()
    return _settle(measure, year if year is not None else day.year - 1, day, chunk_size, open_new)


@flow(
    name="annual-settlement",
    flow_run_name=run_name("annual settlement {year}", year=last_year),
    task_runner=cycle_task_runner(),
)
def annual_settlement(
    year: int | None = None,
    today: dt.date | None = None,
    measures: list[str] | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    open_new: bool = True,
) -> list[dict[str, Any]]:
    """`ipaward cycle --year`: every yearly measure's list of the year, in ONE flow run."""
    day = today or clock.today()
    settled = year if year is not None else day.year - 1
    return [
        _settle(code, settled, day, chunk_size, open_new)
        for code in measures or context().policy.annual_codes(settled)
    ]


@flow(
    name="open-cycles",
    flow_run_name=run_name("open cycles {today}"),
    task_runner=cycle_task_runner(),
)
def advance_open_cycles(today: dt.date | None = None) -> list[dict[str, Any]]:
    """Daily: move on every list that waits on the calendar (公示) or on payment."""
    day = today or clock.today()
    return [_settle(measure, year, day, DEFAULT_CHUNK, False) for measure, year in open_cycles()]


def _settle(
    measure: str, year: int, day: dt.date, chunk_size: int, open_new: bool
) -> dict[str, Any]:
    # Tags are set on the flow run when it is created (the deployment's, or the caller's
    # `tags()`), never on its task runs: a tagged task run asks the API for tag concurrency
    # slots (about 0.15 s each here), which doubled the run's time at 10,000.
    with untagged():
        report = run_cycle(
            PrefectRunner(),
            measure=measure,
            year=year,
            today=day,
            chunk_size=chunk_size,
            open_new=open_new,
        )
        if report.get("state") and report["state"] != "none":
            publish_cycle_report(report)
    return report
