"""Citation metrics: are the articles the answer cites the expected ones?"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .retrieval import ArticleKey, article_key, expected_articles


def _cited_articles(citations: Iterable[Mapping[str, Any]] | None) -> set[ArticleKey]:
    # Several citations may point at one article (e.g. two chunks); count it once.
    return {article_key(c) for c in citations or []}


def citation_precision(
    expected: Iterable[Mapping[str, Any]] | None,
    citations: Iterable[Mapping[str, Any]] | None,
) -> float | None:
    """Share of distinct cited articles that are expected.

    Returns ``None`` when nothing is cited: precision is undefined there and
    the aggregate skips it (an uncited answer is penalised by recall instead).

    >>> citation_precision([{"doc": "d", "article": "4"}],
    ...                    [{"doc_id": "d", "article": "4"}, {"doc_id": "d", "article": "5"}])
    0.5
    """
    cited = _cited_articles(citations)
    if not cited:
        return None
    return len(cited & expected_articles(expected)) / len(cited)


def citation_recall(
    expected: Iterable[Mapping[str, Any]] | None,
    citations: Iterable[Mapping[str, Any]] | None,
) -> float | None:
    """Share of distinct expected articles that are cited.

    Returns ``None`` when ``expected`` is empty (nothing to recall).

    >>> citation_recall([{"doc": "d", "article": "4"}, {"doc": "d", "article": "6"}],
    ...                 [{"doc_id": "d", "article": "4"}])
    0.5
    """
    gold = expected_articles(expected)
    if not gold:
        return None
    return len(gold & _cited_articles(citations)) / len(gold)


def citation_scores(
    pairs: Iterable[tuple[Mapping[str, Any], Mapping[str, Any]]],
) -> dict[str, float | None]:
    """Micro-averaged citation precision/recall over answerable, non-refused pairs.

    Micro-average: counts are pooled over questions before dividing, i.e.
    precision = correct cited articles / all cited articles, and
    recall = expected articles cited / all expected articles. Questions with
    no citations therefore add nothing to precision's denominator (the
    per-question ``None`` case) but still count against recall. A value is
    ``None`` when its pooled denominator is zero.

    >>> q = {"answerable": True, "expected": [{"doc": "d", "article": "4"}]}
    >>> p = {"refused": False, "citations": [{"doc_id": "d", "article": "4"}]}
    >>> citation_scores([(q, p)])
    {'citation_precision': 1.0, 'citation_recall': 1.0}
    """
    correct = cited_total = found = expected_total = 0
    for question, prediction in pairs:
        if not question.get("answerable", True) or prediction.get("refused", False):
            continue
        gold = expected_articles(question.get("expected"))
        cited = _cited_articles(prediction.get("citations"))
        correct += len(cited & gold)
        cited_total += len(cited)
        found += len(gold & cited)
        expected_total += len(gold)
    return {
        "citation_precision": correct / cited_total if cited_total else None,
        "citation_recall": found / expected_total if expected_total else None,
    }
