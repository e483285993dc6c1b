"""Mailbox delivery in batches: the compat32 .eml parses back, a batch is written at once,
and what issuing rendered is used only while it still matches the stored row."""

from __future__ import annotations

import email
from email.message import EmailMessage
from email.policy import compat32
from email.policy import default as default_policy
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from ipaward.db.models import Notice
from ipaward.notices import mail, outbox
from ipaward.notices.channels import MailboxChannel
from ipaward.notices.delivery import deliver, deliver_many
from ipaward.notices.issue import issue_notice, notice_files
from ipaward.notices.kinds import sample_context
from ipaward.settings import Settings

MAILBOX = MailboxChannel(name="mailbox", path=Path("mailbox"))


def issue(session: Session, settings: Settings, key: str, recipients: list[str]) -> Notice:
    return issue_notice(
        session,
        settings=settings,
        event_key=key,
        kind="task",
        context=sample_context("task"),
        application_id=None,
        recipients=recipients,
    )


def parsed(path: str | None) -> EmailMessage:
    message = email.message_from_bytes(Path(path or "").read_bytes(), policy=default_policy)
    assert isinstance(message, EmailMessage)
    return message


def test_a_delivered_message_parses_back_with_chinese_subject_sender_and_body(
    session: Session, settings: Settings
) -> None:
    notice = issue(session, settings, "wi:7:task", ["city.industry"])
    [result] = deliver(notice, settings=settings, channels=[MAILBOX])
    message = parsed(result.location)
    assert message["Subject"] == "漳州市市场监督管理局关于知识产权奖补申请会审事项的待办事项通知"
    assert message["From"].addresses[0].display_name == "漳州市市场监督管理局"
    assert message["From"].addresses[0].addr_spec == f"{notice.authority}@ipaward.invalid"
    assert notice.doc_number is None  # a 待办 is internal: outside the official numbering
    assert message["X-Ipaward-Doc-Number"] is None
    assert message.get_content_type() == "multipart/alternative"
    plain, html = message.get_body(("plain",)), message.get_body(("html",))
    assert plain is not None and html is not None
    assert plain.get_content() == notice.body
    assert "漳州市市场监督管理局" in notice.body
    assert html.get_content() == notice_files(notice, settings=settings).html.read_text("utf-8")


def test_a_batch_delivers_every_notice_in_order_and_only_once(
    session: Session, settings: Settings
) -> None:
    notices = [issue(session, settings, f"wi:{i}:task", ["city.industry", "x y"]) for i in range(5)]
    first = deliver_many(notices, settings=settings, channels=[MAILBOX])
    assert [[(r.recipient, r.status) for r in results] for results in first] == [
        [("city.industry", "sent"), ("x y", "failed")]
    ] * 5
    for notice, results in zip(notices, first, strict=True):
        assert parsed(results[0].location)["X-Ipaward-Doc-Number"] == notice.doc_number
    mailbox = settings.home / "mailbox" / "city.industry"
    assert sorted(p.name.startswith(".") for p in mailbox.iterdir()) == [False] * 5  # no temps
    again = deliver_many(notices, settings=settings, channels=[MAILBOX])
    assert [results[0].status for results in again] == ["already_sent"] * 5


def test_a_rendered_notice_is_delivered_without_reading_its_files(
    session: Session, settings: Settings
) -> None:
    notice = issue(session, settings, "wi:8:task", ["city.industry"])
    files = notice_files(notice, settings=settings)
    html = files.html.read_text("utf-8")
    files.html.unlink()
    files.meta.unlink()
    [result] = deliver(notice, settings=settings, channels=[MAILBOX])
    body = parsed(result.location).get_body(("html",))
    assert body is not None and body.get_content() == html


@pytest.mark.parametrize("field", ["text", "doc_number"])
def test_a_stale_rendering_is_ignored_and_the_files_are_read(
    session: Session, settings: Settings, field: str
) -> None:
    notice = issue(session, settings, "wi:9:task", ["city.industry"])
    path = notice_files(notice, settings=settings).text
    stale = outbox.take(path, body=notice.body, doc_number=notice.doc_number)
    assert stale is not None
    changes = {"text": "另一份", "doc_number": "漳市监知〔2024〕99号"}
    outbox.remember(path, outbox.Outgoing(**{**vars(stale), "title": "旧", field: changes[field]}))
    [result] = deliver(notice, settings=settings, channels=[MAILBOX])
    assert parsed(result.location)["Subject"].endswith("待办事项通知")


def test_the_short_header_path_makes_exactly_the_compat32_bytes(
    session: Session, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    notice = issue(session, settings, "wi:10:task", ["city.industry"])
    [result] = deliver(notice, settings=settings, channels=[MAILBOX])
    fast = Path(result.location or "").read_bytes()
    monkeypatch.setattr(mail, "_POLICY", compat32)
    [again] = deliver(
        notice, settings=settings, channels=[MailboxChannel(name="m", path=Path("m"))]
    )
    assert Path(again.location or "").read_bytes() == fast
