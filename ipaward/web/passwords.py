"""The rule every new or changed password meets, and one-time passwords for resets.

Length does most of the work (NIST SP 800-63B: length, not composition rules); what remains
is refusing what guessers try first: a list of common passwords (data/common-passwords.txt,
source and licence in its header), one padded with digits or symbols (password2024!), runs
along the alphabet, the digits or the keyboard (abcdef123456, 1qaz2wsx3edc), one short
piece repeated, too few different characters, and the username. Every reason is Chinese.
"""

from __future__ import annotations

import secrets
from functools import cache
from pathlib import Path

MIN_LENGTH = 12
MAX_LENGTH = 128  # argon2 takes any length; a bound keeps a typed novel out of the hasher
MIN_DISTINCT = 5
TRIVIAL_AFFIX = 6  # digits/symbols at most this long around a common word add nothing
COMMON_FILE = Path(__file__).resolve().parent / "data" / "common-passwords.txt"
# What guessers walk along: the alphabet, digits, keyboard rows and columns, shifted digits.
_ROWS = (
    "abcdefghijklmnopqrstuvwxyz",
    "01234567890",
    "qwertyuiop[]",
    "asdfghjkl;'",
    "zxcvbnm,./",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik,9ol.0p;/",
    "qazwsxedcrfvtgbyhnujmikolp",
    "!@#$%^&*()_+",
)
SEQUENCES = tuple(s for row in _ROWS for s in (row + row, (row + row)[::-1]))
_LEET = str.maketrans(
    {"@": "a", "4": "a", "0": "o", "1": "i", "3": "e", "$": "s", "5": "s", "7": "t"}
)
# One-time passwords: no 0/o, 1/l/i look-alikes; 16 of 31 characters ≈ 79 bits.
_TEMPORARY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().casefold() for line in lines if line and not line.startswith("#"))


def password_problems(password: str, *, username: str) -> list[str]:
    """Why `password` may not be used (Chinese, one line per reason); [] when it may."""
    if len(password) < MIN_LENGTH:
        return [f"密码至少{MIN_LENGTH}个字符(现为{len(password)}个)"]
    if len(password) > MAX_LENGTH:
        return [f"密码最多{MAX_LENGTH}个字符"]
    folded = password.casefold()
    name = username.strip().casefold()
    problems: list[str] = []
    if folded in common_passwords():
        problems.append("这是常见密码,容易被猜中")
    elif _padded_common(folded):
        problems.append("密码不能是常见密码前后加数字或符号(如 password2024!)")
    if len(name) >= 3 and (name in folded or name[::-1] in folded):
        problems.append("密码不能包含用户名")
    if _repeats(folded):
        problems.append("密码不能是同一片段的重复(如 abcabcabcabc)")
    elif len(set(folded)) < MIN_DISTINCT:
        problems.append(f"密码至少要有{MIN_DISTINCT}个不同的字符")
    elif _runs(folded) <= len(folded) // 4:
        problems.append("密码不能由连续或键盘上相邻的字符组成(如 abcdef123456、1qaz2wsx3edc)")
    return problems


def _padded_common(folded: str) -> bool:
    """A common word (also in leetspeak) with a few digits or symbols before or after it."""
    start, end = 0, len(folded)
    while start < end and not folded[start].isalpha():
        start += 1
    while end > start and not folded[end - 1].isalpha():
        end -= 1
    core, affix = folded[start:end], folded[:start] + folded[end:]
    if not core or not affix:
        return False
    common = common_passwords()
    if len(affix) > TRIVIAL_AFFIX and _runs(affix) > 2 and affix not in common:
        return False
    return core in common or core.translate(_LEET) in common


def _repeats(folded: str) -> bool:
    """The whole password is one piece (at most half its length) said again and again."""
    size = len(folded)
    return any(
        size % unit == 0 and folded == folded[:unit] * (size // unit)
        for unit in range(1, size // 2 + 1)
    )


def _runs(text: str) -> int:
    """How many pieces `text` splits into, each a run along SEQUENCES or one repeated character.

    Greedy, longest first: abcdef123456 is 2 runs, a random string about one per character.
    """
    count, start = 0, 0
    while start < len(text):
        end = start + 1
        while end < len(text) and _is_run(text[start : end + 1]):
            end += 1
        count += 1
        start = end
    return count


def _is_run(piece: str) -> bool:
    return piece == piece[0] * len(piece) or any(piece in sequence for sequence in SEQUENCES)


def temporary_password() -> str:
    """A one-time password to read out or type: four groups of four, e.g. k7qm-x3vp-9tdr-hw2c."""
    while True:
        groups = ("".join(secrets.choice(_TEMPORARY_ALPHABET) for _ in range(4)) for _ in range(4))
        candidate = "-".join(groups)
        if not password_problems(candidate, username=""):
            return candidate
