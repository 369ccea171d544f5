"""Homophone typo correction for questions typed with a pinyin input method.

Staff type questions with pinyin IMEs, whose typical slip is a same-sounding character:
「党小阻」 for 党小组, 「换界」 for 换届, 「智度化」 for 制度化. Neither BM25 nor e5 recovers
from that. A run of characters is read as a corpus term when all of these hold:

- the run never occurs in the corpus, and sounds exactly like a term used in several articles;
- it differs from that term in one character, and that character makes no common word with
  its neighbours (「中止」, 「检察」 typed in a question are meant as such);
- it starts and ends on jieba word boundaries (「开始施行」 holds no slip 「始施」);
- a two-character term continues into a neighbouring character the way the corpus writes it.

A word that speech splits with an aspect particle (离合词: 「脱了钩」, 「转了正」, 「入过党」) is
read whole when the corpus uses it, so that BM25 finds 脱钩; on evals/ that reads one question
differently (h5-018, now answered from the article on 脱钩).

On 3,000 statute sentences from outside the corpus (../shared/lawcorpus) it changes one; on
evals/ it reads 12 of the typo questions right and no other question differently.

    >>> corrector = HomophoneCorrector({"党小组": 5, "换届": 9}, "党小组会一般每月召开1次。按期换届。")
    >>> corrector.correct("党小阻会多久开一次")
    ('党小组会多久开一次', [Correction(typed='党小阻', read_as='党小组')])
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Mapping

import jieba
from pypinyin import Style, lazy_pinyin

from app.records import Correction

MIN_TERM_CHARS, MAX_TERM_CHARS = 2, 4
MIN_WORD_FREQ = 10  # jieba dictionary count; 特典 (3) still counts as a slip, 终审 (65) does not
MIN_ARTICLES = 2  # a term used once may itself be the rare word; don't steer towards it
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
_NUMERALS = "一二两三四五六七八九十0123456789"
_SPLIT_WORD = re.compile(r"([\u4e00-\u9fff])[了过着]([\u4e00-\u9fff])")


def _is_word(text: str) -> bool:
    """A word of jieba's general dictionary, used often enough to be typed on purpose."""
    return jieba.dt.FREQ.get(text, 0) >= MIN_WORD_FREQ


def _word_bounds(run: str) -> set[int]:
    """Offsets where jieba's words start or end, and on either side of each 几: jieba joins
    it to what it counts (「第几季渡」: 几季 + 渡), which holds the slip 季渡."""
    bounds, pos = {0}, 0
    for word in jieba.cut(run, HMM=False):
        pos += len(word)
        bounds.add(pos)
    return bounds | {i + d for i, c in enumerate(run) if c == "几" for d in (0, 1)}


@lru_cache(maxsize=20000)
def _sound(char: str) -> str:
    return lazy_pinyin(char, style=Style.NORMAL)[0]


def sound(text: str) -> tuple[str, ...]:
    """Toneless pinyin, one syllable per character (each character's usual reading)."""
    return tuple(_sound(c) for c in text)


class HomophoneCorrector:
    """Maps out-of-corpus character runs to same-sounding corpus terms."""

    def __init__(self, term_articles: Mapping[str, int], corpus_text: str):
        """`term_articles`: corpus term -> number of articles using it; `corpus_text`: all text."""
        self._corpus_text = corpus_text
        self._by_sound: dict[tuple[str, ...], tuple[int, str]] = {}
        for term, articles in term_articles.items():
            if articles >= MIN_ARTICLES and MIN_TERM_CHARS <= len(term) <= MAX_TERM_CHARS \
                    and _HAN_RUN.fullmatch(term):
                key = sound(term)
                # of several same-sounding terms, the most used one
                self._by_sound[key] = max(self._by_sound.get(key, (0, "")), (articles, term))

    def correct(self, question: str) -> tuple[str, list[Correction]]:
        """The question as read, and what was corrected (longest runs first, left to right)."""
        question, corrections = self._join_split_words(question)
        parts, last = [], 0
        for run in _HAN_RUN.finditer(question):
            parts.append(question[last:run.start()])
            parts.append(self._correct_run(run.group(), corrections))
            last = run.end()
        parts.append(question[last:])
        return "".join(parts), corrections

    def _join_split_words(self, question: str) -> tuple[str, list[Correction]]:
        """「脱了钩」 read as 脱钩: a word of the corpus and of jieba's dictionary, split by
        了/过/着 between two one-character tokens (not the 定了时 of 「规定了时间」).

        >>> HomophoneCorrector({}, "确保脱钩不脱管")._join_split_words("协会脱了钩以后")
        ('协会脱钩以后', [Correction(typed='脱了钩', read_as='脱钩')])
        """
        starts, pos = set(), 0
        for token in jieba.cut(question, HMM=False):
            starts.add(pos)
            pos += len(token)
        starts.add(pos)
        corrections: list[Correction] = []
        def join(m: re.Match) -> str:
            word = m.group(1) + m.group(2)
            if {m.start(), m.start() + 1, m.start() + 2, m.end()} <= starts and _is_word(word) \
                    and word in self._corpus_text and m.group() not in self._corpus_text:
                corrections.append(Correction(m.group(), word))
                return word
            return m.group()
        return _SPLIT_WORD.sub(join, question), corrections

    def _correct_run(self, run: str, corrections: list[Correction]) -> str:
        out, i = [], 0
        bounds = _word_bounds(run)
        while i < len(run):
            for size in range(min(MAX_TERM_CHARS, len(run) - i), MIN_TERM_CHARS - 1, -1):
                # a slip sits inside words: a window across a word boundary (「开始施行」's
                # 始施) is two correct words, not a misspelt one
                term = self._term_for(run, i, size) if {i, i + size} <= bounds else None
                if term:
                    corrections.append(Correction(run[i:i + size], term))
                    out.append(term)
                    i += size
                    break
            else:
                out.append(run[i])
                i += 1
        return "".join(out)

    def _term_for(self, run: str, i: int, size: int) -> str | None:
        """The corpus term that `run[i:i+size]` was meant to be, if the evidence says so.

        A slip changes one character; and the corrected term must read on into its
        neighbour the way the corpus writes it (「按期换界」 -> 按期换届 is in the corpus), which
        keeps ordinary words that merely sound like a term (「里有」, 理由) as typed."""
        window = run[i:i + size]
        hit = self._by_sound.get(sound(window))
        if hit is None or window in self._corpus_text:
            return None
        term = hit[1]
        changed = [k for k, (a, b) in enumerate(zip(window, term)) if a != b]
        if len(changed) != 1:
            return None
        # a slip makes a non-word: 「中止」 or 「检察」 typed in a question are meant as such
        k = changed[0]
        if any(_is_word(window[j:j + 2]) for j in (k - 1, k) if 0 <= j < len(window) - 1):
            return None
        # three same-sounding characters are no chance likeness (「党总枝有没有」: 党总支, though
        # the corpus never writes 党总支有); two may be (里有 for 理由)
        if size >= 3:
            return term
        left, right = run[max(i - 1, 0):i], run[i + size:i + size + 1]
        # 几 asks the number the corpus writes there (「第几季渡」: 第四季度)
        lefts = _NUMERALS if left == "几" else (left,)
        if any(ctx != term and ctx in self._corpus_text
               for ctx in (*(l + term for l in lefts), term + right)):
            return term
        return None
