"""The reader's limits: whatever a file holds, the answer is problems with paths, never a crash."""

from __future__ import annotations

import codecs
import datetime as dt
import json
import time
from pathlib import Path

import pytest

from ipaward.config import ConfigError, Policy, load_policy
from ipaward.exchange.problems import MAX_PROBLEMS, InvalidApplications
from ipaward.exchange.reader import DEFAULT_LIMITS, InputLimits, read_json
from ipaward.exchange.validate import validate_file
from ipaward.settings import PROJECT_ROOT
from ipaward.workflow.context import load_procedure

EXAMPLES = PROJECT_ROOT / "ipaward" / "examples"
M07 = EXAMPLES / "m07_university_transfers.json"
AS_OF = dt.date(2025, 6, 30)


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy(PROJECT_ROOT / "config")


def refused(path: Path, limits: InputLimits = DEFAULT_LIMITS) -> list[tuple[str, str, str]]:
    with pytest.raises(InvalidApplications) as caught:
        read_json(path, limits)
    return [(p.code, p.path, p.message) for p in caught.value.problems]


def written(tmp_path: Path, content: str | bytes) -> Path:
    path = tmp_path / "application.json"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


@pytest.mark.parametrize(("open_", "close"), [("[", "]"), ('{"a":', "}")])
def test_a_hundred_thousand_brackets_are_one_clear_problem(
    tmp_path: Path, open_: str, close: str
) -> None:
    path = written(tmp_path, open_ * 100_000 + close * 100_000)
    [(code, where, message)] = refused(path)
    assert (code, where) == ("too_deep", "$")
    assert "嵌套超过64层" in message and "100000" in message


def test_nesting_up_to_the_limit_is_read_and_one_more_is_refused(tmp_path: Path) -> None:
    assert read_json(written(tmp_path, "[" * 64 + "]" * 64)) is not None
    assert refused(written(tmp_path, "[" * 65 + "]" * 65))[0][0] == "too_deep"


def test_brackets_inside_strings_do_not_count(tmp_path: Path) -> None:
    text = json.dumps({"note": "[" * 1000 + '\\"{' * 500})
    assert read_json(written(tmp_path, text)) == json.loads(text)


def test_an_unterminated_string_full_of_escaped_quotes_is_refused_quickly(tmp_path: Path) -> None:
    path = written(tmp_path, '["' + '\\"' * 1_000_000)
    started = time.perf_counter()
    [(code, _, message)] = refused(path)
    assert time.perf_counter() - started < 5
    assert code == "json" and "字符串缺少结束的双引号" in message


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as stream:
        stream.truncate(10 * 1024**3)  # 10 GiB, sparse: reading it would take minutes
    started = time.perf_counter()
    [(code, where, message)] = refused(path)
    assert time.perf_counter() - started < 1
    assert (code, where) == ("file_too_large", "$")
    assert "5,242,880字节" in message and "拆分" in message


def test_the_size_limit_counts_bytes_and_holds_for_a_stream_without_a_size(tmp_path: Path) -> None:
    limits = InputLimits(max_bytes=1024)
    text = json.dumps({"note": "x" * 1012})
    assert len(text) == 1024 and read_json(written(tmp_path, text), limits)
    assert refused(written(tmp_path, text + " "), limits)[0][0] == "file_too_large"
    assert refused(Path("/dev/zero"), limits)[0][0] == "file_too_large"  # endless: bounded read


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path, policy: Policy) -> None:
    path = written(tmp_path, codecs.BOM_UTF8 + M07.read_bytes())
    [application] = validate_file(path, policy, as_of=AS_OF)
    assert application.measure == "M07"


def test_utf16_and_invalid_utf8_are_named(tmp_path: Path) -> None:
    utf16 = written(tmp_path, M07.read_text(encoding="utf-8").encode("utf-16"))
    assert refused(utf16) == [("encoding", "$", "文件为UTF-16编码;交换格式文件须为UTF-8编码")]
    [(code, _, message)] = refused(written(tmp_path, b'{\n  "name": "\xe6\xbc\xff"}'))
    assert code == "encoding"
    assert message.startswith("第2行第12个字节(0xE6)起不是有效的UTF-8编码")  # its sequence


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ('{"measure": "M07", "measure": "M09"}', "$.measure"),
        ('{"applicant": {"uscc": "1", "name": "a", "uscc": "2"}}', "$.applicant.uscc"),
        ('[{"a": 1}, {"b": 1, "b": 2, "b": 3}]', "$[1].b"),
    ],
)
def test_a_key_written_twice_is_refused_at_its_path(tmp_path: Path, text: str, path: str) -> None:
    [(code, where, message)] = refused(written(tmp_path, text))
    assert (code, where) == ("duplicate_key", path)
    assert "重复出现" in message


