"""Dated parameters (OpenFisca style): every amount, threshold and cap has a clause and dates.

A parameter is a list of values, each valid from a date (and optionally until a date). Rules ask
for a value *on* a date, so a later edition or amendment never changes how an earlier event is
judged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from itertools import pairwise
from pathlib import Path
from typing import Any

from ipaward.config.config_errors import ConfigError

ParamValue = int | str | bool | list[Any] | dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class DatedValue:
    valid_from: dt.date
    valid_until: dt.date | None
    value: ParamValue

    def covers(self, on: dt.date) -> bool:
        return self.valid_from <= on and (self.valid_until is None or on <= self.valid_until)


@dataclass(frozen=True, kw_only=True)
class Parameter:
    """One named parameter of a measure (or of the edition), citing its clause."""

    name: str
    clause: str
    text: str
    values: tuple[DatedValue, ...]

    def value_on(self, on: dt.date) -> ParamValue:
        for candidate in reversed(self.values):  # the latest start wins
            if candidate.covers(on):
                return candidate.value
        raise LookupError(f"parameter {self.name} has no value on {on.isoformat()}")


class ParameterView:
    """The parameters of one measure as they stand on one date, with typed accessors."""

    def __init__(self, parameters: Mapping[str, Parameter], on: dt.date) -> None:
        self._parameters = parameters
        self.on = on

    def parameter(self, name: str) -> Parameter:
        try:
            return self._parameters[name]
        except KeyError:
            raise LookupError(f"no parameter named {name}") from None

    def raw(self, name: str) -> ParamValue:
        return self.parameter(name).value_on(self.on)

    def clause(self, name: str) -> str:
        return self.parameter(name).clause

    def text(self, name: str) -> str:
        return self.parameter(name).text

    def integer(self, name: str) -> int:
        value = self.raw(name)
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"parameter {name} is not a whole number: {value!r}")
        return value

    def flag(self, name: str) -> bool:
        value = self.raw(name)
        if not isinstance(value, bool):
            raise TypeError(f"parameter {name} is not true/false: {value!r}")
        return value

    def decimal(self, name: str) -> Decimal:
        return as_decimal(self.raw(name), name)

    def fraction(self, name: str) -> Fraction:
        value = self.raw(name)
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise TypeError(f"parameter {name} is not a ratio: {value!r}")
        return Fraction(value)

    def strings(self, name: str) -> tuple[str, ...]:
        value = self.raw(name)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise TypeError(f"parameter {name} is not a list of texts: {value!r}")
        return tuple(value)

    def text_value(self, name: str) -> str:
        value = self.raw(name)
        if not isinstance(value, str):
            raise TypeError(f"parameter {name} is not a text: {value!r}")
        return value

    def optional_text(self, name: str) -> str | None:
        """A text parameter the edition may leave out (None: not set)."""
        return self.text_value(name) if name in self._parameters else None

    def table(self, name: str) -> Mapping[str, Any]:
        value = self.raw(name)
        if not isinstance(value, dict):
            raise TypeError(f"parameter {name} is not a table: {value!r}")
        return value


def as_decimal(value: object, name: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError(f"parameter {name} is not a number: {value!r}")
    try:
        return Decimal(value)
    except InvalidOperation:
        raise TypeError(f"parameter {name} is not a number: {value!r}") from None


def parse_parameters(raw: Mapping[str, Any], *, file: Path, prefix: str) -> dict[str, Parameter]:
    """Read `name = {clause, text, values = [{from, until?, value}]}` entries, checking each."""
    result: dict[str, Parameter] = {}
    for name, body in raw.items():
        key = f"{prefix}.{name}"
        if not isinstance(body, dict):
            raise ConfigError(
                file=file, key=key, reason="a parameter is a table {clause, text, values}"
            )
        unknown = set(body) - {"clause", "text", "values"}
        if unknown:
            raise ConfigError(file=file, key=key, reason=f"unknown keys {sorted(unknown)}")
        clause = body.get("clause")
        if not isinstance(clause, str) or not clause.strip():
            raise ConfigError(file=file, key=key, reason="the parameter cites no clause")
        text = body.get("text", "")
        if not isinstance(text, str):
            raise ConfigError(file=file, key=f"{key}.text", reason="text must be a string")
        values = _parse_values(body.get("values"), file=file, key=f"{key}.values")
        result[name] = Parameter(name=name, clause=clause, text=text, values=values)
    return result


def _parse_values(raw: object, *, file: Path, key: str) -> tuple[DatedValue, ...]:
    if not isinstance(raw, list) or not raw:
        raise ConfigError(file=file, key=key, reason="at least one dated value is required")
    values: list[DatedValue] = []
    for index, entry in enumerate(raw):
        entry_key = f"{key}[{index}]"
        if not isinstance(entry, dict) or "from" not in entry or "value" not in entry:
            raise ConfigError(
                file=file, key=entry_key, reason="each value needs 'from' and 'value'"
            )
        unknown = set(entry) - {"from", "until", "value"}
        if unknown:
            raise ConfigError(file=file, key=entry_key, reason=f"unknown keys {sorted(unknown)}")
        start, end = entry["from"], entry.get("until")
        if not _is_date(start) or (end is not None and not _is_date(end)):
            raise ConfigError(file=file, key=entry_key, reason="'from' and 'until' must be dates")
        if end is not None and end < start:
            raise ConfigError(file=file, key=entry_key, reason="'until' is before 'from'")
        values.append(DatedValue(valid_from=start, valid_until=end, value=entry["value"]))
    values.sort(key=lambda v: v.valid_from)
    _reject_overlaps(values, file=file, key=key)
    return tuple(values)


def _reject_overlaps(values: Sequence[DatedValue], *, file: Path, key: str) -> None:
    for earlier, later in pairwise(values):
        if earlier.valid_until is None or earlier.valid_until >= later.valid_from:
            if earlier.valid_until is None and earlier.valid_from < later.valid_from:
                continue  # an open-ended value is superseded by the next one's start
            raise ConfigError(
                file=file,
                key=key,
                reason=f"dates overlap: {earlier.valid_from} … {earlier.valid_until or 'open'}"
                f" and {later.valid_from} …",
            )


def _is_date(value: object) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
