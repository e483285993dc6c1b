"""Signing in, changing one's own password, an operator's reset: a short read, argon2 with
no transaction open (on the argon2 threads, awaited: ipaward/web/auth.py), then a short write.

argon2 takes 0.1-0.5 s of CPU and 64 MiB; run inside SQLite's write transaction (BEGIN
IMMEDIATE) it held the database's one write lock meanwhile, so twenty officers signing in
together queued behind each other and every decision queued behind them all. The write
step checks the rate limits again (ipaward/web/throttle.py): of a burst of parallel guesses
only those the limits allow are answered; the rest get HTTP 429 whatever the password was.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from ipaward.db.models import User
from ipaward.web.accounts import (
    AccountError,
    BadCredentials,
    NewPassword,
    SignedIn,
    TemporaryExpired,
    TooManyFailures,
    audit_user,
    replace_password,
    start_session,
)
from ipaward.web.auth import hash_password, off_loop, spend_verification_time, verify_password
from ipaward.web.passwords import password_problems, temporary_password
from ipaward.web.state import WebState
from ipaward.web.throttle import (
    MAX_USERNAME,
    forget_failures,
    record_failure,
    refusal,
    serialise_attempts,
)


class UnknownAccount(AccountError):
    pass


@dataclass(frozen=True, kw_only=True)
class Reset:
    """What the operator reads out to the officer, once."""

    username: str
    display_name: str
    department: str
    password: str
    valid_until: dt.datetime


def _check_limits(
    session: Session, state: WebState, *, username: str, address: str, serialise: bool
) -> None:
    if serialise:
        serialise_attempts(session, address=address)
    refused = refusal(
        session,
        username=username,
        address=address,
        now=state.config.now(),
        limits=state.config.limits,
    )
    if refused is not None:
        raise TooManyFailures(refused)


async def sign_in(state: WebState, *, username: str, password: str, address: str) -> str:
    """The session token for these credentials, or AccountError (a failure is recorded)."""
    username = username.strip()[:MAX_USERNAME]

    def read() -> tuple[int, str] | None:
        with state.reading() as session:
            _check_limits(session, state, username=username, address=address, serialise=False)
            found = session.execute(
                select(User.id, User.password_hash).where(User.username == username)
            ).one_or_none()
            return None if found is None else (found[0], found[1])

    found = await run_in_threadpool(read)
    if found is None:  # an unknown name answers as slowly as a known one
        await off_loop(partial(spend_verification_time, password))
    matches = found is not None and await off_loop(partial(verify_password, found[1], password))

    def write() -> str | AccountError:
        with state.writing() as session:
            _check_limits(session, state, username=username, address=address, serialise=True)
            now = state.config.now()
            user = session.get(User, found[0]) if found is not None and matches else None
            if user is None or not user.active or found is None or user.password_hash != found[1]:
                record_failure(
                    session,
                    username=username,
                    address=address,
                    now=now,
                    limits=state.config.limits,
                )
                return BadCredentials("用户名或密码错误")  # the failure row commits
            if user.temporary_until is not None and user.temporary_until <= now:
                return TemporaryExpired("临时密码已过期,请联系系统管理员重新重置")
            forget_failures(session, username=username, address=address)
            token = start_session(
                session, user=user, now=now, lifetime=state.config.session_lifetime
            )
            audit_user(session, user, actor=user.username, action="user.sign_in", address=address)
            return token

    outcome = await run_in_threadpool(write)
    if isinstance(outcome, AccountError):
        raise outcome
    return outcome


async def change_password(
    state: WebState, *, account: SignedIn, current: str, new: str, confirm: str, address: str
) -> None:
    """The officer's own new password; their other sessions end. A wrong current password
    counts as a failed login (a borrowed session must not become a guessing oracle)."""
    if new != confirm:
        raise AccountError("两次输入的新密码不一致")
    if new == current:
        raise AccountError("新密码不能与当前密码相同")
    problems = password_problems(new, username=account.username)
    if problems:
        raise AccountError(";".join(problems))

    def read() -> str | None:
        with state.reading() as session:
            _check_limits(
                session, state, username=account.username, address=address, serialise=False
            )
            return session.scalar(select(User.password_hash).where(User.id == account.user_id))

    stored = await run_in_threadpool(read)
    matches = stored is not None and await off_loop(partial(verify_password, stored, current))
    prepared = NewPassword(await off_loop(partial(hash_password, new))) if matches else None

    def write() -> AccountError | None:
        with state.writing() as session:
            _check_limits(
                session, state, username=account.username, address=address, serialise=True
            )
            now = state.config.now()
            user = session.get(User, account.user_id)
            if user is None or prepared is None or user.password_hash != stored:
                record_failure(
                    session,
                    username=account.username,
                    address=address,
                    now=now,
                    limits=state.config.limits,
                )
                return BadCredentials("当前密码不正确")  # the failure row commits
            replace_password(
                session,
                user=user,
                new=prepared,
                now=now,
                actor=account.username,
                temporary=False,
                keep_session=account.session_id,
                details={"via": "web", "address": address},
            )
            return None

    failed = await run_in_threadpool(write)
    if failed is not None:
        raise failed


async def reset_password(state: WebState, *, operator: SignedIn, user_id: int) -> Reset:
    """A one-time password for another account: shown to the operator once, never stored."""

    def read() -> str | None:
        with state.reading() as session:
            return session.scalar(select(User.username).where(User.id == user_id))

    username = await run_in_threadpool(read)
    if username is None:
        raise UnknownAccount("没有该账户")
    if user_id == operator.user_id:
        raise AccountError("自己的密码请在“修改密码”页面修改")
    password = temporary_password()
    while password_problems(password, username=username):  # it might contain a short name
        password = temporary_password()
    new = NewPassword(await off_loop(partial(hash_password, password)))

    def write() -> Reset:
        with state.writing() as session:
            user = session.get(User, user_id)
            if user is None:
                raise UnknownAccount("没有该账户")
            until = replace_password(
                session,
                user=user,
                new=new,
                now=state.config.now(),
                actor=operator.username,
                temporary=True,
                details={"via": "web"},
            )
            assert until is not None
            return Reset(
                username=user.username,
                display_name=user.display_name,
                department=user.department,
                password=password,
                valid_until=until,
            )

    return await run_in_threadpool(write)
