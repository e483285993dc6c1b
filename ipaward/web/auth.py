"""Passwords (argon2id) and session tokens (random; only their SHA-256 is stored)."""

from __future__ import annotations

import hashlib
import os
import secrets
import threading
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

TOKEN_BYTES = 32
# At most one argon2 computation per core at once per process: each already runs four lanes
# in parallel and takes 64 MiB; twenty officers signing in together queue here rather than
# hold twenty times that memory and crowd out every other request's CPU.
ARGON2_SLOTS = threading.BoundedSemaphore(max(2, os.cpu_count() or 2))


@cache
def default_hasher() -> PasswordHasher:
    """argon2-cffi's defaults: argon2id, RFC 9106 low-memory profile (64 MiB, t=3)."""
    return PasswordHasher()


def hash_password(password: str, *, hasher: PasswordHasher | None = None) -> str:
    """Never inside a write transaction: every other writer would wait for it."""
    with ARGON2_SLOTS:
        return (hasher or default_hasher()).hash(password)


def verify_password(stored: str, password: str) -> bool:
    """True when `password` matches; a malformed stored hash is a mismatch, not an error.

    Never inside a write transaction (see hash_password)."""
    try:
        with ARGON2_SLOTS:
            return default_hasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


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
