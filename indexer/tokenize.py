"""Chinese tokenization for BM25: jieba (search mode) plus the corpus's own terms.

The user dictionary is built from the corpus itself (quoted terms such as “三会一课”,
“枢纽型”, item titles) plus `userdict.txt` beside this file, so that terms of art are not
cut into pieces that match everywhere.
"""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import jieba

from indexer.quantities import (approximate_quantities, quantity_tokens, spoken_frequencies,
                                 stated_head_counts, written_quantity)

USERDICT = Path(__file__).with_name("userdict.txt")
SPEECH_WORDS = Path(__file__).with_name("speech_words.txt")
RULE_PHRASES = Path(__file__).with_name("rule_phrases.txt")
# an everyday word (时候, 规定, 样子) names no particular thing a rule could lack (app/focus.py);
# jieba's dictionary counts word frequency in general Chinese text. Terms of the corpus are
# added far above it; words of today's speech below it, as things a rule may never mention
EVERYDAY_FREQ = 2000
_TERM_FREQ, _SPEECH_FREQ = 20000, EVERYDAY_FREQ // 2
RULE_TERMS = Path(__file__).with_name("rule_terms.txt")
STOPWORDS = frozenset(Path(__file__).with_name("stopwords.txt").read_text(encoding="utf-8").split())
_ASKED_COUNT_RE = re.compile(r"几(?!乎)[\u4e00-\u9fff]")  # not 几乎 (almost)
_TOKEN_RE = re.compile(r"[\u4e00-\u9fff]|[A-Za-z0-9]+")
_QUOTED_RE = re.compile(r"[“「]([\u4e00-\u9fff0-9+＋]{2,8})[”」]")
_lock = threading.Lock()
_loaded_terms: set[str] = set()

jieba.setLogLevel(logging.WARNING)


def corpus_terms(texts: Iterable[str]) -> set[str]:
    """Quoted terms of art in the corpus (“三会一课”, “枢纽型”), to keep them whole."""
    return {m.group(1) for text in texts for m in _QUOTED_RE.finditer(text)}


