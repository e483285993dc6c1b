"""Load rule cases from YAML data files.

A file holds `defaults` (an application, deep-merged under every case) and `cases`, a mapping
from a plain sentence to {application, prior, as_of, expect}. Inside an application a list may
be written `{repeat: N, item: {...}}`; in its strings `{i}` is the item's index (from 1),
`{patent:i}` / `{patent:i:YEAR:KIND}` a valid patent number and `{uscc:i}` a valid USCC, so a
case with 60 transfers stays one line.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tests.support.identifiers import patent, uscc

TOKEN = re.compile(r"\{(patent|uscc|i)(?::([^{}]+))?\}")


@dataclass(frozen=True)
class RuleCase:
    file: str
    name: str
    application: dict[str, Any]
    prior: dict[str, Any]
    as_of: dt.date
    expect: dict[str, Any]


def deep_merge(base: Any, override: Any) -> Any:
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = deep_merge(base.get(key), value) if key in base else value
        return merged
    return override


def _fill(text: str, index: int) -> str:
    def replace(match: re.Match[str]) -> str:
        kind, args = match.group(1), (match.group(2) or "").split(":")
        if kind == "i":
            return str(index)
        serial = index + (int(args[0]) if args[0] and args[0] != "i" else 0)
        if kind == "uscc":
            return uscc(serial)
        year = int(args[1]) if len(args) > 1 else 2021
        ptype = int(args[2]) if len(args) > 2 else 1
        return patent(serial, year=year, kind=ptype)

    return TOKEN.sub(replace, text)


def expand(value: Any, index: int = 0) -> Any:
    """Expand `{repeat: N, item: …}` lists and fill tokens; dates become ISO strings."""
    if isinstance(value, dict):
        if set(value) == {"repeat", "item"}:
            return [expand(value["item"], i) for i in range(1, int(value["repeat"]) + 1)]
        return {
            _fill(key, index) if isinstance(key, str) else key: expand(item, index)
            for key, item in value.items()
        }
    if isinstance(value, list):
        out: list[Any] = []
        for item in value:
            expanded = expand(item, index)
            if isinstance(item, dict) and set(item) == {"repeat", "item"}:
                out.extend(expanded)
            else:
                out.append(expanded)
        return out
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return _fill(value, index)
    return value


def load_cases(folder: Path) -> list[RuleCase]:
    cases: list[RuleCase] = []
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        defaults = data.get("defaults", {})
        for name, body in data["cases"].items():
            application = expand(deep_merge(defaults, body.get("application", {})))
            as_of = body.get("as_of", data.get("as_of", dt.date(2025, 1, 10)))
            cases.append(
                RuleCase(
                    file=path.name,
                    name=name,
                    application=application,
                    prior=expand(body.get("prior", {})),
                    as_of=as_of,
                    expect=expand(body["expect"]),
                )
            )
    return cases
