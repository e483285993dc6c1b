"""Notice contexts refuse what a notice must never print: unknown fields, float money,
shares that do not add up, an empty correction list."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from ipaward.notices.kinds import (
    NOTICE_KINDS,
    CorrectionContext,
    PaymentContext,
    PublicityContext,
    notice_kind,
    notice_title,
    sample_context,
)


def fields(kind: str) -> dict[str, object]:
    return sample_context(kind).model_dump()


def test_every_kind_has_a_chinese_name_a_context_class_and_a_template() -> None:
    assert set(NOTICE_KINDS) == {
        "acceptance",
        "correction",
        "refusal",
        "review_result",
        "publicity",
        "payment",
        "task",
        "reminder",
    }
    assert NOTICE_KINDS["correction"].name == "补正材料通知书"
    assert notice_kind("payment").context is PaymentContext
    with pytest.raises(ValueError, match="unknown notice kind"):
        notice_kind("memo")
    with pytest.raises(ValueError, match="unknown notice kind"):
        sample_context("memo")


def test_the_title_is_authority_subject_and_kind() -> None:
    assert notice_title(sample_context("correction")) == (
        "漳州市教育局关于闽南理工学院知识产权奖补申请的补正材料通知书"
    )


def test_unknown_fields_are_refused() -> None:
    with pytest.raises(ValidationError, match="extra"):
        PaymentContext.model_validate({**fields("payment"), "bank_account": "6222…"})
    header = {**fields("payment")["header"], "seal": "yes"}  # type: ignore[dict-item]
    with pytest.raises(ValidationError, match="extra"):
        PaymentContext.model_validate({**fields("payment"), "header": header})


@pytest.mark.parametrize("amount", [500_000.0, "500000", True, -1])
def test_money_is_non_negative_whole_yuan(amount: object) -> None:
    data = {**fields("payment"), "amount": amount, "city_amount": amount, "county_amount": 0}
    with pytest.raises(ValidationError):
        PaymentContext.model_validate(data)


def test_the_shares_must_add_up_and_a_county_share_names_its_payer() -> None:
    with pytest.raises(ValidationError, match="must equal amount"):
        PaymentContext.model_validate({**fields("payment"), "city_amount": 1})
    with pytest.raises(ValidationError, match="county_finance"):
        PaymentContext.model_validate({**fields("payment"), "county_finance": None})


def test_a_correction_lists_at_least_one_item() -> None:
    with pytest.raises(ValidationError):
        CorrectionContext.model_validate({**fields("correction"), "items": []})


def test_a_publicity_period_runs_forward() -> None:
    data = {**fields("publicity"), "period_end": date(2024, 10, 1)}
    with pytest.raises(ValidationError, match="ends before it starts"):
        PublicityContext.model_validate(data)


def test_contexts_are_frozen() -> None:
    context = sample_context("payment")
    with pytest.raises(ValidationError):
        context.amount = 1  # type: ignore[attr-defined]
