"""催办 in official working days: the 2025 National Day holiday with its swapped weekend
working days (Sun 28 Sep and Sat 11 Oct are working days; 1–8 Oct are not)."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select

from ipaward.db.models import Notice, Reminder
from ipaward.workflow.reminders import send_reminders
from tests.ipaward.cycles.support import CycleBench
from tests.support.applications import example

COUNTERSIGNERS = {"city.drc", "city.science", "city.industry", "city.finance", "city.sasac"}


def remind(bench: CycleBench, day: dt.date) -> dict[str, int]:
    with bench.transaction() as session:
        return send_reminders(session, bench.ctx, today=day).sent


def test_reminders_follow_the_holiday_swap_and_each_is_sent_once(bench: CycleBench) -> None:
    number = bench.submit(example("m06_grading"), on=dt.date(2025, 9, 1))
    bench.advance(number, on=dt.date(2025, 9, 1))
    bench.decide(number, "city.amr")
    bench.advance(number, on=dt.date(2025, 9, 12))  # countersign due 10 working days later
    items = bench.open_items(number)
    assert {i.department for i in items} == COUNTERSIGNERS
    with bench.transaction() as session:
        from ipaward.db.models import WorkItem

        dues = set(session.scalars(select(WorkItem.due_on).where(WorkItem.state == "open")))
    assert dues == {dt.date(2025, 9, 26)}  # a Friday

    assert remind(bench, dt.date(2025, 9, 26)) == {}  # the due date itself
    assert remind(bench, dt.date(2025, 9, 27)) == {}  # Saturday: a rest day, not late yet
    first = remind(bench, dt.date(2025, 9, 28))  # Sunday, a swapped working day: 1 day late
    assert first == {f"L1:{code}": 1 for code in COUNTERSIGNERS}
    assert remind(bench, dt.date(2025, 9, 28)) == {}  # once per deadline
    assert remind(bench, dt.date(2025, 9, 30)) == {}

    bench.decide(number, "city.finance")  # finance answers; the others stay late
    assert remind(bench, dt.date(2025, 10, 8)) == {}  # the holiday adds no working day
    assert remind(bench, dt.date(2025, 10, 10)) == {}  # 5 working days late: not yet
    escalated = remind(bench, dt.date(2025, 10, 11))  # Saturday, a working day: 6 late
    assert escalated == {"L2:city.amr": 4}
    assert remind(bench, dt.date(2025, 10, 12)) == {}

    with bench.transaction() as session:
        reminders = list(session.scalars(select(Reminder)))
        notices = list(session.scalars(select(Notice).where(Notice.kind == "reminder")))
        assert all(r.notice_id is not None for r in reminders)
        assert {(r.level, r.deadline) for r in reminders} == {
            (1, dt.date(2025, 9, 26)),
            (2, dt.date(2025, 10, 10)),
        }
        assert len(reminders) == 5 + 4 and len(notices) == 5 + 1
        [lead_notice] = [n for n in notices if "督办" in n.body]
        assert "漳州市加快建设知识产权强市领导小组" in lead_notice.body
        assert "已逾期6个工作日" in lead_notice.body and "市财政局" not in lead_notice.body
        meta = json.loads(
            (bench.settings.home / lead_notice.path).with_suffix(".json").read_text("utf-8")
        )
        assert meta["recipients"] == ["city.amr"]


def test_a_late_lead_unit_is_reminded_by_the_leading_group_and_escalated_to_it(
    bench: CycleBench,
) -> None:
    number = bench.submit(example("m06_grading"), on=dt.date(2025, 9, 12))
    bench.advance(number, on=dt.date(2025, 9, 12))  # lead review due 26 Sep
    assert remind(bench, dt.date(2025, 9, 28)) == {"L1:city.amr": 1}
    assert remind(bench, dt.date(2025, 10, 11)) == {"L2:city.ip_leading_group": 1}
    with bench.transaction() as session:
        authorities = {
            n.authority for n in session.scalars(select(Notice).where(Notice.kind == "reminder"))
        }
    assert authorities == {"city.ip_leading_group"}
