"""Application states and the stages every route may use."""

from __future__ import annotations

SUBMITTED = "submitted"
CORRECTION_REQUESTED = "correction_requested"
RESUBMITTED = "resubmitted"
IN_REVIEW = "in_review"
AWAITING_CYCLE = "awaiting_cycle"  # annual measures: accepted, settled in the yearly cycle
PUBLICITY = "publicity"
PAID = "paid"
REJECTED = "rejected"
WITHDRAWN = "withdrawn"

FINAL_STATES = frozenset({PAID, REJECTED, WITHDRAWN})
OPEN_STATES = frozenset(
    {SUBMITTED, CORRECTION_REQUESTED, RESUBMITTED, AWAITING_CYCLE, IN_REVIEW, PUBLICITY}
)

PUBLICITY_STAGE = "publicity"
OBJECTION_STAGE = "objection_review"
FINANCE_STAGE = "finance"

STATE_NAMES = {
    SUBMITTED: "已提交",
    CORRECTION_REQUESTED: "待补正",
    RESUBMITTED: "已补正",
    AWAITING_CYCLE: "待年度集中评审",
    IN_REVIEW: "审核中",
    PUBLICITY: "公示中",
    PAID: "已拨付",
    REJECTED: "不予奖励",
    WITHDRAWN: "已撤回",
}
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
