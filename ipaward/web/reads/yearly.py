"""Work items with no application: a programme's yearly work and an annual measure's list
for the yearly settlement (`ipaward.repository.subjects.YearlySubject`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipaward.cycles.shared import describe_shares
from ipaward.db.models import Applicant, Application, Cycle, CycleLine
from ipaward.labels import label
from ipaward.repository.subjects import YearlySubject


def list_lines(session: Session, ref: YearlySubject | None) -> list[dict[str, Any]]:
    """The lines of an annual list: application, recipient, amount, status."""
    if ref is None or not ref.is_list:
        return []
    rows = session.execute(
        select(
            Application.number,
            Applicant.name,
            CycleLine.recipient_uscc,
            CycleLine.amount,
            CycleLine.status,
            CycleLine.details,
        )
        .join(Cycle, Cycle.id == CycleLine.cycle_id)
        .join(Application, Application.id == CycleLine.application_id)
        .join(Applicant, Applicant.id == Application.applicant_id)
        .where(Cycle.id == ref.id)
        .order_by(CycleLine.status, Application.number)
    )
    return [
        {
            "number": number,
            "applicant": applicant,
            "uscc": uscc,
            "amount": amount,
            "status": label(status, "line_states"),
            "included": status == "included",
            "shared": describe_shares(details.get("shared", [])),
        }
        for number, applicant, uscc, amount, status, details in rows
    ]
