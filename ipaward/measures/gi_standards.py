"""深化地标文旅融合发展 (2024: 第(十五)条): (a) an organisation whose GI cultural-tourism group standard
guides ≥15 market entities gets 150,000 once; (b) each GI cultural-tourism local standard pays
50,000 to each drafting unit ranked 1st or 2nd.

Each branch has its own applicants (dated parameters): a group standard is made by a 社会团体
(标准化法 第十八条, GB/T 20004.1), so branch (a) pays that organisation; branch (b) pays the
drafting units, whatever their kind."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field, model_validator

from ipaward.bounds import MAX_COUNT
from ipaward.exchange.application import ApplicationEnvelope
from ipaward.exchange.evidence import Evidence, Item
from ipaward.exchange.fields import STRICT, Count, IsoDate, Text
from ipaward.exchange.identities import ItemKind, identity
from ipaward.measures.definition import MeasureDefinition
from ipaward.rules.result import Explanation, LedgerLine, RuleResult, yuan
from ipaward.rules.rule_context import RuleInput
from ipaward.rules.topup import top_up

IDENTITY = "gi-cultural-standards"


class GroupStandard(BaseModel):
    model_config = STRICT
    code: Text
    title: Text
    entities_guided: Count
    published_on: IsoDate


class LocalStandard(BaseModel):
    model_config = STRICT
    code: Text
    title: Text
    drafting_rank: int = Field(ge=1, le=MAX_COUNT)
    published_on: IsoDate


class StandardEvidence(Evidence):
    group_standard: GroupStandard | None = None
    local_standard: LocalStandard | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> StandardEvidence:
        if (self.group_standard is None) == (self.local_standard is None):
            raise ValueError("须且只能提供group_standard或local_standard之一")
        return self

    def items(self) -> list[Item]:
        branch = "group_standard" if self.group_standard is not None else "local_standard"
        standard = self.group_standard or self.local_standard
        return [Item(ItemKind.STANDARD, standard.code, (branch, "code"))] if standard else []


def item_keys(application: ApplicationEnvelope, evidence: StandardEvidence) -> list[str]:
    uscc = application.applicant.uscc
    if evidence.local_standard is not None:
        code = identity(ItemKind.STANDARD, evidence.local_standard.code)
        return [f"{IDENTITY}:local:{code}:{uscc}"]
    return [f"{IDENTITY}:group:{uscc}"]


def published_on(application: ApplicationEnvelope, evidence: StandardEvidence) -> dt.date:
    standard = evidence.group_standard or evidence.local_standard
    assert standard is not None  # the model guarantees exactly one
    return standard.published_on


def group_or_local_standard(inp: RuleInput[StandardEvidence]) -> RuleResult:
    explain = Explanation()
    key = item_keys(inp.application, inp.evidence)[0]
    group, local = inp.evidence.group_standard, inp.evidence.local_standard
    if not _may_apply(inp, explain, "group" if group is not None else "local"):
        return explain.result(eligible=False, amount=0)
    if group is not None:
        award = _group(inp, explain, group, key)
    else:
        assert local is not None  # the model guarantees exactly one
        award = _local(inp, explain, local, key)
    if award == 0:
        return explain.result(eligible=False, amount=0)
    amount = top_up(
        explain,
        amount=award,
        already_received=inp.received_elsewhere(),
        what="该标准",
    )
    return explain.result(
        eligible=True, amount=amount, ledger_lines=(LedgerLine(item_key=key, amount=amount),)
    )


BRANCH_NAMES = {"group": "团体标准", "local": "地方标准"}


def _may_apply(inp: RuleInput[StandardEvidence], explain: Explanation, branch: str) -> bool:
    """Whether the applicant's kind may apply under this branch; if not, the reason."""
    parameter = f"{branch}_applicant_kinds"
    if inp.application.applicant.kind in inp.params.strings(parameter):
        return True
    explain.find(
        "branch_applicant_kind",
        inp.path("applicant", "kind"),
        f"{BRANCH_NAMES[branch]}奖补的申请人类型不符",
    )
    explain.cite(inp.clause, f"{inp.params.text(parameter)};申请人类型不符,不符合本项奖补条件。")
    return False


def _group(
    inp: RuleInput[StandardEvidence], explain: Explanation, standard: GroupStandard, key: str
) -> int:
    p = inp.params
    if key in inp.prior.paid_items:
        explain.cite(inp.clause, "团体标准奖励为一次性奖励;该组织已获奖励,不再重复。")
        return 0
    minimum = p.integer("group_min_entities")
    explain.cite(
        inp.clause,
        f"{p.text('group_min_entities')}:团体标准{standard.code}《{standard.title}》指导市场主体{standard.entities_guided}个。",
    )
    if standard.entities_guided < minimum:
        explain.find(
            "below_threshold",
            inp.path("evidence", "group_standard", "entities_guided"),
            f"指导市场主体{standard.entities_guided}个,少于{minimum}个",
        )
        return 0
    award = p.integer("group_award")
    explain.cite(inp.clause, f"{p.text('group_award')}:{yuan(award)}。")
    return award


def _local(
    inp: RuleInput[StandardEvidence], explain: Explanation, standard: LocalStandard, key: str
) -> int:
    p = inp.params
    if key in inp.prior.paid_items:
        explain.cite(inp.clause, f"该单位参与制定地方标准{standard.code}已获补助,不再重复。")
        return 0
    max_rank = p.integer("local_max_rank")
    explain.cite(
        inp.clause,
        f"{p.text('local_max_rank')}:地方标准{standard.code}《{standard.title}》,该单位起草排名第{standard.drafting_rank}位。",
    )
    if standard.drafting_rank > max_rank:
        explain.find(
            "rank",
            inp.path("evidence", "local_standard", "drafting_rank"),
            f"起草排名第{standard.drafting_rank}位,不在前{max_rank}位",
        )
        return 0
    award = p.integer("local_award")
    explain.cite(inp.clause, f"{p.text('local_award')}:{yuan(award)}。")
    return award


MEASURE = MeasureDefinition(
    identity=IDENTITY,
    evidence=StandardEvidence,
    formulas={"group_or_local_standard": group_or_local_standard},
    item_keys=item_keys,
    event_date=published_on,
)
