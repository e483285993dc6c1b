"""Login with per-department accounts: argon2 hashes, signed login CSRF token, sessions that
expire and end at logout, and no open redirect (rate limits: test_lockout.py)."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from sqlalchemy import select

from ipaward.db.models import LoginFailure, User, WebSession
from ipaward.web.auth import token_digest, verify_password
from ipaward.web.deps import SESSION_COOKIE
from tests.ipaward.web.site import Site, csrf_in, password_of


def login(
    client: TestClient, username: str, password: str, *, next_path: str = "/inbox", **headers: str
) -> object:
    form = client.get(f"/login?next={next_path}")
    return client.post(
        "/login",
        data={
            "csrf": csrf_in(form.text),
            "username": username,
            "password": password,
            "next": next_path,
        },
        headers=headers,
        follow_redirects=False,
    )


def test_a_good_login_opens_an_http_only_strict_session_whose_token_is_stored_hashed(
    site: Site,
) -> None:
    client = site.client()
    response = login(client, "city.amr", password_of("city.amr"))

    assert response.status_code == 303 and response.headers["location"] == "/inbox"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    token = client.cookies[SESSION_COOKIE]
    with site.state.reading() as session:
        stored = session.scalars(select(WebSession)).all()
        user = session.scalars(select(User).where(User.username == "city.amr")).one()
    assert [s.token_hash for s in stored] == [token_digest(token)]  # never the token itself
    assert stored[0].expires_at == site.clock() + dt.timedelta(hours=8)
    assert user.password_hash.startswith("$argon2id$")
    assert verify_password(user.password_hash, password_of("city.amr"))
    page = client.get("/inbox")
    assert page.status_code == 200 and "漳州市市场监督管理局 · 待办事项" in page.text


def test_a_wrong_password_is_refused_in_chinese_and_recorded(site: Site) -> None:
    client = site.client()
    response = login(client, "city.amr", "wrong-password")

    assert response.status_code == 401
    assert "用户名或密码错误" in response.text
    assert SESSION_COOKIE not in client.cookies
    with site.state.reading() as session:
        [failure] = session.scalars(select(LoginFailure)).all()
    assert (failure.username, failure.address) == ("city.amr", "testclient")


def test_an_unknown_user_gets_the_same_answer_as_a_wrong_password(site: Site) -> None:
    response = login(site.client(), "nobody", "whatever-123")
    assert response.status_code == 401 and "用户名或密码错误" in response.text


def test_a_session_expires_after_eight_hours(site: Site) -> None:
    officer = site.sign_in("city.amr")
    assert officer.get("/inbox").status_code == 200

    site.clock.now += dt.timedelta(hours=8, seconds=1)
    expired = officer.get("/inbox")
    assert expired.status_code == 303
    assert expired.headers["location"] == "/login?next=%2Finbox"
    assert officer.get("/api/inbox").status_code == 401


def test_logout_deletes_the_session_so_the_old_cookie_opens_nothing(site: Site) -> None:
    officer = site.sign_in("city.amr")
    token = officer.client.cookies[SESSION_COOKIE]

    response = officer.post("/logout", {})
    assert response.status_code == 303 and response.headers["location"] == "/login"
    with site.state.reading() as session:
        assert session.scalars(select(WebSession)).all() == []
    replay = site.client()
    replay.cookies.set(SESSION_COOKIE, token)
    assert replay.get("/inbox", follow_redirects=False).status_code == 303


def test_logout_needs_the_csrf_token(site: Site) -> None:
    officer = site.sign_in("city.amr")
    response = officer.client.post("/logout", data={"csrf": "guess"}, follow_redirects=False)
    assert response.status_code == 403
    assert officer.get("/inbox").status_code == 200  # still signed in


def test_the_login_form_needs_its_signed_token_and_matching_cookie(site: Site) -> None:
    client = site.client()
    form = client.get("/login")
    token = csrf_in(form.text)
    nonce, _, signature = token.partition(".")
    forged = {"username": "city.amr", "password": password_of("city.amr"), "next": "/"}

    for csrf in ("", f"{nonce}.{'0' * len(signature)}", "x.y"):
        response = client.post("/login", data={**forged, "csrf": csrf}, follow_redirects=False)
        assert response.status_code == 403 and "登录表单已过期" in response.text
    other = site.client()  # a token from another browser's form, without that cookie
    response = other.post("/login", data={**forged, "csrf": token}, follow_redirects=False)
    assert response.status_code == 403
    assert SESSION_COOKIE not in other.cookies


def test_a_login_posted_from_another_site_is_refused(site: Site) -> None:
    response = login(
        site.client(), "city.amr", password_of("city.amr"), origin="https://evil.example"
    )
    assert response.status_code == 403


def test_next_never_leaves_the_site(site: Site) -> None:
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        response = login(site.client(), "city.amr", password_of("city.amr"), next_path=target)
        assert response.status_code == 303
        assert response.headers["location"] == "/", target


def test_a_disabled_account_cannot_log_in_and_loses_its_sessions(site: Site) -> None:
    from ipaward.web.accounts import set_active

    officer = site.sign_in("city.finance")
    with site.state.writing() as session:
        set_active(session, username="city.finance", active=False, actor="test")
    assert officer.get("/inbox").status_code == 303
    assert login(site.client(), "city.finance", password_of("city.finance")).status_code == 401
