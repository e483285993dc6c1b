"""Operators hear of failed runs: where the Prefect server sends the message
(config/operators.toml), and the web app's operator mailbox that receives it by default.

The mailbox is one JSON file per message under IPAWARD_HOME/operators/. The web app accepts a
message only with a token derived from its own secret (the apprise URL carries it as a
header), so nothing else on the machine can fill the mailbox."""

from __future__ import annotations

import hashlib
import hmac
import json
import tomllib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import apprise

from ipaward import clock
from ipaward.config.config_errors import ConfigError
from ipaward.settings import PROJECT_ROOT, Settings

OPERATORS_TOML = "operators.toml"
DEFAULT_URL = "json://{web}/api/operator-notices"
TOKEN_HEADER = "X-Ipaward-Token"
MAILBOX = "operators"


@dataclass(frozen=True, kw_only=True)
class Target:
    """The apprise URL to notify, and whether it is the web app's own mailbox."""

    url: str
    mailbox: bool


def operators_path(settings: Settings) -> Path:
    own = settings.config_dir / OPERATORS_TOML
    return own if own.exists() else PROJECT_ROOT / "config" / OPERATORS_TOML


def failure_target(
    settings: Settings, *, web: str, secret: bytes, env: Mapping[str, str]
) -> Target:
    """[failures] url or url_env, "{web}" replaced by the web app's host:port; the mailbox URL
    gets the token header."""
    path = operators_path(settings)
    table: Any = {}
    if path.exists():
        try:
            table = tomllib.loads(path.read_text(encoding="utf-8")).get("failures", {})
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(file=path, key="(file)", reason=str(error)) from error
    if not isinstance(table, dict) or set(table) - {"url", "url_env"}:
        raise ConfigError(file=path, key="failures", reason="only url or url_env is allowed")
    if "url_env" in table:
        url = env.get(str(table["url_env"]), "")
        if not url:
            raise ConfigError(file=path, key="failures.url_env", reason="the variable is not set")
    else:
        url = str(table.get("url", DEFAULT_URL))
    mailbox = "{web}" in url
    host = web.removeprefix("http://").removeprefix("https://").rstrip("/")
    url = url.replace("{web}", host)
    if mailbox:
        url += ("&" if "?" in url else "?") + f"+{TOKEN_HEADER}={mailbox_token(secret)}"
    if not apprise.Apprise().add(url):
        raise ConfigError(file=path, key="failures", reason="apprise does not recognise the URL")
    return Target(url=url, mailbox=mailbox)


def mailbox_token(secret: bytes) -> str:
    """What a message to the operator mailbox must carry: derived from the web app's secret."""
    return hmac.new(secret, b"ipaward operator mailbox", hashlib.sha256).hexdigest()


def token_ok(secret: bytes, given: str | None) -> bool:
    return given is not None and hmac.compare_digest(mailbox_token(secret), given)


def store_message(home: Path, payload: Mapping[str, Any]) -> Path:
    """Keep one message (apprise's JSON: title, message, type) as a file; returns its path."""
    received = clock.now()
    folder = home / MAILBOX
    folder.mkdir(parents=True, exist_ok=True)
    record = {
        "received_at": received.isoformat(),
        "title": str(payload.get("title") or ""),
        "message": str(payload.get("message") or ""),
        "type": str(payload.get("type") or ""),
    }
    path = folder / f"{received:%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.json"
    path.write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def recent_messages(home: Path, *, limit: int = 5) -> list[dict[str, str]]:
    """The newest messages first (the dashboard shows them)."""
    folder = home / MAILBOX
    if not folder.is_dir():
        return []
    paths = sorted(folder.glob("*.json"), reverse=True)[:limit]
    return [json.loads(path.read_text(encoding="utf-8")) for path in paths]
