"""A checked view of one TOML table: every getter names file and key when the value is wrong."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ipaward.config.config_errors import ConfigError


class TableReader:
    def __init__(self, raw: object, *, file: Path, key: str) -> None:
        if not isinstance(raw, dict):
            raise ConfigError(file=file, key=key, reason="a table is required")
        self.raw: Mapping[str, Any] = raw
        self.file = file
        self.key = key

    def fail(self, field: str, reason: str) -> ConfigError:
        return ConfigError(
            file=self.file, key=f"{self.key}.{field}" if field else self.key, reason=reason
        )

    def only(self, allowed: Iterable[str]) -> None:
        unknown = sorted(set(self.raw) - set(allowed))
        if unknown:
            raise self.fail(unknown[0], "unknown key")

    def sub(self, field: str) -> TableReader:
        if field not in self.raw:
            raise self.fail(field, "missing")
        return TableReader(self.raw[field], file=self.file, key=f"{self.key}.{field}")

    def text(self, field: str, default: str | None = None) -> str:
        value = self.raw.get(field, default)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(field, "a non-empty text is required")
        return value

    def date(self, field: str) -> dt.date:
        value = self.raw.get(field)
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            raise self.fail(field, "a date (YYYY-MM-DD) is required")
        return value

    def flag(self, field: str) -> bool:
        value = self.raw.get(field)
        if not isinstance(value, bool):
            raise self.fail(field, "true or false is required")
        return value

    def optional_int(self, field: str) -> int | None:
        value = self.raw.get(field)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.fail(field, "a whole number ≥ 0 is required")
        return value

    def texts(self, field: str) -> tuple[str, ...]:
        value = self.raw.get(field, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(field, "a list of texts is required")
        return tuple(value)

    def tables(self, field: str) -> list[TableReader]:
        value = self.raw.get(field)
        if not isinstance(value, list):
            raise self.fail(field, "a list of tables is required")
        return [
            TableReader(item, file=self.file, key=f"{self.key}.{field}[{index}]")
            for index, item in enumerate(value)
        ]
