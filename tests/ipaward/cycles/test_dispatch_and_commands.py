"""How a command's follow-up reaches Prefect (inline, a background task under `serve`, a
drainer on the embedded default), and the commands `ipaward cycle`, `remind` and `report`."""

from __future__ import annotations

import datetime as dt

import pytest
import typer
from sqlalchemy import select
from typer.testing import CliRunner

from flows import dispatch
from ipaward.cli import cycle_cmd
from ipaward.db.models import Application, FollowUp
from ipaward.dispatch import hand_off
from ipaward.workflow import handoff
from tasks.follow_up_requests import follow_up as follow_up_task
from tests.ipaward.cycles.support import FILED, CycleBench, m09


def test_the_hand_off_is_inline_a_background_task_or_a_drainer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for key in ("IPAWARD_ADVANCE", "PREFECT_API_URL"):
        monkeypatch.delenv(key, raising=False)
    assert dispatch.mode() == "embedded"  # no server: a drainer process in the background
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4200/api")
    assert dispatch.mode() == "server"
    monkeypatch.setenv("IPAWARD_ADVANCE", "inline")
    assert dispatch.mode() == "inline"


def test_under_serve_a_decision_is_handed_to_a_background_task_tagged_at_creation(
    sqlite_bench: CycleBench, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IPAWARD_ADVANCE", "inline")
    number = sqlite_bench.accept(m09("D", 2))
    with sqlite_bench.transaction() as session:
        application = session.scalars(select(Application).filter_by(number=number)).one()
        request_id = handoff.ask(session, application, reason="test")
    delayed: list[tuple[list[int], str | None, set[str]]] = []

    class Future:
        task_run_id = "00000000-0000-0000-0000-000000000001"

    def delay(ids: list[int], today: str | None) -> Future:
        from prefect.context import TagsContext

        delayed.append((ids, today, set(TagsContext.get().current_tags)))
        return Future()

    monkeypatch.delenv("IPAWARD_ADVANCE", raising=False)
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4200/api")
    monkeypatch.setattr(follow_up_task, "delay", delay)

    handed = hand_off([request_id], today=FILED)

    assert (handed.state, handed.run_id) == ("queued", Future.task_run_id)
    assert "后台" in handed.message
    [(ids, today, tags)] = delayed
    assert (ids, today) == ([request_id], "2025-03-03")
    assert {f"app:{number}", "measure:M09", "follow-up"} <= tags
    with sqlite_bench.transaction() as session:
        request = session.get(FollowUp, request_id)
        assert request is not None and request.dispatched_at is not None
        assert request.state == "pending"  # done only by the work itself


def test_a_hand_off_that_fails_leaves_the_request_for_the_sweeper(
    sqlite_bench: CycleBench, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IPAWARD_ADVANCE", "inline")
    number = sqlite_bench.accept(m09("E", 2))
    with sqlite_bench.transaction() as session:
        application = session.scalars(select(Application).filter_by(number=number)).one()
        request_id = handoff.ask(session, application, reason="test")

    def down(ids: list[int], today: str | None) -> None:
        raise ConnectionError("All connection attempts failed")

    monkeypatch.delenv("IPAWARD_ADVANCE", raising=False)
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4200/api")
    monkeypatch.setattr(follow_up_task, "delay", down)

    handed = hand_off([request_id], today=FILED)

    assert handed.state == "waiting"
    assert handed.message.startswith("已保存。") and "Error" not in handed.message
    with sqlite_bench.transaction() as session:
        request = session.get(FollowUp, request_id)
        assert request is not None and request.state == "pending"


def test_the_cycle_remind_and_report_commands(
    sqlite_bench: CycleBench, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IPAWARD_ADVANCE", "inline")
    number = sqlite_bench.accept(m09("C", 2))
    app = typer.Typer()
    cycle_cmd.register(app)
    runner = CliRunner()

    result = runner.invoke(
        app, ["cycle", "--year", "2024", "--measure", "M09", "--today", "2025-03-03", "--lines"]
    )
    assert result.exit_code == 0, result.output
    assert "M09 2024 in_review" in result.output and number in result.output
    result = runner.invoke(app, ["cycle", "--year", "2024", "--measure", "M04"])
    assert result.exit_code != 0
    result = runner.invoke(app, ["remind", "--today", (FILED + dt.timedelta(days=30)).isoformat()])
    assert result.exit_code == 0 and "催办→市市场监管局:1项" in result.output
    result = runner.invoke(app, ["report", "--year", "2024", "--today", "2025-04-01"])
    assert result.exit_code == 0 and "实施情况考核评价报告" in result.output


def test_ipaward_cycle_tags_its_flow_run_at_creation(monkeypatch: pytest.MonkeyPatch) -> None:
    import flows.cycle

    seen: list[set[str]] = []

    def annual_cycle(measure: str, year: int, today: object, *, open_new: bool) -> dict[str, str]:
        from prefect.context import TagsContext

        seen.append(set(TagsContext.get().current_tags))
        return {"measure": measure}

    monkeypatch.delenv("IPAWARD_ADVANCE", raising=False)
    monkeypatch.setattr(flows.cycle, "annual_cycle", annual_cycle)

    dispatch.settle("M07", 2024, today=FILED)

    assert seen == [{"measure:M07", "cycle:M07:2024"}]
