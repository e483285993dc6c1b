"""What a person reads for a stored code: one catalogue (config/labels.toml), one `label()`.

Pages, notices and the command line all name documents, evidence fields, enum values,
states, stages and actors through this module, so a code never reaches a reader by accident
and a new code needs one line of config. Traditional Chinese is the Simplified label through
the notices' OpenCC step, so both scripts always say the same thing.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ipaward.config.config_errors import ConfigError
from ipaward.settings import PROJECT_ROOT

LABELS_FILE = "labels.toml"
COMMON = "common"  # fields.common: paths under the application every measure shares
# Where label(code) without a group looks, in order (codes of these groups do not collide).
GENERAL = ("documents", "applicant_kinds", "enums", "item_kinds", "actors")
GROUPS = (
    *GENERAL,
    "application_states",
    "list_states",
    "line_states",
    "programme_states",
    "stages",
    "outcomes",
    "work_item_states",
    "keys",
    "ledger",
)
_INDEX = re.compile(r"\[(\d+)\]")
_DOCUMENT = re.compile(r"^documents\[([a-z0-9_]+)\]$")
_SEGMENT = re.compile(r"([^.\[\]]+)|\[\]")


@dataclass(frozen=True)
class Catalogue:
    """groups: group → code → label; fields: measure identity (or "common") → path → label."""

    groups: Mapping[str, Mapping[str, str]]
    fields: Mapping[str, Mapping[str, str]]


def load_labels(path: Path) -> Catalogue:
    """Read and shape-check labels.toml: every group present, every label a non-empty string."""
    try:
        with path.open("rb") as handle:
            table = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(file=path, key="(file)", reason=str(error)) from None
    groups: dict[str, dict[str, str]] = {}
    for group in GROUPS:
        groups[group] = _strings(path, group, table.get(group))
    fields = table.get("fields")
    if not isinstance(fields, dict) or COMMON not in fields:
        raise ConfigError(file=path, key="fields", reason="needs [fields.common] and per measure")
    unknown = set(table) - {*GROUPS, "fields"}
    if unknown:
        raise ConfigError(file=path, key=sorted(unknown)[0], reason="unknown label group")
    return Catalogue(
        groups=groups,
        fields={name: _strings(path, f"fields.{name}", value) for name, value in fields.items()},
    )


def _strings(path: Path, key: str, value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ConfigError(file=path, key=key, reason="missing table of labels")
    for code, text in value.items():
        if not isinstance(text, str) or not text.strip():
            raise ConfigError(file=path, key=f"{key}.{code}", reason="label must be non-empty text")
    return dict(value)


def labels_path() -> Path:
    """The config folder's labels.toml (IPAWARD_CONFIG_DIR), else the project's own."""
    configured = os.environ.get("IPAWARD_CONFIG_DIR")
    own = Path(configured) / LABELS_FILE if configured else None
    return own if own is not None and own.exists() else PROJECT_ROOT / "config" / LABELS_FILE


@cache
def _load(path: Path) -> Catalogue:
    return load_labels(path)


def catalogue() -> Catalogue:
    return _load(labels_path())


def group(name: str) -> Mapping[str, str]:
    """One group's code → label (e.g. "stages"), for code that lists every value."""
    return catalogue().groups[name]


def translated(text: str, language: str) -> str:
    """A Simplified label in `language` (zh-Hant through the notices' OpenCC step)."""
    from ipaward.notices.environment import to_language

    return to_language(text, language=language)


def label(code: object, group: str | None = None, *, language: str = "zh-Hans") -> str:
    """The label of `code` (in `group`, else the general groups); an unknown code shows as is
    (the no-internal-code test finds it) and None as "—"."""
    if code is None or code == "":
        return "—"
    text = str(code)
    groups = catalogue().groups
    found = groups[group].get(text) if group else _general(text, groups)
    if found is None:
        found = field_label(text) if ("[" in text or "." in text) else text
    return translated(found, language)


