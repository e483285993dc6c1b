"""Officers' accounts for the web inbox: one department each, argon2-hashed passwords,
server-side sessions (only a hash of the cookie's token is stored) and failed-login records
for rate limiting."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ipaward.db.base import Base, utc_now
from ipaward.db.types import UtcDateTime


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String, unique=True)
    display_name: Mapped[str] = mapped_column(String)
    department: Mapped[str] = mapped_column(String, index=True)
    password_hash: Mapped[str] = mapped_column(String)
    active: Mapped[bool] = mapped_column(default=True, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)
    password_changed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Set by a reset: the password is one-time, valid until then, and opens only the page
    # that replaces it. None once the officer has chosen their own.
    temporary_until: Mapped[datetime | None] = mapped_column(UtcDateTime())


class WebSession(Base):
    """A login session; the cookie carries a random token, the table only its SHA-256."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())


class LoginFailure(Base):
    """One failed login; too many for a username or an address in a window are refused."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String, index=True)
    address: Mapped[str] = mapped_column(String, index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now, index=True)
