"""Request dependencies: the app state, the signed-in officer, the CSRF-checked form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path, Request
from starlette.datastructures import FormData

from ipaward.bounds import IDS
from ipaward.web.accounts import OPERATOR, SignedIn, find_session
from ipaward.web.csrf import FIELD, same_origin, session_token_ok
from ipaward.web.error_pages import CsrfRefused, Forbidden, LoginRequired, PasswordChangeRequired
from ipaward.web.forms import read_form
from ipaward.web.state import WebState

SESSION_COOKIE = "ipaward_session"
PASSWORD_PAGE = PasswordChangeRequired.page
# What a session opened with a one-time password may reach: the page replacing it, logout.
OPEN_WHILE_TEMPORARY = frozenset({PASSWORD_PAGE, "/logout"})
LEAD_UNIT = "city.amr"  # the policy's lead unit also watches the dashboard


@dataclass(frozen=True)
class Officer:
    """The signed-in person and what their department may do."""

    account: SignedIn
    department_name: str

    @property
    def department(self) -> str:
        return self.account.department

    @property
    def name(self) -> str:
        return self.account.display_name

    @property
    def csrf(self) -> str:
        return self.account.csrf_token

    @property
    def is_operator(self) -> bool:
        """Operators read every application and decide nothing."""
        return self.account.department == OPERATOR

    @property
    def sees_dashboard(self) -> bool:
        return self.account.department in (OPERATOR, LEAD_UNIT)

    @property
    def must_change_password(self) -> bool:
        return self.account.must_change


async def web_state(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


State = Annotated[WebState, Depends(web_state)]
# A row id in a URL: anything else (not a number, beyond 64 bits) is the 404 page (app.py).
RecordId = Annotated[int, Path(ge=IDS[0], le=IDS[1])]


def optional_officer(request: Request, state: State) -> Officer | None:
    """Whoever the session cookie signs in, looked up in a transaction of its own.

    No dependency keeps a database session open across the request: FastAPI runs each
    synchronous step on a worker thread, and a connection held while waiting for the next
    thread can exhaust the pool under load (all threads waiting for connections whose
    holders wait for a thread). Routes open their own session for the work they do.
    """
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    with state.reading() as session:
        account = find_session(session, token=token, now=state.config.now())
    if account is None:
        return None
    if account.department == OPERATOR:
        name = "运营管理"
    else:
        found = state.ctx.policy.directory.departments.get(account.department)
        name = found.name if found else account.department
    return Officer(account=account, department_name=name)


async def current_officer(
    request: Request, officer: Annotated[Officer | None, Depends(optional_officer)]
) -> Officer:
    if officer is None:
        query = request.url.query
        target = request.url.path + (f"?{query}" if query else "")
        raise LoginRequired(target, api=request.url.path.startswith("/api/"))
    if officer.must_change_password and request.url.path not in OPEN_WHILE_TEMPORARY:
        raise PasswordChangeRequired()
    return officer


CurrentOfficer = Annotated[Officer, Depends(current_officer)]


async def dashboard_officer(officer: CurrentOfficer) -> Officer:
    if not officer.sees_dashboard:
        raise Forbidden("运营看板仅供运营管理人员和牵头单位使用")
    return officer


DashboardOfficer = Annotated[Officer, Depends(dashboard_officer)]


def operator_only(officer: Officer) -> Officer:
    if not officer.is_operator:
        raise Forbidden("账户管理仅供运营管理人员使用")
    return officer


async def operator_officer(officer: CurrentOfficer) -> Officer:
    return operator_only(officer)


OperatorOfficer = Annotated[Officer, Depends(operator_officer)]


async def checked_form(request: Request, officer: CurrentOfficer) -> FormData:
    """The POSTed form, refused unless same-origin and carrying the session's CSRF token."""
    form = await read_form(request)
    submitted = form.get(FIELD)
    if not same_origin(request) or not session_token_ok(
        officer.csrf, submitted if isinstance(submitted, str) else None
    ):
        raise CsrfRefused()
    return form


CheckedForm = Annotated[FormData, Depends(checked_form)]
