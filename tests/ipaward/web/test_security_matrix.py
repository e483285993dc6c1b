"""Every department of config (and the operator) against every route, GET and POST.

The oracle is the database itself: a department sees an application exactly when it has
(or had) a work item on it, its inbox lists exactly its own open items, and it may act on
its own open items only. Everything else is a 404 that looks the same whether or not the
thing exists. No request in the matrix changes anything.
"""

from __future__ import annotations

import html
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ipaward.config.policy import Policy, load_policy
from ipaward.db.models import Applicant, Application, Decision, Document, Notice, User, WorkItem
from ipaward.notices.issue import notice_files
from ipaward.settings import load_settings
from ipaward.web.accounts import OPERATOR
from ipaward.web.reads.access import scope_of
from ipaward.web.reads.dashboard import dashboard
from ipaward.workflow.states import OPEN_STATES
from tests.ipaward.web.site import Built, Officer, Site, open_site


def load_settings_policy() -> Policy:
    return load_policy(load_settings().config_dir)


DASHBOARD_ROUTES = [
    "/dashboard",
    "/api/dashboard",
    "/api/backlog",
    "/api/money",
    "/api/applications/by-state",
    "/api/pipeline",
    "/api/monthly",
]

ID_ROUTES = ["/work-items/{}", "/documents/{}", "/notices/{}", "/applications/{}"]
OUT_OF_RANGE = [10**30, 2**63, 0, "abc"]


class World:
    """What the database says each department may see and do."""

    def __init__(self, site: Site) -> None:
        with site.state.reading() as session:
            self.numbers = dict(session.execute(select(Application.id, Application.number)).all())
            self.open = set(
                session.scalars(select(Application.id).where(Application.state.in_(OPEN_STATES)))
            )
            self.applicants = dict(
                session.execute(
                    select(Application.id, Applicant.name).join(
                        Applicant, Applicant.id == Application.applicant_id
                    )
                ).all()
            )
            items = list(session.scalars(select(WorkItem).order_by(WorkItem.id)))
            self.seen_by: dict[int, set[str]] = defaultdict(set)
            for item in items:
                if item.application_id is not None:
                    self.seen_by[item.application_id].add(item.department)
            self.items = [(i.id, i.application_id, i.department, i.state) for i in items]
            self.documents = dict(
                session.execute(
                    select(func.min(Document.id), Document.application_id).group_by(
                        Document.application_id
                    )
                ).all()
            )
            # the first notice of each application, every 待办 (addressed to one department)
            # and every notice without an application (yearly programme work)
            chosen: dict[int, Notice] = {}
            first_of: set[int | None] = set()
            for notice in session.scalars(select(Notice).order_by(Notice.id)):
                if notice.application_id not in first_of or notice.kind == "task":
                    chosen[notice.id] = notice
                first_of.add(notice.application_id)
            self.notices = {
                n.id: (n.application_id, self._recipients(site, n)) for n in chosen.values()
            }
            self.leads = {
                a.id: (a.route or {}).get("lead") for a in session.scalars(select(Application))
            }
            self.objections = {a.id: a.objection for a in session.scalars(select(Application))}
            self.decisions = session.scalar(select(func.count(Decision.id)))
            self.accounts = dict(session.execute(select(User.username, User.password_hash)).all())
            self.account_ids = dict(session.execute(select(User.username, User.id)).all())

    @staticmethod
    def _recipients(site: Site, notice: Notice) -> set[str]:
        meta = json.loads(notice_files(notice, settings=site.settings).meta.read_text("utf-8"))
        return set(meta["recipients"])

    def sees(self, department: str, application_id: int | None) -> bool:
        if department == OPERATOR:
            return True
        return application_id is not None and department in self.seen_by[application_id]

    def open_items_of(self, department: str) -> set[int]:
        return {i for i, _, d, state in self.items if d == department and state == "open"}


def _not_found(officer: Officer, url: str) -> None:
    response = officer.get(url)
    assert response.status_code == 404, (officer.department, url, response.status_code)
    assert "ZZIP-" not in response.text  # nothing of the application leaks into the 404


