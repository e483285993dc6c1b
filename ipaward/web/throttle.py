"""Slowing password guessing without letting a stranger lock an officer out.

Failed logins are rows (username as typed, address, time). Before a password is checked:
- per address: 30 failures within an hour (any usernames) refuse that address until the
  count drops below 30 — one address spraying guesses stops, every other address goes on;
- per username and address: 3 failures cost nothing; after the 4th the next try waits 1 s,
  then 2 s, 4 s … at most 5 minutes — a typo costs nothing, a guesser from one address gets
  about a dozen tries an hour, and an officer elsewhere is not affected at all;
- per username: once failures for it come from 4 or more addresses within the hour, every
  address gets no free failure and waits up to 15 minutes — many addresses slow down, but
  the officer's own address still has its own count, so nobody is locked out.
A refused attempt is not a failure (no row, no argon2), and a success forgets the failures of
its username and address. IPv6 addresses count per /64, what one subscriber usually holds.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import math
from dataclasses import dataclass

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from ipaward.db.models import LoginFailure

MAX_USERNAME = 150  # what a failure row keeps of a typed username


@dataclass(frozen=True, kw_only=True)
class RateLimits:
    """The numbers of the policy above; tests and the README quote them."""

    window: dt.timedelta = dt.timedelta(hours=1)
    per_address: int = 30
    free_failures: int = 3
    first_wait: dt.timedelta = dt.timedelta(seconds=1)
    longest_wait: dt.timedelta = dt.timedelta(minutes=5)
    targeted_addresses: int = 4
    targeted_longest_wait: dt.timedelta = dt.timedelta(minutes=15)
    kept: dt.timedelta = dt.timedelta(hours=24)  # failure rows older than this are deleted


@dataclass(frozen=True)
class Refusal:
    """Why this attempt is not even checked, and when to try again (HTTP 429, Retry-After)."""

    message: str
    retry_after: int


def client_address(host: str | None) -> str:
    """The address failures are counted under: IPv4 as is, IPv6 by its /64 network."""
    if not host:
        return "unknown"
    try:
        parsed = ipaddress.ip_address(host)
    except ValueError:
        return host[:64]
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{parsed}/64", strict=False))
    return str(parsed)


def wait_after(
    failures: int, *, free: int, first: dt.timedelta, longest: dt.timedelta
) -> dt.timedelta:
    """The pause after the `failures`-th failure: nothing while free, then doubling to `longest`."""
    if failures <= free:
        return dt.timedelta(0)
    doubled: dt.timedelta = first * 2 ** min(failures - free - 1, 40)
    return min(doubled, longest)


def refusal(
    session: Session, *, username: str, address: str, now: dt.datetime, limits: RateLimits
) -> Refusal | None:
    """Why this attempt must wait, or None; counts the failures of the last `window`."""
    since = now - limits.window
    recent = LoginFailure.at >= since
    from_address = session.scalar(
        select(func.count(LoginFailure.id)).where(recent, LoginFailure.address == address)
    )
    if (from_address or 0) >= limits.per_address:
        counted: dt.datetime | None = session.scalar(
            select(LoginFailure.at)
            .where(recent, LoginFailure.address == address)
            .order_by(LoginFailure.at.desc())
            .offset(limits.per_address - 1)
            .limit(1)
        )
        seconds = _seconds_until((counted or now) + limits.window, now)
        return Refusal(f"该网络地址登录失败次数过多,请{wait_text(seconds)}后再试", seconds)
    pair_count, pair_last = session.execute(
        select(func.count(LoginFailure.id), func.max(LoginFailure.at)).where(
            recent, LoginFailure.username == username, LoginFailure.address == address
        )
    ).one()
    if not pair_count or pair_last is None:
        return None
    addresses = session.scalar(
        select(func.count(func.distinct(LoginFailure.address))).where(
            recent, LoginFailure.username == username
        )
    )
    targeted = (addresses or 0) >= limits.targeted_addresses
    wait = wait_after(
        pair_count,
        free=0 if targeted else limits.free_failures,
        first=limits.first_wait,
        longest=limits.targeted_longest_wait if targeted else limits.longest_wait,
    )
    if wait and now < pair_last + wait:
        seconds = _seconds_until(pair_last + wait, now)
        return Refusal(f"登录尝试过于频繁,请{wait_text(seconds)}后再试", seconds)
    return None


def record_failure(
    session: Session, *, username: str, address: str, now: dt.datetime, limits: RateLimits
) -> None:
    session.add(LoginFailure(username=username[:MAX_USERNAME], address=address, at=now))
    session.execute(delete(LoginFailure).where(LoginFailure.at < now - limits.kept))
    session.flush()


def forget_failures(session: Session, *, username: str, address: str | None = None) -> None:
    """After a success (its address) or a reset (every address): a clean slate."""
    condition = LoginFailure.username == username
    if address is not None:
        condition = condition & (LoginFailure.address == address)
    session.execute(delete(LoginFailure).where(condition))


def serialise_attempts(session: Session, *, address: str) -> None:
    """One address's attempts decide one at a time: a burst of parallel guesses cannot all
    pass the check before any failure is written. SQLite's BEGIN IMMEDIATE already does
    this; on PostgreSQL a transaction-scoped advisory lock on the address does."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": address})


def wait_text(seconds: int) -> str:
    return f"{seconds}秒" if seconds < 60 else f"{math.ceil(seconds / 60)}分钟"


def _seconds_until(moment: dt.datetime, now: dt.datetime) -> int:
    return max(1, math.ceil((moment - now).total_seconds()))
