"""Everything an officer reads before deciding: applicant, evidence, documents and their
checks, the award explained clause by clause, the route with every decision, notices."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ipaward.config.edition import Measure
from ipaward.db.models import (
    Application,
    Decision,
    Document,
    EvidenceItem,
    Notice,
    WorkItem,
)
from ipaward.labels import evidence_fields
from ipaward.repository.follow_ups import pending_for
from ipaward.repository.runs import RunRef, runs_of
from ipaward.web.due_distances import DeadlineCounter
from ipaward.web.reads.flow import in_route_order
from ipaward.workflow.context import WorkflowContext
from ipaward.workflow.states import CORRECTION_REQUESTED, IN_REVIEW, PUBLICITY


@dataclass(frozen=True, kw_only=True)
class ItemView:
    id: int
    stage: str
    round: int
    department: str
    state: str
    version: int
    due_on: dt.date | None
    overdue_days: int
    outcome: str | None = None
    officer: str | None = None
    comment: str | None = None
    decided_at: dt.datetime | None = None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class StageView:
    code: str
    departments: list[str]
    completion: str | None
    due_working_days: int | None
    working_days: int | None
    items: list[ItemView]
    current: bool


@dataclass(frozen=True, kw_only=True)
class ApplicationView:
    application: Application
    measure: Measure | None
    stages: list[StageView]
    items: list[ItemView]
    documents: list[Document]
    evidence: list[EvidenceItem]
    notices: list[Notice]
    waiting_on: list[str]
    queued: bool = False  # a follow-up request waits for the background work
    runs: list[RunRef] = field(default_factory=list)

    @property
    def number(self) -> str:
        return self.application.number

    def open_items_of(self, department: str) -> list[ItemView]:
        return [i for i in self.items if i.department == department and i.state == "open"]

    def item(self, work_item_id: int) -> ItemView | None:
        return next((i for i in self.items if i.id == work_item_id), None)

    def document_kinds(self) -> list[str]:
        return correctable_kinds([d.kind for d in self.documents], self.measure)

    def evidence_fields(self) -> list[str]:
        return correctable_fields(self.application, self.measure)


def correctable_fields(application: Application, measure: Measure | None) -> list[str]:
    """The measure's evidence fields an officer may ask to correct, entry by entry as this
    application lists them (config/labels.toml names each)."""
    if measure is None:
        return []
    return evidence_fields(measure.identity, (application.payload or {}).get("evidence") or {})


def correctable_kinds(declared: list[str], measure: Measure | None) -> list[str]:
    """Kinds an officer may ask to correct: declared ones, then the checklist's others."""
    kinds = list(dict.fromkeys(declared))
    if measure is not None:
        checklist = (*measure.required_documents, *measure.optional_documents)
        kinds += [k for k in checklist if k not in kinds]
    return kinds


def document_kinds(session: Session, ctx: WorkflowContext, *, application_id: int) -> list[str]:
    """What the decision form may name, without loading the whole page."""
    application = session.get(Application, application_id)
    if application is None:
        return []
    declared = session.scalars(
        select(Document.kind).where(Document.application_id == application_id).order_by(Document.id)
    )
    return correctable_kinds(list(declared), _measure(ctx, application))


def evidence_paths(session: Session, ctx: WorkflowContext, *, application_id: int) -> list[str]:
    """What the decision form may name of the evidence, without loading the whole page."""
    application = session.get(Application, application_id)
    if application is None:
        return []
    return correctable_fields(application, _measure(ctx, application))


def measure_identity(session: Session, ctx: WorkflowContext, *, application_id: int) -> str | None:
    application = session.get(Application, application_id)
    measure = _measure(ctx, application) if application is not None else None
    return measure.identity if measure is not None else None


def _measure(ctx: WorkflowContext, application: Application) -> Measure | None:
    try:
        return ctx.policy.edition(application.edition).measure(application.measure)
    except (KeyError, LookupError, ValueError):
        return None


def application_view(
    session: Session,
    ctx: WorkflowContext,
    deadlines: DeadlineCounter,
    *,
    application_id: int,
    today: dt.date,
) -> ApplicationView:
    application = session.scalars(
        select(Application)
        .options(joinedload(Application.applicant))
        .where(Application.id == application_id)
    ).one()
    items = [
        _item_view(item, decision, deadlines, today)
        for item, decision in session.execute(
            select(WorkItem, Decision)
            .outerjoin(Decision, Decision.work_item_id == WorkItem.id)
            .where(WorkItem.application_id == application_id)
            .order_by(WorkItem.id)
        )
    ]
    documents = list(
        session.scalars(
            select(Document).where(Document.application_id == application_id).order_by(Document.id)
        )
    )
    evidence = list(
        session.scalars(
            select(EvidenceItem)
            .where(EvidenceItem.application_id == application_id)
            .order_by(EvidenceItem.id)
        )
    )
    notices = list(
        session.scalars(
            select(Notice).where(Notice.application_id == application_id).order_by(Notice.id)
        )
    )
    return ApplicationView(
        application=application,
        measure=_measure(ctx, application),
        stages=_stages(application, items),
        items=items,
        documents=documents,
        evidence=evidence,
        notices=notices,
        waiting_on=_waiting_on(application, items),
        queued=_queued(session, application_id, today),
        runs=runs_of(session, application_id=application_id),
    )


def _queued(session: Session, application_id: int, today: dt.date) -> bool:
    """Whether background work on the application is asked for and not done yet."""
    request = pending_for(session, application_id=application_id)
    return request is not None and (request.due_on is None or request.due_on <= today)


def _item_view(
    item: WorkItem, decision: Decision | None, deadlines: DeadlineCounter, today: dt.date
) -> ItemView:
    view = ItemView(
        id=item.id,
        stage=item.stage,
        round=item.round,
        department=item.department,
        state=item.state,
        version=item.version,
        due_on=item.due_on,
        overdue_days=deadlines.overdue(item.due_on, today) if item.state == "open" else 0,
    )
    if decision is None:
        return view
    return ItemView(
        **{
            **vars(view),
            "outcome": decision.outcome,
            "officer": decision.officer,
            "comment": decision.comment,
            "decided_at": decision.decided_at,
            "details": decision.details or {},
        }
    )


def _stages(application: Application, items: list[ItemView]) -> list[StageView]:
    """The snapshotted route in order, with stages outside it where they happened (an
    objection review right after 公示)."""
    route = (application.route or {}).get("stages") or []
    codes = [stage["stage"] for stage in route]
    codes += [code for code in dict.fromkeys(i.stage for i in items) if code not in codes]
    codes = in_route_order(codes)
    declared = {stage["stage"]: stage for stage in route}
    return [
        StageView(
            code=code,
            departments=list(declared.get(code, {}).get("departments") or []),
            completion=declared.get(code, {}).get("completion"),
            due_working_days=declared.get(code, {}).get("due_working_days"),
            working_days=declared.get(code, {}).get("working_days"),
            items=[i for i in items if i.stage == code],
            current=code == application.stage,
        )
        for code in codes
    ]


def _waiting_on(application: Application, items: list[ItemView]) -> list[str]:
    """Department codes with open items, or what else the application waits for."""
    if application.state == IN_REVIEW:
        return [i.department for i in items if i.state == "open"]
    if application.state == CORRECTION_REQUESTED:
        return ["applicant"]
    if application.state == PUBLICITY:
        return ["publicity"]
    return []
