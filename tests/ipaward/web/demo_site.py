"""A full demo cohort (`ipaward demo`, inline advance) served by the web app, and every page
an officer and an operator can reach in it, as the text a person reads."""

from __future__ import annotations

import datetime as dt
import html
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from ipaward.db.models import Application, Notice, WorkItem
from ipaward.demo.runner import run_demo
from ipaward.settings import load_settings
from ipaward.web.accounts import OPERATOR, create_user, prepare_password
from tests.ipaward.web.site import Built, Clock, Officer, Site

CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
_HIDDEN = re.compile(r"<(script|style)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Page:
    url: str
    who: str
    text: str  # tags stripped, entities unescaped: what a person reads


def build_demo(root: Path) -> tuple[Path, dt.date]:
    """Run the demo into root/home with IPAWARD_ADVANCE=inline; the environment is restored."""
    saved = dict(os.environ)
    try:
        os.environ["IPAWARD_ADVANCE"] = "inline"
        os.environ.pop("IPAWARD_CONFIG_DIR", None)
        result = run_demo(home=root / "home", say=lambda line: None)
    finally:
        os.environ.clear()
        os.environ.update(saved)
        from tasks.runtime import reset

        reset()
    return root / "home", result.end


def open_demo_site(home: Path, today: dt.date, monkeypatch: pytest.MonkeyPatch) -> Site:
    """The app on the demo home, with an account for every department and the operator."""
    monkeypatch.setenv("IPAWARD_HOME", str(home))
    monkeypatch.setenv("IPAWARD_ADVANCE", "inline")
    monkeypatch.delenv("IPAWARD_DATABASE_URL", raising=False)
    monkeypatch.delenv("IPAWARD_CONFIG_DIR", raising=False)
    clock = Clock()
    clock.now = dt.datetime.combine(today, dt.time(1, 0), tzinfo=dt.UTC)
    site = Site(load_settings(), Built(), clock)
    directory = site.state.ctx.policy.directory
    with site.state.writing() as session:
        for code in [*directory.departments, OPERATOR]:
            create_user(
                session,
                username=code,
                display_name="经办人",
                department=code,
                password=prepare_password("Zz-demo-經辦-2025", username=code, hasher=CHEAP),
                known_departments=directory.departments,
                actor="test",
            )
    return site


def readable(markup: str) -> str:
    """What a person reads of a page: no scripts, styles, tags or attributes."""
    return html.unescape(_TAG.sub(" ", _HIDDEN.sub(" ", markup)))


def pages(site: Site) -> Iterator[Page]:
    """Every page: the operator's dashboard, applications, work items and notices (both
    scripts); each department's inbox and the pages of its own work."""
    with site.state.reading() as session:
        numbers = list(session.scalars(select(Application.number).order_by(Application.id)))
        notices = list(session.scalars(select(Notice.id).order_by(Notice.id)))
        items = list(
            session.execute(
                select(WorkItem.id, WorkItem.department, WorkItem.application_id, WorkItem.state)
            )
        )
    operator = site.sign_in(OPERATOR)
    yield from _get(operator, OPERATOR, ["/dashboard"])
    yield from _get(operator, OPERATOR, [f"/applications/{n}" for n in numbers])
    yield from _get(operator, OPERATOR, [f"/work-items/{i}" for i, _, a, _ in items if a is None])
    for notice in notices:
        both = [f"/notices/{notice}", f"/notices/{notice}?lang=zh-Hant"]
        yield from _get(operator, OPERATOR, both)
    for department in sorted({d for _, d, _, _ in items}):
        officer = site.sign_in(department)  # its inbox, yearly work, and decision forms
        own = sorted({i for i, d, a, _ in items if d == department and a is None})
        yield from _get(officer, department, ["/inbox", *(f"/work-items/{i}" for i in own)])
        mine = {a for _, d, a, s in items if d == department and a is not None and s == "open"}
        yield from _get(officer, department, [f"/applications/{n}" for n in _numbers(site, mine)])


def _numbers(site: Site, ids: set[int]) -> list[str]:
    with site.state.reading() as session:
        return list(session.scalars(select(Application.number).where(Application.id.in_(ids))))


def _get(who: Officer, name: str, urls: list[str]) -> Iterator[Page]:
    for url in urls:
        response = who.get(url)
        if response.status_code == 303 and url.startswith("/work-items/"):
            response = who.get(response.headers["location"])
        assert response.status_code == 200, (url, name, response.status_code)
        yield Page(url=url, who=name, text=readable(response.text))
