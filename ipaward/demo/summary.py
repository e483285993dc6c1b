"""What the demo produced, read back from the database (the system of record)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipaward.db.models import Application, AuditEntry, LedgerEntry, Notice
from ipaward.workflow.context import WorkflowContext


@dataclass
class MeasureLine:
    applications: int = 0
    paid: int = 0
    rejected: int = 0
    withdrawn: int = 0
    open: int = 0
    amount: int = 0


@dataclass
class Summary:
    measures: dict[str, MeasureLine] = field(default_factory=dict)
    jurisdictions: dict[str, tuple[int, int]] = field(default_factory=dict)  # name → (city, county)
    notices: Counter[str] = field(default_factory=Counter)
    notice_folder: Path | None = None
    mailbox_folder: Path | None = None
    mailbox_files: int = 0
    rejections: list[tuple[str, str]] = field(default_factory=list)  # number, reason


def summarise(session: Session, ctx: WorkflowContext) -> Summary:
    summary = Summary()
    states = {"paid": "paid", "rejected": "rejected", "withdrawn": "withdrawn"}
    for application in session.scalars(select(Application)):
        line = summary.measures.setdefault(application.measure, MeasureLine())
        line.applications += 1
        attribute = states.get(application.state, "open")
        setattr(line, attribute, getattr(line, attribute) + 1)
    split: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    paid = select(LedgerEntry, Application.measure).join(
        Application, Application.id == LedgerEntry.application_id
    )
    for entry, code in session.execute(paid).tuples():  # the clause the application names
        summary.measures[code].amount += entry.amount
        name = (
            ctx.policy.directory.jurisdictions[entry.jurisdiction].name
            if entry.jurisdiction
            else "市级"
        )
        split[name][0] += entry.city_amount
        split[name][1] += entry.jurisdiction_amount
    summary.jurisdictions = {name: (city, county) for name, (city, county) in sorted(split.items())}
    summary.notices = Counter(notice.kind for notice in session.scalars(select(Notice)))
    summary.notice_folder = ctx.settings.home / "notices"
    summary.mailbox_folder = ctx.settings.home / "mailbox"
    summary.mailbox_files = (
        sum(1 for _ in summary.mailbox_folder.rglob("*.eml"))
        if summary.mailbox_folder.exists()
        else 0
    )
    summary.measures = dict(sorted(summary.measures.items()))
    rejected = (
        select(AuditEntry).where(AuditEntry.action == "application.reject").order_by(AuditEntry.id)
    )
    summary.rejections = [
        (entry.entity_id, str(entry.details.get("reason", "")))
        for entry in session.scalars(rejected)
    ]
    return summary
