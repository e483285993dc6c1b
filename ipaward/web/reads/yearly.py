"""Work items with no application: a programme's yearly work ("M04:2025") and an annual
measure's list for the yearly settlement ("cycle:M07:2024")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipaward.cycles.shared import describe_shares
from ipaward.db.models import Applicant, Application, Cycle, CycleLine

CYCLE_PREFIX = "cycle:"
STATUS_NAMES = {
    "included": "列入名单",
    "excepted": "例外(单独审核)",
    "refused": "不予列入",
    "paid": "已拨付",
}


@dataclass(frozen=True, kw_only=True)
class YearlyRef:
    measure: str
    year: str
    is_list: bool  # an annual settlement list (else a programme's yearly work)

    @property
    def title(self) -> str:
        kind = "年度集中评审名单" if self.is_list else "年度工作任务"
        return f"{self.measure} {self.year}{kind}"


def parse_ref(ref: str | None) -> YearlyRef:
    """ "cycle:M07:2024" → an annual list; "M04:2025" → a programme's yearly work."""
    text = ref or ""
    is_list = text.startswith(CYCLE_PREFIX)
    parts = text.removeprefix(CYCLE_PREFIX).split(":")
    return YearlyRef(measure=parts[0], year=parts[1] if len(parts) > 1 else "", is_list=is_list)


def list_lines(session: Session, ref: YearlyRef) -> list[dict[str, Any]]:
    """The lines of an annual list: application, recipient, amount, status."""
    if not ref.is_list or not ref.year.isdigit():
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
        .where(Cycle.measure == ref.measure, Cycle.year == int(ref.year))
        .order_by(CycleLine.status, Application.number)
    )
    return [
        {
            "number": number,
            "applicant": applicant,
            "uscc": uscc,
            "amount": amount,
            "status": STATUS_NAMES.get(status, status),
            "included": status == "included",
            "shared": describe_shares(details.get("shared", [])),
        }
        for number, applicant, uscc, amount, status, details in rows
    ]
