"""Audit rows of one entity kind, keyed by the entity's id, for reconciling a table."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipaward.db.models import AuditEntry


@dataclass(frozen=True)
class Logged:
    """An audit row as reconciliation reads it."""

    id: int
    action: str
    actor: str
    details: dict[str, Any]


def logged(session: Session, *, entity: str, actions: Collection[str]) -> dict[str, list[Logged]]:
    """entity_id → its audit rows with one of `actions`, in id order."""
    found: dict[str, list[Logged]] = defaultdict(list)
    rows = session.execute(
        select(
            AuditEntry.id,
            AuditEntry.entity_id,
            AuditEntry.action,
            AuditEntry.actor,
            AuditEntry.details,
        )
        .where(AuditEntry.entity == entity, AuditEntry.action.in_(list(actions)))
        .order_by(AuditEntry.id)
    )
    for audit_id, entity_id, action, actor, details in rows:
        found[str(entity_id)].append(Logged(int(audit_id), action, actor, dict(details or {})))
    return found
