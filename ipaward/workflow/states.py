"""Application states (declared in `ipaward.lifecycle.states`, named here for short) and the
stages every route may use."""

from __future__ import annotations

from ipaward.lifecycle.states import ApplicationState, label

A = ApplicationState
SUBMITTED, CORRECTION_REQUESTED, RESUBMITTED = A.SUBMITTED, A.CORRECTION_REQUESTED, A.RESUBMITTED
IN_REVIEW, AWAITING_CYCLE, PUBLICITY = A.IN_REVIEW, A.AWAITING_CYCLE, A.PUBLICITY
PAID, REJECTED, WITHDRAWN = A.PAID, A.REJECTED, A.WITHDRAWN

FINAL_STATES = frozenset({PAID, REJECTED, WITHDRAWN})
OPEN_STATES = frozenset(
    {SUBMITTED, CORRECTION_REQUESTED, RESUBMITTED, AWAITING_CYCLE, IN_REVIEW, PUBLICITY}
)

PUBLICITY_STAGE = "publicity"
OBJECTION_STAGE = "objection_review"
FINANCE_STAGE = "finance"

STATE_NAMES: dict[str, str] = {state.value: label(state) for state in ApplicationState}
STAGE_NAMES = {
    "lead_review": "牵头单位审核",
    "countersign": "责任单位会签",
    PUBLICITY_STAGE: "公示",
    OBJECTION_STAGE: "异议复核",
    FINANCE_STAGE: "财政拨付审核",
    "assign": "牵头单位部署",
    "report": "责任单位报送",
    "compile": "牵头单位汇总",
}
