"""Bulk paths: many applications in ONE flow run, hundreds per task; the programme year."""

from __future__ import annotations

import datetime as dt
import math

from prefect.client.schemas.objects import StateType

from flows.batch import advance_batch
from flows.programme import programme_codes, programme_year
from ipaward.db.models import Notice, WorkItem
from tests.ipaward.cycles.support import m07 as m07_transfers
from tests.support.applications import example
from tests.support.prefect_runs import artifacts_keyed, flow_runs_named, task_runs_of
from tests.support.workbench import Workbench

FILED = dt.date(2025, 9, 15)


def test_a_batch_advances_every_application_in_one_run_with_one_task_per_chunk(
    bench: Workbench, started: dt.datetime
) -> None:
    # four M07 filings of one university, each for other transfers (one live application per item)
    numbers = [bench.submit(m07_transfers(8 * k, 8), on=FILED) for k in range(4)]
    numbers.append(bench.submit(example("m03_university_certification"), on=FILED))
    todo = [*numbers, "ZZIP-2024-M07-999999"]  # one that does not exist must not stop the rest
    chunk_size = 4

    state = advance_batch(todo, FILED, chunk_size=chunk_size, label="nightly", return_state=True)

    # The others are done; the run ends Failed and says which one failed.
    assert state.type == StateType.FAILED and "ZZIP-2024-M07-999999" in str(state.message)
    [run] = flow_runs_named(f"advance batch nightly {FILED}", since=started)
    assert run.state_type == StateType.FAILED
    assert bench.count(WorkItem) == 5
    names = [t.name.rsplit("-", 1)[0] for t in task_runs_of(run.id)]
    assert names.count("advance chunk") == math.ceil(len(todo) / chunk_size) == 2
    assert "advance application" not in names  # never one task per application
    [table] = [a for a in artifacts_keyed("advance-batch") if a.flow_run_id == run.id]
    assert table.type == "table" and table.flow_run_id == run.id
    assert all(number in str(table.data) for number in numbers)
    assert bench.count(WorkItem) == 5


def test_a_batch_without_numbers_takes_every_open_application(
    bench: Workbench, started: dt.datetime
) -> None:
    first = bench.submit(example("m07_university_transfers"), on=FILED)
    second = bench.submit(m07_transfers(20, 8), on=FILED)
    bench.withdraw(second)

    reports = advance_batch(today=FILED, label="open-only")

    assert [r["number"] for r in reports] == [first]
    [run] = flow_runs_named(f"advance batch open-only {FILED}", since=started)
    assert "list open applications" in [t.name.rsplit("-", 1)[0] for t in task_runs_of(run.id)]


def test_the_programme_year_assigns_every_programme_measure_once_however_often_it_runs(
    bench: Workbench,
) -> None:
    today = dt.date(2025, 3, 3)

    first = programme_year(2025, today)
    again = programme_year(2025, today)

    assert [r["cycle"] for r in first] == [
        f"{m}:2025" for m in programme_codes(dt.date(2025, 6, 1))
    ]
    assert all(r["stage"] == "assign" and r["notice_ids"] for r in first)
    assert all(r["notice_ids"] == [] for r in again)
    assert bench.count(WorkItem) == len(
        programme_codes(dt.date(2025, 6, 1))
    )  # the lead's assignment, once each
    assert bench.count(Notice) == len(programme_codes(dt.date(2025, 6, 1)))
    assert list((bench.settings.home / "mailbox").rglob("*.eml"))


def test_a_batch_labelled_in_chinese_completes_and_publishes_its_table(
    bench: Workbench, started: dt.datetime
) -> None:
    """The label is an operator's word (a deployment parameter); the artifact key must still be valid."""
    number = bench.submit(example("m07_university_transfers"), on=FILED)

    state = advance_batch([number], FILED, label="年度集中审核", return_state=True)

    assert bench.application(number).stage == "lead_review"  # the work itself was committed
    assert state.is_completed(), state.message
