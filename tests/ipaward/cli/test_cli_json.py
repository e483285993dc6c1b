"""`--json` on every command that prints a result (issue 11.7): stable keys, stored values,
Chinese text unescaped; a refused action says so as JSON too."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from ipaward.cli import app
from tests.ipaward.cli.conftest import RunCli
from tests.ipaward.cli.habits import FILED, as_json, command_paths, inline_bench, submitted
from tests.ipaward.workflow.test_intake import damage, faulty_m07
from tests.support.applications import example
from tests.support.workbench import Workbench, at


@pytest.fixture
def bench(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workbench]:
    yield from inline_bench(tmp_path, monkeypatch)


SERVERS = {"web", "serve"}  # they run until stopped; nothing to print as a result


def test_decide_advance_status_and_withdraw_print_json(run_cli: RunCli, bench: Workbench) -> None:
    number = submitted(run_cli, bench)
    [item] = as_json(run_cli, "inbox", "--dept", "city.amr", "--today", FILED)

    decided = as_json(
        run_cli, "decide", str(item["work_item"]), "approve", "--dept", "city.amr", "--today", FILED
    )
    assert isinstance(decided, dict)
    assert (decided["work_item"], decided["outcome"]) == (item["work_item"], "approve")
    assert decided["follow_up"]["state"] == "done"
    [report] = decided["follow_up"]["reports"]
    assert (report["number"], report["state"], report["stage"]) == (
        number,
        "in_review",
        "countersign",
    )
    assert "进入责任单位会签(第1轮)" in report["steps"][-1]

    advanced = as_json(run_cli, "advance", number, "--today", "2025-09-16")
    assert isinstance(advanced, list) and [r["number"] for r in advanced] == [number]
    assert set(advanced[0]) == {
        "number",
        "measure",
        "state",
        "stage",
        "waiting_on",
        "steps",
        "error",
    }
    everything = as_json(run_cli, "advance", "--today", "2025-09-16")
    assert [r["number"] for r in everything] == [number]

    status = as_json(run_cli, "status", number)
    assert isinstance(status, dict) and status["state_name"] == "审核中"

    withdrawn = as_json(run_cli, "withdraw", number)
    assert withdrawn == {
        "number": number,
        "withdrawn": True,
        "follow_up": {"state": "done", "message": "", "reports": [], "cycles": [], "run_id": None},
    } or (isinstance(withdrawn, dict) and withdrawn["withdrawn"] is True)


def test_resubmit_and_object_print_json(run_cli: RunCli, bench: Workbench) -> None:
    number = bench.submit(faulty_m07(), on=dt.date(2025, 9, 15), label="m07", broken=damage)
    bench.advance(number, on=dt.date(2025, 9, 15))
    fixed = bench.write(example("m07_university_transfers"), label="m07")

    resubmitted = as_json(run_cli, "resubmit", number, str(fixed), "--today", "2025-09-19")

    assert isinstance(resubmitted, dict) and resubmitted["number"] == number
    assert len(resubmitted["changes"]) == 2
    assert {"path", "before", "after"} <= set(resubmitted["changes"][0])
    bench.drive(number, on=dt.date(2025, 9, 19), until=at(state="publicity"))
    objected = as_json(
        run_cli, "object", number, "--name", "张三", "--text", "受让方为关联企业",
        "--today", "2025-09-22",
    )  # fmt: skip
    assert isinstance(objected, dict) and objected["report"]["stage"] == "objection_review"


def test_measures_remind_report_and_cycle_print_json(run_cli: RunCli, bench: Workbench) -> None:
    submitted(run_cli, bench)

    measures = as_json(run_cli, "measures")
    assert isinstance(measures, dict) and len(measures["measures"]) == 18
    reminded = as_json(run_cli, "remind", "--today", "2025-12-01")
    assert isinstance(reminded, dict) and any("催办" in step for step in reminded["steps"])
    report = as_json(run_cli, "report", "--year", "2024", "--today", "2025-04-01")
    assert isinstance(report, dict) and "实施情况考核评价报告" in report["markdown"]
    cycles = as_json(run_cli, "cycle", "--year", "2024", "--measure", "M09", "--today", FILED)
    assert isinstance(cycles, list) and [c["measure"] for c in cycles] == ["M09"]


def test_init_and_the_user_commands_print_json(run_cli: RunCli, home: Path) -> None:
    runner = CliRunner()

    def user(*args: str, stdin: str | None = None) -> object:
        result = runner.invoke(app, ["user", *args, "--json"], input=stdin)
        assert result.exit_code == 0, (args, result.output)
        return json.loads(result.stdout)

    ready = as_json(run_cli, "init")
    assert isinstance(ready, dict) and ready["ready"] is True
    added = user(
        "add",
        "--dept",
        "city.amr",
        "--name",
        "李四",
        "--password-stdin",
        stdin="Strong-Zz-3f9a8b7c\n",
    )
    assert added == {"username": "李四", "display_name": "李四", "department": "city.amr"}
    [listed] = user("list")
    assert (listed["username"], listed["active"], listed["temporary_until"]) == ("李四", True, None)
    assert user("disable", "李四") == {"username": "李四", "active": False}
    assert user("enable", "李四") == {"username": "李四", "active": True}
    reset = user("reset", "李四")
    assert isinstance(reset, dict) and len(reset["temporary_password"]) >= 12


@pytest.mark.parametrize("path", command_paths()[1:], ids=" ".join)
def test_every_command_that_prints_a_result_takes_json(path: list[str], home: Path) -> None:
    command = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    if path[0] in SERVERS or hasattr(command, "commands"):
        return
    assert "--json" in {opt for p in command.params for opt in p.opts}, path


def test_the_demo_result_as_json_keeps_chinese_and_every_total() -> None:
    from collections import Counter

    from ipaward.cli.demo_cmd import as_dict
    from ipaward.demo.runner import DemoResult
    from ipaward.demo.summary import MeasureLine, Summary

    summary = Summary(
        measures={"M07": MeasureLine(applications=2, paid=1, rejected=1, amount=40000)},
        jurisdictions={"芗城区": (30000, 10000)},
        notices=Counter({"acceptance": 2}),
        rejections=[("ZZIP-2024-M07-000002", "不符合条件")],
    )
    result = DemoResult(
        summary, ["M07年度名单:公示至2025-03-10"], 9, 10, 12.34, dt.date(2025, 3, 14)
    )

    shown = json.loads(json.dumps(as_dict(result), ensure_ascii=False))

    assert shown["measures"]["M07"]["amount"] == 40000
    assert shown["jurisdictions"]["芗城区"] == {"city": 30000, "county": 10000}
    assert shown["rejections"] == [{"number": "ZZIP-2024-M07-000002", "reason": "不符合条件"}]
    assert (shown["days"], shown["end"], shown["seconds"]) == (9, "2025-03-14", 12.3)
    assert shown["notice_folder"] is None and shown["notices"] == {"acceptance": 2}


def test_a_refused_action_with_json_says_so_as_json_and_exits_1(
    run_cli: RunCli, bench: Workbench
) -> None:
    number = submitted(run_cli, bench)
    [item] = bench.open_items(number)

    refused = run_cli("decide", str(item.id), "approve", "--dept", "city.finance", "--json")
    withdrawn_twice = [run_cli("withdraw", number, "--json") for _ in range(2)][1]

    assert refused.exit_code == 1 and json.loads(refused.stdout)["saved"] is False
    assert "不属于city.finance" in json.loads(refused.stdout)["error"]
    assert "未保存" in refused.stderr
    assert withdrawn_twice.exit_code == 1 and json.loads(withdrawn_twice.stdout)["saved"] is False
