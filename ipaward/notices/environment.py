"""The one Jinja2 environment every notice is rendered with, and the Simplified→Traditional step.

Sandboxed, because a template is config an operator may edit; StrictUndefined, because a
blank where an amount should be is worse than a failed render; autoescape for .html.j2 only,
so the plain-text form keeps 《》“” and <> as written.

Traditional notices are rendered in Simplified and converted with OpenCC "s2tw": it changes
characters only (Taiwan glyph standard) and keeps mainland vocabulary (软件→軟件, 信息→信息),
as the published Traditional text of the 2024 measures does. Measured against that text
(seeds/000_…txt): s2tw differs in 42 characters, s2t in 53 (審覈, 爲 where the text has 審核,
為); "s2twp" would rewrite terms into Taiwan usage (信息→資訊, 审核→稽核), which changes
the meaning of an official document.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import opencc
from jinja2 import FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.sandbox import SandboxedEnvironment

from ipaward.notices.dates import chinese_date
from ipaward.notices.kinds import REFUSAL_DECISIONS
from ipaward.notices.money import amount_in_capitals, amount_in_figures
from ipaward.settings import PROJECT_ROOT

TEMPLATE_DIR = PROJECT_ROOT / "templates" / "notices"
SIMPLIFIED = "zh-Hans"
TRADITIONAL = "zh-Hant"
LANGUAGES = (SIMPLIFIED, TRADITIONAL)
OPENCC_CONFIG = "s2tw"
_SENTENCE_ENDS = ("。", "！", "？", "…")

# CSS font names (宋体) must survive the conversion, or the print stylesheet stops matching.
_STYLE_BLOCK = re.compile(r"(<style\b.*?</style>)", re.DOTALL | re.IGNORECASE)


@cache
def notice_environment() -> SandboxedEnvironment:
    """The shared environment (built once per process)."""
    env = SandboxedEnvironment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(["html", "html.j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["capitals"] = amount_in_capitals
    env.filters["figures"] = amount_in_figures
    env.filters["cndate"] = chinese_date
    env.filters["sentence"] = sentence
    env.filters["decision"] = REFUSAL_DECISIONS.__getitem__
    return env


def sentence(text: str) -> str:
    """Close a caller's text with "。" unless it already ends a sentence (no "。。")."""
    stripped = text.rstrip()
    return stripped if stripped.endswith(_SENTENCE_ENDS) else f"{stripped}。"


def render_template(name: str, variables: dict[str, Any]) -> str:
    """Render templates/notices/`name` in Simplified Chinese."""
    return notice_environment().get_template(name).render(variables)


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"unknown notice language {language!r} (known: {', '.join(LANGUAGES)})")
    return language


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC(OPENCC_CONFIG)


def to_language(text: str, *, language: str) -> str:
    """Simplified text in `language`: unchanged for zh-Hans, OpenCC s2tw for zh-Hant."""
    if check_language(language) == SIMPLIFIED:
        return text
    return str(_converter().convert(text))


def html_to_language(html: str, *, language: str) -> str:
    """Like to_language, but leaves <style> blocks (font names) untouched."""
    if check_language(language) == SIMPLIFIED:
        return html
    parts = _STYLE_BLOCK.split(html)
    return "".join(
        part if index % 2 else to_language(part, language=language)
        for index, part in enumerate(parts)
    )
