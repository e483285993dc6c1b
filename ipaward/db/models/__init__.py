"""All ipaward tables; importing this module registers them on Base.metadata."""

from ipaward.db.models.accounts import LoginFailure, User, WebSession
from ipaward.db.models.applications import Application, Document, EvidenceItem
from ipaward.db.models.audit import AuditEntry, AuditLogIsAppendOnly
from ipaward.db.models.counters import Counter
from ipaward.db.models.cycles import Cycle, CycleLine, Reminder
from ipaward.db.models.finance import Budget, Fund, FundMovement
from ipaward.db.models.handoff import FOLLOW_UP_STATES, FollowUp, RunRecord
from ipaward.db.models.ledger import AnnualAccount, LedgerEntry, LedgerItem
from ipaward.db.models.notices import Notice
from ipaward.db.models.parties import Applicant
from ipaward.db.models.programmes import Programme
from ipaward.db.models.workflow import DECISION_OUTCOMES, WORK_ITEM_STATES, Decision, WorkItem

__all__ = [
    "DECISION_OUTCOMES",
    "FOLLOW_UP_STATES",
    "WORK_ITEM_STATES",
    "AnnualAccount",
    "Applicant",
    "Application",
    "AuditEntry",
    "AuditLogIsAppendOnly",
    "Budget",
    "Counter",
    "Cycle",
    "CycleLine",
    "Decision",
    "Document",
    "EvidenceItem",
    "FollowUp",
    "Fund",
    "FundMovement",
    "LedgerEntry",
    "LedgerItem",
    "LoginFailure",
    "Notice",
    "Programme",
    "Reminder",
    "RunRecord",
    "User",
    "WebSession",
    "WorkItem",
]
