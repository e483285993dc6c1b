"""Delivery: a mailbox file per recipient, apprise channels, never twice, never raising."""

from __future__ import annotations

import email
import json
import threading
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from ipaward.config.config_errors import ConfigError
from ipaward.db.models import Notice
from ipaward.notices.channels import AppriseChannel, MailboxChannel, load_channels
from ipaward.notices.delivery import deliver
from ipaward.notices.issue import issue_notice
from ipaward.notices.kinds import sample_context
from ipaward.settings import PROJECT_ROOT, Settings

MAILBOX = MailboxChannel(name="mailbox", path=Path("mailbox"))
UNREACHABLE = AppriseChannel(name="hook", url="json://127.0.0.1:9/", timeout=5)


def issue_task(session: Session, settings: Settings, recipients: list[str]) -> Notice:
    return issue_notice(
        session,
        settings=settings,
        event_key="work-item:118:task",
        kind="task",
        context=sample_context("task"),
        application_id=None,
        recipients=recipients,
    )


def test_the_mailbox_gets_one_email_per_recipient_and_only_once(
    session: Session, settings: Settings
) -> None:
    notice = issue_task(session, settings, ["city.industry", "city.finance"])
    first = deliver(notice, settings=settings, channels=[MAILBOX])
    assert [(r.recipient, r.status) for r in first] == [
        ("city.industry", "sent"),
        ("city.finance", "sent"),
    ]
    paths = [Path(r.location or "") for r in first]
    assert paths[0].parent == settings.home / "mailbox" / "city.industry"
    contents = [path.read_bytes() for path in paths]
    again = deliver(notice, settings=settings, channels=[MAILBOX])
    assert [r.status for r in again] == ["already_sent", "already_sent"]
    assert [path.read_bytes() for path in paths] == contents
    assert len(list((settings.home / "mailbox").rglob("*.eml"))) == 2

    message = email.message_from_bytes(contents[0], policy=default_policy)
    assert isinstance(message, EmailMessage)
    assert message["Subject"] == "漳州市市场监督管理局关于知识产权奖补申请会审事项的待办事项通知"
    assert notice.doc_number is None  # a 待办 is outside the official numbering
    assert message["X-Ipaward-Doc-Number"] is None
    assert message["To"] == "city.industry@ipaward.invalid"
    assert "漳州市市场监督管理局" in str(message["From"])
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    assert text.get_content() == notice.body
    assert 'class="doc-number"' not in html.get_content()


def test_the_same_notice_makes_the_same_email_bytes(
    session: Session, settings: Settings, tmp_path: Path
) -> None:
    notice = issue_task(session, settings, ["city.industry"])
    a = deliver(notice, settings=settings, channels=[MAILBOX])
    b = deliver(notice, settings=settings, channels=[MailboxChannel(name="m", path=tmp_path / "b")])
    assert Path(a[0].location or "").read_bytes() == Path(b[0].location or "").read_bytes()


def test_a_notice_without_recipients_lands_in_the_unrouted_mailbox(
    session: Session, settings: Settings
) -> None:
    notice = issue_task(session, settings, [])
    [result] = deliver(notice, settings=settings, channels=[MAILBOX])
    assert result.status == "sent" and result.recipient == "_unrouted"


def test_an_unreachable_apprise_channel_fails_without_raising(
    session: Session, settings: Settings
) -> None:
    notice = issue_task(session, settings, ["city.industry"])
    results = deliver(notice, settings=settings, channels=[UNREACHABLE, MAILBOX])
    assert [(r.channel, r.status, r.ok) for r in results] == [
        ("hook", "failed", False),
        ("mailbox", "sent", True),
    ]
    assert results[0].detail
    markers = settings.home / "notices" / "sent" / "hook"
    assert list(markers.iterdir()) == []  # no claim left: a retry may send
    assert deliver(notice, settings=settings, channels=[UNREACHABLE])[0].status == "failed"


