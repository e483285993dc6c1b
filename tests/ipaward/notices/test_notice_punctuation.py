"""Chinese text takes full-width punctuation and 2026年11月30日 dates: in the config and the
templates it is written so, and every rendered notice shows it so."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from ipaward.notices.environment import LANGUAGES, TRADITIONAL
from ipaward.notices.kinds import NOTICE_KINDS, CorrectionItem, sample_context
from ipaward.notices.render import render_notice
from ipaward.settings import PROJECT_ROOT
from ipaward.text.punctuation import half_width_marks, to_full_width

ISO_DATE = re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b")
SOURCES = sorted(
    path
    for folder in (PROJECT_ROOT / "config", PROJECT_ROOT / "templates")
    for path in folder.rglob("*")
    if path.is_file() and path.suffix in {".toml", ".j2", ".yml", ".yaml"}
)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PROJECT_ROOT)))
def test_config_and_templates_write_chinese_with_full_width_marks(path: Path) -> None:
    assert half_width_marks(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30万元,每家", "30万元，每家"),
        ("第(七)条", "第（七）条"),
        ('clause = "(七)"', 'clause = "（七）"'),
        ("证书(ISO 56005)", "证书（ISO 56005）"),  # pairs stay pairs
        ("高价值发明专利: 战略性", "高价值发明专利：战略性"),
        ("是否符合?请说明!", "是否符合？请说明！"),
        ("截至:A;B", "截至：A;B"),
        ("1,000元", "1,000元"),  # a number keeps its separator
        ("https://例子.cn:8080/a,b", "https://例子.cn:8080/a,b"),
        ("10:30", "10:30"),
        ("zone committees (管委会), which", "zone committees (管委会), which"),  # English prose
        ("《通知》, published", "《通知》, published"),
        ("{{ a|join(', ') }}", "{{ a|join(', ') }}"),  # template code
    ],
)
def test_the_converter_touches_chinese_text_only(text: str, expected: str) -> None:
    assert to_full_width(text) == expected
    assert half_width_marks(expected) == [] or expected == text


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", list(NOTICE_KINDS))
def test_no_rendered_notice_has_an_iso_date_or_a_half_width_mark(kind: str, language: str) -> None:
    rendered = render_notice(kind, sample_context(kind), language=language)
    for form in (rendered.text, re.sub(r"<style.*?</style>", "", rendered.html, flags=re.S)):
        assert not ISO_DATE.search(form), ISO_DATE.findall(form)
        assert half_width_marks(form) == []


def test_texts_given_to_a_notice_are_made_full_width_on_the_way_in() -> None:
    """An officer's reason typed with "," still reads "，" in the document (and in 繁體)."""
    item = CorrectionItem(kind="document", name="转让合同", reason="盖章不清,请重新扫描(原件)")
    assert item.reason == "盖章不清，请重新扫描（原件）"
    context = sample_context("correction").model_copy(update={"items": [item]})
    text = render_notice("correction", context, language=TRADITIONAL).text
    assert "蓋章不清，請重新掃描（原件）" in text


def test_dates_in_notice_bodies_use_the_cndate_filter() -> None:
    """Every date a template prints goes through |cndate (2026年11月30日)."""
    folder = PROJECT_ROOT / "templates" / "notices"
    for path in folder.glob("*.j2"):
        for expression in re.findall(r"{{(.*?)}}", path.read_text(encoding="utf-8")):
            names = re.findall(r"\b(\w*(?:_on|_start|_end|deadline))\b", expression)
            if names:
                assert "|cndate" in expression.replace(" ", ""), (path.name, expression)
    assert (
        render_notice("task", sample_context("task")).text.count(
            f"{dt.date(2024, 5, 17).year}年5月17日"
        )
        == 1
    )


def test_iso_dates_in_texts_given_to_a_notice_are_written_in_chinese() -> None:
    """An assessment's line carries ISO dates; the notice prints them as 2024年3月31日."""
    line = "引进日2024-03-31,两年内(至2026-03-31)新增38件;证书IPMS-2024-306"
    context = sample_context("review_result").model_copy(update={"explanation": [line]})
    context = type(context).model_validate(context.model_dump())
    for language in LANGUAGES:
        text = render_notice("review_result", context, language=language).text
        assert not ISO_DATE.search(text.replace("IPMS-2024-306", ""))
    assert context.explanation == [
        "引进日2024年3月31日，两年内（至2026年3月31日）新增38件；证书IPMS-2024-306"
    ]
