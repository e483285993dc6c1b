"""The chain holds under concurrent writers, and 0011 chains the rows written before it."""

from __future__ import annotations

import datetime as dt
import json
from concurrent.futures import ThreadPoolExecutor

from alembic import command
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from ipaward.db.migrate import alembic_config, upgrade_to_head
from ipaward.db.session import make_engine, make_session_factory, transaction
from ipaward.repository import audit
from ipaward.verify import verify
from ipaward.verify.chain import check_chain
from ipaward.verify.problems import Findings


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
