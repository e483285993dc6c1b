"""Reading config/notices.toml: 机关代字 for document numbers, and delivery channels."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from ipaward.config.config_errors import ConfigError

NOTICES_TOML = "notices.toml"
_TOP_LEVEL = frozenset(
    {"prefixes", "prefix_patterns", "abbreviations", "channels", "to_be_confirmed"}
)


def read_notices_toml(config_dir: Path) -> tuple[Path, dict[str, Any]]:
    """The parsed file and its path; a missing or malformed file is a ConfigError."""
    path = config_dir / NOTICES_TOML
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(file=path, key="(file)", reason=str(error)) from error
    unknown = sorted(set(raw) - _TOP_LEVEL)
    if unknown:
        raise ConfigError(file=path, key=unknown[0], reason="unknown top-level key")
    return path, raw


def text_table(raw: dict[str, Any], key: str, path: Path) -> dict[str, str]:
    """A table of non-empty texts (e.g. [prefixes]); absent means empty."""
    table = raw.get(key, {})
    if not isinstance(table, dict):
        raise ConfigError(file=path, key=key, reason="a table is required")
    for name, value in table.items():
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(file=path, key=f"{key}.{name}", reason="a non-empty text is required")
    return dict(table)
