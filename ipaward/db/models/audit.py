"""The audit log: append-only, guarded by database triggers and by the ORM."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, String, event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Mapper, mapped_column

from ipaward.db.base import Base, utc_now
from ipaward.db.types import UtcDateTime, json_document


class AuditLogIsAppendOnly(RuntimeError):
    """Raised before the ORM even tries to change or delete an audit row."""


class AuditEntry(Base):
    """Who did what to which entity, when; never updated, never deleted; hash-chained."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_entity_entity_id", "entity", "entity_id"),
        # One successor per row: a writer that bypassed the chain lock fails, never forks it.
        Index("uq_audit_log_prev_hash", "prev_hash", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now, index=True)
    actor: Mapped[str] = mapped_column(String)
    action: Mapped[str] = mapped_column(String, index=True)
    entity: Mapped[str] = mapped_column(String)
    entity_id: Mapped[str] = mapped_column(String)
    details: Mapped[dict[str, Any]] = mapped_column(json_document(), default=dict)
    # The hash chain (0011, ipaward/repository/audit.py): NULL only if written around it.
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    entry_hash: Mapped[str | None] = mapped_column(String(64))


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _refuse_change(mapper: Mapper[AuditEntry], connection: Connection, target: AuditEntry) -> None:
    raise AuditLogIsAppendOnly("audit_log is append-only")
