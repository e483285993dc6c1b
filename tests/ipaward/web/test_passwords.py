"""The password rule: length, the shipped list of common passwords, padded common words,
repetition, runs along the alphabet, digits or keyboard, the username; reasons in Chinese."""

from __future__ import annotations

import re

import pytest

from ipaward.web.passwords import (
    COMMON_FILE,
    MAX_LENGTH,
    MIN_LENGTH,
    common_passwords,
    password_problems,
    temporary_password,
)


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("aaaaaaaa", "密码至少12个字符(现为8个)"),
        ("x" * (MAX_LENGTH + 1), f"密码最多{MAX_LENGTH}个字符"),
        ("1qaz2wsx3edc", "这是常见密码"),
        ("QWERTY123456", "这是常见密码"),
        ("password2024!", "常见密码前后加数字或符号"),
        ("P@ssw0rd2024", "常见密码前后加数字或符号"),
        ("!!iloveyou123", "常见密码前后加数字或符号"),
        ("zhangzhou2024!", "常见密码前后加数字或符号"),
        ("dragon5201314", "常见密码前后加数字或符号"),
        ("aaaaaaaaaaaa", "同一片段的重复"),
        ("abcabcabcabc", "同一片段的重复"),
        ("2024202420242024", "同一片段的重复"),
        ("aabbaabbabab", "至少要有5个不同的字符"),
        ("abcdefghijkl", "连续或键盘上相邻"),
        ("abcdef123456", "连续或键盘上相邻"),
        ("987654321098", "连续或键盘上相邻"),
        ("qwertyuiopasdf", "连续或键盘上相邻"),
        ("zhang.san-2025-秋", "不能包含用户名"),
        ("2025-nas.gnahz-秋", "不能包含用户名"),
    ],
)
def test_a_password_is_refused_with_a_chinese_reason(password: str, reason: str) -> None:
    problems = password_problems(password, username="zhang.san")
    assert any(reason in problem for problem in problems), problems


@pytest.mark.parametrize(
    "password",
    [
        "Zz-3f9a8b7c6d5e4f",
        "correct horse battery staple",
        "Xk7#pL2!qM9z",
        "dragon58392017",  # a common word and eight digits nobody types by habit
        "漳州知识产权奖补审核系统登录",
        "我家门前有两棵树2025",
        "bench-password-1",
    ],
)
def test_a_long_uncommon_password_passes(password: str) -> None:
    assert password_problems(password, username="zhang.san") == []


def test_the_length_counts_characters_not_bytes() -> None:
    assert len("知识产权保护办公室十二字") == MIN_LENGTH
    assert password_problems("知识产权保护办公室十二字", username="u") == []
    assert password_problems("知识产权保护办公室十一", username="u") != []


def test_the_shipped_list_holds_ten_thousand_common_passwords_and_names_its_source() -> None:
    common = common_passwords()
    assert len(common) >= 10_000
    assert {"123456", "password", "qwerty", "iloveyou", "woaini1314", "5201314"} <= common
    header = [line for line in COMMON_FILE.read_text("utf-8").splitlines() if line.startswith("#")]
    text = "\n".join(header)
    assert "zxcvbn" in text and "MIT" in text and "Permission is hereby granted" in text


def test_a_short_username_is_not_searched_for() -> None:
    assert password_problems("ab-Zz-3f9a8b7c6d5e4f", username="ab") == []


def test_temporary_passwords_are_readable_unique_and_meet_the_rule() -> None:
    seen = {temporary_password() for _ in range(200)}
    assert len(seen) == 200
    for password in seen:
        assert re.fullmatch(r"([a-hj-km-np-z2-9]{4}-){3}[a-hj-km-np-z2-9]{4}", password)
        assert password_problems(password, username="city.amr") == []
