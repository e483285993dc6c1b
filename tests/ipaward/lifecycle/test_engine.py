"""The route engine refuses what its declarations do not allow, changing nothing, and writes
one audit row per subject for what they do allow — for a single subject and for a chunk."""

from __future__ import annotations

from enum import StrEnum
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ipaward.db.models import Application, AuditEntry
from ipaward.lifecycle.declared import Role, Transition, TransitionRefused, declare
from ipaward.lifecycle.engine import Move, fire
from ipaward.lifecycle.paths import ANNUAL_LIST, APPLICATION, PROGRAMME
from ipaward.lifecycle.states import ApplicationState
from tests.conftest import MakeApplication


def _moves(session: Session, *ids: int) -> list[Move]:
    rows = session.execute(
        select(Application.id, Application.number).where(Application.id.in_(ids))
    )
    numbers = {row.id: row.number for row in rows}
    return [Move(subject_id=i, ref=numbers[i], stage="lead_review") for i in ids]


def _state(session: Session, application_id: int) -> tuple[str, int]:
    row = session.execute(
        select(Application.state, Application.version).where(Application.id == application_id)
    ).one()
    return row.state, row.version


def test_a_declared_move_changes_state_stage_and_version_and_writes_its_audit_row(
    session_factory: sessionmaker[Session], make_application: MakeApplication
) -> None:
    with session_factory.begin() as session:
        app_id = make_application(session)
        application = session.get(Application, app_id)
        assert application is not None
        fire(
            session,
            APPLICATION,
            "enter_stage",
            _moves(session, app_id),
            by=Role.SYSTEM,
            actor="系统",
        )
        assert (application.state, application.stage) == ("in_review", "lead_review")  # expired
    with session_factory() as session:
        assert _state(session, app_id) == ("in_review", 2)
        [row] = session.scalars(select(AuditEntry).where(AuditEntry.action == "application.stage"))
        assert row.details["from"] == {"state": "submitted", "stage": None}
        assert row.details["to"] == {"state": "in_review", "stage": "lead_review"}


@pytest.mark.parametrize(
    ("name", "by", "refusal"),
    [
        ("pay", Role.SYSTEM, "当前为“已提交”,不能拨付"),  # wrong source state
        ("withdraw", Role.DEPARTMENT, "承办部门不能撤回申请"),  # wrong role
        ("reject", Role.PUBLIC, "异议人不能不予奖励"),
    ],
)
def test_a_move_its_declaration_does_not_allow_is_refused_in_chinese_and_changes_nothing(
    session_factory: sessionmaker[Session],
    make_application: MakeApplication,
    name: str,
    by: Role,
    refusal: str,
) -> None:
    with session_factory.begin() as session:
        app_id = make_application(session)
    with session_factory() as session, pytest.raises(TransitionRefused, match=refusal):
        fire(session, APPLICATION, name, _moves(session, app_id), by=by, actor="x")
    with session_factory() as session:
        assert _state(session, app_id) == ("submitted", 1)
        assert session.scalar(select(AuditEntry.id)) is None


def test_an_undeclared_transition_is_not_a_move_at_all(
    session_factory: sessionmaker[Session], make_application: MakeApplication
) -> None:
    with session_factory() as session:
        app_id = make_application(session)
        with pytest.raises(LookupError, match="no transition 'approve_quietly'"):
            fire(
                session,
                APPLICATION,
                "approve_quietly",
                _moves(session, app_id),
                by=Role.SYSTEM,
                actor="x",
            )


def test_a_chunk_moves_together_or_not_at_all_naming_the_first_that_may_not_move(
    session_factory: sessionmaker[Session], make_application: MakeApplication
) -> None:
    with session_factory.begin() as session:
        ids = [make_application(session) for _ in range(3)]
        session.execute(
            update(Application).where(Application.id == ids[1]).values(state="withdrawn")
        )
        refused_number = session.get(Application, ids[1]).number  # type: ignore[union-attr]
    with session_factory() as session, pytest.raises(TransitionRefused, match=refused_number):
        fire(session, APPLICATION, "await_list", _moves(session, *ids), by=Role.SYSTEM, actor="x")
    with session_factory() as session:
        assert [_state(session, i)[0] for i in ids] == ["submitted", "withdrawn", "submitted"]

    with session_factory.begin() as session:
        chunk = _moves(session, ids[0], ids[2])
        fire(session, APPLICATION, "await_list", chunk, by=Role.SYSTEM, actor="年度名单")
    with session_factory() as session:
        assert [_state(session, i)[0] for i in ids] == [
            "awaiting_cycle",
            "withdrawn",
            "awaiting_cycle",
        ]
        rows = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "application.await_cycle")
        )
        assert sorted(r.entity_id for r in rows) == sorted(m.ref for m in chunk)


def test_a_move_may_issue_only_the_notice_kinds_it_declares(
    session_factory: sessionmaker[Session], make_application: MakeApplication
) -> None:
    stray: Any = SimpleNamespace(id=1, kind="payment", application_id=None)
    with session_factory() as session:
        app_id = make_application(session)
        with pytest.raises(TransitionRefused, match="does not issue 'payment'"):
            fire(
                session,
                APPLICATION,
                "await_list",
                _moves(session, app_id),
                by=Role.SYSTEM,
                actor="x",
                notices=lambda: [stray],
            )


def test_the_database_refuses_a_state_no_path_declares(
    session_factory: sessionmaker[Session], make_application: MakeApplication
) -> None:
    with session_factory() as session:
        app_id = make_application(session)
        session.commit()
        with pytest.raises(IntegrityError):
            session.execute(
                update(Application).where(Application.id == app_id).values(state="approved")
            )
            session.flush()


def test_a_declaration_may_only_name_its_own_states() -> None:
    class Other(StrEnum):
        ELSEWHERE = "elsewhere"

    with pytest.raises(TypeError, match="elsewhere"):
        declare(
            "application",
            Application,
            ApplicationState,
            Transition(
                name="wander",
                label="游离",
                sources=frozenset({ApplicationState.SUBMITTED}),
                target=Other.ELSEWHERE,
                fired_by=frozenset({Role.SYSTEM}),
                audit_action="application.wander",
            ),
        )


@pytest.mark.parametrize("path", [APPLICATION, ANNUAL_LIST, PROGRAMME], ids=lambda p: p.subject)
def test_every_declared_state_is_reachable_from_creation_and_every_action_is_its_own(
    path: Any,
) -> None:
    reached = {t.target for t in path.transitions.values() if not t.sources}
    grown = True
    while grown:
        more = {t.target for t in path.transitions.values() if t.sources & reached}
        grown = not more <= reached
        reached |= more
    assert reached == set(path.states)
    actions = [t.audit_action for t in path.transitions.values()]
    assert len(actions) == len(set(actions))
    assert all(t.label and not t.label.isascii() for t in path.transitions.values())
