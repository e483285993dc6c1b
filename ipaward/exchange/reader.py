"""Read an exchange-format file into plain JSON values, refusing what cannot be held safely.

Every refusal is a `Problem` with a Chinese reason, like any validation problem: a file too
large (checked before it is read whole), not UTF-8 (a BOM is fine), nested deeper than any
application (counted without recursion, so 100,000 brackets cannot exhaust the stack), an
integer longer than the format's numbers (Python would refuse 4,300 digits with a
traceback), a fraction or NaN where the format has only integers, a key written twice in
one object (JSON would silently keep the last), and text the databases cannot store
(U+0000, a lone surrogate).
"""

from __future__ import annotations

import codecs
import errno
import json
import os
import re
import stat
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import Any

from ipaward.exchange.problems import InvalidApplications, Problem, capped, json_path

MIB = 1024 * 1024


@dataclass(frozen=True, kw_only=True)
class InputLimits:
    """How much one application file may hold (config/workflow.toml; these are the defaults)."""

    max_bytes: int = 5 * MIB
    max_depth: int = 64
    max_integer_digits: int = 18


DEFAULT_LIMITS = InputLimits()


def read_json(path: Path, limits: InputLimits = DEFAULT_LIMITS) -> object:
    """The file's JSON value; InvalidApplications naming every problem otherwise."""
    text = _decode(_read_bounded(path, limits.max_bytes))
    if not text.strip():
        raise _refuse("json", "$", "文件为空,应为一份申请(JSON对象)或申请数组")
    bare = _outside_strings(text)
    deep = _too_deep(bare, limits.max_depth)
    if deep is not None:
        raise InvalidApplications([deep])
    parser = _Parser(limits.max_integer_digits)
    long_numbers = re.search(_LONG_DIGITS.format(limits.max_integer_digits + 1), bare)
    try:
        value = json.loads(
            text,
            parse_int=parser.integer if long_numbers else None,
            parse_float=parser.fraction,
            parse_constant=parser.constant,
            object_pairs_hook=parser.pairs,
        )
    except json.JSONDecodeError as error:
        raise _refuse("json", "$", _syntax_message(error, text)) from None
    except RecursionError:  # the depth scan makes this unreachable; never a traceback
        raise _refuse("too_deep", "$", f"嵌套层数超过{limits.max_depth}层") from None
    if not (parser.marked or _RISKY_ESCAPE.search(text)):
        return value  # the usual file: nothing to name, no walk
    problems = parser.problems_in(value)
    if problems:
        raise InvalidApplications(capped(problems))
    return value


def _refuse(code: str, path: str, message: str) -> InvalidApplications:
    return InvalidApplications([Problem(code=code, path=path, message=message)])


def _size(count: int) -> str:
    return f"{count:,}字节" + (f"(约{count / MIB:.1f} MB)" if count >= MIB else "")


def _read_bounded(path: Path, limit: int) -> bytes:
    """At most `limit` bytes: a regular file's size is checked before reading, and the read
    itself stops one byte past the limit (a file growing meanwhile, a pipe, a device)."""
    too_large = f"文件超过{_size(limit)}的上限(max_application_file_bytes);请拆分为多个文件提交"
    try:
        with path.open("rb") as stream:
            info = os.fstat(stream.fileno())
            if stat.S_ISREG(info.st_mode) and info.st_size > limit:
                raise _refuse("file_too_large", "$", f"文件大小{_size(info.st_size)},{too_large}")
            data = stream.read(limit + 1)
    except OSError as error:
        raise _refuse("file", "$", unreadable(path, error)) from None
    if len(data) > limit:
        raise _refuse("file_too_large", "$", too_large)
    return data


def unreadable(path: Path, error: OSError) -> str:
    """Why a file cannot be read, in Chinese, naming it."""
    reasons = {
        errno.ENOENT: "文件不存在",
        errno.EACCES: "没有读取权限",
        errno.EPERM: "没有读取权限",
        errno.EISDIR: "这是一个文件夹,不是文件",
        errno.ENAMETOOLONG: "文件名过长",
        errno.ELOOP: "符号链接循环",
    }
    reason = reasons.get(error.errno or 0) or f"读取失败({error.strerror or error})"
    return f"无法读取文件{path}:{reason}"


_OTHER_ENCODINGS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def _decode(data: bytes) -> str:
    """UTF-8, with or without a byte-order mark; anything else names where it goes wrong."""
    for bom, name in _OTHER_ENCODINGS:
        if data.startswith(bom):
            raise _refuse("encoding", "$", f"文件为{name}编码;交换格式文件须为UTF-8编码")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        start = error.start
        line = data.count(b"\n", 0, start) + 1
        column = start - (data.rfind(b"\n", 0, start) + 1) + 1
        raise _refuse(
            "encoding",
            "$",
            f"第{line}行第{column}个字节(0x{data[start]:02X})起不是有效的UTF-8编码;"
            "交换格式文件须为UTF-8编码(可带BOM)",
        ) from None


