"""How the automated steps are started (inline, a flow run here, or a served deployment), and
the commands `ipaward cycle`, `remind` and `report` (run inline here)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from ipaward import orchestrate
from ipaward.cli import cycle_cmd
from tests.ipaward.cycles.support import FILED, CycleBench, m09


def test_dispatch_is_inline_a_flow_or_a_deployment(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("IPAWARD_ADVANCE", "IPAWARD_DISPATCH", "PREFECT_API_URL"):
        monkeypatch.delenv(key, raising=False)
    assert orchestrate.dispatch_mode() == "flow"  # the default is unchanged
    monkeypatch.setenv("IPAWARD_DISPATCH", "deployment")
    assert orchestrate.dispatch_mode() == "flow"  # no server: nothing to dispatch to
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4200/api")
    assert orchestrate.dispatch_mode() == "deployment"
    monkeypatch.setenv("IPAWARD_ADVANCE", "inline")
    assert orchestrate.dispatch_mode() == "inline"


def test_a_decision_under_serve_queues_the_served_deployment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    queued: list[tuple[str, dict[str, Any]]] = []

    class Run:
        id, name = "0000", "brisk-run"

    def queue(name: str, parameters: dict[str, Any]) -> Run:
        queued.append((name, parameters))
        return Run()

    monkeypatch.delenv("IPAWARD_ADVANCE", raising=False)
    monkeypatch.setenv("IPAWARD_DISPATCH", "deployment")
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4200/api")
    monkeypatch.setattr(orchestrate, "_queue", queue)

    [one] = orchestrate.advance(["ZZIP-2024-M06-000001"], today=FILED)
    orchestrate.advance(["A", "B"], today=FILED)
    settled = orchestrate.settle("M07", 2024, today=FILED, open_new=False)

    assert one["state"] == "queued" and "brisk-run" in one["steps"][0]
    assert queued == [
        (
            "advance-application/on-decision",
            {"number": "ZZIP-2024-M06-000001", "today": "2025-03-03"},
        ),
        (
            "advance-batch/daily-open",
            {"numbers": ["A", "B"], "today": "2025-03-03", "label": "2 applications"},
        ),
        (
            "annual-cycle/settle-m07",
            {"measure": "M07", "year": 2024, "today": "2025-03-03", "open_new": False},
        ),
    ]
    assert settled["measure"] == "M07"


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
