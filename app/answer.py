"""Extractive answers, grounded by construction: quote the 1–3 sentences of the retrieved
articles that answer the question, cite each, or refuse when the evidence is weak."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from app.index import LoadedIndex
from app.records import Citation, Evidence
from app.retrieve import Ranking
from indexer.chunk import Sentence
from indexer.tokenize import tokenize

REFUSAL = "已收录文件中未找到相关规定。"
_NUMBER = r"(?:\d|[一二两三四五六七八九十百千万半])"
# Answer types: a question asking for a kind of quantity is answered only by evidence that
# states one of that kind (a sum in 元 for "交多少钱", a period for "多久"); checked in order.
ANSWER_TYPES: tuple[tuple[re.Pattern, re.Pattern], ...] = tuple(
    (re.compile(q), re.compile(e)) for q, e in (
        (r"比例|百分之几|百分比|几成|占多少", r"百分之|分之|%|％|\d+\s*/\s*\d+|\d成"),
        (r"多少钱|多少元|交多少|缴多少|金额|多少经费|费用是多少", rf"{_NUMBER}+\s*(?:元|万元|亿元)"),
        (r"几岁|多少岁|多大年纪|年龄", rf"{_NUMBER}+\s*(?:周岁|岁)"),
        (r"几次|多久.{0,4}一次|多长时间.{0,4}一次|多少次|频次|多久(?:开|召开|举行|搞|组织)",
         rf"{_NUMBER}+\s*次|每[年月周季天日]|每个?(?:季度|星期)"),
        (r"多久|多长时间|多长|几年|几个月|几天|多少天|多少日|多少年|期限|时限|哪一年",
         rf"{_NUMBER}+\s*(?:个)?(?:年|月|日|天|周|星期|季度|小时|个工作日)|期满|之日"),
        (r"几个人|多少人|几名|多少名|人数|几位|多少位|多少个?[\u4e00-\u9fff]{0,2}(?:员|理事|代表)",
         rf"{_NUMBER}+\s*(?:人|名|位|个)|半数|过半|多数|分之|\d+\s*/\s*\d+"),
        # "哪几类/哪几种" asks for a list, not a number
        (r"多少|(?<!哪)几[个项条类种]|上限|下限|最多|最少|至少", rf"{_NUMBER}"),
    ))
_LIST_INTRO = ("：", ":")


def asked_type(question: str) -> re.Pattern | None:
    """The evidence pattern for the kind of quantity a question asks for, if any.

    >>> bool(asked_type("党费按什么比例交").search("按月工资收入的百分之一交纳"))
    True
    """
    return next((evidence for asks, evidence in ANSWER_TYPES if asks.search(question)), None)


@dataclass(frozen=True)
class AnswerPolicy:
    """Thresholds of the answer step, calibrated on evals/questions.jsonl."""

    min_sentence_cos: float = 0.83    # best sentence of the top article, dense cosine
    min_coverage: float = 0.40        # IDF-weighted share of question terms in the top article
    confident_cos: float = 0.89       # above this, coverage alone does not refuse
    second_sentence: float = 0.02     # a 2nd sentence of the same article: at most this far below the best
    second_article: float = 0.35      # another document's article: at most this far below the top (z units)
    quantity_bonus: float = 0.03      # for sentences stating a quantity, when one is asked for
    max_sentences: int = 3


@dataclass(frozen=True)
class _Query:
    """What the answer step reads from a question, worked out once per question."""

    terms: set[str]
    answer_type: re.Pattern | None


@dataclass
class Selection:
    refused: bool
    sentences: list[Sentence]


class AnswerSelector:
    """Chooses the quoted sentences from a `Ranking` over a `LoadedIndex`."""

    def __init__(self, index: LoadedIndex, policy: AnswerPolicy = AnswerPolicy()):
        self.index, self.policy = index, policy
        self._rows_of_article = _group_rows(index)
        self._idf = _idf(index)
        self._unseen_idf = max(self._idf.values(), default=1.0)  # a term the corpus never uses

    def coverage(self, terms: set[str], row: int) -> float:
        """IDF-weighted share of the question's terms found in the article."""
        if not terms:
            return 0.0
        text = self.index.articles[row].search_text
        weight = {t: self._idf.get(t, self._unseen_idf) for t in terms}
        return sum(w for t, w in weight.items() if t in text) / sum(weight.values())

    def _sentence_scores(self, query: _Query, ranking: Ranking, row: int) -> list[tuple[float, int]]:
        terms, answer_type = query.terms, query.answer_type
        total = sum(self._idf.get(t, 0.0) for t in terms) or 1.0
        out = []
        for srow in self._rows_of_article[row]:
            text = self.index.sentences[srow].text
            lexical = sum(self._idf.get(t, 0.0) for t in terms if t in text) / total
            # "how many / how long" is answered by the sentence that states the quantity
            quantity = self.policy.quantity_bonus if answer_type and answer_type.search(text) else 0.0
            out.append((float(ranking.sentence_cos[srow]) + 0.15 * lexical + quantity, srow))
        return sorted(out, reverse=True)

    def select(self, question: str, ranking: Ranking) -> Selection:
        if not len(ranking.order):
            return Selection(True, [])
        top = int(ranking.order[0])
        if ranking.direct:
            return Selection(False, self._opening(top))
        query = _Query(set(tokenize(question)), asked_type(question))
        best = self._sentence_scores(query, ranking, top)
        best_cos = float(ranking.sentence_cos[best[0][1]])
        coverage = self.coverage(query.terms, top)
        if best_cos < self.policy.min_sentence_cos or (
                coverage < self.policy.min_coverage and best_cos < self.policy.confident_cos):
            return Selection(True, [])
        chosen = [best[0][1]]
        if len(best) > 1 and best[1][0] >= best[0][0] - self.policy.second_sentence:
            chosen.append(best[1][1])
        chosen += self._other_document(query, ranking, top)
        sentences = self._with_list_items(sorted(chosen[:self.policy.max_sentences]))
        if query.answer_type and not any(query.answer_type.search(s.text) for s in sentences):
            return Selection(True, [])
        return Selection(False, sentences)

    def _other_document(self, query: _Query, ranking: Ranking, top: int) -> list[int]:
        """The best sentence of a close runner-up from another document (answers that span
        two documents, e.g. 实施意见 and 支部工作条例)."""
        top_doc = self.index.documents[self.index.articles[top].doc_id]
        versions = {top_doc.doc_id, top_doc.supersedes, top_doc.superseded_by}
        for row in ranking.order[1:3]:
            row = int(row)
            # another version of the same rules is not a second source
            if self.index.articles[row].doc_id not in versions and \
                    ranking.scores[top] - ranking.scores[row] <= self.policy.second_article:
                return [self._sentence_scores(query, ranking, row)[0][1]]
        return []

    def _opening(self, row: int) -> list[Sentence]:
        """For a question naming an article: the article's first sentences."""
        rows = self._rows_of_article[row][:self.policy.max_sentences]
        return self._with_list_items(rows)

    def _with_list_items(self, rows: list[int]) -> list[Sentence]:
        """A sentence introducing a list (…：) is quoted with its items (（一）…)."""
        out: list[Sentence] = []
        for srow in rows:
            sentence = self.index.sentences[srow]
            if sentence not in out:
                out.append(sentence)
            if sentence.text.endswith(_LIST_INTRO):
                nxt = srow + 1
                while nxt < len(self.index.sentences) and self.index.sentences[nxt].key == sentence.key \
                        and self.index.sentences[nxt].paragraph > sentence.paragraph \
                        and re.match(r"[（(][一二三四五六七八九十]+[）)]", self.index.sentences[nxt].text):
                    if self.index.sentences[nxt] not in out:
                        out.append(self.index.sentences[nxt])
                    nxt += 1
        return out


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
    """Answer text: each quoted sentence followed by its citation marker (list items share
    one marker at their end)."""
    citations: dict[tuple[str, str], Citation] = {}
    parts: list[str] = []
    for i, sentence in enumerate(sentences):
        row = index.article_row(sentence.key)
        citation = citations.setdefault(sentence.key, citation_for(index, row, ranking.scores[row]))
        nxt = sentences[i + 1] if i + 1 < len(sentences) else None
        same_run = nxt is not None and nxt.key == sentence.key and nxt.index == sentence.index + 1
        parts.append(sentence.text + ("" if same_run else citation.marker))
    evidence = [Evidence(s.doc_id, s.article_id, s.text) for s in sentences]
    return "\n".join(parts), list(citations.values()), evidence
