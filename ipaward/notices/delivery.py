"""Delivering stored notices through the configured channels, at most once per channel.

A channel failure never raises: it comes back as a failed DeliveryResult for the caller
(a Prefect task) to retry. Calling deliver twice is safe:
- mailbox: one .eml file per notice and recipient, named by notice id and event; an
  existing file means delivered. Its content is deterministic, so two racers write the
  same bytes.
- apprise: a marker folder per channel under <home>/notices/sent/. Before sending, a
  `.claim` file is created exclusively (O_EXCL); success renames it to `.sent`, failure
  removes it. A claim left by a crash blocks resending until an operator removes it: we
  prefer "not sent twice" to "sent at least once", as the architecture asks.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any, Literal

import apprise

from ipaward.db.models import Notice
from ipaward.notices._files import write_atomically
from ipaward.notices.channels import AppriseChannel, Channel, MailboxChannel, load_channels
from ipaward.notices.issue import file_stem, notice_files
from ipaward.settings import Settings

__all__ = ["DeliveryResult", "deliver", "load_channels"]

MAIL_DOMAIN = "ipaward.invalid"
UNROUTED = "_unrouted"
_MAILBOX_NAME = re.compile(r"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$")


@dataclass(frozen=True, kw_only=True)
class DeliveryResult:
    channel: str
    recipient: str | None
    status: Literal["sent", "already_sent", "failed"]
    detail: str = ""
    location: str | None = None  # the mailbox file or the marker file

    @property
    def ok(self) -> bool:
        return self.status != "failed"


@dataclass(frozen=True, kw_only=True)
class _Message:
    title: str
    text: str
    html: str | None
    sender: str
    recipients: tuple[str, ...]
    stem: str


def deliver(
    notice: Notice, *, settings: Settings, channels: Sequence[Channel]
) -> list[DeliveryResult]:
    """Send `notice` through every channel; one result per channel (mailbox: per recipient)."""
    message = _message(notice, settings=settings)
    results: list[DeliveryResult] = []
    for channel in channels:
        try:
            if isinstance(channel, MailboxChannel):
                results.extend(_to_mailbox(channel, notice, message, settings=settings))
            else:
                results.append(_to_apprise(channel, notice, message, settings=settings))
        except Exception as error:  # a channel failure is a result, never an exception
            results.append(_failed(channel.name, None, f"{type(error).__name__}: {error}"))
    return results


def _failed(channel: str, recipient: str | None, detail: str) -> DeliveryResult:
    return DeliveryResult(channel=channel, recipient=recipient, status="failed", detail=detail)


def _message(notice: Notice, *, settings: Settings) -> _Message:
    """Title, forms and recipients from the notice's files; the DB body if they are gone."""
    meta: dict[str, Any] = {}
    html: str | None = None
    if notice.path is not None:
        files = notice_files(notice, settings=settings)
        try:
            meta = json.loads(files.meta.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            meta = {}  # lost or damaged: the DB row alone still delivers the text
        try:
            html = files.html.read_text(encoding="utf-8")
        except OSError:
            html = None
    header = meta.get("context", {}).get("header", {})
    return _Message(
        title=str(meta.get("title") or f"{notice.doc_number or ''} {notice.kind}".strip()),
        text=notice.body,
        html=html,
        sender=str(header.get("authority_name") or notice.authority),
        recipients=tuple(meta.get("recipients") or ()) or (UNROUTED,),
        stem=file_stem(notice.event_key),
    )


def mailbox_root(channel: MailboxChannel, *, settings: Settings) -> Path:
    """Where a mailbox channel writes: relative paths are under the home folder."""
    return channel.path if channel.path.is_absolute() else settings.home / channel.path


def _to_mailbox(
    channel: MailboxChannel, notice: Notice, message: _Message, *, settings: Settings
) -> list[DeliveryResult]:
    root = mailbox_root(channel, settings=settings)
    results: list[DeliveryResult] = []
    for recipient in message.recipients:
        if not _MAILBOX_NAME.match(recipient):
            results.append(_failed(channel.name, recipient, "not a valid mailbox name"))
            continue
        path = root / recipient / f"notice-{notice.id:06d}-{message.stem[:8]}.eml"
        if path.exists():
            results.append(
                DeliveryResult(
                    channel=channel.name,
                    recipient=recipient,
                    status="already_sent",
                    location=str(path),
                )
            )
            continue
        write_atomically(path, _email(notice, message, recipient=recipient))
        results.append(
            DeliveryResult(
                channel=channel.name, recipient=recipient, status="sent", location=str(path)
            )
        )
    return results


def _email(notice: Notice, message: _Message, *, recipient: str) -> bytes:
    """A deterministic .eml: same notice and recipient, same bytes (fixed date and boundary)."""
    created = notice.created_at
    if created.tzinfo is None:
        created = created.replace(tzinfo=UTC)
    email = EmailMessage()
    email["From"] = Address(
        display_name=message.sender, username=notice.authority, domain=MAIL_DOMAIN
    )
    email["To"] = Address(username=recipient, domain=MAIL_DOMAIN)
    email["Subject"] = message.title
    email["Date"] = format_datetime(created)
    email["Message-ID"] = f"<notice-{notice.id}.{message.stem[:8]}.{recipient}@{MAIL_DOMAIN}>"
    if notice.doc_number:
        email["X-Ipaward-Doc-Number"] = notice.doc_number
    email.set_content(message.text)
    if message.html is not None:
        email.add_alternative(message.html, subtype="html")
        email.set_boundary(f"ipaward-notice-{notice.id}-{message.stem[:8]}")
    return email.as_bytes()


def _to_apprise(
    channel: AppriseChannel, notice: Notice, message: _Message, *, settings: Settings
) -> DeliveryResult:
    markers = settings.home / "notices" / "sent" / channel.name
    markers.mkdir(parents=True, exist_ok=True)
    sent = markers / f"{message.stem}.sent"
    claim = markers / f"{message.stem}.claim"
    if sent.exists():
        return DeliveryResult(
            channel=channel.name, recipient=None, status="already_sent", location=str(sent)
        )
    try:
        fd = os.open(claim, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        return _failed(
            channel.name,
            None,
            f"another delivery holds {claim}; if none is running, remove it to retry",
        )
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(f"notice {notice.id} {notice.event_key} pid {os.getpid()} {_now()}\n")
    try:
        detail = _notify(channel, message)
    except BaseException:
        claim.unlink(missing_ok=True)
        raise
    if detail is not None:
        claim.unlink(missing_ok=True)
        return _failed(channel.name, None, detail)
    os.replace(claim, sent)
    return DeliveryResult(channel=channel.name, recipient=None, status="sent", location=str(sent))


def _notify(channel: AppriseChannel, message: _Message) -> str | None:
    """None when apprise reports success, else why not (its log lines)."""
    sender = apprise.Apprise()
    if not sender.add(channel.url):
        return "apprise does not recognise the channel URL"
    result = sender.notify(body=message.text, title=message.title, timeout=channel.timeout)
    if result:
        return None
    logs = getattr(result, "logs", None)
    lines = [str(getattr(entry, "message", entry)) for entry in logs()] if callable(logs) else []
    return "; ".join(lines) or "apprise reported a failure"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
