"""Officers' accounts and login sessions; functions take a session and never commit.

No function taking a session hashes or verifies a password: argon2 takes 0.1-0.5 s and
64 MiB, so callers do it before opening a write transaction (`prepare_password` here,
ipaward/web/credentials.py for the web) and hand in the result. Every change writes its
audit row in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ipaward.db.models import User, WebSession
from ipaward.repository.audit import record
from ipaward.web.auth import hash_password, new_token, token_digest
from ipaward.web.passwords import password_problems
from ipaward.web.throttle import Refusal, forget_failures

OPERATOR = "operator"  # the pseudo-department of operators: read-only, sees everything
TEMPORARY_LIFETIME = dt.timedelta(hours=72)  # a reset's one-time password


class AccountError(Exception):
    """A refused account change or login; the message is for the person who tried."""


class BadCredentials(AccountError):
    pass


class TooManyFailures(AccountError):
    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.message)
        self.retry_after = refusal.retry_after


class WeakPassword(AccountError):
    """The new password breaks the rule (ipaward/web/passwords.py); one line per reason."""


class TemporaryExpired(AccountError):
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
    must_change: bool = False  # signed in with a reset's one-time password


@dataclass(frozen=True)
class NewPassword:
    """A password that met the rule, already hashed: made before any transaction opens."""

    hash: str


def prepare_password(
    password: str, *, username: str, hasher: PasswordHasher | None = None
) -> NewPassword:
    problems = password_problems(password, username=username)
    if problems:
        raise WeakPassword(";".join(problems))
    return NewPassword(hash_password(password, hasher=hasher))


def audit_user(session: Session, user: User, *, actor: str, action: str, **details: Any) -> None:
    record(
        session,
        actor=actor,
        action=action,
        entity="user",
        entity_id=user.id,
        details={"username": user.username, "department": user.department, **details},
    )


def check_new_account(
    *, username: str, display_name: str, department: str, known_departments: Collection[str]
) -> None:
    """What can be refused before anyone types a password."""
    if not username.strip() or not display_name.strip():
        raise AccountError("用户名和姓名不能为空")
    if department != OPERATOR and department not in known_departments:
        raise AccountError(f"未知部门代码{department}(见config/departments.toml,或用operator)")


def create_user(
    session: Session,
    *,
    username: str,
    display_name: str,
    department: str,
    password: NewPassword,
    known_departments: Collection[str],
    actor: str,
) -> User:
    """A new officer of `department` (a config code, or "operator")."""
    username, display_name = username.strip(), display_name.strip()
    check_new_account(
        username=username,
        display_name=display_name,
        department=department,
        known_departments=known_departments,
    )
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise AccountError(f"用户名{username}已存在")
    user = User(
        username=username,
        display_name=display_name,
        department=department,
        password_hash=password.hash,
        active=True,
    )
    session.add(user)
    session.flush()
    audit_user(session, user, actor=actor, action="user.create", display_name=display_name)
    return user


def find_user(session: Session, *, username: str) -> User:
    user = session.scalars(select(User).where(User.username == username)).one_or_none()
    if user is None:
        raise AccountError(f"没有用户{username}")
    return user


def set_active(session: Session, *, username: str, active: bool, actor: str) -> User:
    """Disable (or re-enable) an account; disabling also ends its sessions."""
    user = find_user(session, username=username)
    user.active = active
    if not active:
        end_sessions(session, user_id=user.id)
    session.flush()
    audit_user(session, user, actor=actor, action="user.enable" if active else "user.disable")
    return user


def end_sessions(session: Session, *, user_id: int, keep: int | None = None) -> int:
    """End every session of the account (but `keep`, the one making the change)."""
    condition = WebSession.user_id == user_id
    if keep is not None:
        condition = condition & (WebSession.id != keep)
    ended = len(session.scalars(select(WebSession.id).where(condition)).all())
    session.execute(delete(WebSession).where(condition))
    return ended


def replace_password(
    session: Session,
    *,
    user: User,
    new: NewPassword,
    now: dt.datetime,
    actor: str,
    temporary: bool,
    keep_session: int | None = None,
    details: Mapping[str, Any] | None = None,
) -> dt.datetime | None:
    """Store `new`: one-time for `temporary` (a reset), the officer's own otherwise.

    Every other session of the account ends and its failed logins are forgotten (a reset
    frees an officer a guesser had slowed down). Returns until when a one-time one is valid.
    """
    until = now + TEMPORARY_LIFETIME if temporary else None
    was_temporary = user.temporary_until is not None
    user.password_hash = new.hash
    user.password_changed_at = now
    user.temporary_until = until
    ended = end_sessions(session, user_id=user.id, keep=keep_session)
    forget_failures(session, username=user.username)
    session.flush()
    audit_user(
        session,
        user,
        actor=actor,
        action="user.password_reset" if temporary else "user.password_change",
        sessions_ended=ended,
        **({"valid_until": until.isoformat()} if until else {"replaced_one_time": was_temporary}),
        **(details or {}),
    )
    return until


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
            User.temporary_until,
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
        must_change=row[7] is not None,
    )


def end_session(session: Session, *, token: str) -> None:
    """Logout: the session row goes, so the cookie opens nothing any more."""
    session.execute(delete(WebSession).where(WebSession.token_hash == token_digest(token)))
