"""The command line fits its users (issue 11.7): `--version`, help without Python types,
Chinese labels in tables, a plain not-found, progress bars (`--json`: test_cli_json.py)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ipaward.cli import app
from ipaward.lifecycle.states import AnnualListState, ApplicationState
from ipaward.workflow.states import STAGE_NAMES
from tests.ipaward.cli.conftest import RunCli
from tests.ipaward.cli.habits import FILED, command_paths, inline_bench, submitted
from tests.ipaward.workflow.test_intake import damage, faulty_m07
from tests.support.workbench import Workbench

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
    yield from inline_bench(tmp_path, monkeypatch)


def raw_values_in(text: str) -> list[str]:
    words = set(re.findall(r"[a-z]+(?:_[a-z]+)*", text))
    return [value for value in RAW_VALUES if value in words]


def test_version_prints_the_installed_package_version(run_cli: RunCli) -> None:
    result = run_cli("--version")

    assert result.exit_code == 0
    assert result.stdout.strip() == f"ipaward {metadata.version('ipaward')}"


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
    from flows import dispatch

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


def test_label_lookups_fall_back_to_the_value_rather_than_hiding_it(home: Path) -> None:
    from ipaward.cli import table_labels as labels

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
