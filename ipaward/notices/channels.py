"""Delivery channels from config/notices.toml [channels]: a mailbox folder, or apprise URLs.

Only enabled channels are returned. An apprise URL is checked when it is loaded (apprise
must recognise its scheme), so a typo fails at start-up instead of at the first notice. A
secret URL (SMTP password) is read from the environment variable `url_env` names.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import apprise

from ipaward.config.config_errors import ConfigError
from ipaward.notices.config import read_notices_toml

_NAME = re.compile(r"^[A-Za-z0-9_-]+$")
DEFAULT_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True, kw_only=True)
class MailboxChannel:
    """One file per notice and recipient under `path` (relative paths are under the home)."""

    name: str
    path: Path


@dataclass(frozen=True, kw_only=True)
class AppriseChannel:
    """E-mail (mailtos://…), webhooks (json://…) and anything else apprise can reach."""

    name: str
    url: str
    timeout: float = DEFAULT_TIMEOUT_SECONDS


Channel = MailboxChannel | AppriseChannel


def load_channels(config_dir: Path, *, env: Mapping[str, str] | None = None) -> list[Channel]:
    """The enabled channels; no [channels] table means the default mailbox only."""
    path, raw = read_notices_toml(config_dir)
    table = raw.get("channels")
    if table is None:
        return [MailboxChannel(name="mailbox", path=Path("mailbox"))]
    if not isinstance(table, dict):
        raise ConfigError(file=path, key="channels", reason="a table is required")
    source = os.environ if env is None else env
    channels: list[Channel] = []
    for name, entry in table.items():
        channel = _channel(name, entry, path=path, env=source)
        if channel is not None:
            channels.append(channel)
    return channels


def _channel(name: str, entry: Any, *, path: Path, env: Mapping[str, str]) -> Channel | None:
    key = f"channels.{name}"

    def fail(field: str, reason: str) -> ConfigError:
        return ConfigError(file=path, key=f"{key}.{field}" if field else key, reason=reason)

    if not _NAME.match(name):
        raise fail("", "a channel name uses letters, digits, - and _ only")
    if not isinstance(entry, dict):
        raise fail("", "a table is required")
    kind = entry.get("type")
    allowed = {
        "mailbox": {"type", "path", "enabled"},
        "apprise": {"type", "url", "url_env", "enabled", "timeout"},
    }
    if kind not in allowed:
        raise fail("type", 'the type is "mailbox" or "apprise"')
    unknown = sorted(set(entry) - allowed[kind])
    if unknown:
        raise fail(unknown[0], "unknown key")
    enabled = entry.get("enabled", True)
    if not isinstance(enabled, bool):
        raise fail("enabled", "true or false is required")
    if kind == "mailbox":
        folder = entry.get("path", "mailbox")
        if not isinstance(folder, str) or not folder.strip():
            raise fail("path", "a non-empty text is required")
        return MailboxChannel(name=name, path=Path(folder)) if enabled else None
    if ("url" in entry) == ("url_env" in entry):
        raise fail("url", "give exactly one of url and url_env")
    timeout = entry.get("timeout", DEFAULT_TIMEOUT_SECONDS)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
        raise fail("timeout", "a number of seconds > 0 is required")
    field = "url" if "url" in entry else "url_env"
    value = entry[field]
    if not isinstance(value, str) or not value.strip():
        raise fail(field, "a non-empty text is required")
    if not enabled:
        return None
    url = value if field == "url" else env.get(value, "")
    if not url:
        raise fail("url_env", f"the environment variable {value} is not set")
    if not apprise.Apprise().add(url):
        raise fail(field, "apprise does not recognise this URL")  # the URL may hold a secret
    return AppriseChannel(name=name, url=url, timeout=float(timeout))
