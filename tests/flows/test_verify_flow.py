"""The daily verify-records run: its result and the chain head as an artifact with a stable
key; the run ends Failed, naming the row, when a record no longer agrees with the chain."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from prefect.client.schemas.objects import StateType
from sqlalchemy import text

from flows.verify import ARTIFACT_KEY, RecordsBroken, verify_daily
from tests.ipaward.cycles.support import CycleBench, closing, open_cycle_bench
from tests.support.applications import example
from tests.support.prefect_runs import artifacts_keyed, flow_runs_named


@pytest.fixture
def cycle_bench(
    prefect_api: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[CycleBench]:
    yield from closing(open_cycle_bench(tmp_path, monkeypatch))


def _artifact_of(started: dt.datetime, state: StateType) -> str:
    runs = [r for r in flow_runs_named("verify records", since=started) if r.state_type == state]
    assert runs, f"no {state} verify run"
    [artifact] = [a for a in artifacts_keyed(ARTIFACT_KEY) if a.flow_run_id == runs[-1].id]
    assert isinstance(artifact.data, str)
    return artifact.data


def test_the_daily_check_publishes_the_head_and_fails_naming_a_broken_row(
    cycle_bench: CycleBench, started: dt.datetime
) -> None:
    cycle_bench.accept(example("m13_service_body_year"))

    result = verify_daily()

    assert result["clean"] and result["head"]["entries"] > 0
    published = _artifact_of(started, StateType.COMPLETED)
    assert "核验通过" in published and result["head"]["hash"] in published

    with cycle_bench.transaction() as session:
        session.execute(text("DROP TRIGGER audit_log_no_update"))
        session.execute(text("UPDATE audit_log SET actor = 'someone' WHERE id = 2"))
    with pytest.raises(RecordsBroken, match="第2条审计记录"):
        verify_daily()
    assert "| audit_log | 2 |" in _artifact_of(started, StateType.FAILED)
