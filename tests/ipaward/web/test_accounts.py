"""Changing one's own password, operators' resets with a one-time password the officer must
replace at the next sign-in, CSRF on both forms, audit rows, a login page with nothing for
developers."""

from __future__ import annotations

import datetime as dt
import re

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from ipaward.db.models import AuditEntry, LoginFailure, User
from ipaward.web.auth import verify_password
from ipaward.web.deps import SESSION_COOKIE
from tests.ipaward.web.site import Officer, Site, csrf_in, password_of

NEW = "Zhangzhou-花开-0427"


def login(client: TestClient, username: str, password: str) -> httpx.Response:
    token = csrf_in(client.get("/login").text)
    form = {"csrf": token, "username": username, "password": password, "next": "/inbox"}
    return client.post("/login", data=form, follow_redirects=False)


def change(officer: Officer, current: str, new: str, confirm: str | None = None) -> httpx.Response:
    form = {"current_password": current, "new_password": new, "confirm_password": confirm or new}
    response: httpx.Response = officer.post("/account/password", form)
    return response


def user(site: Site, username: str) -> User:
    with site.state.reading() as session:
        found = session.scalars(select(User).where(User.username == username)).one()
        session.expunge(found)
        return found


def audit(site: Site, action: str) -> list[AuditEntry]:
    with site.state.reading() as session:
        rows = list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))
        session.expunge_all()
        return rows


def temporary_in(html: str) -> str:
    found = re.search(r'id="temporary-password">([^<]+)<', html)
    assert found, "the reset page shows no one-time password"
    return found.group(1)


def test_the_login_page_has_nothing_for_developers(site: Site) -> None:
    page = site.client().get("/login").text
    assert "账户由系统管理员开通" in page
    for hint in ("ipaward", "user add", "--dept", "命令"):
        assert hint not in page


def test_an_officer_changes_their_password_and_their_other_sessions_end(site: Site) -> None:
    here, elsewhere = site.sign_in("city.amr"), site.sign_in("city.amr")
    form = here.get("/account/password")
    assert form.status_code == 200 and 'name="new_password"' in form.text
    assert 'href="/account/password"' in here.get("/inbox").text  # every page links to it

    response = change(here, password_of("city.amr"), NEW)

    assert response.status_code == 303
    assert response.headers["location"] == "/account/password?changed=1"
    assert "密码已修改" in here.get(response.headers["location"]).text
    assert here.get("/inbox").status_code == 200  # this session goes on
    assert elsewhere.get("/inbox").status_code == 303  # the other one ended
    stored = user(site, "city.amr")
    assert verify_password(stored.password_hash, NEW) and NEW not in stored.password_hash
    assert stored.password_changed_at == site.clock() and stored.temporary_until is None
    assert login(site.client(), "city.amr", password_of("city.amr")).status_code == 401
    assert login(site.client(), "city.amr", NEW).status_code == 303
    [entry] = audit(site, "user.password_change")
    assert (entry.actor, entry.entity, entry.entity_id) == ("city.amr", "user", str(stored.id))
    assert entry.details["sessions_ended"] == 1
    assert NEW not in str(entry.details)


def test_a_wrong_current_password_changes_nothing_and_counts_as_a_failed_login(
    site: Site,
) -> None:
    officer = site.sign_in("city.amr")
    before = user(site, "city.amr").password_hash

    response = change(officer, "not-my-password", NEW)

    assert response.status_code == 400 and "当前密码不正确" in response.text
    assert user(site, "city.amr").password_hash == before
    assert audit(site, "user.password_change") == []
    with site.state.reading() as session:
        [failure] = session.scalars(select(LoginFailure)).all()
    assert (failure.username, failure.address) == ("city.amr", "testclient")


@pytest.mark.parametrize(
    ("new", "confirm", "reason"),
    [
        (NEW, NEW + "x", "两次输入的新密码不一致"),
        ("aaaaaaaa", None, "密码至少12个字符"),
        ("password2024!", None, "常见密码前后加数字或符号"),
        ("my-city.amr-password", None, "密码不能包含用户名"),
        ("abcdef123456", None, "连续或键盘上相邻"),
        (password_of("city.amr"), None, "新密码不能与当前密码相同"),
    ],
)
def test_the_new_password_must_meet_the_rule(
    site: Site, new: str, confirm: str | None, reason: str
) -> None:
    officer = site.sign_in("city.amr")
    before = user(site, "city.amr").password_hash
    response = change(officer, password_of("city.amr"), new, confirm)
    assert response.status_code == 400 and reason in response.text
    assert 'value="' + new not in response.text  # passwords are never echoed back
    assert user(site, "city.amr").password_hash == before
    with site.state.reading() as session:
        assert session.scalar(select(func.count(LoginFailure.id))) == 0


