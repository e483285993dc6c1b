"""Config errors name the file, the key and the reason, so an operator can fix them by hand."""

from __future__ import annotations

from pathlib import Path


class ConfigError(ValueError):
    """A config file is wrong; nothing was loaded."""

    def __init__(self, *, file: Path | str, key: str, reason: str) -> None:
        self.file = str(file)
        self.key = key
        self.reason = reason
        super().__init__(f"{self.file}: {key}: {reason}")
