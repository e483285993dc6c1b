"""第(七)条 盘活存量专利: a university/institute that in the year transferred ≥6 invention patents
to Zhangzhou enterprises (counted from CNIPA recordal) gets 30,000 + 5,000 per transfer beyond 6,
at most 300,000 per institution per year. Each transfer counts once, ever."""

from __future__ import annotations

from ipaward.exchange.application import ApplicationEnvelope
from ipaward.exchange.evidence import M07Evidence
from ipaward.exchange.identifiers import parse_patent_number
from ipaward.rules.context import RuleInput
from ipaward.rules.result import Explanation, LedgerLine, RuleResult, yuan
from ipaward.rules.topup import top_up
from ipaward.rules.yearly import counts_in_year, within_yearly_cap


def transfer_key(patent_number: str) -> str:
    return f"M07:transfer:{patent_number}"


def item_keys(application: ApplicationEnvelope, evidence: M07Evidence) -> list[str]:
    return [transfer_key(t.patent_number) for t in evidence.transfers]


def yearly_award(count: int, *, minimum: int, base: int, per_extra: int) -> int:
    """30,000 at 6 transfers, plus 5,000 for each one beyond; nothing below 6."""
    return 0 if count < minimum else base + per_extra * (count - minimum)


def assess(inp: RuleInput[M07Evidence]) -> RuleResult:
    p, explain, year = inp.params, Explanation(), inp.application.year
    counted: list[str] = []
    for index, transfer in enumerate(inp.evidence.transfers):
        path = inp.path("evidence", "transfers", index)
        number = transfer.patent_number
        if not parse_patent_number(number).is_invention:
            explain.find("not_invention", f"{path}.patent_number", f"{number}不是发明专利,不计入")
        elif not inp.is_local(transfer.transferee.jurisdiction):
            explain.find(
                "transferee_not_local",
                f"{path}.transferee.jurisdiction",
                f"受让方“{transfer.transferee.name}”位于{transfer.transferee.jurisdiction},不是漳州市企业,不计入",
            )
        elif counts_in_year(
            inp,
            explain,
            label=f"专利{number}转让登记",
            on=transfer.recorded_on,
            key=transfer_key(number),
            path=f"{path}.recorded_on",
        ):
            counted.append(number)
    minimum, base = p.integer("min_transfers"), p.integer("base_award")
    per_extra, cap = p.integer("award_per_extra_transfer"), p.integer("yearly_cap")
    earlier = inp.prior.year_items
    total_count = earlier + len(counted)
    explain.cite(
        inp.clause,
        f"{p.text('min_transfers')}:{year}年度向漳州市企业转让发明专利本次计入{len(counted)}件"
        + (f",此前已计入{earlier}件,合计{total_count}件。" if earlier else "。"),
    )
    if total_count < minimum:
        explain.note(f"合计{total_count}件,少于{minimum}件,不符合奖励条件。")
        return explain.result(eligible=False, amount=0)
    total = yearly_award(total_count, minimum=minimum, base=base, per_extra=per_extra)
    explain.cite(
        inp.clause,
        f"{p.text('base_award')},{p.text('award_per_extra_transfer')}:"
        f"{yuan(base)}+{yuan(per_extra)}×{total_count - minimum}={yuan(total)}。",
    )
    amount = within_yearly_cap(inp, explain, total=total, cap=cap, cap_text=p.text("yearly_cap"))
    if amount == 0:
        explain.note("本年度本措施奖励已达上限或已全部发放,本次不再奖励。")
        return explain.result(eligible=False, amount=0)
    amount = top_up(
        explain,
        amount=amount,
        already_received=inp.other_awards_for(set(counted)),
        what="所转让专利",
    )
    lines = tuple(LedgerLine(item_key=transfer_key(number), amount=0) for number in counted)
    return explain.result(eligible=True, amount=amount, ledger_lines=lines, yearly_cap=cap)
