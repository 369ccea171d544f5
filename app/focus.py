"""What a question asks about, and whether the corpus ever names it.

A near-domain question (「党员组织关系介绍信的有效期是多少天」) shares most of its words with
some rule, so the dense and lexical evidence for that rule looks good. What gives it away is
the thing asked about: the noun next to the question word (有效期) appears nowhere in the
corpus. The answer step then asks for stronger evidence before answering.

    >>> focus = AskedFocus.from_texts(["党员组织关系介绍信由党组织开具。"])
    >>> focus.unnamed("党员组织关系介绍信的有效期是多少天")
    ['有效期']
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

import jieba
import jieba.posseg  # noqa: F401  0.2 s to import: paid when loading, not by the first question

from indexer.tokenize import pos_tokens, rule_words

# 几 asks only when it is no part of 好几/这几/十几/几十 (「好几家」 counts nothing)
_QUESTION_WORD_RE = re.compile(r"多少|(?<![好这那十])几(?!十)|什么|啥|哪|谁|怎么|怎样|如何|咋|吗"
                               r"|要不要|能不能|可不可以|是否|有没有|算不算")
_CLAUSE_RE = re.compile(r"[，,。？?！!；;、：:\s“”\"《》〈〉（）()【】]+")
_A_FEW_RE = re.compile(r"[有和与及跟]几")
_PART_RE = re.compile(r"[^，,。？?！!；;\s]+[，,。？?！!；;\s]*")
# an everyday word (时候, 规定, 样子) names no particular thing a rule could lack;
# jieba's dictionary counts word frequency in general Chinese text
EVERYDAY_FREQ = 2000
# 社团 for 社会团体, 支委会 for 支部委员会: a spoken short form keeps its characters in order
_MAX_GAP = 2


def asked_nouns(question: str) -> list[str]:
    """The nouns right before and right after the question word of each clause.

    >>> asked_nouns("党旗的标准尺寸有哪几种规格")
    ['尺寸', '规格']
    """
    found: list[str] = []
    for clause in _CLAUSE_RE.split(question):
        asked = _QUESTION_WORD_RE.search(clause)
        if not asked:
            continue
        nouns = [(word, start) for word, flag, start in pos_tokens(clause)
                 if flag.startswith("n") and len(word) > 1]
        before = [w for w, start in nouns if start + len(w) <= asked.start()]
        after = [w for w, start in nouns if start >= asked.end()]
        found += before[-1:] + after[:1]
    return list(dict.fromkeys(found))


def asking_text(question: str) -> str:
    """The question without the clauses where 几 only means "a few": a clause whose one
    question word is a 几 after 有 or 和 (有几位老党员, 和几个业务骨干), not ending in a question
    mark, before a clause that asks.

    >>> asking_text("我们支部有几位老党员行动不便，学习教育能不能不作要求")
    '学习教育能不能不作要求'
    """
    parts = _PART_RE.findall(question)
    return "".join(part for i, part in enumerate(parts) if not (
        _A_FEW_RE.search(part) and not part.rstrip().endswith(("？", "?"))
        and not _QUESTION_WORD_RE.search(part.replace("几", ""))
        and any(_QUESTION_WORD_RE.search(later) for later in parts[i + 1:])))


class AskedFocus:
    """The corpus's wording, to tell whether it names what a question asks about."""

    def __init__(self, text: str):
        # one clause per line: a short form is matched within a clause, never across
        self._text = _CLAUSE_RE.sub("\n", text)
        self.named = lru_cache(maxsize=4096)(self._named)

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> "AskedFocus":
        return cls("\n".join(texts))

    def _named(self, term: str) -> bool:
        gap = f"[^\n]{{0,{_MAX_GAP}}}"
        return re.search(gap.join(map(re.escape, term)), self._text) is not None

    def unnamed(self, question: str) -> list[str]:
        """The asked nouns that are no everyday word and that the corpus never names, itself
        or by the rules' word for it (分会: 分支机构, rule_terms.txt)."""
        jieba.dt.check_initialized()
        return [noun for noun in asked_nouns(question)
                if jieba.dt.FREQ.get(noun, 0) < EVERYDAY_FREQ and not self.named(noun)
                and not any(self.named(word) for word in rule_words(noun))]
