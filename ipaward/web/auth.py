"""Passwords (argon2id) and session tokens (random; only their SHA-256 is stored)."""

from __future__ import annotations

import asyncio
import hashlib
import os
import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

T = TypeVar("T")
TOKEN_BYTES = 32
# The web app's argon2 runs on these threads only: one per two cores (each computation
# already runs four lanes in parallel and takes 64 MiB). Twenty officers signing in together
# wait here as awaited futures, holding neither memory nor a worker thread that pages and
# decisions need. Measured on two cores: two at once served a third of the pages one at a
# time did meanwhile, and signed nobody in faster; waiting inside the worker threads instead
# left a decision 15 s behind 60 logins.
ARGON2_THREADS = max(1, (os.cpu_count() or 2) // 2)


@cache
def _argon2_pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=ARGON2_THREADS, thread_name_prefix="argon2")


@cache
def default_hasher() -> PasswordHasher:
    """argon2-cffi's defaults: argon2id, RFC 9106 low-memory profile (64 MiB, t=3)."""
    return PasswordHasher()


def hash_password(password: str, *, hasher: PasswordHasher | None = None) -> str:
    """Never inside a write transaction: every other writer would wait for it."""
    return (hasher or default_hasher()).hash(password)


def verify_password(stored: str, password: str) -> bool:
    """True when `password` matches; a malformed stored hash is a mismatch, not an error.

    Never inside a write transaction (see hash_password)."""
    try:
        return default_hasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


async def off_loop(work: Callable[[], T]) -> T:
    """Run one argon2 computation on the argon2 threads and wait for it without blocking."""
    return await asyncio.get_running_loop().run_in_executor(_argon2_pool(), work)


@cache
def _decoy_hash() -> str:
    return default_hasher().hash(secrets.token_urlsafe(16))


def spend_verification_time(password: str) -> None:
    """Verify against a decoy for an unknown username: both answers take as long."""
    verify_password(_decoy_hash(), password)


def new_token() -> str:
    """A cookie value an attacker cannot guess (256 bits)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_digest(token: str) -> str:
    """What the database keeps of a session token: a stolen table opens no session."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
