"""Passwords (argon2id) and session tokens (random; only their SHA-256 is stored)."""

from __future__ import annotations

import hashlib
import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

TOKEN_BYTES = 32


@cache
def default_hasher() -> PasswordHasher:
    """argon2-cffi's defaults: argon2id, RFC 9106 low-memory profile (64 MiB, t=3)."""
    return PasswordHasher()


def hash_password(password: str, *, hasher: PasswordHasher | None = None) -> str:
    return (hasher or default_hasher()).hash(password)


def verify_password(stored: str, password: str) -> bool:
    """True when `password` matches; a malformed stored hash is a mismatch, not an error."""
    try:
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
