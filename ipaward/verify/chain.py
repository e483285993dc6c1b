"""Recompute the audit chain row by row: a row whose content no longer gives its hash, or
whose `prev_hash` is not the previous row's hash (a row deleted, inserted or rewritten)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipaward.db.models import AuditEntry
from ipaward.repository.audit import GENESIS, entry_hash
from ipaward.verify.findings import TABLES, Findings, Head, Problem


def _subject(entity: str, entity_id: str) -> str:
    return f"{TABLES.get(entity, entity)} {entity_id}"


def check_chain(session: Session, findings: Findings, *, batch: int = 2000) -> Head | None:
    """Walk audit_log in id order; the head is the last row as stored."""
    table = AuditEntry.__table__
    prev_id: int | None = None
    prev_hash = GENESIS
    count = 0
    rows = session.execute(
        select(table).order_by(table.c.id).execution_options(yield_per=batch)
    ).mappings()
    for row in rows:
        count += 1
        audit_id = int(row["id"])
        subject = _subject(row["entity"], row["entity_id"])
        if row["prev_hash"] != prev_hash:
            before = "链首" if prev_id is None else f"第{prev_id}条"
            findings.add(
                Problem(
                    "chain_broken",
                    "audit_log",
                    str(audit_id),
                    f"第{audit_id}条审计记录({subject})与{before}审计记录接不上:"
                    "其间有记录被删除、插入或改写",
                    audit_id,
                )
            )
        recomputed = entry_hash(
            str(row["prev_hash"] or ""),
            at=row["at"],
            actor=row["actor"],
            action=row["action"],
            entity=row["entity"],
            entity_id=row["entity_id"],
            details=row["details"] or {},
        )
        if row["entry_hash"] != recomputed:
            findings.add(
                Problem(
                    "audit_altered",
                    "audit_log",
                    str(audit_id),
                    f"第{audit_id}条审计记录({subject})与其内容不符",
                    audit_id,
                )
            )
        prev_id, prev_hash = audit_id, str(row["entry_hash"] or "")
    return None if prev_id is None else Head(id=prev_id, hash=prev_hash, entries=count)
