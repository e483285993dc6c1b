"""The chain holds under concurrent writers, and 0011 chains the rows written before it."""

from __future__ import annotations

import datetime as dt
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ipaward.db.migrate import alembic_config, upgrade_to_head
from ipaward.db.models import AuditEntry
from ipaward.db.session import make_engine, make_session_factory, transaction
from ipaward.repository import audit
from ipaward.verify import verify
from ipaward.verify.chain import check_chain
from ipaward.verify.findings import Findings


def _append(factory: sessionmaker[Session], writer: int) -> None:
    for n in range(8):
        with transaction(factory) as session:
            audit.record(session, actor=f"w{writer}", action="test.one", entity="t", entity_id=n)
            audit.record_many(
                session,
                [
                    {
                        "actor": f"w{writer}",
                        "action": "test.many",
                        "entity": "t",
                        "entity_id": k,
                        "details": {"n": n, 2: "int key", "名": "值"},
                    }
                    for k in range(3)
                ],
            )


def test_concurrent_writers_keep_one_unbroken_chain(session_factory: sessionmaker[Session]) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda w: _append(session_factory, w), range(4)))
    with transaction(session_factory) as session:
        findings = Findings()
        head = check_chain(session, findings)
        assert findings.problems == []
        assert head is not None and head.entries == 4 * 8 * 4
        assert audit.chain_head(session) == (head.id, head.hash)


def test_a_savepoint_rolled_back_leaves_no_gap_in_the_chain(
    session_factory: sessionmaker[Session],
) -> None:
    with transaction(session_factory) as session:
        audit.record(session, actor="a", action="kept", entity="t", entity_id=1)
        with session.begin_nested() as nested:
            audit.record(session, actor="a", action="dropped", entity="t", entity_id=2)
            nested.rollback()
        audit.record(session, actor="a", action="kept", entity="t", entity_id=3)
    with transaction(session_factory) as session:
        assert verify(session).clean


def test_migration_0011_chains_existing_rows_and_audits_existing_notices(
    database_url: str,
) -> None:
    command.upgrade(alembic_config(database_url), "0010")
    engine = make_engine(database_url)
    at = dt.datetime(2025, 3, 3, 1, 2, 3, 456789, tzinfo=dt.UTC)
    with engine.begin() as connection:
        for n in range(3):
            connection.execute(
                text(
                    "INSERT INTO audit_log (at, actor, action, entity, entity_id, details) "
                    "VALUES (:at, 'old', 'old.action', 'thing', :n, :details)"
                ),
                {
                    "at": at,
                    "n": str(n),
                    "details": json.dumps({"n": n, "名": "旧"}, ensure_ascii=False),
                },
            )
        connection.execute(
            text(
                "INSERT INTO notices (event_key, kind, authority, doc_number, language, body, "
                "delivery, created_at) VALUES ('e1', 'acceptance', 'city.amr', "
                "'漳市监知〔2025〕1号', 'zh-CN', '正文', 'pending', :at)"
            ),
            {"at": at},
        )
        connection.execute(
            text("INSERT INTO counters (key, value) VALUES ('notice:city.amr:2025', 1)")
        )
    upgrade_to_head(database_url)
    with make_session_factory(engine)() as session:
        report = verify(session)
        assert report.clean, report.problems
        assert report.checked == {**report.checked, "audit_log": 4, "notices": 1}
    engine.dispose()


def test_a_chain_rewritten_from_an_edited_row_on_is_caught_by_the_published_head(
    session_factory: sessionmaker[Session],
) -> None:
    with transaction(session_factory) as session:
        for n in range(5):
            audit.record(session, actor="a", action="ledger.post", entity="x", entity_id=n)
        published = audit.chain_head(session)
    assert published is not None
    with transaction(session_factory) as session:  # an intruder re-hashes from row 2 on
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
        else:
            session.execute(text("DROP TRIGGER audit_log_no_update"))
        rows = session.execute(
            text(
                "SELECT id, at, actor, action, entity, entity_id, details, prev_hash "
                "FROM audit_log ORDER BY id"
            )
        ).all()
        prev = rows[1].prev_hash
        for row in rows[1:]:
            details = row.details if isinstance(row.details, dict) else json.loads(row.details)
            at = row.at if isinstance(row.at, dt.datetime) else dt.datetime.fromisoformat(row.at)
            digest = audit.entry_hash(
                prev,
                at=at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at,
                actor="someone",
                action=row.action,
                entity=row.entity,
                entity_id=row.entity_id,
                details=details,
            )
            session.execute(
                text(
                    "UPDATE audit_log SET actor = 'someone', prev_hash = :p, entry_hash = :h "
                    "WHERE id = :i"
                ),
                {"p": prev, "h": digest, "i": row.id},
            )
            prev = digest
    with transaction(session_factory) as session:
        assert verify(session).clean  # the chain alone cannot tell
        caught = verify(session, expect_head=published)
        assert [(p.code, p.row) for p in caught.problems] == [("head_rewritten", str(published[0]))]


def test_a_writer_that_bypasses_the_lock_cannot_fork_the_chain(
    session_factory: sessionmaker[Session],
) -> None:
    with transaction(session_factory) as session:
        audit.record(session, actor="a", action="x", entity="t", entity_id=1)
        first = audit.chain_head(session)
        audit.record(session, actor="a", action="x", entity="t", entity_id=2)
    assert first is not None
    with pytest.raises(IntegrityError), transaction(session_factory) as session:
        session.add(
            AuditEntry(
                actor="b",
                action="x",
                entity="t",
                entity_id="3",
                details={},
                prev_hash=first[1],
                entry_hash="f" * 64,
            )
        )
        session.flush()
