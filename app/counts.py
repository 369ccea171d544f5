"""Head counts: does the situation a question describes (「只有两个党员」) meet the numeric
condition of a rule (「正式党员不足3人的单位」, 「有正式党员三人以上的」)?

Staff describe their case with a number and ask what applies; the rule that applies is the one
whose threshold their number meets, which neither vectors nor BM25 can tell.

    >>> count, = stated_counts("我们协会只有两个党员，能不能建支部？")
    >>> count
    Count(number=2, of='党员')
    >>> count_conditions("正式党员不足3人的单位，应当成立联合党支部。")
    [('<', 3)]
    >>> count.fits("正式党员不足3人的单位，应当成立联合党支部。")
    True
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from typing import Callable

from indexer.numerals import NUMBER, chinese_to_int
from indexer.quantities import PERSONS

_NUM = rf"({NUMBER})"
_PEOPLE = rf"(?:正式|预备)?(人|{PERSONS})"
# a count of people in a question: 两个党员, 5名正式党员, 三个人; 「一个党员都没有」 is none
_STATED_RE = re.compile(rf"{_NUM}\s*(?:个|名|位)?{_PEOPLE}(都没有|也没有)?")
# thresholds: the unit (人/名/个, not 个月) keeps durations (5年以上, 六个月) and sums out;
# 不少于/不得超过 are the opposite of 少于/超过
_UNIT = r"\s*(?:个|名|位)?(?:人|名|个(?!月))"
_THRESHOLDS: tuple[tuple[str, str], ...] = (
    (rf"(?:不足|不到|未满|(?<!不)(?<!不得)(?:少于|低于)){_NUM}{_UNIT}", "<"),
    (rf"(?:不少于|不得少于|不低于|至少){_NUM}{_UNIT}", ">="),
    (rf"{_NUM}{_UNIT}(?:以上|及以上)", ">="),
    (rf"{_NUM}{_UNIT}以下", "<="),
    (rf"(?:不超过|不得超过|不多于|至多|最多){_NUM}{_UNIT}", "<="),
    (rf"(?<!不)(?<!不得)(?:超过|多于){_NUM}{_UNIT}", ">"),
)
# in a rule, only a threshold that says to whom it applies counts: 「不足3人的单位」,
# 「三名以上正式党员的社会组织」; the 的 that closes the condition keeps caps out
# (「党支部党员人数一般不超过50人」 applies to every branch)
_APPLIES = r"(?=[^，,。；;]{0,5}的)"
_CONDITION_RES = tuple((re.compile(p + _APPLIES), op) for p, op in _THRESHOLDS)
# in a question, a threshold is something asked about, not the asker's own count
_QUOTED_THRESHOLD_RE = re.compile("|".join(p for p, _ in _THRESHOLDS))
# how far the counted people may stand from the threshold (characters before, after)
_BESIDE = (4, 6)
_CLAUSE_BREAK_RE = re.compile(r"[，,。；;：:]")
_OPS: dict[str, Callable[[int, int], bool]] = {
    "<": operator.lt, ">=": operator.ge, "<=": operator.le, ">": operator.gt}


def _number(text: str) -> int | None:
    try:
        return chinese_to_int(text)
    except ValueError:
        return None


@dataclass(frozen=True)
class Count:
    """A number of people the question states: 两个党员 -> Count(2, "党员")."""

    number: int
    of: str

    def fits(self, sentence: str) -> bool | None:
        """Whether the count meets the sentence's thresholds for these people; None when it
        sets none for them."""
        return fits(self.number, count_conditions(sentence, self.of))


def stated_counts(question: str) -> list[Count]:
    """Numbers of people the question states (「不足3人的单位怎么建支部」 states none).

    >>> stated_counts("正式党员不足3人的单位怎么建支部")
    []
    """
    quoted = [m.span() for m in _QUOTED_THRESHOLD_RE.finditer(question)]
    return [Count(0 if m.group(3) else n, m.group(2)) for m in _STATED_RE.finditer(question)
            if (n := _number(m.group(1))) is not None
            and not any(start <= m.start() < end for start, end in quoted)]


def count_conditions(sentence: str, of: str = "人") -> list[tuple[str, int]]:
    """Head-count thresholds in a rule, as (operator, number); for people other than 人 only
    those counting them, named right before or after the threshold: 「正式党员不足3人的单位」
    counts 党员, 「党员大会讨论两个以上的发展对象」 does not.

    >>> count_conditions("党支部党员大会讨论两个以上的发展对象入党时", "党员")
    []
    """
    out = []
    for pattern, op in _CONDITION_RES:
        for m in pattern.finditer(sentence):
            n = _number(m.group(1))
            if n is not None and (of == "人" or of in _beside(sentence, m.start(), m.end())):
                out.append((op, n))
    return out


def _beside(sentence: str, start: int, end: int) -> str:
    """The words right before and after a threshold, within its clause."""
    before = _CLAUSE_BREAK_RE.split(sentence[max(0, start - _BESIDE[0]):start])[-1]
    after = _CLAUSE_BREAK_RE.split(sentence[end:end + _BESIDE[1]])[0]
    return f"{before}|{after}"


def fits(count: int, conditions: list[tuple[str, int]]) -> bool | None:
    """True when the count meets every threshold, False when it fails one, None without any."""
    if not conditions:
        return None
    return all(_OPS[op](count, n) for op, n in conditions)
