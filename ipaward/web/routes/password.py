"""Changing one's own password: any signed-in officer or operator, and the only page a
session opened with a reset's one-time password reaches."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ipaward.web.accounts import AccountError, TooManyFailures
from ipaward.web.credentials import change_password
from ipaward.web.deps import PASSWORD_PAGE, CheckedForm, CurrentOfficer, Officer, State
from ipaward.web.forms import text
from ipaward.web.pages import render
from ipaward.web.passwords import MAX_LENGTH, MIN_LENGTH
from ipaward.web.throttle import client_address

router = APIRouter()


def _page(
    request: Request, officer: Officer, *, status: int = 200, message: str | None = None
) -> HTMLResponse:
    return render(
        request,
        "password.html",
        officer=officer,
        status=status,
        message=message,
        changed=request.method == "GET" and request.query_params.get("changed") == "1",
        min_length=MIN_LENGTH,
        max_length=MAX_LENGTH,
    )


@router.get(PASSWORD_PAGE, response_class=HTMLResponse)
def password_page(request: Request, officer: CurrentOfficer) -> HTMLResponse:
    return _page(request, officer)


@router.post(PASSWORD_PAGE, response_class=HTMLResponse)
async def change(
    request: Request, state: State, officer: CurrentOfficer, form: CheckedForm
) -> Response:
    """The database and argon2 (twice) run on worker threads, off the event loop."""
    try:
        await change_password(
            state,
            account=officer.account,
            current=text(form, "current_password"),
            new=text(form, "new_password"),
            confirm=text(form, "confirm_password"),
            address=client_address(request.client.host if request.client else None),
        )
    except TooManyFailures as refused:
        page = _page(request, officer, status=429, message=str(refused))
        page.headers["retry-after"] = str(refused.retry_after)
        return page
    except AccountError as refused:
        return _page(request, officer, status=400, message=str(refused))
    return RedirectResponse(f"{PASSWORD_PAGE}?changed=1", status_code=303)
