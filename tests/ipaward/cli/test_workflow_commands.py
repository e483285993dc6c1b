"""`inbox`, `decide`, `status`, `withdraw`, `object`, `resubmit`: what an officer or applicant types.

IPAWARD_ADVANCE=inline runs the advance after each command without a Prefect server; a
Workbench on the same home drives the application to where a command is to be tried.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from ipaward.db.models import Decision
from tests.ipaward.cli.conftest import RunCli
from tests.ipaward.workflow.test_intake import damage, faulty_m07
from tests.support.applications import example
from tests.support.workbench import Workbench, at, runtime_workbench

FILED = "2025-09-15"


@pytest.fixture
def bench(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workbench]:
    """The CLI's home (tmp_path/home), inline advances, and a workbench on the same database."""
    monkeypatch.setenv("IPAWARD_ADVANCE", "inline")
    for bench in runtime_workbench(tmp_path, monkeypatch):
        assert bench.settings.home == home
        yield bench


def submitted(run_cli: RunCli, bench: Workbench, name: str = "m07_university_transfers") -> str:
    path = bench.write(example(name))
    result = run_cli("submit", "--json", "--as-of", FILED, str(path))
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.stdout)
    assert row["state"] == "in_review"
    return str(row["number"])


def test_inbox_lists_the_departments_open_items(run_cli: RunCli, bench: Workbench) -> None:
    number = submitted(run_cli, bench)

    result = run_cli("inbox", "--dept", "city.amr", "--json", "--today", FILED)

    assert result.exit_code == 0, result.output
    [row] = json.loads(result.stdout)
    assert (row["application"], row["stage"], row["version"], row["amount"]) == (
        number,
        "lead_review",
        1,
        40000,
    )
    table = run_cli("inbox", "--dept", "city.amr")
    assert "漳州市市场监督管理局 待办 1 件" in table.stdout and number in table.stdout
    assert json.loads(run_cli("inbox", "--dept", "city.finance", "--json").stdout) == []


def test_deciding_another_departments_item_is_refused_with_exit_1_and_stores_nothing(
    run_cli: RunCli, bench: Workbench
) -> None:
    number = submitted(run_cli, bench)
    [item] = bench.open_items(number)

    result = run_cli("decide", str(item.id), "approve", "--dept", "city.finance")

    assert result.exit_code == 1
    assert f"未保存:待办事项{item.id}不属于city.finance,无权办理" in result.stderr
    assert bench.count(Decision) == 0
    assert bench.open_items(number) == [item]


def test_an_unknown_department_code_exits_2(run_cli: RunCli, bench: Workbench) -> None:
    number = submitted(run_cli, bench)
    [item] = bench.open_items(number)

    for args in (
        ["inbox", "--dept", "city.nowhere"],
        ["decide", str(item.id), "approve", "--dept", "city.nowhere"],
    ):
        result = run_cli(*args)
        assert result.exit_code == 2, args
        assert "未知部门代码 city.nowhere" in result.stderr
    assert bench.count(Decision) == 0


def test_a_decision_is_recorded_and_the_application_advances_at_once(
    run_cli: RunCli, bench: Workbench
) -> None:
    number = submitted(run_cli, bench)
    [item] = bench.open_items(number)

    result = run_cli(
        "decide",
        str(item.id),
        "approve",
        "--dept",
        "city.amr",
        "--comment",
        "材料齐全",
        "--version",
        "1",
        "--today",
        FILED,
    )

    assert result.exit_code == 0, result.output
    assert f"已记录:待办{item.id} 同意" in result.stdout
    assert "进入责任单位会签(第1轮)" in result.stdout
    assert "等待: 市财政局、市教育局、市科技局、市农业农村局" in result.stdout
    assert bench.application(number).stage == "countersign"


