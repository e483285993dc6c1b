"""Audit rows, written in the same transaction as the change they describe."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

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