DEPARTMENTS = [*load_settings_policy().directory.departments, OPERATOR]


@pytest.fixture(scope="module")
def matrix(
    web_template: tuple[Path, Built], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Site, World]]:
    """One site for the whole matrix: no request in it changes anything."""
    template, built = web_template
    with pytest.MonkeyPatch.context() as patch:
        opened = open_site(template, built, tmp_path_factory.mktemp("matrix"), patch)
        site = next(opened)
        yield site, World(site)
        opened.close()


def test_the_matrix_covers_every_unit_the_policy_names_and_the_operator() -> None:
    assert len(DEPARTMENTS) == 56


@pytest.mark.parametrize("department", DEPARTMENTS)
def test_a_department_sees_and_acts_only_on_its_own(
    matrix: tuple[Site, World], department: str
) -> None:
    site, world = matrix
    officer = site.sign_in(department)

    # the inbox lists exactly the department's own open items
    inbox = officer.get("/inbox")
    if department == OPERATOR:
        assert inbox.status_code == 303 and inbox.headers["location"] == "/dashboard"
    else:
        assert inbox.status_code == 200
        listed = {int(i) for i in re.findall(r'href="/work-items/(\d+)"', inbox.text)}
        assert listed == world.open_items_of(department)
        api = officer.get("/api/inbox").json()
        assert {row["work_item"] for row in api["items"]} == listed

    # application pages and their JSON; an absent number looks the same as a hidden one
    for application_id, number in world.numbers.items():
        for url in (f"/applications/{number}", f"/api/applications/{number}"):
            if world.sees(department, application_id):
                response = officer.get(url)
                assert response.status_code == 200, url
                assert number in response.text
            else:
                _not_found(officer, url)
    _not_found(officer, "/applications/ZZIP-2099-M07-999999")

    # work item pages (programme items have their own page)
    for item_id, application_id, owner, _ in world.items:
        allowed = (
            world.sees(department, application_id)
            if application_id is not None
            else department in (owner, OPERATOR)
        )
        if allowed:
            assert officer.get(f"/work-items/{item_id}").status_code in (200, 303), item_id
        else:
            _not_found(officer, f"/work-items/{item_id}")

    # stored documents and printable notices
    for document_id, application_id in world.documents.items():
        expected = 200 if world.sees(department, application_id) else 404
        assert officer.get(f"/documents/{document_id}").status_code == expected, document_id
    for notice_id, (application_id, recipients) in world.notices.items():
        allowed = world.sees(department, application_id) or department in recipients
        if allowed:
            assert officer.get(f"/notices/{notice_id}").status_code == 200, notice_id
        else:
            _not_found(officer, f"/notices/{notice_id}")

    # ids that cannot name a row (beyond 64 bits, 0, malformed): the same 404, never a 500
    for value in OUT_OF_RANGE:
        for route in ID_ROUTES:
            _not_found(officer, route.format(value))
        response = officer.post(f"/work-items/{value}/decision", {"outcome": "reject"})
        assert response.status_code == 404, (value, response.status_code)

    # the dashboard and its JSON: operators and the lead unit only
    for url in DASHBOARD_ROUTES:
        expected = 200 if department in (OPERATOR, "city.amr") else 403
        assert officer.get(url).status_code == expected, url

    # POST a decision on every open item: a reject without reasons changes nothing even for
    # the owner (400); another department gets 404, the operator 403
    for item_id, _, owner, state in world.items:
        if state != "open":
            continue
        response = officer.post(
            f"/work-items/{item_id}/decision",
            {"outcome": "reject", "version": "1", "comment": ""},
        )
        expected = 403 if department == OPERATOR else 400 if department == owner else 404
        assert response.status_code == expected, item_id
    assert World(site).decisions == world.decisions  # nothing was decided

    _paper_objections(officer, department, world)
    assert World(site).objections == world.objections  # no objection recorded

    _accounts(officer, department, world)
    assert World(site).accounts == world.accounts  # no password changed


