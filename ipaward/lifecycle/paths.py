"""The three declared paths: an application, a measure's annual list, a programme's year."""

from __future__ import annotations

from ipaward.db.models import Application, Cycle, Programme
from ipaward.lifecycle.declared import Role, Transition, declare
from ipaward.lifecycle.states import AnnualListState as L
from ipaward.lifecycle.states import ApplicationState as A
from ipaward.lifecycle.states import ProgrammeState as P

SYSTEM, APPLICANT, DEPARTMENT, PUBLIC, OPERATOR = (
    frozenset({Role.SYSTEM}),
    frozenset({Role.APPLICANT}),
    frozenset({Role.SYSTEM, Role.DEPARTMENT}),
    frozenset({Role.PUBLIC, Role.DEPARTMENT}),
    frozenset({Role.SYSTEM, Role.OPERATOR}),
)
OPEN = frozenset(
    {A.SUBMITTED, A.CORRECTION_REQUESTED, A.RESUBMITTED, A.AWAITING_CYCLE, A.IN_REVIEW, A.PUBLICITY}
)

APPLICATION = declare(
    "application",
    Application,
    A,
    Transition(
        name="submit",
        label="提交申请",
        sources=frozenset(),
        target=A.SUBMITTED,
        fired_by=APPLICANT,
        audit_action="application.submit",
    ),
    Transition(
        name="enter_stage",
        label="进入审核环节",
        # from intake (first stage or the stage a 补正 resumes), the next stage, after 公示,
        # or a line taken out of its annual list onto its own route
        sources=frozenset({A.SUBMITTED, A.RESUBMITTED, A.IN_REVIEW, A.PUBLICITY, A.AWAITING_CYCLE}),
        target=A.IN_REVIEW,
        fired_by=SYSTEM,
        audit_action="application.stage",
        notices=frozenset({"acceptance", "review_result", "task"}),
    ),
    Transition(
        name="receive_objection",
        label="受理异议",
        # its own 公示, or its line's 公示 on the annual list (the line leaves the list)
        sources=frozenset({A.PUBLICITY, A.AWAITING_CYCLE}),
        target=A.IN_REVIEW,
        fired_by=PUBLIC,
        audit_action="application.object",
        notices=frozenset({"task"}),
    ),
    Transition(
        name="open_publicity",
        label="公示",
        sources=frozenset({A.SUBMITTED, A.RESUBMITTED, A.IN_REVIEW, A.AWAITING_CYCLE}),
        target=A.PUBLICITY,
        fired_by=SYSTEM,
        audit_action="application.publicity",
        notices=frozenset({"acceptance", "review_result", "publicity"}),
    ),
    Transition(
        name="await_list",
        label="列入年度集中评审",
        sources=frozenset({A.SUBMITTED, A.RESUBMITTED}),
        target=A.AWAITING_CYCLE,
        fired_by=SYSTEM,
        audit_action="application.await_cycle",
        notices=frozenset({"acceptance"}),
    ),
    Transition(
        name="request_correction",
        label="退回补正",
        sources=frozenset({A.SUBMITTED, A.RESUBMITTED, A.IN_REVIEW}),
        target=A.CORRECTION_REQUESTED,
        fired_by=DEPARTMENT,
        audit_action="application.return",
        notices=frozenset({"correction"}),
    ),
    Transition(
        name="resubmit",
        label="补正后重新提交",
        sources=frozenset({A.CORRECTION_REQUESTED}),
        target=A.RESUBMITTED,
        fired_by=APPLICANT,
        audit_action="application.resubmit",
    ),
    Transition(
        name="reject",
        label="不予奖励",
        sources=OPEN,
        target=A.REJECTED,
        fired_by=DEPARTMENT,
        audit_action="application.reject",
        notices=frozenset({"refusal"}),
    ),
    Transition(
        name="withdraw",
        label="撤回申请",
        sources=OPEN,
        target=A.WITHDRAWN,
        fired_by=APPLICANT,
        audit_action="application.withdraw",
    ),
    Transition(
        name="pay",
        label="拨付",
        sources=frozenset({A.IN_REVIEW, A.AWAITING_CYCLE}),
        target=A.PAID,
        fired_by=SYSTEM,
        audit_action="application.paid",
        notices=frozenset({"review_result", "payment"}),
    ),
)

_LIST_LIVE = frozenset({L.BUILDING, L.IN_REVIEW, L.PUBLICITY, L.BUDGET_STOP})
ANNUAL_LIST = declare(
    "cycle",
    Cycle,
    L,
    Transition(
        name="create",
        label="建立年度名单",
        sources=frozenset(),
        target=L.BUILDING,
        fired_by=SYSTEM,
        audit_action="cycle.create",
    ),
    Transition(
        name="enter_stage",
        label="名单进入审核环节",
        sources=_LIST_LIVE,
        target=L.IN_REVIEW,
        fired_by=SYSTEM,
        audit_action="cycle.in_review",
        notices=frozenset({"task"}),
    ),
    Transition(
        name="open_publicity",
        label="名单公示",
        sources=_LIST_LIVE - {L.PUBLICITY},
        target=L.PUBLICITY,
        fired_by=SYSTEM,
        audit_action="cycle.publicity",
        notices=frozenset({"publicity"}),
    ),
    Transition(
        name="stop_for_budget",
        label="因超出预算暂停",
        sources=_LIST_LIVE,  # stopped again: the figures changed
        target=L.BUDGET_STOP,
        fired_by=SYSTEM,
        audit_action="cycle.budget_stop",
    ),
    Transition(
        name="start_paying",
        label="进入拨付",
        sources=_LIST_LIVE,
        target=L.PAYING,
        fired_by=SYSTEM,
        audit_action="cycle.paying",
    ),
    Transition(
        name="finish",
        label="结束年度结算",
        sources=_LIST_LIVE | {L.PAYING},
        target=L.DONE,
        fired_by=OPERATOR,
        audit_action="cycle.done",
    ),
)

PROGRAMME = declare(
    "programme",
    Programme,
    P,
    Transition(
        name="start",
        label="部署年度工作",
        sources=frozenset(),
        target=P.IN_PROGRESS,
        fired_by=SYSTEM,
        audit_action="programme.start",
    ),
    Transition(
        name="enter_stage",
        label="进入下一环节",
        sources=frozenset({P.IN_PROGRESS}),
        target=P.IN_PROGRESS,
        fired_by=SYSTEM,
        audit_action="programme.stage",
        notices=frozenset({"task"}),
    ),
    Transition(
        name="finish",
        label="汇总完成",
        sources=frozenset({P.IN_PROGRESS}),
        target=P.DONE,
        fired_by=SYSTEM,
        audit_action="programme.done",
    ),
)

PATHS = (APPLICATION, ANNUAL_LIST, PROGRAMME)
