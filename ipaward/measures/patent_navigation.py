"""开展专利导航工作 (2024: 第(二)条): a city-level unit's navigation project is funded by city finance
at its approved budget, within the measure's yearly budget where one is set."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from ipaward.exchange.application import ApplicationEnvelope
from ipaward.exchange.evidence import Evidence, Item
from ipaward.exchange.fields import STRICT, Money, Text
from ipaward.exchange.identities import ItemKind, identity
from ipaward.measures.definition import MeasureDefinition
from ipaward.rules.result import Explanation, LedgerLine, RuleResult, yuan
from ipaward.rules.rule_context import RuleInput
from ipaward.rules.topup import top_up

IDENTITY = "patent-navigation"


class NavigationProject(BaseModel):
    model_config = STRICT
    title: Text
    scope: Literal["industry", "regional"]
    budget: Money


class NavigationEvidence(Evidence):
    project: NavigationProject

    def items(self) -> list[Item]:
        return [Item(ItemKind.NAME, self.project.title, ("project", "title"))]


SCOPE_NAMES = {"industry": "产业", "regional": "区域"}


def item_keys(application: ApplicationEnvelope, evidence: NavigationEvidence) -> list[str]:
    title = identity(ItemKind.NAME, evidence.project.title)
    return [f"{IDENTITY}:project:{application.applicant.uscc}:{title}"]


def approved_budget(inp: RuleInput[NavigationEvidence]) -> RuleResult:
    p, explain, project = inp.params, Explanation(), inp.evidence.project
    key = item_keys(inp.application, inp.evidence)[0]
    if key in inp.prior.paid_items:
        explain.cite(inp.clause, f"项目“{project.title}”已获市级财政资金,不重复安排。")
        return explain.result(eligible=False, amount=0)
    if project.scope not in p.strings("scopes"):
        explain.find("scope", inp.path("evidence", "project", "scope"), "导航类型应为产业或区域")
        return explain.result(eligible=False, amount=0)
    if project.budget == 0:
        explain.find(
            "budget", inp.path("evidence", "project", "budget"), "项目预算为0,无需安排资金"
        )
        return explain.result(eligible=False, amount=0)
    explain.cite(
        inp.clause,
        f"{p.text('city_share')};市级单位牵头开展{SCOPE_NAMES[project.scope]}专利导航"
        f"“{project.title}”,按批准预算{yuan(project.budget)}安排,由市级财政支出。",
    )
    amount = project.budget
    remaining = inp.prior.budget_remaining
    if remaining is not None and remaining < amount:
        explain.find(
            "budget_exceeded",
            inp.path("evidence", "project", "budget"),
            f"本年度专利导航预算余额{yuan(remaining)},不足项目预算{yuan(amount)}",
        )
        explain.cite(
            "(十八)", f"专项工作经费以年度预算为限:本年度余额{yuan(remaining)},按余额安排。"
        )
        amount = remaining
    if amount == 0:
        return explain.result(eligible=False, amount=0)
    amount = top_up(
        explain,
        amount=amount,
        already_received=inp.received_elsewhere(),
        what="该项目",
    )
    return explain.result(
        eligible=True,
        amount=amount,
        ledger_lines=(LedgerLine(item_key=key, amount=amount),),
        city_share_override=p.text_value("city_share"),
    )


MEASURE = MeasureDefinition(
    identity=IDENTITY,
    evidence=NavigationEvidence,
    formulas={"approved_budget": approved_budget},
    item_keys=item_keys,
)
