"""Full-width punctuation in Chinese text (GB/T 15834-2011 标点符号用法).

Chinese sentences take full-width ，；：（）？！. An ASCII mark is converted only where it
belongs to Chinese text, so code, URLs, times (10:30), numbers with thousands separators
(1,000) and English prose that quotes a Chinese term ("committees (管委会), which") keep
theirs:
- a mark right after a Chinese character, not followed by a space (English puts one there);
- a mark right before a Chinese character, not after a space;
- parentheses as a pair: "证书(ISO 56005)" → "证书（ISO 56005）", never a full-width opening
  with an ASCII close; a pair holding Chinese text and standing alone ("(七)") converts too,
  unless English text stands outside it.
"""

from __future__ import annotations

import re

# CJK ideographs, CJK symbols (、。《》〔〕), full-width forms (，：（）) and the quotes,
# dashes and ellipsis Chinese text uses.
CJK = "\u2014\u2018\u2019\u201c\u201d\u2026\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
_CJK_CHAR = re.compile(f"[{CJK}]")
_ENGLISH = re.compile(r"[A-Za-z0-9 \t]")
FULL_WIDTH = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "?": "？", "!": "！"}
_PAIR = re.compile(r"\(([^()\n]*)\)")
_MARK = re.compile(r"[,;:?!()]")


def _cjk(char: str) -> bool:
    return bool(char) and _CJK_CHAR.match(char) is not None


def _english(char: str) -> bool:
    return bool(char) and _ENGLISH.match(char) is not None


def _pair_is_chinese(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if _cjk(before) or _cjk(after):
        return True
    inner = text[start + 1 : end - 1]
    # English stands outside when the nearest word on either side is English.
    near_before = text[:start].rstrip(" \t")[-1:]
    near_after = text[end:].lstrip(" \t")[:1]
    english = _english(near_before) or _english(near_after)
    return _CJK_CHAR.search(inner) is not None and not english


def _mark_is_chinese(text: str, index: int) -> bool:
    before = text[index - 1] if index else ""
    rest = text[index + 1 :]
    after = rest[:1]
    if _cjk(before):  # "奖励:" but not "《通知》, published"
        return after != " " or _cjk(rest.lstrip(" ")[:1])
    return _cjk(after) and before not in (" ", "\t")


def _pair_marks(text: str) -> list[int]:
    found: list[int] = []
    for match in _PAIR.finditer(text):
        start, end = match.span()
        if _pair_is_chinese(text, start, end):
            found.extend((start, end - 1))
    return found


def _single_marks(text: str) -> list[int]:
    """Marks outside an ASCII pair (a pair left ASCII stays whole)."""
    paired = {i for m in _PAIR.finditer(text) for i in (m.start(), m.end() - 1)}
    return [
        m.start()
        for m in _MARK.finditer(text)
        if m.start() not in paired and _mark_is_chinese(text, m.start())
    ]


def _convert(text: str, marks: list[int]) -> str:
    chars = list(text)
    for index in marks:
        chars[index] = FULL_WIDTH[chars[index]]
        # "专利: 战略" → "专利：战略": no space after a full-width mark
        gap = index + 1
        while gap < len(chars) and chars[gap] == " " and chars[index] != "）":
            chars[gap] = ""
            gap += 1
    return "".join(chars)


def to_full_width(text: str) -> str:
    """`text` with every ASCII ,;:()?! that belongs to Chinese text made full-width.

    Pairs first, innermost out, so "(国庆节(周日))" keeps its pairs; then single marks,
    repeated until nothing changes (a converted "）" makes the ":" after it Chinese too)."""
    for marks in (_pair_marks, _single_marks):
        while found := marks(text):
            text = _convert(text, found)
    return text


def half_width_marks(text: str) -> list[str]:
    """Each ASCII mark that belongs to Chinese text, with the characters around it, so a
    test or a check can show where it is."""
    found = sorted({*_pair_marks(text), *_single_marks(text)})
    return [text[max(0, i - 8) : i + 9].replace("\n", " ") for i in found]
