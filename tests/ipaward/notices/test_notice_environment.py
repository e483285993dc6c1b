"""The one notice environment: HTML autoescaped, templates sandboxed, undefined values fatal."""

from __future__ import annotations

from datetime import date

import pytest
from jinja2.exceptions import SecurityError, UndefinedError

from ipaward.notices.environment import (
    html_to_language,
    notice_environment,
    render_template,
    sentence,
    to_language,
)
from ipaward.notices.kinds import ApplicationRef, PublicityEntry, sample_context
from ipaward.notices.render import render_notice

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def hostile(kind: str) -> object:
    """The sample of `kind` with a script in every free-text place a template prints."""
    context = sample_context(kind)
    header = context.header.model_copy(
        update={"addressee": SCRIPT, "subject": SCRIPT, "copy_to": [SCRIPT], "note": SCRIPT}
    )
    update: dict[str, object] = {"header": header}
    if kind == "publicity":
        ref = ApplicationRef(
            number="ZZIP-2024-M01-000009",
            applicant_name=SCRIPT,
            measure_clause="（一）",
            measure_title=SCRIPT,
        )
        update["entries"] = [PublicityEntry(application=ref, amount=1)]
    else:
        application = context.application  # type: ignore[attr-defined]
        update["application"] = application.model_copy(update={"applicant_name": SCRIPT})
    return context.model_copy(update=update)


@pytest.mark.parametrize("language", ["zh-Hans", "zh-Hant"])
@pytest.mark.parametrize("kind", ["acceptance", "publicity", "payment"])
def test_context_text_is_escaped_in_html_and_never_raw(kind: str, language: str) -> None:
    rendered = render_notice(kind, hostile(kind), language=language)  # type: ignore[arg-type]
    assert "<script>" not in rendered.html
    assert rendered.html.count(ESCAPED) >= 5  # title, addressee, body, note, copy-to
    assert SCRIPT in rendered.text  # the plain-text form is not HTML: kept as written


def test_only_html_templates_are_autoescaped() -> None:
    autoescape = notice_environment().autoescape
    assert callable(autoescape)
    assert autoescape("payment.html.j2") is True
    assert autoescape("payment.txt.j2") is False


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ header.__class__.__init__.__globals__ }}",
        "{{ '{0.__class__}'.format(header) }}",
        "{{ cycler.__init__.__globals__.os }}",
    ],
)
def test_the_sandbox_refuses_access_to_python_internals(source: str) -> None:
    header = sample_context("task").header
    with pytest.raises(SecurityError):
        notice_environment().from_string(source).render(header=header)


def test_a_missing_variable_fails_the_render() -> None:
    with pytest.raises(UndefinedError):
        notice_environment().from_string("{{ missing }}").render()
    with pytest.raises(UndefinedError):
        render_template("acceptance.txt.j2", {})


def test_a_missing_attribute_fails_the_render() -> None:
    header = sample_context("task").header
    with pytest.raises(UndefinedError):
        notice_environment().from_string("{{ header.amount_due }}").render(header=header)


def test_the_filters_are_registered() -> None:
    template = notice_environment().from_string(
        "{{ 35000|figures }} {{ 35000|capitals }} {{ day|cndate }}"
    )
    assert template.render(day=date(2024, 2, 2)) == "35,000元 人民币叁万伍仟元整 2024年2月2日"


def test_sentence_adds_one_full_stop() -> None:
    assert sentence("材料缺失") == "材料缺失。"
    assert sentence("材料缺失。") == "材料缺失。"
    assert sentence("见附件（样表）") == "见附件（样表）。"


def test_conversion_leaves_simplified_alone_and_style_blocks_untouched() -> None:
    assert to_language("补正材料", language="zh-Hans") == "补正材料"
    assert to_language("补正材料", language="zh-Hant") == "補正材料"
    html = '<style>body { font-family: "宋体"; }</style><p>宋体补正</p>'
    assert html_to_language(html, language="zh-Hant") == (
        '<style>body { font-family: "宋体"; }</style><p>宋體補正</p>'
    )
    with pytest.raises(ValueError, match="unknown notice language"):
        to_language("补正", language="zh-TW")
