"""What an officer reads: the inbox with overdue working days, the application's page."""

from __future__ import annotations

import datetime as dt

from ipaward.workflow.queries import application_status, inbox
from tests.support.applications import example
from tests.support.workbench import Workbench

FILED = dt.date(2025, 9, 15)


def test_the_inbox_counts_overdue_items_in_official_working_days(bench: Workbench) -> None:
    number = bench.submit(example("m07_university_transfers"), on=FILED)
    bench.advance(number, on=FILED)

    with bench.transaction() as session:
        on_time = inbox(session, bench.ctx, department="city.amr", today=dt.date(2025, 9, 28))
        late = inbox(session, bench.ctx, department="city.amr", today=dt.date(2025, 10, 10))
        nothing = inbox(session, bench.ctx, department="city.finance", today=FILED)

    [row] = on_time
    assert (row["application"], row["stage_name"], row["due_on"]) == (
        number,
        "牵头单位审核",
        "2025-09-28",
    )
    assert row["overdue_working_days"] == 0
    # 29, 30 Sep and 9, 10 Oct: the holiday does not count
    assert late[0]["overdue_working_days"] == 4
    assert nothing == []


def test_the_application_page_shows_every_round_decision_notice_and_state_change(
    bench: Workbench,
) -> None:
    number = bench.submit(example("m07_university_transfers"), on=FILED)
    bench.advance(number, on=FILED)
    bench.decide(
        number, "city.amr", "return", comment="请补充", items=["documents[cnipa_recordal]"]
    )
    bench.advance(number, on=FILED)
    bench.resubmit(number, example("m07_university_transfers"), on=FILED)
    bench.advance(number, on=FILED)

    with bench.transaction() as session:
        page = application_status(session, number=number)

    assert [
        (w["round"], w["state"], (w["decision"] or {}).get("outcome")) for w in page["work_items"]
    ] == [
        (1, "done", "return"),
        (2, "open", None),
    ]
    assert [h["action"] for h in page["history"]] == [
        "application.submit",
        "application.stage",
        "application.return",
        "application.resubmit",
        "application.stage",
    ]
    assert [n["kind"] for n in page["notices"]] == ["acceptance", "task", "correction", "task"]
    assert page["correction"]["open"] is False and page["round"] == 2
