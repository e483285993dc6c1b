"""Validation problems: each names its JSON path and a reason in Chinese."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError


@dataclass(frozen=True, kw_only=True)
class Problem:
    code: str
    path: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "path": self.path, "message": self.message}


class InvalidApplications(ValueError):
    """A file failed validation; nothing from it may be stored."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(f"{p.path}: {p.message}" for p in self.problems))


MAX_PROBLEMS = 200  # listed per file; a file of garbage must not print a million rows


def capped(problems: Sequence[Problem], limit: int = MAX_PROBLEMS) -> list[Problem]:
    """The first `limit` problems, and one more row saying how many were left out."""
    if len(problems) <= limit:
        return list(problems)
    return [
        *problems[:limit],
        Problem(
            code="too_many_problems",
            path="$",
            message=f"另有{len(problems) - limit}处问题未列出;请先改正以上问题",
        ),
    ]


def json_path(root: str, loc: Sequence[int | str]) -> str:
    path = root
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


MESSAGES = {
    "missing": "缺少必填字段",
    "extra_forbidden": "未知字段(交换格式中没有此项)",
    "int_type": "应为整数",
    "string_type": "应为文本",
    "bool_type": "应为true或false",
    "list_type": "应为数组",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "string_too_short": "不得为空",
    "string_too_long": "过长",
    "none_required": "应为null",
}


def _message(error: Any) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind in MESSAGES:
        return MESSAGES[kind]
    if kind == "greater_than_equal":
        return f"不得小于{ctx.get('ge')}"
    if kind == "less_than_equal":
        return f"不得大于{ctx.get('le')}"
    if kind == "literal_error":
        return f"应为以下之一:{ctx.get('expected')}"
    if kind == "too_short":
        return f"至少需要{ctx.get('min_length')}项"
    if kind == "string_pattern_mismatch":
        return f"格式不符(应匹配{ctx.get('pattern')})"
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    return str(error["msg"])


def problems_from(error: ValidationError, root: str) -> list[Problem]:
    return [
        Problem(code=str(e["type"]), path=json_path(root, e["loc"]), message=_message(e))
        for e in error.errors()
    ]
