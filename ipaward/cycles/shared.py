"""Items claimed by more than one recipient on an annual list (two universities listing one
transfer): resolved before 公示, so payment never has to refuse a whole line for them.

[choice, config-free default] The earlier filing keeps the item (filing date, then number);
the other line is assessed without it and says why. Both lines show the share to the lead
unit, which may take either line out of the list to decide otherwise. Claimants are the live
applications of the measure (any route) except lines the list has already refused; once the
list has been published, a departing owner releases nothing (amounts never rise after 公示).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipaward.cycles.chunk_priors import IN_CHUNK, chunks
from ipaward.db.models import Applicant, Application, Cycle, CycleLine, EvidenceItem
from ipaward.repository.ledger import describe_item
from ipaward.workflow.states import FINAL_STATES

REFUSED_LINE = "refused"


@dataclass(frozen=True, kw_only=True)
class SharedItem:
    """One item an application shares with other recipients' applications."""

    item_key: str
    kept: bool  # this application's recipient keeps it (it filed first)
    owner: str  # the number of the application that keeps it
    others: tuple[str, ...]  # the other recipients' applications claiming it

    def record(self) -> dict[str, Any]:
        return {
            "item_key": self.item_key,
            "kept": self.kept,
            "owner": self.owner,
            "others": list(self.others),
        }


@dataclass(frozen=True)
class _Claim:
    application_id: int
    number: str
    applicant_id: int
    filed: tuple[dt.date, int]


def shared_items(
    session: Session, *, applications: Sequence[Application]
) -> dict[int, list[SharedItem]]:
    """Application id → the items it shares with another recipient's live application."""
    mine: dict[int, list[str]] = defaultdict(list)
    ids = [a.id for a in applications]
    for start in range(0, len(ids), IN_CHUNK):
        rows = session.execute(
            select(EvidenceItem.application_id, EvidenceItem.item_key).where(
                EvidenceItem.application_id.in_(ids[start : start + IN_CHUNK])
            )
        )
        for application_id, key in rows:
            mine[application_id].append(key)
    claims = _claimants(session, {key for keys in mine.values() for key in keys})
    found: dict[int, list[SharedItem]] = {}
    for application in applications:
        for key in mine.get(application.id, []):
            claimants = claims.get(key, [])
            if len({c.applicant_id for c in claimants}) < 2:
                continue
            owner = min(claimants, key=lambda c: c.filed)
            others = tuple(
                c.number for c in claimants if c.applicant_id != application.applicant_id
            )
            found.setdefault(application.id, []).append(
                SharedItem(
                    item_key=key,
                    kept=owner.applicant_id == application.applicant_id,
                    owner=owner.number,
                    others=others,
                )
            )
    return found


def describe_shares(records: Sequence[dict[str, Any]]) -> list[str]:
    """A line's `shared` records as the lead unit reads them on the list."""
    texts = []
    for record in records:
        what = describe_item(str(record.get("item_key", "")))
        others = "、".join(record.get("others", []))
        keeper = (
            "由本申请计入"
            if record.get("kept")
            else f"由先申报的{record.get('owner')}计入,本申请不计入"
        )
        texts.append(f"{what}同时列于{others},{keeper}")
    return texts


def withheld(shared: Collection[SharedItem]) -> dict[str, str]:
    """Item key → the number of the earlier filing that keeps it (what the rule leaves out)."""
    return {item.item_key: item.owner for item in shared if not item.kept}


def _claimants(session: Session, keys: Collection[str]) -> dict[str, list[_Claim]]:
    """Live applications claiming these keys (a key names its measure: any edition's)."""
    refused = select(CycleLine.application_id).where(CycleLine.status == REFUSED_LINE)
    claims: dict[str, list[_Claim]] = defaultdict(list)
    for part in chunks(keys):
        rows = session.execute(
            select(
                EvidenceItem.item_key,
                Application.id,
                Application.number,
                Application.applicant_id,
                Application.submitted_on,
            )
            .join(Application, Application.id == EvidenceItem.application_id)
            .where(
                EvidenceItem.item_key.in_(part),
                Application.state.not_in(FINAL_STATES),
                Application.id.not_in(refused),
            )
        )
        for key, application_id, number, applicant_id, filed in rows:
            claims[key].append(
                _Claim(application_id, number, applicant_id, (filed or dt.date.min, application_id))
            )
    return claims


def lines_sharing_with(
    session: Session, cycle: Cycle, application_ids: Collection[int]
) -> set[str]:
    """Recipients of the list's included lines that share an item with these applications
    (whose lines left the list): they are assessed again, before 公示 only."""
    if not application_ids or "publicity_ends_on" in cycle.details:
        return set()
    keys = select(EvidenceItem.item_key).where(
        EvidenceItem.application_id.in_(list(application_ids))
    )
    rows = session.scalars(
        select(Applicant.uscc)
        .join(Application, Application.applicant_id == Applicant.id)
        .join(CycleLine, CycleLine.application_id == Application.id)
        .join(EvidenceItem, EvidenceItem.application_id == Application.id)
        .where(
            CycleLine.cycle_id == cycle.id,
            CycleLine.status == "included",
            EvidenceItem.item_key.in_(keys),
            Application.id.not_in(list(application_ids)),
        )
    )
    return set(rows)
