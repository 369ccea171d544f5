"""Run the eval set through one or more configurations and score every metric.

    >>> from evals.datasets import load_questions
    >>> results = run_eval(Assistant.load(), ["hybrid", "bm25"], load_questions()[:20])
    >>> results["hybrid"]["metrics"]["hit@1"] >= results["bm25"]["metrics"]["hit@1"]
    True
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Callable

from app.assistant import Assistant
from app.retrieve import FusionWeights, HybridRetriever
from evals.baselines import VectorStoreIndexRanker
from evals.metrics import (citation_scores, grounding_scores, key_fact_recall, latency_scores,
                           refusal_scores, retrieval_scores)

PRODUCT = "hybrid"


def _hybrid(a: Assistant) -> HybridRetriever:
    return a.retriever


def _weights(**weights: float) -> Callable[[Assistant], HybridRetriever]:
    return lambda a: HybridRetriever(a.index, a.retriever.embedding,
                                     replace(a.retriever.weights, **weights))


CONFIGS: dict[str, Callable[[Assistant], HybridRetriever]] = {
    PRODUCT: _hybrid,
    "bm25": lambda a: HybridRetriever(a.index, a.retriever.embedding, FusionWeights.only("bm25")),
    "dense": lambda a: VectorStoreIndexRanker(a.index, a.retriever.embedding),
    "dense-sentence": lambda a: HybridRetriever(a.index, a.retriever.embedding,
                                                FusionWeights.only("sentence")),
    "no-bm25": _weights(bm25=0.0),
    "no-sentence": _weights(sentence=0.0),
    "no-doc-prior": _weights(named_doc=0.0, superseded=0.0),
    "no-asked": _weights(asked=0.0, asked_bm25=0.0),
}


def score(questions: list[dict], predictions: list[dict]) -> dict[str, float | None]:
    pairs = list(zip(questions, predictions))
    metrics: dict[str, float | None] = {}
    metrics |= retrieval_scores(pairs)
    metrics |= citation_scores(pairs)
    metrics |= grounding_scores(predictions)
    metrics["key_fact_recall"] = key_fact_recall(pairs)
    metrics |= refusal_scores(pairs)
    metrics |= latency_scores(predictions)
    return metrics


def run_config(assistant: Assistant, name: str, questions: list[dict]) -> dict:
    ranker = CONFIGS[name](assistant)
    runner = Assistant(assistant.index, ranker, assistant.selector)
    started = time.perf_counter()
    predictions = [runner.ask(q["question"], top_k=10, qid=q["id"]).to_json() for q in questions]
    return {"metrics": score(questions, predictions), "predictions": predictions,
            "seconds": round(time.perf_counter() - started, 2)}


def run_eval(assistant: Assistant, configs: list[str], questions: list[dict]) -> dict[str, dict]:
    unknown = [c for c in configs if c not in CONFIGS]
    if unknown:
        raise ValueError(f"未知的评测配置：{'、'.join(unknown)}。可用：{'、'.join(CONFIGS)}")
    return {name: run_config(assistant, name, questions) for name in configs}
