"""Where applications and annual lists stand against their last recorded transition: every
move is an audit row with `to` (the route engine), so a state edited in SQL disagrees."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipaward.db.models import Application as App
from ipaward.db.models import AuditEntry, Cycle
from ipaward.repository.subjects import list_ref
from ipaward.verify.findings import Findings, Problem


def _last_moves(session: Session, entity: str) -> dict[str, tuple[int, dict[str, Any]]]:
    """entity_id → (audit id, `to`) of its last transition."""
    moves: dict[str, tuple[int, dict[str, Any]]] = {}
    rows = session.execute(
        select(AuditEntry.id, AuditEntry.entity_id, AuditEntry.details)
        .where(AuditEntry.entity == entity)
        .order_by(AuditEntry.id)
    )
    for audit_id, entity_id, details in rows:
        target = (details or {}).get("to")
        if isinstance(target, dict) and "state" in target:
            moves[str(entity_id)] = (int(audit_id), target)
    return moves


def check_states(session: Session, findings: Findings) -> int:
    """Applications and lists whose (state, stage) is not their last transition's target;
    subjects with no recorded transition (written before the route engine) are skipped."""
    count = 0
    subjects: list[tuple[str, str, str, str, str | None]] = [
        ("applications", str(a.id), a.number, a.state, a.stage)
        for a in session.scalars(select(App).order_by(App.id))
    ]
    moves = _last_moves(session, "application")
    lists = [
        ("cycles", str(c.id), list_ref(c.measure, c.year), c.state, c.stage)
        for c in session.scalars(select(Cycle).order_by(Cycle.id))
    ]
    list_moves = _last_moves(session, "cycle")
    for table, row, ref, state, stage in subjects + lists:
        count += 1
        found = (moves if table == "applications" else list_moves).get(ref)
        if found is None:
            continue
        audit_id, target = found
        if (target.get("state"), target.get("stage")) != (state, stage):
            findings.add(
                Problem(
                    "state_altered",
                    table,
                    row,
                    f"{ref}的状态为{state}/{stage or '-'},第{audit_id}条审计记录所记为"
                    f"{target.get('state')}/{target.get('stage') or '-'}",
                    audit_id,
                )
            )
    return count