def test_a_return_with_items_and_a_deadline_asks_the_applicant_for_a_correction(
    run_cli: RunCli, bench: Workbench
) -> None:
    number = submitted(run_cli, bench)
    [item] = bench.open_items(number)

    result = run_cli(
        "decide", str(item.id), "return", "--dept", "city.amr", "--comment", "合同盖章不清",
        "--items", "documents[transfer_contract]:盖章不清", "--items", "documents[cnipa_recordal]",
        "--deadline-days", "5", "--today", FILED,
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert "要求补正2项,期限2025-09-22(5个工作日)" in result.stdout
    correction = bench.application(number).correction
    assert correction is not None
    assert [i["reason"] for i in correction["items"]] == ["盖章不清", "合同盖章不清"]


def test_status_json_has_the_route_the_decisions_and_the_history(
    run_cli: RunCli, bench: Workbench
) -> None:
    number = submitted(run_cli, bench)
    bench.decide(number, "city.amr", comment="材料齐全")
    bench.advance(number, on=dt.date(2025, 9, 16))

    result = run_cli("status", number, "--json")

    assert result.exit_code == 0, result.output
    status = json.loads(result.stdout)
    assert (status["state"], status["stage"]) == ("in_review", "countersign")
    assert [h["action"] for h in status["history"]] == [
        "application.submit",
        "application.stage",
        "application.stage",
    ]
    lead = status["work_items"][0]
    assert (
        lead["stage"],
        lead["state"],
        lead["decision"]["outcome"],
        lead["decision"]["comment"],
    ) == (
        "lead_review",
        "done",
        "approve",
        "材料齐全",
    )
    assert [n["kind"] for n in status["notices"]][:2] == ["acceptance", "task"]
    table = run_cli("status", number)
    assert "办理过程" in table.stdout and "同意" in table.stdout
    assert "受理通知书" in table.stdout and "漳市监知〔" in table.stdout
    assert "（内部待办，无文号） 待办事项通知" in table.stdout  # no number, no kind code
    assert " task " not in table.stdout and "None" not in table.stdout
    missing = run_cli("status", "ZZIP-2024-M07-999999")
    assert missing.exit_code == 1 and "没有申请ZZIP-2024-M07-999999" in missing.stderr


def test_withdraw_closes_the_application_and_a_second_withdrawal_is_refused(
    run_cli: RunCli, bench: Workbench
) -> None:
    number = submitted(run_cli, bench)

    result = run_cli("withdraw", number)

    assert result.exit_code == 0, result.output
    assert f"{number} 已撤回" in result.stdout
    assert bench.application(number).state == "withdrawn"
    assert bench.open_items(number) == []
    again = run_cli("withdraw", number)
    assert again.exit_code == 1 and "不能撤回" in again.stderr


def test_object_refuses_an_anonymous_objection_and_accepts_a_named_one(
    run_cli: RunCli, bench: Workbench
) -> None:
    number = submitted(run_cli, bench)
    bench.drive(number, on=dt.date(2025, 9, 15), until=at(state="publicity"))

    anonymous = run_cli(
        "object", number, "--name", "", "--text", "受让方为关联企业", "--today", "2025-09-17"
    )
    assert anonymous.exit_code == 1 and "实名" in anonymous.stderr
    assert bench.application(number).state == "publicity"

    named = run_cli(
        "object", number, "--name", "张三", "--text", "受让方为关联企业", "--today", "2025-09-17"
    )
    assert named.exit_code == 0, named.output
    assert "进入异议复核" in named.stdout
    assert bench.application(number).stage == "objection_review"

    [item] = bench.open_items(number)
    decide = ("decide", str(item.id))
    where = ("--dept", "city.amr", "--today", "2025-09-18")
    generic = run_cli(*decide, "approve", *where, "--comment", "同意")
    assert generic.exit_code == 1 and "只能作出“异议成立”或“异议不成立”" in generic.stderr
    dismissed = run_cli(*decide, "objection_dismissed", *where, "--comment", "无关联关系")
    assert dismissed.exit_code == 0, dismissed.output
    assert f"已记录:待办{item.id} 异议不成立" in dismissed.stdout


def test_resubmit_prints_what_changed_and_the_application_is_accepted(
    run_cli: RunCli, bench: Workbench
) -> None:
    number = bench.submit(faulty_m07(), on=dt.date(2025, 9, 15), label="m07", broken=damage)
    bench.advance(number, on=dt.date(2025, 9, 15))
    fixed = bench.write(example("m07_university_transfers"), label="m07")

    result = run_cli("resubmit", number, str(fixed), "--today", "2025-09-19")

    assert result.exit_code == 0, result.output
    assert "已补正:2处变化" in result.stdout
    assert "$.documents[3].sha256:" in result.stdout
    assert "$.documents[4]: (无) →" in result.stdout
    assert "形式审查通过,予以受理" in result.stdout
    again = run_cli("resubmit", number, str(fixed), "--today", "2025-09-19")
    assert again.exit_code == 1 and "无需补正" in again.stderr


def test_text_typed_by_officers_is_printed_verbatim_not_read_as_markup(
    run_cli: RunCli, bench: Workbench
) -> None:
    """Comments and reasons are data: square brackets in them must reach the screen unchanged."""
    number = submitted(run_cli, bench)
    [item] = bench.open_items(number)
    reason = "附件documents[transfer_contract]未盖章,见[/附件2]"

    result = run_cli(
        "decide",
        str(item.id),
        "reject",
        "--dept",
        "city.amr",
        "--comment",
        reason,
        "--today",
        FILED,
    )

    assert bench.application(number).state == "rejected"  # stored before anything is printed
    assert result.exit_code == 0, result.output
    assert reason in result.stdout
    status = run_cli("status", number)
    assert status.exit_code == 0, status.output
    assert "documents[transfer_contract]" in status.stdout


def test_a_correction_decided_at_01_00_on_new_years_day_in_zhangzhou_is_numbered_in_the_new_year(
    run_cli: RunCli, bench: Workbench, monkeypatch: pytest.MonkeyPatch
) -> None:
    """17:00 UTC on 31 December is 01:00 on 1 January in Zhangzhou: the 补正 notice is 〔2027〕."""
    from ipaward import clock

    number = submitted(run_cli, bench)
    item = bench.open_items(number)[0]
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 12, 31, 17, 0, tzinfo=dt.UTC))

    result = run_cli(
        "decide",
        str(item.id),
        "return",
        "--dept",
        "city.amr",
        "--comment",
        "请补正",
        "--items",
        "documents[transfer_contract]:盖章不清",
    )

    assert result.exit_code == 0, result.output
    [notice] = [n for n in bench.notices(number) if n.kind == "correction"]
    assert notice.doc_number is not None and "〔2027〕" in notice.doc_number
    assert bench.application(number).correction["requested_on"] == "2027-01-01"


def test_a_decision_saved_while_prefect_is_away_says_so_in_one_line_and_exits_0(
    run_cli: RunCli, bench: Workbench, monkeypatch: pytest.MonkeyPatch
) -> None:
    number = submitted(run_cli, bench)
    item = bench.open_items(number)[0]
    from prefect.settings import PREFECT_API_URL, temporary_settings

    down = "http://127.0.0.1:9/api"  # nothing listens there
    monkeypatch.delenv("IPAWARD_ADVANCE", raising=False)
    monkeypatch.setenv("PREFECT_API_URL", down)
    with temporary_settings({PREFECT_API_URL: down}):  # over any test server of the session
        result = run_cli(
            "decide", str(item.id), "approve", "--dept", "city.amr", "--comment", "同意"
        )

    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert lines[0].startswith("已记录:待办")
    assert lines[1:] == [
        "已保存。后续办理已排队,将由后台流程自动完成(后台流程暂不可用,恢复后继续)。"
    ]
    assert "Traceback" not in result.output
    with bench.transaction() as session:
        decision = session.scalar(select(Decision).where(Decision.work_item_id == item.id))
        assert decision is not None  # saved
    assert bench.application(number).stage == "lead_review"  # the follow-up waits, pending
