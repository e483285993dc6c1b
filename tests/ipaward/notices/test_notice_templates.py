"""Every notice kind rendered from its sample, in both scripts and both forms, carries the
GB/T 9704-2012 elements; the Traditional form is a real conversion, not a copy."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from ipaward.notices.dates import chinese_date
from ipaward.notices.environment import TEMPLATE_DIR, to_language
from ipaward.notices.kinds import (
    NOTICE_KINDS,
    NoticeContext,
    PaymentContext,
    PublicityContext,
    ReviewResultContext,
    notice_title,
    sample_context,
)
from ipaward.notices.money import amount_in_capitals
from ipaward.notices.numbering import DEFAULT_CONFIG_DIR, format_doc_number, load_prefixes
from ipaward.notices.render import RenderedNotice, render_notice

KINDS = sorted(NOTICE_KINDS)
LANGUAGES = ["zh-Hans", "zh-Hant"]
DOC_NUMBER = re.compile(r"^\S+〔2024〕[1-9]\d*(号|號)$")
DATE = re.compile(r"^\d{4}年[1-9]\d?月[1-9]\d?日$")


VOID = {"meta", "hr", "br", "link", "img"}


class TagBalance(HTMLParser):
    """Fails on a closing tag that does not close the innermost open one."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open.pop() == tag, f"unbalanced </{tag}>"


def numbered(kind: str, language: str) -> tuple[NoticeContext, str, RenderedNotice]:
    context = sample_context(kind)
    prefix = load_prefixes(DEFAULT_CONFIG_DIR).prefix_for(context.header.authority_code)
    number = format_doc_number(prefix, year=context.header.issued_on.year, serial=12)
    return context, number, render_notice(kind, context, language=language, doc_number=number)


def amounts(context: NoticeContext) -> list[int]:
    if isinstance(context, PaymentContext):
        return [context.amount, context.city_amount, context.county_amount]
    if isinstance(context, ReviewResultContext):
        return [context.approved_amount]
    if isinstance(context, PublicityContext):
        return [sum(entry.amount for entry in context.entries)]
    return []


def test_every_kind_has_both_templates_and_a_sample() -> None:
    stems = {path.name.split(".")[0] for path in TEMPLATE_DIR.glob("[!_]*.j2")}
    assert stems == {spec.template for spec in NOTICE_KINDS.values()}
    for kind, spec in NOTICE_KINDS.items():
        assert (TEMPLATE_DIR / f"{spec.template}.txt.j2").is_file()
        assert (TEMPLATE_DIR / f"{spec.template}.html.j2").is_file()
        assert isinstance(sample_context(kind), spec.context)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_the_text_form_carries_the_gbt_9704_elements(kind: str, language: str) -> None:
    context, number, rendered = numbered(kind, language)
    header = context.header
    lines = rendered.text.splitlines()
    assert lines[0] == to_language(header.authority_name, language=language)
    if NOTICE_KINDS[kind].numbered:
        assert lines[1] == to_language(number, language=language)
        assert DOC_NUMBER.match(lines[1]), lines[1]
    else:  # a 待办 prints no 发文字号 line at all
        lines.insert(1, "")
        assert not any("〔" in line for line in lines)
    assert lines[3] == rendered.title == to_language(notice_title(context), language=language)
    assert rendered.title.startswith(lines[0])
    assert lines[5] == to_language(header.addressee, language=language) + "："
    signature = lines.index(lines[0], 1)
    assert DATE.match(lines[signature + 1])
    assert lines[signature + 1] == chinese_date(header.issued_on)
    assert "None" not in rendered.text
    assert "&#" not in rendered.text and "&lt;" not in rendered.text
    if header.note:
        assert f"　　（{to_language(header.note, language=language)}）" in lines
    copies = [line for line in lines if line.startswith("抄送：")]
    if header.copy_to:
        expected = "抄送：" + "，".join(header.copy_to) + "。"
        assert copies == [to_language(expected, language=language)]
        assert lines[-1] == lines[-3] and set(lines[-1]) == {"─"}  # between two rules
    else:
        assert copies == []
    attachment_lines = [line for line in lines if "附件：" in line]
    assert len(attachment_lines) == (1 if header.attachments else 0)
    for yuan in amounts(context):
        assert to_language(amount_in_capitals(yuan), language=language) in rendered.text


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_the_html_form_is_printable_and_carries_the_same_elements(kind: str, language: str) -> None:
    context, number, rendered = numbered(kind, language)
    header = context.header
    html = rendered.html
    assert html.startswith("<!DOCTYPE html>")
    balance = TagBalance()
    balance.feed(html)
    assert balance.open == []
    assert f'<html lang="{language}">' in html
    assert "@page { size: A4;" in html
    assert '"仿宋"' in html and '"宋体"' in html  # the font stack is never converted
    assert "color: #c00" in html and "border-top: 2px solid #c00" in html
    authority = to_language(header.authority_name, language=language)
    assert f'<p class="authority">{authority}</p>' in html
    doc_number = to_language(number, language=language)
    if NOTICE_KINDS[kind].numbered:
        assert f'<p class="doc-number">{doc_number}</p>' in html
    else:
        assert 'class="doc-number"' not in html and "〔" not in html
    assert f'<h1 class="title">{rendered.title}</h1>' in html
    addressee = to_language(header.addressee, language=language)
    assert f'<p class="addressee">{addressee}：</p>' in html
    assert f'<p class="signature">{authority}</p>' in html
    assert f'<p class="date">{chinese_date(header.issued_on)}</p>' in html
    assert "None" not in html
    if header.copy_to:
        copies = to_language("抄送：" + "，".join(header.copy_to) + "。", language=language)
        assert f'<footer class="record">\n<p class="copy-to">{copies}</p>' in html
    else:
        assert "抄送" not in html
    assert ('<div class="attachments">' in html) == bool(header.attachments)
    for yuan in amounts(context):
        assert to_language(amount_in_capitals(yuan), language=language) in html