def test_changing_a_password_needs_the_session_csrf_token_and_same_origin(site: Site) -> None:
    officer, other = site.sign_in("city.amr"), site.sign_in("city.finance")
    before = user(site, "city.amr").password_hash
    form = {
        "current_password": password_of("city.amr"),
        "new_password": NEW,
        "confirm_password": NEW,
    }
    for token in (None, "", "guess", other.csrf):
        data = form if token is None else {**form, "csrf": token}
        response = officer.client.post("/account/password", data=data, follow_redirects=False)
        assert response.status_code == 403, token
    foreign = officer.post("/account/password", form, headers={"origin": "https://evil.example"})
    assert foreign.status_code == 403
    assert user(site, "city.amr").password_hash == before


def test_an_operator_resets_a_password_and_the_officer_must_replace_it(site: Site) -> None:
    operator, officer = site.sign_in("operator"), site.sign_in("city.finance")
    listing = operator.get("/accounts")
    assert listing.status_code == 200 and listing.text.count('action="/accounts/') == 55
    target = user(site, "city.finance")

    shown = operator.post(f"/accounts/{target.id}/reset", {})

    assert shown.status_code == 200 and shown.headers["cache-control"] == "no-store"
    temporary = temporary_in(shown.text)
    assert "只显示这一次" in shown.text
    assert officer.get("/inbox").status_code == 303  # the officer's session ended
    stored = user(site, "city.finance")
    assert verify_password(stored.password_hash, temporary)
    assert stored.temporary_until == site.clock() + dt.timedelta(hours=72)
    [entry] = audit(site, "user.password_reset")
    assert (entry.actor, entry.entity_id) == ("operator", str(target.id))
    assert entry.details["via"] == "web" and temporary not in str(entry.details)
    assert "临时密码" in operator.get("/accounts").text
    assert temporary not in operator.get("/accounts").text  # shown once, never again

    client = site.client()
    assert login(client, "city.finance", password_of("city.finance")).status_code == 401
    assert login(client, "city.finance", temporary).status_code == 303
    for path in ("/inbox", "/", f"/applications/{site.numbers['finreg']}"):
        held = client.get(path, follow_redirects=False)
        assert (held.status_code, held.headers["location"]) == (303, "/account/password"), path
    api = client.get("/api/inbox")
    assert api.status_code == 403 and "请先设置新密码" in api.json()["error"]
    page = client.get("/account/password")
    assert "临时密码" in page.text and 'href="/inbox"' not in page.text
    forced = Officer(client=client, department="city.finance", csrf=csrf_in(page.text))

    assert change(forced, temporary, NEW).status_code == 303
    assert client.get("/inbox", follow_redirects=False).status_code == 200
    assert user(site, "city.finance").temporary_until is None
    assert audit(site, "user.password_change")[0].details["replaced_one_time"] is True


def test_a_one_time_password_expires_after_72_hours(site: Site) -> None:
    operator = site.sign_in("operator")
    target = user(site, "city.court")
    temporary = temporary_in(operator.post(f"/accounts/{target.id}/reset", {}).text)
    site.clock.now += dt.timedelta(hours=72, seconds=1)
    expired = login(site.client(), "city.court", temporary)
    assert expired.status_code == 401 and "临时密码已过期" in expired.text
    assert SESSION_COOKIE not in expired.cookies
    assert "临时密码已过期" in site.sign_in("operator").get("/accounts").text


def test_a_reset_frees_an_officer_a_guesser_had_slowed_down(site: Site) -> None:
    for _ in range(6):
        login(site.client(), "city.court", "guess-guess-guess")
    assert login(site.client(), "city.court", "x").status_code == 429
    operator = site.sign_in("operator")
    temporary = temporary_in(
        operator.post(f"/accounts/{user(site, 'city.court').id}/reset", {}).text
    )
    assert login(site.client(), "city.court", temporary).status_code == 303


def test_only_operators_see_accounts_and_reset_them(site: Site) -> None:
    lead = site.sign_in("city.amr")
    target = user(site, "city.finance")
    assert lead.get("/accounts").status_code == 403
    assert lead.post(f"/accounts/{target.id}/reset", {}).status_code == 403
    assert 'href="/accounts"' not in lead.get("/inbox").text
    assert user(site, "city.finance").password_hash == target.password_hash
    assert audit(site, "user.password_reset") == []


def test_an_operator_changes_their_own_password_on_their_own_page(site: Site) -> None:
    operator = site.sign_in("operator")
    me = user(site, "operator")
    response = operator.post(f"/accounts/{me.id}/reset", {})
    assert response.status_code == 400 and "修改密码" in response.text
    assert user(site, "operator").password_hash == me.password_hash
    assert operator.post("/accounts/999999/reset", {}).status_code == 404
    assert change(operator, password_of("operator"), NEW).status_code == 303


def test_a_reset_needs_the_session_csrf_token_and_same_origin(site: Site) -> None:
    operator = site.sign_in("operator")
    target = user(site, "city.finance")
    url = f"/accounts/{target.id}/reset"
    for data in ({"reset": "1"}, {"csrf": ""}, {"csrf": "guess"}):
        assert operator.client.post(url, data=data, follow_redirects=False).status_code == 403
    assert operator.post(url, {}, headers={"origin": "https://evil.example"}).status_code == 403
    assert user(site, "city.finance").password_hash == target.password_hash
