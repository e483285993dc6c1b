"""Login (signed double-submit CSRF token, rate-limited: ipaward/web/throttle.py) and logout."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ipaward.db.models import User
from ipaward.web.accounts import AccountError, TooManyFailures, audit_user, end_session
from ipaward.web.credentials import sign_in
from ipaward.web.csrf import FIELD, LOGIN_COOKIE, login_token_ok, new_login_token, same_origin
from ipaward.web.deps import (
    SESSION_COOKIE,
    CheckedForm,
    CurrentOfficer,
    Officer,
    State,
    optional_officer,
)
from ipaward.web.forms import read_form, text
from ipaward.web.pages import render
from ipaward.web.routes import accounts as accounts_pages
from ipaward.web.routes import password as password_page
from ipaward.web.state import WebState
from ipaward.web.throttle import client_address

router = APIRouter()
# The account pages come in with login: app.py's router list stays as it was.
router.include_router(password_page.router)
router.include_router(accounts_pages.router)


def safe_next(target: str | None) -> str:
    """Only a path on this site: never "//host", a scheme, or a backslash trick."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    if any(ch in target for ch in "\\\r\n\t"):
        return "/"
    return target


def _login_page(
    request: Request,
    state: WebState,
    *,
    next_path: str,
    message: str | None,
    status: int,
    username: str = "",
) -> HTMLResponse:
    """The form with a fresh signed token; its nonce goes in a cookie scoped to /login."""
    nonce, token = new_login_token(state.config.secret)
    response = render(
        request,
        "login.html",
        officer=None,
        status=status,
        csrf=token,
        next_path=next_path,
        message=message,
        username=username,
    )
    response.set_cookie(
        LOGIN_COOKIE,
        nonce,
        max_age=3600,
        path="/login",
        httponly=True,
        samesite="strict",
        secure=state.config.cookie_secure,
    )
    return response


@router.get("/login", response_class=HTMLResponse)
def login_form(
    request: Request,
    state: State,
    officer: Annotated[Officer | None, Depends(optional_officer)],
) -> Response:
    next_path = safe_next(request.query_params.get("next"))
    if officer is not None:
        return RedirectResponse(next_path, status_code=303)
    return _login_page(request, state, next_path=next_path, message=None, status=200)


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request, state: State) -> Response:
    form = await read_form(request)
    next_path = safe_next(text(form, "next"))
    if not same_origin(request) or not login_token_ok(
        state.config.secret,
        cookie=request.cookies.get(LOGIN_COOKIE),
        submitted=text(form, FIELD),
    ):
        return _login_page(
            request, state, next_path=next_path, message="登录表单已过期,请重新输入", status=403
        )
    username, password = text(form, "username"), text(form, "password")
    address = client_address(request.client.host if request.client else None)

    outcome: str | AccountError
    try:  # the database and argon2 run on worker threads, off the event loop
        outcome = await sign_in(state, username=username, password=password, address=address)
    except AccountError as refused:
        outcome = refused
    if isinstance(outcome, AccountError):
        throttled = outcome if isinstance(outcome, TooManyFailures) else None
        page = _login_page(
            request,
            state,
            next_path=next_path,
            message=str(outcome),
            status=429 if throttled else 401,
            username=username,
        )
        if throttled is not None:
            page.headers["retry-after"] = str(throttled.retry_after)
        return page
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        outcome,
        max_age=int(state.config.session_lifetime.total_seconds()),
        path="/",
        httponly=True,
        samesite="strict",
        secure=state.config.cookie_secure,
    )
    response.delete_cookie(LOGIN_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request, state: State, officer: CurrentOfficer, form: CheckedForm) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        with state.writing() as session:
            end_session(session, token=token)
            user = session.get(User, officer.account.user_id)
            if user is not None:
                audit_user(session, user, actor=user.username, action="user.sign_out")
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