@pytest.mark.parametrize("department", DEPARTMENTS)
def test_the_dashboard_figures_count_only_what_a_department_may_open(
    matrix: tuple[Site, World], department: str
) -> None:
    """Whoever reads them (only operators and the lead unit may), the dashboard's figures
    for a department hold exactly the applications and work items it may open. (This home
    has no yearly list: lines of a list a department reviews are in test_dashboard_figures.)"""
    site, world = matrix
    state = site.state
    with state.reading() as session:
        data = dashboard(
            session,
            scope_of(session, department),
            state.ctx,
            state.deadlines,
            today=state.config.today(),
            prefect_ui_url=state.config.prefect_ui_url,
        )
    seen = {i for i in world.numbers if world.sees(department, i)}
    assert {row["number"] for row in data["recent"]} == {world.numbers[i] for i in seen}
    assert data["applications"]["total"] == len(seen)
    assert sum(row["count"] for row in data["pipeline"]) == len(seen & world.open)
    open_items = [
        (application_id, owner)
        for _, application_id, owner, item_state in world.items
        if item_state == "open"
        and (
            world.sees(department, application_id)
            if application_id is not None
            else department in (owner, OPERATOR)
        )
    ]
    assert sum(row["open"] for row in data["backlog"]) == len(open_items)

    if department not in (OPERATOR, "city.amr"):
        return  # the routes answer 403 (test above)
    officer = site.sign_in(department)
    hidden = [i for i in world.numbers if i not in seen]
    for url in DASHBOARD_ROUTES:
        text = officer.get(url).text
        for application_id in hidden:
            assert world.numbers[application_id] not in text, (url, application_id)
            name = world.applicants[application_id]
            assert name not in text and html.escape(name) not in text, (url, application_id)
    page = officer.get("/dashboard").text
    for link in set(re.findall(r'href="(/(?:applications|work-items)/[^"#]+)"', page)):
        assert officer.get(link).status_code in (200, 303), link  # every link opens


def _paper_objections(officer: Officer, department: str, world: World) -> None:
    """Only the measure's lead unit opens the paper-objection form (403 for another unit
    that sees the application and for the operator, 404 where it is hidden); a POST without
    a scan changes nothing even for the lead (400: no application here is in 公示)."""
    for application_id, number in world.numbers.items():
        url = f"/applications/{number}/objection"
        if not world.sees(department, application_id):
            expected = 404
        elif department == world.leads[application_id]:
            expected = 200
        else:
            expected = 403
        assert officer.get(url).status_code == expected, (url, department)
        posted = officer.post(url, {"name": "张三", "text": "有异议"}, files={"x": ("", b"")})
        assert posted.status_code == (400 if expected == 200 else expected), (url, department)
        assert officer.get(f"{url}/scan").status_code == 404, url  # no scan recorded here


def _accounts(officer: Officer, department: str, world: World) -> None:
    """Everyone changes their own password; operators alone list accounts and reset others."""
    operator = department == OPERATOR
    page = officer.get("/account/password")
    assert page.status_code == 200 and 'name="new_password"' in page.text
    mismatch = officer.post(
        "/account/password",
        {"current_password": "x", "new_password": "Zz-3f9a8b7c6d5e", "confirm_password": "y"},
    )
    assert mismatch.status_code == 400 and "两次输入的新密码不一致" in mismatch.text
    assert officer.get("/accounts").status_code == (200 if operator else 403)
    own = world.account_ids[department]
    if operator:  # its own account only (400: that is the password page's); others would reset
        assert officer.post(f"/accounts/{own}/reset", {}).status_code == 400
    else:
        for user_id in {own, world.account_ids["city.amr"], world.account_ids[OPERATOR]}:
            assert officer.post(f"/accounts/{user_id}/reset", {}).status_code == 403, user_id
    for value in [*OUT_OF_RANGE, 999_999]:
        assert officer.post(f"/accounts/{value}/reset", {}).status_code == (
            404 if operator or value != 999_999 else 403
        ), value
