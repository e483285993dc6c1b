"""CSRF: a per-session token in every form; a signed double-submit token on the login form.

The session cookie is SameSite=Strict already; the tokens are the second, independent
line, and a POST whose Origin names another site is refused before either is looked at.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import urlsplit

from starlette.requests import Request

LOGIN_COOKIE = "ipaward_login"
FIELD = "csrf"


def _sign(secret: bytes, nonce: str) -> str:
    return hmac.new(secret, f"login:{nonce}".encode(), hashlib.sha256).hexdigest()


def new_login_token(secret: bytes) -> tuple[str, str]:
    """(cookie value, form value): the form carries the nonce and its signature."""
    nonce = secrets.token_urlsafe(24)
    return nonce, f"{nonce}.{_sign(secret, nonce)}"


def login_token_ok(secret: bytes, *, cookie: str | None, submitted: str | None) -> bool:
    """The form's token was signed by us and matches the cookie set with the form."""
    if not cookie or not submitted or "." not in submitted:
        return False
    nonce, signature = submitted.rsplit(".", 1)
    return hmac.compare_digest(nonce, cookie) and hmac.compare_digest(
        signature, _sign(secret, nonce)
    )


def session_token_ok(expected: str, submitted: str | None) -> bool:
    return bool(submitted) and hmac.compare_digest(expected, submitted or "")


def same_origin(request: Request) -> bool:
    """A browser's POST names its origin; one from another site is refused outright.

    Clients that send no Origin (old browsers, scripts) rely on the tokens alone.
    """
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return origin is None
    host = request.headers.get("host", "")
    return urlsplit(origin).netloc == host
