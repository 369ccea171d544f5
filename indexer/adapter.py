"""A linear query adapter learnt from the asked questions (indexer/asked.py).

e5 places a question and the sentence answering it apart when staff word the case otherwise
than the rule does (「党的领导和按章程自己管自己怎么摆」 vs 「依法自治」). The asked questions
are such wordings, each tied to its article: a matrix W fitted so that the adapted question
(q W, normalised) lies closest to a sentence of its own article, among the best sentences of
all articles, carries what they teach to questions nobody wrote down. The idea is llama-index's
embedding adapter (`LinearAdapterEmbeddingModel`), fitted here in numpy with a contrastive
loss over articles, so that building needs no torch.

    >>> rng = np.random.default_rng(0)
    >>> passages = rng.normal(size=(6, 8)).astype(np.float32)
    >>> questions = passages[[0, 2, 4]] + rng.normal(scale=0.3, size=(3, 8)).astype(np.float32)
    >>> adapter = QueryAdapter.fit(questions, np.array([0, 1, 2]), passages, np.array([0, 0, 1, 1, 2, 2]))
    >>> adapter.matrix.shape
    (8, 8)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

ADAPTER_FILE = "query_adapter.npy"


def _normalized(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


@dataclass(frozen=True)
class QueryAdapter:
    """`matrix` maps a query vector into the space its answers are best found in."""

    matrix: np.ndarray

    @classmethod
    def identity(cls, dim: int) -> "QueryAdapter":
        return cls(np.eye(dim, dtype=np.float32))

    @classmethod
    def fit(cls, questions: np.ndarray, question_article: np.ndarray, passages: np.ndarray,
            passage_article: np.ndarray, steps: int = 50, learning_rate: float = 1e-3,
            temperature: float = 0.01) -> "QueryAdapter":
        """Adam on the cross-entropy of each question's article among all articles, an article
        scoring as its best passage (the sentence signal ranks articles so). `passage_article`
        must group each article's passages together. Deterministic: full batches from W = I.
        Fifty steps: further, held-out asked questions were found less well (tried 50–400)."""
        questions = _normalized(np.asarray(questions, dtype=np.float32))
        passages = _normalized(np.asarray(passages, dtype=np.float32))
        starts = np.flatnonzero(np.r_[True, np.diff(passage_article) != 0])
        group = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(passage_article)]))
        gold = np.searchsorted(passage_article[starts], question_article)
        n, dim = questions.shape
        identity = np.eye(dim, dtype=np.float32)
        matrix, first, second = identity.copy(), np.zeros_like(identity), np.zeros_like(identity)
        for step in range(1, steps + 1):
            raw = questions @ matrix
            length = np.linalg.norm(raw, axis=1, keepdims=True)
            adapted = raw / length
            cos = adapted @ passages.T
            best = np.maximum.reduceat(cos, starts, axis=1)
            logits = (best - best.max(axis=1, keepdims=True)) / temperature
            grad = np.exp(logits)
            grad /= grad.sum(axis=1, keepdims=True)
            grad[np.arange(n), gold] -= 1.0
            grad /= temperature
            # the gradient reaches each article's best passage only
            per_passage = grad[:, group] * (cos == best[:, group])
            toward = per_passage @ passages
            toward = (toward - adapted * (adapted * toward).sum(axis=1, keepdims=True)) / length
            g = questions.T @ toward / n
            first = 0.9 * first + 0.1 * g
            second = 0.999 * second + 0.001 * g * g
            matrix -= learning_rate * (first / (1 - 0.9 ** step)) / (
                np.sqrt(second / (1 - 0.999 ** step)) + 1e-8)
        return cls(matrix.astype(np.float32))

    def adapt(self, query: np.ndarray, strength: float = 1.0) -> np.ndarray:
        """The query moved `strength` of the way from itself to its adapted form, normalised."""
        moved = query + strength * (query @ self.matrix - query)
        return _normalized(moved).astype(np.float32)

    def persist(self, folder: str | Path) -> None:
        np.save(Path(folder) / ADAPTER_FILE, self.matrix)

    @classmethod
    def from_persist_dir(cls, folder: str | Path) -> "QueryAdapter":
        return cls(np.load(Path(folder) / ADAPTER_FILE))
