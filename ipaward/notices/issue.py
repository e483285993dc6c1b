"""Issuing notices: number, render, store the rows and the files, once per event. One path:
`issue_many` issues a chunk (an annual list's payment notices) with one counter bump per
authority and one INSERT; `issue_notice` is a chunk of one.

Idempotent on event_key: an event already stored is returned, not issued again. Numbers
stay gap-free: they are taken from the counter inside the caller's transaction and given
back if it rolls back. The files are written after the rows, named by a hash of the event
key, so a retry rewrites the same files.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ipaward.db.models import Notice
from ipaward.notices import outbox
from ipaward.notices._files import write_many
from ipaward.notices.environment import SIMPLIFIED, check_language
from ipaward.notices.kinds import NoticeContext, notice_kind
from ipaward.notices.numbering import format_doc_number, load_prefixes
from ipaward.notices.render import RenderedNotice, render_notice
from ipaward.repository import audit
from ipaward.repository.counters import take
from ipaward.settings import Settings

__all__ = [
    "NoticeFiles",
    "Pending",
    "RenderedNotice",
    "issue_many",
    "issue_notice",
    "notice_files",
    "render_notice",
]
IN_CHUNK = 500  # event keys per IN (…) when looking for notices already issued


@dataclass(frozen=True, kw_only=True)
class NoticeFiles:
    """Where a stored notice lives: text (Notice.path), printable HTML, and its metadata."""

    text: Path
    html: Path
    meta: Path


def file_stem(event_key: str) -> str:
    """A file name both racers for one event agree on, without characters a path forbids."""
    return hashlib.sha256(event_key.encode("utf-8")).hexdigest()[:24]


def notice_files(notice: Notice, *, settings: Settings) -> NoticeFiles:
    """The files of a stored notice; Notice.path is relative to the home folder."""
    if notice.path is None:
        raise ValueError(f"notice {notice.id} has no stored files")
    text = settings.home / notice.path
    return NoticeFiles(text=text, html=text.with_suffix(".html"), meta=text.with_suffix(".json"))


def audit_row(notice_id: int, row: Mapping[str, object], *, actor: str) -> dict[str, object]:
    """The `notice.issue` audit row of a stored notice: what `ipaward verify` reconciles the
    notices table and its numbering against (the body by its sha256)."""
    body = str(row["body"])
    return {
        "actor": actor,
        "action": "notice.issue",
        "entity": "notice",
        "entity_id": notice_id,
        "details": {
            "application_id": row["application_id"],
            "event_key": row["event_key"],
            "kind": row["kind"],
            "authority": row["authority"],
            "doc_number": row["doc_number"],
            "language": row["language"],
            "body_sha256": hashlib.sha256(body.encode("utf-8")).hexdigest(),
        },
    }


def find_notice(session: Session, *, event_key: str) -> Notice | None:
    return session.scalars(select(Notice).where(Notice.event_key == event_key)).one_or_none()


def issue_notice(
    session: Session,
    *,
    settings: Settings,
    event_key: str,
    kind: str,
    context: NoticeContext,
    application_id: int | None,
    language: str = SIMPLIFIED,
    recipients: Sequence[str] = (),
) -> Notice:
    """Store the notice of `event_key` (or return the one already stored); flushes, never
    commits. A chunk of one for `issue_many`, in a SAVEPOINT: a caller that loses the race
    for the event's unique key gives its number back and returns the winner's notice.

    `recipients` are the mailboxes (department codes, or e.g. "applicant-42") delivery sends
    to; they are kept in the notice's metadata file, not printed.
    """
    one = Pending(
        event_key=event_key,
        kind=kind,
        context=context,
        application_id=application_id,
        recipients=tuple(recipients),
        language=language,
    )
    try:
        with session.begin_nested():
            [notice_id] = issue_many(session, settings=settings, pending=[one])
    except IntegrityError:
        winner = find_notice(session, event_key=event_key)
        if winner is None:
            raise
        return winner
    notice = session.get(Notice, notice_id)
    assert notice is not None
    return notice


@dataclass(frozen=True, kw_only=True)
class Pending:
    """One notice to issue: what `issue_notice` takes, minus the session and settings."""

    event_key: str
    kind: str
    context: NoticeContext
    application_id: int | None
    recipients: Sequence[str] = field(default_factory=tuple)
    language: str = SIMPLIFIED


def issue_many(session: Session, *, settings: Settings, pending: Sequence[Pending]) -> list[int]:
    """The notice ids of `pending`, in order; only the events not issued before are issued."""
    known = _existing(session, [p.event_key for p in pending])
    todo = [p for p in pending if p.event_key not in known]
    if todo:
        numbers = _numbers(session, settings, todo)
        rows, files = [], []
        for notice, doc_number in zip(todo, numbers, strict=True):
            notice_kind(notice.kind)
            check_language(notice.language)
            rendered = render_notice(
                notice.kind, notice.context, language=notice.language, doc_number=doc_number
            )
            issued_on = notice.context.header.issued_on
            relative = Path("notices") / str(issued_on.year) / f"{file_stem(notice.event_key)}.txt"
            rows.append(
                {
                    "application_id": notice.application_id,
                    "event_key": notice.event_key,
                    "kind": notice.kind,
                    "authority": notice.context.header.authority_code,
                    "doc_number": doc_number,
                    "language": notice.language,
                    "path": relative.as_posix(),
                    "body": rendered.text,
                }
            )
            meta = {
                "event_key": notice.event_key,
                "kind": notice.kind,
                "doc_number": doc_number,
                "title": rendered.title,
                "language": notice.language,
                "recipients": list(notice.recipients),
                "context": notice.context.model_dump(mode="json"),
            }
            files.append((settings.home / relative, rendered.text, rendered.html, meta))
            outbox.remember(
                settings.home / relative,
                outbox.Outgoing(
                    title=rendered.title,
                    text=rendered.text,
                    html=rendered.html,
                    doc_number=doc_number,
                    sender=notice.context.header.authority_name,
                    recipients=tuple(notice.recipients),
                ),
            )
        ids = session.scalars(
            insert(Notice).returning(Notice.id, sort_by_parameter_order=True), rows
        ).all()
        known.update(zip((p.event_key for p in todo), ids, strict=True))
        audit.record_many(
            session,
            [audit_row(i, row, actor="system") for i, row in zip(ids, rows, strict=True)],
        )
        write_many(
            [
                item
                for text_path, text, html, meta in files
                for item in (
                    (text_path.with_suffix(".html"), html),
                    (
                        text_path.with_suffix(".json"),
                        json.dumps(meta, ensure_ascii=False, indent=2) + "\n",
                    ),
                    (text_path, text),
                )
            ]
        )
    return [known[p.event_key] for p in pending]


def _existing(session: Session, keys: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(keys), IN_CHUNK):
        part = keys[start : start + IN_CHUNK]
        rows = session.execute(
            select(Notice.event_key, Notice.id).where(Notice.event_key.in_(part))
        )
        found.update((key, notice_id) for key, notice_id in rows)
    return found


def _numbers(session: Session, settings: Settings, todo: Sequence[Pending]) -> list[str | None]:
    """A block of serials per (authority, year) from the counter `next_doc_number` uses;
    None for a kind outside the official numbering (待办), which takes no serial."""
    prefixes = load_prefixes(settings.config_dir)
    wanted: dict[tuple[str, int], int] = {}
    for notice in todo:
        if not notice_kind(notice.kind).numbered:
            continue
        header = notice.context.header
        slot = (header.authority_code, header.issued_on.year)
        wanted[slot] = wanted.get(slot, 0) + 1
    next_serial: dict[tuple[str, int], int] = {}
    for (authority, year), count in wanted.items():
        prefixes.prefix_for(authority)  # fail before any number is taken
        last = take(session, key=f"notice:{authority}:{year}", count=count)
        next_serial[authority, year] = last - count + 1
    numbers: list[str | None] = []
    for notice in todo:
        if not notice_kind(notice.kind).numbered:
            numbers.append(None)
            continue
        header = notice.context.header
        slot = (header.authority_code, header.issued_on.year)
        serial = next_serial[slot]
        next_serial[slot] = serial + 1
        numbers.append(format_doc_number(prefixes.prefix_for(slot[0]), year=slot[1], serial=serial))
    return numbers
