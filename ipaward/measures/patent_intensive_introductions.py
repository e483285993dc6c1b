"""支持引进专利密集型产业 (2024: 第(一)条): a newly introduced enterprise with ≥40 new invention patents
within two years, at least 1/3 of them high-value, gets 500,000 once.

两年内 runs to the second anniversary of the introduction, that day included (民法典 第二百零一条、
第二百零二条); only grants inside the policy's validity count."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from ipaward.exchange.application import ApplicationEnvelope
from ipaward.exchange.evidence import Evidence, HighValue, Item
from ipaward.exchange.fields import STRICT, IsoDate, PatentNo
from ipaward.exchange.identifiers import parse_patent_number
from ipaward.exchange.identities import ItemKind
from ipaward.measures.definition import Check, MeasureDefinition
from ipaward.rules.legal_periods import period_end
from ipaward.rules.listing import listed_twice
from ipaward.rules.result import Explanation, LedgerLine, RuleResult, yuan
from ipaward.rules.rule_context import RuleInput
from ipaward.rules.topup import top_up

IDENTITY = "patent-intensive-introductions"


class GrantedPatent(BaseModel):
    model_config = STRICT
    number: PatentNo
    granted_on: IsoDate
    high_value: HighValue | None
    acquired: bool


class IntroductionEvidence(Evidence):
    patents: list[GrantedPatent] = Field(min_length=1)

    def items(self) -> list[Item]:
        return [
            Item(ItemKind.PATENT, p.number, ("patents", i, "number"))
            for i, p in enumerate(self.patents)
        ]


def item_keys(application: ApplicationEnvelope, evidence: IntroductionEvidence) -> list[str]:
    return [f"{IDENTITY}:enterprise:{application.applicant.uscc}"]


def introduced_on(
    application: ApplicationEnvelope, evidence: IntroductionEvidence
) -> dt.date | None:
    """The edition in force on the day the enterprise was brought to Zhangzhou judges it."""
    return application.applicant.introduced_on


def required(application: ApplicationEnvelope, evidence: IntroductionEvidence) -> list[Check]:
    if application.applicant.introduced_on is None:
        return [
            ("missing", ("applicant", "introduced_on"), "本措施须填写企业引进日期introduced_on")
        ]
    return []


def introduction_award(inp: RuleInput[IntroductionEvidence]) -> RuleResult:
    p, explain, clause = inp.params, Explanation(), inp.clause
    key = item_keys(inp.application, inp.evidence)[0]
    introduced = inp.application.applicant.introduced_on
    assert introduced is not None  # validation requires it for M01
    industry = inp.application.applicant.industry
    if industry not in p.strings("industries"):
        explain.find(
            "industry_unconfirmed",
            inp.path("applicant", "industry"),
            f"产业“{industry or '未填写'}”不在已列明的专利密集型/战略性新兴产业中,须由审核人员确认",
        )
    if key in inp.prior.paid_items:
        explain.cite(clause, "每家一次性给予奖励;该企业已获本条奖励,不再重复奖励。")
        return explain.result(eligible=False, amount=0)
    window_end = period_end(introduced, p.integer("window_years"))
    count_acquired = p.flag("count_acquired_patents")
    counted, high_value = 0, 0
    repeated = listed_twice(inp, explain, inp.evidence.items())
    for index, patent in enumerate(inp.evidence.patents):
        path = inp.path("evidence", "patents", index)
        if index in repeated:
            continue
        if not parse_patent_number(patent.number).is_invention:
            explain.find("not_invention", f"{path}.number", f"{patent.number}不是发明专利,不计入")
        elif patent.acquired and not count_acquired:
            explain.find(
                "acquired", f"{path}.acquired", f"{patent.number}为受让取得,不属于新增发明专利"
            )
        elif not introduced <= patent.granted_on <= window_end:
            explain.find(
                "outside_window",
                f"{path}.granted_on",
                f"{patent.number}授权于{patent.granted_on},不在引进后两年内({introduced}至{window_end})",
            )
        elif not inp.in_force(patent.granted_on):
            explain.find(
                "outside_validity",
                f"{path}.granted_on",
                f"{patent.number}授权于{patent.granted_on},不在政策有效期"
                f"({inp.edition.valid_from}至{inp.edition.valid_until})内,不计入",
            )
        else:
            counted += 1
            high_value += patent.high_value is not None
    minimum, share = p.integer("min_new_invention_patents"), p.fraction("high_value_min_share")
    explain.cite(
        clause,
        f"{p.text('min_new_invention_patents')};引进日{introduced},两年内(至{window_end})新增发明专利{counted}件,"
        f"其中高价值发明专利{high_value}件。",
    )
    if counted < minimum:
        explain.note(f"新增发明专利{counted}件,少于{minimum}件,不符合奖励条件。")
        return explain.result(eligible=False, amount=0)
    if high_value * share.denominator < counted * share.numerator:
        explain.note(
            f"高价值发明专利{high_value}件,占{counted}件的比例低于{share},不符合奖励条件。"
        )
        return explain.result(eligible=False, amount=0)
    award = p.integer("award")
    explain.cite(clause, f"{p.text('award')}:{yuan(award)}。")
    amount = top_up(explain, amount=award, already_received=inp.received_elsewhere(), what="该企业")
    return explain.result(
        eligible=True, amount=amount, ledger_lines=(LedgerLine(item_key=key, amount=amount),)
    )


MEASURE = MeasureDefinition(
    identity=IDENTITY,
    evidence=IntroductionEvidence,
    formulas={"introduction_award": introduction_award},
    item_keys=item_keys,
    event_date=introduced_on,
    checks=required,
)
