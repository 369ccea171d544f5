"""Extractive answers, grounded by construction: quote the 1–3 sentences of the retrieved
articles that answer the question, cite each, or refuse when the evidence is weak."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

import numpy as np

from app.counts import Count, count_conditions, stated_counts
from app.focus import CLAUSE_RE, AskedFocus, asking_text, short_form_re, unmeasured
from app.index import LoadedIndex
from app.records import Citation, Evidence
from app.refs import without_names
from app.retrieve import Ranking
from app.versions import COMPARE_RE, version_twins
from indexer.chunk import Sentence
from indexer.parse import DOC_NUMBER_RE
from indexer.quantities import matchable, stated_head_counts
from indexer.tokenize import phrases_reworded, question_terms, rule_words, yes_no_plain

REFUSAL = "已收录文件中未找到相关规定。"
_NUMBER = r"(?:\d|[一二两三四五六七八九十百千万半])"
# a quantity noun followed by its size describes the case instead of asking (「党员人数多的
# 社会组织」, 「年龄大的党员」); 「人数多少」 and 「年龄多大」 still ask
_DESCRIBED = r"(?!(?:多(?![少大高长久])|少|大|小|高|低|长|短|较|偏|很|太|众多))"
# 几 asks only when no part of 好几/这几/那几/十几/哪几 (「有好几位老党员」 counts nothing)
_JI = r"(?<![好这那十哪])几"
# Answer types: a question asking for a kind of quantity is answered only by evidence that
# states one of that kind (a sum in 元 for "交多少钱", a period for "多久"); checked in order.
ANSWER_TYPES: tuple[tuple[re.Pattern, re.Pattern], ...] = tuple(
    (re.compile(q), re.compile(e)) for q, e in (
        # 「按比例分给会员」 says how, not asks what share
        (rf"(?:什么|多少|啥)比例|(?<![按照])比例{_DESCRIBED}|百分比{_DESCRIBED}|百分之几|{_JI}成|占多少",
         r"百分之|分之|%|％|\d+\s*/\s*\d+|\d成"),
        # a sum may be set as a share of something (年度支出不得低于上一年总收入的百分之七十)
        (r"多少钱|多少元|交多少|缴多少|金额|多少经费|费用是多少",
         rf"{_NUMBER}+\s*(?:元|万元|亿元)|百分之|分之|%|％"),
        (rf"{_JI}岁|多少岁|多大年纪|年龄{_DESCRIBED}", rf"{_NUMBER}+\s*(?:周岁|岁)"),
        # 「多长时间里找他谈一次话」 asks within how long, not how often
        (rf"{_JI}[次回]|(?:多久|多长时间)(?![里内])[^，,。？?]{{0,12}}一[次回](?!性)|多少[次回]|频次|多久(?:开|召开|举行|搞|组织)",
         rf"{_NUMBER}+\s*次|每[年月周季天日]|每个?(?:季度|星期)"),
        # working days are a count of their own: no other period answers 「几个工作日内办完」
        (rf"{_JI}个工作日|多少个?工作日", rf"{_NUMBER}+\s*个?工作日"),
        # a calendar year is asked (「哪一年修订的」): no period (「期满后」) answers it
        (r"哪一?年(?![龄级度])", r"\d{4}\s*年|[〇零一二三四五六七八九]{4}\s*年"),
        (rf"多久|多长时间|多长|{_JI}年|{_JI}个月|{_JI}天|多少天|多少日|多少年|(?:期限|时限){_DESCRIBED}",
         rf"{_NUMBER}+\s*(?:个)?(?:年|月|日|天|周|星期|季度|小时|学时|课时|个工作日)|期满|之日"),
        (rf"多少字|{_JI}个?字|字数", rf"{_NUMBER}+\s*个?字"),
        (rf"多少倍|{_JI}倍", rf"{_NUMBER}+\s*倍"),
        # units joined or covered (「最多能联几家」: 「覆盖单位一般不超过5个」), not people
        (rf"{_JI}家|多少家|{_JI}个(?:单位|组织|协会|社团|基金会|民非)",
         rf"{_NUMBER}+\s*(?:个|家)(?!月|工作日)"),
        (rf"{_JI}个人|多少人|{_JI}名|多少名|人数{_DESCRIBED}|{_JI}位|多少位|多少个?[\u4e00-\u9fff]{{0,2}}(?:员|理事|代表)",
         rf"{_NUMBER}+\s*(?:人|名|位|个)|半数|过半|多数|分之|\d+\s*/\s*\d+"),
        # the papers to hand in are listed as such (「提交下列文件」), not as a rule that names the
        # thing applied for (「具有…税前扣除票据资格的慈善组织名单」)
        (r"(?:哪些|什么|啥|哪几样)(?:材料|资料)|(?:材料|资料)(?:有哪些|是什么|有啥)",
         r"材料|文件|证明|申请书|报告"),
        # grades (「评估等级分几级」) are counted as grades: not the 一级 of 上一级党组织
        (rf"{_JI}个?(?:等级|级别|级|档)|多少个?(?:等级|级别|级|档)",
         rf"(?<![上下同本每第]){_NUMBER}+\s*个?(?:等级|级别|级|档)"),
        # "几种/几类/几项" is answered by an enumeration as often as by a number (基金会分为…和…)
        # a number, not the 一 of 一定/一般/统一: digits, or a numeral with a measure word
        (rf"多少|{_JI}个|上限|下限|最多|最少|至少",
         rf"\d|{_NUMBER}+\s*(?:个|名|人|位|项|条|种|类|年|月|日|天|次|倍|元|届|级|分之|以上|以下)"),
    ))
_UNITS: tuple[tuple[re.Pattern, re.Pattern], ...] = tuple(
    (re.compile(q), re.compile(e)) for q, e in (
        (rf"{_JI}年|多少年", rf"{_NUMBER}+\s*年(?!龄|级|度)"),
        (rf"{_JI}个月|多少个月", rf"{_NUMBER}+\s*个月"),
        (rf"{_JI}天|多少天|{_JI}日|多少日", rf"{_NUMBER}+\s*(?:日|天)"),
    ))
# a bound asked for (「最长能拖多久」) is stated as one (「但不得超过六个月」), not as the usual term
_BOUND_TABLE = (
    (("最长", "最多", "最晚", "至多", "顶多", "上限", "封顶"), r"不超过|不得超过|不能超过|最长|最多|以内"),
    (("最少", "至少", "起码", "最低", "最短", "下限"), r"不少于|不得少于|不低于|不得低于|至少"),
)
_BOUNDS = tuple((re.compile("|".join(words)), re.compile(stated)) for words, stated in _BOUND_TABLE)
# a bound word of the question is found in an article stating such a bound (「最少多少会员」:
# 「会员总数不得少于50个」)
_BOUND_WORDS = {word: stated for (words, _), (_, stated) in zip(_BOUND_TABLE, _BOUNDS)
                for word in words}
_ANY_NUMBER = ANSWER_TYPES[-1][1]  # "多少" of no particular kind: a weak sign, see _stated_quantity
_FEE_RE = re.compile(r"[\u4e00-\u9fff]费")
_LIST_INTRO = ("：", ":")
_ITEM_RE = re.compile(r"[（(][一二三四五六七八九十]+[）)]")
_NEGATION_RE = re.compile(r"没|未|无|不是|非")
_NEGATION_REACH = 4  # characters before a term: 未建立党组织, 不是党员
# a preamble's line that is only the document number (（京办发〔2016〕27号）) says nothing
_DOC_NUMBER_LINE_RE = re.compile(rf"[（(][^（）()]*{DOC_NUMBER_RE.pattern}[）)]")


def asked_type(question: str) -> re.Pattern | None:
    """The evidence pattern for the kind of quantity a question asks for, if any.

    >>> bool(asked_type("党费按什么比例交").search("按月工资收入的百分之一交纳"))
    True
    """
    return _evidence(ANSWER_TYPES, unmeasured(asking_text(question)))


def _evidence(table: tuple[tuple[re.Pattern, re.Pattern], ...], asking: str) -> re.Pattern | None:
    """The evidence pattern of the first row of `table` whose question pattern `asking` meets.

    `_UNITS` reads the unit a period is asked in: 「任期几年」 is answered by 「每届任期3年」
    before 「提前6个月」, though both state a period.

    >>> _evidence(_UNITS, "任期几年").search("一般每届任期3年") is not None, _evidence(_UNITS, "多久")
    (True, None)
    """
    return next((evidence for asks, evidence in table if asks.search(asking)), None)


@dataclass(frozen=True)
class AnswerPolicy:
    """Thresholds of the answer step, calibrated on evals/questions.jsonl."""

    min_sentence_cos: float = 0.83    # best sentence of the top article, dense cosine
    min_coverage: float = 0.40        # IDF-weighted share of question terms in the top article
    confident_cos: float = 0.89       # above this, coverage alone does not refuse
    # a question asking about a thing the corpus never names (有效期, 护照) needs both
    unnamed_focus_cos: float = 0.905
    unnamed_focus_coverage: float = 0.25
    # an asked question of the top article this close to the question lends its wording to
    # the coverage: staff word a case (情绪不好, 结余分给会员) as other staff do, not as the rule
    asked_close: float = 0.92
    # where no asked question of the top article comes this close, half the terms are needed
    unasked_cos: float = 0.90
    unasked_coverage: float = 0.50
    # a question this much closer to one staff ask that no article answers (asking the same kind
    # of quantity, if any) than to any asked question of an article is refused: 「“3+1”机制
    # 指什么」 is near 实施意见 7 in words, and nearer still to what it never says
    unanswered_margin: float = 0.015
    second_sentence: float = 0.02     # a 2nd sentence of the same article: at most this far below the best
    second_article: float = 0.25      # another document's article: at most this far below the top (z units)
    second_adds: float = 0.15         # …adding this share of the question's terms, unless it is named
    quantity_bonus: float = 0.03      # for sentences stating a quantity, when one is asked for
    polarity_bonus: float = 0.05      # for sentences negating what the question negates
    count_bonus: float = 0.05         # for a rule whose head-count threshold the question's count meets
    complement_terms: float = 0.20    # a further sentence adding this share of the question's terms…
    complement_cos: float = 0.05      # …at most this far below the best sentence's cosine
    max_sentences: int = 3
    runner_ups: int = 2               # articles after the top one a stated head count may prefer
    stating_reach: float = 0.5        # …or one stating the kind of quantity asked (z units)
    # where to look for another version's counterpart, or the article of another document named
    version_candidates: int = 6
    whole_article_chars: int = 200    # a named article this short is quoted whole
    max_named_articles: int = 8       # a question naming a section quotes its first articles
    whole_list_items: int = 3         # a list this short is always quoted whole
    item_share: float = 0.5           # a list item quoted: at least this share of the best item's terms


@dataclass(frozen=True)
class _Query:
    """What the answer step reads from a question, worked out once per question."""

    terms: set[str]
    answer_type: re.Pattern | None
    clauses: tuple[frozenset[str], ...] = ()   # the terms of each part of the question
    negated: frozenset[str] = frozenset()      # terms the question negates (没有党组织)
    counts: tuple[Count, ...] = ()             # head counts the question states (两个党员)
    compares: bool = False                     # asks how two texts differ (有什么不同)
    unit: re.Pattern | None = None             # the unit a period is asked in (几年: 年)
    bound: re.Pattern | None = None            # how a bound asked for is stated (最长: 不超过)
    fees: frozenset[str] = frozenset()         # the fees it names (党费), whose sum may be asked

    @classmethod
    def of(cls, question: str) -> "_Query":
        clauses = tuple(frozenset(question_terms(c)) for c in CLAUSE_RE.split(question))
        # a head count the asker states is weighed by `counts`, not looked for as a term
        # a case the question describes as staff say it (建不起来) is looked for as the rules
        # word it (暂不具备组建条件)
        terms = question_terms(phrases_reworded(question)) - stated_head_counts(question)
        asking = unmeasured(asking_text(question))
        return cls(terms, _evidence(ANSWER_TYPES, asking), tuple(c for c in clauses if c),
                   frozenset(negated_terms(question, terms)), tuple(stated_counts(question)),
                   bool(COMPARE_RE.search(question)), _evidence(_UNITS, asking),
                   _evidence(_BOUNDS, asking), frozenset(_FEE_RE.findall(question)))


def negated_terms(text: str, terms: Iterable[str]) -> set[str]:
    """Terms that a negation just before them (没有, 未, 不是…) turns around.

    >>> sorted(negated_terms("单位没有党组织的党员", {"单位", "党组织", "党员"}))
    ['党组织']
    >>> sorted(negated_terms("他是不是党员", {"党员"}))
    []
    """
    text = yes_no_plain(text)  # 「是不是党员」 asks; it negates nothing
    return {t for t in terms if any(_NEGATION_RE.search(text[max(0, i - _NEGATION_REACH):i])
                                    for i in _positions(text, t))}


def _positions(text: str, term: str) -> list[int]:
    out, i = [], text.find(term)
    while i >= 0:
        out.append(i)
        i = text.find(term, i + 1)
    return out


@dataclass
class Selection:
    refused: bool
    sentences: list[Sentence]
    # the article answered from when the answer step chose another than the top-ranked one
    # (a rule the stated head count meets more narrowly, one stating the quantity asked)
    answered_from: int | None = None
    # the question staff ask that no article answers which the question was refused for being near
    unanswered_like: str = ""


class AnswerSelector:
    """Chooses the quoted sentences from a `Ranking` over a `LoadedIndex`."""

    def __init__(self, index: LoadedIndex, policy: AnswerPolicy = AnswerPolicy()):
        self.index, self.policy = index, policy
        self._rows_of_article = _group_rows(index)
        self._items = [_list_items(index, srow) for srow in range(len(index.sentences))]
        self._lead_of = {item: lead for lead, items in enumerate(self._items) for item in items}
        # a list's lead (「下列事项…：」) answers through its items (「（一）章程的修改」)
        # quantity tokens appended: the question's 「半年」 finds the rule's 「六个月」
        self._unit_text = [matchable(sentence.text + "".join(index.sentences[i].text for i in items))
                           for sentence, items in zip(index.sentences, self._items)]
        self._article_text = [matchable(article.search_text) for article in index.articles]
        self._article_lines = [CLAUSE_RE.sub("\n", article.search_text) for article in index.articles]
        self._sentence_text = [matchable(sentence.text) for sentence in index.sentences]
        self._idf = _idf(index)
        self._asked_text = [matchable(text) for text in index.asked_texts]
        self._asked_of = [np.flatnonzero(index.asked_article == row) for row in range(len(index.articles))]
        self._twins = version_twins(index)
        self._kind_words = {word for d in index.documents.values() for word in d.governs}
        kinds = [asked_type(q.text) for q in index.unanswered]
        self._unanswered_of_kind = {kind: np.flatnonzero([k is kind for k in kinds]) for kind in set(kinds)}
        self._kept = index.kept_sentences  # worked out at load, not by the first comparison asked
        self._unseen_idf = max(self._idf.values(), default=1.0)  # a term the corpus never uses
        self.focus = AskedFocus.from_texts(
            [a.search_text for a in index.articles]
            + [name for d in index.documents.values() for name in (d.title, d.issuer, *d.aliases)])

    def coverage(self, terms: set[str], row: int, also: str = "") -> float:
        """IDF-weighted share of the question's terms found in the article (or in `also`, the
        wording of an asked question of it)."""
        if not terms:
            return 0.0
        text, lines = self._article_text[row], self._article_lines[row]
        if also:
            text, lines = f"{text}\n{also}", f"{lines}\n{CLAUSE_RE.sub(chr(10), also)}"
        weight = {t: self._idf.get(t, self._unseen_idf) for t in terms}
        # 「补贴」 is found as the rules' 「津贴」 (rule_terms.txt), 「支委会」 as 「支部委员会」 (a
        # two-character term would be found in too much: 会长 in 「理事会秘书长」)
        return sum(w for t, w in weight.items() if t in text or any(r in text for r in rule_words(t))
                   or len(t) > 2 and short_form_re(t).search(lines)
                   or t in _BOUND_WORDS and _BOUND_WORDS[t].search(text)) / sum(weight.values())

    def _names_a_kind(self, term: str) -> bool:
        """Whether a question's term names a kind of organisation a regulation governs, or is
        part of such a name (基金 of 基金会), itself or by its rules' word (协会: 社会团体)."""
        return len(term) > 1 and any(term in kind for kind in self._kind_words) \
            or bool(self._kind_words.intersection(rule_words(term)))

    def _close_asked(self, ranking: Ranking, row: int) -> str:
        """The wording (matchable) of the article's asked question closest to the question,
        when that one is at least `asked_close` to it ("" otherwise): its words are how staff
        name what the article rules. Only the closest one, so that the many generic asked
        questions (「…要多长时间」) lend no words to a question far from the article."""
        closest = self._closest_asked(ranking, row)
        if closest is None or ranking.asked_cos[closest] < self.policy.asked_close:
            return ""
        return self._asked_text[closest]

    def _closest_asked_cos(self, ranking: Ranking, row: int) -> float:
        """The cosine of the article's asked question closest to the question; 1 when there is
        none to compare (no asked questions, or a question naming a version)."""
        closest = self._closest_asked(ranking, row)
        return 1.0 if closest is None else float(ranking.asked_cos[closest])

    def _closest_asked(self, ranking: Ranking, row: int) -> int | None:
        mine = self._asked_of[row]
        if not len(ranking.asked_cos) or not len(mine):
            return None
        return int(mine[np.argmax(ranking.asked_cos[mine])])

    def _unanswered_like(self, query: _Query, ranking: Ranking) -> int | None:
        """The row of the question staff ask that no article answers which the question is
        closer to than to any asked question of an article, by `unanswered_margin`; None when
        there is none. Only those asking the kind of quantity it asks count: 「要不要配专职副书记」
        is answered (实施意见 15) though 「多少党员以上必须配专职副书记」 is not."""
        alike = self._unanswered_of_kind.get(query.answer_type)
        if alike is None or not len(ranking.unanswered_cos):
            return None
        nearest = int(alike[np.argmax(ranking.unanswered_cos[alike])])
        closer = ranking.unanswered_cos[nearest] >= ranking.asked_cos.max() + self.policy.unanswered_margin
        return nearest if closer else None

    def _sentence_scores(self, query: _Query, ranking: Ranking, row: int) -> list[tuple[float, int]]:
        answer_type = query.answer_type
        # a question's word is also found as the rules' word for it, weighed as the word found
        # (「投票」 as 「选举权」: 「除了没有表决权、选举权和被选举权以外」)
        terms = [(t, *rule_words(t)) for t in query.terms]
        total = sum(max(self._idf.get(w, 0.0) for w in words) for words in terms) or 1.0
        out = []
        for srow in self._rows_of_article[row]:
            text = self._unit_text[srow]
            lexical = sum(next((self._idf.get(w, 0.0) for w in words if w in text), 0.0)
                          for words in terms) / total
            # "how many / how long" is answered by the sentence that states the quantity
            quantity = self.policy.quantity_bonus if answer_type and answer_type.search(text) else 0.0
            if query.unit and query.unit.search(text):
                quantity += self.policy.quantity_bonus
            # 「单位没有党组织的党员」 asks about 「单位未建立党组织的党员」, not 「已经建立」
            polarity = self.policy.polarity_bonus if query.negated and \
                query.negated <= negated_terms(text, query.negated) else 0.0
            out.append((float(ranking.sentence_cos[srow]) + 0.15 * lexical + quantity + polarity
                        + self._count_fit(query, srow), srow))
        return sorted(out, reverse=True)

    def _count_fit(self, query: _Query, srow: int) -> float:
        """「只有两个党员」 is answered by the rule for 「不足3人」, not the one for 「3人以上」."""
        if not query.counts:
            return 0.0
        fit = [count.fits(self._unit_text[srow]) for count in query.counts]
        if True in fit:
            return self.policy.count_bonus
        return -self.policy.count_bonus if False in fit else 0.0

    def _closest_count_rule(self, query: _Query, ranking: Ranking, top: int) -> int:
        """For a question stating a head count that the top article's rule meets, a close
        runner-up whose rule it meets more narrowly (「就两个正式党员」: 「不足3人的单位」, not
        「不足7人的党支部」)."""
        if not query.counts or self._slack(query, top) == float("inf"):
            return top  # a rule the count does not meet (「3人以上…」) answers it too
        close = [int(r) for r in ranking.order[:self.policy.runner_ups + 1]
                 if ranking.scores[top] - ranking.scores[r] <= self.policy.second_article]
        return min(close, key=lambda row: self._slack(query, row))

    def _slack(self, query: _Query, row: int) -> float:
        """How far the head counts of the article's rules that the stated count meets are from
        it; infinite when it meets none."""
        fitting = [abs(n - count.number) for srow in self._rows_of_article[row]
                   for count in query.counts
                   if count.fits(self._unit_text[srow])
                   for _, n in count_conditions(self._unit_text[srow], count.of)]
        return min(fitting, default=float("inf"))

    def _rule_met_instead(self, query: _Query, ranking: Ranking, top: int) -> list[int]:
        """For a stated head count that the top article's rule does not meet (「就两个正式党员」:
        「凡是有正式党员3人以上的，都应当成立党支部」), the rule it meets of a close runner-up
        (「正式党员不足3人的单位…成立联合党支部」): what applies to them instead."""
        if not query.counts or self._slack(query, top) != float("inf"):
            return []
        for row in (int(r) for r in ranking.order[1:self.policy.runner_ups + 1]):
            if ranking.scores[top] - ranking.scores[row] > self.policy.stating_reach:
                break
            if self._slack(query, row) < float("inf"):
                return [max(self._rows_of_article[row], key=lambda srow: self._count_fit(query, srow))]
        return []

    def _stating_runner_up(self, query: _Query, ranking: Ranking, top: int, closest: float,
                           coverage: float) -> tuple[int, list[tuple[float, int]], float] | None:
        """For a question asking a quantity of a kind (how often, how many days), a close
        runner-up stating one when the top article (best sentence score `closest`, `coverage`)
        states none, with its sentence scores and coverage: 「支委会多久开一次」 is answered by
        「…每月召开1次」, not refused because the rule on forming a 党支部 ranked first."""
        asked = query.answer_type
        if asked in (None, _ANY_NUMBER) or self._states(top, asked):
            return None
        # it must hold as much of the question, and its closest sentence be closer even without
        # the credit for stating a quantity: else the top article is what is asked about, and
        # the quantity one no article states (「基金会开理事会要提前几天通知」)
        for row in (int(r) for r in ranking.order[1:self.policy.runner_ups + 1]):
            if ranking.scores[top] - ranking.scores[row] > self.policy.stating_reach \
                    or not self._states(row, asked):
                continue
            scores, covered = self._sentence_scores(query, ranking, row), self.coverage(query.terms, row)
            if covered >= coverage and scores[0][0] >= closest + self.policy.quantity_bonus:
                return row, scores, covered
        return None

    def _states(self, row: int, pattern: re.Pattern) -> bool:
        return any(pattern.search(self._unit_text[srow]) for srow in self._rows_of_article[row])

    def select(self, question: str, ranking: Ranking) -> Selection:
        if not len(ranking.order):
            return Selection(True, [])
        top = int(ranking.order[0])
        if ranking.mentions.foreign and not ranking.direct:
            return Selection(True, [])  # 「宪法第五条」: not any article 5 of ours
        if ranking.mentions.foreign_titles and not ranking.mentions.docs:
            return Selection(True, [])  # 「《中国共产党纪律处分条例》…」: a document we do not hold
        if len(ranking.direct) == 1:
            return Selection(False, self._within(ranking, top) or self._opening(top))
        if ranking.direct:  # several articles, or a section: what each is about
            named = ranking.direct[:self.policy.max_named_articles]
            return Selection(False, [s for row in named for s in self._gist(row)])
        if self.focus.elsewhere(question):
            return Selection(True, [])
        query = _Query.of(without_names(question, [self.index.documents[d] for d in ranking.mentions.docs]))
        like = self._unanswered_like(query, ranking)
        if like is not None:
            return Selection(True, [], unanswered_like=self.index.unanswered[like].text)
        top = self._closest_count_rule(query, ranking, top)
        best, coverage = self._sentence_scores(query, ranking, top), self.coverage(query.terms, top)
        stating = self._stating_runner_up(query, ranking, top, best[0][0], coverage)
        if stating is not None:
            top, best, coverage = stating
        best_cos = float(ranking.sentence_cos[best[0][1]])
        asked = self._close_asked(ranking, top)
        if asked and coverage < self.policy.min_coverage:
            coverage = max(coverage, self.coverage(query.terms, top, also=asked))
        if best_cos < self.policy.min_sentence_cos or (
                coverage < self.policy.min_coverage and best_cos < self.policy.confident_cos):
            return Selection(True, [])
        # an article no asked question of which comes close to the question, sharing only part of
        # its words, mentions what is asked without answering it (「社保缴费基数怎么确定」: the
        # article on 党建工作经费 列支 and 税前扣除)
        if coverage < self.policy.unasked_coverage and \
                self._closest_asked_cos(ranking, top) < self.policy.unasked_cos:
            return Selection(True, [])
        # the kind of organisation asked about (民非) is no match of what is asked about it:
        # 「民非可以分红吗」 is not answered by 「民办非企业单位不得设立分支机构」
        rest = {t for t in query.terms if not self._names_a_kind(t)}
        if rest != query.terms and rest and self.coverage(rest, top, also=asked) == 0:
            return Selection(True, [])
        # no number of the corpus is the amount of a thing it never names (「要交多少登记费」)
        weak = best_cos < self.policy.unnamed_focus_cos or coverage < self.policy.unnamed_focus_coverage
        if (weak or query.answer_type) and self.focus.unnamed(question):
            return Selection(True, [])
        chosen = self._best_sentences(query, ranking, best)
        # the other document's (or version's) sentence keeps its place among the quoted ones
        other = self._other_document(query, ranking, top, chosen) or self._rule_met_instead(query, ranking, top)
        chosen = chosen[:self.policy.max_sentences - len(other)] + other
        sentences = self._with_list_items(sorted(chosen), query)
        if query.answer_type and not any(
                query.answer_type.search(s.text) and _of_fee_asked(query.fees, s.text)
                for s in self._answering(sentences, ranking, top)):
            stating = self._stating_item(chosen, query)
            if stating is None:
                return Selection(True, [])
            sentences = self._with_list_items(sorted(chosen), query, also=stating)
        return Selection(False, sentences, None if top == int(ranking.order[0]) else top)

    def _answering(self, sentences: list[Sentence], ranking: Ranking, top: int) -> list[Sentence]:
        """The quoted sentences that may state an asked quantity: not those of a runner-up
        document the question does not name (「党费按百分之几交」 is not answered by the
        百分之七十 of a 基金会's spending, however close its article ranks)."""
        doc = self.index.documents[self.index.articles[top].doc_id]
        answering = {doc.doc_id, doc.supersedes, doc.superseded_by,
                     *ranking.mentions.docs, *ranking.kinds}
        return [s for s in sentences if s.doc_id in answering]

    def _best_sentences(self, query: _Query, ranking: Ranking,
                        best: list[tuple[float, int]]) -> list[int]:
        """The best sentence of an article, a close second, and those adding the asked
        quantity or a part of the question the others leave open."""
        chosen = [best[0][1]]
        if len(best) > 1 and best[1][0] >= best[0][0] - self.policy.second_sentence:
            chosen.append(best[1][1])
        # further sentences of the article: no further below the best than this
        floor = float(ranking.sentence_cos[best[0][1]]) - self.policy.complement_cos
        chosen += self._stated_quantity(query, ranking, best, chosen, floor)
        chosen += self._complement(query, ranking, best, chosen, floor)
        return chosen

    def _within(self, ranking: Ranking, row: int) -> list[Sentence]:
        """For a question asking something narrower of the article it names (「第十条里头，
        社会组织中的党支部重点任务是啥」), the article's sentences that answer it; nothing
        when neither the article nor its headings hold any of its words."""
        query = _Query.of(ranking.mentions.asked_within)
        # one character (the 管 of 「是管啥的」) is found inside unrelated words (管制)
        terms = {t for t in query.terms if len(t) > 1}
        title = self.index.articles[row].item_title
        # 「实施意见第三项 目标要求」 names the item by its title too: no narrower question
        if not self.coverage(terms, row) or all(t in title for t in terms):
            return []
        # sentences alike in holding most of what is asked answer it together, in the article's
        # order (「第5项讲的是什么制度」: each of its three 「建立…制度」 sentences)
        weight = {srow: sum(self._idf.get(t, 0.0) for t in terms if t in self._sentence_text[srow])
                  for srow in self._rows_of_article[row]}
        most = max(weight.values())
        alike = [srow for srow, w in weight.items() if w >= most]
        if most > 0 and len(alike) > 1:
            return self._with_list_items(alike[:self.policy.max_sentences], query)
        chosen = self._best_sentences(query, ranking, self._sentence_scores(query, ranking, row))
        return self._with_list_items(sorted(chosen), query)

    def _stating_item(self, chosen: list[int], query: _Query) -> int | None:
        """The item of a quoted list that states the asked quantity, when the items the
        question's words picked do not (「最少要多少个会员，活动资金要多少」: both items)."""
        if query.answer_type is _ANY_NUMBER:
            return None  # any number at all states nothing asked (see _stated_quantity)
        terms = {t: self._idf.get(t, 0.0) for t in query.terms if len(t) > 1}
        weight = {i: _whole_term_weight(terms, self._sentence_text[i])
                  for srow in chosen for i in self._items[srow]
                  if query.answer_type.search(self._unit_text[i])}
        stating = [i for i, w in weight.items() if w > 0]
        return max(stating, key=weight.__getitem__, default=None)

    def _stated_quantity(self, query: _Query, ranking: Ranking, scored: list[tuple[float, int]],
                         chosen: list[int], floor: float) -> list[int]:
        """For a question asking how long / how many, the article's sentence that states it,
        when the closest sentences do not (「保留多久」: 「…保留时间一般不超过2年」); and for
        one asking a bound, the sentence stating the bound (「最长能拖多久」: 「但不得超过六个月」)."""
        # any number at all (「几个A」 met by 「200元」) is too weak to reach further for
        asked = [p for p in (query.answer_type, query.bound) if p not in (None, _ANY_NUMBER)]
        added: list[int] = []
        for pattern in asked:
            if any(pattern.search(self._unit_text[r]) for r in chosen + added):
                continue
            added += next(([r] for _, r in scored if r not in chosen + added
                           and float(ranking.sentence_cos[r]) >= floor
                           and pattern.search(self._unit_text[r])), [])
        return added

    def _complement(self, query: _Query, ranking: Ranking, scored: list[tuple[float, int]],
                    chosen: list[int], floor: float) -> list[int]:
        """A sentence of the top article answering a part of the question that the chosen ones
        leave open (「…可以追认为党员吗，由谁批准？」 needs the sentence saying who approves)."""
        covered = self._covered(chosen)
        for terms in (query.terms, *query.clauses):
            for _, srow in scored:
                if srow in chosen or float(ranking.sentence_cos[srow]) < floor:
                    continue
                if self._adds(terms, srow, covered) >= self.policy.complement_terms:
                    return [srow]
        return []

    def _covered(self, chosen: list[int]) -> str:
        return "".join(self._unit_text[r] for r in chosen)

    def _adds(self, terms: Iterable[str], srow: int, covered: str) -> float:
        """IDF-weighted share of `terms` that the sentence holds and `covered` (the chosen
        sentences' text) does not."""
        weight = {t: self._idf.get(t, 0.0) for t in terms}
        new = sum(w for t, w in weight.items() if t in self._unit_text[srow] and t not in covered)
        return new / (sum(weight.values()) or 1.0)

    def _other_document(self, query: _Query, ranking: Ranking, top: int,
                        chosen: list[int]) -> list[int]:
        """The best sentence of a close runner-up from another document (answers that span
        two documents, e.g. 实施意见 and 支部工作条例); for a question comparing versions
        (「新旧细则有什么不同」), the other version's counterpart."""
        top_doc = self.index.documents[self.index.articles[top].doc_id]
        other_versions = {top_doc.supersedes, top_doc.superseded_by} - {""}
        # 「党章和细则的规定一样吗」 compares two documents, not two versions of one; and
        # 「社团和民非的年度报告」, answered from one kind's regulation, asks the other's too
        kinds = ranking.kinds if len(ranking.kinds) > 1 and top_doc.doc_id in ranking.kinds else ()
        named = {*ranking.mentions.docs, *kinds}
        other_named = named - other_versions - {top_doc.doc_id}
        if query.compares and other_versions and not other_named:
            return self._counterpart(query, ranking, top, other_versions, chosen)
        if other_named:  # 「党章和支部工作条例的说法好像不一样」: each document named answers
            row = next((int(r) for r in ranking.order[1:self.policy.version_candidates]
                        if self.index.articles[r].doc_id in other_named), None)
            return [] if row is None else [self._best_of(query, ranking, row, chosen)]
        if ranking.mentions.docs:  # 「党章里对…有什么规定」 asks what the document named says
            return []
        # another version of the same rules is no second source, nor is the regulation of
        # another kind of organisation than the one asked about (协会: not the 民非 one)
        not_sources = other_versions | {top_doc.doc_id} | {
            d.doc_id for d in self.index.documents.values()
            if ranking.kinds and d.governs and d.doc_id not in ranking.kinds}
        for row in ranking.order[1:3]:
            row = int(row)
            if self.index.articles[row].doc_id not in not_sources and \
                    ranking.scores[top] - ranking.scores[row] <= self.policy.second_article:
                best = self._sentence_scores(query, ranking, row)[0][1]
                # a stated head count is answered by rules for it, not by any that has a number
                # (「就两个党员」: not 「讨论两个以上的发展对象」)
                if query.counts and self._count_fit(query, best) <= 0:
                    return []
                # a source the question does not name is cited for what the top article leaves
                # open; one that only words the same again is, as often as not, another
                # document's rule on a neighbouring matter (卧床的老党员: 支部's 组织生活 rule)
                adds = self._adds(query.terms, best, self._covered(chosen))
                return [best] if adds >= self.policy.second_adds else []
        return []

    def _best_of(self, query: _Query, ranking: Ranking, row: int, chosen: list[int]) -> int:
        """The best sentence of the article of another document the question names; when the
        question asks a quantity the quoted sentences do not state, a close one of it that states
        it (「按实施意见和支部工作条例…一个联合支部最多管几家」: 「联合党支部覆盖单位一般不超过5个」)."""
        scored = self._sentence_scores(query, ranking, row)
        floor = float(ranking.sentence_cos[scored[0][1]]) - self.policy.complement_cos
        return next(iter(self._stated_quantity(query, ranking, scored, chosen, floor)), scored[0][1])

    def _counterpart(self, query: _Query, ranking: Ranking, top: int, versions: set[str],
                     chosen: list[int]) -> list[int]:
        """The other version's best sentence that is worded differently: what changed. Its
        article is the top article's twin (the one worded most alike) when that ranks close, not
        whichever of the version ranks first (「入党申请书交给谁，新旧细则变了吗」: 第6条 of both,
        not the new 第12条 on passing the application on)."""
        close = [int(r) for r in ranking.order[1:self.policy.version_candidates]
                 if self.index.articles[r].doc_id in versions]
        if not close:
            return []
        row = next((r for r in close if r in self._twins[top]), close[0])
        scored = [r for _, r in self._sentence_scores(query, ranking, row)]
        # a sentence the revision left as it was (one 可 → 可以 aside) tells no change
        changed = [r for r in scored if not self._kept[r]]
        quoted = {self.index.sentences[r].text for r in chosen}
        return next(([r] for r in changed + scored if self.index.sentences[r].text not in quoted), [])

    def _opening(self, row: int) -> list[Sentence]:
        """For a question naming an article: its item title (what the article is about), then
        the first sentence of each of its paragraphs (款), then the sentences after them, up to
        `max_sentences` in the article's order: 社团登记条例第十二条's third 款 (法定代表人不得
        兼任) says as much of it as the second sentence of its first."""
        sentences = self.index.sentences
        rows = [r for r in self._rows_of_article[row]
                if not _DOC_NUMBER_LINE_RE.fullmatch(sentences[r].text)
                and not _ITEM_RE.match(sentences[r].text)]  # a list's items come with its lead
        if len(self.index.articles[row].text) <= self.policy.whole_article_chars:
            return self._title(row) + self._with_list_items(rows)
        seen: Counter[int] = Counter()
        place: dict[int, int] = {}
        for r in rows:  # the how-manieth sentence of its paragraph
            place[r] = seen[sentences[r].paragraph]
            seen[sentences[r].paragraph] += 1
        first = sorted(sorted(rows, key=place.__getitem__)[:self.policy.max_sentences])
        return self._title(row) + self._with_list_items(first)

    def _gist(self, row: int) -> list[Sentence]:
        """What an article is about in one line: its item title, else its first sentence."""
        return self._title(row) or self._with_list_items(self._rows_of_article[row][:1])

    def _title(self, row: int) -> list[Sentence]:
        article = self.index.articles[row]
        if not article.item_title:
            return []
        return [Sentence(article.doc_id, article.article_id, -1, -1, f"{article.item_title}。")]

    def _with_list_items(self, rows: list[int], query: _Query | None = None,
                         also: int | None = None) -> list[Sentence]:
        """A sentence introducing a list (…：) is quoted with its items (（一）…); with a
        question, only the items it asks about (see `_asked_items`) and item `also`. An item
        chosen by itself is quoted after its lead, which says what the list is of."""
        out: list[Sentence] = []
        for srow in rows:
            sentence = self.index.sentences[srow]
            lead = self._lead_of.get(srow)
            if lead is not None and lead not in rows and self.index.sentences[lead] not in out:
                out.append(self.index.sentences[lead])
            if sentence not in out:
                out.append(sentence)
            items = self._asked_items(srow, query) if query else self._items[srow]
            if also in self._items[srow]:
                items = sorted({*items, also})
            out += [self.index.sentences[i] for i in items if self.index.sentences[i] not in out]
        return out

    def _asked_items(self, srow: int, query: _Query) -> list[int]:
        """The items of a list that answer the question: those holding the question's terms
        the list's lead lacks (「几个月不交党费算自动脱党」 is item （六） of the 除名 list).
        A question whose terms the lead already holds (「成立社会团体要什么条件」) asks for
        the whole list, and so does a long list read only by its lead."""
        items = self._items[srow]
        if len(items) <= self.policy.whole_list_items:
            return items
        lead = self._sentence_text[srow]
        # single characters (要, 写) match inside unrelated words (需要, 填写)
        beyond = {t: self._idf.get(t, 0.0) for t in query.terms if len(t) > 1 and t not in lead}
        weight = {i: _whole_term_weight(beyond, self._sentence_text[i]) for i in items}
        best = max(weight.values(), default=0.0)
        if best <= 0:
            return items
        return [i for i in items if weight[i] >= self.policy.item_share * best]


