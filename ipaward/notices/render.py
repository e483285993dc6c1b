"""Rendering a notice without the database: the preview and the first half of issuing one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ipaward.notices.environment import (
    SIMPLIFIED,
    check_language,
    html_to_language,
    render_template,
    to_language,
)
from ipaward.notices.kinds import NoticeContext, notice_kind, notice_title


@dataclass(frozen=True, kw_only=True)
class RenderedNotice:
    """Both forms of one notice in one language; `title` is in that language too."""

    title: str
    text: str
    html: str
    language: str


def unnumbered(year: int) -> str:
    """What a preview prints where the document number goes: the number is given on issue."""
    return f"〔{year}〕　号"


def render_notice(
    kind: str,
    context: NoticeContext,
    *,
    language: str = SIMPLIFIED,
    doc_number: str | None = None,
) -> RenderedNotice:
    """Render `context` as a `kind` notice; without doc_number the number is left blank.

    A kind outside the official numbering (待办) prints no number line at all, so a preview
    never suggests a number the notice will not get.
    """
    spec = notice_kind(kind)
    check_language(language)
    if not isinstance(context, spec.context):
        raise TypeError(
            f"a {kind} notice needs a {spec.context.__name__}, got {type(context).__name__}"
        )
    title = notice_title(context)
    variables: dict[str, Any] = {
        name: getattr(context, name) for name in type(context).model_fields
    }
    variables.update(
        kind=kind,
        title=title,
        doc_number=(doc_number or unnumbered(context.header.issued_on.year))
        if spec.numbered
        else "",
        lang=language,
    )
    text = render_template(f"{spec.template}.txt.j2", variables)
    html = render_template(f"{spec.template}.html.j2", variables)
    return RenderedNotice(
        title=to_language(title, language=language),
        text=to_language(text, language=language),
        html=html_to_language(html, language=language),
        language=language,
    )
