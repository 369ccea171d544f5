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

from indexer.numerals import CHINESE_NUMERAL_CHARS, NUMBER, chinese_to_int

# unit as written -> unit class; 个 alone is left out (一个支部, 两个方面 count no quantity),
# and so is 位 (五位一体): 3位理事 is read as a head count below
_UNITS = {"人": "人", "名": "人", "个月": "月", "月": "月", "日": "日", "天": "日",
          "个工作日": "工作日", "工作日": "工作日", "周岁": "岁", "岁": "岁", "年": "年",
          "万元": "万元", "元": "元", "项": "项", "次": "次", "学时": "学时", "小时": "小时"}
_UNIT_RE = "|".join(sorted(_UNITS, key=len, reverse=True))
# a unit character that begins another word (两个项目, 一元化, 名额, 次要) is no unit
_NOT_A_UNIT = r"(?!目|化|额|称|义|单|序|要|级)"
# the whole number, not its tail (二十 of 第二十次, 5 of 1.5万元); no ordinal (第三年); no date
# (2016年3月1日, 二〇一六年三月, 5月31日), while 每年一次 and 每月1次 are quantities
_START = r"(?<![第\d.．{cn}])(?<!\d年)(?<![{cn}]年)(?<!\d月)(?<![{cn}]月)".format(cn=CHINESE_NUMERAL_CHARS)
_NOT_A_DATE = r"(?!\s*(?:\d|[{cn}])+\s*[日号])".format(cn=CHINESE_NUMERAL_CHARS)
_QUANTITY_RE = re.compile(rf"{_START}({NUMBER})\s*个?({_UNIT_RE}){_NOT_A_UNIT}{_NOT_A_DATE}")
# halves have no numeral to read; 上半年 is a part of the year, not six months
_HALVES = {"一年半": "#18月", "半年": "#6月", "半个月": "#15日"}
_HALF_RE = re.compile(r"(?<![上下])(?:" + "|".join(_HALVES) + ")")
# a head count with 个, 位 or none (两个党员, 俩党员, 3位理事) is a count of people, like 3人
PERSONS = "党员|会员|理事|委员|成员|员工|职工"  # who a head count counts (also app/counts.py)
_PEOPLE_RE = re.compile(rf"{_START}({NUMBER})\s*[个位]?(?=(?:正式|预备)?(?:{PERSONS}))")
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


_THRESHOLD_BEFORE = re.compile(r"(?:不足|不到|未满|少于|低于|至少|超过|多于|最多|至多)$")
_THRESHOLD_AFTER = re.compile(r"^[^，,。；;？?]{0,3}?(?:以上|以下|以内)")


def stated_head_counts(text: str) -> set[str]:
    """The head counts `text` states as a case (「我们就2个正式党员」), not as a threshold
    (「3人以上的单位」): as a search key a case finds rules that merely mention the number
    (两名正式党员作入党介绍人); the answer step weighs it against the rules' thresholds.

    >>> sorted(stated_head_counts("我们就2个正式党员")), sorted(stated_head_counts("正式党员3人以上的单位"))
    (['#2人'], [])
    """
    return {token for start, token, written in _quantities(text)
            if token.endswith("人") and not _THRESHOLD_BEFORE.search(text[max(0, start - 3):start])
            and not _THRESHOLD_AFTER.search(text[start + len(written):])}


# a number told roughly (八十多岁, 十来个人, 20余年) describes the asker's case: the rules state
# exact thresholds, so its pieces (八十, 十多, 多岁) find nothing and only lower the share of
# the question an article covers
# (not 一来…二来: a rough number has its unit, or 出头)
_APPROXIMATE_RE = re.compile(rf"(?<![第{CHINESE_NUMERAL_CHARS}\d])(?:{NUMBER})(?:出头|[多来余几]"
                             rf"(?:[个名位](?:{_UNIT_RE}|家)?|{_UNIT_RE}|家))")


def approximate_quantities(text: str) -> tuple[list[str], str]:
    """The numbers `text` tells roughly, with their units, and `text` without them.

    >>> approximate_quantities("有个八十多岁的老党员，全职就十来个人，三十出头")
    (['八十多岁', '十来个人', '三十出头'], '有个，的老党员，全职就，，，')
    >>> approximate_quantities("满18岁")[0], approximate_quantities("一来没有经费")[0]
    ([], [])
    """
    return [m.group() for m in _APPROXIMATE_RE.finditer(text)], _APPROXIMATE_RE.sub("，", text)


# 「一个月开几次」 asks how often: the rules write a frequency as 每月/每年…N次, and read as a
# duration 「一个月」 finds time limits (「一个月内派人谈话」) instead
# (not 第一年, 一周年, 一年级, 一年半, 预备期一年期满, 交了一个月了; 半年 and 季度 may stand alone)
_FREQUENCY_RE = re.compile(r"(?<![第\d零一二两三四五六七八九十])(?:[一每]个?|(?=半年|季度))"
                           r"(半年|季度|月|年|周|星期)(?!(?<=周)年|(?<=年)级|半|期|内|了)"
                           r"(?=[^，,。；;？?]{0,8}?(?:几|多少)[次回])")
_PERIODS = {"半年": "每半年", "季度": "每季度", "月": "每月", "年": "每年", "周": "每周", "星期": "每周"}


def spoken_frequencies(text: str) -> list[tuple[str, str]]:
    """Each period a question asks a count of times for, as written and as the rules write
    it: 「支委会一个月开几次」 -> [("一个月", "每月")].

    >>> spoken_frequencies("理事会一年最少开几次"), spoken_frequencies("一个月内要谈话吗")
    ([('一年', '每年')], [])
    >>> spoken_frequencies("党小组半年开几回"), spoken_frequencies("第一年要参加几次培训")
    ([('半年', '每半年')], [])
    """
    return [(m.group(0), _PERIODS[m.group(1)]) for m in _FREQUENCY_RE.finditer(text)]


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
