"""Typed contexts of every notice kind: a template sees exactly these fields and nothing else.

Contexts are frozen pydantic models with extra="forbid", so a misspelt field fails when the
context is built, not as a blank in a notice sent to an applicant. Money is strict int yuan.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar, Literal, NamedTuple

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from ipaward.notices.dates import chinese_dates_in
from ipaward.text.punctuation import to_full_width

POLICY_2024 = "漳州市促进知识产权高质量发展若干措施"

Yuan = Annotated[int, Field(ge=0, strict=True)]


def official_text(text: str) -> str:
    """A text as an official document writes it: full-width marks, 2026年11月30日 dates."""
    return to_full_width(chinese_dates_in(text))


# Every text a notice prints passes through official_text: an officer's comment or an
# assessment's line written with "," or 2024-03-31 still reads "，" and 2024年3月31日.
Chinese = Annotated[str, AfterValidator(official_text)]
Text = Annotated[Chinese, Field(min_length=1)]
RefusalStage = Literal["acceptance", "award"]
# The decision a refusal states, by the stage it comes at: before a 受理通知书 the
# application is not accepted; after it, not awarded. The 补正 notice promises the same one.
REFUSAL_DECISIONS: dict[str, str] = {"acceptance": "不予受理", "award": "不予奖励"}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NoticeHeader(_Model):
    """The GB/T 9704 elements every notice carries; number and title are added on issue."""

    authority_code: Text
    authority_name: Text
    addressee: Text  # 主送机关; the template adds the full-width colon
    subject: Text  # the "关于…的" part of the title
    issued_on: date
    copy_to: list[Text] = []
    attachments: list[Text] = []
    note: Chinese | None = None  # 附注 such as 此件不公开; printed in （）
    contact: Chinese | None = None  # 联系人及电话; printed in （）

    @field_validator("addressee")
    @classmethod
    def _no_colon(cls, value: str) -> str:
        """Callers may pass "漳州某公司：" or "漳州某公司"; the notice prints exactly one colon."""
        stripped = value.rstrip("：: ")
        if not stripped:
            raise ValueError("the addressee is empty")
        return stripped


class ApplicationRef(_Model):
    """How a notice names an application and the measure it claims under."""

    number: Text
    applicant_name: Text
    measure_clause: Text  # "（一）"
    measure_title: Text
    policy_title: Text = POLICY_2024


class NoticeContext(_Model):
    """Base of every kind's context; DOCUMENT_NAME is the kind part of the title."""

    DOCUMENT_NAME: ClassVar[str] = ""
    header: NoticeHeader

    def document_name(self) -> str:
        return self.DOCUMENT_NAME


class AcceptanceContext(NoticeContext):
    DOCUMENT_NAME: ClassVar[str] = "受理通知书"
    application: ApplicationRef
    submitted_on: date
    accepted_on: date
    next_stage: Text  # e.g. 初审


class CorrectionItem(_Model):
    """One missing or faulty document or field, with why: 一次性告知 lists all of them."""

    kind: Literal["document", "field"]
    name: Text
    reason: Text


class CorrectionContext(NoticeContext):
    DOCUMENT_NAME: ClassVar[str] = "补正材料通知书"
    application: ApplicationRef
    submitted_on: date
    items: Annotated[list[CorrectionItem], Field(min_length=1)]
    deadline: date
    working_days: Annotated[int, Field(gt=0)]
    submit_to: Text  # where and how to hand in the corrections
    # What a lapse produces: a refusal at this stage (视为放弃申请, then 不予受理/不予奖励).
    lapse_stage: RefusalStage


class RefusalContext(NoticeContext):
    """不予受理 (stage "acceptance") or 不予奖励 (stage "award"): facts, rule, reason, remedies."""

    application: ApplicationRef
    stage: RefusalStage
    facts: Annotated[list[Text], Field(min_length=1)]
    rules: Annotated[list[Text], Field(min_length=1)]
    reason: Text
    reconsideration_authority: Text  # 行政复议机关
    court: Text = "有管辖权的人民法院"

    def document_name(self) -> str:
        return f"{REFUSAL_DECISIONS[self.stage]}告知书"


