"""Operators' account page: every account, and a reset that hands over a one-time password.

A one-time password rather than a reset link: no mail is needed (officers may have none on
this system), the operator reads it out in person or by telephone, it is shown once and
stored only as its argon2 hash, it is valid for 72 hours, and the session it opens reaches
only the page that replaces it.
"""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from ipaward.db.models import User
from ipaward.web.accounts import TEMPORARY_LIFETIME, AccountError
from ipaward.web.credentials import UnknownAccount, reset_password
from ipaward.web.deps import (
    CheckedForm,
    CurrentOfficer,
    Officer,
    OperatorOfficer,
    RecordId,
    State,
    operator_only,
)
from ipaward.web.error_pages import PageNotFound
from ipaward.web.pages import render
from ipaward.web.state import WebState

router = APIRouter()


def _list(
    request: Request, state: WebState, officer: Officer, *, status: int, error: str | None
) -> HTMLResponse:
    with state.reading() as session:
        users = list(session.scalars(select(User).order_by(User.department, User.username)))
        session.expunge_all()
    return render(
        request,
        "accounts.html",
        officer=officer,
        status=status,
        users=users,
        now=state.config.now(),
        error=error,
        lifetime_hours=int(TEMPORARY_LIFETIME.total_seconds() // 3600),
    )


@router.get("/accounts", response_class=HTMLResponse)
def accounts_page(request: Request, state: State, officer: OperatorOfficer) -> HTMLResponse:
    return _list(request, state, officer, status=200, error=None)


@router.post("/accounts/{user_id}/reset", response_class=HTMLResponse)
async def reset(
    user_id: RecordId,
    request: Request,
    state: State,
    officer: CurrentOfficer,
    form: CheckedForm,
) -> HTMLResponse:
    """The answer itself shows the password (no redirect: it must not sit in a URL).

    The role is checked here, after the id: an id that cannot name a row is the ordinary
    404 for everyone, as on every other route."""
    operator_only(officer)
    try:
        done = await reset_password(state, operator=officer.account, user_id=user_id)
    except UnknownAccount:
        raise PageNotFound() from None
    except AccountError as refused:
        return await run_in_threadpool(
            partial(_list, request, state, officer, status=400, error=str(refused))
        )
    return render(request, "account_reset.html", officer=officer, reset=done)
