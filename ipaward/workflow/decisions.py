"""A department acts on a work item: one transaction writes the decision and its audit row.

The advance flow runs afterwards and works out what the decision means for the route.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.orm import Session

from ipaward.db.base import utc_now
from ipaward.db.models import Application, Decision, WorkItem
from ipaward.repository import audit
from ipaward.repository.cycles import listed_numbers
from ipaward.repository.subjects import yearly_subject
from ipaward.workflow import handoff
from ipaward.workflow.context import Procedure
from ipaward.workflow.errors import (
    ConcurrentDecision,
    InvalidAction,
    NotFound,
    NotYourWorkItem,
    WorkItemClosed,
)
from ipaward.workflow.limits import check_decision_numbers
from ipaward.workflow.outcomes import (
    OBJECTION_OUTCOMES,
    OUTCOMES,
    outcome_refusal,
    reason_refusal,
)

__all__ = ["OUTCOMES", "Decided", "decide", "parse_items"]


@dataclass(frozen=True)
class Decided:
    decision_id: int
    work_item_id: int
    application_id: int | None
    number: str | None
    follow_up_id: int | None = None  # what to hand to the background after the commit


def parse_items(raw: Sequence[str], comment: str) -> list[dict[str, str]]:
    """`--items documents[transfer_contract]:盖章不清` → a 补正 item; the reason defaults to the comment."""
    items = []
    for text in raw:
        field, _, reason = text.partition(":")
        if not field.strip():
            raise InvalidAction("补正事项须写明材料或字段")
        items.append({"field": field.strip(), "reason": reason.strip() or comment})
    return items


def decide(
    session: Session,
    *,
    work_item_id: int,
    department: str,
    officer: str,
    outcome: str,
    comment: str,
    expected_version: int | None = None,
    items: Sequence[str] = (),
    deadline_days: int | None = None,
    exceptions: Sequence[str] = (),
    procedure: Procedure | None = None,
) -> Decided:
    """Record one department's decision. `exceptions` ("NUMBER:reason") only on an annual
    cycle's list: the lines it names leave the list for the single-application route.
    `procedure` gives the 补正 deadline's range (read from config when not given)."""
    check_decision_numbers(
        work_item_id=work_item_id,
        expected_version=expected_version,
        deadline_days=deadline_days,
        procedure=procedure,
    )
    if outcome not in OUTCOMES:
        raise InvalidAction(outcome_refusal(outcome, "") or "未知的决定")
    item = session.get(WorkItem, work_item_id)
    if item is None:
        raise NotFound(f"没有待办事项{work_item_id}")
    if item.department != department:
        raise NotYourWorkItem(f"待办事项{work_item_id}不属于{department},无权办理")
    if item.state != "open":
        raise WorkItemClosed(
            f"待办事项{work_item_id}已{'办结' if item.state == 'done' else '取消'},不能再办理"
        )
    if expected_version is not None and expected_version != item.version:
        raise ConcurrentDecision(f"待办事项{work_item_id}已变化(版本{item.version}),请刷新后再办理")
    refusal = outcome_refusal(outcome, item.stage) or reason_refusal(outcome, comment)
    if refusal:
        raise InvalidAction(refusal)
    application = session.get(Application, item.application_id) if item.application_id else None
    details: dict[str, object] = {}
    if outcome in OBJECTION_OUTCOMES and application is not None:
        details["objector"] = (application.objection or {}).get("name", "")
    if outcome == "return":
        details["items"] = parse_items(items, comment)
        if not details["items"]:
            raise InvalidAction("退回补正须列明需补正的材料或字段(--items)")
        if deadline_days is not None:
            details["deadline_days"] = deadline_days
    if exceptions:
        details["exceptions"] = _exceptions(session, item, outcome, exceptions, comment)
    closed = session.execute(
        update(WorkItem)
        .where(
            WorkItem.id == work_item_id, WorkItem.state == "open", WorkItem.version == item.version
        )
        .values(state="done", closed_at=utc_now(), version=WorkItem.version + 1)
        .execution_options(synchronize_session=False)
    )
    if closed.rowcount != 1:  # type: ignore[attr-defined]
        raise ConcurrentDecision(f"待办事项{work_item_id}刚被他人办理,本次决定未保存")
    decision = Decision(
        work_item_id=work_item_id,
        department=department,
        officer=officer,
        outcome=outcome,
        comment=comment,
        details=details,
    )
    session.add(decision)
    session.flush()
    audit.record(
        session,
        actor=f"{department}/{officer}",
        action=f"work_item.{outcome}",
        entity="work_item",
        entity_id=work_item_id,
        details={
            "application": application.number if application else _yearly_ref(session, item),
            "decision": decision.id,
            "department": department,
            "officer": officer,
            "outcome": outcome,
            "stage": item.stage,
            "round": item.round,
            "comment": comment,
            **details,
        },
    )
    follow_up = _ask_follow_up(session, item, application)
    session.expire(item)
    return Decided(
        decision_id=decision.id,
        work_item_id=work_item_id,
        application_id=item.application_id,
        number=application.number if application else None,
        follow_up_id=follow_up,
    )


def _ask_follow_up(session: Session, item: WorkItem, application: Application | None) -> int | None:
    """The decision's follow-up, in the decision's transaction: its application moves on,
    or its annual list does; a programme's yearly work moves on with the programme's run."""
    if application is not None:
        return handoff.ask(session, application, reason=f"待办事项{item.id}已办理")
    if item.cycle_id is None:
        return None
    return handoff.ask_for_list(
        session, cycle_id=item.cycle_id, reason=f"名单待办事项{item.id}已办理"
    )


def _yearly_ref(session: Session, item: WorkItem) -> str:
    subject = yearly_subject(session, item)
    return subject.ref if subject is not None else ""


def _exceptions(
    session: Session, item: WorkItem, outcome: str, raw: Sequence[str], comment: str
) -> list[dict[str, str]]:
    """Lines of a cycle's list taken out by this approval (例外事项), each with its reason."""
    cycle = yearly_subject(session, item)
    if cycle is None or not cycle.is_list:
        raise InvalidAction("例外事项只适用于年度集中评审名单的待办")
    if outcome not in ("approve", "countersign"):
        raise InvalidAction("例外事项随同意名单的决定一并作出;不同意整份名单时无需列明")
    named = []
    for text in raw:
        number, _, reason = text.partition(":")
        named.append({"application": number.strip(), "reason": reason.strip() or comment})
    listed = listed_numbers(session, measure=cycle.measure, year=cycle.year)
    unknown = [entry["application"] for entry in named if entry["application"] not in listed]
    if unknown:
        raise InvalidAction(f"名单中没有(或已移出){'、'.join(unknown)}")
    return named