def test_a_broken_channel_is_a_failed_result_and_the_others_still_deliver(
    session: Session, settings: Settings, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    notice = issue_task(session, settings, ["city.industry"])
    broken = MailboxChannel(name="broken", path=blocker)
    results = deliver(notice, settings=settings, channels=[broken, MAILBOX])
    assert [(r.channel, r.status) for r in results] == [("broken", "failed"), ("mailbox", "sent")]


@pytest.fixture
def webhook() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """A local JSON endpoint that records every notification it receives."""
    received: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            received.append(json.loads(self.rfile.read(length)))
            self.send_response(200)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"json://127.0.0.1:{server.server_address[1]}/notices", received
    finally:
        server.shutdown()
        server.server_close()


def test_an_apprise_channel_sends_once_and_then_reports_already_sent(
    session: Session, settings: Settings, webhook: tuple[str, list[dict[str, Any]]]
) -> None:
    url, received = webhook
    channel = AppriseChannel(name="hook", url=url, timeout=10)
    notice = issue_task(session, settings, ["city.industry"])
    assert deliver(notice, settings=settings, channels=[channel])[0].status == "sent"
    assert deliver(notice, settings=settings, channels=[channel])[0].status == "already_sent"
    assert len(received) == 1
    assert received[0]["title"].endswith("待办事项通知")
    assert "〔2024〕" not in received[0]["message"]  # a 待办 carries no 发文字号


def test_a_claimed_notice_is_not_sent_again(
    session: Session, settings: Settings, webhook: tuple[str, list[dict[str, Any]]]
) -> None:
    url, received = webhook
    notice = issue_task(session, settings, ["city.industry"])
    channel = AppriseChannel(name="hook", url=url, timeout=10)
    markers = settings.home / "notices" / "sent" / "hook"
    markers.mkdir(parents=True)
    from ipaward.notices.issue import file_stem

    (markers / f"{file_stem(notice.event_key)}.claim").write_text("crashed", encoding="utf-8")
    [result] = deliver(notice, settings=settings, channels=[channel])
    assert result.status == "failed" and "remove it to retry" in result.detail
    assert received == []


def write_config(config_dir: Path, channels: str) -> Path:
    (config_dir / "notices.toml").write_text(channels, encoding="utf-8")
    return config_dir


def test_the_shipped_config_enables_only_the_mailbox() -> None:
    channels = load_channels(PROJECT_ROOT / "config", env={})
    assert channels == [MailboxChannel(name="mailbox", path=Path("mailbox"))]


def test_no_channels_table_means_the_default_mailbox(config_dir: Path) -> None:
    write_config(config_dir, '[prefixes]\n"city.amr" = "漳市监知"\n')
    assert load_channels(config_dir) == [MailboxChannel(name="mailbox", path=Path("mailbox"))]


def test_enabled_apprise_channels_are_loaded_with_their_urls(config_dir: Path) -> None:
    write_config(
        config_dir,
        "[channels]\n"
        'hook = { type = "apprise", url = "json://example.invalid/n", timeout = 5 }\n'
        'mail = { type = "apprise", url_env = "SMTP_URL" }\n',
    )
    channels = load_channels(config_dir, env={"SMTP_URL": "mailtos://u:p@example.invalid"})
    assert channels == [
        AppriseChannel(name="hook", url="json://example.invalid/n", timeout=5.0),
        AppriseChannel(name="mail", url="mailtos://u:p@example.invalid", timeout=30.0),
    ]


@pytest.mark.parametrize(
    ("channels", "key"),
    [
        ('x = { type = "fax" }', "channels.x.type"),
        ('x = { type = "mailbox", colour = "red" }', "channels.x.colour"),
        ('x = { type = "mailbox", enabled = "yes" }', "channels.x.enabled"),
        ('x = { type = "mailbox", path = "" }', "channels.x.path"),
        ('x = { type = "apprise" }', "channels.x.url"),
        ('x = { type = "apprise", url = "json://h/", url_env = "U" }', "channels.x.url"),
        ('x = { type = "apprise", url = "bogus://nowhere" }', "channels.x.url"),
        ('x = { type = "apprise", url_env = "NOT_SET" }', "channels.x.url_env"),
        ('x = { type = "apprise", url = "json://h/", timeout = 0 }', "channels.x.timeout"),
        ('"a b" = { type = "mailbox" }', "channels.a b"),
        ("x = 3", "channels.x"),
    ],
)
def test_bad_channel_config_names_file_and_key(config_dir: Path, channels: str, key: str) -> None:
    write_config(config_dir, f"[channels]\n{channels}\n")
    with pytest.raises(ConfigError) as caught:
        load_channels(config_dir, env={})
    assert caught.value.key == key
    assert caught.value.file.endswith("notices.toml")


def test_a_disabled_channel_needs_no_secret(config_dir: Path) -> None:
    write_config(
        config_dir, '[channels]\nx = { type = "apprise", url_env = "NOT_SET", enabled = false }\n'
    )
    assert load_channels(config_dir, env={}) == []
