"""Officers' accounts and login sessions; functions take a session and never commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from argon2 import PasswordHasher
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ipaward.db.models import LoginFailure, User, WebSession
from ipaward.web.auth import (
    hash_password,
    new_token,
    spend_verification_time,
    token_digest,
    verify_password,
)
from ipaward.web.config import RateLimits

OPERATOR = "operator"  # the pseudo-department of operators: read-only, sees everything
MIN_PASSWORD_LENGTH = 8


class AccountError(Exception):
    """A refused account change or login; the message is for the person who tried."""


class BadCredentials(AccountError):
    pass


class TooManyFailures(AccountError):
    pass


@dataclass(frozen=True, kw_only=True)
class SignedIn:
    """A live session joined to its user: what every page needs to know about the officer."""

    session_id: int
    user_id: int
    username: str
    display_name: str
    department: str
    csrf_token: str
    expires_at: dt.datetime


def create_user(
    session: Session,
    *,
    username: str,
    display_name: str,
    department: str,
    password: str,
    known_departments: Collection[str],
    hasher: PasswordHasher | None = None,
) -> User:
    """A new officer of `department` (a config code, or "operator")."""
    username, display_name = username.strip(), display_name.strip()
    if not username or not display_name:
        raise AccountError("用户名和姓名不能为空")
    if department != OPERATOR and department not in known_departments:
        raise AccountError(f"未知部门代码{department}(见config/departments.toml,或用operator)")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"密码至少{MIN_PASSWORD_LENGTH}个字符")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise AccountError(f"用户名{username}已存在")
    user = User(
        username=username,
        display_name=display_name,
        department=department,
        password_hash=hash_password(password, hasher=hasher),
        active=True,
    )
    session.add(user)
    session.flush()
    return user


def set_active(session: Session, *, username: str, active: bool) -> User:
    """Disable (or re-enable) an account; disabling also ends its sessions."""
    user = session.scalars(select(User).where(User.username == username)).one_or_none()
    if user is None:
        raise AccountError(f"没有用户{username}")
    user.active = active
    if not active:
        session.execute(delete(WebSession).where(WebSession.user_id == user.id))
    session.flush()
    return user


def refusal(
    session: Session, *, username: str, address: str, now: dt.datetime, limits: RateLimits
) -> str | None:
    """Why a login must be refused before checking the password, or None."""
    since = now - limits.window
    recent = select(func.count(LoginFailure.id)).where(LoginFailure.at >= since)
    if (
        session.scalar(recent.where(LoginFailure.username == username)) or 0
    ) >= limits.per_username:
        return "该用户名登录失败次数过多,请15分钟后再试"
    if (session.scalar(recent.where(LoginFailure.address == address)) or 0) >= limits.per_address:
        return "该地址登录失败次数过多,请15分钟后再试"
    return None


def authenticate(
    session: Session,
    *,
    username: str,
    password: str,
    address: str,
    now: dt.datetime,
    limits: RateLimits,
) -> User:
    """The active user these credentials name; a failure is recorded (the caller commits it)."""
    username = username.strip()
    refused = refusal(session, username=username, address=address, now=now, limits=limits)
    if refused:
        raise TooManyFailures(refused)
    user = session.scalars(select(User).where(User.username == username)).one_or_none()
    if user is None:
        spend_verification_time(password)
    if user is None or not user.active or not verify_password(user.password_hash, password):
        session.add(LoginFailure(username=username, address=address, at=now))
        session.execute(delete(LoginFailure).where(LoginFailure.at < now - 4 * limits.window))
        session.flush()
        raise BadCredentials("用户名或密码错误")
    return user


def start_session(session: Session, *, user: User, now: dt.datetime, lifetime: dt.timedelta) -> str:
    """Open a session for `user`; returns the cookie token (only its digest is stored)."""
    token = new_token()
    session.execute(delete(WebSession).where(WebSession.expires_at <= now))
    session.add(
        WebSession(
            token_hash=token_digest(token),
            user_id=user.id,
            csrf_token=new_token(),
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    session.flush()
    return token


def find_session(session: Session, *, token: str, now: dt.datetime) -> SignedIn | None:
    """The live session of a cookie token: unexpired, and its user still active."""
    row = session.execute(
        select(
            WebSession.id,
            WebSession.csrf_token,
            WebSession.expires_at,
            User.id,
            User.username,
            User.display_name,
            User.department,
        )
        .join(User, User.id == WebSession.user_id)
        .where(
            WebSession.token_hash == token_digest(token),
            WebSession.expires_at > now,
            User.active.is_(True),
        )
    ).one_or_none()
    if row is None:
        return None
    return SignedIn(
        session_id=row[0],
        csrf_token=row[1],
        expires_at=row[2],
        user_id=row[3],
        username=row[4],
        display_name=row[5],
        department=row[6],
    )


def end_session(session: Session, *, token: str) -> None:
    """Logout: the session row goes, so the cookie opens nothing any more."""
    session.execute(delete(WebSession).where(WebSession.token_hash == token_digest(token)))
