"""Migration 0004 re-keys once-only items to their canonical identity, and stops, changing
nothing, when that reveals an item already paid twice; 0007 then files them under the
measure's own identity instead of its 2024 clause number."""

from __future__ import annotations

from typing import Any

import pytest
from alembic import command
from sqlalchemy import Engine, select, text

from ipaward.db.migrate import alembic_config, current_revision, upgrade_to_head
from ipaward.db.models import AuditEntry, EvidenceItem, LedgerItem
from ipaward.db.session import make_engine, make_session_factory
from tests.support.identifiers import uscc

UNIVERSITY = uscc(7, prefix="12350600")


def _at_0003(url: str) -> Engine:
    command.upgrade(alembic_config(url), "0003")
    return make_engine(url)


def _pay(engine: Engine, *, number: str, measure: str, key: str) -> None:
    """One application, paid, with its ledger row and evidence row, as 0003 wrote them."""
    with engine.begin() as db:
        applicant = db.execute(
            text("SELECT id FROM applicants WHERE uscc = :u"), {"u": UNIVERSITY}
        ).scalar()
        if applicant is None:
            db.execute(
                text(
                    "INSERT INTO applicants (uscc, name, kind, jurisdiction, created_at) "
                    "VALUES (:u, '漳州某大学', 'university', 'xiangcheng', CURRENT_TIMESTAMP)"
                ),
                {"u": UNIVERSITY},
            )
            applicant = db.execute(
                text("SELECT id FROM applicants WHERE uscc = :u"), {"u": UNIVERSITY}
            ).scalar()
        app = db.execute(
            text(
                "INSERT INTO applications (number, measure, edition, year, applicant_id, state, "
                "payload, assessment, version, stage_round, created_at, updated_at) VALUES "
                "(:n, :m, '2024', 2024, :a, 'paid', '{}', :assessment, 1, 1, CURRENT_TIMESTAMP, "
                "CURRENT_TIMESTAMP) RETURNING id"
            ),
            {
                "n": number,
                "m": measure,
                "a": applicant,
                "assessment": f'{{"ledger_lines": [{{"item_key": "{key}", "amount": 1}}]}}',
            },
        ).scalar_one()
        entry = db.execute(
            text(
                "INSERT INTO ledger_entries (application_id, measure, recipient_uscc, year, "
                "amount, city_amount, jurisdiction_amount, edition, posted_at) VALUES "
                "(:app, :m, :u, 2024, 150000, 150000, 0, '2024', CURRENT_TIMESTAMP) RETURNING id"
            ),
            {"app": app, "m": measure, "u": UNIVERSITY},
        ).scalar_one()
        db.execute(
            text(
                "INSERT INTO ledger_items (entry_id, measure, recipient_uscc, year, item_key, "
                "amount) VALUES (:e, :m, :u, 2024, :k, 150000)"
            ),
            {"e": entry, "m": measure, "u": UNIVERSITY, "k": key},
        )
        db.execute(
            text(
                "INSERT INTO evidence_items (application_id, item_key, kind, data) "
                "VALUES (:app, :k, :m, '{}')"
            ),
            {"app": app, "k": key, "m": measure},
        )


def test_keys_written_as_typed_become_canonical_and_the_change_is_audited(
    database_url: str,
) -> None:
    engine = _at_0003(database_url)
    _pay(engine, number="ZZIP-2024-M12-000001", measure="M12", key="M12:case:（2024）闽06民初123号")
    _pay(engine, number="ZZIP-2024-M07-000001", measure="M07", key="M07:transfer:ZL201710601862.3")
    command.upgrade(alembic_config(database_url), "0004")
    with make_session_factory(engine)() as session:
        assert sorted(session.scalars(select(LedgerItem.item_key))) == [
            "M07:transfer:201710601862.3",
            "M12:case:(2024)闽06民初123号",
        ]
        [details] = session.scalars(  # columns only: 0011 adds the hash columns
            select(AuditEntry.details).where(AuditEntry.action == "ledger.rekey")
        )
        keys: dict[str, Any] = details["keys"]
        assert keys["M12:case:（2024）闽06民初123号"] == "M12:case:(2024)闽06民初123号"
    upgrade_to_head(database_url)
    with make_session_factory(engine)() as session:
        assert sorted(session.scalars(select(LedgerItem.item_key))) == [
            "enforcement-cases:case:(2024)闽06民初123号",
            "patent-transfers:transfer:201710601862.3",
        ]
        assert sorted(session.scalars(select(EvidenceItem.item_key))) == [
            "enforcement-cases:case:(2024)闽06民初123号",
            "patent-transfers:transfer:201710601862.3",
        ]
        assert sorted(session.scalars(select(LedgerItem.measure))) == [
            "enforcement-cases",
            "patent-transfers",
        ]
        [renamed] = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "ledger.reidentify")
        )
        assert renamed.details["rows"]["ledger_entries"] == 2
        assert renamed.details["rows"]["applications"] == 2  # the assessments' ledger lines
    engine.dispose()


def test_a_double_payment_revealed_by_rekeying_stops_the_migration_and_names_both(
    database_url: str,
) -> None:
    engine = _at_0003(database_url)
    _pay(engine, number="ZZIP-2024-M12-000001", measure="M12", key="M12:case:(2024)闽06民初123号")
    _pay(engine, number="ZZIP-2024-M12-000002", measure="M12", key="M12:case:（2024）闽06民初123号")
    with pytest.raises(Exception, match="重复拨付") as caught:
        upgrade_to_head(database_url)
    assert "ZZIP-2024-M12-000001" in str(caught.value)
    assert "ZZIP-2024-M12-000002" in str(caught.value)
    assert current_revision(database_url) == "0003"
    with engine.connect() as db:
        keys = sorted(db.execute(text("SELECT item_key FROM ledger_items")).scalars())
    assert keys == ["M12:case:(2024)闽06民初123号", "M12:case:（2024）闽06民初123号"]
    engine.dispose()
