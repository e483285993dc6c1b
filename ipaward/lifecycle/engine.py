"""The one way a subject's state changes: `fire` a declared transition for one subject or a
chunk of them. A single application is a chunk of one; a yearly list's lines are a chunk of
thousands; both take the same statement, the same checks and the same audit rows.

Within the caller's transaction: pending ORM changes are flushed, the sources are checked
(TransitionRefused names the first subject that may not move), one UPDATE moves the chunk,
the notices the move issues are issued and checked against the declaration, and one audit
row per subject is appended with the notices' ids.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from ipaward.db.base import utc_now
from ipaward.db.models import Notice
from ipaward.lifecycle.declared import Path, Role, Transition, TransitionRefused
from ipaward.lifecycle.states import label
from ipaward.repository import audit

MOVED_ATTRIBUTES = ("state", "stage", "version", "updated_at")


@dataclass(frozen=True)
class Move:
    """One subject's move: its row id, how the audit log names it, the stage it enters."""

    subject_id: int
    ref: str
    stage: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)


def fire(
    session: Session,
    path: Path,
    name: str,
    moves: Sequence[Move],
    *,
    by: Role,
    actor: str,
    notices: Callable[[], Iterable[Notice | None]] | None = None,
) -> list[Notice]:
    """Move every subject of `moves` along the declared transition `name`; the notices issued."""
    transition = path.transition(name)
    if not moves:
        return []
    if not transition.sources:
        raise LookupError(f"{path.subject}.{name} creates a subject: use `born`")
    session.flush()
    table = path.model.__table__
    ids = [move.subject_id for move in moves]
    before = {
        row.id: (row.state, row.stage)
        for row in session.execute(
            select(table.c.id, table.c.state, table.c.stage).where(table.c.id.in_(ids))
        )
    }
    for move in moves:
        path.check(transition, ref=move.ref, state=before.get(move.subject_id, (None,))[0], by=by)
    session.execute(
        update(table)
        .where(table.c.id == bindparam("moved_id"))
        .values(
            state=transition.target.value,
            stage=bindparam("moved_stage"),
            version=table.c.version + 1,
            updated_at=utc_now(),
        )
        .execution_options(synchronize_session=False),
        [{"moved_id": move.subject_id, "moved_stage": move.stage} for move in moves],
    )
    _expire(session, path, set(ids))
    issued = [notice for notice in (notices() if notices else ()) if notice is not None]
    _check_notices(path, transition, issued)
    audit.record_many(
        session,
        [
            {
                "actor": actor,
                "action": transition.audit_action,
                "entity": path.subject,
                "entity_id": move.ref,
                "details": {
                    "from": dict(zip(("state", "stage"), before[move.subject_id], strict=True)),
                    "to": {"state": transition.target.value, "stage": move.stage},
                    **move.details,
                    **_notice_ids(issued, move, single=len(moves) == 1),
                },
            }
            for move in moves
        ],
    )
    return issued


def born(
    session: Session, path: Path, name: str, moves: Sequence[Move], *, by: Role, actor: str
) -> None:
    """Audit the creation of subjects the caller inserted in the transition's target state."""
    transition = path.transition(name)
    if transition.sources:
        raise LookupError(f"{path.subject}.{name} moves an existing subject: use `fire`")
    session.flush()
    table = path.model.__table__
    states: dict[int, str] = dict(
        session.execute(
            select(table.c.id, table.c.state).where(
                table.c.id.in_([move.subject_id for move in moves])
            )
        ).all()
    )
    for move in moves:
        path.check(transition, ref=move.ref, state=None, by=by)
        if states.get(move.subject_id) != transition.target.value:
            raise TransitionRefused(f"{move.ref}新建时应为“{label(transition.target)}”")
    audit.record_many(
        session,
        [
            {
                "actor": actor,
                "action": transition.audit_action,
                "entity": path.subject,
                "entity_id": move.ref,
                "details": {"to": {"state": transition.target.value, "stage": move.stage}}
                | dict(move.details),
            }
            for move in moves
        ],
    )


def _expire(session: Session, path: Path, ids: set[int]) -> None:
    """Loaded rows of the moved subjects read their new state on next access."""
    for instance in list(session.identity_map.values()):
        if isinstance(instance, path.model) and instance.id in ids:
            session.expire(instance, list(MOVED_ATTRIBUTES))


def _check_notices(path: Path, transition: Transition, issued: list[Notice]) -> None:
    for notice in issued:
        if notice.kind not in transition.notices:
            raise TransitionRefused(
                f"{path.subject}.{transition.name} does not issue {notice.kind!r} notices"
            )


def _notice_ids(issued: list[Notice], move: Move, *, single: bool) -> dict[str, list[int]]:
    """A single move owns every notice; in a chunk, a notice belongs to its application."""
    mine = [n.id for n in issued if single or n.application_id == move.subject_id]
    return {"notices": mine} if mine else {}
