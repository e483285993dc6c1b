"""Issuing a notice: number it, render it, store the files and the row, once per event.

Idempotent on event_key: a second call for the same event returns the stored row and does
nothing else. The number and the row are made inside one SAVEPOINT, so a caller that loses
a race on the unique event_key gives its number back; the files are written only after the
row is in, and are named by a hash of the event key, so a retry rewrites the same files.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ipaward.db.models import Notice
from ipaward.notices import outbox
from ipaward.notices._files import write_atomically
from ipaward.notices.environment import SIMPLIFIED, check_language
from ipaward.notices.kinds import NoticeContext, notice_kind
from ipaward.notices.numbering import load_prefixes, next_doc_number
from ipaward.notices.render import RenderedNotice, render_notice
from ipaward.repository import audit
from ipaward.settings import Settings

__all__ = ["NoticeFiles", "RenderedNotice", "issue_notice", "notice_files", "render_notice"]


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
    """Store the notice of `event_key` (or return the one already stored); flushes, never commits.

    `recipients` are the mailboxes (department codes, or e.g. "applicant-42") delivery sends
    to; they are kept in the notice's metadata file, not printed.
    """
    existing = find_notice(session, event_key=event_key)
    if existing is not None:
        return existing
    numbered = notice_kind(kind).numbered
    check_language(language)
    header = context.header
    if numbered:  # fail before numbering
        load_prefixes(settings.config_dir).prefix_for(header.authority_code)
    relative = Path("notices") / str(header.issued_on.year) / f"{file_stem(event_key)}.txt"
    try:
        with session.begin_nested():
            doc_number = (
                next_doc_number(
                    session,
                    authority_code=header.authority_code,
                    year=header.issued_on.year,
                    config_dir=settings.config_dir,
                )
                if numbered
                else None
            )
            rendered = render_notice(kind, context, language=language, doc_number=doc_number)
            notice = Notice(
                application_id=application_id,
                event_key=event_key,
                kind=kind,
                authority=header.authority_code,
                doc_number=doc_number,
                language=language,
                path=relative.as_posix(),
                body=rendered.text,
            )
            session.add(notice)
            session.flush()
            audit.record_many(
                session,
                [
                    audit_row(
                        notice.id,
                        {
                            "application_id": application_id,
                            "event_key": event_key,
                            "kind": kind,
                            "authority": header.authority_code,
                            "doc_number": doc_number,
                            "language": language,
                            "body": rendered.text,
                        },
                        actor="system",
                    )
                ],
            )
    except IntegrityError:
        winner = find_notice(session, event_key=event_key)
        if winner is None:
            raise
        return winner
    files = notice_files(notice, settings=settings)
    outbox.remember(
        files.text,
        outbox.Outgoing(
            title=rendered.title,
            text=rendered.text,
            html=rendered.html,
            doc_number=doc_number,
            sender=header.authority_name,
            recipients=tuple(recipients),
        ),
    )
    _store_files(
        files,
        rendered=rendered,
        meta={
            "event_key": event_key,
            "kind": kind,
            "doc_number": doc_number,
            "title": rendered.title,
            "language": language,
            "recipients": list(recipients),
            "context": context.model_dump(mode="json"),
        },
    )
    return notice


def _store_files(files: NoticeFiles, *, rendered: RenderedNotice, meta: dict[str, object]) -> None:
    write_atomically(files.html, rendered.html)
    write_atomically(files.meta, json.dumps(meta, ensure_ascii=False, indent=2) + "\n")
    write_atomically(files.text, rendered.text)