@pytest.mark.parametrize(
    ("literal", "reason"),
    [
        ("9" * 5000, "有5000位,超过整数18位的上限"),
        ("-" + "1" * 19, "有19位,超过整数18位的上限"),
        ("1e400", "应为整数"),
        ("2024.0", "应为整数"),
        ("NaN", "不是有效的JSON数值"),
        ("-Infinity", "不是有效的JSON数值"),
    ],
)
def test_numbers_the_format_cannot_hold_are_named_at_their_path(
    tmp_path: Path, literal: str, reason: str
) -> None:
    text = '{"evidence": {"transfers": [{"amount": ' + literal + "}]}}"
    [(code, where, message)] = refused(written(tmp_path, text))
    assert (code, where) == ("number", "$.evidence.transfers[0].amount")
    assert reason in message


def test_eighteen_digits_pass_the_reader_for_the_model_to_bound(
    tmp_path: Path, policy: Policy
) -> None:
    data = json.loads(M07.read_text(encoding="utf-8"))
    data["year"] = 10**17
    path = written(tmp_path, json.dumps(data))
    with pytest.raises(InvalidApplications) as caught:
        validate_file(path, policy, as_of=AS_OF)
    assert [(p.path, p.message) for p in caught.value.problems] == [("$.year", "不得大于2100")]


def test_text_no_database_can_store_is_refused(tmp_path: Path) -> None:
    text = r'{"a": "x\u0000y", "b": ["\ud800"], "c": "\ud83d\ude00"}'
    problems = refused(written(tmp_path, text))
    assert [(code, where) for code, where, _ in problems] == [
        ("unstorable_text", "$.a"),
        ("unstorable_text", "$.b[0]"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "文件为空"),
        ('{"measure": "M07",}', "不是有效的JSON:第1行第19列,此处应为用双引号括起的字段名"),
        ('{"measure" "M07"}', "第1行第12列,此处应为冒号(:)"),
        ('{"a": 1}\n{"b": 2}', "第2行第1列,一个完整的JSON值之后还有多余内容"),
        ('{"a": tru}', "第1行第7列,此处应为一个值"),
    ],
)
def test_syntax_errors_are_told_in_chinese_with_line_and_column(
    tmp_path: Path, text: str, message: str
) -> None:
    [(code, _, said)] = refused(written(tmp_path, text))
    assert code == "json" and message in said


def test_an_unreadable_path_is_named(tmp_path: Path) -> None:
    assert refused(tmp_path / "missing.json")[0][2].endswith("missing.json:文件不存在")
    assert refused(tmp_path)[0][2].endswith(":这是一个文件夹,不是文件")


def test_a_file_of_many_bad_applications_lists_a_bounded_number_of_problems(
    tmp_path: Path, policy: Policy
) -> None:
    path = written(tmp_path, json.dumps([{}] * 5000))
    with pytest.raises(InvalidApplications) as caught:
        validate_file(path, policy, as_of=AS_OF)
    problems = caught.value.problems
    assert MAX_PROBLEMS < len(problems) <= MAX_PROBLEMS + 1
    assert problems[-1].code == "too_many_problems" and "未列出" in problems[-1].message


def test_the_limits_are_settings_of_the_procedure(tmp_path: Path) -> None:
    assert load_procedure(PROJECT_ROOT / "config").input_limits == InputLimits(
        max_bytes=5 * 1024 * 1024, max_depth=64, max_integer_digits=18
    )
    text = (PROJECT_ROOT / "config" / "workflow.toml").read_text(encoding="utf-8")
    (tmp_path / "workflow.toml").write_text(
        text.replace("max_json_depth = 64", "max_json_depth = 12"), encoding="utf-8"
    )
    assert load_procedure(tmp_path).input_limits.max_depth == 12


@pytest.mark.parametrize(
    "line",
    [
        "max_application_file_bytes = 10",
        "max_application_file_bytes = 1073741824",
        "max_json_depth = 5000",
        "max_json_integer_digits = 40",
        "max_json_integer_digits = 9",
    ],
)
def test_a_limit_that_makes_no_sense_is_a_config_error(tmp_path: Path, line: str) -> None:
    key = line.split(" =")[0]
    text = (PROJECT_ROOT / "config" / "workflow.toml").read_text(encoding="utf-8")
    kept = "\n".join(row for row in text.splitlines() if not row.startswith(key + " "))
    (tmp_path / "workflow.toml").write_text(kept + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_procedure(tmp_path)
    assert error.value.key == f".{key}"
