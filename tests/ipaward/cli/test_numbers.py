"""Whole-number options and arguments: outside their range one Chinese line naming the option
and the range, exit 2, and the command has not run (nothing stored)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import Result

from ipaward.db.models import AuditEntry, Cycle, Decision
from tests.ipaward.cli.conftest import RunCli
from tests.ipaward.cli.test_workflow_commands import submitted
from tests.support.workbench import Workbench, runtime_workbench

HUGE = "1" + "0" * 30


@pytest.fixture
def bench(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workbench]:
    monkeypatch.setenv("IPAWARD_ADVANCE", "inline")
    for bench in runtime_workbench(tmp_path, monkeypatch):
        assert bench.settings.home == home
        yield bench


def refused(result: Result, option: str, allowed: str) -> None:
    assert result.exit_code == 2, result.output
    line = result.stderr.strip()
    assert "\n" not in line, line  # one line, no usage box
    assert line.startswith(f"参数错误 {option}:") and allowed in line, line


def a_return(item: int, deadline: str) -> list[str]:
    return [
        "decide",
        str(item),
        "return",
        "--dept",
        "city.amr",
        "--comment",
        "请补正",
        "--items",
        "documents[transfer_contract]:盖章不清",
        "--deadline-days",
        deadline,
        "--today",
        "2025-09-15",
    ]


@pytest.mark.parametrize("deadline", ["0", "61", "99999999", "100000", "-1", "abc", HUGE])
def test_a_deadline_out_of_range_is_refused_before_anything_is_stored(
    run_cli: RunCli, bench: Workbench, deadline: str
) -> None:
    number = submitted(run_cli, bench)
    [item] = bench.open_items(number)
    audit_before = bench.count(AuditEntry)

    result = run_cli(*a_return(item.id, deadline))

    refused(result, "--deadline-days", "补正期限须为1至60个工作日之间的整数")
    assert bench.count(Decision) == 0 and bench.count(AuditEntry) == audit_before
    assert bench.open_items(number) == [item]  # the application still waits on the lead unit


@pytest.mark.parametrize("deadline", ["1", "60"])
def test_the_bounds_themselves_are_accepted(
    run_cli: RunCli, bench: Workbench, deadline: str
) -> None:
    number = submitted(run_cli, bench)
    [item] = bench.open_items(number)

    result = run_cli(*a_return(item.id, deadline))

    assert result.exit_code == 0, result.output
    correction = bench.application(number).correction or {}
    assert correction["deadline_working_days"] == int(deadline)


@pytest.mark.parametrize("value", ["0", "-5", HUGE, "abc"])
def test_a_work_item_or_version_out_of_range_is_refused(
    run_cli: RunCli, bench: Workbench, value: str
) -> None:
    number = submitted(run_cli, bench)
    [item] = bench.open_items(number)

    if not value.startswith("-"):  # click reads "-5" in an argument's place as an option
        refused(
            run_cli("decide", value, "approve", "--dept", "city.amr"),
            "ITEM",
            "待办事项编号须为1至9223372036854775807之间的整数",
        )
    refused(
        run_cli("decide", str(item.id), "approve", "--dept", "city.amr", "--version", value),
        "--version",
        "版本号须为1至9223372036854775807之间的整数",
    )
    assert bench.count(Decision) == 0


@pytest.mark.parametrize("year", ["1999", "2101", "99999", "0", "abc"])
def test_a_year_out_of_range_is_refused_and_stores_no_cycle(
    run_cli: RunCli, bench: Workbench, year: str
) -> None:
    refused(run_cli("cycle", "--year", year), "--year", "年度须为2000至2100之间的整数")
    refused(run_cli("report", "--year", year), "--year", "年度须为2000至2100之间的整数")
    assert bench.count(Cycle) == 0
    assert not (bench.settings.home / "reports").exists()


@pytest.mark.parametrize(
    ("args", "option", "allowed"),
    [
        (["web", "--port", "0"], "--port", "1至65535"),
        (["web", "--port", "70000"], "--port", "1至65535"),
        (["serve", "--port", "abc"], "--port", "1至65535"),
        (["serve", "--prefect-port", "65536"], "--prefect-port", "1至65535"),
        (["demo", "--seed", "-1"], "--seed", "0至4294967295"),
    ],
)
def test_ports_and_seeds_out_of_range_are_refused_before_anything_starts(
    run_cli: RunCli, home: Path, args: list[str], option: str, allowed: str
) -> None:
    refused(run_cli(*args), option, allowed)
    assert not home.exists()
