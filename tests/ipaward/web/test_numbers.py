"""Every number the web takes is checked on the server: the 补正 deadline of the decision form
(the HTML min/max are a hint, never trusted), ids in paths, page and other query numbers.

A refused deadline shows the form again with the Chinese reason and what the officer typed;
an id that cannot name a row (malformed, 0, beyond 64 bits) is the ordinary 404 page, never a
500 (SQLite raised OverflowError) nor FastAPI's 422.
"""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import func, select

from ipaward.db.models import AuditEntry, Decision
from tests.ipaward.web.site import Officer, Site

NOT_A_ROW = ["1" + "0" * 30, str(2**63), "0", "-1", "abc", "1.5", "²"]
GET_ROUTES = ["/work-items/{}", "/documents/{}", "/notices/{}"]
NUMBER_ROUTES = ["/applications/{}", "/api/applications/{}"]


def counts(site: Site) -> tuple[int, int]:
    with site.state.reading() as session:
        return (
            int(session.scalar(select(func.count(Decision.id))) or 0),
            int(session.scalar(select(func.count(AuditEntry.id))) or 0),
        )


def return_form(officer: Officer, item_id: int, version: int, deadline: str) -> object:
    return officer.post(
        f"/work-items/{item_id}/decision",
        {
            "version": str(version),
            "outcome": "return",
            "comment": "请补正证书",
            "documents": "grading_certificate",
            "reason-grading_certificate": "复印件不清晰",
            "deadline_days": deadline,
        },
    )


def deadline_value(page: str) -> str:
    found = re.search(r'<input type="number" name="deadline_days"[^>]*value="([^"]*)"', page)
    assert found, "the return form has no deadline field"
    return html.unescape(found.group(1))


@pytest.mark.parametrize("typed", ["99999999", "100000", "61", "0", "-1", "abc", "1.5", "²"])
def test_a_deadline_out_of_range_shows_the_form_again_and_stores_nothing(
    site: Site, typed: str
) -> None:
    number = site.numbers["markup"]
    item = site.open_item(number, "city.amr")
    officer = site.sign_in("city.amr")
    before = counts(site)

    response = return_form(officer, item.id, item.version, typed)

    assert response.status_code == 400
    assert "补正期限须为1至60个工作日之间的整数" in response.text
    assert deadline_value(response.text) == typed  # what the officer typed, to correct it
    assert "请补正证书" in response.text and "复印件不清晰" in response.text
    assert counts(site) == before
    still = site.open_item(number, "city.amr")  # not stranded: the item is open as it was
    assert (still.id, still.version) == (item.id, item.version)
    assert site.application(number).state == "in_review"


@pytest.mark.parametrize("days", [1, 60])
def test_the_bounds_themselves_are_accepted(site: Site, days: int) -> None:
    number = site.numbers["markup"]
    item = site.open_item(number, "city.amr")

    response = return_form(site.sign_in("city.amr"), item.id, item.version, str(days))

    assert response.status_code == 303
    correction = site.application(number).correction or {}
    assert correction["deadline_working_days"] == days


def test_the_form_states_the_range_and_prefills_the_default(site: Site) -> None:
    number = site.numbers["markup"]
    page = site.sign_in("city.amr").get(f"/applications/{number}").text
    assert re.search(r'name="deadline_days" min="1" max="60" step="1" value="10"', page)
    assert "补正期限(1至60个工作日)" in page


def test_an_approval_ignores_a_deadline_it_does_not_use(site: Site) -> None:
    """The deadline belongs to the return form; a stray value elsewhere changes nothing."""
    number = site.numbers["lead"]
    item = site.open_item(number, "city.amr")
    response = site.sign_in("city.amr").post(
        f"/work-items/{item.id}/decision",
        {"version": str(item.version), "outcome": "approve", "deadline_days": "99999999"},
    )
    assert response.status_code == 303


@pytest.mark.parametrize("version", ["0", "-1", "²", "1" + "0" * 30, ""])
def test_a_version_that_is_not_one_is_a_bad_form(site: Site, version: str) -> None:
    number = site.numbers["lead"]
    item = site.open_item(number, "city.amr")
    before = counts(site)
    response = site.sign_in("city.amr").post(
        f"/work-items/{item.id}/decision", {"version": version, "outcome": "approve"}
    )
    assert response.status_code == 400 and "请刷新页面后重试" in response.text
    assert counts(site) == before


@pytest.mark.parametrize("value", NOT_A_ROW)
def test_an_id_that_names_no_row_is_the_404_page(site: Site, value: str) -> None:
    officer = site.sign_in("operator")
    for route in GET_ROUTES + NUMBER_ROUTES:
        response = officer.get(route.format(value))
        assert response.status_code == 404, (route, value)
        if route.startswith("/api/"):
            assert response.json() == {"error": "页面不存在或无权查看"}
        else:
            assert "页面不存在或无权查看" in response.text and "错误代码 404" in response.text


@pytest.mark.parametrize("value", NOT_A_ROW)
def test_a_decision_posted_to_an_id_that_names_no_row_is_the_404_page(
    site: Site, value: str
) -> None:
    before = counts(site)
    response = site.sign_in("city.amr").post(
        f"/work-items/{value}/decision", {"version": "1", "outcome": "approve"}
    )
    assert response.status_code == 404 and "页面不存在或无权查看" in response.text
    assert counts(site) == before


@pytest.mark.parametrize("page", ["0", "-1", "abc", "²", "1.5", "1" + "0" * 30, ""])
def test_a_page_number_that_is_not_one_opens_the_first_page(site: Site, page: str) -> None:
    officer = site.sign_in("city.amr")
    response = officer.get(f"/inbox?page={page}")
    assert response.status_code == 200 and site.numbers["lead"] in response.text
    assert officer.get(f"/api/inbox?page={page}").json()["page"] == 1


@pytest.mark.parametrize("value", ["²", "-1", "1" + "0" * 30, "abc"])
def test_the_result_parameters_of_the_application_page_never_fail(site: Site, value: str) -> None:
    number = site.numbers["lead"]
    officer = site.sign_in("city.amr")
    response = officer.get(f"/applications/{number}?decided={value}&advance=queued&r={value}")
    assert response.status_code == 200 and number in response.text
