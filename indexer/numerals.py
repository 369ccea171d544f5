"""Chinese numerals as printed in statutes (第一百二十五条, 第十七条之一) to integers."""

from __future__ import annotations

# 俩 and 仨 are how staff say 两个 and 三个 (「就俩党员」)
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "仨": 3, "四": 4,
           "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}

CHINESE_NUMERAL_CHARS = "".join(_DIGITS) + "".join(_UNITS)
NUMBER = rf"\d+|[{CHINESE_NUMERAL_CHARS}]+"  # a number as questions and statutes write it: 3, 三


def chinese_to_int(text: str) -> int:
    """Convert a Chinese numeral (below 10000) or an Arabic one to an int; digits without
    units are read one by one, as years are written (二〇三五).

    >>> chinese_to_int("一百二十五"), chinese_to_int("十七"), chinese_to_int("18"), chinese_to_int("二〇三五")
    (125, 17, 18, 2035)
    """
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _DIGITS and ch not in _UNITS for ch in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    if len(text) > 1 and not any(ch in _UNITS for ch in text):
        return int("".join(str(_DIGITS[ch]) for ch in text))
    total, digit = 0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        else:
            # a bare unit (十七) means one of it
            total += (1 if digit is None else digit) * _UNITS[ch]
            digit = None
    return total + (digit or 0)


def article_id(number: str, sub: str | None = None) -> str:
    """Arabic article id: 第十七条之一 -> "17-1", 第四条 -> "4"."""
    main = str(chinese_to_int(number))
    return f"{main}-{chinese_to_int(sub)}" if sub else main


def int_to_chinese(n: int) -> str:
    """Inverse of chinese_to_int for 1..9999, in statute style (十七, 一百零九).

    >>> int_to_chinese(17), int_to_chinese(109), int_to_chinese(120)
    ('十七', '一百零九', '一百二十')
    """
    if not 0 < n < 10000:
        raise ValueError(n)
    digits = "零一二三四五六七八九"
    parts: list[str] = []
    for unit_value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // unit_value % 10
        if d:
            parts.append(digits[d] + unit)
        elif parts and parts[-1] != "零" and n % unit_value:
            # a skipped unit inside the number is read as 零 (一百零九)
            parts.append("零")
    text = "".join(parts)
    # 十七, not 一十七, when the number starts at the tens
    return text[1:] if n < 20 and text.startswith("一十") else text
