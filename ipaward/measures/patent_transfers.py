"""盘活存量专利 (2024: 第(七)条): a university or institute that in the reward year transferred
invention patents to Zhangzhou enterprises (counted from the CNIPA recordal) is rewarded,
within a yearly cap per institution. Each transfer counts once, ever.

The transferee must be an enterprise (USCC registration-management code 9) in a Zhangzhou
jurisdiction; a transferee whose kind or place cannot be told is counted and shown to the
reviewer, never silently dropped.

Formulas (the edition's dated `formula` parameter chooses):
- `threshold_then_per_extra` (2024): ≥ 6 transfers → 30,000, plus 5,000 for each one beyond;
- `per_transfer`: each counted transfer earns the same amount, from the first.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from ipaward.config.places import Whereabouts
from ipaward.exchange.application import ApplicationEnvelope
from ipaward.exchange.evidence import Evidence, Item, Party
from ipaward.exchange.fields import STRICT, IsoDate, PatentNo
from ipaward.exchange.identifiers import parse_patent_number
from ipaward.exchange.identities import ItemKind, identity
from ipaward.measures.definition import Claim, MeasureDefinition, item_key
from ipaward.rules.listing import listed_twice
from ipaward.rules.result import Explanation, LedgerLine, RuleResult, yuan
from ipaward.rules.rule_context import RuleInput
from ipaward.rules.topup import top_up
from ipaward.rules.yearly_caps import counts_in_year, within_yearly_cap

IDENTITY = "patent-transfers"


class Transfer(BaseModel):
    model_config = STRICT
    patent_number: PatentNo
    transferee: Party
    recorded_on: IsoDate


class TransfersEvidence(Evidence):
    transfers: list[Transfer] = Field(min_length=1)

    def items(self) -> list[Item]:
        return [
            Item(ItemKind.PATENT, t.patent_number, ("transfers", i, "patent_number"))
            for i, t in enumerate(self.transfers)
        ]


def transfer_key(patent_number: str) -> str:
    return item_key(IDENTITY, "transfer", identity(ItemKind.PATENT, patent_number))


def item_keys(application: ApplicationEnvelope, evidence: TransfersEvidence) -> list[str]:
    return [transfer_key(t.patent_number) for t in evidence.transfers]


def claims(application: ApplicationEnvelope, evidence: TransfersEvidence) -> list[Claim]:
    return [
        Claim(transfer_key(t.patent_number), "transfer", t.model_dump(mode="json"))
        for t in evidence.transfers
    ]


def threshold_then_per_extra(inp: RuleInput[TransfersEvidence]) -> RuleResult:
    """2024: nothing below `min_transfers`; at it `base_award`, plus the extra per transfer."""
    p, explain = inp.params, Explanation()
    counted, total_count = _count(inp, explain, heading=p.text("min_transfers"))
    minimum, base = p.integer("min_transfers"), p.integer("base_award")
    per_extra = p.integer("award_per_extra_transfer")
    if total_count < minimum:
        explain.note(f"合计{total_count}件,少于{minimum}件,不符合奖励条件。")
        return explain.result(eligible=False, amount=0)
    total = base + per_extra * (total_count - minimum)
    explain.cite(
        inp.clause,
        f"{p.text('base_award')},{p.text('award_per_extra_transfer')}:"
        f"{yuan(base)}+{yuan(per_extra)}×{total_count - minimum}={yuan(total)}。",
    )
    return _settle(inp, explain, counted, total)


def per_transfer(inp: RuleInput[TransfersEvidence]) -> RuleResult:
    """Each counted transfer earns `award_per_transfer`, from the first."""
    p, explain = inp.params, Explanation()
    counted, total_count = _count(inp, explain, heading="向漳州市企业转让发明专利按件奖励")
    each = p.integer("award_per_transfer")
    if total_count == 0:
        return explain.result(eligible=False, amount=0)
    total = each * total_count
    explain.cite(
        inp.clause, f"{p.text('award_per_transfer')}:{yuan(each)}×{total_count}={yuan(total)}。"
    )
    return _settle(inp, explain, counted, total)


def _count(
    inp: RuleInput[TransfersEvidence], explain: Explanation, *, heading: str
) -> tuple[list[str], int]:
    """The transfers this application counts, and the year's count with earlier ones."""
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
    earlier = inp.prior.year_items
    total_count = earlier + len(counted)
    year = inp.application.year
    explain.cite(
        inp.clause,
        f"{heading}:{year}年度向漳州市企业转让发明专利本次计入{len(counted)}件"
        + (f",此前已计入{earlier}件,合计{total_count}件。" if earlier else "。"),
    )
    if to_verify:
        explain.note(
            f"其中{to_verify}件受让方的企业身份或所在地暂予计入,须审核人员核实(见审核提示)。"
        )
    return counted, total_count


def _settle(
    inp: RuleInput[TransfersEvidence], explain: Explanation, counted: list[str], total: int
) -> RuleResult:
    """The year's cap, then 就高从优; the transfers are the once-only items of the award."""
    p = inp.params
    cap = p.integer("yearly_cap")
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
    inp: RuleInput[TransfersEvidence], explain: Explanation, transfer: Transfer, path: str
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
    inp: RuleInput[TransfersEvidence], explain: Explanation, transfer: Transfer, path: str
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


MEASURE = MeasureDefinition(
    identity=IDENTITY,
    evidence=TransfersEvidence,
    formulas={"threshold_then_per_extra": threshold_then_per_extra, "per_transfer": per_transfer},
    item_keys=item_keys,
    claims=claims,
    joined_list="transfers",
)
