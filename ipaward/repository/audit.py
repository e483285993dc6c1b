"""Audit rows, written in the same transaction as the change they describe."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from ipaward.db.base import utc_now
from ipaward.db.models import AuditEntry


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: str | int,
    details: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Append one audit row; `details` must be JSON-serialisable (no dates, no Decimals)."""
    entry = AuditEntry(
        actor=actor,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        details=dict(details or {}),
    )
    session.add(entry)
    session.flush()
    return entry


def record_many(session: Session, rows: Sequence[Mapping[str, Any]]) -> None:
    """Append many audit rows in one statement (actor, action, entity, entity_id, details):
    what a chunk of a yearly list or a batch of moves writes."""
    if rows:
        session.execute(
            insert(AuditEntry),
            [{**row, "entity_id": str(row["entity_id"]), "at": utc_now()} for row in rows],
        )
