"""The question-answering service: load once, then `ask` many times (CLI, web, API, evals).

    >>> assistant = Assistant.load()                 # $TIAOWEN_INDEX_DIR, else .index
    >>> answer = assistant.ask("小型社会组织党建由谁兜底?")
    >>> answer.citations[0].ref
    '《实施意见》第4条'
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from llama_index.core.base.embeddings.base import BaseEmbedding

from app.answer import REFUSAL, AnswerPolicy, AnswerSelector, citation_for, compose
from app.index import LoadedIndex
from app.records import Answer, Retrieved
from app.retrieve import FusionWeights, HybridRetriever

MAX_QUESTION_CHARS = 500
RELATED_ON_REFUSAL = 3


class InvalidQuestion(ValueError):
    """A question that cannot be asked; the message is for the user, in Chinese."""


def check_question(question: object) -> str:
    if not isinstance(question, str) or not question.strip():
        raise InvalidQuestion("问题不能为空，请输入要查询的问题。")
    question = question.strip()
    if len(question) > MAX_QUESTION_CHARS:
        raise InvalidQuestion(f"问题过长（{len(question)}字），请控制在{MAX_QUESTION_CHARS}字以内。")
    return question


class Assistant:
    def __init__(self, index: LoadedIndex, retriever: HybridRetriever,
                 selector: AnswerSelector | None = None):
        self.index, self.retriever = index, retriever
        self.selector = selector or AnswerSelector(index)
        self._lock = threading.Lock()  # numpy/jieba/engine calls are cheap; keep them ordered

    @classmethod
    def load(cls, index_dir: str | Path | None = None, weights: FusionWeights = FusionWeights(),
             policy: AnswerPolicy = AnswerPolicy(), generation: Path | None = None,
             embedding: BaseEmbedding | None = None) -> "Assistant":
        """The live generation of `index_dir` (or `generation`); `embedding` is reused when it
        is the model the index was built with."""
        index = LoadedIndex.load(index_dir, generation=generation)
        if embedding is not None and embedding.model_name != index.manifest.embed_model:
            embedding = None
        return cls(index, HybridRetriever.from_defaults(index, embedding, weights=weights),
                   AnswerSelector(index, policy))

    def ask(self, question: str, top_k: int = 5, doc_ids: tuple[str, ...] = (),
            qid: str | None = None) -> Answer:
        started = time.perf_counter()
        question = check_question(question)
        if top_k < 1:
            raise InvalidQuestion("返回条数（top_k）必须是正整数。")
        unknown = [d for d in doc_ids if d not in self.index.documents]
        if unknown:
            raise InvalidQuestion(f"未知的文件编号：{'、'.join(unknown)}。可用：{'、'.join(self.index.documents)}")
        with self._lock:
            read_as, corrections = self.index.corrector.correct(question)
            ranking = self.retriever.rank(read_as, tuple(doc_ids))
            selection = self.selector.select(read_as, ranking)
        order = [int(r) for r in ranking.order]
        if selection.answered_from is not None:  # the answer's article leads what was found
            order.remove(selection.answered_from)
            order.insert(0, selection.answered_from)
        retrieved = [Retrieved(self.index.articles[r].doc_id, self.index.articles[r].article_id,
                               round(float(ranking.scores[r]), 4)) for r in order[:top_k]]
        if selection.refused:
            related = [citation_for(self.index, int(r), ranking.scores[r])
                       for r in ranking.order[:RELATED_ON_REFUSAL]]
            answer = Answer(question, True, REFUSAL, retrieved=retrieved, related=related,
                            unanswered_like=selection.unanswered_like)
        else:
            text, citations, evidence = compose(self.index, selection.sentences, ranking)
            answer = Answer(question, False, text, citations, evidence, retrieved)
        answer.id, answer.corrections = qid, corrections
        answer.latency_ms = (time.perf_counter() - started) * 1000
        return answer
