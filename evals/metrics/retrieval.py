"""Retrieval metrics: did the retriever surface the expected articles?

An article is identified by the pair ``(doc_id, article)``. Question records
spell the document key ``doc`` while app outputs spell it ``doc_id``; both
are accepted everywhere so callers never have to rename fields.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

ArticleKey = tuple[str, str]


def article_key(item: Mapping[str, Any]) -> ArticleKey:
    """Return the ``(doc_id, article)`` identity of an expected/retrieved item.

    >>> article_key({"doc": "d1", "article": 4})
    ('d1', '4')
    """
    doc = item.get("doc_id", item.get("doc", ""))
    # Articles may arrive as ints from hand-written eval files; "4" and 4
    # must be the same article.
    return (str(doc).strip(), str(item.get("article", "")).strip())


def expected_articles(expected: Iterable[Mapping[str, Any]] | None) -> set[ArticleKey]:
    """Distinct article keys of an ``expected`` list (``None`` -> empty set).

    >>> sorted(expected_articles([{"doc": "d", "article": "1"}] * 2))
    [('d', '1')]
    """
    return {article_key(e) for e in expected or []}


def mean_or_none(values: Iterable[float | None]) -> float | None:
    """Mean of the non-``None`` values, or ``None`` if there are none.

    >>> mean_or_none([1.0, None, 0.0])
    0.5
    """
    kept = [float(v) for v in values if v is not None]
    # None (not 0.0) so that "no applicable questions" is never mistaken
    # for "every question failed".
    return sum(kept) / len(kept) if kept else None


def _top_k(retrieved: Sequence[Mapping[str, Any]] | None, k: int) -> list[ArticleKey]:
    if k <= 0:
        return []
    return [article_key(r) for r in list(retrieved or [])[:k]]


def hit_at_k(
    expected: Iterable[Mapping[str, Any]] | None,
    retrieved: Sequence[Mapping[str, Any]] | None,
    k: int,
) -> float:
    """1.0 if any expected article is among the first ``k`` retrieved, else 0.0.

    >>> hit_at_k([{"doc": "d", "article": "4"}],
    ...          [{"doc_id": "d", "article": "3"}, {"doc_id": "d", "article": "4"}], 2)
    1.0
    """
    gold = expected_articles(expected)
    return 1.0 if any(key in gold for key in _top_k(retrieved, k)) else 0.0


def reciprocal_rank(
    expected: Iterable[Mapping[str, Any]] | None,
    retrieved: Sequence[Mapping[str, Any]] | None,
    k: int = 10,
) -> float:
    """1/rank of the first expected article within the top ``k``; 0.0 if none.

    >>> reciprocal_rank([{"doc": "d", "article": "4"}],
    ...                 [{"doc_id": "d", "article": "3"}, {"doc_id": "d", "article": "4"}])
    0.5
    """
    gold = expected_articles(expected)
    for rank, key in enumerate(_top_k(retrieved, k), start=1):
        if key in gold:
            return 1.0 / rank
    return 0.0


def recall_at_k(
    expected: Iterable[Mapping[str, Any]] | None,
    retrieved: Sequence[Mapping[str, Any]] | None,
    k: int,
) -> float:
    """Share of distinct expected articles found in the top ``k`` retrieved.

    Returns 0.0 when ``expected`` is empty (nothing can be recalled).

    >>> recall_at_k([{"doc": "d", "article": "1"}, {"doc": "d", "article": "2"}],
    ...             [{"doc_id": "d", "article": "2"}], 5)
    0.5
    """
    gold = expected_articles(expected)
    if not gold:
        return 0.0
    return len(gold & set(_top_k(retrieved, k))) / len(gold)


def retrieval_scores(
    pairs: Iterable[tuple[Mapping[str, Any], Mapping[str, Any]]],
) -> dict[str, float | None]:
    """Mean retrieval metrics over answerable questions.

    ``pairs`` is a list of ``(question, prediction)``. Unanswerable
    (out-of-scope) questions have no gold article, so they are skipped.
    Each value is ``None`` when no answerable question is present.

    >>> q = {"answerable": True, "expected": [{"doc": "d", "article": "4"}]}
    >>> p = {"retrieved": [{"doc_id": "d", "article": "4"}]}
    >>> retrieval_scores([(q, p)])["mrr@10"]
    1.0
    """
    rows: list[dict[str, float]] = []
    for question, prediction in pairs:
        if not question.get("answerable", True):
            continue
        exp, ret = question.get("expected"), prediction.get("retrieved")
        rows.append(
            {
                "hit@1": hit_at_k(exp, ret, 1),
                "hit@3": hit_at_k(exp, ret, 3),
                "hit@5": hit_at_k(exp, ret, 5),
                "mrr@10": reciprocal_rank(exp, ret, 10),
                "recall@5": recall_at_k(exp, ret, 5),
            }
        )
    keys = ("hit@1", "hit@3", "hit@5", "mrr@10", "recall@5")
    return {key: mean_or_none(row[key] for row in rows) for key in keys}
