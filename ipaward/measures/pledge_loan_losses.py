"""推进知识产权质押融资工作 (2024: 第(十)条): of a verified principal loss on an IP-pledge loan, the risk
compensation fund bears 80% and the bank 20%; the fund never pays beyond its balance."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from pydantic import BaseModel, Field, model_validator

from ipaward.exchange.application import ApplicationEnvelope
from ipaward.exchange.evidence import Evidence, Item, Party
from ipaward.exchange.fields import STRICT, IsoDate, Money, PatentNo, Text
from ipaward.exchange.identities import ItemKind, identity
from ipaward.measures.definition import MeasureDefinition
from ipaward.rules.result import Explanation, LedgerLine, RuleResult, yuan
from ipaward.rules.rule_context import RuleInput
from ipaward.rules.topup import top_up

IDENTITY = "pledge-loan-compensation"


class Loan(BaseModel):
    model_config = STRICT
    contract_no: Text
    borrower: Party
    principal: Money
    pledged_patents: list[PatentNo] = Field(min_length=1)
    pledge_registration_no: Text
    defaulted_on: IsoDate
    verified_principal_loss: Money

    @model_validator(mode="after")
    def _loss_within_principal(self) -> Loan:
        if self.verified_principal_loss > self.principal:
            raise ValueError("verified_principal_loss: 核定本金损失不得超过贷款本金")
        return self


class LoanLossEvidence(Evidence):
    loan: Loan

    def items(self) -> list[Item]:
        return [Item(ItemKind.CONTRACT, self.loan.contract_no, ("loan", "contract_no"))]


def item_keys(application: ApplicationEnvelope, evidence: LoanLossEvidence) -> list[str]:
    return [f"{IDENTITY}:loan:{identity(ItemKind.CONTRACT, evidence.loan.contract_no)}"]


def defaulted_on(application: ApplicationEnvelope, evidence: LoanLossEvidence) -> dt.date:
    return evidence.loan.defaulted_on


def fund_part(loss: int, share: Decimal) -> int:
    """The fund's share of a loss in whole yuan, rounded half up [choice]."""
    return int((Decimal(loss) * share).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def fund_share_of_loss(inp: RuleInput[LoanLossEvidence]) -> RuleResult:
    p, explain, loan = inp.params, Explanation(), inp.evidence.loan
    key = item_keys(inp.application, inp.evidence)[0]
    if key in inp.prior.paid_items:
        explain.cite(inp.clause, f"贷款合同{loan.contract_no}的本金损失已获风险补偿,不重复补偿。")
        return explain.result(eligible=False, amount=0)
    if not inp.locate(loan.borrower.jurisdiction).is_local:
        explain.find(
            "borrower_not_local",
            inp.path("evidence", "loan", "borrower", "jurisdiction"),
            f"借款企业所在地“{loan.borrower.jurisdiction}”不能确认在漳州市,"
            "须核实是否属于本市普惠金融风险补偿范围",
        )
    if loan.verified_principal_loss == 0:
        explain.cite(inp.clause, "对符合规定的贷款本金损失予以补偿;核定本金损失为0,无需补偿。")
        return explain.result(eligible=False, amount=0)
    share = p.decimal("fund_share")
    if p.text_value("rounding") != "half_up":
        raise ValueError("M10 rounding: only half_up is implemented")
    fund = fund_part(loan.verified_principal_loss, share)
    bank = loan.verified_principal_loss - fund
    explain.cite(
        inp.clause,
        f"{p.text('fund_share')}:核定本金损失{yuan(loan.verified_principal_loss)},"
        f"风险补偿资金承担{yuan(fund)}({share:%}),合作银行承担{yuan(bank)}。",
    )
    # 就高、从优、不重复: compensation already received elsewhere for this loan reduces the
    # fund's share first; only what remains is limited by the fund's balance.
    due = top_up(
        explain,
        amount=fund,
        already_received=inp.received_elsewhere(),
        what="该笔贷款本金损失",
    )
    if due == 0:
        return explain.result(
            eligible=True, amount=0, ledger_lines=(LedgerLine(item_key=key, amount=0),)
        )
    balance = inp.prior.fund_balance
    if balance is None:
        balance = p.integer("fund_capacity")
    amount = min(due, balance)
    if amount < due:
        explain.find(
            "fund_insufficient",
            inp.path("evidence", "loan", "verified_principal_loss"),
            f"风险补偿资金余额{yuan(balance)},不足应承担的{yuan(due)}",
        )
        explain.cite(
            inp.clause, f"{p.text('fund_capacity')}:资金不超过余额支付,本次支付{yuan(amount)}。"
        )
    if amount == 0:
        return explain.result(eligible=False, amount=0)
    return explain.result(
        eligible=True,
        amount=amount,
        ledger_lines=(LedgerLine(item_key=key, amount=amount),),
        city_share_override=p.text_value("city_share"),
    )


MEASURE = MeasureDefinition(
    identity=IDENTITY,
    evidence=LoanLossEvidence,
    formulas={"fund_share_of_loss": fund_share_of_loss},
    item_keys=item_keys,
    event_date=defaulted_on,
)
