"""`ipaward verify`: recompute the audit chain and reconcile what it records.

The chain first (an edited, deleted or inserted audit row), then ledger, yearly accounts,
budgets, funds, decisions, notices and where applications and lists stand, each against its audit rows;
then the invariants: no item paid twice, no cap exceeded, no live application that nothing
will move on. Everything is read in one
snapshot (PostgreSQL REPEATABLE READ, a deferred SQLite read), so writers are not held up
and the figures agree with each other.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipaward.db.models import AuditEntry
from ipaward.db.session import make_engine, make_session_factory
from ipaward.verify.chain import check_chain
from ipaward.verify.findings import Findings, Head, Problem, Report
from ipaward.verify.fund_checks import check_budgets, check_funds
from ipaward.verify.ledger_checks import check_accounts, check_ledger, check_paid_once
from ipaward.verify.records import check_decisions, check_notices
from ipaward.verify.state_checks import check_states
from ipaward.workflow.handoff import unattended

__all__ = ["Head", "Problem", "Report", "verify", "verify_database"]


def verify(session: Session, *, expect_head: tuple[int, str] | None = None) -> Report:
    """Every check, in the order a person should read the problems."""
    findings = Findings()
    head = check_chain(session, findings)
    if expect_head is not None:
        _compare_published(session, findings, head, expect_head)
    checked = {
        "audit_log": 0 if head is None else head.entries,
        "ledger_entries": check_ledger(session, findings),
        "annual_accounts": check_accounts(session, findings),
        "budgets": check_budgets(session, findings),
        "funds": check_funds(session, findings),
        "decisions": check_decisions(session, findings),
        "notices": check_notices(session, findings),
        "applications": check_states(session, findings),
    }
    check_paid_once(session, findings)
    stranded = unattended(session)
    for number in stranded:
        findings.add(
            Problem(
                "unattended",
                "applications",
                number,
                f"申请{number}在办,却既无待办事项也无待执行的后续办理",
            )
        )
    return Report(head=head, problems=findings.problems, checked=checked)


def _compare_published(
    session: Session, findings: Findings, head: Head | None, published: tuple[int, str]
) -> None:
    """A head published earlier must still be in the chain, unchanged."""
    audit_id, digest = published
    stored = session.execute(
        select(AuditEntry.entry_hash).where(AuditEntry.id == audit_id)
    ).scalar_one_or_none()
    if stored != digest:
        findings.add(
            Problem(
                "head_rewritten",
                "audit_log",
                str(audit_id),
                f"第{audit_id}条审计记录的哈希与已发布的链头不符:审计链被改写",
                audit_id,
            )
        )


def verify_database(url: str, *, expect_head: tuple[int, str] | None = None) -> Report:
    """`verify` in a read-only snapshot of the database at `url`."""
    engine = make_engine(url, sqlite_immediate=False)
    if engine.dialect.name == "postgresql":
        engine = engine.execution_options(
            isolation_level="REPEATABLE READ", postgresql_readonly=True
        )
    try:
        with make_session_factory(engine)() as session, session.begin():
            return verify(session, expect_head=expect_head)
    finally:
        engine.dispose()