# A string, also one the text leaves unterminated (to its end): this pattern cannot fail, so
# removing every string is one linear pass whatever the text holds.
_STRING = re.compile(r'"[^"\\]*(?:\\(?:.|\Z)[^"\\]*)*(?:"|\Z)', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
_LONG_DIGITS = "[0-9]{{{},}}"
# Only an escape can put U+0000 or a lone surrogate into a parsed string (UTF-8 cannot).
_RISKY_ESCAPE = re.compile(r"\\u(?:0000|[dD][89abcdefABCDEF])")


def _outside_strings(text: str) -> str:
    return _STRING.sub('""', text)


def _too_deep(bare: str, limit: int) -> Problem | None:
    """Brackets nested deeper than `limit`, counted over the text without its strings (no
    recursion, C-speed passes). Where the text is valid JSON the count is exact; where it is
    not, the parser stops at the first fault and never nests deeper than counted before it."""
    brackets = _NOT_BRACKET.sub("", bare)
    depth = max(accumulate(map(_STEP.__getitem__, brackets)), default=0)
    if depth <= limit:
        return None
    return Problem(
        code="too_deep",
        path="$",
        message=f"JSON嵌套超过{limit}层(最深{depth}层);一份申请只有几层嵌套",
    )


def _line_column(text: str, index: int) -> tuple[int, int]:
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


_SYNTAX = (
    ("Expecting value", "此处应为一个值"),
    ("Expecting property name enclosed in double quotes", "此处应为用双引号括起的字段名"),
    ("Expecting ':' delimiter", "此处应为冒号(:)"),
    ("Expecting ',' delimiter", "此处应为逗号(,)或结束括号"),
    ("Extra data", "一个完整的JSON值之后还有多余内容"),
    ("Unterminated string", "字符串缺少结束的双引号"),
    ("Invalid control character", "字符串中有未转义的控制字符(如换行、制表符)"),
    ("Invalid \\uXXXX escape", "无效的\\uXXXX转义"),
    ("Invalid \\escape", "无效的转义序列"),
    ("Illegal trailing comma", "结束括号前多了逗号"),
)


def _syntax_message(error: json.JSONDecodeError, text: str) -> str:
    reason = next((zh for en, zh in _SYNTAX if error.msg.startswith(en)), error.msg)
    line, column = _line_column(text, error.pos)
    return f"不是有效的JSON:第{line}行第{column}列,{reason}"


class _Refused:
    """A number the exchange format cannot hold, kept in place so its path can be named."""

    def __init__(self, text: str, reason: str) -> None:
        self.text, self.reason = text, reason


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# (parent entry, key) chains: a path is spelt out only for a node that has a problem
_Where = tuple["_Where | None", "str | int"] | None


class _Parser:
    """The hooks `json.loads` calls, and the walk that names what they marked."""

    def __init__(self, max_digits: int) -> None:
        self.max_digits = max_digits
        self.marked = False
        # id → (the object, keys it had twice); holding the object keeps its id unique
        self.repeated: dict[int, tuple[dict[str, Any], list[str]]] = {}

    def integer(self, text: str) -> int | _Refused:
        digits = len(text.lstrip("-"))
        if digits > self.max_digits:
            self.marked = True
            shown = text[:12] + "…" if len(text) > 12 else text
            return _Refused(shown, f"有{digits}位,超过整数{self.max_digits}位的上限")
        return int(text)

    def fraction(self, text: str) -> _Refused:
        self.marked = True
        shown = text[:24] + "…" if len(text) > 24 else text
        return _Refused(shown, "应为整数:交换格式中的金额、数量、年度都是整数,不接受小数或指数写法")

    def constant(self, text: str) -> _Refused:
        self.marked = True
        return _Refused(text, "不是有效的JSON数值(NaN、Infinity不属于JSON)")

    def pairs(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        value = dict(pairs)
        if len(value) < len(pairs):
            self.marked = True
            seen: set[str] = set()
            twice: dict[str, None] = {}
            for key, _ in pairs:
                if key in seen:
                    twice[key] = None
                seen.add(key)
            self.repeated[id(value)] = (value, list(twice))
        return value

    def problems_in(self, value: object) -> list[Problem]:
        """Every marked number, repeated key and unstorable text, in document order."""
        problems: list[Problem] = []
        stack: list[tuple[object, _Where]] = [(value, None)]
        while stack:
            node, where = stack.pop()
            if isinstance(node, dict):
                for key in self.repeated.get(id(node), (None, []))[1]:
                    problems.append(
                        Problem(
                            code="duplicate_key",
                            path=_path((where, key)),
                            message=f"字段“{key}”在同一对象中重复出现;每个字段只能写一次",
                        )
                    )
                for key in node:
                    if _UNSTORABLE.search(key):
                        problems.append(_unstorable(_path((where, repr(key))), "字段名"))
                stack.extend(reversed([(child, (where, key)) for key, child in node.items()]))
            elif isinstance(node, list):
                stack.extend(reversed([(child, (where, i)) for i, child in enumerate(node)]))
            elif isinstance(node, _Refused):
                problems.append(
                    Problem(
                        code="number", path=_path(where), message=f"数值{node.text}{node.reason}"
                    )
                )
            elif isinstance(node, str) and _UNSTORABLE.search(node):
                problems.append(_unstorable(_path(where), "文本"))
        return problems


def _path(where: _Where) -> str:
    parts: list[str | int] = []
    while where is not None:
        where, part = where
        parts.append(part)
    return json_path("$", parts[::-1])


def _unstorable(path: str, what: str) -> Problem:
    return Problem(
        code="unstorable_text",
        path=path,
        message=f"{what}含有无法保存的字符(\\u0000或不成对的代理项\\uD800–\\uDFFF)",
    )
