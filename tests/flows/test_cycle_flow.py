"""The annual-cycle flow run directly: named and tagged runs, chunked task runs, an artifact;
once on SQLite and once on PostgreSQL (where reachable), and once on a Dask cluster."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from prefect import tags
from prefect.client.schemas.objects import StateType

from flows.cycle import advance_open_cycles, annual_cycle, annual_settlement
from tests.ipaward.cycles.support import FILED, CycleBench, another, closing, m09, open_cycle_bench
from tests.support.applications import example
from tests.support.prefect_runs import artifacts_keyed, flow_run, flow_runs_named, task_runs_of


@pytest.fixture
def cycle_bench(
    prefect_api: None, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[CycleBench]:
    yield from closing(open_cycle_bench(tmp_path, monkeypatch, database_url=database_url))


@pytest.fixture
def sqlite_cycle_bench(
    prefect_api: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[CycleBench]:
    yield from closing(open_cycle_bench(tmp_path, monkeypatch))


def _cohort(bench: CycleBench, count: int) -> list[str]:
    return [bench.accept(another(m09(f"F{i}-", 2), 30 + i)) for i in range(count)]


def test_the_cycle_flow_settles_a_list_in_chunks_and_pays_each_line_once(
    cycle_bench: CycleBench, started: dt.datetime
) -> None:
    numbers = _cohort(cycle_bench, 7)

    with tags("measure:M09", "cycle:M09:2024"):  # as `ipaward cycle` and the deployments set them
        report = annual_cycle("M09", 2024, FILED, chunk_size=3)

    assert (report["state"], report["stage"]) == ("in_review", "lead_review")
    [run] = flow_runs_named("annual cycle M09 2024", since=started)
    assert run.state_type == StateType.COMPLETED
    assert {"measure:M09", "cycle:M09:2024"} <= set(flow_run(run.id).tags)
    tasks = task_runs_of(run.id)
    assert not any(t.tags for t in tasks)  # tagged task runs would each ask for tag slots
    names = [t.name.rsplit("-", 1)[0] for t in tasks]
    assert names.count("line up chunk") == 3  # 7 applications in chunks of 3, not 7 tasks
    assert len(artifacts_keyed("cycle-m09")) >= 1  # one key per measure, a version a run

    day = FILED
    for _ in range(8):
        if report["state"] == "done":
            break
        if report["state"] == "publicity":
            day = cycle_bench.cycle("M09").publicity_ends + dt.timedelta(days=1)
        else:
            cycle_bench.approve_list("M09")
        report = annual_cycle("M09", 2024, day, chunk_size=3)
    assert report["state"] == "done" and report["lines"] == {"paid": 7}
    runs = flow_runs_named("annual cycle M09 2024", since=started)
    pays = [t for r in runs for t in task_runs_of(r.id) if t.name.startswith("pay chunk")]
    assert len(pays) == 3
    for number in numbers:
        assert len(cycle_bench.ledger(number)) == 1
        assert cycle_bench.notice_kinds(number).count("payment") == 1
    mailbox = cycle_bench.settings.home / "mailbox"
    assert len(list(mailbox.glob("applicant-*/*.eml"))) == 7  # delivered after each commit


def test_the_cycle_chunks_spread_over_a_dask_cluster(
    sqlite_cycle_bench: CycleBench, started: dt.datetime
) -> None:
    DaskTaskRunner = pytest.importorskip("prefect_dask.task_runners").DaskTaskRunner

    _cohort(sqlite_cycle_bench, 5)
    runner = DaskTaskRunner(cluster_kwargs={"n_workers": 2, "processes": False})
    report = annual_cycle.with_options(task_runner=runner)("M09", 2024, FILED, chunk_size=2)

    assert report["lines"] == {"included": 5}
    [run] = flow_runs_named("annual cycle M09 2024", since=started)
    assert run.state_type == StateType.COMPLETED
    names = [t.name.rsplit("-", 1)[0] for t in task_runs_of(run.id)]
    assert names.count("line up chunk") == 3


def test_one_settlement_run_opens_every_measures_list_and_the_daily_run_moves_them_on(
    sqlite_cycle_bench: CycleBench, started: dt.datetime
) -> None:
    sqlite_cycle_bench.accept(example("m13_service_body_year"))
    sqlite_cycle_bench.accept(example("m14_operation_centre_year"))

    reports = annual_settlement(2024, FILED)

    by_measure = {r["measure"]: r for r in reports}
    assert by_measure["M13"]["stage"] == by_measure["M14"]["stage"] == "lead_review"
    assert by_measure["M07"]["state"] == "done"  # nothing filed: its list closes at once
    [run] = flow_runs_named("annual settlement 2024", since=started)
    assert run.state_type == StateType.COMPLETED
    assert flow_runs_named("annual cycle M13 2024", since=started) == []  # no sub-flow runs

    sqlite_cycle_bench.approve_list("M13")
    moved = {r["measure"]: r for r in advance_open_cycles(FILED)}
    assert moved["M13"]["stage"] == "countersign" and moved["M14"]["stage"] == "lead_review"
    assert "M07" not in moved
