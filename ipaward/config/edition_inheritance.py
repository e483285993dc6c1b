"""A later edition written as the changes to an earlier one (`extends`), not a copy of it.

A successor policy usually keeps most measures, changes a few amounts or formulas, renumbers
some clauses and drops or adds others. Its file says only that:
- `[edition] extends = "2024"` takes every table of the 2024 file as the starting point;
- `[measures.M05] identity = "patent-transfers"` is the 2024 measure of that identity, now
  numbered M05: the keys given replace the earlier ones, `parameters` replace by name;
- a measure whose identity is new is written in full; `withdrawn = [identities]` drops some;
- routes, document kinds and shared parameters replace by name; funding key by key;
  title, issuer and implementing unit carry over unless given; code and dates never do.
The earlier edition ends the day before the later one starts (see `policy.load_policy`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ipaward.config.config_errors import ConfigError

Raw = dict[str, Any]
BY_NAME = ("routes", "document_kinds", "parameters", "funding")
HEAD_INHERITED = ("title", "issuer", "implementing_unit")  # code and dates are the edition's own


def read_toml(path: Path) -> Raw:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(file=path, key="(file)", reason=str(error)) from error


def resolve_all(files: list[Path]) -> dict[Path, Raw]:
    """Every edition file's tables with what it extends folded in (chains allowed)."""
    raw = {path: read_toml(path) for path in files}
    by_code = {_code(tables): path for path, tables in raw.items() if _code(tables)}
    resolved: dict[Path, Raw] = {}

    def resolve(path: Path, seen: tuple[Path, ...]) -> Raw:
        if path in resolved:
            return resolved[path]
        tables = raw[path]
        base_code = tables.get("edition", {}).get("extends")
        if base_code is None:
            resolved[path] = tables
            return tables
        base_path = by_code.get(base_code) if isinstance(base_code, str) else None
        if base_path is None:
            raise ConfigError(file=path, key="edition.extends", reason=f"no edition {base_code!r}")
        if base_path in seen:
            raise ConfigError(file=path, key="edition.extends", reason="editions extend in a loop")
        resolved[path] = inherit(resolve(base_path, (*seen, path)), tables, file=path)
        return resolved[path]

    for path in files:
        resolve(path, ())
    return resolved


def _code(tables: Raw) -> str | None:
    code = (
        tables.get("edition", {}).get("code") if isinstance(tables.get("edition"), dict) else None
    )
    return code if isinstance(code, str) else None


def inherit(base: Mapping[str, Any], child: Mapping[str, Any], *, file: Path) -> Raw:
    """The child's tables laid over the base's, as the module docstring describes."""
    inherited = {k: v for k, v in base.get("edition", {}).items() if k in HEAD_INHERITED}
    merged: Raw = {"edition": {**inherited, **child.get("edition", {})}}
    for name in BY_NAME:
        if name in base or name in child:
            merged[name] = {**base.get(name, {}), **child.get(name, {})}
    withdrawn = merged["edition"].pop("withdrawn", [])
    merged["measures"] = _measures(
        base.get("measures", {}), child.get("measures", {}), withdrawn, file
    )
    return merged


def _measures(
    base: Mapping[str, Any], child: Mapping[str, Any], withdrawn: object, file: Path
) -> Raw:
    if not isinstance(withdrawn, list) or not all(isinstance(w, str) for w in withdrawn):
        raise ConfigError(file=file, key="edition.withdrawn", reason="a list of identities")
    by_identity = {table.get("identity"): (code, table) for code, table in base.items()}
    for identity in withdrawn:
        if identity not in by_identity:
            raise ConfigError(
                file=file, key="edition.withdrawn", reason=f"no earlier measure {identity!r}"
            )
    changed = {table.get("identity") for table in child.values() if isinstance(table, dict)}
    kept: Raw = {
        code: table
        for code, table in base.items()
        if table.get("identity") not in changed and table.get("identity") not in withdrawn
    }
    for code, table in child.items():
        if not isinstance(table, dict):
            raise ConfigError(file=file, key=f"measures.{code}", reason="a table is required")
        if code in kept:
            taken_by = kept[code].get("identity")
            raise ConfigError(
                file=file,
                key=f"measures.{code}",
                reason=f"{code} still numbers {taken_by!r}: renumber or withdraw it first",
            )
        earlier: Raw = (
            by_identity[table["identity"]][1] if table.get("identity") in by_identity else {}
        )
        kept[code] = {
            **earlier,
            **table,
            "parameters": {**earlier.get("parameters", {}), **table.get("parameters", {})},
        }
    return kept
