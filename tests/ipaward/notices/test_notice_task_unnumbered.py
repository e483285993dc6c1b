"""A 待办 is internal: it takes no 发文字号, on the single path and on the bulk path alike."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipaward.db.models import Counter, Notice
from ipaward.notices.issue import Pending, issue_many, issue_notice
from ipaward.notices.kinds import NOTICE_KINDS, sample_context
from ipaward.settings import Settings


def counters(session: Session) -> dict[str, int]:
    return {c.key: c.value for c in session.scalars(select(Counter))}


def test_only_the_task_kind_is_outside_the_official_numbering() -> None:
    assert {kind for kind, spec in NOTICE_KINDS.items() if not spec.numbered} == {"task"}


def test_a_task_notice_has_no_number_and_leaves_the_counter_alone(
    session: Session, settings: Settings
) -> None:
    task = issue_notice(
        session,
        settings=settings,
        event_key="wi:1:task",
        kind="task",
        context=sample_context("task"),
        application_id=None,
        recipients=["city.industry"],
    )
    assert task.doc_number is None
    assert counters(session) == {}
    assert "〔" not in task.body
    accepted = issue_notice(
        session,
        settings=settings,
        event_key="app:1:accepted",
        kind="acceptance",
        context=sample_context("acceptance"),
        application_id=None,
    )
    assert accepted.doc_number == "漳市监知〔2024〕1号"  # the task used up no serial


def test_the_bulk_path_numbers_only_the_official_notices(
    session: Session, settings: Settings
) -> None:
    pending = [
        Pending(
            event_key=f"wi:{n}:task",
            kind="task",
            context=sample_context("task"),
            application_id=None,
        )
        for n in range(5)
    ]
    pending.insert(
        2,
        Pending(
            event_key="app:9:accepted",
            kind="acceptance",
            context=sample_context("acceptance"),
            application_id=None,
        ),
    )
    ids = issue_many(session, settings=settings, pending=pending)
    notices = {n.id: n for n in session.scalars(select(Notice))}
    numbers = [notices[i].doc_number for i in ids]
    assert numbers == [None, None, "漳市监知〔2024〕1号", None, None, None]
    assert counters(session) == {"notice:city.amr:2024": 1}
