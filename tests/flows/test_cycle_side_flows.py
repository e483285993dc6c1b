"""The other scheduled runs: the daily 催办 and the yearly 措施十八 report, as flow runs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from prefect.client.schemas.objects import StateType

from flows.m18_report import m18_yearly_report
from flows.reminders import daily_reminders
from tests.ipaward.cycles.support import CycleBench, closing, open_cycle_bench
from tests.support.applications import example
from tests.support.prefect_runs import artifacts_keyed, flow_runs_named


@pytest.fixture
def cycle_bench(
    prefect_api: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[CycleBench]:
    yield from closing(open_cycle_bench(tmp_path, monkeypatch))


def test_the_daily_reminder_run_sends_each_reminder_once(
    cycle_bench: CycleBench, started: dt.datetime
) -> None:
    number = cycle_bench.submit(example("m06_grading"), on=dt.date(2025, 9, 12))
    cycle_bench.advance(number, on=dt.date(2025, 9, 12))

    first = daily_reminders(dt.date(2025, 9, 28))
    again = daily_reminders(dt.date(2025, 9, 28))

    assert first["sent"] == {"L1:city.amr": 1} and again["sent"] == {}
    runs = flow_runs_named("reminders 2025-09-28", since=started)
    assert len(runs) == 2 and all(r.state_type == StateType.COMPLETED for r in runs)
    assert any("2025-09-28" in str(a.description) for a in artifacts_keyed("reminders"))
    assert list((cycle_bench.settings.home / "mailbox" / "city.amr").glob("*.eml"))


def test_the_m18_report_is_published_as_an_artifact_and_kept_as_a_file(
    cycle_bench: CycleBench, started: dt.datetime
) -> None:
    cycle_bench.accept(example("m13_service_body_year"))

    result = m18_yearly_report(2024, dt.date(2025, 7, 1))

    [run] = flow_runs_named("m18 report 2024", since=started)
    assert run.state_type == StateType.COMPLETED
    [artifact] = [a for a in artifacts_keyed("m18-report") if a.flow_run_id == run.id]
    assert (
        isinstance(artifact.data, str)
        and "| M13 | 健全知识产权服务体系 | annual | 1 |" in artifact.data
        and "ipaward verify --head" in artifact.data  # the chain head leaves the database
    )
    assert Path(result["path"]).read_text(encoding="utf-8") == result["markdown"]
