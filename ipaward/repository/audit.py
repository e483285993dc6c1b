"""Audit rows, written in the same transaction as the change they describe, as a hash chain.

Each row carries `prev_hash` (the previous row's `entry_hash`, in id order) and
`entry_hash` = sha256(prev_hash + canonical JSON of its content), so `ipaward verify` can
recompute the chain and an edited, deleted or inserted row breaks it at that row. Appends
are serialised: PostgreSQL takes a transaction-level advisory lock before reading the head;
SQLite's writer transactions are already BEGIN IMMEDIATE (one writer at a time). Every audit
row must be written here; nothing else may insert into audit_log.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from ipaward.db.base import utc_now
from ipaward.db.models import AuditEntry

GENESIS = "0" * 64
# pg_advisory_xact_lock key of the chain ("ipawaudt" as a bigint): held until commit.
CHAIN_LOCK_KEY = int.from_bytes(b"ipawaudt", "big") & 0x7FFF_FFFF_FFFF_FFFF


def canonical_json(value: Any) -> str:
    """The one serialisation that is hashed: sorted keys, no spaces, UTF-8 as is."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def normalised(details: Mapping[str, Any] | None) -> dict[str, Any]:
    """`details` as the database hands it back (str keys, lists), so the hash survives it."""
    result: dict[str, Any] = json.loads(json.dumps(dict(details or {}), ensure_ascii=False))
    return result


def entry_hash(
    prev_hash: str,
    *,
    at: datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    details: Mapping[str, Any],
) -> str:
    """sha256 over the previous hash and the row's canonical content."""
    content = {
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": actor,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "details": details,
    }
    return hashlib.sha256((prev_hash + canonical_json(content)).encode("utf-8")).hexdigest()


def lock_chain(session: Session) -> None:
    """Hold the chain until this transaction ends (PostgreSQL; SQLite writers are serial)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY})


def chain_head(session: Session) -> tuple[int, str] | None:
    """The last row's id and hash, as this transaction sees them (None: empty log)."""
    row = session.execute(
        select(AuditEntry.id, AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1)
    ).first()
    return None if row is None else (int(row[0]), str(row[1] or ""))


def _chained(session: Session, rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    lock_chain(session)
    head = chain_head(session)
    prev = GENESIS if head is None else head[1]
    at = utc_now()
    chained = []
    for row in rows:
        values: dict[str, Any] = {
            "at": at,
            "actor": str(row["actor"]),
            "action": str(row["action"]),
            "entity": str(row["entity"]),
            "entity_id": str(row["entity_id"]),
            "details": normalised(row.get("details")),
        }
        digest = entry_hash(prev, **values)
        chained.append({**values, "prev_hash": prev, "entry_hash": digest})
        prev = digest
    return chained


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
    [values] = _chained(
        session,
        [
            {
                "actor": actor,
                "action": action,
                "entity": entity,
                "entity_id": entity_id,
                "details": details,
            }
        ],
    )
    entry = AuditEntry(**values)
    session.add(entry)
    session.flush()
    return entry


def record_many(session: Session, rows: Sequence[Mapping[str, Any]]) -> None:
    """Append many audit rows in one statement (actor, action, entity, entity_id, details):
    what a chunk of a yearly list or a batch of moves writes. Ids follow the rows' order."""
    if not rows:
        return
    chained = _chained(session, rows)
    ids = session.scalars(
        insert(AuditEntry).returning(AuditEntry.id, sort_by_parameter_order=True), chained
    ).all()
    if any(later <= earlier for earlier, later in itertools.pairwise(ids)):
        raise RuntimeError(f"audit ids out of chain order: {ids}")
