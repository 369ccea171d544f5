"""Lexical index: BM25 (bm25s) over jieba tokens.

llama-index's stock BM25Retriever splits on whitespace and scores Chinese text 0; this one
tokenizes with jieba plus the corpus's own terms, reads quantities as canonical tokens, and
widens a question with the rules' words (`indexer.tokenize.bm25_query_tokens`).

    >>> index = JiebaBM25.from_texts(["社会组织党建由街道兜底", "基金会分为公募和非公募"])
    >>> int(index.scores("谁兜底").argmax())
    0
"""

from __future__ import annotations

from pathlib import Path

import bm25s
import numpy as np

from indexer.chunk import context_title
from indexer.records import Document
from indexer.tokenize import bm25_query_tokens, bm25_tokens


class JiebaBM25:
    """BM25 over a fixed list of texts; `scores` returns one score per text, in order."""

    def __init__(self, model: bm25s.BM25, size: int):
        self._model, self.size = model, size

    @classmethod
    def from_texts(cls, texts: list[str], k1: float = 0.9, b: float = 0.4) -> "JiebaBM25":
        # k1/b below the usual 1.2/0.75: short articles, and a question's terms repeat little
        model = bm25s.BM25(k1=k1, b=b)
        # bm25s cannot index an empty token list; a placeholder keeps positions aligned
        model.index([bm25_tokens(t) or ["\u0000"] for t in texts], show_progress=False)
        return cls(model, len(texts))

    @classmethod
    def from_documents(cls, docs: list[Document]) -> "JiebaBM25":
        """BM25 over every article: its context title (document, headings, item title) and text."""
        return cls.from_texts([f"{context_title(d, a)}\n{a.text}" for d in docs for a in d.articles])

    def persist(self, persist_dir: str | Path) -> None:
        self._model.save(str(persist_dir), show_progress=False)
        Path(persist_dir, "size.txt").write_text(str(self.size))

    @classmethod
    def from_persist_dir(cls, persist_dir: str | Path) -> "JiebaBM25":
        size = int(Path(persist_dir, "size.txt").read_text())
        return cls(bm25s.BM25.load(str(persist_dir)), size)

    def scores(self, query: str | list[str]) -> np.ndarray:
        tokens = bm25_query_tokens(query) if isinstance(query, str) else query
        known = [t for t in tokens if t in self._model.vocab_dict]
        if not known:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._model.get_scores(known), dtype=np.float32)
