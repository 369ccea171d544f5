"""Key-fact metric: does the answer state the fact the question is about?"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .grounding import normalize, strip_citation_markers
from .retrieval import mean_or_none


def key_fact_hit(question: Mapping[str, Any], prediction: Mapping[str, Any]) -> float | None:
    """1.0 if any key phrase appears in the answer (both normalised), else 0.0.

    Citation markers are stripped first so a phrase matching only a cited
    title (〔《实施意见》…〕) does not count. A refused answer scores 0.0.
    Returns ``None`` for unanswerable questions and questions without key
    phrases.

    >>> key_fact_hit({"answerable": True, "key_phrases": ["兜底管理"]},
    ...              {"refused": False, "answer": "由乡镇党组织兜底管理。"})
    1.0
    """
    if not question.get("answerable", True):
        return None
    # Phrases that normalise to "" would match every answer; ignore them.
    phrases = [n for p in question.get("key_phrases") or [] if (n := normalize(p))]
    if not phrases:
        return None
    if prediction.get("refused", False):
        return 0.0
    answer = normalize(strip_citation_markers(prediction.get("answer")))
    return 1.0 if any(p in answer for p in phrases) else 0.0


def key_fact_recall(
    pairs: Iterable[tuple[Mapping[str, Any], Mapping[str, Any]]],
) -> float | None:
    """Mean :func:`key_fact_hit` over answerable questions that have key phrases.

    Refused answerable questions count as 0; ``None`` if nothing qualifies.

    >>> q = {"answerable": True, "key_phrases": ["三名"]}
    >>> key_fact_recall([(q, {"answer": "三名以上"}), (q, {"refused": True})])
    0.5
    """
    return mean_or_none(key_fact_hit(q, p) for q, p in pairs)
