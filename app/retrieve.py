"""Hybrid retrieval of articles: sentence-level and article-level dense scores (e5 vectors
fused with jieba BM25, document priors, and a direct path for named articles.

    >>> from app.index import LoadedIndex
    >>> retriever = HybridRetriever.from_defaults(LoadedIndex.load())
    >>> retriever.retrieve("小型社会组织党建由谁兜底")[0].node.metadata["article"]
    '4'
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from app.definitions import Definitions
from app.index import LoadedIndex
from app.provisions import provisions
from app.refs import Mentions, find_mentions, without_names
from app.versions import COMPARE_RE
from indexer.embed import make_embedding
from indexer.tokenize import bm25_query_tokens, rule_terms, rules_wording, tokenize


@dataclass(frozen=True)
class FusionWeights:
    """Weights of the fused article score; each signal is standardised (z-scores) per query.
    The signals' weights are relative: those of the signals present are scaled to sum to 1, so
    that the bonuses, penalties and the answer step's reaches (in z units) keep their meaning
    whatever signals there are."""

    sentence: float = 0.29     # best sentence of the article (dense)
    article: float = 0.16      # best piece of the article (dense)
    bm25: float = 0.20         # jieba BM25 over article text and headings
    # the article's closest asked question (indexer/asked.py), by vector and by BM25: staff
    # word a case as other staff do, not as the article does
    asked: float = 0.26
    asked_bm25: float = 0.09
    named_doc: float = 0.25    # bonus for a document the question names
    # …when it names that one alone (「党章对社会组织里的党组织有什么要求」): the other documents'
    # articles on the same matter (实施意见 1) are not what is asked
    named_only_doc: float = 0.60
    superseded: float = 0.20   # penalty for a superseded version not asked for (year, 老版)
    other_version: float = 0.60  # penalty for another version of a version the question names
    definition: float = 1.0    # bonus for the article defining the term a question asks about
    # bonus for where a document states what a question asks of it (its basis, when it takes
    # effect): the narrow ask outweighs e.g. the guiding-principles item (指导思想) that
    # vectors and words favour by more than 1 z
    provision: float = 2.0
    named_section: float = 1.0 # bonus for the articles of a section the question names
    # penalty for a regulation of another kind of organisation than the one the question is
    # about (协会: not the 民非 or 基金会 regulation, which word many rules alike); at 0.6 the
    # pull of 「去民政办变更」 towards the 民非 regulation (0.8 z in vectors) still won
    other_kind: float = 1.0
    # cosine taken off a sentence that another version words alike, for a question asking what
    # a revision changed (「列为发展对象，新细则比2014年那版多了什么程序」: not 第9条's item on
    # 列为发展对象, which both versions word as one)
    unchanged: float = 0.03

    @classmethod
    def only(cls, signal: str) -> "FusionWeights":
        base = dict(sentence=0.0, article=0.0, bm25=0.0, asked=0.0, asked_bm25=0.0)
        return cls(**{**base, signal: 1.0})


@dataclass
class Ranking:
    """Per-query scores over all articles, and what the question named."""

    scores: np.ndarray            # fused score per article row
    order: np.ndarray             # article rows, best first (restricted to allowed docs)
    sentence_cos: np.ndarray      # dense cosine per sentence row (see `_answer_cos`)
    mentions: Mentions
    direct: list[int] = field(default_factory=list)  # rows the question named explicitly
    kinds: tuple[str, ...] = ()   # regulations of the kinds of organisation the question names
    # dense cosine per asked question (indexer/asked.py); empty when they are not consulted
    asked_cos: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    # dense cosine per question staff ask that no article answers (indexer/asked.py); empty,
    # like `asked_cos`, when asked questions are not consulted: it is weighed against them
    unanswered_cos: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))


def _standardize(x: np.ndarray) -> np.ndarray:
    # z-scores keep the spread of each signal comparable; min-max lets one outlier squash the rest
    sd = float(x.std())
    return (x - float(x.mean())) / sd if sd > 0 else np.zeros_like(x)


class HybridRetriever(BaseRetriever):
    """llama-index retriever returning one node per article, best first."""

    def __init__(self, index: LoadedIndex, embedding: BaseEmbedding,
                 weights: FusionWeights = FusionWeights(), top_k: int = 5,
                 doc_ids: tuple[str, ...] = ()):
        super().__init__()
        self.index, self.embedding, self.weights = index, embedding, weights
        self.top_k, self.doc_ids = top_k, doc_ids
        starts = np.flatnonzero(np.r_[True, np.diff(index.sentence_article) != 0])
        self._sentence_starts = starts
        self._superseded = np.array([index.documents[a.doc_id].superseded for a in index.articles])
        self._doc_of_row = np.array([a.doc_id for a in index.articles])
        self._definitions = Definitions.from_articles(index.articles)
        self._provisions = provisions(index.articles)
        self._governs = {d.doc_id: set(d.governs) for d in index.documents.values() if d.governs}

    @classmethod
    def from_defaults(cls, index: LoadedIndex, embedding: BaseEmbedding | None = None,
                      **kwargs) -> "HybridRetriever":
        return cls(index, embedding or make_embedding(index.manifest.embed_model), **kwargs)

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        ranking = self.rank(query_bundle.query_str, self.doc_ids)
        return [NodeWithScore(node=self._node(row), score=float(ranking.scores[row]))
                for row in ranking.order[:self.top_k]]

    def _node(self, row: int) -> TextNode:
        article = self.index.articles[row]
        return TextNode(id_=f"{article.doc_id}:{article.article_id}", text=article.display_text,
                        metadata={"doc": article.doc_id, "article": article.article_id})

    def rank(self, question: str, doc_ids: tuple[str, ...] = ()) -> Ranking:
        index, w = self.index, self.weights
        mentions = find_mentions(question, list(index.documents.values()))
        query = np.asarray(self.embedding.get_query_embedding(question), dtype=np.float32)
        sentence_cos = self._sentence_cos(query)
        asks_change = bool(COMPARE_RE.search(question))
        # a question on what a revision changed asks of both versions, whichever it names
        compares = mentions.names_version and asks_change
        stale, other_version = self._stale_rows(mentions)
        # a question naming a version (「2014年版细则里…」, 「新细则跟老细则比」) is left to the
        # version rules: both versions have alike asked questions, and other documents' would
        # outrank the version named
        asked_cos = index.asked_vectors @ query if w.asked and not mentions.names_version \
            else np.zeros(0, dtype=np.float32)
        scores = self._signals(question, query, mentions, sentence_cos, asked_cos, asks_change, stale)
        only = len(mentions.docs) == 1 and not mentions.names_version
        for doc in mentions.docs:
            scores[index.doc_rows[doc]] += w.named_only_doc if only else w.named_doc
        scores[self._definitions.rows_for(question)] += w.definition
        scores[self._section_rows(mentions, doc_ids)] += w.named_section
        kinds = self._kinds(question)
        scores[self._other_kind_rows(kinds, mentions)] -= w.other_kind
        scores[stale] -= w.superseded
        if not compares:
            scores[other_version] -= w.other_version
        allowed = self._allowed_rows(doc_ids)
        # a document asked what it says of itself: the one named, else the best-ranked one
        # (「这个条例是根据什么制定的」)
        best = [self._doc_of_row[allowed[int(scores[allowed].argmax())]]] if len(allowed) else []
        provision_rows = [r for provision in self._provisions
                          for r in provision.rows_for(question, list(mentions.docs) or best)]
        scores[provision_rows] += w.provision
        order = allowed[np.argsort(-scores[allowed], kind="stable")]
        # a document named and asked what it says of itself (「支部工作条例是根据什么制定的」)
        # names the article saying it as surely as 「第一条」 would
        direct = self._direct_rows(mentions, order, doc_ids) or [
            r for r in provision_rows if mentions.docs and r in allowed]
        if direct:
            order = np.array(direct + [r for r in order if r not in direct])
        unanswered_cos = index.unanswered_vectors @ query if len(asked_cos) \
            else np.zeros(0, dtype=np.float32)
        return Ranking(scores, order, self._answer_cos(question, query, sentence_cos),
                       mentions, direct, kinds, asked_cos, unanswered_cos)

    def _bm25_text(self, question: str, mentions: Mentions) -> str:
        """What BM25 searches: the question without the names of the documents it names. A
        name says where to look (named documents rank higher for it); searched as words,
        「党章」 finds the 意见's 「按照党章规定」, 「条例」 any article citing a 条例. Not when the
        question names a version (「2014年版发展党员细则」): its name is all that keeps the
        version's own articles above their counterparts."""
        if mentions.names_version:
            return question
        return without_names(question, [self.index.documents[d] for d in mentions.docs])

    def _answer_cos(self, question: str, query: np.ndarray, sentence_cos: np.ndarray) -> np.ndarray:
        """Sentence cosines of the question read together with its rules' wording (「能给点补贴吗」
        and 「能给点津贴吗」): the answer step quotes and refuses by them, so that a rule worded
        otherwise than the question is not refused. Articles are still ranked by the question
        alone: ranked by both, the rules' word outweighed the rest of the question."""
        wording = rules_wording(question)
        if wording is None:
            return sentence_cos
        both = query + np.asarray(self.embedding.get_query_embedding(wording), dtype=np.float32)
        return self._sentence_cos(both / np.linalg.norm(both))

    def _sentence_cos(self, query: np.ndarray) -> np.ndarray:
        cos = self.index.sentence_vectors @ query
        # a long sentence scores as its best-matching run of clauses
        np.maximum.at(cos, self.index.window_sentence, self.index.window_vectors @ query)
        return cos

    def _section_rows(self, mentions: Mentions, doc_ids: tuple[str, ...]) -> list[int]:
        """Rows of the sections a question names (「党章第五章对…有什么要求」), to search first."""
        docs = list(mentions.docs) or list(doc_ids)
        return [r for d in docs[:1] for n in mentions.sections for r in self.index.section_rows(d, n)]

    def _kinds(self, question: str) -> tuple[str, ...]:
        """The regulations governing the kinds of organisation the question names, itself or
        by an example of the kind (协会 is a 社会团体: rule_terms.txt)."""
        words = {*tokenize(question), *rule_terms(question)}
        return tuple(doc for doc, kinds in self._governs.items() if words & kinds)

    def _other_kind_rows(self, kinds: tuple[str, ...], mentions: Mentions) -> np.ndarray:
        """Rows of the regulations governing other kinds of organisation, when the question
        is about one kind only (「我们协会…」) and names none of those regulations."""
        if len(kinds) != 1:
            return np.zeros(0, dtype=int)
        others = [doc for doc in self._governs if doc not in kinds and doc not in mentions.docs]
        return np.flatnonzero(np.isin(self._doc_of_row, others))

    def _stale_rows(self, mentions: Mentions) -> tuple[np.ndarray, np.ndarray]:
        """Superseded versions nobody asked for; and, when the question names a version
        (「2014年版细则」), the other versions of that document."""
        asked_for = list(mentions.docs) if mentions.names_version else []
        stale = self._superseded & ~np.isin(self._doc_of_row, asked_for)
        docs = self.index.documents
        others = {v for d in asked_for for v in (docs[d].supersedes, docs[d].superseded_by)
                  if v and v not in asked_for}
        return stale, np.isin(self._doc_of_row, list(others))

    def _allowed_rows(self, doc_ids: tuple[str, ...]) -> np.ndarray:
        if not doc_ids:
            return np.arange(len(self.index.articles))
        return np.concatenate([self.index.doc_rows[d] for d in doc_ids if d in self.index.doc_rows])

    def _signals(self, question: str, query: np.ndarray, mentions: Mentions, sentence_cos: np.ndarray,
                 asked_cos: np.ndarray, asks_change: bool, stale: np.ndarray) -> np.ndarray:
        """The weighted sum of the standardised signals, their weights scaled to sum to 1: the
        scale the bonuses and penalties are set against stays the same when a signal is left out
        (a corpus without asked questions, a question naming a version, an ablation)."""
        index, w = self.index, self.weights
        parts: list[tuple[float, np.ndarray]] = []
        if w.sentence:
            compares = mentions.names_version and asks_change
            ranked_cos = sentence_cos - w.unchanged * index.kept_sentences if compares else sentence_cos
            parts.append((w.sentence, np.maximum.reduceat(ranked_cos, self._sentence_starts)))
        if w.article:
            parts.append((w.article, self._article_dense(query)))
        # one reading of the question for both BM25 indexes
        tokens = bm25_query_tokens(self._bm25_text(question, mentions)) if w.bm25 or w.asked_bm25 else []
        if w.bm25:
            parts.append((w.bm25, index.bm25.scores(tokens)))
        if not mentions.names_version:  # see `rank`
            # 「新细则跟老细则比变了没」 asks of the old version too, unnamed as it is
            old_unasked = np.zeros_like(stale) if asks_change else stale
            if len(asked_cos):
                parts.append((w.asked, self._closest_asked(asked_cos, old_unasked)))
            if w.asked_bm25 and index.asked_bm25 is not None:
                parts.append((w.asked_bm25, self._closest_asked(index.asked_bm25.scores(tokens), old_unasked)))
        present = sum(weight for weight, _ in parts)
        scores = np.zeros(len(index.articles), dtype=np.float32)
        for weight, values in parts:
            scores += weight / present * _standardize(values)
        return scores

    def _closest_asked(self, per_question: np.ndarray, old_unasked: np.ndarray) -> np.ndarray:
        """Per article, the score of its closest asked question; an article none is asked
        after scores as the least close, and so does a superseded version nobody asks about:
        its questions are those of the version in force, and would draw them to the old text."""
        closest = np.full(len(self.index.articles), per_question.min(), dtype=np.float32)
        np.maximum.at(closest, self.index.asked_article, per_question)
        closest[old_unasked] = per_question.min()
        return closest

    def _article_dense(self, query: np.ndarray) -> np.ndarray:
        """Best piece similarity per article (an oversized article has several pieces)."""
        dense = np.full(len(self.index.articles), -1.0, dtype=np.float32)
        np.maximum.at(dense, self.index.piece_article, self.index.piece_vectors @ query)
        return dense

    def _direct_rows(self, mentions: Mentions, order: np.ndarray,
                     doc_ids: tuple[str, ...]) -> list[int]:
        """Rows for articles named by number (or as the last one) and for sections named by
        number. An article named right after documents is looked up in them; else in the
        best-ranked document of the kind named (「意见里第四项」), else in the named (or
        filtered, or best-ranked) document."""
        if not (mentions.articles or mentions.whole_section or mentions.last_article):
            return []
        docs = list(mentions.docs) or list(doc_ids)
        if not docs and len(order):
            docs = [self.index.articles[order[0]].doc_id]  # implied: the best-matching document
        docs = docs[:1] if not mentions.docs else docs
        rows: list[int] = []
        for article, named_before, kinds in zip(mentions.articles, mentions.article_docs,
                                                mentions.article_kinds, strict=True):
            of_kind = next((self.index.articles[r].doc_id for r in order
                            if self.index.articles[r].doc_id in kinds), None) if kinds else None
            targets = named_before or ([of_kind] if of_kind else docs)
            rows += [self.index.article_row((doc, article)) for doc in targets]
        if not mentions.articles:
            for doc in docs:
                rows += [self.index.last_article_row(doc)] if mentions.last_article else []
                if mentions.whole_section:
                    rows += [r for n in mentions.sections for r in self.index.section_rows(doc, n)]
        return list(dict.fromkeys(r for r in rows if r is not None))