class ReviewResultContext(NoticeContext):
    DOCUMENT_NAME: ClassVar[str] = "审核结果通知"
    application: ApplicationRef
    requested_amount: Yuan | None = None
    approved_amount: Yuan
    explanation: Annotated[list[Text], Field(min_length=1)]  # lines citing the clause
    review_steps: Annotated[list[Text], Field(min_length=1)]  # from the route snapshot
    next_step: Text = "审核结果将按规定予以公示，公示无异议的，按程序拨付奖补资金。"


class PublicityEntry(_Model):
    application: ApplicationRef
    amount: Yuan


class PublicityContext(NoticeContext):
    DOCUMENT_NAME: ClassVar[str] = "公示"
    entries: Annotated[list[PublicityEntry], Field(min_length=1)]
    review_steps: Annotated[list[Text], Field(min_length=1)]  # from the route snapshot
    period_start: date
    period_end: date
    working_days: Annotated[int, Field(gt=0)] = 5
    objection_to: Text  # the unit that receives written objections
    objection_address: Text
    objection_phone: Text

    @model_validator(mode="after")
    def _period_in_order(self) -> PublicityContext:
        if self.period_end < self.period_start:
            raise ValueError("the publicity period ends before it starts")
        return self


class PaymentContext(NoticeContext):
    """Amount = city share + county share (现行财政体制); both are printed with capitals."""

    DOCUMENT_NAME: ClassVar[str] = "奖补资金拨付通知"
    application: ApplicationRef
    amount: Yuan
    city_amount: Yuan
    county_amount: Yuan = 0
    county_finance: str | None = None  # the jurisdiction's finance office, when it pays a share
    account_note: Text
    publicised: bool = True  # False for a route without 公示 (M02, M10): the text says so

    @model_validator(mode="after")
    def _shares_add_up(self) -> PaymentContext:
        if self.city_amount + self.county_amount != self.amount:
            raise ValueError("city_amount + county_amount must equal amount")
        if self.county_amount and not self.county_finance:
            raise ValueError("a county share needs county_finance")
        return self


class TaskContext(NoticeContext):
    DOCUMENT_NAME: ClassVar[str] = "待办事项通知"
    application: ApplicationRef
    work_item_id: int
    work_item: Text
    stage: Text
    due_on: date
    instructions: Chinese | None = None


class OverdueItem(_Model):
    application: ApplicationRef
    work_item_id: int
    work_item: Text
    stage: Text
    due_on: date
    overdue_working_days: Annotated[int, Field(gt=0)]


class ReminderContext(NoticeContext):
    DOCUMENT_NAME: ClassVar[str] = "催办通知"
    items: Annotated[list[OverdueItem], Field(min_length=1)]


class NoticeKind(NamedTuple):
    name: str  # the Chinese name of the kind
    context: type[NoticeContext]
    template: str  # stem of templates/notices/<stem>.txt.j2 and .html.j2
    # An internal 待办 between departments is not an official document: it takes no 发文字号,
    # so it never uses up (or leaves gaps in) an authority's official numbering.
    numbered: bool = True


NOTICE_KINDS: dict[str, NoticeKind] = {
    "acceptance": NoticeKind("受理通知书", AcceptanceContext, "acceptance"),
    "correction": NoticeKind("补正材料通知书", CorrectionContext, "correction"),
    "refusal": NoticeKind("不予受理/不予奖励告知书", RefusalContext, "refusal"),
    "review_result": NoticeKind("审核结果通知", ReviewResultContext, "review_result"),
    "publicity": NoticeKind("公示", PublicityContext, "publicity"),
    "payment": NoticeKind("奖补资金拨付通知", PaymentContext, "payment"),
    "task": NoticeKind("待办事项通知", TaskContext, "task", numbered=False),
    "reminder": NoticeKind("催办通知", ReminderContext, "reminder"),
}


def notice_kind(kind: str) -> NoticeKind:
    """The kind's entry; an unknown kind is a programming error worth a clear message."""
    try:
        return NOTICE_KINDS[kind]
    except KeyError:
        known = ", ".join(NOTICE_KINDS)
        raise ValueError(f"unknown notice kind {kind!r} (known: {known})") from None


def notice_title(context: NoticeContext) -> str:
    """Title = authority + subject + kind (GB/T 9704 标题)."""
    header = context.header
    return f"{header.authority_name}关于{header.subject}的{context.document_name()}"


def sample_context(kind: str) -> NoticeContext:
    """A realistic context of `kind`, for template tests and the web preview."""
    from ipaward.notices.samples import SAMPLES

    notice_kind(kind)
    return SAMPLES[kind]()
