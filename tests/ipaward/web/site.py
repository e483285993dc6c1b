"""A web home built once per test session and copied per test, and clients signed in to it.

The home holds applications at every kind of stop: waiting on the lead unit (two, one of
them overdue and with an applicant name carrying markup), at countersign (several
departments), paid (every notice kind of the path), rejected with a comment carrying
markup, and a 补正 request; plus one account per department of config and an operator.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from ipaward.db.models import Application, Notice, User, WorkItem
from ipaward.settings import Settings, load_settings
from ipaward.web.accounts import OPERATOR, create_user, prepare_password, start_session
from ipaward.web.app import create_app
from ipaward.web.deps import SESSION_COOKIE
from ipaward.web.state import WebState
from ipaward.web.web_settings import WebConfig, fixed_day
from ipaward.workflow.programme import advance_programme
from tests.support.applications import example
from tests.support.identifiers import uscc
from tests.support.workbench import Workbench, at, open_workbench

FILED = dt.date(2025, 9, 15)  # a Monday
LATER = dt.date(2025, 10, 20)
TODAY = dt.date(2025, 10, 27)  # the lead unit's two September items are overdue by then
NOW = dt.datetime(2025, 10, 27, 9, 0, tzinfo=dt.UTC)
CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
MARKUP_NAME = '漳州<script>alert("name")</script>科技有限公司'
MARKUP_COMMENT = '<script>alert("comment")</script>不符合条件'


def password_of(username: str) -> str:
    """Each account's own password, meeting the rule (it may not contain the username)."""
    return "Zz-" + hashlib.sha256(username.encode("utf-8")).hexdigest()[:14]


@dataclass
class Built:
    """What the template home contains, by role."""

    numbers: dict[str, str] = field(default_factory=dict)


def build_home(root: Path) -> Built:
    """Submit and advance the applications inline, then create every account."""
    built = Built()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IPAWARD_ADVANCE", "inline")
        bench = open_workbench(root, patch)
        try:
            _applications(bench, built)
            _accounts(bench)
        finally:
            bench.close()
            from tasks.runtime import reset

            reset()
    return built


def _applications(bench: Workbench, built: Built) -> None:
    lead = bench.submit(example("m07_university_transfers"), on=FILED, label="lead")
    bench.advance(lead, on=FILED)
    built.numbers["lead"] = lead

    data = example("m06_grading")
    data["applicant"] = {**data["applicant"], "name": MARKUP_NAME, "uscc": uscc(4242)}
    markup = bench.submit(data, on=FILED, label="markup")
    bench.advance(markup, on=FILED)
    built.numbers["markup"] = markup

    countersign = bench.submit(example("m09_recognised_products"), on=FILED, label="cs")
    bench.drive(countersign, on=FILED, until=at("countersign"))
    built.numbers["countersign"] = countersign

    paid = bench.submit(example("m12_domestic_case"), on=FILED, label="paid")
    bench.drive(paid, on=FILED, until=at(state="paid"))
    built.numbers["paid"] = paid

    finreg = bench.submit(example("m10_pledge_loan_loss"), on=LATER, label="finreg")
    bench.advance(finreg, on=LATER)
    built.numbers["finreg"] = finreg

    returned = bench.submit(example("m15_local_standard"), on=FILED, label="returned")
    bench.advance(returned, on=FILED)
    bench.decide(
        returned,
        "city.amr",
        "return",
        comment="标准文本页码缺失",
        items=["documents[standard_text]:缺第3页"],
        deadline_days=5,
    )
    bench.advance(returned, on=FILED)
    built.numbers["returned"] = returned

    with bench.transaction() as session:
        advance_programme(session, bench.ctx, measure_code="M04", year=2025, today=LATER)

    rejected = bench.submit(example("m01_introduced_enterprise"), on=FILED, label="rejected")
    bench.advance(rejected, on=FILED)
    bench.decide(rejected, "city.amr", "reject", comment=MARKUP_COMMENT)
    bench.advance(rejected, on=FILED)
    built.numbers["rejected"] = rejected


