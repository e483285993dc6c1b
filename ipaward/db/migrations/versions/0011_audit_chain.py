"""The audit log becomes a hash chain; every notice issued has its audit row.

- audit_log gains `prev_hash` and `entry_hash` (sha256 over the previous hash and the row's
  canonical JSON content: sorted keys, no spaces, UTF-8 as is);
- notices issued before this revision get a `notice.issue` audit row each (actor
  `migration:0011`), so `ipaward verify` can reconcile every notice with the log;
- then every row is hashed in id order (the append-only triggers are lifted for that one
  UPDATE pass and put back), and `prev_hash` becomes unique: a row has one successor.

The hash below is this revision's (history, not today's code); today's writer is
ipaward/repository/audit.py and must hash the same way.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 16:00:00.000000
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENESIS = "0" * 64
GUARD_MESSAGE = "audit_log is append-only"


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _hash(prev: str, row: Any) -> str:
    at = row.at if isinstance(row.at, datetime) else datetime.fromisoformat(str(row.at))
    at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    details = row.details if not isinstance(row.details, str) else json.loads(row.details)
    content = {
        "at": at.isoformat(timespec="microseconds"),
        "actor": row.actor,
        "action": row.action,
        "entity": row.entity,
        "entity_id": row.entity_id,
        "details": json.loads(json.dumps(details or {}, ensure_ascii=False)),
    }
    return hashlib.sha256((prev + _canonical(content)).encode("utf-8")).hexdigest()


def _audit_table() -> sa.TableClause:
    return sa.table(
        "audit_log",
        sa.column("id", sa.Integer()),
        sa.column("at", sa.DateTime(timezone=True)),
        sa.column("actor", sa.String()),
        sa.column("action", sa.String()),
        sa.column("entity", sa.String()),
        sa.column("entity_id", sa.String()),
        sa.column("details", sa.JSON()),
        sa.column("prev_hash", sa.String()),
        sa.column("entry_hash", sa.String()),
    )


def _set_guard(enabled: bool) -> None:
    """Lift or restore the append-only triggers of 0001."""
    if op.get_context().dialect.name == "postgresql":
        verb = "ENABLE" if enabled else "DISABLE"
        for name in ("update", "delete"):
            op.execute(f"ALTER TABLE audit_log {verb} TRIGGER audit_log_no_{name}")
    elif enabled:
        for name in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{name.lower()} BEFORE {name} ON audit_log "
                f"BEGIN SELECT RAISE(ABORT, '{GUARD_MESSAGE}'); END;"
            )
    else:
        for name in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS audit_log_no_{name}")


def _audit_notices(bind: sa.Connection, audit: sa.TableClause) -> None:
    notices = bind.execute(
        sa.text(
            "SELECT id, application_id, event_key, kind, authority, doc_number, language, body "
            "FROM notices ORDER BY id"
        )
    ).all()
    now = datetime.now(UTC)
    rows = [
        {
            "at": now,
            "actor": "migration:0011",
            "action": "notice.issue",
            "entity": "notice",
            "entity_id": str(n.id),
            "details": {
                "application_id": n.application_id,
                "event_key": n.event_key,
                "kind": n.kind,
                "authority": n.authority,
                "doc_number": n.doc_number,
                "language": n.language,
                "body_sha256": hashlib.sha256(n.body.encode("utf-8")).hexdigest(),
            },
        }
        for n in notices
    ]
    if rows:
        bind.execute(sa.insert(audit), rows)


def upgrade() -> None:
    op.add_column("audit_log", sa.Column("prev_hash", sa.String(length=64), nullable=True))
    op.add_column("audit_log", sa.Column("entry_hash", sa.String(length=64), nullable=True))
    bind = op.get_bind()
    audit = _audit_table()
    _audit_notices(bind, audit)
    _set_guard(False)
    prev = GENESIS
    rows = bind.execute(
        sa.select(
            audit.c.id,
            audit.c.at,
            audit.c.actor,
            audit.c.action,
            audit.c.entity,
            audit.c.entity_id,
            audit.c.details,
        ).order_by(audit.c.id)
    ).all()
    for row in rows:
        digest = _hash(prev, row)
        bind.execute(
            sa.update(audit).where(audit.c.id == row.id).values(prev_hash=prev, entry_hash=digest)
        )
        prev = digest
    _set_guard(True)
    op.create_index("uq_audit_log_prev_hash", "audit_log", ["prev_hash"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_audit_log_prev_hash", table_name="audit_log")
    _set_guard(False)
    op.execute("ALTER TABLE audit_log DROP COLUMN entry_hash")
    op.execute("ALTER TABLE audit_log DROP COLUMN prev_hash")
    _set_guard(True)
