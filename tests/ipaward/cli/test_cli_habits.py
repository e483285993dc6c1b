"""The command line fits its users (issue 11.7): `--version`, `--json` on every command that
prints a result, Chinese labels in tables, help without Python types, a plain not-found."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from ipaward.cli import app
from ipaward.lifecycle.states import AnnualListState, ApplicationState
from ipaward.workflow.states import STAGE_NAMES
from tests.ipaward.cli.conftest import RunCli
from tests.ipaward.workflow.test_intake import damage, faulty_m07
from tests.support.applications import example
from tests.support.workbench import Workbench, at, runtime_workbench

FILED = "2025-09-15"
PYTHON_TYPE = re.compile(r"<(bool|int|str|float|Path|list\[[^>]*)>")
RAW_VALUES = sorted(
    {s.value for s in ApplicationState}
    | {s.value for s in AnnualListState if "_" in s.value}
    | set(STAGE_NAMES)
    | {"approve", "countersign", "applicant", "system", "application"},
    key=len,
    reverse=True,
)


@pytest.fixture
def bench(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workbench]:
    monkeypatch.setenv("IPAWARD_ADVANCE", "inline")
    yield from runtime_workbench(tmp_path, monkeypatch)


def submitted(run_cli: RunCli, bench: Workbench, name: str = "m07_university_transfers") -> str:
    path = bench.write(example(name))
    result = run_cli("submit", "--json", "--as-of", FILED, str(path))
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.stdout)
    return str(row["number"])


def as_json(run_cli: RunCli, *args: str) -> object:
    """Run with --json: exit 0 and stdout is one JSON document, Chinese unescaped."""
    result = run_cli(*args, "--json")
    assert result.exit_code == 0, (args, result.output)
    assert "\\u" not in result.stdout, args
    return json.loads(result.stdout)


def raw_values_in(text: str) -> list[str]:
    words = set(re.findall(r"[a-z]+(?:_[a-z]+)*", text))
    return [value for value in RAW_VALUES if value in words]


def test_version_prints_the_installed_package_version(run_cli: RunCli) -> None:
    result = run_cli("--version")

    assert result.exit_code == 0
    assert result.stdout.strip() == f"ipaward {metadata.version('ipaward')}"


def command_paths() -> list[list[str]]:
    """Every command and sub-command, as typed after `ipaward`."""
    root = typer.main.get_command(app)
    paths: list[list[str]] = [[]]
    for name, command in getattr(root, "commands", {}).items():
        paths.append([name])
        paths += [[name, sub] for sub in getattr(command, "commands", {})]
    return paths


@pytest.mark.parametrize("path", command_paths(), ids=lambda p: " ".join(p) or "ipaward")
def test_help_shows_natural_metavars_never_python_types(path: list[str], home: Path) -> None:
    result = CliRunner().invoke(app, [*path, "--help"], catch_exceptions=False)

    assert result.exit_code == 0, result.output
    assert PYTHON_TYPE.findall(result.stdout) == []


def test_help_names_values_in_chinese(run_cli: RunCli) -> None:
    decide = run_cli("decide", "--help").stdout
    for word in ("待办号", "决定", "部门代码", "天数", "版本号", "日期"):
        assert word in decide, word
    assert "文件..." in run_cli("assess", "--help").stdout
    assert "年度" in run_cli("cycle", "--help").stdout


def test_status_of_an_unknown_number_says_there_is_no_such_application(
    run_cli: RunCli, bench: Workbench
) -> None:
    submitted(run_cli, bench)  # a home with a database

    result = run_cli("status", "NOSUCH")

    assert result.exit_code == 1
    assert "查无此申请" in result.stderr and "没有申请NOSUCH" in result.stderr
    assert "未保存" not in result.stderr
    missing = run_cli("status", "NOSUCH", "--json")
    assert missing.exit_code == 1 and json.loads(missing.stdout) == {
        "found": False,
        "number": "NOSUCH",
    }


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


def test_tables_show_chinese_labels_never_stored_values(run_cli: RunCli, bench: Workbench) -> None:
    number = bench.submit(faulty_m07(), on=dt.date(2025, 9, 15), label="m07", broken=damage)
    bench.advance(number, on=dt.date(2025, 9, 15))
    assert bench.application(number).state == "correction_requested"
    other = submitted(run_cli, bench, "m06_grading")
    [item] = bench.open_items(other)

    outputs = {
        "status": run_cli("status", number),
        "status (decided)": run_cli("status", other),
        "decide": run_cli("decide", str(item.id), "approve", "--dept", item.department),
        "advance": run_cli("advance", "--today", "2025-09-16"),
        "inbox": run_cli("inbox", "--dept", "city.finance"),
        "cycle": run_cli("cycle", "--year", "2024", "--measure", "M09", "--today", FILED),
    }

    for name, result in outputs.items():
        assert result.exit_code == 0, (name, result.output)
        assert raw_values_in(result.stdout) == [], (name, result.stdout)
    assert "待补正" in outputs["status"].stdout
    assert "M07 盘活存量专利" in outputs["status"].stdout
    assert "牵头单位审核" in outputs["status (decided)"].stdout
    assert "等待: 申请人(补正期限" in outputs["advance"].stdout
    assert "系统 退回补正" in outputs["status"].stdout


def test_advance_reports_progress_through_its_callback(run_cli: RunCli, bench: Workbench) -> None:
    from tasks import dispatch

    numbers = [submitted(run_cli, bench), submitted(run_cli, bench, "m06_grading")]
    seen: list[tuple[int, int]] = []

    reports = dispatch.advance(
        numbers, today=dt.date(2025, 9, 16), progress=lambda done, total: seen.append((done, total))
    )

    assert [r["number"] for r in reports] == numbers
    assert seen == [(0, 2), (1, 2), (2, 2)]


def test_the_progress_bar_draws_on_a_terminal_only(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from rich.console import Console

    from ipaward.cli import progress

    with progress.progress_bar("推进申请") as report:  # pytest's stderr is no terminal
        report(1, 2)
    assert report is progress._ignore
    with progress.progress_bar("推进申请", quiet=True) as report:
        assert report is progress._ignore

    screen = io.StringIO()
    terminal = Console(file=screen, force_terminal=True, width=80)
    monkeypatch.setattr(progress, "Console", lambda stderr: terminal)
    with progress.progress_bar("推进申请") as report:
        report(1, 2)
    assert "推进申请" in screen.getvalue() and "1/2" in screen.getvalue()


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


SERVERS = {"web", "serve"}  # they run until stopped; nothing to print as a result


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


def test_label_lookups_fall_back_to_the_value_rather_than_hiding_it(home: Path) -> None:
    from ipaward.cli import labels

    assert labels.state("correction_requested") == "待补正"
    assert labels.list_state("budget_stop") == "超出预算暂停"
    assert labels.list_state("none") == "尚无名单"
    assert labels.stage("lead_review") == "牵头单位审核" and labels.stage(None) == "—"
    assert labels.outcome("return") == "退回补正"
    assert labels.measure("M07") == "M07 盘活存量专利"
    assert labels.waiting("publicity(至2025-10-09)") == "公示(至2025-10-09)"
    assert labels.departments(["city.finance", "applicant(补正期限2025-09-29)"]) == (
        "市财政局、申请人(补正期限2025-09-29)"
    )
    assert labels.action("application.return") == "退回补正"
    assert labels.state("something_new") == "something_new"


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
