"""Baseline rankers for side-by-side evaluation, with the same `rank()` surface as
`HybridRetriever` so the answer step is shared.

`VectorStoreIndexRanker` is the framework's default pipeline: a llama-index
`VectorStoreIndex` over the same Chroma article collection and embedding model.
"""

from __future__ import annotations

import numpy as np
from llama_index.core import VectorStoreIndex
from llama_index.core.base.embeddings.base import BaseEmbedding

from app.index import LoadedIndex
from app.retrieve import HybridRetriever, Ranking


class VectorStoreIndexRanker(HybridRetriever):
    """Dense-only ranking from `VectorStoreIndex.as_retriever()`; unretrieved articles last."""

    candidates = 50

    def __init__(self, index: LoadedIndex, embedding: BaseEmbedding, **kwargs):
        super().__init__(index, embedding, **kwargs)
        self._dense = VectorStoreIndex.from_vector_store(
            index.article_store, embed_model=embedding).as_retriever(similarity_top_k=self.candidates)

    def rank(self, question: str, doc_ids: tuple[str, ...] = ()) -> Ranking:
        base = super().rank(question, doc_ids)  # mentions and sentence cosines, shared
        nodes = self._dense.retrieve(question)
        scores = np.zeros(len(self.index.articles), dtype=np.float32)
        for hit in nodes:
            row = self.index.article_row((hit.node.metadata["doc"], hit.node.metadata["article"]))
            if row is not None:
                scores[row] = max(scores[row], float(hit.score or 0.0))
        allowed = self._allowed_rows(doc_ids)
        order = allowed[np.argsort(-scores[allowed], kind="stable")]
        return Ranking(scores, order, base.sentence_cos, base.mentions)