def _of_fee_asked(fees: frozenset[str], text: str) -> bool:
    """Whether a sentence may state the sum of the fees a question names (`fees`): not when
    it names another fee only (「党费交多少」: not 「…不低于200元的…活动经费」).

    >>> dues, funds = frozenset({"党费"}), frozenset({"经费"})
    >>> _of_fee_asked(dues, "年人均不低于200元的活动经费"), _of_fee_asked(dues, "交纳党费")
    (False, True)
    >>> _of_fee_asked(funds, "年人均不低于200元的活动经费"), _of_fee_asked(frozenset(), "200元")
    (True, True)
    """
    stated = set(_FEE_RE.findall(text))
    return not fees or not stated or bool(fees & stated)


def _whole_term_weight(weights: dict[str, float], text: str) -> float:
    """Summed weight of the terms found in `text`, a term inside a longer one found with it
    not counted again (search-mode jieba gives 社会组织 and also 社会, 组织).

    >>> _whole_term_weight({"社会组织": 2.0, "组织": 0.5, "党费": 1.0}, "社会组织的党费")
    3.0
    """
    found = [t for t in weights if t in text]
    return sum(weights[t] for t in found if not any(t != u and t in u for u in found))


def _list_items(index: LoadedIndex, srow: int) -> list[int]:
    """Rows of the items (（一）…) that follow a sentence introducing a list (…：)."""
    sentence, items = index.sentences[srow], []
    if sentence.text.endswith(_LIST_INTRO):
        nxt = srow + 1
        while nxt < len(index.sentences) and index.sentences[nxt].key == sentence.key \
                and index.sentences[nxt].paragraph > sentence.paragraph \
                and _ITEM_RE.match(index.sentences[nxt].text):
            items.append(nxt)
            nxt += 1
    return items