@pytest.mark.parametrize("kind", KINDS)
def test_traditional_is_a_conversion_of_simplified(kind: str) -> None:
    _, _, simplified = numbered(kind, "zh-Hans")
    _, _, traditional = numbered(kind, "zh-Hant")
    assert traditional.text != simplified.text
    assert traditional.html != simplified.html
    assert "獎補" in traditional.text and "奖补" not in traditional.text
    assert "獎補" in traditional.html and "奖补" not in traditional.html.split("</style>")[1]
    assert len(traditional.text) == len(simplified.text)  # s2tw maps character for character


def test_traditional_correction_and_payment_use_traditional_terms() -> None:
    _, _, correction = numbered("correction", "zh-Hant")
    assert "補正材料通知書" in correction.text
    assert "一次性補正" in correction.text
    _, _, payment = numbered("payment", "zh-Hant")
    assert "獎補資金撥付通知" in payment.title
    assert "人民幣伍拾萬元整" in payment.text


def test_a_preview_without_a_number_leaves_the_serial_blank() -> None:
    rendered = render_notice("acceptance", sample_context("acceptance"))
    assert rendered.text.splitlines()[1] == "〔2024〕　号"


def test_a_refusal_names_its_decision_facts_rule_reason_and_remedies() -> None:
    _, _, rendered = numbered("refusal", "zh-Hans")
    text = rendered.text
    assert rendered.title.endswith("不予奖励告知书")
    for heading in ("一、认定的事实", "二、依据", "三、理由", "四、救济途径"):
        assert heading in text
    assert "60日内向漳州市人民政府申请行政复议" in text
    assert "6个月内依法向有管辖权的人民法院提起行政诉讼" in text
    refusal = sample_context("refusal").model_copy(update={"stage": "acceptance"})
    assert render_notice("refusal", refusal).title.endswith("不予受理告知书")


def test_a_correction_lists_every_item_with_its_reason_and_the_deadline() -> None:
    context, _, rendered = numbered("correction", "zh-Hans")
    text = rendered.text
    assert "一次性告知" in text
    for index, item in enumerate(context.items, start=1):  # type: ignore[attr-defined]
        assert f"{index}．" in text and item.name in text and item.reason in text
    assert "10个工作日内（2024年4月24日前）" in text


def test_a_publicity_states_the_period_and_how_to_object() -> None:
    _, _, rendered = numbered("publicity", "zh-Hans")
    text = rendered.text
    assert "2024年10月14日至2024年10月18日，共5个工作日" in text
    assert "书面形式实名" in text and "加盖本单位公章" in text and "签署真实姓名" in text
    assert "匿名、冒名或者逾期提出的异议，不予受理" in text
    assert text.count("ZZIP-2024-") == 3
    assert '<td class="amount">500,000元</td>' in rendered.html


def test_a_payment_without_a_county_share_says_the_city_pays_it_all() -> None:
    context = sample_context("payment").model_copy(
        update={"city_amount": 500_000, "county_amount": 0, "county_finance": None}
    )
    text = render_notice("payment", context).text
    assert "由市级财政承担500,000元（大写：人民币伍拾万元整）" in text
    assert "按照现行财政体制" not in text


def test_the_addressee_gets_exactly_one_colon() -> None:
    context = sample_context("task")
    header = type(context.header).model_validate(
        {**context.header.model_dump(), "addressee": "漳州市工业和信息化局："}
    )
    assert header.addressee == "漳州市工业和信息化局"
    text = render_notice("task", context.model_copy(update={"header": header})).text
    assert "漳州市工业和信息化局：\n" in text and "：：" not in text
