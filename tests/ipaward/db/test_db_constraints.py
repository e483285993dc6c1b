"""The database itself refuses what must never happen: edited audit rows, overdrawn money."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from ipaward.db.migrate import upgrade_to_head
from ipaward.db.models import (
    AnnualAccount,
    Application,
    AuditEntry,
    AuditLogIsAppendOnly,
    Budget,
    Cycle,
    Decision,
    Fund,
    Notice,
    Programme,
    WorkItem,
)
from ipaward.db.session import make_engine, make_session_factory, normalise_url, transaction
from ipaward.repository import audit

MakeApplication = Callable[..., int]


def _one_audit_row(factory: sessionmaker[Session]) -> int:
    with transaction(factory) as session:
        return audit.record(
            session, actor="tester", action="test", entity="thing", entity_id=1, details={"a": 1}
        ).id


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET actor = 'mallory' WHERE id = :id",
        "DELETE FROM audit_log WHERE id = :id",
    ],
    ids=["update", "delete"],
)
def test_audit_log_refuses_update_and_delete(
    session_factory: sessionmaker[Session], statement: str
) -> None:
    entry_id = _one_audit_row(session_factory)
    with pytest.raises(DBAPIError, match="append-only"), transaction(session_factory) as session:
        session.execute(text(statement), {"id": entry_id})
    with transaction(session_factory) as session:
        entry = session.get(AuditEntry, entry_id)
        assert entry is not None
        assert entry.actor == "tester"


@pytest.mark.postgres
def test_audit_log_refuses_truncate_on_postgresql(postgres_database: str) -> None:
    upgrade_to_head(postgres_database)
    engine = make_engine(postgres_database)
    try:
        factory = make_session_factory(engine)
        _one_audit_row(factory)
        with pytest.raises(DBAPIError, match="append-only"), transaction(factory) as session:
            session.execute(text("TRUNCATE audit_log"))
    finally:
        engine.dispose()


def test_the_orm_refuses_to_change_an_audit_row(session: Session) -> None:
    entry = audit.record(session, actor="a", action="b", entity="c", entity_id="d")
    session.commit()
    entry.actor = "mallory"
    with pytest.raises(AuditLogIsAppendOnly):
        session.flush()
    session.rollback()
    session.delete(session.get_one(AuditEntry, entry.id))
    with pytest.raises(AuditLogIsAppendOnly):
        session.flush()


@pytest.mark.parametrize(
    ("row", "statement"),
    [
        (
            lambda: AnnualAccount(measure="M07", recipient_uscc="X", year=2024, cap=100, paid=90),
            "UPDATE annual_accounts SET paid = paid + 20",
        ),
        (
            lambda: AnnualAccount(measure="M07", recipient_uscc="X", year=2024, cap=100, paid=10),
            "UPDATE annual_accounts SET paid = paid - 20",
        ),
        (
            lambda: Budget(measure="M02", year=2024, amount=100, committed=90),
            "UPDATE budgets SET committed = committed + 20",
        ),
        (
            lambda: Fund(code="M10", name="风险补偿资金池", capacity=100, balance=10),
            "UPDATE funds SET balance = balance - 20",
        ),
    ],
    ids=["yearly-cap", "paid-negative", "budget", "fund-balance"],
)
def test_money_checks_are_enforced_by_the_database(
    session_factory: sessionmaker[Session], row: Callable[[], object], statement: str
) -> None:
    with transaction(session_factory) as session:
        session.add(row())
    with pytest.raises(IntegrityError), transaction(session_factory) as session:
        session.execute(text(statement))


def test_a_department_decides_a_work_item_once(
    session: Session, make_application: MakeApplication
) -> None:
    app_id = make_application(session)
    item = WorkItem(application_id=app_id, stage="会审", department="CZJ")
    session.add(item)
    session.flush()
    session.add(Decision(work_item=item, department="CZJ", officer="张三", outcome="approve"))
    session.flush()
    session.add(Decision(work_item=item, department="CZJ", officer="李四", outcome="reject"))
    with pytest.raises(IntegrityError):
        session.flush()


def test_work_items_are_unique_per_stage_department_and_round(
    session: Session, make_application: MakeApplication
) -> None:
    app_id = make_application(session)
    session.add(WorkItem(application_id=app_id, stage="会审", department="CZJ"))
    session.add(WorkItem(application_id=app_id, stage="会审", department="CZJ", round=2))
    session.flush()
    session.add(WorkItem(application_id=app_id, stage="会审", department="CZJ", round=2))
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()
    programme = Programme(measure="M18", year=2024, state="in_progress", stage="report", version=1)
    session.add(programme)
    session.flush()
    session.add(WorkItem(programme_id=programme.id, stage="report", department="FGW"))
    session.flush()
    session.add(WorkItem(programme_id=programme.id, stage="report", department="FGW"))
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()
    session.add(WorkItem(stage="report", department="FGW"))  # about nothing
    with pytest.raises(IntegrityError):
        session.flush()


def test_a_state_no_path_declares_is_refused_by_the_database(
    session: Session, make_application: MakeApplication
) -> None:
    app_id = make_application(session)
    session.flush()
    with pytest.raises(IntegrityError):
        session.execute(
            text("UPDATE applications SET state = 'approved' WHERE id = :i"), {"i": app_id}
        )
    session.rollback()
    session.add(Cycle(measure="M07", year=2024, state="finished", details={}, version=1))
    with pytest.raises(IntegrityError):
        session.flush()


def test_one_event_never_yields_two_notices(session: Session) -> None:
    for _ in range(2):
        session.add(Notice(event_key="app:1:accepted", kind="accept", authority="SJJ", body="…"))
    with pytest.raises(IntegrityError):
        session.flush()


def test_concurrent_edits_of_an_application_fail_instead_of_overwriting(
    session_factory: sessionmaker[Session], make_application: MakeApplication
) -> None:
    with transaction(session_factory) as session:
        app_id = make_application(session)
    with transaction(session_factory) as session:
        stale = session.get_one(Application, app_id)
    with transaction(session_factory) as session:
        session.get_one(Application, app_id).state = "in_review"
    with pytest.raises(StaleDataError), transaction(session_factory) as session:
        session.add(stale)
        stale.state = "rejected"
    with transaction(session_factory) as session:
        fresh = session.get_one(Application, app_id)
        assert (fresh.state, fresh.version) == ("in_review", 2)


def test_timestamps_come_back_aware_utc_and_json_none_is_sql_null(
    session_factory: sessionmaker[Session], make_application: MakeApplication
) -> None:
    shanghai = timezone(timedelta(hours=8))
    with transaction(session_factory) as session:
        app_id = make_application(session)
        entry = audit.record(session, actor="a", action="b", entity="c", entity_id="d")
        entry_id = entry.id
    with transaction(session_factory) as session:
        application = session.get_one(Application, app_id)
        assert application.created_at.tzinfo is not None
        assert application.created_at.utcoffset() == timedelta(0)
        assert (
            session.execute(
                select(Application.id).where(Application.assessment.is_(None))
            ).scalar_one()
            == app_id
        )
    at = datetime(2024, 3, 1, 8, 0, tzinfo=shanghai)
    with transaction(session_factory) as session:
        session.add(Notice(event_key="e", kind="k", authority="a", body="b", created_at=at))
    with transaction(session_factory) as session:
        notice = session.execute(select(Notice)).scalar_one()
        assert notice.created_at == datetime(2024, 3, 1, 0, 0, tzinfo=UTC)
    assert entry_id > 0


def test_sqlite_connections_enforce_foreign_keys_in_wal_mode(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nested' / 'dir' / 'db.sqlite3'}"
    upgrade_to_head(url)
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO documents (application_id, kind, name, sha256)"
                    " VALUES (999, 'k', 'n', 's')"
                )
            )
    finally:
        engine.dispose()


def test_transaction_commits_on_success_and_rolls_back_on_error(
    session_factory: sessionmaker[Session],
) -> None:
    with transaction(session_factory) as session:
        session.add(Notice(event_key="kept", kind="k", authority="a", body="b"))
    with pytest.raises(RuntimeError), transaction(session_factory) as session:
        session.add(Notice(event_key="dropped", kind="k", authority="a", body="b"))
        session.flush()
        raise RuntimeError("boom")
    with transaction(session_factory) as session:
        assert session.scalars(select(Notice.event_key)).all() == ["kept"]


def test_a_bare_postgresql_url_means_psycopg_3() -> None:
    assert normalise_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert normalise_url("sqlite:///x.db").drivername == "sqlite"
