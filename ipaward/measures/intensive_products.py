"""推动专利密集型产品备案 (2024: 第(九)条): each product recognised (认定, not mere 备案) by CNIPA in the
year earns 5,000, at most 100,000 per enterprise per year; each product counts once, ever.
就高从优: an award declared for a product reduces that product's 5,000; one declared for the
enterprise as a whole (its USCC) reduces the year's total."""

from __future__ import annotations

from pydantic import BaseModel, Field

from ipaward.exchange.application import ApplicationEnvelope
from ipaward.exchange.evidence import Evidence, Item
from ipaward.exchange.fields import STRICT, IsoDate, Text
from ipaward.exchange.identities import ItemKind, identity
from ipaward.measures.definition import Claim, MeasureDefinition
from ipaward.rules.listing import listed_twice
from ipaward.rules.result import Explanation, LedgerLine, RuleResult, yuan
from ipaward.rules.rule_context import RuleInput
from ipaward.rules.topup import top_up
from ipaward.rules.yearly_caps import counts_in_year, fit_lines, within_yearly_cap

IDENTITY = "patent-intensive-products"


class Product(BaseModel):
    model_config = STRICT
    name: Text
    recognition_no: Text
    recognised_on: IsoDate


class ProductsEvidence(Evidence):
    products: list[Product] = Field(min_length=1)

    def items(self) -> list[Item]:
        return [
            Item(ItemKind.PRODUCT, p.recognition_no, ("products", i, "recognition_no"))
            for i, p in enumerate(self.products)
        ]


def product_key(recognition_no: str) -> str:
    return f"{IDENTITY}:product:{identity(ItemKind.PRODUCT, recognition_no)}"


def item_keys(application: ApplicationEnvelope, evidence: ProductsEvidence) -> list[str]:
    return [product_key(product.recognition_no) for product in evidence.products]


def claims(application: ApplicationEnvelope, evidence: ProductsEvidence) -> list[Claim]:
    return [
        Claim(product_key(p.recognition_no), "product", p.model_dump(mode="json"))
        for p in evidence.products
    ]


def per_product(inp: RuleInput[ProductsEvidence]) -> RuleResult:
    p, explain = inp.params, Explanation()
    per_product, cap = p.integer("award_per_product"), p.integer("yearly_cap")
    lines: list[LedgerLine] = []
    items = inp.evidence.items()
    repeated = listed_twice(inp, explain, items)
    for index, product in enumerate(inp.evidence.products):
        if index in repeated:
            continue
        path = inp.path("evidence", "products", index, "recognised_on")
        key = product_key(product.recognition_no)
        if counts_in_year(
            inp,
            explain,
            label=f"产品“{product.name}”认定",
            on=product.recognised_on,
            key=key,
            path=path,
        ):
            net = top_up(
                explain,
                amount=per_product,
                already_received=inp.other_awards_for({items[index].identity}),
                what=f"产品“{product.name}”",
            )
            lines.append(LedgerLine(item_key=key, amount=net))
    total = sum(line.amount for line in lines)
    explain.cite(
        inp.clause,
        f"{p.text('award_per_product')}:{inp.application.year}年度本次计入认定产品{len(lines)}件,"
        f"合计{yuan(total)}。",
    )
    if not lines:
        return explain.result(eligible=False, amount=0)
    if total == 0:
        explain.note("所计入产品均已由其他政策足额奖励,市级无需补足。")
        return explain.result(eligible=True, amount=0, ledger_lines=tuple(lines), yearly_cap=cap)
    year_total = inp.prior.year_paid + total
    amount = within_yearly_cap(
        inp, explain, total=year_total, cap=cap, cap_text=p.text("yearly_cap")
    )
    if amount == 0:
        explain.note("本年度本措施奖励已达上限,本次不再奖励。")
        return explain.result(eligible=False, amount=0)
    amount = top_up(
        explain,
        amount=amount,
        already_received=inp.other_awards_for({inp.uscc}),
        what="该企业本年度",
    )
    return explain.result(
        eligible=True, amount=amount, ledger_lines=fit_lines(lines, amount), yearly_cap=cap
    )


MEASURE = MeasureDefinition(
    identity=IDENTITY,
    evidence=ProductsEvidence,
    formulas={"per_product": per_product},
    item_keys=item_keys,
    claims=claims,
    joined_list="products",
)
