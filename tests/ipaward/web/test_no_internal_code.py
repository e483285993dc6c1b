"""No page and no notice of a full demo cohort shows a person an internal code.

The demo runs once (inline, about half a minute); then every page an officer or the
operator can reach and every stored notice in Simplified and Traditional is read as text and
searched for JSON paths, snake_case identifiers, the code's own enum and state values, ledger
keys and English error text. What may look like code but is what a person reads is allowed
below, each with why.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from ipaward.applicant_kinds import APPLICANT_KINDS
from ipaward.db.models import Notice
from ipaward.exchange.application import ApplicationEnvelope
from ipaward.exchange.identities import ItemKind
from ipaward.label_check import ENUM_GROUPS, literal_values, model_paths
from ipaward.measures import definitions
from ipaward.notices.kinds import NOTICE_KINDS, sample_context
from ipaward.notices.render import render_notice
from ipaward.workflow.decisions import OUTCOMES
from ipaward.workflow.states import STAGE_NAMES
from tests.ipaward.web.demo_site import Page, build_demo, open_demo_site, pages, readable
from tests.ipaward.web.site import MARKUP_COMMENT, MARKUP_NAME, Site

ALLOWED = [
    re.compile(r"ZZIP-\d{4}-M\d{2}-\d{6}"),  # application numbers, as printed on notices
    re.compile(r"ISO 56005|GB/T \d+-\d+"),  # standards are named by their numbers
    re.compile(r"SHA-256"),  # the checksum's name in a document check's reason
    re.compile(r"Prefect"),  # the background runner's product name, on the runs panel
    re.compile(r"[\w.-]+\.(?:pdf|ofd|jpe?g|png|docx?)"),  # file names as the applicant sent them
    # where a go-live value is set (a config file and its keys): the operator's column only,
    # for the one who edits those files (ipaward check prints the same)
    re.compile(r"config/[\w./-]+\.toml(?:\s+(?:\[[\w-]+\]|[a-z_]+(?![^\s]*[\u4e00-\u9fff])))*"),
]


def _enum_values() -> set[str]:
    values = {m.value for enum in ENUM_GROUPS for m in enum} | set(APPLICANT_KINDS)
    values |= {k.value for k in ItemKind} | set(OUTCOMES) | set(STAGE_NAMES)
    models = [ApplicationEnvelope, *(d.evidence for d in definitions().values())]
    for model in models:
        for _, annotation in model_paths(model):
            values.update(literal_values(annotation))
    return {v for v in values if re.fullmatch(r"[a-z_]+", v)}


def patterns() -> dict[str, re.Pattern[str]]:
    identities = "|".join(re.escape(i) for i in definitions())
    words = "|".join(sorted(_enum_values(), key=len, reverse=True))
    return {
        "JSON path": re.compile(r"[A-Za-z_]+\[\d+\]|\bevidence\.|documents\[|\$\."),
        "snake_case": re.compile(r"[a-z]+_[a-z_]*[a-z]"),
        "enum value": re.compile(rf"(?<![A-Za-z0-9_.@-])(?:{words})(?![A-Za-z0-9_@-])"),
        "ledger key": re.compile(rf"(?:{identities}|M\d{{2}}):[a-z]+"),
        "English text": re.compile(r"[A-Za-z]{3,}(?:[ ,:]+[A-Za-z]{2,}){2,}|Traceback|Error"),
        "measure identity": re.compile(rf"(?<![A-Za-z-])(?:{identities})(?![A-Za-z-])"),
    }


def findings(
    page: Page, found: dict[str, re.Pattern[str]], extra: tuple[str, ...] = ()
) -> Iterator[str]:
    text = page.text
    for allowed in [*ALLOWED, *(re.compile(re.escape(e)) for e in extra)]:
        text = allowed.sub(" ", text)
    for name, pattern in found.items():
        for match in pattern.finditer(text):
            around = text[max(0, match.start() - 30) : match.end() + 30].split()
            yield f"{page.who} {page.url}: {name} {match.group(0)!r} in {' '.join(around)!r}"


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dt.date]:
    return build_demo(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def demo_site(demo_home: tuple[Path, dt.date], monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    home, today = demo_home
    site = open_demo_site(home, today, monkeypatch)
    try:
        yield site
    finally:
        site.close()
        from tasks.runtime import reset

        reset()


def test_no_page_or_notice_of_a_demo_cohort_shows_internal_code(demo_site: Site) -> None:
    found = patterns()
    read = list(pages(demo_site))
    urls = {p.url.split("/")[1].split("?")[0] for p in read}
    assert {"dashboard", "inbox", "applications", "work-items", "notices"} <= urls
    assert sum("lang=zh-Hant" in p.url for p in read) >= 43  # every notice in Traditional too
    notices = [p.text for p in read if p.url.startswith("/notices/")]
    assert any("填报事项：等级证书编号" in text for text in notices)  # the demo's 补正, by label
    assert any("填報事項：等級證書編號" in text for text in notices)
    read += list(unstored_kinds(demo_site))
    problems = sorted({line for page in read for line in findings(page, found)})
    assert not problems, f"{len(problems)} findings:\n" + "\n".join(problems[:60])


def unstored_kinds(site: Site) -> Iterator[Page]:
    """A kind the demo never issues (催办: nothing in it is overdue) is read from its sample
    context, in both scripts, so every kind's template is searched too."""
    with site.state.reading() as session:
        stored = set(session.scalars(select(Notice.kind).distinct()))
    assert len(stored) >= 7, stored
    for kind in sorted(set(NOTICE_KINDS) - stored):
        for language in ("zh-Hans", "zh-Hant"):
            notice = render_notice(kind, sample_context(kind), language=language)
            yield Page(url=f"sample:{kind}:{language}", who="-", text=notice.text)
            yield Page(url=f"sample:{kind}:{language}", who="-", text=readable(notice.html))


def test_the_patterns_catch_what_they_are_for() -> None:
    found = patterns()
    page = Page(
        url="/x",
        who="t",
        text="材料：documents[business_licence] 填报事项：evidence.levels[0].certificate "
        "状态 correction_requested 类别 overseas_family 台账 patent-transfers:transfer:1 "
        "KeyError: this went wrong somewhere ZZIP-2024-M07-000001",
    )
    kinds = {line.split(": ")[1].split(" '")[0] for line in findings(page, found)}
    assert kinds >= {"JSON path", "snake_case", "enum value", "ledger key", "English text"}
    assert not list(findings(Page(url="/x", who="t", text="ZZIP-2024-M07-000001 申报表"), found))


def test_no_page_with_open_decision_forms_shows_internal_code(site: Site) -> None:
    """The demo ends with every application closed; the web home has decision forms open
    (the return form's checklist and evidence fields among them)."""
    found = patterns()
    read = list(pages(site))
    assert any("退回补正" in p.text for p in read if p.url.startswith("/applications/"))
    codes = [*site.state.ctx.policy.directory.departments]
    typed = (  # the fixture's applicant typed markup on purpose; its accounts are named by code
        MARKUP_NAME,
        MARKUP_COMMENT,
        *(f"{code}经办人" for code in codes),
        *(f"officer@{code}" for code in codes),
    )
    problems = sorted({line for page in read for line in findings(page, found, typed)})
    assert not problems, f"{len(problems)} findings:\n" + "\n".join(problems[:60])
