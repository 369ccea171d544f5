"""Quantities as canonical tokens, so that 「6个月」, 「六个月」 and 「半年」 match one another.

Statutes write numbers in Chinese (正式党员三人以上, 年满十八岁), some regulations and most
staff in digits (3个党员, 18岁), and jieba cuts the two differently (六个月 is one word, 6个月 is
6 + 月), so neither BM25 nor a substring test connects them. Each quantity becomes one token of
its value and unit class: 三名 / 3人 / 3位 → ``#3人``; 六个月 / 6个月 / 半年 → ``#6月``;
30日 / 三十天 → ``#30日``.

    >>> quantity_tokens("党员连续六个月不交纳党费"), quantity_tokens("半年没交党费")
    (['#6月'], ['#6月'])
    >>> quantity_tokens("正式党员3人以上的单位，年满十八岁")
    ['#3人', '#18岁']
"""

from __future__ import annotations

import re
from functools import lru_cache

from indexer.numerals import NUMBER, chinese_to_int

# unit as written -> unit class; 个 alone is left out (一个支部, 两个方面 count no quantity)
_UNITS = {"人": "人", "名": "人", "位": "人", "个月": "月", "月": "月", "日": "日", "天": "日",
          "个工作日": "工作日", "工作日": "工作日", "周岁": "岁", "岁": "岁", "年": "年",
          "万元": "万元", "元": "元", "项": "项", "次": "次", "学时": "学时", "小时": "小时"}
_UNIT_RE = "|".join(sorted(_UNITS, key=len, reverse=True))
# not an ordinal (第三年) or a date (2016年3月1日): no 第, 年, 月 or digit just before
_QUANTITY_RE = re.compile(rf"(?<![第年月\d])({NUMBER})个?({_UNIT_RE})")
# halves have no numeral to read
_HALVES = {"一年半": "#18月", "半年": "#6月", "半个月": "#15日"}
_HALF_RE = re.compile("|".join(_HALVES))
# a head count with 个 or none (两个党员, 俩党员, 3个正式党员) is a count of people, like 3人
_PEOPLE_RE = re.compile(
    rf"(?<![第年月\d])({NUMBER})个?(?=(?:正式|预备)?(?:党员|会员|理事|委员|成员|员工|职工))")
_FIRST_YEAR = 1000  # 2016年 is a date, not a duration
_NUMERAL_RE = re.compile(rf"{NUMBER}|半")


@lru_cache(maxsize=8192)
def _quantities(text: str) -> tuple[tuple[int, str, str], ...]:
    """(position, canonical token, quantity as written) of each quantity in `text`."""
    halves = [m.span() for m in _HALF_RE.finditer(text)]
    found = [(start, _HALVES[text[start:end]], text[start:end]) for start, end in halves]
    for m in _QUANTITY_RE.finditer(text):
        if any(start <= m.start() < end for start, end in halves):
            continue  # 一年半 is #18月, not also #1年
        value, unit = chinese_to_int(m.group(1)), _UNITS[m.group(2)]
        if value and not (unit == "年" and value >= _FIRST_YEAR):
            found.append((m.start(), f"#{value}{unit}", m.group()))
    for m in _PEOPLE_RE.finditer(text):
        value = chinese_to_int(m.group(1))
        if value:
            found.append((m.start(), f"#{value}人", m.group()))
    return tuple(sorted(found))


def is_head_count(token: str) -> bool:
    """A count of people (``#2人``): in a question it mostly describes the asker's case
    (「就2个正式党员」), which the answer step weighs against the rules' thresholds."""
    return token.startswith("#") and token.endswith("人")


def quantity_tokens(text: str) -> list[str]:
    """One canonical token per quantity in `text`, in order of appearance."""
    return [token for _, token, _ in _quantities(text)]


def written_quantity(token: str, text: str) -> bool:
    """Is `token` (a jieba token of `text`) a number inside one of its quantities (十八, 十八岁,
    六个 of 六个月, 一次)? Its quantity token stands for it when matching; a number outside
    any quantity (the 2022 of 2022年) does not count.

    >>> written_quantity("十八", "年满十八岁"), written_quantity("2022", "2022年以来")
    (True, False)
    """
    return bool(_NUMERAL_RE.search(token)) and any(
        token in written for _, _, written in _quantities(text))


def matchable(text: str) -> str:
    """`text` followed by its quantity tokens, for substring tests of tokens against it.

    >>> "#6月" in matchable("连续六个月不交纳党费")
    True
    """
    return " ".join([text, *quantity_tokens(text)])
