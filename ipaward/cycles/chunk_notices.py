"""Issuing the notices of a whole chunk at once: the same rows, numbers and files as
`ipaward.notices.issue.issue_notice`, with one counter bump per authority and one INSERT.

Idempotent on event_key like the single path (which uses the same keys, so a notice issued
by either is never issued again by the other). Numbers stay gap-free: the block is taken
from the same counter inside the caller's transaction and given back if it rolls back.
Files are written after the rows, named by the event key, so a retry rewrites the same ones.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ipaward.cycles.chunk_priors import chunks
from ipaward.db.models import Notice
from ipaward.notices import outbox
from ipaward.notices._files import write_many
from ipaward.notices.environment import SIMPLIFIED
from ipaward.notices.issue import audit_row, file_stem
from ipaward.notices.kinds import NoticeContext, notice_kind
from ipaward.notices.numbering import format_doc_number, load_prefixes
from ipaward.notices.render import render_notice
from ipaward.repository import audit
from ipaward.repository.counters import take
from ipaward.settings import Settings


@dataclass(frozen=True, kw_only=True)
class Pending:
    """One notice to issue: what `issue_notice` takes, minus the session and settings."""

    event_key: str
    kind: str
    context: NoticeContext
    application_id: int | None
    recipients: Sequence[str] = field(default_factory=tuple)


def issue_many(session: Session, *, settings: Settings, pending: Sequence[Pending]) -> list[int]:
    """The notice ids of `pending`, in order; only the events not issued before are issued."""
    known = _existing(session, [p.event_key for p in pending])
    todo = [p for p in pending if p.event_key not in known]
    if todo:
        numbers = _numbers(session, settings, todo)
        rows, files = [], []
        for notice, doc_number in zip(todo, numbers, strict=True):
            notice_kind(notice.kind)
            rendered = render_notice(notice.kind, notice.context, doc_number=doc_number)
            issued_on = notice.context.header.issued_on
            relative = Path("notices") / str(issued_on.year) / f"{file_stem(notice.event_key)}.txt"
            rows.append(
                {
                    "application_id": notice.application_id,
                    "event_key": notice.event_key,
                    "kind": notice.kind,
                    "authority": notice.context.header.authority_code,
                    "doc_number": doc_number,
                    "language": SIMPLIFIED,
                    "path": relative.as_posix(),
                    "body": rendered.text,
                }
            )
            meta = {
                "event_key": notice.event_key,
                "kind": notice.kind,
                "doc_number": doc_number,
                "title": rendered.title,
                "language": SIMPLIFIED,
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
    for part in chunks(keys):
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
