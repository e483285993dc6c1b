"""Web settings beside the shared Settings: Prefect UI address, session lifetime, secrets, clock."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import secrets
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ipaward import clock
from ipaward.prefect_ui_links import DEFAULT_UI_URL as DEFAULT_PREFECT_UI_URL
from ipaward.prefect_ui_links import ui_url
from ipaward.settings import Settings
from ipaward.web.throttle import RateLimits

SECRET_FILE = "web-secret"


_now = clock.now
_today = clock.today


@dataclass(frozen=True, kw_only=True)
class WebConfig:
    """Everything the web app reads besides Settings; tests replace the clocks."""

    secret: bytes
    prefect_ui_url: str = DEFAULT_PREFECT_UI_URL
    session_lifetime: dt.timedelta = dt.timedelta(hours=8)
    cookie_secure: bool = False
    page_size: int = 50
    limits: RateLimits = field(default_factory=RateLimits)
    now: Callable[[], dt.datetime] = _now
    today: Callable[[], dt.date] = _today


def fixed_day(day: dt.date) -> Callable[[], dt.date]:
    """A clock that always answers `day` (demos on a past cohort, tests)."""

    def today() -> dt.date:
        return day

    return today


def load_secret(home: Path) -> bytes:
    """The key that signs login-form tokens, shared by every worker of one home.

    Created once (0600) under the home folder and published with link(2), which never
    replaces an existing file: workers starting together all read the same, complete key.
    """
    path = home / SECRET_FILE
    home.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        fd, temporary = tempfile.mkstemp(dir=home, prefix=f".{SECRET_FILE}.")  # mode 0600
        try:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(secrets.token_hex(32) + "\n")
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
        finally:
            os.unlink(temporary)
    return bytes.fromhex(path.read_text(encoding="ascii").strip())


def load_web_config(settings: Settings, env: Mapping[str, str] | None = None) -> WebConfig:
    """PREFECT_UI_URL (else beside PREFECT_API_URL), IPAWARD_WEB_SECRET,
    IPAWARD_WEB_COOKIE_SECURE, IPAWARD_WEB_TODAY.

    IPAWARD_WEB_TODAY (YYYY-MM-DD) pins "today" for demos on a past cohort; never set it in
    production: decisions would advance as of that date.
    """
    source = os.environ if env is None else env
    raw_secret = source.get("IPAWARD_WEB_SECRET")
    secret = raw_secret.encode("utf-8") if raw_secret else load_secret(settings.home)
    pinned = source.get("IPAWARD_WEB_TODAY")
    today = fixed_day(dt.date.fromisoformat(pinned)) if pinned else _today
    return WebConfig(
        secret=secret,
        prefect_ui_url=ui_url(source),
        cookie_secure=source.get("IPAWARD_WEB_COOKIE_SECURE", "") in ("1", "true", "yes"),
        today=today,
    )