def _words(path: Path) -> list[str]:
    return [line.split()[0] for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def dictionary_terms() -> list[str]:
    return _words(USERDICT)


def add_terms(terms: Iterable[str], freq: int = _TERM_FREQ, tag: str | None = None) -> None:
    """Register terms with jieba once per process (jieba's dictionary is global)."""
    with _lock:
        new = sorted(set(terms) - _loaded_terms)
        for term in new:
            jieba.add_word(term, freq=freq, tag=tag)
            _loaded_terms.add(term)
        if new:  # words split before the new terms existed must be split again
            _tokens.cache_clear()
            pos_tokens.cache_clear()


def load_dictionary(extra: Iterable[str] = ()) -> None:
    add_terms(_words(SPEECH_WORDS), freq=_SPEECH_FREQ, tag="n")  # things, asked about (微信)
    add_terms([*dictionary_terms(), *extra])


# 「能不能」「行不行」 ask yes or no and say nothing: cut for search they left 不能/不行, which
# matched the rules' prohibitions and, as terms no article holds, lowered a question's coverage
_YES_NO_RE = re.compile(r"([\u4e00-\u9fff]{1,2})不(?=\1)")


def yes_no_plain(question: str) -> str:
    """`question` with each A-不-A question (能不能, 合不合规, 需要不需要) read as its verb; a
    space keeps the verb from joining the word before it (会长会不会).

    >>> yes_no_plain("市级协会能不能设分会，合不合规，需要不需要备案")
    '市级协会 能设分会， 合规， 需要备案'
    """
    return _YES_NO_RE.sub(" ", question)


@lru_cache(maxsize=4096)
def _tokens(text: str) -> tuple[str, ...]:
    words = jieba.lcut_for_search(text)
    return tuple(w for w in words if _TOKEN_RE.match(w) and w not in STOPWORDS)


@lru_cache(maxsize=8192)
def pos_tokens(text: str) -> tuple[tuple[str, str, int], ...]:
    """(word, POS flag, start) triples of `text`; HMM off: the dictionary plus the corpus's
    terms suffice and it is three times faster."""
    import jieba.posseg  # 0.2 s to import: paid only by a process that tags parts of speech

    out, pos = [], 0
    for word, flag in jieba.posseg.lcut(text, HMM=False):
        out.append((word, flag, pos))
        pos += len(word)
    return tuple(out)


def tokenize(text: str) -> list[str]:
    """Content tokens of `text` (search-mode jieba, stopwords and punctuation removed).

    >>> load_dictionary(); tokenize("小型社会组织党建由谁兜底?")
    ['小型', '社会', '组织', '社会组织', '党建', '兜底']
    """
    return list(_tokens(text))


# 不是, not the 是不是 of a yes-no question (「他是不是党员」)
_NOT_RE = re.compile(r"(?<!是)不是(?:一名|一个|个)?([\u4e00-\u9fff]{2,3})")


def negated_forms(text: str) -> list[str]:
    """The written form of a spoken negation: 「不是党员」 is 「非党员」 in the rules.

    >>> load_dictionary(); negated_forms("我们理事长不是党员，能参加吗")
    ['非党员']
    """
    jieba.dt.check_initialized()
    found = []
    for m in _NOT_RE.finditer(text):
        for end in (3, 2):
            word = "非" + m.group(1)[:end]
            if jieba.dt.FREQ.get(word) and word not in found:
                found.append(word)
                break
    return found


@lru_cache(maxsize=1)
def _rule_lines() -> tuple[tuple[str, frozenset[str], bool], ...]:
    """Per line of the table: the rules' word, the words for it, and whether they are examples
    of it. Read once per process: a running service takes up edits when restarted."""
    lines = [line.split() for line in RULE_TERMS.read_text(encoding="utf-8").splitlines()
             if not line.strip().startswith("#")]
    return tuple((words[0].rstrip(":"), frozenset(words[1:]), words[0].endswith(":"))
                 for words in lines if len(words) > 1)


def rule_phrases(question: str) -> list[str]:
    """The rules' wording of the cases a question describes in staff phrases (rule_phrases.txt).

    >>> rule_phrases("有个党员组织关系还留在原单位没转过来，能参加我们的活动吗")
    ['暂未转移组织关系']
    """
    pattern, wording_of = _phrase_pattern()
    found = dict.fromkeys(wording_of[m.group(0)] for m in pattern.finditer(question))
    return [wording for wording in found if wording not in question]


@lru_cache(maxsize=4096)
def _same_meaning(term: str) -> str | None:
    """The one rules' word meaning what `term` means (补贴: 津贴); None for an example of a
    rules' word (会长 of 负责人) and for a word standing for several (注册资金: 原始基金 of a
    基金会, 开办资金 of a 民非…)."""
    lines = [(word, examples) for word, others, examples in _rule_lines() if term in others]
    return lines[0][0] if len(lines) == 1 and not lines[0][1] else None


@lru_cache(maxsize=4096)
def rule_words(term: str) -> tuple[str, ...]:
    """The rules' words for one word of a question (rule_terms.txt): 补贴 -> 津贴."""
    return tuple(word for word, others, _ in _rule_lines() if term in others)


def rule_terms(text: str) -> list[str]:
    """The rules' words for what `text` says otherwise (rule_terms.txt): 会长 -> 负责人. Words
    are matched as jieba tokens: the 会长 inside 「工会长期」 is no 会长.

    >>> load_dictionary(); rule_terms("我们会长不是党员"), rule_terms("工会长期没有活动")
    (['负责人'], [])
    """
    tokens = set(tokenize(text))
    # a word may head two lines (互联网: its other words, and its examples)
    return list(dict.fromkeys(word for word, others, _ in _rule_lines()
                              if tokens & others and word not in tokens))


def rules_wording(text: str) -> str | None:
    """`text` with each word that rule_terms.txt gives another word for replaced by the rules'
    word (examples of a rules' word are kept: see `_same_meaning`), or None when it holds none.

    >>> load_dictionary(); rules_wording("支书有没有补贴"), rules_wording("党费怎么交")
    ('党支部书记有没有津贴', None)
    """
    reworded = phrases_reworded(text)
    words = [(token, _same_meaning(token)) for token in jieba.cut(reworded, HMM=False)]
    if reworded == text and not any(rules for _, rules in words):
        return None
    return "".join(rules or token for token, rules in words)


@lru_cache(maxsize=1)
def _phrase_pattern() -> tuple[re.Pattern, dict[str, str]]:
    """One pattern for every staff phrase of rule_phrases.txt, the longest first, and the
    rules' wording of each."""
    wording_of: dict[str, str] = {}
    for line in RULE_PHRASES.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            wording, phrases = line.split(" = ")
            for phrase in phrases.split():
                wording_of.setdefault(phrase, wording.strip())
    alternatives = sorted(wording_of, key=len, reverse=True) or ["(?!)"]
    return re.compile("|".join(map(re.escape, alternatives))), wording_of


def phrases_reworded(text: str) -> str:
    """`text` with each staff phrase of rule_phrases.txt replaced by the rules' wording, in
    one pass: a wording is never read again as a phrase, and two phrases of one case side by
    side (「还留在原单位没转过来」) are worded once.

    >>> phrases_reworded("我们一个党员都没有，没法办")
    '我们暂不具备组建条件，没法办'
    >>> phrases_reworded("关系还留在原单位没转过来")
    '关系暂未转移组织关系'
    """
    pattern, wording_of = _phrase_pattern()
    pieces, end, last = [], 0, None
    for match in pattern.finditer(text):
        wording = wording_of[match.group(0)]
        if match.start() > end or wording != last:
            pieces += [text[end:match.start()], wording]
        end, last = match.end(), wording
    return "".join(pieces) + text[end:]


def match_terms(text: str) -> set[str]:
    """The terms of `text` to look for in evidence: its tokens, each quantity as its canonical
    token instead of a bare number (「18岁」 finds 「年满十八岁」 through ``#18岁``).

    >>> load_dictionary(); sorted(match_terms("入党要满18岁吗"))
    ['#18岁', '入党', '岁', '满', '要']
    """
    tokens = {t for t in tokenize(text) if not written_quantity(t, text)}
    return tokens | set(quantity_tokens(text)) | set(negated_forms(text))


def question_terms(question: str) -> set[str]:
    """`match_terms` of a question as staff say it: a yes-no 能不能 read as its verb, and a
    period asked a count of times for read as the rules' frequency (see `bm25_query_tokens`).

    >>> load_dictionary(); sorted(question_terms("支委会一个月能不能开几次"))
    ['委会', '开', '支委', '支委会', '每月']
    """
    question = yes_no_plain(question)
    periods, written = _frequency_reading(question)
    rough, told_otherwise = approximate_quantities(question)
    # 几 and a measure word (几次, 几家) ask, as 多少 does; the rules never write them
    return {t for t in match_terms(question) - periods if not _ASKED_COUNT_RE.fullmatch(t)
            and not (any(t in told for told in rough) and t not in told_otherwise)} | set(written)


def _frequency_reading(question: str) -> tuple[set[str], list[str]]:
    """The tokens of each period a question asks a count of times for, and the rules' word for
    that frequency: 「一个月开几次」 -> ({一个月, #1月}, [每月]). As a duration 「一个月」 found
    time limits (「一个月内派人谈话」)."""
    frequencies = spoken_frequencies(question)
    return {t for period, _ in frequencies for t in bm25_tokens(period)}, [w for _, w in frequencies]


def bm25_tokens(text: str) -> list[str]:
    """What BM25 indexes: the tokens, the quantity tokens and the written form of a spoken
    negation."""
    return tokenize(text) + quantity_tokens(text) + negated_forms(text)


def bm25_query_tokens(question: str) -> list[str]:
    """What BM25 looks for: the question's `bm25_tokens` and the rules' words for what it
    says otherwise (only the question is widened; articles are indexed as written). A head
    count the question states as its case is left out (see `stated_head_counts`), and a
    period it asks a count of times for is searched as the rules write it (每月, not 一个月)."""
    question = yes_no_plain(question)
    periods, written = _frequency_reading(question)
    dropped = stated_head_counts(question) | periods
    words = rule_terms(question)
    # a phrase table's wording the word table already gave (法人代表: 法定代表人) counts once
    return [t for t in bm25_tokens(question) if t not in dropped] + words + written \
        + [t for wording in rule_phrases(question) if wording not in words for t in tokenize(wording)]
