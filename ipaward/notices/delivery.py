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
from pathlib import Path
from typing import Any, Literal

import apprise

from ipaward.db.models import Notice
from ipaward.notices import mail, outbox
from ipaward.notices._files import write_atomically, write_many
from ipaward.notices.channels import AppriseChannel, Channel, MailboxChannel, load_channels
from ipaward.notices.issue import file_stem, notice_files
from ipaward.notices.mail import Letter
from ipaward.settings import Settings

__all__ = ["DeliveryResult", "deliver", "deliver_many", "load_channels"]

MAIL_DOMAIN = mail.MAIL_DOMAIN
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


def deliver(
    notice: Notice, *, settings: Settings, channels: Sequence[Channel]
) -> list[DeliveryResult]:
    """Send `notice` through every channel; one result per channel (mailbox: per recipient)."""
    return deliver_many([notice], settings=settings, channels=channels)[0]


def deliver_many(
    notices: Sequence[Notice], *, settings: Settings, channels: Sequence[Channel]
) -> list[list[DeliveryResult]]:
    """`deliver` for a batch, results in the same order: a mailbox channel writes the
    batch's files and makes them durable with one sync, not one fsync per file."""
    letters = [_letter(notice, settings=settings) for notice in notices]
    results: list[list[DeliveryResult]] = [[] for _ in letters]
    for channel in channels:
        if isinstance(channel, MailboxChannel):
            for index, sent in enumerate(_to_mailbox(channel, letters, settings=settings)):
                results[index].extend(sent)
            continue
        for index, letter in enumerate(letters):
            try:
                results[index].append(_to_apprise(channel, letter, settings=settings))
            except Exception as error:  # a channel failure is a result, never an exception
                results[index].append(_failed(channel.name, None, _why(error)))
    return results


def _failed(channel: str, recipient: str | None, detail: str) -> DeliveryResult:
    return DeliveryResult(channel=channel, recipient=recipient, status="failed", detail=detail)


def _why(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def _letter(notice: Notice, *, settings: Settings) -> Letter:
    """What issuing rendered (the outbox), else the notice's files, else the DB body alone."""
    outgoing = None
    if notice.path is not None:
        outgoing = outbox.take(
            notice_files(notice, settings=settings).text,
            body=notice.body,
            doc_number=notice.doc_number,
        )
    if outgoing is None:
        outgoing = _read_back(notice, settings=settings)
    return Letter(
        notice_id=notice.id,
        authority=notice.authority,
        doc_number=notice.doc_number,
        created_at=notice.created_at,
        title=outgoing.title,
        text=notice.body,
        html=outgoing.html,
        sender=outgoing.sender,
        recipients=outgoing.recipients or (UNROUTED,),
        stem=file_stem(notice.event_key),
        event_key=notice.event_key,
    )


def _read_back(notice: Notice, *, settings: Settings) -> outbox.Outgoing:
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
    return outbox.Outgoing(
        title=str(meta.get("title") or f"{notice.doc_number or ''} {notice.kind}".strip()),
        text=notice.body,
        html=html,
        doc_number=notice.doc_number,
        sender=str(header.get("authority_name") or notice.authority),
        recipients=tuple(meta.get("recipients") or ()),
    )


def mailbox_root(channel: MailboxChannel, *, settings: Settings) -> Path:
    """Where a mailbox channel writes: relative paths are under the home folder."""
    return channel.path if channel.path.is_absolute() else settings.home / channel.path


def _to_mailbox(
    channel: MailboxChannel, letters: Sequence[Letter], *, settings: Settings
) -> list[list[DeliveryResult]]:
    """One .eml per letter and recipient; files already there count as delivered."""
    root = mailbox_root(channel, settings=settings)
    results: list[list[DeliveryResult]] = [[] for _ in letters]
    writes: list[tuple[Path, bytes, int, int]] = []  # path, bytes, letter, result slot
    for index, letter in enumerate(letters):
        for recipient in letter.recipients:
            if not _MAILBOX_NAME.match(recipient):
                results[index].append(_failed(channel.name, recipient, "not a valid mailbox name"))
                continue
            path = root / recipient / f"notice-{letter.notice_id:06d}-{letter.stem[:8]}.eml"
            try:
                data = None if path.exists() else mail.eml(letter, recipient=recipient)
            except Exception as error:
                results[index].append(_failed(channel.name, recipient, _why(error)))
                continue
            if data is not None:
                writes.append((path, data, index, len(results[index])))
            results[index].append(
                DeliveryResult(
                    channel=channel.name,
                    recipient=recipient,
                    status="already_sent" if data is None else "sent",
                    location=str(path),
                )
            )
    for index, slot, problem in _write(writes):
        sent = results[index][slot]
        results[index][slot] = _failed(channel.name, sent.recipient, _why(problem))
    return results


def _write(writes: list[tuple[Path, bytes, int, int]]) -> list[tuple[int, int, Exception]]:
    """Write the batch durably at once; if that fails, file by file so that each failure
    is reported for its own letter and recipient. Returns the failures."""
    try:
        if len(writes) == 1:
            write_atomically(writes[0][0], writes[0][1])
        else:
            write_many([(path, data) for path, data, _, _ in writes])
        return []
    except Exception:
        pass
    failures = []
    for path, data, index, slot in writes:
        try:
            write_atomically(path, data)
        except Exception as error:
            failures.append((index, slot, error))
    return failures


def _to_apprise(channel: AppriseChannel, letter: Letter, *, settings: Settings) -> DeliveryResult:
    markers = settings.home / "notices" / "sent" / channel.name
    markers.mkdir(parents=True, exist_ok=True)
    sent = markers / f"{letter.stem}.sent"
    claim = markers / f"{letter.stem}.claim"
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
        handle.write(f"notice {letter.notice_id} {letter.event_key} pid {os.getpid()} {_now()}\n")
    try:
        detail = _notify(channel, letter)
    except BaseException:
        claim.unlink(missing_ok=True)
        raise
    if detail is not None:
        claim.unlink(missing_ok=True)
        return _failed(channel.name, None, detail)
    os.replace(claim, sent)
    return DeliveryResult(channel=channel.name, recipient=None, status="sent", location=str(sent))


def _notify(channel: AppriseChannel, letter: Letter) -> str | None:
    """None when apprise reports success, else why not (its log lines)."""
    sender = apprise.Apprise()
    if not sender.add(channel.url):
        return "apprise does not recognise the channel URL"
    result = sender.notify(body=letter.text, title=letter.title, timeout=channel.timeout)
    if result:
        return None
    logs = getattr(result, "logs", None)
    lines = [str(getattr(entry, "message", entry)) for entry in logs()] if callable(logs) else []
    return "; ".join(lines) or "apprise reported a failure"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
