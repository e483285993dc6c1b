"""第(七)条 盘活存量专利: a university/institute that in the year transferred ≥6 invention patents
to Zhangzhou enterprises (counted from CNIPA recordal) gets 30,000 + 5,000 per transfer beyond 6,
at most 300,000 per institution per year. Each transfer counts once, ever.

The transferee must be an enterprise (USCC registration-management code 9) in a Zhangzhou
jurisdiction; a transferee whose kind or place cannot be told is counted and shown to the
reviewer, never silently dropped."""

from __future__ import annotations

from ipaward.config.places import Whereabouts
from ipaward.exchange.application import ApplicationEnvelope
from ipaward.exchange.evidence import M07Evidence, Transfer
from ipaward.exchange.identifiers import parse_patent_number
from ipaward.exchange.identities import ItemKind, identity
from ipaward.rules.context import RuleInput
from ipaward.rules.listing import listed_twice
from ipaward.rules.result import Explanation, LedgerLine, RuleResult, yuan
from ipaward.rules.topup import top_up
from ipaward.rules.yearly import counts_in_year, within_yearly_cap


def transfer_key(patent_number: str) -> str:
    return f"M07:transfer:{identity(ItemKind.PATENT, patent_number)}"


def item_keys(application: ApplicationEnvelope, evidence: M07Evidence) -> list[str]:
    return [transfer_key(t.patent_number) for t in evidence.transfers]


def yearly_award(count: int, *, minimum: int, base: int, per_extra: int) -> int:
    """30,000 at 6 transfers, plus 5,000 for each one beyond; nothing below 6."""
    return 0 if count < minimum else base + per_extra * (count - minimum)


def assess(inp: RuleInput[M07Evidence]) -> RuleResult:
    p, explain, year = inp.params, Explanation(), inp.application.year
    repeated = listed_twice(inp, explain, inp.evidence.items())
    counted: list[str] = []
    to_verify = 0
    for index, transfer in enumerate(inp.evidence.transfers):
        if index in repeated:
            continue
        path = inp.path("evidence", "transfers", index)
        number = transfer.patent_number
        if not parse_patent_number(number).is_invention:
            explain.find("not_invention", f"{path}.patent_number", f"{number}不是发明专利,不计入")
        elif not _excluded(inp, explain, transfer, path) and counts_in_year(
            inp,
            explain,
            label=f"专利{number}转让登记",
            on=transfer.recorded_on,
            key=transfer_key(number),
            path=f"{path}.recorded_on",
        ):
            counted.append(number)
            to_verify += _to_verify(inp, explain, transfer, path)
    minimum, base = p.integer("min_transfers"), p.integer("base_award")
    per_extra, cap = p.integer("award_per_extra_transfer"), p.integer("yearly_cap")
    earlier = inp.prior.year_items
    total_count = earlier + len(counted)
    explain.cite(
        inp.clause,
        f"{p.text('min_transfers')}:{year}年度向漳州市企业转让发明专利本次计入{len(counted)}件"
        + (f",此前已计入{earlier}件,合计{total_count}件。" if earlier else "。"),
    )
    if to_verify:
        explain.note(
            f"其中{to_verify}件受让方的企业身份或所在地暂予计入,须审核人员核实(见审核提示)。"
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
        already_received=inp.other_awards_for({*counted, inp.uscc}),
        what="所转让专利",
    )
    lines = tuple(LedgerLine(item_key=transfer_key(number), amount=0) for number in counted)
    return explain.result(eligible=True, amount=amount, ledger_lines=lines, yearly_cap=cap)


def _excluded(
    inp: RuleInput[M07Evidence], explain: Explanation, transfer: Transfer, path: str
) -> bool:
    """A transferee that is plainly not a Zhangzhou enterprise does not count."""
    party = transfer.transferee
    if inp.locate(party.jurisdiction).whereabouts is Whereabouts.OUTSIDE:
        explain.find(
            "transferee_not_local",
            f"{path}.transferee.jurisdiction",
            f"受让方“{party.name}”位于{party.jurisdiction},不是漳州市企业,不计入",
        )
        return True
    if party.is_enterprise is False:
        assert party.uscc is not None
        explain.find(
            "transferee_not_enterprise",
            f"{path}.transferee.uscc",
            f"受让方“{party.name}”统一社会信用代码登记管理部门码为{party.uscc[0]},"
            "不是企业(企业为9),不计入",
        )
        return True
    return False


def _to_verify(
    inp: RuleInput[M07Evidence], explain: Explanation, transfer: Transfer, path: str
) -> int:
    """Findings for a counted transfer whose transferee's kind or place is not known; 1 if any."""
    party, unsure = transfer.transferee, 0
    if inp.locate(party.jurisdiction).whereabouts is Whereabouts.UNKNOWN:
        unsure = 1
        explain.find(
            "place_unrecognised",
            f"{path}.transferee.jurisdiction",
            f"受让方“{party.name}”所在地“{party.jurisdiction}”未能识别为漳州市某县(区)、开发区,"
            "暂予计入,须核实",
        )
    if party.is_enterprise is None:
        unsure = 1
        explain.find(
            "transferee_kind_unknown",
            f"{path}.transferee.uscc",
            f"受让方“{party.name}”未填写统一社会信用代码,企业身份暂予计入,须核实",
        )
    return unsure
