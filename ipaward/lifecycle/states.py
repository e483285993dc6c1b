"""The states each kind of subject can be in, with the Chinese a person reads.

The values are stored (and CHECKed by the database); the labels are what pages, notices and
tables show. A StrEnum compares equal to its value, so stored strings and members mix freely.
"""

from __future__ import annotations

from enum import StrEnum


class ApplicationState(StrEnum):
    SUBMITTED = "submitted"
    CORRECTION_REQUESTED = "correction_requested"
    RESUBMITTED = "resubmitted"
    IN_REVIEW = "in_review"
    AWAITING_CYCLE = "awaiting_cycle"  # annual measures: accepted, settled in the yearly list
    PUBLICITY = "publicity"
    PAID = "paid"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class AnnualListState(StrEnum):
    BUILDING = "building"
    IN_REVIEW = "in_review"
    PUBLICITY = "publicity"
    BUDGET_STOP = "budget_stop"
    PAYING = "paying"
    DONE = "done"


class LineStatus(StrEnum):
    """A line of an annual list: on it, taken out onto its own route, refused, or paid."""

    INCLUDED = "included"
    EXCEPTED = "excepted"
    REFUSED = "refused"
    PAID = "paid"


class ProgrammeState(StrEnum):
    IN_PROGRESS = "in_progress"
    DONE = "done"


LABELS: dict[StrEnum, str] = {
    ApplicationState.SUBMITTED: "已提交",
    ApplicationState.CORRECTION_REQUESTED: "待补正",
    ApplicationState.RESUBMITTED: "已补正",
    ApplicationState.AWAITING_CYCLE: "待年度集中评审",
    ApplicationState.IN_REVIEW: "审核中",
    ApplicationState.PUBLICITY: "公示中",
    ApplicationState.PAID: "已拨付",
    ApplicationState.REJECTED: "不予奖励",
    ApplicationState.WITHDRAWN: "已撤回",
    AnnualListState.BUILDING: "名单生成中",
    AnnualListState.IN_REVIEW: "审核中",
    AnnualListState.PUBLICITY: "公示中",
    AnnualListState.BUDGET_STOP: "超出预算暂停",
    AnnualListState.PAYING: "拨付中",
    AnnualListState.DONE: "已完成",
    LineStatus.INCLUDED: "在名单中",
    LineStatus.EXCEPTED: "已移出名单",
    LineStatus.REFUSED: "不予奖励",
    LineStatus.PAID: "已拨付",
    ProgrammeState.IN_PROGRESS: "办理中",
    ProgrammeState.DONE: "已汇总",
}


def label(state: StrEnum) -> str:
    return LABELS[state]