def _accounts(bench: Workbench) -> None:
    departments = [*bench.ctx.policy.directory.departments, OPERATOR]
    passwords = {
        code: prepare_password(password_of(code), username=code, hasher=CHEAP)
        for code in departments
    }
    with bench.transaction() as session:
        for code in departments:
            create_user(
                session,
                username=code,
                display_name=f"{code}经办人",
                department=code,
                password=passwords[code],
                known_departments=bench.ctx.policy.directory.departments,
                actor="test",
            )


class Clock:
    """The app's clock; tests move it to expire sessions or rate-limit windows."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> dt.datetime:
        return self.now


@dataclass
class Officer:
    """A TestClient signed in as one account, with the CSRF token of its session."""

    client: TestClient
    department: str
    csrf: str

    def get(self, url: str, **kwargs: Any) -> Any:
        return self.client.get(url, follow_redirects=False, **kwargs)

    def post(self, url: str, data: dict[str, Any], **kwargs: Any) -> Any:
        return self.client.post(
            url, data={"csrf": self.csrf, **data}, follow_redirects=False, **kwargs
        )


PREFECT_UI = "http://127.0.0.1:4321"  # not Prefect's default port: links must follow the config


class Site:
    """One copied home, its app, and helpers to sign in and read the database."""

    def __init__(self, settings: Settings, built: Built, clock: Clock) -> None:
        self.settings = settings
        self.numbers = built.numbers
        self.clock = clock
        self.config = WebConfig(
            secret=b"t" * 32, today=fixed_day(TODAY), now=clock, prefect_ui_url=PREFECT_UI
        )
        self.app: FastAPI = create_app(settings, config=self.config)
        self._clients: list[TestClient] = []

    @property
    def state(self) -> WebState:
        state: WebState = self.app.state.web
        return state

    def client(self, address: str = "testclient") -> TestClient:
        """A client with its own portal kept open (one event loop thread, not one per request);
        `address` is the client address the app sees (rate limits count per address)."""
        client = TestClient(self.app, client=(address, 50000))
        client.__enter__()
        self._clients.append(client)
        return client

    def sign_in(self, username: str) -> Officer:
        """A session opened directly (no argon2, no rate limit): for matrix-style tests."""
        with self.state.writing() as session:
            user = session.scalars(select(User).where(User.username == username)).one()
            token = start_session(
                session, user=user, now=self.clock(), lifetime=self.config.session_lifetime
            )
        client = self.client()
        client.cookies.set(SESSION_COOKIE, token)
        page = client.get("/dashboard" if username == OPERATOR else "/inbox")
        return Officer(client=client, department=user.department, csrf=csrf_in(page.text))

    def items(self, number: str) -> list[WorkItem]:
        with self.state.reading() as session:
            rows = list(
                session.scalars(
                    select(WorkItem)
                    .join(Application, Application.id == WorkItem.application_id)
                    .where(Application.number == number)
                    .order_by(WorkItem.id)
                )
            )
            session.expunge_all()
            return rows

    def open_item(self, number: str, department: str) -> WorkItem:
        [item] = [i for i in self.items(number) if i.department == department and i.state == "open"]
        return item

    def application(self, number: str) -> Application:
        with self.state.reading() as session:
            row = session.scalars(select(Application).where(Application.number == number)).one()
            session.expunge(row)
            return row

    def notices(self) -> list[Notice]:
        with self.state.reading() as session:
            rows = list(session.scalars(select(Notice).order_by(Notice.id)))
            session.expunge_all()
            return rows

    def close(self) -> None:
        for client in self._clients:
            client.__exit__(None, None, None)
        self.state.close()


def csrf_in(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def copy_home(template: Path, target: Path) -> Path:
    shutil.copytree(template, target)
    return target


def open_site(
    template: Path, built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Site]:
    home = copy_home(template, tmp_path / "home")
    monkeypatch.setenv("IPAWARD_HOME", str(home))
    monkeypatch.setenv("IPAWARD_ADVANCE", "inline")
    monkeypatch.delenv("IPAWARD_DATABASE_URL", raising=False)
    monkeypatch.delenv("IPAWARD_CONFIG_DIR", raising=False)
    site = Site(load_settings(), built, Clock())
    try:
        yield site
    finally:
        site.close()
        from tasks.runtime import reset

        reset()