def _general(text: str, groups: Mapping[str, Mapping[str, str]]) -> str | None:
    for name in GENERAL:
        if text in groups[name]:
            return groups[name][text]
    return None


def ledger_label(key: str, titles: Mapping[str, str], *, language: str = "zh-Hans") -> str:
    """`patent-transfers:transfer:201710601862.3` → 支持存量专利转化·转让 201710601862.3:
    the measure's title (by identity), what is counted, and the item's own identifiers."""
    identity, _, rest = key.partition(":")
    kind, _, values = rest.partition(":")
    title = titles.get(identity)
    noun = catalogue().groups["ledger"].get(kind)
    if title is None or noun is None:
        return key
    return translated(f"{title}·{noun} {values.replace(':', ' ')}".rstrip(), language)


def pattern_of(path: str) -> tuple[str, list[int]]:
    """`transfers[1].transferee` → (`transfers[].transferee`, [1])."""
    indices = [int(i) for i in _INDEX.findall(path)]
    return _INDEX.sub("[]", path), indices


def field_label(path: str, identity: str | None = None, *, language: str = "zh-Hans") -> str:
    """`documents[business_licence]` → 营业执照或法人证书; `evidence.transfers[0].transferee`
    under patent-transfers → 第1项转让的受让方. A path without a label shows as is."""
    text = path.strip().removeprefix("$.")
    document = _DOCUMENT.match(text)
    if document:
        kind = document.group(1)
        return translated(catalogue().groups["documents"].get(kind, text), language)
    fields = catalogue().fields
    pattern, indices = pattern_of(text)
    found: str | None = None
    if pattern.startswith("evidence."):
        inner = pattern.removeprefix("evidence.")
        own = fields.get(identity or "")  # the measure's own name first, then any measure's
        tables = [*([own] if own is not None else []), *fields.values()]
        found = next((t[inner] for t in tables if inner in t), None)
    else:
        found = fields[COMMON].get(pattern)
    if found is None:
        return path
    for number, index in enumerate(indices, start=1):
        found = found.replace("{" + str(number) + "}", str(index + 1))
    return translated(found, language)


def correction_item_name(
    item: Mapping[str, Any], identity: str | None = None, *, language: str = "zh-Hans"
) -> str:
    """A 补正 item as the applicant reads it: the document's or field's label, never its JSON
    path; a faulty file adds its file name (营业执照或法人证书(licence.pdf))."""
    field = str(item.get("field") or "")
    if field:
        name = field_label(field, identity, language=language)
    else:
        name = label(item.get("kind"), "documents", language=language)
    file_name = item.get("name")
    return f"{name}({file_name})" if file_name and file_name != name else name


def evidence_fields(identity: str, evidence: Mapping[str, Any]) -> list[str]:
    """The measure's labelled leaf fields as concrete paths under `evidence` of this
    application (`evidence.transfers[0].recorded_on` for each transfer it lists)."""
    table = catalogue().fields.get(identity, {})
    leaves = [p for p in table if not any(o != p and o.startswith(p) for o in table)]
    paths: list[str] = []
    for pattern in leaves:
        segments = [m.group(0) for m in _SEGMENT.finditer(pattern)]
        paths += [f"evidence.{p}" for p in _expand(segments, evidence, "")]
    return sorted(paths, key=lambda path: pattern_of(path)[1])  # entry by entry


def _expand(segments: list[str], data: Any, prefix: str) -> Iterator[str]:
    if not segments:
        yield prefix
        return
    head, rest = segments[0], segments[1:]
    if head == "[]":
        for index, entry in enumerate(data if isinstance(data, list) else []):
            yield from _expand(rest, entry, f"{prefix}[{index}]")
        return
    inner = data.get(head) if isinstance(data, dict) else None
    yield from _expand(rest, inner, f"{prefix}.{head}" if prefix else head)
