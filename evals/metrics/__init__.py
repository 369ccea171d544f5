"""Pure-Python evaluation metrics for tiaowen.

Every function takes the plain dicts of the eval contract (question records
and app predictions). Per-question functions return a float in [0, 1] (or
``None`` where the metric is undefined, e.g. nothing cited); aggregates
skip ``None`` and return ``None`` for a key when no question qualifies.
"""

from .citation import citation_precision, citation_recall, citation_scores
from .grounding import (
    extract_quantities,
    grounding_rate,
    grounding_scores,
    lcs_ratio,
    normalize,
    numbers_grounded,
    sentence_supported,
    split_answer_sentences,
    strip_citation_markers,
)
from .key_facts import key_fact_hit, key_fact_recall
from .latency import latency_scores, percentile
from .refusal import refusal_scores
from .retrieval import hit_at_k, recall_at_k, reciprocal_rank, retrieval_scores

__all__ = [
    "citation_precision",
    "citation_recall",
    "citation_scores",
    "extract_quantities",
    "grounding_rate",
    "grounding_scores",
    "hit_at_k",
    "key_fact_hit",
    "key_fact_recall",
    "latency_scores",
    "lcs_ratio",
    "normalize",
    "numbers_grounded",
    "percentile",
    "recall_at_k",
    "reciprocal_rank",
    "refusal_scores",
    "retrieval_scores",
    "sentence_supported",
    "split_answer_sentences",
    "strip_citation_markers",
]
