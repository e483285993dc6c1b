"""Every unit the policy names, from config/departments.toml, looked up by stable code."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from ipaward.config.config_errors import ConfigError
from ipaward.config.places import Place, PlaceIndex

DEPARTMENT_KINDS = frozenset(
    {
        "city_department",
        "judicial_body",
        "regulator",
        "bank_branch",
        "leading_group",
        "institution_group",
        "county_government",
        "zone_committee",
        "finance_office",
    }
)
JURISDICTION_KINDS = frozenset({"district", "county", "zone"})


@dataclass(frozen=True, kw_only=True)
class Department:
    code: str
    name: str
    short: str
    kind: str
    jurisdiction: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Jurisdiction:
    """One of the 11 counties/districts or 5 zones, with its government and finance office."""

    code: str
    name: str
    kind: str
    government: str
    finance: str
    aliases: tuple[str, ...] = ()


T = TypeVar("T", Department, Jurisdiction)


@dataclass(frozen=True)
class Directory:
    """Departments and jurisdictions by code; jurisdictions also by Chinese name."""

    departments: Mapping[str, Department]
    jurisdictions: Mapping[str, Jurisdiction]

    def department(self, code: str) -> Department:
        return self.departments[code]

    @cached_property
    def places(self) -> PlaceIndex:
        return PlaceIndex(self.jurisdictions.values())

    def jurisdiction_named(self, name: str) -> Jurisdiction | None:
        """The jurisdiction an applicant's `jurisdiction` text names (any alias or script)."""
        return self.places.named(name)

    def locate(self, name: str) -> Place:
        """Where a third party's place name lies: in which jurisdiction, outside, or unknown."""
        return self.places.locate(name)

    def jurisdiction_names(self) -> list[str]:
        return [j.name for j in self.jurisdictions.values()]

    def city_finance(self) -> Department:
        return self.departments["city.finance"]


def load_directory(path: Path) -> Directory:
    """Load and check departments.toml; any problem raises ConfigError naming file and key."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(file=path, key="(file)", reason=str(error)) from error
    unknown = set(raw) - {"department", "jurisdiction"}
    if unknown:
        raise ConfigError(file=path, key=sorted(unknown)[0], reason="unknown top-level key")
    departments = _unique(
        (
            _department(entry, path, f"department[{i}]")
            for i, entry in enumerate(raw.get("department", []))
        ),
        path,
        "department",
    )
    jurisdictions = _unique(
        (
            _jurisdiction(entry, path, f"jurisdiction[{i}]")
            for i, entry in enumerate(raw.get("jurisdiction", []))
        ),
        path,
        "jurisdiction",
    )
    for index, jurisdiction in enumerate(jurisdictions.values()):
        for role in ("government", "finance"):
            code = getattr(jurisdiction, role)
            if code not in departments:
                raise ConfigError(
                    file=path,
                    key=f"jurisdiction[{index}].{role}",
                    reason=f"unknown department {code!r}",
                )
    for index, department in enumerate(departments.values()):
        if department.jurisdiction is not None and department.jurisdiction not in jurisdictions:
            raise ConfigError(
                file=path,
                key=f"department[{index}].jurisdiction",
                reason=f"unknown jurisdiction {department.jurisdiction!r}",
            )
    if "city.finance" not in departments:
        raise ConfigError(
            file=path, key="department", reason="city finance (city.finance) is missing"
        )
    return Directory(departments=departments, jurisdictions=jurisdictions)


def _unique(items: Iterable[T], path: Path, key: str) -> dict[str, T]:
    result: dict[str, T] = {}
    for index, item in enumerate(items):
        if item.code in result:
            raise ConfigError(
                file=path, key=f"{key}[{index}].code", reason=f"duplicate code {item.code!r}"
            )
        result[item.code] = item
    return result


def _text(entry: Mapping[str, Any], field: str, path: Path, key: str) -> str:
    value = entry.get(field)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(file=path, key=f"{key}.{field}", reason="a non-empty text is required")
    return value


def _aliases(entry: Mapping[str, Any], path: Path, key: str) -> tuple[str, ...]:
    value = entry.get("aliases", [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(file=path, key=f"{key}.aliases", reason="a list of texts is required")
    return tuple(value)


def _department(entry: Mapping[str, Any], path: Path, key: str) -> Department:
    unknown = set(entry) - {"code", "name", "short", "kind", "jurisdiction", "aliases"}
    if unknown:
        raise ConfigError(file=path, key=f"{key}.{sorted(unknown)[0]}", reason="unknown key")
    kind = _text(entry, "kind", path, key)
    if kind not in DEPARTMENT_KINDS:
        raise ConfigError(file=path, key=f"{key}.kind", reason=f"unknown kind {kind!r}")
    jurisdiction = entry.get("jurisdiction")
    if jurisdiction is not None and not isinstance(jurisdiction, str):
        raise ConfigError(
            file=path, key=f"{key}.jurisdiction", reason="a jurisdiction code is text"
        )
    return Department(
        code=_text(entry, "code", path, key),
        name=_text(entry, "name", path, key),
        short=_text(entry, "short", path, key),
        kind=kind,
        jurisdiction=jurisdiction,
        aliases=_aliases(entry, path, key),
    )


def _jurisdiction(entry: Mapping[str, Any], path: Path, key: str) -> Jurisdiction:
    unknown = set(entry) - {"code", "name", "kind", "government", "finance", "aliases"}
    if unknown:
        raise ConfigError(file=path, key=f"{key}.{sorted(unknown)[0]}", reason="unknown key")
    kind = _text(entry, "kind", path, key)
    if kind not in JURISDICTION_KINDS:
        raise ConfigError(file=path, key=f"{key}.kind", reason=f"unknown kind {kind!r}")
    return Jurisdiction(
        code=_text(entry, "code", path, key),
        name=_text(entry, "name", path, key),
        kind=kind,
        government=_text(entry, "government", path, key),
        finance=_text(entry, "finance", path, key),
        aliases=_aliases(entry, path, key),
    )
