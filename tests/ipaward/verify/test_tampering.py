"""`ipaward verify` is clean after a whole workflow and names the row after any single edit
made in SQL around the application (audit triggers lifted where they would refuse it)."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from ipaward.cli.main import app
from ipaward.db.session import make_engine, make_session_factory
from ipaward.verify import Report, verify
from tests.ipaward.cycles.support import CycleBench, another, m07, m09

Edit = Callable[[Session], str]  # makes one edit, returns the row verify must name


def _scalar(session: Session, sql: str) -> int:
    return int(session.execute(text(sql)).scalar_one())


def lift_audit_guard(session: Session) -> None:
    """What an intruder with the database's owner rights would do first."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
    else:
        session.execute(text("DROP TRIGGER audit_log_no_update"))
        session.execute(text("DROP TRIGGER audit_log_no_delete"))


def ledger_amount(session: Session) -> str:
    entry = _scalar(session, "SELECT max(id) FROM ledger_entries")
    session.execute(text(f"UPDATE ledger_entries SET amount = amount + 1 WHERE id = {entry}"))
    return f"ledger_entries {entry}"


def copied_ledger_row(session: Session) -> str:
    columns = (
        "application_id, measure, recipient_uscc, year, amount, city_amount, "
        "jurisdiction_amount, jurisdiction, edition, posted_at"
    )
    session.execute(
        text(
            f"INSERT INTO ledger_entries ({columns}) SELECT {columns} FROM ledger_entries "
            "WHERE id = (SELECT min(id) FROM ledger_entries)"
        )
    )
    return f"ledger_entries {_scalar(session, 'SELECT max(id) FROM ledger_entries')}"


def deleted_ledger_item(session: Session) -> str:
    item = _scalar(session, "SELECT max(id) FROM ledger_items")
    entry = _scalar(session, f"SELECT entry_id FROM ledger_items WHERE id = {item}")
    session.execute(text(f"DELETE FROM ledger_items WHERE id = {item}"))
    return f"ledger_entries {entry}"


def decision_outcome(session: Session) -> str:
    decision = _scalar(session, "SELECT min(id) FROM decisions WHERE outcome = 'approve'")
    session.execute(text(f"UPDATE decisions SET outcome = 'reject' WHERE id = {decision}"))
    return f"decisions {decision}"


def account_cap(session: Session) -> str:
    account = _scalar(session, "SELECT min(id) FROM annual_accounts")
    session.execute(text(f"UPDATE annual_accounts SET cap = cap + 100000 WHERE id = {account}"))
    return f"annual_accounts {account}"


def account_paid(session: Session) -> str:
    account = _scalar(session, "SELECT min(id) FROM annual_accounts")
    session.execute(text(f"UPDATE annual_accounts SET paid = paid - 1 WHERE id = {account}"))
    return f"annual_accounts {account}"


def budget_committed(session: Session) -> str:
    budget = _scalar(session, "SELECT min(id) FROM budgets WHERE committed > 0")
    session.execute(text(f"UPDATE budgets SET committed = committed - 1 WHERE id = {budget}"))
    return f"budgets {budget}"


def audit_content(session: Session) -> str:
    lift_audit_guard(session)
    row = _scalar(session, "SELECT min(id) FROM audit_log WHERE action = 'ledger.post'")
    session.execute(text(f"UPDATE audit_log SET actor = 'someone' WHERE id = {row}"))
    return f"audit_log {row}"


def audit_deleted(session: Session) -> str:
    lift_audit_guard(session)
    row = _scalar(session, "SELECT min(id) FROM audit_log WHERE action = 'ledger.post'")
    session.execute(text(f"DELETE FROM audit_log WHERE id = {row}"))
    return f"audit_log {_scalar(session, f'SELECT min(id) FROM audit_log WHERE id > {row}')}"


def notice_number(session: Session) -> str:
    notice = _scalar(session, "SELECT max(id) FROM notices")
    session.execute(text(f"UPDATE notices SET doc_number = doc_number || 'x' WHERE id = {notice}"))
    return f"notices {notice}"


def application_state(session: Session) -> str:
    application = _scalar(session, "SELECT min(id) FROM applications WHERE state = 'paid'")
    session.execute(text(f"UPDATE applications SET state = 'rejected' WHERE id = {application}"))
    return f"applications {application}"


EDITS: dict[str, Edit] = {
    "ledger amount": ledger_amount,
    "copied ledger row": copied_ledger_row,
    "deleted ledger item": deleted_ledger_item,
    "decision outcome": decision_outcome,
    "annual account cap": account_cap,
    "annual account paid": account_paid,
    "budget committed": budget_committed,
    "audit row content": audit_content,
    "audit row deleted": audit_deleted,
    "notice number": notice_number,
    "application state": application_state,
}


def _workflow(bench: CycleBench) -> None:
    """Two annual lists paid end to end: ledger, yearly accounts, decisions, notices."""
    bench.accept(m07(0, 8))
    bench.accept(another(m09("A", 3), 1))
    bench.accept(another(m09("B", 2), 2))
    for measure in ("M07", "M09"):
        report, _ = bench.drive_list(measure)
        assert report["state"] == "done"


def _first(report: Report) -> str:
    assert not report.clean, "an edit went unnoticed"
    first = report.problems[0]
    return f"{first.table} {first.row}"


def test_verify_is_clean_after_a_workflow_and_names_the_row_after_any_single_edit(
    bench: CycleBench,
) -> None:
    _workflow(bench)
    with bench.transaction() as session:
        report = verify(session)
        assert report.clean, report.problems
        assert report.checked["ledger_entries"] >= 2 and report.checked["annual_accounts"] >= 2
        assert report.head is not None and report.head.entries == report.checked["audit_log"]
    # On PostgreSQL the app role may do none of these edits (tests/ipaward/db/test_privileges.py):
    # they are made as the administrator, as someone with database access would.
    admin_url = os.environ.get("IPAWARD_MIGRATION_URL")
    admin = make_engine(admin_url) if admin_url else None
    factory = make_session_factory(admin) if admin is not None else bench.factory
    for name, edit in EDITS.items():
        session = factory()
        try:
            with session.begin():
                expected = edit(session)
                assert _first(verify(session)) == expected, name
                session.rollback()
        finally:
            session.close()
    if admin is not None:
        admin.dispose()
    with bench.transaction() as session:
        assert verify(session).clean  # every edit was rolled back


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_command_names_the_first_broken_row_and_exits_1(bench: CycleBench) -> None:
    _workflow(bench)
    runner = CliRunner()
    clean = runner.invoke(app, ["verify"])
    assert clean.exit_code == 0 and "核验通过" in clean.output, clean.output
    with bench.transaction() as session:
        entry = ledger_amount(session).split()[1]
    broken = runner.invoke(app, ["verify"])
    assert broken.exit_code == 1
    assert f"拨付台账第{entry}条的金额为" in broken.output
    as_json = runner.invoke(app, ["verify", "--json"])
    assert as_json.exit_code == 1 and '"code": "ledger_altered"' in as_json.output