def _group_rows(index: LoadedIndex) -> list[list[int]]:
    rows: list[list[int]] = [[] for _ in index.articles]
    for srow, arow in enumerate(index.sentence_article):
        rows[int(arow)].append(srow)
    return rows


def _idf(index: LoadedIndex) -> dict[str, float]:
    n = len(index.articles)
    return {t: float(np.log(1 + n / d)) for t, d in index.term_articles.items()}


def citation_for(index: LoadedIndex, row: int, score: float) -> Citation:
    article = index.articles[row]
    doc = index.documents[article.doc_id]
    return Citation(doc.doc_id, doc.title, doc.short_title, article.article_id, article.label,
                    article.heading_path, article.display_text, round(float(score), 4),
                    doc.doc_number, doc.superseded)


def compose(index: LoadedIndex, sentences: list[Sentence], ranking: Ranking
            ) -> tuple[str, list[Citation], list[Evidence]]:
    """Answer text: each quoted sentence followed by its citation marker (a run of one
    article's sentences, and a list's lead with the items quoted from it, share one marker at
    their end)."""
    citations: dict[tuple[str, str], Citation] = {}
    parts: list[str] = []
    for i, sentence in enumerate(sentences):
        row = index.article_row(sentence.key)
        citation = citations.setdefault(sentence.key, citation_for(index, row, ranking.scores[row]))
        nxt = sentences[i + 1] if i + 1 < len(sentences) else None
        same_run = nxt is not None and nxt.key == sentence.key and (
            nxt.index == sentence.index + 1 or bool(_ITEM_RE.match(nxt.text)))
        parts.append(sentence.text + ("" if same_run else citation.marker))
    evidence = [Evidence(s.doc_id, s.article_id, s.text) for s in sentences]
    return "\n".join(parts), list(citations.values()), evidence
